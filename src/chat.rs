//! The chat demo page (`#chat`): sign in under any name (dev login), pick a
//! topic, send messages and `/commands` to the demo bots, and play the
//! widgets they post, live over the connected mode.
//!
//! `#chat?name=alice&topic=games&transport=long-poll` signs in and opens a
//! topic at once (two windows, two players). The session is kept in
//! `sessionStorage`, so each window can be a different user.

pub mod message;
pub mod state;
pub mod stick;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{json, Value};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::conn::{fetch_json, net, ConnEvent, ConnOptions, Connection, Preference};
use crate::host::{HostAction, HostState};
use message::MessageView;
use state::{ChatAction, ChatMessage, ChatState, HashParams};

/// The topic opened when the URL names none.
pub const DEFAULT_TOPIC: &str = "games";

const SESSION_KEY: &str = "tulip-chat:session";

/// A signed-in user.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub user_id: i64,
    pub name: String,
    pub api_key: String,
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

fn load_session() -> Option<Session> {
    let text = session_storage()?.get_item(SESSION_KEY).ok()??;
    let v: Value = serde_json::from_str(&text).ok()?;
    Some(Session {
        user_id: v.get("user_id")?.as_i64()?,
        name: v.get("name")?.as_str()?.to_owned(),
        api_key: v.get("api_key")?.as_str()?.to_owned(),
    })
}

