//! The JS API for the host chat app, shaped like Zulip's `widgets.ts`.
//!
//! ```js
//! import init, { activate, connect } from "./tulip-widgets.js";
//! await init();
//! // Embedded mode: the chat app owns the event queue.
//! const handle = activate(element, { message_id, widget, version, user_id,
//!     post_interaction: (interaction) => postToServer(message_id, interaction) });
//! handle.handle_event(event);   // widget_update, widget_replace, interaction_result
//! handle.destroy();
//! // Connected mode: the bundle keeps its own queue.
//! const conn = connect({ base_url, api_key, transport: "auto" });
//! const h = conn.activate(element, { message_id, widget, version, user_id });
//! ```
//!
//! TypeScript declarations come with the bundle (wasm-bindgen writes the
//! `.d.ts`, with the option types below).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde_json::Value;
use tulip_core::{parse_widget_value, Policy};
use wasm_bindgen::prelude::*;
use yew::{AppHandle, UseReducerDispatcher};

use crate::conn::{ConnEvent, ConnOptions, Connection, Preference, TicketSource};
use crate::host::{HostAction, HostProps, HostState, Sender, WidgetHost};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A widget as the server sends it (already resolved for this user). */
export interface WidgetPayload { widget_type: string; extra_data: Record<string, unknown>; }

/** An interaction as the renderer emits it: post it to
 * `POST /api/v1/messages/{message_id}/interactions` as it is. */
export interface Interaction { type: string; client_seq: number; child?: string; [field: string]: unknown; }

export interface ActivateOptions {
  message_id: number;
  widget: WidgetPayload;
  version: number;
  /** The viewing user (host-only lobby controls, "you" markers). */
  user_id?: string | number;
  /** Called for every interaction of the player; the host app posts it. */
  post_interaction: (interaction: Interaction) => void;
  /** Called when the widget missed an update and must be refetched; answer
   * with `handle.handle_event({type: "widget_replace", message_id, version, widget})`.
   * Without it, a `tulip-widget-stale` DOM event bubbles from the element. */
  on_stale?: (message_id: number) => void;
  /** Server clock minus local clock in ms (from `server_time`), for timers. */
  clock_offset_ms?: number;
  /** True when the message arrived live (a `message` event): its sound may play. */
  live?: boolean;
}

/** The events `handle_event` understands (others are ignored). */
export type WidgetEvent =
  | { type: "widget_update"; message_id: number; version: number; update: Record<string, unknown> }
  | { type: "widget_replace"; message_id: number; version: number; widget: WidgetPayload }
  | { type: "interaction_result"; message_id: number; client_seq: number; ok: boolean; code?: string; msg?: string };

export interface ConnectOptions {
  /** The server's origin; defaults to this page's. */
  base_url?: string;
  /** An API key (long-poll and WebSocket), or ... */
  api_key?: string;
  /** ... a single-use WebSocket ticket, with `get_ticket` for reconnections. */
  ticket?: string;
  get_ticket?: () => Promise<string>;
  transport?: "auto" | "websocket" | "long-poll";
  topics?: string[];
  message_ids?: number[];
}

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

/** Options of `TulipConnection.activate`: no `post_interaction`, the connection sends. */
export type ConnectedActivateOptions = Omit<ActivateOptions, "post_interaction" | "on_stale" | "clock_offset_ms">;
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "ActivateOptions")]
    pub type ActivateOptions;
    #[wasm_bindgen(typescript_type = "ConnectedActivateOptions")]
    pub type ConnectedActivateOptions;
    #[wasm_bindgen(typescript_type = "WidgetEvent")]
    pub type WidgetEvent;
    #[wasm_bindgen(typescript_type = "ConnectOptions")]
    pub type ConnectOptions;
}

thread_local! {
    static CLIENT_SEQ: Cell<u64> = const { Cell::new(0) };
}

/// The next `client_seq` of this page.
fn next_seq() -> u64 {
    CLIENT_SEQ.with(|c| {
        let n = c.get() + 1;
        c.set(n);
        n
    })
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A JS value as JSON (through `JSON.stringify`).
fn to_json(v: &JsValue) -> Option<Value> {
    if v.is_undefined() {
        return None;
    }
    let text = js_sys::JSON::stringify(v).ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}

/// JSON as a JS value (through `JSON.parse`).
fn to_js(v: &Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).unwrap_or(JsValue::NULL)
}

fn user_id_of(v: &JsValue) -> Option<String> {
    v.as_string()
        .or_else(|| v.as_f64().map(|n| format!("{}", n as i64)))
}

