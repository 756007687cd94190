//! Browser tests of the map widget: only the viewport's tiles are in the
//! DOM, fog of war hides what is unexplored, clicks report world
//! coordinates after panning by keys and by pointer drag, and updates
//! (set_center, reveal, move_marker) reach the DOM through the host.

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

/// The widget styles, so that the layout is the real one.
fn styles() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if doc.get_element_by_id("map-test-css").is_some() {
        return;
    }
    let style = doc.create_element("style").expect("<style>");
    style.set_id("map-test-css");
    style.set_text_content(Some(concat!(
        include_str!("../www/style.css"),
        include_str!("../www/map.css")
    )));
    doc.head()
        .expect("<head>")
        .append_child(&style)
        .expect("append");
}

struct Mounted {
    root: Element,
    handle: AppHandle<WidgetView>,
    widget: Rc<tulip_core::Widget>,
    sent: Rc<RefCell<Vec<Value>>>,
}

impl Mounted {
    async fn new(extra: Value) -> Mounted {
        styles();
        let widget = tulip_core::parse_widget_value(
            json!({"widget_type": "map", "extra_data": extra}),
            &tulip_core::Policy::default(),
        )
        .expect("a valid map");
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
        one(&self.root, selector)
    }

    fn count(&self, selector: &str) -> u32 {
        self.root
            .query_selector_all(selector)
            .expect("valid selector")
            .length()
    }

    fn tile(&self, x: u32, y: u32) -> Element {
        self.one(&format!("[role=gridcell][data-x='{x}'][data-y='{y}']"))
    }

    async fn click(&self, el: &Element) {
        el.clone()
            .dyn_into::<HtmlElement>()
            .expect("an HTML element")
            .click();
        settle().await;
    }

    /// The interactions sent so far, each checked by the core as the server
    /// would.
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
    }
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

