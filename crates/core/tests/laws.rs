//! Property tests of the laws that matter (run with PROPTEST_CASES=1000 in CI):
//!
//! 1. View/update law: for every viewer, applying what they receive to their
//!    old view gives exactly their new view.
//! 2. No secret leaks: every secret is a unique canary string; no canary
//!    reaches a viewer who may not see it, in any view or per-viewer update.
//!    Who may see a canary is computed here from the JSON, independently of
//!    `tulip_core::view`.
//! 3. Atomicity: an update that fails leaves the widget exactly as it was.
//! 4. parse -> serialize -> parse is stable.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::{json, Value};
use tulip_core::*;

const OWNERS: [&str; 3] = ["u1", "u2", "u3"];
const VIEWERS: [&str; 4] = ["u1", "u2", "u3", "u4"];
const PLACEHOLDER: &str = "CANARY?";

// ---------------------------------------------------------------------------
// the independent oracle

fn canaries_in(s: &str, out: &mut BTreeSet<String>) {
    let mut rest = s;
    while let Some(i) = rest.find("CANARY") {
        let tail = &rest[i + 6..];
        let digits: String = tail.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() && tail[digits.len()..].starts_with('X') {
            out.insert(format!("CANARY{digits}X"));
        }
        rest = &rest[i + 6..];
    }
}

fn all_strings(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => canaries_in(s, out),
        Value::Array(a) => a.iter().for_each(|x| all_strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| all_strings(x, out)),
        _ => {}
    }
}

/// The canaries `viewer` may see in a full (unresolved) `extra_data`.
fn allowed(extra: &Value, viewer: &str, out: &mut BTreeSet<String>) {
    let Value::Object(base) = extra else { return };
    let mut eff = base.clone();
    if let Some(Value::Object(views)) = base.get("views") {
        let pick = views.get(viewer).or_else(|| views.get("default"));
        if let Some(Value::Object(fields)) = pick {
            for (k, v) in fields {
                eff.insert(k.clone(), v.clone());
            }
        }
    }
    eff.remove("views");
    for (k, v) in &eff {
        match (k.as_str(), v) {
            ("cells" | "sprites" | "cards" | "items" | "markers", Value::Array(list)) => {
                for el in list {
                    let hidden = el.get("hidden_for_others") == Some(&Value::Bool(true));
                    let owner = el.get("owner").and_then(Value::as_str);
                    if !hidden || owner == Some(viewer) {
                        all_strings(el, out);
                    }
                }
            }
            ("widgets", Value::Array(children)) => {
                children.iter().for_each(|c| allowed(c, viewer, out))
            }
            _ => all_strings(v, out),
        }
    }
}

