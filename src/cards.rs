//! The cards widget: a hand, pile, grid or fan of cards (PROTOCOL.md 1.1).
//!
//! - Layout maths are pure ([`layout`]): each card gets a position and a
//!   rotation for the width the widget has (measured, [`measure`]).
//! - Faces are text ("A♠": rank, suit and a spoken name from [`face`]) or
//!   an image; face-down cards (and hidden ones, which arrive without a
//!   face) show a patterned back.
//! - `on_card_click` sends `card_click`; `selectable` toggles a local
//!   selection ([`select`]) and sends the whole set as `card_select`.
//! - Animations: a card revealed by a new version flips; added cards with
//!   an `animate` effect appear with it; removed ones fade as ghosts where
//!   they were ([`track`]).
//!
//! Every card is a `<button>` with `data-target` (the frame's emphasis) and
//! `data-card-id`; Tab and the arrow keys move between them.

pub mod card;
pub mod face;
pub mod layout;
pub mod measure;
pub mod select;
pub mod track;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::json;
use tulip_core::model::CardLayout;
use tulip_core::{Body, Update};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::anim::{appear_class, now_ms};
use crate::widget::WidgetProps;
use card::CardView;
use layout::{layout, DEFAULT_WIDTH};
use measure::use_width;
use select::{payload_selected, Selection, SelectionAction, DEFAULT_MAX_SELECT};
use track::Tracker;

/// The word for a layout, for labels and class names.
pub fn layout_name(kind: CardLayout) -> &'static str {
    match kind {
        CardLayout::Hand => "hand",
        CardLayout::Pile => "pile",
        CardLayout::Grid => "grid",
        CardLayout::Fan => "fan",
    }
}

/// "1 card", "5 cards".
pub fn count_text(n: usize) -> String {
    if n == 1 {
        "1 card".to_owned()
    } else {
        format!("{n} cards")
    }
}

/// The card id (and hand index) of the card an event happened on.
fn card_of(target: Option<web_sys::EventTarget>) -> Option<(String, usize)> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?;
    let card = el.closest("[data-card-id]").ok()??;
    let id = card.get_attribute("data-card-id")?;
    let index = card.get_attribute("data-card-index")?.parse().ok()?;
    Some((id, index))
}

/// The index the arrow keys move focus to from `at` (of `n` cards, `per_row`
/// a row), or `None` for another key.
pub fn key_target(key: &str, at: usize, n: usize, per_row: usize) -> Option<usize> {
    if n == 0 {
        return None;
    }
    let last = n - 1;
    let per_row = per_row.max(1);
    let to = match key {
        "ArrowLeft" => at.saturating_sub(1),
        "ArrowRight" => (at + 1).min(last),
        "ArrowUp" if per_row < n => at.saturating_sub(per_row),
        "ArrowDown" if per_row < n => (at + per_row).min(last),
        "ArrowUp" => at.saturating_sub(1),
        "ArrowDown" => (at + 1).min(last),
        "Home" => 0,
        "End" => last,
        _ => return None,
    };
    Some(to)
}

