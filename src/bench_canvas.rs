//! The canvas section of the browser benchmark page (`#bench`): the real
//! canvas component with 1,000 sprites that never stop moving (every
//! 200 ms each gets a new target, 250 ms away, so every move is retargeted
//! mid-flight), drawing time per frame measured around the draw call
//! (`performance.now()`), and the frame rate the page achieved.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::{json, Value};
use tulip_core::model::{Animate, Easing};
use tulip_core::update::{CanvasOps, MoveSprite, OneOrMany};
use tulip_core::{Body, Policy, Update, Widget};
use yew::prelude::*;

use crate::canvas::{self, paint::stats};
use crate::widget::{WidgetProps, WidgetView};

/// Sprites on the benchmark canvas.
pub const BENCH_SPRITES: usize = 1_000;
/// Frames measured.
pub const BENCH_FRAMES: usize = 300;
/// The goal: at most this many ms of drawing per frame (95th percentile).
pub const GOAL_DRAW_MS: f64 = 5.0;
/// The goal for the frame rate.
pub const GOAL_FPS: f64 = 55.0;
/// The benchmark canvas, in canvas px.
pub const BENCH_SIZE: (u32, u32) = (640, 360);
/// A new target for every sprite this often, ms.
const STEP_MS: u64 = 200;
/// Each move takes this long, ms (longer than a step: always in flight).
const MOVE_MS: u32 = 250;
/// The run gives up after this long, ms.
const TIMEOUT_MS: f64 = 30_000.0;

/// What one run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchResult {
    pub frames: usize,
    pub draw_p50_ms: f64,
    pub draw_p95_ms: f64,
    pub draw_max_ms: f64,
    pub fps: f64,
}

impl BenchResult {
    pub fn draw_ok(&self) -> bool {
        self.draw_p95_ms <= GOAL_DRAW_MS
    }
    pub fn fps_ok(&self) -> bool {
        self.fps >= GOAL_FPS
    }
}

