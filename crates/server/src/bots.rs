//! The embedded bot runtime.
//!
//! SDK bots (`tulip_bots::GameBot`, which also run remotely) are hosted
//! with [`spawn_sdk`]. Underneath, a [`NativeBot`] (async, in-process only)
//! runs inside the server process with exactly the rights of
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
pub trait NativeBot: Send + 'static {
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
    /// Called once, after login and command registration, before any event.
    fn on_start(&mut self, _ctx: &BotCtx) -> impl Future<Output = AppResult<()>> + Send {
        async { Ok(()) }
    }
    /// The bot's queue was lost (cut off for reading too slowly) and a new
    /// one registered: events in between are gone.
    fn on_reconnect(&mut self, _ctx: &BotCtx) -> impl Future<Output = AppResult<()>> + Send {
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
        self.post_with_state(topic, content, widget, None).await
    }

    /// `POST /messages` with the bot's private `bot_state`.
    pub async fn post_with_state(
        &self,
        topic: &str,
        content: &str,
        widget: Option<Value>,
        bot_state: Option<Value>,
    ) -> AppResult<i64> {
        service::post_message(
            &self.state,
            &self.user,
            topic.to_owned(),
            content.to_owned(),
            widget,
            bot_state,
        )
        .await
    }

    /// `PATCH /messages/{id}/widget {"update"}`.
    pub async fn update(&self, message_id: i64, update: Value) -> AppResult<u64> {
        self.change(message_id, Change::Update(update), None).await
    }

    /// `PATCH /messages/{id}/widget {"widget"}`.
    pub async fn replace(&self, message_id: i64, widget: Value) -> AppResult<u64> {
        self.change(message_id, Change::Replace(widget), None).await
    }

    /// `PATCH /messages/{id}/widget` with `bot_state` (kept when `None`).
    pub async fn change(
        &self,
        message_id: i64,
        change: Change,
        bot_state: Option<Value>,
    ) -> AppResult<u64> {
        service::change_widget(&self.state, &self.user, message_id, change, bot_state).await
    }

    /// `GET /messages/{id}/bot_state`.
    pub async fn bot_state(&self, message_id: i64) -> AppResult<Value> {
        Ok(service::get_bot_state(&self.state, &self.user, message_id)
            .await?
            .0)
    }

    /// `PUT /messages/{id}/bot_state`.
    pub async fn set_bot_state(&self, message_id: i64, state: Value) -> AppResult<()> {
        service::set_bot_state(&self.state, &self.user, message_id, state).await
    }

    /// `GET /messages/{id}`, as the bot sees it.
    pub async fn message(&self, message_id: i64) -> AppResult<Value> {
        service::get_message(&self.state, &self.user, message_id).await
    }

    /// `GET /users`, bots left out: `(user_id, name)` of the people.
    pub async fn people(&self) -> AppResult<Vec<(i64, String)>> {
        let users = self.state.db.users(10_000).await?;
        Ok(users
            .into_iter()
            .filter(|(_, _, bot)| !bot)
            .map(|(id, name, _)| (id, name))
            .collect())
    }
}

/// Starts `bot` in this process: logs it in (creating its bot user),
/// registers its commands and runs its event loop.
pub async fn spawn<B: NativeBot>(state: AppState, mut bot: B) -> AppResult<JoinHandle<()>> {
    let (user, _key) = service::login(&state, &bot.name(), true).await?;
    service::register_commands(&state, &user, bot.commands()).await?;
    let ctx = BotCtx {
        state: state.clone(),
        user,
    };
    bot.on_start(&ctx).await?;
    Ok(tokio::spawn(async move {
        let mut first = true;
        loop {
            let q = own_queue(&ctx);
            if !first {
                if let Err(err) = bot.on_reconnect(&ctx).await {
                    tracing::warn!(bot = %ctx.user.name, code = %err.code, msg = %err.msg, "on_reconnect failed");
                }
            }
            first = false;
            run_queue(&ctx, &q, &mut bot).await;
            tracing::warn!(bot = %ctx.user.name, "bot queue lost; registering again");
        }
    }))
}

fn own_queue(ctx: &BotCtx) -> Arc<Queue> {
    // Only the events addressed to the bot: no topics, no messages.
    service::register_queue(&ctx.state, &ctx.user, Subs::default())
}

