//! Keyboard capture for widgets with `keyboard` bindings: which key maps to
//! which action, when keys are captured, and the throttle for held keys.
//!
//! Everything here is pure and natively tested; the frame (`src/frame.rs`)
//! feeds it the fields of each `keydown` and acts on the [`KeyOutcome`].
//!
//! - **Bindings** come from the widget's `keyboard` and, in a composite, from
//!   every child's (any depth, in document order); a child's binding emits
//!   `"child": id`. A key bound twice goes to the first binding: the widget's
//!   own before its children's.
//! - **Key names** are `KeyboardEvent.key` values. `Space` stands for `" "`
//!   (so do `Spacebar` and `" "` in a binding). An exact match wins; failing
//!   that, names match ignoring ASCII case, so `w` and `W` both fire a `w`
//!   binding (Shift or Caps Lock don't break WASD) while a widget binding
//!   both `w` and `W` still gets two actions.
//! - **Escape** is reserved: it releases the keys and cannot be bound (a
//!   binding for it is ignored and not listed).
//! - **Not captured**: keys with Ctrl, Alt or Meta held (browser and system
//!   shortcuts keep working), keys typed while an IME composes, and every key
//!   while the focus is in a text field (input, textarea, select,
//!   contenteditable).

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::{json, Value};
use tulip_core::model::Keyboard;
use tulip_core::{Body, Widget};

/// Auto-repeat (`event.repeat`) keydowns of a held key pass at most once
/// per this many ms.
pub const REPEAT_MS: f64 = 100.0;

/// One key binding: the key as the bot wrote it, its action, and the
/// composite child it belongs to (`None` for the widget itself).
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub key: String,
    pub action: String,
    pub child: Option<String>,
}

impl Binding {
    /// The interaction this key sends.
    pub fn payload(&self) -> Value {
        match &self.child {
            Some(c) => json!({"type": "keypress", "action": self.action, "child": c}),
            None => json!({"type": "keypress", "action": self.action}),
        }
    }
}

/// Every binding of a widget, in lookup order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyMap {
    bindings: Vec<Binding>,
}

/// A key name in the form bindings are compared in: `" "` and `Spacebar`
/// become `Space`.
pub fn canonical(key: &str) -> Cow<'_, str> {
    if key == " " || key.eq_ignore_ascii_case("spacebar") || key.eq_ignore_ascii_case("space") {
        Cow::Borrowed("Space")
    } else {
        Cow::Borrowed(key)
    }
}

/// Whether a key name is Escape (reserved for releasing the keys).
pub fn is_escape(key: &str) -> bool {
    key.eq_ignore_ascii_case("escape") || key.eq_ignore_ascii_case("esc")
}

impl KeyMap {
    /// The bindings of a widget and of its composite children.
    pub fn from_widget(w: &Widget) -> KeyMap {
        let mut map = KeyMap::default();
        map.collect(&w.body, None);
        map
    }

    fn collect(&mut self, body: &Body, child: Option<&str>) {
        if let Some(k) = body.common().keyboard {
            self.add(k, child);
        }
        if let Body::Composite(c) = body {
            for ch in &c.widgets {
                self.collect(&ch.body, Some(ch.id()));
            }
        }
    }

