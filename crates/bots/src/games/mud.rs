//! `/mud`: a small multi-user dungeon. Anyone in the topic types commands
//! into a shared terminal (`look`, `go north`, `take lamp`, `inventory`,
//! `help`); the first command puts them at the entrance. The map has fog of
//! war per player: each player's `explored` cells live in an explicit view
//! and grow with `reveal`; their own marker is `hidden_for_others`. Each
//! player's inventory is their own view of the bag.
//!
//! The [`World`] (where everyone is, what they carry and have seen) is
//! kept with its message ([`Games`]), so the dungeon survives a restart.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{el, uid, Action, BotResult, Command, Ctx, El, GameBot, Interaction, Names};
use crate::{GameState, Games, UpdateBuilder, WidgetBuilder};

pub const WIDTH: u32 = 4;
pub const HEIGHT: u32 = 3;
pub const START: (u32, u32) = (0, 1);
pub const BAG_SLOTS: u32 = 4;

/// Rooms by row: name and terrain.
const ROOMS: [[(&str, &str); WIDTH as usize]; HEIGHT as usize] = [
    [
        ("a mossy grove", "forest"),
        ("an old well", "grass"),
        ("a quiet chapel", "stone"),
        ("a watchtower", "stone"),
    ],
    [
        ("the village gate", "grass"),
        ("the market square", "grass"),
        ("a narrow alley", "stone"),
        ("the castle door", "stone"),
    ],
    [
        ("a muddy field", "grass"),
        ("a riverbank", "water"),
        ("a dark cave", "cave"),
        ("a dragon's lair", "cave"),
    ],
];

