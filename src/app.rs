//! The demo page: a sample widget drawn by the renderer from its payload.

use std::rc::Rc;

use serde_json::Value;
use tulip_core::{parse_widget, Policy, Widget};
use yew::prelude::*;

use crate::widget::WidgetView;

/// The sample shown on the demo page (also used by the browser tests).
pub const SAMPLE_GRID: &str = include_str!("../www/samples/tictactoe.json");

/// Parses a sample payload with the core crate, as a payload from the server
/// would be.
pub fn sample(text: &str) -> Option<Rc<Widget>> {
    parse_widget(text, &Policy::default()).ok().map(Rc::new)
}

/// Demo page: the project name, a status line and a sample grid. Clicking a
/// cell shows the interaction the renderer would post.
#[component]
pub fn App() -> Html {
    let last = use_state(|| None::<Value>);
    let on_interaction = {
        let last = last.clone();
        Callback::from(move |v: Value| last.set(Some(v)))
    };
    let grid = use_memo((), |_| sample(SAMPLE_GRID));
    html! {
        <main class="tulip-app">
            <h1 class="tulip-app__title">{ "Tulip Game Widgets" }</h1>
            <p class="tulip-app__status" data-testid="status">
                { "The renderer is running. Click a cell of the sample grid." }
            </p>
            if let Some(w) = (*grid).clone() {
                <section class="tulip-app__sample" aria-label="Sample: tic-tac-toe">
                    <WidgetView widget={w} {on_interaction} />
                </section>
            }
            <p class="tulip-app__last" data-testid="last-interaction" aria-live="polite">
                { match &*last {
                    Some(v) => format!("Interaction: {v}"),
                    None => "No interaction yet.".to_owned(),
                } }
            </p>
        </main>
    }
}
