//! `/tictactoe` played through the server's HTTP API and events, with the
//! bot embedded in the server and with the same bot running remotely.

mod common;

use common::{Player, TestServer};
use serde_json::{json, Value};
use tulip_bots::games::tictactoe::TicTacToe;

fn click(x: u32, y: u32) -> Value {
    json!({"type": "cell_click", "child": "board", "x": x, "y": y})
}

fn status(msg: &Value) -> String {
    let widgets = msg["widget"]["extra_data"]["widgets"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let hud = widgets
        .iter()
        .find(|w| w["id"] == "status")
        .cloned()
        .unwrap_or(Value::Null);
    hud["stats"][0]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// X wins along the top row; one move out of turn and one on a taken cell
/// are refused by the server.
fn play_a_whole_game(alice: &mut Player, bob: &mut Player) {
    alice.say("ttt", &format!("/tictactoe @{}", bob.id));
    let msg = bob.wait_widget("ttt");
    let id = msg["id"].as_i64().expect("id");
    assert!(status(&msg).contains("(X) to move"), "{msg}");
    let mut version = msg["version"].as_u64().expect("version");

    // Bob moves first: out of turn.
    assert_eq!(bob.act(id, click(1, 1)), Err("NOT_YOUR_TURN".into()));

    let moves = [(true, 0, 0), (false, 1, 1), (true, 1, 0), (false, 2, 2)];
    for (i, (is_alice, x, y)) in moves.into_iter().enumerate() {
        let p = if is_alice { &*alice } else { &*bob };
        p.act(id, click(x, y)).expect("move");
        version += 1;
        bob.wait_version(id, version);
        if i == 1 {
            // Alice on Bob's taken centre: illegal.
            assert_eq!(alice.act(id, click(1, 1)), Err("NOT_ALLOWED".into()));
        }
    }
    alice.act(id, click(2, 0)).expect("winning move");
    version += 1;
    alice.wait_version(id, version);
    let end = bob.fetch(id);
    assert!(status(&end).contains("wins"), "{end}");
    // Nobody plays after the end.
    assert_eq!(bob.act(id, click(0, 2)), Err("NOT_YOUR_TURN".into()));
    // A spectator could never play.
    let carol = Player::new(alice.api.base(), "carol");
    assert!(carol.act(id, click(0, 2)).is_err());
}

#[test]
fn tictactoe_embedded_whole_game() {
    let server = TestServer::start();
    server.embed(TicTacToe::default());
    let mut alice = server.player("alice");
    let mut bob = server.player("bob");
    play_a_whole_game(&mut alice, &mut bob);
}

#[test]
fn tictactoe_remote_whole_game() {
    let server = TestServer::start();
    server.remote(TicTacToe::default());
    let mut alice = server.player("alice");
    let mut bob = server.player("bob");
    play_a_whole_game(&mut alice, &mut bob);
}

#[test]
fn tictactoe_draw_with_an_open_seat() {
    let server = TestServer::start();
    server.embed(TicTacToe::default());
    let mut alice = server.player("alice");
    let mut bob = server.player("bob");
    alice.say("ttt2", "/tictactoe @bob");
    let msg = bob.wait_widget("ttt2");
    let id = msg["id"].as_i64().expect("id");
    let mut version = msg["version"].as_u64().expect("version");
    // X O X / X O O / O X X
    let moves = [
        (true, 0, 0),
        (false, 1, 0),
        (true, 2, 0),
        (false, 1, 1),
        (true, 0, 1),
        (false, 2, 1),
        (true, 1, 2),
        (false, 0, 2),
        (true, 2, 2),
    ];
    for (is_alice, x, y) in moves {
        let p = if is_alice { &alice } else { &bob };
        p.act(id, click(x, y)).expect("move");
        // Bob's first move claims the open seat: a replacement, then an update.
        let step = if !is_alice && version == 2 { 2 } else { 1 };
        version += step;
        alice.wait_version(id, version);
    }
    let end = alice.fetch(id);
    assert_eq!(status(&end), "Draw!", "{end}");
}
