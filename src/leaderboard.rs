//! The leaderboard widget: a titled table of ranked entries, with paging.

use std::rc::Rc;

use serde_json::{json, Value};
use tulip_core::model::Leaderboard;
use yew::prelude::*;

use crate::hud::format_number;

#[derive(Properties, PartialEq)]
pub struct LeaderboardProps {
    pub leaderboard: Rc<Leaderboard>,
    /// Receives `{"type": "page_change", "page"}` (with `on_page_change`).
    #[prop_or_default]
    pub on_interaction: Callback<Value>,
}

/// Column headers when the payload names none.
pub const DEFAULT_COLUMNS: [&str; 3] = ["Rank", "Name", "Score"];

/// The three headers: `columns` label rank, name and score in that order;
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

#[component]
pub fn LeaderboardView(props: &LeaderboardProps) -> Html {
    let l = &props.leaderboard;
    let [h_rank, h_name, h_score] = headers(l.columns.as_deref());
    let rows = l.entries.iter().map(|e| {
        let hl = e.highlight == Some(true);
        html! {
            <tr class={classes!("tulip-leaderboard__row", hl.then_some("tulip-leaderboard__row--highlight"))}
                aria-current={hl.then_some("true")}>
                <td class="tulip-leaderboard__rank">
                    if hl {
                        <span class="tulip-leaderboard__marker" aria-hidden="true">{ "▶ " }</span>
                    }
                    { e.rank.to_string() }
                </td>
                <td class="tulip-leaderboard__name">{ e.name.clone() }</td>
                <td class="tulip-leaderboard__score">{ format_number(e.score) }</td>
            </tr>
        }
    });
    let page = l.page.unwrap_or(1).max(1);
    // Without `total_pages` the number of pages is unknown: "Next" stays on.
    let total = l.total_pages.map(|t| t.max(1));
    let paging = (total.is_some_and(|t| t > 1)
        || l.page.is_some()
        || l.on_page_change == Some(true))
    .then(|| {
        let can_page = l.on_page_change == Some(true);
        let button = |target: u32, text: &'static str, label: &'static str, enabled: bool| {
            let cb = props.on_interaction.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                cb.emit(json!({"type": "page_change", "page": target}))
            });
            html! {
                <button type="button" class="tulip-button tulip-leaderboard__page"
                        aria-label={label} disabled={!enabled} {onclick}>
                    { text }
                </button>
            }
        };
        html! {
            <nav class="tulip-leaderboard__paging" aria-label="Pages">
                if can_page {
                    { button(page.saturating_sub(1), "‹ Prev", "Previous page", page > 1) }
                }
                <span class="tulip-leaderboard__pageno" aria-live="polite">
                    { match total {
                        Some(t) => format!("Page {page} of {t}"),
                        None => format!("Page {page}"),
                    } }
                </span>
                if can_page {
                    { button(page + 1, "Next ›", "Next page", total.is_none_or(|t| page < t)) }
                }
            </nav>
        }
    });
    html! {
        <div class="tulip-leaderboard">
            <table class="tulip-leaderboard__table">
                if let Some(t) = &l.title {
                    <caption class="tulip-leaderboard__title">{ t.clone() }</caption>
                }
                <thead>
                    <tr>
                        <th scope="col">{ h_rank }</th>
                        <th scope="col">{ h_name }</th>
                        <th scope="col" class="tulip-leaderboard__score">{ h_score }</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
            { for paging }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_fall_back_to_defaults() {
        assert_eq!(headers(None), ["Rank", "Name", "Score"]);
        let cols = vec!["#".to_owned()];
        assert_eq!(headers(Some(&cols)), ["#", "Name", "Score"]);
    }
}