fn check_no_leak(
    bytes: &str,
    full_new: &Widget,
    viewer: &str,
    what: &str,
) -> Result<(), TestCaseError> {
    let mut seen = BTreeSet::new();
    canaries_in(bytes, &mut seen);
    let full = serde_json::to_value(full_new).unwrap();
    let mut ok = BTreeSet::new();
    allowed(&full["extra_data"], viewer, &mut ok);
    let leaked: Vec<_> = seen.difference(&ok).collect();
    prop_assert!(
        leaked.is_empty(),
        "{what} for {viewer} leaks {leaked:?}: {bytes}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// running a case

/// Replaces each placeholder with a unique canary.
fn number_canaries(v: &mut Value, next: &mut u32) {
    match v {
        Value::String(s) if s == PLACEHOLDER => {
            *next += 1;
            *s = format!("CANARY{next}X");
        }
        Value::Array(a) => a.iter_mut().for_each(|x| number_canaries(x, next)),
        Value::Object(m) => m.values_mut().for_each(|x| number_canaries(x, next)),
        _ => {}
    }
}

fn run(mut widget: Value, mut updates: Vec<Value>) -> Result<(), TestCaseError> {
    let policy = Policy::default();
    let mut n = 0;
    number_canaries(&mut widget, &mut n);
    updates.iter_mut().for_each(|u| number_canaries(u, &mut n));
    let mut w = match parse_widget_value(widget.clone(), &policy) {
        Ok(w) => w,
        Err(e) => {
            return Err(TestCaseError::reject(format!(
                "generated widget invalid: {e}"
            )))
        }
    };
    // parse -> serialize -> parse
    let again = parse_widget_value(serde_json::to_value(&w).unwrap(), &policy).unwrap();
    prop_assert_eq!(&again, &w);
    for v in VIEWERS {
        let view = resolve(&w, &Viewer::user(v));
        check_no_leak(
            &serde_json::to_string(&view).unwrap(),
            &w,
            v,
            "initial view",
        )?;
    }
    for u in updates {
        let parsed = match parse_update(&w.body, u) {
            Ok(p) => p,
            Err(_) => continue,
        };
        let before = w.clone();
        let new = match apply_update(&w, &parsed, &policy) {
            Ok(n) => n,
            Err(_) => {
                prop_assert_eq!(&w, &before, "a failed update changed the widget");
                continue;
            }
        };
        let again = parse_widget_value(serde_json::to_value(&new).unwrap(), &policy)
            .map_err(|e| TestCaseError::fail(format!("result does not parse again: {e}")))?;
        prop_assert_eq!(&again, &new);
        // The batch form gives exactly what one call per viewer gives.
        let all: Vec<Viewer> = VIEWERS
            .iter()
            .map(|v| Viewer::user(*v))
            .chain([Viewer::Sender])
            .collect();
        let one_by_one: Vec<ViewerUpdate> = all
            .iter()
            .map(|v| viewer_update(&w, &new, &parsed, v))
            .collect();
        prop_assert_eq!(viewer_updates(&w, &new, &parsed, &all), one_by_one);
        for v in VIEWERS {
            let viewer = Viewer::user(v);
            let old_view = resolve(&w, &viewer);
            let new_view = resolve(&new, &viewer);
            let vu = viewer_update(&w, &new, &parsed, &viewer);
            let (bytes, got) = match &vu {
                ViewerUpdate::Update(vu) => {
                    // What goes on the wire is JSON: parse it back as a client would.
                    let wire = serde_json::to_value(vu).unwrap();
                    let reparsed = parse_update(&old_view.body, wire.clone()).map_err(|e| {
                        TestCaseError::fail(format!(
                            "viewer update for {v} does not parse: {e} {wire}"
                        ))
                    })?;
                    let got = apply_update(&old_view, &reparsed, &policy).map_err(|e| {
                        TestCaseError::fail(format!(
                            "viewer update for {v} does not apply: {e} {wire}"
                        ))
                    })?;
                    (wire.to_string(), got)
                }
                ViewerUpdate::Replace(r) => (serde_json::to_string(r).unwrap(), r.clone()),
            };
            prop_assert_eq!(&got, &new_view, "law broken for {}: update {}", v, bytes);
            check_no_leak(&bytes, &new, v, "update")?;
            check_no_leak(&serde_json::to_string(&new_view).unwrap(), &new, v, "view")?;
        }
        w = new;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// generators

fn owner() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![
        Just(None),
        prop::sample::select(OWNERS.to_vec()).prop_map(Some)
    ]
}

fn with_owner(mut v: Value, owner: Option<&str>, hidden: bool) -> Value {
    if let Some(o) = owner {
        v["owner"] = json!(o);
    }
    if hidden {
        v["hidden_for_others"] = json!(true);
    }
    v
}

fn cell() -> impl Strategy<Value = Value> {
    (
        0u32..4,
        0u32..4,
        owner(),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec!["red", "#00f"])),
    )
        .prop_map(|(x, y, o, h, bg)| {
            let mut c = with_owner(json!({"x": x, "y": y, "content": PLACEHOLDER}), o, h);
            if let Some(bg) = bg {
                c["bg"] = json!(bg);
            }
            c
        })
}

fn unique_cells(cells: Vec<Value>) -> Vec<Value> {
    let mut by: BTreeMap<(u64, u64), Value> = BTreeMap::new();
    for c in cells {
        by.insert((c["x"].as_u64().unwrap(), c["y"].as_u64().unwrap()), c);
    }
    by.into_values().collect()
}

fn grid_ops() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(cell(), 0..6),
        prop::collection::vec((0u32..4, 0u32..4), 0..3),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(set, clear, bg, emph)| {
            let mut u = json!({});
            if !set.is_empty() {
                u["set_cells"] = json!(set);
            }
            if !clear.is_empty() {
                u["clear_cells"] = json!(clear
                    .iter()
                    .map(|(x, y)| json!({"x": x, "y": y}))
                    .collect::<Vec<_>>());
            }
            if bg {
                u["set_default_bg"] = json!("#abc");
            }
            if emph {
                u["emphasize"] = json!([{"target": "1,1", "effect": "shake"}]);
            }
            u
        })
}

