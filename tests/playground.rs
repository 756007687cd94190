//! Browser tests of the playground page: errors with their paths as you
//! type, every seat's view, interaction verdicts and the update box.

#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use serde_json::json;
use tulip_widgets::playground::{PlaygroundPage, PlaygroundProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlTextAreaElement};
use yew::AppHandle;

mod common;

use common::{fresh_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

/// A grid where alice and bob each own a hidden cell; one cell is public;
/// alice moves first and turns are enforced.
fn secrets() -> serde_json::Value {
    json!({"widget_type": "grid", "extra_data": {
        "width": 3, "height": 2, "on_cell_click": true,
        "players": {"list": [{"id": "alice"}, {"id": "bob"}]},
        "turn": {"current_player": "alice", "order": ["alice", "bob"], "enforce": true},
        "cells": [
            {"x": 0, "y": 0, "content": "ASECRET", "owner": "alice", "hidden_for_others": true},
            {"x": 1, "y": 0, "content": "BSECRET", "owner": "bob", "hidden_for_others": true},
            {"x": 2, "y": 1, "content": "PUBLIC"}
        ]
    }})
}

struct Page {
    root: Element,
    handle: AppHandle<PlaygroundPage>,
}

impl Page {
    async fn new(initial: serde_json::Value) -> Page {
        let root = fresh_root();
        let props = PlaygroundProps {
            initial: Some(serde_json::to_string_pretty(&initial).unwrap().into()),
        };
        let handle =
            yew::Renderer::<PlaygroundPage>::with_root_and_props(root.clone(), props).render();
        settle().await;
        Page { root, handle }
    }

    fn one(&self, css: &str) -> Element {
        self.root
            .query_selector(css)
            .expect("valid selector")
            .unwrap_or_else(|| panic!("no element matches {css}"))
    }

    fn all(&self, css: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(css).expect("valid selector");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .collect()
    }

    fn text(&self, css: &str) -> String {
        self.one(css).text_content().unwrap_or_default()
    }

    fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.one(css).get_attribute(name)
    }

    /// Types `text` into the textarea `css` (sets it whole, fires `input`).
    fn type_into(&self, css: &str, text: &str) {
        let ta: HtmlTextAreaElement = self.one(css).dyn_into().expect("a textarea");
        ta.set_value(text);
        let init = EventInit::new();
        init.set_bubbles(true);
        let e = Event::new_with_event_init_dict("input", &init).expect("event");
        ta.dispatch_event(&e).expect("dispatch");
    }

    async fn click(&self, css: &str) {
        self.one(css)
            .dyn_into::<HtmlElement>()
            .expect("an HTML element")
            .click();
        settle().await;
    }

    /// The drawn widget of a seat (`[data-seat=..]` or `[data-user-id=..]`).
    fn seat_view(&self, seat: &str) -> String {
        self.text(&format!("[data-testid=seat]{seat} [data-testid=seat-view]"))
    }

    fn seat_json(&self, seat: &str) -> String {
        self.text(&format!(
            "[data-testid=seat]{seat} [data-testid=seat-json] pre"
        ))
    }

    async fn destroy(self) {
        self.handle.destroy();
        settle().await;
        self.root.remove();
    }
}

/// Waits out the editor's debounce.
async fn after_debounce() {
    yew::platform::time::sleep(Duration::from_millis(
        tulip_widgets::playground::DEBOUNCE_MS + 150,
    ))
    .await;
}

