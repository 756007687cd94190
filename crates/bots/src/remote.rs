//! Running a bot against a remote server: the HTTP API ([`Api`]) and the
//! long-poll loop ([`run`]).
//!
//! ```no_run
//! use tulip_bots::{games::tictactoe::TicTacToe, remote::{self, Api}};
//! let api = Api::dev_login("http://127.0.0.1:8080", "tictactoe-bot", true)?;
//! remote::run(TicTacToe::default(), api)?;
//! # Ok::<(), tulip_bots::BotError>(())
//! ```

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use crate::{dispatch, BotError, BotResult, Ctx, GameBot, Transport};

/// One user's (or bot's) handle on the HTTP API of a server.
#[derive(Clone)]
pub struct Api {
    base: String,
    key: String,
    user_id: i64,
    agent: ureq::Agent,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("Api")
            .field("base", &self.base)
            .field("user_id", &self.user_id)
            .finish()
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        // Longer than any long-poll (the server answers with a heartbeat).
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

fn transport_err(e: impl std::fmt::Display) -> BotError {
    BotError::Transport(e.to_string())
}

impl Api {
    /// An API handle for the account with `api_key` on the server at `base`
    /// (`http://host:port`); asks the server who that is.
    pub fn new(base: &str, api_key: &str) -> BotResult<Api> {
        let mut api = Api {
            base: base.trim_end_matches('/').to_owned(),
            key: api_key.to_owned(),
            user_id: 0,
            agent: agent(),
        };
        let me = api.get("/users/me", &[])?;
        api.user_id = me.get("user_id").and_then(Value::as_i64).unwrap_or(0);
        Ok(api)
    }

    /// Logs in through `POST /dev/login` (servers started with `--dev-login`).
    pub fn dev_login(base: &str, name: &str, bot: bool) -> BotResult<Api> {
        let mut api = Api {
            base: base.trim_end_matches('/').to_owned(),
            key: String::new(),
            user_id: 0,
            agent: agent(),
        };
        let v = api.post("/dev/login", json!({"name": name, "bot": bot}))?;
        api.key = v
            .get("api_key")
            .and_then(Value::as_str)
            .ok_or_else(|| transport_err("no api_key in the login answer"))?
            .to_owned();
        api.user_id = v.get("user_id").and_then(Value::as_i64).unwrap_or(0);
        Ok(api)
    }

