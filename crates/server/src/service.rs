//! The server's operations, shared by the HTTP handlers, the WebSocket ops
//! and the embedded bots: every caller acts as an authenticated [`User`] and
//! gets exactly that user's rights.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::Instant;

use axum::http::StatusCode;
use rand::distributions::Alphanumeric;
use rand::Rng;
use serde_json::{json, Map, Value};
use tulip_core::{
    apply_update, check_interaction, parse_interaction, parse_update, parse_widget_value, UserId,
    Widget,
};

use crate::db::{MessageRow, TimerRow};
use crate::error::{codes, AppError, AppResult};
use crate::outgoing::{message_for, publish, Outgoing};
use crate::queues::{Queue, Subs};
use crate::state::{now_ms, AppState, MessageMeta, MsgCell, MsgState, Stored, User};
use crate::timers;

pub const MAX_TOPIC_CHARS: usize = 256;
pub const MAX_CONTENT_CHARS: usize = 10_000;
pub const MAX_COMMANDS: usize = 100;
/// Largest `bot_state` (its JSON text).
pub const MAX_BOT_STATE_BYTES: usize = 256 * 1024;

/// A fresh random token (API keys, tickets).
pub fn token(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

// ---------------------------------------------------------------------------
// Users

/// Finds the user with this API key.
pub async fn user_by_key(state: &AppState, key: &str) -> AppResult<Option<User>> {
    if let Some(u) = state
        .users_by_key
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(key)
    {
        return Ok(Some(u.clone()));
    }
    let Some(row) = state.db.user_by_key(key.to_owned()).await? else {
        return Ok(None);
    };
    let user = User {
        id: row.id,
        name: row.name,
        is_bot: row.is_bot,
    };
    state
        .users_by_key
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key.to_owned(), user.clone());
    Ok(Some(user))
}

/// Makes or finds a user (dev login, embedded bots). Returns it with its key.
pub async fn login(state: &AppState, name: &str, is_bot: bool) -> AppResult<(User, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(
            AppError::bad_request("`name` must be 1 to 100 printable characters").with_path("name"),
        );
    }
    let row = state
        .db
        .find_or_create_user(name.to_owned(), is_bot, token(32), now_ms())
        .await?;
    if row.is_bot != is_bot {
        return Err(AppError::bad_request(
            "this name belongs to an account of the other kind (user or bot)",
        )
        .with_path("bot"));
    }
    let user = User {
        id: row.id,
        name: row.name,
        is_bot: row.is_bot,
    };
    Ok((user, row.api_key))
}

// ---------------------------------------------------------------------------
// Messages

fn meta_from_row(row: &MessageRow) -> MessageMeta {
    MessageMeta {
        id: row.id,
        topic: row.topic.clone(),
        sender_id: row.sender_id,
        content: row.content.clone(),
        timestamp_ms: row.timestamp_ms,
    }
}

/// The message `id`, from memory or the database.
pub async fn message_cell(state: &AppState, id: i64) -> AppResult<Option<MsgCell>> {
    if let Some(c) = state
        .messages
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&id)
    {
        return Ok(Some(c.clone()));
    }
    let Some(row) = state.db.message(id).await? else {
        return Ok(None);
    };
    let widget = match &row.widget {
        Some(text) => {
            let w: Widget = serde_json::from_str(text)
                .map_err(|e| AppError::internal(format!("stored widget {id}: {e}")))?;
            Some(Stored {
                widget: Arc::new(w),
                version: row.version.max(1) as u64,
            })
        }
        None => None,
    };
    let cell = Arc::new(tokio::sync::Mutex::new(MsgState {
        meta: Arc::new(meta_from_row(&row)),
        widget,
    }));
    // Another task may have loaded it meanwhile: keep the first.
    Ok(Some(
        state
            .messages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(id)
            .or_insert(cell)
            .clone(),
    ))
}

async fn existing(state: &AppState, id: i64) -> AppResult<MsgCell> {
    message_cell(state, id)
        .await?
        .ok_or_else(|| AppError::not_found("no message has this id"))
}

/// The message as `user` sees it.
pub async fn get_message(state: &AppState, user: &User, id: i64) -> AppResult<Value> {
    let cell = existing(state, id).await?;
    let g = cell.lock().await;
    Ok(message_for(&g.meta, g.widget.as_ref(), user.id))
}

