//! Browser tests of the frame around every widget: keys captured only while
//! the widget has the focus (and never in a text field), held keys
//! throttled, the mute switch remembered per user, sounds only for live
//! events, timers drawn from `expires_at` with the clock offset, and
//! emphasis played on `data-target` elements.

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::{json, Value};
use tulip_core::{Policy, Widget};
use tulip_widgets::frame::FrameProps;
use tulip_widgets::sound;
use tulip_widgets::widget::WidgetProps;
use tulip_widgets::WidgetFrame;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};
use yew::AppHandle;

mod common;

use common::{fresh_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

/// A tiny WAV beep, as a data URL.
const BEEP: &str = "data:audio/wav;base64,UklGRkQDAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YSADAAAAAHEPwxoDHxwbHxD3AKPxJeZ94dvkUe8Z/k0N8Rj8HSUbNBHOAsHz/OeS4ubkUe5S/DYLFhfZHAUbHxKFBND12unC4xnlfO2s+i8JNhWdG78a4BIZBs33uusJ5XLlz+wq+TwHVRNMGlUadxOKB7b5m+1k5u3lTOzL914FdhHoGMgZ5hPWCIf7eO/Q54rm8euS9pkDnA91FxwZLRT9CUD9T/FK6UXnvet+9e4ByQ31FVMYThT+Ct3+HPPO6hzor+uP9F8AAgxtFHAXShTZC10A3fRa7AvpxuvH8+7+SQreEnQWIhSPDL8Bjvbq7RLq/usl85z9oAhOEWQV2RMeDQEDLvh77yvrWOyo8mr8Cge+D0IUcBOJDSIEuvkJ8VXs0OxQ8lr7iQUxDhET6hLPDSIFL/uT8oztZO0b8mv6HwSrDNURSBLyDf8FjPwU9M3uEu4J8p/5zwIvC48QjhHzDboGz/2L9Rbw1+4Z8vb4mgG/CUQPvhDTDVIH9v709mLxse9I8m/4gQBeCPcN2w+VDccHAABN+LDynfCV8gv4h/8OB6oM5w45DRsI7ACT+fzzmPH/8sj3qv7RBWAL5g3DDE0IuQHF+kP1n/KC86b37f2qBBwK2gwzDF8IZgLh+4L2r/Md9KT3T/2bA+IIxguNC1EI9ALk/Lf3xvTN9MH30vykArMHrQrTCiUIYQPN/d/44PWR9fv3dfzJAZIGkgkHCt0HrgOb/vj5+/Zk9lH4N/wJAYIFeQgtCXoH2wNM///6E/hF98H4GvxmAIUEYwdGCP4G6gPg//L7Jvkw+En5G/zi/5wDVAZXB2sG2QNVAM/8Mfok+eb5Ovx7/8sCTgVgBsQFrAOtAJX9Mfsc+pf6dfwz/xICVARmBQoFYgPmAEH+JPwX+1j7zPwJ/3IBaANsBEEE/gIAAdP+B/0R/Cn8Pf3+/u4AjgJzA2sDgQL8AEn/2f0I/QX9xv0R/4YAxgF/AooC7QHbAKP/lv74/er9Zv5B/zwAFAGTAaEBQwGcAN//Pf/f/tX+Gf+O/w8AeACyALMAhwBBAP3/zP+6/8X/3v/3/w==";

fn parse(payload: Value) -> Widget {
    tulip_core::parse_widget_value(payload, &Policy::default()).expect("a valid payload")
}

/// A frame mounted from a payload, and the interactions it emitted.
struct Framed {
    root: Element,
    handle: AppHandle<WidgetFrame>,
    props: FrameProps,
    sent: Rc<RefCell<Vec<Value>>>,
}

impl Framed {
    async fn mount(payload: Value, live: bool, user: Option<&str>, offset: f64) -> Framed {
        let sent: Rc<RefCell<Vec<Value>>> = Rc::default();
        let sink = sent.clone();
        let mut inner = WidgetProps::new(
            Rc::new(parse(payload)),
            yew::Callback::from(move |v| sink.borrow_mut().push(v)),
        );
        inner.live = live;
        inner.user_id = user.map(str::to_owned);
        let props = FrameProps {
            inner,
            clock_offset_ms: offset,
        };
        let root = fresh_root();
        let handle =
            yew::Renderer::<WidgetFrame>::with_root_and_props(root.clone(), props.clone()).render();
        settle().await;
        Framed {
            root,
            handle,
            props,
            sent,
        }
    }

    async fn new(payload: Value) -> Framed {
        Framed::mount(payload, false, None, 0.0).await
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).expect("valid selector")
    }

    fn one(&self, selector: &str) -> Element {
        self.find(selector)
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    fn count(&self, selector: &str) -> u32 {
        self.root
            .query_selector_all(selector)
            .expect("valid selector")
            .length()
    }

    fn text(&self, selector: &str) -> String {
        self.one(selector).text_content().unwrap_or_default()
    }

    fn frame(&self) -> HtmlElement {
        self.one("[data-testid=frame]")
            .dyn_into()
            .expect("an HTML element")
    }

    async fn focus(&self, selector: &str) {
        self.one(selector)
            .dyn_into::<HtmlElement>()
            .expect("an HTML element")
            .focus()
            .expect("focus");
        settle().await;
    }

    /// The interactions sent so far; each must pass the core's checks, as
    /// the server would run them.
    fn take(&self) -> Vec<Value> {
        let sent = std::mem::take(&mut *self.sent.borrow_mut());
        for v in &sent {
            let it = tulip_core::parse_interaction(v.clone())
                .unwrap_or_else(|e| panic!("{v} is not well-formed: {e:?}"));
            tulip_core::check_interaction(&self.props.inner.widget, &"alice".into(), &it)
                .unwrap_or_else(|e| panic!("the core refuses {v}: {e:?}"));
        }
        sent
    }

    /// Applies an update as the host would: next seq, the update kept for
    /// its hints, shown live or not.
    async fn update(&mut self, ops: Value, live: bool) {
        let w = &self.props.inner.widget;
        let u = tulip_core::parse_update(&w.body, ops).expect("a valid update");
        let next = tulip_core::apply_update(w, &u, &Policy::default()).expect("applies");
        self.props.inner.widget = Rc::new(next);
        self.props.inner.update = Some(Rc::new(u));
        self.props.inner.seq += 1;
        self.props.inner.live = live;
        self.handle.update(self.props.clone());
        settle().await;
    }

    async fn destroy(self) {
        self.handle.destroy();
        settle().await;
        self.root.remove();
    }
}

fn keydown(key: &str, repeat: bool, ctrl: bool) -> KeyboardEvent {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_repeat(repeat);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event")
}

/// Dispatches a keydown on `target` at once; returns whether it was
/// prevented.
fn press_now(target: &Element, key: &str, repeat: bool) -> bool {
    let e = keydown(key, repeat, false);
    target.dispatch_event(&e).expect("dispatch");
    e.default_prevented()
}

async fn press(target: &Element, key: &str) -> bool {
    let prevented = press_now(target, key, false);
    settle().await;
    prevented
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

fn body() -> Element {
    document().body().expect("a body").into()
}

/// An `<input>` outside any widget.
fn outside_input() -> HtmlElement {
    let input = document().create_element("input").expect("input");
    body().append_child(&input).expect("append");
    input.dyn_into().expect("an HTML element")
}

fn keypress(action: &str) -> Value {
    json!({"type": "keypress", "action": action})
}

fn grid_with_keys() -> Value {
    json!({"widget_type": "grid", "extra_data": {"width": 3, "height": 3,
        "keyboard": {"bindings": {"ArrowUp": "up", "w": "north", "Space": "fire", "Enter": "go"}}}})
}

#[wasm_bindgen_test]
async fn keys_are_captured_only_while_the_widget_has_focus() {
    let m = Framed::new(grid_with_keys()).await;
    let frame = m.frame();
    assert_eq!(frame.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(
        frame.get_attribute("aria-keyshortcuts").as_deref(),
        Some("ArrowUp Enter Space w")
    );
    assert_eq!(
        m.one("[data-testid=key-hint]")
            .get_attribute("data-state")
            .as_deref(),
        Some("idle")
    );
    assert_eq!(m.count("[data-testid=key-list] li"), 4);
    // Not focused: a key on the page, or even on the widget, does nothing.
    assert!(
        !press(&body(), "ArrowUp").await,
        "the page keeps its arrows"
    );
    assert!(!press(&frame, "ArrowUp").await);
    assert_eq!(m.take(), Vec::<Value>::new());

    m.focus("[data-testid=frame]").await;
    assert_eq!(
        m.text("[data-testid=key-hint]"),
        "⌨ Keys active · Esc to release"
    );
    assert!(frame.class_list().contains("tulip-frame--capturing"));
    assert!(
        press(&frame, "ArrowUp").await,
        "a bound key does not scroll"
    );
    assert!(press(&frame, "W").await, "letters ignore case");
    assert!(press(&frame, " ").await);
    assert_eq!(
        m.take(),
        vec![keypress("up"), keypress("north"), keypress("fire")]
    );
    // Unbound keys and shortcuts keep their default.
    assert!(!press(&frame, "x").await);
    let ctrl = keydown("w", false, true);
    frame.dispatch_event(&ctrl).expect("dispatch");
    assert!(!ctrl.default_prevented());
    assert_eq!(m.take(), Vec::<Value>::new());

    // Escape releases: bound keys do nothing until Enter (or a click).
    press(&frame, "Escape").await;
    assert_eq!(
        m.one("[data-testid=key-hint]")
            .get_attribute("data-state")
            .as_deref(),
        Some("released")
    );
    assert!(!press(&frame, "ArrowUp").await);
    assert_eq!(m.take(), Vec::<Value>::new());
    assert!(press(&frame, "Enter").await, "Enter resumes");
    assert_eq!(m.take(), Vec::<Value>::new(), "resuming sends nothing");
    press(&frame, "ArrowUp").await;
    assert_eq!(m.take(), vec![keypress("up")]);

    // Focus elsewhere: nothing again.
    let input = outside_input();
    input.focus().expect("focus");
    settle().await;
    assert_eq!(
        m.one("[data-testid=key-hint]")
            .get_attribute("data-state")
            .as_deref(),
        Some("idle")
    );
    assert!(!press(&input, "ArrowUp").await);
    assert!(!press(&frame, "ArrowUp").await);
    assert_eq!(m.take(), Vec::<Value>::new());
    input.remove();
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn escape_from_a_button_inside_returns_focus_to_the_widget() {
    let m = Framed::new(json!({"widget_type": "interactive", "extra_data": {
        "components": [{"type": "button", "label": "Roll", "action": "roll"}],
        "keyboard": {"bindings": {"r": "roll"}}}}))
    .await;
    m.focus("button").await;
    let button = m.one("button");
    assert!(press(&button, "r").await);
    assert_eq!(m.take(), vec![keypress("roll")]);
    press(&button, "Escape").await;
    let active = document().active_element().expect("something has focus");
    assert!(
        active.is_same_node(Some(&m.frame())),
        "focus went back to the widget"
    );
    assert!(!press(&m.frame(), "r").await);
    assert_eq!(m.take(), Vec::<Value>::new());
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn text_fields_inside_and_outside_keep_their_keys() {
    let m = Framed::new(json!({"widget_type": "terminal", "extra_data": {
        "lines": [{"text": "ready"}], "input": {"placeholder": "type here"},
        "keyboard": {"bindings": {"a": "left", "Space": "jump"}}}}))
    .await;
    m.focus("input").await;
    assert_eq!(
        m.one("[data-testid=key-hint]")
            .get_attribute("data-state")
            .as_deref(),
        Some("typing")
    );
    let input = m.one("input");
    assert!(!press(&input, "a").await, "typing an a types an a");
    assert!(!press(&input, " ").await);
    assert_eq!(m.take(), Vec::<Value>::new());
    // Back on the widget itself (Tab, or a click on the lines): captured.
    m.focus("[data-testid=frame]").await;
    assert!(press(&m.frame(), "a").await);
    assert_eq!(m.take(), vec![keypress("left")]);
    // An input outside the widget.
    let outside = outside_input();
    outside.focus().expect("focus");
    settle().await;
    assert!(!press(&outside, "a").await);
    assert_eq!(m.take(), Vec::<Value>::new());
    outside.remove();
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn held_keys_are_throttled() {
    let m = Framed::new(grid_with_keys()).await;
    m.focus("[data-testid=frame]").await;
    let frame: Element = m.frame().into();
    assert!(press_now(&frame, "ArrowUp", false));
    // Auto-repeat, back to back (well within the 100 ms interval): every
    // event is prevented, none is sent.
    for _ in 0..5 {
        assert!(
            press_now(&frame, "ArrowUp", true),
            "held arrows never scroll"
        );
    }
    assert_eq!(m.take(), vec![keypress("up")]);
    // After the interval, one repeat passes.
    yew::platform::time::sleep(Duration::from_millis(150)).await;
    assert!(press_now(&frame, "ArrowUp", true));
    assert!(press_now(&frame, "ArrowUp", true));
    assert_eq!(m.take(), vec![keypress("up")]);
    // A fresh press is never throttled.
    assert!(press_now(&frame, "ArrowUp", false));
    assert_eq!(m.take(), vec![keypress("up")]);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn composite_children_keys_and_timers_are_the_frames() {
    let now = js_sys::Date::now() as u64;
    let m = Framed::new(
        json!({"widget_type": "composite", "extra_data": {"widgets": [
            {"id": "board", "type": "grid", "width": 2, "height": 2,
             "keyboard": {"bindings": {"ArrowLeft": "left"}},
             "timer": {"seconds": 30, "expires_at": now + 20_000}},
            {"id": "buttons", "type": "interactive",
             "components": [{"type": "button", "label": "Pass", "action": "pass"}]}
        ]}}),
    )
    .await;
    assert_eq!(m.frame().get_attribute("tabindex").as_deref(), Some("0"));
    assert!(m.text("[data-testid=key-list]").contains("(board)"));
    m.focus("[data-testid=frame]").await;
    press(&m.frame(), "ArrowLeft").await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "keypress", "action": "left", "child": "board"})]
    );
    let timer = m.one("[role=timer]");
    assert_eq!(
        timer.get_attribute("aria-label").as_deref(),
        Some("Time left (board)")
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn a_widget_without_keys_is_not_focusable_and_has_no_header() {
    let m = Framed::new(json!({"widget_type": "hud", "extra_data": {
        "keyboard": {"enabled": false, "bindings": {"a": "left"}}}}))
    .await;
    assert_eq!(m.frame().get_attribute("tabindex"), None);
    assert_eq!(m.count("[data-testid=frame-bar]"), 0);
    m.destroy().await;
}

fn storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage")
}

fn with_sounds(play: Option<&str>) -> Value {
    let mut extra = json!({"width": 1, "height": 1,
        "sounds": {"start": BEEP, "hit": "/sounds/hit.wav"}});
    if let Some(p) = play {
        extra["play"] = json!(p);
    }
    json!({"widget_type": "grid", "extra_data": extra})
}

fn pressed(m: &Framed) -> Option<String> {
    m.one("[data-testid=mute]").get_attribute("aria-pressed")
}

#[wasm_bindgen_test]
async fn mute_is_remembered_per_user_across_remounts() {
    let s = storage();
    for key in [
        "tulip.sound.muted.user.mute-1",
        "tulip.sound.muted.user.mute-2",
        "tulip.sound.muted.anonymous",
    ] {
        s.remove_item(key).expect("remove");
    }
    let m = Framed::mount(with_sounds(None), false, Some("mute-1"), 0.0).await;
    assert_eq!(pressed(&m).as_deref(), Some("false"));
    assert!(m.text("[data-testid=mute]").contains("Mute"));
    m.one("[data-testid=mute]")
        .dyn_into::<HtmlElement>()
        .expect("button")
        .click();
    settle().await;
    assert_eq!(pressed(&m).as_deref(), Some("true"));
    assert_eq!(
        s.get_item("tulip.sound.muted.user.mute-1")
            .expect("read")
            .as_deref(),
        Some("1")
    );
    m.destroy().await;

    let again = Framed::mount(with_sounds(None), false, Some("mute-1"), 0.0).await;
    assert_eq!(pressed(&again).as_deref(), Some("true"), "remembered");
    let other = Framed::mount(with_sounds(None), false, Some("mute-2"), 0.0).await;
    assert_eq!(pressed(&other).as_deref(), Some("false"), "per user");
    let anon = Framed::mount(with_sounds(None), false, None, 0.0).await;
    assert_eq!(pressed(&anon).as_deref(), Some("false"));
    // A second frame of the same user follows a change made in the first.
    let twin = Framed::mount(with_sounds(None), false, Some("mute-1"), 0.0).await;
    again
        .one("[data-testid=mute]")
        .dyn_into::<HtmlElement>()
        .expect("button")
        .click();
    settle().await;
    assert_eq!(pressed(&twin).as_deref(), Some("false"));
    assert_eq!(
        s.get_item("tulip.sound.muted.user.mute-1").expect("read"),
        None
    );
    for m in [again, other, anon, twin] {
        m.destroy().await;
    }
    // No sounds, no toggle.
    let quiet = Framed::new(grid_with_keys()).await;
    assert_eq!(quiet.count("[data-testid=mute]"), 0);
    quiet.destroy().await;
}

#[wasm_bindgen_test]
async fn sounds_play_for_live_events_only_and_never_muted() {
    storage()
        .remove_item("tulip.sound.muted.user.snd-1")
        .expect("remove");
    storage()
        .set_item("tulip.sound.muted.user.snd-muted", "1")
        .expect("set");
    sound::record_plays(true);

    // From history: silent.
    let m = Framed::mount(with_sounds(Some("start")), false, Some("snd-1"), 0.0).await;
    assert_eq!(sound::take_plays(), vec![]);
    m.destroy().await;

    // Arriving live: its `play`. Before any gesture on the page it is
    // dropped (not queued); after one, it goes to the audio engine.
    let was_unlocked = sound::unlocked();
    let m = Framed::mount(with_sounds(Some("start")), true, Some("snd-1"), 0.0).await;
    let plays = sound::take_plays();
    assert_eq!(plays.len(), 1, "{plays:?}");
    assert_eq!(plays[0].name, "start");
    assert_eq!(plays[0].url, BEEP);
    assert_eq!(plays[0].before_gesture, !was_unlocked);
    let down = web_sys::PointerEvent::new("pointerdown").expect("event");
    body().dispatch_event(&down).expect("dispatch");
    settle().await;
    assert!(sound::unlocked(), "the first gesture unlocks audio");

    // A live update's `play_sound`; an update without one is silent.
    let mut m = m;
    m.update(json!({"play_sound": "hit"}), true).await;
    let plays = sound::take_plays();
    assert_eq!(plays.len(), 1, "{plays:?}");
    assert_eq!(
        (plays[0].name.as_str(), plays[0].before_gesture),
        ("hit", false)
    );
    m.update(
        json!({"set_cells": [{"x": 0, "y": 0, "content": "X"}]}),
        true,
    )
    .await;
    assert_eq!(sound::take_plays(), vec![]);
    // A re-render of the same state does not play again.
    m.handle.update(m.props.clone());
    settle().await;
    assert_eq!(sound::take_plays(), vec![]);
    // Not live (a refetched state): silent.
    m.update(json!({"play_sound": "hit"}), false).await;
    assert_eq!(sound::take_plays(), vec![]);
    m.destroy().await;

    // Muted: silent, live or not.
    let mut muted = Framed::mount(with_sounds(Some("start")), true, Some("snd-muted"), 0.0).await;
    muted.update(json!({"play_sound": "hit"}), true).await;
    assert_eq!(sound::take_plays(), vec![]);
    muted.destroy().await;

    // A composite child's own sounds.
    let mut c = Framed::mount(
        json!({"widget_type": "composite", "extra_data": {"widgets": [
            {"id": "dice", "type": "hud", "sounds": {"roll": BEEP}, "play": "roll"}]}}),
        true,
        Some("snd-1"),
        0.0,
    )
    .await;
    c.update(json!({"children": {"dice": {"play_sound": "roll"}}}), true)
        .await;
    let plays = sound::take_plays();
    assert_eq!(plays.len(), 2, "{plays:?}");
    assert!(plays.iter().all(|p| p.child.as_deref() == Some("dice")));
    c.destroy().await;
    sound::record_plays(false);
}

/// The fill's width in percent.
fn fill_width(m: &Framed) -> f64 {
    let style = m
        .one(".tulip-timer__fill")
        .get_attribute("style")
        .unwrap_or_default();
    style
        .trim_start_matches("width:")
        .trim()
        .trim_end_matches('%')
        .parse()
        .unwrap_or_else(|_| panic!("a width: {style}"))
}

#[wasm_bindgen_test]
async fn timers_count_down_from_expires_at_with_the_clock_offset() {
    // The server's clock is 10 s ahead of ours; 65 s are left on it.
    let offset = 10_000.0;
    let at = js_sys::Date::now() as u64 + 10_000 + 65_000;
    let mut m = Framed::mount(
        json!({"widget_type": "hud", "extra_data": {"timer": {"seconds": 130, "expires_at": at}}}),
        false,
        None,
        offset,
    )
    .await;
    let timer = m.one("[role=timer]");
    assert_eq!(
        timer.get_attribute("aria-label").as_deref(),
        Some("Time left")
    );
    assert_eq!(
        timer.get_attribute("data-style").as_deref(),
        Some("countdown")
    );
    assert_eq!(
        m.text("[data-testid=timer-text]"),
        "1:05",
        "not 1:15: the offset counts"
    );
    assert_eq!(m.count("[data-testid=timer-waiting]"), 0);

    // As a bar: half full (65 of 130 s), with the seconds as text too.
    m.update(
        json!({"set_timer": {"seconds": 130, "style": "bar", "expires_at": at}}),
        false,
    )
    .await;
    assert_eq!(
        m.one("[role=timer]").get_attribute("data-style").as_deref(),
        Some("bar")
    );
    let w = fill_width(&m);
    assert!((49.0..=50.1).contains(&w), "{w}");
    assert_eq!(m.text("[data-testid=timer-text]"), "65 s");

    // Run out: 0 and waiting for the server, which decides what happens.
    let past = js_sys::Date::now() as u64 + 10_000 - 3_000;
    m.update(
        json!({"set_timer": {"seconds": 5, "expires_at": past}}),
        false,
    )
    .await;
    assert_eq!(m.text("[data-testid=timer-text]"), "0:00");
    assert_eq!(m.text("[data-testid=timer-waiting]"), "waiting for server…");
    assert_eq!(
        m.one("[role=timer]").get_attribute("data-state").as_deref(),
        Some("expired")
    );

    // Cancelled by the server: gone.
    m.update(json!({"set_timer": {"seconds": 0}}), false).await;
    assert_eq!(m.count("[role=timer]"), 0);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn a_running_timer_ticks_down_to_zero_and_waits() {
    let at = js_sys::Date::now() as u64 + 1_200;
    let m = Framed::new(json!({"widget_type": "hud", "extra_data": {
        "timer": {"seconds": 2, "expires_at": at}}}))
    .await;
    assert_eq!(m.text("[data-testid=timer-text]"), "0:02");
    yew::platform::time::sleep(Duration::from_millis(2_000)).await;
    assert_eq!(m.text("[data-testid=timer-text]"), "0:00");
    assert_eq!(m.count("[data-testid=timer-waiting]"), 1);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn hidden_timers_are_not_drawn() {
    let at = js_sys::Date::now() as u64 + 60_000;
    let m = Framed::new(json!({"widget_type": "composite", "extra_data": {
        "timer": {"seconds": 60, "visible": false, "expires_at": at},
        "widgets": [{"id": "a", "type": "hud", "timer": {"seconds": 60, "style": "hidden", "expires_at": at}}]}}))
    .await;
    assert_eq!(m.count("[role=timer]"), 0);
    m.destroy().await;
}

/// How many animations run on an element right now.
fn animations(el: &Element) -> u32 {
    let f = js_sys::Reflect::get(el, &JsValue::from_str("getAnimations")).expect("getAnimations");
    let f: js_sys::Function = f.dyn_into().expect("a function");
    let list: js_sys::Array = f.call0(el).expect("call").dyn_into().expect("an array");
    list.length()
}

#[wasm_bindgen_test]
async fn emphasis_plays_on_the_targets_of_live_updates() {
    let mut m = Framed::mount(
        json!({"widget_type": "composite", "extra_data": {"widgets": [
            {"id": "a", "type": "hud", "stats": [{"label": "Gold", "value": 1}]},
            {"id": "b", "type": "hud", "stats": [{"label": "Gems", "value": 2}]}]}}),
        false,
        None,
        0.0,
    )
    .await;
    let a = m.one("[data-target=a]");
    let b = m.one("[data-child=b]");
    let body = m.one(".tulip-frame__body");
    // Not live: nothing moves.
    m.update(
        json!({"emphasize": [{"target": "a", "effect": "pulse"}]}),
        false,
    )
    .await;
    assert_eq!(animations(&a), 0);
    // Live: the child named, the whole widget, and a child's own emphasis.
    m.update(
        json!({"emphasize": [{"target": "a", "effect": "pulse", "duration": 5000}]}),
        true,
    )
    .await;
    assert_eq!(animations(&a), 1);
    assert_eq!(animations(&b), 0);
    m.update(
        json!({"emphasize": [{"target": "widget", "effect": "shake", "duration": 5000}]}),
        true,
    )
    .await;
    assert_eq!(animations(&body), 1);
    m.update(
        json!({"children": {"b": {"emphasize": [{"target": "widget", "effect": "glow", "duration": 5000}]}}}),
        true,
    )
    .await;
    assert_eq!(animations(&b), 1);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn keypresses_go_through_the_host_to_the_server() {
    use tulip_widgets::host::{HostProps, Sender};
    use tulip_widgets::WidgetHost;
    let sent: Rc<RefCell<Vec<Value>>> = Rc::default();
    let sink = sent.clone();
    let send = Sender(Rc::new(move |v: Value| {
        sink.borrow_mut().push(v);
        Some(1)
    }));
    let props = yew::props!(HostProps {
        widget: Rc::new(parse(grid_with_keys())),
        version: 1,
        send: Some(send),
    });
    let root = fresh_root();
    let handle = yew::Renderer::<WidgetHost>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let frame: HtmlElement = root
        .query_selector("[data-testid=frame]")
        .expect("selector")
        .expect("the host draws the frame")
        .dyn_into()
        .expect("an HTML element");
    frame.focus().expect("focus");
    settle().await;
    assert!(press(&frame, "ArrowUp").await);
    assert_eq!(*sent.borrow(), vec![keypress("up")]);
    handle.destroy();
    settle().await;
    root.remove();
}
