//! `/lobby GAME` (`tictactoe` or `battleship`): join, leave, ready, settings
//! and start. The server enforces the lobby rules it knows (only the host
//! changes settings or starts, nobody joins a full lobby or twice); the bot
//! adds that a game starts only with everyone ready. On start the lobby bot
//! posts the game itself and plays it with the game's own bot, which it
//! holds inside: SDK bots compose.
//!
//! Lobbies and the games they start are kept with their messages, each
//! under its own kind (`lobby`, `tictactoe`, `battleship`), so that after a
//! restart the bot knows which one an event is for.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::games::{battleship::Battleship, tictactoe::TicTacToe};
use crate::{
    el, Action, BotResult, Command, Ctx, El, GameBot, GameState, Games, Interaction, Names,
    UpdateBuilder, WidgetBuilder,
};

pub const GAMES: [&str; 2] = ["tictactoe", "battleship"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LobbyError {
    AlreadyIn,
    Full,
    NotIn,
    NotHost,
    NotReady,
    BadSetting,
    Started,
}

/// The lobby's rules, without any I/O.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LobbyState {
    pub game: String,
    pub host: i64,
    /// Members in joining order, with their ready flag.
    pub players: Vec<(i64, bool)>,
    /// `host` or `guest`: who moves first.
    pub first: String,
    pub started: bool,
    /// How members are shown.
    pub names: Names,
}

pub const MAX_PLAYERS: usize = 2;

impl LobbyState {
    pub fn new(game: &str, host: i64) -> LobbyState {
        LobbyState {
            game: game.to_owned(),
            host,
            players: vec![(host, false)],
            first: "host".into(),
            started: false,
            names: Names::default(),
        }
    }
    fn pos(&self, user: i64) -> Option<usize> {
        self.players.iter().position(|(u, _)| *u == user)
    }
    fn open(&self) -> Result<(), LobbyError> {
        if self.started {
            Err(LobbyError::Started)
        } else {
            Ok(())
        }
    }
    pub fn join(&mut self, user: i64) -> Result<(), LobbyError> {
        self.open()?;
        if self.pos(user).is_some() {
            return Err(LobbyError::AlreadyIn);
        }
        if self.players.len() >= MAX_PLAYERS {
            return Err(LobbyError::Full);
        }
        self.players.push((user, false));
        Ok(())
    }
    /// Leaves; a leaving host hands the lobby to the next member. Returns
    /// whether the lobby is now empty.
    pub fn leave(&mut self, user: i64) -> Result<bool, LobbyError> {
        self.open()?;
        let i = self.pos(user).ok_or(LobbyError::NotIn)?;
        self.players.remove(i);
        if user == self.host {
            if let Some((next, _)) = self.players.first() {
                self.host = *next;
            }
        }
        Ok(self.players.is_empty())
    }
    pub fn set_ready(&mut self, user: i64, ready: bool) -> Result<(), LobbyError> {
        self.open()?;
        let i = self.pos(user).ok_or(LobbyError::NotIn)?;
        self.players[i].1 = ready;
        Ok(())
    }
    pub fn set_first(&mut self, user: i64, value: &str) -> Result<(), LobbyError> {
        self.open()?;
        if user != self.host {
            return Err(LobbyError::NotHost);
        }
        if value != "host" && value != "guest" {
            return Err(LobbyError::BadSetting);
        }
        self.first = value.to_owned();
        Ok(())
    }
    /// Starts: (first player, second player).
    pub fn start(&mut self, user: i64) -> Result<(i64, i64), LobbyError> {
        self.open()?;
        if user != self.host {
            return Err(LobbyError::NotHost);
        }
        if self.players.len() < MAX_PLAYERS || self.players.iter().any(|(_, r)| !r) {
            return Err(LobbyError::NotReady);
        }
        let guest = self
            .players
            .iter()
            .map(|(u, _)| *u)
            .find(|u| *u != self.host)
            .ok_or(LobbyError::NotReady)?;
        self.started = true;
        Ok(if self.first == "guest" {
            (guest, self.host)
        } else {
            (self.host, guest)
        })
    }
}

fn players(l: &LobbyState) -> Vec<El> {
    l.players
        .iter()
        .map(|(u, r)| el::lobby_player(*u, &l.names.get(*u), *r))
        .collect()
}

fn settings(l: &LobbyState) -> Value {
    json!({"first": el::setting("Who moves first", &l.first, &[json!("host"), json!("guest")])})
}

/// The lobby widget.
pub fn widget(l: &LobbyState) -> WidgetBuilder {
    WidgetBuilder::lobby(&l.game)
        .set("status", if l.started { "in_progress" } else { "waiting" })
        .set("host", l.host)
        .set("players", players(l))
        .set("settings", settings(l))
        .set("min_players", 2)
        .set("max_players", MAX_PLAYERS)
}

/// A lobby and the topic it was opened in (where its game is posted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hall {
    pub topic: String,
    pub lobby: LobbyState,
}

impl GameState for Hall {
    const KIND: &'static str = "lobby";
}

