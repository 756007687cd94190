//! Browser tests of the grid widget: drawn from payloads, clicked and
//! driven by keyboard, kept current through `WidgetHost` (updates,
//! predictions and their rollback, announcements), and timed on a 100 x 100
//! grid (printed with `-- --nocapture`, never asserted).

#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde_json::{json, Value};
use tulip_widgets::host::{HostProps, Sender};
use tulip_widgets::widget::WidgetProps;
use tulip_widgets::{HostAction, HostState, WidgetHost, WidgetView};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};
use yew::functional::UseReducerDispatcher;
use yew::AppHandle;

mod common;

use common::{fresh_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

const TICTACTOE: &str = include_str!("../www/samples/tictactoe.json");

/// The renderer's styles on the test page, once, so that cells have their
/// real sizes (layout, scrolling and PageUp/PageDown depend on them).
fn styles() {
    let doc = document();
    if doc.get_element_by_id("tulip-test-styles").is_some() {
        return;
    }
    let style = doc.create_element("style").unwrap();
    style.set_id("tulip-test-styles");
    style.set_text_content(Some(concat!(
        include_str!("../www/style.css"),
        include_str!("../www/anim.css")
    )));
    doc.head().unwrap().append_child(&style).unwrap();
}

fn parse(payload: Value) -> tulip_core::Widget {
    tulip_core::parse_widget_value(payload, &tulip_core::Policy::default())
        .expect("a valid payload")
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn cell(root: &Element, x: u32, y: u32) -> HtmlElement {
    root.query_selector(&format!("[role=gridcell][data-x='{x}'][data-y='{y}']"))
        .unwrap()
        .unwrap_or_else(|| panic!("no cell at ({x}, {y})"))
        .dyn_into()
        .unwrap()
}

fn maybe_cell(root: &Element, x: u32, y: u32) -> Option<HtmlElement> {
    root.query_selector(&format!("[role=gridcell][data-x='{x}'][data-y='{y}']"))
        .unwrap()
        .map(|e| e.dyn_into().unwrap())
}

/// How many rows of a windowed grid have their cells.
fn built_rows(root: &Element) -> usize {
    all(
        root,
        ".tulip-grid__row[role=row]:not(.tulip-grid__row--head)",
    )
    .len()
}

/// A property of the element's inline style (the grid writes it through
/// CSSOM, so colours read back as `rgb(...)`).
fn style_of(el: &Element, property: &str) -> String {
    el.dyn_ref::<HtmlElement>()
        .map(|h| h.style().get_property_value(property).unwrap_or_default())
        .unwrap_or_default()
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect()
}

fn pos(el: &Element) -> (u32, u32) {
    let n = |a| el.get_attribute(a).unwrap().parse().unwrap();
    (n("data-x"), n("data-y"))
}

/// The cells with `tabindex=0`: exactly one in a grid with a roving tabindex.
fn tabbable(root: &Element) -> Vec<(u32, u32)> {
    all(root, "[role=gridcell][tabindex='0']")
        .iter()
        .map(pos)
        .collect()
}

fn focused() -> Option<(u32, u32)> {
    let el = document().active_element()?;
    el.has_attribute("data-x").then(|| pos(&el))
}

async fn key_on(target: &Element, key: &str, ctrl: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
    settle().await;
}

/// Presses `key` on the focused element.
async fn press(key: &str, ctrl: bool) {
    let el = document().active_element().expect("something has focus");
    key_on(&el, key, ctrl).await;
}

/// A widget mounted with `WidgetView`, recording what it emits.
struct Viewed {
    root: Element,
    handle: AppHandle<WidgetView>,
    sent: Rc<RefCell<Vec<Value>>>,
}

impl Viewed {
    async fn new(payload: Value) -> Viewed {
        Viewed::with(payload, |p| p).await
    }

    async fn with(payload: Value, f: impl FnOnce(WidgetProps) -> WidgetProps) -> Viewed {
        let sent: Rc<RefCell<Vec<Value>>> = Rc::default();
        let sink = sent.clone();
        let props = f(WidgetProps::new(
            Rc::new(parse(payload)),
            yew::Callback::from(move |v| sink.borrow_mut().push(v)),
        ));
        styles();
        let root = fresh_root();
        let handle = yew::Renderer::<WidgetView>::with_root_and_props(root.clone(), props).render();
        settle().await;
        Viewed { root, handle, sent }
    }

    fn take(&self) -> Vec<Value> {
        std::mem::take(&mut *self.sent.borrow_mut())
    }

    async fn destroy(self) {
        self.handle.destroy();
        settle().await;
        self.root.remove();
    }
}

/// A widget kept by `WidgetHost`, with a sender that records each
/// interaction and numbers it like a client does (`client_seq`).
struct Hosted {
    root: Element,
    handle: AppHandle<WidgetHost>,
    dispatch: UseReducerDispatcher<HostState>,
    sent: Rc<RefCell<Vec<(u64, Value)>>>,
}

impl Hosted {
    async fn new(payload: Value, version: u64) -> Hosted {
        let dispatcher = Rc::new(RefCell::new(None));
        let sent: Rc<RefCell<Vec<(u64, Value)>>> = Rc::default();
        let seq = Rc::new(Cell::new(0u64));
        let (d, s) = (dispatcher.clone(), sent.clone());
        let send = Sender(Rc::new(move |v: Value| {
            seq.set(seq.get() + 1);
            s.borrow_mut().push((seq.get(), v));
            Some(seq.get())
        }));
        let props = HostProps {
            widget: Rc::new(parse(payload)),
            version,
            user_id: Some("ann".into()),
            live: false,
            clock_offset_ms: 0.0,
            send: Some(send),
            on_interaction: Default::default(),
            on_ready: yew::Callback::from(move |x| *d.borrow_mut() = Some(x)),
            on_stale: Default::default(),
            connection: None,
        };
        styles();
        let root = fresh_root();
        let handle = yew::Renderer::<WidgetHost>::with_root_and_props(root.clone(), props).render();
        settle().await;
        let dispatch = dispatcher
            .borrow()
            .clone()
            .expect("the host hands out its dispatcher");
        Hosted {
            root,
            handle,
            dispatch,
            sent,
        }
    }

    async fn act(&self, action: HostAction) {
        self.dispatch.dispatch(action);
        settle().await;
    }

    async fn update(&self, version: u64, update: Value) {
        self.act(HostAction::Update { version, update }).await;
    }

    fn announced(&self) -> String {
        self.root
            .query_selector("[data-testid=announcer]")
            .unwrap()
            .expect("the host has a live region")
            .text_content()
            .unwrap_or_default()
    }

    async fn destroy(self) {
        self.handle.destroy();
        settle().await;
        self.root.remove();
    }
}

#[wasm_bindgen_test]
async fn the_sample_board_is_an_aria_grid_with_named_cells() {
    let v = Viewed::new(serde_json::from_str(TICTACTOE).unwrap()).await;
    let grid = v
        .root
        .query_selector("[role=grid]")
        .unwrap()
        .expect("a grid");
    assert_eq!(grid.get_attribute("aria-rowcount").as_deref(), Some("3"));
    assert_eq!(grid.get_attribute("aria-colcount").as_deref(), Some("3"));
    assert_eq!(grid.get_attribute("aria-readonly"), None, "clicks are on");
    assert_eq!(all(&grid, ":scope > [role=row]").len(), 3);
    assert_eq!(all(&grid, "[role=row] > [role=gridcell]").len(), 9);
    let x = cell(&v.root, 0, 0);
    assert_eq!(x.text_content().as_deref(), Some("X"));
    assert_eq!(x.get_attribute("aria-label").as_deref(), Some("A1, X"));
    assert_eq!(x.get_attribute("data-target").as_deref(), Some("0,0"));
    assert_eq!(style_of(&x, "color"), "rgb(194, 24, 91)");
    let empty = cell(&v.root, 2, 2);
    assert_eq!(
        empty.get_attribute("aria-label").as_deref(),
        Some("C3, empty")
    );
    assert_eq!(empty.text_content().as_deref(), Some(""));
    // A cell with only a background gets a text colour that reads on it.
    let yellow = cell(&v.root, 1, 0);
    assert_eq!(style_of(&yellow, "background-color"), "rgb(255, 243, 196)");
    assert_eq!(style_of(&yellow, "color"), "rgb(17, 17, 17)");
    // The default background goes to the grid, with its readable text colour.
    let style = grid.get_attribute("style").unwrap();
    assert!(
        style.contains("--tulip-cell-bg:#f4f1ea;") && style.contains("--tulip-cell-fg:#111111;")
    );
    assert_eq!(tabbable(&v.root), vec![(0, 0)], "one cell in the tab order");
    v.destroy().await;
}

#[wasm_bindgen_test]
async fn clicks_emit_cell_click_and_read_only_grids_emit_nothing() {
    let v = Viewed::new(json!({"widget_type": "grid", "extra_data": {"width": 4, "height": 3, "on_cell_click": true}})).await;
    cell(&v.root, 3, 2).click();
    cell(&v.root, 0, 1).click();
    settle().await;
    assert_eq!(
        v.take(),
        vec![
            json!({"type": "cell_click", "x": 3, "y": 2}),
            json!({"type": "cell_click", "x": 0, "y": 1})
        ]
    );
    v.destroy().await;

    let ro =
        Viewed::new(json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 2}})).await;
    let grid = ro.root.query_selector("[role=grid]").unwrap().unwrap();
    assert_eq!(grid.get_attribute("aria-readonly").as_deref(), Some("true"));
    cell(&ro.root, 1, 1).click();
    settle().await;
    assert_eq!(ro.take(), Vec::<Value>::new());
    ro.destroy().await;
}

