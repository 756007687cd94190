//! The real binary, killed with SIGKILL and started again on the same
//! database: widgets, versions and timers survive; queues do not.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::*;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

async fn spawn(db: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tulip-server"))
        .args(["--addr", "127.0.0.1:0", "--dev-login", "--db"])
        .arg(db)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn tulip-server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let addr = tokio::time::timeout(WAIT, async {
        while let Ok(Some(l)) = lines.next_line().await {
            if let Some(a) = l.strip_prefix("listening on ") {
                return a.to_owned();
            }
        }
        panic!("server exited before listening");
    })
    .await
    .expect("server did not start");
    (child, format!("http://{addr}"))
}

#[tokio::test]
async fn sigkill_and_restart_keep_state_and_drop_queues() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("tulip.db");
    let (mut child, base) = spawn(&db).await;
    let bot = Client::login(&base, "bot", true).await;
    let alice = Client::login(&base, "alice", false).await;
    let id = bot
        .post_widget(
            "t",
            json!({"widget_type": "cards", "extra_data": {"cards": [
                {"id": "s", "face": "SECRET", "owner": bot.user_id, "hidden_for_others": true}
            ]}}),
        )
        .await;
    for i in 0..4 {
        bot.update(
            id,
            json!({"add_cards": [{"id": format!("c{i}"), "face": "K"}]}),
        )
        .await;
    }
    // A timer that runs out while the server is down.
    let timed = bot
        .post_widget(
            "t",
            json!({"widget_type": "hud", "extra_data": {"timer": {"seconds": 0.5, "on_expire": "late"}}}),
        )
        .await;
    let q = alice.register(json!({})).await;
    let before = alice.get(&format!("/messages/{id}")).await;
    assert_eq!(before.body["message"]["version"], 5);

    child.start_kill().expect("kill"); // SIGKILL
    child.wait().await.expect("wait");
    tokio::time::sleep(Duration::from_millis(600)).await; // let the timer's moment pass

    let (_child2, base2) = spawn(&db).await;
    let alice2 = Client {
        base: base2.clone(),
        ..alice.clone()
    };
    let bot2 = Client {
        base: base2.clone(),
        ..bot.clone()
    };
    // Keys still work; the old queue is gone.
    assert_error(
        &alice2
            .get(&format!("/events?queue_id={q}&last_event_id=0"))
            .await,
        400,
        "BAD_EVENT_QUEUE_ID",
    );
    let mut ws = alice2.ws(&format!("queue_id={q}&last_event_id=0")).await;
    assert_eq!(
        ws.next().await.expect("frame")["code"],
        "BAD_EVENT_QUEUE_ID"
    );
    // The widget and its version are intact, resolved as before.
    let after = alice2.get(&format!("/messages/{id}")).await;
    assert_eq!(after.body, before.body);
    assert!(!after.text.contains("SECRET"));
    // Re-register and go on: the next update is version 6.
    let q2 = alice2.register(json!({})).await;
    assert_eq!(bot2.update(id, json!({"remove_cards": ["c0"]})).await, 6);
    let (evs, _) = alice2
        .poll_until(&q2, 0, |e| e["type"] == "widget_update")
        .await;
    assert_eq!(evs.last().expect("u")["version"], 6);
    // The timer was re-armed from the database and reaches the bot once it listens.
    let bq = bot2.register(json!({"topics": []})).await;
    let (evs, _) = bot2
        .poll_until(&bq, 0, |e| {
            e["type"] == "interaction" && e["interaction"]["type"] == "timer_expire"
        })
        .await;
    let e = evs.last().expect("timer");
    assert_eq!(e["message_id"], timed);
    assert_eq!(e["interaction"]["action"], "late");
}
