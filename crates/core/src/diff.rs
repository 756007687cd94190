//! The per-viewer update (PROTOCOL.md 3).
//!
//! From the old widget, the update and the new widget, this computes what one
//! viewer receives. It is a typed diff between the viewer's old view and new
//! view, never a filtered copy of the bot's update, so it cannot carry what
//! the viewer may not see. The law, checked by property tests:
//! `apply(resolve(old, v), viewer_update(old, new, u, v)) == resolve(new, v)`.
//!
//! The bot's update only supplies hints: which keyed elements it touched (so
//! a 100-cell change on a 100x100 grid compares 100 cells, not 10,000), the
//! animation hints to keep, and `play_sound`/`emphasize`, passed on only
//! when the viewer can see what they name. A change that no operation can
//! express becomes a whole-widget replacement for that viewer.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::ids::{HasKey, Keyed};
use crate::json::ToJson;
use crate::model::*;
use crate::sorted::SortedMap;
use crate::update::*;
use crate::view::{card_for, has_views, resolve_body, Viewer};

/// What one viewer receives for one update.
// Both variants are built once per viewer and moved, never stored in bulk.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum ViewerUpdate {
    /// Operations to apply to the viewer's current view (possibly none: the
    /// version still moves on).
    Update(Update),
    /// The viewer's whole new view, for changes no operation expresses.
    Replace(Widget),
}

/// What `viewer` receives when `update` turned `old` into `new`.
pub fn viewer_update(old: &Widget, new: &Widget, update: &Update, viewer: &Viewer) -> ViewerUpdate {
    if matches!(viewer, Viewer::Sender) {
        return ViewerUpdate::Update(update.clone());
    }
    if has_views(&old.body) || has_views(&new.body) {
        let ov = resolve_body(&old.body, viewer);
        let nv = resolve_body(&new.body, viewer);
        return match diff_body(&ov, &nv, Some(update), viewer, false) {
            Some(u) => ViewerUpdate::Update(u),
            None => ViewerUpdate::Replace(Widget { body: nv }),
        };
    }
    match diff_body(&old.body, &new.body, Some(update), viewer, true) {
        Some(u) => ViewerUpdate::Update(u),
        None => ViewerUpdate::Replace(Widget {
            body: resolve_body(&new.body, viewer),
        }),
    }
}

