//! Interaction checks: well-formed for the widget, and allowed for the user.

use serde_json::{json, Value};
use tulip_core::*;

fn check(widget: &Value, user: &str, interaction: Value) -> &'static str {
    let w =
        parse_widget_value(widget.clone(), &Policy::default()).expect("fixture widget is valid");
    let it = match parse_interaction(interaction) {
        Ok(it) => it,
        Err(e) => return e.code.as_str(),
    };
    match check_interaction(&w, &UserId::new(user), &it) {
        Ok(()) => "ok",
        Err(e) => e.code.as_str(),
    }
}

fn board() -> Value {
    json!({"widget_type": "grid", "extra_data": {
    "width": 3, "height": 3, "on_cell_click": true,
    "players": {"list": [{"id": "alice"}, {"id": "bob"}, {"id": "sam", "role": "spectator"}]},
    "turn": {"current_player": "alice", "enforce": true},
    "interaction_rules": {"default": "all", "carol": "none"},
    "cells": [
        {"x": 0, "y": 0, "content": "A", "owner": "alice"},
        {"x": 1, "y": 0, "content": "locked", "clickable_by": ["bob"]},
        {"x": 2, "y": 2, "content": "secret", "owner": "bob", "hidden_for_others": true}
    ]}})
}

#[test]
fn grid_rules() {
    let b = board();
    assert_eq!(
        check(&b, "alice", json!({"type": "cell_click", "x": 1, "y": 1})),
        "ok"
    );
    assert_eq!(
        check(&b, "bob", json!({"type": "cell_click", "x": 1, "y": 1})),
        "NOT_YOUR_TURN"
    );
    assert_eq!(
        check(&b, "sam", json!({"type": "cell_click", "x": 1, "y": 1})),
        "NOT_ALLOWED"
    );
    assert_eq!(
        check(&b, "mallory", json!({"type": "cell_click", "x": 1, "y": 1})),
        "NOT_ALLOWED"
    );
    assert_eq!(
        check(&b, "alice", json!({"type": "cell_click", "x": 3, "y": 0})),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(&b, "alice", json!({"type": "cell_click", "x": 1, "y": 0})),
        "NOT_ALLOWED"
    );
    assert_eq!(
        check(&b, "alice", json!({"type": "card_click", "id": "x"})),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(&b, "alice", json!({"type": "cell_click", "x": 1})),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(
            &b,
            "alice",
            json!({"type": "cell_click", "x": 1, "y": 1, "extra": 1})
        ),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(&b, "alice", json!({"type": "nope"})),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(&b, "alice", json!("cell_click")),
        "INVALID_INTERACTION"
    );
    // A hidden cell the user cannot see behaves as an empty cell: clicking it
    // reveals nothing about it.
    assert_eq!(
        check(&b, "alice", json!({"type": "cell_click", "x": 2, "y": 2})),
        "ok"
    );
    let mut off = board();
    off["extra_data"]["on_cell_click"] = json!(false);
    assert_eq!(
        check(&off, "alice", json!({"type": "cell_click", "x": 1, "y": 1})),
        "INVALID_INTERACTION"
    );
}

#[test]
fn rules_none_and_owned() {
    let w = json!({"widget_type": "cards", "extra_data": {"on_card_click": true, "selectable": true, "max_select": 2,
        "interaction_rules": {"default": "owned", "carol": "none", "dealer": "all"},
        "cards": [{"id": "a1", "owner": "alice"}, {"id": "b1", "owner": "bob", "hidden_for_others": true}, {"id": "t"}]}});
    assert_eq!(
        check(&w, "alice", json!({"type": "card_click", "id": "a1"})),
        "ok"
    );
    assert_eq!(
        check(&w, "alice", json!({"type": "card_click", "id": "b1"})),
        "NOT_ALLOWED"
    );
    assert_eq!(
        check(&w, "alice", json!({"type": "card_click", "id": "t"})),
        "NOT_ALLOWED"
    );
    assert_eq!(
        check(&w, "dealer", json!({"type": "card_click", "id": "t"})),
        "ok"
    );
    assert_eq!(
        check(&w, "carol", json!({"type": "card_click", "id": "t"})),
        "NOT_ALLOWED"
    );
    assert_eq!(
        check(&w, "alice", json!({"type": "card_click", "id": "zz"})),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(&w, "alice", json!({"type": "card_select", "ids": ["a1"]})),
        "ok"
    );
    assert_eq!(
        check(
            &w,
            "alice",
            json!({"type": "card_select", "ids": ["a1", "b1"]})
        ),
        "NOT_ALLOWED"
    );
    assert_eq!(
        check(
            &w,
            "alice",
            json!({"type": "card_select", "ids": ["a1", "b1", "t"]})
        ),
        "INVALID_INTERACTION"
    );
}

