//! The one choke point for what leaves the server about a widget.
//!
//! Every event a queue receives and every message a reply carries is built
//! here, for one recipient, from the stored widget through
//! `tulip_core::resolve` or `tulip_core::viewer_update`. The sender of a
//! message is `Viewer::Sender`; everyone else is `Viewer::User(id)`. Nothing
//! else in the server serializes a stored widget for a client.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Map, Value};
use tulip_core::{resolve, viewer_updates, Update, UserId, Viewer, ViewerUpdate, Widget};

use crate::queues::Queue;
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
    fn wanted_by(&self, q: &Queue) -> bool {
        match self {
            Outgoing::Message { meta, .. } | Outgoing::WidgetChange { meta, .. } => {
                q.wants(&meta.topic, meta.id)
            }
            Outgoing::ToUser { user_id, .. } => q.user_id == *user_id,
        }
    }

    /// The event for each of `recipients` (distinct user ids), as JSON
    /// object texts without their opening brace (the queue puts `{"id":N,`
    /// in front), in the same order. A widget change is diffed for all of
    /// them at once by `tulip_core::viewer_updates`, which shares the work
    /// that does not depend on the viewer; recipients whose updates come out
    /// equal share one serialization (equal values, equal bytes).
    fn render_all(&self, recipients: &[i64]) -> Vec<Arc<str>> {
        let timestamp = now_ms();
        match self {
            Outgoing::Message { meta, widget } => recipients
                .iter()
                .map(|&r| {
                    let mut m = Map::new();
                    m.insert("type".into(), "message".into());
                    m.insert("message".into(), message_for(meta, widget.as_ref(), r));
                    finish(m, timestamp)
                })
                .collect(),
            Outgoing::WidgetChange {
                meta,
                version,
                old,
                new,
                update,
            } => {
                let viewers: Vec<Viewer> = recipients
                    .iter()
                    .map(|&r| viewer_for(meta.sender_id, r))
                    .collect();
                let vus: Vec<ViewerUpdate> = match update {
                    Some(u) => viewer_updates(old, new, u, &viewers),
                    None => viewers
                        .iter()
                        .map(|v| ViewerUpdate::Replace(resolve(new, v)))
                        .collect(),
                };
                // Distinct renderings so far: (index in `vus`, text).
                let mut distinct: Vec<(usize, Arc<str>)> = Vec::new();
                let mut out = Vec::with_capacity(vus.len());
                for (i, vu) in vus.iter().enumerate() {
                    let same = distinct
                        .iter()
                        .take(MAX_SHARED_RENDERINGS)
                        .find(|(j, _)| vus[*j] == *vu);
                    if let Some((_, text)) = same {
                        out.push(text.clone());
                        continue;
                    }
                    let mut m = Map::new();
                    m.insert("message_id".into(), meta.id.into());
                    m.insert("version".into(), (*version).into());
                    match vu {
                        ViewerUpdate::Update(u) => {
                            m.insert("type".into(), "widget_update".into());
                            m.insert("update".into(), u.to_value());
                        }
                        ViewerUpdate::Replace(w) => {
                            m.insert("type".into(), "widget_replace".into());
                            m.insert(
                                "widget".into(),
                                serde_json::to_value(w).unwrap_or(Value::Null),
                            );
                        }
                    }
                    let text = finish(m, timestamp);
                    distinct.push((i, text.clone()));
                    out.push(text);
                }
                out
            }
            Outgoing::ToUser { body, .. } => {
                let text = finish(body.clone(), timestamp);
                recipients.iter().map(|_| text.clone()).collect()
            }
        }
    }
}

/// How many distinct renderings of one change a new one is compared with
/// before it is simply serialized on its own.
const MAX_SHARED_RENDERINGS: usize = 16;

/// `m` plus its timestamp, as JSON text without the opening brace.
fn finish(mut m: Map<String, Value>, timestamp: i64) -> Arc<str> {
    m.insert("timestamp".into(), timestamp.into());
    let text = Value::Object(m).to_string();
    // `{...}` → `...}`
    Arc::from(text.get(1..).unwrap_or("}"))
}

/// Delivers `ev` to every queue that should receive it, each copy resolved
/// for the queue's user (see [`Outgoing::render_all`]). A queue that
/// overflows is dropped (its client will get `BAD_EVENT_QUEUE_ID` and
/// resync).
pub fn publish(state: &AppState, ev: &Outgoing) {
    let started = Instant::now();
    let queues: Vec<Arc<Queue>> = state
        .queues
        .all()
        .into_iter()
        .filter(|q| ev.wanted_by(q))
        .collect();
    if queues.is_empty() {
        return;
    }
    let mut users: Vec<i64> = queues.iter().map(|q| q.user_id).collect();
    users.sort_unstable();
    users.dedup();
    let texts = ev.render_all(&users);
    let mut pushed = 0;
    for q in &queues {
        let Ok(i) = users.binary_search(&q.user_id) else {
            continue; // cannot happen: `users` holds every queue's user
        };
        match q.push(&texts[i]) {
            Ok(_) => pushed += 1,
            Err(_) => {
                tracing::info!(queue = %q.id, user = q.user_id, "queue over its limit: cut off");
                state.queues.remove(&q.id);
                state.metrics.queues_cut_off.fetch_add(1, Relaxed);
            }
        }
    }
    state.metrics.events_total.fetch_add(pushed, Relaxed);
    state.metrics.publish_calls.fetch_add(1, Relaxed);
    state
        .metrics
        .publish_micros
        .fetch_add(started.elapsed().as_micros() as u64, Relaxed);
}

/// A `heartbeat` event body.
pub fn heartbeat_frag() -> String {
    format!("\"timestamp\":{},\"type\":\"heartbeat\"}}", now_ms())
}