#[wasm_bindgen_test]
async fn typing_an_invalid_payload_lists_every_error_with_its_path() {
    let page = Page::new(secrets()).await;
    assert_eq!(
        page.attr("[data-testid=playground-status]", "data-valid")
            .as_deref(),
        Some("true")
    );
    let mut bad = secrets();
    bad["extra_data"]["cells"][1]["x"] = json!(7);
    bad["extra_data"]["cells"][2]["y"] = json!(9);
    page.type_into("[data-testid=playground-editor]", &bad.to_string());
    after_debounce().await;
    let status = "[data-testid=playground-status]";
    assert_eq!(page.attr(status, "data-checked").as_deref(), Some("true"));
    assert_eq!(page.attr(status, "data-valid").as_deref(), Some("false"));
    assert_eq!(
        page.one(status).get_attribute("role").as_deref(),
        Some("status")
    );
    let errors: Vec<(String, String)> = page
        .all("[data-testid=playground-errors] [data-testid=error]")
        .iter()
        .map(|e| {
            (
                e.get_attribute("data-code").unwrap_or_default(),
                e.get_attribute("data-path").unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("OUT_OF_RANGE".to_owned(), "extra_data.cells[1]".to_owned()),
            ("OUT_OF_RANGE".to_owned(), "extra_data.cells[2]".to_owned())
        ]
    );
    let shown = page.text("[data-testid=playground-errors]");
    assert!(
        shown.contains("extra_data.cells[2]") && shown.contains("OUT_OF_RANGE"),
        "{shown}"
    );

    // A colour that is not one, with the path of the field.
    let mut bad = secrets();
    bad["extra_data"]["cells"][2]["bg"] = json!("javascript:alert(1)");
    page.type_into("[data-testid=playground-editor]", &bad.to_string());
    after_debounce().await;
    let err = page.one("[data-testid=playground-errors] [data-testid=error]");
    assert_eq!(
        err.get_attribute("data-code").as_deref(),
        Some("INVALID_COLOR")
    );
    assert_eq!(
        err.get_attribute("data-path").as_deref(),
        Some("extra_data.cells[2].bg")
    );
    let shown = page.text("[data-testid=playground-errors]");
    assert!(shown.contains("extra_data.cells[2].bg"), "{shown}");
    // The last valid views stay, marked as such.
    assert_eq!(page.all(".tulip-playground__seat--stale").len(), 4);

    // Fixing it clears the errors.
    page.type_into("[data-testid=playground-editor]", &secrets().to_string());
    after_debounce().await;
    assert_eq!(page.attr(status, "data-valid").as_deref(), Some("true"));
    assert!(page.all("[data-testid=error]").is_empty());
    assert!(page.all(".tulip-playground__seat--stale").is_empty());
    page.destroy().await;
}

#[wasm_bindgen_test]
async fn each_seat_shows_what_it_may_see_and_the_spectator_no_secret() {
    let page = Page::new(secrets()).await;
    let seats: Vec<(String, String)> = page
        .all("[data-testid=seat]")
        .iter()
        .map(|s| {
            (
                s.get_attribute("data-seat").unwrap_or_default(),
                s.get_attribute("data-user-id").unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        seats,
        [
            ("bot".to_owned(), String::new()),
            ("user".to_owned(), "alice".to_owned()),
            ("user".to_owned(), "bob".to_owned()),
            ("spectator".to_owned(), "spectator".to_owned()),
        ]
    );
    let bot = page.seat_view("[data-seat=bot]");
    assert!(
        bot.contains("ASECRET") && bot.contains("BSECRET") && bot.contains("PUBLIC"),
        "{bot}"
    );
    let alice = page.seat_view("[data-user-id=alice]");
    assert!(
        alice.contains("ASECRET") && !alice.contains("BSECRET") && alice.contains("PUBLIC"),
        "{alice}"
    );
    let bob = page.seat_view("[data-user-id=bob]");
    assert!(
        !bob.contains("ASECRET") && bob.contains("BSECRET") && bob.contains("PUBLIC"),
        "{bob}"
    );
    let spectator = page.seat_view("[data-seat=spectator]");
    assert!(
        !spectator.contains("SECRET") && spectator.contains("PUBLIC"),
        "{spectator}"
    );
    // Nothing of a secret in the spectator's resolved JSON either.
    let json = page.seat_json("[data-seat=spectator]");
    assert!(
        json.contains("PUBLIC") && !json.contains("SECRET"),
        "{json}"
    );
    assert!(page.seat_json("[data-seat=bot]").contains("BSECRET"));
    // Each column is named.
    assert!(page
        .text("[data-testid=seat][data-user-id=bob] h3")
        .contains("bob"));
    page.destroy().await;
}

#[wasm_bindgen_test]
async fn hidden_cards_turn_face_down_for_everyone_but_their_owner() {
    let page = Page::new(json!({"widget_type": "cards", "extra_data": {
        "cards": [
            {"id": "a1", "face": "QUEENOFALICE", "owner": "alice", "hidden_for_others": true},
            {"id": "t", "face": "TABLECARD"}
        ]
    }}))
    .await;
    let alice = page.seat_json("[data-user-id=alice]");
    assert!(
        alice.contains("QUEENOFALICE") && alice.contains("TABLECARD"),
        "{alice}"
    );
    let spectator = page.seat_json("[data-seat=spectator]");
    assert!(
        !spectator.contains("QUEENOFALICE") && spectator.contains("\"facedown\": true"),
        "{spectator}"
    );
    page.destroy().await;
}

#[wasm_bindgen_test]
async fn a_click_in_a_seat_shows_whether_the_server_would_accept_it() {
    let page = Page::new(secrets()).await;
    // Bob clicks while it is alice's turn.
    page.click("[data-user-id=bob] [role=gridcell][data-x=\"2\"][data-y=\"0\"]")
        .await;
    let verdict = "[data-user-id=bob] [data-testid=seat-verdict]";
    assert_eq!(page.attr(verdict, "data-ok").as_deref(), Some("false"));
    assert!(
        page.text(verdict).contains("NOT_YOUR_TURN"),
        "{}",
        page.text(verdict)
    );
    assert!(page.text(verdict).contains("cell_click"));
    page.click("[data-user-id=alice] [role=gridcell][data-x=\"2\"][data-y=\"0\"]")
        .await;
    assert_eq!(
        page.attr("[data-user-id=alice] [data-testid=seat-verdict]", "data-ok")
            .as_deref(),
        Some("true")
    );
    page.destroy().await;
}

#[wasm_bindgen_test]
async fn an_update_shows_what_each_seat_receives() {
    let page = Page::new(secrets()).await;
    page.type_into(
        "[data-testid=playground-update]",
        r#"{"set_cells": [{"x": 0, "y": 1, "content": "NEWBOB", "owner": "bob", "hidden_for_others": true}]}"#,
    );
    settle().await;
    page.click("[data-testid=playground-apply]").await;
    assert!(page.all("[data-testid=playground-applied]").len() == 1);
    let received = |seat: &str| {
        page.text(&format!(
            "[data-testid=seat]{seat} [data-testid=seat-received] pre"
        ))
    };
    assert!(received("[data-user-id=bob]").contains("NEWBOB"));
    assert!(!received("[data-user-id=alice]").contains("NEWBOB"));
    assert!(!received("[data-seat=spectator]").contains("NEWBOB"));
    assert!(page.seat_view("[data-user-id=bob]").contains("NEWBOB"));
    assert!(!page.seat_view("[data-user-id=alice]").contains("NEWBOB"));
    let editor: HtmlTextAreaElement = page
        .one("[data-testid=playground-editor]")
        .dyn_into()
        .unwrap();
    assert!(
        editor.value().contains("NEWBOB"),
        "the editor holds the new widget"
    );

    // A bad update is refused with its path, and changes nothing.
    page.type_into(
        "[data-testid=playground-update]",
        r#"{"set_cells": [{"x": 0, "y": 0, "bg": "url(x)"}]}"#,
    );
    settle().await;
    page.click("[data-testid=playground-apply]").await;
    let err = page.one("[data-testid=playground-update-errors] [data-testid=error]");
    assert_eq!(
        err.get_attribute("data-path").as_deref(),
        Some("update.set_cells[0].bg")
    );
    assert!(editor.value().contains("NEWBOB"));
    page.destroy().await;
}
