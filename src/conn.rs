//! Connected mode: the bundle keeps an event queue on the server itself.
//!
//! [`Connection::start`] registers a queue (`POST /register`), reads it over
//! WebSocket or long-poll, keeps it alive, reconnects with backoff and
//! jitter, resumes from the last event it handled, falls back from
//! WebSocket to long-poll when sockets fail and tries sockets again later,
//! and registers a new queue (telling its listeners to refetch everything,
//! [`ConnEvent::Resync`]) when the server says `BAD_EVENT_QUEUE_ID`. The
//! decisions are pure and tested natively in [`policy`]; this file does the
//! I/O.

pub mod net;
pub mod policy;

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use futures::channel::mpsc;
use futures::StreamExt;
use serde_json::{json, Value};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, CloseEvent, MessageEvent, WebSocket};

pub use net::{fetch_json, NetError, Reply};
pub use policy::{Backoff, Cursor, Preference, Status, Transport, TransportPolicy};

/// Gets a fresh single-use WebSocket ticket (for embedders that hold no API
/// key: their own server hands out tickets).
pub type TicketSource = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Option<String>>>>>;

/// How to connect.
#[derive(Clone, Default)]
pub struct ConnOptions {
    /// The server's origin, e.g. `https://chat.example.com` (no trailing
    /// slash); empty means this page's origin.
    pub base_url: String,
    pub api_key: Option<String>,
    /// A first WebSocket ticket, for embedders without an API key.
    pub ticket: Option<String>,
    /// Where later tickets come from, without an API key.
    pub ticket_source: Option<TicketSource>,
    pub preference: Preference,
    /// Subscriptions of the queue; `None` for everything.
    pub topics: Option<Vec<String>>,
    pub message_ids: Option<Vec<i64>>,
}

/// What listeners hear.
#[derive(Debug, Clone)]
pub enum ConnEvent {
    /// The connection state or transport changed.
    Status(Status, Transport),
    /// A new queue: events may have been missed, refetch what is shown.
    Resync,
    /// An event from the queue, once, in order.
    Event(Rc<Value>),
}

type Listener = Rc<dyn Fn(&ConnEvent)>;

struct Inner {
    opts: ConnOptions,
    listeners: RefCell<Vec<(u32, Listener)>>,
    next_listener: Cell<u32>,
    closed: Cell<bool>,
    status: Cell<(Status, Transport)>,
    queue_id: RefCell<Option<String>>,
    cursor: Cell<Cursor>,
    heartbeat_secs: Cell<f64>,
    clock_offset_ms: Cell<f64>,
    policy: RefCell<TransportPolicy>,
    backoff: RefCell<Backoff>,
    socket: RefCell<Option<WebSocket>>,
    abort: RefCell<Option<AbortController>>,
    client_seq: Cell<u64>,
    ever_connected: Cell<bool>,
}

/// A live connection; clones share it.
#[derive(Clone)]
pub struct Connection {
    inner: Rc<Inner>,
}

impl PartialEq for Connection {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

/// How one transport session ended.
enum Outcome {
    /// The queue is gone (`BAD_EVENT_QUEUE_ID`): register a new one.
    QueueLost,
    /// A network failure: wait, then retry.
    Failed,
    /// Leave long-poll to try a socket again.
    Upgrade,
    /// The connection was closed.
    Closed,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

async fn sleep_ms(ms: f64) {
    yew::platform::time::sleep(Duration::from_millis(ms.max(0.0) as u64)).await;
}

impl Connection {
    /// Starts connecting in the background.
    pub fn start(mut opts: ConnOptions) -> Connection {
        if opts.base_url.is_empty() {
            opts.base_url = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
        }
        while opts.base_url.ends_with('/') {
            opts.base_url.pop();
        }
        let first = match opts.preference {
            Preference::LongPoll => Transport::LongPoll,
            _ => Transport::WebSocket,
        };
        let inner = Rc::new(Inner {
            policy: RefCell::new(TransportPolicy::new(opts.preference)),
            opts,
            listeners: RefCell::default(),
            next_listener: Cell::new(1),
            closed: Cell::new(false),
            status: Cell::new((Status::Connecting, first)),
            queue_id: RefCell::default(),
            cursor: Cell::default(),
            heartbeat_secs: Cell::new(45.0),
            clock_offset_ms: Cell::new(0.0),
            backoff: RefCell::default(),
            socket: RefCell::default(),
            abort: RefCell::default(),
            client_seq: Cell::new(0),
            ever_connected: Cell::new(false),
        });
        let conn = Connection { inner };
        let runner = conn.clone();
        yew::platform::spawn_local(async move { runner.run().await });
        conn
    }

