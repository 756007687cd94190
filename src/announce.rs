//! Announcements for screen-reader users: a short sentence for each live
//! update ([`describe_update`], pure) and the polite live region that says
//! it ([`Announcer`]).
//!
//! The sentence is built from the update and the widget before and after
//! it, both already resolved for this viewer by the server: it can only
//! name what the viewer sees. Updates that change nothing worth hearing
//! (sprite moves sixty times a second, a colour) say nothing.

use tulip_core::model::{
    Cards, Grid, Hud, Inventory, Leaderboard, Lobby, LobbyStatus, MapWidget, SettingValue,
    StatValue,
};
use tulip_core::update::{
    CanvasOps, CardsOps, DialogOps, GridOps, HudOps, InventoryOps, LeaderboardOps, LobbyOps,
    MapOps, TerminalOps,
};
use tulip_core::{Body, Update, Widget};
use yew::prelude::*;

use crate::grid::coordinate;

/// Grid changes listed one by one up to this many; beyond, a count.
const LIST_CELLS: usize = 3;
/// Longest text quoted from a payload (a terminal line, dialog text).
const QUOTE_CHARS: usize = 160;

/// What `update` changed from `before` to `after`, in a few words, or
/// `None` when there is nothing worth saying.
pub fn describe_update(before: &Widget, after: &Widget, update: &Update) -> Option<String> {
    describe_body(&before.body, &after.body, update)
}

fn describe_body(before: &Body, after: &Body, update: &Update) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let own = match (before, after, update) {
        (Body::Grid(b), Body::Grid(a), Update::Grid(o)) => grid(b, a, o),
        (_, Body::Hud(a), Update::Hud(o)) => hud(a, o),
        (_, Body::Terminal(_), Update::Terminal(o)) => terminal(o),
        (_, Body::Dialog(a), Update::Dialog(o)) => dialog(a, o),
        (_, Body::Leaderboard(a), Update::Leaderboard(o)) => leaderboard(a, o),
        (_, Body::Cards(a), Update::Cards(o)) => cards(a, o),
        (_, Body::Inventory(a), Update::Inventory(o)) => inventory(a, o),
        (_, Body::Map(a), Update::Map(o)) => map(a, o),
        (Body::Lobby(b), Body::Lobby(a), Update::Lobby(o)) => lobby(b, a, o),
        (_, Body::Canvas(_), Update::Canvas(o)) => canvas(o),
        (_, Body::Interactive(_), Update::Interactive(o)) => o.set_components.as_ref().map(|c| {
            let labels: Vec<&str> = c.iter().map(|b| b.label.as_str()).collect();
            if labels.is_empty() {
                "no buttons".to_owned()
            } else {
                format!("buttons: {}", labels.join(", "))
            }
        }),
        (Body::Composite(b), Body::Composite(a), Update::Composite(o)) => {
            let mut said = Vec::new();
            for (id, ops) in o.children.iter().flatten() {
                if let (Some(cb), Some(ca), Some(u)) = (child(b, id), child(a, id), ops.parsed()) {
                    said.extend(describe_body(cb, ca, u));
                }
            }
            (!said.is_empty()).then(|| sentences(&said))
        }
        _ => None,
    };
    parts.extend(own);
    let common = update.common();
    if let Some(turn) = common.set_turn {
        let name = turn.current_player.as_ref().map(|p| {
            after
                .common()
                .players
                .and_then(|ps| ps.list.iter().find(|x| &x.id == p))
                .and_then(|x| x.name.clone())
                .unwrap_or_else(|| p.as_str().to_owned())
        });
        match (name, turn.turn_number) {
            (Some(n), _) => parts.push(format!("{n}'s turn")),
            (None, Some(t)) => parts.push(format!("turn {t}")),
            (None, None) => {}
        }
    }
    if let Some(t) = common.set_timer {
        if t.visible != Some(false) {
            parts.push(if t.seconds > 0.0 {
                format!("timer: {} seconds", num(t.seconds))
            } else {
                "timer stopped".to_owned()
            });
        }
    }
    if parts.is_empty() {
        return None;
    }
    let mut text = sentences(&parts);
    // Only an ASCII first letter is raised: the sentence starts with our
    // own words, or with a player's name, which is left as written.
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    Some(text)
}

