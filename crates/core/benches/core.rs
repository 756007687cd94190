//! Benchmarks of the hot paths of the server:
//!
//! - `grid_100x100`: a 100x100 grid with all 10,000 cells set, 10 viewers
//!   who each own 100 hidden cells, and an update that sets 100 cells (some
//!   hidden and owned). Timed: the per-viewer update for all 10 viewers (the
//!   work a server does to fan out one update), a full `resolve` for one
//!   viewer, and `apply_update`.
//! - `parse_validate_1mib`: `parse_widget` of payloads just under the 1 MiB
//!   body limit (a 256x256 grid with 20,000 cells, and a canvas of 4,000
//!   sprites, half of them data URLs), and `*_json_only`: the same text to
//!   a `serde_json::Value` only, to show what typing and validation add.
//!
//! Run: `cargo bench -p tulip-core --bench core`. The per-viewer cost of
//! `viewer_update` is printed after the grid group (it is also the `thrpt`
//! line of `viewer_update_10_viewers`, in viewers per second, and the time
//! of `viewer_update_1_viewer`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::{json, Value};
use tulip_core::parse::MAX_BODY_BYTES;
use tulip_core::{
    apply_update, parse_json, parse_update, parse_widget, resolve, viewer_update, viewer_updates,
    Policy, Update, UserId, Viewer, Widget,
};

const SIDE: u32 = 100;
const VIEWERS: usize = 10;
const COLORS: [&str; 6] = [
    "#1e88e5", "#43a047", "#e53935", "#fdd835", "#8e24aa", "#f4511e",
];

fn viewers() -> Vec<Viewer> {
    (0..VIEWERS)
        .map(|i| Viewer::User(UserId::new(format!("u{i}"))))
        .collect()
}

/// Every 10th cell is hidden and owned by one of the viewers, so each
/// viewer owns 100 hidden cells and cannot see 900.
fn cell(x: u32, y: u32, round: u32) -> Value {
    let i = (y * SIDE + x) as usize;
    let mut c = json!({
        "x": x,
        "y": y,
        "content": format!("{}{}", ["♜", "♞", "♝", "♛", "♚", "·"][(i + round as usize) % 6], round),
        "bg": COLORS[(i + round as usize) % COLORS.len()],
    });
    if i.is_multiple_of(10) {
        c["owner"] = json!(format!("u{}", (i / 10) % VIEWERS));
        c["hidden_for_others"] = json!(true);
    }
    c
}

fn big_grid() -> Widget {
    let cells: Vec<Value> = (0..SIDE)
        .flat_map(|y| (0..SIDE).map(move |x| cell(x, y, 0)))
        .collect();
    let text = json!({"widget_type": "grid", "extra_data": {
        "width": SIDE, "height": SIDE, "cell_size": 8, "default_bg": "#ffffff",
        "on_cell_click": true, "cells": cells}})
    .to_string();
    parse_widget(&text, &Policy::default()).expect("the bench grid is valid")
}

/// 100 cells: one full row, with new content; every 10th hidden and owned.
fn hundred_cell_update(widget: &Widget) -> Update {
    let cells: Vec<Value> = (0..SIDE).map(|x| cell(x, 50, 1)).collect();
    parse_update(&widget.body, json!({"set_cells": cells})).expect("the bench update is valid")
}

