//! Browser tests of the lobby widget: who sees which buttons (stranger,
//! member, host), the interactions they send (each checked by the core as
//! the server would, for the same user), and text that stays text.

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{json, Value};
use tulip_widgets::widget::WidgetProps;
use tulip_widgets::WidgetView;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlSelectElement};
use yew::AppHandle;

mod common;

use common::{fresh_root, settle};

wasm_bindgen_test_configure!(run_in_browser);

struct Mounted {
    root: Element,
    handle: AppHandle<WidgetView>,
    widget: Rc<tulip_core::Widget>,
    user: Option<String>,
    sent: Rc<RefCell<Vec<Value>>>,
}

impl Mounted {
    async fn new(extra: Value, user: Option<&str>) -> Mounted {
        let widget = tulip_core::parse_widget_value(
            json!({"widget_type": "lobby", "extra_data": extra}),
            &tulip_core::Policy::default(),
        )
        .expect("a valid lobby");
        let sent: Rc<RefCell<Vec<Value>>> = Rc::default();
        let sink = sent.clone();
        let widget = Rc::new(widget);
        let props = WidgetProps {
            user_id: user.map(str::to_owned),
            ..WidgetProps::new(
                widget.clone(),
                yew::Callback::from(move |v| sink.borrow_mut().push(v)),
            )
        };
        let root = fresh_root();
        let handle = yew::Renderer::<WidgetView>::with_root_and_props(root.clone(), props).render();
        settle().await;
        Mounted {
            root,
            handle,
            widget,
            user: user.map(str::to_owned),
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

    /// The interactions sent so far; the core must accept each from this
    /// viewer (a stranger "99" when the viewer is unknown).
    fn take(&self) -> Vec<Value> {
        let sent = std::mem::take(&mut *self.sent.borrow_mut());
        let user = self.user.clone().unwrap_or_else(|| "99".to_owned());
        for v in &sent {
            let it = tulip_core::parse_interaction(v.clone())
                .unwrap_or_else(|e| panic!("{v} is not well-formed: {e:?}"));
            tulip_core::check_interaction(&self.widget, &user.as_str().into(), &it)
                .unwrap_or_else(|e| panic!("the core refuses {v} from {user}: {e:?}"));
        }
        sent
    }

    async fn destroy(self) {
        self.handle.destroy();
        settle().await;
        self.root.remove();
    }
}

fn lobby(players: Value) -> Value {
    json!({"game": "tictactoe", "status": "waiting", "host": 1, "min_players": 2, "max_players": 3,
        "players": players,
        "settings": {"first": {"label": "Who moves first", "value": "host", "options": ["host", "guest"]},
                     "timer": {"label": "Seconds", "value": 30, "options": [15, 30]},
                     "mode": {"label": "Mode", "value": "classic"}}})
}

fn two() -> Value {
    json!([{"id": 1, "name": "alice", "ready": true}, {"id": "2", "name": "bob"}])
}

#[wasm_bindgen_test]
async fn a_stranger_sees_the_lobby_and_may_join() {
    let m = Mounted::new(lobby(two()), None).await;
    assert_eq!(m.text(".tulip-lobby__game"), "tictactoe");
    assert!(m
        .text("[data-testid=lobby-status]")
        .contains("Waiting for players"));
    assert_eq!(m.text("[data-testid=lobby-count]"), "2 of 2–3 players");
    assert_eq!(m.count(".tulip-lobby__player"), 2);
    let alice = "[data-player-id='1']";
    assert_eq!(m.text(&format!("{alice} .tulip-lobby__name")), "alice");
    assert_eq!(m.count(&format!("{alice} .tulip-lobby__tag--host")), 1);
    assert!(m
        .text(&format!("{alice} .tulip-lobby__ready"))
        .contains("ready"));
    assert!(m
        .text("[data-player-id='2'] .tulip-lobby__ready")
        .contains("not ready"));
    assert_eq!(m.count(".tulip-lobby__tag--you"), 0, "nobody is you");
    // Settings read-only.
    assert_eq!(m.count("select"), 0);
    assert_eq!(m.text("[data-setting=timer]"), "30");
    assert_eq!(m.text("[data-setting=first]"), "host");
    // Join, and nothing a member or host would get.
    assert_eq!(m.count("[data-action]"), 1);
    m.click("[data-action=join]").await;
    assert_eq!(m.take(), vec![json!({"type": "lobby_join"})]);
    m.destroy().await;

    // A full lobby: no Join, it says why.
    let mut full = lobby(two());
    full["max_players"] = json!(2);
    let m = Mounted::new(full, Some("7")).await;
    assert_eq!(m.count("[data-action=join]"), 0);
    assert_eq!(m.text("[data-testid=lobby-note]"), "The lobby is full.");
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn a_member_leaves_and_toggles_ready() {
    let m = Mounted::new(lobby(two()), Some("2")).await;
    assert_eq!(m.count("[data-player-id='2'] .tulip-lobby__tag--you"), 1);
    assert_eq!(m.count("[data-action=join]"), 0);
    assert_eq!(m.count("[data-action=start]"), 0, "only the host starts");
    assert_eq!(m.count("select"), 0, "only the host changes settings");
    let ready = m.one("[data-action=ready]");
    assert_eq!(
        ready.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    m.click("[data-action=ready]").await;
    m.click("[data-action=leave]").await;
    assert_eq!(
        m.take(),
        vec![
            json!({"type": "lobby_ready", "ready": true}),
            json!({"type": "lobby_leave"})
        ]
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn the_host_changes_settings_and_starts_when_all_are_ready() {
    // Host 1 (an integer) is the viewer "1" (text).
    let m = Mounted::new(lobby(two()), Some("1")).await;
    assert_eq!(m.count("[data-player-id='1'] .tulip-lobby__tag--you"), 1);
    let ready = m.one("[data-action=ready]");
    assert_eq!(ready.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(m.count("select"), 2, "settings with options are selects");
    assert_eq!(
        m.text("[data-setting=mode]"),
        "classic",
        "no options: read-only"
    );
    let start = m.one("[data-action=start]");
    assert!(start.has_attribute("disabled"), "bob is not ready");
    assert_eq!(
        m.text("[data-testid=lobby-note]"),
        "Waiting for 1 player to get ready"
    );
    m.click("[data-action=start]").await;
    assert!(m.take().is_empty(), "a disabled Start sends nothing");
    // Pick the second option of each select.
    for key in ["first", "timer"] {
        let sel: HtmlSelectElement = m
            .one(&format!("select[data-setting={key}]"))
            .dyn_into()
            .expect("a select");
        sel.set_value("1");
        let init = EventInit::new();
        init.set_bubbles(true);
        let change = Event::new_with_event_init_dict("change", &init).expect("event");
        sel.dispatch_event(&change).expect("dispatch");
        settle().await;
    }
    assert_eq!(
        m.take(),
        vec![
            json!({"type": "lobby_setting", "key": "first", "value": "guest"}),
            json!({"type": "lobby_setting", "key": "timer", "value": 30}),
        ]
    );
    m.click("[data-action=ready]").await;
    assert_eq!(
        m.take(),
        vec![json!({"type": "lobby_ready", "ready": false})]
    );
    m.destroy().await;

    // Everyone ready: Start is enabled and sends lobby_start.
    let all = json!([{"id": 1, "name": "alice", "ready": true}, {"id": "2", "name": "bob", "ready": true}]);
    let m = Mounted::new(lobby(all), Some("1")).await;
    assert!(!m.one("[data-action=start]").has_attribute("disabled"));
    assert_eq!(m.count("[data-testid=lobby-note]"), 0);
    m.click("[data-action=start]").await;
    assert_eq!(m.take(), vec![json!({"type": "lobby_start"})]);
    m.destroy().await;

    // Too few players: disabled, says how many are missing.
    let m = Mounted::new(lobby(json!([{"id": 1, "ready": true}])), Some("1")).await;
    assert!(m.one("[data-action=start]").has_attribute("disabled"));
    assert_eq!(
        m.text("[data-testid=lobby-note]"),
        "Needs 1 more player to start"
    );
    assert_eq!(
        m.text("[data-player-id='1'] .tulip-lobby__name"),
        "Player 1"
    );
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn a_game_in_progress_offers_no_controls() {
    let mut l = lobby(two());
    l["status"] = json!("in_progress");
    let m = Mounted::new(l, Some("1")).await;
    assert!(m.text("[data-testid=lobby-status]").contains("In progress"));
    assert_eq!(m.count("[data-action]"), 0);
    assert_eq!(m.count("select"), 0);
    m.destroy().await;
}

#[wasm_bindgen_test]
async fn text_stays_text() {
    let l = json!({"game": "<b>chess</b>", "host": "<i>h</i>",
        "players": [{"id": "<i>h</i>", "name": "<img src=x onerror=alert(1)>", "ready": false}],
        "settings": {"k": {"label": "<u>Label</u>", "value": "<s>v</s>", "options": ["<s>v</s>", "w"]}}});
    let m = Mounted::new(l, Some("<i>h</i>")).await;
    assert_eq!(m.text(".tulip-lobby__game"), "<b>chess</b>");
    assert_eq!(m.text(".tulip-lobby__name"), "<img src=x onerror=alert(1)>");
    assert_eq!(m.text(".tulip-lobby__settings dt"), "<u>Label</u>");
    assert_eq!(m.text("select option"), "<s>v</s>");
    assert_eq!(
        m.count(".tulip-lobby b, .tulip-lobby i, .tulip-lobby img, .tulip-lobby u, .tulip-lobby s"),
        0
    );
    // The string id is the host: the host's controls are there.
    assert_eq!(m.count("[data-action=start]"), 1);
    m.destroy().await;
}
