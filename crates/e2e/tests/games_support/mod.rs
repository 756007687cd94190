//! Helpers shared by the `games_*` end-to-end tests: starting a game from
//! the compose box, clicking and waiting for the server's next version,
//! real pointer clicks at a point of an element (canvas sprites), the
//! server's view of a widget, theme and width emulation, and optional
//! screenshots (`TULIP_E2E_SHOTS=dir`).

#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::{json, Value};
use tulip_e2e::{host_css, wait_ok, Browser, Harness, Server, Transport, DEFAULT_TIMEOUT};

/// Two players in a fresh topic: alice on WebSocket, bob on long-poll (so
/// every game is played over both transports).
pub struct Table {
    // Fields drop in order: the sessions first (on a panic they save a
    // screenshot, which needs chromedriver and the server still up).
    pub alice: std::rc::Rc<Browser>,
    pub bob: std::rc::Rc<Browser>,
    pub alice_key: String,
    pub bob_key: String,
    pub alice_id: i64,
    pub bob_id: i64,
    pub topic: String,
    pub h: Harness,
}

impl Table {
    pub fn new(test: &str, tag: &str) -> Table {
        let h = Harness::new(test);
        let topic = h.unique_topic(tag);
        let alice = h.browser("alice");
        let bob = h.browser("bob");
        alice.open_chat(&h.server, "alice", &topic, Transport::WebSocket);
        bob.open_chat(&h.server, "bob", &topic, Transport::LongPoll);
        let (alice_id, alice_key) = h.server.dev_login("alice");
        let (bob_id, bob_key) = h.server.dev_login("bob");
        Table {
            alice,
            bob,
            alice_key,
            bob_key,
            alice_id,
            bob_id,
            topic,
            h,
        }
    }

    pub fn both(&self) -> [&Browser; 2] {
        [&*self.alice, &*self.bob]
    }

    pub fn server(&self) -> &Server {
        &self.h.server
    }

    /// `who` sends `command`; waits until both pages show a message whose
    /// widget holds `css` and returns its id.
    pub fn start(&self, who: &Browser, command: &str, css: &str) -> String {
        let before = last_message_id(who);
        who.send_message(command);
        let id = wait_new_message_with(who, before, css);
        for b in self.both() {
            let seen = wait_new_message_with(b, before, css);
            assert_eq!(seen, id, "[{}] the game's message", b.name);
        }
        id
    }

    /// The widget as the user with `key` is shown it by the server.
    pub fn widget(&self, key: &str, game: &str) -> Value {
        self.server().api_get(key, &format!("/messages/{game}"))["message"]["widget"].clone()
    }

    /// The server's version of the widget.
    pub fn version(&self, game: &str) -> u64 {
        self.server()
            .api_get(&self.alice_key, &format!("/messages/{game}"))["message"]["version"]
            .as_u64()
            .unwrap_or(0)
    }

    /// Waits until both pages show the server's current version of `game`.
    pub fn in_sync(&self, game: &str) -> u64 {
        let mut v = 0;
        wait_ok(
            &format!("both pages at the server's version of {game}"),
            DEFAULT_TIMEOUT,
            || {
                v = self.version(game);
                let seen: Vec<Option<u64>> =
                    self.both().iter().map(|b| b.widget_version(game)).collect();
                if seen.iter().all(|s| *s == Some(v)) {
                    Ok(())
                } else {
                    Err(format!("server {v}, pages {seen:?}"))
                }
            },
        );
        v
    }
}

/// The id of the newest message in `b`'s page (0: none).
pub fn last_message_id(b: &Browser) -> u64 {
    b.execute(
        "const m = document.querySelectorAll('[data-testid=message]');\
         return m.length ? Number(m[m.length - 1].getAttribute('data-message-id')) : 0;",
        &[],
    )
    .as_u64()
    .unwrap_or(0)
}

