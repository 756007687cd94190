//! Hostile inputs: each is rejected with the right code and JSON path.

use serde_json::{json, Value};
use tulip_core::*;

fn first_error(text: &str) -> (String, String) {
    match parse_widget(text, &Policy::default()) {
        Ok(_) => ("ACCEPTED".into(), String::new()),
        Err(e) => {
            let f = e.first().expect("errors are never empty");
            (f.code.as_str().to_owned(), f.path.clone())
        }
    }
}

fn sprite_with_image(url: &str) -> String {
    json!({"widget_type": "canvas", "extra_data": {"width": 10, "height": 10,
        "sprites": [{"id": "a", "image": url, "x": 0, "y": 0}]}})
    .to_string()
}

fn cell_with_bg(bg: &str) -> String {
    json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 2, "cells": [{"x": 0, "y": 0, "bg": bg}]}}).to_string()
}

#[test]
fn hostile_urls() {
    let urls = [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "java\rscript:alert(1)",
        "\u{0001}javascript:alert(1)",
        " javascript:alert(1)",
        "javascript :alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6a;avascript:alert(1)",
        "&#0000106;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "javascript&#58;alert(1)",
        "%6A%61%76%61%73%63%72%69%70%74:alert(1)",
        "javascript%3Aalert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
        "data:image/png;base64,<script>",
        "//evil.example/a.png",
        "/\\evil.example/a.png",
        "\\\\evil.example\\a.png",
        "https://evil.example/\"><script>",
        "https://evil.example/a.png' onerror='alert(1)",
        "file:///etc/passwd",
        "ftp://example.com/a.png",
        "blob:https://example.com/uuid",
        "about:blank",
        "http://example.com/a.png",
        "",
    ];
    for url in urls {
        assert_eq!(
            first_error(&sprite_with_image(url)),
            ("INVALID_URL".into(), "extra_data.sprites[0].image".into()),
            "{url:?}"
        );
    }
    // A data URL over 256 KiB.
    let big = format!("data:image/png;base64,{}", "A".repeat(256 * 1024 + 4));
    assert_eq!(first_error(&sprite_with_image(&big)).0, "INVALID_URL");
    // The same checks on sounds, portraits and card images.
    let cases = [
        (
            json!({"widget_type": "hud", "extra_data": {"sounds": {"boom": "javascript:alert(1)"}}}),
            "extra_data.sounds.boom",
        ),
        (
            json!({"widget_type": "dialog", "extra_data": {"speaker": {"portrait": "JAVASCRIPT:x"}}}),
            "extra_data.speaker.portrait",
        ),
        (
            json!({"widget_type": "cards", "extra_data": {"cards": [{"id": "a"}, {"id": "b", "image": "j\tavascript:x"}]}}),
            "extra_data.cards[1].image",
        ),
        (
            json!({"widget_type": "hud", "extra_data": {"sounds": {"a": "data:image/png;base64,AAAA"}}}),
            "extra_data.sounds.a",
        ),
        (
            json!({"widget_type": "inventory", "extra_data": {"rows": 1, "cols": 1, "items": [{"slot": 0, "image": "vbscript:x"}]}}),
            "extra_data.items[0].image",
        ),
    ];
    for (w, path) in cases {
        assert_eq!(
            first_error(&w.to_string()),
            ("INVALID_URL".into(), path.into()),
            "{w}"
        );
    }
}

#[test]
fn accepted_urls_are_reserialized() {
    let w = parse_widget(
        &sprite_with_image("HTTPS://Example.COM/a.png"),
        &Policy::default(),
    )
    .unwrap();
    let v = serde_json::to_value(&w).unwrap();
    assert_eq!(
        v["extra_data"]["sprites"][0]["image"],
        "https://example.com/a.png"
    );
    // http only where the server allows it.
    let http = sprite_with_image("http://example.com/a.png");
    assert!(parse_widget(&http, &Policy { allow_http: true }).is_ok());
}

#[test]
fn hostile_colours() {
    for bg in [
        "red;background:url(x)",
        "red; background-image: url(javascript:alert(1))",
        "url(x)",
        "expression(alert(1))",
        "var(--x)",
        "rgb(0,0,0);x:y",
        "rgb(0 0 0) url(x)",
        "#fff;",
        "#ffff0",
        "redd",
        "red\u{0}",
        "\"red\"",
        "inherit",
        "currentColor",
        "calc(1)",
        "rgb(calc(1),0,0)",
        "",
    ] {
        assert_eq!(
            first_error(&cell_with_bg(bg)),
            ("INVALID_COLOR".into(), "extra_data.cells[0].bg".into()),
            "{bg:?}"
        );
    }
}