/// The lobby bot; it also runs the games its lobbies start.
#[derive(Default)]
pub struct Lobby {
    pub lobbies: Games<Hall>,
    pub tictactoe: TicTacToe,
    pub battleship: Battleship,
}

impl GameBot for Lobby {
    fn name(&self) -> String {
        "lobby-bot".into()
    }
    fn commands(&self) -> Vec<String> {
        vec!["lobby".into()]
    }

    fn on_command(&mut self, ctx: &mut Ctx, cmd: &Command) -> BotResult<()> {
        let game = cmd
            .args
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_lowercase();
        if !GAMES.contains(&game.as_str()) {
            ctx.say(
                &cmd.topic,
                &format!(
                    "Usage: /lobby GAME, where GAME is one of {}",
                    GAMES.join(", ")
                ),
            )?;
            return Ok(());
        }
        let mut l = LobbyState::new(&game, cmd.user_id);
        l.names.learn(ctx, cmd.user_id);
        let w = widget(&l);
        let hall = Hall {
            topic: cmd.topic.clone(),
            lobby: l,
        };
        self.lobbies.post(
            ctx,
            &cmd.topic,
            &format!("Lobby for {game}: join, get ready, and the host starts"),
            &w,
            hall,
        )?;
        Ok(())
    }

    fn on_interaction(&mut self, ctx: &mut Ctx, ev: &Interaction) -> BotResult<()> {
        let id = ev.message_id;
        let Some(Hall { topic, lobby: l }) = self.lobbies.get(ctx, id)? else {
            // One of the games this bot started (each store knows its own).
            if self.tictactoe.games.has(ctx, id)? {
                return self.tictactoe.on_interaction(ctx, ev);
            }
            return self.battleship.on_interaction(ctx, ev);
        };
        let host = l.host;
        let u = ev.user_id;
        let r = match &ev.action {
            Some(Action::LobbyJoin {}) => l.join(u).map(|_| {
                l.names.learn(ctx, u);
                None
            }),
            Some(Action::LobbyLeave {}) => l.leave(u).map(|_| None),
            Some(Action::LobbyReady { ready }) => l.set_ready(u, *ready).map(|_| None),
            Some(Action::LobbySetting { key, value }) if key == "first" => {
                let v = serde_json::to_value(value).unwrap_or(Value::Null);
                l.set_first(u, v.as_str().unwrap_or("")).map(|_| None)
            }
            Some(Action::LobbyStart {}) => l.start(u).map(Some),
            _ => return Ok(()),
        };
        let start = match r {
            Ok(s) => s,
            // Refused by the lobby's rules: nothing changes.
            Err(_) => return Ok(()),
        };
        // The game to start, as the command its own bot answers.
        let game_cmd = start.map(|(first, second)| Command {
            topic: topic.clone(),
            user_id: first,
            command: l.game.clone(),
            args: format!("@{second}"),
            message_id: id,
        });
        if l.host != host {
            // `host` has no operation: the lobby is replaced.
            let w = widget(l);
            self.lobbies.replace(ctx, id, &w)?;
        } else {
            let mut up = UpdateBuilder::new()
                .set_players(players(l))
                .set_settings(settings(l));
            if l.started {
                up = up.set_status("in_progress");
            }
            self.lobbies.update(ctx, id, &up)?;
        }
        if let Some(cmd) = game_cmd {
            self.lobbies.end(ctx, id);
            match cmd.command.as_str() {
                "tictactoe" => self.tictactoe.on_command(ctx, &cmd)?,
                _ => self.battleship.on_command(ctx, &cmd)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_ready_start() {
        let mut l = LobbyState::new("tictactoe", 1);
        assert_eq!(l.start(1), Err(LobbyError::NotReady));
        l.join(2).expect("join");
        assert_eq!(l.join(2), Err(LobbyError::AlreadyIn));
        assert_eq!(l.join(3), Err(LobbyError::Full));
        l.set_ready(1, true).expect("ready");
        assert_eq!(l.start(1), Err(LobbyError::NotReady));
        l.set_ready(2, true).expect("ready");
        assert_eq!(l.start(2), Err(LobbyError::NotHost));
        assert_eq!(l.set_first(2, "guest"), Err(LobbyError::NotHost));
        l.set_first(1, "guest").expect("setting");
        assert_eq!(l.start(1), Ok((2, 1)));
        assert_eq!(l.join(3), Err(LobbyError::Started));
    }

    #[test]
    fn a_leaving_host_hands_over() {
        let mut l = LobbyState::new("battleship", 1);
        l.join(2).expect("join");
        assert_eq!(l.leave(1), Ok(false));
        assert_eq!(l.host, 2);
        assert_eq!(l.leave(3), Err(LobbyError::NotIn));
        assert_eq!(l.leave(2), Ok(true));
    }

    #[test]
    fn the_widget_is_valid() {
        let mut l = LobbyState::new("tictactoe", 1);
        l.join(2).expect("join");
        l.names.set(1, "alice");
        let w = widget(&l).build().expect("valid");
        let players = &w["extra_data"]["players"];
        assert_eq!(players[0]["name"], "alice", "{w}");
        assert_eq!(players[1]["name"], "user 2", "{w}");
    }
}
