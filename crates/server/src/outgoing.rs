//! The one choke point for what leaves the server about a widget.
//!
//! Every event a queue receives and every message a reply carries is built
//! here, for one recipient, from the stored widget through
//! `tulip_core::resolve` or `tulip_core::viewer_update`. The sender of a
//! message is `Viewer::Sender`; everyone else is `Viewer::User(id)`. Nothing
//! else in the server serializes a stored widget for a client.

use std::collections::HashMap;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

use serde_json::{json, Map, Value};
use tulip_core::{resolve, viewer_update, Update, UserId, Viewer, ViewerUpdate, Widget};

use crate::state::{now_ms, AppState, MessageMeta, Stored};

/// How `recipient` views a widget that `sender_id` sent.
pub fn viewer_for(sender_id: i64, recipient: i64) -> Viewer {
    if sender_id == recipient {
        Viewer::Sender
    } else {
        Viewer::User(UserId::num(recipient as u64))
    }
}

/// A message as `recipient` may see it (history, single fetch, events).
pub fn message_for(meta: &MessageMeta, widget: Option<&Stored>, recipient: i64) -> Value {
    let viewer = viewer_for(meta.sender_id, recipient);
    let (w, version) = match widget {
        Some(s) => (
            serde_json::to_value(resolve(&s.widget, &viewer)).unwrap_or(Value::Null),
            Value::from(s.version),
        ),
        None => (Value::Null, Value::Null),
    };
    json!({
        "id": meta.id,
        "topic": meta.topic,
        "sender_id": meta.sender_id,
        "content": meta.content,
        "widget": w,
        "version": version,
        "timestamp": meta.timestamp_ms,
    })
}

/// Something to deliver.
pub enum Outgoing {
    /// A new message, to the queues subscribed to its topic.
    Message {
        meta: Arc<MessageMeta>,
        widget: Option<Stored>,
    },
    /// A widget changed from `old` to `new` (by `update`, or replaced whole
    /// when `update` is `None`), to subscribers of its topic or message.
    WidgetChange {
        meta: Arc<MessageMeta>,
        version: u64,
        old: Arc<Widget>,
        new: Arc<Widget>,
        update: Option<Arc<Update>>,
    },
    /// An event addressed to one user (interaction, interaction_result,
    /// command, rate_limit_warning). `body` holds no widget data.
    ToUser {
        user_id: i64,
        body: Map<String, Value>,
    },
}

impl Outgoing {
    fn wanted_by(&self, q: &crate::queues::Queue) -> bool {
        match self {
            Outgoing::Message { meta, .. } | Outgoing::WidgetChange { meta, .. } => {
                q.wants(&meta.topic, meta.id)
            }
            Outgoing::ToUser { user_id, .. } => q.user_id == *user_id,
        }
    }

    /// The event for `recipient`, as a JSON object text without its opening
    /// brace (the queue puts `{"id":N,` in front).
    fn render(&self, recipient: i64) -> String {
        let mut m = match self {
            Outgoing::Message { meta, widget } => {
                let mut m = Map::new();
                m.insert("type".into(), "message".into());
                m.insert(
                    "message".into(),
                    message_for(meta, widget.as_ref(), recipient),
                );
                m
            }
            Outgoing::WidgetChange {
                meta,
                version,
                old,
                new,
                update,
            } => {
                let viewer = viewer_for(meta.sender_id, recipient);
                let mut m = Map::new();
                m.insert("message_id".into(), meta.id.into());
                m.insert("version".into(), (*version).into());
                let vu = match update {
                    Some(u) => viewer_update(old, new, u, &viewer),
                    None => ViewerUpdate::Replace(resolve(new, &viewer)),
                };
                match vu {
                    ViewerUpdate::Update(u) => {
                        m.insert("type".into(), "widget_update".into());
                        m.insert("update".into(), u.to_value());
                    }
                    ViewerUpdate::Replace(w) => {
                        m.insert("type".into(), "widget_replace".into());
                        m.insert(
                            "widget".into(),
                            serde_json::to_value(&w).unwrap_or(Value::Null),
                        );
                    }
                }
                m
            }
            Outgoing::ToUser { body, .. } => body.clone(),
        };
        m.insert("timestamp".into(), now_ms().into());
        let text = Value::Object(m).to_string();
        // `{...}` → `...}`
        text.get(1..).unwrap_or("}").to_owned()
    }
}

/// Delivers `ev` to every queue that should receive it, each copy resolved
/// for the queue's user. A queue that overflows is dropped (its client will
/// get `BAD_EVENT_QUEUE_ID` and resync).
pub fn publish(state: &AppState, ev: &Outgoing) {
    let mut rendered: HashMap<i64, String> = HashMap::new();
    for q in state.queues.all() {
        if !ev.wanted_by(&q) {
            continue;
        }
        let frag = rendered
            .entry(q.user_id)
            .or_insert_with(|| ev.render(q.user_id));
        match q.push(frag) {
            Ok(_) => {
                state.metrics.events_total.fetch_add(1, Relaxed);
            }
            Err(_) => {
                tracing::info!(queue = %q.id, user = q.user_id, "queue over its limit: cut off");
                state.queues.remove(&q.id);
                state.metrics.queues_cut_off.fetch_add(1, Relaxed);
            }
        }
    }
}

/// A `heartbeat` event body.
pub fn heartbeat_frag() -> String {
    format!("\"timestamp\":{},\"type\":\"heartbeat\"}}", now_ms())
}