#[test]
fn hidden_elements_cannot_be_probed() {
    let w = json!({"widget_type": "canvas", "extra_data": {"width": 100, "height": 100, "on_sprite_click": true, "on_canvas_click": true,
        "sprites": [{"id": "mine", "emoji": "m", "x": 1, "y": 1, "owner": "bob", "hidden_for_others": true}]}});
    // Same answer as for an id that does not exist.
    assert_eq!(
        check(&w, "alice", json!({"type": "sprite_click", "id": "mine"})),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(
            &w,
            "alice",
            json!({"type": "sprite_click", "id": "nothing"})
        ),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(&w, "bob", json!({"type": "sprite_click", "id": "mine"})),
        "ok"
    );
    assert_eq!(
        check(
            &w,
            "bob",
            json!({"type": "canvas_click", "x": 50.5, "y": 3})
        ),
        "ok"
    );
    assert_eq!(
        check(&w, "bob", json!({"type": "canvas_click", "x": 500, "y": 3})),
        "INVALID_INTERACTION"
    );
}

#[test]
fn every_kind_takes_its_own_interactions() {
    let cases: Vec<(Value, Value)> = vec![
        (
            json!({"widget_type": "dialog", "extra_data": {"text": "?", "choices": [{"id": "yes", "text": "Yes"}]}}),
            json!({"type": "dialog_choice", "id": "yes"}),
        ),
        (
            json!({"widget_type": "terminal", "extra_data": {"input": {"enabled": true}}}),
            json!({"type": "terminal_input", "text": "look"}),
        ),
        (
            json!({"widget_type": "leaderboard", "extra_data": {"page": 1, "total_pages": 2, "on_page_change": true}}),
            json!({"type": "page_change", "page": 2}),
        ),
        (
            json!({"widget_type": "inventory", "extra_data": {"rows": 1, "cols": 2, "on_item_click": true, "items": [{"slot": 0, "icon": "x"}]}}),
            json!({"type": "item_click", "slot": 0}),
        ),
        (
            json!({"widget_type": "inventory", "extra_data": {"rows": 1, "cols": 2, "on_item_drag": true, "items": [{"slot": 0, "icon": "x"}]}}),
            json!({"type": "item_drag", "from_slot": 0, "to_slot": 1}),
        ),
        (
            json!({"widget_type": "map", "extra_data": {"width": 4, "height": 4, "on_tile_click": true}}),
            json!({"type": "tile_click", "x": 3, "y": 3}),
        ),
        (
            json!({"widget_type": "map", "extra_data": {"width": 4, "height": 4, "on_marker_click": true, "markers": [{"id": "m", "x": 0, "y": 0}]}}),
            json!({"type": "marker_click", "id": "m"}),
        ),
        (
            json!({"widget_type": "interactive", "extra_data": {"components": [{"label": "Go", "action": "go"}]}}),
            json!({"type": "button_click", "action": "go"}),
        ),
        (
            json!({"widget_type": "hud", "extra_data": {"keyboard": {"enabled": true, "bindings": {"ArrowUp": "up"}}}}),
            json!({"type": "keypress", "action": "up"}),
        ),
        (
            json!({"widget_type": "lobby", "extra_data": {"game": "g", "host": "alice", "players": []}}),
            json!({"type": "lobby_join"}),
        ),
    ];
    for (w, it) in cases {
        assert_eq!(check(&w, "alice", it.clone()), "ok", "{it}");
        // ... and a malformed variant is refused.
        let mut bad = it.clone();
        bad["type"] = json!("cell_click");
        assert_eq!(check(&w, "alice", bad), "INVALID_INTERACTION", "{it}");
    }
    let disabled = json!({"widget_type": "interactive", "extra_data": {"components": [{"label": "Go", "action": "go", "disabled": true}]}});
    assert_eq!(
        check(
            &disabled,
            "alice",
            json!({"type": "button_click", "action": "go"})
        ),
        "INVALID_INTERACTION"
    );
    let unbound = json!({"widget_type": "hud", "extra_data": {"keyboard": {"enabled": true, "bindings": {"ArrowUp": "up"}}}});
    assert_eq!(
        check(
            &unbound,
            "alice",
            json!({"type": "keypress", "action": "down"})
        ),
        "INVALID_INTERACTION"
    );
}

