//! Browser tests of the panel widgets (hud, dialog, terminal, leaderboard,
//! interactive, composite): each renders from a payload, turns clicks and
//! keys into the interaction a client posts, follows updates applied by
//! `WidgetHost` (the same code path as the server's events), marks its
//! emphasis targets and keeps text as text. The timings at the end print
//! figures and assert only that the DOM followed.

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::{json, Value};
use tulip_widgets::host::HostProps;
use tulip_widgets::widget::WidgetProps;
use tulip_widgets::{HostAction, HostState, WidgetHost, WidgetView};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};
use yew::{AppHandle, UseReducerDispatcher};

mod common;

use common::{fresh_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

fn parse(payload: Value) -> tulip_core::Widget {
    tulip_core::parse_widget_value(payload, &tulip_core::Policy::default())
        .expect("a valid payload")
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector)
        .expect("valid selector")
        .length()
}

fn text(root: &Element, selector: &str) -> String {
    one(root, selector).text_content().unwrap_or_default()
}

fn has_class(el: &Element, class: &str) -> bool {
    el.class_list().contains(class)
}

async fn click(root: &Element, selector: &str) {
    one(root, selector)
        .dyn_into::<HtmlElement>()
        .expect("an HTML element")
        .click();
    settle().await;
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

fn focused() -> Option<Element> {
    document().active_element()
}

/// The page's stylesheet (style.css and anim.css) for tests that measure
/// layout; removed again by the caller.
fn stylesheet() -> Element {
    let style = document().create_element("style").expect("<style>");
    style.set_text_content(Some(concat!(
        include_str!("../www/style.css"),
        include_str!("../www/anim.css")
    )));
    document()
        .head()
        .expect("<head>")
        .append_child(&style)
        .expect("append");
    style
}

/// How many animations run on an element right now.
fn animations(el: &Element) -> u32 {
    let f = js_sys::Reflect::get(el, &JsValue::from_str("getAnimations")).expect("getAnimations");
    let f: js_sys::Function = f.dyn_into().expect("a function");
    let list: js_sys::Array = f.call0(el).expect("call").dyn_into().expect("an array");
    list.length()
}

/// Checks each interaction against the core, exactly as the server would.
fn checked(widget: &tulip_core::Widget, sent: Vec<Value>) -> Vec<Value> {
    for v in &sent {
        let it = tulip_core::parse_interaction(v.clone())
            .unwrap_or_else(|e| panic!("{v} is not well-formed: {e:?}"));
        tulip_core::check_interaction(widget, &"alice".into(), &it)
            .unwrap_or_else(|e| panic!("the core refuses {v}: {e:?}"));
    }
    sent
}

/// A widget mounted from its payload (shown from history: not live), and
/// the interactions it emitted.
struct Mounted {
    root: Element,
    handle: AppHandle<WidgetView>,
    widget: Rc<tulip_core::Widget>,
    sent: Rc<RefCell<Vec<Value>>>,
}

impl Mounted {
    async fn new(payload: Value) -> Mounted {
        let sent: Rc<RefCell<Vec<Value>>> = Rc::default();
        let sink = sent.clone();
        let widget = Rc::new(parse(payload));
        let props = WidgetProps::new(
            widget.clone(),
            yew::Callback::from(move |v| sink.borrow_mut().push(v)),
        );
        let root = fresh_root();
        let handle = yew::Renderer::<WidgetView>::with_root_and_props(root.clone(), props).render();
        settle().await;
        Mounted {
            root,
            handle,
            widget,
            sent,
        }
    }

    fn one(&self, selector: &str) -> Element {
        one(&self.root, selector)
    }

    fn count(&self, selector: &str) -> u32 {
        count(&self.root, selector)
    }

    fn text(&self, selector: &str) -> String {
        text(&self.root, selector)
    }

    async fn click(&self, selector: &str) {
        click(&self.root, selector).await;
    }

    /// The interactions sent so far, each checked by the core.
    fn take(&self) -> Vec<Value> {
        checked(&self.widget, std::mem::take(&mut *self.sent.borrow_mut()))
    }

    /// Renders a new payload in place, as a replaced widget would.
    async fn update(&mut self, payload: Value) {
        self.widget = Rc::new(parse(payload));
        let sink = self.sent.clone();
        self.handle.update(WidgetProps::new(
            self.widget.clone(),
            yew::Callback::from(move |v| sink.borrow_mut().push(v)),
        ));
        settle().await;
    }

    async fn destroy(self) {
        self.handle.destroy();
        settle().await;
        self.root.remove();
    }
}

/// A widget kept by `WidgetHost` (live, as it arrives in a chat), fed
/// updates like the server's events.
struct Hosted {
    root: Element,
    handle: AppHandle<WidgetHost>,
    dispatch: UseReducerDispatcher<HostState>,
    version: u64,
    widget: Rc<tulip_core::Widget>,
    sent: Rc<RefCell<Vec<Value>>>,
}

impl Hosted {
    async fn new(payload: Value) -> Hosted {
        Hosted::in_root(payload, fresh_root()).await
    }

    async fn in_root(payload: Value, root: Element) -> Hosted {
        let slot = Rc::new(RefCell::new(None));
        let d = slot.clone();
        let sent: Rc<RefCell<Vec<Value>>> = Rc::default();
        let sink = sent.clone();
        let widget = Rc::new(parse(payload));
        let props = HostProps {
            widget: widget.clone(),
            version: 1,
            on_interaction: yew::Callback::from(move |v| sink.borrow_mut().push(v)),
            on_ready: yew::Callback::from(move |x| *d.borrow_mut() = Some(x)),
            on_stale: Default::default(),
            user_id: None,
            live: true,
            clock_offset_ms: 0.0,
            send: None,
            connection: None,
        };
        let handle = yew::Renderer::<WidgetHost>::with_root_and_props(root.clone(), props).render();
        settle().await;
        // A big first render may be finished by the scheduler in a later
        // task: wait for the host's first effect.
        let ready = slot.clone();
        assert!(
            eventually(2_000, || ready.borrow().is_some()).await,
            "the host hands out its dispatcher"
        );
        let dispatch = slot.borrow().clone().expect("the dispatcher");
        Hosted {
            root,
            handle,
            dispatch,
            version: 1,
            widget,
            sent,
        }
    }

    fn one(&self, selector: &str) -> Element {
        one(&self.root, selector)
    }

    fn count(&self, selector: &str) -> u32 {
        count(&self.root, selector)
    }

    fn text(&self, selector: &str) -> String {
        text(&self.root, selector)
    }

    async fn click(&self, selector: &str) {
        click(&self.root, selector).await;
    }

    fn take(&self) -> Vec<Value> {
        checked(&self.widget, std::mem::take(&mut *self.sent.borrow_mut()))
    }

    async fn update(&mut self, update: Value) {
        // The widget as the host will have it, to check interactions with.
        let policy = tulip_core::Policy { allow_http: true };
        let u = tulip_core::parse_update(&self.widget.body, update.clone()).expect("an update");
        self.widget =
            Rc::new(tulip_core::apply_update(&self.widget, &u, &policy).expect("applies"));
        self.version += 1;
        self.dispatch.dispatch(HostAction::Update {
            version: self.version,
            update,
        });
        settle().await;
        assert_eq!(
            self.one(".tulip-host")
                .get_attribute("data-stale")
                .as_deref(),
            Some("false"),
            "the update applied"
        );
    }

    async fn destroy(self) {
        self.handle.destroy();
        settle().await;
        self.root.remove();
    }
}

/// Polls `done` every 20 ms for up to `ms`.
async fn eventually(ms: u64, done: impl Fn() -> bool) -> bool {
    for _ in 0..ms / 20 {
        if done() {
            return true;
        }
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }
    done()
}

// ---- hud --------------------------------------------------------------------

#[wasm_bindgen_test]
async fn hud_shows_values_as_text_and_bars() {
    let m = Mounted::new(json!({"widget_type": "hud", "extra_data": {
        "bars": [{"label": "HP", "current": 7, "max": 10, "color": "RED"},
                 {"label": "<i>MP</i>", "current": 0.5, "max": 0}],
        "stats": [{"label": "Gold", "value": 12}, {"label": "Class", "value": "<b>Mage</b>"}]}}))
    .await;
    assert_eq!(m.count(".tulip-hud__bar"), 2);
    // The value is text, not only a bar (colour is never the only signal).
    assert_eq!(m.text("[data-label=HP] .tulip-hud__bar-value"), "7 / 10");
    let bar = m.one("[data-label=HP] [role=progressbar]");
    assert_eq!(bar.get_attribute("aria-label").as_deref(), Some("HP"));
    assert_eq!(bar.get_attribute("aria-valuenow").as_deref(), Some("7"));
    assert_eq!(bar.get_attribute("aria-valuemax").as_deref(), Some("10"));
    assert_eq!(
        bar.get_attribute("aria-valuetext").as_deref(),
        Some("7 of 10")
    );
    let fill = m.one("[data-label=HP] .tulip-hud__fill");
    let style = fill.get_attribute("style").unwrap_or_default();
    assert!(style.contains("width:70.0%"), "{style}");
    assert!(
        style.contains("background:red"),
        "canonical colour: {style}"
    );
    // max 0: an empty bar, no NaN in the style.
    let empty = m.one(".tulip-hud__bar:nth-child(2) .tulip-hud__fill");
    assert!(empty
        .get_attribute("style")
        .unwrap_or_default()
        .contains("width:0.0%"));
    assert_eq!(
        m.text(".tulip-hud__bar:nth-child(2) .tulip-hud__bar-label"),
        "<i>MP</i>"
    );
    assert_eq!(
        m.count(".tulip-hud i, .tulip-hud b"),
        0,
        "text is never HTML"
    );
    assert_eq!(m.count(".tulip-hud__stat"), 2);
    assert_eq!(m.text(".tulip-hud__stat:nth-child(1) dd"), "12");
    assert_eq!(m.text(".tulip-hud__stat:nth-child(2) dd"), "<b>Mage</b>");
    // Emphasis targets: the labels.
    assert_eq!(m.count("[data-target=HP].tulip-hud__bar"), 1);
    assert_eq!(m.count("[data-target=Gold].tulip-hud__stat"), 1);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn hud_bars_with_the_same_label_are_all_drawn() {
    let m = Mounted::new(json!({"widget_type": "hud", "extra_data": {
        "bars": [{"label": "HP", "current": 1, "max": 2}, {"label": "HP", "current": 2, "max": 2}],
        "stats": [{"label": "x", "value": 1}, {"label": "x", "value": 2}]}}))
    .await;
    assert_eq!(m.count(".tulip-hud__bar"), 2);
    assert_eq!(m.count(".tulip-hud__stat"), 2);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn hud_updates_move_the_same_fill_and_show_the_change() {
    let mut h = Hosted::new(json!({"widget_type": "hud", "extra_data": {
        "bars": [{"label": "HP", "current": 80, "max": 100, "color": "#2e7d32"},
                 {"label": "MP", "current": 10, "max": 40}],
        "stats": [{"label": "Gold", "value": 3}]}}))
    .await;
    assert_eq!(h.count(".tulip-hud__delta"), 0, "nothing changed yet");
    let fill = h.one("[data-label=HP] .tulip-hud__fill");
    h.update(
        json!({"set_bar": {"label": "HP", "current": 68, "max": 100, "color": "#2e7d32"},
                    "set_stat": {"label": "Gold", "value": 4}}),
    )
    .await;
    let after = h.one("[data-label=HP] .tulip-hud__fill");
    // The same element: its width changes in place, so the CSS transition
    // glides it there.
    assert!(fill.is_same_node(Some(&after)), "the fill is kept");
    assert!(after
        .get_attribute("style")
        .unwrap_or_default()
        .contains("width:68.0%"));
    assert!(h
        .text("[data-label=HP] .tulip-hud__bar-value")
        .ends_with("68 / 100"));
    // The change beside the value, with its sign (not only a colour).
    let delta = h.one("[data-label=HP] .tulip-hud__delta");
    assert_eq!(delta.text_content().as_deref(), Some("\u{2212}12"));
    assert!(has_class(&delta, "tulip-hud__delta--down"));
    assert_eq!(delta.get_attribute("aria-hidden").as_deref(), Some("true"));
    assert_eq!(h.count("[data-label=MP] .tulip-hud__delta"), 0);
    assert_eq!(h.count(".tulip-hud__stat--changed[data-label=Gold]"), 1);
    assert_eq!(h.text("[data-label=Gold] dd"), "4");
    // A new bar is appended.
    h.update(json!({"set_bar": {"label": "Rage", "current": 5, "max": 10}}))
        .await;
    assert_eq!(h.count(".tulip-hud__bar"), 3);
    assert_eq!(h.count(".tulip-hud__delta"), 0, "the next version ends it");
    assert_eq!(h.count(".tulip-hud__stat--changed"), 0);
    // Emphasis plays on the bar and the stat named by their labels.
    h.update(
        json!({"emphasize": [{"target": "HP", "effect": "pulse", "duration": 5000},
                                  {"target": "Gold", "effect": "glow", "duration": 5000}]}),
    )
    .await;
    assert_eq!(animations(&h.one("[data-target=HP]")), 1);
    assert_eq!(animations(&h.one("[data-target=Gold]")), 1);
    assert_eq!(animations(&h.one("[data-target=MP]")), 0);
    h.destroy().await;
}

// ---- dialog -----------------------------------------------------------------

/// A 1 x 1 PNG that loads anywhere (a portrait that does not fail).
const PIXEL: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN4kDABAAP0AdHOVMnPAAAAAElFTkSuQmCC";

const LONG_LINE: &str = "The bridge is out, traveller. You can wait for the ferry, or try the mountain pass. Which will it be?";

#[wasm_bindgen_test]
async fn dialog_shows_the_speaker_and_sends_choices() {
    let m = Mounted::new(json!({"widget_type": "dialog", "extra_data": {
        "speaker": {"name": "Mira", "portrait": PIXEL, "mood": "wary"},
        "text": "Which <em>way</em>?",
        "typing_effect": true,
        "choices": [{"id": "left", "text": "Left"}, {"id": "right", "text": "<b>Right</b>"}]}}))
    .await;
    assert_eq!(m.text(".tulip-dialog__name"), "Mira");
    assert!(m.text(".tulip-dialog__mood").contains("wary"));
    assert_eq!(
        m.one(".tulip-dialog").get_attribute("data-mood").as_deref(),
        Some("wary")
    );
    assert_eq!(
        m.one(".tulip-dialog")
            .get_attribute("aria-label")
            .as_deref(),
        Some("Dialog: Mira")
    );
    let img = m.one("img.tulip-dialog__portrait");
    assert_eq!(img.get_attribute("src").as_deref(), Some(PIXEL));
    // Beside the name the portrait is decoration.
    assert_eq!(img.get_attribute("alt").as_deref(), Some(""));
    // From history: shown at once, whole, as text.
    assert_eq!(m.text(".tulip-dialog__text"), "Which <em>way</em>?");
    assert_eq!(m.count(".tulip-dialog__typed"), 0);
    assert_eq!(m.count(".tulip-dialog em, .tulip-dialog b"), 0);
    assert_eq!(m.count("button.tulip-dialog__choice"), 2);
    assert_eq!(
        m.count("[data-target=left]"),
        1,
        "choices are emphasis targets"
    );
    m.click("[data-choice=right]").await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "dialog_choice", "id": "right"})]
    );
    assert!(has_class(
        &m.one("[data-choice=right]"),
        "tulip-dialog__choice--picked"
    ));
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn dialog_portrait_that_fails_to_load_gives_way_to_the_initial() {
    let m = Mounted::new(json!({"widget_type": "dialog", "extra_data": {
        "speaker": {"name": "owl", "portrait": "/no/such/portrait.png"}, "text": "Hoo."}}))
    .await;
    // The test server has no such file: the image fails (at once, or a
    // little later), and the initial takes its place.
    let root = m.root.clone();
    if let Ok(Some(img)) = root.query_selector("img.tulip-dialog__portrait") {
        img.dispatch_event(&web_sys::Event::new("error").expect("event"))
            .expect("dispatch");
    }
    assert!(eventually(3_000, || count(&root, "img") == 0).await);
    assert_eq!(m.text(".tulip-dialog__avatar"), "O");
    m.destroy().await;
    // No portrait at all: the initial too; no speaker: no speaker row.
    let m = Mounted::new(json!({"widget_type": "dialog", "extra_data": {
        "speaker": {"name": "Quill"}, "text": "Hm."}}))
    .await;
    assert_eq!(m.text(".tulip-dialog__avatar"), "Q");
    m.destroy().await;
    let m = Mounted::new(json!({"widget_type": "dialog", "extra_data": {"text": "Hm."}})).await;
    assert_eq!(m.count(".tulip-dialog__speaker"), 0);
    assert_eq!(
        m.one(".tulip-dialog")
            .get_attribute("aria-label")
            .as_deref(),
        Some("Dialog")
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn dialog_types_live_text_and_screen_readers_get_it_whole() {
    let mut h = Hosted::new(json!({"widget_type": "dialog", "extra_data": {
        "speaker": {"name": "Mira"}, "text": LONG_LINE, "typing_effect": true,
        "choices": [{"id": "ferry", "text": "Wait"}, {"id": "pass", "text": "Climb"}]}}))
    .await;
    let typed = h.text(".tulip-dialog__typed");
    assert!(
        typed.len() < LONG_LINE.len() && LONG_LINE.starts_with(&typed),
        "typing has begun: {typed:?}"
    );
    // The whole text is there at once for screen readers, and the typed
    // and untyped parts are hidden from them.
    assert_eq!(h.text(".tulip-dialog__text .tulip-sr-only"), LONG_LINE);
    assert_eq!(
        h.one(".tulip-dialog__typed")
            .get_attribute("aria-hidden")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        format!("{typed}{}", h.text(".tulip-dialog__rest")),
        LONG_LINE,
        "the rest keeps its place"
    );
    // It goes on by itself.
    let root = h.root.clone();
    assert!(
        eventually(3_000, || text(&root, ".tulip-dialog__typed").len()
            > typed.len())
        .await,
        "more text appears"
    );
    // A click on the text shows it all.
    h.click(".tulip-dialog__bubble").await;
    assert_eq!(h.count(".tulip-dialog__typed, .tulip-dialog__skip"), 0);
    assert_eq!(h.text(".tulip-dialog__text"), LONG_LINE);

    // set_text: the new text types from the start.
    h.update(json!({"set_text": "Then the pass it is. Mind the wolves, and the weather, and the rocks."}))
        .await;
    assert_eq!(h.count(".tulip-dialog__typed"), 1, "typing again");
    // Enter while typing shows it all and does not pick the focused choice.
    let choice = h.one("[data-choice=ferry]");
    key(&choice, "Enter").await;
    assert_eq!(h.count(".tulip-dialog__typed"), 0);
    assert!(h.take().is_empty(), "Enter only finished the text");
    // The skip button does the same.
    h.update(json!({"set_text": "One more thing: the toll is three coins, paid at the top."}))
        .await;
    h.click(".tulip-dialog__skip").await;
    assert_eq!(h.count(".tulip-dialog__typed"), 0);
    // An update that leaves the text alone does not type it again.
    h.update(json!({"set_choices": [{"id": "ok", "text": "Fine"}]}))
        .await;
    assert_eq!(h.count(".tulip-dialog__typed"), 0);
    assert_eq!(h.count("button.tulip-dialog__choice"), 1);
    h.destroy().await;
}

#[wasm_bindgen_test]
async fn dialog_typing_ends_with_the_whole_text() {
    let h = Hosted::new(json!({"widget_type": "dialog", "extra_data": {
        "text": "Hello there", "typing_effect": true}}))
    .await;
    let root = h.root.clone();
    // 11 characters 30 ms apart: done within a second (polled, not timed).
    assert!(eventually(3_000, || count(&root, ".tulip-dialog__typed") == 0).await);
    assert_eq!(h.text(".tulip-dialog__text"), "Hello there");
    h.destroy().await;
}

#[wasm_bindgen_test]
async fn dialog_choices_are_reached_by_keyboard() {
    let mut h = Hosted::new(json!({"widget_type": "dialog", "extra_data": {
        "text": "Pick one.",
        "choices": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}]}}))
    .await;
    let a: HtmlElement = h.one("[data-choice=a]").dyn_into().expect("html");
    a.focus().expect("focus");
    key(&a, "ArrowDown").await;
    assert_eq!(
        focused()
            .and_then(|e| e.get_attribute("data-choice"))
            .as_deref(),
        Some("b")
    );
    key(&h.one("[data-choice=b]"), "End").await;
    assert_eq!(
        focused()
            .and_then(|e| e.get_attribute("data-choice"))
            .as_deref(),
        Some("c")
    );
    key(&h.one("[data-choice=c]"), "ArrowDown").await;
    assert_eq!(
        focused()
            .and_then(|e| e.get_attribute("data-choice"))
            .as_deref(),
        Some("c"),
        "stops at the end"
    );
    key(&h.one("[data-choice=c]"), "Home").await;
    assert_eq!(
        focused()
            .and_then(|e| e.get_attribute("data-choice"))
            .as_deref(),
        Some("a")
    );
    // The choices are buttons: Enter and Space click them natively.
    assert_eq!(h.one("[data-choice=a]").tag_name(), "BUTTON");
    h.click("[data-choice=c]").await;
    assert_eq!(h.take(), vec![json!({"type": "dialog_choice", "id": "c"})]);
    // Emphasis on a choice, by its id.
    h.update(json!({"emphasize": [{"target": "b", "effect": "pulse", "duration": 5000}]}))
        .await;
    assert_eq!(animations(&h.one("[data-target=b]")), 1);
    assert_eq!(animations(&h.one("[data-target=a]")), 0);
    h.destroy().await;
}