    /// Adds a listener; returns its id for [`Connection::unlisten`].
    pub fn listen(&self, f: impl Fn(&ConnEvent) + 'static) -> u32 {
        let id = self.inner.next_listener.get();
        self.inner.next_listener.set(id + 1);
        self.inner.listeners.borrow_mut().push((id, Rc::new(f)));
        id
    }

    pub fn unlisten(&self, id: u32) {
        self.inner.listeners.borrow_mut().retain(|(i, _)| *i != id);
    }

    pub fn status(&self) -> (Status, Transport) {
        self.inner.status.get()
    }

    /// Server clock minus this clock, in ms, from the last registration.
    pub fn clock_offset_ms(&self) -> f64 {
        self.inner.clock_offset_ms.get()
    }

    pub fn queue_id(&self) -> Option<String> {
        self.inner.queue_id.borrow().clone()
    }

    pub fn last_event_id(&self) -> u64 {
        self.inner.cursor.get().last_event_id
    }

    pub fn base_url(&self) -> &str {
        &self.inner.opts.base_url
    }

    /// Closes for good: stops reading, drops the queue on the server.
    pub fn close(&self) {
        if self.inner.closed.replace(true) {
            return;
        }
        if let Some(ws) = self.inner.socket.borrow_mut().take() {
            let _ = ws.close();
        }
        if let Some(a) = self.inner.abort.borrow_mut().take() {
            a.abort();
        }
        if let (Some(q), Some(_)) = (self.queue_id(), self.inner.opts.api_key.as_ref()) {
            let this = self.clone();
            yew::platform::spawn_local(async move {
                let path = format!("/api/v1/events?queue_id={}", net::encode(&q));
                let _ = this.api("DELETE", &path, None).await;
            });
        }
        self.set_status(Status::Offline, self.status().1);
    }

    /// An authenticated API call on this connection's server.
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Reply, NetError> {
        let url = format!("{}{}", self.inner.opts.base_url, path);
        fetch_json(method, &url, self.inner.opts.api_key.as_deref(), body, None).await
    }

    /// Sends an interaction (`{"type": ..., ...}`) for `message_id` with a new
    /// `client_seq`, over the socket when one is open, else over HTTP. The
    /// outcome arrives as an `interaction_result` event; a request that
    /// gets no answer at all yields a local `interaction_result` with
    /// `ok: false`.
    pub fn send_interaction(&self, message_id: i64, data: Value) -> u64 {
        let seq = self.inner.client_seq.get() + 1;
        self.inner.client_seq.set(seq);
        let open_socket = self
            .inner
            .socket
            .borrow()
            .as_ref()
            .filter(|ws| ws.ready_state() == WebSocket::OPEN)
            .cloned();
        if let Some(ws) = open_socket {
            let op = json!({"op": "interaction", "message_id": message_id, "data": data, "client_seq": seq});
            if ws.send_with_str(&op.to_string()).is_ok() {
                return seq;
            }
        }
        let this = self.clone();
        yew::platform::spawn_local(async move {
            let mut body = data;
            if let Value::Object(m) = &mut body {
                m.insert("client_seq".into(), seq.into());
            }
            let path = format!("/api/v1/messages/{message_id}/interactions");
            let reply = this.api("POST", &path, Some(&body)).await;
            let failure = match reply {
                Err(e) => Some(("NETWORK".to_owned(), format!("Not sent: {}", e.0))),
                // The server reports refusals as events too (any transport),
                // except for requests it could not attribute to a widget.
                Ok(r) if r.status == 404 || r.status == 401 || r.status == 413 => {
                    Some((r.code().unwrap_or("ERROR").to_owned(), r.message()))
                }
                Ok(_) => None,
            };
            if let Some((code, msg)) = failure {
                let ev = json!({"type": "interaction_result", "message_id": message_id,
                    "client_seq": seq, "ok": false, "code": code, "msg": msg});
                this.emit(&ConnEvent::Event(Rc::new(ev)));
            }
        });
        seq
    }