/// Percentiles of the drawing times and the frame rate of recorded frames
/// `(frame time, draw ms)`; `None` for fewer than two frames.
pub fn summarize(frames: &[(f64, f64)]) -> Option<BenchResult> {
    if frames.len() < 2 {
        return None;
    }
    let mut ms: Vec<f64> = frames
        .iter()
        .map(|f| f.1)
        .filter(|v| v.is_finite())
        .collect();
    if ms.is_empty() {
        return None;
    }
    ms.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        let i = ((q * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1;
        ms[i]
    };
    let span = frames[frames.len() - 1].0 - frames[0].0;
    let fps = if span > 0.0 {
        (frames.len() - 1) as f64 * 1000.0 / span
    } else {
        0.0
    };
    Some(BenchResult {
        frames: frames.len(),
        draw_p50_ms: pick(0.5),
        draw_p95_ms: pick(0.95),
        draw_max_ms: ms[ms.len() - 1],
        fps,
    })
}

/// A small deterministic random source (the same scene every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

const SCALES: [f64; 3] = [0.6, 0.8, 1.0];
const EMOJI: [&str; 10] = ["🐟", "🐠", "🐡", "🦀", "🐙", "🦑", "🐚", "🪼", "🐢", "🫧"];

/// The benchmark's canvas payload: 1,000 sprites of ten emoji in three
/// sizes, a third of them turned, on five layers.
pub fn bench_widget() -> Option<Widget> {
    let mut r = Lcg(7);
    let (w, h) = (f64::from(BENCH_SIZE.0), f64::from(BENCH_SIZE.1));
    let sprites: Vec<Value> = (0..BENCH_SPRITES)
        .map(|i| {
            let mut s = json!({
                "id": format!("s{i:04}"),
                "emoji": EMOJI[i % EMOJI.len()],
                "x": (r.next() * w).round(),
                "y": (r.next() * h).round(),
                "scale": SCALES[i % SCALES.len()],
                "z": (r.next() * 5.0) as i32,
            });
            if i % 3 == 0 {
                s["rotation"] = json!((r.next() * 360.0).round());
            }
            s
        })
        .collect();
    tulip_core::parse_widget_value(
        json!({"widget_type": "canvas", "extra_data": {
            "width": BENCH_SIZE.0, "height": BENCH_SIZE.1, "background": "#0b3d5c",
            "sprites": sprites}}),
        &Policy::default(),
    )
    .ok()
}

/// One step: every sprite gets a new target near where it heads now.
fn moves(w: &Widget, r: &mut Lcg) -> Option<Update> {
    let Body::Canvas(c) = &w.body else {
        return None;
    };
    let (cw, ch) = (f64::from(BENCH_SIZE.0), f64::from(BENCH_SIZE.1));
    let animate = Animate {
        duration: Some(MOVE_MS),
        easing: Some(Easing::Linear),
        effect: None,
    };
    let list = c
        .sprites
        .values()
        .map(|s| MoveSprite {
            id: s.id.clone(),
            x: (s.x + (r.next() - 0.5) * 60.0).clamp(0.0, cw).round(),
            y: (s.y + (r.next() - 0.5) * 60.0).clamp(0.0, ch).round(),
            animate: Some(animate),
        })
        .collect();
    Some(Update::Canvas(CanvasOps {
        move_sprite: Some(OneOrMany(list)),
        ..Default::default()
    }))
}

#[derive(Properties, PartialEq)]
struct StageProps {
    on_done: Callback<Option<BenchResult>>,
}

#[derive(Clone, PartialEq)]
struct Shown {
    widget: Rc<Widget>,
    update: Option<Rc<Update>>,
    seq: u64,
}

/// Mounts the canvas and moves its sprites until enough frames are drawn.
#[component]
fn BenchStage(props: &StageProps) -> Html {
    let shown = use_state(|| {
        bench_widget().map(|w| Shown {
            widget: Rc::new(w),
            update: None,
            seq: 0,
        })
    });
    {
        let shown = shown.clone();
        let on_done = props.on_done.clone();
        use_effect_with((), move |_| {
            let cancelled = Rc::new(Cell::new(false));
            let stop = cancelled.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Some(start) = (*shown).clone() else {
                    on_done.emit(None);
                    return;
                };
                canvas::force_reduced_motion(Some(false));
                // Let the first frame (glyph textures) settle first.
                yew::platform::time::sleep(Duration::from_millis(100)).await;
                stats::start();
                let t0 = crate::anim::now_ms();
                let mut r = Lcg(42);
                let mut current = start;
                while !cancelled.get()
                    && stats::len() < BENCH_FRAMES
                    && crate::anim::now_ms() - t0 < TIMEOUT_MS
                {
                    if let Some(u) = moves(&current.widget, &mut r) {
                        if let Ok(next) =
                            tulip_core::apply_update(&current.widget, &u, &Policy::default())
                        {
                            current = Shown {
                                widget: Rc::new(next),
                                update: Some(Rc::new(u)),
                                seq: current.seq + 1,
                            };
                            shown.set(Some(current.clone()));
                        }
                    }
                    yew::platform::time::sleep(Duration::from_millis(STEP_MS)).await;
                }
                let frames = stats::stop();
                canvas::force_reduced_motion(None);
                if !cancelled.get() {
                    on_done.emit(summarize(&frames));
                }
            });
            move || stop.set(true)
        });
    }
    match &*shown {
        Some(s) => {
            let mut p = WidgetProps::new(s.widget.clone(), Callback::noop());
            p.update = s.update.clone();
            p.seq = s.seq;
            p.live = true;
            html! { <div class="tulip-bench-canvas__stage"><WidgetView ..p /></div> }
        }
        None => html! { <p>{ "The benchmark canvas could not be built." }</p> },
    }
}

fn output(name: &str, value: f64, digits: usize, unit: &str) -> Html {
    let text = format!("{value:.digits$}");
    html! {
        <output data-testid="bench-result" data-name={name.to_owned()} data-value={text.clone()}>
            { format!("{text}{unit}") }
        </output>
    }
}

fn verdict(ok: bool) -> Html {
    html! {
        <span class={classes!("tulip-bench-canvas__verdict", if ok { "is-pass" } else { "is-fail" })}>
            { if ok { "✓ pass" } else { "✗ fail" } }
        </span>
    }
}

