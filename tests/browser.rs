//! Browser tests of the renderer: run in headless Chromium by
//! `./scripts/test.sh` (wasm-bindgen-test-runner + chromedriver).

#![cfg(target_arch = "wasm32")]

use tulip_widgets::App;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

mod common;

use common::{fresh_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn app_renders_title_and_status() {
    let root = fresh_root();
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;

    let title = root
        .query_selector("h1")
        .expect("valid selector")
        .expect("the app renders an <h1>");
    assert_eq!(title.text_content().as_deref(), Some("Tulip Game Widgets"));

    let status = root
        .query_selector("[data-testid=status]")
        .expect("valid selector")
        .expect("the app renders a status line");
    assert!(
        status
            .text_content()
            .is_some_and(|text| text.contains("renderer is running")),
        "unexpected status text: {:?}",
        status.text_content()
    );

    handle.destroy();
    settle().await;
    assert_eq!(root.child_element_count(), 0, "destroy() empties the root");
}

#[wasm_bindgen_test]
fn start_does_nothing_without_the_demo_root() {
    // The test page has no #tulip-demo element, so the module's start
    // function (which already ran when the module loaded) must not have
    // mounted anything, and calling it again stays a no-op.
    let document = web_sys::window().unwrap().document().unwrap();
    assert!(document
        .get_element_by_id(tulip_widgets::DEMO_ROOT_ID)
        .is_none());
    tulip_widgets::start();
    assert!(document.query_selector(".tulip-app").unwrap().is_none());
}

/// Mounts a grid payload with the renderer and finds its cells in the DOM;
/// a click becomes the `cell_click` interaction a client posts.
#[wasm_bindgen_test]
async fn grid_payload_renders_cells_and_clicks() {
    use std::cell::RefCell;
    use std::rc::Rc;

    use tulip_widgets::widget::WidgetProps;
    use tulip_widgets::WidgetView;
    use wasm_bindgen::JsCast;

    let widget = tulip_core::parse_widget(
        r##"{"widget_type": "grid", "extra_data": {"width": 4, "height": 3, "on_cell_click": true,
            "cells": [{"x": 1, "y": 0, "content": "X", "bg": "#FF0000"},
                      {"x": 3, "y": 2, "content": "<b>not html</b>"}]}}"##,
        &tulip_core::Policy::default(),
    )
    .expect("a valid grid");
    let clicks: Rc<RefCell<Vec<serde_json::Value>>> = Rc::default();
    let sink = clicks.clone();
    let props = WidgetProps::new(
        Rc::new(widget),
        yew::Callback::from(move |v| sink.borrow_mut().push(v)),
    );
    let root = fresh_root();
    let handle = yew::Renderer::<WidgetView>::with_root_and_props(root.clone(), props).render();
    settle().await;

    let grid = root
        .query_selector("[role=grid]")
        .unwrap()
        .expect("an ARIA grid");
    assert_eq!(grid.get_attribute("aria-colcount").as_deref(), Some("4"));
    let cells = root.query_selector_all("[role=gridcell]").unwrap();
    assert_eq!(cells.length(), 12, "every position of a 4x3 grid is a cell");

    let x = root
        .query_selector("[role=gridcell][data-x='1'][data-y='0']")
        .unwrap()
        .expect("the cell at (1, 0)");
    assert_eq!(x.text_content().as_deref(), Some("X"));
    // The colour reaches the style in its canonical form.
    let bg = x.dyn_ref::<web_sys::HtmlElement>().map(|h| {
        h.style()
            .get_property_value("background-color")
            .unwrap_or_default()
    });
    assert_eq!(bg.as_deref(), Some("rgb(255, 0, 0)"));

    // Text is text: markup in content is never parsed as HTML.
    let text = root
        .query_selector("[data-x='3'][data-y='2']")
        .unwrap()
        .expect("the cell at (3, 2)");
    assert_eq!(text.text_content().as_deref(), Some("<b>not html</b>"));
    assert!(text.query_selector("b").unwrap().is_none());

    x.dyn_ref::<web_sys::HtmlElement>()
        .expect("an element")
        .click();
    settle().await;
    assert_eq!(
        clicks.borrow().as_slice(),
        &[serde_json::json!({"type": "cell_click", "x": 1, "y": 0})]
    );

    handle.destroy();
}