    fn add(&mut self, k: &Keyboard, child: Option<&str>) {
        if k.enabled == Some(false) {
            return;
        }
        for (key, action) in &k.bindings {
            if key.is_empty() || is_escape(key) {
                continue;
            }
            self.bindings.push(Binding {
                key: canonical(key).into_owned(),
                action: action.clone(),
                child: child.map(str::to_owned),
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.bindings.is_empty()
    }

    /// The binding a key (a `KeyboardEvent.key`) fires, if any.
    pub fn lookup(&self, key: &str) -> Option<&Binding> {
        let key = canonical(key);
        self.bindings.iter().find(|b| b.key == key).or_else(|| {
            self.bindings
                .iter()
                .find(|b| b.key.eq_ignore_ascii_case(&key))
        })
    }

    /// The bindings a key can reach (shadowed duplicates left out), for the
    /// list of keys shown to the player.
    pub fn reachable(&self) -> Vec<&Binding> {
        self.bindings
            .iter()
            .filter(|b| {
                self.lookup(&b.key)
                    .is_some_and(|found| std::ptr::eq(found, *b))
            })
            .collect()
    }

    /// The keys for `aria-keyshortcuts` (space-separated, `Space` as ARIA
    /// names it).
    pub fn aria_shortcuts(&self) -> String {
        self.reachable()
            .iter()
            .map(|b| b.key.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// How a key is shown to the player: arrows as arrows, single letters in
/// upper case, anything else as written.
pub fn display_key(key: &str) -> String {
    match key {
        "ArrowUp" => "↑".into(),
        "ArrowDown" => "↓".into(),
        "ArrowLeft" => "←".into(),
        "ArrowRight" => "→".into(),
        k if k.chars().count() == 1 => crate::case::upper(k),
        k => k.to_owned(),
    }
}

/// How a screen reader should say a key whose [`display_key`] is a symbol
/// (`None`: the shown text says it).
pub fn spoken_key(key: &str) -> Option<&'static str> {
    match key {
        "ArrowUp" => Some("Up arrow"),
        "ArrowDown" => Some("Down arrow"),
        "ArrowLeft" => Some("Left arrow"),
        "ArrowRight" => Some("Right arrow"),
        _ => None,
    }
}

/// Where a key goes in the list shown to the player: the arrows first, in
/// the order up, down, left, right, then everything else as bound.
pub fn list_rank(key: &str) -> u8 {
    match key {
        "ArrowUp" => 0,
        "ArrowDown" => 1,
        "ArrowLeft" => 2,
        "ArrowRight" => 3,
        _ => 4,
    }
}

/// Whether an element takes typing: `tag` is its lower-case tag name.
pub fn is_text_field(tag: &str, content_editable: bool) -> bool {
    content_editable || matches!(tag, "input" | "textarea" | "select")
}

/// Where the focus is, relative to one widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Capture {
    /// The focus is on the widget or inside it.
    pub within: bool,
    /// ... and on a text field.
    pub in_text: bool,
    /// Keys are captured while the focus is within (false after Escape
    /// until the player comes back).
    pub armed: bool,
}

/// What the frame tells the player about its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// Not focused: click or Tab in to use the keys.
    Idle,
    /// Keys are captured.
    Active,
    /// Focused, but released with Escape.
    Released,
    /// Focused on a text field: keys go to the field.
    Typing,
}

impl Hint {
    pub fn as_str(self) -> &'static str {
        match self {
            Hint::Idle => "idle",
            Hint::Active => "active",
            Hint::Released => "released",
            Hint::Typing => "typing",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Hint::Idle => "Click or Tab here to use the keys",
            Hint::Active => "Keys active · Esc to release",
            Hint::Released => "Keys released · Enter or click to resume",
            Hint::Typing => "Typing · keys go to the text field",
        }
    }
}

impl Capture {
    /// The focus arrived on the widget or moved inside it. Coming from
    /// outside captures the keys again.
    pub fn focus_in(&mut self, in_text: bool, from_outside: bool) {
        if from_outside || !self.within {
            self.armed = true;
        }
        self.within = true;
        self.in_text = in_text;
    }

    /// The focus left an element of the widget, for another one inside it
    /// (`to_inside`) or for somewhere else.
    pub fn focus_out(&mut self, to_inside: bool) {
        if !to_inside {
            self.within = false;
            self.in_text = false;
        }
    }

    /// A click or touch inside the widget captures the keys again.
    pub fn pointer_down(&mut self) {
        self.armed = true;
    }

    pub fn hint(&self) -> Hint {
        match (self.within, self.in_text, self.armed) {
            (false, _, _) => Hint::Idle,
            (true, true, _) => Hint::Typing,
            (true, false, true) => Hint::Active,
            (true, false, false) => Hint::Released,
        }
    }
}

/// The fields of a `keydown` the decision needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyInput<'a> {
    pub key: &'a str,
    pub repeat: bool,
    pub ctrl: bool,
    pub alt: bool,
    pub meta: bool,
    pub composing: bool,
    /// The focus is on a text field.
    pub in_text_field: bool,
    /// The focus is on the widget (the frame's root) itself.
    pub on_root: bool,
}

/// What the frame does with a `keydown`.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyOutcome {
    /// Not ours: leave the event alone.
    Ignore,
    /// Escape: stop capturing (focus goes back to the widget's root).
    Release,
    /// Enter on the released widget: capture again. The event is consumed.
    Resume,
    /// A bound key: send this interaction and consume the event.
    Emit(Value),
    /// A bound key held down faster than [`REPEAT_MS`]: consume the event
    /// (no scrolling) but send nothing.
    Throttled,
}

