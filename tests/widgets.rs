//! Browser tests of the widget components: each renders from a payload,
//! turns clicks and keys into the interaction a client posts, and keeps text
//! as text.

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::{json, Value};
use tulip_widgets::widget::WidgetProps;
use tulip_widgets::WidgetView;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};
use yew::AppHandle;

mod common;

use common::{fresh_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

/// A widget mounted from its payload, and the interactions it emitted.
struct Mounted {
    root: Element,
    handle: AppHandle<WidgetView>,
    widget: Rc<tulip_core::Widget>,
    sent: Rc<RefCell<Vec<Value>>>,
}

impl Mounted {
    async fn new(payload: Value) -> Mounted {
        let widget = tulip_core::parse_widget_value(payload, &tulip_core::Policy::default())
            .expect("a valid payload");
        let sent: Rc<RefCell<Vec<Value>>> = Rc::default();
        let sink = sent.clone();
        let widget = Rc::new(widget);
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

    fn text(&self, selector: &str) -> String {
        self.one(selector).text_content().unwrap_or_default()
    }

    async fn click(&self, selector: &str) {
        self.one(selector)
            .dyn_into::<HtmlElement>()
            .expect("an HTML element")
            .click();
        settle().await;
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

    /// Renders a new payload in place, as an applied update would.
    async fn update(&mut self, payload: Value) {
        let widget = tulip_core::parse_widget_value(payload, &tulip_core::Policy::default())
            .expect("a valid payload");
        self.widget = Rc::new(widget);
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

async fn key(target: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    target.dispatch_event(&event).expect("dispatch");
    settle().await;
}

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
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn dialog_shows_the_speaker_and_sends_choices() {
    let m = Mounted::new(json!({"widget_type": "dialog", "extra_data": {
        "speaker": {"name": "Mira", "portrait": "/img/mira.png", "mood": "wary"},
        "text": "Which <em>way</em>?",
        "typing_effect": true,
        "choices": [{"id": "left", "text": "Left"}, {"id": "right", "text": "Right"}]}}))
    .await;
    assert_eq!(m.text(".tulip-dialog__name"), "Mira");
    assert!(m.text(".tulip-dialog__mood").contains("wary"));
    let img = m.one("img.tulip-dialog__portrait");
    assert_eq!(img.get_attribute("src").as_deref(), Some("/img/mira.png"));
    assert_eq!(
        img.get_attribute("alt").as_deref(),
        Some("Portrait of Mira")
    );
    // The whole text is in the DOM at once; the typing effect is CSS only.
    assert_eq!(m.text(".tulip-dialog__text"), "Which <em>way</em>?");
    assert_eq!(m.count(".tulip-dialog__text em"), 0);
    assert_eq!(m.count(".tulip-dialog__text--typing"), 1);
    assert_eq!(m.count("button.tulip-dialog__choice"), 2);
    m.click("[data-choice=right]").await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "dialog_choice", "id": "right"})]
    );
    m.destroy().await;
}

/// The clip-path the page's stylesheet gives the dialog text right now.
fn clip_path(el: &Element) -> String {
    web_sys::window()
        .and_then(|w| w.get_computed_style(el).ok().flatten())
        .and_then(|s| s.get_property_value("clip-path").ok())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn dialog_typing_effect_reveals_the_text() {
    // With the demo stylesheet, the typing effect is a CSS animation that
    // starts hidden and ends with the whole text shown.
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let style = document.create_element("style").expect("<style>");
    style.set_text_content(Some(include_str!("../www/style.css")));
    document
        .body()
        .expect("<body>")
        .append_child(&style)
        .expect("append");
    let m = Mounted::new(json!({"widget_type": "dialog", "extra_data": {
        "text": "Hello there", "typing_effect": true}}))
    .await;
    let text = m.one(".tulip-dialog__text");
    assert_eq!(
        text.get_attribute("style").as_deref(),
        Some("--tulip-chars:11;")
    );
    let early = clip_path(&text);
    assert!(early.starts_with("inset("), "typing: {early}");
    // 11 characters at 25 ms each: done well within a second.
    yew::platform::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        clip_path(&text),
        "none",
        "the whole text is shown at the end"
    );
    m.destroy().await;
    style.remove();
}

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
    assert_eq!(m.count(".tulip-terminal script"), 0);
    assert_eq!(
        m.one("[role=log]").get_attribute("aria-label").as_deref(),
        Some("Terminal output")
    );

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
async fn terminal_without_enabled_input_has_no_input() {
    let m = Mounted::new(json!({"widget_type": "terminal", "extra_data": {
        "lines": [{"text": "read only"}], "input": {"enabled": false}}}))
    .await;
    assert_eq!(m.count("input"), 0);
    m.destroy().await;
    let m = Mounted::new(json!({"widget_type": "terminal", "extra_data": {"lines": []}})).await;
    assert_eq!(m.count("input"), 0);
    m.destroy().await;
}

fn terminal_of(n: usize) -> Value {
    let lines: Vec<Value> = (0..n)
        .map(|i| json!({"text": format!("line {i}")}))
        .collect();
    json!({"widget_type": "terminal", "extra_data": {"lines": lines}})
}

/// Waits for the browser to deliver scroll events (they come with a frame).
async fn frame() {
    yew::platform::time::sleep(Duration::from_millis(60)).await;
}

#[wasm_bindgen_test]
async fn terminal_follows_new_lines_until_scrolled_up() {
    // The test page has no stylesheet: give the screen a height to scroll in.
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let style = document.create_element("style").expect("<style>");
    style.set_text_content(Some(
        ".tulip-terminal__screen{height:100px;overflow-y:auto;line-height:20px}",
    ));
    document
        .body()
        .expect("<body>")
        .append_child(&style)
        .expect("append");

    let mut m = Mounted::new(terminal_of(50)).await;
    let screen = m.one(".tulip-terminal__screen");
    let at_bottom = |s: &Element| s.scroll_top() >= s.scroll_height() - s.client_height() - 1;
    assert!(
        screen.scroll_height() > screen.client_height(),
        "it scrolls"
    );
    assert!(at_bottom(&screen), "starts at the newest line");

    m.update(terminal_of(60)).await;
    assert!(at_bottom(&screen), "follows new lines");

    // The player scrolls up to read: new lines no longer move the view.
    screen.set_scroll_top(0);
    frame().await;
    m.update(terminal_of(70)).await;
    assert_eq!(screen.scroll_top(), 0, "stays where the player scrolled");

    // Back at the bottom, it follows again.
    screen.set_scroll_top(screen.scroll_height());
    frame().await;
    m.update(terminal_of(80)).await;
    assert!(at_bottom(&screen), "follows again from the bottom");
    assert_eq!(m.count(".tulip-terminal__line"), 80);

    m.destroy().await;
    style.remove();
}

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
    assert!(hl
        .class_name()
        .split_whitespace()
        .any(|c| c == "tulip-leaderboard__row--highlight"));
    assert_eq!(
        hl.query_selector(".tulip-leaderboard__name")
            .ok()
            .flatten()
            .and_then(|n| n.text_content())
            .as_deref(),
        Some("<u>me</u>")
    );
    assert_eq!(m.count("u"), 0);
    assert!(m.text("tbody tr:nth-child(2) .tulip-leaderboard__score") == "9.5");
    assert_eq!(m.text(".tulip-leaderboard__pageno"), "Page 2 of 3");
    m.click("[aria-label='Next page']").await;
    m.click("[aria-label='Previous page']").await;
    assert_eq!(
        m.take(),
        vec![
            json!({"type": "page_change", "page": 3}),
            json!({"type": "page_change", "page": 1})
        ]
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn leaderboard_without_on_page_change_has_no_buttons() {
    let m = Mounted::new(json!({"widget_type": "leaderboard", "extra_data": {
        "entries": [{"rank": 1, "name": "a", "score": 1}], "page": 1, "total_pages": 2}}))
    .await;
    assert_eq!(m.count("button"), 0);
    assert_eq!(m.text("th:nth-child(1)"), "Rank");
    m.destroy().await;
    // On the last page, "Next" is disabled and sends nothing.
    let m = Mounted::new(json!({"widget_type": "leaderboard", "extra_data": {
        "entries": [], "page": 2, "total_pages": 2, "on_page_change": true}}))
    .await;
    let next = m.one("[aria-label='Next page']");
    assert!(next.has_attribute("disabled"));
    m.click("[aria-label='Next page']").await;
    assert!(m.take().is_empty());
    m.destroy().await;
}

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
    assert!(m
        .one("[data-action=go]")
        .class_name()
        .split_whitespace()
        .any(|c| c == "tulip-button--primary"));
    assert_eq!(
        m.one("[data-action=wait]")
            .get_attribute("data-style")
            .as_deref(),
        Some("secondary")
    );
    let quit = m.one("[data-action=quit]");
    assert!(quit
        .class_name()
        .split_whitespace()
        .any(|c| c == "tulip-button--danger"));
    assert!(quit
        .text_content()
        .unwrap_or_default()
        .ends_with("<b>Quit</b>"));
    assert_eq!(m.count("button b"), 0);
    assert!(m.one("[data-action=nope]").has_attribute("disabled"));
    m.click("[data-action=go]").await;
    m.click("[data-action=nope]").await;
    m.click("[data-action=quit]").await;
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
    assert!(m
        .one("[data-child=inner] > .tulip-widget > .tulip-composite")
        .class_name()
        .split_whitespace()
        .any(|c| c == "tulip-composite--overlay"));
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