#[wasm_bindgen_test]
async fn demo_app_shows_the_sample_grid() {
    let root = fresh_root();
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    assert_eq!(
        root.query_selector_all("[aria-label='Sample: Grid: tic-tac-toe'] [role=gridcell]")
            .unwrap()
            .length(),
        9
    );
    handle.destroy();
}

#[wasm_bindgen_test]
async fn demo_app_shows_a_gallery_of_every_drawn_kind() {
    let root = fresh_root();
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    for kind in [
        "grid",
        "hud",
        "dialog",
        "terminal",
        "leaderboard",
        "interactive",
        "composite",
    ] {
        let selector = format!(".tulip-app__sample [data-widget-type={kind}]");
        assert!(
            root.query_selector(&selector).unwrap().is_some(),
            "the gallery shows a {kind} sample"
        );
    }
    // No sample failed to parse or fell back to "not drawn yet".
    assert_eq!(
        root.query_selector_all(".tulip-app__sample")
            .unwrap()
            .length() as usize,
        tulip_widgets::gallery::SAMPLES.len()
    );
    assert!(root
        .query_selector(".tulip-widget__unsupported")
        .unwrap()
        .is_none());
    handle.destroy();
}

/// Updates from the server are applied with the core, the DOM follows, and a
/// version gap asks the host to refetch.
#[wasm_bindgen_test]
async fn hosted_widget_applies_updates_and_detects_gaps() {
    use std::cell::RefCell;
    use std::rc::Rc;

    use tulip_widgets::host::HostProps;
    use tulip_widgets::{HostAction, WidgetHost};

    let widget = tulip_core::parse_widget(
        r#"{"widget_type": "grid", "extra_data": {"width": 3, "height": 1}}"#,
        &tulip_core::Policy::default(),
    )
    .expect("a valid grid");
    let dispatcher = Rc::new(RefCell::new(None));
    let stale = Rc::new(RefCell::new(Vec::new()));
    let (d, s) = (dispatcher.clone(), stale.clone());
    let props = HostProps {
        widget: Rc::new(widget),
        version: 1,
        on_interaction: Default::default(),
        on_ready: yew::Callback::from(move |x| *d.borrow_mut() = Some(x)),
        on_stale: yew::Callback::from(move |v| s.borrow_mut().push(v)),
        user_id: None,
        live: false,
        clock_offset_ms: 0.0,
        send: None,
        connection: None,
    };
    let root = fresh_root();
    let handle = yew::Renderer::<WidgetHost>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let dispatch = dispatcher
        .borrow()
        .clone()
        .expect("the host hands out its dispatcher");

    dispatch.dispatch(HostAction::Update {
        version: 2,
        update: serde_json::json!({"set_cells": [{"x": 2, "y": 0, "content": "Z"}]}),
    });
    settle().await;
    let cell = root
        .query_selector("[data-x='2'][data-y='0']")
        .unwrap()
        .expect("cell (2, 0)");
    assert_eq!(cell.text_content().as_deref(), Some("Z"));
    let host = root
        .query_selector(".tulip-host")
        .unwrap()
        .expect("the host element");
    assert_eq!(host.get_attribute("data-version").as_deref(), Some("2"));

    // Version 4 after 2: a gap. Nothing is applied; the host asks for a refetch.
    dispatch.dispatch(HostAction::Update {
        version: 4,
        update: serde_json::json!({"set_cells": [{"x": 0, "y": 0, "content": "Q"}]}),
    });
    settle().await;
    assert_eq!(host.get_attribute("data-stale").as_deref(), Some("true"));
    assert_eq!(stale.borrow().as_slice(), &[2]);
    let first = root
        .query_selector("[data-x='0'][data-y='0']")
        .unwrap()
        .expect("cell (0, 0)");
    assert_eq!(first.text_content().as_deref(), Some(""));
    handle.destroy();
}