fn grid_widget() -> impl Strategy<Value = Value> {
    prop::collection::vec(cell(), 0..10).prop_map(|cells| {
        json!({"widget_type": "grid", "extra_data": {"width": 4, "height": 4, "on_cell_click": true, "cells": unique_cells(cells)}})
    })
}

fn card_id() -> impl Strategy<Value = String> {
    (0u32..7).prop_map(|i| format!("c{i}"))
}

fn card() -> impl Strategy<Value = Value> {
    (card_id(), owner(), any::<bool>(), any::<bool>()).prop_map(|(id, o, h, down)| {
        let mut c = with_owner(json!({"id": id, "face": PLACEHOLDER}), o, h);
        if down {
            c["facedown"] = json!(true);
        }
        c
    })
}

fn cards_widget() -> impl Strategy<Value = Value> {
    prop::collection::vec(card(), 0..6).prop_map(|cards| {
        let mut seen = BTreeSet::new();
        let cards: Vec<Value> = cards
            .into_iter()
            .filter(|c| seen.insert(c["id"].as_str().unwrap().to_owned()))
            .collect();
        json!({"widget_type": "cards", "extra_data": {"layout": "hand", "cards": cards}})
    })
}

fn cards_ops() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::collection::vec(
            (card_id(), prop::option::of(any::<bool>()), any::<bool>()),
            1..3
        )
        .prop_map(|ps| {
            let patches: Vec<Value> = ps
                .into_iter()
                .map(|(id, hidden, face)| {
                    let mut p = json!({"id": id});
                    if let Some(h) = hidden {
                        p["hidden_for_others"] = json!(h);
                    }
                    if face {
                        p["face"] = json!(PLACEHOLDER);
                    }
                    p
                })
                .collect();
            json!({"update_card": patches})
        }),
        prop::collection::vec(card(), 1..3).prop_map(|c| json!({"add_cards": c})),
        prop::collection::vec(card_id(), 1..3).prop_map(|ids| json!({"remove_cards": ids})),
        Just(json!({"reorder": ["c0", "c1", "c2", "c3", "c4", "c5", "c6"]})),
        (card(), card_id()).prop_map(|(c, r)| json!({"remove_cards": [r], "add_cards": [c]})),
    ]
}

fn sprite_id() -> impl Strategy<Value = String> {
    (0u32..5).prop_map(|i| format!("s{i}"))
}

fn sprite() -> impl Strategy<Value = Value> {
    (sprite_id(), owner(), any::<bool>(), 0u32..50, 0u32..50).prop_map(|(id, o, h, x, y)| {
        with_owner(
            json!({"id": id, "emoji": PLACEHOLDER, "x": x, "y": y}),
            o,
            h,
        )
    })
}