/// The world coordinates of every tile in the DOM.
fn tile_coords(root: &Element) -> Vec<(u32, u32)> {
    let list = root
        .query_selector_all("[role=gridcell]")
        .expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .map(|e| {
            let n = |a: &str| {
                e.get_attribute(a)
                    .and_then(|v| v.parse().ok())
                    .expect("a coordinate")
            };
            (n("data-x"), n("data-y"))
        })
        .collect()
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

async fn pointer(target: &Element, kind: &str, x: f64, y: f64) {
    let init = PointerEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_pointer_id(1);
    init.set_is_primary(true);
    init.set_pointer_type("mouse");
    init.set_button(0);
    init.set_buttons(u16::from(kind != "pointerup"));
    init.set_client_x(x.round() as i32);
    init.set_client_y(y.round() as i32);
    let event = PointerEvent::new_with_event_init_dict(kind, &init).expect("event");
    target.dispatch_event(&event).expect("dispatch");
    settle().await;
}

/// Waits (by polling, not by a fixed time) until `cond` holds; fails after
/// 5 s.
async fn until(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..500 {
        if cond() {
            return;
        }
        settle().await;
    }
    panic!("timed out waiting for {what}");
}

fn attr(el: &Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_huge_world_renders_only_the_viewport() {
    let m = Mounted::new(json!({"width": 1024, "height": 1024,
        "viewport": {"width": 10, "height": 8}, "center": {"x": 500, "y": 300},
        "terrain_styles": {"water": {"bg": "#1e88e5", "content": "~"}},
        "tiles": [{"x": 500, "y": 300, "terrain": "water"}, {"x": 0, "y": 0, "terrain": "water"}]}))
    .await;
    assert_eq!(
        m.count("[role=gridcell]"),
        80,
        "10 x 8 tiles, not a million"
    );
    assert_eq!(m.count("[role=row]"), 8);
    let coords = tile_coords(&m.root);
    assert_eq!(coords.first(), Some(&(495, 296)));
    assert_eq!(coords.last(), Some(&(504, 303)));
    let grid = m.one("[role=grid]");
    assert_eq!(
        attr(&grid, "aria-label"),
        "Map, 1024 by 1024, showing 10 by 8 around (500, 300)"
    );
    assert_eq!(attr(&grid, "tabindex"), "0");
    assert_eq!(attr(&grid, "aria-colcount"), "1024");
    // Terrain: colour, content, name; no tile: the default ground.
    let water = m.tile(500, 300);
    assert_eq!(water.text_content().as_deref(), Some("~"));
    assert!(attr(&water, "style").contains("background:#1e88e5"));
    assert_eq!(attr(&water, "aria-label"), "water, (500, 300)");
    assert_eq!(attr(&water, "data-target"), "500,300");
    let ground = m.tile(501, 300);
    assert!(ground.class_list().contains("tulip-map__tile--ground"));
    assert_eq!(attr(&ground, "aria-label"), "ground, (501, 300)");
    // Not scrollable by default: no recentre button, keys stop at the edge.
    assert_eq!(m.count(".tulip-map__recenter"), 0);
    for _ in 0..8 {
        key(&grid, "ArrowRight").await;
    }
    assert_eq!(tile_coords(&m.root).first(), Some(&(495, 296)), "no pan");
    // Tile clicks are off by default: nothing is clickable.
    m.click(&water).await;
    assert!(m.take().is_empty());
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn fog_hides_unexplored_tiles_and_their_markers() {
    let m = Mounted::new(
        json!({"width": 6, "height": 4, "viewport": {"width": 6, "height": 4},
        "terrain_styles": {"grass": {"bg": "#4caf50", "content": "\"<b>"}},
        "tiles": [{"x": 0, "y": 0, "terrain": "grass"}, {"x": 5, "y": 3, "terrain": "grass"}],
        "fog_of_war": true, "explored": [{"x": 0, "y": 0}, {"x": 1, "y": 0}],
        "markers": [{"id": "hero", "x": 1, "y": 0, "icon": "🧙", "label": "<i>You</i>"},
                    {"id": "orc", "x": 5, "y": 3, "icon": "👹", "label": "Orc"}],
        "on_tile_click": true, "on_marker_click": true}),
    )
    .await;
    assert_eq!(m.count("[role=gridcell]"), 24);
    assert_eq!(m.count(".tulip-map__tile--fog"), 22);
    let seen = m.tile(0, 0);
    assert_eq!(
        seen.text_content().as_deref(),
        Some("\"<b>"),
        "text stays text"
    );
    assert_eq!(m.count(".tulip-map b, .tulip-map i"), 0);
    let fog = m.tile(5, 3);
    assert!(fog.class_list().contains("tulip-map__tile--fog"));
    assert_eq!(fog.text_content().as_deref(), Some(""));
    assert_eq!(attr(&fog, "aria-label"), "unexplored, (5, 3)");
    assert!(!attr(&fog, "style").contains("background"));
    assert_eq!(fog.get_attribute("data-clickable"), None);
    // The orc stands in fog: not drawn. The hero is, and named on its tile.
    assert_eq!(m.count("[data-marker-id=orc]"), 0);
    assert_eq!(m.count("[data-marker-id=hero]"), 1);
    assert_eq!(
        attr(&m.tile(1, 0), "aria-label"),
        "ground, (1, 0), with <i>You</i>"
    );
    // A fogged tile does not click; an explored one does.
    m.click(&fog).await;
    assert!(m.take().is_empty());
    m.click(&seen).await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "tile_click", "x": 0, "y": 0})]
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn fog_of_war_without_explored_shows_nothing() {
    let m = Mounted::new(
        json!({"width": 3, "height": 2, "viewport": {"width": 3, "height": 2},
        "fog_of_war": true, "markers": [{"id": "a", "x": 1, "y": 1, "icon": "A"}]}),
    )
    .await;
    assert_eq!(m.count(".tulip-map__tile--fog"), 6);
    assert_eq!(m.count("[data-marker-id]"), 0);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn keys_pan_and_enter_clicks_in_world_coordinates() {
    let m = Mounted::new(
        json!({"width": 32, "height": 32, "viewport": {"width": 10, "height": 8},
        "center": {"x": 5, "y": 4}, "scrollable": true, "on_tile_click": true}),
    )
    .await;
    let grid = m.one("[role=grid]");
    assert_eq!(tile_coords(&m.root).first(), Some(&(0, 0)));
    // The cursor starts on the centre and walks right; past the view's edge
    // the view follows.
    for _ in 0..7 {
        key(&grid, "ArrowRight").await;
    }
    key(&grid, "ArrowDown").await;
    assert_eq!(
        tile_coords(&m.root).first(),
        Some(&(3, 0)),
        "panned 3 right"
    );
    assert_eq!(m.count("[role=gridcell]"), 80);
    assert!(attr(&grid, "aria-label").ends_with("around (8, 4)"));
    let cursor = m.one(".tulip-map__tile--cursor");
    assert_eq!(
        (attr(&cursor, "data-x"), attr(&cursor, "data-y")),
        ("12".into(), "5".into())
    );
    assert_eq!(attr(&grid, "aria-activedescendant"), attr(&cursor, "id"));
    key(&grid, "Enter").await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "tile_click", "x": 12, "y": 5})]
    );
    // The top-left tile on screen is world (3, 0).
    let first = m.one("[role=gridcell]");
    m.click(&first).await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "tile_click", "x": 3, "y": 0})]
    );
    // Recentre returns to the server's centre (instantly with reduced
    // motion, else smoothly: wait for it).
    let recenter = m.one(".tulip-map__recenter");
    assert_eq!(recenter.get_attribute("disabled"), None);
    m.click(&recenter).await;
    until("the view back at (0, 0)", || {
        tile_coords(&m.root).first() == Some(&(0, 0)) && m.count("[role=gridcell]") == 80
    })
    .await;
    assert!(m
        .one(".tulip-map__recenter")
        .get_attribute("disabled")
        .is_some());
    // Home does the same after a pan.
    for _ in 0..7 {
        key(&grid, "ArrowRight").await;
    }
    assert_eq!(tile_coords(&m.root).first(), Some(&(3, 0)));
    key(&grid, "Home").await;
    until("Home recentres", || {
        tile_coords(&m.root).first() == Some(&(0, 0))
    })
    .await;
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn a_pointer_drag_pans_and_does_not_click() {
    let m = Mounted::new(
        json!({"width": 32, "height": 32, "viewport": {"width": 10, "height": 8},
        "center": {"x": 5, "y": 4}, "scrollable": true, "on_tile_click": true}),
    )
    .await;
    let grid = m.one("[role=grid]");
    let rect = grid.get_bounding_client_rect();
    let tile = rect.width() / 10.0;
    assert!(tile > 4.0, "tiles have a size: {tile}");
    let start = m.tile(5, 4);
    let r = start.get_bounding_client_rect();
    let (x, y) = (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0);
    // Drag the world 3 tiles left and 2 up: the view moves right and down.
    pointer(&start, "pointerdown", x, y).await;
    pointer(&start, "pointermove", x - tile, y).await;
    pointer(&start, "pointermove", x - 3.0 * tile, y - 2.0 * tile).await;
    pointer(&start, "pointerup", x - 3.0 * tile, y - 2.0 * tile).await;
    // The click that ends a drag is not a tile click.
    m.click(&start).await;
    assert!(m.take().is_empty(), "a drag must not click");
    assert_eq!(tile_coords(&m.root).first(), Some(&(3, 2)));
    assert_eq!(m.count("[role=gridcell]"), 80, "snapped to whole tiles");
    // A press without moving is a click, in world coordinates.
    let t = m.tile(3, 2);
    let r = t.get_bounding_client_rect();
    let (x, y) = (r.left() + 2.0, r.top() + 2.0);
    pointer(&t, "pointerdown", x, y).await;
    pointer(&t, "pointerup", x, y).await;
    m.click(&t).await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "tile_click", "x": 3, "y": 2})]
    );
    // Dragging past the world's corner stops there.
    let t = m.tile(5, 5);
    pointer(&t, "pointerdown", 10.0, 10.0).await;
    pointer(&t, "pointermove", 10.0 + 50.0 * tile, 10.0 + 50.0 * tile).await;
    pointer(&t, "pointerup", 10.0 + 50.0 * tile, 10.0 + 50.0 * tile).await;
    assert_eq!(tile_coords(&m.root).first(), Some(&(0, 0)));
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn markers_click_and_carry_their_targets() {
    let m = Mounted::new(
        json!({"width": 8, "height": 8, "viewport": {"width": 8, "height": 8},
        "markers": [{"id": "chest", "x": 2, "y": 3, "icon": "🧰", "label": "Chest"},
                    {"id": "x", "x": 4, "y": 4}],
        "on_marker_click": true, "on_tile_click": true}),
    )
    .await;
    let chest = m.one("[data-marker-id=chest]");
    assert_eq!(chest.tag_name(), "BUTTON", "keyboard reachable");
    assert_eq!(attr(&chest, "data-target"), "chest");
    assert_eq!(attr(&chest, "aria-label"), "Chest, at (2, 3)");
    assert_eq!(attr(&chest, "title"), "Chest");
    assert_eq!(chest.text_content().as_deref(), Some("🧰"));
    // A marker without icon or label shows its id's first letter.
    assert_eq!(
        m.one("[data-marker-id=x]").text_content().as_deref(),
        Some("x")
    );
    m.click(&chest).await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "marker_click", "id": "chest"})]
    );
    m.destroy().await;

    // Marker clicks off: the marker is a picture, the tile under it clicks.
    let m = Mounted::new(
        json!({"width": 8, "height": 8, "viewport": {"width": 8, "height": 8},
        "markers": [{"id": "chest", "x": 2, "y": 3, "icon": "🧰"}], "on_tile_click": true}),
    )
    .await;
    assert_eq!(m.one("[data-marker-id=chest]").tag_name(), "DIV");
    assert_eq!(m.count("button[data-marker-id]"), 0);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn tiles_shrink_to_fit_a_narrow_phone() {
    let m =
        Mounted::new(json!({"width": 32, "height": 32, "viewport": {"width": 12, "height": 9}}))
            .await;
    m.root
        .set_attribute("style", "width: 300px")
        .expect("style");
    settle().await;
    let stack = m.one(".tulip-map__stack").get_bounding_client_rect();
    assert!(stack.width() <= 300.5, "{}", stack.width());
    let tile = m.one("[role=gridcell]").get_bounding_client_rect();
    assert!(
        (tile.width() * 12.0 - stack.width()).abs() < 2.0,
        "{} x 12 vs {}",
        tile.width(),
        stack.width()
    );
    assert!((tile.height() - tile.width()).abs() < 1.0, "square tiles");
    m.destroy().await;
}

