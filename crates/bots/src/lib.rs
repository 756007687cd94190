//! # tulip-bots
//!
//! The bots SDK of Tulip game widgets, and the demo games written with it.
//!
//! A bot implements [`GameBot`]: it names its commands and handles
//! commands, interactions, timer expiries and its lifecycle (start, a lost
//! event queue, stop). It acts through [`Ctx`]: post a widget, update it,
//! replace it, say something. The same bot runs
//!
//! - **embedded** in `tulip-server` (`tulip_server::bots::spawn_sdk`), where
//!   [`Ctx`] calls the server's functions in-process, or
//! - **remote** against any server over HTTP and its own long-poll event
//!   queue ([`remote::run`]),
//!
//! without code changes: [`Ctx`] sits on a [`Transport`] with one
//! implementation for each.
//!
//! Widgets and updates are built with [`build::WidgetBuilder`] and
//! [`build::UpdateBuilder`]. Everything is checked by `tulip-core` *before*
//! it is sent: a bad build is a [`BotError::Invalid`] with the JSON path of
//! the bad field, and nothing reaches the server. [`helpers`] has turns,
//! seats (players) and per-user views.
//!
//! Game state survives restarts: [`store::Games`] keeps each game's state
//! (any `serde` type that implements [`GameState`]) **on the server, with
//! its message**, written in the same step as the widget change it goes
//! with. After a restart of the server or of the bot, the first event of a
//! game loads its state back and the game goes on where it was.
//! [`Ctx::post_with_state`], [`Ctx::update_with_state`] and
//! [`Ctx::load_state`] are the plain calls underneath.
//!
//! Players have names: [`Ctx::user_name`] and [`Ctx::find_user`] read the
//! server's user list ([`Transport::users`]) once and cache it;
//! [`Ctx::opponent`] turns `/game @bob` into bob's id, and
//! [`Ctx::name_seats`] shows seated players as `alice` rather than `user 8`.

pub mod build;
pub mod games;
pub mod helpers;
pub mod remote;
pub mod store;

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use tulip_core::{Errors, Policy, Widget};

pub use build::{el, El, UpdateBuilder, WidgetBuilder};
pub use helpers::{Names, Opponent, Seats, Turns};
pub use store::{GameState, Games};
pub use tulip_core::interact::Action;
pub use tulip_core::UserId;

/// What went wrong in a bot.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BotError {
    /// A widget or update failed `tulip-core`'s validation; nothing was sent.
    #[error("invalid {what}: {code} at `{path}`: {msg}")]
    Invalid {
        what: &'static str,
        code: String,
        path: String,
        msg: String,
    },
    /// The server answered with an error.
    #[error("server said {status} {code}: {msg}")]
    Api {
        status: u16,
        code: String,
        msg: String,
        path: Option<String>,
    },
    /// The server could not be reached, or answered something unreadable.
    #[error("transport: {0}")]
    Transport(String),
    /// Anything else (a game's own refusal, for example).
    #[error("{0}")]
    Other(String),
}

impl BotError {
    pub(crate) fn invalid(what: &'static str, e: &Errors) -> BotError {
        match e.first() {
            Some(w) => BotError::Invalid {
                what,
                code: w.code.as_str().to_owned(),
                path: w.path.clone(),
                msg: w.msg.clone(),
            },
            None => BotError::Invalid {
                what,
                code: "INVALID".into(),
                path: String::new(),
                msg: e.to_string(),
            },
        }
    }

