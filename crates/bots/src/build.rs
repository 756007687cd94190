//! Typed builders for widgets, their elements and update operations.
//!
//! The builders are thin: they assemble the wire JSON of PROTOCOL.md
//! (field names as the contract spells them), and every value you pass may
//! be a `tulip_core::model` struct, an [`El`] or any `Serialize`. Nothing is
//! trusted: [`WidgetBuilder::build`] runs `tulip_core::parse_widget_value`,
//! and [`crate::Ctx::update`] runs `parse_update` and `apply_update` on the
//! current widget, so a bad build fails with the path of the bad field
//! before anything is sent.

use serde::Serialize;
use serde_json::{json, Map, Value};
use tulip_core::model::Kind;
use tulip_core::{Policy, Widget};

use crate::{BotError, BotResult};

fn to_value(v: impl Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Turns an `i64` user id into the JSON the contract expects.
fn user_key(u: impl ToString) -> String {
    u.to_string()
}

// ---------------------------------------------------------------------------
// Elements

/// One element of a widget (a cell, a card, a sprite, a button...): a JSON
/// object with chainable setters.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct El(pub Map<String, Value>);

impl El {
    pub fn new() -> El {
        El(Map::new())
    }
    /// Sets any field.
    pub fn with(mut self, key: &str, value: impl Serialize) -> El {
        self.0.insert(key.to_owned(), to_value(value));
        self
    }
    /// `owner`: the user this element belongs to.
    pub fn owner(self, user: i64) -> El {
        self.with("owner", user)
    }
    /// `owner` + `hidden_for_others: true`: only `user` (and the bot) sees it.
    pub fn secret_for(self, user: i64) -> El {
        self.owner(user).with("hidden_for_others", true)
    }
    /// `animate: {duration, easing?, effect?}`.
    pub fn animate(self, duration_ms: u32, effect: Option<&str>) -> El {
        let mut a = json!({"duration": duration_ms});
        if let Some(e) = effect {
            a["effect"] = json!(e);
        }
        self.with("animate", a)
    }
    pub fn to_value(&self) -> Value {
        Value::Object(self.0.clone())
    }
}

/// Element constructors, one per element kind of the contract.
pub mod el {
    use super::El;
    use serde_json::json;

    /// A grid cell.
    pub fn cell(x: u32, y: u32) -> El {
        El::new().with("x", x).with("y", y)
    }
    /// A grid cell showing `content`.
    pub fn cell_text(x: u32, y: u32, content: &str) -> El {
        cell(x, y).with("content", content)
    }
    /// `{x, y}` (clear_cells, reveal, set_center).
    pub fn point(x: u32, y: u32) -> El {
        El::new().with("x", x).with("y", y)
    }
    /// A canvas sprite drawn as an emoji.
    pub fn sprite(id: &str, emoji: &str, x: f64, y: f64) -> El {
        El::new()
            .with("id", id)
            .with("emoji", emoji)
            .with("x", x)
            .with("y", y)
    }
    /// A face-up card.
    pub fn card(id: &str, face: &str) -> El {
        El::new().with("id", id).with("face", face)
    }
    /// A face-down card (no face at all).
    pub fn card_back(id: &str) -> El {
        El::new().with("id", id).with("facedown", true)
    }
    /// A HUD bar.
    pub fn bar(label: &str, current: f64, max: f64) -> El {
        El::new()
            .with("label", label)
            .with("current", current)
            .with("max", max)
    }
    /// A HUD stat (number or text).
    pub fn stat(label: &str, value: impl serde::Serialize) -> El {
        El::new().with("label", label).with("value", value)
    }
    /// A dialog choice.
    pub fn choice(id: &str, text: &str) -> El {
        El::new().with("id", id).with("text", text)
    }
    /// A terminal line.
    pub fn line(text: &str) -> El {
        El::new().with("text", text)
    }
    /// A leaderboard entry.
    pub fn entry(rank: u32, name: &str, score: f64) -> El {
        El::new()
            .with("rank", rank)
            .with("name", name)
            .with("score", score)
    }
    /// An inventory item.
    pub fn item(slot: u32, icon: &str, name: &str) -> El {
        El::new()
            .with("slot", slot)
            .with("icon", icon)
            .with("name", name)
    }
    /// A map tile.
    pub fn tile(x: u32, y: u32, terrain: &str) -> El {
        El::new().with("x", x).with("y", y).with("terrain", terrain)
    }
    /// A map marker.
    pub fn marker(id: &str, x: u32, y: u32, icon: &str) -> El {
        El::new()
            .with("id", id)
            .with("x", x)
            .with("y", y)
            .with("icon", icon)
    }
    /// A button of an `interactive` widget.
    pub fn button(label: &str, action: &str) -> El {
        El::new()
            .with("type", "button")
            .with("label", label)
            .with("action", action)
    }
    /// A lobby player.
    pub fn lobby_player(id: i64, name: &str, ready: bool) -> El {
        El::new()
            .with("id", id)
            .with("name", name)
            .with("ready", ready)
    }
    /// A player of the common `players` list.
    pub fn player(id: i64, name: &str) -> El {
        El::new().with("id", id).with("name", name)
    }
    /// A lobby setting with its allowed values.
    pub fn setting(label: &str, value: impl serde::Serialize, options: &[serde_json::Value]) -> El {
        El::new()
            .with("label", label)
            .with("value", value)
            .with("options", json!(options))
    }
}

// ---------------------------------------------------------------------------
// Widgets

/// A widget under construction: its kind and its `extra_data`.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetBuilder {
    kind: Kind,
    data: Map<String, Value>,
}