/// The parts of the options both `activate`s share.
struct Common {
    message_id: i64,
    widget: Rc<tulip_core::Widget>,
    version: u64,
    user_id: Option<String>,
    live: bool,
}

fn common_options(options: &JsValue) -> Result<Common, JsError> {
    let message_id = get(options, "message_id")
        .as_f64()
        .ok_or_else(|| JsError::new("activate: `message_id` must be a number"))?
        as i64;
    let version = get(options, "version")
        .as_f64()
        .ok_or_else(|| JsError::new("activate: `version` must be a number"))?
        as u64;
    let widget = to_json(&get(options, "widget"))
        .ok_or_else(|| JsError::new("activate: `widget` is missing"))?;
    let widget = parse_widget_value(widget, &Policy { allow_http: true }).map_err(|e| {
        JsError::new(&format!(
            "activate: the widget is not valid: {}",
            e.to_string().chars().take(300).collect::<String>()
        ))
    })?;
    Ok(Common {
        message_id,
        widget: Rc::new(widget),
        version,
        user_id: user_id_of(&get(options, "user_id")),
        live: get(options, "live").as_bool().unwrap_or(false),
    })
}

/// Turns a server event into the action for the widget `message_id`.
pub fn action_for(event: &Value, message_id: i64) -> Option<HostAction> {
    if event.get("message_id").and_then(Value::as_i64) != Some(message_id) {
        return None;
    }
    let version = event.get("version").and_then(Value::as_u64);
    match event.get("type").and_then(Value::as_str)? {
        "widget_update" => Some(HostAction::Update {
            version: version?,
            update: event.get("update").cloned().unwrap_or(Value::Null),
        }),
        "widget_replace" => Some(HostAction::Replace {
            version: version?,
            widget: event.get("widget").cloned().unwrap_or(Value::Null),
        }),
        "interaction_result" => {
            let text = |k: &str| event.get(k).and_then(Value::as_str).map(str::to_owned);
            Some(HostAction::Result {
                client_seq: event.get("client_seq").and_then(Value::as_u64)?,
                ok: event.get("ok").and_then(Value::as_bool).unwrap_or(false),
                code: text("code"),
                msg: text("msg"),
            })
        }
        _ => None,
    }
}

/// Events that arrive before the component is mounted wait here.
#[derive(Default)]
struct Mailbox {
    dispatcher: Option<UseReducerDispatcher<HostState>>,
    waiting: Vec<HostAction>,
}

impl Mailbox {
    fn deliver(mb: &Rc<RefCell<Mailbox>>, action: HostAction) {
        let d = mb.borrow().dispatcher.clone();
        match d {
            Some(d) => d.dispatch(action),
            None => mb.borrow_mut().waiting.push(action),
        }
    }

    fn ready(mb: &Rc<RefCell<Mailbox>>, d: UseReducerDispatcher<HostState>) {
        let waiting = {
            let mut m = mb.borrow_mut();
            m.dispatcher = Some(d.clone());
            std::mem::take(&mut m.waiting)
        };
        for a in waiting {
            d.dispatch(a);
        }
    }
}

/// A widget drawn into an element of the host page.
#[wasm_bindgen]
pub struct WidgetHandle {
    message_id: i64,
    /// Shared with the connection's listener, which passes it new props.
    app: Rc<RefCell<Option<AppHandle<WidgetHost>>>>,
    mailbox: Rc<RefCell<Mailbox>>,
    /// In connected mode: the connection and this handle's listener.
    conn: Option<(Connection, u32)>,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Feeds a server event to the widget. Returns whether it was for this
    /// widget (its `message_id` and a type it understands).
    pub fn handle_event(&self, event: WidgetEvent) -> bool {
        let Some(ev) = to_json(&event) else {
            return false;
        };
        match action_for(&ev, self.message_id) {
            Some(a) => {
                Mailbox::deliver(&self.mailbox, a);
                true
            }
            None => false,
        }
    }

    /// The message this widget belongs to.
    #[wasm_bindgen(getter)]
    pub fn message_id(&self) -> f64 {
        self.message_id as f64
    }

    /// Removes the widget from the page and stops listening.
    pub fn destroy(&mut self) {
        if let Some((conn, id)) = self.conn.take() {
            conn.unlisten(id);
        }
        let app = self.app.borrow_mut().take();
        if let Some(app) = app {
            app.destroy();
        }
    }
}

