//! `/battleship @user`: per-user views. Each player sees their own fleet
//! (with the shots it took) and, on the target grid, only their own shots
//! at the other fleet. A setup phase (shuffle the fleet, then ready) comes
//! before play.
//!
//! Layout: a composite with `mine` (grid), `target` (grid), `status` (hud)
//! and `controls` (buttons). Both grids hold nothing in their base: every
//! cell a player sees lives in that player's explicit view.
//!
//! The fleets are secret from the players, not from the bot: each [`Game`]
//! (fleets included) is kept with its message as the bot's private state
//! ([`Games`]), which the server never shows anyone else, so a game
//! survives a restart.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::helpers::{Opponent, Seats, Turns};
use crate::{
    el, Action, BotResult, Command, Ctx, El, GameBot, GameState, Games, Interaction, UpdateBuilder,
    WidgetBuilder,
};

pub const SIZE: u32 = 6;
pub const FLEET: [u32; 3] = [3, 2, 2];
const SHIP: &str = "🚢";
const HIT: &str = "💥";
const MISS: &str = "•";
/// The text colour of marked cells: their backgrounds are light in both
/// themes, so the miss dot must not take the (light) dark-theme text colour.
const INK: &str = "#0d47a1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Setup,
    Play,
    Over(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveError {
    NotAPlayer,
    WrongPhase,
    NotYourTurn,
    AlreadyShot,
    OutOfBounds,
}

/// The result of a shot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shot {
    pub hit: bool,
    pub sunk: bool,
    pub won: bool,
}

/// One player's fleet and the shots it has taken.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Fleet {
    pub ships: Vec<Vec<(u32, u32)>>,
    pub shots: HashSet<(u32, u32)>,
}

impl Fleet {
    /// A random legal fleet from `rng`.
    pub fn random(rng: &mut u64) -> Fleet {
        let mut ships: Vec<Vec<(u32, u32)>> = Vec::new();
        for len in FLEET {
            loop {
                let horizontal = next(rng).is_multiple_of(2);
                let (w, h) = if horizontal {
                    (SIZE - len + 1, SIZE)
                } else {
                    (SIZE, SIZE - len + 1)
                };
                let (x0, y0) = ((next(rng) % w as u64) as u32, (next(rng) % h as u64) as u32);
                let ship: Vec<(u32, u32)> = (0..len)
                    .map(|i| {
                        if horizontal {
                            (x0 + i, y0)
                        } else {
                            (x0, y0 + i)
                        }
                    })
                    .collect();
                if ship.iter().all(|c| !ships.iter().flatten().any(|d| d == c)) {
                    ships.push(ship);
                    break;
                }
            }
        }
        Fleet {
            ships,
            shots: HashSet::new(),
        }
    }
    pub fn has_ship(&self, c: (u32, u32)) -> bool {
        self.ships.iter().flatten().any(|d| *d == c)
    }
    pub fn all_sunk(&self) -> bool {
        self.ships.iter().flatten().all(|c| self.shots.contains(c))
    }
}

fn next(rng: &mut u64) -> u64 {
    // xorshift64*: deterministic for a given seed.
    *rng ^= *rng >> 12;
    *rng ^= *rng << 25;
    *rng ^= *rng >> 27;
    rng.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

/// The rules, without any I/O.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Game {
    pub seats: Seats,
    pub fleets: [Fleet; 2],
    pub ready: [bool; 2],
    pub phase: Phase,
    pub turns: Turns,
    rng: u64,
}

impl Game {
    pub fn new(seats: Seats, seed: u64) -> Game {
        let mut rng = seed | 1;
        let fleets = [Fleet::random(&mut rng), Fleet::random(&mut rng)];
        Game {
            seats,
            fleets,
            ready: [false; 2],
            phase: Phase::Setup,
            turns: Turns::new(2),
            rng,
        }
    }

    fn seat(&mut self, user: i64) -> Result<usize, MoveError> {
        self.seats
            .seat_or_claim(user, 1)
            .ok_or(MoveError::NotAPlayer)
    }