impl WidgetBuilder {
    /// An empty widget of `kind`.
    pub fn new(kind: Kind) -> WidgetBuilder {
        WidgetBuilder {
            kind,
            data: Map::new(),
        }
    }
    /// `grid` of `width` x `height` cells.
    pub fn grid(width: u32, height: u32) -> WidgetBuilder {
        Self::new(Kind::Grid)
            .set("width", width)
            .set("height", height)
    }
    /// `canvas` of `width` x `height` px.
    pub fn canvas(width: u32, height: u32) -> WidgetBuilder {
        Self::new(Kind::Canvas)
            .set("width", width)
            .set("height", height)
    }
    /// `cards` with `layout` (hand, pile, grid, fan).
    pub fn cards(layout: &str) -> WidgetBuilder {
        Self::new(Kind::Cards).set("layout", layout)
    }
    pub fn hud() -> WidgetBuilder {
        Self::new(Kind::Hud)
    }
    pub fn dialog(text: &str) -> WidgetBuilder {
        Self::new(Kind::Dialog).set("text", text)
    }
    pub fn terminal() -> WidgetBuilder {
        Self::new(Kind::Terminal)
    }
    pub fn leaderboard(title: &str) -> WidgetBuilder {
        Self::new(Kind::Leaderboard).set("title", title)
    }
    pub fn inventory(rows: u32, cols: u32) -> WidgetBuilder {
        Self::new(Kind::Inventory)
            .set("rows", rows)
            .set("cols", cols)
    }
    /// `map` of a `width` x `height` world.
    pub fn map(width: u32, height: u32) -> WidgetBuilder {
        Self::new(Kind::Map)
            .set("width", width)
            .set("height", height)
    }
    pub fn lobby(game: &str) -> WidgetBuilder {
        Self::new(Kind::Lobby).set("game", game)
    }
    /// `interactive` (buttons).
    pub fn interactive() -> WidgetBuilder {
        Self::new(Kind::Interactive)
    }
    /// `composite` with `layout` (vertical, horizontal, overlay).
    pub fn composite(layout: &str) -> WidgetBuilder {
        Self::new(Kind::Composite).set("layout", layout)
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Sets any field of `extra_data`.
    pub fn set(mut self, key: &str, value: impl Serialize) -> WidgetBuilder {
        self.data.insert(key.to_owned(), to_value(value));
        self
    }
    /// Appends to a list field of `extra_data` (`cells`, `cards`, `sprites`...).
    pub fn push(mut self, key: &str, value: impl Serialize) -> WidgetBuilder {
        let v = to_value(value);
        match self.data.get_mut(key) {
            Some(Value::Array(a)) => a.push(v),
            _ => {
                self.data.insert(key.to_owned(), Value::Array(vec![v]));
            }
        }
        self
    }
    /// Appends every element of `values` to a list field.
    pub fn extend<T: Serialize>(
        mut self,
        key: &str,
        values: impl IntoIterator<Item = T>,
    ) -> WidgetBuilder {
        for v in values {
            self = self.push(key, v);
        }
        self
    }
    /// A field as it stands.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.data.get(key)
    }

