//! Drawing a frame with Canvas2D, and the caches that make it cheap:
//!
//! - **Images** are loaded once per URL into a thread-local cache of
//!   `HtmlImageElement`s shared by every canvas on the page; when one
//!   finishes loading (or fails), every canvas is woken to redraw.
//! - **Emoji and text** are rendered once per (text, device px size, colour)
//!   into a small offscreen canvas, which each frame then copies with
//!   `drawImage` (far cheaper than `fillText`, and no text measuring per
//!   frame).
//! - A frame draws unrotated sprites with one call each; rotated ones set
//!   the transform first. Alpha is only set when it changes.
//!
//! [`stats`] records the time each frame took to draw, for the benchmark.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement};

use super::scene::{DrawSprite, Source, EMOJI_PX};

/// A texture a sprite is drawn from.
#[derive(Debug)]
pub enum Tex {
    Glyph(HtmlCanvasElement),
    Image(HtmlImageElement),
}

/// Shared: cloning a texture into a frame is a reference count, not a call
/// into JavaScript.
pub type TexRef = Rc<Tex>;

/// The fonts emoji are drawn with (colour emoji first).
pub const EMOJI_FONTS: &str =
    "\"Apple Color Emoji\", \"Segoe UI Emoji\", \"Noto Color Emoji\", \"Twemoji Mozilla\", system-ui, sans-serif";

/// The largest glyph texture side, in device px: bigger sprites are drawn
/// from it scaled up (a scale-100 emoji would otherwise need a 3,200 px
/// texture).
pub const MAX_GLYPH_PX: f64 = 512.0;
/// Glyph textures kept before the cache starts over.
pub const MAX_GLYPHS: usize = 512;

/// A texture and its drawn size in canvas px.
type Sized = (TexRef, f64, f64);
/// Text, size in device px, colour.
type GlyphKey = (Rc<str>, u32, String);

struct Image {
    tex: TexRef,
}

thread_local! {
    static IMAGES: RefCell<HashMap<String, Image>> = RefCell::new(HashMap::new());
    static IMAGE_LOADS: Cell<u32> = const { Cell::new(0) };
    static GLYPHS: RefCell<HashMap<GlyphKey, Option<Sized>>> =
        RefCell::new(HashMap::new());
    static WAKERS: RefCell<Vec<Weak<dyn Fn()>>> = const { RefCell::new(Vec::new()) };
}

/// How many images the cache holds (one per distinct URL).
pub fn image_cache_len() -> usize {
    IMAGES.with(|m| m.borrow().len())
}

/// How many image loads were started since the page loaded (each URL
/// once).
pub fn image_loads() -> u32 {
    IMAGE_LOADS.with(Cell::get)
}

/// How many glyph textures the cache holds.
pub fn glyph_cache_len() -> usize {
    GLYPHS.with(|m| m.borrow().len())
}

/// Registers a function called when an image finishes loading (or fails);
/// it stays registered while the caller keeps the `Rc`.
pub fn on_image_loaded(wake: &Rc<dyn Fn()>) {
    WAKERS.with(|w| {
        let mut w = w.borrow_mut();
        w.retain(|f| f.strong_count() > 0);
        w.push(Rc::downgrade(wake));
    });
}

fn wake_all() {
    // Collected first: a waker may register or drop others.
    let live: Vec<Rc<dyn Fn()>> =
        WAKERS.with(|w| w.borrow().iter().filter_map(Weak::upgrade).collect());
    for f in live {
        f();
    }
}

/// The image for `url`, loading it the first time it is asked for.
fn image(url: &str) -> Option<TexRef> {
    if let Some(t) = IMAGES.with(|m| m.borrow().get(url).map(|i| i.tex.clone())) {
        return Some(t);
    }
    let el = HtmlImageElement::new().ok()?;
    el.set_decoding("async");
    let done = Closure::<dyn Fn()>::new(wake_all).into_js_value();
    el.set_onload(done.dyn_ref());
    el.set_onerror(done.dyn_ref());
    el.set_src(url);
    IMAGE_LOADS.with(|n| n.set(n.get() + 1));
    let tex = Rc::new(Tex::Image(el));
    IMAGES.with(|m| {
        m.borrow_mut()
            .insert(url.to_owned(), Image { tex: tex.clone() })
    });
    Some(tex)
}

/// A loaded image's texture and its size at `scale` (natural size times
/// scale); `None` while it loads or when it failed.
fn image_at(url: &str, scale: f64) -> Option<(TexRef, f64, f64)> {
    let tex = image(url)?;
    let Tex::Image(el) = &*tex else {
        return None;
    };
    let (w, h) = (el.natural_width(), el.natural_height());
    (el.complete() && w > 0 && h > 0)
        .then(|| (tex.clone(), f64::from(w) * scale, f64::from(h) * scale))
}

