//! `/lobby tictactoe` through the server: join, ready, a setting, start by
//! the host, then the game it starts; a guest's start, a full lobby's join
//! and a start before everyone is ready are refused.

mod common;

use common::TestServer;
use serde_json::json;
use tulip_bots::games::lobby::Lobby;

#[test]
fn lobby_then_tictactoe() {
    let server = TestServer::start();
    server.embed(Lobby::default());
    let mut alice = server.player("alice");
    let mut bob = server.player("bob");
    let carol = server.player("carol");
    alice.say("hall", "/lobby tictactoe");
    let msg = bob.wait_widget("hall");
    let id = msg["id"].as_i64().expect("id");
    let mut version = msg["version"].as_u64().expect("version");
    assert_eq!(msg["widget"]["extra_data"]["game"], "tictactoe");

    let step = |p: &common::Player,
                it: serde_json::Value,
                version: &mut u64,
                watcher: &mut common::Player| {
        p.act(id, it).expect("accepted");
        *version += 1;
        watcher.wait_version(id, *version);
    };
    step(
        &bob,
        json!({"type": "lobby_join"}),
        &mut version,
        &mut alice,
    );
    // Joining twice, or a full lobby: refused by the server.
    assert!(bob.act(id, json!({"type": "lobby_join"})).is_err());
    assert!(carol.act(id, json!({"type": "lobby_join"})).is_err());
    // Only the host changes settings or starts.
    assert_eq!(
        bob.act(
            id,
            json!({"type": "lobby_setting", "key": "first", "value": "guest"})
        ),
        Err("NOT_ALLOWED".into())
    );
    assert_eq!(
        bob.act(id, json!({"type": "lobby_start"})),
        Err("NOT_ALLOWED".into())
    );
    step(
        &alice,
        json!({"type": "lobby_setting", "key": "first", "value": "guest"}),
        &mut version,
        &mut bob,
    );
    step(
        &alice,
        json!({"type": "lobby_ready", "ready": true}),
        &mut version,
        &mut bob,
    );
    // Bob is not ready: the bot does not start (nothing changes).
    alice
        .act(id, json!({"type": "lobby_start"}))
        .expect("accepted, ignored");
    step(
        &bob,
        json!({"type": "lobby_ready", "ready": true}),
        &mut version,
        &mut alice,
    );
    let m = alice.fetch(id);
    assert_eq!(
        m["version"].as_u64(),
        Some(version),
        "the early start changed nothing: {m}"
    );
    // Members are shown by name.
    let names: Vec<&str> = m["widget"]["extra_data"]["players"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, vec!["alice", "bob"], "{m}");
    assert_eq!(
        m["widget"]["extra_data"]["settings"]["first"]["value"],
        "guest"
    );
    step(
        &alice,
        json!({"type": "lobby_start"}),
        &mut version,
        &mut bob,
    );
    assert_eq!(
        alice.fetch(id)["widget"]["extra_data"]["status"],
        "in_progress"
    );

    // The game: Bob (the guest) moves first.
    let game = alice.wait("the game", |e| {
        e["type"] == "message" && e["message"]["widget"]["widget_type"] == "composite"
    });
    let gid = game["message"]["id"].as_i64().expect("game id");
    assert_eq!(
        game["message"]["content"], "Tic-tac-toe: bob (X) vs alice (O)",
        "{game}"
    );
    let click = |x: u32, y: u32| json!({"type": "cell_click", "child": "board", "x": x, "y": y});
    assert_eq!(alice.act(gid, click(0, 0)), Err("NOT_YOUR_TURN".into()));
    bob.act(gid, click(0, 0)).expect("bob moves");
    alice.wait_version(gid, 2);
    assert_eq!(alice.act(gid, click(0, 0)), Err("NOT_ALLOWED".into()));
    alice.act(gid, click(1, 1)).expect("alice moves");
    bob.wait_version(gid, 3);
}

/// `/lobby battleship`: a member leaves and comes back, then the game it
/// was made for starts, with each player's own fleet.
#[test]
fn lobby_then_battleship() {
    let server = TestServer::start();
    server.embed(Lobby::default());
    let alice = server.player("alice");
    let mut bob = server.player("bob");
    let mut carol = server.player("carol");
    alice.say("dock", "/lobby battleship");
    let msg = bob.wait_widget("dock");
    let id = msg["id"].as_i64().expect("id");
    assert_eq!(msg["widget"]["extra_data"]["game"], "battleship");
    let mut version = msg["version"].as_u64().expect("version");
    let members = |p: &common::Player| -> Vec<String> {
        p.fetch(id)["widget"]["extra_data"]["players"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut step = |p: &common::Player, it: serde_json::Value| {
        p.act(id, it).expect("accepted");
        version += 1;
        carol.wait_version(id, version);
    };
    step(&bob, json!({"type": "lobby_join"}));
    assert_eq!(members(&bob), vec!["alice", "bob"]);
    step(&bob, json!({"type": "lobby_leave"}));
    assert_eq!(members(&bob), vec!["alice"]);
    // Leaving twice: not a member any more, refused by the server.
    assert!(bob.act(id, json!({"type": "lobby_leave"})).is_err());
    step(&bob, json!({"type": "lobby_join"}));
    step(&bob, json!({"type": "lobby_ready", "ready": true}));
    step(&alice, json!({"type": "lobby_ready", "ready": true}));
    step(&alice, json!({"type": "lobby_start"}));
    let m = bob.fetch(id);
    assert_eq!(m["widget"]["extra_data"]["status"], "in_progress", "{m}");

    let game = bob.wait("the game", |e| {
        e["type"] == "message" && e["message"]["widget"]["widget_type"] == "composite"
    });
    assert_eq!(
        game["message"]["content"], "Battleship: alice vs bob",
        "{game}"
    );
    let gid = game["message"]["id"].as_i64().expect("game id");
    let fleet = |p: &common::Player| -> usize {
        let m = p.fetch(gid);
        m["widget"]["extra_data"]["widgets"]
            .as_array()
            .and_then(|w| w.iter().find(|c| c["id"] == "mine"))
            .and_then(|c| c["cells"].as_array())
            .map(|cells| cells.iter().filter(|c| c["content"] == "🚢").count())
            .unwrap_or(0)
    };
    assert_eq!(fleet(&alice), 7);
    assert_eq!(fleet(&bob), 7);
    assert_eq!(fleet(&carol), 0);
    let press = |a: &str| json!({"type": "button_click", "child": "controls", "action": a});
    assert_eq!(carol.act(gid, press("ready")), Err("NOT_ALLOWED".into()));
    alice.act(gid, press("shuffle")).expect("shuffle");
    bob.wait_version(gid, 2);
    bob.act(gid, press("ready")).expect("ready");
    bob.wait_version(gid, 3);
}
