//! The chat page's state as a pure reducer: who is signed in, the topics,
//! the messages of the open topic, the connection state.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::Value;
use yew::Reducible;

use crate::conn::{Status, Transport};

/// A chat message as the page keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    pub id: i64,
    pub topic: String,
    pub sender_id: i64,
    pub content: String,
    /// The widget as the server resolved it for this user, and its version.
    pub widget: Option<(Rc<Value>, u64)>,
    pub timestamp: i64,
    /// Arrived as a live event (not from history).
    pub live: bool,
}

impl ChatMessage {
    /// Reads a message object from the API (history, fetch, `message`
    /// events); `None` when it lacks an id or a topic.
    pub fn from_json(v: &Value, live: bool) -> Option<ChatMessage> {
        let widget = match (v.get("widget"), v.get("version").and_then(Value::as_u64)) {
            (Some(w), Some(version)) if w.is_object() => Some((Rc::new(w.clone()), version)),
            _ => None,
        };
        Some(ChatMessage {
            id: v.get("id")?.as_i64()?,
            topic: v.get("topic")?.as_str()?.to_owned(),
            sender_id: v.get("sender_id").and_then(Value::as_i64).unwrap_or(0),
            content: v
                .get("content")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            widget,
            timestamp: v.get("timestamp").and_then(Value::as_i64).unwrap_or(0),
            live,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChatState {
    pub topic: String,
    /// Known topics, most recent first.
    pub topics: Vec<String>,
    /// Messages of the open topic, by id.
    pub messages: BTreeMap<i64, ChatMessage>,
    pub users: BTreeMap<i64, String>,
    pub status: Status,
    pub transport: Transport,
    pub clock_offset_ms: f64,
    /// Bumped on every resync, so that widgets are mounted afresh.
    pub epoch: u64,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ChatAction {
    Open(String),
    Topics(Vec<String>),
    /// The open topic's history (replaces what is shown).
    History {
        topic: String,
        messages: Vec<ChatMessage>,
    },
    /// A live `message` event.
    Message(ChatMessage),
    Users(Vec<(i64, String)>),
    Status(Status, Transport, f64),
    Error(Option<String>),
}

/// Most messages kept for the open topic.
pub const MAX_MESSAGES: usize = 200;

impl ChatState {
    pub fn new(topic: String) -> ChatState {
        ChatState {
            topics: vec![topic.clone()],
            topic,
            messages: BTreeMap::new(),
            users: BTreeMap::new(),
            status: Status::Connecting,
            transport: Transport::WebSocket,
            clock_offset_ms: 0.0,
            epoch: 0,
            error: None,
        }
    }

    pub fn sender_name(&self, id: i64) -> String {
        self.users
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("user {id}"))
    }

    fn note_topic(&mut self, topic: &str) {
        if !self.topics.iter().any(|t| t == topic) {
            self.topics.insert(0, topic.to_owned());
        }
    }

    pub fn next(&self, action: ChatAction) -> ChatState {
        let mut s = self.clone();
        match action {
            ChatAction::Open(topic) => {
                let topic = topic.trim().to_owned();
                if topic.is_empty() || topic == s.topic {
                    return s;
                }
                s.note_topic(&topic);
                s.topic = topic;
                s.messages.clear();
            }
            ChatAction::Topics(topics) => {
                for t in topics.iter().rev() {
                    s.note_topic(t);
                }
            }
            ChatAction::History { topic, messages } => {
                if topic != s.topic {
                    return s;
                }
                s.messages = messages.into_iter().map(|m| (m.id, m)).collect();
                s.epoch += 1;
            }
            ChatAction::Message(m) => {
                s.note_topic(&m.topic);
                if m.topic == s.topic && !s.messages.contains_key(&m.id) {
                    s.messages.insert(m.id, m);
                    while s.messages.len() > MAX_MESSAGES {
                        s.messages.pop_first();
                    }
                }
            }
            ChatAction::Users(users) => s.users.extend(users),
            ChatAction::Status(status, transport, offset) => {
                s.status = status;
                s.transport = transport;
                s.clock_offset_ms = offset;
            }
            ChatAction::Error(e) => s.error = e,
        }
        s
    }
}

impl Reducible for ChatState {
    type Action = ChatAction;

    fn reduce(self: Rc<Self>, action: ChatAction) -> Rc<Self> {
        let next = self.next(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

/// The page's options from the URL hash: `#chat?name=..&topic=..&transport=..`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HashParams {
    pub name: Option<String>,
    pub topic: Option<String>,
    pub transport: Option<String>,
}

impl HashParams {
    pub fn parse(hash: &str) -> HashParams {
        let mut p = HashParams::default();
        let Some((_, query)) = hash.split_once('?') else {
            return p;
        };
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = decode(v);
            if v.is_empty() {
                continue;
            }
            match k {
                "name" => p.name = Some(v),
                "topic" => p.topic = Some(v),
                "transport" => p.transport = Some(v),
                _ => {}
            }
        }
        p
    }
}

/// Percent-decoding (and `+` as space) of a query value; bad escapes stay.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn msg(id: i64, topic: &str) -> ChatMessage {
        ChatMessage::from_json(
            &json!({"id": id, "topic": topic, "sender_id": 1, "content": "hi",
                    "widget": null, "version": null, "timestamp": 5}),
            true,
        )
        .unwrap()
    }

    #[test]
    fn messages_parse_with_and_without_widgets() {
        let m = ChatMessage::from_json(
            &json!({"id": 3, "topic": "t", "sender_id": 2, "content": "",
                    "widget": {"widget_type": "hud", "extra_data": {}}, "version": 4, "timestamp": 1}),
            false,
        )
        .unwrap();
        assert_eq!(m.widget.as_ref().map(|w| w.1), Some(4));
        assert!(msg(1, "t").widget.is_none());
        assert!(ChatMessage::from_json(&json!({"topic": "t"}), true).is_none());
    }

    #[test]
    fn live_messages_land_in_their_topic_only() {
        let s = ChatState::new("a".into())
            .next(ChatAction::Message(msg(1, "a")))
            .next(ChatAction::Message(msg(2, "b")))
            .next(ChatAction::Message(msg(1, "a")));
        assert_eq!(s.messages.keys().copied().collect::<Vec<_>>(), [1]);
        assert_eq!(s.topics, ["b", "a"]);
        let s = s.next(ChatAction::Open("b".into()));
        assert!(s.messages.is_empty());
        let s = s.next(ChatAction::History {
            topic: "a".into(),
            messages: vec![msg(1, "a")],
        });
        assert!(s.messages.is_empty(), "history of another topic is ignored");
    }

    #[test]
    fn hash_params() {
        let p = HashParams::parse("#chat?name=alice%20b&topic=my+games&transport=long-poll");
        assert_eq!(p.name.as_deref(), Some("alice b"));
        assert_eq!(p.topic.as_deref(), Some("my games"));
        assert_eq!(p.transport.as_deref(), Some("long-poll"));
        assert_eq!(HashParams::parse("#chat"), HashParams::default());
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
    }
}