fn canvas_widget() -> impl Strategy<Value = Value> {
    prop::collection::vec(sprite(), 0..5).prop_map(|s| {
        let mut seen = BTreeSet::new();
        let s: Vec<Value> = s
            .into_iter()
            .filter(|c| seen.insert(c["id"].as_str().unwrap().to_owned()))
            .collect();
        json!({"widget_type": "canvas", "extra_data": {"width": 100, "height": 100, "sprites": s}})
    })
}

fn canvas_ops() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::collection::vec(sprite(), 1..3).prop_map(|s| json!({"add_sprites": s})),
        prop::collection::vec(sprite_id(), 1..3).prop_map(|ids| json!({"remove_sprites": {"ids": ids, "animate": {"effect": "fade"}}})),
        (sprite_id(), 0u32..50, 0u32..50).prop_map(|(id, x, y)| json!({"move_sprite": {"id": id, "x": x, "y": y, "animate": {"duration": 100}}})),
        (sprite_id(), any::<bool>(), any::<bool>()).prop_map(|(id, h, e)| {
            let mut p = json!({"id": id, "hidden_for_others": h});
            if e {
                p["emoji"] = json!(PLACEHOLDER);
            }
            json!({"update_sprite": p})
        }),
    ]
}

fn item() -> impl Strategy<Value = Value> {
    (0u32..6, owner(), any::<bool>())
        .prop_map(|(slot, o, h)| with_owner(json!({"slot": slot, "icon": PLACEHOLDER}), o, h))
}

fn inventory_widget() -> impl Strategy<Value = Value> {
    prop::collection::vec(item(), 0..5).prop_map(|items| {
        let mut by = BTreeMap::new();
        for i in items {
            by.insert(i["slot"].as_u64().unwrap(), i);
        }
        json!({"widget_type": "inventory", "extra_data": {"rows": 2, "cols": 3, "items": by.into_values().collect::<Vec<_>>()}})
    })
}

fn inventory_ops() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(item(), 0..3),
        prop::collection::vec(0u32..6, 0..2),
    )
        .prop_map(|(set, clear)| json!({"set_items": set, "clear_slots": clear}))
}

fn marker() -> impl Strategy<Value = Value> {
    (
        (0u32..4).prop_map(|i| format!("m{i}")),
        owner(),
        any::<bool>(),
        0u32..8,
        0u32..8,
    )
        .prop_map(|(id, o, h, x, y)| {
            with_owner(
                json!({"id": id, "x": x, "y": y, "label": PLACEHOLDER}),
                o,
                h,
            )
        })
}

fn map_widget() -> impl Strategy<Value = Value> {
    (prop::collection::vec(marker(), 0..4), any::<bool>()).prop_map(|(ms, views)| {
        let mut seen = BTreeSet::new();
        let ms: Vec<Value> = ms.into_iter().filter(|c| seen.insert(c["id"].as_str().unwrap().to_owned())).collect();
        let mut w = json!({"widget_type": "map", "extra_data": {"width": 8, "height": 8, "fog_of_war": true,
            "tiles": [{"x": 0, "y": 0, "terrain": "grass"}], "markers": ms}});
        if views {
            w["extra_data"]["views"] = json!({"u1": {"explored": [{"x": 0, "y": 0}]}, "default": {"explored": []}});
        }
        w
    })
}

fn map_ops() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::collection::vec(marker(), 1..3).prop_map(|m| json!({"add_markers": m})),
        (0u32..4).prop_map(|i| json!({"remove_markers": [format!("m{i}")]})),
        ((0u32..4), 0u32..8, 0u32..8).prop_map(|(i, x, y)| json!({"move_marker": {"id": format!("m{i}"), "x": x, "y": y}})),
        (0u32..8, 0u32..8).prop_map(|(x, y)| json!({"views": {"u1": {"reveal": [{"x": x, "y": y}]}}})),
        (0u32..8, 0u32..8).prop_map(|(x, y)| json!({"set_tiles": [{"x": x, "y": y, "terrain": "water"}], "set_center": {"x": x, "y": y}})),
    ]
}

