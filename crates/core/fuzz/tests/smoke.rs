//! The fuzz target on stable Rust, without libFuzzer:
//!
//! - every seed (tulip-core's fixture cases) passes;
//! - every file in `corpus/parse_validate_apply/` and
//!   `artifacts/parse_validate_apply/` (when present) is replayed;
//! - a deterministic mutation loop (JSON-aware: replaces, deletes and inserts
//!   values and keys, swaps updates between cases, flips bytes) runs
//!   `FUZZ_SMOKE_ITERS` inputs (default 3,000) from seed `FUZZ_SMOKE_SEED`.
//!
//! A failing input is written to `artifacts/parse_validate_apply/smoke-*`,
//! where `cargo fuzz run parse_validate_apply <file>` (or this test) replays it.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};
use tulip_core_fuzz::{join, run, seeds, split};

fn fuzz_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(sub)
        .join("parse_validate_apply")
}

/// Runs one input; on a panic, saves it and returns the message.
fn check(input: &[u8]) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(|| run(input))).map_err(|e| {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let dir = fuzz_dir("artifacts");
        let _ = std::fs::create_dir_all(&dir);
        let hash = input.iter().fold(0xcbf29ce484222325u64, |h, b| {
            (h ^ *b as u64).wrapping_mul(0x100000001b3)
        });
        let file = dir.join(format!("smoke-{hash:016x}"));
        let _ = std::fs::write(&file, input);
        format!("{}\n  input saved to {}", msg, file.display())
    })
}

#[test]
fn seeds_pass() {
    let seeds = seeds();
    assert!(seeds.len() > 20, "found only {} seeds", seeds.len());
    for (name, input) in seeds {
        check(&input).unwrap_or_else(|e| panic!("seed {name}: {e}"));
    }
}

#[test]
fn corpus_and_artifacts_replay() {
    for sub in ["corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(fuzz_dir(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            let input = std::fs::read(e.path()).unwrap();
            check(&input).unwrap_or_else(|err| panic!("{}: {err}", e.path().display()));
        }
    }
}

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const KEYS: &[&str] = &[
    "x",
    "y",
    "id",
    "owner",
    "hidden_for_others",
    "facedown",
    "face",
    "image",
    "selected",
    "content",
    "bg",
    "fg",
    "views",
    "default",
    "alice",
    "bob",
    "7",
    "set_cells",
    "clear_cells",
    "set_default_bg",
    "widgets",
    "children",
    "type",
    "width",
    "height",
    "cards",
    "sprites",
    "cells",
    "animate",
    "timer",
    "seconds",
    "update_card",
    "reorder",
    "add_cards",
    "remove_cards",
    "play_sound",
    "sounds",
    "play",
    "emphasize",
    "explored",
    "reveal",
    "markers",
    "tiles",
    "items",
    "slot",
    "rows",
    "cols",
    "lines",
    "append_lines",
    "clear",
    "max_lines",
    "update_sprite",
    "move_sprite",
    "add_sprites",
    "remove_sprites",
    "set_bar",
    "set_stat",
    "bars",
    "stats",
    "label",
    "current",
    "max",
    "set_turn",
    "turn",
    "current_player",
    "players",
    "list",
    "interaction_rules",
    "set_players",
    "set_status",
    "set_settings",
    "settings",
    "options",
    "value",
    "entries",
    "set_entries",
    "page",
    "total_pages",
    "set_page",
    "set_text",
    "set_choices",
    "choices",
    "components",
    "set_components",
    "layout",
    "set_center",
    "center",
    "move_marker",
    "add_markers",
    "remove_markers",
    "set_tiles",
    "set_items",
    "clear_slots",
    "update",
];

fn palette(rng: &mut Rng) -> Value {
    match rng.below(30) {
        0 => json!(0),
        1 => json!(1),
        2 => json!(-1),
        3 => json!(7),
        4 => json!(255),
        5 => json!(256),
        6 => json!(257),
        7 => json!(4_294_967_296u64),
        8 => json!(1.5),
        9 => json!(1e300),
        10 => json!(true),
        11 => json!(false),
        12 => Value::Null,
        13 => json!(""),
        14 => json!("alice"),
        15 => json!("bob"),
        16 => json!("7"),
        17 => json!("default"),
        18 => json!("#fff"),
        19 => json!("rgb(1,2,3)"),
        20 => json!("javascript:alert(1)"),
        21 => json!("https://cdn.example/a.png"),
        22 => json!("data:image/png;base64,AAAA"),
        23 => json!([]),
        24 => json!({}),
        25 => json!("x".repeat(257)),
        26 => json!({"x": 0, "y": 0}),
        27 => json!([{"id": "a", "x": 0, "y": 0}]),
        28 => json!({"id": "a"}),
        _ => json!(*rng.pick(KEYS)),
    }
}

