//! Remote bots and restarts. A bot process that stops and starts again
//! (its memory gone) picks up its games from the state the server keeps
//! with each message; a bot that outlives a server restart registers a new
//! queue by itself (`on_reconnect`) and plays on.

mod common;

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::{Player, TestServer, WAIT};
use serde_json::{json, Value};
use tulip_bots::games::battleship::Battleship;
use tulip_bots::games::tictactoe::TicTacToe;
use tulip_bots::remote::{self, Api};
use tulip_bots::{BotResult, Command, Ctx, GameBot, Interaction};

/// A remote bot in a thread, until `stop`.
struct Running {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<BotResult<()>>,
}

/// Starts `bot` remotely and returns once its new queue exists.
fn run_remote<B: GameBot>(server: &TestServer, bot: B) -> (Running, i64) {
    let api = Api::dev_login(&server.base, &bot.name(), true).expect("bot login");
    let id = api.user_id();
    let before = server.queues_of(id);
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let thread = std::thread::spawn(move || remote::run_until(bot, api, flag));
    wait_until("the bot's new queue", || {
        server.queues_of(id).iter().any(|q| !before.contains(q))
    });
    (Running { stop, thread }, id)
}

impl Running {
    fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        // The long-poll returns within the test server's 2 s heartbeat.
        self.thread.join().expect("bot thread").expect("bot result");
    }
}

fn wait_until(what: &str, f: impl Fn() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn child<'a>(msg: &'a Value, id: &str) -> &'a Value {
    msg["widget"]["extra_data"]["widgets"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["id"] == id))
        .unwrap_or(&Value::Null)
}

fn status(msg: &Value) -> String {
    child(msg, "status")["stats"][0]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Acts, then waits for the bot's answer (the next version).
fn play(watcher: &mut Player, p: Option<&Player>, id: i64, it: Value) -> Value {
    let v = watcher.fetch(id)["version"].as_u64().expect("version");
    p.unwrap_or(&*watcher).act(id, it).expect("accepted");
    watcher.wait_version(id, v + 1);
    watcher.fetch(id)
}

fn click(grid: &str, x: u64, y: u64) -> Value {
    json!({"type": "cell_click", "child": grid, "x": x, "y": y})
}

#[test]
fn a_remote_bot_started_again_picks_up_its_games() {
    let server = TestServer::start();
    let (first, bot_id) = run_remote(&server, TicTacToe::default());
    let mut alice = server.player("alice");
    let bob = server.player("bob");
    alice.say("again", "/tictactoe @bob");
    let id = alice.wait_widget("again")["id"].as_i64().expect("id");
    play(&mut alice, None, id, click("board", 0, 0));
    play(&mut alice, Some(&bob), id, click("board", 1, 1));

    // The bot process ends (its games in memory with it) and a new one
    // starts: nothing in memory.
    first.stop();
    assert!(
        server.queues_of(bot_id).is_empty(),
        "the stopped bot dropped its queue"
    );
    let (second, _) = run_remote(&server, TicTacToe::default());

    let m = play(&mut alice, None, id, click("board", 1, 0));
    assert_eq!(status(&m), "bob (O) to move", "{m}");
    play(&mut alice, Some(&bob), id, click("board", 0, 1));
    let end = play(&mut alice, None, id, click("board", 2, 0));
    assert_eq!(status(&end), "alice (X) wins!", "{end}");
    // Left running: it ends with the test process (a stop would wait for
    // its long-poll to come back).
    drop(second);
}

/// Battleship, counting `on_reconnect`.
struct Counting {
    inner: Battleship,
    reconnects: Arc<AtomicU32>,
}

impl GameBot for Counting {
    fn name(&self) -> String {
        self.inner.name()
    }
    fn commands(&self) -> Vec<String> {
        self.inner.commands()
    }
    fn on_command(&mut self, ctx: &mut Ctx, cmd: &Command) -> BotResult<()> {
        self.inner.on_command(ctx, cmd)
    }
    fn on_interaction(&mut self, ctx: &mut Ctx, ev: &Interaction) -> BotResult<()> {
        self.inner.on_interaction(ctx, ev)
    }
    fn on_reconnect(&mut self, _ctx: &mut Ctx) -> BotResult<()> {
        self.reconnects.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
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

#[test]
fn a_remote_bot_outlives_a_server_restart() {
    let db = std::env::temp_dir().join(format!(
        "tulip-bots-restart-{}-{}.db",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    let server = TestServer::start_with(Some(&db), 0);
    let port = server.port();
    let reconnects = Arc::new(AtomicU32::new(0));
    let bot = Counting {
        inner: Battleship::default(),
        reconnects: reconnects.clone(),
    };
    let (running, _) = run_remote(&server, bot);
    let mut alice = server.player("alice");
    let bob = server.player("bob");
    alice.say("sea", "/battleship @bob");
    let id = alice.wait_widget("sea")["id"].as_i64().expect("id");
    let ready = json!({"type": "button_click", "child": "controls", "action": "ready"});
    play(&mut alice, None, id, ready.clone());
    play(&mut alice, Some(&bob), id, ready);
    let bob_fleet = cells(&bob.fetch(id), "mine", "🚢");
    let alice_fleet = cells(&alice.fetch(id), "mine", "🚢");
    play(
        &mut alice,
        None,
        id,
        click("target", bob_fleet[0].0, bob_fleet[0].1),
    );

    // The server dies and comes back on the same port and database.
    server.kill();
    let server = TestServer::start_with(Some(&db), port);
    let mut alice = server.player("alice");
    let bob = server.player("bob");
    wait_until("the bot to register again", || {
        reconnects.load(Ordering::Relaxed) >= 1
    });

    let water = (0..6u64)
        .flat_map(|y| (0..6u64).map(move |x| (x, y)))
        .find(|c| !alice_fleet.contains(c))
        .expect("water");
    play(
        &mut alice,
        Some(&bob),
        id,
        click("target", water.0, water.1),
    );
    let a = play(
        &mut alice,
        None,
        id,
        click("target", bob_fleet[1].0, bob_fleet[1].1),
    );
    assert_eq!(cells(&a, "target", "💥").len(), 2, "{a}");
    assert_eq!(cells(&a, "mine", "•"), vec![water], "{a}");
    drop(running);
    drop(server);
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
}
