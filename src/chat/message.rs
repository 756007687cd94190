//! One chat message: sender, text, and its widget kept live by a
//! [`WidgetHost`] that sends interactions over the page's connection.

use std::rc::Rc;

use tulip_core::{parse_widget_value, Policy};
use yew::prelude::*;

use crate::chat::state::ChatMessage;
use crate::conn::{Connection, Status};
use crate::host::{HostState, Sender, WidgetHost};

#[derive(Properties, PartialEq)]
pub struct MessageProps {
    pub message: Rc<ChatMessage>,
    pub sender_name: AttrValue,
    /// The signed-in user's id.
    pub user_id: AttrValue,
    pub conn: Connection,
    pub status: Status,
    pub clock_offset_ms: f64,
    /// The widget's dispatcher, to route events to it.
    pub on_ready: Callback<(i64, UseReducerDispatcher<HostState>)>,
    /// The widget must be refetched.
    pub on_stale: Callback<i64>,
}

/// `HH:MM` of an epoch-ms timestamp, in local time.
fn clock(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

#[component]
pub fn MessageView(props: &MessageProps) -> Html {
    let m = &props.message;
    let id = m.id;
    let widget = use_memo((id, m.widget.as_ref().map(|w| w.1)), {
        let w = m.widget.clone();
        move |_| {
            w.and_then(|(value, version)| {
                parse_widget_value((*value).clone(), &Policy { allow_http: true })
                    .ok()
                    .map(|w| (Rc::new(w), version))
            })
        }
    });
    let send = use_memo((id, props.conn.clone()), |(id, conn)| {
        let (id, conn) = (*id, conn.clone());
        Sender(Rc::new(move |v| Some(conn.send_interaction(id, v))))
    });
    let on_ready = {
        let cb = props.on_ready.clone();
        Callback::from(move |d| cb.emit((id, d)))
    };
    let on_stale = {
        let cb = props.on_stale.clone();
        Callback::from(move |_| cb.emit(id))
    };
    let body = (!m.content.is_empty()).then(|| {
        html! { <p class="tulip-chat__content" data-testid="message-content">{ m.content.clone() }</p> }
    });
    let host = match (&m.widget, &*widget) {
        (None, _) => None,
        (Some(_), Some((w, version))) => Some(html! {
            <WidgetHost widget={w.clone()} version={*version}
                user_id={Some(props.user_id.to_string())}
                live={m.live}
                clock_offset_ms={props.clock_offset_ms}
                send={Some((*send).clone())}
                {on_ready} {on_stale}
                connection={Some(props.status)} />
        }),
        (Some(_), None) => Some(html! {
            <p class="tulip-chat__broken">{ "This widget could not be shown." }</p>
        }),
    };
    html! {
        <article class="tulip-chat__message" data-testid="message"
                 data-message-id={id.to_string()} data-sender={props.sender_name.clone()}>
            <header class="tulip-chat__meta">
                <span class="tulip-chat__sender">{ props.sender_name.clone() }</span>
                <time class="tulip-chat__time">{ clock(m.timestamp) }</time>
            </header>
            { for body }
            { for host }
        </article>
    }
}
