//! `bot_state`: the sender's private state of a message. Stored with the
//! widget in one step (a refused change stores neither), read back by the
//! sender alone, and never in any byte another user receives.

mod common;

use common::*;
use serde_json::{json, Value};

const CANARY: &str = "CANARY-bot-state-7f3a";

fn grid() -> Value {
    json!({"widget_type": "grid", "extra_data": {"width": 3, "height": 3, "on_cell_click": true}})
}

async fn state_of(c: &Client, id: i64) -> Reply {
    c.get(&format!("/messages/{id}/bot_state")).await
}

#[tokio::test]
async fn bot_state_is_stored_with_the_widget_and_seen_by_the_sender_alone() {
    let s = Server::dev().await;
    let bot = s.login("bot", true).await;
    let alice = s.login("alice", false).await;
    let q = alice.register(json!({})).await;

    let secret = json!({"kind": "test", "state": {"deck": [CANARY, "K"], "n": 1}});
    let r = bot
        .post(
            "/messages",
            json!({"topic": "t", "content": "game", "widget": grid(), "bot_state": secret}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["id"].as_i64().expect("id");

    // The sender reads it back, with the version it goes with.
    let r = state_of(&bot, id).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["bot_state"], secret);
    assert_eq!(r.body["version"], 1);

    // Nobody else may read or write it.
    assert_error(&state_of(&alice, id).await, 403, "FORBIDDEN");
    let put = alice
        .send(
            reqwest::Method::PUT,
            &format!("/messages/{id}/bot_state"),
            Some(json!({"bot_state": "mine now"})),
        )
        .await;
    assert_error(&put, 403, "FORBIDDEN");
    assert_error(&state_of(&bot, 9999).await, 404, "NOT_FOUND");

    // An update carries the new state; both are stored.
    let r = bot
        .patch(
            &format!("/messages/{id}/widget"),
            json!({"update": {"set_cells": [{"x": 0, "y": 0, "content": "X"}]},
                   "bot_state": {"kind": "test", "state": {"deck": [CANARY], "n": 2}}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["version"], 2);
    let r = state_of(&bot, id).await;
    assert_eq!(r.body["bot_state"]["state"]["n"], 2);
    assert_eq!(r.body["version"], 2);

    // A refused update stores no state either.
    let r = bot
        .patch(
            &format!("/messages/{id}/widget"),
            json!({"update": {"set_cells": [{"x": 7, "y": 0, "content": "X"}]},
                   "bot_state": {"kind": "test", "state": {"n": 3}}}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(state_of(&bot, id).await.body["bot_state"]["state"]["n"], 2);

    // Without `bot_state` a change keeps the stored one; a replacement may
    // carry a new one.
    bot.update(id, json!({"set_cells": [{"x": 1, "y": 0, "content": "O"}]}))
        .await;
    assert_eq!(state_of(&bot, id).await.body["bot_state"]["state"]["n"], 2);
    let r = bot
        .patch(
            &format!("/messages/{id}/widget"),
            json!({"widget": grid(), "bot_state": {"kind": "test", "state": {"deck": [CANARY], "n": 4}}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = state_of(&bot, id).await;
    assert_eq!(r.body["bot_state"]["state"]["n"], 4);
    assert_eq!(r.body["version"], 4);

    // PUT stores the state alone: no new version, no event.
    let r = bot
        .send(
            reqwest::Method::PUT,
            &format!("/messages/{id}/bot_state"),
            Some(json!({"bot_state": {"kind": "test", "state": {"deck": [CANARY], "n": 5}}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = state_of(&bot, id).await;
    assert_eq!(r.body["bot_state"]["state"]["n"], 5);
    assert_eq!(r.body["version"], 4);

    // Too large: refused with the path, nothing posted.
    let big = "x".repeat(300 * 1024);
    let r = bot
        .post(
            "/messages",
            json!({"topic": "t", "content": "big", "widget": grid(), "bot_state": big}),
        )
        .await;
    assert_error(&r, 413, "TOO_LARGE");
    assert_eq!(r.body["path"], "bot_state");

    // A message without a state answers null; PUT null clears one.
    let plain = bot.post_widget("t", grid()).await;
    assert_eq!(state_of(&bot, plain).await.body["bot_state"], Value::Null);
    let r = bot
        .send(
            reqwest::Method::PUT,
            &format!("/messages/{id}/bot_state"),
            Some(json!({"bot_state": null})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(state_of(&bot, id).await.body["bot_state"], Value::Null);

    // Everything alice received: the events of every change, the message,
    // the history. Not one byte of the state.
    let (evs, _) = alice
        .poll_until(&q, 0, |e| {
            e["type"] == "message" && e["message"]["id"] == plain
        })
        .await;
    let changes = evs
        .iter()
        .filter(|e| e["type"] == "widget_update" || e["type"] == "widget_replace")
        .count();
    assert_eq!(changes, 3, "the PUT made no event: {evs:?}");
    alice.get(&format!("/messages/{id}")).await;
    alice.get("/messages?topic=t").await;
    let seen = String::from_utf8(alice.received.lock().expect("lock").clone()).expect("utf8");
    assert!(!seen.contains(CANARY), "the state leaked to alice");
    assert!(!seen.contains("bot_state\":{"), "{seen}");
}
