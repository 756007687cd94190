//! `core-diff --bench`: old and new core timed in turns in one process (so
//! that a busy machine slows both alike); the best of several rounds.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn cell(x: u32, y: u32, round: u32) -> Value {
    let i = (y * 100 + x) as usize;
    let piece = ["♜", "♞", "♝", "♛", "♚", "·"][(i + round as usize) % 6];
    let bg = [
        "#1e88e5", "#43a047", "#e53935", "#fdd835", "#8e24aa", "#f4511e",
    ][(i + round as usize) % 6];
    let mut c = json!({"x": x, "y": y, "content": format!("{piece}{round}"), "bg": bg});
    if i % 10 == 0 {
        c["owner"] = json!(format!("u{}", (i / 10) % 10));
        c["hidden_for_others"] = json!(true);
    }
    c
}

fn grid_text() -> String {
    let cells: Vec<Value> = (0..100)
        .flat_map(|y| (0..100).map(move |x| cell(x, y, 0)))
        .collect();
    json!({"widget_type": "grid", "extra_data": {"width": 100, "height": 100, "cell_size": 8,
        "default_bg": "#ffffff", "on_cell_click": true, "cells": cells}})
    .to_string()
}

fn big_grid_text() -> String {
    let cells: Vec<Value> = (0..20_000u32)
        .map(|i| {
            let content = ["♜", "♞", "·", "12"][(i % 4) as usize];
            let mut c = json!({"x": i % 256, "y": i / 256, "content": content, "bg": "#43a047"});
            if i % 7 == 0 {
                c["owner"] = json!(format!("u{}", i % 10));
                c["hidden_for_others"] = json!(true);
            }
            c
        })
        .collect();
    json!({"widget_type": "grid", "extra_data": {"width": 256, "height": 256, "default_bg": "#fafafa", "cells": cells}}).to_string()
}

fn best(mut f: impl FnMut(), n: u32) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..n {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed());
    }
    best
}

macro_rules! side {
    ($c:ident, $small:expr, $big:expr) => {{
        let pol = $c::Policy::default();
        let old_w = $c::parse_widget($small, &pol).unwrap();
        let upd: Value = json!({"set_cells": (0..100).map(|x| cell(x, 50, 1)).collect::<Vec<_>>()});
        let up = $c::parse_update(&old_w.body, upd).unwrap();
        let new_w = $c::apply_update(&old_w, &up, &pol).unwrap();
        let viewers: Vec<$c::Viewer> = (0..10).map(|i| $c::Viewer::user(format!("u{i}").as_str())).collect();
        let vu = best(|| for v in &viewers { black_box($c::viewer_update(&old_w, &new_w, &up, v)); }, 20);
        let ap = best(|| { black_box($c::apply_update(&old_w, &up, &pol).unwrap()); }, 20);
        let rs = best(|| { black_box($c::resolve(&new_w, &viewers[3])); }, 20);
        let pw = best(|| { black_box($c::parse_widget($big, &pol).unwrap()); }, 5);
        let ser = best(|| { black_box(serde_json::to_string(&new_w).unwrap()); }, 20);
        let val = best(|| { black_box(serde_json::to_value(&new_w).unwrap()); }, 20);
        [vu, ap, rs, pw, ser, val]
    }};
}

pub fn profile() {
    let big = big_grid_text();
    let v: Value = serde_json::from_str(&big).unwrap();
    for _ in 0..60 {
        black_box(tulip_core::parse::widget_from_value(v.clone()).unwrap());
    }
}

pub fn run() {
    let small = grid_text();
    let big = big_grid_text();
    let names = [
        "viewer_update x10 (100x100 grid, 100 cells)",
        "apply_update (100 cells)",
        "resolve (1 viewer)",
        "parse_widget (20,000-cell grid text)",
        "serde_json::to_string(widget)",
        "serde_json::to_value(widget)",
    ];
    let mut old_best = [Duration::MAX; 6];
    let mut new_best = [Duration::MAX; 6];
    for _ in 0..5 {
        let o = side!(tulip_core_old, &small, &big);
        let n = side!(tulip_core, &small, &big);
        for i in 0..6 {
            old_best[i] = old_best[i].min(o[i]);
            new_best[i] = new_best[i].min(n[i]);
        }
    }
    let pol = tulip_core::Policy::default();
    let json_only = best(
        || {
            black_box(serde_json::from_str::<Value>(&big).unwrap());
        },
        5,
    );
    let v: Value = serde_json::from_str(&big).unwrap();
    let typed = best(
        || {
            black_box(tulip_core::parse::widget_from_value(v.clone()).unwrap());
        },
        5,
    );
    let clone = best(
        || {
            black_box(v.clone());
        },
        5,
    );
    let mut w = tulip_core::parse::widget_from_value(v.clone()).unwrap();
    let valid = best(
        || {
            black_box(tulip_core::validate::validate_widget(&mut w, &pol).unwrap());
        },
        5,
    );
    println!("new parse_widget parts: text->Value {json_only:?}, Value->typed {typed:?} (incl. a Value clone {clone:?}), validate {valid:?}");
    println!("{:48} {:>12} {:>12}", "best of rounds", "old", "new");
    for i in 0..6 {
        println!(
            "{:48} {:>12.3?} {:>12.3?}",
            names[i], old_best[i], new_best[i]
        );
    }
}
