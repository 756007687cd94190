//! Applying updates (PROTOCOL.md 2): atomic, validated, raising `version`.
//!
//! Operations of one kind run in a fixed order, documented on
//! [`apply_update`]. The update is applied to a copy; on any error the copy
//! is dropped, so a rejected update changes nothing.

use serde_json::Value;

use crate::error::{Code, Errors, WidgetError};
use crate::ids::{HasKey, Keyed};
use crate::json::{FromJson, ToJson};
use crate::limits::*;
use crate::model::*;
use crate::path::{cat, idx, P};
use crate::update::*;
use crate::validate::{Policy, Validator};
use crate::view::merge_view;

/// A widget with its version, as a message stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned {
    pub widget: Widget,
    pub version: u64,
}

impl Versioned {
    pub fn new(widget: Widget) -> Self {
        Versioned { widget, version: 1 }
    }

    /// Applies `update`, raising the version by one; on error nothing changes.
    pub fn apply(&mut self, update: &Update, policy: &Policy) -> Result<(), Errors> {
        self.widget = apply_update(&self.widget, update, policy)?;
        self.version += 1;
        Ok(())
    }
}

/// Applies `update` to `widget`, giving the new widget.
///
/// Order within one update: removals and clears first, then additions and
/// sets, then patches and moves, then `reorder`; then `set_timer` and
/// `set_turn`; then the operations on explicit `views`, each applied to that
/// view laid over the new base. `play_sound` and `emphasize` change no state.
pub fn apply_update(widget: &Widget, update: &Update, policy: &Policy) -> Result<Widget, Errors> {
    let mut body = widget.body.clone();
    apply_body(&mut body, update, policy, "update", true)?;
    // The result must be a valid widget as a whole (duplicate ids across
    // lists, a page beyond `total_pages`, limits...). Elements that came in
    // with the update were checked on the way; the rest were valid before.
    let mut v = Validator::new(policy);
    v.shallow = true;
    v.body(
        &mut body,
        "extra_data",
        1,
        &mut std::collections::HashSet::new(),
    );
    v.finish()?;
    Ok(Widget { body })
}

fn fail<T>(code: Code, path: String, msg: impl Into<String>) -> Result<T, Errors> {
    Err(Errors::one(code, path, msg))
}

fn apply_body(
    b: &mut Body,
    u: &Update,
    policy: &Policy,
    p: &str,
    allow_views: bool,
) -> Result<(), Errors> {
    if b.kind() != u.kind() {
        return fail(
            Code::InvalidUpdate,
            p.to_owned(),
            format!(
                "a {} update cannot change a {}",
                u.kind().as_str(),
                b.kind().as_str()
            ),
        );
    }
    let mut v = Validator::new(policy);
    check_ops(&mut v, b, u, p);
    v.finish()?;
    apply_kind(b, u, policy, p)?;
    let c = u.common();
    if let Some(t) = c.set_timer {
        *b.common_mut().timer = (t.seconds > 0.0).then(|| t.clone());
    }
    if let Some(t) = c.set_turn {
        *b.common_mut().turn = Some(t.clone());
    }
    if let Some(name) = c.play_sound {
        if !b
            .common()
            .sounds
            .as_ref()
            .is_some_and(|s| s.contains_key(name))
        {
            return fail(
                Code::UnknownId,
                cat(p, ".play_sound"),
                "no sound has this name",
            );
        }
    }
    check_limits(b, p)?;
    let views: Vec<(String, Update)> = with_ops_views(u);
    if !allow_views && u.common().has_views_field {
        return fail(
            Code::NotAllowedHere,
            cat(p, ".views"),
            "views inside views are not allowed",
        );
    }
    for (key, vu) in views {
        let vp = crate::path::map_key(p, "views", &key);
        let mut v = Validator::new(policy);
        v.id(&key, P::Cat(p, ".views"));
        v.finish()?;
        let touched = touched_fields(&vu);
        // A user without a view of their own sees `default`: their new view
        // starts from it, so that nothing else they see changes.
        let existing = b.common().views.as_ref().and_then(|m| {
            m.get(&key)
                .or_else(|| (key != "default").then(|| m.get("default")).flatten())
        });
        if touched.is_empty() {
            apply_body(
                &mut merge_view(b, &existing.cloned().unwrap_or_default(), "extra_data")
                    .map_err(Errors::from)?,
                &vu,
                policy,
                &vp,
                false,
            )?;
            continue;
        }
        let mut fields = existing.cloned().unwrap_or_default();
        let mut merged = merge_view(b, &fields, "extra_data").map_err(Errors::from)?;
        apply_body(&mut merged, &vu, policy, &vp, false)?;
        let Value::Object(mv) = merged.to_value() else {
            continue;
        };
        for f in touched {
            match mv.get(f) {
                Some(val) => {
                    fields.insert(f.to_owned(), val.clone());
                }
                None => {
                    fields.insert(f.to_owned(), Value::Null);
                }
            }
        }
        // A `null` left by an unset optional field means "not set" in the view
        // too, so it is dropped rather than stored.
        fields.retain(|_, v| !v.is_null());
        b.common_mut()
            .views
            .get_or_insert_with(Default::default)
            .insert(key, fields);
    }
    Ok(())
}

