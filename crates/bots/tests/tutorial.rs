//! The tutorial's bot (examples/tutorial_tictactoe.rs) is at most 60 lines,
//! and it plays a real game through the server.

mod common;

#[allow(dead_code)]
#[path = "../examples/tutorial_tictactoe.rs"]
mod tutorial;

use common::TestServer;
use serde_json::json;

const SOURCE: &str = include_str!("../examples/tutorial_tictactoe.rs");

#[test]
fn tutorial_is_at_most_60_lines() {
    let n = SOURCE.lines().count();
    assert!(n <= 60, "the tutorial bot has {n} lines");
    // The guide shows the very same code.
    let doc = include_str!("../../../docs/tutorial-tictactoe.md");
    assert!(
        doc.contains(SOURCE.trim_end()),
        "docs/tutorial-tictactoe.md must show the example as it is"
    );
}

#[test]
fn tutorial_bot_plays_a_game() {
    let server = TestServer::start();
    server.embed(tutorial::Tutorial::default());
    let alice = server.player("alice");
    let mut bob = server.player("bob");
    alice.say("tut", &format!("/ttt @{}", bob.id));
    let msg = bob.wait_widget("tut");
    let id = msg["id"].as_i64().expect("id");
    assert_eq!(msg["content"], "alice (X) vs bob (O)", "{msg}");
    let click = |x: u32, y: u32| json!({"type": "cell_click", "x": x, "y": y});
    assert_eq!(bob.act(id, click(0, 0)), Err("NOT_YOUR_TURN".into()));
    let moves = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0)];
    for (n, (x, y)) in moves.into_iter().enumerate() {
        let p = if n % 2 == 0 { &alice } else { &bob };
        p.act(id, click(x, y)).expect("move");
        bob.wait_version(id, 2 + n as u64);
        if n == 0 {
            assert_eq!(bob.act(id, click(0, 0)), Err("NOT_ALLOWED".into()));
        }
    }
    let end = alice.fetch(id);
    assert!(end["widget"]["extra_data"]["turn"]
        .get("current_player")
        .is_none());
    assert_eq!(bob.act(id, click(2, 2)), Err("NOT_YOUR_TURN".into()));
}
