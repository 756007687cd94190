//! The real binary with the demo games (`--demo-bots`), killed with
//! SIGKILL in the middle of games and started again on the same database:
//! every game goes on where it was, because each bot keeps its game state
//! with the message (`bot_state`) and loads it back after the restart.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

async fn spawn(db: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tulip-server"))
        .args([
            "--addr",
            "127.0.0.1:0",
            "--dev-login",
            "--demo-bots",
            "--db",
        ])
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

/// SIGKILL, then the same database on a new process.
async fn crash_and_restart(child: &mut Child, db: &std::path::Path) -> (Child, String) {
    child.start_kill().expect("kill");
    child.wait().await.expect("wait");
    spawn(db).await
}

/// The same user on the restarted server (keys survive).
fn on(c: &Client, base: &str) -> Client {
    Client {
        base: base.to_owned(),
        ..c.clone()
    }
}

async fn say(c: &Client, topic: &str, text: &str) -> i64 {
    let r = c
        .post("/messages", json!({"topic": topic, "content": text}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["id"].as_i64().expect("id")
}

/// The first widget message of `topic` after message `after`, waiting for it.
async fn game_after(c: &Client, topic: &str, after: i64) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let r = c
            .get(&format!(
                "/messages?topic={topic}&anchor=oldest&num_after=100"
            ))
            .await;
        let found = r.body["messages"].as_array().and_then(|ms| {
            ms.iter()
                .find(|m| m["id"].as_i64() > Some(after) && !m["widget"].is_null())
                .cloned()
        });
        if let Some(m) = found {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "no game was posted in {topic}: {}",
            r.text
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn fetch(c: &Client, id: i64) -> Value {
    let r = c.get(&format!("/messages/{id}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["message"].clone()
}

/// Message `id` as `c` sees it, once `ok` holds.
async fn wait_for(c: &Client, id: i64, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let m = fetch(c, id).await;
        if ok(&m) {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {m}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn wait_version(c: &Client, id: i64, version: u64) -> Value {
    wait_for(c, id, &format!("version {version} of {id}"), |m| {
        m["version"].as_u64() >= Some(version)
    })
    .await
}

/// The interaction, accepted by the server.
async fn act(c: &Client, id: i64, it: Value) {
    let r = c.post(&format!("/messages/{id}/interactions"), it).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// The interaction, refused with `code`.
async fn refused(c: &Client, id: i64, it: Value, code: &str) {
    let r = c.post(&format!("/messages/{id}/interactions"), it).await;
    assert_eq!(r.body["code"], code, "{}", r.text);
}

/// Acts, then waits until the bot's answer raised the version by one.
async fn play(c: &Client, id: i64, it: Value) -> Value {
    let v = fetch(c, id).await["version"].as_u64().expect("version");
    act(c, id, it).await;
    wait_version(c, id, v + 1).await
}

fn child<'a>(msg: &'a Value, id: &str) -> &'a Value {
    msg["widget"]["extra_data"]["widgets"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["id"] == id))
        .unwrap_or(&Value::Null)
}

fn stat(msg: &Value, child_id: &str, label: &str) -> Value {
    child(msg, child_id)["stats"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["label"] == label))
        .map(|s| s["value"].clone())
        .unwrap_or(Value::Null)
}

fn cells(msg: &Value, grid: &str, content: &str) -> Vec<(u64, u64)> {
    child(msg, grid)["cells"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|c| c["content"] == content)
        .map(|c| (c["x"].as_u64().unwrap_or(99), c["y"].as_u64().unwrap_or(99)))
        .collect()
}

fn click(grid: &str, x: u64, y: u64) -> Value {
    json!({"type": "cell_click", "child": grid, "x": x, "y": y})
}

fn button(child: &str, action: &str) -> Value {
    json!({"type": "button_click", "child": child, "action": action})
}

#[tokio::test]
async fn tictactoe_and_battleship_survive_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("tulip.db");
    let (mut server, base) = spawn(&db).await;
    let alice = Client::login(&base, "alice", false).await;
    let bob = Client::login(&base, "bob", false).await;

    // Tic-tac-toe: X (0,0), O (1,1).
    let cmd = say(&alice, "ttt", "/tictactoe @bob").await;
    let ttt = game_after(&alice, "ttt", cmd).await["id"]
        .as_i64()
        .expect("id");
    play(&alice, ttt, click("board", 0, 0)).await;
    play(&bob, ttt, click("board", 1, 1)).await;

    // Battleship: both ready, alice hits one of bob's ships.
    let cmd = say(&alice, "sea", "/battleship @bob").await;
    let sea = game_after(&alice, "sea", cmd).await["id"]
        .as_i64()
        .expect("id");
    play(&alice, sea, button("controls", "ready")).await;
    play(&bob, sea, button("controls", "ready")).await;
    let bob_fleet = cells(&fetch(&bob, sea).await, "mine", "🚢");
    let alice_fleet = cells(&fetch(&alice, sea).await, "mine", "🚢");
    assert_eq!(bob_fleet.len(), 7);
    let (hx, hy) = bob_fleet[0];
    play(&alice, sea, click("target", hx, hy)).await;
    let ttt_before = fetch(&alice, ttt).await;
    let sea_before = fetch(&bob, sea).await;

    let (_server2, base2) = crash_and_restart(&mut server, &db).await;
    let (alice, bob) = (on(&alice, &base2), on(&bob, &base2));

    // What was shown is still there, at the same version.
    assert_eq!(fetch(&alice, ttt).await, ttt_before);
    assert_eq!(fetch(&bob, sea).await, sea_before);

    // Tic-tac-toe goes on: the bot remembers (0,0) and (1,1).
    refused(&bob, ttt, click("board", 2, 2), "NOT_YOUR_TURN").await;
    refused(&alice, ttt, click("board", 1, 1), "NOT_ALLOWED").await;
    let m = play(&alice, ttt, click("board", 1, 0)).await;
    assert_eq!(stat(&m, "status", "Status"), "bob (O) to move", "{m}");
    play(&bob, ttt, click("board", 0, 1)).await;
    let end = play(&alice, ttt, click("board", 2, 0)).await;
    // A win needs (0,0), played before the restart.
    assert_eq!(stat(&end, "status", "Status"), "alice (X) wins!", "{end}");
    refused(&bob, ttt, click("board", 2, 2), "NOT_YOUR_TURN").await;

    // Battleship goes on: bob's turn, then alice hits again. A hit is
    // judged against bob's fleet, which only the restored state holds.
    let (ox, oy) = if (hx, hy) == (0, 0) { (1, 0) } else { (0, 0) };
    refused(&alice, sea, click("target", ox, oy), "NOT_YOUR_TURN").await;
    // Her earlier shot is taken, whoever's turn it is.
    refused(&alice, sea, click("target", hx, hy), "NOT_ALLOWED").await;
    let miss = (0..6u64)
        .flat_map(|y| (0..6u64).map(move |x| (x, y)))
        .find(|c| !alice_fleet.contains(c))
        .expect("water");
    play(&bob, sea, click("target", miss.0, miss.1)).await;
    let a = fetch(&alice, sea).await;
    assert_eq!(
        cells(&a, "mine", "•"),
        vec![miss],
        "bob's miss on alice's sea: {a}"
    );
    let (hx2, hy2) = bob_fleet[1];
    let a = play(&alice, sea, click("target", hx2, hy2)).await;
    let mut hits = cells(&a, "target", "💥");
    hits.sort_by_key(|(x, y)| (*y, *x));
    let mut want = vec![(hx, hy), (hx2, hy2)];
    want.sort_by_key(|(x, y)| (*y, *x));
    assert_eq!(hits, want, "{a}");
    // Each still sees only their own fleet.
    let b = fetch(&bob, sea).await;
    assert_eq!(cells(&b, "mine", "💥").len(), 2, "{b}");
    assert!(cells(&b, "target", "🚢").is_empty());
    assert_eq!(stat(&b, "status", "Status"), "bob to fire", "{b}");
}

/// A blackjack total from the faces shown (`10♠`, `A♥`...).
fn total(faces: &[String]) -> u32 {
    let mut t = 0;
    let mut aces = 0;
    for f in faces {
        let rank: String = f.chars().take(f.chars().count() - 1).collect();
        t += match rank.as_str() {
            "A" => {
                aces += 1;
                11
            }
            "J" | "Q" | "K" => 10,
            n => n.parse::<u32>().expect("rank"),
        };
    }
    while t > 21 && aces > 0 {
        t -= 10;
        aces -= 1;
    }
    t
}

fn faces(msg: &Value, hand: &str) -> Vec<String> {
    child(msg, hand)["cards"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|c| c["face"].as_str().map(str::to_owned))
        .collect()
}

fn last_line(msg: &Value) -> String {
    child(msg, "term")["lines"]
        .as_array()
        .and_then(|l| l.last())
        .and_then(|l| l["text"].as_str())
        .unwrap_or("")
        .to_owned()
}

fn typed(text: &str) -> Value {
    json!({"type": "terminal_input", "child": "term", "text": text})
}

#[tokio::test]
async fn every_other_demo_game_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("tulip.db");
    let (mut server, base) = spawn(&db).await;
    let alice = Client::login(&base, "alice", false).await;
    let bob = Client::login(&base, "bob", false).await;

    // Blackjack: a bet and a deal; the hole card stays hidden.
    let cmd = say(&alice, "casino", "/blackjack").await;
    let bj = game_after(&alice, "casino", cmd).await["id"]
        .as_i64()
        .expect("id");
    play(&alice, bj, button("controls", "bet10")).await;
    let dealt = play(&alice, bj, button("controls", "deal")).await;
    let playing = stat(&dealt, "hud", "Status")
        .as_str()
        .is_some_and(|s| s.contains("Hit or stand"));

    // RPG: one turn (defend).
    let cmd = say(&alice, "dungeon", "/rpg").await;
    let rpg = game_after(&alice, "dungeon", cmd).await["id"]
        .as_i64()
        .expect("id");
    play(&alice, rpg, button("actions", "defend")).await;

    // MUD: alice takes the key.
    let cmd = say(&alice, "village", "/mud").await;
    let mud = game_after(&alice, "village", cmd).await["id"]
        .as_i64()
        .expect("id");
    play(&alice, mud, typed("east")).await;
    play(&alice, mud, typed("take key")).await;

    // Lobby: bob joins, alice is ready.
    let cmd = say(&alice, "hall", "/lobby tictactoe").await;
    let hall = game_after(&alice, "hall", cmd).await["id"]
        .as_i64()
        .expect("id");
    play(&bob, hall, json!({"type": "lobby_join"})).await;
    play(&alice, hall, json!({"type": "lobby_ready", "ready": true})).await;

    // Whack-a-mole: one hit; the round ends while the server is down.
    let cmd = say(&alice, "garden", "/whack 2").await;
    let whack_msg = game_after(&alice, "garden", cmd).await;
    let whack = whack_msg["id"].as_i64().expect("id");
    let mole = child(&whack_msg, "field")["sprites"]
        .as_array()
        .and_then(|s| {
            s.iter()
                .find(|s| s["id"].as_str().is_some_and(|i| i.starts_with("mole-")))
        })
        .and_then(|s| s["id"].as_str())
        .expect("a mole")
        .to_owned();
    play(
        &alice,
        whack,
        json!({"type": "sprite_click", "child": "field", "id": mole}),
    )
    .await;

    let (_server2, base2) = crash_and_restart(&mut server, &db).await;
    let (alice, bob) = (on(&alice, &base2), on(&bob, &base2));

    // Blackjack: standing settles the hand dealt before the restart.
    if playing {
        let before = fetch(&alice, bj).await;
        let hand = faces(&before, "player");
        let end = play(&alice, bj, button("controls", "stand")).await;
        assert_eq!(faces(&end, "player"), hand, "{end}");
        let dealer = faces(&end, "dealer");
        assert!(dealer.len() >= 2, "the hole card is shown: {end}");
        let status = stat(&end, "hud", "Status")
            .as_str()
            .unwrap_or("")
            .to_owned();
        assert!(
            status.contains(&format!(
                "(you {}, dealer {})",
                total(&hand),
                total(&dealer)
            )),
            "the restored hands are the ones shown: {status} {end}"
        );
    }
    refused(&alice, bj, button("controls", "hit"), "INVALID_INTERACTION").await;
    play(&alice, bj, button("controls", "again")).await;

    // RPG: the next turn is turn 3, not a fresh battle.
    let m = play(&alice, rpg, button("actions", "attack")).await;
    assert_eq!(stat(&m, "hud", "Turn").as_f64(), Some(3.0), "{m}");
    refused(&bob, rpg, button("actions", "attack"), "NOT_ALLOWED").await;

    // MUD: alice still carries the key, and it is gone from the square.
    let m = play(&alice, mud, typed("inventory")).await;
    assert!(last_line(&m).contains("key"), "{m}");
    let m = play(&bob, mud, typed("east")).await;
    let look = last_line(&m);
    assert!(
        look.contains("market square") && !look.contains("key"),
        "{m}"
    );
    assert_eq!(
        child(&fetch(&alice, mud).await, "bag")["items"][0]["name"],
        "key"
    );

    // Lobby: bob gets ready, alice starts, and the game it was made for
    // begins (and answers moves).
    play(&bob, hall, json!({"type": "lobby_ready", "ready": true})).await;
    let start = play(&alice, hall, json!({"type": "lobby_start"})).await;
    assert_eq!(start["widget"]["extra_data"]["status"], "in_progress");
    let game = game_after(&alice, "hall", hall).await;
    assert_eq!(
        game["content"], "Tic-tac-toe: alice (X) vs bob (O)",
        "{game}"
    );
    let gid = game["id"].as_i64().expect("id");
    refused(&bob, gid, click("board", 0, 0), "NOT_YOUR_TURN").await;
    play(&alice, gid, click("board", 0, 0)).await;

    // Whack: the timer ran out while the server was down; it fires after
    // the restart and the round ends with alice's score from before.
    let end = wait_for(&alice, whack, "the leaderboard", |m| {
        !child(m, "scores").is_null()
    })
    .await;
    let entries = &child(&end, "scores")["entries"];
    assert_eq!(entries[0]["name"], "alice", "{end}");
    assert_eq!(entries[0]["score"].as_f64(), Some(1.0), "{end}");
}
