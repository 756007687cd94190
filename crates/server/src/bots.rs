//! The embedded bot runtime.
//!
//! A [`GameBot`] runs inside the server process with exactly the rights of
//! an external bot: it is a bot user of its own, it registers its commands
//! through the same call, it hears its events through an ordinary event
//! queue (commands, interactions, timer expiries addressed to it), and it
//! acts through [`BotCtx`], which calls the very functions the HTTP handlers
//! call, as that bot user. Nothing here reaches around the API.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{json, Value};
use tokio::task::JoinHandle;

use crate::error::{AppError, AppResult};
use crate::queues::{Queue, Subs};
use crate::service::{self, Change};
use crate::state::{AppState, User};

/// `/command args` typed in a topic.
#[derive(Debug, Clone, Deserialize)]
pub struct CommandEvent {
    pub topic: String,
    pub user_id: i64,
    pub command: String,
    pub args: String,
    pub message_id: i64,
}

/// A user's interaction with one of the bot's widgets.
#[derive(Debug, Clone, Deserialize)]
pub struct InteractionEvent {
    pub message_id: i64,
    pub user_id: i64,
    pub interaction: Value,
    pub interaction_id: u64,
}

/// A timer of one of the bot's widgets ran out.
#[derive(Debug, Clone)]
pub struct TimerEvent {
    pub message_id: i64,
    pub action: Option<String>,
    pub child: Option<String>,
}

/// What a bot does when something happens. Each handler runs to completion
/// before the next event is handled; an error is logged and the event is
/// considered handled.
pub trait GameBot: Send + 'static {
    /// The bot user's name (it is created on first start).
    fn name(&self) -> String;
    /// The commands it owns (`/name`).
    fn commands(&self) -> Vec<String>;
    fn on_command(
        &mut self,
        ctx: &BotCtx,
        ev: CommandEvent,
    ) -> impl Future<Output = AppResult<()>> + Send;
    fn on_interaction(
        &mut self,
        ctx: &BotCtx,
        ev: InteractionEvent,
    ) -> impl Future<Output = AppResult<()>> + Send;
    fn on_timer(
        &mut self,
        _ctx: &BotCtx,
        _ev: TimerEvent,
    ) -> impl Future<Output = AppResult<()>> + Send {
        async { Ok(()) }
    }
}

/// What a bot may do: the same operations an external bot has over HTTP.
#[derive(Clone)]
pub struct BotCtx {
    state: AppState,
    user: User,
}

impl BotCtx {
    pub fn user_id(&self) -> i64 {
        self.user.id
    }

    /// `POST /messages`.
    pub async fn post(&self, topic: &str, content: &str, widget: Option<Value>) -> AppResult<i64> {
        service::post_message(
            &self.state,
            &self.user,
            topic.to_owned(),
            content.to_owned(),
            widget,
        )
        .await
    }

    /// `PATCH /messages/{id}/widget {"update"}`.
    pub async fn update(&self, message_id: i64, update: Value) -> AppResult<u64> {
        service::change_widget(&self.state, &self.user, message_id, Change::Update(update)).await
    }

    /// `PATCH /messages/{id}/widget {"widget"}`.
    pub async fn replace(&self, message_id: i64, widget: Value) -> AppResult<u64> {
        service::change_widget(&self.state, &self.user, message_id, Change::Replace(widget)).await
    }

    /// `GET /messages/{id}`, as the bot sees it.
    pub async fn message(&self, message_id: i64) -> AppResult<Value> {
        service::get_message(&self.state, &self.user, message_id).await
    }
}

/// Starts `bot` in this process: logs it in (creating its bot user),
/// registers its commands and runs its event loop.
pub async fn spawn<B: GameBot>(state: AppState, mut bot: B) -> AppResult<JoinHandle<()>> {
    let (user, _key) = service::login(&state, &bot.name(), true).await?;
    service::register_commands(&state, &user, bot.commands()).await?;
    let ctx = BotCtx {
        state: state.clone(),
        user,
    };
    Ok(tokio::spawn(async move {
        loop {
            let q = own_queue(&ctx);
            run_queue(&ctx, &q, &mut bot).await;
            tracing::warn!(bot = %ctx.user.name, "bot queue lost; registering again");
        }
    }))
}

