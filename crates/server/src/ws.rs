//! WebSockets: `GET /ws` carries one event queue (the same queue long-poll
//! reads), `GET /ws/game/{message_id}` one game's events.
//!
//! Before the upgrade: the `Origin` header must be the server's own or in the
//! allow-list (browsers always send it; a request without one is not from a
//! browser page), and the caller must present a single-use `ticket` or a
//! Bearer API key. After it: a `connection_established` frame, then every
//! event newer than `last_event_id`, then live events. Frames and messages
//! from the client are capped; a peer that stops answering pings, or whose
//! sends stay stuck, is closed.

use std::sync::Arc;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use futures_util::SinkExt;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::time::Instant;

use crate::error::{codes, AppError, AppResult};
use crate::http::{bearer, Gauge};
use crate::outgoing::message_for;
use crate::queues::{Queue, Subs};
use crate::service;
use crate::state::{now_ms, AppState, User};

/// Read buffer of a socket (see [`prepare`]).
const WS_READ_BUFFER: usize = 4 * 1024;

/// Whether a WebSocket from this `Origin` may be opened.
pub fn origin_allowed(allowed: &[String], headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true; // not a browser page
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    if allowed
        .iter()
        .any(|a| a.trim().trim_end_matches('/').eq_ignore_ascii_case(&origin))
    {
        return true;
    }
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    origin == format!("http://{host}") || origin == format!("https://{host}")
}

#[derive(Deserialize)]
pub struct WsQ {
    queue_id: Option<String>,
    last_event_id: Option<i64>,
    ticket: Option<String>,
}

async fn ws_user(state: &AppState, parts: &Parts, ticket: Option<&str>) -> AppResult<User> {
    if let Some(t) = ticket {
        return service::redeem_ticket(state, t).await?.ok_or_else(|| {
            AppError::new(
                StatusCode::UNAUTHORIZED,
                codes::BAD_TICKET,
                "the ticket is unknown, used or expired",
            )
        });
    }
    let key = bearer(parts).ok_or_else(AppError::unauthorized)?;
    service::user_by_key(state, key)
        .await?
        .ok_or_else(AppError::unauthorized)
}

/// Checks origin and credentials and configures the upgrade.
async fn prepare(
    state: &AppState,
    parts: &mut Parts,
    ticket: Option<&str>,
) -> AppResult<(User, WebSocketUpgrade)> {
    if !origin_allowed(&state.config.allowed_origins, &parts.headers) {
        return Err(AppError::new(
            StatusCode::FORBIDDEN,
            codes::BAD_ORIGIN,
            "this origin may not open WebSockets here",
        ));
    }
    let user = ws_user(state, parts, ticket).await?;
    let up: Result<WebSocketUpgrade, WebSocketUpgradeRejection> =
        WebSocketUpgrade::from_request_parts(parts, state).await;
    let up = up.map_err(|_| AppError::bad_request("expected a WebSocket upgrade request"))?;
    let cfg = &state.config;
    let up = up
        .max_message_size(cfg.ws_max_message)
        .max_frame_size(cfg.ws_max_message)
        // tungstenite zero-fills its whole free read buffer before every
        // read attempt, and a session polls its socket each time it wakes
        // to deliver an event: with the default 128 KiB that memset was
        // half of the server's CPU under load. Client frames are small; a
        // larger one still gets room reserved for it.
        .read_buffer_size(WS_READ_BUFFER)
        .write_buffer_size(16 * 1024)
        .max_write_buffer_size(cfg.ws_max_write_buffer);
    Ok((user, up))
}

pub async fn ws_queue(
    State(state): State<AppState>,
    req: axum::extract::Request,
) -> AppResult<Response> {
    let (mut parts, _body) = req.into_parts();
    let Query(q): Query<WsQ> = Query::from_request_parts(&mut parts, &state)
        .await
        .map_err(|e| AppError::bad_request(format!("bad query string: {}", e.body_text())))?;
    let (user, up) = prepare(&state, &mut parts, q.ticket.as_deref()).await?;
    // Without a queue id, the socket gets a fresh queue for everything.
    let queue = match &q.queue_id {
        Some(id) => state.queues.get(id, user.id),
        None => Some(state.queues.register(
            user.id,
            Subs {
                all: true,
                ..Subs::default()
            },
        )),
    };
    let last = q.last_event_id.unwrap_or(-1);
    Ok(up.on_upgrade(move |socket| async move {
        let _g = Gauge::inc(&state.metrics.ws_connections);
        match queue {
            Some(queue) => {
                Session::new(state.clone(), user, queue, last, None)
                    .run(socket)
                    .await
            }
            None => refuse(socket).await,
        }
    }))
}

