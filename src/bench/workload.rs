//! What the benchmark does, decided before anything is timed: the 100x100
//! grid payload and the list of 100-cell updates, from a seeded generator,
//! so that the renderer and the baseline get exactly the same work.

use std::collections::BTreeSet;

use serde_json::{json, Value};

/// A small, fast, seedable generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u32) -> u32 {
        (self.next_u64() % u64::from(n.max(1))) as u32
    }

    /// A colour `#rrggbb`.
    pub fn colour(&mut self) -> String {
        format!("#{:06x}", self.next_u64() & 0x00ff_ffff)
    }
}

/// What the benchmark runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// The grid is `side` x `side`.
    pub side: u32,
    /// Cells changed by each update.
    pub cells: usize,
    /// Updates applied before the measured ones.
    pub warmup: usize,
    /// Measured updates.
    pub iterations: usize,
    /// How many times the first render is measured (each in a fresh
    /// container; the last one stays for the updates).
    pub mounts: usize,
    /// Cell size in pixels.
    pub cell_size: u32,
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            side: 100,
            cells: 100,
            warmup: 20,
            iterations: 200,
            mounts: 5,
            cell_size: 20,
            seed: 0x7u64 << 40 | 0x2026,
        }
    }
}

/// One cell an update sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub x: u32,
    pub y: u32,
    pub content: String,
    pub bg: String,
}

/// The grid payload and every update, as the JSON text the server would
/// send, with the changes each update makes (to check the DOM shows them).
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    pub payload: String,
    pub updates: Vec<(String, Vec<Change>)>,
}

const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// A two-character cell content: a letter and a digit.
fn content(rng: &mut Rng, digit: u32) -> String {
    let letter = LETTERS[rng.below(LETTERS.len() as u32) as usize] as char;
    format!("{letter}{}", digit % 10)
}

/// A full `side` x `side` grid: every cell has a content and a background.
pub fn grid_payload(cfg: &Config, rng: &mut Rng) -> String {
    let mut cells = Vec::with_capacity((cfg.side * cfg.side) as usize);
    for y in 0..cfg.side {
        for x in 0..cfg.side {
            let digit = rng.below(10);
            let c = content(rng, digit);
            cells.push(json!({"x": x, "y": y, "content": c, "bg": rng.colour()}));
        }
    }
    json!({
        "widget_type": "grid",
        "extra_data": {
            "width": cfg.side,
            "height": cfg.side,
            "cell_size": cfg.cell_size,
            "on_cell_click": true,
            "cells": cells,
        }
    })
    .to_string()
}

/// `cfg.cells` distinct random cells with a new content and background
/// (the content's digit is the update's number, so consecutive updates of
/// one cell always differ).
pub fn changes(cfg: &Config, rng: &mut Rng, number: usize) -> Vec<Change> {
    let total = (cfg.side * cfg.side) as usize;
    let want = cfg.cells.min(total);
    let mut picked = BTreeSet::new();
    let mut out = Vec::with_capacity(want);
    while out.len() < want {
        let i = rng.below(total as u32);
        if picked.insert(i) {
            out.push(Change {
                x: i % cfg.side,
                y: i / cfg.side,
                content: content(rng, number as u32),
                bg: rng.colour(),
            });
        }
    }
    out
}

/// `{"set_cells": [...]}` for these changes.
pub fn update_json(changes: &[Change]) -> String {
    let cells: Vec<Value> = changes
        .iter()
        .map(|c| json!({"x": c.x, "y": c.y, "content": c.content, "bg": c.bg}))
        .collect();
    json!({ "set_cells": cells }).to_string()
}

/// Everything the run needs, from `cfg.seed`.
pub fn workload(cfg: &Config) -> Workload {
    let mut rng = Rng::new(cfg.seed);
    let payload = grid_payload(cfg, &mut rng);
    let updates = (0..cfg.warmup + cfg.iterations)
        .map(|i| {
            let c = changes(cfg, &mut rng, i);
            (update_json(&c), c)
        })
        .collect();
    Workload { payload, updates }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tulip_core::{apply_update, parse_update_str, parse_widget, Body, Policy};

    fn small() -> Config {
        Config {
            side: 10,
            cells: 10,
            warmup: 1,
            iterations: 3,
            ..Config::default()
        }
    }

    #[test]
    fn same_seed_same_work_other_seed_other_work() {
        let cfg = small();
        assert_eq!(workload(&cfg), workload(&cfg));
        let other = Config { seed: 1, ..cfg };
        assert_ne!(workload(&cfg).updates, workload(&other).updates);
    }

    #[test]
    fn updates_touch_distinct_cells_inside_the_grid() {
        let cfg = Config::default();
        let mut rng = Rng::new(3);
        let c = changes(&cfg, &mut rng, 0);
        assert_eq!(c.len(), 100);
        let keys: BTreeSet<_> = c.iter().map(|c| (c.x, c.y)).collect();
        assert_eq!(keys.len(), 100);
        assert!(c.iter().all(|c| c.x < 100 && c.y < 100));
        // Asking for more cells than the grid has gives every cell once.
        let all = changes(
            &Config {
                side: 3,
                cells: 50,
                ..cfg
            },
            &mut rng,
            0,
        );
        assert_eq!(all.len(), 9);
    }

    #[test]
    fn the_payload_and_updates_are_valid_and_apply() {
        let cfg = small();
        let w = workload(&cfg);
        let widget = parse_widget(&w.payload, &Policy::default()).unwrap();
        let Body::Grid(g) = &widget.body else {
            panic!()
        };
        assert_eq!(g.cells.0.len(), 100);
        let mut cur = widget;
        for (text, changes) in &w.updates {
            let u = parse_update_str(&cur, text).unwrap();
            cur = apply_update(&cur, &u, &Policy::default()).unwrap();
            let Body::Grid(g) = &cur.body else { panic!() };
            for c in changes {
                let cell = g.cells.get(&(c.y, c.x)).unwrap();
                assert_eq!(cell.content.as_deref(), Some(c.content.as_str()));
                assert_eq!(cell.bg.as_ref().unwrap().as_str(), c.bg);
            }
        }
    }

    #[test]
    fn the_full_payload_is_within_the_size_limit() {
        let w = workload(&Config {
            iterations: 0,
            warmup: 0,
            ..Config::default()
        });
        assert!(w.payload.len() < 1024 * 1024, "{}", w.payload.len());
    }
}
