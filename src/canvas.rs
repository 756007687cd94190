//! The canvas widget: sprites (emoji, images, data URLs) drawn with
//! Canvas2D, moved, faded and scaled with `requestAnimationFrame`, clicked
//! with any pointer or from the keyboard.
//!
//! - [`scene`]: the animation state (tweens, appear/disappear effects,
//!   emphasis) as a plain struct; [`hit`]: the pure geometry (client to
//!   canvas coordinates, hit tests, what a click means); [`paint`]: the
//!   Canvas2D drawing and the image and glyph caches.
//! - A sprite's `x, y` is its **centre**; its box is its drawn size
//!   (emoji: 32 px font times `scale`; image: natural size times `scale`),
//!   turned `rotation` degrees clockwise about the centre.
//! - A click on a sprite with `on_sprite_click` emits `sprite_click` only;
//!   anywhere else (or with sprite clicks off) `canvas_click` in canvas px,
//!   when `on_canvas_click`.
//!
//! See docs/renderer/canvas.md.

pub mod hit;
pub mod paint;
pub mod scene;

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use serde_json::{json, Value};
use tulip_core::{Body, Widget};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

use crate::anim;
use crate::widget::WidgetProps;
use paint::{Overlay, Resolver, TexRef};
use scene::{Scene, SyncOptions};

pub use paint::{glyph_cache_len, image_cache_len, image_loads};