    /// The error code, when there is one (`Invalid` and `Api`).
    pub fn code(&self) -> Option<&str> {
        match self {
            BotError::Invalid { code, .. } | BotError::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

pub type BotResult<T> = Result<T, BotError>;

// ---------------------------------------------------------------------------
// Events

/// `/command args` typed in a topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    pub topic: String,
    pub user_id: i64,
    pub command: String,
    /// The rest of the line, trimmed.
    pub args: String,
    /// The message that carried the command.
    pub message_id: i64,
}

impl Command {
    /// The arguments split on whitespace.
    pub fn words(&self) -> Vec<&str> {
        self.args.split_whitespace().collect()
    }
}

/// A user's interaction with one of the bot's widgets. The server has
/// already checked it against the widget (rules, turn, spectators...).
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub message_id: i64,
    pub user_id: i64,
    /// What they did; `None` if the SDK could not read it (see `raw`).
    pub action: Option<Action>,
    /// The composite child it came from.
    pub child: Option<String>,
    pub interaction_id: u64,
    /// The interaction as the server sent it.
    pub raw: Value,
}

impl Interaction {
    /// Builds the event from the fields of an `interaction` event.
    pub fn from_parts(
        message_id: i64,
        user_id: i64,
        interaction: Value,
        interaction_id: u64,
    ) -> Self {
        let parsed = tulip_core::parse_interaction(interaction.clone()).ok();
        Interaction {
            message_id,
            user_id,
            child: parsed.as_ref().and_then(|p| p.child.clone()),
            action: parsed.map(|p| p.action),
            interaction_id,
            raw: interaction,
        }
    }

    /// The user as a core [`UserId`].
    pub fn user(&self) -> UserId {
        uid(self.user_id)
    }
}

/// A timer of one of the bot's widgets ran out.
#[derive(Debug, Clone, PartialEq)]
pub struct TimerFired {
    pub message_id: i64,
    /// The timer's `on_expire`.
    pub action: Option<String>,
    /// The composite child that carried it.
    pub child: Option<String>,
}

/// A user id as the core spells it.
pub fn uid(id: i64) -> UserId {
    UserId::new(id.to_string())
}

// ---------------------------------------------------------------------------
// The bot

/// A game bot. Handlers run one at a time, in event order; an error is
/// logged by the runtime and the event counts as handled.
///
/// The same implementation runs embedded in `tulip-server`
/// (`tulip_server::bots::spawn_sdk`) or against a remote server
/// ([`remote::run`]).
pub trait GameBot: Send + 'static {
    /// The bot user's name (created on first start).
    fn name(&self) -> String;
    /// The commands it owns (`/name`): 1 to 32 of `a-z 0-9 _ -`.
    fn commands(&self) -> Vec<String>;
    /// Lifecycle: called once, after login and command registration,
    /// before any event.
    fn on_start(&mut self, _ctx: &mut Ctx) -> BotResult<()> {
        Ok(())
    }
    /// `/command args` typed in a topic.
    fn on_command(&mut self, ctx: &mut Ctx, cmd: &Command) -> BotResult<()>;
    /// A user's interaction with one of the bot's widgets, already checked
    /// by the server (rules, turn, spectators).
    fn on_interaction(&mut self, _ctx: &mut Ctx, _ev: &Interaction) -> BotResult<()> {
        Ok(())
    }
    /// A server timer of one of the bot's widgets ran out.
    fn on_timer(&mut self, _ctx: &mut Ctx, _ev: &TimerFired) -> BotResult<()> {
        Ok(())
    }
    /// Lifecycle: the event queue was lost (the server restarted, or the
    /// bot was away longer than the queue lives) and a new one is
    /// registered; events in between are gone. Games kept in
    /// [`store::Games`] need nothing here: they load from the server.
    fn on_reconnect(&mut self, _ctx: &mut Ctx) -> BotResult<()> {
        Ok(())
    }
    /// Lifecycle: the runtime stops ([`remote::run_until`]'s flag).
    fn on_stop(&mut self, _ctx: &mut Ctx) -> BotResult<()> {
        Ok(())
    }
}

/// The trait's first name, kept so that older bots still compile.
pub use GameBot as Bot;