/// The explicit-view operations of an update, as updates of the same kind.
fn with_ops_views(u: &Update) -> Vec<(String, Update)> {
    macro_rules! collect {
        ($o:expr, $variant:ident) => {
            $o.views
                .iter()
                .flat_map(|m| m.iter())
                .map(|(k, v)| (k.clone(), Update::$variant(v.clone())))
                .collect()
        };
    }
    match u {
        Update::Grid(o) => collect!(o, Grid),
        Update::Canvas(o) => collect!(o, Canvas),
        Update::Cards(o) => collect!(o, Cards),
        Update::Hud(o) => collect!(o, Hud),
        Update::Dialog(o) => collect!(o, Dialog),
        Update::Terminal(o) => collect!(o, Terminal),
        Update::Leaderboard(o) => collect!(o, Leaderboard),
        Update::Inventory(o) => collect!(o, Inventory),
        Update::Map(o) => collect!(o, Map),
        Update::Lobby(o) => collect!(o, Lobby),
        Update::Interactive(o) => collect!(o, Interactive),
        Update::Composite(o) => collect!(o, Composite),
    }
}

/// The `extra_data` field each operation changes.
pub fn field_of_op(op: &str) -> Option<&'static str> {
    Some(match op {
        "set_cells" | "clear_cells" => "cells",
        "set_default_bg" => "default_bg",
        "add_sprites" | "remove_sprites" | "move_sprite" | "update_sprite" => "sprites",
        "add_cards" | "remove_cards" | "update_card" | "reorder" => "cards",
        "set_bar" => "bars",
        "set_stat" => "stats",
        "set_text" => "text",
        "set_choices" => "choices",
        "set_speaker" => "speaker",
        "append_lines" | "clear" => "lines",
        "set_entries" => "entries",
        "set_page" => "page",
        "set_items" | "clear_slots" => "items",
        "set_tiles" => "tiles",
        "add_markers" | "remove_markers" | "move_marker" => "markers",
        "set_center" => "center",
        "reveal" => "explored",
        "set_players" => "players",
        "set_status" => "status",
        "set_settings" => "settings",
        "set_components" => "components",
        "children" => "widgets",
        "set_timer" => "timer",
        "set_turn" => "turn",
        _ => return None,
    })
}

/// The fields an update changes (not counting its `views` operations).
pub fn touched_fields(u: &Update) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    u.each_op(&mut |k| out.extend(field_of_op(k)));
    out = sorted_strs(out);
    out.dedup();
    out
}

/// Strings in order, through the one shared sort (see `sorted::sort_indices`).
fn sorted_strs(v: Vec<&str>) -> Vec<&str> {
    let order = crate::sorted::sort_indices(v.len(), &|a, b| v[a].cmp(v[b]));
    crate::sorted::permute(v, &order)
}