thread_local! {
    static REDUCED_OVERRIDE: Cell<Option<bool>> = const { Cell::new(None) };
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// Makes every canvas behave as if `prefers-reduced-motion` were `reduce`
/// (`Some(true)`) or not (`Some(false)`), whatever the browser says;
/// `None` asks the browser again. For tests.
pub fn force_reduced_motion(v: Option<bool>) {
    REDUCED_OVERRIDE.with(|c| c.set(v));
}

fn reduced_motion() -> bool {
    REDUCED_OVERRIDE
        .with(Cell::get)
        .unwrap_or_else(anim::reduced_motion)
}

/// An event's client point, unrounded (web-sys rounds `clientX` of pointer
/// events to whole px).
fn client_xy(e: &web_sys::MouseEvent) -> (f64, f64) {
    let get = |k: &str| {
        js_sys::Reflect::get(e, &k.into())
            .ok()
            .and_then(|v| v.as_f64())
    };
    match (get("clientX"), get("clientY")) {
        (Some(x), Some(y)) => (x, y),
        _ => (f64::from(e.client_x()), f64::from(e.client_y())),
    }
}

/// A press that has not been released yet: pointer id and client point.
type Press = (i32, f64, f64);

/// How far (css px) a pointer may travel between down and up and still
/// count as a click (a tap wobbles; a drag is not a click).
const TAP_SLOP: f64 = 12.0;

/// Everything the canvas keeps between renders and frames.
#[derive(Default)]
struct Runtime {
    scene: Scene<TexRef>,
    canvas: Option<HtmlCanvasElement>,
    ctx: Option<CanvasRenderingContext2d>,
    size: (u32, u32),
    /// Canvas px to backing px.
    scale: f64,
    dpr: f64,
    background: Option<String>,
    /// Text colour of plain characters (the theme's text colour).
    color: String,
    overlay: Overlay,
    on_canvas_click: bool,
    on_sprite_click: bool,
    /// Where the keyboard cursor was left (kept across blur and focus).
    cursor_at: Option<(f64, f64)>,
    press: Option<Press>,
    /// The cursor style set on the element last.
    pointer_style: &'static str,
    raf: Option<i32>,
    tick: Option<Closure<dyn FnMut(f64)>>,
    wake: Option<Rc<dyn Fn()>>,
}

impl Runtime {
    /// Draws the scene at `now`, recording the time it took for the
    /// benchmark.
    fn paint(&mut self, now: f64) {
        let Runtime {
            scene,
            ctx,
            size,
            scale,
            dpr,
            background,
            color,
            overlay,
            ..
        } = self;
        let Some(ctx) = ctx.as_ref() else {
            return;
        };
        let t0 = anim::now_ms();
        let resolver = Resolver { dpr: *dpr, color };
        let frame = scene.frame(now, |src, sc| resolver.resolve(src, sc));
        paint::draw(ctx, *scale, *size, background.as_deref(), frame, overlay);
        if paint::stats::on() {
            paint::stats::record(now, anim::now_ms() - t0);
        }
    }

    /// The interaction a click at client point `client` means.
    fn click_at_client(&self, client: (f64, f64)) -> Option<Value> {
        let canvas = self.canvas.as_ref()?;
        let r = canvas.get_bounding_client_rect();
        let (x, y) = hit::client_to_canvas(
            client,
            (r.left(), r.top(), r.width(), r.height()),
            self.size,
        )?;
        self.click_at(x, y)
    }

    fn click_at(&self, x: f64, y: f64) -> Option<Value> {
        hit::click_at(
            self.scene.last_frame(),
            x,
            y,
            self.size,
            self.on_canvas_click,
            self.on_sprite_click,
        )
    }
}

/// Asks for an animation frame unless one is already asked for.
fn schedule(rt: &Rc<RefCell<Runtime>>) {
    let Ok(mut r) = rt.try_borrow_mut() else {
        return;
    };
    if r.raf.is_some() {
        return;
    }
    if r.tick.is_none() {
        let weak: Weak<RefCell<Runtime>> = Rc::downgrade(rt);
        r.tick = Some(Closure::<dyn FnMut(f64)>::new(move |ts: f64| {
            let Some(rt) = weak.upgrade() else {
                return;
            };
            let again = {
                let Ok(mut r) = rt.try_borrow_mut() else {
                    return;
                };
                r.raf = None;
                r.paint(ts);
                r.scene.animating(ts)
            };
            if again {
                schedule(&rt);
            }
        }));
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let id = r.tick.as_ref().and_then(|t| {
        window
            .request_animation_frame(t.as_ref().unchecked_ref())
            .ok()
    });
    r.raf = id;
}

/// Compares widgets by identity: a new state is a new `Rc`.
#[derive(Clone)]
struct Same(Rc<Widget>);

impl PartialEq for Same {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A custom property or property of the element's computed style.
fn computed(el: &web_sys::Element, name: &str) -> String {
    web_sys::window()
        .and_then(|w| w.get_computed_style(el).ok().flatten())
        .and_then(|s| s.get_property_value(name).ok())
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}

#[component]
pub fn CanvasView(props: &WidgetProps) -> Html {
    let node = use_node_ref();
    let rt: Rc<RefCell<Runtime>> = use_mut_ref(Runtime::default);
    let uid = use_state(|| {
        NEXT_ID.with(|n| {
            n.set(n.get().wrapping_add(1));
            n.get()
        })
    });

    // Mounted: wake on image loads; unmounted: stop the frame loop.
    {
        let rt = rt.clone();
        use_effect_with((), move |_| {
            let weak = Rc::downgrade(&rt);
            let wake: Rc<dyn Fn()> = Rc::new(move || {
                if let Some(rt) = weak.upgrade() {
                    schedule(&rt);
                }
            });
            paint::on_image_loaded(&wake);
            if let Ok(mut r) = rt.try_borrow_mut() {
                r.wake = Some(wake);
            }
            move || {
                if let Ok(mut r) = rt.try_borrow_mut() {
                    if let (Some(id), Some(w)) = (r.raf.take(), web_sys::window()) {
                        let _ = w.cancel_animation_frame(id);
                    }
                    r.tick = None;
                    r.wake = None;
                    r.canvas = None;
                    r.ctx = None;
                }
            }
        });
    }

    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let (size, background, on_canvas_click, on_sprite_click) = match &props.widget.body {
        Body::Canvas(c) => (
            (c.width.max(1), c.height.max(1)),
            c.background.as_ref().map(|b| b.as_str().to_owned()),
            c.on_canvas_click == Some(true),
            c.on_sprite_click == Some(true),
        ),
        _ => ((1, 1), None, false, false),
    };
    let scale = hit::backing_scale(dpr, size);
    let backing = hit::backing_size(size, scale);

    // A new state: sync the scene, draw at once, animate if need be.
    {
        let rt = rt.clone();
        let node = node.clone();
        let update = props.update.clone();
        let live = props.live;
        use_effect_with(
            (Same(props.widget.clone()), props.seq),
            move |(widget, _)| {
                let Body::Canvas(c) = &widget.0.body else {
                    return;
                };
                {
                    let Ok(mut r) = rt.try_borrow_mut() else {
                        return;
                    };
                    if let Some(el) = node.cast::<HtmlCanvasElement>() {
                        if r.canvas.as_ref() != Some(&el) {
                            r.ctx = paint::context(&el);
                            r.color = computed(&el, "color");
                            r.overlay.focus_color = computed(&el, "--tulip-focus");
                            r.canvas = Some(el);
                        }
                    }
                    if r.dpr != 0.0 && r.dpr != dpr {
                        r.scene.forget_textures();
                    }
                    r.dpr = dpr;
                    r.scale = scale;
                    r.size = size;
                    r.background = background;
                    r.on_canvas_click = on_canvas_click;
                    r.on_sprite_click = on_sprite_click;
                    let now = anim::now_ms();
                    let opt = SyncOptions {
                        reduced: reduced_motion(),
                        live,
                    };
                    r.scene.sync(c, update.as_deref(), now, opt);
                    if let Some(ref mut at) = r.cursor_at {
                        at.0 = at.0.clamp(0.0, f64::from(size.0));
                        at.1 = at.1.clamp(0.0, f64::from(size.1));
                    }
                    r.paint(now);
                    if !r.scene.animating(now) {
                        return;
                    }
                }
                schedule(&rt);
            },
        );
    }

    let Body::Canvas(c) = &props.widget.body else {
        return Html::default();
    };
    let clickable = on_canvas_click || on_sprite_click;
    let emit = props.on_interaction.clone();

    let onpointerdown = {
        let rt = rt.clone();
        Callback::from(move |e: PointerEvent| {
            if !clickable || (e.pointer_type() == "mouse" && e.button() != 0) {
                return;
            }
            if let Ok(mut r) = rt.try_borrow_mut() {
                let (x, y) = client_xy(&e);
                r.press = Some((e.pointer_id(), x, y));
            }
        })
    };
    let onpointerup = {
        let rt = rt.clone();
        let emit = emit.clone();
        Callback::from(move |e: PointerEvent| {
            let (cx, cy) = client_xy(&e);
            let interaction = {
                let Ok(mut r) = rt.try_borrow_mut() else {
                    return;
                };
                match r.press.take() {
                    Some((id, x0, y0))
                        if id == e.pointer_id() && (cx - x0).hypot(cy - y0) <= TAP_SLOP =>
                    {
                        r.click_at_client((cx, cy))
                    }
                    _ => None,
                }
            };
            if let Some(v) = interaction {
                emit.emit(v);
            }
        })
    };
    let oncancel = {
        let rt = rt.clone();
        Callback::from(move |_: PointerEvent| {
            if let Ok(mut r) = rt.try_borrow_mut() {
                r.press = None;
            }
        })
    };
    let onpointermove = {
        let rt = rt.clone();
        Callback::from(move |e: PointerEvent| {
            if !clickable || e.pointer_type() != "mouse" {
                return;
            }
            let Ok(mut r) = rt.try_borrow_mut() else {
                return;
            };
            let Some(canvas) = r.canvas.clone() else {
                return;
            };
            let rect = canvas.get_bounding_client_rect();
            let point = hit::client_to_canvas(
                client_xy(&e),
                (rect.left(), rect.top(), rect.width(), rect.height()),
                r.size,
            );
            let over_sprite = r.on_sprite_click
                && point.is_some_and(|(x, y)| hit::hit_test(r.scene.last_frame(), x, y).is_some());
            let style = if over_sprite {
                "pointer"
            } else if r.on_canvas_click {
                "crosshair"
            } else {
                "default"
            };
            if style != r.pointer_style {
                r.pointer_style = style;
                let _ = canvas.style().set_property("cursor", style);
            }
        })
    };

    // The keyboard cursor for canvas clicks.
    let onfocus = {
        let rt = rt.clone();
        Callback::from(move |_: FocusEvent| {
            if let Ok(mut r) = rt.try_borrow_mut() {
                let (w, h) = r.size;
                let at = r
                    .cursor_at
                    .unwrap_or((f64::from(w) / 2.0, f64::from(h) / 2.0));
                r.cursor_at = Some(at);
                r.overlay.cursor = Some(at);
                r.paint(anim::now_ms());
            }
        })
    };
    let onblur = {
        let rt = rt.clone();
        Callback::from(move |_: FocusEvent| {
            if let Ok(mut r) = rt.try_borrow_mut() {
                r.overlay.cursor = None;
                r.paint(anim::now_ms());
            }
        })
    };
    let onkeydown = {
        let rt = rt.clone();
        let emit = emit.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let interaction = {
                let Ok(mut r) = rt.try_borrow_mut() else {
                    return;
                };
                let Some(at) = r.cursor_at else {
                    return;
                };
                if key == "Enter" || key == " " {
                    e.prevent_default();
                    r.click_at(at.0, at.1)
                } else if let Some(next) = hit::cursor_step(&key, e.shift_key(), at, r.size) {
                    e.prevent_default();
                    r.cursor_at = Some(next);
                    r.overlay.cursor = Some(next);
                    r.paint(anim::now_ms());
                    None
                } else {
                    None
                }
            };
            if let Some(v) = interaction {
                emit.emit(v);
            }
        })
    };

    let label = hit::summary(c.sprites.len());
    let hint_id = format!("tulip-canvas-hint-{}", *uid);
    let style = format!("width:{}px;aspect-ratio:{} / {};", size.0, size.0, size.1);
    let keyboard = on_canvas_click;

    let sprite_buttons = on_sprite_click.then(|| {
        let buttons = c.sprites.values().map(|s| {
            let id = s.id.clone();
            let text = match &s.emoji {
                Some(e) => format!("{e} {id}"),
                None => format!("Image {id}"),
            };
            let onclick = {
                let emit = emit.clone();
                let id = id.clone();
                Callback::from(move |_: MouseEvent| {
                    emit.emit(json!({"type": "sprite_click", "id": id}))
                })
            };
            let onfocus = {
                let rt = rt.clone();
                let id = id.clone();
                Callback::from(move |_: FocusEvent| {
                    if let Ok(mut r) = rt.try_borrow_mut() {
                        r.overlay.focused = Some(Rc::from(id.as_str()));
                        r.paint(anim::now_ms());
                    }
                })
            };
            let onblur = {
                let rt = rt.clone();
                Callback::from(move |_: FocusEvent| {
                    if let Ok(mut r) = rt.try_borrow_mut() {
                        r.overlay.focused = None;
                        r.paint(anim::now_ms());
                    }
                })
            };
            html! {
                <li key={id.clone()}>
                    <button type="button" class="tulip-canvas__sprite-button" data-sprite={id}
                            {onclick} {onfocus} {onblur}>{ text }</button>
                </li>
            }
        });
        html! {
            <ul class="tulip-canvas__sprites" aria-label="Sprites">{ for buttons }</ul>
        }
    });

    html! {
        <div class={classes!("tulip-canvas", clickable.then_some("tulip-canvas--clickable"))}>
            <canvas ref={node} class="tulip-canvas__surface"
                    role="img" aria-label={label}
                    aria-describedby={keyboard.then(|| hint_id.clone())}
                    tabindex={keyboard.then_some("0")}
                    width={backing.0.to_string()} height={backing.1.to_string()}
                    data-width={size.0.to_string()} data-height={size.1.to_string()}
                    {style}
                    {onpointerdown} {onpointerup}
                    onpointercancel={oncancel.clone()} onpointerleave={oncancel}
                    {onpointermove} {onfocus} {onblur} {onkeydown} />
            if keyboard {
                <p id={hint_id} class="tulip-canvas__hint">
                    { "Arrow keys move the cursor, Shift for small steps; Enter clicks." }
                </p>
            }
            { for sprite_buttons }
        </div>
    }
}
