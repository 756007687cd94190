//! Typed update operations (PROTOCOL.md 2).
//!
//! An update is a JSON object of operations; which operations exist depends
//! on the widget's kind, so updates are parsed against the widget they
//! change ([`parse_update`]).

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use crate::color::Color;
use crate::error::{Code, Errors, WidgetError};
use crate::json::{At, Fields, FromJson, Json, Res, ToJson};
use crate::model::*;
use crate::sorted::SortedMap;

/// One element or a list of them: `{"id": ..}` or `[{"id": ..}, ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany(Vec::new())
    }
}

impl<T: FromJson> FromJson for OneOrMany<T> {
    fn placeholder() -> Self {
        OneOrMany::default()
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        match v {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| T::from_json(v, &At::Nest(at, Some(i))))
                .collect::<Res<Vec<T>>>()
                .map(OneOrMany),
            v => Ok(OneOrMany(vec![T::from_json(v, &At::Nest(at, None))?])),
        }
    }
}

impl<T: ToJson> ToJson for OneOrMany<T> {
    fn json(&self) -> Json<'_> {
        match self.0.as_slice() {
            [one] => one.json(),
            _ => self.0.json(),
        }
    }
}

impl<T: ToJson> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json().serialize(s)
    }
}

impl<'de, T: FromJson> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::json::deserialize(d)
    }
}

impl<T: JsonSchema> JsonSchema for OneOrMany<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("OneOrMany_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let one = generator.subschema_for::<T>();
        json_schema!({"anyOf": [one, {"type": "array", "items": one}]})
    }
}

/// `[id, ...]` or `{"ids": [...], "animate": {...}}`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RemoveIds {
    pub ids: Vec<String>,
    pub animate: Option<Animate>,
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct RemoveIdsObj {
    ids: Vec<String>,
    animate: Option<Animate>,
}
}

impl FromJson for RemoveIds {
    fn placeholder() -> Self {
        RemoveIds::default()
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        let at = &At::Nest(at, None);
        match v {
            v @ Value::Array(_) => Ok(RemoveIds {
                ids: FromJson::from_json(v, at)?,
                animate: None,
            }),
            v => {
                let o = RemoveIdsObj::from_json(v, at)?;
                Ok(RemoveIds {
                    ids: o.ids,
                    animate: o.animate,
                })
            }
        }
    }
}

impl Fields for RemoveIds {
    fn fields(&self, out: &mut dyn FnMut(&str, Json<'_>)) {
        out("ids", self.ids.json());
        if let Some(a) = &self.animate {
            out("animate", a.json());
        }
    }
}

impl ToJson for RemoveIds {
    fn json(&self) -> Json<'_> {
        match self.animate {
            None => self.ids.json(),
            Some(_) => Json::Obj(self),
        }
    }
}

crate::json_serde!(RemoveIds);

impl JsonSchema for RemoveIds {
    fn schema_name() -> Cow<'static, str> {
        "RemoveIds".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let obj = generator.subschema_for::<RemoveIdsObj>();
        json_schema!({"anyOf": [{"type": "array", "items": {"type": "string"}}, obj]})
    }
}

/// `{"id", ...fields}`: fields given replace the element's; `null` removes
/// an optional field. The id cannot change.
pub type Patch = Map<String, Value>;

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, Copy, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClearCell {
    pub x: u32,
    pub y: u32,
    pub animate: Option<Animate>,
}
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveSprite {
    pub id: String,
    pub x: f64,
    pub y: f64,
    pub animate: Option<Animate>,
}
}

crate::json_struct! {
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveMarker {
    pub id: String,
    pub x: u32,
    pub y: u32,
    pub animate: Option<Animate>,
}
}

crate::json_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub enum Emphasis {
    Shake = "shake",
    Pulse = "pulse",
    Glow = "glow",
}
}

crate::json_struct! {
/// Draws the eye to one element for a moment. `target` is an element id, a
/// child id, `"x,y"` for a grid cell or map tile, a slot number, a bar or
/// stat label, or `"widget"` for the whole widget.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Emphasize {
    pub target: String,
    pub effect: Emphasis,
    /// Milliseconds.
    pub duration: Option<u32>,
}
}

