//! The JS API (`activate` / `handle_event` / `destroy`), called as the host
//! chat app calls it: with plain JS objects.

#![cfg(target_arch = "wasm32")]

mod common;

use common::{fresh_root, settle};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

use tulip_widgets::api::{activate, ActivateOptions, WidgetEvent};

wasm_bindgen_test_configure!(run_in_browser);

fn js(v: &Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).expect("json")
}

fn json_of(v: &JsValue) -> Value {
    serde_json::from_str(
        &js_sys::JSON::stringify(v)
            .expect("stringify")
            .as_string()
            .unwrap(),
    )
    .unwrap()
}

fn set(obj: &JsValue, key: &str, v: &JsValue) {
    js_sys::Reflect::set(obj, &JsValue::from_str(key), v).expect("set");
}

/// An options object whose `post_interaction` and `on_stale` record into
/// the returned arrays.
fn options(
    message_id: i64,
    widget: Value,
    version: u64,
) -> (JsValue, js_sys::Array, js_sys::Array) {
    let o =
        js(&json!({"message_id": message_id, "widget": widget, "version": version, "user_id": 7}));
    let posted = js_sys::Array::new();
    let stale = js_sys::Array::new();
    let push = |a: &js_sys::Array| js_sys::Function::new_with_args("x", "this.push(x)").bind0(a);
    set(&o, "post_interaction", &push(&posted));
    set(&o, "on_stale", &push(&stale));
    (o, posted, stale)
}

fn grid() -> Value {
    json!({"widget_type": "grid", "extra_data": {"width": 3, "height": 3, "on_cell_click": true,
        "cells": [{"x": 0, "y": 0, "content": "X"}]}})
}

fn cell(root: &Element, x: u32, y: u32) -> HtmlElement {
    root.query_selector(&format!("[role=gridcell][data-x='{x}'][data-y='{y}']"))
        .unwrap()
        .expect("the cell")
        .dyn_into()
        .unwrap()
}

fn event(v: Value) -> WidgetEvent {
    js(&v).unchecked_into()
}

#[wasm_bindgen_test]
async fn activate_draws_posts_applies_and_destroys() {
    let root = fresh_root();
    let (o, posted, stale) = options(41, grid(), 5);
    let mut handle =
        activate(root.clone(), o.unchecked_into::<ActivateOptions>()).expect("activate");
    settle().await;
    assert_eq!(cell(&root, 0, 0).text_content().unwrap(), "X");

    // A click is posted with a client_seq.
    cell(&root, 2, 1).click();
    settle().await;
    assert_eq!(posted.length(), 1);
    let p = json_of(&posted.get(0));
    assert_eq!(p["type"], "cell_click");
    assert_eq!((p["x"].clone(), p["y"].clone()), (json!(2), json!(1)));
    assert!(p["client_seq"].as_u64().unwrap() >= 1);

    // The next version applies; another message's event is not ours.
    assert!(handle.handle_event(event(
        json!({"type": "widget_update", "message_id": 41, "version": 6,
        "update": {"set_cells": [{"x": 2, "y": 1, "content": "O"}]}})
    )));
    assert!(!handle.handle_event(event(
        json!({"type": "widget_update", "message_id": 40, "version": 6,
        "update": {"set_cells": [{"x": 1, "y": 1, "content": "Z"}]}})
    )));
    settle().await;
    assert_eq!(cell(&root, 2, 1).text_content().unwrap(), "O");
    assert_eq!(cell(&root, 1, 1).text_content().unwrap(), "");

    // A refusal is shown to the player.
    handle.handle_event(event(json!({"type": "interaction_result", "message_id": 41,
        "client_seq": p["client_seq"], "ok": false, "code": "NOT_YOUR_TURN", "msg": "not your turn"})));
    settle().await;
    let notice = root
        .query_selector("[data-testid=notice]")
        .unwrap()
        .expect("a notice");
    assert_eq!(notice.text_content().unwrap(), "Not your turn");

    // A gap asks for a refetch; the refetched widget replaces it.
    handle.handle_event(event(
        json!({"type": "widget_update", "message_id": 41, "version": 9, "update": {}}),
    ));
    settle().await;
    assert_eq!(json_of(&stale.get(0)), json!(41));
    let host = root.query_selector(".tulip-host").unwrap().unwrap();
    assert_eq!(host.get_attribute("data-stale").as_deref(), Some("true"));
    handle.handle_event(event(
        json!({"type": "widget_replace", "message_id": 41, "version": 9,
        "widget": {"widget_type": "grid", "extra_data": {"width": 2, "height": 1}}}),
    ));
    settle().await;
    assert_eq!(host.get_attribute("data-version").as_deref(), Some("9"));
    assert_eq!(
        root.query_selector_all("[role=gridcell]").unwrap().length(),
        2
    );

    handle.destroy();
    settle().await;
    assert_eq!(
        root.query_selector_all("[role=gridcell]").unwrap().length(),
        0
    );
}

#[wasm_bindgen_test]
async fn prediction_shows_pending_then_rolls_back() {
    let root = fresh_root();
    let w = json!({"widget_type": "grid", "extra_data": {"width": 3, "height": 1, "on_cell_click": true,
        "prediction": {"enabled": true, "cell_click": {"action": "set_content", "value": "X", "style": "pending"}}}});
    let (o, posted, _) = options(7, w, 1);
    let handle = activate(root.clone(), o.unchecked_into::<ActivateOptions>()).expect("activate");
    settle().await;
    cell(&root, 1, 0).click();
    settle().await;
    // At once: the predicted content, marked pending.
    assert_eq!(cell(&root, 1, 0).text_content().unwrap(), "X");
    let seq = json_of(&posted.get(0))["client_seq"].clone();
    handle.handle_event(event(json!({"type": "interaction_result", "message_id": 7,
        "client_seq": seq, "ok": false, "code": "NOT_YOUR_TURN"})));
    settle().await;
    assert_eq!(cell(&root, 1, 0).text_content().unwrap(), "");
    let notice = root
        .query_selector("[data-testid=notice]")
        .unwrap()
        .expect("a notice");
    assert_eq!(
        notice.text_content().unwrap(),
        "Not your turn (move undone)"
    );
}

#[wasm_bindgen_test]
fn bad_options_are_errors_not_panics() {
    let root = fresh_root();
    let no_fn = js(&json!({"message_id": 1, "widget": grid(), "version": 1}));
    assert!(activate(root.clone(), no_fn.unchecked_into()).is_err());
    let (bad, _, _) = options(
        1,
        json!({"widget_type": "grid", "extra_data": {"width": 0}}),
        1,
    );
    assert!(activate(root.clone(), bad.unchecked_into()).is_err());
    let (no_version, _, _) = options(1, grid(), 1);
    set(&no_version, "version", &JsValue::from_str("one"));
    assert!(activate(root, no_version.unchecked_into()).is_err());
}
