//! The HTTP API through real HTTP on a port-0 listener.

mod common;

use common::*;
use serde_json::{json, Value};
use tulip_server::Config;

fn grid(extra: Value) -> Value {
    let mut e = json!({"width": 3, "height": 3, "on_cell_click": true});
    if let (Value::Object(m), Value::Object(x)) = (&mut e, extra) {
        m.extend(x);
    }
    json!({"widget_type": "grid", "extra_data": e})
}

#[tokio::test]
async fn dev_login_is_404_without_the_flag() {
    let s = Server::start(Config::default()).await;
    let r = reqwest::Client::new()
        .post(s.url("/api/v1/dev/login"))
        .json(&json!({"name": "alice"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 404);
    // Every reply carries the Content Security Policy the renderer runs under.
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .expect("ascii");
    assert!(
        csp.starts_with("script-src 'self' 'wasm-unsafe-eval';"),
        "{csp}"
    );
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["result"], "error");
    assert_eq!(v["code"], "NOT_FOUND");
}

#[tokio::test]
async fn login_is_idempotent_and_keys_authenticate() {
    let s = Server::dev().await;
    let a = s.login("alice", false).await;
    let a2 = s.login("alice", false).await;
    assert_eq!(a.user_id, a2.user_id);
    assert_eq!(a.key, a2.key);
    let me = a.get("/users/me").await;
    assert_eq!(me.body["user_id"], a.user_id);
    // No key, a bad key, a bad scheme.
    let anon = Client {
        key: "nope".into(),
        ..a.clone()
    };
    assert_error(&anon.get("/users/me").await, 401, "UNAUTHORIZED");
    let r = reqwest::Client::new()
        .get(s.url("/api/v1/users/me"))
        .header("authorization", format!("Basic {}", a.key))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 401);
    // A bot name cannot log in as a user.
    s.login("bot1", true).await;
    let r = reqwest::Client::new()
        .post(s.url("/api/v1/dev/login"))
        .json(&json!({"name": "bot1", "bot": false}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn users_and_topics_are_listed() {
    let s = Server::dev().await;
    let a = s.login("alice", false).await;
    let b = s.login("bob", false).await;
    a.post("/messages", json!({"topic": "first", "content": "hi"}))
        .await;
    b.post("/messages", json!({"topic": "second", "content": "hey"}))
        .await;
    let users = a.get("/users").await;
    let names: Vec<&str> = users.body["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["name"].as_str())
        .collect();
    assert_eq!(names, ["alice", "bob"]);
    assert_eq!(users.body["users"][1]["user_id"], b.user_id);
    // No api keys in the list.
    assert!(!users.text.contains(&a.key));
    let topics = b.get("/topics").await;
    assert_eq!(topics.body["topics"][0]["name"], "second");
    assert_eq!(topics.body["topics"][1]["name"], "first");
    let anon = Client {
        key: "nope".into(),
        ..a.clone()
    };
    assert_error(&anon.get("/topics").await, 401, "UNAUTHORIZED");
}

#[tokio::test]
async fn post_fetch_history_and_patch() {
    let s = Server::dev().await;
    let bot = s.login("bot", true).await;
    let alice = s.login("alice", false).await;
    let id = bot
        .post_widget(
            "game",
            grid(json!({"cells": [{"x": 1, "y": 1, "content": "A", "bg": "RED"}]})),
        )
        .await;
    let m = alice.get(&format!("/messages/{id}")).await;
    assert_eq!(m.status, 200, "{}", m.text);
    assert_eq!(m.body["message"]["version"], 1);
    assert_eq!(m.body["message"]["sender_id"], bot.user_id);
    assert_eq!(
        m.body["message"]["widget"]["extra_data"]["cells"][0]["bg"],
        "red"
    );
    // Alias path.
    let r = alice
        .http
        .get(format!("{}/json/messages/{id}", alice.base))
        .bearer_auth(&alice.key)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);

    // Only the sender may patch.
    let r = alice
        .patch(
            &format!("/messages/{id}/widget"),
            json!({"update": {"clear_cells": [{"x": 1, "y": 1}]}}),
        )
        .await;
    assert_error(&r, 403, "FORBIDDEN");
    assert_eq!(
        bot.update(id, json!({"set_cells": [{"x": 0, "y": 0, "content": "B"}]}))
            .await,
        2
    );
    // A bad update changes nothing and says where.
    let r = bot
        .patch(
            &format!("/messages/{id}/widget"),
            json!({"update": {"set_cells": [{"x": 0, "y": 2, "content": "ok"}, {"x": 1, "y": 0, "bg": "javascript:alert(1)"}]}}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(
        r.body["path"]
            .as_str()
            .unwrap_or("")
            .contains("set_cells[1]"),
        "{}",
        r.text
    );
    let m = alice.get(&format!("/messages/{id}")).await;
    assert_eq!(m.body["message"]["version"], 2);
    assert_eq!(
        m.body["message"]["widget"]["extra_data"]["cells"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // Replace whole.
    let r = bot
        .patch(
            &format!("/messages/{id}/widget"),
            json!({"widget": grid(json!({}))}),
        )
        .await;
    assert_eq!(r.body["version"], 3, "{}", r.text);
    // Both or neither.
    let r = bot
        .patch(&format!("/messages/{id}/widget"), json!({}))
        .await;
    assert_error(&r, 400, "BAD_REQUEST");

    // History, oldest first.
    let id2 = alice
        .post("/messages", json!({"topic": "game", "content": "hello"}))
        .await
        .body["id"]
        .as_i64()
        .expect("id");
    let h = alice
        .get("/messages?topic=game&anchor=newest&num_before=10")
        .await;
    let ids: Vec<i64> = h.body["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| m["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, vec![id, id2]);
    assert_eq!(h.body["messages"][0]["version"], 3);
    assert!(h.body["messages"][1]["widget"].is_null());
    assert_error(&alice.get("/messages/999999").await, 404, "NOT_FOUND");
    assert_error(&alice.get("/messages/abc").await, 404, "NOT_FOUND");
}

#[tokio::test]
async fn bad_input_gets_json_errors_and_changes_nothing() {
    let s = Server::dev().await;
    let bot = s.login("bot", true).await;
    let raw = |body: &'static str| {
        let bot = bot.clone();
        async move {
            let r = bot
                .http
                .post(format!("{}/api/v1/messages", bot.base))
                .bearer_auth(&bot.key)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .expect("send");
            let status = r.status().as_u16();
            let text = r.text().await.expect("text");
            Reply {
                status,
                body: serde_json::from_str(&text).unwrap_or(Value::Null),
                text,
            }
        }
    };
    assert_error(&raw("{not json").await, 400, "INVALID_JSON");
    assert_error(&raw("[]").await, 400, "INVALID_TYPE");
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let r = bot
        .http
        .post(format!("{}/api/v1/messages", bot.base))
        .bearer_auth(&bot.key)
        .body(deep)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400);
    let r = raw(r#"{"topic": "t", "widget": {"widget_type": "grid", "extra_data": {"width": 3, "height": 3, "cells": [{"x": 0, "y": 0, "bg": "url(javascript:x)"}]}}}"#).await;
    assert_error(&r, 400, "INVALID_COLOR");
    assert_eq!(r.body["path"], "widget.extra_data.cells[0].bg");
    let r = raw(r#"{"topic": "t", "widget": {"widget_type": "canvas", "extra_data": {"width": 10, "height": 10, "background": "JaVaScRiPt:alert(1)"}}}"#).await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(r.body["code"].is_string());
    assert_error(
        &raw(r#"{"topic": "t", "bogus": 1}"#).await,
        400,
        "UNKNOWN_FIELD",
    );
    assert_error(&raw(r#"{"topic": ""}"#).await, 400, "BAD_REQUEST");
    // Too large: over 1 MiB.
    let big = format!(
        r#"{{"topic": "t", "content": "{}"}}"#,
        "a".repeat(1_100_000)
    );
    let r = bot
        .http
        .post(format!("{}/api/v1/messages", bot.base))
        .bearer_auth(&bot.key)
        .body(big)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 413);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["code"], "TOO_LARGE");
    // Nothing was stored.
    let h = bot.get("/messages?topic=t").await;
    assert_eq!(h.body["messages"], json!([]));
    // Unknown route and wrong method are JSON too.
    assert_error(&bot.get("/nope").await, 404, "NOT_FOUND");
    assert_error(&bot.delete("/messages").await, 405, "METHOD_NOT_ALLOWED");
    assert_error(
        &bot.get("/events?queue_id=nope").await,
        400,
        "BAD_EVENT_QUEUE_ID",
    );
    assert_error(&bot.get("/events").await, 400, "BAD_REQUEST");
    // Rejections are counted.
    let m = reqwest::get(s.url("/metrics"))
        .await
        .expect("m")
        .text()
        .await
        .expect("t");
    assert!(
        m.contains("tulip_rejections_total{code=\"INVALID_JSON\"} 1"),
        "{m}"
    );
    assert!(
        m.contains("tulip_connections{transport=\"websocket\"}"),
        "{m}"
    );
}

#[tokio::test]
async fn interactions_are_checked_delivered_and_rate_limited() {
    let s = Server::dev().await;
    let bot = s.login("bot", true).await;
    let alice = s.login("alice", false).await;
    let bob = s.login("bob", false).await;
    let w = grid(json!({
        "turn": {"current_player": alice.user_id, "enforce": true},
        "players": {"list": [{"id": alice.user_id, "name": "A"}, {"id": bob.user_id, "name": "B"}]}
    }));
    let id = bot.post_widget("g", w).await;
    let bq = bot.register(json!({"topics": []})).await;
    let aq = alice.register(json!({"topics": []})).await;
    let r = alice
        .post(
            &format!("/messages/{id}/interactions"),
            json!({"type": "cell_click", "x": 1, "y": 2, "client_seq": 7}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (evs, _) = bot.poll_until(&bq, 0, |e| e["type"] == "interaction").await;
    let e = evs.last().expect("event");
    assert_eq!(e["user_id"], alice.user_id);
    assert_eq!(e["message_id"], id);
    assert_eq!(
        e["interaction"],
        json!({"type": "cell_click", "x": 1, "y": 2})
    );
    let (evs, last) = alice
        .poll_until(&aq, 0, |e| e["type"] == "interaction_result")
        .await;
    assert_eq!(evs.last().expect("ev")["ok"], true);
    assert_eq!(evs.last().expect("ev")["client_seq"], 7);

    // Not bob's turn; spectator; malformed.
    let r = bob
        .post(
            &format!("/messages/{id}/interactions"),
            json!({"type": "cell_click", "x": 1, "y": 2}),
        )
        .await;
    assert_error(&r, 403, "NOT_YOUR_TURN");
    let carol = s.login("carol", false).await;
    let r = carol
        .post(
            &format!("/messages/{id}/interactions"),
            json!({"type": "cell_click", "x": 1, "y": 2}),
        )
        .await;
    assert_error(&r, 403, "NOT_ALLOWED");
    let r = alice
        .post(
            &format!("/messages/{id}/interactions"),
            json!({"type": "cell_click", "x": 99, "y": 2, "client_seq": 8}),
        )
        .await;
    assert_error(&r, 400, "INVALID_INTERACTION");
    let (evs, _) = alice
        .poll_until(&aq, last, |e| e["type"] == "interaction_result")
        .await;
    let res = evs.last().expect("ev");
    assert_eq!(res["ok"], false);
    assert_eq!(res["code"], "INVALID_INTERACTION");
    assert_eq!(res["client_seq"], 8);

    // Rate limit: burst of 40 (sent at once, so refill hardly matters),
    // then RATE_LIMITED with retry_after, then recovery.
    let path = format!("/messages/{id}/interactions");
    let replies = futures_util::future::join_all(
        (0..80).map(|_| alice.post(&path, json!({"type": "cell_click", "x": 0, "y": 0}))),
    )
    .await;
    let ok = replies.iter().filter(|r| r.status == 200).count();
    assert!((30..80).contains(&ok), "{ok} accepted"); // two were spent above
    let r = replies
        .into_iter()
        .find(|r| r.status == 429)
        .expect("rate limit never tripped");
    assert_error(&r, 429, "RATE_LIMITED");
    let wait = r.body["retry_after"].as_f64().expect("retry_after");
    assert!(wait > 0.0 && wait <= 0.1, "{wait}");
    // It recovers: after waiting as told, a request goes through. (On a busy
    // machine the first try may still meet an empty bucket: follow the
    // server's `retry_after` a few times, within a bounded wait.)
    let mut wait = wait;
    let mut recovered = false;
    for _ in 0..10 {
        tokio::time::sleep(std::time::Duration::from_secs_f64(wait + 0.02)).await;
        let r = alice
            .post(
                &format!("/messages/{id}/interactions"),
                json!({"type": "cell_click", "x": 0, "y": 0}),
            )
            .await;
        if r.status == 200 {
            recovered = true;
            break;
        }
        assert_error(&r, 429, "RATE_LIMITED");
        wait = r.body["retry_after"].as_f64().unwrap_or(0.1);
    }
    assert!(recovered, "the rate limit never recovered");
}

#[tokio::test]
async fn commands_reach_their_bot() {
    let s = Server::dev().await;
    let bot = s.login("dice", true).await;
    let other = s.login("other", true).await;
    let alice = s.login("alice", false).await;
    let r = bot
        .post("/bots/commands", json!({"commands": ["roll"]}))
        .await;
    assert_eq!(r.body["commands"], json!(["roll"]), "{}", r.text);
    assert_error(
        &other
            .post("/bots/commands", json!({"commands": ["roll"]}))
            .await,
        409,
        "COMMAND_TAKEN",
    );
    assert_error(
        &alice
            .post("/bots/commands", json!({"commands": ["x"]}))
            .await,
        403,
        "NOT_A_BOT",
    );
    let r = bot
        .post("/bots/commands", json!({"commands": ["Bad Name"]}))
        .await;
    assert_error(&r, 400, "BAD_REQUEST");
    assert_eq!(r.body["path"], "commands[0]");
    let q = bot.register(json!({"topics": []})).await;
    alice
        .post(
            "/messages",
            json!({"topic": "lobby", "content": "/roll 2d6"}),
        )
        .await;
    let (evs, _) = bot.poll_until(&q, 0, |e| e["type"] == "command").await;
    let c = evs.last().expect("cmd");
    assert_eq!(c["command"], "roll");
    assert_eq!(c["args"], "2d6");
    assert_eq!(c["topic"], "lobby");
    assert_eq!(c["user_id"], alice.user_id);
}

#[tokio::test]
async fn timers_expire_to_the_bot() {
    let s = Server::dev().await;
    let bot = s.login("bot", true).await;
    let q = bot.register(json!({"topics": ["t"]})).await;
    let id = bot
        .post_widget(
            "t",
            grid(json!({"timer": {"seconds": 0.2, "on_expire": "times_up", "expires_at": 1}})),
        )
        .await;
    let (evs, _) = bot
        .poll_until(&q, 0, |e| {
            e["type"] == "interaction" && e["interaction"]["type"] == "timer_expire"
        })
        .await;
    let msg = &evs[0];
    assert_eq!(msg["type"], "message");
    let at = msg["message"]["widget"]["extra_data"]["timer"]["expires_at"]
        .as_i64()
        .expect("stamped");
    assert!(at > 1_000_000, "the server stamps expires_at");
    let e = evs.last().expect("ev");
    assert_eq!(e["message_id"], id);
    assert_eq!(e["user_id"], Value::Null);
    assert_eq!(e["interaction"]["action"], "times_up");
}

#[tokio::test]
async fn embedded_bot_plays_through_the_same_api() {
    let s = Server::dev().await;
    tulip_server::bots::spawn(s.state.clone(), tulip_server::bots::CounterBot::default())
        .await
        .expect("bot");
    let alice = s.login("alice", false).await;
    let q = alice.register(json!({"topics": ["fun"]})).await;
    alice
        .post(
            "/messages",
            json!({"topic": "fun", "content": "/counter 30"}),
        )
        .await;
    let (evs, last) = alice
        .poll_until(&q, 0, |e| {
            e["type"] == "message" && !e["message"]["widget"].is_null()
        })
        .await;
    let id = evs.last().expect("m")["message"]["id"]
        .as_i64()
        .expect("id");
    alice
        .post(
            &format!("/messages/{id}/interactions"),
            json!({"type": "button_click", "action": "inc"}),
        )
        .await;
    let (evs, _) = alice
        .poll_until(&q, last, |e| e["type"] == "widget_update")
        .await;
    let u = evs.last().expect("u");
    assert_eq!(u["version"], 2);
    assert_eq!(u["update"]["set_components"][0]["label"], "Clicked 1 times");
}