// ---- updates through the host --------------------------------------------------

use tulip_widgets::host::HostProps;
use tulip_widgets::{HostAction, HostState, WidgetHost};
use yew::functional::UseReducerDispatcher;

struct Hosted {
    root: Element,
    handle: AppHandle<WidgetHost>,
    dispatch: UseReducerDispatcher<HostState>,
    version: u64,
}

impl Hosted {
    async fn new(extra: Value) -> Hosted {
        styles();
        let widget = tulip_core::parse_widget_value(
            json!({"widget_type": "map", "extra_data": extra}),
            &tulip_core::Policy::default(),
        )
        .expect("a valid map");
        let dispatcher = Rc::new(RefCell::new(None));
        let d = dispatcher.clone();
        let props = HostProps {
            widget: Rc::new(widget),
            version: 1,
            on_interaction: Default::default(),
            on_ready: yew::Callback::from(move |x| *d.borrow_mut() = Some(x)),
            on_stale: Default::default(),
            user_id: None,
            live: true,
            clock_offset_ms: 0.0,
            send: None,
            connection: None,
        };
        let root = fresh_root();
        let handle = yew::Renderer::<WidgetHost>::with_root_and_props(root.clone(), props).render();
        settle().await;
        let dispatch = dispatcher.borrow().clone().expect("the host's dispatcher");
        Hosted {
            root,
            handle,
            dispatch,
            version: 1,
        }
    }

