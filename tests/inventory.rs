//! Browser tests of the inventory widget: slots, clicks, drag and drop with
//! synthesized pointer events at the slots' real positions, the keyboard
//! drag, and tooltips.

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{json, Value};
use tulip_widgets::widget::WidgetProps;
use tulip_widgets::WidgetView;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    Element, HtmlElement, KeyboardEvent, KeyboardEventInit, PointerEvent, PointerEventInit,
};
use yew::AppHandle;

mod common;

use common::{fresh_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

/// The page's stylesheets, so that slots have real sizes and positions.
fn styles() -> Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let style = document.create_element("style").expect("<style>");
    style.set_text_content(Some(concat!(
        include_str!("../www/style.css"),
        include_str!("../www/cards.css")
    )));
    document
        .body()
        .expect("<body>")
        .append_child(&style)
        .expect("append");
    style
}

struct Mounted {
    root: Element,
    handle: AppHandle<WidgetView>,
    widget: Rc<tulip_core::Widget>,
    sent: Rc<RefCell<Vec<Value>>>,
    style: Element,
}

impl Mounted {
    async fn new(payload: Value) -> Mounted {
        let style = styles();
        let widget = Rc::new(
            tulip_core::parse_widget_value(payload, &tulip_core::Policy::default())
                .expect("a valid payload"),
        );
        let sent: Rc<RefCell<Vec<Value>>> = Rc::default();
        let sink = sent.clone();
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
            style,
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

    fn slot(&self, n: u32) -> Element {
        self.one(&format!("[data-slot='{n}']"))
    }

    fn has(&self, n: u32, class: &str) -> bool {
        self.slot(n).class_list().contains(class)
    }

    fn said(&self) -> String {
        self.one("[data-testid=inventory-announce]")
            .text_content()
            .unwrap_or_default()
    }

    /// The interactions sent so far, each checked by the core as the
    /// server would.
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

    async fn destroy(self) {
        self.handle.destroy();
        settle().await;
        self.root.remove();
        self.style.remove();
    }
}

fn centre(el: &Element) -> (f64, f64) {
    let r = el.get_bounding_client_rect();
    (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0)
}

/// Dispatches a mouse-type pointer event at page point `at` on `target`.
async fn pointer(kind: &str, target: &Element, at: (f64, f64)) {
    let init = PointerEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_client_x(at.0 as i32);
    init.set_client_y(at.1 as i32);
    init.set_pointer_id(1);
    init.set_pointer_type("mouse");
    init.set_is_primary(true);
    init.set_button(if kind == "pointermove" { -1 } else { 0 });
    init.set_buttons(if kind == "pointerup" { 0 } else { 1 });
    let e = PointerEvent::new_with_event_init_dict(kind, &init).expect("event");
    target.dispatch_event(&e).expect("dispatch");
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

fn active_slot() -> Option<u32> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|e| e.get_attribute("data-slot"))
        .and_then(|s| s.parse().ok())
}

async fn focus(el: &Element) {
    el.clone()
        .dyn_into::<HtmlElement>()
        .expect("html")
        .focus()
        .expect("focus");
    settle().await;
}

/// 2 rows x 4 columns; a dagger in slot 0, three potions in slot 5.
fn bag(flags: Value) -> Value {
    let mut extra = json!({"rows": 2, "cols": 4, "items": [
        {"slot": 0, "icon": "🗡️", "name": "Dagger", "count": 1, "rarity": "common"},
        {"slot": 5, "icon": "🧪", "name": "Potion", "count": 3, "rarity": "rare",
         "description": "Restores <b>20</b> HP."}]});
    if let (Some(e), Some(f)) = (extra.as_object_mut(), flags.as_object()) {
        e.extend(f.clone());
    }
    json!({"widget_type": "inventory", "extra_data": extra})
}