/// The diff between two bodies as `viewer` sees them, or `None` when only a
/// replacement expresses it. Bodies may be raw (without views) or already
/// resolved: element redaction is applied here either way, and is idempotent.
/// With `touched`, keyed collections compare only the keys the hints name.
pub fn diff_body(
    old: &Body,
    new: &Body,
    hints: Option<&Update>,
    viewer: &Viewer,
    touched: bool,
) -> Option<Update> {
    if old.kind() != new.kind() {
        return None;
    }
    let hints = hints.filter(|h| h.kind() == old.kind());
    let mut out = match (old, new) {
        (Body::Grid(o), Body::Grid(n)) => {
            Update::Grid(grid(o, n, hint!(hints, Grid), viewer, touched)?)
        }
        (Body::Canvas(o), Body::Canvas(n)) => {
            Update::Canvas(canvas(o, n, hint!(hints, Canvas), viewer)?)
        }
        (Body::Cards(o), Body::Cards(n)) => {
            Update::Cards(cards(o, n, hint!(hints, Cards), viewer)?)
        }
        (Body::Hud(o), Body::Hud(n)) => Update::Hud(HudOps {
            set_bar: labeled(&o.bars, &n.bars, |b| &b.label)?.map(OneOrMany),
            set_stat: labeled(&o.stats, &n.stats, |s| &s.label)?.map(OneOrMany),
            ..Default::default()
        }),
        (Body::Dialog(o), Body::Dialog(n)) => {
            same(&o.typing_effect, &n.typing_effect)?;
            Update::Dialog(DialogOps {
                set_text: changed_some(&o.text, &n.text)?,
                set_choices: (o.choices != n.choices).then(|| n.choices.clone()),
                set_speaker: changed_some(&o.speaker, &n.speaker)?,
                ..Default::default()
            })
        }
        (Body::Terminal(o), Body::Terminal(n)) => {
            Update::Terminal(terminal(o, n, hint!(hints, Terminal))?)
        }
        (Body::Leaderboard(o), Body::Leaderboard(n)) => {
            same(
                &(&o.title, &o.columns, o.total_pages, o.on_page_change),
                &(&n.title, &n.columns, n.total_pages, n.on_page_change),
            )?;
            Update::Leaderboard(LeaderboardOps {
                set_entries: (o.entries != n.entries).then(|| n.entries.clone()),
                set_page: changed_some(&o.page, &n.page)?,
                ..Default::default()
            })
        }
        (Body::Inventory(o), Body::Inventory(n)) => {
            Update::Inventory(inventory(o, n, hint!(hints, Inventory), viewer, touched)?)
        }
        (Body::Map(o), Body::Map(n)) => Update::Map(map(o, n, hint!(hints, Map), viewer)?),
        (Body::Lobby(o), Body::Lobby(n)) => {
            same(
                &(&o.game, &o.host, o.min_players, o.max_players),
                &(&n.game, &n.host, n.min_players, n.max_players),
            )?;
            if o.settings.keys().any(|k| !n.settings.contains_key(k)) {
                return None;
            }
            let changed: SortedMap<String, Setting> = n
                .settings
                .iter()
                .filter(|(k, v)| o.settings.get(*k) != Some(*v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Update::Lobby(LobbyOps {
                set_players: (o.players != n.players).then(|| n.players.clone()),
                set_status: (o.status != n.status).then_some(n.status),
                set_settings: (!changed.is_empty()).then_some(changed),
                ..Default::default()
            })
        }
        (Body::Interactive(o), Body::Interactive(n)) => Update::Interactive(InteractiveOps {
            set_components: (o.components != n.components).then(|| n.components.clone()),
            ..Default::default()
        }),
        (Body::Composite(o), Body::Composite(n)) => {
            Update::Composite(composite(o, n, hint!(hints, Composite), viewer, touched)?)
        }
        _ => return None,
    };
    common(old, new, hints, viewer, &mut out)?;
    Some(out)
}

macro_rules! hint {
    ($h:expr, $v:ident) => {
        match $h {
            Some(Update::$v(o)) => Some(o),
            _ => None,
        }
    };
}
use hint;

/// `Some(())` when equal, `None` (replace) otherwise.
fn same<T: PartialEq + ?Sized>(a: &T, b: &T) -> Option<()> {
    (a == b).then_some(())
}

/// For an optional field with a `set_` operation: unchanged gives no
/// operation, a new value sets it, and removal cannot be expressed.
fn changed_some<T: PartialEq + Clone>(o: &Option<T>, n: &Option<T>) -> Option<Option<T>> {
    match (o, n) {
        _ if o == n => Some(None),
        (_, Some(v)) => Some(Some(v.clone())),
        (_, None) => None,
    }
}

fn common(
    old: &Body,
    new: &Body,
    hints: Option<&Update>,
    viewer: &Viewer,
    out: &mut Update,
) -> Option<()> {
    let (o, n) = (old.common(), new.common());
    same(
        &(
            o.id,
            o.keyboard,
            o.sounds,
            o.play,
            o.players,
            o.interaction_rules,
            o.prediction,
            o.realtime,
            o.update_rate,
        ),
        &(
            n.id,
            n.keyboard,
            n.sounds,
            n.play,
            n.players,
            n.interaction_rules,
            n.prediction,
            n.realtime,
            n.update_rate,
        ),
    )?;
    let set_timer = match (o.timer, n.timer) {
        (a, b) if a == b => None,
        (_, Some(t)) => Some(t.clone()),
        (Some(_), None) => Some(Timer {
            seconds: 0.0,
            on_expire: None,
            visible: None,
            style: None,
            expires_at: None,
        }),
        (None, None) => None,
    };
    let set_turn = changed_some(o.turn, n.turn)?;
    let hc = hints.map(Update::common);
    let play_sound = hc
        .as_ref()
        .and_then(|h| h.play_sound.clone())
        .filter(|s| n.sounds.as_ref().is_some_and(|m| m.contains_key(s)));
    let emphasize: Option<Vec<Emphasize>> = hc
        .as_ref()
        .and_then(|h| h.emphasize.as_ref())
        .map(|list| {
            list.iter()
                .filter(|e| target_visible(new, &e.target, viewer))
                .cloned()
                .collect()
        })
        .filter(|l: &Vec<Emphasize>| !l.is_empty());
    crate::with_ops!(out, ops => {
        ops.set_timer = set_timer;
        ops.set_turn = set_turn;
        ops.play_sound = play_sound;
        ops.emphasize = emphasize;
    });
    Some(())
}

/// Whether `target` names something the viewer can see in `body`.
pub fn target_visible(body: &Body, target: &str, viewer: &Viewer) -> bool {
    if target == "widget" {
        return true;
    }
    let xy = || {
        let (x, y) = target.split_once(',')?;
        Some((y.trim().parse::<u32>().ok()?, x.trim().parse::<u32>().ok()?))
    };
    match body {
        Body::Grid(g) => xy().is_some_and(|(y, x)| {
            x < g.width
                && y < g.height
                && g.cells
                    .get(&(y, x))
                    .is_none_or(|c| viewer.sees(&c.owner, c.hidden_for_others))
        }),
        Body::Canvas(c) => c
            .sprites
            .get(&target.to_owned())
            .is_some_and(|s| viewer.sees(&s.owner, s.hidden_for_others)),
        Body::Cards(c) => c.cards.iter().any(|k| k.id == target),
        Body::Hud(h) => {
            h.bars.iter().any(|b| b.label == target) || h.stats.iter().any(|s| s.label == target)
        }
        Body::Dialog(d) => d.choices.iter().any(|c| c.id == target),
        Body::Leaderboard(l) => l.entries.iter().any(|e| e.name == target),
        Body::Inventory(i) => target.parse::<u32>().is_ok_and(|slot| {
            slot < i.rows * i.cols
                && i.items
                    .get(&slot)
                    .is_none_or(|it| viewer.sees(&it.owner, it.hidden_for_others))
        }),
        Body::Map(m) => {
            m.markers
                .get(&target.to_owned())
                .is_some_and(|mk| viewer.sees(&mk.owner, mk.hidden_for_others))
                || xy().is_some_and(|(y, x)| x < m.width && y < m.height)
        }
        Body::Lobby(l) => l.players.iter().any(|p| p.id.as_str() == target),
        Body::Interactive(i) => i.components.iter().any(|c| c.action == target),
        Body::Composite(c) => c.widgets.iter().any(|w| w.id() == target),
        Body::Terminal(_) => false,
    }
}

/// The elements under each key before and after, for the keys `only` names
/// (all keys otherwise). Independent of the viewer, so it is computed once
/// for all viewers of an update.
type Pairs<'a, T> = Vec<(<T as HasKey>::Key, Option<&'a T>, Option<&'a T>)>;

fn pairs<'a, T: HasKey>(
    old: &'a Keyed<T>,
    new: &'a Keyed<T>,
    only: Option<Vec<T::Key>>,
) -> Pairs<'a, T> {
    let keys: Vec<T::Key> = match only {
        // The keys the update named, in key order: what a viewer receives
        // never follows the order of the bot's list, which could say
        // something about elements the viewer does not see.
        Some(keys) => {
            let order = crate::sorted::sort_indices(keys.len(), &|a, b| keys[a].cmp(&keys[b]));
            let mut keys = crate::sorted::permute(keys, &order);
            keys.dedup();
            keys
        }
        None => merged_keys(old, new),
    };
    // Keys come in ascending order: each search starts where the last ended.
    let (mut from_old, mut from_new) = (0, 0);
    let look = |m: &'a Keyed<T>, from: &mut usize, k: &T::Key| match m.0.find_from(*from, k) {
        Ok(i) => {
            *from = i + 1;
            m.0.get_index(i).map(|(_, v)| &**v)
        }
        Err(i) => {
            *from = i;
            None
        }
    };
    keys.into_iter()
        .map(|k| {
            let o = look(old, &mut from_old, &k);
            let n = look(new, &mut from_new, &k);
            (k, o, n)
        })
        .collect()
}

