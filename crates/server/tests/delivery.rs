//! Event delivery through real long-polls and real WebSockets.

mod common;

use std::time::Duration;

use common::*;
use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tulip_server::queues::QueueLimits;
use tulip_server::Config;

fn counter() -> Value {
    json!({"widget_type": "hud", "extra_data": {"stats": [{"label": "n", "value": 0}]}})
}

async fn bump(bot: &Client, id: i64, n: u32) {
    bot.update(id, json!({"set_stat": {"label": "n", "value": n}}))
        .await;
}

/// Long-poll → (drop) → WebSocket → (drop) → long-poll: every event once, in order.
#[tokio::test]
async fn resume_across_transports_exactly_once_in_order() {
    let s = Server::dev().await;
    let bot = s.login("bot", true).await;
    let alice = s.login("alice", false).await;
    let q = alice.register(json!({"topics": ["t"]})).await;
    let id = bot.post_widget("t", counter()).await;
    let mut n = 0;
    for _ in 0..10 {
        n += 1;
        bump(&bot, id, n).await;
    }
    let mut processed: Vec<Value> = vec![];

    // Long-poll, but the connection "drops" after three events were handled.
    let evs = alice.poll(&q, 0).await;
    assert!(evs.len() >= 4);
    processed.extend(evs.into_iter().take(3));
    let cursor = processed.last().expect("ev")["id"].as_i64().expect("id");

    for _ in 0..10 {
        n += 1;
        bump(&bot, id, n).await;
    }
    // WebSocket on the same queue, resuming from the cursor.
    let mut ws = alice
        .ws(&format!("queue_id={q}&last_event_id={cursor}"))
        .await;
    let hello = ws.next().await.expect("hello");
    assert_eq!(hello["type"], "connection_established");
    assert_eq!(hello["queue_id"], q);
    for i in 0..8 {
        let e = ws.next().await.expect("event");
        if i == 4 {
            ws.send(json!({"op": "ack", "last_event_id": e["id"]}))
                .await;
        }
        processed.push(e);
    }
    // More events arrive while the socket is still open but unread, then it drops.
    for _ in 0..5 {
        n += 1;
        bump(&bot, id, n).await;
    }
    drop(ws);
    let cursor = processed.last().expect("ev")["id"].as_i64().expect("id");
    for _ in 0..5 {
        n += 1;
        bump(&bot, id, n).await;
    }
    // Back to long-polling, until the last version.
    let last_version = u64::from(n) + 1;
    let (rest, _) = alice
        .poll_until(&q, cursor, |e| e["version"].as_u64() == Some(last_version))
        .await;
    processed.extend(rest);

    let ids: Vec<i64> = processed
        .iter()
        .map(|e| e["id"].as_i64().expect("id"))
        .collect();
    let expect: Vec<i64> = (1..=ids.len() as i64).collect();
    assert_eq!(ids, expect, "event ids: each once, in order");
    let versions: Vec<u64> = processed
        .iter()
        .filter(|e| e["type"] != "heartbeat")
        .map(|e| {
            e["version"]
                .as_u64()
                .or(e["message"]["version"].as_u64())
                .expect("v")
        })
        .collect();
    let expect: Vec<u64> = (1..=last_version).collect();
    assert_eq!(versions, expect, "widget versions: each once, in order");
}

#[tokio::test]
async fn long_poll_heartbeat_and_delete() {
    let s = Server::start(Config {
        dev_login: true,
        heartbeat: Duration::from_millis(100),
        ..Config::default()
    })
    .await;
    let alice = s.login("alice", false).await;
    let r = alice.post("/register", json!({})).await;
    assert_eq!(r.body["heartbeat_secs"], 0.1);
    assert!(r.body["server_time"].as_i64().expect("time") > 0);
    let q = r.body["queue_id"].as_str().expect("q").to_owned();
    let evs = alice.poll(&q, 0).await;
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0]["type"], "heartbeat");
    assert_eq!(evs[0]["id"], 1);
    assert_eq!(
        alice.delete(&format!("/events?queue_id={q}")).await.status,
        200
    );
    assert_error(
        &alice
            .get(&format!("/events?queue_id={q}&last_event_id=1"))
            .await,
        400,
        "BAD_EVENT_QUEUE_ID",
    );
    // Someone else's queue id is as bad as a missing one.
    let q2 = alice.register(json!({})).await;
    let bob = s.login("bob", false).await;
    assert_error(
        &bob.get(&format!("/events?queue_id={q2}")).await,
        400,
        "BAD_EVENT_QUEUE_ID",
    );
}

