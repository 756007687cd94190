//! Interactions (PROTOCOL.md 1.1, 1.2): parsing and permission checks.
//!
//! Checks run in this order and the first failure is reported:
//! 1. well-formed for this widget (`INVALID_INTERACTION`): the widget emits
//!    this interaction, it is switched on (`on_cell_click`, `selectable`...),
//!    and what it names exists in the user's own view (so probing ids of
//!    hidden elements tells nothing);
//! 2. spectators are read-only (`NOT_ALLOWED`);
//! 3. `turn.enforce` (`NOT_YOUR_TURN`);
//! 4. `interaction_rules` and `clickable_by` (`NOT_ALLOWED`); lobby host rules.
//!
//! In a composite, `child` names the child; the composite's own fields
//! (players, turn, rules) apply as well as the child's.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Code, WidgetError};
use crate::ids::UserId;
use crate::limits::{MAX_ID_CHARS, MAX_STRING_CHARS};
use crate::model::*;
use crate::parse::typed;
use crate::view::{has_views, resolve_body, Viewer};

/// What a user did, as the client sends it (`type` plus fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    CellClick { x: u32, y: u32 },
    CanvasClick { x: f64, y: f64 },
    SpriteClick { id: String },
    CardClick { id: String },
    CardSelect { ids: Vec<String> },
    DialogChoice { id: String },
    TerminalInput { text: String },
    PageChange { page: u32 },
    ItemClick { slot: u32 },
    ItemDrag { from_slot: u32, to_slot: u32 },
    TileClick { x: u32, y: u32 },
    MarkerClick { id: String },
    LobbyJoin {},
    LobbyLeave {},
    LobbyReady { ready: bool },
    LobbySetting { key: String, value: SettingValue },
    LobbyStart {},
    ButtonClick { action: String },
    Keypress { action: String },
}

impl Action {
    pub fn type_name(&self) -> &'static str {
        match self {
            Action::CellClick { .. } => "cell_click",
            Action::CanvasClick { .. } => "canvas_click",
            Action::SpriteClick { .. } => "sprite_click",
            Action::CardClick { .. } => "card_click",
            Action::CardSelect { .. } => "card_select",
            Action::DialogChoice { .. } => "dialog_choice",
            Action::TerminalInput { .. } => "terminal_input",
            Action::PageChange { .. } => "page_change",
            Action::ItemClick { .. } => "item_click",
            Action::ItemDrag { .. } => "item_drag",
            Action::TileClick { .. } => "tile_click",
            Action::MarkerClick { .. } => "marker_click",
            Action::LobbyJoin {} => "lobby_join",
            Action::LobbyLeave {} => "lobby_leave",
            Action::LobbyReady { .. } => "lobby_ready",
            Action::LobbySetting { .. } => "lobby_setting",
            Action::LobbyStart {} => "lobby_start",
            Action::ButtonClick { .. } => "button_click",
            Action::Keypress { .. } => "keypress",
        }
    }
}

/// An interaction: the action, the composite child it targets, and the
/// client's sequence number.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub action: Action,
    pub child: Option<String>,
    pub client_seq: Option<u64>,
}

impl Interaction {
    /// The interaction as delivered to the bot: the action's fields, plus
    /// `child` when present (`client_seq` stays with the user).
    pub fn to_value(&self) -> Value {
        let mut v = serde_json::to_value(&self.action).unwrap_or(Value::Null);
        if let (Value::Object(m), Some(c)) = (&mut v, &self.child) {
            m.insert("child".into(), Value::String(c.clone()));
        }
        v
    }
}