/// Validates the contents of operations that do not depend on state.
fn check_ops(v: &mut Validator, b: &Body, u: &Update, p: &str) {
    let c = u.common();
    if let Some(t) = c.set_timer {
        v.timer(t, &cat(p, ".set_timer"), true);
    }
    if let Some(t) = c.set_turn {
        v.turn(t, &cat(p, ".set_turn"));
    }
    if let Some(list) = c.emphasize {
        v.count(list.len(), MAX_LIST, P::Cat(p, ".emphasize"), "emphases");
        for (i, e) in list.iter().enumerate() {
            v.id(&e.target, P::Idx(p, ".emphasize", i, ".target"));
            if e.duration.is_some_and(|d| d > MAX_DURATION_MS) {
                v.err(
                    Code::OutOfRange,
                    idx(p, ".emphasize", i, ".duration"),
                    "too long",
                );
            }
        }
    }
    match (b, u) {
        (Body::Grid(g), Update::Grid(o)) => {
            for (i, c) in o.set_cells.iter().flatten().enumerate() {
                v.cell(c, g.width, g.height, &idx(p, ".set_cells", i, ""));
            }
            v.count(
                o.set_cells.as_ref().map_or(0, Vec::len),
                (MAX_GRID_SIDE * MAX_GRID_SIDE) as usize,
                P::Cat(p, ".set_cells"),
                "cells",
            );
        }
        (Body::Canvas(_), Update::Canvas(o)) => {
            for (i, s) in o.add_sprites.iter().flatten().enumerate() {
                v.sprite(s, &idx(p, ".add_sprites", i, ""));
            }
            for (i, m) in o.move_sprite.iter().flat_map(|m| m.0.iter()).enumerate() {
                v.finite(
                    m.x,
                    -MAX_COORD,
                    MAX_COORD,
                    P::Idx(p, ".move_sprite", i, ".x"),
                );
                v.finite(
                    m.y,
                    -MAX_COORD,
                    MAX_COORD,
                    P::Idx(p, ".move_sprite", i, ".y"),
                );
                v.animate(&m.animate, P::Idx(p, ".move_sprite", i, ".animate"));
            }
        }
        (Body::Cards(_), Update::Cards(o)) => {
            for (i, c) in o.add_cards.iter().flatten().enumerate() {
                v.card(c, &idx(p, ".add_cards", i, ""));
            }
        }
        (Body::Hud(_), Update::Hud(o)) => {
            for (i, b) in o.set_bar.iter().flat_map(|x| x.0.iter()).enumerate() {
                v.bar(b, &idx(p, ".set_bar", i, ""));
            }
            for (i, s) in o.set_stat.iter().flat_map(|x| x.0.iter()).enumerate() {
                v.stat(s, &idx(p, ".set_stat", i, ""));
            }
        }
        (Body::Dialog(_), Update::Dialog(o)) => {
            v.opt_text(&o.set_text, P::Cat(p, ".set_text"));
            let mut seen = std::collections::HashSet::new();
            for (i, c) in o.set_choices.iter().flatten().enumerate() {
                v.choice(c, &idx(p, ".set_choices", i, ""));
                if !seen.insert(c.id.as_str()) {
                    v.err(
                        Code::DuplicateId,
                        idx(p, ".set_choices", i, ".id"),
                        "two choices share this id",
                    );
                }
            }
            if let Some(s) = &o.set_speaker {
                v.speaker(s, &cat(p, ".set_speaker"));
            }
        }
        (Body::Terminal(_), Update::Terminal(o)) => {
            v.count(
                o.append_lines.as_ref().map_or(0, Vec::len),
                MAX_TERMINAL_LINES,
                P::Cat(p, ".append_lines"),
                "lines",
            );
            for (i, l) in o.append_lines.iter().flatten().enumerate() {
                v.line(l, &idx(p, ".append_lines", i, ""));
            }
        }
        (Body::Leaderboard(l), Update::Leaderboard(o)) => {
            for (i, e) in o.set_entries.iter().flatten().enumerate() {
                v.entry(e, &idx(p, ".set_entries", i, ""));
            }
            if let Some(page) = o.set_page {
                if page == 0 || l.total_pages.is_some_and(|t| page > t.max(1)) {
                    v.err(
                        Code::OutOfRange,
                        cat(p, ".set_page"),
                        "page must be within 1..=total_pages",
                    );
                }
            }
        }
        (Body::Inventory(inv), Update::Inventory(o)) => {
            let slots = inv.rows.saturating_mul(inv.cols);
            for (i, it) in o.set_items.iter().flatten().enumerate() {
                v.item(it, slots, &idx(p, ".set_items", i, ""));
            }
        }
        (Body::Map(m), Update::Map(o)) => {
            for (i, t) in o.set_tiles.iter().flatten().enumerate() {
                v.tile(t, m.width, m.height, &idx(p, ".set_tiles", i, ""));
            }
            for (i, mk) in o.add_markers.iter().flatten().enumerate() {
                v.marker(mk, m.width, m.height, &idx(p, ".add_markers", i, ""));
            }
            for (i, mv) in o.move_marker.iter().flat_map(|x| x.0.iter()).enumerate() {
                v.point(
                    &Point { x: mv.x, y: mv.y },
                    m.width,
                    m.height,
                    &idx(p, ".move_marker", i, ""),
                );
                v.animate(&mv.animate, P::Idx(p, ".move_marker", i, ".animate"));
            }
            if let Some(c) = &o.set_center {
                v.point(c, m.width, m.height, &cat(p, ".set_center"));
            }
            for (i, pt) in o.reveal.iter().flatten().enumerate() {
                v.point(pt, m.width, m.height, &idx(p, ".reveal", i, ""));
            }
        }
        (Body::Lobby(_), Update::Lobby(o)) => {
            let mut seen = std::collections::HashSet::new();
            for (i, lp) in o.set_players.iter().flatten().enumerate() {
                v.lobby_player(lp, &idx(p, ".set_players", i, ""));
                if !seen.insert(lp.id.as_str()) {
                    v.err(
                        Code::DuplicateId,
                        idx(p, ".set_players", i, ".id"),
                        "a player is listed twice",
                    );
                }
            }
            for (k, s) in o.set_settings.iter().flatten() {
                v.id(k, P::Cat(p, ".set_settings"));
                v.setting(s, &crate::path::map_key(p, "set_settings", k));
            }
        }
        (Body::Interactive(_), Update::Interactive(o)) => {
            v.count(
                o.set_components.as_ref().map_or(0, Vec::len),
                100,
                P::Cat(p, ".set_components"),
                "components",
            );
            for (i, c) in o.set_components.iter().flatten().enumerate() {
                v.component(c, &idx(p, ".set_components", i, ""));
            }
        }
        _ => {}
    }
}

