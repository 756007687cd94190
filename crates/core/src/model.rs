//! Typed models of every widget payload (PROTOCOL.md 1.1 and 1.2).
//!
//! Every struct rejects unknown fields. Optional fields are `Option` and are
//! left out when serializing; lists default to empty. Elements with a unique
//! key (cells, tiles, sprites, markers, items) live in [`Keyed`] collections;
//! string maps are [`SortedMap`]s (key order, like a `BTreeMap`).
//!
//! Types are declared through `json_struct!` and `json_enum!` (see
//! [`crate::json`]), which keep the declaration as written (the `serde`
//! attributes are read by the `JsonSchema` derive and by the codec alike)
//! and implement the JSON codec and serde's traits.

use schemars::JsonSchema;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use crate::color::Color;
use crate::ids::{HasKey, Keyed, UserId};
use crate::json::{untagged, At, FromJson, Json, Res, ToJson};
use crate::sorted::SortedMap;
use crate::text::Text;
use crate::url::{ImageUrl, SoundUrl};

crate::json_enum! {
/// The twelve widget kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, JsonSchema)]
pub enum Kind {
    Grid = "grid",
    Canvas = "canvas",
    Cards = "cards",
    Hud = "hud",
    Dialog = "dialog",
    Terminal = "terminal",
    Leaderboard = "leaderboard",
    Inventory = "inventory",
    Map = "map",
    Lobby = "lobby",
    Interactive = "interactive",
    Composite = "composite",
}
}

impl Kind {
    pub const ALL: [Kind; 12] = [
        Kind::Grid,
        Kind::Canvas,
        Kind::Cards,
        Kind::Hud,
        Kind::Dialog,
        Kind::Terminal,
        Kind::Leaderboard,
        Kind::Inventory,
        Kind::Map,
        Kind::Lobby,
        Kind::Interactive,
        Kind::Composite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Grid => "grid",
            Kind::Canvas => "canvas",
            Kind::Cards => "cards",
            Kind::Hud => "hud",
            Kind::Dialog => "dialog",
            Kind::Terminal => "terminal",
            Kind::Leaderboard => "leaderboard",
            Kind::Inventory => "inventory",
            Kind::Map => "map",
            Kind::Lobby => "lobby",
            Kind::Interactive => "interactive",
            Kind::Composite => "composite",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

// ---------------------------------------------------------------------------
// Fields any widget may carry (1.2)

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub enum TimerStyle {
    Bar = "bar",
    Countdown = "countdown",
    Hidden = "hidden",
}
}

crate::json_struct! {
/// A countdown owned by the server. `expires_at` (epoch ms) is stamped by the
/// server; a value sent by a bot is replaced.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Timer {
    /// Length of the countdown in seconds (0 cancels it in `set_timer`).
    pub seconds: f64,
    /// The `action` delivered to the bot with `timer_expire`.
    pub on_expire: Option<String>,
    pub visible: Option<bool>,
    pub style: Option<TimerStyle>,
    /// Epoch milliseconds at which the timer runs out; set by the server.
    pub expires_at: Option<u64>,
}
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Keyboard {
    pub enabled: Option<bool>,
    /// Key name (as in `KeyboardEvent.key`, or `Space`) to action.
    #[serde(default)]
    pub bindings: SortedMap<String, String>,
}
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Turn {
    pub current_player: Option<UserId>,
    pub turn_number: Option<u32>,
    pub time_remaining: Option<f64>,
    pub order: Option<Vec<UserId>>,
    /// With `true` the server refuses interactions from anyone but
    /// `current_player` with `NOT_YOUR_TURN`.
    pub enforce: Option<bool>,
}
}

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub enum Role {
    Player = "player",
    Spectator = "spectator",
}
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Player {
    pub id: UserId,
    pub name: Option<String>,
    /// Defaults to `player`.
    pub role: Option<Role>,
    pub ready: Option<bool>,
}
}

crate::json_struct! {
/// Who plays. When present, users who are not listed as players are
/// spectators, and spectators are read-only.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Players {
    #[serde(default)]
    pub list: Vec<Player>,
    pub min_players: Option<u32>,
    pub max_players: Option<u32>,
    pub allow_spectators: Option<bool>,
}
}

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub enum Rule {
    /// May not interact at all.
    None = "none",
    /// May interact with everything.
    All = "all",
    /// May interact only with elements whose `owner` is this user;
    /// interactions that name no element are allowed.
    Owned = "owned",
}
}

