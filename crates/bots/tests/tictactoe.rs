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
    assert_eq!(status(&msg), "alice (X) to move", "{msg}");
    assert_eq!(msg["content"], "Tic-tac-toe: alice (X) vs bob (O)", "{msg}");
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
    assert_eq!(status(&end), "alice (X) wins!", "{end}");
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

fn players(msg: &Value) -> Vec<(i64, String)> {
    msg["widget"]["extra_data"]["players"]["list"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|p| {
            let id = p["id"].as_i64().or_else(|| p["id"].as_str()?.parse().ok());
            (id.unwrap_or(0), p["name"].as_str().unwrap_or("").to_owned())
        })
        .collect()
}

/// `/tictactoe @Bob` (a name, any case) seats bob: a third user may not
/// play, bob may; everyone is shown by name.
fn bob_is_seated_by_name(alice: &mut Player, bob: &mut Player, carol: &Player) {
    alice.say("ttt3", "/tictactoe @Bob");
    let msg = bob.wait_widget("ttt3");
    let id = msg["id"].as_i64().expect("id");
    assert_eq!(status(&msg), "alice (X) to move", "{msg}");
    assert_eq!(msg["content"], "Tic-tac-toe: alice (X) vs bob (O)", "{msg}");
    assert_eq!(
        players(&msg),
        vec![(alice.id, "alice".to_owned()), (bob.id, "bob".to_owned())],
        "{msg}"
    );
    alice.act(id, click(0, 0)).expect("alice moves");
    bob.wait_version(id, 2);
    assert_eq!(status(&bob.fetch(id)), "bob (O) to move");
    // Carol is not a player: refused by the server, the bot never hears it.
    assert_eq!(carol.act(id, click(1, 1)), Err("NOT_ALLOWED".into()));
    bob.act(id, click(1, 1)).expect("bob moves");
    let up = alice.wait_version(id, 3);
    assert_eq!(up["type"], "widget_update", "no seat was open: {up}");
    let now = alice.fetch(id);
    assert_eq!(status(&now), "alice (X) to move", "{now}");
    assert_eq!(now["version"].as_u64(), Some(3));

    // A bot is nobody's opponent by name: the seat stays open, shown with
    // the name typed.
    alice.say("ttt3b", "/tictactoe @tictactoe-bot");
    let msg = bob.wait_widget("ttt3b");
    assert!(players(&msg).is_empty(), "{msg}");
    assert_eq!(
        msg["content"], "Tic-tac-toe: alice (X) vs tictactoe-bot (O)",
        "{msg}"
    );
}

#[test]
fn tictactoe_embedded_seats_a_named_opponent() {
    let server = TestServer::start();
    server.embed(TicTacToe::default());
    let mut alice = server.player("alice");
    let mut bob = server.player("bob");
    let carol = server.player("carol");
    bob_is_seated_by_name(&mut alice, &mut bob, &carol);
}

#[test]
fn tictactoe_remote_seats_a_named_opponent() {
    let server = TestServer::start();
    server.remote(TicTacToe::default());
    let mut alice = server.player("alice");
    let mut bob = server.player("bob");
    let carol = server.player("carol");
    bob_is_seated_by_name(&mut alice, &mut bob, &carol);
}

/// `@zed`: nobody has that name, so the seat is open (shown as `zed`)
/// until bob takes it with his first move; from then on he is shown by name.
#[test]
fn tictactoe_draw_with_an_open_seat() {
    let server = TestServer::start();
    server.embed(TicTacToe::default());
    let mut alice = server.player("alice");
    let mut bob = server.player("bob");
    alice.say("ttt2", "/tictactoe @zed");
    let msg = bob.wait_widget("ttt2");
    let id = msg["id"].as_i64().expect("id");
    assert!(players(&msg).is_empty(), "the seat is open: {msg}");
    assert_eq!(msg["content"], "Tic-tac-toe: alice (X) vs zed (O)", "{msg}");
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
        if version == 2 {
            assert_eq!(status(&alice.fetch(id)), "zed (O) to move");
        }
        if version == 4 {
            let now = alice.fetch(id);
            assert_eq!(status(&now), "alice (X) to move", "{now}");
            assert_eq!(players(&now)[1], (bob.id, "bob".to_owned()), "{now}");
        }
    }
    let end = alice.fetch(id);
    assert_eq!(status(&end), "Draw!", "{end}");
}
