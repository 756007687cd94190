//! The frame around every widget: keyboard capture while it has the focus,
//! its timers, its sounds and the mute toggle, and the emphasis of live
//! updates. Hosts (connected and embedded mode, the chat page) and the
//! gallery draw every widget through [`WidgetFrame`].
//!
//! A composite's children may carry the common fields too: their key
//! bindings (sent with `"child": id`), timers (drawn in the frame's header,
//! labelled by child id) and sounds are the frame's as well.
//!
//! The pure parts live in `keys.rs`, `sound.rs` and `timer.rs`; this file
//! wires them to the DOM. `docs/renderer/frame.md` has the choices made.

mod keys_hint;
mod listen;
mod mute;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde_json::Value;
use tulip_core::{Update, Widget};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent, Node};
use yew::prelude::*;

pub use keys_hint::{KeyRow, KeysHint};
use listen::Listener;
pub use mute::MuteToggle;

use crate::keys::{self, Capture, KeyInput, KeyMap, KeyOutcome, Throttle};
use crate::sound::{self, Trigger};
use crate::timer::{self, Shown, TimerView};
use crate::widget::{WidgetProps, WidgetView};

#[derive(Properties, PartialEq, Clone)]
pub struct FrameProps {
    /// What the widget view draws.
    pub inner: WidgetProps,
    /// Server clock minus local clock, in ms; timers use it.
    #[prop_or_default]
    pub clock_offset_ms: f64,
}

/// What the frame draws around a widget, worked out once per widget state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parts {
    pub keys: KeyMap,
    pub rows: Rc<Vec<KeyRow>>,
    pub timers: Vec<Shown>,
    pub sounds: Vec<String>,
}

impl Parts {
    pub fn of(w: &Widget) -> Parts {
        let keys = KeyMap::from_widget(w);
        let mut rows: Vec<KeyRow> = keys
            .reachable()
            .into_iter()
            .map(|b| KeyRow {
                key: b.key.clone(),
                action: b.action.clone(),
                child: b.child.clone(),
            })
            .collect();
        // Stable: the widget's own keys stay before its children's.
        rows.sort_by_key(|r| crate::keys::list_rank(&r.key));
        Parts {
            rows: Rc::new(rows),
            timers: timer::shown_timers(w),
            sounds: sound::sound_urls(w),
            keys,
        }
    }

    /// Whether the frame has a header row.
    pub fn has_header(&self) -> bool {
        !self.keys.is_empty() || !self.timers.is_empty() || !self.sounds.is_empty()
    }
}

/// A widget compared by identity (cheap), for memoizing on it.
#[derive(Clone)]
struct Same(Rc<Widget>);

impl PartialEq for Same {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What the keydown listener reads and changes; kept fresh by each render.
#[derive(Default)]
struct KeyCtx {
    parts: Rc<Parts>,
    on_interaction: Callback<Value>,
    capture: Capture,
    throttle: Throttle,
}

type Shared = Rc<RefCell<KeyCtx>>;

thread_local! {
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
}

fn next_id() -> u64 {
    NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    })
}

/// Whether `node` is `root` or inside it.
fn inside(root: &Node, node: Option<&Node>) -> bool {
    node.is_some_and(|n| root.contains(Some(n)))
}

fn is_text_field(el: &Element) -> bool {
    let editable = el
        .dyn_ref::<HtmlElement>()
        .is_some_and(|h| h.is_content_editable());
    keys::is_text_field(&el.tag_name().to_ascii_lowercase(), editable)
}

/// Changes the capture state and redraws if the hint changed.
fn change(ctx: &Shared, redraw: &UseForceUpdateHandle, f: impl FnOnce(&mut Capture)) {
    let changed = {
        let mut k = ctx.borrow_mut();
        let before = k.capture;
        f(&mut k.capture);
        k.capture != before
    };
    if changed {
        redraw.force_update();
    }
}

