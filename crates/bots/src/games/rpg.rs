//! `/rpg`: a turn-based battle of the caller's hero against a monster. A
//! composite: a canvas with both sprites, a HUD with their HP bars, a
//! dialog that narrates, and buttons (attack, defend, flee). The monster
//! answers every move at once; when the battle ends the buttons are
//! disabled (the server then refuses them). The keys A, D and F make the
//! same moves while the battle has the focus. Other users watch.

use serde::{Deserialize, Serialize};

use crate::{el, Action, BotResult, Command, Ctx, El, GameBot, Interaction};
use crate::{GameState, Games, UpdateBuilder, WidgetBuilder};

pub const HERO_HP: u32 = 30;
pub const MONSTER_HP: u32 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Fighting,
    Won,
    Lost,
    Fled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Attack,
    Defend,
    Flee,
}

impl Move {
    pub fn parse(action: &str) -> Option<Move> {
        match action {
            "attack" => Some(Move::Attack),
            "defend" => Some(Move::Defend),
            "flee" => Some(Move::Flee),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveError {
    Over,
}

/// The rules, without any I/O.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Battle {
    pub hero: u32,
    pub monster: u32,
    pub phase: Phase,
    pub turn: u32,
    rng: u64,
}

impl Battle {
    pub fn new(seed: u64) -> Battle {
        Battle {
            hero: HERO_HP,
            monster: MONSTER_HP,
            phase: Phase::Fighting,
            turn: 1,
            rng: seed | 1,
        }
    }

    /// A number in `lo..=hi`.
    fn roll(&mut self, lo: u32, hi: u32) -> u32 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        lo + (self.rng % u64::from(hi - lo + 1)) as u32
    }

    /// The hero moves, then the monster answers; the narration.
    pub fn play(&mut self, m: Move) -> Result<String, MoveError> {
        if self.phase != Phase::Fighting {
            return Err(MoveError::Over);
        }
        self.turn += 1;
        let mut said = String::new();
        let mut guard = false;
        match m {
            Move::Attack => {
                let d = self.roll(4, 7);
                self.monster = self.monster.saturating_sub(d);
                said.push_str(&format!("You strike the ogre for {d}. "));
                if self.monster == 0 {
                    self.phase = Phase::Won;
                    said.push_str("The ogre falls. Victory!");
                    return Ok(said);
                }
            }
            Move::Defend => {
                guard = true;
                self.hero = (self.hero + 2).min(HERO_HP);
                said.push_str("You raise your shield and catch your breath. ");
            }
            Move::Flee => {
                if self.roll(0, 1) == 0 {
                    self.phase = Phase::Fled;
                    said.push_str("You run away, safe and sound.");
                    return Ok(said);
                }
                said.push_str("You try to run, but the ogre blocks the way. ");
            }
        }
        let mut d = self.roll(2, 4);
        if guard {
            d /= 2;
        }
        self.hero = self.hero.saturating_sub(d);
        said.push_str(&format!("The ogre hits you for {d}."));
        if self.hero == 0 {
            self.phase = Phase::Lost;
            said.push_str(" You are defeated...");
        }
        Ok(said)
    }
}

fn scene(b: &Battle) -> WidgetBuilder {
    let hero = if b.phase == Phase::Lost {
        "🪦"
    } else {
        "🧙"
    };
    let monster = if b.phase == Phase::Won {
        "💀"
    } else {
        "👹"
    };
    WidgetBuilder::canvas(320, 160)
        .set("background", "#2f4f4f")
        .push(
            "sprites",
            el::sprite("hero", hero, 70.0, 90.0).with("scale", 2),
        )
        .push(
            "sprites",
            el::sprite("monster", monster, 250.0, 90.0).with("scale", 2.5),
        )
}

fn bars(b: &Battle) -> Vec<El> {
    vec![
        el::bar("Hero HP", f64::from(b.hero), f64::from(HERO_HP)).with("color", "green"),
        el::bar("Ogre HP", f64::from(b.monster), f64::from(MONSTER_HP)).with("color", "crimson"),
    ]
}

fn buttons(b: &Battle) -> Vec<El> {
    let over = b.phase != Phase::Fighting;
    vec![
        el::button("Attack", "attack")
            .with("style", "primary")
            .with("disabled", over),
        el::button("Defend", "defend").with("disabled", over),
        el::button("Flee", "flee")
            .with("style", "danger")
            .with("disabled", over),
    ]
}

/// The whole battle; `player` (called `name`) is the hero.
pub fn widget(b: &Battle, player: i64, name: &str) -> WidgetBuilder {
    let mut hud = WidgetBuilder::hud().push("stats", el::stat("Turn", b.turn));
    for bar in bars(b) {
        hud = hud.push("bars", bar);
    }
    WidgetBuilder::composite("vertical")
        .child("scene", scene(b))
        .child("hud", hud)
        .child(
            "story",
            WidgetBuilder::dialog(&format!(
                "A wild ogre blocks the road, {name}. What do you do?"
            ))
            .set("speaker", serde_json::json!({"name": "Narrator"})),
        )
        .child(
            "actions",
            WidgetBuilder::interactive()
                .set("components", buttons(b))
                // The same moves from the keyboard while the battle has the
                // focus. On the buttons' child, not on the composite: the
                // server takes a composite's interactions only with a
                // `child` (crates/core/src/interact.rs).
                .set(
                    "keyboard",
                    serde_json::json!({"enabled": true, "bindings": {"a": "attack", "d": "defend", "f": "flee"}}),
                ),
        )
        .players(&[(player, name)])
}

/// One battle and its hero.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fight {
    /// The user who plays the hero.
    pub player: i64,
    pub battle: Battle,
}