/// Removes each id; one that is not there is `UNKNOWN_ID`.
fn remove_ids<T: HasKey<Key = String>>(
    items: &mut Keyed<T>,
    r: &Option<RemoveIds>,
    at: &str,
    what: &str,
) -> Result<(), Errors> {
    let Some(r) = r else { return Ok(()) };
    // Each id must be there and not removed already (by an earlier repeat).
    let mut gone = vec![false; items.len()];
    for (i, id) in r.ids.iter().enumerate() {
        match items.0.index_of(id) {
            Some(pos) if !gone[pos] => gone[pos] = true,
            _ => {
                return fail(
                    Code::UnknownId,
                    idx(at, "", i, ""),
                    format!("no {what} has this id"),
                )
            }
        }
    }
    let mut pos = 0;
    items.retain(|_| {
        pos += 1;
        !gone[pos - 1]
    });
    Ok(())
}

/// Removes the elements with these keys, those that are there.
fn remove_keys<T: HasKey>(items: &mut Keyed<T>, keys: Vec<T::Key>) {
    if keys.len() <= 4 {
        for k in &keys {
            items.remove(k);
        }
        return;
    }
    let order = crate::sorted::sort_indices(keys.len(), &|a, b| keys[a].cmp(&keys[b]));
    let sorted = crate::sorted::permute(keys, &order);
    items.retain(|t| sorted.binary_search(&t.key()).is_err());
}