    async fn update(&mut self, update: Value) {
        self.version += 1;
        self.dispatch.dispatch(HostAction::Update {
            version: self.version,
            update,
        });
        settle().await;
        let host = one(&self.root, ".tulip-host");
        assert_eq!(
            attr(&host, "data-version"),
            self.version.to_string(),
            "the update applied"
        );
    }

    async fn destroy(self) {
        self.handle.destroy();
        settle().await;
        self.root.remove();
    }
}

#[wasm_bindgen_test]
async fn set_center_recentres_the_view() {
    let mut h = Hosted::new(
        json!({"width": 32, "height": 32, "viewport": {"width": 10, "height": 8},
        "center": {"x": 5, "y": 4}}),
    )
    .await;
    assert_eq!(tile_coords(&h.root).first(), Some(&(0, 0)));
    h.update(json!({"set_center": {"x": 20, "y": 20}})).await;
    let grid = one(&h.root, "[role=grid]");
    assert!(attr(&grid, "aria-label").ends_with("around (20, 20)"));
    let root = h.root.clone();
    until("the view centred on (20, 20)", || {
        tile_coords(&root).first() == Some(&(15, 16))
            && root
                .query_selector_all("[role=gridcell]")
                .map(|l| l.length())
                .ok()
                == Some(80)
    })
    .await;
    // At the world's edge the view is clamped.
    h.update(json!({"set_center": {"x": 31, "y": 0}})).await;
    let root = h.root.clone();
    until("the view at the top-right corner", || {
        tile_coords(&root).first() == Some(&(22, 0))
    })
    .await;
    h.destroy().await;
}