/// The keys of both collections, in key order, each once.
fn merged_keys<T: HasKey>(old: &Keyed<T>, new: &Keyed<T>) -> Vec<T::Key> {
    let mut out = Vec::with_capacity(old.len().max(new.len()));
    let (mut a, mut b) = (old.0.keys().peekable(), new.0.keys().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match x.cmp(y) {
                std::cmp::Ordering::Less => a.next(),
                std::cmp::Ordering::Greater => b.next(),
                std::cmp::Ordering::Equal => {
                    b.next();
                    a.next()
                }
            },
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => break,
        };
        out.extend(next.cloned());
    }
    out
}

/// Changed-or-new and removed keys, as the viewer (`sees`) sees them.
fn changes<T, F>(pairs: &Pairs<'_, T>, sees: F) -> (Vec<T>, Vec<T::Key>)
where
    T: HasKey + PartialEq + Clone,
    F: Fn(&T) -> bool,
{
    let (mut set, mut removed) = (Vec::new(), Vec::new());
    for (k, o, n) in pairs {
        let o = o.filter(|e| sees(e));
        let n = n.filter(|e| sees(e));
        match (o, n) {
            (o, Some(n)) if o != Some(n) => set.push(n.clone()),
            (Some(_), None) => removed.push(k.clone()),
            _ => {}
        }
    }
    (set, removed)
}

/// Changed-or-new and removed keys of a keyed collection, as `viewer` sees
/// it. With `only`, just those keys are compared.
fn keyed<T, F>(
    old: &Keyed<T>,
    new: &Keyed<T>,
    only: Option<Vec<T::Key>>,
    sees: F,
) -> (Vec<T>, Vec<T::Key>)
where
    T: HasKey + PartialEq + Clone,
    F: Fn(&T) -> bool,
{
    changes(&pairs(old, new, only), sees)
}

/// The cells a grid update touched (or all cells), before and after.
fn grid_pairs<'a>(o: &'a Grid, n: &'a Grid, h: Option<&GridOps>, touched: bool) -> Pairs<'a, Cell> {
    let only = match (touched, h) {
        (true, Some(h)) => Some(
            h.set_cells
                .iter()
                .flatten()
                .map(|c| c.key())
                .chain(h.clear_cells.iter().flatten().map(|c| (c.y, c.x)))
                .collect(),
        ),
        (true, None) => Some(Vec::new()),
        (false, _) => None,
    };
    pairs(&o.cells, &n.cells, only)
}

/// What each of `viewers` receives: the same as calling [`viewer_update`]
/// for each, but the work that does not depend on the viewer is done once.
pub fn viewer_updates(
    old: &Widget,
    new: &Widget,
    update: &Update,
    viewers: &[Viewer],
) -> Vec<ViewerUpdate> {
    if let (Body::Grid(o), Body::Grid(n), Update::Grid(h)) = (&old.body, &new.body, update) {
        if !has_views(&old.body) && !has_views(&new.body) {
            let cells = grid_pairs(o, n, Some(h), true);
            return viewers
                .iter()
                .map(|v| {
                    if matches!(v, Viewer::Sender) {
                        return ViewerUpdate::Update(update.clone());
                    }
                    let diffed = grid_with(o, n, Some(h), v, &cells)
                        .map(Update::Grid)
                        .and_then(|mut u| {
                            common(&old.body, &new.body, Some(update), v, &mut u)?;
                            Some(u)
                        });
                    match diffed {
                        Some(u) => ViewerUpdate::Update(u),
                        None => ViewerUpdate::Replace(Widget {
                            body: resolve_body(&new.body, v),
                        }),
                    }
                })
                .collect();
        }
    }
    viewers
        .iter()
        .map(|v| viewer_update(old, new, update, v))
        .collect()
}

fn grid(
    o: &Grid,
    n: &Grid,
    h: Option<&GridOps>,
    viewer: &Viewer,
    touched: bool,
) -> Option<GridOps> {
    grid_with(o, n, h, viewer, &grid_pairs(o, n, h, touched))
}

fn grid_with(
    o: &Grid,
    n: &Grid,
    h: Option<&GridOps>,
    viewer: &Viewer,
    cells: &Pairs<'_, Cell>,
) -> Option<GridOps> {
    same(
        &(
            o.width,
            o.height,
            o.cell_size,
            o.on_cell_click,
            o.show_coordinates,
        ),
        &(
            n.width,
            n.height,
            n.cell_size,
            n.on_cell_click,
            n.show_coordinates,
        ),
    )?;
    let (mut set, removed) = changes(cells, |c| viewer.sees(&c.owner, c.hidden_for_others));
    if let Some(h) = h {
        let anims: HashMap<(u32, u32), Animate> = h
            .set_cells
            .iter()
            .flatten()
            .filter_map(|c| Some((c.key(), c.animate?)))
            .collect();
        if !anims.is_empty() {
            for c in &mut set {
                c.animate = anims.get(&c.key()).copied();
            }
        }
    }
    let clear_anims: HashMap<(u32, u32), Animate> = h
        .iter()
        .flat_map(|h| h.clear_cells.iter().flatten())
        .filter_map(|c| Some(((c.y, c.x), c.animate?)))
        .collect();
    Some(GridOps {
        set_cells: (!set.is_empty()).then_some(set),
        clear_cells: (!removed.is_empty()).then(|| {
            removed
                .into_iter()
                .map(|(y, x)| ClearCell {
                    x,
                    y,
                    animate: clear_anims.get(&(y, x)).copied(),
                })
                .collect()
        }),
        set_default_bg: changed_some(&o.default_bg, &n.default_bg)?,
        ..Default::default()
    })
}

fn patch_of<T: ToJson>(old: &T, new: &T) -> Patch {
    let (Value::Object(o), Value::Object(mut n)) = (old.to_json(), new.to_json()) else {
        return Patch::new();
    };
    n.remove("animate");
    for k in o.keys() {
        if !n.contains_key(k) && k != "animate" {
            n.insert(k.clone(), Value::Null);
        }
    }
    n
}

fn canvas(o: &Canvas, n: &Canvas, h: Option<&CanvasOps>, viewer: &Viewer) -> Option<CanvasOps> {
    same(
        &(
            o.width,
            o.height,
            &o.background,
            o.on_canvas_click,
            o.on_sprite_click,
        ),
        &(
            n.width,
            n.height,
            &n.background,
            n.on_canvas_click,
            n.on_sprite_click,
        ),
    )?;
    let sees = |s: &Sprite| viewer.sees(&s.owner, s.hidden_for_others);
    let (set, removed) = keyed(&o.sprites, &n.sprites, None, sees);
    let mut ops = CanvasOps::default();
    let (mut adds, mut moves, mut patches) = (Vec::new(), Vec::new(), Vec::new());
    for s in set {
        match o.sprites.get(&s.id).filter(|e| sees(e)) {
            None => {
                let anim = h
                    .and_then(|h| h.add_sprites.iter().flatten().find(|a| a.id == s.id))
                    .and_then(|a| a.animate);
                adds.push(Sprite { animate: anim, ..s });
            }
            Some(old)
                if Sprite {
                    x: old.x,
                    y: old.y,
                    ..s.clone()
                } == *old =>
            {
                let anim = h
                    .and_then(|h| h.move_sprite.as_ref())
                    .and_then(|m| m.0.iter().find(|m| m.id == s.id))
                    .and_then(|m| m.animate);
                moves.push(MoveSprite {
                    id: s.id,
                    x: s.x,
                    y: s.y,
                    animate: anim,
                });
            }
            Some(old) => patches.push(patch_of(old, &s)),
        }
    }
    if !removed.is_empty() {
        ops.remove_sprites = Some(RemoveIds {
            ids: removed,
            animate: h
                .and_then(|h| h.remove_sprites.as_ref())
                .and_then(|r| r.animate),
        });
    }
    ops.add_sprites = (!adds.is_empty()).then_some(adds);
    ops.move_sprite = (!moves.is_empty()).then_some(OneOrMany(moves));
    ops.update_sprite = (!patches.is_empty()).then_some(OneOrMany(patches));
    Some(ops)
}

fn cards(o: &Cards, n: &Cards, h: Option<&CardsOps>, viewer: &Viewer) -> Option<CardsOps> {
    same(
        &(o.layout, o.selectable, o.max_select, o.on_card_click),
        &(n.layout, n.selectable, n.max_select, n.on_card_click),
    )?;
    let ov: Vec<Cow<Card>> = o.cards.iter().map(|c| vis_card(c, viewer)).collect();
    let nv: Vec<Cow<Card>> = n.cards.iter().map(|c| vis_card(c, viewer)).collect();
    let old_by: HashMap<&str, &Card> = ov.iter().map(|c| (c.id.as_str(), c.as_ref())).collect();
    let new_ids: HashSet<&str> = nv.iter().map(|c| c.id.as_str()).collect();
    let mut ops = CardsOps::default();
    let removed: Vec<String> = ov
        .iter()
        .filter(|c| !new_ids.contains(c.id.as_str()))
        .map(|c| c.id.clone())
        .collect();
    let mut adds = Vec::new();
    let mut patches = Vec::new();
    for c in &nv {
        match old_by.get(c.id.as_str()) {
            None => {
                let anim = h
                    .and_then(|h| h.add_cards.iter().flatten().find(|a| a.id == c.id))
                    .and_then(|a| a.animate);
                adds.push(Card {
                    animate: anim,
                    ..c.as_ref().clone()
                });
            }
            Some(old) if *old != c.as_ref() => patches.push(patch_of(*old, c.as_ref())),
            Some(_) => {}
        }
    }
    let mut order: Vec<&str> = ov
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| new_ids.contains(id))
        .collect();
    order.extend(adds.iter().map(|c| c.id.as_str()));
    let want: Vec<&str> = nv.iter().map(|c| c.id.as_str()).collect();
    if order != want {
        ops.reorder = Some(want.iter().map(|s| s.to_string()).collect());
    }
    if !removed.is_empty() {
        ops.remove_cards = Some(RemoveIds {
            ids: removed,
            animate: h
                .and_then(|h| h.remove_cards.as_ref())
                .and_then(|r| r.animate),
        });
    }
    ops.add_cards = (!adds.is_empty()).then_some(adds);
    ops.update_card = (!patches.is_empty()).then_some(OneOrMany(patches));
    Some(ops)
}