#[wasm_bindgen_test]
async fn text_stays_text() {
    let v = Viewed::new(
        json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 1,
        "cells": [{"x": 1, "y": 0, "content": "<b>bold</b><img src=x onerror=alert(1)>"}]}}),
    )
    .await;
    let c = cell(&v.root, 1, 0);
    assert_eq!(
        c.text_content().as_deref(),
        Some("<b>bold</b><img src=x onerror=alert(1)>")
    );
    assert_eq!(c.child_element_count(), 0, "no element was parsed from it");
    assert_eq!(
        c.get_attribute("aria-label").as_deref(),
        Some("B1, <b>bold</b><img src=x onerror=alert(1)>")
    );
    v.destroy().await;
}

#[wasm_bindgen_test]
async fn coordinates_are_headers_outside_the_cells() {
    let v = Viewed::new(
        json!({"widget_type": "grid", "extra_data": {"width": 3, "height": 2,
        "show_coordinates": true, "on_cell_click": true}}),
    )
    .await;
    let grid = v.root.query_selector("[role=grid]").unwrap().unwrap();
    assert_eq!(grid.get_attribute("aria-rowcount").as_deref(), Some("3"));
    assert_eq!(grid.get_attribute("aria-colcount").as_deref(), Some("4"));
    let heads: Vec<String> = all(&v.root, "[role=columnheader]")
        .iter()
        .map(|h| h.text_content().unwrap_or_default())
        .collect();
    assert_eq!(heads, ["", "A", "B", "C"]);
    let rows: Vec<String> = all(&v.root, "[role=rowheader]")
        .iter()
        .map(|h| h.text_content().unwrap_or_default())
        .collect();
    assert_eq!(rows, ["1", "2"]);
    // Headers are not cells: the cells are still exactly width x height.
    assert_eq!(all(&v.root, "[role=gridcell]").len(), 6);
    // Every row starts with its header, then its cells in order.
    let second = all(&grid, ":scope > [role=row]")[2].clone();
    let kids = second.children();
    assert_eq!(
        kids.item(0).unwrap().get_attribute("role").as_deref(),
        Some("rowheader")
    );
    assert_eq!(pos(&kids.item(1).unwrap()), (0, 1));
    v.destroy().await;
}