/// Declares one kind's operations struct with the operations any widget has.
macro_rules! ops_struct {
    (
        $(#[$($m:tt)*])*
        pub struct $name:ident { $($(#[$($fa:tt)*])* pub $f:ident : $t:ty,)* }
    ) => {
        crate::json_struct! {
        $(#[$($m)*])*
        #[skip_serializing_none]
        #[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$($fa)*])* pub $f: $t,)*
            /// Starts, restarts or (with `seconds: 0`) cancels the timer.
            pub set_timer: Option<Timer>,
            /// Replaces `turn`.
            pub set_turn: Option<Turn>,
            /// Plays a sound named in `sounds` (live viewers only).
            pub play_sound: Option<String>,
            pub emphasize: Option<Vec<Emphasize>>,
            /// Operations on explicit views: `{"<user id>" or "default": {...}}`.
            pub views: Option<SortedMap<String, $name>>,
        }
        }
    };
}

ops_struct! {
    pub struct GridOps {
        pub set_cells: Option<Vec<Cell>>,
        pub clear_cells: Option<Vec<ClearCell>>,
        pub set_default_bg: Option<Color>,
    }
}

ops_struct! {
    pub struct CanvasOps {
        pub add_sprites: Option<Vec<Sprite>>,
        pub remove_sprites: Option<RemoveIds>,
        pub move_sprite: Option<OneOrMany<MoveSprite>>,
        pub update_sprite: Option<OneOrMany<Patch>>,
    }
}

ops_struct! {
    pub struct CardsOps {
        pub add_cards: Option<Vec<Card>>,
        pub remove_cards: Option<RemoveIds>,
        pub update_card: Option<OneOrMany<Patch>>,
        /// The new order: every card id, once.
        pub reorder: Option<Vec<String>>,
    }
}

ops_struct! {
    pub struct HudOps {
        /// Replaces the bar with this label, or appends it.
        pub set_bar: Option<OneOrMany<Bar>>,
        /// Replaces the stat with this label, or appends it.
        pub set_stat: Option<OneOrMany<Stat>>,
    }
}

ops_struct! {
    pub struct DialogOps {
        pub set_text: Option<String>,
        pub set_choices: Option<Vec<Choice>>,
        pub set_speaker: Option<Speaker>,
    }
}

ops_struct! {
    pub struct TerminalOps {
        pub append_lines: Option<Vec<Line>>,
        /// Empties the terminal first.
        pub clear: Option<bool>,
    }
}

ops_struct! {
    pub struct LeaderboardOps {
        pub set_entries: Option<Vec<Entry>>,
        pub set_page: Option<u32>,
    }
}

ops_struct! {
    pub struct InventoryOps {
        /// Puts each item in its slot, replacing what was there.
        pub set_items: Option<Vec<Item>>,
        pub clear_slots: Option<Vec<u32>>,
    }
}

ops_struct! {
    pub struct MapOps {
        /// Puts each tile at its position, replacing what was there.
        pub set_tiles: Option<Vec<Tile>>,
        pub add_markers: Option<Vec<Marker>>,
        pub remove_markers: Option<RemoveIds>,
        pub move_marker: Option<OneOrMany<MoveMarker>>,
        pub set_center: Option<Point>,
        /// Adds these cells to `explored`.
        pub reveal: Option<Vec<Point>>,
    }
}

ops_struct! {
    pub struct LobbyOps {
        pub set_players: Option<Vec<LobbyPlayer>>,
        pub set_status: Option<LobbyStatus>,
        /// Sets these settings (others stay).
        pub set_settings: Option<SortedMap<String, Setting>>,
    }
}

ops_struct! {
    pub struct InteractiveOps {
        pub set_components: Option<Vec<Component>>,
    }
}

ops_struct! {
    pub struct CompositeOps {
        /// `{"<child id>": {...that child's operations}}`.
        pub children: Option<SortedMap<String, ChildOps>>,
    }
}

/// A child's operations: raw until parsed against the child's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum ChildOps {
    Raw(Value),
    Parsed(Box<Update>),
}

impl ChildOps {
    pub fn parsed(&self) -> Option<&Update> {
        match self {
            ChildOps::Parsed(u) => Some(u),
            ChildOps::Raw(_) => None,
        }
    }
}

impl FromJson for ChildOps {
    fn placeholder() -> Self {
        ChildOps::Raw(Value::Null)
    }
    fn from_json(v: Value, _: &At) -> Res<Self> {
        Ok(ChildOps::Raw(v))
    }
}

impl ToJson for ChildOps {
    fn json(&self) -> Json<'_> {
        match self {
            ChildOps::Raw(v) => Json::Raw(v),
            ChildOps::Parsed(u) => u.json(),
        }
    }
}

crate::json_serde!(ChildOps);

impl JsonSchema for ChildOps {
    fn schema_name() -> Cow<'static, str> {
        "ChildOps".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "object", "description": "The child's own kind of operations."})
    }
}

/// An update of one widget kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    Grid(GridOps),
    Canvas(CanvasOps),
    Cards(CardsOps),
    Hud(HudOps),
    Dialog(DialogOps),
    Terminal(TerminalOps),
    Leaderboard(LeaderboardOps),
    Inventory(InventoryOps),
    Map(MapOps),
    Lobby(LobbyOps),
    Interactive(InteractiveOps),
    Composite(CompositeOps),
}