#[wasm_bindgen_test]
async fn reveal_uncovers_tiles_and_markers_move() {
    let mut h = Hosted::new(
        json!({"width": 6, "height": 4, "viewport": {"width": 6, "height": 4},
        "terrain_styles": {"water": {"bg": "#1e88e5", "content": "~"}},
        "tiles": [{"x": 3, "y": 2, "terrain": "water"}],
        "fog_of_war": true, "explored": [{"x": 0, "y": 0}],
        "markers": [{"id": "hero", "x": 0, "y": 0, "icon": "🧙", "label": "You"}]}),
    )
    .await;
    let tile = |root: &Element, x: u32, y: u32| {
        one(
            root,
            &format!("[role=gridcell][data-x='{x}'][data-y='{y}']"),
        )
    };
    assert!(tile(&h.root, 3, 2)
        .class_list()
        .contains("tulip-map__tile--fog"));
    h.update(json!({"reveal": [{"x": 3, "y": 2}, {"x": 1, "y": 0}]}))
        .await;
    let water = tile(&h.root, 3, 2);
    assert!(!water.class_list().contains("tulip-map__tile--fog"));
    assert_eq!(water.text_content().as_deref(), Some("~"));
    assert_eq!(attr(&water, "aria-label"), "water, (3, 2)");
    // The hero walks into the revealed tile, smoothly.
    let left = |root: &Element| attr(&one(root, "[data-marker-id=hero]"), "style");
    let before = left(&h.root);
    h.update(json!({"move_marker": {"id": "hero", "x": 3, "y": 2, "animate": {"duration": 200}}}))
        .await;
    let root = h.root.clone();
    // 3 / 6 columns: left 50%, top 2 / 4 rows: 50%.
    until("the hero at (3, 2)", || {
        left(&root).starts_with("left:50.0000%;top:50.0000%")
    })
    .await;
    assert_ne!(before, left(&h.root));
    assert!(attr(&tile(&h.root, 3, 2), "aria-label").ends_with("with You"));
    // Into fog: the marker is hidden.
    h.update(json!({"move_marker": {"id": "hero", "x": 5, "y": 3}}))
        .await;
    assert_eq!(
        h.root
            .query_selector_all("[data-marker-id=hero]")
            .map(|l| l.length())
            .ok(),
        Some(0)
    );
    h.destroy().await;
}