fn vis_card<'a>(c: &'a Card, viewer: &Viewer) -> Cow<'a, Card> {
    if viewer.sees(&c.owner, c.hidden_for_others) {
        Cow::Borrowed(c)
    } else {
        Cow::Owned(card_for(c, viewer))
    }
}

/// Bars and stats: the set operation replaces by label or appends; anything
/// else (a removal, a new order) needs a replacement.
fn labeled<T: PartialEq + Clone>(
    o: &[T],
    n: &[T],
    label: impl Fn(&T) -> &String,
) -> Option<Option<Vec<T>>> {
    if o == n {
        return Some(None);
    }
    let sets: Vec<T> = n
        .iter()
        .filter(|x| !o.iter().any(|y| y == *x))
        .cloned()
        .collect();
    let mut sim = o.to_vec();
    for s in &sets {
        match sim.iter_mut().find(|x| label(x) == label(s)) {
            Some(x) => *x = s.clone(),
            None => sim.push(s.clone()),
        }
    }
    (sim == n).then_some(Some(sets))
}

fn terminal(o: &Terminal, n: &Terminal, h: Option<&TerminalOps>) -> Option<TerminalOps> {
    same(&(o.max_lines, &o.input), &(n.max_lines, &n.input))?;
    if o.lines == n.lines {
        return Some(TerminalOps::default());
    }
    let appended = h
        .and_then(|h| h.append_lines.as_ref())
        .map_or(0, Vec::len)
        .min(n.lines.len());
    let cleared = h.is_some_and(|h| h.clear == Some(true));
    if !cleared && appended > 0 {
        let tail = &n.lines[n.lines.len() - appended..];
        let max = n.max_lines.unwrap_or(DEFAULT_MAX_LINES) as usize;
        let mut sim: Vec<&Line> = o.lines.iter().chain(tail.iter()).collect();
        if sim.len() > max {
            sim.drain(..sim.len() - max);
        }
        if sim.len() == n.lines.len() && sim.iter().zip(&n.lines).all(|(a, b)| *a == b) {
            return Some(TerminalOps {
                append_lines: Some(tail.to_vec()),
                ..Default::default()
            });
        }
    }
    Some(TerminalOps {
        clear: Some(true),
        append_lines: Some(n.lines.clone()),
        ..Default::default()
    })
}