/// Draws `options.widget` into `element` (embedded mode: the host app posts
/// interactions and feeds events with `handle_event`).
#[wasm_bindgen]
pub fn activate(
    element: web_sys::Element,
    options: ActivateOptions,
) -> Result<WidgetHandle, JsError> {
    let options: JsValue = options.into();
    let c = common_options(&options)?;
    let post: js_sys::Function = get(&options, "post_interaction")
        .dyn_into()
        .map_err(|_| JsError::new("activate: `post_interaction` must be a function"))?;
    let on_stale_js = get(&options, "on_stale")
        .dyn_into::<js_sys::Function>()
        .ok();
    let clock_offset_ms = get(&options, "clock_offset_ms").as_f64().unwrap_or(0.0);
    let mailbox: Rc<RefCell<Mailbox>> = Rc::default();
    let message_id = c.message_id;
    let send = Sender(Rc::new(move |mut v: Value| {
        let seq = next_seq();
        if let Value::Object(m) = &mut v {
            m.insert("client_seq".into(), seq.into());
        }
        post.call1(&JsValue::NULL, &to_js(&v)).ok().map(|_| seq)
    }));
    let on_stale = {
        let el = element.clone();
        yew::Callback::from(move |_version: u64| match &on_stale_js {
            Some(f) => {
                let _ = f.call1(&JsValue::NULL, &JsValue::from_f64(message_id as f64));
            }
            None => {
                let init = web_sys::CustomEventInit::new();
                init.set_bubbles(true);
                init.set_detail(&JsValue::from_f64(message_id as f64));
                if let Ok(ev) =
                    web_sys::CustomEvent::new_with_event_init_dict("tulip-widget-stale", &init)
                {
                    let _ = el.dispatch_event(&ev);
                }
            }
        })
    };
    let props = HostProps {
        widget: c.widget,
        version: c.version,
        user_id: c.user_id,
        live: c.live,
        clock_offset_ms,
        send: Some(send),
        on_interaction: Default::default(),
        on_ready: {
            let mb = mailbox.clone();
            yew::Callback::from(move |d| Mailbox::ready(&mb, d))
        },
        on_stale,
        connection: None,
    };
    let app = yew::Renderer::<WidgetHost>::with_root_and_props(element, props).render();
    Ok(WidgetHandle {
        message_id,
        app: Rc::new(RefCell::new(Some(app))),
        mailbox,
        conn: None,
    })
}

/// A connection to the server's event queue (connected mode).
#[wasm_bindgen]
pub struct TulipConnection {
    conn: Connection,
}

/// Opens a connection: registers a queue and keeps it alive, reconnecting
/// by itself (see `ConnectOptions`).
#[wasm_bindgen]
pub fn connect(options: ConnectOptions) -> Result<TulipConnection, JsError> {
    let options: JsValue = options.into();
    let s = |k: &str| get(&options, k).as_string();
    let preference = match s("transport") {
        Some(t) => Preference::parse(&t)
            .ok_or_else(|| JsError::new("connect: `transport` is auto, websocket or long-poll"))?,
        None => Preference::Auto,
    };
    let strings = |k: &str| -> Option<Vec<String>> {
        to_json(&get(&options, k)).and_then(|v| serde_json::from_value(v).ok())
    };
    let ids = to_json(&get(&options, "message_ids")).and_then(|v| serde_json::from_value(v).ok());
    let ticket_source: Option<TicketSource> = get(&options, "get_ticket")
        .dyn_into::<js_sys::Function>()
        .ok()
        .map(|f| {
            let source: TicketSource = Rc::new(move || {
                let f = f.clone();
                Box::pin(async move {
                    let p = f.call0(&JsValue::NULL).ok()?;
                    let p: js_sys::Promise = p.dyn_into().ok()?;
                    wasm_bindgen_futures::JsFuture::from(p)
                        .await
                        .ok()?
                        .as_string()
                })
            });
            source
        });
    let api_key = s("api_key");
    let ticket = s("ticket");
    if api_key.is_none() && ticket.is_none() && ticket_source.is_none() {
        return Err(JsError::new(
            "connect: give `api_key`, or `ticket` / `get_ticket`",
        ));
    }
    let conn = Connection::start(ConnOptions {
        base_url: s("base_url").unwrap_or_default(),
        api_key,
        ticket,
        ticket_source,
        preference,
        topics: strings("topics"),
        message_ids: ids,
    });
    Ok(TulipConnection { conn })
}

#[wasm_bindgen]
impl TulipConnection {
    /// `connecting`, `connected`, `reconnecting` or `offline`.
    #[wasm_bindgen(getter)]
    pub fn state(&self) -> String {
        self.conn.status().0.as_str().to_owned()
    }

