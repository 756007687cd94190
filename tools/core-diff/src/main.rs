//! Runs two builds of tulip-core (`new`: this tree, `old`: a past commit) on
//! the same inputs and reports every difference: parse results, errors with
//! code, path and message, serialized output (compact, pretty and as a
//! `Value`), per-viewer views, applied updates and per-viewer updates.
//!
//! Inputs: the fixtures, a full sample of every widget kind and of every
//! kind's operations, and mutations of all of them (each node replaced by
//! odd values, fields removed and added, objects turned into arrays...).

use serde_json::{json, Map, Value};

use tulip_core as new;
use tulip_core_old as old;

mod bench;

/// One side's outcome, as text to compare.
fn errs_new(e: &new::Errors) -> String {
    e.iter()
        .map(|e| format!("{} @{} : {}", e.code.as_str(), e.path, e.msg))
        .collect::<Vec<_>>()
        .join("\n")
}
fn errs_old(e: &old::Errors) -> String {
    e.iter()
        .map(|e| format!("{} @{} : {}", e.code.as_str(), e.path, e.msg))
        .collect::<Vec<_>>()
        .join("\n")
}

macro_rules! ser {
    ($x:expr) => {{
        let x = $x;
        format!(
            "{}\n{}\n{}",
            serde_json::to_string(x).unwrap(),
            serde_json::to_string_pretty(x).unwrap(),
            serde_json::to_value(x).unwrap()
        )
    }};
}

