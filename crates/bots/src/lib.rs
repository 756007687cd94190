//! # tulip-bots
//!
//! The bots SDK of Tulip game widgets, and the demo games written with it.
//!
//! A bot implements [`Bot`]: it names its commands and handles commands,
//! interactions, timer expiries and its start. It acts through [`Ctx`]:
//! post a widget, update it, replace it, say something. The same bot runs
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

pub mod build;
pub mod games;
pub mod helpers;
pub mod remote;

use std::collections::HashMap;

use serde_json::Value;
use tulip_core::{Errors, Policy, Widget};

pub use build::{el, El, UpdateBuilder, WidgetBuilder};
pub use helpers::{Seats, Turns};
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
pub trait Bot: Send + 'static {
    /// The bot user's name (created on first start).
    fn name(&self) -> String;
    /// The commands it owns (`/name`): 1 to 32 of `a-z 0-9 _ -`.
    fn commands(&self) -> Vec<String>;
    /// Called once, after login and command registration, before any event.
    fn on_start(&mut self, _ctx: &mut Ctx) -> BotResult<()> {
        Ok(())
    }
    fn on_command(&mut self, ctx: &mut Ctx, cmd: &Command) -> BotResult<()>;
    fn on_interaction(&mut self, _ctx: &mut Ctx, _ev: &Interaction) -> BotResult<()> {
        Ok(())
    }
    fn on_timer(&mut self, _ctx: &mut Ctx, _ev: &TimerFired) -> BotResult<()> {
        Ok(())
    }
}

/// Hands one raw event (as a long-poll returns it) to `bot`. Events that are
/// not for bots (heartbeats, messages) are ignored.
pub fn dispatch<B: Bot + ?Sized>(bot: &mut B, ctx: &mut Ctx, event: &Value) -> BotResult<()> {
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
pub trait Transport: Send {
    /// The bot's own user id.
    fn user_id(&self) -> i64;
    /// `POST /messages`; the new message's id.
    fn post(&mut self, topic: &str, content: &str, widget: Option<Value>) -> BotResult<i64>;
    /// `PATCH /messages/{id}/widget {"update"}`; the new version.
    fn update(&mut self, message_id: i64, update: Value) -> BotResult<u64>;
    /// `PATCH /messages/{id}/widget {"widget"}`; the new version.
    fn replace(&mut self, message_id: i64, widget: Value) -> BotResult<u64>;
    /// `GET /messages/{id}`: the message as the bot sees it (whole widget).
    fn message(&mut self, message_id: i64) -> BotResult<Value>;
}

/// What a bot's handlers act through. Keeps the last widget of every
/// message the bot changed, so that updates are validated (and applied to a
/// copy) by `tulip-core` before they are sent.
pub struct Ctx {
    transport: Box<dyn Transport>,
    widgets: HashMap<i64, Widget>,
    policy: Policy,
}

impl Ctx {
    pub fn new(transport: Box<dyn Transport>) -> Ctx {
        Ctx {
            transport,
            widgets: HashMap::new(),
            policy: Policy::default(),
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
        self.transport.post(topic, text, None)
    }

    /// Validates `widget` and posts it with `content`; the message id.
    pub fn post(&mut self, topic: &str, content: &str, widget: &WidgetBuilder) -> BotResult<i64> {
        let (value, parsed) = widget.checked(&self.policy)?;
        let id = self.transport.post(topic, content, Some(value))?;
        self.widgets.insert(id, parsed);
        Ok(id)
    }

    /// Validates `update` against the widget as it is now and sends it;
    /// the new version.
    pub fn update(&mut self, message_id: i64, update: &UpdateBuilder) -> BotResult<u64> {
        let current = self.widget(message_id)?.clone();
        let parsed = tulip_core::parse_update(&current.body, update.to_value())
            .map_err(|e| BotError::invalid("update", &e))?;
        let next = tulip_core::apply_update(&current, &parsed, &self.policy)
            .map_err(|e| BotError::invalid("update", &e))?;
        match self.transport.update(message_id, update.to_value()) {
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
        let (value, parsed) = widget.checked(&self.policy)?;
        let v = self.transport.replace(message_id, value)?;
        self.widgets.insert(message_id, parsed);
        Ok(v)
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
