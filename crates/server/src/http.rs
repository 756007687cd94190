//! HTTP handlers and the extractors that turn every bad request into an
//! `AppError` (never axum's plain-text rejections).

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{codes, AppError, AppResult};
use crate::outgoing::heartbeat_frag;
use crate::service::{self, Change};
use crate::state::{now_ms, AppState, User};

// ---------------------------------------------------------------------------
// Extractors

/// The authenticated caller (`Authorization: Bearer <api_key>`).
pub struct Auth(pub User);

pub fn bearer(parts: &Parts) -> Option<&str> {
    let v = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, key) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| key.trim())
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let key = bearer(parts).ok_or_else(AppError::unauthorized)?;
        if key.is_empty() || key.len() > 128 {
            return Err(AppError::unauthorized());
        }
        service::user_by_key(state, key)
            .await?
            .map(Auth)
            .ok_or_else(AppError::unauthorized)
    }
}

/// A JSON body, parsed with the core's limits and decoded into `T`; errors
/// carry a code and the path of the bad field.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &AppState) -> AppResult<Self> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    codes::TOO_LARGE,
                    "the body is larger than 1 MiB",
                )
            } else {
                AppError::bad_request("could not read the request body")
            }
        })?;
        let text = std::str::from_utf8(&bytes).map_err(|_| {
            AppError::new(
                StatusCode::BAD_REQUEST,
                tulip_core::Code::InvalidJson.as_str(),
                "the body is not UTF-8",
            )
        })?;
        let value = tulip_core::parse_json(text)?;
        let t = tulip_core::parse::typed::<T>(value, "")?;
        Ok(JsonBody(t))
    }
}

/// Query parameters; a bad one is a 400 `BAD_REQUEST`.
pub struct Q<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Q<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(t)| Q(t))
            .map_err(|e| AppError::bad_request(format!("bad query string: {}", e.body_text())))
    }
}

/// A message id in the path; anything else is 404.
pub struct MsgId(pub i64);

impl FromRequestParts<AppState> for MsgId {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        Path::<i64>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| MsgId(id))
            .map_err(|_| AppError::not_found("no message has this id"))
    }
}

fn ok(mut v: Value) -> Response {
    if let Value::Object(m) = &mut v {
        m.insert("result".into(), "success".into());
    }
    Json(v).into_response()
}

// ---------------------------------------------------------------------------
// Handlers

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginReq {
    name: String,
    #[serde(default)]
    bot: bool,
}

pub async fn dev_login(
    State(state): State<AppState>,
    body: Result<JsonBody<LoginReq>, AppError>,
) -> AppResult<Response> {
    if !state.config.dev_login {
        return Err(not_found());
    }
    let JsonBody(req) = body?;
    let (user, key) = service::login(&state, &req.name, req.bot).await?;
    Ok(ok(
        json!({"user_id": user.id, "api_key": key, "name": user.name, "bot": user.is_bot}),
    ))
}

pub async fn me(Auth(user): Auth) -> Response {
    ok(json!({"user_id": user.id, "name": user.name, "bot": user.is_bot}))
}

/// `GET /users`: every user's id, name and bot flag, so that clients can
/// show names (messages carry `sender_id` only). At most 10,000.
pub async fn users(State(state): State<AppState>, Auth(_): Auth) -> AppResult<Response> {
    let users = state.db.users(10_000).await?;
    let users: Vec<Value> = users
        .into_iter()
        .map(|(id, name, bot)| json!({"user_id": id, "name": name, "bot": bot}))
        .collect();
    Ok(ok(json!({ "users": users })))
}