/// One `keydown` (capture phase, on the frame's root).
fn on_keydown(ctx: &Shared, root: &NodeRef, redraw: &UseForceUpdateHandle, e: &web_sys::Event) {
    let Some(ev) = e.dyn_ref::<KeyboardEvent>() else {
        return;
    };
    let Some(root_el) = root.cast::<HtmlElement>() else {
        return;
    };
    // Only while the focus is on the widget or inside it.
    let Some(active) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .filter(|a| inside(&root_el, Some(a)))
    else {
        return;
    };
    if ctx.borrow().parts.keys.is_empty() {
        return;
    }
    let on_root = active.is_same_node(Some(&root_el));
    let in_text = is_text_field(&active);
    // The focus got here without a focusin we saw: take it as arriving.
    if !ctx.borrow().capture.within {
        change(ctx, redraw, |c| c.focus_in(in_text, true));
    }
    let key = ev.key();
    let input = KeyInput {
        key: &key,
        repeat: ev.repeat(),
        ctrl: ev.ctrl_key(),
        alt: ev.alt_key(),
        meta: ev.meta_key(),
        composing: ev.is_composing(),
        in_text_field: in_text,
        on_root,
    };
    let outcome = {
        let mut k = ctx.borrow_mut();
        let KeyCtx {
            parts,
            capture,
            throttle,
            ..
        } = &mut *k;
        keys::decide(
            &input,
            capture,
            &parts.keys,
            throttle,
            crate::anim::now_ms(),
        )
    };
    if outcome.consumes() {
        ev.prevent_default();
        ev.stop_propagation();
    }
    match outcome {
        KeyOutcome::Release => {
            change(ctx, redraw, |c| c.armed = false);
            if !on_root {
                let _ = root_el.focus();
            }
        }
        KeyOutcome::Resume => change(ctx, redraw, |c| c.armed = true),
        KeyOutcome::Emit(v) => {
            let cb = ctx.borrow().on_interaction.clone();
            cb.emit(v);
        }
        KeyOutcome::Ignore | KeyOutcome::Throttled => {}
    }
}

/// The CSS selector for a composite child's element.
fn child_selector(id: &str) -> String {
    crate::anim::target_selector(id).replacen("[data-target=", "[data-child=", 1)
}