fn views_grid_widget() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(cell(), 0..4),
        prop::collection::vec(cell(), 0..4),
        prop::collection::vec(cell(), 0..4),
        any::<bool>(),
    )
        .prop_map(|(base, u1, def, with_default)| {
            let mut views = json!({"u1": {"cells": unique_cells(u1)}});
            if with_default {
                views["default"] = json!({"cells": unique_cells(def), "default_bg": "black"});
            }
            json!({"widget_type": "grid", "extra_data": {"width": 4, "height": 4, "cells": unique_cells(base), "views": views}})
        })
}

fn views_grid_ops() -> impl Strategy<Value = Value> {
    (
        grid_ops(),
        grid_ops(),
        grid_ops(),
        prop::sample::select(vec!["u1", "u2", "default"]),
    )
        .prop_map(|(base, a, b, key)| {
            let mut u = base;
            u["views"] = json!({"u1": a, key: b});
            u
        })
}

fn composite_widget() -> impl Strategy<Value = Value> {
    (grid_widget(), cards_widget()).prop_map(|(g, c)| {
        let mut g = g["extra_data"].clone();
        g["id"] = json!("board");
        g["type"] = json!("grid");
        let mut c = c["extra_data"].clone();
        c["id"] = json!("hand");
        c["type"] = json!("cards");
        json!({"widget_type": "composite", "extra_data": {"layout": "horizontal", "widgets": [g, c,
            {"id": "log", "type": "terminal", "lines": [{"text": "start"}], "max_lines": 3}]}})
    })
}

fn composite_ops() -> impl Strategy<Value = Value> {
    (grid_ops(), cards_ops(), prop::collection::vec("[a-z]{1,4}", 0..3), any::<bool>()).prop_map(|(g, c, lines, clear)| {
        let lines: Vec<Value> = lines.into_iter().map(|t| json!({"text": t})).collect();
        json!({"children": {"board": g, "hand": c, "log": {"append_lines": lines, "clear": clear}},
               "set_timer": {"seconds": 5, "on_expire": "t"}})
    })
}

fn hud_ops() -> impl Strategy<Value = Value> {
    (prop::sample::select(vec!["HP", "MP", "XP"]), 0u32..10, prop::sample::select(vec!["Gold", "Lvl"]), 0u32..5)
        .prop_map(|(b, v, s, n)| json!({"set_bar": {"label": b, "current": v, "max": 10}, "set_stat": [{"label": s, "value": n}]}))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256), ..ProptestConfig::default() })]

    #[test]
    fn grid_law_and_no_leak(w in grid_widget(), us in prop::collection::vec(grid_ops(), 1..5)) {
        run(w, us)?;
    }

    #[test]
    fn cards_law_and_no_leak(w in cards_widget(), us in prop::collection::vec(cards_ops(), 1..5)) {
        run(w, us)?;
    }

    #[test]
    fn canvas_law_and_no_leak(w in canvas_widget(), us in prop::collection::vec(canvas_ops(), 1..5)) {
        run(w, us)?;
    }

    #[test]
    fn inventory_law_and_no_leak(w in inventory_widget(), us in prop::collection::vec(inventory_ops(), 1..5)) {
        run(w, us)?;
    }

    #[test]
    fn map_law_and_no_leak(w in map_widget(), us in prop::collection::vec(map_ops(), 1..5)) {
        run(w, us)?;
    }

    #[test]
    fn explicit_views_law_and_no_leak(w in views_grid_widget(), us in prop::collection::vec(views_grid_ops(), 1..5)) {
        run(w, us)?;
    }

    #[test]
    fn composite_law_and_no_leak(w in composite_widget(), us in prop::collection::vec(composite_ops(), 1..5)) {
        run(w, us)?;
    }

    #[test]
    fn hud_law(us in prop::collection::vec(hud_ops(), 1..6)) {
        run(json!({"widget_type": "hud", "extra_data": {"bars": [{"label": "HP", "current": 1, "max": 10}]}}), us)?;
    }
}