/// The items lying around at the start: where, icon, name.
const ITEMS: [((u32, u32), &str, &str); 4] = [
    ((1, 0), "🪔", "lamp"),
    ((1, 1), "🗝️", "key"),
    ((2, 2), "💎", "gem"),
    ((3, 0), "🗡️", "sword"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub icon: String,
    pub name: String,
}

impl Item {
    fn new(icon: &str, name: &str) -> Item {
        Item {
            icon: icon.to_owned(),
            name: name.to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Player {
    pub at: (u32, u32),
    pub bag: Vec<Item>,
    /// Cells seen, in order.
    pub explored: Vec<(u32, u32)>,
}

/// What one command did, for the widget.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// Lines for the terminal.
    pub lines: Vec<String>,
    /// The player has just arrived (their marker is new).
    pub joined: bool,
    /// They moved to this cell.
    pub moved: Option<(u32, u32)>,
    /// Cells they see for the first time.
    pub revealed: Vec<(u32, u32)>,
    /// An item went into this bag slot.
    pub took: Option<(u32, Item)>,
}

/// The rules, without any I/O.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct World {
    pub players: HashMap<i64, Player>,
    /// Stored as a list of `[cell, items]` pairs (JSON keys are strings).
    #[serde(with = "pairs")]
    pub items: HashMap<(u32, u32), Vec<Item>>,
    /// How players are shown (the bot learns each name on their first command).
    pub names: Names,
}

/// A map with keys JSON cannot use as object keys, as a list of pairs.
mod pairs {
    use std::collections::HashMap;
    use std::hash::Hash;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S, K, V>(m: &HashMap<K, V>, s: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        K: Serialize + Ord,
        V: Serialize,
    {
        // Sorted, so that the same world is always stored the same way.
        let mut pairs: Vec<(&K, &V)> = m.iter().collect();
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        s.collect_seq(pairs)
    }

    pub fn deserialize<'de, D, K, V>(d: D) -> Result<HashMap<K, V>, D::Error>
    where
        D: Deserializer<'de>,
        K: Deserialize<'de> + Eq + Hash,
        V: Deserialize<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(d)?.into_iter().collect())
    }
}

impl Default for World {
    fn default() -> Self {
        World::new()
    }
}

fn room(at: (u32, u32)) -> (&'static str, &'static str) {
    ROOMS[at.1 as usize][at.0 as usize]
}

fn dir(word: &str) -> Option<(i32, i32, &'static str)> {
    Some(match word {
        "n" | "north" => (0, -1, "north"),
        "s" | "south" => (0, 1, "south"),
        "e" | "east" => (1, 0, "east"),
        "w" | "west" => (-1, 0, "west"),
        _ => return None,
    })
}

impl World {
    pub fn new() -> World {
        let mut items: HashMap<(u32, u32), Vec<Item>> = HashMap::new();
        for (at, icon, name) in ITEMS {
            items.entry(at).or_default().push(Item::new(icon, name));
        }
        World {
            players: HashMap::new(),
            items,
            names: Names::default(),
        }
    }

    /// The cell and its neighbours: what a player sees from `at`.
    fn around(at: (u32, u32)) -> Vec<(u32, u32)> {
        let mut v = vec![at];
        for (dx, dy) in [(0, -1), (0, 1), (1, 0), (-1, 0)] {
            let (x, y) = (at.0 as i32 + dx, at.1 as i32 + dy);
            if x >= 0 && y >= 0 && (x as u32) < WIDTH && (y as u32) < HEIGHT {
                v.push((x as u32, y as u32));
            }
        }
        v
    }

    fn see(p: &mut Player, out: &mut Outcome) {
        for c in World::around(p.at) {
            if !p.explored.contains(&c) {
                p.explored.push(c);
                out.revealed.push(c);
            }
        }
    }

    fn describe(&self, at: (u32, u32)) -> String {
        let mut s = format!("You are at {}.", room(at).0);
        if let Some(items) = self.items.get(&at).filter(|i| !i.is_empty()) {
            let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
            s.push_str(&format!(" You see: {}.", names.join(", ")));
        }
        let exits: Vec<&str> = ["north", "south", "east", "west"]
            .into_iter()
            .filter(|d| {
                dir(d).is_some_and(|(dx, dy, _)| {
                    let (x, y) = (at.0 as i32 + dx, at.1 as i32 + dy);
                    x >= 0 && y >= 0 && (x as u32) < WIDTH && (y as u32) < HEIGHT
                })
            })
            .collect();
        s.push_str(&format!(" Exits: {}.", exits.join(", ")));
        s
    }

    /// `user` typed `text`.
    pub fn exec(&mut self, user: i64, text: &str) -> Outcome {
        let mut out = Outcome::default();
        if let Entry::Vacant(slot) = self.players.entry(user) {
            let mut p = Player {
                at: START,
                ..Player::default()
            };
            World::see(&mut p, &mut out);
            slot.insert(p);
            out.joined = true;
            out.lines
                .push(format!("{} enters the village.", self.names.get(user)));
        }
        let words: Vec<String> = text.split_whitespace().map(|w| w.to_lowercase()).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let at = self.players.get(&user).map(|p| p.at).unwrap_or(START);
        match words.as_slice() {
            [] | ["look"] | ["l"] => out.lines.push(self.describe(at)),
            ["help"] => out
                .lines
                .push("Commands: look, go north/south/east/west, take ITEM, inventory.".into()),
            ["go", d] | [d] if dir(d).is_some() => {
                let (dx, dy, name) = dir(d).unwrap_or((0, 0, ""));
                let (x, y) = (at.0 as i32 + dx, at.1 as i32 + dy);
                if x < 0 || y < 0 || x as u32 >= WIDTH || y as u32 >= HEIGHT {
                    out.lines.push("You can't go that way.".into());
                } else {
                    let to = (x as u32, y as u32);
                    if let Some(p) = self.players.get_mut(&user) {
                        p.at = to;
                        World::see(p, &mut out);
                    }
                    out.moved = Some(to);
                    out.lines.push(format!("You go {name}."));
                    out.lines.push(self.describe(to));
                }
            }
            ["take" | "get", what] => {
                let here = self.items.entry(at).or_default();
                match here.iter().position(|i| i.name == *what) {
                    None => out.lines.push(format!("There is no {what} here.")),
                    Some(i) => {
                        let full = self
                            .players
                            .get(&user)
                            .is_none_or(|p| p.bag.len() as u32 >= BAG_SLOTS);
                        if full {
                            out.lines.push("Your bag is full.".into());
                        } else {
                            let item = here.remove(i);
                            if let Some(p) = self.players.get_mut(&user) {
                                out.took = Some((p.bag.len() as u32, item.clone()));
                                p.bag.push(item.clone());
                            }
                            out.lines.push(format!("You take the {}.", item.name));
                        }
                    }
                }
            }
            ["inventory" | "inv" | "i"] => {
                let bag: Vec<&str> = self
                    .players
                    .get(&user)
                    .map(|p| p.bag.iter().map(|i| i.name.as_str()).collect())
                    .unwrap_or_default();
                out.lines.push(if bag.is_empty() {
                    "You carry nothing.".into()
                } else {
                    format!("You carry: {}.", bag.join(", "))
                });
            }
            _ => out.lines.push("I don't understand that. Type help.".into()),
        }
        out
    }
}

fn marker_id(user: i64) -> String {
    format!("p{user}")
}

fn terrain_styles() -> serde_json::Value {
    json!({
        "forest": {"bg": "#228b22", "content": "🌲"},
        "grass": {"bg": "#9acd32"},
        "stone": {"bg": "#a9a9a9"},
        "water": {"bg": "#4682b4", "content": "🌊"},
        "cave": {"bg": "#4b3621", "content": "🕳️"},
    })
}

/// The dungeon when it opens.
pub fn widget(w: &World) -> WidgetBuilder {
    let mut map = WidgetBuilder::map(WIDTH, HEIGHT)
        .set("viewport", json!({"width": WIDTH, "height": HEIGHT}))
        .set("center", el::point(1, 1))
        .set("terrain_styles", terrain_styles())
        .set("fog_of_war", true)
        .default_view("explored", Vec::<El>::new());
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            map = map.push("tiles", el::tile(x, y, room((x, y)).1));
        }
    }
    for (u, p) in &w.players {
        map = map
            .push("markers", player_marker(*u, &w.names.get(*u), p.at))
            .view(
                u,
                "explored",
                p.explored
                    .iter()
                    .map(|(x, y)| el::point(*x, *y))
                    .collect::<Vec<_>>(),
            );
    }
    let bag = WidgetBuilder::inventory(1, BAG_SLOTS)
        .set("show_tooltips", true)
        .default_view("items", Vec::<El>::new());
    WidgetBuilder::composite("vertical")
        .child(
            "term",
            WidgetBuilder::terminal()
                .set("max_lines", 200)
                .set(
                    "input",
                    json!({"enabled": true, "placeholder": "look, go north, take lamp, inventory"}),
                )
                .push(
                    "lines",
                    el::line("Welcome to the village. Type help.").with("bold", true),
                ),
        )
        .child("map", map)
        .child("bag", bag)
}