/// Adds each element (without its animation hint); an id that is there
/// already is `DUPLICATE_ID`.
fn add_new<T: HasKey<Key = String> + Clone>(
    items: &mut Keyed<T>,
    adds: &Option<Vec<T>>,
    at: &str,
    what: &str,
    no_hint: fn(&mut T),
) -> Result<(), Errors> {
    let Some(adds) = adds else { return Ok(()) };
    let mut seen = std::collections::HashSet::new();
    for (i, el) in adds.iter().enumerate() {
        let key = el.key();
        if items.get(&key).is_some() || !seen.insert(key) {
            return fail(
                Code::DuplicateId,
                idx(at, "", i, ".id"),
                format!("a {what} with this id exists"),
            );
        }
    }
    items.put_all(adds.iter().map(|el| strip(el.clone(), no_hint)));
    Ok(())
}

fn strip<T>(mut t: T, f: impl FnOnce(&mut T)) -> T {
    f(&mut t);
    t
}

/// Applies a patch `{"id", ...}` to an element through its JSON form.
fn patched<T: ToJson + FromJson>(el: &T, patch: &Patch, p: &str) -> Result<T, Errors> {
    let Value::Object(mut m) = el.to_json() else {
        return fail(Code::InvalidType, p.to_owned(), "cannot patch this element");
    };
    for (k, v) in patch {
        if v.is_null() {
            m.remove(k);
        } else {
            m.insert(k.clone(), v.clone());
        }
    }
    m.remove("animate");
    crate::json::decode(Value::Object(m), p).map_err(Errors::from)
}

fn patch_id<'a>(patch: &'a Patch, p: &str) -> Result<&'a str, Errors> {
    match patch.get("id") {
        Some(Value::String(s)) => Ok(s),
        _ => fail(
            Code::InvalidType,
            cat(p, ".id"),
            "a patch needs the element's string `id`",
        ),
    }
}