#[wasm_bindgen_test]
async fn arrow_keys_move_a_roving_tabindex_and_enter_clicks() {
    let v = Viewed::new(json!({"widget_type": "grid", "extra_data": {"width": 4, "height": 3, "on_cell_click": true}})).await;
    cell(&v.root, 0, 0).focus().unwrap();
    settle().await;
    assert_eq!(focused(), Some((0, 0)));

    press("ArrowRight", false).await;
    assert_eq!(focused(), Some((1, 0)));
    assert_eq!(tabbable(&v.root), vec![(1, 0)]);
    press("ArrowDown", false).await;
    press("ArrowDown", false).await;
    press("ArrowDown", false).await; // stops at the edge
    assert_eq!(focused(), Some((1, 2)));
    press("End", false).await;
    assert_eq!(focused(), Some((3, 2)));
    press("Home", false).await;
    assert_eq!(focused(), Some((0, 2)));
    press("ArrowLeft", false).await; // stops at the edge
    assert_eq!(focused(), Some((0, 2)));
    press("Home", true).await;
    assert_eq!(focused(), Some((0, 0)));
    press("End", true).await;
    assert_eq!(focused(), Some((3, 2)));
    press("PageUp", false).await;
    assert_eq!(focused(), Some((3, 0)));
    assert_eq!(tabbable(&v.root), vec![(3, 0)], "still exactly one");
    assert_eq!(v.take(), Vec::<Value>::new(), "moving clicks nothing");

    press("Enter", false).await;
    press("ArrowLeft", false).await;
    press(" ", false).await;
    assert_eq!(
        v.take(),
        vec![
            json!({"type": "cell_click", "x": 3, "y": 0}),
            json!({"type": "cell_click", "x": 2, "y": 0})
        ]
    );

    // A click moves the tab stop too.
    cell(&v.root, 1, 1).focus().unwrap();
    settle().await;
    assert_eq!(tabbable(&v.root), vec![(1, 1)]);
    v.destroy().await;
}

#[wasm_bindgen_test]
async fn keys_the_widget_binds_are_left_to_the_game() {
    let v = Viewed::new(
        json!({"widget_type": "grid", "extra_data": {"width": 3, "height": 3,
        "keyboard": {"bindings": {"ArrowUp": "up"}}}}),
    )
    .await;
    cell(&v.root, 1, 1).focus().unwrap();
    settle().await;
    press("ArrowUp", false).await;
    assert_eq!(focused(), Some((1, 1)), "ArrowUp is the game's");
    press("ArrowDown", false).await;
    assert_eq!(focused(), Some((1, 2)), "ArrowDown still moves");
    // A read-only grid can still be explored, but Enter clicks nothing.
    press("Enter", false).await;
    assert_eq!(v.take(), Vec::<Value>::new());
    v.destroy().await;
}