fn inventory(
    o: &Inventory,
    n: &Inventory,
    h: Option<&InventoryOps>,
    viewer: &Viewer,
    touched: bool,
) -> Option<InventoryOps> {
    same(
        &(
            o.rows,
            o.cols,
            o.on_item_click,
            o.on_item_drag,
            o.show_tooltips,
        ),
        &(
            n.rows,
            n.cols,
            n.on_item_click,
            n.on_item_drag,
            n.show_tooltips,
        ),
    )?;
    let only = match (touched, h) {
        (true, Some(h)) => Some(
            h.set_items
                .iter()
                .flatten()
                .map(|i| i.slot)
                .chain(h.clear_slots.iter().flatten().copied())
                .collect(),
        ),
        (true, None) => Some(Vec::new()),
        (false, _) => None,
    };
    let (mut set, removed) = keyed(&o.items, &n.items, only, |i| {
        viewer.sees(&i.owner, i.hidden_for_others)
    });
    if let Some(h) = h {
        for it in &mut set {
            it.animate = h
                .set_items
                .iter()
                .flatten()
                .find(|x| x.slot == it.slot)
                .and_then(|x| x.animate);
        }
    }
    Some(InventoryOps {
        set_items: (!set.is_empty()).then_some(set),
        clear_slots: (!removed.is_empty()).then_some(removed),
        ..Default::default()
    })
}