impl KeyOutcome {
    /// Whether the frame calls `preventDefault` (and stops the event).
    pub fn consumes(&self) -> bool {
        matches!(
            self,
            KeyOutcome::Resume | KeyOutcome::Emit(_) | KeyOutcome::Throttled
        )
    }
}

/// Lets the first press of a key through and its auto-repeats at most once
/// per `interval_ms`. Times are any monotonic ms clock, passed in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Throttle {
    pub interval_ms: f64,
    last: HashMap<String, f64>,
}

impl Throttle {
    pub fn new(interval_ms: f64) -> Throttle {
        Throttle {
            interval_ms,
            last: HashMap::new(),
        }
    }

    /// Whether a keydown of `key` at `now` passes. A fresh press (`repeat`
    /// false) always passes.
    pub fn allow(&mut self, key: &str, repeat: bool, now: f64) -> bool {
        if repeat {
            if let Some(last) = self.last.get(key) {
                // A clock that went backwards counts as time passed.
                if now >= *last && now - last < self.interval_ms {
                    return false;
                }
            }
        }
        self.last.insert(key.to_owned(), now);
        true
    }
}

/// Decides what one `keydown` does, given where the focus is (`capture`;
/// the caller has checked that the focus is within the widget), the
/// bindings and the throttle, at time `now` (ms).
pub fn decide(
    input: &KeyInput<'_>,
    capture: &Capture,
    map: &KeyMap,
    throttle: &mut Throttle,
    now: f64,
) -> KeyOutcome {
    if map.is_empty() || input.in_text_field || input.composing {
        return KeyOutcome::Ignore;
    }
    if is_escape(input.key) {
        return if capture.armed {
            KeyOutcome::Release
        } else {
            KeyOutcome::Ignore
        };
    }
    if input.ctrl || input.alt || input.meta {
        return KeyOutcome::Ignore;
    }
    if !capture.armed {
        return if input.on_root && input.key == "Enter" && !input.repeat {
            KeyOutcome::Resume
        } else {
            KeyOutcome::Ignore
        };
    }
    let Some(b) = map.lookup(input.key) else {
        return KeyOutcome::Ignore;
    };
    if throttle.allow(&b.key, input.repeat, now) {
        KeyOutcome::Emit(b.payload())
    } else {
        KeyOutcome::Throttled
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tulip_core::{parse_widget_value, Policy};

    fn widget(v: Value) -> Widget {
        parse_widget_value(v, &Policy::default()).unwrap()
    }

    fn grid_with(bindings: Value) -> KeyMap {
        KeyMap::from_widget(&widget(json!({"widget_type": "grid", "extra_data": {
            "width": 2, "height": 2, "keyboard": {"bindings": bindings}}})))
    }

    fn armed() -> Capture {
        Capture {
            within: true,
            in_text: false,
            armed: true,
        }
    }

    fn press(key: &str) -> KeyInput<'_> {
        KeyInput {
            key,
            ..KeyInput::default()
        }
    }

    #[test]
    fn keys_map_to_actions_with_space_and_case_rules() {
        let m = grid_with(json!({"ArrowUp": "up", "w": "north", "Space": "fire", "Enter": "go"}));
        let action = |k: &str| m.lookup(k).map(|b| b.action.clone());
        assert_eq!(action("ArrowUp").as_deref(), Some("up"));
        assert_eq!(action(" ").as_deref(), Some("fire"));
        assert_eq!(action("Spacebar").as_deref(), Some("fire"));
        assert_eq!(action("w").as_deref(), Some("north"));
        assert_eq!(action("W").as_deref(), Some("north"), "Shift or Caps Lock");
        assert_eq!(action("enter").as_deref(), Some("go"));
        assert_eq!(action("x"), None);
        assert_eq!(action("ArrowDown"), None);
    }

    #[test]
    fn exact_case_wins_when_both_cases_are_bound() {
        let m = grid_with(json!({"w": "walk", "W": "run"}));
        assert_eq!(m.lookup("w").unwrap().action, "walk");
        assert_eq!(m.lookup("W").unwrap().action, "run");
        assert_eq!(m.reachable().len(), 2);
    }

    #[test]
    fn escape_cannot_be_bound_and_disabled_keyboards_bind_nothing() {
        let m = grid_with(json!({"Escape": "menu", "a": "left"}));
        assert!(m.lookup("Escape").is_none());
        assert_eq!(m.reachable().len(), 1);
        let off = KeyMap::from_widget(&widget(json!({"widget_type": "hud", "extra_data": {
            "keyboard": {"enabled": false, "bindings": {"a": "left"}}}})));
        assert!(off.is_empty());
        // `keyboard` without `enabled` is on.
        assert!(!grid_with(json!({"a": "left"})).is_empty());
    }

    #[test]
    fn composite_children_bind_with_their_id_and_the_parent_wins() {
        let w = widget(json!({"widget_type": "composite", "extra_data": {
        "keyboard": {"bindings": {"p": "pause"}},
        "widgets": [
            {"id": "board", "type": "grid", "width": 1, "height": 1,
             "keyboard": {"bindings": {"ArrowUp": "up", "p": "shadowed"}}},
            {"id": "inner", "type": "composite", "widgets": [
                {"id": "deep", "type": "hud", "keyboard": {"bindings": {"x": "boom"}}}
            ]}
        ]}}));
        let m = KeyMap::from_widget(&w);
        assert_eq!(
            m.lookup("ArrowUp").unwrap().payload(),
            json!({"type": "keypress", "action": "up", "child": "board"})
        );
        assert_eq!(
            m.lookup("p").unwrap().payload(),
            json!({"type": "keypress", "action": "pause"})
        );
        assert_eq!(m.lookup("x").unwrap().child.as_deref(), Some("deep"));
        let shown: Vec<_> = m.reachable().iter().map(|b| b.action.clone()).collect();
        assert_eq!(shown, ["pause", "up", "boom"]);
        assert_eq!(m.aria_shortcuts(), "p ArrowUp x");
    }

    #[test]
    fn bound_keys_emit_and_others_pass_through() {
        let m = grid_with(json!({"ArrowUp": "up"}));
        let mut t = Throttle::new(REPEAT_MS);
        let out = decide(&press("ArrowUp"), &armed(), &m, &mut t, 0.0);
        assert_eq!(
            out,
            KeyOutcome::Emit(json!({"type": "keypress", "action": "up"}))
        );
        assert!(out.consumes());
        let out = decide(&press("ArrowDown"), &armed(), &m, &mut t, 0.0);
        assert_eq!(out, KeyOutcome::Ignore);
        assert!(!out.consumes(), "unbound keys keep their default");
    }

    #[test]
    fn text_fields_modifiers_and_composition_are_never_captured() {
        let m = grid_with(json!({"a": "left", "Escape": "x"}));
        let mut t = Throttle::new(REPEAT_MS);
        for input in [
            KeyInput {
                in_text_field: true,
                ..press("a")
            },
            KeyInput {
                in_text_field: true,
                ..press("Escape")
            },
            KeyInput {
                ctrl: true,
                ..press("a")
            },
            KeyInput {
                meta: true,
                ..press("a")
            },
            KeyInput {
                alt: true,
                ..press("a")
            },
            KeyInput {
                composing: true,
                ..press("a")
            },
        ] {
            assert_eq!(
                decide(&input, &armed(), &m, &mut t, 0.0),
                KeyOutcome::Ignore,
                "{input:?}"
            );
        }
        assert!(is_text_field("input", false));
        assert!(is_text_field("textarea", false));
        assert!(is_text_field("select", false));
        assert!(is_text_field("div", true));
        assert!(!is_text_field("button", false));
        assert!(!is_text_field("div", false));
    }

    #[test]
    fn escape_releases_and_enter_on_the_root_resumes() {
        let m = grid_with(json!({"ArrowUp": "up", "Enter": "go"}));
        let mut t = Throttle::new(REPEAT_MS);
        let mut c = armed();
        assert_eq!(
            decide(&press("Escape"), &c, &m, &mut t, 0.0),
            KeyOutcome::Release
        );
        c.armed = false;
        assert_eq!(c.hint(), Hint::Released);
        assert_eq!(
            decide(&press("ArrowUp"), &c, &m, &mut t, 0.0),
            KeyOutcome::Ignore
        );
        assert_eq!(
            decide(&press("Escape"), &c, &m, &mut t, 0.0),
            KeyOutcome::Ignore
        );
        // Enter on a button inside is the button's.
        assert_eq!(
            decide(&press("Enter"), &c, &m, &mut t, 0.0),
            KeyOutcome::Ignore
        );
        let on_root = KeyInput {
            on_root: true,
            ..press("Enter")
        };
        assert_eq!(decide(&on_root, &c, &m, &mut t, 0.0), KeyOutcome::Resume);
    }

    #[test]
    fn held_keys_repeat_at_most_once_per_interval() {
        let m = grid_with(json!({"ArrowUp": "up", "ArrowLeft": "left"}));
        let mut t = Throttle::new(100.0);
        let held = |k| KeyInput {
            repeat: true,
            ..press(k)
        };
        let emitted = |o: KeyOutcome| matches!(o, KeyOutcome::Emit(_));
        assert!(emitted(decide(
            &press("ArrowUp"),
            &armed(),
            &m,
            &mut t,
            1000.0
        )));
        // Auto-repeat every 30 ms (with one 10 ms hiccup): only the repeats
        // at least 100 ms after the last one that passed get through.
        let mut passed = vec![];
        for i in 1..=8 {
            let now = 1000.0 + 30.0 * f64::from(i) + if i > 3 { 10.0 } else { 0.0 };
            let out = decide(&held("ArrowUp"), &armed(), &m, &mut t, now);
            assert!(out.consumes(), "throttled repeats still prevent scrolling");
            if emitted(out) {
                passed.push(now);
            }
        }
        assert_eq!(passed, [1130.0, 1250.0]);
        // Another key has its own clock; a fresh press always passes.
        assert!(emitted(decide(
            &held("ArrowLeft"),
            &armed(),
            &m,
            &mut t,
            1251.0
        )));
        assert!(emitted(decide(
            &press("ArrowUp"),
            &armed(),
            &m,
            &mut t,
            1252.0
        )));
        // A clock that went backwards does not block the key forever.
        assert!(t.allow("ArrowUp", true, 5.0));
    }

    #[test]
    fn focus_moves_arm_and_disarm() {
        let mut c = Capture::default();
        assert_eq!(c.hint(), Hint::Idle);
        c.focus_in(false, true);
        assert_eq!(c.hint(), Hint::Active);
        c.armed = false; // Escape
        c.focus_in(false, false); // focus moved to the root, inside
        assert_eq!(c.hint(), Hint::Released);
        c.focus_in(true, false);
        assert_eq!(c.hint(), Hint::Typing);
        c.focus_out(true);
        assert!(c.within);
        c.focus_out(false);
        assert_eq!(c.hint(), Hint::Idle);
        c.focus_in(false, true);
        assert_eq!(c.hint(), Hint::Active, "coming back captures again");
        c.armed = false;
        c.pointer_down();
        assert_eq!(c.hint(), Hint::Active);
    }

    #[test]
    fn keys_are_shown_readably() {
        assert_eq!(display_key("ArrowUp"), "↑");
        assert_eq!(display_key("ArrowRight"), "→");
        assert_eq!(display_key("w"), "W");
        assert_eq!(display_key("Space"), "Space");
        assert_eq!(display_key("Enter"), "Enter");
        assert_eq!(spoken_key("ArrowLeft"), Some("Left arrow"));
        assert_eq!(spoken_key("w"), None);
        let mut keys = ["Space", "ArrowRight", "a", "ArrowUp", "ArrowDown"];
        keys.sort_by_key(|k| list_rank(k));
        assert_eq!(keys, ["ArrowUp", "ArrowDown", "ArrowRight", "Space", "a"]);
    }
}