/// Everything one side says about a widget (and optionally an update).
macro_rules! outcome {
    ($c:ident, $errs:ident, $w:expr, $u:expr, $viewers:expr) => {{
        let pol = $c::Policy::default();
        let mut out = String::new();
        let w: Value = $w;
        let text = w.to_string();
        let by_text = match $c::parse_widget(&text, &pol) {
            Ok(w) => format!("ok {}", serde_json::to_string(&w).unwrap()),
            Err(e) => $errs(&e),
        };
        match $c::parse_widget_value(w.clone(), &pol) {
            Err(e) => {
                out += &format!("widget err\n{}\n", $errs(&e));
            }
            Ok(widget) => {
                out += &format!("widget ok\n{}\n", ser!(&widget));
                let de: Result<$c::Widget, _> = serde_json::from_value(w.clone());
                out += &format!(
                    "serde widget {:?}\n",
                    de.map(|d| d == widget).map_err(|e| e.to_string())
                );
                for &v in $viewers {
                    let view = $c::resolve(&widget, &$c::Viewer::user(v));
                    out += &format!("view {v}: {}\n", serde_json::to_string(&view).unwrap());
                }
                if let Some(u) = $u {
                    match $c::parse_update(&widget.body, u) {
                        Err(e) => out += &format!("update err\n{}\n", $errs(&e)),
                        Ok(up) => {
                            out += &format!("update ok\n{}\nempty {}\n", ser!(&up), up.is_empty());
                            match $c::apply_update(&widget, &up, &pol) {
                                Err(e) => out += &format!("apply err\n{}\n", $errs(&e)),
                                Ok(n) => {
                                    out += &format!("apply ok\n{}\n", ser!(&n));
                                    for &v in $viewers {
                                        let vu = $c::viewer_update(
                                            &widget,
                                            &n,
                                            &up,
                                            &$c::Viewer::user(v),
                                        );
                                        out += &format!(
                                            "vu {v}: {}\n",
                                            serde_json::to_string(&vu).unwrap()
                                        );
                                    }
                                    let vs: Vec<$c::Viewer> =
                                        $viewers.iter().map(|v| $c::Viewer::user(*v)).collect();
                                    let all = $c::viewer_updates(&widget, &n, &up, &vs);
                                    out +=
                                        &format!("vus {}\n", serde_json::to_string(&all).unwrap());
                                    let mut stamped = n.clone();
                                    stamped.stamp_timers(1000);
                                    let mut su = up.clone();
                                    su.stamp_timers(1000);
                                    out += &format!(
                                        "stamped {} {}\n",
                                        serde_json::to_string(&stamped).unwrap(),
                                        serde_json::to_string(&su).unwrap()
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
        out += &format!("text {by_text}\n");
        out
    }};
}

fn compare(w: &Value, u: Option<&Value>, viewers: &[&str], stats: &mut Stats, show: usize) {
    stats.cases += 1;
    let a = outcome!(old, errs_old, w.clone(), u.cloned(), viewers);
    let b = outcome!(new, errs_new, w.clone(), u.cloned(), viewers);
    if a != b {
        stats.diffs += 1;
        if stats.diffs <= show {
            println!("=== DIFFERENCE {}", stats.diffs);
            println!("widget: {}", w);
            if let Some(u) = u {
                println!("update: {}", u);
            }
            for (la, lb) in a.lines().zip(b.lines()) {
                if la != lb {
                    println!("- {la}\n+ {lb}");
                }
            }
            if a.lines().count() != b.lines().count() {
                println!(
                    "(old {} lines, new {} lines)",
                    a.lines().count(),
                    b.lines().count()
                );
            }
        }
    }
}

#[derive(Default)]
struct Stats {
    cases: usize,
    diffs: usize,
}

/// Values put in place of a node.
fn odd_values() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(1),
        json!(-1),
        json!(3),
        json!(1.5),
        json!(-0.0),
        json!(4294967296u64),
        json!(-4294967296i64),
        json!(1e300),
        json!(18446744073709551615u64),
        json!(""),
        json!("x"),
        json!("default"),
        json!("#fff"),
        json!("red"),
        json!("url(x)"),
        json!("https://example.com/a.png"),
        json!("javascript:alert(1)"),
        json!("data:image/png;base64,iVBO"),
        json!("bar"),
        json!("set_content"),
        json!([]),
        json!([1, 2]),
        json!(["a"]),
        json!([{}]),
        json!({}),
        json!({"a": 1}),
        json!({"bar": null}),
        json!({"bar": 1}),
        json!({"x": 1, "y": 2}),
        json!({"id": "a"}),
    ]
}

/// Every node of `v`, as a path of keys and indexes.
#[derive(Clone, Debug)]
enum Step {
    K(String),
    I(usize),
}

fn nodes(v: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                at.push(Step::K(k.clone()));
                nodes(x, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                at.push(Step::I(i));
                nodes(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn get_mut<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut cur = v;
    for s in path {
        cur = match s {
            Step::K(k) => cur.get_mut(k.as_str())?,
            Step::I(i) => cur.get_mut(*i)?,
        };
    }
    Some(cur)
}

/// Variations of one node.
fn variations(node: &Value) -> Vec<Value> {
    let mut out = odd_values();
    match node {
        Value::Object(m) => {
            for k in m.keys() {
                let mut n = m.clone();
                n.remove(k);
                out.push(Value::Object(n));
                let mut n = m.clone();
                n.insert(k.clone(), json!(null));
                out.push(Value::Object(n));
            }
            for extra in ["aaa", "zzz", "id", "type", "views", "my key", ""] {
                let mut n = m.clone();
                n.insert(extra.into(), json!(1));
                out.push(Value::Object(n));
            }
            // serde takes a struct as an array of its fields, too.
            out.push(Value::Array(m.values().cloned().collect()));
            out.push(Value::Array(m.values().rev().cloned().collect()));
            out.push(json!([node.clone()]));
            let mut one = Map::new();
            if let Some((k, v)) = m.iter().next() {
                one.insert(k.clone(), v.clone());
            }
            out.push(Value::Object(one));
        }
        Value::Array(a) => {
            if let Some(first) = a.first() {
                out.push(first.clone());
                let mut d = a.clone();
                d.push(first.clone());
                out.push(Value::Array(d));
                let mut d = a.clone();
                d.insert(0, first.clone());
                out.push(Value::Array(d));
            }
            let mut r = a.clone();
            r.reverse();
            out.push(Value::Array(r));
            let mut r = a.clone();
            r.push(json!(null));
            out.push(Value::Array(r));
        }
        Value::String(s) => {
            out.push(json!(s.to_uppercase()));
            out.push(json!(format!(" {s} ")));
            out.push(json!("x".repeat(257)));
        }
        Value::Number(n) => {
            if let Some(f) = n.as_f64() {
                out.push(json!(f + 0.5));
                out.push(json!(f * 1000.0));
                out.push(json!(-f));
            }
        }
        _ => {}
    }
    out
}

/// Every single-node variation of `v`.
fn mutations(v: &Value) -> Vec<Value> {
    let mut paths = Vec::new();
    nodes(v, &mut Vec::new(), &mut paths);
    let mut out = Vec::new();
    for p in &paths {
        let Some(node) = get_mut(&mut v.clone(), p).map(|n| n.clone()) else {
            continue;
        };
        for var in variations(&node) {
            let mut m = v.clone();
            if let Some(slot) = get_mut(&mut m, p) {
                *slot = var;
            }
            out.push(m);
        }
    }
    out
}

/// A small deterministic random generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() % v.len() as u64) as usize]
    }
}

/// Two random mutations at once.
fn double_mutations(v: &Value, n: usize, rng: &mut Rng) -> Vec<Value> {
    let mut out = Vec::new();
    for _ in 0..n {
        let mut m = v.clone();
        for _ in 0..2 {
            let mut paths = Vec::new();
            nodes(&m, &mut Vec::new(), &mut paths);
            let p = rng.pick(&paths).clone();
            let Some(node) = get_mut(&mut m, &p).map(|n| n.clone()) else {
                continue;
            };
            let vars = variations(&node);
            let var = rng.pick(&vars).clone();
            if let Some(slot) = get_mut(&mut m, &p) {
                *slot = var;
            }
        }
        out.push(m);
    }
    out
}

fn common(kind: &str, view: Value) -> Map<String, Value> {
    let mut m = json!({
        "timer": {"seconds": 30, "on_expire": "t", "visible": true, "style": "bar", "expires_at": 5},
        "keyboard": {"enabled": true, "bindings": {"ArrowUp": "up", "Space": "fire", "x y": "z"}},
        "sounds": {"boom": "https://x.example/b.ogg", "ding": "data:audio/ogg;base64,T2dn"},
        "play": "boom",
        "turn": {"current_player": "alice", "turn_number": 3, "time_remaining": 12.5, "order": ["alice", 7], "enforce": false},
        "players": {"list": [{"id": "alice", "name": "A", "role": "player", "ready": true}, {"id": "bob"}, {"id": 7, "role": "spectator"}], "min_players": 1, "max_players": 4, "allow_spectators": true},
        "interaction_rules": {"default": "all", "bob": "owned", "carol": "none"},
        "prediction": {"enabled": true, "cell_click": {"action": "set_content", "value": "X", "style": "pending"}},
        "realtime": true,
        "update_rate": 10,
        "views": {"alice": view.clone(), "default": view}
    })
    .as_object()
    .cloned()
    .unwrap();
    if kind == "lobby" {
        m.remove("players");
    }
    m
}

fn anim() -> Value {
    json!({"duration": 300, "easing": "ease-in-out", "effect": "fade"})
}

/// A widget of each kind with every field, and an update with every
/// operation of that kind.
fn samples() -> Vec<(Value, Value)> {
    let kinds: Vec<(&str, Value, Value, Value)> = vec![
        (
            "grid",
            json!({"width": 3, "height": 3, "cell_size": 20, "default_bg": "#EEE", "on_cell_click": true, "show_coordinates": false,
            "cells": [
                {"x": 2, "y": 1, "content": "X", "bg": "Red", "fg": "rgb(1, 2, 3)", "owner": "alice", "hidden_for_others": true, "clickable_by": ["alice", 7], "animate": anim()},
                {"x": 0, "y": 0, "content": "O"},
                {"x": 1, "y": 2, "bg": "hsl(120deg, 50%, 40%)", "owner": 7}
            ]}),
            json!({"default_bg": "#000"}),
            json!({"set_cells": [{"x": 0, "y": 1, "content": "Z", "animate": anim()}, {"x": 2, "y": 1, "content": "Y", "owner": "bob", "hidden_for_others": true}],
                   "clear_cells": [{"x": 0, "y": 0, "animate": anim()}], "set_default_bg": "blue"}),
        ),
        (
            "canvas",
            json!({"width": 100, "height": 80, "background": "#123456", "on_canvas_click": true, "on_sprite_click": true,
            "sprites": [
                {"id": "s2", "emoji": "🍄", "x": 1.5, "y": 2, "scale": 2, "rotation": 45, "z": -3, "owner": "alice", "hidden_for_others": true, "animate": anim()},
                {"id": "s1", "image": "https://EXAMPLE.com/a.png", "x": 0, "y": 0},
                {"id": "s3", "base64": "data:image/png;base64,iVBO", "x": 5, "y": 5, "z": 4}
            ]}),
            json!({"background": "red"}),
            json!({"add_sprites": [{"id": "s9", "emoji": "x", "x": 1, "y": 1, "animate": anim()}], "remove_sprites": {"ids": ["s3"], "animate": anim()},
                   "move_sprite": [{"id": "s1", "x": 9, "y": 8, "animate": anim()}], "update_sprite": {"id": "s2", "scale": 3, "owner": null}}),
        ),
        (
            "cards",
            json!({"layout": "fan", "selectable": true, "max_select": 2, "on_card_click": true,
            "cards": [
                {"id": "c2", "face": "A♠", "image": "/c/a.png", "facedown": false, "selected": true, "owner": "alice", "hidden_for_others": true, "animate": anim()},
                {"id": "c1", "face": "K"},
                {"id": "c3", "face": "Q", "owner": "bob", "hidden_for_others": true}
            ]}),
            json!({"layout": "pile"}),
            json!({"add_cards": [{"id": "c9", "face": "J", "animate": anim()}], "remove_cards": ["c1"], "update_card": [{"id": "c2", "face": "2"}], "reorder": ["c9", "c3", "c2"]}),
        ),
        (
            "hud",
            json!({"bars": [{"label": "hp", "current": 5, "max": 10, "color": "green"}, {"label": "mp", "current": 1.5, "max": 2}],
                   "stats": [{"label": "gold", "value": 5}, {"label": "name", "value": "x"}]}),
            json!({"stats": [{"label": "gold", "value": 6}]}),
            json!({"set_bar": {"label": "hp", "current": 6, "max": 10}, "set_stat": [{"label": "lvl", "value": 2}]}),
        ),
        (
            "dialog",
            json!({"speaker": {"name": "Bob", "portrait": "https://x.example/p.png", "mood": "glad"}, "text": "Hi", "typing_effect": true,
                   "choices": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]}),
            json!({"text": "secret"}),
            json!({"set_text": "Bye", "set_choices": [{"id": "z", "text": "Z"}], "set_speaker": {"name": "Al"}}),
        ),
        (
            "terminal",
            json!({"lines": [{"text": "one", "color": "#0f0", "bold": true}, {"text": "two"}], "max_lines": 3, "input": {"enabled": true, "placeholder": ">", "history": false}}),
            json!({"max_lines": 2}),
            json!({"append_lines": [{"text": "three"}, {"text": "four", "bold": false}], "clear": false}),
        ),
        (
            "leaderboard",
            json!({"title": "Top", "entries": [{"rank": 1, "name": "a", "score": 10.5, "highlight": true}, {"rank": 2, "name": "b", "score": 3}],
                   "columns": ["#", "Name", "Score"], "page": 1, "total_pages": 3, "on_page_change": true}),
            json!({"title": "Mine"}),
            json!({"set_entries": [{"rank": 1, "name": "c", "score": 1}], "set_page": 2}),
        ),
        (
            "inventory",
            json!({"rows": 2, "cols": 3, "on_item_click": true, "on_item_drag": true, "show_tooltips": true,
            "items": [
                {"slot": 4, "icon": "🗡", "image": "/i.png", "name": "Sword", "description": "Sharp", "count": 1, "rarity": "epic", "owner": "alice", "hidden_for_others": true, "animate": anim()},
                {"slot": 0, "icon": "x"}
            ]}),
            json!({"show_tooltips": false}),
            json!({"set_items": [{"slot": 1, "icon": "y", "animate": anim()}, {"slot": 0, "icon": "z"}], "clear_slots": [4, 5]}),
        ),
        (
            "map",
            json!({"width": 10, "height": 8, "viewport": {"width": 5, "height": 4}, "center": {"x": 2, "y": 3},
                "tiles": [{"x": 1, "y": 1, "terrain": "grass"}, {"x": 0, "y": 0, "terrain": "water"}],
                "terrain_styles": {"grass": {"bg": "green", "content": "."}, "water": {"bg": "blue"}},
                "markers": [{"id": "m2", "x": 1, "y": 1, "icon": "@", "label": "me", "owner": "alice", "hidden_for_others": true, "animate": anim()}, {"id": "m1", "x": 2, "y": 2}],
                "fog_of_war": true, "explored": [{"x": 1, "y": 1}, {"x": 0, "y": 0}], "on_tile_click": true, "on_marker_click": true, "scrollable": true}),
            json!({"explored": [{"x": 3, "y": 3}]}),
            json!({"set_tiles": [{"x": 2, "y": 2, "terrain": "grass"}], "add_markers": [{"id": "m3", "x": 3, "y": 3}], "remove_markers": ["m1"],
                   "move_marker": {"id": "m2", "x": 4, "y": 4, "animate": anim()}, "set_center": {"x": 1, "y": 1}, "reveal": [{"x": 5, "y": 5}, {"x": 1, "y": 1}]}),
        ),
        (
            "lobby",
            json!({"game": "chess", "status": "starting", "host": "alice", "min_players": 2, "max_players": 4,
                   "players": [{"id": "alice", "name": "A", "ready": true}, {"id": 7}],
                   "settings": {"mode": {"label": "Mode", "value": "a", "options": ["a", "b"]}, "rounds": {"value": 3}, "flag": {"value": true, "options": [true, false]}}}),
            json!({"status": "waiting"}),
            json!({"set_players": [{"id": "bob"}], "set_status": "in_progress", "set_settings": {"rounds": {"value": 5}}}),
        ),
        (
            "interactive",
            json!({"components": [{"type": "button", "label": "Go", "action": "go", "style": "primary", "disabled": false}, {"label": "Stop", "action": "stop"}]}),
            json!({"components": [{"label": "Hidden", "action": "h"}]}),
            json!({"set_components": [{"label": "New", "action": "n", "style": "danger"}]}),
        ),
        (
            "composite",
            json!({"layout": "horizontal", "widgets": [
                {"id": "g", "type": "grid", "width": 2, "height": 2, "cells": [{"x": 1, "y": 1, "content": "a", "owner": "bob", "hidden_for_others": true}], "views": {"bob": {"default_bg": "red"}}},
                {"id": "h", "type": "hud", "bars": [{"label": "hp", "current": 1, "max": 2}]},
                {"id": "c", "type": "composite", "widgets": [{"id": "t", "type": "terminal", "lines": [{"text": "x"}]}]}
            ]}),
            json!({"layout": "overlay"}),
            json!({"children": {"g": {"set_cells": [{"x": 0, "y": 0, "content": "b"}], "views": {"bob": {"set_default_bg": "blue"}}}, "c": {"children": {"t": {"append_lines": [{"text": "y"}]}}}}}),
        ),
    ];
    let mut out = Vec::new();
    for (kind, body, view, ops) in kinds {
        let mut extra = common(kind, view);
        for (k, v) in body.as_object().unwrap() {
            extra.insert(k.clone(), v.clone());
        }
        let w = json!({"widget_type": kind, "extra_data": extra});
        let mut u = ops.as_object().unwrap().clone();
        u.insert(
            "set_timer".into(),
            json!({"seconds": 10, "on_expire": "e", "style": "countdown"}),
        );
        u.insert(
            "set_turn".into(),
            json!({"current_player": 7, "enforce": true}),
        );
        u.insert("play_sound".into(), json!("ding"));
        u.insert("emphasize".into(), json!([{"target": "widget", "effect": "shake", "duration": 200}, {"target": "alice", "effect": "glow"}]));
        let mut views = Map::new();
        let mut vu = ops.as_object().unwrap().clone();
        vu.remove("children");
        views.insert("alice".into(), Value::Object(vu));
        u.insert("views".into(), Value::Object(views));
        out.push((w, Value::Object(u)));
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--profile") {
        bench::profile();
        return;
    }
    if args.iter().any(|a| a == "--bench") {
        bench::run();
        return;
    }
    let dir = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "crates/core/tests/fixtures".into());
    let per_seed: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(300);
    let show: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20);
    let viewers = ["alice", "bob", "carol", "7"];
    let mut stats = Stats::default();
    let mut rng = Rng(0x2545F4914F6CDD1D);

    let mut seeds: Vec<(Value, Option<Value>)> = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        seeds.push((case["widget"].clone(), case.get("update").cloned()));
    }
    for (w, u) in samples() {
        seeds.push((w.clone(), None));
        seeds.push((w, Some(u)));
    }

    for (w, u) in &seeds {
        compare(w, u.as_ref(), &viewers, &mut stats, show);
        match u {
            None => {
                for m in mutations(w) {
                    compare(&m, None, &viewers, &mut stats, show);
                }
                for m in double_mutations(w, per_seed, &mut rng) {
                    compare(&m, None, &viewers, &mut stats, show);
                }
            }
            Some(u) => {
                for m in mutations(u) {
                    compare(w, Some(&m), &viewers, &mut stats, show);
                }
                for m in double_mutations(u, per_seed, &mut rng) {
                    compare(w, Some(&m), &viewers, &mut stats, show);
                }
            }
        }
    }
    println!("{} cases, {} differ", stats.cases, stats.diffs);
    if stats.diffs > 0 {
        std::process::exit(1);
    }
}