/// The element of composite child `id` directly under `scope` (the frame's
/// body or another child's element), not a deeper one with the same id.
fn child_element(scope: &Element, id: &str) -> Option<Element> {
    let found = scope.query_selector_all(&child_selector(id)).ok()?;
    (0..found.length())
        .filter_map(|i| found.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .find(|el| {
            let owner = el
                .parent_element()
                .and_then(|p| p.closest("[data-child]").ok().flatten());
            owner.is_none_or(|o| o.is_same_node(Some(scope)) || !scope.contains(Some(&o)))
        })
}

/// Plays the update's emphasis in `scope`, and each child's own in the
/// child's element (its `"widget"` being that element).
fn emphasize(scope: &Element, update: &Update) {
    crate::anim::play_emphases(scope, update);
    let Update::Composite(ops) = update else {
        return;
    };
    for (id, ops) in ops.children.iter().flatten() {
        if let (Some(u), Some(el)) = (ops.parsed(), child_element(scope, id)) {
            emphasize(&el, u);
        }
    }
}

/// Draws `props.inner`'s widget inside the frame.
#[component]
pub fn WidgetFrame(props: &FrameProps) -> Html {
    let inner = &props.inner;
    let parts = use_memo(Same(inner.widget.clone()), |w| Parts::of(&w.0));
    let root = use_node_ref();
    let body = use_node_ref();
    let redraw = use_force_update();
    let id = use_memo((), |_| next_id());
    let ctx: Shared = use_mut_ref(KeyCtx::default);
    {
        let mut k = ctx.borrow_mut();
        k.parts = parts.clone();
        k.on_interaction = inner.on_interaction.clone();
        if k.throttle.interval_ms == 0.0 {
            k.throttle = Throttle::new(keys::REPEAT_MS);
        }
    }
    // Keys: one listener in the capture phase, so that a bound key is the
    // game's before any element inside handles it.
    {
        let (ctx, root, redraw) = (ctx.clone(), root.clone(), redraw.clone());
        use_effect_with((), move |_| {
            let target = root.cast::<Element>();
            let listener = target.and_then(|t| {
                let root = root.clone();
                Listener::new(&t, "keydown", true, move |e| {
                    on_keydown(&ctx, &root, &redraw, &e)
                })
            });
            move || drop(listener)
        });
    }
    // Sounds: preload, then play what a live moment asks for.
    use_effect_with(parts.sounds.clone(), |urls| sound::preload(urls));
    {
        let last_seq = use_mut_ref(|| None::<u64>);
        let widget = inner.widget.clone();
        let update = inner.update.clone();
        let live = inner.live;
        let user = inner.user_id.clone();
        let body = body.clone();
        use_effect_with(inner.seq, move |seq| {
            let first = last_seq.borrow().is_none();
            *last_seq.borrow_mut() = Some(*seq);
            let trigger = if first {
                Trigger::Arrived
            } else {
                Trigger::Updated
            };
            // What is asked for first: the mute setting is in
            // `localStorage`, a slow read to make on every update.
            let asked = if live {
                sound::requested(&widget, update.as_deref(), trigger)
            } else {
                Vec::new()
            };
            if !asked.is_empty() && sound::should_play(live, sound::is_muted(user.as_deref())) {
                sound::play(&asked);
            }
            if !first && live {
                if let (Some(u), Some(el)) = (update.as_deref(), body.cast::<Element>()) {
                    emphasize(&el, u);
                }
            }
        });
    }

    let capture = ctx.borrow().capture;
    let has_keys = !parts.keys.is_empty();
    let hint = capture.hint();
    let hint_id = format!("tulip-frame-{id}-keys");
    let onfocusin = {
        let (ctx, root, redraw) = (ctx.clone(), root.clone(), redraw.clone());
        Callback::from(move |e: FocusEvent| {
            let Some(root_el) = root.get() else { return };
            let in_text = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .is_some_and(|el| is_text_field(&el));
            let from = e.related_target().and_then(|t| t.dyn_into::<Node>().ok());
            let from_outside = !inside(&root_el, from.as_ref());
            change(&ctx, &redraw, |c| c.focus_in(in_text, from_outside));
        })
    };
    let onfocusout = {
        let (ctx, root, redraw) = (ctx.clone(), root.clone(), redraw.clone());
        Callback::from(move |e: FocusEvent| {
            let Some(root_el) = root.get() else { return };
            let to = e.related_target().and_then(|t| t.dyn_into::<Node>().ok());
            let to_inside = inside(&root_el, to.as_ref());
            change(&ctx, &redraw, |c| c.focus_out(to_inside));
        })
    };
    let onpointerdown = {
        let (ctx, redraw) = (ctx.clone(), redraw.clone());
        Callback::from(move |_: PointerEvent| {
            if !ctx.borrow().parts.keys.is_empty() {
                change(&ctx, &redraw, Capture::pointer_down);
            }
        })
    };

    let header = parts.has_header().then(|| {
        let timers = parts.timers.iter().map(|s| {
            let key = s
                .child
                .clone()
                .map_or("widget".to_owned(), |c| format!("child:{c}"));
            html! {
                <TimerView {key} timer={s.timer.clone()} child={s.child.clone()}
                           clock_offset_ms={props.clock_offset_ms} />
            }
        });
        let keys_hint = has_keys.then(|| {
            html! { <KeysHint {hint} rows={parts.rows.clone()} id={hint_id.clone()} /> }
        });
        let mute = (!parts.sounds.is_empty()).then(|| {
            html! { <MuteToggle user_id={inner.user_id.clone()} /> }
        });
        html! {
            <div class="tulip-frame__bar" data-testid="frame-bar">
                <div class="tulip-frame__timers">{ for timers }</div>
                { for keys_hint }
                { for mute }
            </div>
        }
    });
    let kind = inner.widget.kind().as_str();
    let class = classes!(
        "tulip-frame",
        has_keys.then_some("tulip-frame--keys"),
        (has_keys && hint == keys::Hint::Active).then_some("tulip-frame--capturing"),
    );
    html! {
        <div {class} ref={root.clone()} data-testid="frame"
             data-keys={has_keys.then(|| hint.as_str())}
             tabindex={has_keys.then_some("0")}
             role={has_keys.then_some("group")}
             aria-label={has_keys.then(|| format!("{kind} widget"))}
             aria-describedby={has_keys.then(|| hint_id.clone())}
             aria-keyshortcuts={has_keys.then(|| parts.keys.aria_shortcuts())}
             {onfocusin} {onfocusout} {onpointerdown}>
            { for header }
            <div class="tulip-frame__body" ref={body}>
                <WidgetView ..inner.clone() />
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tulip_core::{parse_widget_value, Policy};

    #[test]
    fn parts_collect_keys_timers_and_sounds() {
        let w = parse_widget_value(
            json!({"widget_type": "composite", "extra_data": {"widgets": [
                {"id": "board", "type": "grid", "width": 1, "height": 1,
                 "keyboard": {"bindings": {"ArrowUp": "up"}},
                 "timer": {"seconds": 10},
                 "sounds": {"ding": "/ding.ogg"}}
            ]}}),
            &Policy::default(),
        )
        .unwrap();
        let p = Parts::of(&w);
        assert!(p.has_header());
        assert_eq!(
            *p.rows,
            [KeyRow {
                key: "ArrowUp".into(),
                action: "up".into(),
                child: Some("board".into())
            }]
        );
        assert_eq!(p.timers[0].child.as_deref(), Some("board"));
        assert_eq!(p.sounds, ["/ding.ogg"]);
        let plain = parse_widget_value(
            json!({"widget_type": "hud", "extra_data": {}}),
            &Policy::default(),
        )
        .unwrap();
        assert!(!Parts::of(&plain).has_header());
    }

    #[test]
    fn the_frame_samples_have_keys_timers_and_sounds() {
        for text in [
            include_str!("../www/samples/frame-arena.json"),
            include_str!("../www/samples/frame-duel.json"),
        ] {
            let w = tulip_core::parse_widget(text, &Policy::default()).unwrap();
            let p = Parts::of(&w);
            assert!(!p.keys.is_empty() && !p.timers.is_empty() && !p.sounds.is_empty());
        }
    }

    #[test]
    fn child_selectors_are_escaped() {
        assert_eq!(child_selector("a\"b"), r#"[data-child="a\"b"]"#);
    }
}