impl GameState for Fight {
    const KIND: &'static str = "rpg";
}

/// The bot: one battle per message, kept with the message.
#[derive(Default)]
pub struct Rpg {
    pub battles: Games<Fight>,
}

impl GameBot for Rpg {
    fn name(&self) -> String {
        "rpg-bot".into()
    }
    fn commands(&self) -> Vec<String> {
        vec!["rpg".into()]
    }

    fn on_command(&mut self, ctx: &mut Ctx, cmd: &Command) -> BotResult<()> {
        let b = Battle::new(cmd.message_id as u64 * 40503 + 11);
        let name = ctx.user_name(cmd.user_id);
        let text = format!("An RPG battle: {name} against an ogre");
        let w = widget(&b, cmd.user_id, &name);
        let fight = Fight {
            player: cmd.user_id,
            battle: b,
        };
        self.battles.post(ctx, &cmd.topic, &text, &w, fight)?;
        Ok(())
    }

    fn on_interaction(&mut self, ctx: &mut Ctx, ev: &Interaction) -> BotResult<()> {
        let action = match &ev.action {
            Some(Action::ButtonClick { action }) | Some(Action::Keypress { action }) => action,
            _ => return Ok(()),
        };
        let Some(m) = Move::parse(action) else {
            return Ok(());
        };
        let id = ev.message_id;
        let Some(Fight { player, battle: b }) = self.battles.get(ctx, id)? else {
            return Ok(());
        };
        if ev.user_id != *player {
            return Ok(());
        }
        let Ok(said) = b.play(m) else {
            return Ok(());
        };
        let mut hud = UpdateBuilder::new().set_stat("Turn", b.turn);
        for bar in bars(b) {
            hud = hud.set_bar(bar);
        }
        let mut scene = UpdateBuilder::new();
        match b.phase {
            Phase::Won => {
                scene = scene.update_sprite(El::new().with("id", "monster").with("emoji", "💀"))
            }
            Phase::Lost => {
                scene = scene.update_sprite(El::new().with("id", "hero").with("emoji", "🪦"))
            }
            Phase::Fled => scene = scene.move_sprite("hero", 0.0, 90.0, 400),
            Phase::Fighting => {}
        }
        if m == Move::Attack {
            scene = scene.emphasize("monster", "shake");
        }
        let mut u = UpdateBuilder::new()
            .child("hud", hud)
            .child("story", UpdateBuilder::new().set_text(&said))
            .child("actions", UpdateBuilder::new().set_components(buttons(b)));
        if !scene.is_empty() {
            u = u.child("scene", scene);
        }
        let over = b.phase != Phase::Fighting;
        self.battles.update(ctx, id, &u)?;
        if over {
            self.battles.end(ctx, id);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attacking_always_beats_the_ogre() {
        for seed in 0..50 {
            let mut b = Battle::new(seed);
            while b.phase == Phase::Fighting {
                b.play(Move::Attack).expect("attack");
            }
            assert_eq!(b.phase, Phase::Won, "seed {seed}");
            assert!(b.hero > 0);
            assert_eq!(b.play(Move::Attack), Err(MoveError::Over));
        }
    }

    #[test]
    fn defending_halves_the_blow_and_heals() {
        let mut b = Battle::new(9);
        b.hero = 10;
        b.play(Move::Defend).expect("defend");
        // +2 healed, at most 4 / 2 = 2 taken.
        assert!(b.hero >= 10, "{}", b.hero);
        assert_eq!(b.monster, MONSTER_HP);
    }

    #[test]
    fn a_hero_can_lose_or_flee() {
        let mut b = Battle::new(3);
        b.hero = 1;
        while b.phase == Phase::Fighting {
            b.play(Move::Defend).expect("defend");
            b.hero = b.hero.min(1);
            if b.phase == Phase::Fighting {
                b.play(Move::Flee).expect("flee");
            }
        }
        assert!(matches!(b.phase, Phase::Lost | Phase::Fled));
        let mut fled = false;
        for seed in 0..20 {
            let mut b = Battle::new(seed);
            b.hero = 1000;
            while b.phase == Phase::Fighting {
                b.play(Move::Flee).expect("flee");
            }
            fled |= b.phase == Phase::Fled;
        }
        assert!(fled);
    }

    #[test]
    fn widgets_are_valid() {
        let mut b = Battle::new(1);
        let w = widget(&b, 4, "alice").build().expect("start");
        assert_eq!(w["extra_data"]["players"]["list"][0]["name"], "alice");
        let keys = &w["extra_data"]["widgets"][3]["keyboard"]["bindings"];
        for (k, action) in [("a", "attack"), ("d", "defend"), ("f", "flee")] {
            assert_eq!(keys[k], action);
            assert!(Move::parse(action).is_some());
        }
        b.phase = Phase::Won;
        widget(&b, 4, "alice").build().expect("end");
        assert!(Move::parse("dance").is_none());
    }
}