/// Hands one raw event (as a long-poll returns it) to `bot`. Events that are
/// not for bots (heartbeats, messages) are ignored.
pub fn dispatch<B: GameBot + ?Sized>(bot: &mut B, ctx: &mut Ctx, event: &Value) -> BotResult<()> {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let i = |v: &Value, k: &str| v.get(k).and_then(Value::as_i64).unwrap_or(0);
    match event.get("type").and_then(Value::as_str) {
        Some("command") => bot.on_command(
            ctx,
            &Command {
                topic: s(event, "topic").unwrap_or_default(),
                user_id: i(event, "user_id"),
                command: s(event, "command").unwrap_or_default(),
                args: s(event, "args").unwrap_or_default(),
                message_id: i(event, "message_id"),
            },
        ),
        Some("interaction") => {
            let it = event.get("interaction").cloned().unwrap_or(Value::Null);
            let message_id = i(event, "message_id");
            if it.get("type").and_then(Value::as_str) == Some("timer_expire") {
                let ev = TimerFired {
                    message_id,
                    action: s(&it, "action"),
                    child: s(&it, "child"),
                };
                ctx.timer_fired(&ev);
                bot.on_timer(ctx, &ev)
            } else {
                let id = event
                    .get("interaction_id")
                    .and_then(Value::as_u64)
                    .unwrap_or(0);
                let ev = Interaction::from_parts(message_id, i(event, "user_id"), it, id);
                bot.on_interaction(ctx, &ev)
            }
        }
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------
// The context

/// How a [`Ctx`] reaches the server: in-process (`tulip-server`'s embedded
/// runtime) or over HTTP ([`remote::Api`]). Values are the wire JSON.
/// `state` is the bot's private `bot_state` of the message, stored by the
/// server in the same step as the widget (`None`: leave it as it is).
pub trait Transport: Send {
    /// The bot's own user id.
    fn user_id(&self) -> i64;
    /// `POST /messages {"topic", "content", "widget"?, "bot_state"?}`; the
    /// new message's id.
    fn post(
        &mut self,
        topic: &str,
        content: &str,
        widget: Option<Value>,
        state: Option<Value>,
    ) -> BotResult<i64>;
    /// `PATCH /messages/{id}/widget {"update", "bot_state"?}`; the new version.
    fn update(&mut self, message_id: i64, update: Value, state: Option<Value>) -> BotResult<u64>;
    /// `PATCH /messages/{id}/widget {"widget", "bot_state"?}`; the new version.
    fn replace(&mut self, message_id: i64, widget: Value, state: Option<Value>) -> BotResult<u64>;
    /// `GET /messages/{id}`: the message as the bot sees it (whole widget).
    fn message(&mut self, message_id: i64) -> BotResult<Value>;
    /// `GET /messages/{id}/bot_state`: the stored state (`Null` when none).
    fn load_state(&mut self, message_id: i64) -> BotResult<Value>;
    /// `PUT /messages/{id}/bot_state {"bot_state"}`: stores it alone.
    fn save_state(&mut self, message_id: i64, state: Value) -> BotResult<()>;
    /// `GET /users`: `(user_id, name)` of the people on the server, bots
    /// left out (a bot is never anyone's opponent by name). The default
    /// knows nobody, so players show as `user {id}`.
    fn users(&mut self) -> BotResult<Vec<(i64, String)>> {
        Ok(Vec::new())
    }
}

/// The names [`Ctx`] has learnt from [`Transport::users`].
#[derive(Debug, Default)]
struct Directory {
    names: HashMap<i64, String>,
    /// Ids a refresh did not know (bots, mostly): not asked for again
    /// until some other miss refreshes the list.
    unknown: HashSet<i64>,
    /// How many times the list was fetched.
    fetches: u64,
}

/// How a user nobody knows by name is shown: `user {id}`.
pub fn fallback_name(id: i64) -> String {
    format!("user {id}")
}

/// What a bot's handlers act through. Keeps the last widget of every
/// message the bot changed, so that updates are validated (and applied to a
/// copy) by `tulip-core` before they are sent.
pub struct Ctx {
    transport: Box<dyn Transport>,
    widgets: HashMap<i64, Widget>,
    policy: Policy,
    users: Directory,
    /// The last state fetched ([`Ctx::stored_state`]), until that message
    /// changes: a bot that asks several stores about one message (the
    /// lobby) fetches it once.
    last_state: Option<(i64, Value)>,
    /// How many states were fetched from the server.
    state_loads: u64,
}

fn state_value(state: &impl Serialize) -> BotResult<Value> {
    serde_json::to_value(state).map_err(|e| BotError::Other(format!("bot state: {e}")))
}

impl Ctx {
    pub fn new(transport: Box<dyn Transport>) -> Ctx {
        Ctx {
            transport,
            widgets: HashMap::new(),
            policy: Policy::default(),
            users: Directory::default(),
            last_state: None,
            state_loads: 0,
        }
    }

    /// Validates as a server that accepts plain `http:` URLs does.
    pub fn allow_http_urls(&mut self, allow: bool) {
        self.policy.allow_http = allow;
    }

    /// The bot's own user id.
    pub fn user_id(&self) -> i64 {
        self.transport.user_id()
    }

    /// Posts a plain message.
    pub fn say(&mut self, topic: &str, text: &str) -> BotResult<i64> {
        self.transport.post(topic, text, None, None)
    }

    /// Validates `widget` and posts it with `content`; the message id.
    pub fn post(&mut self, topic: &str, content: &str, widget: &WidgetBuilder) -> BotResult<i64> {
        self.post_inner(topic, content, widget, None)
    }

    /// [`Ctx::post`], storing `state` with the message (the bot's private
    /// `bot_state`, see [`Ctx::load_state`]) in the same step.
    pub fn post_with_state(
        &mut self,
        topic: &str,
        content: &str,
        widget: &WidgetBuilder,
        state: &impl Serialize,
    ) -> BotResult<i64> {
        let state = state_value(state)?;
        self.post_inner(topic, content, widget, Some(state))
    }

    fn post_inner(
        &mut self,
        topic: &str,
        content: &str,
        widget: &WidgetBuilder,
        state: Option<Value>,
    ) -> BotResult<i64> {
        let (value, parsed) = widget.checked(&self.policy)?;
        let id = self.transport.post(topic, content, Some(value), state)?;
        self.widgets.insert(id, parsed);
        Ok(id)
    }

    /// Validates `update` against the widget as it is now and sends it;
    /// the new version.
    pub fn update(&mut self, message_id: i64, update: &UpdateBuilder) -> BotResult<u64> {
        self.update_inner(message_id, update, None)
    }

    /// [`Ctx::update`], storing `state` in the same step: the server keeps
    /// both or neither.
    pub fn update_with_state(
        &mut self,
        message_id: i64,
        update: &UpdateBuilder,
        state: &impl Serialize,
    ) -> BotResult<u64> {
        let state = state_value(state)?;
        self.update_inner(message_id, update, Some(state))
    }

    fn update_inner(
        &mut self,
        message_id: i64,
        update: &UpdateBuilder,
        state: Option<Value>,
    ) -> BotResult<u64> {
        let current = self.widget(message_id)?.clone();
        let parsed = tulip_core::parse_update(&current.body, update.to_value())
            .map_err(|e| BotError::invalid("update", &e))?;
        let next = tulip_core::apply_update(&current, &parsed, &self.policy)
            .map_err(|e| BotError::invalid("update", &e))?;
        self.touch_state(message_id);
        match self.transport.update(message_id, update.to_value(), state) {
            Ok(v) => {
                self.widgets.insert(message_id, next);
                Ok(v)
            }
            Err(e) => {
                // Our copy may be stale: fetch it again next time.
                self.widgets.remove(&message_id);
                Err(e)
            }
        }
    }

    /// Validates `widget` and replaces the message's widget with it.
    pub fn replace(&mut self, message_id: i64, widget: &WidgetBuilder) -> BotResult<u64> {
        self.replace_inner(message_id, widget, None)
    }

    /// [`Ctx::replace`], storing `state` in the same step.
    pub fn replace_with_state(
        &mut self,
        message_id: i64,
        widget: &WidgetBuilder,
        state: &impl Serialize,
    ) -> BotResult<u64> {
        let state = state_value(state)?;
        self.replace_inner(message_id, widget, Some(state))
    }

    fn replace_inner(
        &mut self,
        message_id: i64,
        widget: &WidgetBuilder,
        state: Option<Value>,
    ) -> BotResult<u64> {
        let (value, parsed) = widget.checked(&self.policy)?;
        self.touch_state(message_id);
        match self.transport.replace(message_id, value, state) {
            Ok(v) => {
                self.widgets.insert(message_id, parsed);
                Ok(v)
            }
            Err(e) => {
                self.widgets.remove(&message_id);
                Err(e)
            }
        }
    }

    /// Stores `state` with message `message_id` without changing its
    /// widget (nobody hears of it).
    pub fn save_state(&mut self, message_id: i64, state: &impl Serialize) -> BotResult<()> {
        let state = state_value(state)?;
        self.touch_state(message_id);
        self.transport.save_state(message_id, state)
    }

    /// The state stored with message `message_id`, as the bot last saved
    /// it; `None` when it has none, or the message is not the bot's (or
    /// does not exist). Fetched from the server on every call but the
    /// immediately repeated one.
    pub fn load_state<S: DeserializeOwned>(&mut self, message_id: i64) -> BotResult<Option<S>> {
        match self.stored_state(message_id)? {
            None => Ok(None),
            Some(v) => serde_json::from_value(v).map(Some).map_err(|e| {
                BotError::Other(format!(
                    "the state of message {message_id} is unreadable: {e}"
                ))
            }),
        }
    }

    /// [`Ctx::load_state`] as JSON.
    pub fn stored_state(&mut self, message_id: i64) -> BotResult<Option<Value>> {
        if let Some((id, v)) = &self.last_state {
            if *id == message_id {
                return Ok((!v.is_null()).then(|| v.clone()));
            }
        }
        self.state_loads += 1;
        let v = match self.transport.load_state(message_id) {
            Ok(v) => v,
            // Not the bot's message, or no message: no state of ours.
            Err(BotError::Api { code, .. }) if code == "FORBIDDEN" || code == "NOT_FOUND" => {
                Value::Null
            }
            Err(e) => return Err(e),
        };
        self.last_state = Some((message_id, v.clone()));
        Ok((!v.is_null()).then_some(v))
    }

    /// How many times a state was fetched from the server (for tests of
    /// recovery).
    pub fn state_loads(&self) -> u64 {
        self.state_loads
    }

    fn touch_state(&mut self, message_id: i64) {
        if self
            .last_state
            .as_ref()
            .is_some_and(|(id, _)| *id == message_id)
        {
            self.last_state = None;
        }
    }

    /// The bot's widget of `message_id` as it is now (fetched once).
    pub fn widget(&mut self, message_id: i64) -> BotResult<&Widget> {
        if !self.widgets.contains_key(&message_id) {
            let m = self.transport.message(message_id)?;
            let w = m.get("widget").cloned().unwrap_or(Value::Null);
            if w.is_null() {
                return Err(BotError::Other(format!(
                    "message {message_id} has no widget"
                )));
            }
            let parsed = tulip_core::parse_widget_value(w, &self.policy)
                .map_err(|e| BotError::invalid("widget", &e))?;
            self.widgets.insert(message_id, parsed);
        }
        self.widgets
            .get(&message_id)
            .ok_or_else(|| BotError::Other("widget cache".into()))
    }

    /// Forgets the copy of a finished game's widget.
    pub fn forget(&mut self, message_id: i64) {
        self.widgets.remove(&message_id);
        self.touch_state(message_id);
    }

    /// The name of user `id` (`user {id}` when nobody knows it). Names are
    /// cached: the server's list is fetched again only when `id` is not
    /// in it, and an id the fresh list does not have either (a bot) is not
    /// asked about again until another miss refreshes the list.
    pub fn user_name(&mut self, id: i64) -> String {
        if let Some(n) = self.users.names.get(&id) {
            return n.clone();
        }
        if !self.users.unknown.contains(&id) {
            self.refresh_users();
            if let Some(n) = self.users.names.get(&id) {
                return n.clone();
            }
            self.users.unknown.insert(id);
        }
        fallback_name(id)
    }

    /// The id of the person called `name` (case-insensitive, exact name;
    /// an exact-case match wins over others; bots are not found). A name
    /// the cache does not have refreshes it once.
    pub fn find_user(&mut self, name: &str) -> Option<i64> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        if let Some(id) = self.lookup(name) {
            return Some(id);
        }
        self.refresh_users();
        self.lookup(name)
    }

    fn lookup(&self, name: &str) -> Option<i64> {
        let lower = name.to_lowercase();
        let mut hits: Vec<(i64, &String)> = self
            .users
            .names
            .iter()
            .filter(|(_, n)| n.to_lowercase() == lower)
            .map(|(id, n)| (*id, n))
            .collect();
        // The exact spelling first, then the lowest id: never hash order.
        hits.sort_by_key(|(id, n)| (n.as_str() != name, *id));
        hits.first().map(|(id, _)| *id)
    }

    fn refresh_users(&mut self) {
        self.users.fetches += 1;
        // A failed fetch keeps what we knew: names show as `user {id}`.
        if let Ok(list) = self.transport.users() {
            self.users.names.extend(list);
            self.users.unknown.clear();
        }
    }

    /// How many times the user list was fetched (for tests of the cache).
    pub fn user_fetches(&self) -> u64 {
        self.users.fetches
    }

    /// Whom a command's arguments name ([`Opponent::parse`]), with a
    /// `@name` of a known person resolved to their id
    /// ([`Opponent::resolve`]).
    pub fn opponent(&mut self, args: &str) -> Opponent {
        Opponent::parse(args).resolve(self)
    }

    /// Names every taken seat of `seats` after its user; open seats keep
    /// the name they are shown with (the name typed, or `anyone`).
    pub fn name_seats(&mut self, seats: &mut Seats) {
        for i in 0..seats.len() {
            if let Some(u) = seats.user(i) {
                let n = self.user_name(u);
                seats.set_name(i, &n);
            }
        }
    }

    /// The raw transport, for calls the SDK does not wrap.
    pub fn transport(&mut self) -> &mut dyn Transport {
        self.transport.as_mut()
    }

    /// A timer that fired is gone from the server's widget: drop our copy
    /// so the next update is checked against the server's.
    fn timer_fired(&mut self, ev: &TimerFired) {
        self.widgets.remove(&ev.message_id);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A server with a user list that tests change, counting the fetches.
    #[derive(Clone, Default)]
    struct Fake {
        users: Arc<Mutex<Vec<(i64, String)>>>,
        fetches: Arc<Mutex<u32>>,
        down: Arc<Mutex<bool>>,
    }

    impl Fake {
        fn with(users: &[(i64, &str)]) -> Fake {
            let f = Fake::default();
            f.add(users);
            f
        }
        fn add(&self, users: &[(i64, &str)]) {
            let mut list = self.users.lock().unwrap();
            list.extend(users.iter().map(|(id, n)| (*id, n.to_string())));
        }
        fn fetches(&self) -> u32 {
            *self.fetches.lock().unwrap()
        }
        fn ctx(&self) -> Ctx {
            Ctx::new(Box::new(self.clone()))
        }
    }

    impl Transport for Fake {
        fn user_id(&self) -> i64 {
            100
        }
        fn post(&mut self, _: &str, _: &str, _: Option<Value>, _: Option<Value>) -> BotResult<i64> {
            Ok(1)
        }
        fn update(&mut self, _: i64, _: Value, _: Option<Value>) -> BotResult<u64> {
            Ok(1)
        }
        fn replace(&mut self, _: i64, _: Value, _: Option<Value>) -> BotResult<u64> {
            Ok(1)
        }
        fn message(&mut self, _: i64) -> BotResult<Value> {
            Ok(Value::Null)
        }
        fn load_state(&mut self, _: i64) -> BotResult<Value> {
            Ok(Value::Null)
        }
        fn save_state(&mut self, _: i64, _: Value) -> BotResult<()> {
            Ok(())
        }
        fn users(&mut self) -> BotResult<Vec<(i64, String)>> {
            *self.fetches.lock().unwrap() += 1;
            if *self.down.lock().unwrap() {
                return Err(BotError::Transport("down".into()));
            }
            Ok(self.users.lock().unwrap().clone())
        }
    }

    /// A transport that does not implement `users` (an older one).
    struct Old;
    impl Transport for Old {
        fn user_id(&self) -> i64 {
            100
        }
        fn post(&mut self, _: &str, _: &str, _: Option<Value>, _: Option<Value>) -> BotResult<i64> {
            Ok(1)
        }
        fn update(&mut self, _: i64, _: Value, _: Option<Value>) -> BotResult<u64> {
            Ok(1)
        }
        fn replace(&mut self, _: i64, _: Value, _: Option<Value>) -> BotResult<u64> {
            Ok(1)
        }
        fn message(&mut self, _: i64) -> BotResult<Value> {
            Ok(Value::Null)
        }
        fn load_state(&mut self, _: i64) -> BotResult<Value> {
            Ok(Value::Null)
        }
        fn save_state(&mut self, _: i64, _: Value) -> BotResult<()> {
            Ok(())
        }
    }

    #[test]
    fn names_are_fetched_once_and_cached() {
        let fake = Fake::with(&[(1, "alice"), (2, "bob")]);
        let mut ctx = fake.ctx();
        assert_eq!(fake.fetches(), 0, "nothing is fetched before it is needed");
        assert_eq!(ctx.user_name(1), "alice");
        assert_eq!(ctx.user_name(2), "bob");
        assert_eq!(ctx.user_name(1), "alice");
        assert_eq!(fake.fetches(), 1);
        assert_eq!(ctx.user_fetches(), 1);
    }

    #[test]
    fn a_miss_refreshes_once_then_falls_back() {
        let fake = Fake::with(&[(1, "alice")]);
        let mut ctx = fake.ctx();
        assert_eq!(ctx.user_name(1), "alice");
        // Carol logs in later: her id is a miss, which refreshes the list.
        fake.add(&[(3, "carol")]);
        assert_eq!(ctx.user_name(3), "carol");
        assert_eq!(fake.fetches(), 2);
        // An id nobody has (a bot): one refresh, then the fallback without
        // asking again.
        assert_eq!(ctx.user_name(9), "user 9");
        assert_eq!(fake.fetches(), 3);
        assert_eq!(ctx.user_name(9), "user 9");
        assert_eq!(ctx.user_name(9), "user 9");
        assert_eq!(fake.fetches(), 3);
        // Known names still need no fetch.
        assert_eq!(ctx.user_name(3), "carol");
        assert_eq!(fake.fetches(), 3);
    }

    #[test]
    fn find_user_is_case_insensitive_and_exact() {
        let fake = Fake::with(&[(1, "alice"), (2, "Bob"), (3, "bob"), (4, "bobby")]);
        let mut ctx = fake.ctx();
        assert_eq!(ctx.find_user("ALICE"), Some(1));
        assert_eq!(fake.fetches(), 1);
        // The exact spelling wins; otherwise the lowest id.
        assert_eq!(ctx.find_user("bob"), Some(3));
        assert_eq!(ctx.find_user("Bob"), Some(2));
        assert_eq!(ctx.find_user("BOB"), Some(2));
        assert_eq!(ctx.find_user("bobby"), Some(4));
        assert_eq!(fake.fetches(), 1, "hits need no fetch");
        // Not a prefix match; a miss refreshes once per call.
        assert_eq!(ctx.find_user("bo"), None);
        assert_eq!(fake.fetches(), 2);
        assert_eq!(ctx.find_user(""), None);
        assert_eq!(fake.fetches(), 2);
        fake.add(&[(5, "dave")]);
        assert_eq!(ctx.find_user("Dave"), Some(5));
        assert_eq!(fake.fetches(), 3);
        assert_eq!(ctx.user_name(5), "dave");
        assert_eq!(fake.fetches(), 3);
    }

    #[test]
    fn a_failed_fetch_falls_back_and_recovers() {
        let fake = Fake::with(&[(1, "alice")]);
        *fake.down.lock().unwrap() = true;
        let mut ctx = fake.ctx();
        assert_eq!(ctx.user_name(1), "user 1");
        assert_eq!(ctx.find_user("alice"), None);
        *fake.down.lock().unwrap() = false;
        assert_eq!(ctx.find_user("alice"), Some(1));
        assert_eq!(ctx.user_name(1), "alice");
        // A transport without `users` knows nobody.
        let mut old = Ctx::new(Box::new(Old));
        assert_eq!(old.user_name(4), "user 4");
        assert_eq!(old.find_user("alice"), None);
        assert_eq!(old.opponent("@alice"), Opponent::Name("alice".into()));
    }

    #[test]
    fn opponents_resolve_to_ids() {
        let fake = Fake::with(&[(1, "alice"), (2, "bob")]);
        let mut ctx = fake.ctx();
        assert_eq!(ctx.opponent("@bob"), Opponent::Id(2));
        assert_eq!(ctx.opponent("Bob and more"), Opponent::Id(2));
        assert_eq!(ctx.opponent("@**Alice**"), Opponent::Id(1));
        // Unknown names stay names: an open seat shown with that name.
        assert_eq!(ctx.opponent("@zed"), Opponent::Name("zed".into()));
        // Numbers are ids, without any lookup.
        let before = fake.fetches();
        assert_eq!(ctx.opponent("@42"), Opponent::Id(42));
        assert_eq!(ctx.opponent(""), Opponent::Nobody);
        assert_eq!(fake.fetches(), before);
    }

    #[test]
    fn seats_get_their_users_names() {
        let fake = Fake::with(&[(1, "alice"), (2, "bob"), (3, "carol")]);
        let mut ctx = fake.ctx();
        let mut s = Seats::two(1, &ctx.opponent("@bob"));
        assert_eq!((s.name(0), s.name(1)), ("user 1", "user 2"));
        ctx.name_seats(&mut s);
        assert_eq!((s.name(0), s.name(1)), ("alice", "bob"));
        let p = s.players_value().expect("full");
        assert_eq!(p["list"][1]["name"], "bob");
        // An open seat keeps the typed name until someone takes it.
        let mut s = Seats::two(1, &ctx.opponent("@zed"));
        ctx.name_seats(&mut s);
        assert_eq!((s.name(0), s.name(1)), ("alice", "zed"));
        s.seat_or_claim(3, 1);
        ctx.name_seats(&mut s);
        assert_eq!(s.name(1), "carol");
        let mut names = Names::default();
        assert_eq!(names.get(3), "user 3");
        assert_eq!(names.learn(&mut ctx, 3), "carol");
        assert_eq!(names.get(3), "carol");
    }
}
