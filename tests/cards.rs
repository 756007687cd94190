//! Browser tests of the cards widget: layouts, faces and backs, clicks,
//! selection, keyboard, and the animations that updates start (flip,
//! appear, ghosts), mounted from payloads and through `WidgetHost`.

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::{json, Value};
use tulip_widgets::host::HostProps;
use tulip_widgets::widget::WidgetProps;
use tulip_widgets::{HostAction, HostState, WidgetHost, WidgetView};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};
use yew::functional::UseReducerDispatcher;
use yew::AppHandle;

mod common;

use common::{fresh_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

fn parse(payload: Value) -> tulip_core::Widget {
    tulip_core::parse_widget_value(payload, &tulip_core::Policy::default())
        .expect("a valid payload")
}

/// A widget mounted from its payload, and the interactions it emitted.
struct Mounted {
    root: Element,
    handle: AppHandle<WidgetView>,
    widget: Rc<tulip_core::Widget>,
    sent: Rc<RefCell<Vec<Value>>>,
}

impl Mounted {
    async fn new(payload: Value) -> Mounted {
        let widget = Rc::new(parse(payload));
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
        }
    }

    /// Renders a new payload in place, as an applied update would.
    async fn update(&mut self, payload: Value) {
        self.widget = Rc::new(parse(payload));
        let sink = self.sent.clone();
        self.handle.update(WidgetProps::new(
            self.widget.clone(),
            yew::Callback::from(move |v| sink.borrow_mut().push(v)),
        ));
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

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector)
        .expect("valid selector")
        .length()
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .collect()
}

fn card(root: &Element, id: &str) -> Element {
    one(root, &format!("[data-card-id='{id}']"))
}

async fn click(root: &Element, id: &str) {
    card(root, id)
        .dyn_into::<HtmlElement>()
        .expect("an HTML element")
        .click();
    settle().await;
}

/// The `translate` and `rotate` of a card's inline style, as numbers.
fn place(el: &Element) -> (f64, f64, f64) {
    let style = el.get_attribute("style").unwrap_or_default();
    let value = |name: &str| -> Vec<f64> {
        style
            .split(';')
            .find_map(|d| d.strip_prefix(&format!("{name}:")))
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|v| {
                v.trim_end_matches("px")
                    .trim_end_matches("deg")
                    .parse()
                    .ok()
            })
            .collect()
    };
    let t = value("translate");
    let r = value("rotate");
    (t[0], t[1], r[0])
}

fn hand(layout: &str, n: usize) -> Value {
    let faces = ["A♠", "K♥", "10♦", "7♣", "2♠", "3♥", "4♦", "5♣", "6♠", "9♥"];
    let cards: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("c{i}"), "face": faces[i % faces.len()]}))
        .collect();
    json!({"widget_type": "cards", "extra_data": {"layout": layout, "on_card_click": true, "cards": cards}})
}