    /// `websocket` or `long-poll`.
    #[wasm_bindgen(getter)]
    pub fn transport(&self) -> String {
        self.conn.status().1.as_str().to_owned()
    }

    /// Calls `f(event)` for every event of the queue (messages too), and
    /// `f({type: "connection_state", state, transport})` and
    /// `f({type: "resync"})` (refetch what you show). Returns an id for
    /// `off`.
    pub fn on(&self, f: js_sys::Function) -> u32 {
        self.conn.listen(move |ev| {
            let v = match ev {
                ConnEvent::Event(v) => to_js(v),
                ConnEvent::Status(s, t) => to_js(&serde_json::json!({
                    "type": "connection_state", "state": s.as_str(), "transport": t.as_str()})),
                ConnEvent::Resync => to_js(&serde_json::json!({"type": "resync"})),
            };
            let _ = f.call1(&JsValue::NULL, &v);
        })
    }

    pub fn off(&self, id: u32) {
        self.conn.unlisten(id);
    }

    /// Draws a widget whose events and interactions go over this connection;
    /// it refetches itself after a gap or a resync and shows the connection
    /// state to the player.
    pub fn activate(
        &self,
        element: web_sys::Element,
        options: ConnectedActivateOptions,
    ) -> Result<WidgetHandle, JsError> {
        let options: JsValue = options.into();
        let c = common_options(&options)?;
        let message_id = c.message_id;
        let mailbox: Rc<RefCell<Mailbox>> = Rc::default();
        let conn = self.conn.clone();
        let send = {
            let conn = conn.clone();
            Sender(Rc::new(move |v| Some(conn.send_interaction(message_id, v))))
        };
        let refetch = {
            let (conn, mb) = (conn.clone(), mailbox.clone());
            move || {
                let (conn, mb) = (conn.clone(), mb.clone());
                yew::platform::spawn_local(async move {
                    let path = format!("/api/v1/messages/{message_id}");
                    let Ok(r) = conn.api("GET", &path, None).await else {
                        return;
                    };
                    let m = r.body.get("message");
                    let version = m.and_then(|m| m.get("version")).and_then(Value::as_u64);
                    let widget = m.and_then(|m| m.get("widget")).cloned();
                    if let (Some(version), Some(widget)) = (version, widget) {
                        Mailbox::deliver(&mb, HostAction::Replace { version, widget });
                    }
                });
            }
        };
        let props = Rc::new(RefCell::new(HostProps {
            widget: c.widget,
            version: c.version,
            user_id: c.user_id,
            live: c.live,
            clock_offset_ms: conn.clock_offset_ms(),
            send: Some(send),
            on_interaction: Default::default(),
            on_ready: {
                let mb = mailbox.clone();
                yew::Callback::from(move |d| Mailbox::ready(&mb, d))
            },
            on_stale: {
                let refetch = refetch.clone();
                yew::Callback::from(move |_| refetch())
            },
            connection: Some(conn.status().0),
        }));
        let app =
            yew::Renderer::<WidgetHost>::with_root_and_props(element, clone_props(&props.borrow()))
                .render();
        let app = Rc::new(RefCell::new(Some(app)));
        let listener = {
            let (mb, app, props, c2) = (mailbox.clone(), app.clone(), props.clone(), conn.clone());
            conn.listen(move |ev| match ev {
                ConnEvent::Event(v) => {
                    if let Some(a) = action_for(v, message_id) {
                        Mailbox::deliver(&mb, a);
                    }
                }
                ConnEvent::Resync => refetch(),
                ConnEvent::Status(s, _) => {
                    let mut p = props.borrow_mut();
                    p.connection = Some(*s);
                    p.clock_offset_ms = c2.clock_offset_ms();
                    if let Some(app) = app.borrow_mut().as_mut() {
                        app.update(clone_props(&p));
                    }
                }
            })
        };
        Ok(WidgetHandle {
            message_id,
            app,
            mailbox,
            conn: Some((conn, listener)),
        })
    }

    /// Closes the connection and drops the queue on the server.
    pub fn close(&self) {
        self.conn.close();
    }
}

fn clone_props(p: &HostProps) -> HostProps {
    HostProps {
        widget: p.widget.clone(),
        version: p.version,
        user_id: p.user_id.clone(),
        live: p.live,
        clock_offset_ms: p.clock_offset_ms,
        send: p.send.clone(),
        on_interaction: p.on_interaction.clone(),
        on_ready: p.on_ready.clone(),
        on_stale: p.on_stale.clone(),
        connection: p.connection,
    }
}
