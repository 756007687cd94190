//! The leaderboard widget: a titled table of ranked entries, with paging
//! (PROTOCOL.md 1.1).
//!
//! - `title` is the table's caption; `columns` name the rank, name and
//!   score columns, in that order (defaults `#`, `Player`, `Score`;
//!   docs/contract-notes.md).
//! - A `highlight`ed row is bold, has a bar at its start and a ▶ marker,
//!   and `aria-current="true"`: more than a colour.
//! - With `on_page_change`, "Previous" and "Next" send
//!   `{"type": "page_change", "page": N}`; each is `aria-disabled` at its
//!   end (it keeps the focus). Until the bot answers with a new version the
//!   indicator reads "Loading page N…" and further clicks wait
//!   ([`paging`]).
//! - Rows carry `data-target="<name>"` for the frame's emphasis.

pub mod paging;

use std::time::Duration;

use serde_json::json;
use tulip_core::Body;
use yew::prelude::*;

use crate::hud::model::{format_number, unique_keys};
use crate::widget::WidgetProps;
use paging::{waiting_for, Paging};

/// Column headings when the payload names none (docs/contract-notes.md).
pub const DEFAULT_COLUMNS: [&str; 3] = ["#", "Player", "Score"];

/// How long a page request waits for the bot before the buttons work
/// again, in ms.
pub const REQUEST_TIMEOUT_MS: u64 = 4_000;

/// The three headings: `columns` name rank, name and score in that order;
/// missing ones fall back to the defaults, extra ones are not shown.
pub fn headers(columns: Option<&[String]>) -> [String; 3] {
    let given = columns.unwrap_or_default();
    let pick = |i: usize| {
        given
            .get(i)
            .cloned()
            .unwrap_or_else(|| DEFAULT_COLUMNS[i].to_owned())
    };
    [pick(0), pick(1), pick(2)]
}

/// The leaderboard: `props.widget` must be a leaderboard.
#[component]
pub fn LeaderboardView(props: &WidgetProps) -> Html {
    // The page asked for: at which version, which page.
    let requested = use_state(|| None::<(u64, u32)>);
    {
        // A request the bot does not answer stops waiting after a while.
        let requested = requested.clone();
        use_effect_with(*requested, move |r| {
            let cancelled = std::rc::Rc::new(std::cell::Cell::new(false));
            if r.is_some() {
                let cancelled = cancelled.clone();
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(Duration::from_millis(REQUEST_TIMEOUT_MS)).await;
                    if !cancelled.get() {
                        requested.set(None);
                    }
                });
            }
            move || cancelled.set(true)
        });
    }
    let Body::Leaderboard(l) = &props.widget.body else {
        return Html::default();
    };
    let [h_rank, h_name, h_score] = headers(l.columns.as_deref());
    let keys = unique_keys(l.entries.iter().map(|e| e.name.as_str()));
    let rows = l.entries.iter().zip(keys).map(|(e, key)| {
        let hl = e.highlight == Some(true);
        html! {
            <tr {key}
                class={classes!("tulip-leaderboard__row", hl.then_some("tulip-leaderboard__row--highlight"))}
                aria-current={hl.then_some("true")} data-target={e.name.clone()}>
                <td class="tulip-leaderboard__rank">
                    if hl {
                        <span class="tulip-leaderboard__marker" aria-hidden="true">{ "▶" }</span>
                    }
                    { e.rank.to_string() }
                </td>
                <td class="tulip-leaderboard__name">{ e.name.clone() }</td>
                <td class="tulip-leaderboard__score">{ format_number(e.score) }</td>
            </tr>
        }
    });
    let empty = l.entries.is_empty().then(|| {
        html! {
            <tr class="tulip-leaderboard__empty">
                <td colspan="3">{ "No entries yet" }</td>
            </tr>
        }
    });
    let p = Paging::of(l.page, l.total_pages, l.on_page_change == Some(true));
    let waiting = waiting_for(*requested, props.seq);
    let paging = p.shown(l.page.is_some()).then(|| {
        let button = |target: Option<u32>, text: &'static str, label: &'static str| {
            let cb = props.on_interaction.clone();
            let requested = requested.clone();
            let seq = props.seq;
            let onclick = Callback::from(move |_: MouseEvent| {
                let Some(page) = target else { return };
                if waiting_for(*requested, seq).is_some() {
                    return; // asked already: wait for the bot
                }
                requested.set(Some((seq, page)));
                cb.emit(json!({"type": "page_change", "page": page}));
            });
            html! {
                <button type="button" class="tulip-button tulip-leaderboard__page"
                        aria-label={label}
                        aria-disabled={target.is_none().then_some("true")} {onclick}>
                    { text }
                </button>
            }
        };
        let indicator = match waiting {
            Some(n) => format!("Loading page {n}…"),
            None => p.label(),
        };
        html! {
            <nav class="tulip-leaderboard__paging" aria-label="Pages"
                 aria-busy={waiting.is_some().then_some("true")}>
                if p.buttons {
                    { button(p.prev, "‹ Prev", "Previous page") }
                }
                <span class="tulip-leaderboard__pageno" aria-live="polite">{ indicator }</span>
                if p.buttons {
                    { button(p.next, "Next ›", "Next page") }
                }
            </nav>
        }
    });
    let label = l.title.is_none().then_some("Leaderboard");
    html! {
        <div class="tulip-leaderboard">
            <div class="tulip-leaderboard__scroll">
                <table class="tulip-leaderboard__table" aria-label={label}>
                    if let Some(t) = &l.title {
                        <caption class="tulip-leaderboard__title">{ t.clone() }</caption>
                    }
                    <thead>
                        <tr>
                            <th scope="col" class="tulip-leaderboard__rank">{ h_rank }</th>
                            <th scope="col">{ h_name }</th>
                            <th scope="col" class="tulip-leaderboard__score">{ h_score }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }{ for empty }</tbody>
                </table>
            </div>
            { for paging }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_fall_back_to_defaults() {
        assert_eq!(headers(None), ["#", "Player", "Score"]);
        let cols = vec!["Rank".to_owned()];
        assert_eq!(headers(Some(&cols)), ["Rank", "Player", "Score"]);
        let many: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        assert_eq!(
            headers(Some(&many)),
            ["a", "b", "c"],
            "extra ones not shown"
        );
    }
}