/// Messages of a topic around `anchor` (`None`: the newest), as `user` sees them.
pub async fn history(
    state: &AppState,
    user: &User,
    topic: String,
    anchor: Option<i64>,
    num_before: i64,
    num_after: i64,
) -> AppResult<Vec<Value>> {
    let ids = state
        .db
        .history_ids(
            topic,
            anchor.unwrap_or(i64::MAX),
            num_before.clamp(0, 1000),
            num_after.clamp(0, 1000),
        )
        .await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(cell) = message_cell(state, id).await? {
            let g = cell.lock().await;
            out.push(message_for(&g.meta, g.widget.as_ref(), user.id));
        }
    }
    Ok(out)
}

/// Every timer a widget carries: `(child id or "", timer)`.
pub fn timers_of(widget: &Widget, message_id: i64) -> Vec<TimerRow> {
    // One row per timer: the widget's, each composite child's, and those in
    // explicit views (keyed `child` or `child|view:<key>`).
    widget
        .timers()
        .into_iter()
        .filter_map(|t| {
            let at = t.timer.expires_at?;
            let child = t.child.unwrap_or_default();
            Some(TimerRow {
                message_id,
                child: match t.view {
                    Some(v) => format!("{child}|view:{v}"),
                    None => child,
                },
                expires_at: at as i64,
                on_expire: t.timer.on_expire,
            })
        })
        .collect()
}

fn check_topic(topic: &str) -> AppResult<()> {
    let n = topic.chars().count();
    if n == 0 || n > MAX_TOPIC_CHARS || topic.chars().any(char::is_control) {
        return Err(AppError::bad_request(format!(
            "`topic` must be 1 to {MAX_TOPIC_CHARS} printable characters"
        ))
        .with_path("topic"));
    }
    Ok(())
}

/// The JSON text of a sender's `bot_state` (`null` is no state), checked
/// against [`MAX_BOT_STATE_BYTES`].
fn bot_state_text(v: Option<Value>) -> AppResult<Option<String>> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let text = serde_json::to_string(&v).map_err(AppError::internal)?;
    if text.len() > MAX_BOT_STATE_BYTES {
        return Err(AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::TOO_LARGE,
            format!(
                "`bot_state` is {} bytes; the limit is {MAX_BOT_STATE_BYTES}",
                text.len()
            ),
        )
        .with_path("bot_state"));
    }
    Ok(Some(text))
}

/// Posts a message; returns its id. The message is stored before anyone
/// hears of it; a `/command` also reaches the bot that owns the command.
/// `bot_state` is stored with it for the sender alone ([`get_bot_state`]).
pub async fn post_message(
    state: &AppState,
    user: &User,
    topic: String,
    content: String,
    widget: Option<Value>,
    bot_state: Option<Value>,
) -> AppResult<i64> {
    check_topic(&topic)?;
    let bot_state = bot_state_text(bot_state)?;
    if content.chars().count() > MAX_CONTENT_CHARS {
        return Err(AppError::new(
            StatusCode::BAD_REQUEST,
            tulip_core::Code::StringTooLong.as_str(),
            format!("`content` is limited to {MAX_CONTENT_CHARS} characters"),
        )
        .with_path("content"));
    }
    let now = now_ms();
    let widget = match widget {
        None | Some(Value::Null) => None,
        Some(v) => {
            let mut w = parse_widget_value(v, &state.policy).map_err(|e| {
                let mut err = AppError::from(e);
                err.path = err.path.map(|p| join_path("widget", &p));
                err
            })?;
            w.stamp_timers(now as u64);
            Some(w)
        }
    };
    let widget_text = match &widget {
        Some(w) => Some(serde_json::to_string(w).map_err(AppError::internal)?),
        None => None,
    };
    let _order = state.post_lock.lock().await;
    let row = MessageRow {
        id: 0,
        topic: topic.clone(),
        sender_id: user.id,
        content: content.clone(),
        widget: widget_text,
        version: 1,
        timestamp_ms: now,
    };
    let timers = widget.as_ref().map(|w| timers_of(w, 0)).unwrap_or_default();
    let id = state
        .db
        .insert_message(row, timers.clone(), bot_state)
        .await?;
    let meta = Arc::new(MessageMeta {
        id,
        topic: topic.clone(),
        sender_id: user.id,
        content: content.clone(),
        timestamp_ms: now,
    });
    let stored = widget.map(|w| Stored {
        widget: Arc::new(w),
        version: 1,
    });
    let cell = Arc::new(tokio::sync::Mutex::new(MsgState {
        meta: meta.clone(),
        widget: stored.clone(),
    }));
    state
        .messages
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(id, cell);
    state.metrics.messages_posted.fetch_add(1, Relaxed);
    publish(
        state,
        &Outgoing::Message {
            meta: meta.clone(),
            widget: stored,
        },
    );
    drop(_order);
    for mut t in timers {
        t.message_id = id;
        timers::arm(state, t);
    }
    if let Some((cmd, args)) = parse_command(&content) {
        if let Some(bot_id) = state.db.command_owner(cmd.to_owned()).await? {
            let mut body = Map::new();
            body.insert("type".into(), "command".into());
            body.insert("topic".into(), topic.into());
            body.insert("user_id".into(), user.id.into());
            body.insert("command".into(), cmd.into());
            body.insert("args".into(), args.into());
            body.insert("message_id".into(), id.into());
            publish(
                state,
                &Outgoing::ToUser {
                    user_id: bot_id,
                    body,
                },
            );
        }
    }
    Ok(id)
}