#[wasm_bindgen_test]
async fn a_hand_is_a_row_from_left_to_right() {
    let m = Mounted::new(hand("hand", 4)).await;
    assert_eq!(count(&m.root, ".tulip-cards--hand"), 1);
    let cards = all(&m.root, "button[data-card-id]");
    assert_eq!(cards.len(), 4);
    let places: Vec<_> = cards.iter().map(place).collect();
    for w in places.windows(2) {
        assert!(w[1].0 > w[0].0, "left to right: {places:?}");
        assert_eq!((w[1].1, w[1].2), (w[0].1, 0.0), "one straight row");
    }
    // Every card is a target for emphasis, by its id.
    for (i, c) in cards.iter().enumerate() {
        assert_eq!(c.get_attribute("data-target"), Some(format!("c{i}")));
    }
    let group = one(&m.root, "[role=group]");
    assert_eq!(
        group.get_attribute("aria-label").as_deref(),
        Some("Hand, 4 cards")
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn a_fan_turns_its_cards_about_the_middle() {
    let m = Mounted::new(hand("fan", 5)).await;
    assert_eq!(count(&m.root, ".tulip-cards--fan"), 1);
    let rots: Vec<f64> = all(&m.root, "button[data-card-id]")
        .iter()
        .map(|c| place(c).2)
        .collect();
    assert_eq!(rots.len(), 5);
    assert!(rots[0] < 0.0 && rots[4] > 0.0, "{rots:?}");
    assert!((rots[0] + rots[4]).abs() < 0.01, "symmetric: {rots:?}");
    assert_eq!(rots[2], 0.0);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn a_grid_wraps_into_rows() {
    let m = Mounted::new(hand("grid", 10)).await;
    // A phone-narrow widget: the cards are laid out again for the width
    // measured (4 a row at 300 px).
    m.root.set_attribute("style", "width:300px").expect("style");
    yew::platform::time::sleep(Duration::from_millis(100)).await;
    let ys: std::collections::BTreeSet<i64> = all(&m.root, "button[data-card-id]")
        .iter()
        .map(|c| place(c).1 as i64)
        .collect();
    assert_eq!(ys.len(), 3, "rows of four: {ys:?}");
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn a_pile_offers_only_its_top_card_and_counts_them() {
    let mut m = Mounted::new(hand("pile", 4)).await;
    assert_eq!(count(&m.root, ".tulip-cards--pile"), 1);
    assert_eq!(
        one(&m.root, ".tulip-cards__count")
            .text_content()
            .as_deref(),
        Some("4 cards")
    );
    // Only the top (last) card is reachable.
    for id in ["c0", "c1", "c2"] {
        let c = card(&m.root, id);
        assert_eq!(c.get_attribute("tabindex").as_deref(), Some("-1"));
        assert_eq!(c.get_attribute("aria-hidden").as_deref(), Some("true"));
    }
    let top = card(&m.root, "c3");
    assert_eq!(top.get_attribute("tabindex"), None);
    assert!(top
        .get_attribute("aria-label")
        .unwrap_or_default()
        .contains("top of a pile of 4 cards"));
    click(&m.root, "c1").await;
    assert!(m.take().is_empty(), "a card under the top does nothing");
    click(&m.root, "c3").await;
    assert_eq!(m.take(), vec![json!({"type": "card_click", "id": "c3"})]);
    // The top of a pile changes when cards are added.
    m.update(hand("pile", 5)).await;
    assert_eq!(
        card(&m.root, "c3").get_attribute("tabindex").as_deref(),
        Some("-1")
    );
    assert_eq!(card(&m.root, "c4").get_attribute("tabindex"), None);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn clicks_send_card_click_only_when_asked() {
    let m = Mounted::new(hand("hand", 3)).await;
    click(&m.root, "c1").await;
    assert_eq!(m.take(), vec![json!({"type": "card_click", "id": "c1"})]);
    m.destroy().await;

    let m = Mounted::new(json!({"widget_type": "cards", "extra_data": {
        "cards": [{"id": "a", "face": "A♠"}]}}))
    .await;
    let a = card(&m.root, "a");
    assert_eq!(a.get_attribute("aria-disabled").as_deref(), Some("true"));
    click(&m.root, "a").await;
    assert!(m.take().is_empty(), "switches default off");
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn faces_are_text_with_suits_and_red_is_never_alone() {
    let m = Mounted::new(json!({"widget_type": "cards", "extra_data": {"cards": [
        {"id": "a", "face": "A♠"}, {"id": "h", "face": "10♥"},
        {"id": "x", "face": "<b>bold</b>"}, {"id": "i", "image": "https://example.com/c.png", "face": "Dragon"}]}}))
    .await;
    let a = card(&m.root, "a");
    assert_eq!(
        a.get_attribute("aria-label").as_deref(),
        Some("Ace of spades")
    );
    assert_eq!(
        one(&a, ".tulip-card__corner").text_content().as_deref(),
        Some("A♠")
    );
    assert!(!a.class_list().contains("tulip-card--red"));
    let h = card(&m.root, "h");
    assert!(h.class_list().contains("tulip-card--red"));
    // The suit is drawn as a symbol too, not only as a colour.
    assert_eq!(
        one(&h, ".tulip-card__corner").text_content().as_deref(),
        Some("10♥")
    );
    assert_eq!(
        one(&h, ".tulip-card__pip").text_content().as_deref(),
        Some("♥")
    );
    assert_eq!(
        h.get_attribute("aria-label").as_deref(),
        Some("10 of hearts")
    );
    // Text is text.
    let x = card(&m.root, "x");
    assert_eq!(x.text_content().as_deref(), Some("<b>bold</b>"));
    assert_eq!(count(&x, "b"), 0);
    let img = one(&card(&m.root, "i"), "img");
    assert_eq!(
        img.get_attribute("src").as_deref(),
        Some("https://example.com/c.png")
    );
    assert_eq!(
        one(&card(&m.root, "i"), ".tulip-card__caption")
            .text_content()
            .as_deref(),
        Some("Dragon")
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn face_down_and_hidden_cards_show_a_back_and_no_face() {
    // `f` is face down with a face the owner sent; `h` is redacted the way
    // the server sends another player's hidden card.
    let m = Mounted::new(json!({"widget_type": "cards", "extra_data": {"cards": [
        {"id": "f", "face": "Q♦", "facedown": true},
        {"id": "h", "owner": "bob", "hidden_for_others": true, "facedown": true}]}}))
    .await;
    for id in ["f", "h"] {
        let c = card(&m.root, id);
        assert_eq!(count(&c, ".tulip-card__back"), 1, "{id}: a back");
        assert_eq!(count(&c, ".tulip-card__front"), 0, "{id}: no front");
        assert_eq!(c.text_content().as_deref(), Some(""), "{id}: no face text");
        assert_eq!(
            c.get_attribute("aria-label").as_deref(),
            Some("Face-down card")
        );
        assert!(c.class_list().contains("tulip-card--down"));
    }
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn selection_follows_clicks_up_to_max_select() {
    let mut m = Mounted::new(json!({"widget_type": "cards", "extra_data": {
        "selectable": true, "max_select": 2,
        "cards": [{"id": "a", "face": "A♠"}, {"id": "b", "face": "K♥", "selected": true},
                  {"id": "c", "face": "Q♣"}, {"id": "d", "facedown": true}]}}))
    .await;
    // The payload's selection is the starting one.
    let b = card(&m.root, "b");
    assert_eq!(b.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert!(b.class_list().contains("tulip-card--selected"));
    assert_eq!(
        count(&b, ".tulip-card__check"),
        1,
        "a check mark, not colour alone"
    );
    assert_eq!(
        card(&m.root, "a").get_attribute("aria-pressed").as_deref(),
        Some("false")
    );

    click(&m.root, "a").await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "card_select", "ids": ["a", "b"]})]
    );
    // At the limit, the oldest selected card (b) gives way.
    click(&m.root, "d").await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "card_select", "ids": ["a", "d"]})]
    );
    assert_eq!(
        card(&m.root, "b").get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    assert_eq!(count(&m.root, ".tulip-card--selected"), 2);
    // Clicking a selected card deselects it.
    click(&m.root, "a").await;
    assert_eq!(m.take(), vec![json!({"type": "card_select", "ids": ["d"]})]);

    // The bot changes the flags: the selection follows the payload.
    m.update(json!({"widget_type": "cards", "extra_data": {
        "selectable": true, "max_select": 2,
        "cards": [{"id": "a", "face": "A♠"}, {"id": "b", "face": "K♥"},
                  {"id": "c", "face": "Q♣", "selected": true}, {"id": "d", "facedown": true}]}}))
        .await;
    settle().await;
    let pressed: Vec<String> = all(&m.root, "[aria-pressed=true]")
        .iter()
        .filter_map(|e| e.get_attribute("data-card-id"))
        .collect();
    assert_eq!(pressed, ["c"]);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn max_select_defaults_to_one_and_click_and_select_both_send() {
    let m = Mounted::new(json!({"widget_type": "cards", "extra_data": {
        "selectable": true, "on_card_click": true,
        "cards": [{"id": "a", "face": "A♠"}, {"id": "b", "face": "K♥"}]}}))
    .await;
    click(&m.root, "a").await;
    click(&m.root, "b").await;
    assert_eq!(
        m.take(),
        vec![
            json!({"type": "card_click", "id": "a"}),
            json!({"type": "card_select", "ids": ["a"]}),
            json!({"type": "card_click", "id": "b"}),
            json!({"type": "card_select", "ids": ["b"]}),
        ]
    );
    assert_eq!(count(&m.root, "[aria-pressed=true]"), 1);
    m.destroy().await;
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

fn focused_card() -> Option<String> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|e| e.get_attribute("data-card-id"))
}

#[wasm_bindgen_test]
async fn arrow_keys_move_between_cards() {
    let m = Mounted::new(hand("hand", 3)).await;
    let first = card(&m.root, "c0").dyn_into::<HtmlElement>().expect("html");
    first.focus().expect("focus");
    assert_eq!(
        first.tag_name(),
        "BUTTON",
        "cards are buttons: Enter and Space click"
    );
    key(&first, "ArrowRight").await;
    assert_eq!(focused_card().as_deref(), Some("c1"));
    key(&card(&m.root, "c1"), "End").await;
    assert_eq!(focused_card().as_deref(), Some("c2"));
    key(&card(&m.root, "c2"), "ArrowLeft").await;
    assert_eq!(focused_card().as_deref(), Some("c1"));
    key(&card(&m.root, "c1"), "Home").await;
    assert_eq!(focused_card().as_deref(), Some("c0"));
    m.destroy().await;
}

/// A widget kept by `WidgetHost`, fed updates like the server's events.
struct Hosted {
    root: Element,
    handle: AppHandle<WidgetHost>,
    dispatch: UseReducerDispatcher<HostState>,
    version: u64,
}

impl Hosted {
    async fn new(payload: Value) -> Hosted {
        let slot = Rc::new(RefCell::new(None));
        let d = slot.clone();
        let props = HostProps {
            widget: Rc::new(parse(payload)),
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
        let dispatch = slot
            .borrow()
            .clone()
            .expect("the host hands out its dispatcher");
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
        assert_eq!(
            one(&self.root, ".tulip-host")
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

#[wasm_bindgen_test]
async fn a_card_revealed_by_an_update_flips_once() {
    let mut h = Hosted::new(json!({"widget_type": "cards", "extra_data": {"cards": [
        {"id": "a", "owner": "bob", "hidden_for_others": true, "facedown": true},
        {"id": "b", "face": "2♣"}]}}))
    .await;
    assert_eq!(
        count(&h.root, ".tulip-card--flip"),
        0,
        "nothing flips on mount"
    );
    // The showdown: the server sends the face.
    h.update(json!({"update_card": {"id": "a", "face": "K♥", "facedown": false}}))
        .await;
    let a = card(&h.root, "a");
    assert!(
        a.class_list().contains("tulip-card--flip"),
        "the revealed card flips"
    );
    // Both sides are there while it turns; the face is the front.
    assert_eq!(count(&a, ".tulip-card__front"), 1);
    assert_eq!(count(&a, ".tulip-card__back"), 1);
    assert_eq!(
        a.get_attribute("aria-label").as_deref(),
        Some("King of hearts")
    );
    assert!(!card(&h.root, "b").class_list().contains("tulip-card--flip"));
    // The next version reveals nothing: the flip is over.
    h.update(json!({"reorder": ["b", "a"]})).await;
    let a = card(&h.root, "a");
    assert!(!a.class_list().contains("tulip-card--flip"));
    assert_eq!(count(&a, ".tulip-card__back"), 0);
    h.destroy().await;
}

#[wasm_bindgen_test]
async fn added_cards_appear_and_removed_ones_fade_as_ghosts() {
    let mut h = Hosted::new(json!({"widget_type": "cards", "extra_data": {"cards": [
        {"id": "a", "face": "A♠"}, {"id": "b", "face": "B"}]}}))
    .await;
    h.update(json!({"add_cards": [{"id": "n", "face": "N", "animate": {"effect": "scale", "duration": 400}}]}))
        .await;
    let n = card(&h.root, "n");
    assert!(n.class_list().contains("tulip-anim--scale-in"));
    assert!(n
        .get_attribute("style")
        .unwrap_or_default()
        .contains("--tulip-anim-ms:400ms"));

    h.update(
        json!({"remove_cards": {"ids": ["b"], "animate": {"effect": "fade", "duration": 300}}}),
    )
    .await;
    assert_eq!(count(&h.root, "[data-card-id='b']"), 0, "no longer a card");
    let ghost = one(&h.root, "[data-ghost-id='b']");
    assert!(ghost.class_list().contains("tulip-anim--fade-out"));
    assert_eq!(ghost.get_attribute("aria-hidden").as_deref(), Some("true"));
    assert_eq!(
        ghost.get_attribute("data-target"),
        None,
        "not an emphasis target"
    );
    assert_eq!(ghost.text_content().as_deref(), Some("B"));
    // It goes away once faded (polled, generous bound).
    let mut gone = false;
    for _ in 0..60 {
        yew::platform::time::sleep(Duration::from_millis(50)).await;
        if count(&h.root, "[data-ghost-id]") == 0 {
            gone = true;
            break;
        }
    }
    assert!(gone, "the ghost is removed after its fade");

    // Without an effect, a removed card is simply gone.
    h.update(json!({"remove_cards": ["a"]})).await;
    assert_eq!(count(&h.root, "[data-ghost-id]"), 0);
    assert_eq!(count(&h.root, "[data-card-id='a']"), 0);
    h.destroy().await;
}

#[wasm_bindgen_test]
async fn emphasis_finds_a_card_by_its_id() {
    let m = Mounted::new(hand("fan", 3)).await;
    let update = tulip_core::parse_update(
        &m.widget.body,
        json!({"emphasize": [{"target": "c1", "effect": "pulse"}]}),
    )
    .expect("an update");
    let animated = tulip_widgets::anim::play_emphases(&m.root, &update);
    assert_eq!(animated, u32::from(!tulip_widgets::anim::reduced_motion()));
    m.destroy().await;
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Figures, not assertions on time: how long 500 cards (the contract's
/// limit) take to mount and to redraw after a click on one.
#[wasm_bindgen_test]
async fn figures_for_a_hand_of_500_cards() {
    let t0 = now();
    let m = Mounted::new(json!({"widget_type": "cards", "extra_data": {
        "layout": "hand", "selectable": true,
        "cards": (0..500).map(|i| json!({"id": format!("c{i}"), "face": "7♣"})).collect::<Vec<_>>()}}))
    .await;
    let mounted = now() - t0 - 10.0; // less the settle() sleep
    assert_eq!(count(&m.root, "button[data-card-id]"), 500);
    let t1 = now();
    card(&m.root, "c250")
        .dyn_into::<HtmlElement>()
        .expect("html")
        .click();
    yew::platform::time::sleep(Duration::ZERO).await;
    let clicked = now() - t1;
    settle().await;
    let t2 = now();
    card(&m.root, "c100")
        .dyn_into::<HtmlElement>()
        .expect("html")
        .click();
    yew::platform::time::sleep(Duration::ZERO).await;
    let again = now() - t2;
    settle().await;
    assert_eq!(
        m.take(),
        vec![
            json!({"type": "card_select", "ids": ["c250"]}),
            json!({"type": "card_select", "ids": ["c100"]})
        ]
    );
    wasm_bindgen_test::console_log!(
        "FIGURE cards: 500-card hand mounted in {mounted:.1} ms; a selection click redrawn in {clicked:.1} ms, the next in {again:.1} ms"
    );
    m.destroy().await;
}