#[wasm_bindgen_test]
async fn cells_the_viewer_cannot_click_look_and_read_so() {
    let v = Viewed::with(
        json!({"widget_type": "grid", "extra_data": {"width": 3, "height": 1, "on_cell_click": true,
            "cells": [{"x": 0, "y": 0, "clickable_by": ["bob"]},
                      {"x": 1, "y": 0, "owner": "ann", "content": "A"},
                      {"x": 2, "y": 0, "clickable_by": ["ann"]}]}}),
        |p| WidgetProps {
            user_id: Some("ann".into()),
            ..p
        },
    )
    .await;
    let locked = cell(&v.root, 0, 0);
    assert_eq!(
        locked.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert_eq!(
        locked.get_attribute("aria-label").as_deref(),
        Some("A1, empty, not clickable")
    );
    assert!(locked.class_name().contains("tulip-grid__cell--locked"));
    let mine = cell(&v.root, 1, 0);
    assert_eq!(
        mine.get_attribute("aria-label").as_deref(),
        Some("B1, A, yours")
    );
    assert!(mine.class_name().contains("tulip-grid__cell--mine"));
    let open = cell(&v.root, 2, 0);
    assert_eq!(open.get_attribute("aria-disabled"), None);
    // Only a hint: the click still goes to the server, which decides.
    locked.click();
    settle().await;
    assert_eq!(
        v.take(),
        vec![json!({"type": "cell_click", "x": 0, "y": 0})]
    );
    v.destroy().await;
}

#[wasm_bindgen_test]
async fn updates_patch_only_the_cells_they_change_and_are_announced() {
    let h = Hosted::new(
        json!({"widget_type": "grid", "extra_data": {"width": 3, "height": 3, "on_cell_click": true,
            "cells": [{"x": 0, "y": 0, "content": "O"}]}}),
        1,
    )
    .await;
    let untouched = cell(&h.root, 2, 2);
    untouched.set_attribute("data-mark", "kept").unwrap();
    let target = cell(&h.root, 1, 1);

    h.update(
        2,
        json!({"set_cells": [{"x": 1, "y": 1, "content": "X", "bg": "#000000"}]}),
    )
    .await;
    let now = cell(&h.root, 1, 1);
    assert!(
        now.is_same_node(Some(&target)),
        "patched in place, not replaced"
    );
    assert_eq!(now.text_content().as_deref(), Some("X"));
    assert_eq!(now.get_attribute("aria-label").as_deref(), Some("B2, X"));
    assert_eq!(style_of(&now, "background-color"), "rgb(0, 0, 0)");
    assert_eq!(style_of(&now, "color"), "rgb(255, 255, 255)");
    assert_eq!(
        cell(&h.root, 2, 2).get_attribute("data-mark").as_deref(),
        Some("kept")
    );
    assert_eq!(h.announced(), "X placed at B2");

    h.update(
        3,
        json!({"clear_cells": [{"x": 0, "y": 0}, {"x": 1, "y": 1}]}),
    )
    .await;
    assert_eq!(cell(&h.root, 0, 0).text_content().as_deref(), Some(""));
    let no_style = |el: &Element| el.dyn_ref::<HtmlElement>().map(|h| h.style().length());
    assert_eq!(
        no_style(&cell(&h.root, 1, 1)),
        Some(0),
        "no inline style left"
    );
    assert_eq!(
        cell(&h.root, 1, 1).get_attribute("aria-label").as_deref(),
        Some("B2, empty")
    );
    assert_eq!(h.announced(), "A1 cleared; B2 cleared");

    // The same words again are a change of the live region still: they
    // go into its other text slot, and the first slot is emptied.
    let speaking = |h: &Hosted| {
        let ps = all(&h.root, "[data-testid=announcer] p");
        assert_eq!(ps.len(), 2, "two text slots");
        let full: Vec<&Element> = ps
            .iter()
            .filter(|p| !p.text_content().unwrap_or_default().is_empty())
            .collect();
        assert_eq!(full.len(), 1, "one slot speaks");
        full[0].clone()
    };
    h.update(4, json!({"set_cells": [{"x": 1, "y": 1, "content": "X"}]}))
        .await;
    h.update(
        5,
        json!({"set_cells": [{"x": 1, "y": 1, "content": "X", "bg": "#111111"}]}),
    )
    .await;
    let before = speaking(&h);
    assert_eq!(h.announced(), "B2 changed");
    h.update(
        6,
        json!({"set_cells": [{"x": 1, "y": 1, "content": "X", "bg": "#222222"}]}),
    )
    .await;
    let after = speaking(&h);
    assert_eq!(h.announced(), "B2 changed");
    assert!(!after.is_same_node(Some(&before)), "the other slot");
    assert_eq!(before.text_content().as_deref(), Some(""), "emptied");

    // A replaced widget of another size is rebuilt, with one tab stop.
    h.act(HostAction::Replace {
        version: 7,
        widget: json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 1}}),
    })
    .await;
    assert_eq!(all(&h.root, "[role=gridcell]").len(), 2);
    assert_eq!(tabbable(&h.root), vec![(0, 0)]);
    h.destroy().await;
}

fn predicting() -> Value {
    json!({"widget_type": "grid", "extra_data": {"width": 3, "height": 1, "on_cell_click": true,
        "prediction": {"enabled": true, "cell_click": {"action": "set_content", "value": "X", "style": "pending"}}}})
}

fn is_pending(el: &HtmlElement) -> bool {
    el.get_attribute("data-pending").as_deref() == Some("true")
        && el.class_name().contains("tulip-grid__cell--pending")
        && el
            .get_attribute("aria-label")
            .is_some_and(|l| l.ends_with(", pending"))
}

#[wasm_bindgen_test]
async fn a_predicted_move_shows_pending_at_once_and_the_update_confirms_it() {
    let h = Hosted::new(predicting(), 1).await;
    cell(&h.root, 1, 0).click();
    settle().await;
    let c = cell(&h.root, 1, 0);
    assert_eq!(c.text_content().as_deref(), Some("X"), "shown at once");
    assert!(is_pending(&c));
    assert_eq!(
        c.get_attribute("aria-label").as_deref(),
        Some("B1, X, pending")
    );
    let (seq, sent) = h.sent.borrow()[0].clone();
    assert_eq!(sent, json!({"type": "cell_click", "x": 1, "y": 0}));

    h.act(HostAction::Result {
        client_seq: seq,
        ok: true,
        code: None,
        msg: None,
    })
    .await;
    assert!(is_pending(&cell(&h.root, 1, 0)), "pending until the update");
    h.update(2, json!({"set_cells": [{"x": 1, "y": 0, "content": "X"}]}))
        .await;
    let c = cell(&h.root, 1, 0);
    assert!(!is_pending(&c));
    assert_eq!(c.get_attribute("data-pending"), None);
    assert_eq!(c.text_content().as_deref(), Some("X"), "the content stays");
    assert_eq!(c.get_attribute("aria-label").as_deref(), Some("B1, X"));
    assert!(h
        .root
        .query_selector("[data-testid=notice]")
        .unwrap()
        .is_none());
    h.destroy().await;
}