/// Parses `{"type", ...fields, "child"?, "client_seq"?}`.
pub fn parse_interaction(value: Value) -> Result<Interaction, WidgetError> {
    let Value::Object(mut m) = value else {
        return Err(WidgetError::new(
            Code::InvalidInteraction,
            "",
            "an interaction is an object with a `type`",
        ));
    };
    let child = match m.remove("child") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            return Err(WidgetError::new(
                Code::InvalidInteraction,
                "child",
                "`child` must be a string",
            ))
        }
    };
    let client_seq = match m.remove("client_seq") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| {
            WidgetError::new(
                Code::InvalidInteraction,
                "client_seq",
                "`client_seq` must be a non-negative integer",
            )
        })?),
    };
    let action: Action = typed(Value::Object(m), "").map_err(|e| WidgetError {
        code: Code::InvalidInteraction,
        ..e
    })?;
    let long = match &action {
        Action::TerminalInput { text } => text.chars().count() > MAX_STRING_CHARS,
        Action::SpriteClick { id }
        | Action::CardClick { id }
        | Action::DialogChoice { id }
        | Action::MarkerClick { id }
        | Action::ButtonClick { action: id }
        | Action::Keypress { action: id }
        | Action::LobbySetting { key: id, .. } => id.len() > MAX_ID_CHARS,
        Action::CardSelect { ids } => ids.len() > 500 || ids.iter().any(|i| i.len() > MAX_ID_CHARS),
        _ => false,
    };
    if long {
        return Err(WidgetError::new(
            Code::InvalidInteraction,
            "",
            "the interaction is too large",
        ));
    }
    Ok(Interaction {
        action,
        child,
        client_seq,
    })
}

fn invalid(msg: &str) -> WidgetError {
    WidgetError::new(Code::InvalidInteraction, "", msg)
}
fn not_allowed(msg: &str) -> WidgetError {
    WidgetError::new(Code::NotAllowed, "", msg)
}

/// Checks whether `user` may perform `it` on `widget`.
pub fn check_interaction(
    widget: &Widget,
    user: &UserId,
    it: &Interaction,
) -> Result<(), WidgetError> {
    let viewer = Viewer::User(user.clone());
    // Decide on what the user can see: their own view.
    let view: Cow<Body> = if has_views(&widget.body) {
        Cow::Owned(resolve_body(&widget.body, &viewer))
    } else {
        Cow::Borrowed(&widget.body)
    };
    let mut scopes: Vec<&Body> = vec![view.as_ref()];
    let target: &Body = match (view.as_ref(), &it.child) {
        // Keys bound on the composite itself belong to no child.
        (b @ Body::Composite(_), None) if matches!(it.action, Action::Keypress { .. }) => b,
        (Body::Composite(_), None) => {
            return Err(invalid("an interaction with a composite names its `child`"))
        }
        (Body::Composite(c), Some(id)) => {
            let found = find_child(c, id).ok_or_else(|| invalid("no child has this id"))?;
            scopes.extend(found.1);
            found.0
        }
        (_, Some(_)) => return Err(invalid("`child` is only for composites")),
        (b, None) => b,
    };
    let owner = well_formed(target, &it.action, &viewer)?;
    let is_lobby = matches!(target, Body::Lobby(_));
    for scope in &scopes {
        let c = scope.common();
        if !is_lobby {
            if let Some(players) = c.players {
                let is_player = players
                    .list
                    .iter()
                    .any(|p| &p.id == user && p.role.unwrap_or(Role::Player) == Role::Player);
                if !is_player {
                    return Err(not_allowed("spectators cannot interact"));
                }
            }
        }
        if let Some(turn) = c.turn {
            let exempt = is_lobby || matches!(it.action, Action::PageChange { .. });
            if turn.enforce == Some(true) && !exempt && turn.current_player.as_ref() != Some(user) {
                return Err(WidgetError::new(
                    Code::NotYourTurn,
                    "",
                    "it is not your turn",
                ));
            }
        }
        if let Some(rules) = c.interaction_rules {
            let rule = rules
                .get(user.as_str())
                .or_else(|| rules.get("default"))
                .copied()
                .unwrap_or(Rule::All);
            match rule {
                Rule::All => {}
                Rule::None => return Err(not_allowed("you may not interact with this widget")),
                Rule::Owned => {
                    if let Some(o) = &owner {
                        if o.as_ref() != Some(user) {
                            return Err(not_allowed("you may only use what you own"));
                        }
                    }
                }
            }
        }
    }
    if let Body::Lobby(l) = target {
        let host_only = matches!(
            it.action,
            Action::LobbySetting { .. } | Action::LobbyStart {}
        );
        if host_only && l.host.as_ref() != Some(user) {
            return Err(not_allowed("only the host may do this"));
        }
        let joined = l.players.iter().any(|p| &p.id == user);
        match it.action {
            Action::LobbyJoin {} if joined => return Err(invalid("you are already in this lobby")),
            Action::LobbyJoin {} if l.max_players.is_some_and(|m| l.players.len() as u32 >= m) => {
                return Err(not_allowed("the lobby is full"))
            }
            Action::LobbyLeave {} | Action::LobbyReady { .. } if !joined => {
                return Err(invalid("you are not in this lobby"))
            }
            _ => {}
        }
    }
    Ok(())
}