    // Common fields --------------------------------------------------------

    /// A server-owned countdown: `on_expire` comes back as a timer event.
    pub fn timer(self, seconds: f64, on_expire: &str) -> WidgetBuilder {
        self.set(
            "timer",
            json!({"seconds": seconds, "on_expire": on_expire, "style": "bar"}),
        )
    }
    /// A turn (see [`crate::Turns`]).
    pub fn turn(self, turn: Value) -> WidgetBuilder {
        self.set("turn", turn)
    }
    /// `players: {list: [{id, name}]}`: everyone else is a spectator.
    pub fn players(self, list: &[(i64, &str)]) -> WidgetBuilder {
        let list: Vec<El> = list
            .iter()
            .map(|(id, name)| crate::el::player(*id, name))
            .collect();
        self.set("players", json!({ "list": list }))
    }
    /// `interaction_rules: {default: rule}`.
    pub fn rules(self, default: &str) -> WidgetBuilder {
        self.set("interaction_rules", json!({ "default": default }))
    }
    /// Client-side prediction of grid clicks: the cell shows `value`
    /// (pending) until the bot's update arrives.
    pub fn predict_cell(self, value: &str) -> WidgetBuilder {
        self.set(
            "prediction",
            json!({"enabled": true, "cell_click": {"action": "set_content", "value": value, "style": "pending"}}),
        )
    }
    /// Adds a sound `name` at `url`.
    pub fn sound(mut self, name: &str, url: &str) -> WidgetBuilder {
        let sounds = self
            .data
            .entry("sounds")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(m) = sounds {
            m.insert(name.to_owned(), json!(url));
        }
        self
    }
    /// Key `key` (a `KeyboardEvent.key` name) sends `keypress {action}`.
    pub fn key(mut self, key: &str, action: &str) -> WidgetBuilder {
        let kb = self
            .data
            .entry("keyboard")
            .or_insert_with(|| json!({"enabled": true, "bindings": {}}));
        if let Some(Value::Object(b)) = kb.get_mut("bindings") {
            b.insert(key.to_owned(), json!(action));
        }
        self
    }
    /// User `user` sees `key` as `value` instead of the base field.
    pub fn view(self, user: impl ToString, key: &str, value: impl Serialize) -> WidgetBuilder {
        self.view_field(user_key(user), key, value)
    }
    /// Users without a view of their own see `key` as `value`.
    pub fn default_view(self, key: &str, value: impl Serialize) -> WidgetBuilder {
        self.view_field("default".into(), key, value)
    }
    fn view_field(mut self, who: String, key: &str, value: impl Serialize) -> WidgetBuilder {
        let views = self
            .data
            .entry("views")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(vs) = views {
            let v = vs.entry(who).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(f) = v {
                f.insert(key.to_owned(), to_value(value));
            }
        }
        self
    }
    /// Adds a child to a composite: `child` becomes `{id, type, ...}`.
    pub fn child(self, id: &str, child: WidgetBuilder) -> WidgetBuilder {
        self.push("widgets", child.as_child(id))
    }
    /// This widget as a composite child `{id, type, ...fields}`.
    pub fn as_child(&self, id: &str) -> Value {
        let mut m = self.data.clone();
        m.insert("id".into(), json!(id));
        m.insert("type".into(), json!(self.kind.as_str()));
        Value::Object(m)
    }

    /// The wire JSON `{"widget_type", "extra_data"}`, unchecked.
    pub fn to_value(&self) -> Value {
        json!({"widget_type": self.kind.as_str(), "extra_data": Value::Object(self.data.clone())})
    }

    /// Checks the widget with `tulip-core` and returns its wire JSON.
    pub fn build(&self) -> BotResult<Value> {
        self.checked(&Policy::default()).map(|(v, _)| v)
    }

    pub(crate) fn checked(&self, policy: &Policy) -> BotResult<(Value, Widget)> {
        let v = self.to_value();
        let w = tulip_core::parse_widget_value(v.clone(), policy)
            .map_err(|e| BotError::invalid("widget", &e))?;
        Ok((v, w))
    }
}