fn join_path(prefix: &str, p: &str) -> String {
    if p.is_empty() {
        prefix.to_owned()
    } else if p.starts_with('[') {
        format!("{prefix}{p}")
    } else {
        format!("{prefix}.{p}")
    }
}

/// `/name rest` → `("name", "rest")`.
pub fn parse_command(content: &str) -> Option<(&str, &str)> {
    let rest = content.strip_prefix('/')?;
    let (name, args) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    valid_command_name(name).then_some((name, args))
}

pub fn valid_command_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// A change to a widget: operations, or a whole new widget.
pub enum Change {
    Update(Value),
    Replace(Value),
}

/// Applies a change to the widget of message `id`, as its sender; returns
/// the new version. Stored before it is broadcast, together with the
/// sender's new `bot_state` when one is given (`None` keeps the old one);
/// a rejected change changes nothing.
pub async fn change_widget(
    state: &AppState,
    user: &User,
    id: i64,
    change: Change,
    bot_state: Option<Value>,
) -> AppResult<u64> {
    let bot_state = bot_state_text(bot_state)?;
    let cell = existing(state, id).await?;
    let mut g = cell.lock().await;
    if g.meta.sender_id != user.id {
        return Err(AppError::forbidden(
            "only the message's sender may change its widget",
        ));
    }
    let Some(cur) = g.widget.clone() else {
        return Err(AppError::new(
            StatusCode::BAD_REQUEST,
            codes::NO_WIDGET,
            "this message has no widget",
        ));
    };
    if let Err(wait) = state.update_limits.check(&id, Instant::now()) {
        return Err(AppError::rate_limited(wait));
    }
    let now = now_ms() as u64;
    let (new, update) = match change {
        Change::Update(v) => {
            let mut u = parse_update(&cur.widget.body, v)?;
            u.stamp_timers(now);
            let new = apply_update(&cur.widget, &u, &state.policy)?;
            (new, Some(Arc::new(u)))
        }
        Change::Replace(v) => {
            let mut w = parse_widget_value(v, &state.policy).map_err(|e| {
                let mut err = AppError::from(e);
                err.path = err.path.map(|p| join_path("widget", &p));
                err
            })?;
            w.stamp_timers(now);
            (w, None)
        }
    };
    let version = cur.version + 1;
    let text = serde_json::to_string(&new).map_err(AppError::internal)?;
    let old_timers = timers_of(&cur.widget, id);
    let new_timers = timers_of(&new, id);
    let timers_changed = old_timers != new_timers;
    state
        .db
        .update_widget(
            id,
            text,
            version as i64,
            timers_changed.then(|| new_timers.clone()),
            bot_state,
        )
        .await?;
    let new = Arc::new(new);
    g.widget = Some(Stored {
        widget: new.clone(),
        version,
    });
    state.metrics.widget_updates.fetch_add(1, Relaxed);
    publish(
        state,
        &Outgoing::WidgetChange {
            meta: g.meta.clone(),
            version,
            old: cur.widget.clone(),
            new,
            update,
        },
    );
    drop(g);
    if timers_changed {
        for t in new_timers {
            if !old_timers.contains(&t) {
                timers::arm(state, t);
            }
        }
    }
    Ok(version)
}