#[macro_export]
#[doc(hidden)]
macro_rules! with_ops {
    ($u:expr, $o:ident => $e:expr) => {
        match $u {
            $crate::update::Update::Grid($o) => $e,
            $crate::update::Update::Canvas($o) => $e,
            $crate::update::Update::Cards($o) => $e,
            $crate::update::Update::Hud($o) => $e,
            $crate::update::Update::Dialog($o) => $e,
            $crate::update::Update::Terminal($o) => $e,
            $crate::update::Update::Leaderboard($o) => $e,
            $crate::update::Update::Inventory($o) => $e,
            $crate::update::Update::Map($o) => $e,
            $crate::update::Update::Lobby($o) => $e,
            $crate::update::Update::Interactive($o) => $e,
            $crate::update::Update::Composite($o) => $e,
        }
    };
}

/// The operations any widget kind has, borrowed from an [`Update`].
pub struct CommonOps<'a> {
    pub set_timer: &'a Option<Timer>,
    pub set_turn: &'a Option<Turn>,
    pub play_sound: &'a Option<String>,
    pub emphasize: &'a Option<Vec<Emphasize>>,
    pub has_views: bool,
    /// Whether the update holds a `views` field at all (even an empty one).
    pub has_views_field: bool,
}

impl Update {
    /// An update with no operations for `kind`.
    pub fn empty(kind: Kind) -> Update {
        match kind {
            Kind::Grid => Update::Grid(Default::default()),
            Kind::Canvas => Update::Canvas(Default::default()),
            Kind::Cards => Update::Cards(Default::default()),
            Kind::Hud => Update::Hud(Default::default()),
            Kind::Dialog => Update::Dialog(Default::default()),
            Kind::Terminal => Update::Terminal(Default::default()),
            Kind::Leaderboard => Update::Leaderboard(Default::default()),
            Kind::Inventory => Update::Inventory(Default::default()),
            Kind::Map => Update::Map(Default::default()),
            Kind::Lobby => Update::Lobby(Default::default()),
            Kind::Interactive => Update::Interactive(Default::default()),
            Kind::Composite => Update::Composite(Default::default()),
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Update::Grid(_) => Kind::Grid,
            Update::Canvas(_) => Kind::Canvas,
            Update::Cards(_) => Kind::Cards,
            Update::Hud(_) => Kind::Hud,
            Update::Dialog(_) => Kind::Dialog,
            Update::Terminal(_) => Kind::Terminal,
            Update::Leaderboard(_) => Kind::Leaderboard,
            Update::Inventory(_) => Kind::Inventory,
            Update::Map(_) => Kind::Map,
            Update::Lobby(_) => Kind::Lobby,
            Update::Interactive(_) => Kind::Interactive,
            Update::Composite(_) => Kind::Composite,
        }
    }

    pub fn common(&self) -> CommonOps<'_> {
        with_ops!(self, o => CommonOps {
            set_timer: &o.set_timer,
            set_turn: &o.set_turn,
            play_sound: &o.play_sound,
            emphasize: &o.emphasize,
            has_views: o.views.as_ref().is_some_and(|v| !v.is_empty()),
            has_views_field: o.views.is_some(),
        })
    }

    /// The update as JSON.
    pub fn to_value(&self) -> Value {
        self.to_json()
    }

    /// Calls `f` with the name of each operation it holds (`views`
    /// included), in the order they are written.
    pub fn each_op(&self, f: &mut dyn FnMut(&str)) {
        with_ops!(self, o => o.fields(&mut |k, _| f(k)));
    }

    /// Whether this update changes nothing and plays nothing.
    pub fn is_empty(&self) -> bool {
        let mut empty = true;
        self.each_op(&mut |_| empty = false);
        empty
    }

    /// Fills `expires_at` of every timer this update starts (the server
    /// owns timers; a bot's own `expires_at` is replaced).
    pub fn stamp_timers(&mut self, now_ms: u64) {
        with_ops!(self, o => {
            if let Some(t) = &mut o.set_timer {
                t.expires_at = (t.seconds > 0.0).then(|| now_ms + (t.seconds * 1000.0) as u64);
            }
            for v in o.views.iter_mut().flat_map(|m| m.values_mut()) {
                if let Some(t) = &mut v.set_timer {
                    t.expires_at = (t.seconds > 0.0).then(|| now_ms + (t.seconds * 1000.0) as u64);
                }
            }
        });
        if let Update::Composite(c) = self {
            for ch in c.children.iter_mut().flat_map(|m| m.values_mut()) {
                if let ChildOps::Parsed(u) = ch {
                    u.stamp_timers(now_ms);
                }
            }
        }
    }
}