#[wasm_bindgen_test]
async fn slots_show_items_counts_rarity_and_empty_places() {
    let m = Mounted::new(bag(json!({}))).await;
    assert_eq!(m.count("[role=grid] [role=row]"), 2);
    assert_eq!(m.count("[role=gridcell]"), 8, "every slot, empty ones too");
    for n in 0..8 {
        let s = m.slot(n);
        assert_eq!(s.get_attribute("data-target"), Some(n.to_string()));
    }
    assert_eq!(
        m.slot(0).get_attribute("aria-label").as_deref(),
        Some("Row 1, column 1: Dagger, common")
    );
    assert_eq!(
        m.slot(5).get_attribute("aria-label").as_deref(),
        Some("Row 2, column 2: Potion, 3, rare")
    );
    assert_eq!(
        m.slot(1).get_attribute("aria-label").as_deref(),
        Some("Row 1, column 2: empty")
    );
    // The count shows above one only.
    assert_eq!(m.count("[data-slot='0'] .tulip-inv__count"), 0);
    assert_eq!(
        m.one("[data-slot='5'] .tulip-inv__count")
            .text_content()
            .as_deref(),
        Some("3")
    );
    // Rarity: a border class and a corner letter (not colour alone).
    assert!(m.has(5, "tulip-inv__slot--rare"));
    assert_eq!(
        m.one("[data-slot='5'] .tulip-inv__rarity")
            .text_content()
            .as_deref(),
        Some("R")
    );
    // One tab stop.
    assert_eq!(m.count("[role=gridcell][tabindex='0']"), 1);
    // Visible, and usable size: every slot is at least 28 px wide.
    assert!(m.slot(7).get_bounding_client_rect().width() >= 28.0);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn a_press_and_release_with_a_tiny_move_is_a_click() {
    let m = Mounted::new(bag(json!({"on_item_click": true, "on_item_drag": true}))).await;
    let potion = m.slot(5);
    let (x, y) = centre(&potion);
    pointer("pointerdown", &potion, (x, y)).await;
    pointer("pointermove", &potion, (x + 2.0, y + 1.0)).await;
    pointer("pointerup", &potion, (x + 2.0, y + 1.0)).await;
    assert_eq!(m.take(), vec![json!({"type": "item_click", "slot": 5})]);
    assert_eq!(m.count(".tulip-inv__ghost:not([hidden])"), 0, "no drag");
    // Pressing an empty slot does nothing.
    let empty = m.slot(2);
    pointer("pointerdown", &empty, centre(&empty)).await;
    pointer("pointerup", &empty, centre(&empty)).await;
    assert!(m.take().is_empty());
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn clicks_are_off_unless_asked() {
    let m = Mounted::new(bag(json!({}))).await;
    let potion = m.slot(5);
    pointer("pointerdown", &potion, centre(&potion)).await;
    pointer("pointerup", &potion, centre(&potion)).await;
    focus(&potion).await;
    key(&potion, "Enter").await;
    assert!(m.take().is_empty());
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn dragging_an_item_onto_another_slot_sends_item_drag() {
    let m = Mounted::new(bag(json!({"on_item_click": true, "on_item_drag": true}))).await;
    let (from, to) = (m.slot(0), m.slot(6));
    let (a, b) = (centre(&from), centre(&to));
    pointer("pointerdown", &from, a).await;
    // Halfway, then over slot 6: a ghost follows, slot 6 is marked.
    pointer("pointermove", &from, ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)).await;
    // The slots are patched, never rebuilt, while the drag starts (the
    // pointer events keep reaching the element they started on).
    assert!(from.is_connected(), "still the same element");
    pointer("pointermove", &from, b).await;
    assert_eq!(
        m.count(".tulip-inv__ghost:not([hidden])"),
        1,
        "a drag ghost"
    );
    assert!(m.has(0, "tulip-inv__slot--lifted"));
    assert!(m.has(6, "tulip-inv__slot--target"));
    assert!(!m.has(5, "tulip-inv__slot--target"));
    // The ghost is centred on the pointer.
    let g = centre(&m.one(".tulip-inv__ghost:not([hidden])"));
    assert!(
        (g.0 - b.0).abs() < 2.0 && (g.1 - b.1).abs() < 2.0,
        "{g:?} vs {b:?}"
    );
    pointer("pointerup", &to, b).await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "item_drag", "from_slot": 0, "to_slot": 6})],
        "a drop, and no click"
    );
    assert_eq!(m.count(".tulip-inv__ghost:not([hidden])"), 0);
    assert_eq!(
        m.count(".tulip-inv__slot--target, .tulip-inv__slot--lifted"),
        0
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn dropping_outside_or_back_home_does_nothing() {
    let m = Mounted::new(bag(json!({"on_item_drag": true}))).await;
    let from = m.slot(5);
    let a = centre(&from);
    // Outside the inventory.
    pointer("pointerdown", &from, a).await;
    pointer("pointermove", &from, (a.0, a.1 + 40.0)).await;
    pointer("pointermove", &from, (a.0 + 2000.0, a.1 + 2000.0)).await;
    pointer("pointerup", &from, (a.0 + 2000.0, a.1 + 2000.0)).await;
    assert!(m.take().is_empty());
    // Away and back to the same slot.
    let other = centre(&m.slot(4));
    pointer("pointerdown", &from, a).await;
    pointer("pointermove", &from, other).await;
    assert!(m.has(4, "tulip-inv__slot--target"));
    pointer("pointermove", &from, a).await;
    pointer("pointerup", &from, a).await;
    assert!(m.take().is_empty());
    assert_eq!(m.said(), "Put back.");
    // Without on_item_drag a drag is no drag.
    m.destroy().await;
    let m = Mounted::new(bag(json!({"on_item_click": true}))).await;
    let (from, to) = (m.slot(0), m.slot(6));
    pointer("pointerdown", &from, centre(&from)).await;
    pointer("pointermove", &from, centre(&to)).await;
    pointer("pointerup", &to, centre(&to)).await;
    assert_eq!(m.count(".tulip-inv__ghost:not([hidden])"), 0);
    assert!(m.take().is_empty(), "moved too far for a click");
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn the_keyboard_picks_up_moves_and_drops() {
    let m = Mounted::new(bag(json!({"on_item_click": true, "on_item_drag": true}))).await;
    let first = m.slot(0);
    focus(&first).await;
    // Enter uses the item (on_item_click); Space picks it up.
    key(&first, "Enter").await;
    assert_eq!(m.take(), vec![json!({"type": "item_click", "slot": 0})]);
    key(&first, " ").await;
    assert!(
        m.said()
            .starts_with("Picked up Dagger from row 1, column 1."),
        "{}",
        m.said()
    );
    assert!(m.has(0, "tulip-inv__slot--lifted"));
    key(&first, "ArrowRight").await;
    assert_eq!(active_slot(), Some(1));
    key(&m.slot(1), "ArrowDown").await;
    assert_eq!(active_slot(), Some(5));
    assert!(m.has(5, "tulip-inv__slot--target"));
    assert_eq!(m.said(), "Over row 2, column 2, holding Potion.");
    key(&m.slot(5), "ArrowRight").await;
    key(&m.slot(6), "Enter").await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "item_drag", "from_slot": 0, "to_slot": 6})]
    );
    assert_eq!(m.said(), "Moved Dagger to row 2, column 3.");
    // The focus stays where it went; one tab stop.
    assert_eq!(m.slot(6).get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(m.count("[role=gridcell][tabindex='0']"), 1);

    // Escape puts it back.
    let potion = m.slot(5);
    focus(&potion).await;
    key(&potion, " ").await;
    key(&potion, "ArrowLeft").await;
    key(&m.slot(4), "Escape").await;
    assert!(m.take().is_empty());
    assert_eq!(m.said(), "Put back.");
    assert_eq!(m.count(".tulip-inv__slot--lifted"), 0);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn tooltips_show_on_focus_and_hover() {
    let m = Mounted::new(bag(json!({"show_tooltips": true}))).await;
    assert_eq!(m.count("[role=tooltip]"), 0);
    let potion = m.slot(5);
    focus(&potion).await;
    let tip = m.one("[role=tooltip]");
    let text = tip.text_content().unwrap_or_default();
    for part in ["Potion", "×3", "Rare", "Restores <b>20</b> HP."] {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert_eq!(m.count("[role=tooltip] b"), 0, "text is text");
    let id = tip.get_attribute("id").expect("an id");
    assert_eq!(m.slot(5).get_attribute("aria-describedby"), Some(id));
    // An empty slot has none.
    focus(&m.slot(4)).await;
    assert_eq!(m.count("[role=tooltip]"), 0);
    assert_eq!(m.slot(5).get_attribute("aria-describedby"), None);
    // Hovering shows it too.
    let dagger = m.slot(0);
    pointer("pointerover", &dagger, centre(&dagger)).await;
    assert!(m
        .one("[data-slot='0'] [role=tooltip]")
        .text_content()
        .unwrap_or_default()
        .contains("Dagger"));
    m.destroy().await;

    // Off unless asked.
    let m = Mounted::new(bag(json!({}))).await;
    focus(&m.slot(5)).await;
    assert_eq!(m.count("[role=tooltip]"), 0);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn names_and_icons_are_text_and_images_are_images() {
    let m = Mounted::new(
        json!({"widget_type": "inventory", "extra_data": {"rows": 1, "cols": 2,
        "items": [{"slot": 0, "icon": "<i>x</i>", "name": "<b>n</b>"},
                  {"slot": 1, "image": "https://example.com/sword.png", "name": "Sword"}]}}),
    )
    .await;
    assert_eq!(
        m.one("[data-slot='0'] .tulip-inv__icon")
            .text_content()
            .as_deref(),
        Some("<i>x</i>")
    );
    assert_eq!(m.count("i, b"), 0);
    let img = m.one("[data-slot='1'] img");
    assert_eq!(
        img.get_attribute("src").as_deref(),
        Some("https://example.com/sword.png")
    );
    assert_eq!(
        img.get_attribute("alt").as_deref(),
        Some(""),
        "the slot's label names it"
    );
    m.destroy().await;
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// A pointer move on `el`, timed from the event to the end of the redraw
/// it schedules (a zero timeout runs after Yew's scheduled render).
async fn timed_move(el: &Element, at: (f64, f64)) -> f64 {
    let init = PointerEventInit::new();
    init.set_bubbles(true);
    init.set_client_x(at.0 as i32);
    init.set_client_y(at.1 as i32);
    init.set_pointer_id(1);
    let e = PointerEvent::new_with_event_init_dict("pointermove", &init).expect("event");
    let t = now();
    el.dispatch_event(&e).expect("dispatch");
    yew::platform::time::sleep(std::time::Duration::ZERO).await;
    now() - t
}

/// Figures, not assertions on time: the largest inventory (64 x 64) mounted,
/// a drag started (every slot's props compared) and a pointer move that
/// only moves the ghost.
#[wasm_bindgen_test]
async fn figures_for_a_64_by_64_inventory() {
    let t0 = now();
    let items: Vec<Value> = (0..400)
        .map(|i| json!({"slot": i * 10, "icon": "🪙", "count": i + 1}))
        .collect();
    let m = Mounted::new(json!({"widget_type": "inventory", "extra_data": {
        "rows": 64, "cols": 64, "on_item_drag": true, "items": items}}))
    .await;
    let mounted = now() - t0 - 10.0;
    assert_eq!(m.count("[role=gridcell]"), 4096);
    let from = m.slot(0);
    let a = centre(&from);
    let b = centre(&m.slot(2));
    pointer("pointerdown", &from, a).await;
    let started = timed_move(&from, b).await;
    settle().await;
    assert!(
        m.has(2, "tulip-inv__slot--target"),
        "the drag started, over slot 2"
    );
    let moved = timed_move(&from, (b.0 + 1.0, b.1)).await;
    settle().await;
    assert_eq!(m.count(".tulip-inv__ghost:not([hidden])"), 1);
    pointer("pointerup", &from, (b.0 + 1.0, b.1)).await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "item_drag", "from_slot": 0, "to_slot": 2})]
    );
    wasm_bindgen_test::console_log!(
        "FIGURE inventory: 64x64 mounted in {mounted:.1} ms; drag start {started:.1} ms; a move within a slot {moved:.1} ms"
    );
    m.destroy().await;
}
