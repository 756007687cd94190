//! Helpers for the bookkeeping every game does: who sits where, whose turn
//! it is, players' names, and parsing `@user` arguments.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::{fallback_name, Ctx};

/// Whom a command names. [`Opponent::parse`] reads `@42` / `42` as the
/// user with id 42 and anything else as a name; [`Opponent::resolve`]
/// (or [`Ctx::opponent`], which does both) turns the name of a person the
/// server knows into their id. A name nobody has (or a bot's) stays a
/// `Name`: that seat is open to the first other user who plays, and shown
/// with the name typed until then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opponent {
    Id(i64),
    Name(String),
    Nobody,
}

impl Opponent {
    /// A `Name` of a known person becomes their `Id` (case-insensitive,
    /// through the cached [`Ctx::find_user`]); everything else is kept.
    pub fn resolve(self, ctx: &mut Ctx) -> Opponent {
        match self {
            Opponent::Name(n) => match ctx.find_user(&n) {
                Some(id) => Opponent::Id(id),
                None => Opponent::Name(n),
            },
            other => other,
        }
    }

    pub fn parse(args: &str) -> Opponent {
        let Some(w) = args.split_whitespace().next() else {
            return Opponent::Nobody;
        };
        let w = w.trim_start_matches('@').trim_matches('*');
        if w.is_empty() {
            return Opponent::Nobody;
        }
        match w.parse::<i64>() {
            Ok(id) => Opponent::Id(id),
            Err(_) => Opponent::Name(w.to_owned()),
        }
    }
}

/// The seats of a game: each holds a user, or is open until someone takes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seats {
    users: Vec<Option<i64>>,
    names: Vec<String>,
}

impl Seats {
    /// `first` sits in seat 0; `opponent` in seat 1 (open unless it is an id).
    pub fn two(first: i64, opponent: &Opponent) -> Seats {
        let (second, name) = match opponent {
            Opponent::Id(id) => (Some(*id), fallback_name(*id)),
            Opponent::Name(n) => (None, n.clone()),
            Opponent::Nobody => (None, "anyone".to_owned()),
        };
        Seats {
            users: vec![Some(first), second],
            names: vec![fallback_name(first), name],
        }
    }

    /// Seats for a known list of users.
    pub fn of(users: &[i64]) -> Seats {
        Seats {
            users: users.iter().map(|u| Some(*u)).collect(),
            names: users.iter().map(|u| fallback_name(*u)).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.users.len()
    }
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }
    /// The user in seat `i`, if taken.
    pub fn user(&self, i: usize) -> Option<i64> {
        self.users.get(i).copied().flatten()
    }
    /// How seat `i` is shown.
    pub fn name(&self, i: usize) -> &str {
        self.names.get(i).map(String::as_str).unwrap_or("?")
    }
    pub fn set_name(&mut self, i: usize, name: &str) {
        if let Some(n) = self.names.get_mut(i) {
            *n = name.to_owned();
        }
    }
    /// The seat `user` sits in.
    pub fn seat_of(&self, user: i64) -> Option<usize> {
        self.users.iter().position(|u| *u == Some(user))
    }
    pub fn is_full(&self) -> bool {
        self.users.iter().all(Option::is_some)
    }
    /// `user`'s seat; when they have none, seat `wanted` if it is open.
    pub fn seat_or_claim(&mut self, user: i64, wanted: usize) -> Option<usize> {
        if let Some(s) = self.seat_of(user) {
            return Some(s);
        }
        match self.users.get_mut(wanted) {
            Some(slot @ None) => {
                *slot = Some(user);
                Some(wanted)
            }
            _ => None,
        }
    }
    /// The `players` field: the users seated so far (everyone else is a
    /// spectator), or nothing while a seat is open (so that anyone can take it).
    pub fn players_value(&self) -> Option<Value> {
        if !self.is_full() {
            return None;
        }
        let list: Vec<Value> = self
            .users
            .iter()
            .zip(&self.names)
            .filter_map(|(u, n)| u.map(|u| json!({"id": u, "name": n})))
            .collect();
        Some(json!({ "list": list }))
    }
}

/// Players' names for a game's state, so that the functions that draw a
/// game need no [`Ctx`]: the bot [`learn`](Names::learn)s a user's name
/// when they first play (one cached lookup), and drawing asks
/// [`get`](Names::get), which falls back to `user {id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Names(HashMap<i64, String>);

impl Names {
    /// How `id` is shown.
    pub fn get(&self, id: i64) -> String {
        self.0
            .get(&id)
            .cloned()
            .unwrap_or_else(|| fallback_name(id))
    }
    pub fn set(&mut self, id: i64, name: &str) {
        self.0.insert(id, name.to_owned());
    }
    /// Asks `ctx` for `id`'s name (cached there) and keeps it; the name.
    pub fn learn(&mut self, ctx: &mut Ctx, id: i64) -> String {
        let n = ctx.user_name(id);
        self.0.insert(id, n.clone());
        n
    }
}

/// Whose turn it is, in seat order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turns {
    /// The seat to play.
    pub seat: usize,
    /// 1 for the first move.
    pub number: u32,
    seats: usize,
    over: bool,
}

impl Turns {
    pub fn new(seats: usize) -> Turns {
        Turns {
            seat: 0,
            number: 1,
            seats: seats.max(1),
            over: false,
        }
    }
    /// Passes the turn to the next seat.
    pub fn advance(&mut self) {
        self.seat = (self.seat + 1) % self.seats;
        self.number += 1;
    }
    /// Nobody plays any more.
    pub fn finish(&mut self) {
        self.over = true;
    }
    pub fn is_over(&self) -> bool {
        self.over
    }
    /// The `turn` field: enforced whenever the seat to play is taken (the
    /// server then refuses everyone else with `NOT_YOUR_TURN`); when the
    /// game is over nobody is current, so every move is refused.
    pub fn value(&self, seats: &Seats) -> Value {
        let order: Vec<i64> = (0..seats.len()).filter_map(|i| seats.user(i)).collect();
        if self.over {
            return json!({"turn_number": self.number, "order": order, "enforce": true});
        }
        match seats.user(self.seat) {
            Some(u) => {
                json!({"current_player": u, "turn_number": self.number, "order": order, "enforce": true})
            }
            None => json!({"turn_number": self.number, "order": order, "enforce": false}),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opponents_parse() {
        assert_eq!(Opponent::parse("@42"), Opponent::Id(42));
        assert_eq!(Opponent::parse(" 7 extra"), Opponent::Id(7));
        assert_eq!(Opponent::parse("@**bob**"), Opponent::Name("bob".into()));
        assert_eq!(Opponent::parse(""), Opponent::Nobody);
    }

    #[test]
    fn seats_and_turns() {
        let mut s = Seats::two(1, &Opponent::Name("bob".into()));
        assert!(!s.is_full());
        assert!(s.players_value().is_none());
        let mut t = Turns::new(2);
        assert_eq!(t.value(&s)["current_player"], 1);
        t.advance();
        assert_eq!(t.value(&s)["enforce"], false);
        assert_eq!(s.seat_or_claim(1, 1), Some(0));
        assert_eq!(s.seat_or_claim(9, 1), Some(1));
        assert_eq!(s.seat_or_claim(10, 1), None);
        assert_eq!(t.value(&s)["current_player"], 9);
        t.finish();
        assert!(t.value(&s).get("current_player").is_none());
    }
}