/// Waits for a message newer than `after` whose widget holds `css`.
pub fn wait_new_message_with(b: &Browser, after: u64, css: &str) -> String {
    tulip_e2e::wait_some(
        &format!("[{}] a new message with a widget holding {css}", b.name),
        DEFAULT_TIMEOUT,
        || {
            b.execute(
                "for (const m of document.querySelectorAll('[data-testid=message]')) {\
                   const id = Number(m.getAttribute('data-message-id'));\
                   if (id > arguments[0] && m.querySelector('.tulip-host ' + arguments[1]) !== null)\
                     return String(id);\
                 }\
                 return null;",
                &[json!(after), json!(css)],
            )
            .as_str()
            .map(str::to_owned)
        },
    )
}

/// `css` inside the widget of message `game`.
pub fn within(game: &str, css: &str) -> String {
    format!("{} {css}", host_css(game))
}

/// The button with `action` in the widget of `game` (any child).
pub fn button(game: &str, action: &str) -> String {
    within(game, &format!("button[data-action=\"{action}\"]"))
}

/// Whether the first match of `css` is a disabled control.
pub fn is_disabled(b: &Browser, css: &str) -> bool {
    b.execute(
        "const e = document.querySelector(arguments[0]);\
         return e !== null && (e.disabled === true || e.getAttribute('aria-disabled') === 'true');",
        &[json!(css)],
    )
    .as_bool()
    .unwrap_or(false)
}

/// `b` clicks `css` in `game`; waits until its page shows a version newer
/// than before (the server accepted the move and its update arrived).
pub fn click_and_wait(b: &Browser, game: &str, css: &str) -> u64 {
    let before = b.wait_version(game, "shown", |_| true);
    b.click_css(css);
    b.wait_version(game, &format!("> {before} after clicking {css}"), |v| {
        v > before
    })
}

/// `b` clicks `css`; the server refuses: a notice appears in the widget of
/// `game` and the version stays. Returns the notice.
pub fn click_refused(b: &Browser, game: &str, css: &str) -> String {
    let notice = within(game, "[data-testid=notice]");
    tulip_e2e::wait_until(
        &format!("[{}] no notice shown yet", b.name),
        DEFAULT_TIMEOUT,
        || b.count(&notice) == 0,
    );
    let before = b.wait_version(game, "shown", |_| true);
    b.click_css(css);
    let text = b.wait_text(&notice, "(a refusal)", |t| !t.is_empty());
    b.wait_version(game, &format!("= {before}"), |v| v == before);
    text
}

/// Waits until the text of the widget of `game` in `b` contains `text`.
pub fn wait_widget_text(b: &Browser, game: &str, text: &str) -> String {
    b.wait_text(&host_css(game), &format!("containing {text:?}"), |t| {
        t.contains(text)
    })
}

/// A real pointer click (mouse down and up) at (`x`, `y`) in the
/// coordinates of `css`'s element: CSS pixels from its top-left corner
/// when `size` is `None`, else in a `size.0` x `size.1` space mapped onto
/// the element's box (a canvas's own pixels).
pub fn pointer_click(b: &Browser, css: &str, x: f64, y: f64, size: Option<(f64, f64)>) {
    let el = b.wait_for(css, DEFAULT_TIMEOUT);
    // Into view first: pointer actions need the point on screen.
    b.execute(
        "arguments[0].scrollIntoView({block: 'center'});",
        &[el.to_value()],
    );
    let rect = b.execute(
        "const r = arguments[0].getBoundingClientRect(); return [r.width, r.height];",
        &[el.to_value()],
    );
    let (w, h) = (
        rect[0].as_f64().unwrap_or(0.0),
        rect[1].as_f64().unwrap_or(0.0),
    );
    let (px, py) = match size {
        Some((sw, sh)) if sw > 0.0 && sh > 0.0 => (x * w / sw, y * h / sh),
        _ => (x, y),
    };
    // W3C actions: an element origin is the element's centre.
    let (ox, oy) = ((px - w / 2.0).round(), (py - h / 2.0).round());
    let actions = json!({"actions": [{
        "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
        "actions": [
            {"type": "pointerMove", "origin": el.to_value(), "x": ox as i64, "y": oy as i64, "duration": 0},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerUp", "button": 0}
        ]
    }]});
    b.command("POST", "/actions", Some(actions))
        .unwrap_or_else(|e| panic!("[{}] pointer click on {css}: {e}", b.name));
    let _ = b.command("DELETE", "/actions", None);
}