fn player_marker(user: i64, name: &str, at: (u32, u32)) -> El {
    el::marker(&marker_id(user), at.0, at.1, "🧝")
        .with("label", name)
        .owner(user)
        .with("hidden_for_others", true)
}

/// The update for `user`'s command in world `w` (after it ran).
pub fn update(w: &World, user: i64, text: &str, out: &Outcome) -> UpdateBuilder {
    let name = w.names.get(user);
    let mut term = UpdateBuilder::new()
        .append_line(el::line(&format!("{name}> {text}")).with("color", "gray"));
    for l in &out.lines {
        term = term.append_line(el::line(l));
    }
    let mut map = UpdateBuilder::new();
    if out.joined {
        map = map.push("add_markers", player_marker(user, &name, START));
    }
    if let Some((x, y)) = out.moved {
        map = map.move_marker(&marker_id(user), x, y);
    }
    if !out.revealed.is_empty() {
        let mut r = UpdateBuilder::new();
        for (x, y) in &out.revealed {
            r = r.reveal(*x, *y);
        }
        map = map.view(uid(user), r);
    }
    let mut u = UpdateBuilder::new().child("term", term);
    if !map.is_empty() {
        u = u.child("map", map);
    }
    if let Some((slot, item)) = &out.took {
        let bag = UpdateBuilder::new().set_item(el::item(*slot, &item.icon, &item.name));
        u = u.child("bag", UpdateBuilder::new().view(uid(user), bag));
    }
    u
}

impl GameState for World {
    const KIND: &'static str = "mud";
}

/// The bot: one world per message, kept with the message.
#[derive(Default)]
pub struct Mud {
    pub worlds: Games<World>,
}