// ---------------------------------------------------------------------------
// Updates

/// An update under construction: a JSON object of operations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateBuilder {
    ops: Map<String, Value>,
}

impl UpdateBuilder {
    pub fn new() -> UpdateBuilder {
        UpdateBuilder::default()
    }
    /// Any operation by name.
    pub fn op(mut self, name: &str, value: impl Serialize) -> UpdateBuilder {
        self.ops.insert(name.to_owned(), to_value(value));
        self
    }
    /// Appends to a list operation (`set_cells`, `add_sprites`...).
    pub fn push(mut self, name: &str, value: impl Serialize) -> UpdateBuilder {
        let v = to_value(value);
        match self.ops.get_mut(name) {
            Some(Value::Array(a)) => a.push(v),
            _ => {
                self.ops.insert(name.to_owned(), Value::Array(vec![v]));
            }
        }
        self
    }
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    // grid
    pub fn set_cell(self, cell: El) -> UpdateBuilder {
        self.push("set_cells", cell)
    }
    pub fn clear_cell(self, x: u32, y: u32) -> UpdateBuilder {
        self.push("clear_cells", crate::el::point(x, y))
    }
    pub fn set_default_bg(self, color: &str) -> UpdateBuilder {
        self.op("set_default_bg", color)
    }
    // canvas
    pub fn add_sprite(self, sprite: El) -> UpdateBuilder {
        self.push("add_sprites", sprite)
    }
    pub fn remove_sprites(self, ids: &[&str]) -> UpdateBuilder {
        self.op("remove_sprites", ids)
    }
    /// `remove_sprites: {ids, animate: {effect, duration}}` (fade, scale,
    /// instant).
    pub fn remove_sprites_animated(self, ids: &[&str], effect: &str, ms: u32) -> UpdateBuilder {
        self.op(
            "remove_sprites",
            json!({"ids": ids, "animate": {"effect": effect, "duration": ms}}),
        )
    }
    pub fn move_sprite(self, id: &str, x: f64, y: f64, duration_ms: u32) -> UpdateBuilder {
        self.push(
            "move_sprite",
            json!({"id": id, "x": x, "y": y, "animate": {"duration": duration_ms}}),
        )
    }
    /// `move_sprite` with an easing (`linear`, `ease-in-out`...).
    pub fn move_sprite_eased(
        self,
        id: &str,
        x: f64,
        y: f64,
        duration_ms: u32,
        easing: &str,
    ) -> UpdateBuilder {
        self.push(
            "move_sprite",
            json!({"id": id, "x": x, "y": y, "animate": {"duration": duration_ms, "easing": easing}}),
        )
    }
    pub fn update_sprite(self, patch: El) -> UpdateBuilder {
        self.push("update_sprite", patch)
    }
    // cards
    pub fn add_card(self, card: El) -> UpdateBuilder {
        self.push("add_cards", card)
    }
    pub fn remove_cards(self, ids: &[&str]) -> UpdateBuilder {
        self.op("remove_cards", ids)
    }
    pub fn update_card(self, patch: El) -> UpdateBuilder {
        self.push("update_card", patch)
    }
    /// `reorder`: every card id, in the new order.
    pub fn reorder(self, ids: &[&str]) -> UpdateBuilder {
        self.op("reorder", ids)
    }
    // hud
    pub fn set_bar(self, bar: El) -> UpdateBuilder {
        self.push("set_bar", bar)
    }
    pub fn set_stat(self, label: &str, value: impl Serialize) -> UpdateBuilder {
        self.push("set_stat", crate::el::stat(label, value))
    }
    // dialog
    pub fn set_text(self, text: &str) -> UpdateBuilder {
        self.op("set_text", text)
    }
    pub fn set_choices(self, choices: Vec<El>) -> UpdateBuilder {
        self.op("set_choices", choices)
    }
    /// `set_speaker: {name, portrait?, mood?}`.
    pub fn set_speaker(self, speaker: El) -> UpdateBuilder {
        self.op("set_speaker", speaker)
    }
    // terminal
    pub fn append_line(self, line: El) -> UpdateBuilder {
        self.push("append_lines", line)
    }
    /// `clear: true`: empties the terminal (before any `append_lines`).
    pub fn clear_terminal(self) -> UpdateBuilder {
        self.op("clear", true)
    }
    // leaderboard
    pub fn set_entries(self, entries: Vec<El>) -> UpdateBuilder {
        self.op("set_entries", entries)
    }
    pub fn set_page(self, page: u32) -> UpdateBuilder {
        self.op("set_page", page)
    }
    // inventory
    pub fn set_item(self, item: El) -> UpdateBuilder {
        self.push("set_items", item)
    }
    pub fn clear_slot(self, slot: u32) -> UpdateBuilder {
        self.push("clear_slots", slot)
    }
    // map
    pub fn set_tile(self, tile: El) -> UpdateBuilder {
        self.push("set_tiles", tile)
    }
    pub fn add_marker(self, marker: El) -> UpdateBuilder {
        self.push("add_markers", marker)
    }
    pub fn remove_markers(self, ids: &[&str]) -> UpdateBuilder {
        self.op("remove_markers", ids)
    }
    pub fn move_marker(self, id: &str, x: u32, y: u32) -> UpdateBuilder {
        self.push("move_marker", json!({"id": id, "x": x, "y": y}))
    }
    pub fn set_center(self, x: u32, y: u32) -> UpdateBuilder {
        self.op("set_center", crate::el::point(x, y))
    }
    pub fn reveal(self, x: u32, y: u32) -> UpdateBuilder {
        self.push("reveal", crate::el::point(x, y))
    }
    // lobby
    pub fn set_players(self, players: Vec<El>) -> UpdateBuilder {
        self.op("set_players", players)
    }
    pub fn set_status(self, status: &str) -> UpdateBuilder {
        self.op("set_status", status)
    }
    pub fn set_settings(self, settings: Value) -> UpdateBuilder {
        self.op("set_settings", settings)
    }
    // interactive
    pub fn set_components(self, buttons: Vec<El>) -> UpdateBuilder {
        self.op("set_components", buttons)
    }
    // any kind
    /// Starts (or restarts) the widget's timer.
    pub fn set_timer(self, seconds: f64, on_expire: &str) -> UpdateBuilder {
        self.op(
            "set_timer",
            json!({"seconds": seconds, "on_expire": on_expire, "style": "bar"}),
        )
    }
    /// Cancels the widget's timer.
    pub fn cancel_timer(self) -> UpdateBuilder {
        self.op("set_timer", json!({"seconds": 0}))
    }
    pub fn set_turn(self, turn: Value) -> UpdateBuilder {
        self.op("set_turn", turn)
    }
    pub fn play_sound(self, name: &str) -> UpdateBuilder {
        self.op("play_sound", name)
    }
    /// `emphasize: [{target, effect, duration}]` (shake, pulse, glow).
    pub fn emphasize(self, target: &str, effect: &str) -> UpdateBuilder {
        self.push(
            "emphasize",
            json!({"target": target, "effect": effect, "duration": 600}),
        )
    }
    /// Operations applied to what `user` sees (their explicit view).
    pub fn view(self, user: impl ToString, ops: UpdateBuilder) -> UpdateBuilder {
        self.nested("views", user_key(user), ops)
    }
    /// Operations on the `default` view.
    pub fn default_view(self, ops: UpdateBuilder) -> UpdateBuilder {
        self.nested("views", "default".into(), ops)
    }
    /// Operations on a composite's child.
    pub fn child(self, id: &str, ops: UpdateBuilder) -> UpdateBuilder {
        self.nested("children", id.to_owned(), ops)
    }
    fn nested(mut self, field: &str, key: String, ops: UpdateBuilder) -> UpdateBuilder {
        let m = self
            .ops
            .entry(field)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(m) = m {
            m.insert(key, ops.to_value());
        }
        self
    }