fn store_session(s: Option<&Session>) {
    if let Some(st) = session_storage() {
        let _ = match s {
            Some(s) => st.set_item(
                SESSION_KEY,
                &json!({"user_id": s.user_id, "name": s.name, "api_key": s.api_key}).to_string(),
            ),
            None => st.remove_item(SESSION_KEY),
        };
    }
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Dev login: makes or finds the user called `name`.
async fn dev_login(name: &str) -> Result<Session, String> {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let reply = fetch_json(
        "POST",
        &format!("{origin}/api/v1/dev/login"),
        None,
        Some(&json!({ "name": name })),
        None,
    )
    .await
    .map_err(|e| format!("Cannot reach the server: {}", e.0))?;
    if !reply.ok() {
        return Err(reply.message());
    }
    let b = &reply.body;
    match (
        b.get("user_id").and_then(Value::as_i64),
        b.get("api_key").and_then(Value::as_str),
    ) {
        (Some(user_id), Some(key)) => Ok(Session {
            user_id,
            name: name.to_owned(),
            api_key: key.to_owned(),
        }),
        _ => Err("The server's answer made no sense.".to_owned()),
    }
}

/// The chat page: the sign-in form, or the chat room.
#[component]
pub fn ChatPage() -> Html {
    // The URL's options, read again when the hash changes (another topic
    // pasted into the same window opens it).
    let params = use_state(|| HashParams::parse(&current_hash()));
    {
        let params = params.clone();
        use_effect_with((), move |_| {
            let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                params.set(HashParams::parse(&current_hash()));
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    "hashchange",
                    wasm_bindgen::JsCast::unchecked_ref(listener.as_ref()),
                );
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        wasm_bindgen::JsCast::unchecked_ref(listener.as_ref()),
                    );
                }
            }
        });
    }
    let session = use_state(|| {
        let stored = load_session();
        match (&stored, &params.name) {
            (Some(s), Some(n)) if &s.name != n => None,
            _ => stored,
        }
    });
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let login = {
        let (session, error, busy) = (session.clone(), error.clone(), busy.clone());
        Callback::from(move |name: String| {
            let name = name.trim().to_owned();
            if name.is_empty() {
                error.set(Some("Type a name first.".into()));
                return;
            }
            let (session, error, busy) = (session.clone(), error.clone(), busy.clone());
            busy.set(true);
            yew::platform::spawn_local(async move {
                match dev_login(&name).await {
                    Ok(s) => {
                        store_session(Some(&s));
                        error.set(None);
                        session.set(Some(s));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    {
        // `#chat?name=..` signs in at once.
        let (login, wanted, have) = (login.clone(), params.name.clone(), session.is_some());
        use_effect_with((), move |_| {
            if let (Some(name), false) = (wanted, have) {
                login.emit(name);
            }
        });
    }
    let sign_out = {
        let session = session.clone();
        Callback::from(move |_| {
            store_session(None);
            session.set(None);
        })
    };
    match &*session {
        Some(s) => {
            let preference = params
                .transport
                .as_deref()
                .and_then(Preference::parse)
                .unwrap_or_default();
            let topic = params
                .topic
                .clone()
                .unwrap_or_else(|| DEFAULT_TOPIC.to_owned());
            html! {
                <ChatRoom session={Rc::new(s.clone())} {preference} {topic} on_sign_out={sign_out} />
            }
        }
        None => html! { <LoginForm on_login={login} error={(*error).clone()} busy={*busy} /> },
    }
}

#[derive(Properties, PartialEq)]
pub struct LoginProps {
    pub on_login: Callback<String>,
    pub error: Option<String>,
    pub busy: bool,
}

/// Sign in under any name (the server's dev login).
#[component]
pub fn LoginForm(props: &LoginProps) -> Html {
    let input = use_node_ref();
    let onsubmit = {
        let (input, cb) = (input.clone(), props.on_login.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(el) = input.cast::<HtmlInputElement>() {
                cb.emit(el.value());
            }
        })
    };
    html! {
        <main class="tulip-chat tulip-chat--login">
            <h1 class="tulip-chat__title">{ "Tulip chat (demo)" }</h1>
            <form class="tulip-chat__login" data-testid="login" {onsubmit}>
                <label for="tulip-login-name">{ "Your name" }</label>
                <input id="tulip-login-name" name="name" ref={input} autocomplete="nickname"
                       maxlength="64" required=true placeholder="alice" />
                <button type="submit" data-testid="login-submit" disabled={props.busy}>{ "Sign in" }</button>
                if let Some(e) = &props.error {
                    <p class="tulip-chat__error" role="alert">{ e.clone() }</p>
                }
                <p class="tulip-chat__hint">
                    { "Dev login: any name works. Open a second window with another name to play against yourself." }
                </p>
            </form>
        </main>
    }
}

#[derive(Properties, PartialEq)]
pub struct RoomProps {
    pub session: Rc<Session>,
    pub preference: Preference,
    pub topic: String,
    pub on_sign_out: Callback<()>,
}

type Registry = Rc<RefCell<HashMap<i64, UseReducerDispatcher<HostState>>>>;

/// Loads a topic's history into the page.
fn load_history(conn: &Connection, topic: String, dispatch: UseReducerDispatcher<ChatState>) {
    let conn = conn.clone();
    yew::platform::spawn_local(async move {
        let path = format!(
            "/api/v1/messages?topic={}&anchor=newest&num_before=100",
            net::encode(&topic)
        );
        match conn.api("GET", &path, None).await {
            Ok(r) if r.ok() => {
                let messages = r
                    .body
                    .get("messages")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|m| ChatMessage::from_json(m, false))
                            .collect()
                    })
                    .unwrap_or_default();
                dispatch.dispatch(ChatAction::Error(None));
                dispatch.dispatch(ChatAction::History { topic, messages });
            }
            Ok(r) => dispatch.dispatch(ChatAction::Error(Some(r.message()))),
            Err(_) => {} // The connection shows that the server is away.
        }
    });
}

fn load_users_and_topics(conn: &Connection, dispatch: UseReducerDispatcher<ChatState>) {
    let conn = conn.clone();
    yew::platform::spawn_local(async move {
        if let Ok(r) = conn.api("GET", "/api/v1/users", None).await {
            let users = r
                .body
                .get("users")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|u| {
                            Some((
                                u.get("user_id")?.as_i64()?,
                                u.get("name")?.as_str()?.to_owned(),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default();
            dispatch.dispatch(ChatAction::Users(users));
        }
        if let Ok(r) = conn.api("GET", "/api/v1/topics", None).await {
            let topics = r
                .body
                .get("topics")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.get("name")?.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            dispatch.dispatch(ChatAction::Topics(topics));
        }
    });
}

/// Routes one queue event to the page or to the widget it concerns.
fn route_event(
    ev: &Value,
    conn: &Connection,
    registry: &Registry,
    dispatch: &UseReducerDispatcher<ChatState>,
    known_users: &Rc<RefCell<std::collections::BTreeSet<i64>>>,
) {
    let ty = ev.get("type").and_then(Value::as_str).unwrap_or("");
    let message_id = ev.get("message_id").and_then(Value::as_i64).unwrap_or(0);
    let host = || registry.borrow().get(&message_id).cloned();
    match ty {
        "message" => {
            if let Some(m) = ev
                .get("message")
                .and_then(|m| ChatMessage::from_json(m, true))
            {
                if !known_users.borrow().contains(&m.sender_id) {
                    load_users_and_topics(conn, dispatch.clone());
                }
                dispatch.dispatch(ChatAction::Message(m));
            }
        }
        "widget_update" => {
            if let (Some(h), Some(version)) = (host(), ev.get("version").and_then(Value::as_u64)) {
                let update = ev.get("update").cloned().unwrap_or(Value::Null);
                h.dispatch(HostAction::Update { version, update });
            }
        }
        "widget_replace" => {
            if let (Some(h), Some(version)) = (host(), ev.get("version").and_then(Value::as_u64)) {
                let widget = ev.get("widget").cloned().unwrap_or(Value::Null);
                h.dispatch(HostAction::Replace { version, widget });
            }
        }
        "interaction_result" => {
            if let (Some(h), Some(client_seq)) =
                (host(), ev.get("client_seq").and_then(Value::as_u64))
            {
                let text = |k: &str| ev.get(k).and_then(Value::as_str).map(str::to_owned);
                h.dispatch(HostAction::Result {
                    client_seq,
                    ok: ev.get("ok").and_then(Value::as_bool).unwrap_or(false),
                    code: text("code"),
                    msg: text("msg"),
                });
            }
        }
        _ => {}
    }
}

/// The signed-in chat: topics, messages, compose box, connection state.
#[component]
pub fn ChatRoom(props: &RoomProps) -> Html {
    let state = use_reducer({
        let topic = props.topic.clone();
        move || ChatState::new(topic)
    });
    {
        // A new topic in the URL opens it.
        let dispatch = state.dispatcher();
        use_effect_with(props.topic.clone(), move |topic| {
            dispatch.dispatch(ChatAction::Open(topic.clone()));
        });
    }
    let registry: Registry = use_mut_ref(HashMap::new).clone();
    let known_users = use_mut_ref(std::collections::BTreeSet::<i64>::new).clone();
    *known_users.borrow_mut() = state.users.keys().copied().collect();
    let current_topic = use_mut_ref(String::new);
    *current_topic.borrow_mut() = state.topic.clone();

    let conn = use_memo(
        (props.session.clone(), props.preference),
        |(session, preference)| {
            Connection::start(ConnOptions {
                api_key: Some(session.api_key.clone()),
                preference: *preference,
                ..ConnOptions::default()
            })
        },
    );
    {
        let conn = (*conn).clone();
        let dispatch = state.dispatcher();
        let registry = registry.clone();
        let current_topic = current_topic.clone();
        let known_users = known_users.clone();
        use_effect_with(conn.clone(), move |_| {
            let c = conn.clone();
            let id = conn.listen(move |ev| match ev {
                ConnEvent::Status(s, t) => {
                    dispatch.dispatch(ChatAction::Status(*s, *t, c.clock_offset_ms()))
                }
                ConnEvent::Resync => {
                    load_users_and_topics(&c, dispatch.clone());
                    load_history(&c, current_topic.borrow().clone(), dispatch.clone());
                }
                ConnEvent::Event(v) => route_event(v, &c, &registry, &dispatch, &known_users),
            });
            move || {
                conn.unlisten(id);
                conn.close();
            }
        });
    }
    {
        // Opening another topic loads its history.
        let (conn, dispatch) = ((*conn).clone(), state.dispatcher());
        use_effect_with(state.topic.clone(), move |topic| {
            if conn.queue_id().is_some() {
                load_history(&conn, topic.clone(), dispatch);
            }
        });
    }
    // Callbacks made once (per connection), so that a new message does not
    // re-render every message already shown.
    let on_ready = (*use_memo((), {
        let registry = registry.clone();
        move |_| {
            Callback::from(move |(id, d): (i64, UseReducerDispatcher<HostState>)| {
                registry.borrow_mut().insert(id, d);
            })
        }
    }))
    .clone();
    let on_stale = (*use_memo((*conn).clone(), {
        let registry = registry.clone();
        move |conn: &Connection| {
            let conn = conn.clone();
            Callback::from(move |id: i64| {
                let (conn, registry) = (conn.clone(), registry.clone());
                yew::platform::spawn_local(async move {
                    let Ok(r) = conn
                        .api("GET", &format!("/api/v1/messages/{id}"), None)
                        .await
                    else {
                        return;
                    };
                    let m = r.body.get("message");
                    let version = m.and_then(|m| m.get("version")).and_then(Value::as_u64);
                    let widget = m.and_then(|m| m.get("widget")).cloned();
                    let host = registry.borrow().get(&id).cloned();
                    if let (Some(h), Some(version), Some(widget)) = (host, version, widget) {
                        h.dispatch(HostAction::Replace { version, widget });
                    }
                });
            })
        }
    }))
    .clone();

    // Scroll to the newest message when one arrives, and stay at the bottom
    // while the widgets there grow.
    let list = use_node_ref();
    let content = use_node_ref();
    {
        let list = list.clone();
        let newest = state.messages.keys().next_back().copied();
        use_effect_with((newest, state.epoch), move |_| {
            if let Some(el) = list.cast::<web_sys::Element>() {
                stick::to_bottom(&el);
            }
        });
    }
    stick::use_stick_to_bottom(&list, &content);

    let compose = use_node_ref();
    let send_message = {
        let (conn, dispatch, compose) = ((*conn).clone(), state.dispatcher(), compose.clone());
        let topic = state.topic.clone();
        Callback::from(move |_: ()| {
            let Some(el) = compose.cast::<web_sys::HtmlTextAreaElement>() else {
                return;
            };
            let content = el.value();
            if content.trim().is_empty() {
                return;
            }
            el.set_value("");
            let (conn, dispatch, topic) = (conn.clone(), dispatch.clone(), topic.clone());
            yew::platform::spawn_local(async move {
                let body = json!({"topic": topic, "content": content});
                match conn.api("POST", "/api/v1/messages", Some(&body)).await {
                    Ok(r) if r.ok() => dispatch.dispatch(ChatAction::Error(None)),
                    Ok(r) => dispatch.dispatch(ChatAction::Error(Some(r.message()))),
                    Err(e) => {
                        dispatch.dispatch(ChatAction::Error(Some(format!("Not sent: {}", e.0))))
                    }
                }
            });
        })
    };
    let onkeydown = {
        let send = send_message.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && !e.shift_key() && !e.is_composing() {
                e.prevent_default();
                send.emit(());
            }
        })
    };
    let onsubmit = {
        let send = send_message.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send.emit(());
        })
    };
    let new_topic = use_node_ref();
    let open_topic = {
        let (dispatch, new_topic) = (state.dispatcher(), new_topic.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(i) = new_topic.cast::<HtmlInputElement>() {
                dispatch.dispatch(ChatAction::Open(i.value()));
                i.set_value("");
            }
        })
    };
    let topics = state.topics.iter().map(|t| {
        let current = (*t == state.topic).then_some("page");
        let onclick = {
            let (dispatch, t) = (state.dispatcher(), t.clone());
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                dispatch.dispatch(ChatAction::Open(t.clone()));
            })
        };
        html! {
            <li key={t.clone()}>
                <a href="#chat" class="tulip-chat__topic" data-testid="topic" data-topic={t.clone()}
                   aria-current={current} {onclick}>{ format!("# {t}") }</a>
            </li>
        }
    });
    let user_id: AttrValue = props.session.user_id.to_string().into();
    // One keyed list with nothing unkeyed beside it: Yew compares an unkeyed
    // list from its end, so a message appended to a list with an unkeyed
    // sibling would remount every message (and reset every widget to the
    // version it arrived with).
    let mut items: Vec<Html> = Vec::with_capacity(state.messages.len() + 1);
    if state.messages.is_empty() {
        items.push(html! {
            <p class="tulip-chat__empty" key="empty">
                { "No messages yet. Try /tictactoe @someone, /battleship @someone, /blackjack, /whack, /rpg, /mud or /lobby tictactoe." }
            </p>
        });
    }
    items.extend(state.messages.values().map(|m| {
        html! {
            <MessageView key={format!("{}-{}", state.epoch, m.id)}
                message={Rc::new(m.clone())}
                sender_name={AttrValue::from(state.sender_name(m.sender_id))}
                user_id={user_id.clone()}
                conn={(*conn).clone()}
                status={state.status}
                clock_offset_ms={state.clock_offset_ms}
                on_ready={on_ready.clone()}
                on_stale={on_stale.clone()} />
        }
    }));
    let sign_out = {
        let cb = props.on_sign_out.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <main class="tulip-chat">
            <header class="tulip-chat__bar">
                <h1 class="tulip-chat__title">{ "Tulip chat" }</h1>
                <p class="tulip-chat__connection" data-testid="connection" role="status"
                   data-state={state.status.as_str()} data-transport={state.transport.as_str()}>
                    <span class="tulip-chat__dot" aria-hidden="true"></span>
                    { format!("{} ({})", state.status.label(), state.transport.as_str()) }
                </p>
                <p class="tulip-chat__me">
                    { "Signed in as " }<strong data-testid="me">{ props.session.name.clone() }</strong>
                    <button type="button" class="tulip-chat__signout" onclick={sign_out}>{ "Sign out" }</button>
                </p>
            </header>
            <nav class="tulip-chat__topics" aria-label="Topics">
                <ul>{ for topics }</ul>
                <form class="tulip-chat__new-topic" onsubmit={open_topic}>
                    <label class="tulip-visually-hidden" for="tulip-new-topic">{ "Open a topic" }</label>
                    <input id="tulip-new-topic" data-testid="new-topic" ref={new_topic} placeholder="open a topic…" maxlength="256" />
                </form>
            </nav>
            <section class="tulip-chat__stream" aria-label={format!("Messages in {}", state.topic)}>
                <h2 class="tulip-chat__topic-title">{ format!("# {}", state.topic) }</h2>
                <div class="tulip-chat__messages" ref={list} data-testid="messages" data-epoch={state.epoch.to_string()}>
                    <div class="tulip-chat__list" ref={content}>{ for items }</div>
                </div>
                if let Some(e) = &state.error {
                    <p class="tulip-chat__error" role="alert">{ e.clone() }</p>
                }
                <form class="tulip-chat__compose" {onsubmit}>
                    <label class="tulip-visually-hidden" for="tulip-compose">{ "Message" }</label>
                    <textarea id="tulip-compose" data-testid="compose" ref={compose} rows="2" maxlength="10000"
                        placeholder={format!("Message #{}", state.topic)} {onkeydown} />
                    <button type="submit" data-testid="send">{ "Send" }</button>
                </form>
            </section>
        </main>
    }
}