/// `{"default": rule, "<user id>": rule}`.
pub type InteractionRules = SortedMap<String, Rule>;

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub enum PredictAction {
    SetContent = "set_content",
}
}

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub enum PredictStyle {
    Pending = "pending",
}
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PredictionRule {
    pub action: PredictAction,
    pub value: Option<String>,
    pub style: Option<PredictStyle>,
}
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Prediction {
    pub enabled: Option<bool>,
    pub cell_click: Option<PredictionRule>,
}
}

/// Explicit per-user views: `{"<user id>": {fields}, "default": {fields}}`.
/// Each view holds fields of `extra_data` that replace the base ones for that
/// user. Never sent to a client.
pub type Views = SortedMap<String, Map<String, Value>>;

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub enum Easing {
    Linear = "linear",
    Ease = "ease",
    EaseIn = "ease-in",
    EaseOut = "ease-out",
    EaseInOut = "ease-in-out",
}
}

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub enum Effect {
    Fade = "fade",
    Scale = "scale",
    Instant = "instant",
}
}

crate::json_struct! {
/// An animation hint. Moves use `duration` and `easing`; appearing and
/// disappearing use `effect` and `duration`. Durations are milliseconds.
#[skip_serializing_none]
#[derive(Debug, Clone, Copy, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Animate {
    pub duration: Option<u32>,
    pub easing: Option<Easing>,
    pub effect: Option<Effect>,
}
}

/// Read-only access to the fields any widget may carry.
pub struct Common<'a> {
    pub id: &'a Option<String>,
    pub timer: &'a Option<Timer>,
    pub keyboard: &'a Option<Keyboard>,
    pub sounds: &'a Option<SortedMap<String, SoundUrl>>,
    pub play: &'a Option<String>,
    pub turn: &'a Option<Turn>,
    /// `None` for a lobby, which keeps its own players list.
    pub players: Option<&'a Players>,
    pub interaction_rules: &'a Option<InteractionRules>,
    pub prediction: &'a Option<Prediction>,
    pub realtime: &'a Option<bool>,
    pub update_rate: &'a Option<f64>,
    pub views: &'a Option<Views>,
}

/// Mutable access to the fields any widget may carry.
pub struct CommonMut<'a> {
    pub id: &'a mut Option<String>,
    pub timer: &'a mut Option<Timer>,
    pub keyboard: &'a mut Option<Keyboard>,
    pub sounds: &'a mut Option<SortedMap<String, SoundUrl>>,
    pub play: &'a mut Option<String>,
    pub turn: &'a mut Option<Turn>,
    pub players: Option<&'a mut Option<Players>>,
    pub interaction_rules: &'a mut Option<InteractionRules>,
    pub prediction: &'a mut Option<Prediction>,
    pub realtime: &'a mut Option<bool>,
    pub update_rate: &'a mut Option<f64>,
    pub views: &'a mut Option<Views>,
}

/// The names of the fields every kind accepts besides its own.
pub const COMMON_FIELDS: [&str; 12] = [
    "id",
    "timer",
    "keyboard",
    "sounds",
    "play",
    "turn",
    "players",
    "interaction_rules",
    "prediction",
    "realtime",
    "update_rate",
    "views",
];

