//! Browser tests of the canvas widget: drawn from a payload at the right
//! backing size, clicks in canvas coordinates and on the topmost sprite
//! (rotated, scaled), updates moving what is drawn, the image cache,
//! reduced motion, the keyboard path, and no panic on odd payloads.

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::{json, Value};
use tulip_widgets::canvas;
use tulip_widgets::widget::WidgetProps;
use tulip_widgets::WidgetView;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    Element, HtmlCanvasElement, HtmlElement, KeyboardEvent, KeyboardEventInit, PointerEvent,
    PointerEventInit,
};
use yew::AppHandle;

mod common;

use common::{fresh_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

const SAMPLE: &str = include_str!("../www/samples/canvas.json");

/// A canvas widget mounted from its payload, the interactions it emitted,
/// and a way to feed it updates as the host would.
struct Mounted {
    root: Element,
    handle: AppHandle<WidgetView>,
    widget: Rc<tulip_core::Widget>,
    sent: Rc<RefCell<Vec<Value>>>,
    seq: u64,
}

/// Puts the widget stylesheets on the test page (once): the element's
/// size comes from them.
fn styles() {
    let doc = web_sys::window().unwrap().document().unwrap();
    if doc.get_element_by_id("canvas-test-css").is_some() {
        return;
    }
    let style = doc.create_element("style").unwrap();
    style.set_id("canvas-test-css");
    style.set_text_content(Some(concat!(
        include_str!("../www/style.css"),
        include_str!("../www/canvas.css")
    )));
    doc.head().unwrap().append_child(&style).unwrap();
}

impl Mounted {
    async fn new(payload: Value) -> Mounted {
        styles();
        let widget = tulip_core::parse_widget_value(payload, &tulip_core::Policy::default())
            .expect("a valid payload");
        let sent: Rc<RefCell<Vec<Value>>> = Rc::default();
        let sink = sent.clone();
        let widget = Rc::new(widget);
        let mut props = WidgetProps::new(
            widget.clone(),
            yew::Callback::from(move |v| sink.borrow_mut().push(v)),
        );
        props.live = true;
        let root = fresh_root();
        let handle = yew::Renderer::<WidgetView>::with_root_and_props(root.clone(), props).render();
        settle().await;
        Mounted {
            root,
            handle,
            widget,
            sent,
            seq: 0,
        }
    }

    fn one(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .expect("valid selector")
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    fn count(&self, selector: &str) -> u32 {
        self.root
            .query_selector_all(selector)
            .expect("valid selector")
            .length()
    }

    fn canvas(&self) -> HtmlCanvasElement {
        self.one("canvas").dyn_into().expect("a canvas element")
    }

    /// The interactions sent so far; each must pass the core's checks
    /// against the widget, exactly as the server would run them.
    fn take(&self) -> Vec<Value> {
        let sent = std::mem::take(&mut *self.sent.borrow_mut());
        for v in &sent {
            let it = tulip_core::parse_interaction(v.clone())
                .unwrap_or_else(|e| panic!("{v} is not well-formed: {e:?}"));
            tulip_core::check_interaction(&self.widget, &"alice".into(), &it)
                .unwrap_or_else(|e| panic!("the core refuses {v}: {e:?}"));
        }
        sent
    }

    /// Applies an update as the host does: the new widget and the update
    /// (for its animation hints), with the next seq.
    async fn update(&mut self, ops: Value) {
        let u = tulip_core::parse_update(&self.widget.body, ops).expect("a valid update");
        let w = tulip_core::apply_update(&self.widget, &u, &tulip_core::Policy::default())
            .expect("the update applies");
        self.widget = Rc::new(w);
        self.seq += 1;
        let sink = self.sent.clone();
        let mut props = WidgetProps::new(
            self.widget.clone(),
            yew::Callback::from(move |v| sink.borrow_mut().push(v)),
        );
        props.update = Some(Rc::new(u));
        props.live = true;
        props.seq = self.seq;
        self.handle.update(props);
        settle().await;
    }

    /// The client point of canvas point `(x, y)`.
    fn client(&self, x: f64, y: f64) -> (f64, f64) {
        let c = self.canvas();
        let r = c.get_bounding_client_rect();
        let w: f64 = c.get_attribute("data-width").unwrap().parse().unwrap();
        let h: f64 = c.get_attribute("data-height").unwrap().parse().unwrap();
        (r.left() + x * r.width() / w, r.top() + y * r.height() / h)
    }

    /// A tap (pointer down and up) at canvas point `(x, y)`.
    async fn tap(&self, x: f64, y: f64) {
        let (cx, cy) = self.client(x, y);
        let c = self.canvas();
        for kind in ["pointerdown", "pointerup"] {
            c.dispatch_event(&pointer(kind, cx, cy)).expect("dispatch");
        }
        settle().await;
    }

    /// The colour drawn at canvas point `(x, y)`, as RGBA.
    fn pixel(&self, x: f64, y: f64) -> [u8; 4] {
        let c = self.canvas();
        let scale = f64::from(c.width())
            / c.get_attribute("data-width")
                .unwrap()
                .parse::<f64>()
                .unwrap();
        let ctx = c.get_context("2d").unwrap().unwrap();
        let get: js_sys::Function = js_sys::Reflect::get(&ctx, &"getImageData".into())
            .unwrap()
            .dyn_into()
            .unwrap();
        let args = js_sys::Array::of4(
            &JsValue::from_f64((x * scale).floor()),
            &JsValue::from_f64((y * scale).floor()),
            &JsValue::from_f64(1.0),
            &JsValue::from_f64(1.0),
        );
        let data = get.apply(&ctx, &args).unwrap();
        let bytes =
            js_sys::Uint8ClampedArray::new(&js_sys::Reflect::get(&data, &"data".into()).unwrap());
        let mut out = [0u8; 4];
        bytes.copy_to(&mut out);
        out
    }

    async fn destroy(self) {
        self.handle.destroy();
        settle().await;
        self.root.remove();
    }
}

/// A pointer event with client coordinates (fractional ones too, as a real
/// pointer gives).
fn pointer(kind: &str, x: f64, y: f64) -> PointerEvent {
    let init = PointerEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_pointer_id(1);
    init.set_pointer_type("mouse");
    init.set_is_primary(true);
    init.set_button(0);
    let _ = js_sys::Reflect::set(&init, &"clientX".into(), &JsValue::from_f64(x));
    let _ = js_sys::Reflect::set(&init, &"clientY".into(), &JsValue::from_f64(y));
    PointerEvent::new_with_event_init_dict(kind, &init).expect("pointer event")
}

async fn key(target: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    target.dispatch_event(&event).expect("dispatch");
    settle().await;
}

/// A PNG data URL of a `w` x `h` rectangle of one colour, made by the
/// browser.
fn png(w: u32, h: u32, color: &str) -> String {
    let doc = web_sys::window().unwrap().document().unwrap();
    let c: HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_width(w);
    c.set_height(h);
    let ctx: web_sys::CanvasRenderingContext2d =
        c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    ctx.set_fill_style_str(color);
    ctx.fill_rect(0.0, 0.0, f64::from(w), f64::from(h));
    c.to_data_url().unwrap()
}

/// Waits (up to `ms`) until `f` holds; whether it did.
async fn eventually(ms: u64, f: impl Fn() -> bool) -> bool {
    for _ in 0..ms / 10 {
        if f() {
            return true;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    f()
}

fn red(p: [u8; 4]) -> bool {
    p[0] > 200 && p[1] < 60 && p[2] < 60 && p[3] > 200
}

#[wasm_bindgen_test]
async fn renders_the_sample_with_a_sharp_backing_store_and_a_label() {
    let m = Mounted::new(serde_json::from_str(SAMPLE).unwrap()).await;
    let c = m.canvas();
    let dpr = web_sys::window().unwrap().device_pixel_ratio().max(1.0);
    assert_eq!(c.width(), (360.0 * dpr).round() as u32);
    assert_eq!(c.height(), (220.0 * dpr).round() as u32);
    assert_eq!(c.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        c.get_attribute("aria-label").as_deref(),
        Some("Canvas, 10 sprites")
    );
    // Sprites are clickable: one button each, labelled by emoji and id.
    assert_eq!(m.count("button.tulip-canvas__sprite-button"), 10);
    let mole = m.one("[data-sprite=mole]");
    assert_eq!(mole.text_content().as_deref(), Some("🐹 mole"));
    assert_eq!(
        m.one("[data-sprite=coin-1]").text_content().as_deref(),
        Some("Image coin-1")
    );
    // Canvas clicks are on: the canvas is focusable, with a hint.
    assert_eq!(c.get_attribute("tabindex").as_deref(), Some("0"));
    assert!(c.get_attribute("aria-describedby").is_some());
    // The background is painted.
    let bg = m.pixel(2.0, 110.0);
    assert_eq!(&bg[..3], &[0xbf, 0xe6, 0xff]);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn the_element_fits_a_narrow_container_and_keeps_its_aspect() {
    let m =
        Mounted::new(json!({"widget_type": "canvas", "extra_data": {"width": 800, "height": 400}}))
            .await;
    m.root
        .dyn_ref::<HtmlElement>()
        .unwrap()
        .style()
        .set_property("width", "360px")
        .unwrap();
    settle().await;
    let r = m.canvas().get_bounding_client_rect();
    assert!((r.width() - 360.0).abs() < 1.0, "width {}", r.width());
    assert!((r.height() - 180.0).abs() < 1.0, "height {}", r.height());
    assert_eq!(
        m.canvas().get_attribute("aria-label").as_deref(),
        Some("Canvas, 0 sprites")
    );
    assert_eq!(
        m.count("button"),
        0,
        "no sprite buttons without sprite clicks"
    );
    assert!(m.canvas().get_attribute("tabindex").is_none());
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn canvas_clicks_are_in_canvas_coordinates() {
    let m = Mounted::new(json!({"widget_type": "canvas", "extra_data": {
        "width": 400, "height": 200, "on_canvas_click": true,
        "sprites": [{"id": "a", "emoji": "🐸", "x": 200, "y": 100}]}}))
    .await;
    // Shown at half size: a client px is two canvas px.
    m.root
        .dyn_ref::<HtmlElement>()
        .unwrap()
        .style()
        .set_property("width", "200px")
        .unwrap();
    settle().await;
    assert!((m.canvas().get_bounding_client_rect().width() - 200.0).abs() < 0.5);
    let r = m.canvas().get_bounding_client_rect();
    for kind in ["pointerdown", "pointerup"] {
        m.canvas()
            .dispatch_event(&pointer(kind, r.left() + 50.0, r.top() + 25.0))
            .unwrap();
    }
    settle().await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "canvas_click", "x": 100.0, "y": 50.0})]
    );
    // Sprite clicks are off: a click on the sprite is a canvas click.
    m.tap(200.0, 100.0).await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "canvas_click", "x": 200.0, "y": 100.0})]
    );
    // A drag is no click.
    let c = m.canvas();
    c.dispatch_event(&pointer("pointerdown", r.left() + 10.0, r.top() + 10.0))
        .unwrap();
    c.dispatch_event(&pointer("pointerup", r.left() + 90.0, r.top() + 10.0))
        .unwrap();
    settle().await;
    assert!(m.take().is_empty());
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn the_topmost_sprite_is_clicked_and_nothing_else() {
    let img = png(40, 40, "#00f");
    let m = Mounted::new(json!({"widget_type": "canvas", "extra_data": {
    "width": 300, "height": 200, "on_canvas_click": true, "on_sprite_click": true,
    "sprites": [
        // "a" sorts first by id, but "b" has the lower z: "a" is on top.
        {"id": "a", "base64": img, "x": 100, "y": 100, "z": 5},
        {"id": "b", "base64": img, "x": 120, "y": 100, "z": 1}
    ]}}))
    .await;
    // The overlap: both boxes contain x = 110.
    m.tap(110.0, 100.0).await;
    assert_eq!(m.take(), vec![json!({"type": "sprite_click", "id": "a"})]);
    m.tap(135.0, 100.0).await;
    assert_eq!(m.take(), vec![json!({"type": "sprite_click", "id": "b"})]);
    // Not also a canvas click; and a miss is a canvas click.
    m.tap(250.0, 20.0).await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "canvas_click", "x": 250.0, "y": 20.0})]
    );
    // Raise "b" above "a": now it wins the overlap.
    let mut m = m;
    m.update(json!({"update_sprite": {"id": "b", "z": 9}}))
        .await;
    m.tap(110.0, 100.0).await;
    assert_eq!(m.take(), vec![json!({"type": "sprite_click", "id": "b"})]);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn hit_tests_follow_rotation_and_scale() {
    // A 100 x 10 bar, turned 90° clockwise (upright), and a 10 x 10 square
    // at scale 4 (40 x 40).
    let bar = png(100, 10, "#f00");
    let sq = png(10, 10, "#0f0");
    let m = Mounted::new(json!({"widget_type": "canvas", "extra_data": {
    "width": 300, "height": 200, "on_canvas_click": true, "on_sprite_click": true,
    "sprites": [
        {"id": "bar", "base64": bar, "x": 60, "y": 100, "rotation": 90},
        {"id": "big", "base64": sq, "x": 200, "y": 100, "scale": 4}
    ]}}))
    .await;
    // Wait for the images: sizes come from them.
    assert!(
        eventually(3000, || red(m.pixel(60.0, 140.0))).await,
        "the bar is drawn upright"
    );
    m.tap(60.0, 140.0).await;
    assert_eq!(m.take(), vec![json!({"type": "sprite_click", "id": "bar"})]);
    m.tap(100.0, 100.0).await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "canvas_click", "x": 100.0, "y": 100.0})],
        "the bar no longer reaches sideways"
    );
    m.tap(218.0, 82.0).await;
    assert_eq!(m.take(), vec![json!({"type": "sprite_click", "id": "big"})]);
    m.tap(225.0, 100.0).await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "canvas_click", "x": 225.0, "y": 100.0})]
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn a_move_without_animate_moves_what_is_drawn_at_once() {
    let img = png(20, 20, "#f00");
    let mut m = Mounted::new(json!({"widget_type": "canvas", "extra_data": {
        "width": 300, "height": 200, "background": "#fff", "on_sprite_click": true,
        "sprites": [{"id": "r", "base64": img, "x": 50, "y": 50}]}}))
    .await;
    assert!(eventually(3000, || red(m.pixel(50.0, 50.0))).await);
    m.update(json!({"move_sprite": {"id": "r", "x": 200, "y": 150}}))
        .await;
    assert!(red(m.pixel(200.0, 150.0)), "drawn at the new place");
    assert!(!red(m.pixel(50.0, 50.0)), "and no longer at the old one");
    m.tap(200.0, 150.0).await;
    assert_eq!(m.take(), vec![json!({"type": "sprite_click", "id": "r"})]);
    m.tap(50.0, 50.0).await;
    assert!(m.take().is_empty(), "canvas clicks are off");
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn an_animated_move_starts_where_the_sprite_is_and_reduced_motion_makes_it_instant() {
    let img = png(20, 20, "#f00");
    let payload = json!({"widget_type": "canvas", "extra_data": {
        "width": 300, "height": 200, "background": "#fff", "on_sprite_click": true,
        "sprites": [{"id": "r", "base64": img, "x": 50, "y": 50}]}});
    let slow = json!({"move_sprite": {"id": "r", "x": 250, "y": 150,
        "animate": {"duration": 20000, "easing": "linear"}}});

    canvas::force_reduced_motion(Some(false));
    let mut m = Mounted::new(payload.clone()).await;
    assert!(eventually(3000, || red(m.pixel(50.0, 50.0))).await);
    m.update(slow.clone()).await;
    // 20 s to go: still near the start, not at the target.
    assert!(!red(m.pixel(250.0, 150.0)));
    m.tap(250.0, 150.0).await;
    assert!(m.take().is_empty(), "not there yet");
    m.destroy().await;

    canvas::force_reduced_motion(Some(true));
    let mut m = Mounted::new(payload).await;
    assert!(eventually(3000, || red(m.pixel(50.0, 50.0))).await);
    m.update(slow).await;
    assert!(red(m.pixel(250.0, 150.0)), "there at once");
    m.tap(250.0, 150.0).await;
    assert_eq!(m.take(), vec![json!({"type": "sprite_click", "id": "r"})]);
    m.destroy().await;
    canvas::force_reduced_motion(None);
}

#[wasm_bindgen_test]
async fn a_sprite_fading_out_is_drawn_but_never_clicked() {
    canvas::force_reduced_motion(Some(false));
    let img = png(20, 20, "#f00");
    let mut m = Mounted::new(json!({"widget_type": "canvas", "extra_data": {
        "width": 300, "height": 200, "background": "#fff",
        "on_canvas_click": true, "on_sprite_click": true,
        "sprites": [{"id": "r", "base64": img, "x": 50, "y": 50}]}}))
    .await;
    assert!(eventually(3000, || red(m.pixel(50.0, 50.0))).await);
    m.update(
        json!({"remove_sprites": {"ids": ["r"], "animate": {"effect": "fade", "duration": 20000}}}),
    )
    .await;
    let p = m.pixel(50.0, 50.0);
    assert!(p[0] > 200 && p[1] < 200, "still drawn, fading: {p:?}");
    m.tap(50.0, 50.0).await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "canvas_click", "x": 50.0, "y": 50.0})]
    );
    assert_eq!(m.count("button.tulip-canvas__sprite-button"), 0);
    assert_eq!(
        m.canvas().get_attribute("aria-label").as_deref(),
        Some("Canvas, 0 sprites")
    );
    m.destroy().await;
    canvas::force_reduced_motion(None);
}