    fn emit(&self, ev: &ConnEvent) {
        // Listeners may add or remove listeners: call a snapshot.
        let listeners: Vec<Listener> = self
            .inner
            .listeners
            .borrow()
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for l in listeners {
            l(ev);
        }
    }

    fn set_status(&self, status: Status, transport: Transport) {
        if self.inner.status.get() != (status, transport) {
            self.inner.status.set((status, transport));
            self.emit(&ConnEvent::Status(status, transport));
        }
    }

    fn connected(&self, transport: Transport) {
        self.inner.ever_connected.set(true);
        self.inner.backoff.borrow_mut().reset();
        self.set_status(Status::Connected, transport);
    }

    fn dropped(&self, transport: Transport) {
        let status = if self.inner.ever_connected.get() {
            Status::Reconnecting
        } else {
            Status::Connecting
        };
        self.set_status(status, transport);
    }

    /// Handles one queued event: skips replays, remembers the id.
    fn handle_event(&self, ev: Value) {
        let id = ev.get("id").and_then(Value::as_u64).unwrap_or(0);
        let mut cursor = self.inner.cursor.get();
        let fresh = cursor.accept(id);
        self.inner.cursor.set(cursor);
        if fresh {
            self.emit(&ConnEvent::Event(Rc::new(ev)));
        }
    }

    fn set_clock(&self, server_time: Option<f64>) {
        if let Some(t) = server_time {
            self.inner.clock_offset_ms.set(t - now_ms());
        }
    }

    async fn run(&self) {
        while !self.inner.closed.get() {
            let has_key = self.inner.opts.api_key.is_some();
            if has_key && self.inner.queue_id.borrow().is_none() {
                match self.register().await {
                    Ok(()) => self.emit(&ConnEvent::Resync),
                    Err(fatal) => {
                        if fatal {
                            self.set_status(Status::Offline, self.status().1);
                            return;
                        }
                        let t = self.status().1;
                        self.dropped(t);
                        self.wait().await;
                        continue;
                    }
                }
            }
            let transport = if has_key {
                self.inner.policy.borrow().choose(now_ms())
            } else {
                Transport::WebSocket
            };
            let outcome = match transport {
                Transport::WebSocket => self.run_socket().await,
                Transport::LongPoll => self.run_long_poll().await,
            };
            match outcome {
                Outcome::Closed => return,
                Outcome::Upgrade => {}
                Outcome::QueueLost => {
                    *self.inner.queue_id.borrow_mut() = None;
                    self.inner.cursor.set(Cursor::default());
                    if !has_key {
                        // The socket registers a fresh queue itself.
                        self.emit(&ConnEvent::Resync);
                    }
                }
                Outcome::Failed => {
                    self.dropped(transport);
                    self.wait().await;
                }
            }
        }
    }

    async fn wait(&self) {
        let delay = self
            .inner
            .backoff
            .borrow_mut()
            .next_delay(js_sys::Math::random());
        sleep_ms(delay).await;
    }

    /// `Err(true)` when retrying cannot help (the key was refused).
    async fn register(&self) -> Result<(), bool> {
        let mut body = serde_json::Map::new();
        if let Some(t) = &self.inner.opts.topics {
            body.insert("topics".into(), json!(t));
        }
        if let Some(m) = &self.inner.opts.message_ids {
            body.insert("message_ids".into(), json!(m));
        }
        let reply = self
            .api("POST", "/api/v1/register", Some(&Value::Object(body)))
            .await
            .map_err(|_| false)?;
        if reply.status == 401 || reply.status == 403 {
            return Err(true);
        }
        let q = reply
            .body
            .get("queue_id")
            .and_then(Value::as_str)
            .filter(|_| reply.ok())
            .ok_or(false)?;
        *self.inner.queue_id.borrow_mut() = Some(q.to_owned());
        self.inner.cursor.set(Cursor {
            last_event_id: reply
                .body
                .get("last_event_id")
                .and_then(Value::as_u64)
                .unwrap_or(0),
        });
        if let Some(h) = reply.body.get("heartbeat_secs").and_then(Value::as_f64) {
            self.inner.heartbeat_secs.set(h);
        }
        self.set_clock(reply.body.get("server_time").and_then(Value::as_f64));
        Ok(())
    }