    /// A new random fleet for `user` (setup only, before they are ready).
    pub fn shuffle(&mut self, user: i64) -> Result<usize, MoveError> {
        let s = self.seat(user)?;
        if self.phase != Phase::Setup || self.ready[s] {
            return Err(MoveError::WrongPhase);
        }
        self.fleets[s] = Fleet::random(&mut self.rng);
        Ok(s)
    }

    /// `user` is ready; play starts when both are. Returns their seat.
    pub fn set_ready(&mut self, user: i64) -> Result<usize, MoveError> {
        let s = self.seat(user)?;
        if self.phase != Phase::Setup {
            return Err(MoveError::WrongPhase);
        }
        self.ready[s] = true;
        if self.ready == [true, true] {
            self.phase = Phase::Play;
        }
        Ok(s)
    }

    /// `user` fires at (`x`, `y`) of the other fleet.
    pub fn fire(&mut self, user: i64, x: u32, y: u32) -> Result<Shot, MoveError> {
        let s = self.seats.seat_of(user).ok_or(MoveError::NotAPlayer)?;
        if self.phase != Phase::Play {
            return Err(MoveError::WrongPhase);
        }
        if s != self.turns.seat {
            return Err(MoveError::NotYourTurn);
        }
        if x >= SIZE || y >= SIZE {
            return Err(MoveError::OutOfBounds);
        }
        let target = &mut self.fleets[1 - s];
        if !target.shots.insert((x, y)) {
            return Err(MoveError::AlreadyShot);
        }
        let hit = target.has_ship((x, y));
        let sunk = hit
            && target
                .ships
                .iter()
                .find(|sh| sh.contains(&(x, y)))
                .is_some_and(|sh| sh.iter().all(|c| target.shots.contains(c)));
        let won = target.all_sunk();
        if won {
            self.phase = Phase::Over(s);
            self.turns.finish();
        } else {
            self.turns.advance();
        }
        Ok(Shot { hit, sunk, won })
    }

    pub fn status(&self) -> String {
        match self.phase {
            Phase::Setup => format!(
                "Setup: place your fleet, then Ready ({} {}, {} {})",
                self.seats.name(0),
                if self.ready[0] { "ready" } else { "placing" },
                self.seats.name(1),
                if self.ready[1] { "ready" } else { "placing" },
            ),
            Phase::Play => format!("{} to fire", self.seats.name(self.turns.seat)),
            Phase::Over(s) => format!("{} sank the whole fleet!", self.seats.name(s)),
        }
    }

    /// What seat `s` sees on its own grid: its fleet and the shots it took.
    pub fn own_cells(&self, s: usize) -> Vec<El> {
        let f = &self.fleets[s];
        let mut out = Vec::new();
        for y in 0..SIZE {
            for x in 0..SIZE {
                let ship = f.has_ship((x, y));
                let shot = f.shots.contains(&(x, y));
                let content = match (ship, shot) {
                    (true, true) => HIT,
                    (true, false) => SHIP,
                    (false, true) => MISS,
                    (false, false) => continue,
                };
                out.push(
                    el::cell_text(x, y, content)
                        .with("bg", if ship { "#90a4ae" } else { "#bbdefb" })
                        .with("fg", INK),
                );
            }
        }
        out
    }

    /// What seat `s` sees on the target grid: only its own shots.
    pub fn target_cells(&self, s: usize) -> Vec<El> {
        let f = &self.fleets[1 - s];
        let mut shots: Vec<_> = f.shots.iter().copied().collect();
        shots.sort_by_key(|(x, y)| (*y, *x));
        shots
            .into_iter()
            .map(|(x, y)| shot_cell(x, y, f.has_ship((x, y))))
            .collect()
    }
}

fn shot_cell(x: u32, y: u32, hit: bool) -> El {
    el::cell_text(x, y, if hit { HIT } else { MISS })
        .with("bg", if hit { "#ffcdd2" } else { "#e3f2fd" })
        .with("fg", INK)
        // Shot already: the server refuses a second shot here.
        .with("clickable_by", Vec::<i64>::new())
}

fn buttons(game: &Game) -> Vec<El> {
    let setup = game.phase == Phase::Setup;
    vec![
        el::button("Shuffle fleet", "shuffle").with("disabled", !setup),
        el::button("Ready", "ready")
            .with("style", "primary")
            .with("disabled", !setup),
    ]
}