/// Declares a widget kind's `extra_data` struct with the common fields
/// appended (one flat struct rejects unknown fields simply; the schema shows
/// it flat too).
macro_rules! widget_kind {
    (
        $(#[$($m:tt)*])*
        pub struct $name:ident { $($(#[$($fa:tt)*])* pub $f:ident : $t:ty,)* }
        players: $players:tt
    ) => {
        crate::json_struct! {
        $(#[$($m)*])*
        #[skip_serializing_none]
        #[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$($fa)*])* pub $f: $t,)*
            /// A composite child's id (required there, not allowed elsewhere).
            pub id: Option<String>,
            pub timer: Option<Timer>,
            pub keyboard: Option<Keyboard>,
            /// Sound name to URL.
            pub sounds: Option<SortedMap<String, SoundUrl>>,
            /// A sound name from `sounds` to play when this message arrives live.
            pub play: Option<String>,
            pub turn: Option<Turn>,
            pub interaction_rules: Option<InteractionRules>,
            pub prediction: Option<Prediction>,
            pub realtime: Option<bool>,
            pub update_rate: Option<f64>,
            pub views: Option<Views>,
        }
        }

        impl $name {
            pub fn common(&self) -> Common<'_> {
                Common {
                    id: &self.id,
                    timer: &self.timer,
                    keyboard: &self.keyboard,
                    sounds: &self.sounds,
                    play: &self.play,
                    turn: &self.turn,
                    players: widget_kind!(@players_ref self $players),
                    interaction_rules: &self.interaction_rules,
                    prediction: &self.prediction,
                    realtime: &self.realtime,
                    update_rate: &self.update_rate,
                    views: &self.views,
                }
            }
            pub fn common_mut(&mut self) -> CommonMut<'_> {
                CommonMut {
                    id: &mut self.id,
                    timer: &mut self.timer,
                    keyboard: &mut self.keyboard,
                    sounds: &mut self.sounds,
                    play: &mut self.play,
                    turn: &mut self.turn,
                    players: widget_kind!(@players_mut self $players),
                    interaction_rules: &mut self.interaction_rules,
                    prediction: &mut self.prediction,
                    realtime: &mut self.realtime,
                    update_rate: &mut self.update_rate,
                    views: &mut self.views,
                }
            }
        }
    };
    (@players_ref $s:ident yes) => { $s.players.as_ref() };
    (@players_ref $s:ident no) => { None };
    (@players_mut $s:ident yes) => { Some(&mut $s.players) };
    (@players_mut $s:ident no) => { None };
}

// ---------------------------------------------------------------------------
// Shared element pieces

crate::json_struct! {
/// Grid and map coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub x: u32,
    pub y: u32,
}
}

impl HasKey for Point {
    type Key = (u32, u32);
    fn key(&self) -> (u32, u32) {
        (self.y, self.x)
    }
    fn describe_key(k: &(u32, u32)) -> String {
        format!("at x={}, y={}", k.1, k.0)
    }
}

// ---------------------------------------------------------------------------
// grid

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    pub x: u32,
    pub y: u32,
    pub content: Option<Text>,
    pub bg: Option<Color>,
    pub fg: Option<Color>,
    pub owner: Option<UserId>,
    pub hidden_for_others: Option<bool>,
    /// When present, only these users may click the cell.
    pub clickable_by: Option<Vec<UserId>>,
    pub animate: Option<Animate>,
}
}

impl HasKey for Cell {
    type Key = (u32, u32);
    fn key(&self) -> (u32, u32) {
        (self.y, self.x)
    }
    fn describe_key(k: &(u32, u32)) -> String {
        Point::describe_key(k)
    }
}

widget_kind! {
    pub struct Grid {
        pub width: u32,
        pub height: u32,
        pub cell_size: Option<u32>,
        #[serde(default)]
        pub cells: Keyed<Cell>,
        pub default_bg: Option<Color>,
        pub on_cell_click: Option<bool>,
        pub show_coordinates: Option<bool>,
        /// Who plays; everyone else is a read-only spectator.
        pub players: Option<Players>,
    }
    players: yes
}

// ---------------------------------------------------------------------------
// canvas

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sprite {
    pub id: String,
    /// Exactly one of `emoji`, `image` and `base64`.
    pub emoji: Option<String>,
    pub image: Option<ImageUrl>,
    /// A `data:image/...;base64,` URL.
    pub base64: Option<ImageUrl>,
    pub x: f64,
    pub y: f64,
    pub scale: Option<f64>,
    /// Degrees, clockwise.
    pub rotation: Option<f64>,
    /// Drawing order: higher on top; ties are drawn in id order.
    pub z: Option<i32>,
    pub owner: Option<UserId>,
    pub hidden_for_others: Option<bool>,
    pub animate: Option<Animate>,
}
}

impl HasKey for Sprite {
    type Key = String;
    fn key(&self) -> String {
        self.id.clone()
    }
}