#[wasm_bindgen_test]
async fn a_refused_prediction_rolls_back_with_a_visible_notice() {
    let h = Hosted::new(predicting(), 1).await;
    // By keyboard this time: Enter is the same interaction as a click.
    cell(&h.root, 2, 0).focus().unwrap();
    settle().await;
    press("Enter", false).await;
    let c = cell(&h.root, 2, 0);
    assert!(is_pending(&c));
    let (seq, _) = h.sent.borrow()[0].clone();
    h.act(HostAction::Result {
        client_seq: seq,
        ok: false,
        code: Some("NOT_YOUR_TURN".into()),
        msg: Some("not your turn".into()),
    })
    .await;
    let c = cell(&h.root, 2, 0);
    assert!(!is_pending(&c));
    assert_eq!(c.text_content().as_deref(), Some(""));
    assert_eq!(c.get_attribute("aria-label").as_deref(), Some("C1, empty"));
    let notice = h
        .root
        .query_selector("[data-testid=notice]")
        .unwrap()
        .expect("a notice");
    assert_eq!(
        notice.text_content().as_deref(),
        Some("Not your turn (move undone)")
    );
    let region = notice.parent_element().unwrap();
    assert_eq!(region.get_attribute("aria-live").as_deref(), Some("polite"));
    assert_eq!(focused(), Some((2, 0)), "focus stays on the cell");
    h.destroy().await;
}

#[wasm_bindgen_test]
async fn live_cells_fade_in_and_cleared_content_fades_out() {
    let h = Hosted::new(
        json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 1,
            "cells": [{"x": 1, "y": 0, "content": "O"}]}}),
        1,
    )
    .await;
    h.update(
        2,
        json!({"set_cells": [{"x": 0, "y": 0, "content": "X", "animate": {"effect": "fade", "duration": 300}}],
               "clear_cells": [{"x": 1, "y": 0, "animate": {"effect": "scale", "duration": 150}}]}),
    )
    .await;
    let set = cell(&h.root, 0, 0);
    assert!(
        set.class_name().contains("tulip-anim--fade-in"),
        "{}",
        set.class_name()
    );
    assert_eq!(style_of(&set, "--tulip-anim-ms"), "300ms");
    let cleared = cell(&h.root, 1, 0);
    assert_eq!(
        cleared.text_content().as_deref(),
        Some(""),
        "cleared at once"
    );
    assert_eq!(cleared.get_attribute("data-ghost").as_deref(), Some("O"));
    assert!(cleared
        .class_name()
        .contains("tulip-grid__cell--leaving-scale"));
    // The next change without a hint drops the animation classes.
    h.update(
        3,
        json!({"set_cells": [{"x": 0, "y": 0, "content": "Y"}, {"x": 1, "y": 0, "content": "Z"}]}),
    )
    .await;
    assert!(!cell(&h.root, 0, 0).class_name().contains("tulip-anim"));
    assert_eq!(cell(&h.root, 1, 0).get_attribute("data-ghost"), None);
    h.destroy().await;

    // Shown from history (not live): no entrance animation.
    let v = Viewed::new(
        json!({"widget_type": "grid", "extra_data": {"width": 1, "height": 1,
        "cells": [{"x": 0, "y": 0, "content": "X"}]}}),
    )
    .await;
    assert!(!cell(&v.root, 0, 0).class_name().contains("tulip-anim"));
    v.destroy().await;
}

#[wasm_bindgen_test]
async fn a_composite_child_grid_names_itself_in_clicks() {
    let v = Viewed::new(
        json!({"widget_type": "composite", "extra_data": {"widgets": [
        {"id": "board", "type": "grid", "width": 2, "height": 2, "on_cell_click": true},
        {"id": "other", "type": "grid", "width": 1, "height": 1, "on_cell_click": true}]}}),
    )
    .await;
    let board = v
        .root
        .query_selector("[data-child=board]")
        .unwrap()
        .unwrap();
    let c: HtmlElement = board
        .query_selector("[data-x='1'][data-y='1']")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    c.focus().unwrap();
    settle().await;
    press("Enter", false).await;
    assert_eq!(
        v.take(),
        vec![json!({"type": "cell_click", "x": 1, "y": 1, "child": "board"})]
    );
    // Each grid keeps its own tab stop.
    assert_eq!(all(&v.root, "[role=gridcell][tabindex='0']").len(), 2);
    v.destroy().await;
}

// ---- speed ------------------------------------------------------------------

/// Lets the scheduler's microtask run (Yew renders in one).
async fn microtask() {
    let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL)).await;
}

/// Waits until `done`: a microtask at a time first (Yew renders in one),
/// then a zero-delay timer at a time (the scheduler yields to the browser
/// after 16 ms of work and goes on in a timer). At most about two seconds.
async fn until(done: impl Fn() -> bool) -> bool {
    for i in 0..1_000 {
        if done() {
            return true;
        }
        if i < 20 {
            microtask().await;
        } else {
            yew::platform::time::sleep(std::time::Duration::ZERO).await;
        }
    }
    done()
}

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

/// A deterministic pseudo-random sequence (no dependency, no flakes).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % u64::from(n)) as u32
    }
}

fn big_grid(n: u32) -> Value {
    let cells: Vec<Value> = (0..n)
        .flat_map(|y| (0..n).map(move |x| (x, y)))
        .filter(|(x, y)| (x + y) % 2 == 0)
        .map(|(x, y)| json!({"x": x, "y": y, "content": "·", "bg": "#eef2ff"}))
        .collect();
    json!({"widget_type": "grid", "extra_data": {"width": n, "height": n, "cell_size": 24,
        "on_cell_click": true, "cells": cells}})
}