/// The sender's private state of message `id` (`null` when none was
/// stored) and the widget version it goes with. Only the sender may read
/// it (403 `FORBIDDEN` for anyone else): it never reaches another user.
pub async fn get_bot_state(state: &AppState, user: &User, id: i64) -> AppResult<(Value, u64)> {
    let cell = existing(state, id).await?;
    // Under the message's lock: never between a widget change and its state.
    let g = cell.lock().await;
    if g.meta.sender_id != user.id {
        return Err(AppError::forbidden(
            "only the message's sender may read its bot_state",
        ));
    }
    let Some((text, version)) = state.db.bot_state(id).await? else {
        return Err(AppError::not_found("no message has this id"));
    };
    let value = match text {
        Some(t) => serde_json::from_str(&t)
            .map_err(|e| AppError::internal(format!("stored bot_state {id}: {e}")))?,
        None => Value::Null,
    };
    let version = g
        .widget
        .as_ref()
        .map_or(version.max(0) as u64, |w| w.version);
    Ok((value, version))
}

/// Sets the sender's private state of message `id` without touching its
/// widget (no version change, no event); `null` clears it.
pub async fn set_bot_state(state: &AppState, user: &User, id: i64, value: Value) -> AppResult<()> {
    let text = bot_state_text(Some(value))?;
    let cell = existing(state, id).await?;
    let g = cell.lock().await;
    if g.meta.sender_id != user.id {
        return Err(AppError::forbidden(
            "only the message's sender may store its bot_state",
        ));
    }
    state.db.set_bot_state(id, text).await?;
    drop(g);
    Ok(())
}

// ---------------------------------------------------------------------------
// Interactions

fn result_event(
    message_id: i64,
    client_seq: Option<u64>,
    outcome: &Result<u64, AppError>,
) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("type".into(), "interaction_result".into());
    m.insert("message_id".into(), message_id.into());
    m.insert(
        "client_seq".into(),
        client_seq.map(Value::from).unwrap_or(Value::Null),
    );
    match outcome {
        Ok(iid) => {
            m.insert("ok".into(), true.into());
            m.insert("interaction_id".into(), (*iid).into());
        }
        Err(e) => {
            m.insert("ok".into(), false.into());
            m.insert("code".into(), e.code.clone().into());
            m.insert("msg".into(), e.msg.clone().into());
            if let Some(r) = e.retry_after {
                m.insert("retry_after".into(), json!(r));
            }
        }
    }
    m
}

/// A user's interaction with the widget of message `id`: checked (rate
/// limit, form, rules, turn), delivered to the widget's sender; the user
/// hears the outcome as `interaction_result`. Returns the interaction id.
pub async fn interact(state: &AppState, user: &User, id: i64, value: Value) -> AppResult<u64> {
    let client_seq = value.get("client_seq").and_then(Value::as_u64);
    let outcome = interact_inner(state, user, id, value).await;
    // No result event for a message that does not exist (nothing to roll back).
    if !matches!(&outcome, Err(e) if e.code == codes::NOT_FOUND) {
        publish(
            state,
            &Outgoing::ToUser {
                user_id: user.id,
                body: result_event(id, client_seq, &outcome),
            },
        );
    }
    outcome
}

async fn interact_inner(state: &AppState, user: &User, id: i64, value: Value) -> AppResult<u64> {
    let cell = existing(state, id).await?;
    let (meta, widget) = {
        let g = cell.lock().await;
        (g.meta.clone(), g.widget.clone())
    };
    let Some(stored) = widget else {
        return Err(AppError::new(
            StatusCode::BAD_REQUEST,
            codes::NO_WIDGET,
            "this message has no widget",
        ));
    };
    let remaining = state
        .interaction_limits
        .check(&(user.id, id), Instant::now())
        .map_err(AppError::rate_limited)?;
    let it = parse_interaction(value)?;
    check_interaction(&stored.widget, &UserId::num(user.id as u64), &it)?;
    let iid = state.next_interaction_id.fetch_add(1, Relaxed);
    state.metrics.interactions.fetch_add(1, Relaxed);
    let mut body = Map::new();
    body.insert("type".into(), "interaction".into());
    body.insert("message_id".into(), id.into());
    body.insert("user_id".into(), user.id.into());
    body.insert("interaction".into(), it.to_value());
    body.insert("interaction_id".into(), iid.into());
    publish(
        state,
        &Outgoing::ToUser {
            user_id: meta.sender_id,
            body,
        },
    );
    if remaining < 5.0 {
        let mut w = Map::new();
        w.insert("type".into(), "rate_limit_warning".into());
        w.insert("message_id".into(), id.into());
        w.insert("remaining".into(), (remaining.floor() as u64).into());
        w.insert(
            "window_reset_secs".into(),
            json!(state.interaction_limits.window_secs()),
        );
        publish(
            state,
            &Outgoing::ToUser {
                user_id: user.id,
                body: w,
            },
        );
    }
    Ok(iid)
}

