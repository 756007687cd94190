//! The map widget: a window of `viewport` tiles onto a world of up to
//! 1,024 x 1,024, with terrain, markers and fog of war; pan by drag or
//! keys when `scrollable`. See docs/renderer/map-and-lobby.md.
//!
//! The pure parts are in the submodules: [`view`] (which part of the world
//! is shown, the cursor, drags), [`markers`] (moving, appearing and
//! disappearing markers), [`tiles`] (how a tile looks and reads, and the
//! tile layer). This component keeps their state in one cell, feeds it
//! the widget's new states and the player's pointer and keys, and draws a
//! frame per animation frame while anything moves.

pub mod markers;
pub mod tiles;
pub mod view;

use std::cell::Cell;
use std::rc::Rc;

use serde_json::json;
use tulip_core::model::{Animate, MapWidget, Marker};
use tulip_core::{Body, Update};
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

use crate::anim::{now_ms, reduced_motion};
use crate::widget::WidgetProps;

use markers::MarkerMotion;
use tiles::{explored, marker_name, tile_id, SameWidget, TileLayer};
use view::{Dir, ViewState};

/// Everything the map remembers between renders.
struct MapState {
    view: ViewState,
    motion: MarkerMotion,
    /// The widget (by address) and `seq` last synced.
    synced: Option<(usize, u64)>,
    /// A frame has been requested and not drawn yet.
    frame_pending: bool,
    /// A drag just ended: the click that follows is its end, not a click.
    suppress_click: bool,
}

impl MapState {
    fn new(m: &MapWidget) -> MapState {
        MapState {
            view: ViewState::of(m),
            motion: MarkerMotion::new(&m.markers),
            synced: None,
            frame_pending: false,
            suppress_click: false,
        }
    }
}

thread_local! {
    static NEXT_MAP: Cell<u64> = const { Cell::new(0) };
}

/// A prefix for tile ids unique in the page.
fn next_prefix() -> Rc<str> {
    let n = NEXT_MAP.with(|c| {
        let n = c.get() + 1;
        c.set(n);
        n
    });
    format!("tulip-map-{n}").into()
}

/// The map's operations in the update that led to this state.
fn map_ops(update: Option<&Update>) -> Option<&tulip_core::update::MapOps> {
    match update? {
        Update::Map(o) => Some(o),
        _ => None,
    }
}

/// How a `set_center` of a live update pans: like the update's first
/// animated marker move (the camera follows the hero), else with the
/// default duration. Not live: no hint (at once).
fn pan_hint(ops: Option<&tulip_core::update::MapOps>, live: bool) -> Option<Animate> {
    let o = ops.filter(|o| live && o.set_center.is_some())?;
    let first = o
        .move_marker
        .as_ref()
        .and_then(|mv| mv.0.iter().find_map(|m| m.animate));
    Some(first.unwrap_or_default())
}

/// Whether the widget's own `keyboard` bindings claim `key` (then the
/// frame's key capture gets it, not the map).
fn bound(m: &MapWidget, key: &str) -> bool {
    m.keyboard.as_ref().is_some_and(|k| {
        k.enabled != Some(false)
            && (k.bindings.contains_key(key) || (key == " " && k.bindings.contains_key("Space")))
    })
}

/// Asks the browser for one animation frame, then runs `f`.
fn request_frame(f: impl FnOnce() + 'static) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let cb = wasm_bindgen::closure::Closure::once_into_js(f);
    w.request_animation_frame(cb.unchecked_ref()).is_ok()
}

fn pct(v: f64) -> String {
    format!("{:.4}%", v * 100.0)
}

