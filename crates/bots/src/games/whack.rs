//! `/whack [seconds]`: whack-a-mole for everyone in the topic. A mole
//! (an emoji sprite) sits in one of nine holes of a canvas; clicking it
//! scores a point, plays a sound (a small `data:audio/wav` URL) and sends it to another hole. A server
//! timer ends the round; the widget is then replaced by the final field and
//! a leaderboard.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::{el, Action, BotResult, Command, Ctx, El, GameBot, Interaction, Names, TimerFired};
use crate::{GameState, Games, UpdateBuilder, WidgetBuilder};

pub const DEFAULT_SECONDS: f64 = 30.0;
pub const HOLES: u32 = 9;
const CELL: f64 = 100.0;

/// The hit sound: a short "thwack" (a decaying square wave, 8 kHz 8-bit
/// mono WAV) as a `data:audio/wav` URL, so it needs no file on the server.
pub fn hit_sound() -> String {
    const RATE: u32 = 8000;
    let n = RATE / 12;
    let samples: Vec<u8> = (0..n)
        .map(|i| {
            let amp = 100.0 * (1.0 - f64::from(i) / f64::from(n));
            // The pitch falls from 440 Hz to about 150 Hz.
            let period = 18 + i / 20;
            let high = (i % period) < period / 2;
            (128.0 + if high { amp } else { -amp }) as u8
        })
        .collect();
    let mut wav = Vec::with_capacity(44 + samples.len());
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + samples.len() as u32).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&RATE.to_le_bytes());
    wav.extend_from_slice(&RATE.to_le_bytes()); // bytes per second
    wav.extend_from_slice(&1u16.to_le_bytes()); // block align
    wav.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(samples.len() as u32).to_le_bytes());
    wav.extend_from_slice(&samples);
    format!("data:audio/wav;base64,{}", base64(&wav))
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= c.len() {
                out.push(A[(v >> shift) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveError {
    /// The round is over.
    Over,
    /// That was not the mole (or a mole that already moved).
    Miss,
}

/// The rules, without any I/O.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Game {
    /// The hole (0..9) the mole is in.
    pub hole: u32,
    /// How many moles appeared so far (the mole's id changes every time).
    pub moles: u32,
    pub scores: HashMap<i64, u32>,
    /// Players in the order they first scored.
    pub order: Vec<i64>,
    /// How players are shown.
    pub names: Names,
    pub over: bool,
    rng: u64,
}

impl Game {
    pub fn new(seed: u64) -> Game {
        let mut g = Game {
            hole: 0,
            moles: 0,
            scores: HashMap::new(),
            order: Vec::new(),
            names: Names::default(),
            over: false,
            rng: seed | 1,
        };
        g.next_mole();
        g
    }

    fn next_mole(&mut self) {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        // Never the same hole twice in a row.
        let step = 1 + (self.rng % u64::from(HOLES - 1)) as u32;
        self.hole = (self.hole + step) % HOLES;
        self.moles += 1;
    }

    /// The sprite id of the mole now.
    pub fn mole_id(&self) -> String {
        format!("mole-{}", self.moles)
    }

    /// `user` clicked sprite `id`; their new score on a hit.
    pub fn whack(&mut self, user: i64, id: &str) -> Result<u32, MoveError> {
        if self.over {
            return Err(MoveError::Over);
        }
        if id != self.mole_id() {
            return Err(MoveError::Miss);
        }
        if !self.scores.contains_key(&user) {
            self.order.push(user);
        }
        let s = self.scores.entry(user).or_insert(0);
        *s += 1;
        let s = *s;
        self.next_mole();
        Ok(s)
    }

    /// The timer ran out.
    pub fn finish(&mut self) {
        self.over = true;
    }

    /// Players by score (best first; ties in the order they first scored).
    pub fn ranking(&self) -> Vec<(i64, u32)> {
        let mut r: Vec<(i64, u32)> = self
            .order
            .iter()
            .map(|u| (*u, self.scores.get(u).copied().unwrap_or(0)))
            .collect();
        r.sort_by_key(|e| std::cmp::Reverse(e.1));
        r
    }
}

fn hole_xy(hole: u32) -> (f64, f64) {
    (
        f64::from(hole % 3) * CELL + CELL / 2.0,
        f64::from(hole / 3) * CELL + CELL / 2.0,
    )
}

fn mole(g: &Game) -> El {
    let (x, y) = hole_xy(g.hole);
    el::sprite(&g.mole_id(), "🐹", x, y - 10.0)
        .with("z", 1)
        .with("scale", 1.5)
}

fn field(g: &Game) -> WidgetBuilder {
    let mut c = WidgetBuilder::canvas(300, 300)
        .set("background", "#6b8e23")
        .set("on_sprite_click", !g.over);
    for h in 0..HOLES {
        let (x, y) = hole_xy(h);
        c = c.push(
            "sprites",
            el::sprite(&format!("hole-{h}"), "🕳️", x, y + 15.0),
        );
    }
    if !g.over {
        c = c.push("sprites", mole(g));
    }
    c
}

fn hud(g: &Game) -> WidgetBuilder {
    let mut h = WidgetBuilder::hud().push("stats", el::stat("Moles", g.moles));
    for (u, s) in g.ranking() {
        h = h.push("stats", el::stat(&g.names.get(u), s));
    }
    h
}

/// The leaderboard entries of the final ranking.
pub fn entries(g: &Game) -> Vec<El> {
    entries_for(g, None)
}

/// The entries as `viewer` sees them: their own row highlighted.
pub fn entries_for(g: &Game, viewer: Option<i64>) -> Vec<El> {
    g.ranking()
        .iter()
        .enumerate()
        .map(|(i, (u, s))| {
            let e = el::entry(i as u32 + 1, &g.names.get(*u), f64::from(*s));
            if viewer == Some(*u) {
                e.with("highlight", true)
            } else {
                e
            }
        })
        .collect()
}

/// The round being played.
pub fn widget(g: &Game, seconds: f64) -> WidgetBuilder {
    WidgetBuilder::composite("vertical")
        .child("field", field(g))
        .child("hud", hud(g))
        .sound("whack", &hit_sound())
        .timer(seconds, "end")
}

/// The round over: the field and the leaderboard.
pub fn final_widget(g: &Game) -> WidgetBuilder {
    // The headings of the rank, name and score columns (contract notes).
    let mut lb =
        WidgetBuilder::leaderboard("Whack-a-mole").set("columns", vec!["#", "Player", "Moles"]);
    let e = entries(g);
    if !e.is_empty() {
        lb = lb.set("entries", e);
        // Each player finds their own row highlighted (an explicit view
        // each; everyone else sees the plain ranking).
        for (u, _) in g.ranking() {
            lb = lb.view(u, "entries", entries_for(g, Some(u)));
        }
    }
    WidgetBuilder::composite("vertical")
        .child("field", field(g))
        .child("hud", hud(g).push("stats", el::stat("Time", "up!")))
        .child("scores", lb)
        .sound("whack", &hit_sound())
}

impl GameState for Game {
    const KIND: &'static str = "whack";
}

/// The bot: one round per message, kept with the message (so the end of a
/// round that a restart interrupted still gets its leaderboard).
#[derive(Default)]
pub struct Whack {
    pub games: Games<Game>,
}

impl GameBot for Whack {
    fn name(&self) -> String {
        "whack-bot".into()
    }
    fn commands(&self) -> Vec<String> {
        vec!["whack".into()]
    }

    fn on_command(&mut self, ctx: &mut Ctx, cmd: &Command) -> BotResult<()> {
        let secs = cmd
            .args
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite())
            .unwrap_or(DEFAULT_SECONDS)
            .clamp(0.5, 300.0);
        let g = Game::new(cmd.message_id as u64 * 2654435761 + 7);
        let w = widget(&g, secs);
        self.games.post(
            ctx,
            &cmd.topic,
            "Whack-a-mole: click the hamster before the time runs out!",
            &w,
            g,
        )?;
        Ok(())
    }

    fn on_interaction(&mut self, ctx: &mut Ctx, ev: &Interaction) -> BotResult<()> {
        let Some(Action::SpriteClick { id: sprite }) = &ev.action else {
            return Ok(());
        };
        let id = ev.message_id;
        let Some(g) = self.games.get(ctx, id)? else {
            return Ok(());
        };
        let old = g.mole_id();
        let Ok(score) = g.whack(ev.user_id, sprite) else {
            return Ok(());
        };
        let name = g.names.learn(ctx, ev.user_id);
        let field = UpdateBuilder::new()
            .remove_sprites(&[old.as_str()])
            .add_sprite(mole(g).animate(150, Some("scale")));
        let hud = UpdateBuilder::new()
            .set_stat("Moles", g.moles)
            .set_stat(&name, score);
        let u = UpdateBuilder::new()
            .child("field", field)
            .child("hud", hud)
            .play_sound("whack");
        self.games.update(ctx, id, &u)?;
        Ok(())
    }

    fn on_timer(&mut self, ctx: &mut Ctx, ev: &TimerFired) -> BotResult<()> {
        if ev.action.as_deref() != Some("end") {
            return Ok(());
        }
        let id = ev.message_id;
        let Some(g) = self.games.get(ctx, id)? else {
            return Ok(());
        };
        if g.over {
            return Ok(());
        }
        g.finish();
        let w = final_widget(g);
        self.games.replace(ctx, id, &w)?;
        self.games.end(ctx, id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_score_and_move_the_mole() {
        let mut g = Game::new(42);
        let first = g.mole_id();
        let hole = g.hole;
        assert_eq!(g.whack(1, "hole-0"), Err(MoveError::Miss));
        assert_eq!(g.whack(1, &first), Ok(1));
        assert_ne!(g.hole, hole);
        // The old mole is gone: clicking it again is a miss.
        assert_eq!(g.whack(2, &first), Err(MoveError::Miss));
        let m = g.mole_id();
        assert_eq!(g.whack(2, &m), Ok(1));
        let m = g.mole_id();
        assert_eq!(g.whack(2, &m), Ok(2));
        assert_eq!(g.ranking(), vec![(2, 2), (1, 1)]);
        g.finish();
        let m = g.mole_id();
        assert_eq!(g.whack(1, &m), Err(MoveError::Over));
    }

    #[test]
    fn holes_stay_on_the_field() {
        let mut g = Game::new(7);
        for _ in 0..100 {
            let prev = g.hole;
            let m = g.mole_id();
            g.whack(1, &m).expect("hit");
            assert!(g.hole < HOLES);
            assert_ne!(g.hole, prev);
        }
    }

    #[test]
    fn the_sound_is_a_small_wav() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        let s = hit_sound();
        assert!(s.starts_with("data:audio/wav;base64,UklGR"), "{s}");
        assert!(s.len() < 2000);
    }

    #[test]
    fn widgets_are_valid() {
        let mut g = Game::new(3);
        widget(&g, 30.0).build().expect("round");
        let m = g.mole_id();
        g.whack(5, &m).expect("hit");
        let m = g.mole_id();
        g.whack(6, &m).expect("hit");
        g.names.set(6, "bob");
        g.finish();
        let w = final_widget(&g).build().expect("final");
        assert_eq!(entries(&g)[0].0["name"], "user 5");
        assert_eq!(entries(&g)[1].0["name"], "bob");
        assert!(w.to_string().contains("leaderboard"));
        assert_eq!(entries_for(&g, Some(6))[1].0["highlight"], true);
        assert!(entries_for(&g, Some(6))[0].0.get("highlight").is_none());
        assert!(entries(&g).iter().all(|e| e.0.get("highlight").is_none()));
        final_widget(&Game::new(1)).build().expect("empty final");
    }
}