/// `GET /ws/game/{message_id}`: a socket for one game. It sends the message
/// as the caller sees it, then that widget's events and the caller's own
/// interaction results; its queue lives as long as the socket.
pub async fn ws_game(
    State(state): State<AppState>,
    req: axum::extract::Request,
) -> AppResult<Response> {
    let (mut parts, _body) = req.into_parts();
    let axum::extract::Path(message_id): axum::extract::Path<i64> =
        axum::extract::Path::from_request_parts(&mut parts, &state)
            .await
            .map_err(|_| AppError::not_found("no message has this id"))?;
    let Query(q): Query<WsQ> = Query::from_request_parts(&mut parts, &state)
        .await
        .map_err(|e| AppError::bad_request(format!("bad query string: {}", e.body_text())))?;
    let (user, up) = prepare(&state, &mut parts, q.ticket.as_deref()).await?;
    let cell = service::message_cell(&state, message_id)
        .await?
        .ok_or_else(|| AppError::not_found("no message has this id"))?;
    Ok(up.on_upgrade(move |socket| async move {
        let _g = Gauge::inc(&state.metrics.game_ws_connections);
        let queue = state.queues.register(
            user.id,
            Subs {
                message_ids: [message_id].into_iter().collect(),
                ..Subs::default()
            },
        );
        // Snapshot under the message lock, so no update slips between it and the queue.
        let snapshot = {
            let g = cell.lock().await;
            message_for(&g.meta, g.widget.as_ref(), user.id)
        };
        let qid = queue.id.clone();
        Session::new(state.clone(), user, queue, 0, Some((message_id, snapshot)))
            .run(socket)
            .await;
        state.queues.remove(&qid);
    }))
}

async fn refuse(mut socket: WebSocket) {
    let frame = json!({
        "type": "error",
        "code": codes::BAD_EVENT_QUEUE_ID,
        "msg": "bad event queue id: register a new queue and refetch state",
        "reconnect_required": true,
    });
    let _ = socket.send(Message::Text(frame.to_string().into())).await;
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code: 4000,
            reason: "bad event queue id".into(),
        })))
        .await;
}

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
enum Op {
    Ack {
        last_event_id: i64,
    },
    Ping {
        #[serde(default)]
        id: Value,
    },
    Interaction {
        message_id: Option<i64>,
        data: Value,
        #[serde(default)]
        client_seq: Option<u64>,
    },
    Subscribe {
        #[serde(default)]
        topics: Vec<String>,
        #[serde(default)]
        message_ids: Vec<i64>,
    },
    Unsubscribe {
        #[serde(default)]
        topics: Vec<String>,
        #[serde(default)]
        message_ids: Vec<i64>,
    },
}

struct Session {
    state: AppState,
    user: User,
    queue: Arc<Queue>,
    cursor: i64,
    game: Option<(i64, Value)>,
}

enum Step {
    Continue,
    Close(Option<CloseFrame>),
}

impl Session {
    fn new(
        state: AppState,
        user: User,
        queue: Arc<Queue>,
        last: i64,
        game: Option<(i64, Value)>,
    ) -> Self {
        Session {
            state,
            user,
            queue,
            cursor: last,
            game,
        }
    }

    async fn send_all(&self, socket: &mut WebSocket, frames: Vec<Message>) -> Result<(), ()> {
        let timeout = self.state.config.ws_send_timeout;
        let fut = async {
            for f in frames {
                socket.feed(f).await.map_err(|_| ())?;
            }
            socket.flush().await.map_err(|_| ())
        };
        match tokio::time::timeout(timeout, fut).await {
            Ok(r) => r,
            Err(_) => Err(()),
        }
    }