/// The glyph texture for `text` at `scale` on a screen of `dpr`, in
/// `color`, and its size in canvas px.
fn glyph_at(text: &Rc<str>, scale: f64, dpr: f64, color: &str) -> Option<(TexRef, f64, f64)> {
    let css_px = EMOJI_PX * scale;
    let device_px = (css_px * dpr).round().min(MAX_GLYPH_PX);
    if text.is_empty() || device_px < 1.0 {
        return None;
    }
    let key = (text.clone(), device_px as u32, color.to_owned());
    if let Some(hit) = GLYPHS.with(|g| g.borrow().get(&key).cloned()) {
        // Sized for this sprite: the same texture serves every scale that
        // rounds to the same device size.
        return hit.map(|(t, w, h)| {
            let k = css_px * dpr / device_px;
            (t, w * k, h * k)
        });
    }
    let made = render_glyph(text, device_px, color).map(|(c, w, h)| {
        // Size in canvas px of the texture as rendered (device px / dpr).
        (
            Rc::new(Tex::Glyph(c)),
            f64::from(w) / dpr,
            f64::from(h) / dpr,
        )
    });
    GLYPHS.with(|g| {
        let mut g = g.borrow_mut();
        if g.len() >= MAX_GLYPHS {
            g.clear();
        }
        g.insert(key, made.clone());
    });
    made.map(|(t, w, h)| {
        let k = css_px * dpr / device_px;
        (t, w * k, h * k)
    })
}

/// Renders `text` at `px` device px into a new canvas sized to its ink
/// (plus a small margin), centred.
fn render_glyph(text: &str, px: f64, color: &str) -> Option<(HtmlCanvasElement, u32, u32)> {
    let doc = web_sys::window()?.document()?;
    let canvas: HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    let font = format!("{px}px {EMOJI_FONTS}");
    let ctx = context(&canvas)?;
    ctx.set_font(&font);
    let m = ctx.measure_text(text).ok()?;
    let ascent = m.actual_bounding_box_ascent();
    let descent = m.actual_bounding_box_descent();
    let ink = if (ascent + descent).is_finite() && ascent + descent > 0.0 {
        ascent + descent
    } else {
        px
    };
    let pad = (px * 0.08).ceil();
    let width = if m.width().is_finite() {
        m.width().clamp(1.0, MAX_GLYPH_PX * 8.0)
    } else {
        px
    };
    let w = (width + 2.0 * pad).ceil() as u32;
    let h = (ink.max(px * 0.9) + 2.0 * pad).ceil() as u32;
    canvas.set_width(w.max(1));
    canvas.set_height(h.max(1));
    // Resizing resets the context's state.
    ctx.set_font(&font);
    ctx.set_text_align("center");
    ctx.set_text_baseline("alphabetic");
    ctx.set_fill_style_str(color);
    let baseline = (f64::from(h) - ink) / 2.0 + ascent;
    ctx.fill_text(text, f64::from(w) / 2.0, baseline).ok()?;
    Some((canvas, w, h))
}

/// The 2D context of a canvas element.
pub fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// What the painter needs to resolve a sprite's texture.
pub struct Resolver<'a> {
    pub dpr: f64,
    /// The text colour of plain characters (emoji bring their own).
    pub color: &'a str,
}

impl Resolver<'_> {
    pub fn resolve(&self, source: &Source, scale: f64) -> Option<(TexRef, f64, f64)> {
        match source {
            Source::Emoji(t) => glyph_at(t, scale, self.dpr, self.color),
            Source::Image(u) => image_at(u, scale),
        }
    }
}

/// What a frame draws over the sprites: the focus ring of the sprite whose
/// button has keyboard focus, and the keyboard cursor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlay {
    pub focused: Option<Rc<str>>,
    pub cursor: Option<(f64, f64)>,
    /// The focus colour (`--tulip-focus`).
    pub focus_color: String,
}

/// Draws one frame: background, then every sprite in order, then the
/// overlay. `scale` maps canvas px to backing px.
pub fn draw(
    ctx: &CanvasRenderingContext2d,
    scale: f64,
    size: (u32, u32),
    background: Option<&str>,
    frame: &[DrawSprite<TexRef>],
    overlay: &Overlay,
) {
    let (w, h) = (f64::from(size.0), f64::from(size.1));
    let _ = ctx.set_transform(scale, 0.0, 0.0, scale, 0.0, 0.0);
    ctx.set_global_alpha(1.0);
    ctx.clear_rect(0.0, 0.0, w, h);
    if let Some(bg) = background {
        ctx.set_fill_style_str(bg);
        ctx.fill_rect(0.0, 0.0, w, h);
    }
    let mut alpha = 1.0;
    let mut identity = true;
    for s in frame {
        if s.alpha <= 0.0 || s.w <= 0.0 || s.h <= 0.0 {
            continue;
        }
        if s.alpha != alpha {
            ctx.set_global_alpha(s.alpha);
            alpha = s.alpha;
        }
        if s.glow > 0.0 {
            if !identity {
                let _ = ctx.set_transform(scale, 0.0, 0.0, scale, 0.0, 0.0);
                identity = true;
            }
            glow(ctx, s);
        }
        let turned = s.rotation % 360.0 != 0.0;
        let (x, y) = if turned {
            let (sin, cos) = s.rotation.to_radians().sin_cos();
            let _ = ctx.set_transform(
                scale * cos,
                scale * sin,
                -scale * sin,
                scale * cos,
                scale * s.x,
                scale * s.y,
            );
            identity = false;
            (-s.w / 2.0, -s.h / 2.0)
        } else {
            if !identity {
                let _ = ctx.set_transform(scale, 0.0, 0.0, scale, 0.0, 0.0);
                identity = true;
            }
            (s.x - s.w / 2.0, s.y - s.h / 2.0)
        };
        match s.tex.as_deref() {
            Some(Tex::Glyph(c)) => {
                let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(c, x, y, s.w, s.h);
            }
            Some(Tex::Image(i)) => {
                let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(i, x, y, s.w, s.h);
            }
            None => placeholder(ctx, x, y, s.w, s.h),
        }
    }
    let _ = ctx.set_transform(scale, 0.0, 0.0, scale, 0.0, 0.0);
    ctx.set_global_alpha(1.0);
    draw_overlay(ctx, scale, size, frame, overlay);
}

