//! The benchmark's figures, their machine-readable names, and the issue's
//! goals: first render at most 50 ms; update p95 at most 4 ms and at most
//! 1.5 times the vanilla-JS baseline's.

use super::stats::Summary;

/// Goal: first render of the 100x100 grid, in ms.
pub const GOAL_FIRST_RENDER_MS: f64 = 50.0;
/// Goal: p95 of one 100-cell update, in ms.
pub const GOAL_UPDATE_P95_MS: f64 = 4.0;
/// Goal: renderer's update p95 over the baseline's.
pub const GOAL_UPDATE_RATIO: f64 = 1.5;

/// What one side (the renderer or the baseline) measured, in ms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Side {
    /// Each first render, in order (the first one is the cold one).
    pub first_renders: Vec<f64>,
    /// Each measured update (warm-up left out).
    pub updates: Vec<f64>,
    /// How often the DOM did not show the change after one microtask and
    /// the measurement had to wait longer (included in the figure).
    pub late: usize,
    /// The updates (warm-up left out) cut into their phases, in ms:
    /// `[json, apply, render, layout]` (`src/bench/run.rs` says where each
    /// ends); the baseline's `[JSON.parse, 0, its writes, layout]`.
    pub phases: Vec<[f64; 4]>,
}

/// The baseline's phases' figures, in the same slots (it has no `apply`;
/// its `render` is its DOM writes).
pub const BASELINE_PHASES: [Option<&str>; 4] = [
    Some("baseline_update_json_mean_ms"),
    None,
    Some("baseline_update_writes_mean_ms"),
    Some("baseline_update_layout_mean_ms"),
];

/// The names of the update's phases' figures, in `Side::phases` order:
/// the mean of each (`performance.now()` counts in steps of 0.1 ms here,
/// so a p50 of a 0.3 ms phase hides what a mean still shows).
pub const PHASES: [&str; 4] = [
    "grid_update_json_mean_ms",
    "grid_update_apply_mean_ms",
    "grid_update_render_mean_ms",
    "grid_update_layout_mean_ms",
];

impl Side {
    pub fn first_render(&self) -> Option<Summary> {
        Summary::of(&self.first_renders)
    }
    pub fn cold(&self) -> Option<f64> {
        self.first_renders.first().copied()
    }
    pub fn update(&self) -> Option<Summary> {
        Summary::of(&self.updates)
    }
    /// The summary of phase `i` of `Side::phases`.
    pub fn phase(&self, i: usize) -> Option<Summary> {
        let v: Vec<f64> = self
            .phases
            .iter()
            .filter_map(|p| p.get(i).copied())
            .collect();
        Summary::of(&v)
    }
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    pub grid: Side,
    pub baseline: Side,
    /// `tulip_core::parse_widget` of the payload (not part of first render).
    pub parse_ms: f64,
    pub seed: u64,
    pub cells: usize,
    pub side: u32,
}

/// One goal and whether it is met.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// The figure it judges (its `data-name`).
    pub name: &'static str,
    pub what: &'static str,
    pub value: f64,
    pub limit: f64,
    pub unit: &'static str,
    pub pass: bool,
}

impl Figures {
    /// `update_ratio_p95`: the renderer's update p95 over the baseline's
    /// (infinite when the baseline measured 0).
    pub fn ratio_p95(&self) -> Option<f64> {
        let g = self.grid.update()?.p95;
        let b = self.baseline.update()?.p95;
        Some(if b > 0.0 { g / b } else { f64::INFINITY })
    }

    /// Every figure, by its machine-readable name. First renders are the
    /// median of the mounts; `*_cold_ms` is the first mount alone.
    pub fn named(&self) -> Vec<(&'static str, f64)> {
        let mut out = Vec::new();
        let mut side =
            |s: &Side, fr: &'static str, cold: &'static str, names: [&'static str; 3]| {
                if let Some(f) = s.first_render() {
                    out.push((fr, f.p50));
                }
                if let Some(c) = s.cold() {
                    out.push((cold, c));
                }
                if let Some(u) = s.update() {
                    out.push((names[0], u.p50));
                    out.push((names[1], u.p95));
                    out.push((names[2], u.max));
                }
            };
        side(
            &self.grid,
            "grid_first_render_ms",
            "grid_first_render_cold_ms",
            [
                "grid_update_p50_ms",
                "grid_update_p95_ms",
                "grid_update_max_ms",
            ],
        );
        side(
            &self.baseline,
            "baseline_first_render_ms",
            "baseline_first_render_cold_ms",
            [
                "baseline_update_p50_ms",
                "baseline_update_p95_ms",
                "baseline_update_max_ms",
            ],
        );
        for (i, name) in PHASES.iter().enumerate() {
            if let Some(p) = self.grid.phase(i) {
                out.push((*name, p.mean));
            }
        }
        for (i, name) in BASELINE_PHASES.iter().enumerate() {
            if let (Some(name), Some(p)) = (name, self.baseline.phase(i)) {
                out.push((*name, p.mean));
            }
        }
        if let Some(r) = self.ratio_p95() {
            out.push(("update_ratio_p95", r));
        }
        out.push(("grid_parse_ms", self.parse_ms));
        out.push(("grid_late_renders", self.grid.late as f64));
        out
    }