/// The child with this id anywhere under `c`, and the composites on the way
/// (whose common fields also apply).
fn find_child<'a>(c: &'a Composite, id: &str) -> Option<(&'a Body, Vec<&'a Body>)> {
    for w in &c.widgets {
        if w.id() == id {
            return Some((&w.body, vec![&w.body]));
        }
        if let Body::Composite(inner) = &w.body {
            if let Some((b, mut scopes)) = find_child(inner, id) {
                scopes.insert(0, &w.body);
                return Some((b, scopes));
            }
        }
    }
    None
}

/// Checks that `action` fits `body` and names something the viewer sees.
/// Returns the owner of the element acted on: `Some(owner)` for element
/// interactions (`Some(None)` for an unowned element), `None` when the
/// interaction names no element.
fn well_formed(
    body: &Body,
    action: &Action,
    viewer: &Viewer,
) -> Result<Option<Option<UserId>>, WidgetError> {
    let on = |flag: Option<bool>, what: &str| {
        if flag == Some(true) {
            Ok(())
        } else {
            Err(invalid(&format!("this widget does not take {what}")))
        }
    };
    let wrong = || {
        Err(invalid(&format!(
            "a {} widget does not take {}",
            body.kind().as_str(),
            action.type_name()
        )))
    };
    if let Action::Keypress { action: a } = action {
        let k = body.common().keyboard.as_ref();
        return match k {
            Some(k) if k.enabled != Some(false) && k.bindings.values().any(|v| v == a) => Ok(None),
            _ => Err(invalid("no key is bound to this action")),
        };
    }
    match (body, action) {
        (Body::Grid(g), Action::CellClick { x, y }) => {
            on(g.on_cell_click, "cell clicks")?;
            if *x >= g.width || *y >= g.height {
                return Err(invalid("the cell is outside the grid"));
            }
            match g
                .cells
                .get(&(*y, *x))
                .filter(|c| viewer.sees(&c.owner, c.hidden_for_others))
            {
                Some(c) => {
                    if let Some(list) = &c.clickable_by {
                        if viewer.user_id().is_none_or(|u| !list.contains(u)) {
                            return Err(not_allowed("you may not click this cell"));
                        }
                    }
                    Ok(Some(c.owner.clone()))
                }
                None => Ok(Some(None)),
            }
        }
        (Body::Canvas(c), Action::CanvasClick { x, y }) => {
            on(c.on_canvas_click, "canvas clicks")?;
            let inside = |v: f64, max: u32| v.is_finite() && (0.0..=max as f64).contains(&v);
            if !(inside(*x, c.width) && inside(*y, c.height)) {
                return Err(invalid("the point is outside the canvas"));
            }
            Ok(None)
        }
        (Body::Canvas(c), Action::SpriteClick { id }) => {
            on(c.on_sprite_click, "sprite clicks")?;
            let s = c
                .sprites
                .get(id)
                .filter(|s| viewer.sees(&s.owner, s.hidden_for_others))
                .ok_or_else(|| invalid("no sprite has this id"))?;
            Ok(Some(s.owner.clone()))
        }
        (Body::Cards(c), Action::CardClick { id }) => {
            on(c.on_card_click, "card clicks")?;
            let card = c
                .cards
                .iter()
                .find(|k| &k.id == id)
                .ok_or_else(|| invalid("no card has this id"))?;
            Ok(Some(card.owner.clone()))
        }
        (Body::Cards(c), Action::CardSelect { ids }) => {
            on(c.selectable, "card selection")?;
            if c.max_select.is_some_and(|m| ids.len() as u32 > m) {
                return Err(invalid("too many cards selected"));
            }
            // Under `owned`, every selected card must be the user's: report
            // the first owner that is not.
            let mut owner = (!ids.is_empty()).then(|| viewer.user_id().cloned());
            for id in ids {
                let card = c
                    .cards
                    .iter()
                    .find(|k| &k.id == id)
                    .ok_or_else(|| invalid("no card has this id"))?;
                if card.owner.as_ref() != viewer.user_id() {
                    owner = Some(card.owner.clone());
                    break;
                }
            }
            Ok(owner)
        }
        (Body::Dialog(d), Action::DialogChoice { id }) => {
            if !d.choices.iter().any(|c| &c.id == id) {
                return Err(invalid("no choice has this id"));
            }
            Ok(None)
        }
        (Body::Terminal(t), Action::TerminalInput { .. }) => {
            if t.input.as_ref().is_none_or(|i| i.enabled == Some(false)) {
                return Err(invalid("this terminal takes no input"));
            }
            Ok(None)
        }
        (Body::Leaderboard(l), Action::PageChange { page }) => {
            on(l.on_page_change, "page changes")?;
            if *page == 0 || l.total_pages.is_some_and(|t| *page > t) {
                return Err(invalid("no such page"));
            }
            Ok(None)
        }
        (Body::Inventory(i), Action::ItemClick { slot }) => {
            on(i.on_item_click, "item clicks")?;
            let it = i
                .items
                .get(slot)
                .filter(|it| viewer.sees(&it.owner, it.hidden_for_others))
                .ok_or_else(|| invalid("no item in this slot"))?;
            Ok(Some(it.owner.clone()))
        }
        (Body::Inventory(i), Action::ItemDrag { from_slot, to_slot }) => {
            on(i.on_item_drag, "item drags")?;
            if *to_slot >= i.rows * i.cols || from_slot == to_slot {
                return Err(invalid("no such target slot"));
            }
            let it = i
                .items
                .get(from_slot)
                .filter(|it| viewer.sees(&it.owner, it.hidden_for_others))
                .ok_or_else(|| invalid("no item in this slot"))?;
            Ok(Some(it.owner.clone()))
        }
        (Body::Map(m), Action::TileClick { x, y }) => {
            on(m.on_tile_click, "tile clicks")?;
            if *x >= m.width || *y >= m.height {
                return Err(invalid("the tile is outside the map"));
            }
            Ok(Some(None))
        }
        (Body::Map(m), Action::MarkerClick { id }) => {
            on(m.on_marker_click, "marker clicks")?;
            let mk = m
                .markers
                .get(id)
                .filter(|mk| viewer.sees(&mk.owner, mk.hidden_for_others))
                .ok_or_else(|| invalid("no marker has this id"))?;
            Ok(Some(mk.owner.clone()))
        }
        (Body::Lobby(l), a) => match a {
            Action::LobbyJoin {}
            | Action::LobbyLeave {}
            | Action::LobbyReady { .. }
            | Action::LobbyStart {} => Ok(None),
            Action::LobbySetting { key, value } => {
                let s = l
                    .settings
                    .get(key)
                    .ok_or_else(|| invalid("no setting has this key"))?;
                if s.options.as_ref().is_some_and(|o| !o.contains(value)) {
                    return Err(invalid("the value is not one of the setting's options"));
                }
                Ok(None)
            }
            _ => wrong(),
        },
        (Body::Interactive(i), Action::ButtonClick { action }) => {
            let c = i
                .components
                .iter()
                .find(|c| &c.action == action)
                .ok_or_else(|| invalid("no button has this action"))?;
            if c.disabled == Some(true) {
                return Err(invalid("this button is disabled"));
            }
            Ok(None)
        }
        _ => wrong(),
    }
}
