//! Browser test of the benchmark page: a short run (few updates) mounts the
//! real renderer and the baseline and produces every figure and verdict.
//! The figures themselves are not judged here (that would be a timed test);
//! scripts/bench-browser.sh prints them from a release build.

#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use tulip_widgets::bench::{BenchPage, BenchProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

mod common;

use common::{fresh_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_short_run_produces_every_figure_and_verdict() {
    let root = fresh_root();
    let props = BenchProps {
        iterations: 3,
        warmup: 1,
        mounts: 2,
        canvas: false,
    };
    let handle = yew::Renderer::<BenchPage>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let one = |css: &str| root.query_selector(css).unwrap();
    let section = one("[data-testid=bench-grid]").expect("the grid section");
    assert_eq!(section.get_attribute("data-state").as_deref(), Some("idle"));
    one("[data-testid=bench-run-grid]")
        .expect("a run button")
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    settle().await;
    assert_eq!(
        section.get_attribute("data-state").as_deref(),
        Some("running")
    );
    // Wait for the end (not a timed assertion: generous, debug build).
    for _ in 0..1200 {
        if section.get_attribute("data-state").as_deref() != Some("running") {
            break;
        }
        yew::platform::time::sleep(Duration::from_millis(100)).await;
    }
    let state = section.get_attribute("data-state");
    let error = one("[data-testid=bench-error]").and_then(|e| e.text_content());
    assert_eq!(state.as_deref(), Some("done"), "error: {error:?}");

    let outputs = root
        .query_selector_all("[data-testid=bench-result]")
        .unwrap();
    let mut figures = Vec::new();
    for i in 0..outputs.length() {
        let e: web_sys::Element = outputs.item(i).unwrap().dyn_into().unwrap();
        figures.push((
            e.get_attribute("data-name").unwrap_or_default(),
            e.get_attribute("data-value").unwrap_or_default(),
        ));
    }
    for name in [
        "grid_first_render_ms",
        "grid_update_p50_ms",
        "grid_update_p95_ms",
        "baseline_first_render_ms",
        "baseline_update_p50_ms",
        "baseline_update_p95_ms",
        "update_ratio_p95",
    ] {
        let value = figures
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no {name} in {figures:?}"));
        let v: f64 = value.1.parse().unwrap_or_else(|_| panic!("{value:?}"));
        assert!(v >= 0.0, "{value:?}");
    }
    // Real work was timed: a first render of 10,000 cells is not free.
    let first: f64 = figures
        .iter()
        .find(|(n, _)| n == "grid_first_render_ms")
        .map(|(_, v)| v.parse().unwrap())
        .unwrap();
    assert!(first > 0.0);
    let goals = root.query_selector_all("[data-testid=bench-goal]").unwrap();
    assert_eq!(goals.length(), 3);
    // The measured grids are gone again.
    assert_eq!(
        root.query_selector_all(".tulip-bench__container")
            .unwrap()
            .length(),
        0
    );
    handle.destroy();
    settle().await;
    root.remove();
}