/// `GET /topics`: topics with messages, most recently active first (100).
pub async fn topics(State(state): State<AppState>, Auth(_): Auth) -> AppResult<Response> {
    let topics = state.db.topics(100).await?;
    let topics: Vec<Value> = topics
        .into_iter()
        .map(|(name, last)| json!({"name": name, "last_message_id": last}))
        .collect();
    Ok(ok(json!({ "topics": topics })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostReq {
    topic: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    widget: Option<Value>,
    /// The sender's private state, stored with the message.
    #[serde(default)]
    bot_state: Option<Value>,
}

pub async fn post_message(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(req): JsonBody<PostReq>,
) -> AppResult<Response> {
    let id = service::post_message(
        &state,
        &user,
        req.topic,
        req.content,
        req.widget,
        req.bot_state,
    )
    .await?;
    Ok(ok(json!({"id": id})))
}

#[derive(Deserialize)]
pub struct HistoryQ {
    topic: String,
    anchor: Option<String>,
    num_before: Option<i64>,
    num_after: Option<i64>,
}

pub async fn history(
    State(state): State<AppState>,
    Auth(user): Auth,
    Q(q): Q<HistoryQ>,
) -> AppResult<Response> {
    let anchor = match q.anchor.as_deref() {
        None | Some("newest") => None,
        Some("oldest") => Some(0),
        Some(s) => Some(s.parse::<i64>().map_err(|_| {
            AppError::bad_request("`anchor` is a message id, `newest` or `oldest`")
                .with_path("anchor")
        })?),
    };
    let (before, after) = match anchor {
        Some(0) => (0, q.num_after.unwrap_or(100)),
        _ => (q.num_before.unwrap_or(100), q.num_after.unwrap_or(0)),
    };
    let messages = service::history(&state, &user, q.topic, anchor, before, after).await?;
    Ok(ok(json!({"messages": messages})))
}

pub async fn get_message(
    State(state): State<AppState>,
    Auth(user): Auth,
    MsgId(id): MsgId,
) -> AppResult<Response> {
    let m = service::get_message(&state, &user, id).await?;
    Ok(ok(json!({"message": m})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchReq {
    update: Option<Value>,
    widget: Option<Value>,
    /// The sender's new private state, stored with the change.
    bot_state: Option<Value>,
}

pub async fn patch_widget(
    State(state): State<AppState>,
    Auth(user): Auth,
    MsgId(id): MsgId,
    JsonBody(req): JsonBody<PatchReq>,
) -> AppResult<Response> {
    let change = match (req.update, req.widget) {
        (Some(u), None) => Change::Update(u),
        (None, Some(w)) => Change::Replace(w),
        _ => {
            return Err(AppError::bad_request(
                "give exactly one of `update` or `widget`",
            ))
        }
    };
    let version = service::change_widget(&state, &user, id, change, req.bot_state).await?;
    Ok(ok(json!({"version": version})))
}

/// `GET /messages/{id}/bot_state`: the sender's private state.
pub async fn get_bot_state(
    State(state): State<AppState>,
    Auth(user): Auth,
    MsgId(id): MsgId,
) -> AppResult<Response> {
    let (value, version) = service::get_bot_state(&state, &user, id).await?;
    Ok(ok(json!({"bot_state": value, "version": version})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BotStateReq {
    bot_state: Value,
}

/// `PUT /messages/{id}/bot_state {"bot_state"}`: stores it without
/// changing the widget.
pub async fn put_bot_state(
    State(state): State<AppState>,
    Auth(user): Auth,
    MsgId(id): MsgId,
    JsonBody(req): JsonBody<BotStateReq>,
) -> AppResult<Response> {
    service::set_bot_state(&state, &user, id, req.bot_state).await?;
    Ok(ok(json!({})))
}

pub async fn interact(
    State(state): State<AppState>,
    Auth(user): Auth,
    MsgId(id): MsgId,
    JsonBody(v): JsonBody<Value>,
) -> AppResult<Response> {
    let iid = service::interact(&state, &user, id, v).await?;
    Ok(ok(json!({"interaction_id": iid})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterReq {
    topics: Option<Vec<String>>,
    message_ids: Option<Vec<i64>>,
}

pub async fn register(
    State(state): State<AppState>,
    Auth(user): Auth,
    body: Bytes,
) -> AppResult<Response> {
    // An empty body registers for everything.
    let req: RegisterReq = if body.iter().all(u8::is_ascii_whitespace) {
        RegisterReq {
            topics: None,
            message_ids: None,
        }
    } else {
        let text = std::str::from_utf8(&body)
            .map_err(|_| AppError::bad_request("the body is not UTF-8"))?;
        tulip_core::parse::typed(tulip_core::parse_json(text)?, "")?
    };
    let subs = service::subs_from(req.topics, req.message_ids)?;
    let q = service::register_queue(&state, &user, subs);
    Ok(ok(json!({
        "queue_id": q.id,
        "last_event_id": 0,
        "server_time": now_ms(),
        "heartbeat_secs": state.config.heartbeat.as_secs_f64(),
    })))
}

#[derive(Deserialize)]
pub struct EventsQ {
    queue_id: String,
    last_event_id: Option<i64>,
    #[serde(default)]
    dont_block: bool,
}

/// Long-poll: answers at once with events newer than `last_event_id`, or
/// waits for one; after `heartbeat_secs` a `heartbeat` event is queued.
pub async fn get_events(
    State(state): State<AppState>,
    Auth(user): Auth,
    Q(p): Q<EventsQ>,
) -> AppResult<Response> {
    let q = service::queue_of(&state, &user, &p.queue_id)?;
    let last = p.last_event_id.unwrap_or(-1);
    q.ack(last);
    let _attached = q.attach();
    let _waiting = Gauge::inc(&state.metrics.longpoll_waiting);
    let mut rx = q.watch();
    let deadline = tokio::time::Instant::now() + state.config.heartbeat;
    loop {
        let events = q.after(last, 1000).map_err(|_| AppError::bad_queue())?;
        if !events.is_empty() || p.dont_block {
            let mut body =
                String::with_capacity(64 + events.iter().map(|e| e.text.len() + 1).sum::<usize>());
            body.push_str("{\"result\":\"success\",\"queue_id\":");
            body.push_str(&Value::from(q.id.as_str()).to_string());
            body.push_str(",\"events\":[");
            for (i, e) in events.iter().enumerate() {
                if i > 0 {
                    body.push(',');
                }
                body.push_str(&e.text);
            }
            body.push_str("]}");
            return Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response());
        }
        tokio::select! {
            r = rx.changed() => {
                if r.is_err() {
                    return Err(AppError::bad_queue());
                }
            }
            _ = tokio::time::sleep_until(deadline) => {
                if q.push(&heartbeat_frag()).is_err() {
                    return Err(AppError::bad_queue());
                }
            }
        }
    }
}

/// Decrements a gauge when dropped.
pub struct Gauge<'a>(&'a std::sync::atomic::AtomicI64);

impl<'a> Gauge<'a> {
    pub fn inc(g: &'a std::sync::atomic::AtomicI64) -> Self {
        g.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Gauge(g)
    }
}

impl Drop for Gauge<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

#[derive(Deserialize)]
pub struct QueueQ {
    queue_id: String,
}

pub async fn delete_events(
    State(state): State<AppState>,
    Auth(user): Auth,
    Q(p): Q<QueueQ>,
) -> AppResult<Response> {
    let q = service::queue_of(&state, &user, &p.queue_id)?;
    state.queues.remove(&q.id);
    Ok(ok(json!({})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubReq {
    op: SubOp,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    message_ids: Vec<i64>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SubOp {
    Subscribe,
    Unsubscribe,
}

pub async fn patch_events(
    State(state): State<AppState>,
    Auth(user): Auth,
    Q(p): Q<QueueQ>,
    JsonBody(req): JsonBody<SubReq>,
) -> AppResult<Response> {
    let q = service::queue_of(&state, &user, &p.queue_id)?;
    service::change_subs(&q, req.topics, req.message_ids, req.op == SubOp::Subscribe)?;
    Ok(ok(json!({})))
}

pub async fn ws_ticket(State(state): State<AppState>, Auth(user): Auth) -> Response {
    let t = service::issue_ticket(&state, &user);
    ok(json!({"ticket": t, "expires_in": state.config.ticket_ttl.as_secs_f64()}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandsReq {
    commands: Vec<String>,
}

pub async fn register_commands(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(req): JsonBody<CommandsReq>,
) -> AppResult<Response> {
    let all = service::register_commands(&state, &user, req.commands).await?;
    Ok(ok(json!({"commands": all})))
}

pub async fn list_commands(State(state): State<AppState>, Auth(user): Auth) -> AppResult<Response> {
    let all = state.db.commands_of(user.id).await?;
    Ok(ok(json!({"commands": all})))
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let qs = state.queues.all();
    let (mut total, mut max, mut bytes) = (0, 0, 0);
    for q in &qs {
        let (n, b) = q.depth();
        total += n;
        max = max.max(n);
        bytes += b;
    }
    let body = state.metrics.render((qs.len(), total, max, bytes));
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

pub fn not_found() -> AppError {
    AppError::not_found("no such endpoint")
}

pub async fn fallback() -> AppError {
    not_found()
}

pub async fn method_not_allowed() -> AppError {
    AppError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::METHOD_NOT_ALLOWED,
        "method not allowed",
    )
}

/// Periodic housekeeping: idle queues, stale rate-limit buckets, tickets.
pub async fn housekeeping(state: AppState) {
    let period = (state.config.queue.idle_timeout / 4).clamp(
        std::time::Duration::from_millis(50),
        std::time::Duration::from_secs(30),
    );
    let mut tick = tokio::time::interval(period);
    loop {
        tick.tick().await;
        let now = Instant::now();
        let n = state.queues.reap(now);
        if n > 0 {
            state
                .metrics
                .queues_expired
                .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
            tracing::debug!(dropped = n, "expired idle queues");
        }
        state.interaction_limits.sweep(now);
        state.update_limits.sweep(now);
        state
            .tickets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, t| t.expires > now);
    }
}