widget_kind! {
    pub struct Canvas {
        pub width: u32,
        pub height: u32,
        pub background: Option<Color>,
        #[serde(default)]
        pub sprites: Keyed<Sprite>,
        pub on_canvas_click: Option<bool>,
        pub on_sprite_click: Option<bool>,
        /// Who plays; everyone else is a read-only spectator.
        pub players: Option<Players>,
    }
    players: yes
}

// ---------------------------------------------------------------------------
// cards

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub enum CardLayout {
    Hand = "hand",
    Pile = "pile",
    Grid = "grid",
    Fan = "fan",
}
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub id: String,
    pub face: Option<String>,
    pub image: Option<ImageUrl>,
    pub facedown: Option<bool>,
    pub selected: Option<bool>,
    pub owner: Option<UserId>,
    pub hidden_for_others: Option<bool>,
    pub animate: Option<Animate>,
}
}

widget_kind! {
    /// Cards keep the bot's order (a hand is ordered); ids must be unique.
    pub struct Cards {
        pub layout: Option<CardLayout>,
        #[serde(default)]
        pub cards: Vec<Card>,
        pub selectable: Option<bool>,
        pub max_select: Option<u32>,
        pub on_card_click: Option<bool>,
        /// Who plays; everyone else is a read-only spectator.
        pub players: Option<Players>,
    }
    players: yes
}

// ---------------------------------------------------------------------------
// hud

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bar {
    pub label: String,
    pub current: f64,
    pub max: f64,
    pub color: Option<Color>,
}
}

/// A stat's value: text or a number.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Deserialize))]
#[serde(untagged)]
pub enum StatValue {
    Number(f64),
    Text(String),
}

impl FromJson for StatValue {
    fn placeholder() -> Self {
        StatValue::default()
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        match v {
            Value::Number(n) => Ok(StatValue::Number(n.as_f64().unwrap_or(0.0))),
            Value::String(s) => Ok(StatValue::Text(s)),
            _ => Err(untagged(at, "StatValue")),
        }
    }
}

impl ToJson for StatValue {
    fn json(&self) -> Json<'_> {
        match self {
            StatValue::Number(n) => Json::F64(*n),
            StatValue::Text(s) => Json::Str(s),
        }
    }
}

crate::json_serde!(@native_derive StatValue);

impl Default for StatValue {
    fn default() -> Self {
        StatValue::Text(String::new())
    }
}

crate::json_struct! {
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stat {
    pub label: String,
    pub value: StatValue,
}
}

widget_kind! {
    pub struct Hud {
        #[serde(default)]
        pub bars: Vec<Bar>,
        #[serde(default)]
        pub stats: Vec<Stat>,
        /// Who plays; everyone else is a read-only spectator.
        pub players: Option<Players>,
    }
    players: yes
}

// ---------------------------------------------------------------------------
// dialog

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    pub name: Option<String>,
    pub portrait: Option<ImageUrl>,
    pub mood: Option<String>,
}
}

crate::json_struct! {
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub text: String,
}
}

widget_kind! {
    pub struct Dialog {
        pub speaker: Option<Speaker>,
        pub text: Option<String>,
        #[serde(default)]
        pub choices: Vec<Choice>,
        pub typing_effect: Option<bool>,
        /// Who plays; everyone else is a read-only spectator.
        pub players: Option<Players>,
    }
    players: yes
}

// ---------------------------------------------------------------------------
// terminal

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub text: String,
    pub color: Option<Color>,
    pub bold: Option<bool>,
}
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TerminalInput {
    pub enabled: Option<bool>,
    pub placeholder: Option<String>,
    /// Whether up and down recall earlier inputs (default true).
    pub history: Option<bool>,
}
}

/// Scrollback kept when `max_lines` is not given.
pub const DEFAULT_MAX_LINES: u32 = 1000;

widget_kind! {
    pub struct Terminal {
        #[serde(default)]
        pub lines: Vec<Line>,
        /// Oldest lines are dropped beyond this (default 1000, at most 10,000).
        pub max_lines: Option<u32>,
        pub input: Option<TerminalInput>,
        /// Who plays; everyone else is a read-only spectator.
        pub players: Option<Players>,
    }
    players: yes
}