#[tokio::test]
async fn idle_queues_expire() {
    let s = Server::start(Config {
        dev_login: true,
        queue: QueueLimits {
            idle_timeout: Duration::from_millis(200),
            ..QueueLimits::default()
        },
        ..Config::default()
    })
    .await;
    let alice = s.login("alice", false).await;
    let q = alice.register(json!({})).await;
    let fut = async {
        loop {
            let r = alice
                .get(&format!("/events?queue_id={q}&dont_block=true"))
                .await;
            if r.status != 200 {
                return r;
            }
            // Polling keeps it alive; stop polling and wait for expiry.
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
    };
    let r = tokio::time::timeout(WAIT, fut)
        .await
        .expect("queue never expired");
    assert_error(&r, 400, "BAD_EVENT_QUEUE_ID");
}

#[tokio::test]
async fn subscriptions_change_what_a_queue_gets() {
    let s = Server::dev().await;
    let bot = s.login("bot", true).await;
    let alice = s.login("alice", false).await;
    let q = alice.register(json!({"topics": ["a"]})).await;
    let r = alice
        .patch(
            &format!("/events?queue_id={q}"),
            json!({"op": "subscribe", "topics": ["b"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    bot.post(
        "/messages",
        json!({"topic": "c", "content": "not for alice"}),
    )
    .await;
    bot.post("/messages", json!({"topic": "b", "content": "for alice"}))
        .await;
    let (evs, _) = alice.poll_until(&q, 0, |e| e["type"] == "message").await;
    assert_eq!(evs.last().expect("m")["message"]["content"], "for alice");
    // Over the socket: unsubscribe b, subscribe c.
    let mut ws = alice.ws(&format!("queue_id={q}&last_event_id=1")).await;
    ws.next().await;
    ws.send(json!({"op": "unsubscribe", "topics": ["b"]})).await;
    ws.send(json!({"op": "subscribe", "topics": ["c"]})).await;
    ws.send(json!({"op": "ping", "id": "sync"})).await;
    ws.until(|e| e["type"] == "pong" && e["id"] == "sync").await;
    bot.post("/messages", json!({"topic": "b", "content": "gone"}))
        .await;
    bot.post("/messages", json!({"topic": "c", "content": "now"}))
        .await;
    let got = ws.until(|e| e["type"] == "message").await;
    assert_eq!(got.last().expect("m")["message"]["content"], "now");
}

#[tokio::test]
async fn websocket_client_ops() {
    let s = Server::dev().await;
    let bot = s.login("bot", true).await;
    let alice = s.login("alice", false).await;
    let id = bot
        .post_widget("t", json!({"widget_type": "interactive", "extra_data": {"components": [{"label": "Go", "action": "go"}]}}))
        .await;
    let mut ws = alice.ws("").await;
    let hello = ws.next().await.expect("hello");
    assert_eq!(hello["type"], "connection_established");
    assert!(hello["server_time"].as_i64().is_some());
    ws.send(json!({"op": "ping", "id": 42})).await;
    assert_eq!(
        ws.next().await.expect("pong"),
        json!({"type": "pong", "id": 42})
    );
    ws.send(json!({"op": "interaction", "message_id": id, "data": {"type": "button_click", "action": "go"}, "client_seq": 3}))
        .await;
    let r = ws.until(|e| e["type"] == "interaction_result").await;
    let r = r.last().expect("r");
    assert_eq!(
        (r["ok"].clone(), r["client_seq"].clone()),
        (json!(true), json!(3))
    );
    ws.send(json!({"op": "interaction", "message_id": id, "data": {"type": "button_click", "action": "nope"}, "client_seq": 4}))
        .await;
    let r = ws.until(|e| e["type"] == "interaction_result").await;
    assert_eq!(r.last().expect("r")["ok"], false);
    ws.send(json!({"op": "launch_missiles"})).await;
    let e = ws.until(|e| e["type"] == "error").await;
    assert_eq!(e.last().expect("e")["reconnect_required"], false);
    ws.send(json!({"op": "interaction", "message_id": 99999, "data": {"type": "button_click", "action": "go"}})).await;
    let e = ws.until(|e| e["type"] == "error").await;
    assert_eq!(e.last().expect("e")["code"], "NOT_FOUND");
    // A bad queue id: an error frame telling the client to re-register, then close.
    let mut ws = alice.ws("queue_id=doesnotexist").await;
    let e = ws.next().await.expect("error frame");
    assert_eq!(e["code"], "BAD_EVENT_QUEUE_ID");
    assert_eq!(e["reconnect_required"], true);
    assert!(ws.next().await.is_none());
}

#[tokio::test]
async fn game_socket_carries_one_game() {
    let s = Server::dev().await;
    let bot = s.login("bot", true).await;
    let alice = s.login("alice", false).await;
    let id = bot.post_widget("t", counter()).await;
    let other = bot.post_widget("t", counter()).await;
    let url = format!("ws://{}/api/v1/ws/game/{id}", s.addr);
    let mut req = url.into_client_request().expect("req");
    req.headers_mut().insert(
        "authorization",
        format!("Bearer {}", alice.key).parse().expect("h"),
    );
    let (st, _) = tokio_tungstenite::connect_async(req)
        .await
        .expect("connect");
    let mut ws = Ws {
        s: st,
        received: alice.received.clone(),
    };
    assert_eq!(
        ws.next().await.expect("hello")["type"],
        "connection_established"
    );
    let snap = ws.next().await.expect("snapshot");
    assert_eq!(snap["message"]["id"], id);
    bump(&bot, other, 1).await;
    bump(&bot, id, 7).await;
    let u = ws.next().await.expect("update");
    assert_eq!(u["message_id"], id);
    assert_eq!(u["version"], 2);
}

#[tokio::test]
async fn websockets_check_origin_and_tickets() {
    let s = Server::start(Config {
        dev_login: true,
        allowed_origins: vec!["https://chat.example.com".into()],
        ..Config::default()
    })
    .await;
    let alice = s.login("alice", false).await;
    let connect = |origin: Option<&str>, query: String, bearer: bool| {
        let mut req = format!("ws://{}/api/v1/ws?{query}", s.addr)
            .into_client_request()
            .expect("req");
        if let Some(o) = origin {
            req.headers_mut().insert("origin", o.parse().expect("o"));
        }
        if bearer {
            req.headers_mut().insert(
                "authorization",
                format!("Bearer {}", alice.key).parse().expect("h"),
            );
        }
        tokio_tungstenite::connect_async(req)
    };
    let status = |r: Result<_, tokio_tungstenite::tungstenite::Error>| match r {
        Ok(_) => 101,
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => resp.status().as_u16(),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(
        status(
            connect(Some("https://evil.example"), String::new(), true)
                .await
                .map(|_| ())
        ),
        403
    );
    assert_eq!(
        status(connect(Some("null"), String::new(), true).await.map(|_| ())),
        403
    );
    assert_eq!(
        status(
            connect(Some("https://chat.example.com"), String::new(), true)
                .await
                .map(|_| ())
        ),
        101
    );
    let own = format!("http://{}", s.addr);
    assert_eq!(
        status(connect(Some(&own), String::new(), true).await.map(|_| ())),
        101
    );
    // No credentials at all.
    assert_eq!(
        status(connect(None, String::new(), false).await.map(|_| ())),
        401
    );
    // A ticket works once.
    let t = alice.post("/ws-ticket", json!({})).await;
    let ticket = t.body["ticket"].as_str().expect("ticket").to_owned();
    assert!(t.body["expires_in"].as_f64().expect("ttl") <= 60.0);
    let ok = connect(
        Some("https://chat.example.com"),
        format!("ticket={ticket}"),
        false,
    )
    .await;
    assert_eq!(status(ok.map(|_| ())), 101);
    let again = connect(
        Some("https://chat.example.com"),
        format!("ticket={ticket}"),
        false,
    )
    .await;
    assert_eq!(status(again.map(|_| ())), 401);
    // Not an upgrade at all.
    let r = alice.get("/ws").await;
    assert_error(&r, 400, "BAD_REQUEST");
}

#[tokio::test]
async fn frames_larger_than_the_read_buffer_are_read_whole() {
    // Sockets read through a 4 KiB buffer; a message under the 64 KiB cap
    // but larger than that buffer must still arrive whole.
    let s = Server::dev().await;
    let alice = s.login("alice", false).await;
    let mut ws = alice.ws("").await;
    ws.next().await.expect("hello");
    let id = "y".repeat(60 * 1024);
    ws.send(json!({"op": "ping", "id": id})).await;
    let pong = ws.until(|e| e["type"] == "pong").await;
    assert_eq!(pong.last().expect("pong")["id"], id.as_str());
}

#[tokio::test]
async fn oversized_frames_close_the_socket() {
    let s = Server::start(Config {
        dev_login: true,
        ws_max_message: 1024,
        ..Config::default()
    })
    .await;
    let alice = s.login("alice", false).await;
    let mut ws = alice.ws("").await;
    ws.next().await.expect("hello");
    ws.send(json!({"op": "ping", "id": "x".repeat(4000)})).await;
    let closed = tokio::time::timeout(WAIT, async {
        loop {
            match ws.s.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(Message::Text(t))) => {
                    assert!(!t.as_str().contains("pong"), "answered an oversized frame")
                }
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "socket stayed open");
}

#[tokio::test]
async fn silent_peers_are_dropped() {
    let s = Server::start(Config {
        dev_login: true,
        ping_interval: Duration::from_millis(100),
        ping_timeout: Duration::from_millis(100),
        ..Config::default()
    })
    .await;
    let alice = s.login("alice", false).await;
    let mut ws = alice.ws("").await;
    ws.next().await.expect("hello");
    // Not reading means not answering pings: the server gives up.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let closed = tokio::time::timeout(WAIT, async {
        loop {
            match ws.s.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok());
}

/// A client that stops reading is cut off at its queue's limit: the
/// server's memory for it stays bounded.
#[tokio::test]
async fn slow_consumers_are_cut_off() {
    let s = Server::start(Config {
        dev_login: true,
        queue: QueueLimits {
            max_events: 50,
            max_bytes: 64 * 1024,
            ..QueueLimits::default()
        },
        update_rate: (10_000.0, 10_000.0),
        ..Config::default()
    })
    .await;
    let bot = s.login("bot", true).await;
    let alice = s.login("alice", false).await;
    let id = bot.post_widget("t", counter()).await;
    let lp = alice.register(json!({})).await;
    // A socket whose client never reads or acks.
    let mut ws = alice.ws("").await;
    let hello = ws.next().await.expect("hello");
    let wsq = hello["queue_id"].as_str().expect("q").to_owned();
    let big = "x".repeat(2000);
    for n in 0..100 {
        bot.update(
            id,
            json!({"set_stat": {"label": "n", "value": format!("{n}{big}")}}),
        )
        .await;
        for q in s.state.queues.all() {
            let (events, bytes) = q.depth();
            assert!(
                events <= 50 && bytes <= 64 * 1024,
                "queue grew past its limit"
            );
        }
    }
    assert_error(
        &alice.get(&format!("/events?queue_id={lp}")).await,
        400,
        "BAD_EVENT_QUEUE_ID",
    );
    assert!(s.state.queues.get(&wsq, alice.user_id).is_none());
    // The socket is told to re-register (after the frames it was sent), then closed.
    let frames = tokio::time::timeout(WAIT, async {
        let mut last = Value::Null;
        while let Some(v) = ws.next().await {
            last = v;
        }
        last
    })
    .await
    .expect("socket not closed");
    assert_eq!(frames["code"], "BAD_EVENT_QUEUE_ID");
    let m = reqwest::get(s.url("/metrics"))
        .await
        .expect("m")
        .text()
        .await
        .expect("t");
    assert!(m.contains("tulip_queues_cut_off_total 2"), "{m}");
    // Re-registering works and shows the current state.
    let r = alice.get(&format!("/messages/{id}")).await;
    assert_eq!(r.body["message"]["version"], 101);
}

#[tokio::test]
async fn widget_update_rate_is_limited() {
    // A low limit, so that a slow machine still trips it.
    let s = Server::start(Config {
        dev_login: true,
        update_rate: (5.0, 5.0),
        ..Config::default()
    })
    .await;
    let bot = s.login("bot", true).await;
    let id = bot.post_widget("t", counter()).await;
    let mut tripped = None;
    for n in 0..50 {
        let r = bot
            .patch(
                &format!("/messages/{id}/widget"),
                json!({"update": {"set_stat": {"label": "n", "value": n}}}),
            )
            .await;
        if r.status == 429 {
            tripped = Some(r);
            break;
        }
    }
    let r = tripped.expect("update rate never limited");
    assert_error(&r, 429, "RATE_LIMITED");
    assert!(r.body["retry_after"].as_f64().expect("retry") > 0.0);
}