impl ToJson for Update {
    fn json(&self) -> Json<'_> {
        with_ops!(self, o => o.json())
    }
}

impl Serialize for Update {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json().serialize(s)
    }
}

/// Parses an update for `body`, checking types and unknown operations.
/// Element contents are validated when the update is applied.
pub fn parse_update(body: &Body, value: Value) -> Result<Update, Errors> {
    parse_update_at(body, value, "update").map_err(Errors::from)
}

fn parse_update_at(body: &Body, value: Value, prefix: &str) -> Result<Update, WidgetError> {
    if !value.is_object() {
        return Err(WidgetError::new(
            Code::InvalidType,
            prefix,
            "an update is an object of operations",
        ));
    }
    parse_kind_ops(body, value, prefix).map_err(|e| {
        // An operation that exists, but for another kind of widget.
        let op = e
            .path
            .strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('.'));
        match op {
            Some(op) if e.code == Code::UnknownField && crate::apply::field_of_op(op).is_some() => {
                WidgetError::new(
                    Code::InvalidUpdate,
                    e.path.clone(),
                    format!("a {} widget has no operation `{op}`", body.kind().as_str()),
                )
            }
            _ => e,
        }
    })
}

fn parse_kind_ops(body: &Body, value: Value, prefix: &str) -> Result<Update, WidgetError> {
    let at = &At::Root(prefix);
    Ok(match body {
        Body::Grid(_) => Update::Grid(FromJson::from_json(value, at)?),
        Body::Canvas(_) => Update::Canvas(FromJson::from_json(value, at)?),
        Body::Cards(_) => Update::Cards(FromJson::from_json(value, at)?),
        Body::Hud(_) => Update::Hud(FromJson::from_json(value, at)?),
        Body::Dialog(_) => Update::Dialog(FromJson::from_json(value, at)?),
        Body::Terminal(_) => Update::Terminal(FromJson::from_json(value, at)?),
        Body::Leaderboard(_) => Update::Leaderboard(FromJson::from_json(value, at)?),
        Body::Inventory(_) => Update::Inventory(FromJson::from_json(value, at)?),
        Body::Map(_) => Update::Map(FromJson::from_json(value, at)?),
        Body::Lobby(_) => Update::Lobby(FromJson::from_json(value, at)?),
        Body::Interactive(_) => Update::Interactive(FromJson::from_json(value, at)?),
        Body::Composite(c) => {
            let mut ops: CompositeOps = FromJson::from_json(value, at)?;
            parse_children(c, &mut ops, prefix)?;
            for (k, v) in ops.views.iter_mut().flat_map(|m| m.iter_mut()) {
                parse_children(c, v, &format!("{prefix}.views.{k}"))?;
            }
            Update::Composite(ops)
        }
    })
}

fn parse_children(c: &Composite, ops: &mut CompositeOps, prefix: &str) -> Result<(), WidgetError> {
    for (id, ch) in ops.children.iter_mut().flat_map(|m| m.iter_mut()) {
        let at = format!("{prefix}.children.{id}");
        let Some(child) = c.widgets.iter().find(|w| w.id() == id) else {
            return Err(WidgetError::new(
                Code::UnknownId,
                at,
                "no child has this id",
            ));
        };
        if let ChildOps::Raw(v) = ch {
            let parsed = parse_update_at(&child.body, std::mem::take(v), &at)?;
            *ch = ChildOps::Parsed(Box::new(parsed));
        }
    }
    Ok(())
}

/// JSON Schema of each kind's operations, keyed by `widget_type`.
pub fn update_schemas(generator: &mut SchemaGenerator) -> Vec<(Kind, Schema)> {
    Kind::ALL
        .into_iter()
        .map(|k| {
            let s = match k {
                Kind::Grid => generator.subschema_for::<GridOps>(),
                Kind::Canvas => generator.subschema_for::<CanvasOps>(),
                Kind::Cards => generator.subschema_for::<CardsOps>(),
                Kind::Hud => generator.subschema_for::<HudOps>(),
                Kind::Dialog => generator.subschema_for::<DialogOps>(),
                Kind::Terminal => generator.subschema_for::<TerminalOps>(),
                Kind::Leaderboard => generator.subschema_for::<LeaderboardOps>(),
                Kind::Inventory => generator.subschema_for::<InventoryOps>(),
                Kind::Map => generator.subschema_for::<MapOps>(),
                Kind::Lobby => generator.subschema_for::<LobbyOps>(),
                Kind::Interactive => generator.subschema_for::<InteractiveOps>(),
                Kind::Composite => generator.subschema_for::<CompositeOps>(),
            };
            (k, s)
        })
        .collect()
}