// ---------------------------------------------------------------------------
// leaderboard

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rank: u32,
    pub name: String,
    pub score: f64,
    pub highlight: Option<bool>,
}
}

widget_kind! {
    pub struct Leaderboard {
        pub title: Option<String>,
        #[serde(default)]
        pub entries: Vec<Entry>,
        /// Column headings, for example `["#", "Player", "Score"]`.
        pub columns: Option<Vec<String>>,
        pub page: Option<u32>,
        pub total_pages: Option<u32>,
        pub on_page_change: Option<bool>,
        /// Who plays; everyone else is a read-only spectator.
        pub players: Option<Players>,
    }
    players: yes
}

// ---------------------------------------------------------------------------
// inventory

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub enum Rarity {
    Common = "common",
    Uncommon = "uncommon",
    Rare = "rare",
    Epic = "epic",
    Legendary = "legendary",
}
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub slot: u32,
    /// Text or emoji drawn in the slot.
    pub icon: Option<String>,
    /// An image drawn in the slot instead of `icon`.
    pub image: Option<ImageUrl>,
    pub name: Option<String>,
    /// Tooltip text.
    pub description: Option<String>,
    pub count: Option<u32>,
    pub rarity: Option<Rarity>,
    pub owner: Option<UserId>,
    pub hidden_for_others: Option<bool>,
    pub animate: Option<Animate>,
}
}

impl HasKey for Item {
    type Key = u32;
    fn key(&self) -> u32 {
        self.slot
    }
    fn describe_key(k: &u32) -> String {
        format!("slot {k}")
    }
}

widget_kind! {
    pub struct Inventory {
        pub rows: u32,
        pub cols: u32,
        #[serde(default)]
        pub items: Keyed<Item>,
        pub on_item_click: Option<bool>,
        pub on_item_drag: Option<bool>,
        pub show_tooltips: Option<bool>,
        /// Who plays; everyone else is a read-only spectator.
        pub players: Option<Players>,
    }
    players: yes
}

// ---------------------------------------------------------------------------
// map

crate::json_struct! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}
}

crate::json_struct! {
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tile {
    pub x: u32,
    pub y: u32,
    pub terrain: String,
}
}

impl HasKey for Tile {
    type Key = (u32, u32);
    fn key(&self) -> (u32, u32) {
        (self.y, self.x)
    }
    fn describe_key(k: &(u32, u32)) -> String {
        Point::describe_key(k)
    }
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TerrainStyle {
    pub bg: Option<Color>,
    pub content: Option<String>,
}
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    pub id: String,
    pub x: u32,
    pub y: u32,
    pub icon: Option<String>,
    pub label: Option<String>,
    pub owner: Option<UserId>,
    pub hidden_for_others: Option<bool>,
    pub animate: Option<Animate>,
}
}

impl HasKey for Marker {
    type Key = String;
    fn key(&self) -> String {
        self.id.clone()
    }
}

widget_kind! {
    pub struct MapWidget {
        pub width: u32,
        pub height: u32,
        pub viewport: Option<Size>,
        pub center: Option<Point>,
        #[serde(default)]
        pub tiles: Keyed<Tile>,
        #[serde(default)]
        pub terrain_styles: SortedMap<String, TerrainStyle>,
        #[serde(default)]
        pub markers: Keyed<Marker>,
        pub fog_of_war: Option<bool>,
        /// Cells this viewer has explored (usually set per player in `views`).
        pub explored: Option<Keyed<Point>>,
        pub on_tile_click: Option<bool>,
        pub on_marker_click: Option<bool>,
        pub scrollable: Option<bool>,
        /// Who plays; everyone else is a read-only spectator.
        pub players: Option<Players>,
    }
    players: yes
}

// ---------------------------------------------------------------------------
// lobby

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, JsonSchema)]
pub enum LobbyStatus {
    #[default]
    Waiting = "waiting",
    Starting = "starting",
    InProgress = "in_progress",
}
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LobbyPlayer {
    pub id: UserId,
    pub name: Option<String>,
    pub ready: Option<bool>,
}
}

/// A setting's value: text, a number or a flag.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Deserialize))]
#[serde(untagged)]
pub enum SettingValue {
    Bool(bool),
    Number(f64),
    Text(String),
}