/// A soft disc behind a glowing sprite.
fn glow(ctx: &CanvasRenderingContext2d, s: &DrawSprite<TexRef>) {
    let r = s.w.max(s.h) * 0.75;
    let saved = ctx.global_alpha();
    ctx.set_global_alpha(saved * 0.55 * s.glow);
    ctx.set_fill_style_str("rgb(240,98,146)");
    ctx.begin_path();
    let _ = ctx.arc(s.x, s.y, r, 0.0, std::f64::consts::TAU);
    ctx.fill();
    ctx.set_global_alpha(saved);
}

/// The box of an image that has not loaded (yet): a faint dashed square.
fn placeholder(ctx: &CanvasRenderingContext2d, x: f64, y: f64, w: f64, h: f64) {
    ctx.set_fill_style_str("rgba(128,128,128,0.18)");
    ctx.fill_rect(x, y, w, h);
    ctx.set_stroke_style_str("rgba(128,128,128,0.6)");
    ctx.set_line_width(1.0);
    ctx.stroke_rect(x + 0.5, y + 0.5, (w - 1.0).max(0.0), (h - 1.0).max(0.0));
}

fn draw_overlay(
    ctx: &CanvasRenderingContext2d,
    k: f64,
    size: (u32, u32),
    frame: &[DrawSprite<TexRef>],
    o: &Overlay,
) {
    let color = if o.focus_color.is_empty() {
        "#1e63d6"
    } else {
        o.focus_color.as_str()
    };
    if let Some(id) = &o.focused {
        if let Some(s) = frame.iter().rev().find(|s| !s.leaving && s.id == *id) {
            let (sin, cos) = s.rotation.to_radians().sin_cos();
            let _ = ctx.set_transform(k * cos, k * sin, -k * sin, k * cos, k * s.x, k * s.y);
            ctx.set_stroke_style_str(color);
            ctx.set_line_width(3.0);
            let (w, h) = (s.w.max(8.0) + 8.0, s.h.max(8.0) + 8.0);
            ctx.stroke_rect(-w / 2.0, -h / 2.0, w, h);
            let _ = ctx.set_transform(k, 0.0, 0.0, k, 0.0, 0.0);
        }
    }
    if let Some((x, y)) = o.cursor {
        let arm = (f64::from(size.0.max(size.1)) / 40.0).clamp(6.0, 24.0);
        ctx.set_line_width(3.0);
        ctx.set_stroke_style_str("rgba(255,255,255,0.9)");
        cross(ctx, x, y, arm);
        ctx.set_line_width(1.5);
        ctx.set_stroke_style_str(color);
        cross(ctx, x, y, arm);
    }
}

fn cross(ctx: &CanvasRenderingContext2d, x: f64, y: f64, arm: f64) {
    ctx.begin_path();
    ctx.move_to(x - arm, y);
    ctx.line_to(x + arm, y);
    ctx.move_to(x, y - arm);
    ctx.line_to(x, y + arm);
    ctx.stroke();
}

/// Per-frame drawing times, recorded while a benchmark asks for them.
pub mod stats {
    use std::cell::RefCell;

    thread_local! {
        static FRAMES: RefCell<Option<Vec<(f64, f64)>>> = const { RefCell::new(None) };
    }

    /// Starts recording (forgetting anything recorded before).
    pub fn start() {
        FRAMES.with(|f| *f.borrow_mut() = Some(Vec::with_capacity(1024)));
    }

    /// Stops recording; returns `(frame time, draw ms)` of every frame
    /// drawn since [`start`].
    pub fn stop() -> Vec<(f64, f64)> {
        FRAMES.with(|f| f.borrow_mut().take()).unwrap_or_default()
    }

    /// Frames recorded so far.
    pub fn len() -> usize {
        FRAMES.with(|f| f.borrow().as_ref().map_or(0, Vec::len))
    }

    /// Whether recording is on.
    pub fn on() -> bool {
        FRAMES.with(|f| f.borrow().is_some())
    }

    /// Records one frame (at time `at`, `ms` to draw), when recording.
    pub fn record(at: f64, ms: f64) {
        FRAMES.with(|f| {
            if let Some(v) = f.borrow_mut().as_mut() {
                v.push((at, ms));
            }
        });
    }
}