fn map(o: &MapWidget, n: &MapWidget, h: Option<&MapOps>, viewer: &Viewer) -> Option<MapOps> {
    same(
        &(
            o.width,
            o.height,
            &o.viewport,
            &o.terrain_styles,
            o.fog_of_war,
            o.on_tile_click,
            o.on_marker_click,
            o.scrollable,
        ),
        &(
            n.width,
            n.height,
            &n.viewport,
            &n.terrain_styles,
            n.fog_of_war,
            n.on_tile_click,
            n.on_marker_click,
            n.scrollable,
        ),
    )?;
    let (tiles, removed_tiles) = keyed(&o.tiles, &n.tiles, None, |_| true);
    if !removed_tiles.is_empty() {
        return None;
    }
    let sees = |m: &Marker| viewer.sees(&m.owner, m.hidden_for_others);
    let (set, mut removed) = keyed(&o.markers, &n.markers, None, sees);
    let (mut adds, mut moves) = (Vec::new(), Vec::new());
    for m in set {
        match o.markers.get(&m.id).filter(|e| sees(e)) {
            Some(old)
                if Marker {
                    x: old.x,
                    y: old.y,
                    ..m.clone()
                } == *old =>
            {
                let anim = h
                    .and_then(|h| h.move_marker.as_ref())
                    .and_then(|mm| mm.0.iter().find(|x| x.id == m.id))
                    .and_then(|x| x.animate);
                moves.push(MoveMarker {
                    id: m.id,
                    x: m.x,
                    y: m.y,
                    animate: anim,
                });
            }
            Some(_) => {
                removed.push(m.id.clone());
                adds.push(m);
            }
            None => {
                let anim = h
                    .and_then(|h| h.add_markers.iter().flatten().find(|a| a.id == m.id))
                    .and_then(|a| a.animate);
                adds.push(Marker { animate: anim, ..m });
            }
        }
    }
    let reveal = match (&o.explored, &n.explored) {
        (a, b) if a == b => None,
        (_, None) => return None,
        (None, Some(b)) => Some(b.values().copied().collect::<Vec<_>>()),
        (Some(a), Some(b)) => {
            if a.0.keys().any(|k| b.get(k).is_none()) {
                return None;
            }
            Some(
                b.values()
                    .filter(|p| a.get(&p.key()).is_none())
                    .copied()
                    .collect(),
            )
        }
    };
    Some(MapOps {
        set_tiles: (!tiles.is_empty()).then_some(tiles),
        remove_markers: (!removed.is_empty()).then(|| RemoveIds {
            ids: removed,
            animate: h
                .and_then(|h| h.remove_markers.as_ref())
                .and_then(|r| r.animate),
        }),
        add_markers: (!adds.is_empty()).then_some(adds),
        move_marker: (!moves.is_empty()).then_some(OneOrMany(moves)),
        set_center: changed_some(&o.center, &n.center)?,
        reveal,
        ..Default::default()
    })
}

