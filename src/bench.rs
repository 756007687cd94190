//! The browser benchmark page (`#bench`): a 100x100 grid drawn by the real
//! renderer, first render and 100-cell updates, next to a hand-written
//! vanilla-JS baseline doing the same DOM work in the same run
//! (`www/bench/baseline.js`); then the canvas section
//! ([`crate::bench_canvas::CanvasBench`]).
//!
//! Every figure is also a machine-readable
//! `<output data-testid="bench-result" data-name=".." data-value="..">`,
//! and every goal a `[data-testid=bench-goal][data-pass]`, which
//! `crates/e2e/tests/bench.rs` reads. Method: [`run`]'s docs and
//! docs/renderer/pages.md.

pub mod figures;
pub mod run;
pub mod stats;
pub mod workload;

use std::rc::Rc;

use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use crate::bench_canvas::CanvasBench;
use figures::{machine, show, Figures, Side, BASELINE_PHASES, PHASES};
use stats::Summary;
use workload::Config;

/// Where the grid benchmark is.
#[derive(Debug, Clone, PartialEq)]
pub enum BenchStatus {
    Idle,
    Running(String),
    Done(Rc<Figures>),
    Failed(String),
}

impl BenchStatus {
    /// `data-state` of the section.
    pub fn as_str(&self) -> &'static str {
        match self {
            BenchStatus::Idle => "idle",
            BenchStatus::Running(_) => "running",
            BenchStatus::Done(_) => "done",
            BenchStatus::Failed(_) => "error",
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct BenchProps {
    /// Measured updates per run (the page lets the user change it).
    #[prop_or(200)]
    pub iterations: usize,
    /// Updates before the measured ones.
    #[prop_or(20)]
    pub warmup: usize,
    /// First renders measured.
    #[prop_or(5)]
    pub mounts: usize,
    /// Whether to show the canvas section below (tests of this section
    /// alone leave it out).
    #[prop_or(true)]
    pub canvas: bool,
}

fn value_cell(name: &'static str, v: Option<f64>, unit: &str) -> Html {
    match v {
        Some(v) => html! {
            <td>
                <output data-testid="bench-result" data-name={name} data-value={machine(v)}>
                    { if unit.is_empty() { format!("{v}") } else { format!("{} {unit}", show(v)) } }
                </output>
            </td>
        },
        None => html! { <td>{ "–" }</td> },
    }
}

/// The rows of the update's phases (`Side::phases`).
const PHASE_LABELS: [&str; 4] = [
    "Update mean, phase: JSON text to a value (serde_json; JSON.parse)",
    "Update mean, phase: parse_update + apply_update (the reducer)",
    "Update mean, phase: Yew render + the painter (the baseline: its DOM writes)",
    "Update mean, phase: style and layout (offsetHeight)",
];

fn results(f: &Figures) -> Html {
    let fr = |s: &Side| s.first_render().map(|x| x.p50);
    let up = |s: &Side, pick: fn(&Summary) -> f64| s.update().map(|x| pick(&x));
    let (g, b) = (&f.grid, &f.baseline);
    let n_mounts = g.first_renders.len();
    let n_updates = g.updates.len();
    let rows = [
        (
            format!("First render (median of {n_mounts})"),
            ("grid_first_render_ms", fr(g)),
            ("baseline_first_render_ms", fr(b)),
        ),
        (
            "First render, first time (cold)".to_owned(),
            ("grid_first_render_cold_ms", g.cold()),
            ("baseline_first_render_cold_ms", b.cold()),
        ),
        (
            format!("Update p50 ({n_updates} updates of {} cells)", f.cells),
            ("grid_update_p50_ms", up(g, |s| s.p50)),
            ("baseline_update_p50_ms", up(b, |s| s.p50)),
        ),
        (
            "Update p95".to_owned(),
            ("grid_update_p95_ms", up(g, |s| s.p95)),
            ("baseline_update_p95_ms", up(b, |s| s.p95)),
        ),
        (
            "Update max".to_owned(),
            ("grid_update_max_ms", up(g, |s| s.max)),
            ("baseline_update_max_ms", up(b, |s| s.max)),
        ),
    ];
    let rows = rows.into_iter().map(|(what, (gn, gv), (bn, bv))| {
        html! {
            <tr>
                <th scope="row">{ what }</th>
                { value_cell(gn, gv, "ms") }
                { value_cell(bn, bv, "ms") }
            </tr>
        }
    });
    let goals = f.goals().into_iter().map(|goal| {
        let verdict = if goal.pass { "pass" } else { "FAIL" };
        html! {
            <li class={classes!("tulip-bench__goal", if goal.pass { "tulip-bench__goal--pass" } else { "tulip-bench__goal--fail" })}
                data-testid="bench-goal" data-name={goal.name} data-pass={goal.pass.to_string()}
                data-value={machine(goal.value)} data-limit={machine(goal.limit)}>
                <strong>{ verdict }</strong>
                { format!(": {} is {} {} (goal: at most {} {})", goal.what, show(goal.value), goal.unit, show(goal.limit), goal.unit) }
            </li>
        }
    });
    html! {
        <>
            <table class="tulip-bench__table" data-testid="bench-table">
                <caption>{ format!("{}x{} grid, seed {:#x}", f.side, f.side, f.seed) }</caption>
                <thead>
                    <tr><th scope="col">{ "Figure" }</th><th scope="col">{ "Renderer (Yew)" }</th><th scope="col">{ "Baseline (vanilla JS)" }</th></tr>
                </thead>
                <tbody>
                    { for rows }
                    <tr>
                        <th scope="row">{ "Update p95, renderer ÷ baseline" }</th>
                        { value_cell("update_ratio_p95", f.ratio_p95(), "×") }
                        <td></td>
                    </tr>
                    { for PHASE_LABELS.iter().zip(PHASES).zip(BASELINE_PHASES).enumerate().map(|(i, ((label, name), bname))| html! {
                        <tr>
                            <th scope="row">{ *label }</th>
                            { value_cell(name, g.phase(i).map(|p| p.mean), "ms") }
                            { match bname {
                                Some(bn) => value_cell(bn, b.phase(i).map(|p| p.mean), "ms"),
                                None => html! { <td>{ "–" }</td> },
                            } }
                        </tr>
                    }) }
                    <tr>
                        <th scope="row">{ "Parse of the payload (not in first render)" }</th>
                        { value_cell("grid_parse_ms", Some(f.parse_ms), "ms") }
                        <td></td>
                    </tr>
                    <tr>
                        <th scope="row">{ "Steps not drawn after one microtask" }</th>
                        { value_cell("grid_late_renders", Some(g.late as f64), "") }
                        <td></td>
                    </tr>
                </tbody>
            </table>
            <ul class="tulip-bench__goals" aria-label="Goals">{ for goals }</ul>
        </>
    }
}

/// What the page's URL asks for: `#bench?run` starts a run at once,
/// `n=50` sets the number of measured updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HashOptions {
    pub run: bool,
    pub iterations: Option<usize>,
}

impl HashOptions {
    pub fn parse(hash: &str) -> HashOptions {
        let query = hash.split_once('?').map_or("", |(_, q)| q);
        let mut out = HashOptions::default();
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "run" => out.run = v != "0" && v != "false",
                "n" => out.iterations = v.parse().ok().filter(|n| *n > 0),
                _ => {}
            }
        }
        out
    }
}