// ---------------------------------------------------------------------------
// Commands

pub async fn register_commands(
    state: &AppState,
    user: &User,
    names: Vec<String>,
) -> AppResult<Vec<String>> {
    if !user.is_bot {
        return Err(AppError::new(
            StatusCode::FORBIDDEN,
            codes::NOT_A_BOT,
            "only bots register commands",
        ));
    }
    if names.len() > MAX_COMMANDS {
        return Err(
            AppError::bad_request(format!("at most {MAX_COMMANDS} commands")).with_path("commands"),
        );
    }
    for (i, n) in names.iter().enumerate() {
        if !valid_command_name(n) {
            return Err(AppError::bad_request(
                "a command name is 1 to 32 characters of a-z, 0-9, `_` and `-`",
            )
            .with_path(format!("commands[{i}]")));
        }
    }
    if let Err(taken) = state.db.register_commands(user.id, names).await? {
        return Err(AppError::new(
            StatusCode::CONFLICT,
            codes::COMMAND_TAKEN,
            format!("another bot owns the command `{taken}`"),
        ));
    }
    Ok(state.db.commands_of(user.id).await?)
}

// ---------------------------------------------------------------------------
// Queues

/// Subscriptions from `{"topics"?, "message_ids"?}`: with neither, everything.
pub fn subs_from(topics: Option<Vec<String>>, message_ids: Option<Vec<i64>>) -> AppResult<Subs> {
    let all = topics.is_none() && message_ids.is_none();
    let topics = topics.unwrap_or_default();
    let message_ids = message_ids.unwrap_or_default();
    if topics.len() > 1000 || message_ids.len() > 10_000 {
        return Err(AppError::bad_request("too many subscriptions"));
    }
    for (i, t) in topics.iter().enumerate() {
        check_topic(t).map_err(|e| e.with_path(format!("topics[{i}]")))?;
    }
    Ok(Subs {
        all,
        topics: topics.into_iter().collect(),
        message_ids: message_ids.into_iter().collect(),
    })
}

pub fn register_queue(state: &AppState, user: &User, subs: Subs) -> Arc<Queue> {
    state.queues.register(user.id, subs)
}

pub fn queue_of(state: &AppState, user: &User, queue_id: &str) -> AppResult<Arc<Queue>> {
    state
        .queues
        .get(queue_id, user.id)
        .ok_or_else(AppError::bad_queue)
}

/// Adds (`add`) or removes subscriptions of a queue.
pub fn change_subs(
    q: &Queue,
    topics: Vec<String>,
    message_ids: Vec<i64>,
    add: bool,
) -> AppResult<()> {
    for (i, t) in topics.iter().enumerate() {
        check_topic(t).map_err(|e| e.with_path(format!("topics[{i}]")))?;
    }
    let mut err = None;
    q.update_subs(|s| {
        if add {
            s.topics.extend(topics);
            s.message_ids.extend(message_ids);
            if s.topics.len() > 1000 || s.message_ids.len() > 10_000 {
                err = Some(AppError::bad_request("too many subscriptions"));
            }
        } else {
            for t in &topics {
                s.topics.remove(t);
            }
            for m in &message_ids {
                s.message_ids.remove(m);
            }
            s.all = false;
        }
    });
    err.map_or(Ok(()), Err)
}

/// Issues a single-use WebSocket ticket for `user`.
pub fn issue_ticket(state: &AppState, user: &User) -> String {
    let t = token(32);
    let mut map = state.tickets.lock().unwrap_or_else(|e| e.into_inner());
    let now = Instant::now();
    map.retain(|_, v| v.expires > now);
    map.insert(
        t.clone(),
        crate::state::Ticket {
            user_id: user.id,
            expires: now + state.config.ticket_ttl,
        },
    );
    t
}

/// Consumes a ticket: the user it was issued to, if it is valid.
pub async fn redeem_ticket(state: &AppState, ticket: &str) -> AppResult<Option<User>> {
    let found = state
        .tickets
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(ticket);
    let Some(t) = found else { return Ok(None) };
    if t.expires <= Instant::now() {
        return Ok(None);
    }
    Ok(state.db.user_by_id(t.user_id).await?.map(|r| User {
        id: r.id,
        name: r.name,
        is_bot: r.is_bot,
    }))
}