// ---- terminal ---------------------------------------------------------------

#[wasm_bindgen_test]
async fn terminal_sends_input_on_enter_with_history() {
    let m = Mounted::new(json!({"widget_type": "terminal", "extra_data": {
        "lines": [{"text": "one"}, {"text": "two", "color": "#0F0", "bold": true},
                  {"text": "<script>three</script>"}],
        "max_lines": 2,
        "input": {"enabled": true, "placeholder": "command"}}}))
    .await;
    // Scrollback keeps the newest `max_lines` lines.
    assert_eq!(m.count(".tulip-terminal__line"), 2);
    let two = m.one(".tulip-terminal__line--bold");
    assert_eq!(two.text_content().as_deref(), Some("two"));
    assert!(two
        .get_attribute("style")
        .unwrap_or_default()
        .contains("color:#0f0"));
    assert_eq!(
        m.text(".tulip-terminal__line:last-child"),
        "<script>three</script>"
    );
    assert_eq!(m.count(".tulip-terminal script"), 0, "text is never HTML");
    let log = m.one("[role=log]");
    assert_eq!(
        log.get_attribute("aria-label").as_deref(),
        Some("Terminal output")
    );
    assert_eq!(log.get_attribute("tabindex").as_deref(), Some("0"));

    let el = m.one("input.tulip-terminal__input");
    assert_eq!(el.get_attribute("placeholder").as_deref(), Some("command"));
    let input: HtmlInputElement = el.clone().dyn_into().expect("an <input>");
    input.set_value("look");
    key(&el, "Enter").await;
    input.set_value("go north");
    key(&el, "Enter").await;
    assert_eq!(input.value(), "", "Enter clears the input");
    assert_eq!(
        m.take(),
        vec![
            json!({"type": "terminal_input", "text": "look"}),
            json!({"type": "terminal_input", "text": "go north"}),
        ]
    );
    // Enter on an empty line sends nothing.
    key(&el, "Enter").await;
    assert!(m.take().is_empty());

    input.set_value("dra");
    key(&el, "ArrowUp").await;
    assert_eq!(input.value(), "go north");
    key(&el, "ArrowUp").await;
    assert_eq!(input.value(), "look");
    key(&el, "ArrowDown").await;
    assert_eq!(input.value(), "go north");
    key(&el, "ArrowDown").await;
    assert_eq!(
        input.value(),
        "dra",
        "down past the newest restores the draft"
    );
    key(&el, "ArrowUp").await;
    key(&el, "Enter").await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "terminal_input", "text": "go north"})]
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn terminal_lifts_line_colours_too_dark_for_its_background() {
    let m = Mounted::new(json!({"widget_type": "terminal", "extra_data": {
        "lines": [{"text": "navy", "color": "#000080"}, {"text": "green", "color": "#66bb6a"}]}}))
    .await;
    let style = |n: usize| {
        m.one(&format!(".tulip-terminal__line:nth-child({n})"))
            .get_attribute("style")
            .unwrap_or_default()
    };
    // Readable colours are kept; a dark one is mixed with white to 4.5:1.
    assert_eq!(style(2), "color:#66bb6a;");
    let navy = style(1);
    assert!(
        navy.starts_with("color:#") && navy != "color:#000080;",
        "{navy}"
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn terminal_history_can_be_off_and_input_absent() {
    let m = Mounted::new(json!({"widget_type": "terminal", "extra_data": {
        "lines": [], "input": {"history": false}}}))
    .await;
    let el = m.one("input");
    let input: HtmlInputElement = el.clone().dyn_into().expect("an <input>");
    input.set_value("a");
    key(&el, "Enter").await;
    key(&el, "ArrowUp").await;
    assert_eq!(input.value(), "", "no history");
    m.destroy().await;
    let m = Mounted::new(json!({"widget_type": "terminal", "extra_data": {
        "lines": [{"text": "read only"}], "input": {"enabled": false}}}))
    .await;
    assert_eq!(m.count("input"), 0);
    m.destroy().await;
    let m = Mounted::new(json!({"widget_type": "terminal", "extra_data": {"lines": []}})).await;
    assert_eq!(m.count("input"), 0);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn terminal_appends_in_place_and_drops_the_oldest() {
    let mut h = Hosted::new(json!({"widget_type": "terminal", "extra_data": {
        "lines": [{"text": "one"}, {"text": "two"}, {"text": "three"}],
        "max_lines": 4}}))
    .await;
    let two = h.one(".tulip-terminal__line:nth-child(2)");
    two.set_attribute("data-test-mark", "kept").expect("mark");
    h.update(json!({"append_lines": [{"text": "four"},
                                     {"text": "<b>five</b>", "color": "RED", "bold": true}]}))
        .await;
    let lines = h
        .root
        .query_selector_all(".tulip-terminal__line")
        .expect("lines");
    let texts: Vec<String> = (0..lines.length())
        .filter_map(|i| lines.item(i).and_then(|n| n.text_content()))
        .collect();
    assert_eq!(texts, ["two", "three", "four", "<b>five</b>"]);
    // The lines kept are the same elements: only the new ones were made.
    assert_eq!(
        h.one(".tulip-terminal__line:first-child")
            .get_attribute("data-test-mark")
            .as_deref(),
        Some("kept")
    );
    let five = h.one(".tulip-terminal__line:last-child");
    assert!(has_class(&five, "tulip-terminal__line--bold"));
    assert_eq!(five.get_attribute("style").as_deref(), Some("color:red;"));
    assert_eq!(h.count(".tulip-terminal b"), 0);
    // clear: empty; clear and append: only the new lines.
    h.update(json!({"clear": true})).await;
    assert_eq!(h.count(".tulip-terminal__line"), 0);
    h.update(json!({"clear": true, "append_lines": [{"text": "fresh"}, {"text": ""}]}))
        .await;
    assert_eq!(h.count(".tulip-terminal__line"), 2);
    assert_eq!(h.text(".tulip-terminal__line:first-child"), "fresh");
    h.destroy().await;
}

/// The text of the newest line drawn (lines sit in blocks of 100).
fn last_line(root: &Element) -> Option<String> {
    root.query_selector(".tulip-terminal__chunk:last-child > .tulip-terminal__line:last-child")
        .ok()??
        .text_content()
}

fn terminal_of(n: usize) -> Value {
    let lines: Vec<Value> = (0..n)
        .map(|i| json!({"text": format!("line {i}")}))
        .collect();
    json!({"widget_type": "terminal", "extra_data": {"lines": lines}})
}

fn at_bottom(s: &Element) -> bool {
    s.scroll_top() >= s.scroll_height() - s.client_height() - 1
}

/// Whether the screen follows is decided from its scroll position at the
/// moment new lines arrive, not from scroll events (which come a frame
/// later): no waiting anywhere in this test.
#[wasm_bindgen_test]
async fn terminal_follows_new_lines_until_scrolled_up() {
    let style = stylesheet();
    let mut m = Mounted::new(terminal_of(50)).await;
    let screen = m.one(".tulip-terminal__screen");
    assert!(
        screen.scroll_height() > screen.client_height(),
        "it scrolls"
    );
    assert!(at_bottom(&screen), "starts at the newest line");
    assert_eq!(m.count(".tulip-terminal__jump:not([hidden])"), 0);

    m.update(terminal_of(60)).await;
    assert!(at_bottom(&screen), "follows new lines");

    // The player scrolls up to read: new lines no longer move the view.
    screen.set_scroll_top(0);
    m.update(terminal_of(70)).await;
    assert_eq!(screen.scroll_top(), 0, "stays where the player scrolled");
    // ...and a button says what arrived below.
    assert!(!m.one(".tulip-terminal__jump").has_attribute("hidden"));
    assert_eq!(m.text(".tulip-terminal__jump"), "↓ 10 new lines");
    m.update(terminal_of(72)).await;
    assert_eq!(m.text(".tulip-terminal__jump"), "↓ 12 new lines");

    // Back at the bottom, it follows again.
    screen.set_scroll_top(screen.scroll_height());
    m.update(terminal_of(80)).await;
    assert!(at_bottom(&screen), "follows again from the bottom");
    assert_eq!(m.count(".tulip-terminal__jump:not([hidden])"), 0);
    assert_eq!(m.count(".tulip-terminal__line"), 80);

    // The button jumps to the newest lines.
    screen.set_scroll_top(0);
    m.update(terminal_of(85)).await;
    m.click(".tulip-terminal__jump").await;
    assert!(at_bottom(&screen));
    assert_eq!(m.count(".tulip-terminal__jump:not([hidden])"), 0);
    // The screen is the same element all along (never rebuilt by Yew).
    assert!(screen.is_same_node(Some(&m.one(".tulip-terminal__screen"))));
    m.destroy().await;
    style.remove();
}

#[wasm_bindgen_test]
async fn terminal_keeps_at_most_max_lines_and_1000_by_default() {
    let mut h = Hosted::new(terminal_of(1_000)).await;
    assert_eq!(h.count(".tulip-terminal__line"), 1_000);
    h.update(json!({"append_lines": [{"text": "a"}, {"text": "b"}]}))
        .await;
    assert_eq!(h.count(".tulip-terminal__line"), 1_000);
    assert_eq!(h.text(".tulip-terminal__line:first-child"), "line 2");
    assert_eq!(last_line(&h.root).as_deref(), Some("b"));
    // In blocks of 100 lines.
    assert_eq!(h.count(".tulip-terminal__chunk"), 11);
    assert_eq!(
        h.count(".tulip-terminal__chunk:first-child > .tulip-terminal__line"),
        98
    );
    h.destroy().await;
}

// ---- leaderboard ------------------------------------------------------------

#[wasm_bindgen_test]
async fn leaderboard_pages_and_highlights() {
    let m = Mounted::new(json!({"widget_type": "leaderboard", "extra_data": {
        "title": "Top", "columns": ["#", "Who", "Pts"],
        "entries": [{"rank": 4, "name": "ann", "score": 10},
                    {"rank": 5, "name": "<u>me</u>", "score": 9.5, "highlight": true}],
        "page": 2, "total_pages": 3, "on_page_change": true}}))
    .await;
    assert_eq!(m.text("caption"), "Top");
    assert_eq!(m.count("th[scope=col]"), 3);
    assert_eq!(m.text("th:nth-child(2)"), "Who");
    assert_eq!(m.count("tbody tr"), 2);
    let hl = m.one("tr[aria-current=true]");
    assert!(has_class(&hl, "tulip-leaderboard__row--highlight"));
    // More than a colour: a marker too.
    assert_eq!(
        hl.query_selector(".tulip-leaderboard__marker")
            .ok()
            .flatten()
            .and_then(|n| n.text_content())
            .as_deref(),
        Some("▶")
    );
    assert_eq!(
        hl.query_selector(".tulip-leaderboard__name")
            .ok()
            .flatten()
            .and_then(|n| n.text_content())
            .as_deref(),
        Some("<u>me</u>")
    );
    assert_eq!(m.count("u"), 0);
    assert_eq!(
        m.text("tbody tr:nth-child(2) .tulip-leaderboard__score"),
        "9.5"
    );
    // Rows are emphasis targets by name.
    assert_eq!(m.count("tr[data-target=ann]"), 1);
    assert_eq!(m.text(".tulip-leaderboard__pageno"), "Page 2 of 3");
    m.click("[aria-label='Next page']").await;
    assert_eq!(m.take(), vec![json!({"type": "page_change", "page": 3})]);
    m.destroy().await;

    let m = Mounted::new(json!({"widget_type": "leaderboard", "extra_data": {
        "entries": [], "page": 2, "total_pages": 3, "on_page_change": true}}))
    .await;
    m.click("[aria-label='Previous page']").await;
    assert_eq!(m.take(), vec![json!({"type": "page_change", "page": 1})]);
    assert_eq!(m.text(".tulip-leaderboard__empty"), "No entries yet");
    assert_eq!(
        m.one("table").get_attribute("aria-label").as_deref(),
        Some("Leaderboard"),
        "named without a title"
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn leaderboard_without_on_page_change_has_no_buttons() {
    let m = Mounted::new(json!({"widget_type": "leaderboard", "extra_data": {
        "entries": [{"rank": 1, "name": "a", "score": 1}], "page": 1, "total_pages": 2}}))
    .await;
    assert_eq!(m.count("button"), 0);
    assert_eq!(m.text(".tulip-leaderboard__pageno"), "Page 1 of 2");
    // Default headings (docs/contract-notes.md).
    assert_eq!(m.text("th:nth-child(1)"), "#");
    assert_eq!(m.text("th:nth-child(2)"), "Player");
    assert_eq!(m.text("th:nth-child(3)"), "Score");
    m.destroy().await;
    // One page, nothing said about pages: no paging row.
    let m = Mounted::new(json!({"widget_type": "leaderboard", "extra_data": {
        "entries": [{"rank": 1, "name": "a", "score": 1}]}}))
    .await;
    assert_eq!(m.count(".tulip-leaderboard__paging"), 0);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn leaderboard_buttons_are_disabled_at_the_ends_but_keep_the_focus() {
    let m = Mounted::new(json!({"widget_type": "leaderboard", "extra_data": {
        "entries": [], "page": 2, "total_pages": 2, "on_page_change": true}}))
    .await;
    let next: HtmlElement = m.one("[aria-label='Next page']").dyn_into().expect("html");
    assert_eq!(next.get_attribute("aria-disabled").as_deref(), Some("true"));
    assert_eq!(
        m.one("[aria-label='Previous page']")
            .get_attribute("aria-disabled"),
        None
    );
    next.focus().expect("focus");
    assert!(
        focused().is_some_and(|f| f.is_same_node(Some(&next))),
        "still focusable"
    );
    m.click("[aria-label='Next page']").await;
    assert!(m.take().is_empty(), "a disabled end sends nothing");
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn leaderboard_waits_for_the_page_it_asked_for() {
    let mut h = Hosted::new(json!({"widget_type": "leaderboard", "extra_data": {
        "title": "Weekly",
        "entries": [{"rank": 1, "name": "ann", "score": 30}, {"rank": 2, "name": "bo", "score": 20}],
        "page": 1, "total_pages": 2, "on_page_change": true}}))
    .await;
    h.click("[aria-label='Next page']").await;
    assert_eq!(h.take(), vec![json!({"type": "page_change", "page": 2})]);
    assert_eq!(h.text(".tulip-leaderboard__pageno"), "Loading page 2…");
    assert_eq!(
        h.one(".tulip-leaderboard__paging")
            .get_attribute("aria-busy")
            .as_deref(),
        Some("true")
    );
    // A second click while waiting sends nothing more.
    h.click("[aria-label='Next page']").await;
    assert!(h.take().is_empty());
    // The bot answers: the new page and its entries.
    h.update(json!({"set_page": 2, "set_entries": [{"rank": 3, "name": "cy", "score": 10, "highlight": true}]}))
        .await;
    assert_eq!(h.text(".tulip-leaderboard__pageno"), "Page 2 of 2");
    assert_eq!(h.count("tbody tr"), 1);
    assert_eq!(h.text("tbody .tulip-leaderboard__name"), "cy");
    assert_eq!(
        h.one("[aria-label='Next page']")
            .get_attribute("aria-disabled")
            .as_deref(),
        Some("true")
    );
    // Emphasis on an entry, by name.
    h.update(json!({"emphasize": [{"target": "cy", "effect": "glow", "duration": 5000}]}))
        .await;
    assert_eq!(animations(&h.one("tr[data-target=cy]")), 1);
    h.destroy().await;
}

// ---- interactive ------------------------------------------------------------

#[wasm_bindgen_test]
async fn interactive_buttons_send_their_action() {
    let m = Mounted::new(
        json!({"widget_type": "interactive", "extra_data": {"components": [
        {"type": "button", "label": "Go", "action": "go", "style": "primary"},
        {"type": "button", "label": "Wait", "action": "wait"},
        {"type": "button", "label": "<b>Quit</b>", "action": "quit", "style": "danger"},
        {"type": "button", "label": "Nope", "action": "nope", "disabled": true}]}}),
    )
    .await;
    assert_eq!(m.count("[role=group] button"), 4);
    assert!(has_class(
        &m.one("[data-action=go]"),
        "tulip-button--primary"
    ));
    assert_eq!(
        m.one("[data-action=wait]")
            .get_attribute("data-style")
            .as_deref(),
        Some("secondary")
    );
    let quit = m.one("[data-action=quit]");
    assert!(has_class(&quit, "tulip-button--danger"));
    // Danger has a sign, not only a colour; the label is text.
    assert_eq!(m.text("[data-action=quit] .tulip-button__sign"), "⚠");
    assert_eq!(
        m.text("[data-action=quit] .tulip-button__label"),
        "<b>Quit</b>"
    );
    assert_eq!(m.count("button b"), 0);
    // Disabled, but still focusable and announced as such.
    let nope: HtmlElement = m.one("[data-action=nope]").dyn_into().expect("html");
    assert_eq!(nope.get_attribute("aria-disabled").as_deref(), Some("true"));
    assert!(!nope.has_attribute("disabled"));
    nope.focus().expect("focus");
    assert!(focused().is_some_and(|f| f.is_same_node(Some(&nope))));
    // Emphasis targets: the actions.
    assert_eq!(m.count("button[data-target=go]"), 1);
    m.click("[data-action=go]").await;
    m.click("[data-action=nope]").await;
    m.click("[data-action=quit] .tulip-button__label").await;
    assert_eq!(
        m.take(),
        vec![
            json!({"type": "button_click", "action": "go"}),
            json!({"type": "button_click", "action": "quit"}),
        ]
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn interactive_follows_set_components_and_emphasis() {
    let mut h = Hosted::new(json!({"widget_type": "interactive", "extra_data": {"components": [
        {"label": "Shuffle", "action": "shuffle"}, {"label": "Ready", "action": "ready", "style": "primary"}]}}))
    .await;
    let ready = h.one("[data-action=ready]");
    h.update(json!({"set_components": [
        {"label": "Shuffle", "action": "shuffle", "disabled": true},
        {"label": "Ready", "action": "ready", "style": "primary", "disabled": true},
        {"label": "Resign", "action": "resign", "style": "danger"}]}))
        .await;
    assert_eq!(h.count("button"), 3);
    assert!(
        ready.is_same_node(Some(&h.one("[data-action=ready]"))),
        "keyed by action: the same button"
    );
    assert_eq!(h.count("button[aria-disabled=true]"), 2);
    h.click("[data-action=ready]").await;
    h.click("[data-action=resign]").await;
    assert_eq!(
        h.take(),
        vec![json!({"type": "button_click", "action": "resign"})]
    );
    h.update(json!({"emphasize": [{"target": "resign", "effect": "shake", "duration": 5000}]}))
        .await;
    assert_eq!(animations(&h.one("[data-target=resign]")), 1);
    h.destroy().await;
}

#[wasm_bindgen_test]
async fn interactive_buttons_wrap_within_360_px() {
    let style = stylesheet();
    let root = fresh_root();
    root.set_attribute("style", "width:360px").expect("style");
    let h = Hosted::in_root(
        json!({"widget_type": "interactive", "extra_data": {"components": [
            {"label": "Attack with the sword", "action": "a", "style": "primary"},
            {"label": "Defend", "action": "d"},
            {"label": "Cast a very long spell name that goes on", "action": "c"},
            {"label": "Flee", "action": "f", "style": "danger"}]}}),
        root.clone(),
    )
    .await;
    let right = root.get_bounding_client_rect().right();
    let buttons = root.query_selector_all("button").expect("buttons");
    let mut tops = Vec::new();
    for i in 0..buttons.length() {
        let b: Element = buttons.item(i).expect("a button").dyn_into().expect("el");
        let r = b.get_bounding_client_rect();
        assert!(
            r.right() <= right + 0.5,
            "button {i} fits: {} > {right}",
            r.right()
        );
        tops.push(r.top().round() as i64);
    }
    tops.dedup();
    assert!(tops.len() > 1, "they wrap onto more rows: {tops:?}");
    h.destroy().await;
    style.remove();
}

// ---- composite --------------------------------------------------------------

#[wasm_bindgen_test]
async fn composite_lays_out_children_and_names_them() {
    let m = Mounted::new(json!({"widget_type": "composite", "extra_data": {
        "layout": "horizontal",
        "widgets": [
            {"id": "board", "type": "grid", "width": 2, "height": 1, "on_cell_click": true},
            {"id": "inner", "type": "composite", "layout": "overlay", "widgets": [
                {"id": "bar", "type": "hud", "bars": [{"label": "HP", "current": 1, "max": 2}]},
                {"id": "btns", "type": "interactive",
                 "components": [{"label": "Go", "action": "go"}]}]}]}}))
    .await;
    assert_eq!(
        m.one(".tulip-composite")
            .get_attribute("data-layout")
            .as_deref(),
        Some("horizontal")
    );
    assert!(has_class(
        &m.one("[data-child=inner] > .tulip-widget > .tulip-composite"),
        "tulip-composite--overlay"
    ));
    assert_eq!(m.count("[data-child=board][data-target=board]"), 1);
    assert_eq!(m.count("[role=gridcell]"), 2);
    assert_eq!(m.count("[data-child=bar] [role=progressbar]"), 1);
    m.click("[role=gridcell][data-x='1']").await;
    m.click("[data-action=go]").await;
    assert_eq!(
        m.take(),
        vec![
            json!({"type": "cell_click", "x": 1, "y": 0, "child": "board"}),
            // The innermost child is named: the core finds it at any depth.
            json!({"type": "button_click", "action": "go", "child": "btns"}),
        ]
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn composite_children_follow_their_own_operations() {
    let mut h = Hosted::new(json!({"widget_type": "composite", "extra_data": {
        "layout": "vertical",
        "widgets": [
            {"id": "log", "type": "terminal", "lines": [{"text": "hello"}]},
            {"id": "status", "type": "hud", "bars": [{"label": "HP", "current": 5, "max": 10}]}]}}))
    .await;
    let first = h.one("[data-child=log] .tulip-terminal__line");
    h.update(json!({"children": {
        "log": {"append_lines": [{"text": "world"}]},
        "status": {"set_bar": {"label": "HP", "current": 3, "max": 10}}}}))
        .await;
    assert_eq!(h.count("[data-child=log] .tulip-terminal__line"), 2);
    assert!(first.is_same_node(Some(&h.one("[data-child=log] .tulip-terminal__line"))));
    assert_eq!(h.text("[data-child=status] .tulip-hud__delta"), "\u{2212}2");
    h.destroy().await;
}

/// The battleship layout: two 10 x 10 grids side by side, a HUD and
/// buttons; its children must never overlap, at any width.
const BATTLESHIP: &str = include_str!("../www/samples/composite-battleship.json");

struct Box4 {
    id: String,
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

fn child_boxes(root: &Element) -> Vec<Box4> {
    let kids = root
        .query_selector_all(".tulip-composite > .tulip-composite__child")
        .expect("children");
    (0..kids.length())
        .filter_map(|i| kids.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .map(|k| {
            let r = k.get_bounding_client_rect();
            Box4 {
                id: k.get_attribute("data-child").unwrap_or_default(),
                left: r.left(),
                top: r.top(),
                right: r.right(),
                bottom: r.bottom(),
            }
        })
        .collect()
}

fn overlapping(a: &Box4, b: &Box4) -> bool {
    a.left < b.right - 0.5
        && b.left < a.right - 0.5
        && a.top < b.bottom - 0.5
        && b.top < a.bottom - 0.5
}

#[wasm_bindgen_test]
async fn composite_horizontal_children_never_overlap() {
    let style = stylesheet();
    for width in [1000, 800, 600, 360] {
        let root = fresh_root();
        root.set_attribute("style", &format!("width:{width}px"))
            .expect("style");
        let h = Hosted::in_root(
            serde_json::from_str(BATTLESHIP).expect("json"),
            root.clone(),
        )
        .await;
        let outer = root.get_bounding_client_rect();
        let boxes = child_boxes(&root);
        assert_eq!(boxes.len(), 4);
        for (i, a) in boxes.iter().enumerate() {
            assert!(
                a.right <= outer.right() + 0.5 && a.left >= outer.left() - 0.5,
                "{} stays inside at {width} px",
                a.id
            );
            for b in &boxes[i + 1..] {
                assert!(
                    !overlapping(a, b),
                    "{} and {} overlap at {width} px",
                    a.id,
                    b.id
                );
            }
        }
        // Each grid's own box holds it: it fits, or it scrolls in there.
        let grids = root
            .query_selector_all(".tulip-grid-scroll")
            .expect("grids");
        for i in 0..grids.length() {
            let g: Element = grids.item(i).expect("grid").dyn_into().expect("el");
            let child = g
                .closest(".tulip-composite__child")
                .ok()
                .flatten()
                .expect("child");
            assert!(
                g.get_bounding_client_rect().right()
                    <= child.get_bounding_client_rect().right() + 0.5,
                "a grid stays in its child at {width} px"
            );
        }
        let (mine, target) = (&boxes[0], &boxes[1]);
        if width >= 1000 {
            assert_eq!(mine.top, target.top, "side by side at {width} px");
            assert!(mine.right <= target.left);
        }
        if width <= 600 {
            assert!(target.top >= mine.bottom, "stacked at {width} px");
        }
        h.destroy().await;
    }
    style.remove();
}

#[wasm_bindgen_test]
async fn composite_overlay_lets_clicks_through_where_the_top_is_transparent() {
    let style = stylesheet();
    let h = Hosted::new(json!({"widget_type": "composite", "extra_data": {
        "layout": "overlay",
        "widgets": [
            {"id": "board", "type": "grid", "width": 3, "height": 3, "cell_size": 60, "on_cell_click": true},
            {"id": "hud", "type": "hud", "bars": [{"label": "HP", "current": 5, "max": 10}]},
            {"id": "btns", "type": "interactive", "components": [{"label": "Go", "action": "go"}]}]}}))
    .await;
    let kids = child_boxes(&h.root);
    assert_eq!(kids[0].top, kids[1].top, "stacked in one cell");
    h.one(".tulip-composite").scroll_into_view();
    // A point on the HUD's bar, right of the button: the HUD is on top
    // there, yet the click reaches the grid's cell below.
    let track = h.one(".tulip-hud__track").get_bounding_client_rect();
    let cell = h
        .one("[role=gridcell][data-x='2'][data-y='0']")
        .get_bounding_client_rect();
    let (x, y) = (
        (cell.left() + cell.right()) / 2.0,
        (track.top() + track.bottom()) / 2.0,
    );
    assert!(x < track.right() && y > cell.top() && y < cell.bottom());
    let hit_at = move || document().element_from_point(x as f32, y as f32);
    let board = h.one("[data-child=board]");
    let under = h.one("[data-child=hud]");
    // (Rows scrolled into view are laid out at the next frame: wait for it.)
    assert!(
        eventually(2_000, || hit_at()
            .is_some_and(
                |e| e.get_attribute("role").as_deref() == Some("gridcell")
            ))
        .await,
        "the click reaches a cell of the grid below"
    );
    let hit = hit_at().expect("something is there");
    assert!(board.contains(Some(&hit)) && !under.contains(Some(&hit)));
    assert_eq!(hit.get_attribute("data-y").as_deref(), Some("0"));
    // The button on top takes its own clicks.
    let go = h.one("[data-action=go]");
    let r = go.get_bounding_client_rect();
    let hit = document()
        .element_from_point(
            ((r.left() + r.right()) / 2.0) as f32,
            ((r.top() + r.bottom()) / 2.0) as f32,
        )
        .expect("something is there");
    assert!(
        go.contains(Some(&hit)),
        "the button is on top: {} {}",
        hit.tag_name(),
        hit.class_name()
    );
    h.destroy().await;
    style.remove();
}

// ---- samples ----------------------------------------------------------------

#[wasm_bindgen_test]
async fn the_panel_samples_parse_and_draw() {
    for (text, selector) in [
        (include_str!("../www/samples/hud.json"), ".tulip-hud__bar"),
        (
            include_str!("../www/samples/dialog.json"),
            ".tulip-dialog__choice",
        ),
        (
            include_str!("../www/samples/dialog-portrait.json"),
            "img.tulip-dialog__portrait",
        ),
        (
            include_str!("../www/samples/terminal.json"),
            ".tulip-terminal__line",
        ),
        (
            include_str!("../www/samples/terminal-log.json"),
            ".tulip-terminal__line",
        ),
        (include_str!("../www/samples/leaderboard.json"), "tbody tr"),
        (
            include_str!("../www/samples/interactive.json"),
            ".tulip-button",
        ),
        (
            include_str!("../www/samples/composite.json"),
            ".tulip-composite__child",
        ),
        (BATTLESHIP, "[role=gridcell]"),
        (
            include_str!("../www/samples/composite-overlay.json"),
            ".tulip-composite--overlay",
        ),
    ] {
        let m = Mounted::new(serde_json::from_str(text).expect("a JSON sample")).await;
        assert!(
            m.count(selector) > 0,
            "{selector} in {}",
            &text[..60.min(text.len())]
        );
        m.destroy().await;
    }
}

// ---- timings ----------------------------------------------------------------

async fn microtask() {
    let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(
        &wasm_bindgen::JsValue::NULL,
    ))
    .await;
}

/// Waits until `done`: a microtask at a time first (Yew renders in one),
/// then a zero-delay timer at a time. At most about two seconds.
async fn until(done: impl Fn() -> bool) -> bool {
    for i in 0..1_000 {
        if done() {
            return true;
        }
        if i < 20 {
            microtask().await;
        } else {
            yew::platform::time::sleep(Duration::ZERO).await;
        }
    }
    done()
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

/// Prints how long a terminal at the contract's limit (10,000 lines) takes
/// to draw, and then to take `append_lines` of 1 and of 10 lines (the
/// oldest dropping out). Asserts only that the DOM followed.
#[wasm_bindgen_test]
async fn timings_of_a_10000_line_terminal() {
    let style = stylesheet();
    let max = 10_000;
    let lines: Vec<Value> = (0..max)
        .map(|i| {
            if i % 7 == 0 {
                json!({"text": format!("line {i}: the quick brown fox"), "color": "#43a047", "bold": true})
            } else {
                json!({"text": format!("line {i}: jumps over the lazy dog")})
            }
        })
        .collect();
    let payload = json!({"widget_type": "terminal", "extra_data": {
        "lines": lines, "max_lines": max, "input": {"enabled": true}}});
    let mut widget = Rc::new(
        tulip_core::parse_widget_value(payload, &tulip_core::Policy::default()).expect("valid"),
    );
    let root = fresh_root();
    root.set_attribute("style", "width:600px").expect("style");
    let t0 = now();
    let mut handle = yew::Renderer::<WidgetView>::with_root_and_props(
        root.clone(),
        WidgetProps::new(widget.clone(), Default::default()),
    )
    .render();
    let last_is = |root: &Element, want: &str| last_line(root).as_deref() == Some(want);
    assert!(until(|| last_is(&root, "line 9999: jumps over the lazy dog")).await);
    let _ = root.get_bounding_client_rect();
    let first = now() - t0;

    let policy = tulip_core::Policy { allow_http: true };
    let mut seq = 1;
    let mut figures = Vec::new();
    for per in [1usize, 10] {
        let (mut apply, mut render, mut layout, mut total) = (vec![], vec![], vec![], vec![]);
        for round in 0..40 {
            let new: Vec<Value> = (0..per)
                .map(|i| json!({"text": format!("new {per}/{round}/{i}")}))
                .collect();
            let want = format!("new {per}/{round}/{}", per - 1);
            let t0 = now();
            let u = tulip_core::parse_update(&widget.body, json!({"append_lines": new}))
                .expect("an update");
            let next = tulip_core::apply_update(&widget, &u, &policy).expect("applies");
            let t1 = now();
            widget = Rc::new(next);
            seq += 1;
            handle.update(WidgetProps {
                update: Some(Rc::new(u)),
                live: true,
                seq,
                ..WidgetProps::new(widget.clone(), Default::default())
            });
            assert!(until(|| last_is(&root, &want)).await, "the DOM followed");
            let ts = now();
            let _ = root.get_bounding_client_rect();
            let screen = root
                .query_selector(".tulip-terminal__screen")
                .ok()
                .flatten()
                .expect("a screen");
            let _ = screen.scroll_top();
            let t2 = now();
            apply.push(t1 - t0);
            render.push(ts - t1);
            layout.push(t2 - ts);
            total.push(t2 - t0);
        }
        figures.push(format!(
            "append {per}: apply p50 {:.2} p95 {:.2}, render p50 {:.2} p95 {:.2}, layout p50 {:.2} p95 {:.2}, total p50 {:.2} p95 {:.2} ms",
            pct(&mut apply, 0.5),
            pct(&mut apply, 0.95),
            pct(&mut render, 0.5),
            pct(&mut render, 0.95),
            pct(&mut layout, 0.5),
            pct(&mut layout, 0.95),
            pct(&mut total, 0.5),
            pct(&mut total, 0.95),
        ));
    }
    assert_eq!(
        root.query_selector_all(".tulip-terminal__line")
            .expect("selector")
            .length(),
        max as u32,
        "the oldest lines dropped out"
    );
    handle.destroy();
    settle().await;
    root.remove();
    style.remove();
    wasm_bindgen_test::console_log!(
        "terminal 10,000 lines: first render {first:.1} ms | {}",
        figures.join(" | ")
    );
}