fn apply_kind(b: &mut Body, u: &Update, policy: &Policy, p: &str) -> Result<(), Errors> {
    match (b, u) {
        (Body::Grid(g), Update::Grid(o)) => {
            if let Some(clear) = &o.clear_cells {
                let gone: Vec<(u32, u32)> = clear.iter().map(|c| (c.y, c.x)).collect();
                remove_keys(&mut g.cells, gone);
            }
            g.cells.put_all(
                o.set_cells
                    .iter()
                    .flatten()
                    .map(|c| strip(c.clone(), |c| c.animate = None)),
            );
            if let Some(bg) = &o.set_default_bg {
                g.default_bg = Some(bg.clone());
            }
        }
        (Body::Canvas(c), Update::Canvas(o)) => {
            remove_ids(
                &mut c.sprites,
                &o.remove_sprites,
                &cat(p, ".remove_sprites"),
                "sprite",
            )?;
            add_new(
                &mut c.sprites,
                &o.add_sprites,
                &cat(p, ".add_sprites"),
                "sprite",
                |s| s.animate = None,
            )?;
            for (i, patch) in o.update_sprite.iter().flat_map(|x| x.0.iter()).enumerate() {
                let at = idx(p, ".update_sprite", i, "");
                let id = patch_id(patch, &at)?;
                let Some(old) = c.sprites.get(&id.to_owned()) else {
                    return fail(Code::UnknownId, cat(&at, ".id"), "no sprite has this id");
                };
                let new: Sprite = patched(old, patch, &at)?;
                let mut v = Validator::new(policy);
                v.sprite(&new, &at);
                v.finish()?;
                c.sprites.put(new);
            }
            for (i, m) in o.move_sprite.iter().flat_map(|x| x.0.iter()).enumerate() {
                let Some(s) = c.sprites.get_mut(&m.id) else {
                    return fail(
                        Code::UnknownId,
                        idx(p, ".move_sprite", i, ".id"),
                        "no sprite has this id",
                    );
                };
                s.x = m.x;
                s.y = m.y;
            }
        }
        (Body::Cards(c), Update::Cards(o)) => {
            if let Some(r) = &o.remove_cards {
                for (i, id) in r.ids.iter().enumerate() {
                    let Some(pos) = c.cards.iter().position(|k| &k.id == id) else {
                        return fail(
                            Code::UnknownId,
                            idx(p, ".remove_cards", i, ""),
                            "no card has this id",
                        );
                    };
                    c.cards.remove(pos);
                }
            }
            for (i, card) in o.add_cards.iter().flatten().enumerate() {
                if c.cards.iter().any(|k| k.id == card.id) {
                    return fail(
                        Code::DuplicateId,
                        idx(p, ".add_cards", i, ".id"),
                        "a card with this id exists",
                    );
                }
                c.cards.push(strip(card.clone(), |c| c.animate = None));
            }
            for (i, patch) in o.update_card.iter().flat_map(|x| x.0.iter()).enumerate() {
                let at = idx(p, ".update_card", i, "");
                let id = patch_id(patch, &at)?;
                let Some(pos) = c.cards.iter().position(|k| k.id == id) else {
                    return fail(Code::UnknownId, cat(&at, ".id"), "no card has this id");
                };
                let new: Card = patched(&c.cards[pos], patch, &at)?;
                let mut v = Validator::new(policy);
                v.card(&new, &at);
                v.finish()?;
                c.cards[pos] = new;
            }
            if let Some(order) = &o.reorder {
                let mut sorted_new: Vec<&str> = order.iter().map(String::as_str).collect();
                let mut sorted_old: Vec<&str> = c.cards.iter().map(|k| k.id.as_str()).collect();
                sorted_new = sorted_strs(sorted_new);
                sorted_old = sorted_strs(sorted_old);
                if sorted_new != sorted_old {
                    return fail(
                        Code::InvalidUpdate,
                        cat(p, ".reorder"),
                        "reorder must list every card id exactly once",
                    );
                }
                let mut by_id: std::collections::HashMap<String, Card> =
                    c.cards.drain(..).map(|k| (k.id.clone(), k)).collect();
                c.cards = order.iter().filter_map(|id| by_id.remove(id)).collect();
            }
        }
        (Body::Hud(h), Update::Hud(o)) => {
            for bar in o.set_bar.iter().flat_map(|x| x.0.iter()) {
                match h.bars.iter_mut().find(|b| b.label == bar.label) {
                    Some(b) => *b = bar.clone(),
                    None => h.bars.push(bar.clone()),
                }
            }
            for st in o.set_stat.iter().flat_map(|x| x.0.iter()) {
                match h.stats.iter_mut().find(|s| s.label == st.label) {
                    Some(s) => *s = st.clone(),
                    None => h.stats.push(st.clone()),
                }
            }
        }
        (Body::Dialog(d), Update::Dialog(o)) => {
            if let Some(t) = &o.set_text {
                d.text = Some(t.clone());
            }
            if let Some(c) = &o.set_choices {
                d.choices = c.clone();
            }
            if let Some(s) = &o.set_speaker {
                d.speaker = Some(s.clone());
            }
        }
        (Body::Terminal(t), Update::Terminal(o)) => {
            if o.clear == Some(true) {
                t.lines.clear();
            }
            t.lines.extend(o.append_lines.iter().flatten().cloned());
            let max = t.max_lines.unwrap_or(DEFAULT_MAX_LINES) as usize;
            if t.lines.len() > max {
                let drop = t.lines.len() - max;
                t.lines.drain(..drop);
            }
        }
        (Body::Leaderboard(l), Update::Leaderboard(o)) => {
            if let Some(e) = &o.set_entries {
                l.entries = e.clone();
            }
            if let Some(pg) = o.set_page {
                l.page = Some(pg);
            }
        }
        (Body::Inventory(inv), Update::Inventory(o)) => {
            if let Some(slots) = &o.clear_slots {
                remove_keys(&mut inv.items, slots.clone());
            }
            inv.items.put_all(
                o.set_items
                    .iter()
                    .flatten()
                    .map(|it| strip(it.clone(), |i| i.animate = None)),
            );
        }
        (Body::Map(m), Update::Map(o)) => {
            remove_ids(
                &mut m.markers,
                &o.remove_markers,
                &cat(p, ".remove_markers"),
                "marker",
            )?;
            m.tiles.put_all(o.set_tiles.iter().flatten().cloned());
            add_new(
                &mut m.markers,
                &o.add_markers,
                &cat(p, ".add_markers"),
                "marker",
                |m| m.animate = None,
            )?;
            for (i, mv) in o.move_marker.iter().flat_map(|x| x.0.iter()).enumerate() {
                let Some(mk) = m.markers.get_mut(&mv.id) else {
                    return fail(
                        Code::UnknownId,
                        idx(p, ".move_marker", i, ".id"),
                        "no marker has this id",
                    );
                };
                mk.x = mv.x;
                mk.y = mv.y;
            }
            if let Some(c) = o.set_center {
                m.center = Some(c);
            }
            if let Some(pts) = &o.reveal {
                let ex = m.explored.get_or_insert_with(Keyed::new);
                ex.put_all(pts.iter().copied());
            }
        }
        (Body::Lobby(l), Update::Lobby(o)) => {
            if let Some(ps) = &o.set_players {
                l.players = ps.clone();
            }
            if let Some(s) = o.set_status {
                l.status = s;
            }
            for (k, s) in o.set_settings.iter().flatten() {
                l.settings.insert(k.clone(), s.clone());
            }
        }
        (Body::Interactive(it), Update::Interactive(o)) => {
            if let Some(c) = &o.set_components {
                it.components = c.clone();
            }
        }
        (Body::Composite(c), Update::Composite(o)) => {
            for (id, ops) in o.children.iter().flatten() {
                let at = format!("{p}.children.{id}");
                let Some(child) = c.widgets.iter_mut().find(|w| w.id() == id) else {
                    return fail(Code::UnknownId, at, "no child has this id");
                };
                let Some(cu) = ops.parsed() else {
                    return fail(
                        Code::InvalidUpdate,
                        at,
                        "child operations were not parsed against the widget",
                    );
                };
                apply_body(&mut child.body, cu, policy, &at, true)?;
            }
        }
        (b, u) => {
            return fail(
                Code::InvalidUpdate,
                p.to_owned(),
                format!(
                    "a {} update cannot change a {}",
                    u.kind().as_str(),
                    b.kind().as_str()
                ),
            )
        }
    }
    Ok(())
}