    pub fn user_id(&self) -> i64 {
        self.user_id
    }
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Any call: `method` on `/api/v1{path}` with `query` and an optional
    /// JSON body. A `{"result": "error"}` answer is a [`BotError::Api`].
    pub fn call(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> BotResult<Value> {
        let url = format!("{}/api/v1{}", self.base, path);
        let auth = format!("Bearer {}", self.key);
        let result = match (method, body) {
            ("GET", _) => self
                .agent
                .get(&url)
                .header("Authorization", &auth)
                .query_pairs(query.iter().copied())
                .call(),
            ("DELETE", _) => self
                .agent
                .delete(&url)
                .header("Authorization", &auth)
                .query_pairs(query.iter().copied())
                .call(),
            ("PUT", b) => self
                .agent
                .put(&url)
                .header("Authorization", &auth)
                .query_pairs(query.iter().copied())
                .content_type("application/json")
                .send(b.unwrap_or(json!({})).to_string()),
            ("PATCH", b) => self
                .agent
                .patch(&url)
                .header("Authorization", &auth)
                .query_pairs(query.iter().copied())
                .content_type("application/json")
                .send(b.unwrap_or(json!({})).to_string()),
            (_, b) => self
                .agent
                .post(&url)
                .header("Authorization", &auth)
                .query_pairs(query.iter().copied())
                .content_type("application/json")
                .send(b.unwrap_or(json!({})).to_string()),
        };
        let mut resp = result.map_err(transport_err)?;
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().map_err(transport_err)?;
        let v: Value = serde_json::from_str(&text)
            .map_err(|_| transport_err(format!("HTTP {status}: not JSON")))?;
        if status >= 400 || v.get("result").and_then(Value::as_str) == Some("error") {
            let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
            return Err(BotError::Api {
                status,
                code: s("code").unwrap_or_else(|| "ERROR".into()),
                msg: s("msg").unwrap_or_default(),
                path: s("path"),
            });
        }
        Ok(v)
    }

    pub fn get(&self, path: &str, query: &[(&str, &str)]) -> BotResult<Value> {
        self.call("GET", path, query, None)
    }
    pub fn post(&self, path: &str, body: Value) -> BotResult<Value> {
        self.call("POST", path, &[], Some(body))
    }
    pub fn patch(&self, path: &str, body: Value) -> BotResult<Value> {
        self.call("PATCH", path, &[], Some(body))
    }

    /// `POST /messages`.
    pub fn send_message(
        &self,
        topic: &str,
        content: &str,
        widget: Option<Value>,
    ) -> BotResult<i64> {
        self.send_message_with_state(topic, content, widget, None)
    }
    /// `POST /messages`, with the sender's private `bot_state`.
    pub fn send_message_with_state(
        &self,
        topic: &str,
        content: &str,
        widget: Option<Value>,
        bot_state: Option<Value>,
    ) -> BotResult<i64> {
        let mut body = json!({"topic": topic, "content": content});
        if let Some(w) = widget {
            body["widget"] = w;
        }
        if let Some(s) = bot_state {
            body["bot_state"] = s;
        }
        let v = self.post("/messages", body)?;
        id_of(&v, "id")
    }
    /// `GET /messages/{id}`: the message resolved for this user.
    pub fn get_message(&self, id: i64) -> BotResult<Value> {
        let v = self.get(&format!("/messages/{id}"), &[])?;
        Ok(v.get("message").cloned().unwrap_or(Value::Null))
    }
    /// `GET /messages/{id}/bot_state`: the sender's private state (`Null`
    /// when none).
    pub fn get_bot_state(&self, id: i64) -> BotResult<Value> {
        let v = self.get(&format!("/messages/{id}/bot_state"), &[])?;
        Ok(v.get("bot_state").cloned().unwrap_or(Value::Null))
    }
    /// `PUT /messages/{id}/bot_state`.
    pub fn put_bot_state(&self, id: i64, state: Value) -> BotResult<()> {
        self.call(
            "PUT",
            &format!("/messages/{id}/bot_state"),
            &[],
            Some(json!({ "bot_state": state })),
        )
        .map(|_| ())
    }
    /// `POST /messages/{id}/interactions`; the interaction id.
    pub fn interact(&self, message_id: i64, interaction: Value) -> BotResult<u64> {
        let v = self.post(&format!("/messages/{message_id}/interactions"), interaction)?;
        Ok(v.get("interaction_id").and_then(Value::as_u64).unwrap_or(0))
    }
    /// `POST /bots/commands`.
    pub fn register_commands(&self, commands: &[String]) -> BotResult<Value> {
        self.post("/bots/commands", json!({ "commands": commands }))
    }
    /// `DELETE /events?queue_id`: drops a queue.
    pub fn delete_queue(&self, queue_id: &str) -> BotResult<()> {
        self.call("DELETE", "/events", &[("queue_id", queue_id)], None)
            .map(|_| ())
    }
    /// `POST /register`: a new event queue; its id.
    pub fn register(&self, subs: Value) -> BotResult<String> {
        let v = self.post("/register", subs)?;
        v.get("queue_id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| transport_err("no queue_id"))
    }
    /// `GET /events`: acknowledges up to `last_event_id` and returns what
    /// follows (waiting for it unless `dont_block`).
    pub fn events(
        &self,
        queue_id: &str,
        last_event_id: u64,
        dont_block: bool,
    ) -> BotResult<Vec<Value>> {
        let last = last_event_id.to_string();
        let mut q = vec![("queue_id", queue_id), ("last_event_id", last.as_str())];
        if dont_block {
            q.push(("dont_block", "true"));
        }
        let v = self.get("/events", &q)?;
        Ok(v.get("events")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default())
    }
}

/// The people of a `GET /users` answer: `(user_id, name)`, bots left out.
pub fn people(answer: &Value) -> Vec<(i64, String)> {
    answer
        .get("users")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter(|u| u.get("bot").and_then(Value::as_bool) != Some(true))
                .filter_map(|u| {
                    let id = u.get("user_id").and_then(Value::as_i64)?;
                    let name = u.get("name").and_then(Value::as_str)?;
                    Some((id, name.to_owned()))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn id_of(v: &Value, k: &str) -> BotResult<i64> {
    v.get(k)
        .and_then(Value::as_i64)
        .ok_or_else(|| transport_err(format!("no `{k}` in the answer")))
}

impl Transport for Api {
    fn user_id(&self) -> i64 {
        self.user_id
    }
    fn post(
        &mut self,
        topic: &str,
        content: &str,
        widget: Option<Value>,
        state: Option<Value>,
    ) -> BotResult<i64> {
        self.send_message_with_state(topic, content, widget, state)
    }
    fn update(&mut self, message_id: i64, update: Value, state: Option<Value>) -> BotResult<u64> {
        let mut body = json!({ "update": update });
        if let Some(s) = state {
            body["bot_state"] = s;
        }
        let v = self.patch(&format!("/messages/{message_id}/widget"), body)?;
        Ok(v.get("version").and_then(Value::as_u64).unwrap_or(0))
    }
    fn replace(&mut self, message_id: i64, widget: Value, state: Option<Value>) -> BotResult<u64> {
        let mut body = json!({ "widget": widget });
        if let Some(s) = state {
            body["bot_state"] = s;
        }
        let v = self.patch(&format!("/messages/{message_id}/widget"), body)?;
        Ok(v.get("version").and_then(Value::as_u64).unwrap_or(0))
    }
    fn message(&mut self, message_id: i64) -> BotResult<Value> {
        self.get_message(message_id)
    }
    fn load_state(&mut self, message_id: i64) -> BotResult<Value> {
        self.get_bot_state(message_id)
    }
    fn save_state(&mut self, message_id: i64, state: Value) -> BotResult<()> {
        self.put_bot_state(message_id, state)
    }
    fn users(&mut self) -> BotResult<Vec<(i64, String)>> {
        Ok(people(&self.get("/users", &[])?))
    }
}

/// Runs `bot` against the server of `api` until the process ends: claims
/// its commands, calls `on_start`, then long-polls its own event queue
/// (registered for nothing but the events addressed to it) and hands each
/// event to the bot. A lost queue (`BAD_EVENT_QUEUE_ID`: the server
/// restarted, say) is registered again, and `on_reconnect` called.
pub fn run<B: GameBot>(bot: B, api: Api) -> BotResult<()> {
    run_until(bot, api, Arc::new(AtomicBool::new(false)))
}

/// [`run`], returning once `stop` is set (checked between long-polls),
/// after `on_stop`.
pub fn run_until<B: GameBot>(mut bot: B, api: Api, stop: Arc<AtomicBool>) -> BotResult<()> {
    // Only our addressed events: commands, interactions, timers. The queue
    // exists before the commands are claimed, so no command is missed.
    let subs = json!({"topics": [], "message_ids": []});
    let mut queue = Some(api.register(subs.clone())?);
    api.register_commands(&bot.commands())?;
    let mut ctx = Ctx::new(Box::new(api.clone()));
    bot.on_start(&mut ctx)?;
    while !stop.load(Ordering::Relaxed) {
        let q = match queue.take() {
            Some(q) => q,
            None => match api.register(subs.clone()) {
                Ok(q) => {
                    if let Err(e) = bot.on_reconnect(&mut ctx) {
                        eprintln!("{}: on_reconnect failed: {e}", bot.name());
                    }
                    q
                }
                Err(e) => {
                    eprintln!("{}: register failed: {e}", bot.name());
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            },
        };
        let mut last = 0u64;
        let mut lost = false;
        while !stop.load(Ordering::Relaxed) {
            let events = match api.events(&q, last, false) {
                Ok(ev) => ev,
                Err(BotError::Api { code, .. }) if code == "BAD_EVENT_QUEUE_ID" => {
                    lost = true;
                    break;
                }
                Err(e) => {
                    eprintln!("{}: events failed: {e}", bot.name());
                    std::thread::sleep(Duration::from_millis(500));
                    continue;
                }
            };
            for ev in events {
                last = ev.get("id").and_then(Value::as_u64).unwrap_or(last);
                if let Err(e) = dispatch(&mut bot, &mut ctx, &ev) {
                    eprintln!("{}: handler failed: {e}", bot.name());
                }
            }
        }
        if !lost {
            // Stopping: drop the queue, so that the server does not keep
            // events nobody will read.
            let _ = api.delete_queue(&q);
        }
    }
    bot.on_stop(&mut ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_leaves_out_bots_and_junk() {
        let v = json!({"users": [
            {"user_id": 1, "name": "alice", "bot": false},
            {"user_id": 2, "name": "tictactoe-bot", "bot": true},
            {"user_id": 3, "name": "bob"},
            {"user_id": "4", "name": "odd"},
            {"user_id": 5}
        ]});
        assert_eq!(people(&v), vec![(1, "alice".into()), (3, "bob".into())]);
        assert!(people(&json!({})).is_empty());
    }
}