fn hundred_cells(rng: &mut Lcg, round: u32) -> Value {
    let colours = ["#ffcdd2", "#c8e6c9", "#bbdefb", "#fff9c4"];
    let cells: Vec<Value> = (0..100)
        .map(|_| (rng.next(100), rng.next(100)))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|(x, y)| {
            let content = ["X", "O"][(round % 2) as usize];
            let bg = colours[(round % 4) as usize];
            json!({"x": x, "y": y, "content": content, "bg": bg})
        })
        .collect();
    json!({"set_cells": cells})
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

/// The same DOM work in plain JavaScript: build 100 rows, the cells of the
/// first `k` with the same attributes (the rows our windowed grid built;
/// the others are empty rows of the same height), then patch the cells of
/// an update in those rows (text, style, label). Returns
/// `[build ms, patch]` where `patch(xy, content, bg)` (the same cells as
/// ours, `[x0, y0, x1, y1, ...]`) returns its ms, layout included, so that
/// the two can run interleaved under the same load.
const VANILLA: &str = r#"
const n = 100, root = document.createElement('div');
root.className = 'tulip-grid'; root.setAttribute('role', 'grid');
root.style.cssText = '--tulip-cols:100;--tulip-cell:24px;';
const wrap = document.createElement('div'); wrap.className = 'tulip-widget';
const scroll = document.createElement('div'); scroll.className = 'tulip-grid-scroll';
scroll.appendChild(root); wrap.appendChild(scroll); document.body.appendChild(wrap);
const cells = [];
let t = performance.now();
for (let y = 0; y < n; y++) {
  const row = document.createElement('div'); row.setAttribute('role', 'row'); row.className = 'tulip-grid__row';
  root.appendChild(row);
  if (y >= k) { row.className += ' tulip-grid__row--unbuilt'; continue; }
  for (let x = 0; x < n; x++) {
    const c = document.createElement('div');
    c.setAttribute('role', 'gridcell'); c.setAttribute('tabindex', '-1'); c.className = 'tulip-grid__cell';
    c.dataset.x = x; c.dataset.y = y; c.dataset.target = x + ',' + y;
    const filled = (x + y) % 2 === 0;
    c.setAttribute('aria-label', String.fromCharCode(65 + x % 26) + (y + 1) + (filled ? ', ·' : ', empty'));
    if (filled) { c.textContent = '·'; c.setAttribute('style', 'background:#eef2ff;color:#111111;'); }
    row.appendChild(c); cells[y * n + x] = c;
  }
}
root.getBoundingClientRect();
const build = performance.now() - t;
const patch = (xy, v, bg) => {
  const t0 = performance.now();
  if (xy === null) { wrap.remove(); return 0; }
  for (let i = 0; i < xy.length; i += 2) {
    const x = xy[i], y = xy[i + 1], c = cells[y * n + x];
    if (!c) continue;
    if (c.firstChild) c.firstChild.data = v; else c.textContent = v;
    c.style.setProperty('background-color', bg); c.style.setProperty('color', '#111111');
    c.setAttribute('aria-label', String.fromCharCode(65 + x % 26) + (y + 1) + ', ' + v);
  }
  root.getBoundingClientRect();
  return performance.now() - t0;
};
return [build, patch];
"#;

