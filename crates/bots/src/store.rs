//! Game state that survives restarts.
//!
//! A bot keeps one game per message. [`Games`] keeps them in memory **and on
//! the server**: every widget change a game sends through it carries the
//! game's state as the message's `bot_state`, which the server stores in
//! the same SQLite transaction as the widget (both or neither) and shows to
//! the bot alone. When the bot hears of a game it does not have in memory
//! (the server restarted and the embedded bot with it, or a remote bot
//! process started again), [`Games::get`] loads the state back from the
//! server and the game goes on where it was.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use tulip_bots::{GameState, Games};
//!
//! #[derive(Serialize, Deserialize)]
//! struct Board {
//!     marks: Vec<Option<usize>>,
//! }
//! impl GameState for Board {
//!     const KIND: &'static str = "board";
//! }
//!
//! #[derive(Default)]
//! struct MyBot {
//!     games: Games<Board>,
//! }
//! ```
//!
//! The rules of use:
//!
//! - Post a game with [`Games::post`]; change it in the handler through
//!   [`Games::get`], then send the change with [`Games::update`] /
//!   [`Games::replace`] (or [`Games::save`] when the widget stays as it
//!   is). The state sent is the game as it stands after the change.
//! - A send that fails (or a build that does not validate) makes the store
//!   forget its copy, so the next event loads the server's: memory never
//!   runs ahead of what the server has.
//! - [`Games::end`] drops a finished game from memory; its last state stays
//!   with the message, so a late event still finds a finished game.
//! - Ids are the messages'; a message that is not the bot's, or whose state
//!   is of another [`GameState::KIND`], is not a game of this store
//!   (`Ok(None)`), remembered so that it is not asked about again.

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::{BotError, BotResult, Ctx, UpdateBuilder, WidgetBuilder};

/// The state of one game, stored with its message.
pub trait GameState: Serialize + DeserializeOwned + Send + 'static {
    /// What kind of game this is. It is stored beside the state, so that a
    /// bot with several kinds of games (the lobby runs lobbies, tic-tac-toe
    /// and battleship) tells them apart: such a bot names each kind; a bot
    /// with one kind may keep the default. Keep it stable across versions.
    const KIND: &'static str = "game";
}

/// The games of one kind, by message id. See the module documentation.
#[derive(Debug)]
pub struct Games<T> {
    live: HashMap<i64, T>,
    /// Messages known not to hold a game of this kind.
    others: HashSet<i64>,
    restored: u64,
}

impl<T> Default for Games<T> {
    fn default() -> Self {
        Games {
            live: HashMap::new(),
            others: HashSet::new(),
            restored: 0,
        }
    }
}