fn composite(
    o: &Composite,
    n: &Composite,
    h: Option<&CompositeOps>,
    viewer: &Viewer,
    touched: bool,
) -> Option<CompositeOps> {
    same(&o.layout, &n.layout)?;
    if o.widgets.len() != n.widgets.len() {
        return None;
    }
    let mut children = SortedMap::new();
    for (oc, nc) in o.widgets.iter().zip(&n.widgets) {
        if oc.id() != nc.id() {
            return None;
        }
        let ch = h
            .and_then(|h| h.children.as_ref())
            .and_then(|m| m.get(nc.id()))
            .and_then(ChildOps::parsed);
        // A child the hints do not name did not change in a raw body; in a
        // resolved body it may have (views), so compare it fully.
        if touched && ch.is_none() {
            continue;
        }
        let cu = diff_body(&oc.body, &nc.body, ch, viewer, touched)?;
        if !cu.is_empty() {
            children.insert(nc.id().to_owned(), ChildOps::Parsed(Box::new(cu)));
        }
    }
    Some(CompositeOps {
        children: (!children.is_empty()).then_some(children),
        ..Default::default()
    })
}

/// On the wire (and in the CLI): `{"update": {...}}` or `{"replace": widget}`.
impl serde::Serialize for ViewerUpdate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        match self {
            ViewerUpdate::Update(u) => m.serialize_entry("update", u)?,
            ViewerUpdate::Replace(w) => m.serialize_entry("replace", w)?,
        }
        m.end()
    }
}