/// How many nodes `v` has.
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(m) => m.values().map(count).sum(),
        _ => 0,
    }
}

/// Calls `f` on the `n`th node in pre-order.
fn with_nth(v: &mut Value, n: &mut usize, f: &mut dyn FnMut(&mut Value)) -> bool {
    if *n == 0 {
        f(v);
        return true;
    }
    *n -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|x| with_nth(x, n, f)),
        Value::Object(m) => m.values_mut().any(|x| with_nth(x, n, f)),
        _ => false,
    }
}

fn with_random_node(v: &mut Value, rng: &mut Rng, mut f: impl FnMut(&mut Value, &mut Rng)) {
    let mut n = rng.below(count(v));
    with_nth(v, &mut n, &mut |node| f(node, rng));
}

fn mutate_value(v: &mut Value, rng: &mut Rng) {
    with_random_node(v, rng, |node, rng| match rng.below(6) {
        0 | 1 => *node = palette(rng),
        2 => match node {
            Value::Object(m) if !m.is_empty() => {
                let k = m.keys().nth(rng.below(m.len())).cloned().unwrap();
                m.remove(&k);
            }
            Value::Array(a) if !a.is_empty() => {
                a.remove(rng.below(a.len()));
            }
            _ => *node = palette(rng),
        },
        3 => match node {
            Value::Object(m) => {
                m.insert(rng.pick(KEYS).to_string(), palette(rng));
            }
            Value::Array(a) => a.push(palette(rng)),
            _ => *node = palette(rng),
        },
        4 => match node {
            Value::Array(a) if !a.is_empty() => {
                let x = a[rng.below(a.len())].clone();
                a.insert(rng.below(a.len() + 1), x);
            }
            Value::Object(m) if !m.is_empty() => {
                let k = m.keys().nth(rng.below(m.len())).cloned().unwrap();
                let x = m[&k].clone();
                m.insert(rng.pick(KEYS).to_string(), x);
            }
            _ => *node = palette(rng),
        },
        _ => {
            if let Value::Array(a) = node {
                let (i, j) = (rng.below(a.len()), rng.below(a.len()));
                if i < a.len() && j < a.len() {
                    a.swap(i, j);
                }
            } else {
                *node = palette(rng);
            }
        }
    });
}

fn mutate_bytes(b: &mut Vec<u8>, rng: &mut Rng) {
    for _ in 0..1 + rng.below(4) {
        if b.is_empty() {
            b.push(b'{');
        }
        let i = rng.below(b.len());
        match rng.below(4) {
            0 => b[i] ^= 1 << rng.below(8),
            1 => {
                b.remove(i);
            }
            2 => b.insert(i, *rng.pick(b"{}[]\",:0-eE.\\ \x00\xff")),
            _ => {
                let j = (i + rng.below(16)).min(b.len());
                let chunk = b[i..j].to_vec();
                b.splice(i..i, chunk);
            }
        }
    }
}

fn parse_part(bytes: &[u8]) -> Option<Value> {
    serde_json::from_slice(bytes).ok()
}

#[test]
fn mutations_never_break_invariants() {
    let iters: usize = std::env::var("FUZZ_SMOKE_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3_000);
    let seed: u64 = std::env::var("FUZZ_SMOKE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x7011_f022_5eed);
    let seeds: Vec<Vec<u8>> = seeds().into_iter().map(|(_, s)| s).collect();
    let mut rng = Rng(seed | 1);
    let mut failures = Vec::new();
    for _ in 0..iters {
        let base = rng.pick(&seeds);
        let case = split(base);
        let mut widget = parse_part(case.widget).unwrap_or(Value::Null);
        let mut update = parse_part(case.update).unwrap_or_else(|| Value::Object(Map::new()));
        if rng.below(8) == 0 {
            // another case's update
            let other = rng.pick(&seeds);
            update = parse_part(split(other).update).unwrap_or(update);
        }
        for _ in 0..1 + rng.below(3) {
            if rng.below(2) == 0 {
                mutate_value(&mut widget, &mut rng);
            } else {
                mutate_value(&mut update, &mut rng);
            }
        }
        let viewer = *rng.pick(&["alice", "bob", "7", "carol", "", "default"]);
        let mut input = join(&widget.to_string(), &update.to_string(), viewer);
        if rng.below(10) == 0 {
            mutate_bytes(&mut input, &mut rng);
        }
        if let Err(e) = check(&input) {
            failures.push(e);
            if failures.len() >= 5 {
                break;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing inputs:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
