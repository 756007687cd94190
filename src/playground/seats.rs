//! Who may look at a widget: the seats the playground shows side by side.
//!
//! The bot (the widget's sender) sees everything; every user the payload
//! names sees their own view; and a spectator (a user the payload does not
//! name) sees what anyone else would. User ids are found by walking the
//! widget's JSON (composite children and explicit views included) for the
//! fields that hold user ids: `owner`, `clickable_by`, `turn.current_player`,
//! `turn.order`, `players.list[].id`, a lobby's `host` and `players[].id`,
//! the keys of `views` and of `interaction_rules` (but `default`).

use serde_json::{Map, Value};
use tulip_core::{UserId, Viewer, Widget};

/// Which kind of seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeatKind {
    /// The widget's sender: sees everything, `views` included.
    Bot,
    /// A user the payload names.
    User,
    /// A user the payload does not name.
    Spectator,
}

impl SeatKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SeatKind::Bot => "bot",
            SeatKind::User => "user",
            SeatKind::Spectator => "spectator",
        }
    }
}

/// One seat at the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub kind: SeatKind,
    /// The user, for users and the spectator.
    pub user: Option<UserId>,
    /// A display name the payload gives the user (`players.list[].name`,
    /// a lobby player's `name`).
    pub name: Option<String>,
}

impl Seat {
    /// Who `tulip_core::resolve` resolves the widget for.
    pub fn viewer(&self) -> Viewer {
        match &self.user {
            Some(u) if self.kind != SeatKind::Bot => Viewer::User(u.clone()),
            _ => Viewer::Sender,
        }
    }

    /// A key unique among the seats of one widget.
    pub fn key(&self) -> String {
        match &self.user {
            Some(u) => format!("{}:{}", self.kind.as_str(), u.as_str()),
            None => self.kind.as_str().to_owned(),
        }
    }

    /// What this seat sees, in words.
    pub fn description(&self) -> &'static str {
        match self.kind {
            SeatKind::Bot => "Sees everything, explicit views included.",
            SeatKind::User => "Sees what this user may see.",
            SeatKind::Spectator => "Named nowhere in the payload: sees what any other user would.",
        }
    }

    /// The column's heading.
    pub fn label(&self) -> String {
        match (self.kind, &self.user, &self.name) {
            (SeatKind::Bot, _, _) => "Bot (sender)".to_owned(),
            (SeatKind::Spectator, Some(u), _) => format!("Spectator ({u})"),
            (_, Some(u), Some(n)) if n != u.as_str() => format!("{n} ({u})"),
            (_, Some(u), _) => format!("User {u}"),
            (_, None, _) => "Somebody".to_owned(),
        }
    }
}

/// The user ids `widget` mentions, each once (by text: `7` and `"7"` are
/// one user), in the order they first appear, with a name when the payload
/// gives one.
pub fn mentioned_users(widget: &Widget) -> Vec<(UserId, Option<String>)> {
    let mut found = Found::default();
    found.body(&widget.body.to_value());
    found.users
}

/// Every seat of `widget`: the bot, each mentioned user, a spectator.
pub fn seats(widget: &Widget) -> Vec<Seat> {
    let users = mentioned_users(widget);
    let mut out = Vec::with_capacity(users.len() + 2);
    out.push(Seat {
        kind: SeatKind::Bot,
        user: None,
        name: None,
    });
    let spectator = spectator_id(users.iter().map(|(u, _)| u));
    out.extend(users.into_iter().map(|(user, name)| Seat {
        kind: SeatKind::User,
        user: Some(user),
        name,
    }));
    out.push(Seat {
        kind: SeatKind::Spectator,
        user: Some(spectator),
        name: None,
    });
    out
}

/// A user id that is none of `taken`: `spectator`, else `spectator-2`, ...
pub fn spectator_id<'a>(taken: impl Iterator<Item = &'a UserId> + Clone) -> UserId {
    let mut n = 1u32;
    loop {
        let candidate = if n == 1 {
            "spectator".to_owned()
        } else {
            format!("spectator-{n}")
        };
        if !taken.clone().any(|u| u.as_str() == candidate) {
            return UserId::new(candidate);
        }
        n += 1;
    }
}

#[derive(Default)]
struct Found {
    users: Vec<(UserId, Option<String>)>,
}

impl Found {
    fn add(&mut self, v: &Value, name: Option<&str>) {
        let Ok(user) = serde_json::from_value::<UserId>(v.clone()) else {
            return;
        };
        match self.users.iter_mut().find(|(u, _)| *u == user) {
            Some((_, n)) => {
                if n.is_none() {
                    *n = name.map(str::to_owned);
                }
            }
            None => self.users.push((user, name.map(str::to_owned))),
        }
    }

    fn add_all(&mut self, v: &Value) {
        if let Value::Array(a) = v {
            for id in a {
                self.add(id, None);
            }
        }
    }

    fn add_keys(&mut self, m: &Map<String, Value>) {
        for k in m.keys().filter(|k| k.as_str() != "default") {
            self.add(&Value::String(k.clone()), None);
        }
    }

    fn player_list(&mut self, v: &Value) {
        if let Value::Array(a) = v {
            for p in a {
                if let Some(id) = p.get("id") {
                    self.add(id, p.get("name").and_then(Value::as_str));
                }
            }
        }
    }

