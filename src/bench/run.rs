//! Runs the grid benchmark in the page: the real renderer (a `WidgetHost`,
//! the path a message's widget takes) and the vanilla-JS baseline
//! (`www/bench/baseline.js`), one after the other, on the same workload.
//!
//! What is timed, with `performance.now()`:
//!
//! - first render: from `yew::Renderer::render()` of a `WidgetHost` holding
//!   the already parsed 100x100 grid, through Yew's scheduler (which runs at
//!   the next microtask: the measurement awaits one resolved promise, queued
//!   behind it), until `offsetHeight` has been read (style and layout done;
//!   paint is not included). The baseline: its `baselineMount`, which builds
//!   the same DOM and reads `offsetHeight`.
//! - update: from the update's JSON text, through `serde_json` parsing,
//!   `HostAction::Update` (which runs `tulip_core::parse_update` and
//!   `apply_update`), the re-render and `offsetHeight`. Its phases are
//!   reported too (the mean of each, `grid_update_*_mean_ms`): `json` ends when
//!   `serde_json` has the `Value`, `apply` when `dispatch` returns (the
//!   reducer ran), `render` when the microtask is done (Yew's render and
//!   the painter's effect), `layout` when `offsetHeight` returns. The baseline:
//!   `baselineUpdate` (`JSON.parse`, patch the named cells, `offsetHeight`).
//!
//! The grid is windowed (`src/grid/paint.rs`), and so is the baseline:
//! the first render builds every row and the cells of the rows in the
//! scroll box's view; an `IntersectionObserver` builds the rows near the
//! view after the measurement; an update writes to the DOM only the cells
//! of built rows.
//!
//! After each timed step the DOM is checked (not timed) to show the change;
//! if Yew had not finished after one microtask (the scheduler yields to the
//! browser after 16 ms), the measurement waits for it and counts the step
//! as late, the figure including the wait.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use tulip_core::{parse_widget, Policy};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::figures::{Figures, Side};
use super::workload::{workload, Change, Config, Workload};
use crate::host::{HostAction, HostProps, HostState, WidgetHost};

#[wasm_bindgen(module = "/www/bench/baseline.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = baselinePrepare)]
    fn baseline_prepare(payload: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = baselineMount)]
    fn baseline_mount(container: &Element) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = baselineUpdate)]
    fn baseline_update(update: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = baselineLastPhases)]
    fn baseline_last_phases() -> Vec<f64>;
    #[wasm_bindgen(catch, js_name = baselineUnmount)]
    fn baseline_unmount() -> Result<(), JsValue>;
}

/// How many times a late step polls the DOM before giving up.
const MAX_WAITS: usize = 500;

fn now() -> f64 {
    crate::anim::now_ms()
}

/// Lets every microtask queued so far run (Yew's scheduler among them).
async fn microtask() {
    let p = js_sys::Promise::resolve(&JsValue::UNDEFINED);
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

/// Lets the browser run a task (timers, rendering, other components).
async fn yield_task() {
    yew::platform::time::sleep(Duration::ZERO).await;
}

/// Reads `offsetHeight`, which makes the browser compute style and layout.
fn force_layout(e: &Element) -> i32 {
    e.dyn_ref::<HtmlElement>().map_or(0, |h| h.offset_height())
}

fn js_error(what: &str, e: JsValue) -> String {
    let detail = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"));
    format!("{what}: {detail}")
}

fn new_container(stage: &Element) -> Result<Element, String> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let c = doc
        .create_element("div")
        .map_err(|e| js_error("create a container", e))?;
    c.set_class_name("tulip-bench__container");
    stage
        .append_child(&c)
        .map_err(|e| js_error("append a container", e))?;
    Ok(c)
}

fn count(root: &Element, css: &str) -> u32 {
    root.query_selector_all(css).map_or(0, |l| l.length())
}

fn cell_text(root: &Element, x: u32, y: u32) -> Option<String> {
    let css = format!("[role=gridcell][data-x=\"{x}\"][data-y=\"{y}\"]");
    let cell = root.query_selector(&css).ok()??;
    Some(cell.text_content().unwrap_or_default().trim().to_owned())
}

