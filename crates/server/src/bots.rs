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
    /// Called once, after login and command registration, before any event.
    fn on_start(&mut self, _ctx: &BotCtx) -> impl Future<Output = AppResult<()>> + Send {
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
pub async fn spawn<B: GameBot>(state: AppState, mut bot: B) -> AppResult<JoinHandle<()>> {
    let (user, _key) = service::login(&state, &bot.name(), true).await?;
    service::register_commands(&state, &user, bot.commands()).await?;
    let ctx = BotCtx {
        state: state.clone(),
        user,
    };
    bot.on_start(&ctx).await?;
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
// SDK bots (`tulip_bots::Bot`), hosted in-process

/// Starts a `tulip_bots::Bot` (the SDK's trait, which also runs remotely)
/// in this process. Its handlers are synchronous: they run on tokio's
/// blocking pool, one at a time, and their context calls the same functions
/// as [`BotCtx`].
pub async fn spawn_sdk<B: tulip_bots::Bot>(state: AppState, bot: B) -> AppResult<JoinHandle<()>> {
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
    ) -> tulip_bots::BotResult<i64> {
        self.rt
            .block_on(self.ctx.post(topic, content, widget))
            .map_err(sdk_err)
    }
    fn update(&mut self, message_id: i64, update: Value) -> tulip_bots::BotResult<u64> {
        self.rt
            .block_on(self.ctx.update(message_id, update))
            .map_err(sdk_err)
    }
    fn replace(&mut self, message_id: i64, widget: Value) -> tulip_bots::BotResult<u64> {
        self.rt
            .block_on(self.ctx.replace(message_id, widget))
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

impl<B: tulip_bots::Bot> SdkHost<B> {
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

impl<B: tulip_bots::Bot> GameBot for SdkHost<B> {
    fn name(&self) -> String {
        self.name.clone()
    }
    fn commands(&self) -> Vec<String> {
        self.commands.clone()
    }
    async fn on_start(&mut self, ctx: &BotCtx) -> AppResult<()> {
        self.run(ctx, |b, c| b.on_start(c)).await
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