/// The widget as a whole, for the game as it stands.
pub fn widget(game: &Game) -> WidgetBuilder {
    let grid = |on_click: bool| {
        WidgetBuilder::grid(SIZE, SIZE)
            .set("cell_size", 36)
            .set("default_bg", "#e3f2fd")
            .set("on_cell_click", on_click)
            .set("show_coordinates", true)
            .set("cells", Vec::<El>::new())
    };
    let mut mine = grid(false);
    let mut target = grid(true);
    for s in 0..2 {
        if let Some(u) = game.seats.user(s) {
            mine = mine.view(u, "cells", game.own_cells(s));
            target = target.view(u, "cells", game.target_cells(s));
        }
    }
    let mut w = WidgetBuilder::composite("horizontal")
        .child("mine", mine)
        .child("target", target)
        .child(
            "status",
            WidgetBuilder::hud()
                .push("stats", el::stat("Status", game.status()))
                // Which grid is which (grids have no caption of their own).
                .push(
                    "stats",
                    el::stat("Grids", "first: your fleet, second: your shots"),
                ),
        )
        .child(
            "controls",
            WidgetBuilder::interactive().set("components", buttons(game)),
        )
        .turn(turn(game));
    if let Some(p) = game.seats.players_value() {
        w = w.set("players", p);
    }
    w
}

fn turn(game: &Game) -> Value {
    match game.phase {
        Phase::Setup => json!({"turn_number": 0, "enforce": false}),
        _ => game.turns.value(&game.seats),
    }
}

impl GameState for Game {
    const KIND: &'static str = "battleship";
}

/// The bot: one [`Game`] per message, kept with the message.
#[derive(Default)]
pub struct Battleship {
    pub games: Games<Game>,
}

impl GameBot for Battleship {
    fn name(&self) -> String {
        "battleship-bot".into()
    }
    fn commands(&self) -> Vec<String> {
        vec!["battleship".into()]
    }