/// The composite child `id` of a widget's JSON.
pub fn child<'a>(widget: &'a Value, id: &str) -> &'a Value {
    widget["extra_data"]["widgets"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["id"] == id))
        .unwrap_or(&Value::Null)
}

/// The value of HUD stat `label` in composite child `hud` of a widget.
pub fn stat(widget: &Value, hud: &str, label: &str) -> Value {
    child(widget, hud)["stats"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["label"] == label))
        .map(|s| s["value"].clone())
        .unwrap_or(Value::Null)
}

/// How many elements of the page outside the screen-reader announcer
/// (`.tulip-announcer`, which may say what a player's own cell held before
/// an update) show `needle` in their own text or any attribute; see
/// [`announced`] for the announcer itself.
pub fn page_count_outside_announcer(b: &Browser, needle: &str) -> usize {
    b.page_count_outside(needle, Some(".tulip-announcer"))
}

/// Everything the page's announcers hold (text and attributes).
pub fn announced(b: &Browser) -> String {
    b.execute(
        "return Array.from(document.querySelectorAll('.tulip-announcer')).map(e => e.outerHTML).join('\\n');",
        &[],
    )
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// The whole page as HTML (what a user's browser holds, attributes
/// included).
pub fn page_html(b: &Browser) -> String {
    b.execute("return document.documentElement.outerHTML;", &[])
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// How a page is shown: emulated through the Chrome DevTools protocol
/// (chromedriver's `goog/cdp/execute`), so the harness's sessions need no
/// other flags; the page follows the media queries at once.
#[derive(Debug, Clone, Copy, Default)]
pub struct Look {
    pub dark: bool,
    /// A phone this many CSS px wide.
    pub width: Option<u32>,
    /// `prefers-reduced-motion: reduce`: every animation instant.
    pub reduced_motion: bool,
}

pub fn emulate(b: &Browser, look: Look) {
    let cdp = |cmd: &str, params: Value| {
        b.command(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": cmd, "params": params})),
        )
        .unwrap_or_else(|e| panic!("[{}] {cmd}: {e}", b.name));
    };
    let mut features = Vec::new();
    if look.dark {
        features.push(json!({"name": "prefers-color-scheme", "value": "dark"}));
    }
    if look.reduced_motion {
        features.push(json!({"name": "prefers-reduced-motion", "value": "reduce"}));
    }
    if !features.is_empty() {
        cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": features }),
        );
    }
    if let Some(w) = look.width {
        cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": w, "height": 800, "deviceScaleFactor": 1, "mobile": true}),
        );
    }
}

/// Saves a screenshot of `b` as `<TULIP_E2E_SHOTS>/<name>-<session>.png`
/// when that variable names a folder (to look at a game by eye); nothing
/// otherwise.
pub fn shot(b: &Browser, name: &str) {
    let Some(dir) = std::env::var_os("TULIP_E2E_SHOTS").filter(|d| !d.is_empty()) else {
        return;
    };
    let path = PathBuf::from(dir).join(format!("{name}-{}.png", b.name));
    match b.save_screenshot(&path) {
        Ok(()) => eprintln!("screenshot {}", path.display()),
        Err(e) => eprintln!("no screenshot {}: {e}", path.display()),
    }
}

/// Scrolls the message `game` to the top of the message list (for a
/// screenshot that shows it).
pub fn show(b: &Browser, game: &str) {
    b.execute(
        "const m = document.querySelector('[data-testid=message][data-message-id=\"' + arguments[0] + '\"]');\
         if (m) m.scrollIntoView({block: 'start'});",
        &[json!(game)],
    );
}