/// The canvas section of the benchmark page.
#[component]
pub fn CanvasBench() -> Html {
    let running = use_state(|| false);
    let result = use_state(|| None::<Result<BenchResult, ()>>);
    let onclick = {
        let running = running.clone();
        let result = result.clone();
        Callback::from(move |_: MouseEvent| {
            result.set(None);
            running.set(true);
        })
    };
    let on_done = {
        let running = running.clone();
        let result = result.clone();
        Callback::from(move |r: Option<BenchResult>| {
            result.set(Some(r.ok_or(())));
            running.set(false);
        })
    };
    let table = match &*result {
        Some(Ok(r)) => html! {
            <table class="tulip-bench-canvas__table">
                <thead><tr><th scope="col">{ "Measure" }</th><th scope="col">{ "Value" }</th><th scope="col">{ "Goal" }</th></tr></thead>
                <tbody>
                    <tr><th scope="row">{ "Frames measured" }</th>
                        <td>{ output("canvas_frames", r.frames as f64, 0, "") }</td><td></td></tr>
                    <tr><th scope="row">{ "Draw time, median" }</th>
                        <td>{ output("canvas_draw_p50_ms", r.draw_p50_ms, 2, " ms") }</td><td></td></tr>
                    <tr><th scope="row">{ "Draw time, 95th percentile" }</th>
                        <td>{ output("canvas_draw_p95_ms", r.draw_p95_ms, 2, " ms") }</td>
                        <td>{ format!("≤ {GOAL_DRAW_MS} ms ") }{ verdict(r.draw_ok()) }</td></tr>
                    <tr><th scope="row">{ "Draw time, worst" }</th>
                        <td>{ output("canvas_draw_max_ms", r.draw_max_ms, 2, " ms") }</td><td></td></tr>
                    <tr><th scope="row">{ "Frame rate" }</th>
                        <td>{ output("canvas_fps", r.fps, 1, " fps") }</td>
                        <td>{ format!("≥ {GOAL_FPS} fps ") }{ verdict(r.fps_ok()) }</td></tr>
                </tbody>
            </table>
        },
        Some(Err(())) => html! { <p role="alert">{ "The run measured no frames." }</p> },
        None => Html::default(),
    };
    html! {
        <section class="tulip-bench__canvas tulip-bench-canvas" aria-labelledby="bench-canvas-title">
            <h2 id="bench-canvas-title">{ "Canvas" }</h2>
            <p>
                { format!("{BENCH_SPRITES} sprites on a {}×{} canvas, every one always moving; \
                           drawing time of each of {BENCH_FRAMES} frames, and the frame rate. \
                           Goal: at most {GOAL_DRAW_MS} ms of drawing per frame at 60 fps.",
                          BENCH_SIZE.0, BENCH_SIZE.1) }
            </p>
            <button type="button" class="tulip-button tulip-button--primary" data-testid="bench-run-canvas" disabled={*running} {onclick}>
                { if *running { "Running…" } else { "Run the canvas benchmark" } }
            </button>
            <div aria-live="polite">{ table }</div>
            if *running {
                <BenchStage {on_done} />
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_of_frames() {
        assert_eq!(summarize(&[]), None);
        assert_eq!(summarize(&[(0.0, 1.0)]), None);
        // 101 frames over 1 s (but one), drawing 1..=101 ms... scaled down.
        let frames: Vec<(f64, f64)> = (0..101)
            .map(|i| (i as f64 * 10.0, (i + 1) as f64 / 10.0))
            .collect();
        let r = summarize(&frames).unwrap();
        assert_eq!(r.frames, 101);
        assert_eq!(r.draw_p50_ms, 5.1);
        assert_eq!(r.draw_p95_ms, 9.6);
        assert_eq!(r.draw_max_ms, 10.1);
        assert!((r.fps - 100.0).abs() < 1e-9);
        assert!(!r.draw_ok() && r.fps_ok());
    }

    #[test]
    fn the_bench_scene_is_valid_and_moves_every_sprite() {
        let w = bench_widget().unwrap();
        let Body::Canvas(c) = &w.body else { panic!() };
        assert_eq!(c.sprites.len(), BENCH_SPRITES);
        let u = moves(&w, &mut Lcg(1)).unwrap();
        let n = tulip_core::apply_update(&w, &u, &Policy::default()).unwrap();
        let Body::Canvas(d) = &n.body else { panic!() };
        let moved = c
            .sprites
            .values()
            .zip(d.sprites.values())
            .filter(|(a, b)| (a.x, a.y) != (b.x, b.y))
            .count();
        assert!(moved > BENCH_SPRITES * 9 / 10, "{moved}");
    }
}