    fn on_command(&mut self, ctx: &mut Ctx, cmd: &Command) -> BotResult<()> {
        let opponent = ctx.opponent(&cmd.args);
        if opponent == Opponent::Id(cmd.user_id) {
            ctx.say(&cmd.topic, "You cannot play against yourself.")?;
            return Ok(());
        }
        let seed = (cmd.message_id as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ cmd.user_id as u64;
        let mut seats = Seats::two(cmd.user_id, &opponent);
        ctx.name_seats(&mut seats);
        let game = Game::new(seats, seed);
        let text = format!(
            "Battleship: {} vs {}",
            game.seats.name(0),
            game.seats.name(1)
        );
        self.games
            .post(ctx, &cmd.topic, &text, &widget(&game), game)?;
        Ok(())
    }

    fn on_interaction(&mut self, ctx: &mut Ctx, ev: &Interaction) -> BotResult<()> {
        let id = ev.message_id;
        // From memory, or from the server after a restart.
        let Some(game) = self.games.get(ctx, id)? else {
            return Ok(());
        };
        let was_full = game.seats.is_full();
        let u = match &ev.action {
            Some(Action::ButtonClick { action }) if action == "shuffle" => {
                match game.shuffle(ev.user_id) {
                    Ok(s) => Some(
                        UpdateBuilder::new().child(
                            "mine",
                            UpdateBuilder::new().view(
                                ev.user_id,
                                UpdateBuilder::new()
                                    .op("clear_cells", all_points())
                                    .op("set_cells", game.own_cells(s)),
                            ),
                        ),
                    ),
                    Err(_) => None,
                }
            }
            Some(Action::ButtonClick { action }) if action == "ready" => {
                game.set_ready(ev.user_id).ok().map(|_| {
                    UpdateBuilder::new()
                        .child(
                            "controls",
                            UpdateBuilder::new().set_components(buttons(game)),
                        )
                        .set_turn(turn(game))
                })
            }
            Some(Action::CellClick { x, y }) if ev.child.as_deref() == Some("target") => match game
                .fire(ev.user_id, *x, *y)
            {
                Ok(shot) => {
                    let s = game.seats.seat_of(ev.user_id).unwrap_or(0);
                    let cell = shot_cell(*x, *y, shot.hit);
                    let mut own = shot_cell(*x, *y, shot.hit);
                    own.0.remove("clickable_by");
                    let mut u = UpdateBuilder::new()
                        .child(
                            "target",
                            UpdateBuilder::new()
                                .view(ev.user_id, UpdateBuilder::new().set_cell(cell)),
                        )
                        .set_turn(turn(game));
                    if let Some(other) = game.seats.user(1 - s) {
                        u = u.child(
                            "mine",
                            UpdateBuilder::new().view(other, UpdateBuilder::new().set_cell(own)),
                        );
                    }
                    Some(u)
                }
                Err(_) => None,
            },
            _ => None,
        };
        let Some(u) = u else {
            // Refused by the rules: nothing changed.
            return Ok(());
        };
        let over = matches!(game.phase, Phase::Over(_));
        if !was_full && game.seats.is_full() {
            // The open seat was taken: players and views change as a whole.
            ctx.name_seats(&mut game.seats);
            let w = widget(game);
            self.games.replace(ctx, id, &w)?;
        } else {
            let u = u.child(
                "status",
                UpdateBuilder::new().set_stat("Status", game.status()),
            );
            self.games.update(ctx, id, &u)?;
        }
        if over {
            self.games.end(ctx, id);
        }
        Ok(())
    }
}

fn all_points() -> Vec<El> {
    (0..SIZE)
        .flat_map(|y| (0..SIZE).map(move |x| el::point(x, y)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn game() -> Game {
        Game::new(Seats::of(&[1, 2]), 42)
    }

    #[test]
    fn fleets_are_legal() {
        let mut rng = 7;
        for _ in 0..50 {
            let f = Fleet::random(&mut rng);
            let cells: Vec<_> = f.ships.iter().flatten().collect();
            let set: HashSet<_> = cells.iter().collect();
            assert_eq!(cells.len(), FLEET.iter().sum::<u32>() as usize);
            assert_eq!(set.len(), cells.len());
            assert!(cells.iter().all(|(x, y)| *x < SIZE && *y < SIZE));
        }
    }

    #[test]
    fn setup_then_play_then_win() {
        let mut g = game();
        assert_eq!(g.fire(1, 0, 0), Err(MoveError::WrongPhase));
        g.shuffle(1).expect("shuffle");
        g.set_ready(1).expect("ready");
        assert_eq!(g.shuffle(1), Err(MoveError::WrongPhase));
        assert_eq!(g.phase, Phase::Setup);
        g.set_ready(2).expect("ready");
        assert_eq!(g.phase, Phase::Play);
        assert_eq!(g.fire(2, 0, 0), Err(MoveError::NotYourTurn));
        let targets: Vec<_> = g.fleets[1].ships.iter().flatten().copied().collect();
        let misses: Vec<_> = (0..SIZE)
            .flat_map(|y| (0..SIZE).map(move |x| (x, y)))
            .filter(|c| !g.fleets[0].has_ship(*c))
            .collect();
        for (i, (x, y)) in targets.iter().enumerate() {
            let shot = g.fire(1, *x, *y).expect("fire");
            assert!(shot.hit);
            if i + 1 == targets.len() {
                assert!(shot.won);
                break;
            }
            let (mx, my) = misses[i];
            assert!(!g.fire(2, mx, my).expect("fire back").hit);
            if i == 0 {
                assert_eq!(g.fire(1, *x, *y), Err(MoveError::AlreadyShot));
            }
        }
        assert_eq!(g.phase, Phase::Over(0));
        assert_eq!(g.fire(2, 5, 5), Err(MoveError::WrongPhase));
    }

    #[test]
    fn views_show_own_fleet_and_own_shots_only() {
        let mut g = game();
        g.set_ready(1).expect("r");
        g.set_ready(2).expect("r");
        g.fire(1, 0, 0).expect("fire");
        let t = g.target_cells(0);
        assert_eq!(t.len(), 1);
        assert!(g.target_cells(1).is_empty());
        assert_eq!(g.own_cells(0).len(), FLEET.iter().sum::<u32>() as usize);
        widget(&g).build().expect("valid widget");
    }
}