/// The count limits that an update can break.
fn check_limits(b: &Body, p: &str) -> Result<(), Errors> {
    let (n, max, what, field) = match b {
        Body::Canvas(c) => (c.sprites.len(), MAX_SPRITES, "sprites", "sprites"),
        Body::Cards(c) => (c.cards.len(), MAX_CARDS, "cards", "cards"),
        Body::Hud(h) => (
            h.bars.len().max(h.stats.len()),
            MAX_LIST,
            "bars or stats",
            "bars",
        ),
        Body::Map(m) => (m.markers.len(), MAX_LIST, "markers", "markers"),
        Body::Leaderboard(l) => (l.entries.len(), MAX_LIST, "entries", "entries"),
        Body::Dialog(d) => (d.choices.len(), MAX_LIST, "choices", "choices"),
        Body::Lobby(l) => (l.settings.len(), MAX_SMALL_MAP, "settings", "settings"),
        _ => (0, 1, "", ""),
    };
    if n > max {
        return Err(WidgetError::new(
            Code::TooMany,
            p.to_owned(),
            format!("the update would leave {n} {what} in `{field}`; at most {max} are allowed"),
        )
        .into());
    }
    if let Body::Map(m) = b {
        if m.tiles.len() > MAX_LIST * 10
            || m.explored.as_ref().is_some_and(|e| e.len() > MAX_LIST * 10)
        {
            return fail(
                Code::TooMany,
                p.to_owned(),
                "too many tiles or explored cells",
            );
        }
    }
    Ok(())
}
