//! Test helpers: a real server in-process (on a port-0 listener, its own
//! runtime), bots embedded in it or run remotely, and players who talk to it
//! over HTTP and read their own long-poll queue.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tulip_bots::remote::{self, Api};
use tulip_bots::{BotError, GameBot};
use tulip_server::db::Db;
use tulip_server::{app, start, AppState, Config};

pub const WAIT: Duration = Duration::from_secs(10);

pub struct TestServer {
    pub base: String,
    pub state: AppState,
    pub rt: tokio::runtime::Runtime,
}

impl TestServer {
    pub fn start() -> TestServer {
        TestServer::start_with(None, 0)
    }

    /// A server on the database file `db` (in memory when `None`) and on
    /// `port` (0: any free one).
    pub fn start_with(db: Option<&std::path::Path>, port: u16) -> TestServer {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let (state, addr) = rt.block_on(async {
            let db = match db {
                Some(p) => Db::open(p).expect("db"),
                None => Db::open_in_memory().expect("db"),
            };
            let state = AppState::new(
                Config {
                    dev_login: true,
                    heartbeat: Duration::from_secs(2),
                    // Tests click faster than people.
                    interaction_rate: (1000.0, 1000.0),
                    ..Config::default()
                },
                db,
            );
            start(&state).await.expect("start");
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
                .await
                .expect("bind");
            let addr = listener.local_addr().expect("addr");
            let router = app(state.clone());
            tokio::spawn(async move {
                tulip_server::serve(listener, router, std::future::pending())
                    .await
                    .expect("serve");
            });
            (state, addr)
        });
        TestServer {
            base: format!("http://{addr}"),
            state,
            rt,
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.base
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port")
    }

    /// Stops the server at once, as a crash would: every task is dropped,
    /// every connection closed; what SQLite committed stays.
    pub fn kill(self) {
        self.rt.shutdown_background();
    }

    /// The ids of the event queues `user_id` has now.
    pub fn queues_of(&self, user_id: i64) -> Vec<String> {
        self.state
            .queues
            .all()
            .iter()
            .filter(|q| q.user_id == user_id)
            .map(|q| q.id.clone())
            .collect()
    }

    /// Runs `bot` inside the server.
    pub fn embed<B: GameBot>(&self, bot: B) {
        self.rt
            .block_on(tulip_server::bots::spawn_sdk(self.state.clone(), bot))
            .expect("spawn bot");
    }

    /// Runs `bot` in a thread of its own against the server's HTTP API, as
    /// an external bot would; returns once its commands are registered.
    pub fn remote<B: GameBot>(&self, bot: B) {
        let api = Api::dev_login(&self.base, &bot.name(), true).expect("bot login");
        let check = api.clone();
        let want = bot.commands();
        std::thread::spawn(move || remote::run(bot, api));
        let deadline = Instant::now() + WAIT;
        loop {
            let v = check.get("/bots/commands", &[]).expect("commands");
            let owned: Vec<String> =
                serde_json::from_value(v["commands"].clone()).unwrap_or_default();
            if want.iter().all(|c| owned.contains(c)) {
                break;
            }
            assert!(Instant::now() < deadline, "the remote bot did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn player(&self, name: &str) -> Player {
        Player::new(&self.base, name)
    }
}

/// A person in the chat: their API handle and their event queue.
pub struct Player {
    pub api: Api,
    pub id: i64,
    queue: String,
    last: u64,
    backlog: Vec<Value>,
}

impl Player {
    pub fn new(base: &str, name: &str) -> Player {
        let api = Api::dev_login(base, name, false).expect("login");
        let queue = api.register(json!({})).expect("register");
        Player {
            id: api.user_id(),
            api,
            queue,
            last: 0,
            backlog: Vec::new(),
        }
    }

    /// Posts a chat line (a command, say).
    pub fn say(&self, topic: &str, text: &str) -> i64 {
        self.api.send_message(topic, text, None).expect("post")
    }

    /// The first event (in order) that `pred` accepts, waiting for it.
    pub fn wait(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(i) = self.backlog.iter().position(&pred) {
                return self.backlog.remove(i);
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; saw {:?}",
                self.backlog
            );
            let events = self
                .api
                .events(&self.queue, self.last, false)
                .expect("events");
            for e in events {
                self.last = e["id"].as_u64().unwrap_or(self.last);
                if e["type"] != "heartbeat" {
                    self.backlog.push(e);
                }
            }
        }
    }

    /// Waits for the bot's widget message in `topic`; returns it.
    pub fn wait_widget(&mut self, topic: &str) -> Value {
        let t = topic.to_owned();
        let e = self.wait("a widget message", move |e| {
            e["type"] == "message"
                && e["message"]["topic"] == t.as_str()
                && !e["message"]["widget"].is_null()
        });
        e["message"].clone()
    }

    /// Waits for the update of `message_id` to `version`.
    pub fn wait_version(&mut self, message_id: i64, version: u64) -> Value {
        self.wait(&format!("version {version} of {message_id}"), move |e| {
            (e["type"] == "widget_update" || e["type"] == "widget_replace")
                && e["message_id"] == message_id
                && e["version"].as_u64() >= Some(version)
        })
    }

    /// Interacts; the server's refusal code, if any.
    pub fn act(&self, message_id: i64, interaction: Value) -> Result<(), String> {
        match self.api.interact(message_id, interaction) {
            Ok(_) => Ok(()),
            Err(BotError::Api { code, .. }) => Err(code),
            Err(e) => panic!("{e}"),
        }
    }

    /// The message as this player sees it now.
    pub fn fetch(&self, message_id: i64) -> Value {
        self.api.get_message(message_id).expect("fetch")
    }
}