impl<T: GameState> Games<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// The stored form: `{"kind", "state"}`.
    fn envelope(game: &T) -> BotResult<Value> {
        let state = serde_json::to_value(game)
            .map_err(|e| BotError::Other(format!("{} state: {e}", T::KIND)))?;
        Ok(json!({"kind": T::KIND, "state": state}))
    }

    /// The game in a stored state, if it is one of this kind.
    fn open(message_id: i64, stored: &Value) -> BotResult<Option<T>> {
        if stored.get("kind").and_then(Value::as_str) != Some(T::KIND) {
            return Ok(None);
        }
        let state = stored.get("state").cloned().unwrap_or(Value::Null);
        serde_json::from_value(state).map(Some).map_err(|e| {
            BotError::Other(format!(
                "the stored {} of message {message_id} is unreadable: {e}",
                T::KIND
            ))
        })
    }

    /// Posts a new game: its widget and its state in one step. The
    /// message id.
    pub fn post(
        &mut self,
        ctx: &mut Ctx,
        topic: &str,
        content: &str,
        widget: &WidgetBuilder,
        game: T,
    ) -> BotResult<i64> {
        let env = Self::envelope(&game)?;
        let id = ctx.post_with_state(topic, content, widget, &env)?;
        self.live.insert(id, game);
        Ok(id)
    }

    /// The game of message `message_id`: from memory, or else loaded from
    /// the state the server keeps with the message. `None` when that
    /// message holds no game of this kind.
    pub fn get(&mut self, ctx: &mut Ctx, message_id: i64) -> BotResult<Option<&mut T>> {
        if !self.live.contains_key(&message_id) {
            if self.others.contains(&message_id) {
                return Ok(None);
            }
            let game = match ctx.stored_state(message_id)? {
                Some(v) => Self::open(message_id, &v)?,
                None => None,
            };
            match game {
                Some(g) => {
                    self.restored += 1;
                    self.live.insert(message_id, g);
                }
                None => {
                    self.others.insert(message_id);
                    return Ok(None);
                }
            }
        }
        Ok(self.live.get_mut(&message_id))
    }

    /// Whether `message_id` holds a game of this kind ([`Games::get`]
    /// without the borrow).
    pub fn has(&mut self, ctx: &mut Ctx, message_id: i64) -> BotResult<bool> {
        Ok(self.get(ctx, message_id)?.is_some())
    }

    fn sent<R>(&mut self, message_id: i64, r: BotResult<R>) -> BotResult<R> {
        if r.is_err() {
            // What we hold may be ahead of the server: load it again.
            self.live.remove(&message_id);
        }
        r
    }

    fn current(&self, message_id: i64) -> BotResult<Value> {
        let game = self.live.get(&message_id).ok_or_else(|| {
            BotError::Other(format!("no {} game in message {message_id}", T::KIND))
        })?;
        Self::envelope(game)
    }

    /// Sends `update` with the game's state as it is now; the new version.
    pub fn update(
        &mut self,
        ctx: &mut Ctx,
        message_id: i64,
        update: &UpdateBuilder,
    ) -> BotResult<u64> {
        let r = self
            .current(message_id)
            .and_then(|env| ctx.update_with_state(message_id, update, &env));
        self.sent(message_id, r)
    }

    /// Replaces the widget and stores the game's state with it.
    pub fn replace(
        &mut self,
        ctx: &mut Ctx,
        message_id: i64,
        widget: &WidgetBuilder,
    ) -> BotResult<u64> {
        let r = self
            .current(message_id)
            .and_then(|env| ctx.replace_with_state(message_id, widget, &env));
        self.sent(message_id, r)
    }

    /// Stores the game's state alone (the widget stays as it is).
    pub fn save(&mut self, ctx: &mut Ctx, message_id: i64) -> BotResult<()> {
        let r = self
            .current(message_id)
            .and_then(|env| ctx.save_state(message_id, &env));
        self.sent(message_id, r)
    }

    /// Forgets a finished game (its last state stays on the server).
    pub fn end(&mut self, ctx: &mut Ctx, message_id: i64) -> Option<T> {
        ctx.forget(message_id);
        self.live.remove(&message_id)
    }

    /// The game in memory, without asking the server.
    pub fn peek(&self, message_id: i64) -> Option<&T> {
        self.live.get(&message_id)
    }

    /// Games in memory.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }

    /// How many games were loaded back from the server.
    pub fn restored(&self) -> u64 {
        self.restored
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use serde::Deserialize;

    use super::*;
    use crate::{el, Transport};

    /// A server that keeps states and widgets, and can fail on demand.
    #[derive(Clone, Default)]
    struct Fake {
        inner: Arc<Mutex<FakeInner>>,
    }

    #[derive(Default)]
    struct FakeInner {
        next: i64,
        widgets: HashMap<i64, Value>,
        states: HashMap<i64, Value>,
        /// Messages of another sender.
        foreign: HashSet<i64>,
        fail: bool,
        loads: u32,
    }

    impl Fake {
        fn ctx(&self) -> Ctx {
            Ctx::new(Box::new(self.clone()))
        }
        fn state(&self, id: i64) -> Option<Value> {
            self.inner.lock().unwrap().states.get(&id).cloned()
        }
        fn fail(&self, on: bool) {
            self.inner.lock().unwrap().fail = on;
        }
        fn loads(&self) -> u32 {
            self.inner.lock().unwrap().loads
        }
    }

    impl Transport for Fake {
        fn user_id(&self) -> i64 {
            100
        }
        fn post(
            &mut self,
            _: &str,
            _: &str,
            widget: Option<Value>,
            state: Option<Value>,
        ) -> BotResult<i64> {
            let mut f = self.inner.lock().unwrap();
            f.next += 1;
            let id = f.next;
            if let Some(w) = widget {
                f.widgets.insert(id, w);
            }
            if let Some(s) = state {
                f.states.insert(id, s);
            }
            Ok(id)
        }
        fn update(&mut self, id: i64, _: Value, state: Option<Value>) -> BotResult<u64> {
            let mut f = self.inner.lock().unwrap();
            if f.fail {
                return Err(BotError::Transport("down".into()));
            }
            if let Some(s) = state {
                f.states.insert(id, s);
            }
            Ok(2)
        }
        fn replace(&mut self, id: i64, w: Value, state: Option<Value>) -> BotResult<u64> {
            let mut f = self.inner.lock().unwrap();
            if f.fail {
                return Err(BotError::Transport("down".into()));
            }
            f.widgets.insert(id, w);
            if let Some(s) = state {
                f.states.insert(id, s);
            }
            Ok(2)
        }
        fn message(&mut self, id: i64) -> BotResult<Value> {
            let f = self.inner.lock().unwrap();
            Ok(json!({"id": id, "widget": f.widgets.get(&id).cloned().unwrap_or(Value::Null)}))
        }
        fn load_state(&mut self, id: i64) -> BotResult<Value> {
            let mut f = self.inner.lock().unwrap();
            f.loads += 1;
            if f.foreign.contains(&id) {
                return Err(BotError::Api {
                    status: 403,
                    code: "FORBIDDEN".into(),
                    msg: String::new(),
                    path: None,
                });
            }
            Ok(f.states.get(&id).cloned().unwrap_or(Value::Null))
        }
        fn save_state(&mut self, id: i64, state: Value) -> BotResult<()> {
            let mut f = self.inner.lock().unwrap();
            if f.fail {
                return Err(BotError::Transport("down".into()));
            }
            f.states.insert(id, state);
            Ok(())
        }
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Count(u32);
    impl GameState for Count {
        const KIND: &'static str = "count";
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Other(String);
    impl GameState for Other {
        const KIND: &'static str = "other";
    }

    fn widget() -> WidgetBuilder {
        WidgetBuilder::hud().push("stats", el::stat("n", 0))
    }

    fn bump() -> UpdateBuilder {
        UpdateBuilder::new().set_stat("n", 1)
    }

    #[test]
    fn the_state_rides_with_every_change_and_comes_back_after_a_restart() {
        let server = Fake::default();
        let mut ctx = server.ctx();
        let mut games: Games<Count> = Games::new();
        let id = games
            .post(&mut ctx, "t", "go", &widget(), Count(0))
            .expect("post");
        assert_eq!(server.state(id), Some(json!({"kind": "count", "state": 0})));
        games.get(&mut ctx, id).expect("get").expect("ours").0 = 5;
        games.update(&mut ctx, id, &bump()).expect("update");
        assert_eq!(server.state(id).unwrap()["state"], 5);
        assert_eq!(server.loads(), 0, "a game in memory needs no fetch");

        // The bot starts again: nothing in memory, a new context.
        let mut ctx = server.ctx();
        let mut games: Games<Count> = Games::new();
        assert!(games.peek(id).is_none());
        let g = games.get(&mut ctx, id).expect("get").expect("restored");
        assert_eq!(*g, Count(5));
        g.0 += 1;
        games
            .update(&mut ctx, id, &bump())
            .expect("update after restart");
        assert_eq!(server.state(id).unwrap()["state"], 6);
        assert_eq!(games.restored(), 1);
        assert_eq!(server.loads(), 1);
    }

    #[test]
    fn a_failed_send_forgets_the_copy_so_memory_never_runs_ahead() {
        let server = Fake::default();
        let mut ctx = server.ctx();
        let mut games: Games<Count> = Games::new();
        let id = games
            .post(&mut ctx, "t", "go", &widget(), Count(1))
            .expect("post");
        games.get(&mut ctx, id).unwrap().unwrap().0 = 2;
        server.fail(true);
        assert!(games.update(&mut ctx, id, &bump()).is_err());
        assert!(games.peek(id).is_none(), "forgotten after the failure");
        server.fail(false);
        // The server's state is the truth: 1, not 2.
        assert_eq!(games.get(&mut ctx, id).unwrap(), Some(&mut Count(1)));
        // An update that does not validate sends nothing and forgets too.
        games.get(&mut ctx, id).unwrap().unwrap().0 = 9;
        let bad = UpdateBuilder::new().add_card(el::card("a", "A"));
        assert!(matches!(
            games.update(&mut ctx, id, &bad),
            Err(BotError::Invalid { .. })
        ));
        assert_eq!(games.get(&mut ctx, id).unwrap(), Some(&mut Count(1)));
        // save stores the state alone.
        games.get(&mut ctx, id).unwrap().unwrap().0 = 3;
        games.save(&mut ctx, id).expect("save");
        assert_eq!(server.state(id).unwrap()["state"], 3);
    }

    #[test]
    fn other_kinds_and_other_senders_are_not_games_of_this_store() {
        let server = Fake::default();
        let mut ctx = server.ctx();
        let mut counts: Games<Count> = Games::new();
        let mut others: Games<Other> = Games::new();
        let o = others
            .post(&mut ctx, "t", "o", &widget(), Other("x".into()))
            .expect("post");
        let plain = ctx.post("t", "plain", &widget()).expect("post");
        server.inner.lock().unwrap().foreign.insert(77);
        let mut fresh = server.ctx();
        let mut counts2: Games<Count> = Games::new();
        for id in [o, plain, 77, 1234] {
            assert!(counts.get(&mut ctx, id).unwrap().is_none(), "{id}");
            assert!(counts2.get(&mut fresh, id).unwrap().is_none(), "{id}");
        }
        let loads = server.loads();
        for id in [o, plain, 77, 1234] {
            assert!(!counts2.has(&mut fresh, id).unwrap());
        }
        assert_eq!(server.loads(), loads, "misses are remembered");
        // The other kind still finds its own after a restart.
        let mut others2: Games<Other> = Games::new();
        assert_eq!(
            others2.get(&mut fresh, o).unwrap(),
            Some(&mut Other("x".into()))
        );
        // A state of the right kind that does not read is an error.
        server
            .inner
            .lock()
            .unwrap()
            .states
            .insert(plain, json!({"kind": "count", "state": "nope"}));
        let mut counts3: Games<Count> = Games::new();
        assert!(counts3.get(&mut server.ctx(), plain).is_err());
    }

    #[test]
    fn an_invalid_build_is_caught_with_its_path_and_nothing_is_sent() {
        let server = Fake::default();
        let mut ctx = server.ctx();
        let mut games: Games<Count> = Games::new();
        let bad = WidgetBuilder::grid(3, 3).push("cells", el::cell(0, 0).with("colour", "red"));
        match games.post(&mut ctx, "t", "go", &bad, Count(0)) {
            Err(BotError::Invalid { code, path, .. }) => {
                assert_eq!(code, "UNKNOWN_FIELD");
                assert_eq!(path, "extra_data.cells[0].colour");
            }
            other => panic!("{other:?}"),
        }
        assert!(games.is_empty());
        let f = server.inner.lock().unwrap();
        assert!(
            f.widgets.is_empty() && f.states.is_empty(),
            "nothing reached the server"
        );
    }

    #[test]
    fn ended_games_leave_memory_but_not_the_server() {
        let server = Fake::default();
        let mut ctx = server.ctx();
        let mut games: Games<Count> = Games::new();
        let id = games
            .post(&mut ctx, "t", "go", &widget(), Count(4))
            .expect("post");
        assert_eq!(games.len(), 1);
        assert_eq!(games.end(&mut ctx, id), Some(Count(4)));
        assert!(games.is_empty());
        assert_eq!(games.get(&mut ctx, id).unwrap(), Some(&mut Count(4)));
    }
}