fn start(status: UseStateHandle<BenchStatus>, stage: NodeRef, cfg: Config) {
    if matches!(*status, BenchStatus::Running(_)) {
        return;
    }
    let Some(stage) = stage.cast::<Element>() else {
        return;
    };
    status.set(BenchStatus::Running("Starting…".to_owned()));
    yew::platform::spawn_local(async move {
        let progress = {
            let status = status.clone();
            Callback::from(move |p: String| status.set(BenchStatus::Running(p)))
        };
        let outcome = run::run(stage, cfg, progress).await;
        status.set(match outcome {
            Ok(f) => BenchStatus::Done(Rc::new(f)),
            Err(e) => BenchStatus::Failed(e),
        });
    });
}

#[component]
pub fn BenchPage(props: &BenchProps) -> Html {
    let options = use_memo((), |_| {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        HashOptions::parse(&hash)
    });
    let status = use_state(|| BenchStatus::Idle);
    let iterations = use_state(|| options.iterations.unwrap_or(props.iterations));
    let stage = use_node_ref();
    let running = matches!(*status, BenchStatus::Running(_));
    let cfg = Config {
        iterations: *iterations,
        warmup: props.warmup,
        mounts: props.mounts,
        ..Config::default()
    };
    {
        let (status, stage, run) = (status.clone(), stage.clone(), options.run);
        use_effect_with((), move |_| {
            if run {
                start(status, stage, cfg);
            }
        });
    }
    let on_run = {
        let status = status.clone();
        let stage = stage.clone();
        Callback::from(move |_: MouseEvent| start(status.clone(), stage.clone(), cfg))
    };
    let on_iterations = {
        let iterations = iterations.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(n) = v.parse::<usize>() {
                iterations.set(n.clamp(1, 5_000));
            }
        })
    };

    let body = match &*status {
        BenchStatus::Idle => html! {
            <p class="tulip-bench__note">{ "Not run yet. A run takes a few seconds." }</p>
        },
        BenchStatus::Running(p) => html! { <p class="tulip-bench__note">{ p.clone() }</p> },
        BenchStatus::Done(f) => results(f),
        BenchStatus::Failed(e) => html! {
            <p class="tulip-bench__error" data-testid="bench-error" role="alert">{ format!("The benchmark failed: {e}") }</p>
        },
    };

    html! {
        <main class="tulip-bench">
            <h1 class="tulip-app__title">{ "Benchmark" }</h1>
            <p class="tulip-bench__intro">
                { "Timings in this browser, now. Release builds only give meaningful figures \
                   (scripts/bench-browser.sh builds one and prints them)." }
            </p>
            <section class="tulip-bench__section" data-testid="bench-grid" data-state={status.as_str()}
                     aria-labelledby="bench-grid-title" aria-busy={running.to_string()}>
                <h2 id="bench-grid-title">{ "Grid: 100x100, 100-cell updates" }</h2>
                <details class="tulip-bench__method">
                    <summary>{ "What is measured" }</summary>
                    <ul>
                        <li>{ "First render: from mounting a widget host holding the parsed 100x100 grid (every cell with a content and a colour) until the DOM is there and layout is done (offsetHeight read). Not the payload's parse (shown apart) and not paint. Median of several mounts; the first, cold one also shown. The grid is windowed: all 100 rows are there at once, the cells of those in view too, and the others are built as they come near the view (after the measurement, for both sides)." }</li>
                        <li>{ "Update: from the update's JSON text (set_cells of 100 random cells with new content and background) through parse_update + apply_update (tulip-core), the re-render, and layout. Warm-up updates are left out." }</li>
                        <li>{ "Baseline: a hand-written vanilla-JS grid with the same elements, classes and attributes, doing the same work (the same windowing, JSON.parse, patch the cells of the 100 in rows that are built, read offsetHeight) on the same payload and updates, in this same run." }</li>
                        <li>{ "Goals: first render at most 50 ms; update p95 at most 4 ms and at most 1.5× the baseline's." }</li>
                    </ul>
                </details>
                <div class="tulip-bench__controls">
                    <label for="bench-iterations">{ "Measured updates" }</label>
                    <input id="bench-iterations" type="number" min="1" max="5000" step="1"
                           value={iterations.to_string()} onchange={on_iterations} disabled={running} />
                    <button type="button" class="tulip-button tulip-button--primary"
                            data-testid="bench-run-grid" onclick={on_run} disabled={running}>
                        { if running { "Running…" } else { "Run the grid benchmark" } }
                    </button>
                </div>
                <div aria-live="polite">{ body }</div>
                <div class="tulip-bench__stage" ref={stage} aria-hidden="true"></div>
            </section>
            if props.canvas {
                <CanvasBench />
            }
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_options() {
        assert_eq!(HashOptions::parse("#bench"), HashOptions::default());
        assert_eq!(
            HashOptions::parse("#bench?run&n=50"),
            HashOptions {
                run: true,
                iterations: Some(50)
            }
        );
        assert_eq!(
            HashOptions::parse("#bench?run=0&n=x"),
            HashOptions {
                run: false,
                iterations: None
            }
        );
        assert_eq!(HashOptions::parse("#bench?n=0").iterations, None);
    }
}