/// Prints first-render and update timings of a 100 x 100 grid, ours and a
/// plain-JS baseline's. Asserts only that the DOM followed.
#[wasm_bindgen_test]
async fn timings_of_a_100_by_100_grid() {
    styles();
    let rounds = 60;
    let payload = big_grid(100);
    let mut widget = Rc::new(parse(payload));
    let root = fresh_root();
    root.set_class_name("tulip-widget");
    // First render: the best of three mounts (the machine may be busy).
    let mut firsts = Vec::new();
    let mut mounted = None;
    for _ in 0..3 {
        if let Some(h) = mounted.take() {
            let h: AppHandle<WidgetView> = h;
            h.destroy();
            settle().await;
        }
        let props = WidgetProps::new(widget.clone(), Default::default());
        let t0 = now();
        let h = yew::Renderer::<WidgetView>::with_root_and_props(root.clone(), props).render();
        let last = || {
            root.query_selector("[data-x='99'][data-y='0']")
                .unwrap()
                .is_some()
        };
        assert!(until(last).await, "the grid was drawn");
        let _ = root.get_bounding_client_rect();
        firsts.push(now() - t0);
        mounted = Some(h);
    }
    let mut handle = mounted.unwrap();
    let first = firsts.iter().copied().fold(f64::MAX, f64::min);
    // Windowed: the rows near the view, built now or by the observer.
    settle().await;
    let built = built_rows(&root);
    assert!((1..100).contains(&built), "{built} rows built");
    assert_eq!(all(&root, "[role=gridcell]").len(), 100 * built);

    let f = js_sys::Function::new_with_args("k", VANILLA);
    let js = js_sys::Array::from(
        &f.call1(&JsValue::NULL, &JsValue::from(built as u32))
            .unwrap(),
    );
    let js_build = js.get(0).as_f64().unwrap();
    let js_patch: js_sys::Function = js.get(1).dyn_into().unwrap();
    let mut vanilla = Vec::new();

    let policy = tulip_core::Policy { allow_http: true };
    let mut rng = Lcg(42);
    let (mut apply, mut render, mut layout, mut total) = (vec![], vec![], vec![], vec![]);
    for round in 0..rounds {
        let raw = hundred_cells(&mut rng, round);
        // The baseline first, on the very same cells and values.
        let cells = raw["set_cells"].as_array().unwrap();
        let xy = js_sys::Array::new();
        for c in cells {
            xy.push(&JsValue::from(c["x"].as_u64().unwrap() as u32));
            xy.push(&JsValue::from(c["y"].as_u64().unwrap() as u32));
        }
        let v = JsValue::from_str(cells[0]["content"].as_str().unwrap());
        let bg = JsValue::from_str(cells[0]["bg"].as_str().unwrap());
        let ms = js_patch.call3(&JsValue::NULL, &xy, &v, &bg).unwrap();
        vanilla.push(ms.as_f64().unwrap());

        let t0 = now();
        let u = tulip_core::parse_update(&widget.body, raw).unwrap();
        let next = tulip_core::apply_update(&widget, &u, &policy).unwrap();
        let t1 = now();
        let tulip_core::Update::Grid(ops) = &u else {
            unreachable!()
        };
        widget = Rc::new(next);
        handle.update(WidgetProps {
            update: Some(Rc::new(u.clone())),
            live: true,
            seq: u64::from(round) + 2,
            ..WidgetProps::new(widget.clone(), Default::default())
        });
        // Done when a cell the update changes shows its new content.
        let probe = ops.set_cells.iter().flatten().find_map(|c| {
            let el = maybe_cell(&root, c.x, c.y)?;
            let want = c.content.as_deref().map(str::to_owned);
            (el.text_content() != want).then_some((el, want))
        });
        let Some((el, want)) = probe else {
            continue;
        };
        assert!(
            until(|| el.text_content() == want).await,
            "the DOM followed"
        );
        let ts = now();
        let _ = root.get_bounding_client_rect();
        let t2 = now();
        apply.push(t1 - t0);
        render.push(ts - t1);
        layout.push(t2 - ts);
        total.push(t2 - t0);
    }
    js_patch.call1(&JsValue::NULL, &JsValue::NULL).unwrap();
    handle.destroy();
    microtask().await;
    root.remove();

    console_log!(
        "grid 100x100 (5,000 filled, {built} rows built): first render (best of 3) {first:.1} ms | per 100-cell update: \
         apply p50 {:.2} p95 {:.2}, render p50 {:.2} p95 {:.2}, layout p50 {:.2} p95 {:.2}, total p50 {:.2} p95 {:.2} ms \
         | plain JS: build {js_build:.1} ms, patch p50 {:.2} p95 {:.2} ms",
        pct(&mut apply, 0.5),
        pct(&mut apply, 0.95),
        pct(&mut render, 0.5),
        pct(&mut render, 0.95),
        pct(&mut layout, 0.5),
        pct(&mut layout, 0.95),
        pct(&mut total, 0.5),
        pct(&mut total, 0.95),
        pct(&mut vanilla, 0.5),
        pct(&mut vanilla, 0.95),
    );
}

#[wasm_bindgen_test]
async fn the_grid_samples_parse_and_draw() {
    for (text, cells, heads) in [
        (TICTACTOE, 9, 0),
        (include_str!("../www/samples/grid-coordinates.json"), 64, 9),
        (include_str!("../www/samples/grid-big.json"), 2_400, 61),
    ] {
        let v = Viewed::new(serde_json::from_str(text).unwrap()).await;
        assert_eq!(all(&v.root, "[role=gridcell]").len(), cells);
        assert_eq!(all(&v.root, "[role=columnheader]").len(), heads);
        assert_eq!(tabbable(&v.root).len(), 1);
        v.destroy().await;
    }
    // 100 x 100 with coordinates: windowed, the head row stays.
    let v =
        Viewed::new(serde_json::from_str(include_str!("../www/samples/grid-huge.json")).unwrap())
            .await;
    let built = built_rows(&v.root);
    assert!((1..100).contains(&built), "{built} rows built");
    assert_eq!(all(&v.root, "[role=gridcell]").len(), 100 * built);
    assert_eq!(all(&v.root, "[role=columnheader]").len(), 101);
    assert_eq!(tabbable(&v.root), vec![(0, 0)]);
    let head = v
        .root
        .query_selector(".tulip-grid__row--head")
        .unwrap()
        .unwrap();
    assert_eq!(head.get_attribute("aria-rowindex").as_deref(), Some("1"));
    let row = cell(&v.root, 0, 2).parent_element().unwrap();
    assert_eq!(
        row.get_attribute("aria-rowindex").as_deref(),
        Some("4"),
        "after the head row"
    );
    let rowhead = row.query_selector("[role=rowheader]").unwrap().unwrap();
    assert_eq!(rowhead.text_content().as_deref(), Some("3"));
    v.destroy().await;
}