fn nested_composite(depth: usize) -> Value {
    let mut w = json!({"id": "leaf", "type": "hud"});
    for i in 0..depth.saturating_sub(1) {
        w = json!({"id": format!("c{i}"), "type": "composite", "widgets": [w]});
    }
    json!({"widget_type": "composite", "extra_data": {"widgets": [w]}})
}

#[test]
fn sizes_depth_and_counts() {
    let long = "x".repeat(10_001);
    let sprites: Vec<Value> = (0..4001)
        .map(|i| json!({"id": format!("s{i}"), "emoji": "a", "x": 0, "y": 0}))
        .collect();
    let cards: Vec<Value> = (0..501).map(|i| json!({"id": format!("c{i}")})).collect();
    let children: Vec<Value> = (0..17)
        .map(|i| json!({"id": format!("h{i}"), "type": "hud"}))
        .collect();
    let lines: Vec<Value> = (0..10_001).map(|_| json!({"text": ""})).collect();
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"widget_type": "grid", "extra_data": {"width": 257, "height": 1}}),
            "OUT_OF_RANGE",
            "extra_data.width",
        ),
        (
            json!({"widget_type": "grid", "extra_data": {"width": 0, "height": 1}}),
            "OUT_OF_RANGE",
            "extra_data.width",
        ),
        (
            json!({"widget_type": "grid", "extra_data": {"width": -1, "height": 1}}),
            "OUT_OF_RANGE",
            "extra_data.width",
        ),
        (
            json!({"widget_type": "grid", "extra_data": {"width": 1e10, "height": 1}}),
            "INVALID_TYPE",
            "extra_data.width",
        ),
        (
            json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 2, "cells": [{"x": 2, "y": 0}]}}),
            "OUT_OF_RANGE",
            "extra_data.cells[0]",
        ),
        (
            json!({"widget_type": "map", "extra_data": {"width": 1025, "height": 1}}),
            "OUT_OF_RANGE",
            "extra_data.width",
        ),
        (
            json!({"widget_type": "canvas", "extra_data": {"width": 10, "height": 10, "sprites": sprites}}),
            "TOO_MANY",
            "extra_data.sprites",
        ),
        (
            json!({"widget_type": "cards", "extra_data": {"cards": cards}}),
            "TOO_MANY",
            "extra_data.cards",
        ),
        (
            nested_composite(5),
            "TOO_DEEP",
            "extra_data.widgets[0].widgets[0].widgets[0].widgets[0]",
        ),
        (
            json!({"widget_type": "composite", "extra_data": {"widgets": children}}),
            "TOO_MANY",
            "extra_data.widgets",
        ),
        (
            json!({"widget_type": "dialog", "extra_data": {"text": long}}),
            "STRING_TOO_LONG",
            "extra_data.text",
        ),
        (
            json!({"widget_type": "terminal", "extra_data": {"lines": lines}}),
            "TOO_MANY",
            "extra_data.lines",
        ),
        (
            json!({"widget_type": "grid", "extra_data": {"width": 1, "height": 1, "cells": [{"x": 0, "y": 0, "owner": ""}]}}),
            "INVALID_TYPE",
            "extra_data.cells[0].owner",
        ),
        (
            json!({"widget_type": "grid", "extra_data": {"width": 1, "height": 1, "cells": [{"x": 0, "y": 0}, {"x": 0, "y": 0}]}}),
            "DUPLICATE_ID",
            "extra_data.cells[1]",
        ),
        (
            json!({"widget_type": "grid", "extra_data": {"width": 1, "height": 1, "cels": []}}),
            "UNKNOWN_FIELD",
            "extra_data.cels",
        ),
        (
            json!({"widget_type": "grid", "extra_data": {"width": "1", "height": 1}}),
            "INVALID_TYPE",
            "extra_data.width",
        ),
        (
            json!({"widget_type": "hud", "extra_data": {"timer": {"seconds": 1e9}}}),
            "OUT_OF_RANGE",
            "extra_data.timer.seconds",
        ),
        (
            json!({"widget_type": "hud", "extra_data": {"play": "nope"}}),
            "UNKNOWN_ID",
            "extra_data.play",
        ),
        (
            json!({"widget_type": "hud", "extra_data": {"id": "x"}}),
            "NOT_ALLOWED_HERE",
            "extra_data.id",
        ),
        (
            json!({"widget_type": "composite", "extra_data": {"widgets": [{"type": "hud"}]}}),
            "INVALID_TYPE",
            "extra_data.widgets[0].id",
        ),
        (
            json!({"widget_type": "composite", "extra_data": {"widgets": [{"id": "a", "type": "hud", "bogus": 1}]}}),
            "UNKNOWN_FIELD",
            "extra_data.widgets[0].bogus",
        ),
        (
            json!({"widget_type": "composite", "extra_data": {"widgets": [{"id": "a", "type": "grid", "width": 1, "height": 1, "cells": [{"x": 0, "y": 0, "bg": "url(x)"}]}]}}),
            "INVALID_COLOR",
            "extra_data.widgets[0].cells[0].bg",
        ),
        (
            json!({"widget_type": "composite", "extra_data": {"widgets": [{"id": "a", "type": "hud"}, {"id": "a", "type": "hud"}]}}),
            "DUPLICATE_ID",
            "extra_data.widgets[1].id",
        ),
    ];
    for (w, code, path) in cases {
        let text = w.to_string();
        assert_eq!(
            first_error(&text),
            (code.into(), path.into()),
            "{}",
            &text[..text.len().min(200)]
        );
    }
}