impl GameBot for Mud {
    fn name(&self) -> String {
        "mud-bot".into()
    }
    fn commands(&self) -> Vec<String> {
        vec!["mud".into()]
    }

    fn on_command(&mut self, ctx: &mut Ctx, cmd: &Command) -> BotResult<()> {
        let w = World::new();
        let widget = widget(&w);
        self.worlds.post(
            ctx,
            &cmd.topic,
            "A small MUD: type in the terminal",
            &widget,
            w,
        )?;
        Ok(())
    }

    fn on_interaction(&mut self, ctx: &mut Ctx, ev: &Interaction) -> BotResult<()> {
        let Some(Action::TerminalInput { text }) = &ev.action else {
            return Ok(());
        };
        let id = ev.message_id;
        let Some(w) = self.worlds.get(ctx, id)? else {
            return Ok(());
        };
        let text: String = text.trim().chars().take(200).collect();
        w.names.learn(ctx, ev.user_id);
        let out = w.exec(ev.user_id, &text);
        let u = update(w, ev.user_id, &text, &out);
        self.worlds.update(ctx, id, &u)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walking_reveals_the_map_per_player() {
        let mut w = World::new();
        let out = w.exec(1, "look");
        assert!(out.joined);
        assert!(out.lines[1].contains("village gate"), "{:?}", out.lines);
        assert_eq!(out.revealed.len(), 4); // gate, north, south, east
        let out = w.exec(1, "go west");
        assert_eq!(out.lines, vec!["You can't go that way.".to_owned()]);
        assert!(out.moved.is_none());
        let out = w.exec(1, "go east");
        assert_eq!(out.moved, Some((1, 1)));
        assert_eq!(out.revealed, vec![(1, 0), (1, 2), (2, 1)]);
        let out = w.exec(1, "n");
        assert_eq!(out.moved, Some((1, 0)));
        // Another player explores on their own.
        let out = w.exec(2, "look");
        assert!(out.joined);
        assert_eq!(w.players[&2].explored.len(), 4);
        assert_eq!(w.players[&1].explored.len(), 8);
    }

    #[test]
    fn items_are_taken_once() {
        let mut w = World::new();
        w.exec(1, "east");
        let out = w.exec(1, "take key");
        assert_eq!(out.took.as_ref().map(|t| t.0), Some(0));
        let out = w.exec(2, "east");
        assert!(!out.lines.iter().any(|l| l.contains("key")), "{out:?}");
        let out = w.exec(2, "take key");
        assert_eq!(out.lines, vec!["There is no key here.".to_owned()]);
        assert!(w.exec(1, "inventory").lines[0].contains("key"));
        assert!(w.exec(2, "i").lines[0].contains("nothing"));
        assert!(w.exec(2, "dance").lines[0].contains("help"));
    }

    #[test]
    fn a_world_survives_its_stored_form() {
        let mut w = World::new();
        w.names.set(1, "alice");
        w.exec(1, "east");
        w.exec(1, "take key");
        w.exec(2, "south");
        let stored = serde_json::to_value(&w).expect("store");
        assert!(stored["items"].is_array(), "{stored}");
        let back: World = serde_json::from_value(stored).expect("load");
        assert_eq!(back, w);
    }

    #[test]
    fn widgets_and_updates_are_valid() {
        let mut w = World::new();
        let mut widget_now = widget(&w).build().expect("widget");
        w.names.set(7, "alice");
        let out = w.exec(7, "east");
        assert_eq!(out.lines[0], "alice enters the village.");
        let u = update(&w, 7, "east", &out);
        let text = u.to_value().to_string();
        assert!(text.contains("alice> east"), "{text}");
        assert!(text.contains(r#""label":"alice""#), "{text}");
        let parsed =
            tulip_core::parse_widget_value(widget_now.clone(), &Default::default()).expect("parse");
        u.check(&parsed).expect("update");
        let out = w.exec(7, "take key");
        let _ = update(&w, 7, "take key", &out);
        widget_now = widget(&w).build().expect("widget with players");
        assert!(widget_now.to_string().contains("p7"));
        assert!(widget_now.to_string().contains(r#""label":"alice""#));
        // Someone the bot could not name yet.
        assert_eq!(w.exec(8, "look").lines[0], "user 8 enters the village.");
    }
}