    async fn run(mut self, mut socket: WebSocket) {
        self.queue.ack(self.cursor);
        let _attached = self.queue.attach();
        let mut rx = self.queue.watch();
        let mut hello = json!({
            "type": "connection_established",
            "queue_id": self.queue.id,
            "features": ["events", "ack", "interaction", "subscribe", "ping"],
            "server_time": now_ms(),
            "last_event_id": self.cursor.max(0),
            "heartbeat_secs": self.state.config.ping_interval.as_secs_f64(),
        });
        let mut first = vec![];
        if let Some((id, snapshot)) = self.game.take() {
            hello["message_id"] = id.into();
            first.push(Message::Text(hello.to_string().into()));
            first.push(Message::Text(
                json!({"type": "message", "message": snapshot})
                    .to_string()
                    .into(),
            ));
            self.game = Some((id, Value::Null));
        } else {
            first.push(Message::Text(hello.to_string().into()));
        }
        if self.send_all(&mut socket, first).await.is_err() {
            return;
        }
        let ping_every = self.state.config.ping_interval;
        let deadline = ping_every + self.state.config.ping_timeout;
        let mut ping = tokio::time::interval_at(Instant::now() + ping_every, ping_every);
        let mut last_seen = Instant::now();
        // Deliver whatever is already queued.
        let mut pending = true;
        loop {
            if pending {
                pending = false;
                match self.queue.after(self.cursor, 512) {
                    Ok(evs) if evs.is_empty() => {}
                    Ok(evs) => {
                        if let Some(last) = evs.last() {
                            self.cursor = last.id as i64;
                        }
                        // More may be waiting beyond this batch.
                        pending = evs.len() == 512;
                        let frames = evs.into_iter().map(|e| Message::Text(e.text)).collect();
                        if self.send_all(&mut socket, frames).await.is_err() {
                            break;
                        }
                        continue;
                    }
                    Err(_) => {
                        refuse(socket).await;
                        return;
                    }
                }
            }
            tokio::select! {
                r = rx.changed() => {
                    if r.is_err() || *rx.borrow() == u64::MAX {
                        refuse(socket).await;
                        return;
                    }
                    pending = true;
                }
                msg = socket.recv() => {
                    last_seen = Instant::now();
                    let step = match msg {
                        None => break,
                        Some(Err(e)) => {
                            // Oversized frames and protocol errors end here.
                            tracing::debug!(error = %e, "websocket read error");
                            Step::Close(Some(CloseFrame { code: 1009, reason: "frame or message too large, or protocol error".into() }))
                        }
                        Some(Ok(Message::Text(t))) => self.op(&mut socket, t.as_str()).await,
                        Some(Ok(Message::Binary(_))) => Step::Close(Some(CloseFrame { code: 1003, reason: "binary frames are not supported".into() })),
                        Some(Ok(Message::Close(_))) => break,
                        Some(Ok(_)) => Step::Continue, // ping (answered by the library), pong
                    };
                    if let Step::Close(frame) = step {
                        let _ = self.send_all(&mut socket, vec![Message::Close(frame)]).await;
                        break;
                    }
                }
                _ = ping.tick() => {
                    if last_seen.elapsed() > deadline {
                        tracing::debug!(user = self.user.id, "websocket peer missed its pings");
                        let _ = self.send_all(&mut socket, vec![Message::Close(Some(CloseFrame { code: 1001, reason: "ping timeout".into() }))]).await;
                        break;
                    }
                    if self.send_all(&mut socket, vec![Message::Ping(Default::default())]).await.is_err() {
                        break;
                    }
                }
            }
        }
    }

    async fn op(&mut self, socket: &mut WebSocket, text: &str) -> Step {
        let parsed = tulip_core::parse_json(text)
            .map_err(AppError::from)
            .and_then(|v| tulip_core::parse::typed::<Op>(v, "").map_err(AppError::from));
        let reply = match parsed {
            Err(e) => Some(error_frame(&e)),
            Ok(Op::Ack { last_event_id }) => {
                self.queue.ack(last_event_id);
                None
            }
            Ok(Op::Ping { id }) => Some(json!({"type": "pong", "id": id})),
            Ok(Op::Interaction {
                message_id,
                data,
                client_seq,
            }) => {
                let mid = message_id.or(self.game.as_ref().map(|g| g.0));
                match mid {
                    None => Some(error_frame(&AppError::bad_request(
                        "`message_id` is required",
                    ))),
                    Some(mid) => {
                        let mut data = data;
                        if let (Value::Object(m), Some(seq)) = (&mut data, client_seq) {
                            m.insert("client_seq".into(), seq.into());
                        }
                        // The outcome arrives as an `interaction_result` event.
                        match service::interact(&self.state, &self.user, mid, data).await {
                            Err(e) if e.code == codes::NOT_FOUND => Some(error_frame(&e)),
                            _ => None,
                        }
                    }
                }
            }
            Ok(Op::Subscribe {
                topics,
                message_ids,
            }) => service::change_subs(&self.queue, topics, message_ids, true)
                .err()
                .map(|e| error_frame(&e)),
            Ok(Op::Unsubscribe {
                topics,
                message_ids,
            }) => service::change_subs(&self.queue, topics, message_ids, false)
                .err()
                .map(|e| error_frame(&e)),
        };
        if let Some(r) = reply {
            if self
                .send_all(socket, vec![Message::Text(r.to_string().into())])
                .await
                .is_err()
            {
                return Step::Close(None);
            }
        }
        Step::Continue
    }
}

fn error_frame(e: &AppError) -> Value {
    let mut v = json!({
        "type": "error",
        "code": e.code,
        "msg": e.msg,
        "reconnect_required": e.code == codes::BAD_EVENT_QUEUE_ID,
    });
    if let Some(p) = &e.path {
        v["path"] = p.clone().into();
    }
    v
}