#[component]
pub fn MapView(props: &WidgetProps) -> Html {
    let Body::Map(m) = &props.widget.body else {
        return Html::default();
    };
    let state = {
        // Only the first render builds the state: no clone of the widget.
        let widget = props.widget.clone();
        use_mut_ref(move || match &widget.body {
            Body::Map(m) => MapState::new(m),
            _ => MapState::new(&MapWidget::default()),
        })
    };
    let redraw = use_force_update();
    let prefix = use_memo((), |_| next_prefix());
    let grid_ref = use_node_ref();
    let stack_ref = use_node_ref();
    let now = now_ms();
    let reduced = reduced_motion();

    // A new state of the widget: move the view and the markers.
    {
        let mut s = state.borrow_mut();
        let key = (Rc::as_ptr(&props.widget) as usize, props.seq);
        if s.synced != Some(key) {
            let ops = map_ops(props.update.as_deref());
            let hint = pan_hint(ops, props.live);
            s.view.sync(m, hint.as_ref(), reduced, now);
            s.motion.sync(&m.markers, ops, props.live, reduced, now);
            s.synced = Some(key);
        }
        s.motion.expire(now);
    }

    // While anything moves, draw again on the next frame. Whether it moves
    // is asked at the time this render drew (`now`), not when the effect
    // runs: a move that ends in between would otherwise stay drawn short of
    // its end, with no frame left to finish it.
    {
        let state = state.clone();
        let redraw = redraw.clone();
        let moving = {
            let s = state.borrow();
            s.view.running(now) || s.motion.running(now)
        };
        use_effect(move || {
            let want = moving && !state.borrow().frame_pending;
            if want {
                state.borrow_mut().frame_pending = true;
                let st = state.clone();
                let asked = request_frame(move || {
                    st.borrow_mut().frame_pending = false;
                    redraw.force_update();
                });
                if !asked {
                    state.borrow_mut().frame_pending = false;
                }
            }
        });
    }

    let emit = props.on_interaction.clone();
    let on_tile = m.on_tile_click == Some(true);
    let on_marker = m.on_marker_click == Some(true);
    let widget = props.widget.clone();

    let onkeydown = {
        let state = state.clone();
        let redraw = redraw.clone();
        let emit = emit.clone();
        let widget = widget.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Body::Map(m) = &widget.body else { return };
            let key = e.key();
            if bound(m, &key) {
                return;
            }
            let mut s = state.borrow_mut();
            if let Some(dir) = Dir::from_key(&key) {
                e.prevent_default();
                if s.view.key(dir) {
                    drop(s);
                    redraw.force_update();
                }
                return;
            }
            match key.as_str() {
                "Enter" | " " => {
                    e.prevent_default();
                    let (x, y) = s.view.cursor;
                    drop(s);
                    if !explored(m, x, y) {
                        return;
                    }
                    if m.on_tile_click == Some(true) {
                        emit.emit(json!({"type": "tile_click", "x": x, "y": y}));
                    } else if m.on_marker_click == Some(true) {
                        if let Some(mk) = m.markers.values().find(|mk| (mk.x, mk.y) == (x, y)) {
                            emit.emit(json!({"type": "marker_click", "id": mk.id}));
                        }
                    }
                }
                "Home" => {
                    e.prevent_default();
                    if s.view.recenter(now_ms(), reduced_motion()) {
                        drop(s);
                        redraw.force_update();
                    }
                }
                _ => {}
            }
        })
    };

    let onclick = {
        let state = state.clone();
        let redraw = redraw.clone();
        let emit = emit.clone();
        Callback::from(move |e: MouseEvent| {
            let mut s = state.borrow_mut();
            if std::mem::take(&mut s.suppress_click) {
                return;
            }
            let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                return;
            };
            let Ok(Some(tile)) = el.closest("[data-clickable]") else {
                return;
            };
            let coord = |a: &str| tile.get_attribute(a).and_then(|v| v.parse::<u32>().ok());
            let (Some(x), Some(y)) = (coord("data-x"), coord("data-y")) else {
                return;
            };
            s.view.cursor = (x, y);
            drop(s);
            emit.emit(json!({"type": "tile_click", "x": x, "y": y}));
            redraw.force_update();
        })
    };

    let onpointerdown = {
        let state = state.clone();
        Callback::from(move |e: PointerEvent| {
            let mut s = state.borrow_mut();
            s.suppress_click = false;
            if e.pointer_type() == "mouse" && e.button() != 0 {
                return;
            }
            s.view.drag_start(
                e.pointer_id(),
                f64::from(e.client_x()),
                f64::from(e.client_y()),
                now_ms(),
            );
        })
    };
    let onpointermove = {
        let state = state.clone();
        let redraw = redraw.clone();
        let grid_ref = grid_ref.clone();
        let stack_ref = stack_ref.clone();
        Callback::from(move |e: PointerEvent| {
            let mut s = state.borrow_mut();
            if s.view.drag.is_none() {
                return;
            }
            let Some(grid) = grid_ref.cast::<Element>() else {
                return;
            };
            let rect = grid.get_bounding_client_rect();
            let (vw, vh) = s.view.geo.view;
            let was = s.view.dragging();
            let moved = s.view.drag_move(
                e.pointer_id(),
                f64::from(e.client_x()),
                f64::from(e.client_y()),
                rect.width() / f64::from(vw),
                rect.height() / f64::from(vh),
            );
            if !was && s.view.dragging() {
                // Keep the drag when the pointer leaves the map; only now,
                // so that a plain click still reaches its tile.
                if let Some(stack) = stack_ref.cast::<Element>() {
                    let _ = stack.set_pointer_capture(e.pointer_id());
                }
            }
            if moved {
                e.prevent_default();
                drop(s);
                redraw.force_update();
            }
        })
    };
    let onpointerup = {
        let state = state.clone();
        let redraw = redraw.clone();
        Callback::from(move |e: PointerEvent| {
            let mut s = state.borrow_mut();
            if s.view.drag.is_none() {
                return;
            }
            if s.view.drag_end(e.pointer_id()) {
                s.suppress_click = true;
            }
            drop(s);
            redraw.force_update();
        })
    };

    let onrecenter = {
        let state = state.clone();
        let redraw = redraw.clone();
        Callback::from(move |_: MouseEvent| {
            if state.borrow_mut().view.recenter(now_ms(), reduced_motion()) {
                redraw.force_update();
            }
        })
    };

    let s = state.borrow();
    let v = &s.view;
    let win = v.window(now);
    let (vw, vh) = v.geo.view;
    let around = v.around();
    let label = format!(
        "Map, {} by {}, showing {} by {} around ({}, {})",
        v.geo.world.0, v.geo.world.1, vw, vh, around.0, around.1
    );
    // The world layer: `cols` x `rows` tiles, shifted by the fraction.
    let world_style = format!(
        "left:{};top:{};width:{};height:{};",
        pct(-win.fx / f64::from(vw)),
        pct(-win.fy / f64::from(vh)),
        pct(f64::from(win.cols) / f64::from(vw)),
        pct(f64::from(win.rows) / f64::from(vh)),
    );
    let place = |at: (f64, f64)| {
        format!(
            "left:{};top:{};width:{};height:{};",
            pct((at.0 - f64::from(win.x0)) / f64::from(win.cols)),
            pct((at.1 - f64::from(win.y0)) / f64::from(win.rows)),
            pct(1.0 / f64::from(win.cols)),
            pct(1.0 / f64::from(win.rows)),
        )
    };
    let near = |at: (f64, f64)| {
        at.0 > f64::from(win.x0) - 1.0
            && at.1 > f64::from(win.y0) - 1.0
            && at.0 < f64::from(win.x0 + win.cols)
            && at.1 < f64::from(win.y0 + win.rows)
    };
    let icon = |mk: &Marker| -> String {
        match mk.icon.as_deref().filter(|i| !i.is_empty()) {
            Some(i) => i.to_owned(),
            None => marker_name(mk)
                .chars()
                .next()
                .map_or("●".to_owned(), |c| c.to_string()),
        }
    };
    let shown = m
        .markers
        .values()
        .filter(|mk| explored(m, mk.x, mk.y))
        .map(|mk| (mk, s.motion.at(mk, now)))
        .filter(|(_, at)| near(*at))
        .map(|(mk, at)| {
            let name = marker_name(mk).to_owned();
            let appear = if props.live { s.motion.appear(&mk.id) } else { None };
            let mut style = place(at);
            if let Some(a) = appear {
                style.push_str(&format!("--tulip-anim-ms:{}ms;", a.ms));
            }
            let class = classes!(
                "tulip-map__marker",
                on_marker.then_some("tulip-map__marker--clickable"),
                appear.map(|a| a.class),
            );
            let id = mk.id.clone();
            let content = html! { <span class="tulip-map__marker-icon" aria-hidden="true">{ icon(mk) }</span> };
            if on_marker {
                let state = state.clone();
                let emit = emit.clone();
                let onclick = Callback::from(move |e: MouseEvent| {
                    e.stop_propagation();
                    if std::mem::take(&mut state.borrow_mut().suppress_click) {
                        return;
                    }
                    emit.emit(json!({"type": "marker_click", "id": id.clone()}));
                });
                html! {
                    <button type="button" key={mk.id.clone()} {class} {style} {onclick}
                            data-target={mk.id.clone()} data-marker-id={mk.id.clone()}
                            title={name.clone()}
                            aria-label={format!("{name}, at ({}, {})", mk.x, mk.y)}>
                        { content }
                    </button>
                }
            } else {
                html! {
                    <div key={mk.id.clone()} {class} {style} aria-hidden="true"
                         data-target={mk.id.clone()} data-marker-id={mk.id.clone()}
                         title={name}>
                        { content }
                    </div>
                }
            }
        });
    let ghosts = s
        .motion
        .ghosts()
        .iter()
        .filter(|g| props.live && explored(m, g.marker.x, g.marker.y) && near(g.at))
        .map(|g| {
            let style = format!("{}--tulip-anim-ms:{}ms;", place(g.at), g.ms);
            html! {
                <div key={format!("ghost:{}", g.marker.id)} class={classes!("tulip-map__marker", "tulip-map__marker--ghost", g.class)}
                     {style} aria-hidden="true">
                    <span class="tulip-map__marker-icon">{ icon(&g.marker) }</span>
                </div>
            }
        });
    let scrollable = v.scrollable;
    let hint = match (scrollable, on_tile) {
        (true, true) => "Drag or use the arrow keys to look around; Enter picks the tile.",
        (true, false) => "Drag or use the arrow keys to look around.",
        (false, true) => "Arrow keys move the cursor; Enter picks the tile.",
        (false, false) => "Arrow keys move the cursor.",
    };
    let hint_id = format!("{}-hint", &**prefix);
    let root_style = format!("--tulip-map-vw:{vw};--tulip-map-vh:{vh};");
    let stack_class = classes!(
        "tulip-map__stack",
        scrollable.then_some("tulip-map__stack--scrollable"),
        v.dragging().then_some("tulip-map__stack--dragging"),
    );
    let recenter = scrollable.then(|| {
        html! {
            <button type="button" class="tulip-button tulip-map__recenter"
                    disabled={v.is_centered()} onclick={onrecenter}>
                <span aria-hidden="true">{ "◎ " }</span>{ "Recentre" }
            </button>
        }
    });
    html! {
        <div class={classes!("tulip-map", m.fog_of_war.unwrap_or(false).then_some("tulip-map--fog"))}
             style={root_style} data-scrollable={scrollable.to_string()}>
            <div class={stack_class} ref={stack_ref}
                 {onpointerdown} {onpointermove}
                 onpointerup={onpointerup.clone()} onpointercancel={onpointerup}>
                <div class="tulip-map__grid" ref={grid_ref} role="grid" tabindex="0"
                     aria-label={label} aria-describedby={hint_id.clone()}
                     aria-colcount={v.geo.world.0.to_string()}
                     aria-rowcount={v.geo.world.1.to_string()}
                     aria-activedescendant={tile_id(&prefix, v.cursor.0, v.cursor.1)}
                     data-x0={win.x0.to_string()} data-y0={win.y0.to_string()}
                     {onkeydown} {onclick}>
                    <div class="tulip-map__world" role="presentation" style={world_style.clone()}>
                        <TileLayer widget={SameWidget(widget)} x0={win.x0} y0={win.y0}
                                   cols={win.cols} rows={win.rows} cursor={v.cursor}
                                   prefix={(*prefix).clone()} />
                    </div>
                </div>
                <div class="tulip-map__markers">
                    <div class="tulip-map__world" style={world_style}>
                        { for ghosts }
                        { for shown }
                    </div>
                </div>
            </div>
            <div class="tulip-map__bar">
                <span class="tulip-map__where" data-testid="map-where">
                    { format!("Around ({}, {})", around.0, around.1) }
                </span>
                <span class="tulip-map__hint" id={hint_id}>{ hint }</span>
                { for recenter }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(extra: serde_json::Value) -> tulip_core::Widget {
        tulip_core::parse_widget_value(
            json!({"widget_type": "map", "extra_data": extra}),
            &tulip_core::Policy::default(),
        )
        .unwrap()
    }

    #[test]
    fn keys_bound_by_the_widget_are_left_to_the_frame() {
        let w = map(json!({"width": 4, "height": 4,
            "keyboard": {"bindings": {"ArrowUp": "north", "Space": "jump"}}}));
        let Body::Map(m) = &w.body else {
            unreachable!()
        };
        assert!(bound(m, "ArrowUp") && bound(m, " "));
        assert!(!bound(m, "ArrowDown") && !bound(m, "Enter"));
        let w = map(json!({"width": 4, "height": 4,
            "keyboard": {"enabled": false, "bindings": {"ArrowUp": "north"}}}));
        let Body::Map(m) = &w.body else {
            unreachable!()
        };
        assert!(!bound(m, "ArrowUp"));
    }

    #[test]
    fn a_live_set_center_pans_like_the_markers_move() {
        let w = map(json!({"width": 8, "height": 8, "markers": [{"id": "a", "x": 0, "y": 0}]}));
        let u = tulip_core::parse_update(
            &w.body,
            json!({"set_center": {"x": 3, "y": 3},
                   "move_marker": {"id": "a", "x": 3, "y": 3, "animate": {"duration": 400}}}),
        )
        .unwrap();
        let ops = map_ops(Some(&u));
        assert_eq!(pan_hint(ops, true).and_then(|a| a.duration), Some(400));
        assert_eq!(pan_hint(ops, false), None, "from history: at once");
        let u = tulip_core::parse_update(&w.body, json!({"set_center": {"x": 3, "y": 3}})).unwrap();
        assert_eq!(pan_hint(map_ops(Some(&u)), true), Some(Animate::default()));
        let u = tulip_core::parse_update(&w.body, json!({"reveal": [{"x": 1, "y": 1}]})).unwrap();
        assert_eq!(pan_hint(map_ops(Some(&u)), true), None);
    }
}