    /// The value of the figure called `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.named()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// The goals, judged on this run.
    pub fn goals(&self) -> Vec<Goal> {
        let mut out = Vec::new();
        let mut goal = |name, what, limit, unit| {
            if let Some(value) = self.get(name) {
                out.push(Goal {
                    name,
                    what,
                    value,
                    limit,
                    unit,
                    pass: value <= limit,
                });
            }
        };
        goal(
            "grid_first_render_ms",
            "First render of the grid",
            GOAL_FIRST_RENDER_MS,
            "ms",
        );
        goal("grid_update_p95_ms", "Update p95", GOAL_UPDATE_P95_MS, "ms");
        goal(
            "update_ratio_p95",
            "Update p95 against the baseline",
            GOAL_UPDATE_RATIO,
            "×",
        );
        out
    }
}

/// A figure as shown: two decimals, `inf` when infinite.
pub fn show(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.2}")
    } else {
        "inf".to_owned()
    }
}

/// A figure as in `data-value`: three decimals, `inf` when infinite.
pub fn machine(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.3}")
    } else {
        "inf".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(grid_updates: &[f64], baseline_updates: &[f64]) -> Figures {
        Figures {
            grid: Side {
                first_renders: vec![80.0, 40.0, 42.0],
                updates: grid_updates.to_vec(),
                late: 0,
                phases: vec![
                    [0.1, 0.2, 0.3, 0.4],
                    [0.3, 0.4, 0.5, 0.6],
                    [0.2, 0.3, 0.4, 0.5],
                ],
            },
            baseline: Side {
                first_renders: vec![20.0, 10.0, 11.0],
                updates: baseline_updates.to_vec(),
                late: 0,
                phases: Vec::new(),
            },
            ..Figures::default()
        }
    }

    #[test]
    fn names_and_values() {
        let f = figures(&[1.0, 2.0, 3.0], &[1.0, 1.0, 2.0]);
        assert_eq!(f.get("grid_first_render_ms"), Some(42.0));
        assert_eq!(f.get("grid_first_render_cold_ms"), Some(80.0));
        assert_eq!(f.get("grid_update_p50_ms"), Some(2.0));
        assert_eq!(f.get("grid_update_p95_ms"), Some(3.0));
        assert_eq!(f.get("baseline_first_render_ms"), Some(11.0));
        assert_eq!(f.get("baseline_update_p95_ms"), Some(2.0));
        assert_eq!(f.get("update_ratio_p95"), Some(1.5));
        let near = |name: &str, want: f64| {
            let got = f.get(name).unwrap_or(f64::NAN);
            assert!((got - want).abs() < 1e-9, "{name}: {got}");
        };
        near("grid_update_json_mean_ms", 0.2);
        near("grid_update_layout_mean_ms", 0.5);
        for required in [
            "grid_first_render_ms",
            "grid_update_p50_ms",
            "grid_update_p95_ms",
            "baseline_first_render_ms",
            "baseline_update_p50_ms",
            "baseline_update_p95_ms",
            "update_ratio_p95",
        ] {
            assert!(f.get(required).is_some(), "{required}");
        }
    }

    #[test]
    fn goals_pass_at_the_limit_and_fail_above() {
        let f = figures(&[1.0, 2.0, 3.0], &[1.0, 1.0, 2.0]);
        let g = f.goals();
        assert_eq!(g.len(), 3);
        assert!(g.iter().all(|g| g.pass), "{g:?}");
        let f = figures(&[1.0, 2.0, 5.0], &[1.0, 1.0, 2.0]);
        let g = f.goals();
        let p95 = g.iter().find(|g| g.name == "grid_update_p95_ms").unwrap();
        let ratio = g.iter().find(|g| g.name == "update_ratio_p95").unwrap();
        assert!(!p95.pass && !ratio.pass);
    }

    #[test]
    fn a_zero_baseline_gives_an_infinite_ratio() {
        let f = figures(&[1.0], &[0.0]);
        assert_eq!(f.ratio_p95(), Some(f64::INFINITY));
        assert_eq!(machine(f64::INFINITY), "inf");
        assert_eq!(show(1.0 / 3.0), "0.33");
        assert!(
            !f.goals()
                .iter()
                .find(|g| g.name == "update_ratio_p95")
                .unwrap()
                .pass
        );
    }

    #[test]
    fn no_updates_no_update_figures() {
        let f = figures(&[], &[]);
        assert_eq!(f.get("grid_update_p95_ms"), None);
        assert_eq!(f.ratio_p95(), None);
        assert_eq!(f.goals().len(), 1);
    }
}