fn child<'a>(c: &'a tulip_core::model::Composite, id: &str) -> Option<&'a Body> {
    c.widgets.iter().find(|w| w.id() == id).map(|w| &w.body)
}

/// Joins parts as sentences: ". " between them, or a space after one that
/// already ends a sentence ("Which way?").
fn sentences(parts: &[String]) -> String {
    let mut out = String::new();
    for p in parts {
        if !out.is_empty() {
            let ended = out.ends_with(['.', '?', '!', '…']);
            out.push_str(if ended { " " } else { ". " });
        }
        out.push_str(p);
    }
    out
}

/// `12` for 12.0, `2.5` for 2.5.
fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{}", (v * 100.0).round() / 100.0)
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn quote(s: &str) -> String {
    let mut out: String = s.chars().take(QUOTE_CHARS).collect();
    if s.chars().nth(QUOTE_CHARS).is_some() {
        out.push('…');
    }
    out
}

fn content(c: Option<&tulip_core::model::Cell>) -> Option<&str> {
    c.and_then(|c| c.content.as_deref())
        .filter(|s| !s.is_empty())
}

fn grid(b: &Grid, a: &Grid, o: &GridOps) -> Option<String> {
    let mut keys: Vec<(u32, u32)> = o
        .set_cells
        .iter()
        .flatten()
        .map(|c| (c.y, c.x))
        .chain(o.clear_cells.iter().flatten().map(|c| (c.y, c.x)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let changed = |key: &(u32, u32)| {
        let (old, new) = (b.cells.get(key), a.cells.get(key));
        (old != new).then_some((*key, old, new))
    };
    // A big update is only counted: its words would be built for nothing.
    let n = keys.iter().filter(|k| changed(k).is_some()).count();
    if n > LIST_CELLS {
        return Some(format!("{n} cells changed"));
    }
    let said: Vec<String> = keys
        .iter()
        .filter_map(changed)
        .map(|(key, old, new)| {
            let at = coordinate(key.1, key.0);
            match (content(old), content(new)) {
                (None, Some(n)) => format!("{} placed at {at}", quote(n)),
                (Some(o), Some(n)) if o != n => {
                    format!("{at}: {} replaced by {}", quote(o), quote(n))
                }
                (Some(_), None) => format!("{at} cleared"),
                _ => format!("{at} changed"),
            }
        })
        .collect();
    (!said.is_empty()).then(|| said.join("; "))
}

fn hud(a: &Hud, o: &HudOps) -> Option<String> {
    let mut said: Vec<String> = Vec::new();
    for bar in o.set_bar.iter().flat_map(|b| b.0.iter()) {
        // The bar as it is now (a set_bar replaces by label).
        let now = a.bars.iter().find(|x| x.label == bar.label).unwrap_or(bar);
        said.push(format!(
            "{} {} of {}",
            now.label,
            num(now.current),
            num(now.max)
        ));
    }
    for stat in o.set_stat.iter().flat_map(|s| s.0.iter()) {
        let value = match &stat.value {
            StatValue::Number(n) => num(*n),
            StatValue::Text(t) => quote(t),
        };
        said.push(format!("{} {value}", stat.label));
    }
    (!said.is_empty()).then(|| said.join(", "))
}

fn terminal(o: &TerminalOps) -> Option<String> {
    let mut said = Vec::new();
    if o.clear == Some(true) {
        said.push("terminal cleared".to_owned());
    }
    match o.append_lines.as_deref() {
        Some([one]) => said.push(format!("new line: {}", quote(&one.text))),
        Some(lines @ [.., last]) => said.push(format!(
            "{} new lines, last: {}",
            lines.len(),
            quote(&last.text)
        )),
        _ => {}
    }
    (!said.is_empty()).then(|| sentences(&said))
}

fn dialog(a: &tulip_core::model::Dialog, o: &DialogOps) -> Option<String> {
    let mut said = Vec::new();
    let name = a.speaker.as_ref().and_then(|s| s.name.as_deref());
    match (&o.set_text, name) {
        (Some(t), Some(n)) => said.push(format!("{n}: {}", quote(t))),
        (Some(t), None) => said.push(quote(t)),
        (None, Some(n)) if o.set_speaker.is_some() => said.push(format!("speaker: {n}")),
        _ => {}
    }
    if let Some(choices) = &o.set_choices {
        if choices.is_empty() {
            said.push("no choices".to_owned());
        } else {
            let texts: Vec<String> = choices.iter().map(|c| quote(&c.text)).collect();
            said.push(format!(
                "{}: {}",
                plural(choices.len(), "choice", "choices"),
                texts.join(", ")
            ));
        }
    }
    (!said.is_empty()).then(|| sentences(&said))
}

fn leaderboard(a: &Leaderboard, o: &LeaderboardOps) -> Option<String> {
    let mut said = Vec::new();
    if o.set_entries.is_some() {
        let mut s = "leaderboard updated".to_owned();
        if let Some(top) = a.entries.iter().min_by_key(|e| e.rank) {
            s.push_str(&format!(
                ", first: {} with {}",
                quote(&top.name),
                num(top.score)
            ));
        }
        said.push(s);
    }
    if o.set_page.is_some() {
        let page = a.page.unwrap_or(1);
        said.push(match a.total_pages {
            Some(t) => format!("page {page} of {t}"),
            None => format!("page {page}"),
        });
    }
    (!said.is_empty()).then(|| sentences(&said))
}

fn cards(a: &Cards, o: &CardsOps) -> Option<String> {
    let mut said = Vec::new();
    if let Some(add) = o.add_cards.as_ref().filter(|c| !c.is_empty()) {
        said.push(format!("{} added", plural(add.len(), "card", "cards")));
    }
    if let Some(rm) = o.remove_cards.as_ref().filter(|r| !r.ids.is_empty()) {
        said.push(format!("{} removed", plural(rm.ids.len(), "card", "cards")));
    }
    if let Some(up) = o.update_card.as_ref().filter(|u| !u.0.is_empty()) {
        said.push(format!("{} changed", plural(up.0.len(), "card", "cards")));
    }
    if o.reorder.is_some() {
        said.push("cards reordered".to_owned());
    }
    if said.is_empty() {
        return None;
    }
    said.push(format!("{} now", plural(a.cards.len(), "card", "cards")));
    Some(said.join(", "))
}

fn inventory(a: &Inventory, o: &InventoryOps) -> Option<String> {
    let mut said = Vec::new();
    match o.set_items.as_deref() {
        Some([one]) => {
            let name = a
                .items
                .get(&one.slot)
                .and_then(|i| i.name.as_deref().or(i.icon.as_deref()))
                .unwrap_or("item");
            let count = one
                .count
                .filter(|c| *c > 1)
                .map_or(String::new(), |c| format!(" x{c}"));
            said.push(format!("{}{count} in slot {}", quote(name), one.slot + 1));
        }
        Some(items) if !items.is_empty() => {
            said.push(format!("{} changed", plural(items.len(), "item", "items")))
        }
        _ => {}
    }
    if let Some(slots) = o.clear_slots.as_ref().filter(|s| !s.is_empty()) {
        said.push(format!("{} emptied", plural(slots.len(), "slot", "slots")));
    }
    (!said.is_empty()).then(|| said.join(", "))
}

fn map(a: &MapWidget, o: &MapOps) -> Option<String> {
    let mut said = Vec::new();
    if let Some(add) = o.add_markers.as_ref().filter(|m| !m.is_empty()) {
        said.push(format!("{} added", plural(add.len(), "marker", "markers")));
    }
    if let Some(rm) = o.remove_markers.as_ref().filter(|r| !r.ids.is_empty()) {
        said.push(format!(
            "{} removed",
            plural(rm.ids.len(), "marker", "markers")
        ));
    }
    match o.move_marker.as_ref().map(|m| m.0.as_slice()) {
        Some([one]) => {
            let name = a
                .markers
                .values()
                .find(|m| m.id == one.id)
                .and_then(|m| m.label.as_deref().or(m.icon.as_deref()))
                .unwrap_or("marker");
            said.push(format!(
                "{} moved to {}",
                quote(name),
                coordinate(one.x, one.y)
            ));
        }
        Some(many) if !many.is_empty() => {
            said.push(format!("{} moved", plural(many.len(), "marker", "markers")))
        }
        _ => {}
    }
    if let Some(t) = o.set_tiles.as_ref().filter(|t| !t.is_empty()) {
        said.push(format!("{} changed", plural(t.len(), "tile", "tiles")));
    }
    if let Some(r) = o.reveal.as_ref().filter(|r| !r.is_empty()) {
        said.push(format!("{} revealed", plural(r.len(), "tile", "tiles")));
    }
    if let Some(c) = &o.set_center {
        said.push(format!("map centred on {}", coordinate(c.x, c.y)));
    }
    (!said.is_empty()).then(|| said.join(", "))
}

fn lobby(b: &Lobby, a: &Lobby, o: &LobbyOps) -> Option<String> {
    let mut said = Vec::new();
    if o.set_players.is_some() {
        let name = |p: &tulip_core::model::LobbyPlayer| {
            p.name.clone().unwrap_or_else(|| p.id.as_str().to_owned())
        };
        let joined: Vec<String> = a
            .players
            .iter()
            .filter(|p| !b.players.iter().any(|q| q.id == p.id))
            .map(name)
            .collect();
        let left: Vec<String> = b
            .players
            .iter()
            .filter(|p| !a.players.iter().any(|q| q.id == p.id))
            .map(name)
            .collect();
        if !joined.is_empty() {
            said.push(format!("{} joined", joined.join(", ")));
        }
        if !left.is_empty() {
            said.push(format!("{} left", left.join(", ")));
        }
        let ready = a.players.iter().filter(|p| p.ready == Some(true)).count();
        said.push(format!(
            "{}, {ready} ready",
            plural(a.players.len(), "player", "players")
        ));
    }
    if o.set_status.is_some() {
        said.push(
            match a.status {
                LobbyStatus::Waiting => "waiting for players",
                LobbyStatus::Starting => "game starting",
                LobbyStatus::InProgress => "game in progress",
            }
            .to_owned(),
        );
    }
    for (key, s) in o.set_settings.iter().flatten() {
        let value = match &s.value {
            SettingValue::Bool(true) => "on".to_owned(),
            SettingValue::Bool(false) => "off".to_owned(),
            SettingValue::Number(n) => num(*n),
            SettingValue::Text(t) => quote(t),
        };
        let label = a
            .settings
            .get(key)
            .and_then(|x| x.label.as_deref())
            .unwrap_or(key);
        said.push(format!("{label} set to {value}"));
    }
    (!said.is_empty()).then(|| said.join(", "))
}

fn canvas(o: &CanvasOps) -> Option<String> {
    let mut said = Vec::new();
    if let Some(add) = o.add_sprites.as_ref().filter(|s| !s.is_empty()) {
        said.push(format!("{} added", plural(add.len(), "sprite", "sprites")));
    }
    if let Some(rm) = o.remove_sprites.as_ref().filter(|r| !r.ids.is_empty()) {
        said.push(format!(
            "{} removed",
            plural(rm.ids.len(), "sprite", "sprites")
        ));
    }
    (!said.is_empty()).then(|| said.join(", "))
}

#[derive(Properties, PartialEq)]
pub struct AnnouncerProps {
    /// What to say; `None` says nothing.
    #[prop_or_default]
    pub text: Option<AttrValue>,
    /// Changes with every announcement, so that the same words twice are
    /// said twice.
    #[prop_or_default]
    pub seq: u64,
}

/// A visually hidden polite live region with two text slots: each
/// announcement goes into the slot the last one did not use (by the parity
/// of `seq`) and empties the other, so the same words twice are still a
/// change, which screen readers read out again. Two text writes, where
/// a new element per announcement (a keyed `<p>`) was a node inserted
/// and one removed: that was two thirds of the time Yew spent on a grid
/// update's DOM (docs/renderer.md, "Speed").
#[component]
pub fn Announcer(props: &AnnouncerProps) -> Html {
    let text = props.text.clone().unwrap_or_default();
    let (even, odd) = if props.seq.is_multiple_of(2) {
        (text, AttrValue::default())
    } else {
        (AttrValue::default(), text)
    };
    html! {
        <div class="tulip-announcer tulip-sr-only" role="status" aria-live="polite"
             aria-atomic="true" data-testid="announcer" data-seq={props.seq.to_string()}>
            <p class="tulip-announcer__text">{ even }</p>
            <p class="tulip-announcer__text">{ odd }</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use tulip_core::{apply_update, parse_update, parse_widget_value, Policy};

    /// The announcement for `update` applied to the widget `payload`.
    fn say(payload: Value, update: Value) -> Option<String> {
        let before = parse_widget_value(payload, &Policy::default()).unwrap();
        let u = parse_update(&before.body, update).unwrap();
        let after = apply_update(&before, &u, &Policy::default()).unwrap();
        describe_update(&before, &after, &u)
    }

    fn board() -> Value {
        json!({"widget_type": "grid", "extra_data": {"width": 3, "height": 3,
            "cells": [{"x": 0, "y": 0, "content": "O"}]}})
    }

    #[test]
    fn grid_moves_are_named_by_coordinates() {
        assert_eq!(
            say(
                board(),
                json!({"set_cells": [{"x": 1, "y": 1, "content": "X"}]})
            )
            .as_deref(),
            Some("X placed at B2")
        );
        assert_eq!(
            say(board(), json!({"clear_cells": [{"x": 0, "y": 0}]})).as_deref(),
            Some("A1 cleared")
        );
        assert_eq!(
            say(
                board(),
                json!({"set_cells": [{"x": 0, "y": 0, "content": "X"}]})
            )
            .as_deref(),
            Some("A1: O replaced by X")
        );
        assert_eq!(
            say(
                board(),
                json!({"set_cells": [{"x": 2, "y": 2, "bg": "#ff0000"}]})
            )
            .as_deref(),
            Some("C3 changed")
        );
        assert_eq!(
            say(
                board(),
                json!({"set_cells": [{"x": 1, "y": 1, "content": "X"}, {"x": 2, "y": 0, "content": "O"}]})
            )
            .as_deref(),
            Some("O placed at C1; X placed at B2")
        );
        let many: Vec<Value> = (0..3)
            .map(|x| json!({"x": x, "y": 2, "content": "Z"}))
            .chain([json!({"x": 2, "y": 1, "content": "Z"})])
            .collect();
        assert_eq!(
            say(board(), json!({"set_cells": many})).as_deref(),
            Some("4 cells changed")
        );
        // Nothing visible changed: nothing to say.
        assert_eq!(
            say(board(), json!({"clear_cells": [{"x": 2, "y": 2}]})),
            None
        );
        assert_eq!(say(board(), json!({"set_default_bg": "#eeeeee"})), None);
        assert_eq!(say(board(), json!({})), None);
    }

    #[test]
    fn turns_name_the_player() {
        let w = json!({"widget_type": "grid", "extra_data": {"width": 1, "height": 1,
            "players": {"list": [{"id": 7, "name": "Ann"}]}}});
        assert_eq!(
            say(
                w,
                json!({"set_cells": [{"x": 0, "y": 0, "content": "X"}], "set_turn": {"current_player": 7}})
            )
            .as_deref(),
            Some("X placed at A1. Ann's turn")
        );
    }

    #[test]
    fn hud_bars_and_stats() {
        let w = json!({"widget_type": "hud", "extra_data": {
            "bars": [{"label": "Health", "current": 80, "max": 100}],
            "stats": [{"label": "Gold", "value": 3}]}});
        assert_eq!(
            say(
                w.clone(),
                json!({"set_bar": {"label": "Health", "current": 50, "max": 100}})
            )
            .as_deref(),
            Some("Health 50 of 100")
        );
        assert_eq!(
            say(w, json!({"set_stat": [{"label": "Gold", "value": 4.5}, {"label": "Class", "value": "Mage"}]}))
                .as_deref(),
            Some("Gold 4.5, Class Mage")
        );
    }

    #[test]
    fn terminal_dialog_and_leaderboard() {
        let t = json!({"widget_type": "terminal", "extra_data": {"lines": []}});
        assert_eq!(
            say(t.clone(), json!({"append_lines": [{"text": "You win"}]})).as_deref(),
            Some("New line: You win")
        );
        assert_eq!(
            say(
                t,
                json!({"clear": true, "append_lines": [{"text": "a"}, {"text": "b"}]})
            )
            .as_deref(),
            Some("Terminal cleared. 2 new lines, last: b")
        );
        let d = json!({"widget_type": "dialog", "extra_data": {"speaker": {"name": "Owl"}, "text": "Hi"}});
        assert_eq!(
            say(
                d,
                json!({"set_text": "Which way?", "set_choices": [{"id": "l", "text": "Left"}, {"id": "r", "text": "Right"}]})
            )
            .as_deref(),
            Some("Owl: Which way? 2 choices: Left, Right")
        );
        let l = json!({"widget_type": "leaderboard", "extra_data": {"entries": [{"rank": 1, "name": "Ann", "score": 9}],
            "page": 1, "total_pages": 3}});
        assert_eq!(
            say(l, json!({"set_page": 2})).as_deref(),
            Some("Page 2 of 3")
        );
    }

    #[test]
    fn counts_for_cards_inventory_map_lobby() {
        let c =
            json!({"widget_type": "cards", "extra_data": {"cards": [{"id": "a", "face": "A"}]}});
        assert_eq!(
            say(
                c,
                json!({"add_cards": [{"id": "b", "face": "K"}, {"id": "c", "face": "Q"}]})
            )
            .as_deref(),
            Some("2 cards added, 3 cards now")
        );
        let inv =
            json!({"widget_type": "inventory", "extra_data": {"rows": 2, "cols": 2, "items": []}});
        assert_eq!(
            say(
                inv.clone(),
                json!({"set_items": [{"slot": 2, "name": "Sword"}]})
            )
            .as_deref(),
            Some("Sword in slot 3")
        );
        let m = json!({"widget_type": "map", "extra_data": {"width": 10, "height": 10,
            "markers": [{"id": "k", "x": 0, "y": 0, "label": "Knight"}]}});
        assert_eq!(
            say(m, json!({"move_marker": {"id": "k", "x": 3, "y": 4}})).as_deref(),
            Some("Knight moved to D5")
        );
        let lobby = json!({"widget_type": "lobby", "extra_data": {"game": "chess", "status": "waiting",
            "players": [{"id": "a", "name": "Ann", "ready": true}]}});
        assert_eq!(
            say(
                lobby.clone(),
                json!({"set_players": [{"id": "a", "name": "Ann", "ready": true}, {"id": "b", "name": "Bob"}]})
            )
            .as_deref(),
            Some("Bob joined, 2 players, 1 ready")
        );
        assert_eq!(
            say(lobby, json!({"set_status": "starting"})).as_deref(),
            Some("Game starting")
        );
    }

    #[test]
    fn canvas_moves_are_quiet_and_composites_speak_for_children() {
        let c = json!({"widget_type": "canvas", "extra_data": {"width": 100, "height": 100,
            "sprites": [{"id": "s", "emoji": "🚀", "x": 1, "y": 1}]}});
        assert_eq!(
            say(c, json!({"move_sprite": {"id": "s", "x": 5, "y": 5}})),
            None
        );
        let comp = json!({"widget_type": "composite", "extra_data": {"widgets": [
            {"id": "board", "type": "grid", "width": 2, "height": 2},
            {"id": "hp", "type": "hud", "bars": [{"label": "HP", "current": 3, "max": 3}]}]}});
        assert_eq!(
            say(
                comp,
                json!({"children": {"board": {"set_cells": [{"x": 1, "y": 0, "content": "X"}]},
                                    "hp": {"set_bar": {"label": "HP", "current": 2, "max": 3}}}})
            )
            .as_deref(),
            Some("X placed at B1. HP 2 of 3")
        );
    }

    #[test]
    fn long_text_is_cut() {
        let t = json!({"widget_type": "terminal", "extra_data": {"lines": []}});
        let long = "x".repeat(500);
        let said = say(t, json!({"append_lines": [{"text": long}]})).unwrap();
        assert!(said.chars().count() < 200 && said.ends_with('…'));
    }
}