#[test]
fn lobby_host_rules() {
    let l = json!({"widget_type": "lobby", "extra_data": {"game": "tictactoe", "host": "alice", "max_players": 2,
        "players": [{"id": "alice", "ready": true}],
        "settings": {"size": {"value": 3, "options": [3, 4]}}}});
    assert_eq!(check(&l, "bob", json!({"type": "lobby_join"})), "ok");
    assert_eq!(
        check(&l, "alice", json!({"type": "lobby_join"})),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(&l, "bob", json!({"type": "lobby_ready", "ready": true})),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(&l, "alice", json!({"type": "lobby_ready", "ready": false})),
        "ok"
    );
    assert_eq!(
        check(&l, "bob", json!({"type": "lobby_start"})),
        "NOT_ALLOWED"
    );
    assert_eq!(check(&l, "alice", json!({"type": "lobby_start"})), "ok");
    assert_eq!(
        check(
            &l,
            "alice",
            json!({"type": "lobby_setting", "key": "size", "value": 4})
        ),
        "ok"
    );
    assert_eq!(
        check(
            &l,
            "alice",
            json!({"type": "lobby_setting", "key": "size", "value": 5})
        ),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(
            &l,
            "bob",
            json!({"type": "lobby_setting", "key": "size", "value": 4})
        ),
        "NOT_ALLOWED"
    );
    let mut full = l.clone();
    full["extra_data"]["players"] = json!([{"id": "alice"}, {"id": "bob"}]);
    assert_eq!(
        check(&full, "carol", json!({"type": "lobby_join"})),
        "NOT_ALLOWED"
    );
}

#[test]
fn composite_children() {
    let w = json!({"widget_type": "composite", "extra_data": {
    "turn": {"current_player": "alice", "enforce": true},
    "widgets": [
        {"id": "board", "type": "grid", "width": 2, "height": 2, "on_cell_click": true},
        {"id": "buttons", "type": "interactive", "components": [{"label": "Attack", "action": "attack"}]}
    ]}});
    assert_eq!(
        check(
            &w,
            "alice",
            json!({"type": "button_click", "action": "attack", "child": "buttons"})
        ),
        "ok"
    );
    assert_eq!(
        check(
            &w,
            "alice",
            json!({"type": "cell_click", "x": 0, "y": 0, "child": "board"})
        ),
        "ok"
    );
    assert_eq!(
        check(
            &w,
            "bob",
            json!({"type": "cell_click", "x": 0, "y": 0, "child": "board"})
        ),
        "NOT_YOUR_TURN"
    );
    assert_eq!(
        check(&w, "alice", json!({"type": "cell_click", "x": 0, "y": 0})),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(
            &w,
            "alice",
            json!({"type": "cell_click", "x": 0, "y": 0, "child": "buttons"})
        ),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(
            &w,
            "alice",
            json!({"type": "cell_click", "x": 0, "y": 0, "child": "nope"})
        ),
        "INVALID_INTERACTION"
    );
}

#[test]
fn client_seq_and_child_are_split_off() {
    let it = parse_interaction(
        json!({"type": "cell_click", "x": 1, "y": 2, "client_seq": 7, "child": "board"}),
    )
    .unwrap();
    assert_eq!(it.client_seq, Some(7));
    assert_eq!(it.child.as_deref(), Some("board"));
    assert_eq!(
        it.to_value(),
        json!({"type": "cell_click", "x": 1, "y": 2, "child": "board"})
    );
}

#[test]
fn timers_are_found_and_stamped_everywhere() {
    let mut w = parse_widget_value(
        json!({"widget_type": "composite", "extra_data": {
            "timer": {"seconds": 1, "on_expire": "a"},
            "widgets": [{"id": "g", "type": "grid", "width": 1, "height": 1,
                "views": {"u1": {"timer": {"seconds": 2, "on_expire": "b", "expires_at": 5}}}}]}}),
        &Policy::default(),
    )
    .unwrap();
    w.stamp_timers(1_000);
    let timers = w.timers();
    let got: Vec<(Option<&str>, Option<&str>, Option<u64>)> = timers
        .iter()
        .map(|t| (t.child.as_deref(), t.view.as_deref(), t.timer.expires_at))
        .collect();
    assert_eq!(
        got,
        vec![
            (None, None, Some(2_000)),
            (Some("g"), Some("u1"), Some(3_000))
        ]
    );
}

/// Keys bound on a composite itself need no `child`; any other interaction
/// with a composite still names one, and an unbound key is still refused.
#[test]
fn keys_bound_on_a_composite_need_no_child() {
    let w = json!({"widget_type": "composite", "extra_data": {
        "keyboard": {"bindings": {"a": "attack"}},
        "widgets": [{"id": "b", "type": "interactive", "components": [{"label": "Go", "action": "go"}]}]}});
    assert_eq!(
        check(&w, "alice", json!({"type": "keypress", "action": "attack"})),
        "ok"
    );
    assert_eq!(
        check(&w, "alice", json!({"type": "keypress", "action": "flee"})),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(&w, "alice", json!({"type": "button_click", "action": "go"})),
        "INVALID_INTERACTION"
    );
    assert_eq!(
        check(
            &w,
            "alice",
            json!({"type": "button_click", "action": "go", "child": "b"})
        ),
        "ok"
    );
}
