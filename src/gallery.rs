//! The gallery page: a gallery of sample widgets drawn by the renderer from
//! their payloads. Interacting shows the interaction the renderer would post.

use std::rc::Rc;

use serde_json::Value;
use tulip_core::{parse_widget, Policy, Widget};
use yew::prelude::*;

use crate::frame::WidgetFrame;
use crate::widget::WidgetProps;

/// The sample grid shown on the demo page (also used by the browser tests).
pub const SAMPLE_GRID: &str = include_str!("../www/samples/tictactoe.json");

/// The gallery: a title and a payload for each sample (`www/samples/`).
pub const SAMPLES: &[(&str, &str)] = &[
    ("Grid: tic-tac-toe", SAMPLE_GRID),
    (
        "Grid: coordinates",
        include_str!("../www/samples/grid-coordinates.json"),
    ),
    (
        "Grid: 60 x 40",
        include_str!("../www/samples/grid-big.json"),
    ),
    (
        "Grid: 100 x 100",
        include_str!("../www/samples/grid-huge.json"),
    ),
    ("HUD", include_str!("../www/samples/hud.json")),
    ("Dialog", include_str!("../www/samples/dialog.json")),
    ("Terminal", include_str!("../www/samples/terminal.json")),
    (
        "Leaderboard",
        include_str!("../www/samples/leaderboard.json"),
    ),
    (
        "Interactive buttons",
        include_str!("../www/samples/interactive.json"),
    ),
    (
        "Composite: HUD over buttons",
        include_str!("../www/samples/composite.json"),
    ),
    ("Canvas", include_str!("../www/samples/canvas.json")),
    ("Cards", include_str!("../www/samples/cards.json")),
    ("Cards: fan", include_str!("../www/samples/cards-fan.json")),
    (
        "Cards: pile",
        include_str!("../www/samples/cards-pile.json"),
    ),
    (
        "Cards: grid",
        include_str!("../www/samples/cards-grid.json"),
    ),
    ("Inventory", include_str!("../www/samples/inventory.json")),
    ("Map", include_str!("../www/samples/map.json")),
    ("Lobby", include_str!("../www/samples/lobby.json")),
    (
        "Frame: keys, timer and sounds",
        include_str!("../www/samples/frame-arena.json"),
    ),
    (
        "Frame: a composite's child timer and keys",
        include_str!("../www/samples/frame-duel.json"),
    ),
];

/// Parses a sample payload with the core crate, as a payload from the server
/// would be.
pub fn sample(text: &str) -> Option<Rc<Widget>> {
    parse_widget(text, &Policy::default()).ok().map(Rc::new)
}

/// Gallery page: the project name, a status line and the gallery of samples.
#[component]
pub fn GalleryPage() -> Html {
    let last = use_state(|| None::<Value>);
    let on_interaction = {
        let last = last.clone();
        Callback::from(move |v: Value| last.set(Some(v)))
    };
    let samples = use_memo((), |_| {
        SAMPLES
            .iter()
            .filter_map(|(title, text)| sample(text).map(|w| (*title, w)))
            .collect::<Vec<_>>()
    });
    let gallery = samples.iter().map(|(title, w)| {
        html! {
            <section class="tulip-app__sample" key={*title} aria-label={format!("Sample: {title}")}>
                <h2 class="tulip-app__sample-title">{ *title }</h2>
                <WidgetFrame inner={WidgetProps::new(w.clone(), on_interaction.clone())} />
            </section>
        }
    });
    html! {
        <main class="tulip-app">
            <h1 class="tulip-app__title">{ "Tulip Game Widgets" }</h1>
            <p class="tulip-app__status" data-testid="status">
                { "The renderer is running. Click, type or pick in the samples below." }
            </p>
            <p class="tulip-app__last" data-testid="last-interaction" aria-live="polite">
                { match &*last {
                    Some(v) => format!("Interaction: {v}"),
                    None => "No interaction yet.".to_owned(),
                } }
            </p>
            <div class="tulip-app__gallery">{ for gallery }</div>
        </main>
    }
}