    /// The wire JSON of the update, unchecked (the context checks it
    /// against the widget before sending).
    pub fn to_value(&self) -> Value {
        Value::Object(self.ops.clone())
    }

    /// Checks the update against `widget` and returns the widget it leaves.
    pub fn check(&self, widget: &Widget) -> BotResult<Widget> {
        let policy = Policy::default();
        let u = tulip_core::parse_update(&widget.body, self.to_value())
            .map_err(|e| BotError::invalid("update", &e))?;
        tulip_core::apply_update(widget, &u, &policy).map_err(|e| BotError::invalid("update", &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::el;

    #[test]
    fn a_valid_grid_builds() {
        let w = WidgetBuilder::grid(3, 3)
            .set("on_cell_click", true)
            .push("cells", el::cell_text(1, 1, "X").with("bg", "#fff"));
        let v = w.build().expect("valid");
        assert_eq!(v["widget_type"], "grid");
    }

    #[test]
    fn a_bad_colour_is_caught_with_its_path() {
        let w = WidgetBuilder::grid(3, 3)
            .push("cells", el::cell(0, 0))
            .push("cells", el::cell(1, 0).with("bg", "javascript:alert(1)"));
        match w.build() {
            Err(BotError::Invalid { path, .. }) => assert_eq!(path, "extra_data.cells[1].bg"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_bad_update_is_caught_with_its_path() {
        let (_, w) = WidgetBuilder::grid(3, 3)
            .checked(&Policy::default())
            .expect("valid");
        let ok = UpdateBuilder::new().set_cell(el::cell_text(2, 2, "O"));
        assert!(ok.check(&w).is_ok());
        let bad = UpdateBuilder::new().set_cell(el::cell_text(5, 2, "O"));
        match bad.check(&w) {
            Err(BotError::Invalid { path, .. }) => assert!(path.contains("set_cells[0]"), "{path}"),
            other => panic!("{other:?}"),
        }
        let wrong_kind = UpdateBuilder::new().add_card(el::card("a", "A♠"));
        assert!(wrong_kind.check(&w).is_err());
    }

    /// Every operation the builder names, on a widget of its kind: each
    /// validates, and the widget it leaves is what the operation says.
    #[test]
    fn every_operation_of_every_kind_validates() {
        let parse = |b: WidgetBuilder| b.checked(&Policy::default()).expect("widget").1;
        let sound = "data:audio/wav;base64,UklGRg==";
        let cases: Vec<(WidgetBuilder, UpdateBuilder)> = vec![
            (
                WidgetBuilder::grid(3, 3).push("cells", el::cell_text(0, 0, "A")),
                UpdateBuilder::new()
                    .set_cell(el::cell_text(1, 1, "B"))
                    .clear_cell(0, 0)
                    .set_default_bg("#eee"),
            ),
            (
                WidgetBuilder::canvas(100, 100)
                    .push("sprites", el::sprite("a", "🐹", 1.0, 1.0))
                    .push("sprites", el::sprite("b", "🐹", 2.0, 2.0))
                    .push("sprites", el::sprite("c", "🐹", 3.0, 3.0)),
                UpdateBuilder::new()
                    .add_sprite(el::sprite("d", "🕳️", 5.0, 5.0))
                    .remove_sprites_animated(&["a"], "fade", 200)
                    .move_sprite("b", 9.0, 9.0, 300)
                    .update_sprite(El::new().with("id", "c").with("emoji", "💥")),
            ),
            (
                WidgetBuilder::canvas(100, 100)
                    .push("sprites", el::sprite("b", "🐹", 2.0, 2.0))
                    .push("sprites", el::sprite("x", "🐹", 1.0, 1.0)),
                UpdateBuilder::new()
                    .move_sprite_eased("b", 4.0, 4.0, 300, "ease-in-out")
                    .remove_sprites(&["x"]),
            ),
            (
                WidgetBuilder::cards("hand")
                    .push("cards", el::card("a", "A♠"))
                    .push("cards", el::card_back("b")),
                UpdateBuilder::new()
                    .add_card(el::card("c", "K♥"))
                    .update_card(El::new().with("id", "b").with("facedown", false).with("face", "Q♦"))
                    .reorder(&["c", "b", "a"]),
            ),
            (
                WidgetBuilder::cards("pile").push("cards", el::card("a", "A♠")),
                UpdateBuilder::new().remove_cards(&["a"]),
            ),
            (
                WidgetBuilder::hud(),
                UpdateBuilder::new()
                    .set_bar(el::bar("HP", 3.0, 10.0).with("color", "red"))
                    .set_stat("Gold", 5),
            ),
            (
                WidgetBuilder::dialog("Hello"),
                UpdateBuilder::new()
                    .set_text("Bye")
                    .set_choices(vec![el::choice("ok", "OK")])
                    .set_speaker(El::new().with("name", "Owl").with("mood", "happy")),
            ),
            (
                WidgetBuilder::terminal().push("lines", el::line("old")),
                UpdateBuilder::new()
                    .clear_terminal()
                    .append_line(el::line("new").with("bold", true)),
            ),
            (
                WidgetBuilder::leaderboard("Top")
                    .set("total_pages", 3)
                    .set("on_page_change", true),
                UpdateBuilder::new()
                    .set_entries(vec![el::entry(1, "alice", 9.0).with("highlight", true)])
                    .set_page(2),
            ),
            (
                WidgetBuilder::inventory(2, 2).push("items", el::item(0, "🗝️", "key")),
                UpdateBuilder::new()
                    .set_item(el::item(1, "💎", "gem").with("count", 2).with("rarity", "rare"))
                    .clear_slot(0),
            ),
            (
                WidgetBuilder::map(8, 8)
                    .set("fog_of_war", true)
                    .push("tiles", el::tile(0, 0, "grass"))
                    .push("markers", el::marker("m", 0, 0, "🧝"))
                    .push("markers", el::marker("n", 1, 1, "🐉")),
                UpdateBuilder::new()
                    .set_tile(el::tile(1, 0, "water"))
                    .add_marker(el::marker("o", 2, 2, "💎").with("label", "gem"))
                    .remove_markers(&["n"])
                    .move_marker("m", 3, 3)
                    .set_center(3, 3)
                    .reveal(3, 3),
            ),
            (
                WidgetBuilder::lobby("tictactoe")
                    .set("host", 1)
                    .push("players", el::lobby_player(1, "alice", false))
                    .set("settings", json!({"first": el::setting("First", "host", &[json!("host"), json!("guest")])})),
                UpdateBuilder::new()
                    .set_players(vec![el::lobby_player(1, "alice", true)])
                    .set_status("starting")
                    .set_settings(json!({"first": el::setting("First", "guest", &[json!("host"), json!("guest")])})),
            ),
            (
                WidgetBuilder::interactive().push("components", el::button("Go", "go")),
                UpdateBuilder::new()
                    .set_components(vec![el::button("Stop", "stop").with("style", "danger")]),
            ),
            (
                WidgetBuilder::composite("vertical")
                    .child("h", WidgetBuilder::hud())
                    .sound("ding", sound),
                UpdateBuilder::new()
                    .child("h", UpdateBuilder::new().set_stat("n", 1))
                    .set_timer(10.0, "end")
                    .set_turn(json!({"current_player": 1, "enforce": true}))
                    .play_sound("ding")
                    .emphasize("h", "pulse"),
            ),
            (
                WidgetBuilder::grid(2, 2).set("cells", Vec::<El>::new()).view(
                    7,
                    "cells",
                    vec![el::cell_text(0, 0, "S")],
                ),
                UpdateBuilder::new()
                    .view(7, UpdateBuilder::new().set_cell(el::cell_text(1, 1, "T")))
                    .default_view(UpdateBuilder::new().set_cell(el::cell_text(0, 1, "?")))
                    .cancel_timer(),
            ),
        ];
        for (w, u) in cases {
            let kind = w.kind();
            let widget = parse(w);
            if let Err(e) = u.check(&widget) {
                panic!("{}: {} failed: {e}", kind.as_str(), u.to_value());
            }
        }
    }

    #[test]
    fn composites_views_and_timers_build() {
        let w = WidgetBuilder::composite("vertical")
            .child(
                "hud",
                WidgetBuilder::hud().push("bars", el::bar("HP", 5.0, 10.0)),
            )
            .child(
                "buttons",
                WidgetBuilder::interactive().push("components", el::button("Hit", "hit")),
            )
            .timer(30.0, "timeout");
        assert!(w.build().is_ok(), "{:?}", w.build());
        let v = WidgetBuilder::grid(2, 2)
            .view(7, "cells", vec![el::cell_text(0, 0, "S")])
            .default_view("cells", Vec::<El>::new());
        assert!(v.build().is_ok(), "{:?}", v.build());
    }
}