/// Tic-tac-toe's board is a composite's child: the prediction follows the
/// interaction's `child` into it, and a refusal rolls it back there.
#[wasm_bindgen_test]
async fn a_prediction_in_a_composite_child_shows_and_rolls_back() {
    let board = json!({"id": "board", "type": "grid", "width": 3, "height": 1, "on_cell_click": true,
        "prediction": {"enabled": true, "cell_click": {"action": "set_content", "value": "O", "style": "pending"}}});
    let h = Hosted::new(
        json!({"widget_type": "composite", "extra_data": {"widgets": [
            {"id": "status", "type": "hud", "stats": [{"label": "Turn", "value": "you"}]}, board]}}),
        1,
    )
    .await;
    cell(&h.root, 0, 0).click();
    settle().await;
    let c = cell(&h.root, 0, 0);
    assert_eq!(c.text_content().as_deref(), Some("O"), "shown at once");
    assert!(is_pending(&c));
    let (seq, sent) = h.sent.borrow()[0].clone();
    assert_eq!(
        sent,
        json!({"type": "cell_click", "x": 0, "y": 0, "child": "board"})
    );
    h.act(HostAction::Result {
        client_seq: seq,
        ok: false,
        code: Some("NOT_YOUR_TURN".into()),
        msg: None,
    })
    .await;
    let c = cell(&h.root, 0, 0);
    assert!(!is_pending(&c));
    assert_eq!(c.text_content().as_deref(), Some(""), "rolled back");
    h.destroy().await;
}

// ---- windowed big grids -------------------------------------------------------

fn scroll_box(root: &Element) -> Element {
    root.query_selector(".tulip-grid-scroll").unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn a_big_grid_builds_only_the_rows_near_its_view() {
    let v = Viewed::new(big_grid(100)).await;
    assert!(until(|| maybe_cell(&v.root, 0, 0).is_some()).await);
    let built = built_rows(&v.root);
    assert!((1..60).contains(&built), "{built} of 100 rows built");
    assert!(
        maybe_cell(&v.root, 0, 99).is_none(),
        "the last row is far from the view"
    );
    // Every row is there, built or a placeholder of the same height.
    let rows = all(&v.root, ".tulip-grid__row:not(.tulip-grid__row--head)");
    assert_eq!(rows.len(), 100);
    let unbuilt = all(&v.root, ".tulip-grid__row--unbuilt");
    assert_eq!(unbuilt.len(), 100 - built);
    assert!(unbuilt.iter().all(
        |r| r.get_attribute("aria-hidden").as_deref() == Some("true")
            && r.get_attribute("role").is_none()
    ));
    let row_of = |y: u32| maybe_cell(&v.root, 0, y).unwrap().parent_element().unwrap();
    let h = |e: &Element| e.get_bounding_client_rect().height();
    assert_eq!(
        h(&unbuilt[0]),
        h(&row_of(0)),
        "placeholders keep the box's size"
    );
    // Built rows say where they are (no header row: row y is index y + 1).
    assert_eq!(
        row_of(3).get_attribute("aria-rowindex").as_deref(),
        Some("4")
    );
    assert_eq!(
        v.root
            .query_selector("[role=grid]")
            .unwrap()
            .unwrap()
            .get_attribute("aria-rowcount")
            .as_deref(),
        Some("100")
    );

    // Scrolled to the end, the rows there are built.
    let sb = scroll_box(&v.root);
    sb.set_scroll_top(sb.scroll_height());
    assert!(
        until(|| maybe_cell(&v.root, 50, 99).is_some()).await,
        "the observer built the last row"
    );
    assert_eq!(
        maybe_cell(&v.root, 50, 99)
            .unwrap()
            .get_attribute("aria-label")
            .as_deref(),
        Some("AY100, empty")
    );
    assert_eq!(
        maybe_cell(&v.root, 51, 99)
            .unwrap()
            .text_content()
            .as_deref(),
        Some("·")
    );
    v.destroy().await;
}

#[wasm_bindgen_test]
async fn updates_to_rows_not_built_show_when_they_are() {
    let payload = big_grid(100);
    let mut v = Viewed::new(payload.clone()).await;
    assert!(maybe_cell(&v.root, 1, 98).is_none());
    let w = Rc::new(parse(payload));
    let u = tulip_core::parse_update(
        &w.body,
        json!({"set_cells": [{"x": 1, "y": 98, "content": "Z", "bg": "#ff0000"},
                             {"x": 1, "y": 0, "content": "A"}]}),
    )
    .unwrap();
    let next = Rc::new(tulip_core::apply_update(&w, &u, &tulip_core::Policy::default()).unwrap());
    v.handle.update(WidgetProps {
        update: Some(Rc::new(u)),
        live: true,
        seq: 2,
        ..WidgetProps::new(next, Default::default())
    });
    settle().await;
    assert_eq!(cell(&v.root, 1, 0).text_content().as_deref(), Some("A"));
    assert!(maybe_cell(&v.root, 1, 98).is_none(), "still not built");
    let sb = scroll_box(&v.root);
    sb.set_scroll_top(sb.scroll_height());
    assert!(until(|| maybe_cell(&v.root, 1, 98).is_some()).await);
    let z = cell(&v.root, 1, 98);
    assert_eq!(z.text_content().as_deref(), Some("Z"));
    assert_eq!(z.get_attribute("aria-label").as_deref(), Some("B99, Z"));
    assert_eq!(style_of(&z, "background-color"), "rgb(255, 0, 0)");
    v.destroy().await;
}

#[wasm_bindgen_test]
async fn the_keyboard_reaches_rows_not_built() {
    let v = Viewed::new(big_grid(100)).await;
    cell(&v.root, 0, 0).focus().unwrap();
    settle().await;
    press("End", true).await;
    assert_eq!(
        focused(),
        Some((99, 99)),
        "Ctrl+End: the last cell, built to be focused"
    );
    assert_eq!(tabbable(&v.root), vec![(99, 99)]);
    press("ArrowUp", false).await;
    assert_eq!(focused(), Some((99, 98)));
    press("Home", true).await;
    assert_eq!(focused(), Some((0, 0)));
    assert_eq!(tabbable(&v.root), vec![(0, 0)]);
    v.destroy().await;
}