fn grid_benches(c: &mut Criterion) {
    let old = big_grid();
    let update = hundred_cell_update(&old);
    let policy = Policy::default();
    let new = apply_update(&old, &update, &policy).expect("the update applies");
    let viewers = viewers();

    let mut g = c.benchmark_group("grid_100x100");
    // Throughput in viewers: `thrpt` is viewers per second.
    g.throughput(Throughput::Elements(VIEWERS as u64));
    g.bench_function("viewer_update_10_viewers", |b| {
        b.iter(|| {
            for v in &viewers {
                black_box(viewer_update(
                    black_box(&old),
                    black_box(&new),
                    black_box(&update),
                    v,
                ));
            }
        })
    });
    g.bench_function("viewer_updates_batch_10_viewers", |b| {
        b.iter(|| {
            black_box(viewer_updates(
                black_box(&old),
                black_box(&new),
                black_box(&update),
                &viewers,
            ))
        })
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("viewer_update_1_viewer", |b| {
        b.iter(|| black_box(viewer_update(&old, &new, &update, &viewers[3])))
    });
    g.bench_function("resolve_1_viewer", |b| {
        b.iter(|| black_box(resolve(black_box(&new), &viewers[3])))
    });
    g.bench_function("apply_update_100_cells", |b| {
        b.iter(|| black_box(apply_update(black_box(&old), black_box(&update), &policy)))
    });
    g.finish();

    // The per-viewer figure, measured directly.
    let rounds = 200;
    let start = Instant::now();
    for _ in 0..rounds {
        for v in &viewers {
            black_box(viewer_update(&old, &new, &update, v));
        }
    }
    let per_viewer = start.elapsed() / (rounds * VIEWERS as u32);
    println!(
        "\nviewer_update, 100-cell change on a 100x100 grid: {:.1} µs per viewer ({} viewers x {rounds} rounds)\n",
        per_viewer.as_secs_f64() * 1e6,
        VIEWERS
    );
}

/// Appends comma-separated elements from `next` (until it gives `None`) while
/// the whole text stays within `budget` bytes.
fn fill(
    prefix: &str,
    suffix: &str,
    budget: usize,
    mut next: impl FnMut(usize) -> Option<String>,
) -> String {
    let mut text = String::from(prefix);
    for i in 0.. {
        let Some(el) = next(i) else { break };
        let sep = if i == 0 { 0 } else { 1 };
        if text.len() + sep + el.len() + suffix.len() > budget {
            break;
        }
        if i > 0 {
            text.push(',');
        }
        text.push_str(&el);
    }
    text.push_str(suffix);
    text
}

/// A 256x256 grid payload of at most `budget` bytes.
fn grid_payload(budget: usize) -> String {
    fill(
        r##"{"widget_type":"grid","extra_data":{"width":256,"height":256,"default_bg":"#fafafa","cells":["##,
        "]}}",
        budget,
        |i| {
            let (x, y) = (i % 256, i / 256);
            if y >= 256 {
                return None;
            }
            let mut c = format!(
                r#"{{"x":{x},"y":{y},"content":"{}","bg":"{}""#,
                ["♜", "♞", "·", "12"][i % 4],
                COLORS[i % COLORS.len()]
            );
            if i.is_multiple_of(7) {
                c.push_str(&format!(
                    r#","owner":"u{}","hidden_for_others":true"#,
                    i % 10
                ));
            }
            c.push('}');
            Some(c)
        },
    )
}

/// A canvas payload of data-URL and emoji sprites, at most `budget` bytes.
fn canvas_payload(budget: usize) -> String {
    let png = format!("data:image/png;base64,iVBORw0KGgo{}", "A".repeat(330));
    fill(
        r#"{"widget_type":"canvas","extra_data":{"width":4096,"height":4096,"background":"rgb(10, 20, 30)","sprites":["#,
        "]}}",
        budget,
        |i| {
            if i >= 4000 {
                return None;
            }
            Some(if i.is_multiple_of(2) {
                format!(
                    r#"{{"id":"s{i}","base64":"{png}","x":{},"y":{},"scale":1.5,"rotation":{},"z":{}}}"#,
                    i % 4096,
                    (i * 7) % 4096,
                    i % 360,
                    i % 10
                )
            } else {
                format!(
                    r#"{{"id":"s{i}","emoji":"🍄","x":{}.5,"y":{},"owner":"u{}","hidden_for_others":true}}"#,
                    i % 4096,
                    (i * 3) % 4096,
                    i % 10
                )
            })
        },
    )
}

fn parse_benches(c: &mut Criterion) {
    let budget = MAX_BODY_BYTES - 64;
    let mut g = c.benchmark_group("parse_validate_1mib");
    for (name, text) in [
        ("grid", grid_payload(budget)),
        ("canvas", canvas_payload(budget)),
    ] {
        assert!(text.len() <= MAX_BODY_BYTES, "{name}: {} bytes", text.len());
        let w = parse_widget(&text, &Policy::default())
            .unwrap_or_else(|e| panic!("{name} payload is invalid: {e}"));
        let elements = match serde_json::to_value(&w).unwrap()["extra_data"] {
            Value::Object(ref m) => m
                .get("cells")
                .or_else(|| m.get("sprites"))
                .and_then(Value::as_array)
                .map_or(0, Vec::len),
            _ => 0,
        };
        println!(
            "parse_validate_1mib/{name}: {} bytes, {elements} elements",
            text.len()
        );
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| black_box(parse_widget(black_box(&text), &Policy::default())))
        });
        // For comparison: JSON text to `serde_json::Value` only.
        g.bench_function(format!("{name}_json_only"), |b| {
            b.iter(|| black_box(parse_json(black_box(&text))))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = grid_benches, parse_benches
}
criterion_main!(benches);