fn own_queue(ctx: &BotCtx) -> Arc<Queue> {
    // Only the events addressed to the bot: no topics, no messages.
    service::register_queue(&ctx.state, &ctx.user, Subs::default())
}

async fn run_queue<B: GameBot>(ctx: &BotCtx, q: &Arc<Queue>, bot: &mut B) {
    let _attached = q.attach();
    let mut rx = q.watch();
    let mut cursor: i64 = 0;
    loop {
        let Ok(events) = q.after(cursor, 100) else {
            return;
        };
        if events.is_empty() {
            if rx.changed().await.is_err() || *rx.borrow() == u64::MAX {
                return;
            }
            continue;
        }
        for e in events {
            cursor = e.id as i64;
            if let Err(err) = dispatch(ctx, bot, &e.text).await {
                tracing::warn!(bot = %ctx.user.name, code = %err.code, msg = %err.msg, "bot handler failed");
            }
        }
        q.ack(cursor);
    }
}

async fn dispatch<B: GameBot>(ctx: &BotCtx, bot: &mut B, text: &str) -> AppResult<()> {
    let v: Value = serde_json::from_str(text).map_err(AppError::internal)?;
    match v.get("type").and_then(Value::as_str) {
        Some("command") => {
            let ev: CommandEvent = serde_json::from_value(v).map_err(AppError::internal)?;
            bot.on_command(ctx, ev).await
        }
        Some("interaction") => {
            let message_id = v.get("message_id").and_then(Value::as_i64).unwrap_or(0);
            let it = v.get("interaction").cloned().unwrap_or(Value::Null);
            if it.get("type").and_then(Value::as_str) == Some("timer_expire") {
                let s = |k: &str| it.get(k).and_then(Value::as_str).map(str::to_owned);
                let ev = TimerEvent {
                    message_id,
                    action: s("action"),
                    child: s("child"),
                };
                bot.on_timer(ctx, ev).await
            } else {
                let ev: InteractionEvent = serde_json::from_value(v).map_err(AppError::internal)?;
                bot.on_interaction(ctx, ev).await
            }
        }
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------
// The demo bot

/// `/counter [seconds]`: a shared button that counts clicks until its timer
/// runs out. Small on purpose: it shows the three handlers.
#[derive(Default)]
pub struct CounterBot {
    counts: HashMap<i64, u64>,
}

fn counter_buttons(n: u64, open: bool) -> Value {
    json!([
        {"type": "button", "label": format!("Clicked {n} times"), "action": "inc", "style": "primary", "disabled": !open}
    ])
}

impl GameBot for CounterBot {
    fn name(&self) -> String {
        "counter-bot".into()
    }

    fn commands(&self) -> Vec<String> {
        vec!["counter".into()]
    }

    async fn on_command(&mut self, ctx: &BotCtx, ev: CommandEvent) -> AppResult<()> {
        let secs = ev
            .args
            .trim()
            .parse::<f64>()
            .unwrap_or(60.0)
            .clamp(1.0, 3600.0);
        let widget = json!({
            "widget_type": "interactive",
            "extra_data": {
                "components": counter_buttons(0, true),
                "timer": {"seconds": secs, "on_expire": "close", "style": "bar"}
            }
        });
        let id = ctx
            .post(&ev.topic, "Click as often as you can!", Some(widget))
            .await?;
        self.counts.insert(id, 0);
        Ok(())
    }

    async fn on_interaction(&mut self, ctx: &BotCtx, ev: InteractionEvent) -> AppResult<()> {
        if ev.interaction.get("action").and_then(Value::as_str) != Some("inc") {
            return Ok(());
        }
        let Some(n) = self.counts.get_mut(&ev.message_id) else {
            return Ok(());
        };
        *n += 1;
        let n = *n;
        ctx.update(
            ev.message_id,
            json!({"set_components": counter_buttons(n, true)}),
        )
        .await?;
        Ok(())
    }

    async fn on_timer(&mut self, ctx: &BotCtx, ev: TimerEvent) -> AppResult<()> {
        let n = self.counts.remove(&ev.message_id).unwrap_or(0);
        ctx.update(
            ev.message_id,
            json!({"set_components": counter_buttons(n, false)}),
        )
        .await?;
        Ok(())
    }
}
