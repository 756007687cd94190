//! `bots/python/tictactoe_bot.py` (standard library only) against the real
//! server: a person plays a whole game against it, and a game goes on after
//! the bot's process is killed and started again (it keeps each game with
//! its message as `bot_state`).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::TestServer;
use serde_json::{json, Value};

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn board(msg: &Value) -> Vec<String> {
    let mut b = vec![String::new(); 9];
    for c in msg["widget"]["extra_data"]["cells"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let (x, y) = (c["x"].as_u64().unwrap_or(0), c["y"].as_u64().unwrap_or(0));
        b[(y * 3 + x) as usize] = c["content"].as_str().unwrap_or("").to_owned();
    }
    b
}

/// Starts the Python bot; returns once it says `ready`.
fn start_bot(server: &TestServer) -> Kill {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../bots/python/tictactoe_bot.py"
    );
    let mut child = Command::new("python3")
        .arg(script)
        .args(["--server", &server.base, "--name", "py-bot"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let stdout = child.stdout.take().expect("stdout");
    let guard = Kill(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("read");
    assert_eq!(line.trim(), "ready");
    guard
}

#[test]
fn python_bot_started_again_picks_up_its_game() {
    let server = TestServer::start();
    let bot = start_bot(&server);
    let mut alice = server.player("alice");
    alice.say("py2", "/pytictactoe");
    let msg = alice.wait_widget("py2");
    let id = msg["id"].as_i64().expect("id");
    let click = |i: usize| json!({"type": "cell_click", "x": i % 3, "y": i / 3});
    alice.act(id, click(0)).expect("move");
    alice.wait_version(id, 2);
    let before = board(&alice.fetch(id));
    assert_eq!(before.iter().filter(|c| *c == "O").count(), 1, "{before:?}");

    // The bot's process dies and a new one starts, knowing nothing.
    drop(bot);
    let _bot = start_bot(&server);
    let free = before.iter().position(String::is_empty).expect("free");
    alice.act(id, click(free)).expect("move");
    alice.wait_version(id, 3);
    let after = board(&alice.fetch(id));
    // The new process answered, on the board as it was.
    assert_eq!(after.iter().filter(|c| *c == "X").count(), 2, "{after:?}");
    let o = after.iter().filter(|c| *c == "O").count();
    assert!(o == 2 || after.iter().all(|c| !c.is_empty()), "{after:?}");
    for (i, c) in before.iter().enumerate() {
        if !c.is_empty() {
            assert_eq!(&after[i], c, "{before:?} -> {after:?}");
        }
    }
}

#[test]
fn python_bot_plays_a_whole_game() {
    let server = TestServer::start();
    let _guard = start_bot(&server);

    let mut alice = server.player("alice");
    let bob = server.player("bob");
    alice.say("py", "/pytictactoe");
    let msg = alice.wait_widget("py");
    let id = msg["id"].as_i64().expect("id");
    let mut version = msg["version"].as_u64().expect("version");
    let click = |i: usize| json!({"type": "cell_click", "x": i % 3, "y": i / 3});

    // Bob is not a player of Alice's game.
    assert_eq!(bob.act(id, click(0)), Err("NOT_ALLOWED".into()));
    let mut moves = 0;
    loop {
        let m = alice.fetch(id);
        if m["widget"]["extra_data"]["turn"]
            .get("current_player")
            .is_none()
        {
            break;
        }
        let b = board(&m);
        if moves == 1 {
            // A taken cell: refused by the server.
            let taken = b.iter().position(|c| !c.is_empty()).expect("a mark");
            assert_eq!(alice.act(id, click(taken)), Err("NOT_ALLOWED".into()));
        }
        let free = b.iter().position(String::is_empty).expect("a free cell");
        alice.act(id, click(free)).expect("move");
        version += 1;
        alice.wait_version(id, version);
        moves += 1;
        assert!(moves <= 5, "the game never ended");
    }
    let b = board(&alice.fetch(id));
    assert!(b.iter().filter(|c| *c == "O").count() >= 2, "{b:?}");
    // After the end, every move is refused.
    let free = b.iter().position(String::is_empty);
    if let Some(f) = free {
        assert_eq!(alice.act(id, click(f)), Err("NOT_YOUR_TURN".into()));
    }
}