#[wasm_bindgen_test]
async fn each_image_url_is_loaded_once() {
    // A URL no other test uses.
    let img = png(13, 7, "#123456");
    let (loads, cached) = (canvas::image_loads(), canvas::image_cache_len());
    let mut m = Mounted::new(json!({"widget_type": "canvas", "extra_data": {
        "width": 100, "height": 100,
        "sprites": [{"id": "a", "base64": img, "x": 20, "y": 20},
                    {"id": "b", "base64": img, "x": 60, "y": 60}]}}))
    .await;
    assert!(eventually(2000, || canvas::image_loads() > loads).await);
    assert_eq!(canvas::image_loads(), loads + 1, "two sprites, one load");
    assert_eq!(canvas::image_cache_len(), cached + 1);
    m.update(json!({"add_sprites": [{"id": "c", "base64": img, "x": 80, "y": 20}]}))
        .await;
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(canvas::image_loads(), loads + 1, "a third sprite, no load");
    m.destroy().await;
    // Another canvas with the same image: still cached.
    let m = Mounted::new(json!({"widget_type": "canvas", "extra_data": {
        "width": 100, "height": 100,
        "sprites": [{"id": "a", "base64": img, "x": 20, "y": 20}]}}))
    .await;
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(canvas::image_loads(), loads + 1);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn sprite_buttons_are_the_keyboard_path() {
    let m = Mounted::new(serde_json::from_str(SAMPLE).unwrap()).await;
    let b = m
        .one("[data-sprite=bee]")
        .dyn_into::<HtmlElement>()
        .unwrap();
    b.focus().unwrap();
    settle().await;
    b.click();
    settle().await;
    assert_eq!(m.take(), vec![json!({"type": "sprite_click", "id": "bee"})]);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn the_keyboard_cursor_clicks_the_canvas() {
    let m = Mounted::new(json!({"widget_type": "canvas", "extra_data": {
        "width": 320, "height": 200, "on_canvas_click": true}}))
    .await;
    let c = m.canvas();
    c.focus().unwrap();
    settle().await;
    key(&c, "ArrowRight").await;
    key(&c, "ArrowDown").await;
    key(&c, "Enter").await;
    // Starts in the centre; a step is 320 / 32 = 10 px.
    assert_eq!(
        m.take(),
        vec![json!({"type": "canvas_click", "x": 170.0, "y": 110.0})]
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn odd_payloads_and_updates_never_panic() {
    let broken = "data:image/png;base64,AAAA";
    let payloads = [
        json!({"width": 1, "height": 1}),
        json!({"width": 4096, "height": 4096, "background": "transparent",
               "sprites": [{"id": "big", "emoji": "🐳", "x": 2048, "y": 2048, "scale": 100, "rotation": 1e6}]}),
        json!({"width": 50, "height": 50, "on_sprite_click": true, "on_canvas_click": true,
        "sprites": [
            {"id": "zero", "emoji": "🐸", "x": -1e6, "y": 1e6, "scale": 0},
            {"id": "text", "emoji": "<b>not html</b>", "x": 10, "y": 10, "z": -2147483648},
            {"id": "broken", "base64": broken, "x": 25, "y": 25, "z": 2147483647},
            {"id": "missing", "image": "/no/such/image.png", "x": 30, "y": 30},
            {"id": "\"quote'", "emoji": "🦊", "x": 0.5, "y": 0.25, "rotation": -45.5}
        ]}),
    ];
    for extra in payloads {
        let mut m = Mounted::new(json!({"widget_type": "canvas", "extra_data": extra})).await;
        assert_eq!(m.count("canvas"), 1);
        m.tap(0.0, 0.0).await;
        m.tap(25.0, 25.0).await;
        let _ = m.take();
        let ids: Vec<String> = match &m.widget.body {
            tulip_core::Body::Canvas(c) => c.sprites.values().map(|s| s.id.clone()).collect(),
            _ => Vec::new(),
        };
        m.update(json!({"add_sprites": [
            {"id": "new-1", "emoji": "✨", "x": 1, "y": 1, "animate": {"effect": "scale", "duration": 50}},
            {"id": "new-2", "base64": broken, "x": 1, "y": 1, "animate": {"effect": "fade"}}]}))
            .await;
        m.update(json!({"move_sprite": [
            {"id": "new-1", "x": 1e6, "y": -1e6, "animate": {"duration": 60000, "easing": "ease-in-out"}},
            {"id": "new-2", "x": 0, "y": 0, "animate": {"duration": 0}}],
            "emphasize": [{"target": "new-1", "effect": "glow"}, {"target": "widget", "effect": "shake"}]}))
            .await;
        let mut remove = ids.clone();
        remove.push("new-1".into());
        m.update(json!({"remove_sprites": {"ids": remove, "animate": {"effect": "scale", "duration": 30}}}))
            .await;
        m.update(
            json!({"update_sprite": {"id": "new-2", "emoji": "🐙", "base64": null, "scale": 3}}),
        )
        .await;
        yew::platform::time::sleep(Duration::from_millis(80)).await;
        assert_eq!(m.count("canvas"), 1);
        assert_eq!(
            m.canvas().get_attribute("aria-label").as_deref(),
            Some("Canvas, 1 sprite")
        );
        m.destroy().await;
    }
}

/// The benchmark section, run for real: 1,000 moving sprites, 300 frames.
/// Prints what it measured (run it with `--release` for honest figures);
/// asserts only that it measured, not how fast (no timed assertions).
#[wasm_bindgen_test]
async fn the_benchmark_draws_1000_moving_sprites() {
    use tulip_widgets::bench_canvas::{CanvasBench, BENCH_FRAMES};
    styles();
    let root = fresh_root();
    let handle = yew::Renderer::<CanvasBench>::with_root(root.clone()).render();
    settle().await;
    let run = root
        .query_selector("[data-testid=bench-run-canvas]")
        .unwrap()
        .expect("the Run button")
        .dyn_into::<HtmlElement>()
        .unwrap();
    run.click();
    let done = eventually(60_000, || {
        root.query_selector("[data-name=canvas_fps]")
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    assert!(done, "the run finished");
    let value = |name: &str| -> f64 {
        root.query_selector(&format!("[data-testid=bench-result][data-name={name}]"))
            .unwrap()
            .unwrap_or_else(|| panic!("no {name}"))
            .get_attribute("data-value")
            .unwrap()
            .parse()
            .unwrap()
    };
    let (frames, p50, p95, max, fps) = (
        value("canvas_frames"),
        value("canvas_draw_p50_ms"),
        value("canvas_draw_p95_ms"),
        value("canvas_draw_max_ms"),
        value("canvas_fps"),
    );
    wasm_bindgen_test::console_log!(
        "canvas bench: {frames} frames of 1000 sprites: draw p50 {p50} ms, p95 {p95} ms, max {max} ms; {fps} fps"
    );
    assert!(frames >= BENCH_FRAMES as f64);
    assert!(p50 > 0.0 && p50 <= p95 && p95 <= max && fps > 0.0);
    handle.destroy();
    settle().await;
    root.remove();
}