/// Whether the grid in `root` has all its rows and the cells of those in
/// view: a windowed grid (`src/grid/paint.rs`) builds the others later,
/// as they come near the view. The first row is in view.
fn mounted_ok(root: &Element, side: u32) -> bool {
    count(root, "[role=row], .tulip-grid__row--unbuilt") == side
        && cell_text(root, side - 1, 0).is_some()
}

/// Whether `root` shows `version` and the first and last of `changes` in
/// rows that are built.
fn shows(root: &Element, version: u64, changes: &[Change]) -> bool {
    let v = root
        .query_selector("[data-version]")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("data-version"));
    let built: Vec<&Change> = changes.iter().filter(|c| row_built(root, c.y)).collect();
    v.as_deref() == Some(version.to_string().as_str())
        && [built.first(), built.last()]
            .into_iter()
            .flatten()
            .all(|c| cell_text(root, c.x, c.y).as_deref() == Some(c.content.as_str()))
}

/// Whether row `y` has its cells.
fn row_built(root: &Element, y: u32) -> bool {
    cell_text(root, 0, y).is_some()
}

/// Every one of `changes` in a row that is built is shown.
fn shows_all(root: &Element, changes: &[Change]) -> Result<(), String> {
    for c in changes.iter().filter(|c| row_built(root, c.y)) {
        let got = cell_text(root, c.x, c.y);
        if got.as_deref() != Some(c.content.as_str()) {
            return Err(format!(
                "cell ({}, {}) shows {got:?}, not {:?}",
                c.x, c.y, c.content
            ));
        }
    }
    Ok(())
}

fn stale(root: &Element) -> bool {
    root.query_selector("[data-stale=true]")
        .ok()
        .flatten()
        .is_some()
}

/// When the first check after a step fails: polls (yielding to the browser
/// each time) until `ok`, forces layout and returns the time then.
async fn wait_until(
    root: &Element,
    what: &str,
    mut ok: impl FnMut() -> bool,
) -> Result<f64, String> {
    for _ in 0..MAX_WAITS {
        yield_task().await;
        if ok() {
            force_layout(root);
            return Ok(now());
        }
    }
    Err(format!("the page never showed {what}"))
}

/// Runs the whole benchmark; `progress` hears what is going on.
pub async fn run(
    stage: Element,
    cfg: Config,
    progress: Callback<String>,
) -> Result<Figures, String> {
    progress.emit("Preparing the workload…".to_owned());
    yield_task().await;
    let work = workload(&cfg);
    let t = now();
    let widget = parse_widget(&work.payload, &Policy::default())
        .map_err(|e| format!("the grid payload is not valid: {e}"))?;
    let parse_ms = now() - t;
    let grid = renderer(&stage, &cfg, &work, Rc::new(widget), &progress).await?;
    let baseline = baseline(&stage, &cfg, &work, &progress).await?;
    Ok(Figures {
        grid,
        baseline,
        parse_ms,
        seed: cfg.seed,
        cells: cfg.cells,
        side: cfg.side,
    })
}