/// Not a timed assertion: prints how long a 32 x 32 view of a full-size
/// world (100,000 tiles, 1,000 markers) takes to mount and to pan one tile,
/// for the docs' figures.
#[wasm_bindgen_test]
async fn a_full_size_world_mounts_and_pans() {
    let tiles: Vec<Value> = (0..100_000u32)
        .map(|i| json!({"x": i % 1024, "y": i / 1024, "terrain": if i % 7 == 0 { "water" } else { "grass" }}))
        .collect();
    let markers: Vec<Value> = (0..1000u32)
        .map(|i| json!({"id": format!("m{i}"), "x": (i * 37) % 1024, "y": (i * 11) % 98, "icon": "•"}))
        .collect();
    let perf = web_sys::window()
        .and_then(|w| w.performance())
        .expect("performance");
    let t0 = perf.now();
    let m = Mounted::new(json!({"width": 1024, "height": 1024,
        "viewport": {"width": 32, "height": 32}, "center": {"x": 500, "y": 50},
        "terrain_styles": {"water": {"bg": "#1e88e5", "content": "~"}, "grass": {"bg": "#4caf50"}},
        "tiles": tiles, "markers": markers, "scrollable": true}))
    .await;
    let mounted = perf.now() - t0;
    assert_eq!(m.count("[role=gridcell]"), 1024);
    let grid = m.one("[role=grid]");
    // Walk the cursor to the view's edge first, then time pans: from the
    // key to the DOM showing the new column (polled without delay).
    for _ in 0..15 {
        key(&grid, "ArrowRight").await;
    }
    let n = 20u32;
    let (mut yew_ms, mut frame_ms) = (0.0, 0.0);
    for i in 1..=n {
        let init = KeyboardEventInit::new();
        init.set_key("ArrowRight");
        init.set_bubbles(true);
        let event =
            KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
        let t1 = perf.now();
        grid.dispatch_event(&event).expect("dispatch");
        // Yew renders in microtasks (and may yield to a task): poll.
        for j in 0..10_000 {
            if attr(&m.one("[role=gridcell]"), "data-x") == (484 + i).to_string() {
                break;
            }
            if j < 100 {
                let tick = js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL);
                let _ = wasm_bindgen_futures::JsFuture::from(tick).await;
            } else {
                yew::platform::time::sleep(std::time::Duration::ZERO).await;
            }
        }
        yew_ms += perf.now() - t1;
        // Then the browser's style, layout and paint: the next frame.
        let frame = js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window()
                .expect("window")
                .request_animation_frame(&resolve);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
        frame_ms += perf.now() - t1;
        settle().await;
    }
    let per_pan = yew_ms / f64::from(n);
    let to_frame = frame_ms / f64::from(n);
    assert_eq!(tile_coords(&m.root).first(), Some(&(484 + n, 34)));
    wasm_bindgen_test::console_log!(
        "map 32x32 of 1024x1024 (100k tiles, 1k markers): mount {mounted:.0} ms (incl. parse), pan: renderer {per_pan:.1} ms, to the next frame {to_frame:.1} ms"
    );
    m.destroy().await;
}
