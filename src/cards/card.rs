//! One card: a button placed by the layout, showing its face (text or
//! image) or its back. Clicks and keys are handled by the cards widget
//! around it (one listener for every card), so the props compare equal
//! and unchanged cards are not redrawn.

use tulip_core::model::Card;
use yew::prelude::*;

use super::face::{has_red_suit, playing_card, spoken};
use super::layout::Place;
use super::track::face_up;

#[derive(Properties, PartialEq, Clone)]
pub struct CardProps {
    pub card: Card,
    /// Position in the hand (the arrow keys move by it).
    pub index: usize,
    pub place: Place,
    #[prop_or_default]
    pub selected: bool,
    /// Whether the widget is `selectable` (the card is a toggle button).
    #[prop_or_default]
    pub selectable: bool,
    /// Whether a click does anything.
    #[prop_or_default]
    pub interactive: bool,
    /// In the tab order and read out (every card but the lower cards of a
    /// pile).
    #[prop_or(true)]
    pub reachable: bool,
    /// Plays the flip from back to face (the card was just revealed).
    #[prop_or_default]
    pub flipping: bool,
    /// An appear or disappear class and its duration in ms.
    #[prop_or_default]
    pub effect: Option<(&'static str, u32)>,
    /// Drawn as a fading ghost of a removed card: not a button, hidden from
    /// assistive technology, not a target.
    #[prop_or_default]
    pub ghost: bool,
    /// Extra words for the accessible name ("top of a pile of 9 cards").
    #[prop_or_default]
    pub note: Option<AttrValue>,
}

/// What a screen reader says for the card.
pub fn card_name(card: &Card, index: usize) -> String {
    if !face_up(card) {
        return "Face-down card".to_owned();
    }
    match &card.face {
        Some(f) if !f.trim().is_empty() => spoken(f),
        _ => format!("Picture card {}", index + 1),
    }
}

/// The inline style placing a card. Numbers only: nothing from the payload.
pub fn place_style(p: &Place, effect: Option<(&'static str, u32)>) -> String {
    let mut s = format!(
        "translate:{:.1}px {:.1}px;rotate:{:.2}deg;z-index:{};",
        p.x, p.y, p.rot, p.z
    );
    if let Some((_, ms)) = effect {
        s.push_str(&format!("--tulip-anim-ms:{ms}ms;"));
    }
    s
}

fn front(card: &Card) -> Html {
    let face = card.face.clone().unwrap_or_default();
    if let Some(img) = &card.image {
        let caption = (!face.trim().is_empty()).then(|| {
            html! { <span class="tulip-card__caption">{ face.clone() }</span> }
        });
        return html! {
            <span class="tulip-card__side tulip-card__front tulip-card__front--image">
                <img class="tulip-card__img" src={img.as_str().to_owned()} alt="" draggable="false" />
                { for caption }
            </span>
        };
    }
    match playing_card(&face) {
        Some(p) => {
            let corner = |end: bool| {
                html! {
                    <span class={classes!("tulip-card__corner", end.then_some("tulip-card__corner--end"))}>
                        <span class="tulip-card__rank">{ p.rank.clone() }</span>
                        <span class="tulip-card__suit">{ p.suit.symbol() }</span>
                    </span>
                }
            };
            html! {
                <span class="tulip-card__side tulip-card__front">
                    { corner(false) }
                    <span class="tulip-card__pip" aria-hidden="true">{ p.suit.symbol() }</span>
                    { corner(true) }
                </span>
            }
        }
        None => {
            let long = face.chars().count() > 4;
            html! {
                <span class="tulip-card__side tulip-card__front">
                    <span class={classes!("tulip-card__text", long.then_some("tulip-card__text--long"))}>
                        { face }
                    </span>
                </span>
            }
        }
    }
}

fn back() -> Html {
    html! { <span class="tulip-card__side tulip-card__back" aria-hidden="true"></span> }
}

#[component]
pub fn CardView(props: &CardProps) -> Html {
    let card = &props.card;
    let up = face_up(card);
    let red = up && card.face.as_deref().is_some_and(has_red_suit);
    let class = classes!(
        "tulip-card",
        if up {
            "tulip-card--up"
        } else {
            "tulip-card--down"
        },
        red.then_some("tulip-card--red"),
        props.selected.then_some("tulip-card--selected"),
        props.flipping.then_some("tulip-card--flip"),
        props.interactive.then_some("tulip-card--interactive"),
        (!props.reachable).then_some("tulip-card--under"),
        props.ghost.then_some("tulip-card--ghost"),
        props.effect.map(|(c, _)| c),
    );
    let style = place_style(&props.place, props.effect);
    // While flipping, both sides are drawn (the back turns away); a card
    // face down is its back only, with no face in the DOM at all.
    let inner = html! {
        <span class="tulip-card__inner">
            { if up { front(card) } else { Html::default() } }
            { if !up || props.flipping { back() } else { Html::default() } }
        </span>
    };
    let check = props.selected.then(|| {
        html! { <span class="tulip-card__check" aria-hidden="true">{ "✓" }</span> }
    });
    if props.ghost {
        return html! {
            <div {class} {style} aria-hidden="true" data-ghost-id={card.id.clone()}>{ inner }</div>
        };
    }
    let mut label = card_name(card, props.index);
    if let Some(n) = &props.note {
        label.push_str(", ");
        label.push_str(n);
    }
    html! {
        <button type="button" {class} {style}
            data-card-id={card.id.clone()} data-target={card.id.clone()}
            data-card-index={props.index.to_string()}
            aria-label={label}
            aria-pressed={props.selectable.then_some(if props.selected { "true" } else { "false" })}
            aria-disabled={(!props.interactive).then_some("true")}
            aria-hidden={(!props.reachable).then_some("true")}
            tabindex={(!props.reachable).then_some("-1")}>
            { inner }
            { for check }
        </button>
    }
}