async fn run_queue<B: NativeBot>(ctx: &BotCtx, q: &Arc<Queue>, bot: &mut B) {
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

async fn dispatch<B: NativeBot>(ctx: &BotCtx, bot: &mut B, text: &str) -> AppResult<()> {
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
// SDK bots (`tulip_bots::GameBot`), hosted in-process

/// Starts a `tulip_bots::GameBot` (the SDK's trait, which also runs remotely)
/// in this process. Its handlers are synchronous: they run on tokio's
/// blocking pool, one at a time, and their context calls the same functions
/// as [`BotCtx`].
pub async fn spawn_sdk<B: tulip_bots::GameBot>(
    state: AppState,
    bot: B,
) -> AppResult<JoinHandle<()>> {
    spawn(
        state,
        SdkHost {
            name: bot.name(),
            commands: bot.commands(),
            inner: Arc::new(std::sync::Mutex::new((bot, None))),
        },
    )
    .await
}

type SdkInner<B> = Arc<std::sync::Mutex<(B, Option<tulip_bots::Ctx>)>>;

struct SdkHost<B> {
    name: String,
    commands: Vec<String>,
    inner: SdkInner<B>,
}

/// The embedded `tulip_bots::Transport`: [`BotCtx`] driven from a blocking thread.
struct Embedded {
    ctx: BotCtx,
    rt: tokio::runtime::Handle,
}

fn sdk_err(e: AppError) -> tulip_bots::BotError {
    tulip_bots::BotError::Api {
        status: e.status.as_u16(),
        code: e.code,
        msg: e.msg,
        path: e.path,
    }
}

impl tulip_bots::Transport for Embedded {
    fn user_id(&self) -> i64 {
        self.ctx.user_id()
    }
    fn post(
        &mut self,
        topic: &str,
        content: &str,
        widget: Option<Value>,
        state: Option<Value>,
    ) -> tulip_bots::BotResult<i64> {
        self.rt
            .block_on(self.ctx.post_with_state(topic, content, widget, state))
            .map_err(sdk_err)
    }
    fn update(
        &mut self,
        message_id: i64,
        update: Value,
        state: Option<Value>,
    ) -> tulip_bots::BotResult<u64> {
        self.rt
            .block_on(self.ctx.change(message_id, Change::Update(update), state))
            .map_err(sdk_err)
    }
    fn replace(
        &mut self,
        message_id: i64,
        widget: Value,
        state: Option<Value>,
    ) -> tulip_bots::BotResult<u64> {
        self.rt
            .block_on(self.ctx.change(message_id, Change::Replace(widget), state))
            .map_err(sdk_err)
    }
    fn load_state(&mut self, message_id: i64) -> tulip_bots::BotResult<Value> {
        self.rt
            .block_on(self.ctx.bot_state(message_id))
            .map_err(sdk_err)
    }
    fn save_state(&mut self, message_id: i64, state: Value) -> tulip_bots::BotResult<()> {
        self.rt
            .block_on(self.ctx.set_bot_state(message_id, state))
            .map_err(sdk_err)
    }
    fn message(&mut self, message_id: i64) -> tulip_bots::BotResult<Value> {
        self.rt
            .block_on(self.ctx.message(message_id))
            .map_err(sdk_err)
    }
    fn users(&mut self) -> tulip_bots::BotResult<Vec<(i64, String)>> {
        self.rt.block_on(self.ctx.people()).map_err(sdk_err)
    }
}

impl<B: tulip_bots::GameBot> SdkHost<B> {
    /// Runs `f` on the bot and its context on the blocking pool.
    async fn run<F>(&self, ctx: &BotCtx, f: F) -> AppResult<()>
    where
        F: FnOnce(&mut B, &mut tulip_bots::Ctx) -> tulip_bots::BotResult<()> + Send + 'static,
    {
        let inner = self.inner.clone();
        let embedded = Embedded {
            ctx: ctx.clone(),
            rt: tokio::runtime::Handle::current(),
        };
        let res = tokio::task::spawn_blocking(move || {
            let mut guard = inner.lock().unwrap_or_else(|p| p.into_inner());
            let (bot, sdk_ctx) = &mut *guard;
            let sdk_ctx = sdk_ctx.get_or_insert_with(|| tulip_bots::Ctx::new(Box::new(embedded)));
            f(bot, sdk_ctx)
        })
        .await
        .map_err(AppError::internal)?;
        res.map_err(|e| AppError::bad_request(e.to_string()))
    }
}

impl<B: tulip_bots::GameBot> NativeBot for SdkHost<B> {
    fn name(&self) -> String {
        self.name.clone()
    }
    fn commands(&self) -> Vec<String> {
        self.commands.clone()
    }
    async fn on_start(&mut self, ctx: &BotCtx) -> AppResult<()> {
        self.run(ctx, |b, c| b.on_start(c)).await
    }
    async fn on_reconnect(&mut self, ctx: &BotCtx) -> AppResult<()> {
        self.run(ctx, |b, c| b.on_reconnect(c)).await
    }
    async fn on_command(&mut self, ctx: &BotCtx, ev: CommandEvent) -> AppResult<()> {
        let cmd = tulip_bots::Command {
            topic: ev.topic,
            user_id: ev.user_id,
            command: ev.command,
            args: ev.args,
            message_id: ev.message_id,
        };
        self.run(ctx, move |b, c| b.on_command(c, &cmd)).await
    }
    async fn on_interaction(&mut self, ctx: &BotCtx, ev: InteractionEvent) -> AppResult<()> {
        let it = tulip_bots::Interaction::from_parts(
            ev.message_id,
            ev.user_id,
            ev.interaction,
            ev.interaction_id,
        );
        self.run(ctx, move |b, c| b.on_interaction(c, &it)).await
    }
    async fn on_timer(&mut self, ctx: &BotCtx, ev: TimerEvent) -> AppResult<()> {
        let t = tulip_bots::TimerFired {
            message_id: ev.message_id,
            action: ev.action,
            child: ev.child,
        };
        self.run(ctx, move |b, c| {
            c.forget(t.message_id);
            b.on_timer(c, &t)
        })
        .await
    }
}

/// Starts every demo game of `tulip_bots::games` (`--demo-bots`).
pub async fn spawn_demo_games(state: &AppState) -> AppResult<()> {
    use tulip_bots::games;
    spawn_sdk(state.clone(), games::tictactoe::TicTacToe::default()).await?;
    spawn_sdk(state.clone(), games::battleship::Battleship::default()).await?;
    spawn_sdk(state.clone(), games::blackjack::Blackjack::default()).await?;
    spawn_sdk(state.clone(), games::lobby::Lobby::default()).await?;
    spawn_sdk(state.clone(), games::whack::Whack::default()).await?;
    spawn_sdk(state.clone(), games::rpg::Rpg::default()).await?;
    spawn_sdk(state.clone(), games::mud::Mud::default()).await?;
    Ok(())
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

impl NativeBot for CounterBot {
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