impl FromJson for SettingValue {
    fn placeholder() -> Self {
        SettingValue::Bool(false)
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        match v {
            Value::Bool(b) => Ok(SettingValue::Bool(b)),
            Value::Number(n) => Ok(SettingValue::Number(n.as_f64().unwrap_or(0.0))),
            Value::String(s) => Ok(SettingValue::Text(s)),
            _ => Err(untagged(at, "SettingValue")),
        }
    }
}

impl ToJson for SettingValue {
    fn json(&self) -> Json<'_> {
        match self {
            SettingValue::Bool(b) => Json::Bool(*b),
            SettingValue::Number(n) => Json::F64(*n),
            SettingValue::Text(s) => Json::Str(s),
        }
    }
}

crate::json_serde!(@native_derive SettingValue);

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    pub label: Option<String>,
    pub value: SettingValue,
    /// When present, `value` must be one of these.
    pub options: Option<Vec<SettingValue>>,
}
}

widget_kind! {
    pub struct Lobby {
        pub game: String,
        #[serde(default)]
        pub status: LobbyStatus,
        pub host: Option<UserId>,
        #[serde(default)]
        pub players: Vec<LobbyPlayer>,
        #[serde(default)]
        pub settings: SortedMap<String, Setting>,
        pub min_players: Option<u32>,
        pub max_players: Option<u32>,
    }
    players: no
}

// ---------------------------------------------------------------------------
// interactive

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, JsonSchema)]
pub enum ComponentType {
    #[default]
    Button = "button",
}
}

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub enum ButtonStyle {
    Primary = "primary",
    Secondary = "secondary",
    Danger = "danger",
}
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Component {
    #[serde(rename = "type", default)]
    pub kind: ComponentType,
    pub label: String,
    pub action: String,
    pub style: Option<ButtonStyle>,
    pub disabled: Option<bool>,
}
}

widget_kind! {
    pub struct Interactive {
        #[serde(default)]
        pub components: Vec<Component>,
        /// Who plays; everyone else is a read-only spectator.
        pub players: Option<Players>,
    }
    players: yes
}

// ---------------------------------------------------------------------------
// composite

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub enum CompositeLayout {
    Vertical = "vertical",
    Horizontal = "horizontal",
    Overlay = "overlay",
}
}

widget_kind! {
    pub struct Composite {
        pub layout: Option<CompositeLayout>,
        /// Children: `{"id", "type", ...fields of that type}`; depth at most 4.
        #[serde(default)]
        pub widgets: Vec<Child>,
        /// Who plays; everyone else is a read-only spectator.
        pub players: Option<Players>,
    }
    players: yes
}

// ---------------------------------------------------------------------------
// The widget

/// One widget kind's data. Serialized as `extra_data`; its kind is
/// `widget_type` beside it (or `type` inside a composite).
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Grid(Grid),
    Canvas(Canvas),
    Cards(Cards),
    Hud(Hud),
    Dialog(Dialog),
    Terminal(Terminal),
    Leaderboard(Leaderboard),
    Inventory(Inventory),
    Map(MapWidget),
    Lobby(Lobby),
    Interactive(Interactive),
    Composite(Composite),
}

/// Runs `$e` with `$b` bound to the inner struct of any [`Body`] variant.
#[macro_export]
#[doc(hidden)]
macro_rules! with_body {
    ($body:expr, $b:ident => $e:expr) => {
        match $body {
            $crate::model::Body::Grid($b) => $e,
            $crate::model::Body::Canvas($b) => $e,
            $crate::model::Body::Cards($b) => $e,
            $crate::model::Body::Hud($b) => $e,
            $crate::model::Body::Dialog($b) => $e,
            $crate::model::Body::Terminal($b) => $e,
            $crate::model::Body::Leaderboard($b) => $e,
            $crate::model::Body::Inventory($b) => $e,
            $crate::model::Body::Map($b) => $e,
            $crate::model::Body::Lobby($b) => $e,
            $crate::model::Body::Interactive($b) => $e,
            $crate::model::Body::Composite($b) => $e,
        }
    };
}