async fn renderer(
    stage: &Element,
    cfg: &Config,
    work: &Workload,
    widget: Rc<tulip_core::Widget>,
    progress: &Callback<String>,
) -> Result<Side, String> {
    let mut side = Side::default();
    let slot: Rc<RefCell<Option<UseReducerDispatcher<HostState>>>> = Rc::default();
    let mut mounted = None;
    for m in 0..cfg.mounts.max(1) {
        progress.emit(format!(
            "Renderer: first render {}/{}…",
            m + 1,
            cfg.mounts.max(1)
        ));
        yield_task().await;
        let container = new_container(stage)?;
        let ready = {
            let slot = slot.clone();
            Callback::from(move |d| *slot.borrow_mut() = Some(d))
        };
        let props = yew::props!(HostProps {
            widget: widget.clone(),
            version: 1u64,
            live: true,
            on_ready: ready,
        });
        let t0 = now();
        let handle =
            yew::Renderer::<WidgetHost>::with_root_and_props(container.clone(), props).render();
        microtask().await;
        force_layout(&container);
        let mut t1 = now();
        if !mounted_ok(&container, cfg.side) {
            side.late += 1;
            t1 = wait_until(&container, "the grid", || mounted_ok(&container, cfg.side)).await?;
        }
        side.first_renders.push(t1 - t0);
        if m + 1 < cfg.mounts {
            handle.destroy();
            container.remove();
        } else {
            mounted = Some((handle, container));
        }
    }
    let Some((handle, container)) = mounted else {
        return Err("nothing mounted".to_owned());
    };
    yield_task().await;
    let dispatcher = slot
        .borrow()
        .clone()
        .ok_or("the widget host never handed out its dispatcher")?;
    let mut version = 1u64;
    let total = work.updates.len();
    for (i, (text, changes)) in work.updates.iter().enumerate() {
        if i % 25 == 0 {
            progress.emit(format!("Renderer: update {}/{}…", i + 1, total));
            yield_task().await;
        }
        version += 1;
        let t0 = now();
        let update: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("update {i} is not JSON: {e}"))?;
        let t_json = now();
        dispatcher.dispatch(HostAction::Update { version, update });
        let t_apply = now();
        microtask().await;
        let t_render = now();
        force_layout(&container);
        let mut t1 = now();
        let phases = [
            t_json - t0,
            t_apply - t_json,
            t_render - t_apply,
            t1 - t_render,
        ];
        if stale(&container) {
            return Err(format!(
                "update {i} did not apply: the widget host is stale"
            ));
        }
        if !shows(&container, version, changes) {
            side.late += 1;
            t1 = wait_until(&container, &format!("update {i}"), || {
                shows(&container, version, changes)
            })
            .await?;
        }
        if i >= cfg.warmup {
            side.updates.push(t1 - t0);
            side.phases.push(phases);
        }
        yield_task().await;
    }
    if let Some((_, last)) = work.updates.last() {
        shows_all(&container, last).map_err(|e| format!("renderer, last update: {e}"))?;
    }
    handle.destroy();
    container.remove();
    Ok(side)
}

async fn baseline(
    stage: &Element,
    cfg: &Config,
    work: &Workload,
    progress: &Callback<String>,
) -> Result<Side, String> {
    let mut side = Side::default();
    baseline_prepare(&work.payload).map_err(|e| js_error("baseline", e))?;
    let mut container = None;
    for m in 0..cfg.mounts.max(1) {
        progress.emit(format!(
            "Baseline: first render {}/{}…",
            m + 1,
            cfg.mounts.max(1)
        ));
        yield_task().await;
        let c = new_container(stage)?;
        let t0 = now();
        baseline_mount(&c).map_err(|e| js_error("baseline mount", e))?;
        side.first_renders.push(now() - t0);
        if !mounted_ok(&c, cfg.side) {
            return Err("the baseline did not draw the grid".to_owned());
        }
        if m + 1 < cfg.mounts {
            baseline_unmount().map_err(|e| js_error("baseline unmount", e))?;
            c.remove();
        } else {
            container = Some(c);
        }
    }
    let Some(container) = container else {
        return Err("nothing mounted".to_owned());
    };
    yield_task().await;
    let total = work.updates.len();
    for (i, (text, changes)) in work.updates.iter().enumerate() {
        if i % 25 == 0 {
            progress.emit(format!("Baseline: update {}/{}…", i + 1, total));
            yield_task().await;
        }
        let t0 = now();
        baseline_update(text).map_err(|e| js_error("baseline update", e))?;
        let t1 = now();
        if !shows(&container, i as u64 + 2, changes) {
            return Err(format!("the baseline did not show update {i}"));
        }
        if i >= cfg.warmup {
            side.updates.push(t1 - t0);
            // JSON, the writes and layout, in the renderer's slots (it
            // has no `apply` of its own: patching is its render).
            if let [json, writes, layout] = baseline_last_phases()[..] {
                side.phases.push([json, 0.0, writes, layout]);
            }
        }
        yield_task().await;
    }
    if let Some((_, last)) = work.updates.last() {
        shows_all(&container, last).map_err(|e| format!("baseline, last update: {e}"))?;
    }
    baseline_unmount().map_err(|e| js_error("baseline unmount", e))?;
    container.remove();
    Ok(side)
}