#[component]
pub fn CardsView(props: &WidgetProps) -> Html {
    let cards_body = match &props.widget.body {
        Body::Cards(c) => Some(c),
        _ => None,
    };
    let area = use_node_ref();
    let measured = use_width(&area);
    let width = measured.unwrap_or(DEFAULT_WIDTH);
    // Cards glide to their new places when the cards change, but snap to
    // them when the width changes (first measurement, window resized):
    // transitions are on only while the width stands still.
    let last_width = use_mut_ref(|| None::<f64>);
    let glide = {
        let mut last = last_width.borrow_mut();
        let still = measured.is_some() && *last == measured;
        *last = measured;
        still
    };
    // The payload's `selected` flags start the selection, and win whenever
    // they change.
    let payload = cards_body
        .map(|c| payload_selected(&c.cards))
        .unwrap_or_default();
    let selection = {
        let ids = payload.clone();
        use_reducer(move || Selection::from_ids(ids))
    };
    {
        let dispatcher = selection.dispatcher();
        use_effect_with(payload, move |p| {
            dispatcher.dispatch(SelectionAction::Payload(p.clone()))
        });
    }
    let tracker = use_mut_ref(Tracker::default);
    let redraw = use_force_update();
    let kind = cards_body
        .and_then(|c| c.layout)
        .unwrap_or(CardLayout::Hand);
    let n = cards_body.map_or(0, |c| c.cards.len());
    let lay = layout(kind, n, width);
    let ops = match props.update.as_deref() {
        Some(Update::Cards(o)) => Some(o),
        _ => None,
    };
    let now = now_ms();
    let ghosts = {
        let mut t = tracker.borrow_mut();
        if let Some(c) = cards_body {
            t.observe(
                props.seq,
                &c.cards,
                &lay.places,
                ops.and_then(|o| o.remove_cards.as_ref()),
                now,
            );
        }
        t.ghosts(now).to_vec()
    };
    {
        // Redraw when the next ghost has faded, to take it away.
        let next = tracker.borrow().next_expiry();
        use_effect_with(next.map(f64::to_bits), move |_| {
            if let Some(until) = next {
                let wait = (until - now).max(0.0) as u64 + 30;
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(Duration::from_millis(wait)).await;
                    redraw.force_update();
                });
            }
        });
    }
    let Some(c) = cards_body else {
        return Html::default();
    };

    let selectable = c.selectable == Some(true);
    let clickable = c.on_card_click == Some(true);
    let max = c.max_select.unwrap_or(DEFAULT_MAX_SELECT);
    let pile = kind == CardLayout::Pile;
    let top = n.checked_sub(1);

    let onclick = {
        let widget = props.widget.clone();
        let on = props.on_interaction.clone();
        let selection = selection.clone();
        Callback::from(move |e: MouseEvent| {
            let Some((id, index)) = card_of(e.target()) else {
                return;
            };
            let Body::Cards(c) = &widget.body else {
                return;
            };
            if pile && Some(index) != c.cards.len().checked_sub(1) {
                return; // only the top of a pile is in play
            }
            if c.on_card_click == Some(true) {
                on.emit(json!({"type": "card_click", "id": id}));
            }
            if c.selectable == Some(true) {
                let max = c.max_select.unwrap_or(DEFAULT_MAX_SELECT);
                if let Some(next) = selection.toggle(&id, max, &c.cards) {
                    let ids = next.in_hand_order(&c.cards);
                    selection.dispatch(SelectionAction::Set(next));
                    on.emit(json!({"type": "card_select", "ids": ids}));
                }
            }
        })
    };
    let onkeydown = {
        let area = area.clone();
        let per_row = lay.per_row;
        Callback::from(move |e: KeyboardEvent| {
            if pile {
                return;
            }
            let Some((_, at)) = card_of(e.target()) else {
                return;
            };
            let Some(to) = key_target(&e.key(), at, n, per_row) else {
                return;
            };
            e.prevent_default();
            let found = area
                .cast::<web_sys::Element>()
                .and_then(|a| {
                    a.query_selector(&format!("[data-card-index=\"{to}\"]"))
                        .ok()
                        .flatten()
                })
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(el) = found {
                let _ = el.focus();
            }
        })
    };

    let appear: HashMap<&str, (&'static str, u32)> = ops
        .and_then(|o| o.add_cards.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|k| appear_class(k.animate.as_ref(), true).map(|a| (k.id.as_str(), a)))
        .collect();
    let t = tracker.borrow();
    let pile_note = pile.then(|| AttrValue::from(format!("top of a pile of {}", count_text(n))));
    let views = c
        .cards
        .iter()
        .zip(&lay.places)
        .enumerate()
        .map(|(i, (card, place))| {
            let reachable = !pile || Some(i) == top;
            html! {
                <CardView key={card.id.clone()} card={card.clone()} index={i} place={*place}
                    selected={selection.contains(&card.id)} {selectable}
                    interactive={(selectable && max > 0 || clickable) && reachable}
                    {reachable}
                    flipping={t.flipping(&card.id)}
                    effect={appear.get(card.id.as_str()).copied()}
                    note={if reachable { pile_note.clone() } else { None }} />
            }
        });
    let ghost_views = ghosts.iter().map(|g| {
        html! {
            <CardView key={g.key.to_string()} card={g.card.clone()} index={0} place={g.place}
                effect={Some((g.class, g.ms))} ghost=true />
        }
    });
    let selected_n = selection.in_hand_order(&c.cards).len();
    let mut label = format!("{}, {}", capitalised(layout_name(kind)), count_text(n));
    if selectable {
        label.push_str(&format!(", {selected_n} selected of at most {max}"));
    }
    let area_style = format!("height:{:.0}px;", lay.height);
    let count = pile.then(|| {
        html! { <p class="tulip-cards__count" aria-hidden="true">{ count_text(n) }</p> }
    });
    let empty = (n == 0).then(|| {
        html! { <p class="tulip-cards__empty">{ "No cards" }</p> }
    });
    html! {
        <div class={classes!("tulip-cards", format!("tulip-cards--{}", layout_name(kind)),
                             selectable.then_some("tulip-cards--selectable"),
                             glide.then_some("tulip-cards--glide"))}
             role="group" aria-label={label}>
            <div class="tulip-cards__area" ref={area} style={area_style} {onclick} {onkeydown}>
                // The cards in a list of their own, keyed by id.
                <div class="tulip-cards__cards">{ for views }</div>
                <div class="tulip-cards__ghosts" aria-hidden="true">{ for ghost_views }</div>
            </div>
            { for count }
            { for empty }
        </div>
    }
}

fn capitalised(s: &str) -> String {
    let mut s = s.to_owned();
    if let Some(first) = s.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrow_keys_move_along_the_hand_and_by_rows_in_a_grid() {
        assert_eq!(key_target("ArrowRight", 0, 5, 5), Some(1));
        assert_eq!(
            key_target("ArrowRight", 4, 5, 5),
            Some(4),
            "stops at the end"
        );
        assert_eq!(key_target("ArrowLeft", 0, 5, 5), Some(0));
        assert_eq!(key_target("ArrowDown", 1, 5, 5), Some(2), "one row: next");
        assert_eq!(
            key_target("ArrowDown", 1, 10, 4),
            Some(5),
            "grid: a row down"
        );
        assert_eq!(key_target("ArrowUp", 5, 10, 4), Some(1));
        assert_eq!(key_target("ArrowDown", 8, 10, 4), Some(9));
        assert_eq!(key_target("Home", 3, 10, 4), Some(0));
        assert_eq!(key_target("End", 3, 10, 4), Some(9));
        assert_eq!(key_target("a", 3, 10, 4), None);
        assert_eq!(key_target("ArrowLeft", 0, 0, 1), None);
    }

    #[test]
    fn words() {
        assert_eq!(count_text(1), "1 card");
        assert_eq!(count_text(0), "0 cards");
        assert_eq!(capitalised(layout_name(CardLayout::Fan)), "Fan");
    }
}