#[test]
fn garbage_text() {
    assert_eq!(first_error("not json").0, "INVALID_JSON");
    assert_eq!(first_error("").0, "INVALID_JSON");
    assert_eq!(first_error("{\"widget_type\": \"grid\"").0, "INVALID_JSON");
    assert_eq!(
        first_error(&format!("{}1{}", "[".repeat(200), "]".repeat(200))).0,
        "TOO_DEEP"
    );
    let huge = format!(
        "{{\"widget_type\":\"dialog\",\"extra_data\":{{\"text\":\"{}\"}}}}",
        "a".repeat(1024 * 1024)
    );
    assert_eq!(first_error(&huge), ("TOO_LARGE".into(), String::new()));
    assert_eq!(first_error("[1]").0, "INVALID_TYPE");
    assert_eq!(
        first_error("{\"widget_type\": 5, \"extra_data\": {}}"),
        ("INVALID_TYPE".into(), "widget_type".into())
    );
}

#[test]
fn hostile_updates_change_nothing() {
    let policy = Policy::default();
    let w = parse_widget(
        &json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 2, "cells": [{"x": 0, "y": 0, "content": "a"}]}}).to_string(),
        &policy,
    )
    .unwrap();
    let cases = [
        (
            json!({"set_cells": [{"x": 1, "y": 1, "content": "ok"}, {"x": 0, "y": 0, "bg": "red;x"}]}),
            "INVALID_COLOR",
            "update.set_cells[1].bg",
        ),
        (
            json!({"set_cells": [{"x": 5, "y": 1}]}),
            "OUT_OF_RANGE",
            "update.set_cells[0]",
        ),
        (
            json!({"add_sprites": []}),
            "INVALID_UPDATE",
            "update.add_sprites",
        ),
        (json!({"bogus_op": []}), "UNKNOWN_FIELD", "update.bogus_op"),
        (
            json!({"views": {"u1": {"views": {}}}}),
            "NOT_ALLOWED_HERE",
            "update.views.u1.views",
        ),
        (
            json!({"set_timer": {"seconds": -1}}),
            "OUT_OF_RANGE",
            "update.set_timer.seconds",
        ),
        (
            json!({"set_cells": [{"x": 1, "y": 1, "content": "x".repeat(10_001)}]}),
            "STRING_TOO_LONG",
            "update.set_cells[0].content",
        ),
        (json!([]), "INVALID_TYPE", "update"),
    ];
    for (u, code, path) in cases {
        let r = parse_update(&w.body, u.clone()).and_then(|u| apply_update(&w, &u, &policy));
        let e = r.expect_err(&u.to_string());
        let f = e.first().unwrap();
        assert_eq!((f.code.as_str(), f.path.as_str()), (code, path), "{u}");
    }
}