    async fn ticket(&self, first: &mut Option<String>) -> Option<String> {
        if self.inner.opts.api_key.is_some() {
            let r = self.api("POST", "/api/v1/ws-ticket", None).await.ok()?;
            return r
                .body
                .get("ticket")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        if let Some(t) = first.take() {
            return Some(t);
        }
        match &self.inner.opts.ticket_source {
            Some(source) => source().await,
            None => None,
        }
    }

    async fn run_socket(&self) -> Outcome {
        let mut first_ticket = self.inner.opts.ticket.clone();
        // The first ticket is used once; later ones come from the source.
        let ticket = match self.ticket(&mut first_ticket).await {
            Some(t) => t,
            None => {
                self.inner.policy.borrow_mut().ws_failed(now_ms(), false);
                return Outcome::Failed;
            }
        };
        let base = &self.inner.opts.base_url;
        let ws_base = if let Some(rest) = base.strip_prefix("https://") {
            format!("wss://{rest}")
        } else if let Some(rest) = base.strip_prefix("http://") {
            format!("ws://{rest}")
        } else {
            base.clone()
        };
        let mut url = format!("{ws_base}/api/v1/ws?ticket={}", net::encode(&ticket));
        if let Some(q) = self.queue_id() {
            url.push_str(&format!(
                "&queue_id={}&last_event_id={}",
                net::encode(&q),
                self.last_event_id()
            ));
        }
        let ws = match WebSocket::new(&url) {
            Ok(ws) => ws,
            Err(_) => {
                self.inner.policy.borrow_mut().ws_failed(now_ms(), false);
                return Outcome::Failed;
            }
        };
        enum Msg {
            Text(String),
            Closed,
            Tick,
        }
        let (tx, mut rx) = mpsc::unbounded::<Msg>();
        let on_message = {
            let tx = tx.clone();
            Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
                if let Some(s) = e.data().as_string() {
                    let _ = tx.unbounded_send(Msg::Text(s));
                }
            })
        };
        let on_close = {
            let tx = tx.clone();
            Closure::<dyn Fn(CloseEvent)>::new(move |_e: CloseEvent| {
                let _ = tx.unbounded_send(Msg::Closed);
            })
        };
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        *self.inner.socket.borrow_mut() = Some(ws.clone());
        // A ticker wakes the loop to ping, ack and notice a silent peer.
        let ticking = Rc::new(Cell::new(true));
        {
            let (tx, ticking) = (tx.clone(), ticking.clone());
            yew::platform::spawn_local(async move {
                while ticking.get() {
                    sleep_ms(5_000.0).await;
                    if tx.unbounded_send(Msg::Tick).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);

        let mut established = false;
        let mut last_heard = now_ms();
        let mut last_ping = now_ms();
        let mut unacked = 0u32;
        let mut ping_id = 0u64;
        let outcome = loop {
            if self.inner.closed.get() {
                break Outcome::Closed;
            }
            let Some(msg) = rx.next().await else {
                break Outcome::Failed;
            };
            match msg {
                Msg::Closed => {
                    self.inner
                        .policy
                        .borrow_mut()
                        .ws_failed(now_ms(), established);
                    break if self.inner.closed.get() {
                        Outcome::Closed
                    } else {
                        Outcome::Failed
                    };
                }
                Msg::Tick => {
                    let now = now_ms();
                    if now - last_heard > 40_000.0 {
                        // No pong, no event: the peer is gone without a close.
                        let _ = ws.close();
                        self.inner.policy.borrow_mut().ws_failed(now, established);
                        break Outcome::Failed;
                    }
                    if established && now - last_ping >= 15_000.0 {
                        ping_id += 1;
                        last_ping = now;
                        let _ = ws.send_with_str(&json!({"op": "ping", "id": ping_id}).to_string());
                    }
                    if established && unacked > 0 {
                        let ack = json!({"op": "ack", "last_event_id": self.last_event_id()});
                        if ws.send_with_str(&ack.to_string()).is_ok() {
                            unacked = 0;
                        }
                    }
                }
                Msg::Text(text) => {
                    last_heard = now_ms();
                    let Ok(v) = serde_json::from_str::<Value>(&text) else {
                        continue;
                    };
                    match v.get("type").and_then(Value::as_str) {
                        Some("connection_established") => {
                            established = true;
                            if let Some(q) = v.get("queue_id").and_then(Value::as_str) {
                                let known = self.queue_id();
                                if known.as_deref() != Some(q) {
                                    *self.inner.queue_id.borrow_mut() = Some(q.to_owned());
                                }
                            }
                            if let Some(h) = v.get("heartbeat_secs").and_then(Value::as_f64) {
                                self.inner.heartbeat_secs.set(h);
                            }
                            self.set_clock(v.get("server_time").and_then(Value::as_f64));
                            self.inner.policy.borrow_mut().ws_established();
                            self.connected(Transport::WebSocket);
                        }
                        Some("pong") => {}
                        Some("error") => {
                            let code = v.get("code").and_then(Value::as_str).unwrap_or("");
                            let again = v.get("reconnect_required").and_then(Value::as_bool);
                            if code == "BAD_EVENT_QUEUE_ID" {
                                let _ = ws.close();
                                break Outcome::QueueLost;
                            }
                            if again == Some(true) {
                                let _ = ws.close();
                                break Outcome::Failed;
                            }
                        }
                        _ => {
                            self.handle_event(v);
                            unacked += 1;
                            if unacked >= 20 {
                                let ack =
                                    json!({"op": "ack", "last_event_id": self.last_event_id()});
                                if ws.send_with_str(&ack.to_string()).is_ok() {
                                    unacked = 0;
                                }
                            }
                        }
                    }
                }
            }
        };
        ticking.set(false);
        ws.set_onmessage(None);
        ws.set_onclose(None);
        if ws.ready_state() == WebSocket::OPEN || ws.ready_state() == WebSocket::CONNECTING {
            let _ = ws.close();
        }
        let mut slot = self.inner.socket.borrow_mut();
        if slot.as_ref().is_some_and(|s| s == &ws) {
            *slot = None;
        }
        outcome
    }

    async fn run_long_poll(&self) -> Outcome {
        let Some(q) = self.queue_id() else {
            return Outcome::QueueLost;
        };
        // The first poll answers at once, so the player sees "connected".
        let mut dont_block = true;
        loop {
            if self.inner.closed.get() {
                return Outcome::Closed;
            }
            if !dont_block && self.inner.policy.borrow().should_upgrade(now_ms()) {
                return Outcome::Upgrade;
            }
            let mut path = format!(
                "/api/v1/events?queue_id={}&last_event_id={}",
                net::encode(&q),
                self.last_event_id()
            );
            if dont_block {
                path.push_str("&dont_block=true");
            }
            let url = format!("{}{}", self.inner.opts.base_url, path);
            // A poll that outlives the heartbeat by far is a dead network.
            let abort = AbortController::new().ok();
            *self.inner.abort.borrow_mut() = abort.clone();
            if let Some(a) = abort.clone() {
                let limit = (self.inner.heartbeat_secs.get() + 20.0) * 1000.0;
                yew::platform::spawn_local(async move {
                    sleep_ms(limit).await;
                    a.abort();
                });
            }
            let signal = abort.as_ref().map(|a| a.signal());
            let reply = fetch_json(
                "GET",
                &url,
                self.inner.opts.api_key.as_deref(),
                None,
                signal.as_ref(),
            )
            .await;
            if self.inner.closed.get() {
                return Outcome::Closed;
            }
            match reply {
                Ok(r) if r.ok() => {
                    self.inner.policy.borrow_mut().long_poll_ok();
                    self.connected(Transport::LongPoll);
                    let events = r
                        .body
                        .get("events")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    for ev in events {
                        self.handle_event(ev);
                    }
                    dont_block = false;
                }
                Ok(r) if r.code() == Some("BAD_EVENT_QUEUE_ID") => return Outcome::QueueLost,
                _ => {
                    self.inner.policy.borrow_mut().long_poll_failed();
                    return Outcome::Failed;
                }
            }
        }
    }
}