    /// An `extra_data` object (of a widget, a composite child or a view).
    fn body(&mut self, v: &Value) {
        let Value::Object(m) = v else { return };
        for (k, v) in m {
            match (k.as_str(), v) {
                ("host", _) => self.add(v, None),
                ("turn", Value::Object(t)) => {
                    if let Some(c) = t.get("current_player") {
                        self.add(c, None);
                    }
                    if let Some(o) = t.get("order") {
                        self.add_all(o);
                    }
                }
                // A lobby's own list, or the common `players` object.
                ("players", Value::Array(_)) => self.player_list(v),
                ("players", Value::Object(p)) => {
                    if let Some(l) = p.get("list") {
                        self.player_list(l);
                    }
                }
                ("views", Value::Object(views)) => {
                    self.add_keys(views);
                    for view in views.values() {
                        self.body(view);
                    }
                }
                ("interaction_rules", Value::Object(rules)) => self.add_keys(rules),
                ("widgets", Value::Array(children)) => {
                    for child in children {
                        self.body(child);
                    }
                }
                // Element lists: cells, sprites, cards, items, markers, tiles...
                (_, Value::Array(elements)) => {
                    for e in elements {
                        self.element(e);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, e: &Value) {
        let Value::Object(m) = e else { return };
        if let Some(o) = m.get("owner") {
            self.add(o, None);
        }
        if let Some(c) = m.get("clickable_by") {
            self.add_all(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tulip_core::{parse_widget_value, Policy};

    fn widget(v: Value) -> Widget {
        parse_widget_value(v, &Policy::default()).unwrap()
    }

    fn ids(w: &Widget) -> Vec<String> {
        mentioned_users(w)
            .into_iter()
            .map(|(u, _)| u.as_str().to_owned())
            .collect()
    }

    #[test]
    fn users_from_every_field_once_in_order() {
        let w = widget(json!({"widget_type": "grid", "extra_data": {
            "width": 3, "height": 3,
            "cells": [
                {"x": 0, "y": 0, "content": "a", "owner": "carol", "hidden_for_others": true},
                {"x": 1, "y": 0, "clickable_by": ["dave", 7]},
            ],
            "turn": {"current_player": "alice", "order": ["alice", "bob"]},
            "players": {"list": [{"id": "bob", "name": "Bob"}, {"id": "erin"}]},
            "interaction_rules": {"default": "none", "frank": "all"},
            "views": {"gina": {"default_bg": "#000"}, "default": {"default_bg": "#fff"}}
        }}));
        let mut got = ids(&w);
        got.sort();
        assert_eq!(
            got,
            ["7", "alice", "bob", "carol", "dave", "erin", "frank", "gina"]
        );
        let named = mentioned_users(&w);
        let bob = named.iter().find(|(u, _)| u.as_str() == "bob").unwrap();
        assert_eq!(bob.1.as_deref(), Some("Bob"));
    }

    #[test]
    fn integer_and_string_ids_are_one_user() {
        let w = widget(json!({"widget_type": "grid", "extra_data": {
            "width": 2, "height": 1,
            "cells": [{"x": 0, "y": 0, "owner": 7}, {"x": 1, "y": 0, "owner": "7"}]
        }}));
        assert_eq!(ids(&w), ["7"]);
    }

    #[test]
    fn lobby_host_and_players_and_composite_children() {
        let w = widget(json!({"widget_type": "composite", "extra_data": {
            "layout": "vertical",
            "widgets": [
                {"id": "l", "type": "lobby", "game": "Go", "host": "hana",
                 "players": [{"id": "ivan", "name": "Ivan"}]},
                {"id": "c", "type": "cards", "cards": [
                    {"id": "c1", "face": "A", "owner": "jo", "hidden_for_others": true}]}
            ]
        }}));
        assert_eq!(ids(&w), ["hana", "ivan", "jo"]);
    }

    #[test]
    fn elements_inside_views_count() {
        let w = widget(json!({"widget_type": "cards", "extra_data": {
            "cards": [],
            "views": {"kim": {"cards": [{"id": "x", "face": "K", "owner": "lee"}]}}
        }}));
        assert_eq!(ids(&w), ["kim", "lee"]);
    }

    #[test]
    fn seats_are_bot_users_and_a_stranger() {
        let w = widget(json!({"widget_type": "grid", "extra_data": {
            "width": 1, "height": 1,
            "turn": {"order": ["spectator", "alice"]}
        }}));
        let s = seats(&w);
        let kinds: Vec<_> = s.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SeatKind::Bot,
                SeatKind::User,
                SeatKind::User,
                SeatKind::Spectator
            ]
        );
        assert_eq!(s[0].viewer(), Viewer::Sender);
        assert_eq!(s[2].viewer(), Viewer::user("alice"));
        // "spectator" is taken by a player: the stranger is someone else.
        assert_eq!(s[3].viewer(), Viewer::user("spectator-2"));
        let keys: std::collections::BTreeSet<_> = s.iter().map(Seat::key).collect();
        assert_eq!(keys.len(), s.len(), "keys are unique");
    }

    #[test]
    fn a_widget_naming_nobody_has_two_seats() {
        let w = widget(json!({"widget_type": "hud", "extra_data": {"bars": []}}));
        let s = seats(&w);
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].viewer(), Viewer::user("spectator"));
    }

    #[test]
    fn labels() {
        let seat = |kind, user: Option<&str>, name: Option<&str>| Seat {
            kind,
            user: user.map(UserId::from),
            name: name.map(str::to_owned),
        };
        assert_eq!(
            seat(SeatKind::User, Some("bob"), Some("Bob")).label(),
            "Bob (bob)"
        );
        assert_eq!(seat(SeatKind::User, Some("bob"), None).label(), "User bob");
        assert_eq!(
            seat(SeatKind::Spectator, Some("spectator"), None).label(),
            "Spectator (spectator)"
        );
    }
}