impl ToJson for Body {
    fn json(&self) -> Json<'_> {
        with_body!(self, b => b.json())
    }
}

impl Body {
    pub fn kind(&self) -> Kind {
        match self {
            Body::Grid(_) => Kind::Grid,
            Body::Canvas(_) => Kind::Canvas,
            Body::Cards(_) => Kind::Cards,
            Body::Hud(_) => Kind::Hud,
            Body::Dialog(_) => Kind::Dialog,
            Body::Terminal(_) => Kind::Terminal,
            Body::Leaderboard(_) => Kind::Leaderboard,
            Body::Inventory(_) => Kind::Inventory,
            Body::Map(_) => Kind::Map,
            Body::Lobby(_) => Kind::Lobby,
            Body::Interactive(_) => Kind::Interactive,
            Body::Composite(_) => Kind::Composite,
        }
    }

    pub fn common(&self) -> Common<'_> {
        with_body!(self, b => b.common())
    }

    pub fn common_mut(&mut self) -> CommonMut<'_> {
        with_body!(self, b => b.common_mut())
    }

    /// The body as its `extra_data` JSON object.
    pub fn to_value(&self) -> Value {
        self.to_json()
    }
}

/// A whole widget: `{"widget_type": ..., "extra_data": {...}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Widget {
    pub body: Body,
}

impl Widget {
    pub fn new(body: Body) -> Self {
        Widget { body }
    }
    pub fn kind(&self) -> Kind {
        self.body.kind()
    }

    /// Stamps `expires_at` on every timer (in children too), replacing any
    /// value a bot sent: the server does this when it stores a posted widget.
    pub fn stamp_timers(&mut self, now_ms: u64) {
        stamp_body(&mut self.body, now_ms);
    }
}

fn stamp_body(b: &mut Body, now_ms: u64) {
    let stamp = |t: &mut Timer| t.expires_at = Some(now_ms + (t.seconds * 1000.0) as u64);
    if let Some(t) = b.common_mut().timer.as_mut() {
        stamp(t);
    }
    // A timer may also sit in an explicit view.
    for fields in b.common_mut().views.iter_mut().flat_map(|v| v.values_mut()) {
        if let Some(slot) = fields.get_mut("timer") {
            if let Ok(mut t) = crate::json::decode::<Timer>(slot.clone(), "") {
                stamp(&mut t);
                *slot = t.to_json();
            }
        }
    }
    if let Body::Composite(c) = b {
        for ch in &mut c.widgets {
            stamp_body(&mut ch.body, now_ms);
        }
    }
}

/// Where a timer sits in a widget, and the timer.
#[derive(Debug, Clone, PartialEq)]
pub struct TimerAt {
    /// The composite child holding it (any depth), or `None` for the widget.
    pub child: Option<String>,
    /// The explicit view holding it, or `None` for the base.
    pub view: Option<String>,
    pub timer: Timer,
}

impl Widget {
    /// Every timer of the widget: the base's, those in explicit views, and
    /// those of composite children. The server arms one deadline for each.
    pub fn timers(&self) -> Vec<TimerAt> {
        let mut out = Vec::new();
        collect_timers(&self.body, None, &mut out);
        out
    }
}

fn collect_timers(b: &Body, child: Option<&str>, out: &mut Vec<TimerAt>) {
    let c = b.common();
    if let Some(t) = c.timer {
        out.push(TimerAt {
            child: child.map(str::to_owned),
            view: None,
            timer: t.clone(),
        });
    }
    for (key, fields) in c.views.iter().flat_map(|v| v.iter()) {
        if let Some(t) = fields
            .get("timer")
            .and_then(|v| crate::json::decode::<Timer>(v.clone(), "").ok())
        {
            out.push(TimerAt {
                child: child.map(str::to_owned),
                view: Some(key.clone()),
                timer: t,
            });
        }
    }
    if let Body::Composite(comp) = b {
        for ch in &comp.widgets {
            collect_timers(&ch.body, Some(ch.id()), out);
        }
    }
}

/// A composite's child: `{"id", "type", ...fields}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    pub body: Body,
}

impl Child {
    /// The child's id (validation makes sure it has one).
    pub fn id(&self) -> &str {
        self.body.common().id.as_deref().unwrap_or("")
    }
}
