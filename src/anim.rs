//! Animation: easing curves, tweens that can be retargeted mid-flight, the
//! emphasis effects of an update, and the player's reduced-motion wish.
//!
//! Everything here but [`reduced_motion`] is pure and natively tested. The
//! widgets use it in two ways:
//!
//! - **Emphasis** (shake, pulse, glow) is played in one place: after a live
//!   update, the frame calls [`play_emphases`], which finds each target in
//!   the widget's DOM by its `data-target` attribute and runs the effect
//!   with the Web Animations API (so the same emphasis twice plays twice).
//!   Widgets only mark their elements: `data-target="x,y"` on a grid cell or
//!   map tile, the id on a sprite, card or marker, the slot number on an
//!   inventory slot, the label on a bar or stat, the child id on a
//!   composite child; `"widget"` is the widget's root.
//! - **CSS-driven** appear/disappear: a class from [`appear_class`] with the
//!   duration in the `--tulip-anim-ms` custom property (`www/anim.css` holds
//!   the keyframes). `prefers-reduced-motion: reduce` turns them off in CSS.
//! - **Script-driven** moves (canvas sprites, map markers): a [`Tween`] per
//!   moving thing, sampled every frame. A new target that arrives mid-move
//!   starts from where the thing is drawn now ([`Tween::retarget`]), so
//!   nothing jumps. With reduced motion every tween is instant.

use tulip_core::model::{Animate, Easing, Effect};
use tulip_core::update::{Emphasis, Emphasize};
use tulip_core::Update;

/// Used when a move has `animate` without a `duration`, in ms.
pub const DEFAULT_MOVE_MS: f64 = 250.0;
/// Used for emphasis without a `duration`, in ms.
pub const DEFAULT_EMPHASIS_MS: u32 = 600;
/// Used for fade and scale without a `duration`, in ms.
pub const DEFAULT_APPEAR_MS: u32 = 200;

/// `t` in 0..=1 mapped through the easing curve (the CSS curves:
/// `ease` is cubic-bezier(0.25, 0.1, 0.25, 1) and so on).
pub fn ease(easing: Option<Easing>, t: f64) -> f64 {
    let t = if t.is_nan() { 1.0 } else { t.clamp(0.0, 1.0) };
    match easing {
        Some(Easing::Linear) => t,
        None | Some(Easing::Ease) => cubic_bezier(0.25, 0.1, 0.25, 1.0, t),
        Some(Easing::EaseIn) => cubic_bezier(0.42, 0.0, 1.0, 1.0, t),
        Some(Easing::EaseOut) => cubic_bezier(0.0, 0.0, 0.58, 1.0, t),
        Some(Easing::EaseInOut) => cubic_bezier(0.42, 0.0, 0.58, 1.0, t),
    }
}

/// The y of the CSS cubic Bézier (0,0) (x1,y1) (x2,y2) (1,1) at x = `t`,
/// solved by bisection (exact enough for drawing, and cannot diverge).
fn cubic_bezier(x1: f64, y1: f64, x2: f64, y2: f64, t: f64) -> f64 {
    let bez = |a: f64, b: f64, s: f64| {
        let u = 1.0 - s;
        3.0 * u * u * s * a + 3.0 * u * s * s * b + s * s * s
    };
    let (mut lo, mut hi) = (0.0, 1.0);
    let mut s = t;
    for _ in 0..40 {
        let x = bez(x1, x2, s);
        if (x - t).abs() < 1e-7 {
            break;
        }
        if x < t {
            lo = s;
        } else {
            hi = s;
        }
        s = (lo + hi) / 2.0;
    }
    bez(y1, y2, s)
}

/// A value (a position) moving from `from` to `to` between `start` and
/// `start + duration` (ms, any clock), along `easing`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tween {
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub start: f64,
    pub duration: f64,
    pub easing: Option<Easing>,
}

impl Tween {
    /// A value standing still at `at`.
    pub fn still(at: (f64, f64)) -> Tween {
        Tween {
            from: at,
            to: at,
            start: 0.0,
            duration: 0.0,
            easing: None,
        }
    }

    /// Where the value is at time `now`.
    pub fn at(&self, now: f64) -> (f64, f64) {
        if self.duration <= 0.0 || now >= self.start + self.duration {
            return self.to;
        }
        if now <= self.start {
            return self.from;
        }
        let k = ease(self.easing, (now - self.start) / self.duration);
        (
            self.from.0 + (self.to.0 - self.from.0) * k,
            self.from.1 + (self.to.1 - self.from.1) * k,
        )
    }

    /// Whether the value still moves at `now`.
    pub fn running(&self, now: f64) -> bool {
        self.duration > 0.0 && now < self.start + self.duration && self.from != self.to
    }

    /// A move to `to` starting at `now` from wherever the value is drawn at
    /// `now` (no jump when a move arrives mid-move). `animate: None`, a zero
    /// duration or `reduced` (reduced motion) make it instant.
    pub fn retarget(
        &self,
        now: f64,
        to: (f64, f64),
        animate: Option<&Animate>,
        reduced: bool,
    ) -> Tween {
        let duration = match animate {
            Some(a) if !reduced && a.effect != Some(Effect::Instant) => {
                a.duration.map_or(DEFAULT_MOVE_MS, f64::from)
            }
            _ => 0.0,
        };
        if duration <= 0.0 {
            return Tween::still(to);
        }
        Tween {
            from: self.at(now),
            to,
            start: now,
            duration,
            easing: animate.and_then(|a| a.easing),
        }
    }
}

/// The `emphasize` entries of an update (empty for none).
pub fn emphases(update: Option<&Update>) -> &[Emphasize] {
    update
        .and_then(|u| u.common().emphasize.as_deref())
        .unwrap_or(&[])
}

/// The emphasis an update asks for on `target`, if any: its effect and
/// duration in ms.
pub fn emphasis_for(update: Option<&Update>, target: &str) -> Option<(Emphasis, u32)> {
    emphases(update)
        .iter()
        .rev()
        .find(|e| e.target == target)
        .map(|e| (e.effect, e.duration.unwrap_or(DEFAULT_EMPHASIS_MS)))
}

/// The class for an element appearing (`appear == true`) or disappearing
/// with this hint, and its duration in ms; `None` for instant.
pub fn appear_class(animate: Option<&Animate>, appear: bool) -> Option<(&'static str, u32)> {
    let a = animate?;
    let ms = a.duration.unwrap_or(DEFAULT_APPEAR_MS);
    let class = match (a.effect?, appear) {
        (Effect::Instant, _) => return None,
        (Effect::Fade, true) => "tulip-anim--fade-in",
        (Effect::Fade, false) => "tulip-anim--fade-out",
        (Effect::Scale, true) => "tulip-anim--scale-in",
        (Effect::Scale, false) => "tulip-anim--scale-out",
    };
    (ms > 0).then_some((class, ms))
}

/// Web Animations keyframes and easing for an emphasis.
pub fn emphasis_keyframes(effect: Emphasis) -> (&'static str, &'static str) {
    match effect {
        Emphasis::Shake => (
            r#"[{"transform":"translateX(0)"},{"transform":"translateX(-6px)"},{"transform":"translateX(6px)"},{"transform":"translateX(-4px)"},{"transform":"translateX(4px)"},{"transform":"translateX(0)"}]"#,
            "ease-in-out",
        ),
        Emphasis::Pulse => (
            r#"[{"transform":"scale(1)"},{"transform":"scale(1.12)"},{"transform":"scale(1)"}]"#,
            "ease-in-out",
        ),
        Emphasis::Glow => (
            r#"[{"boxShadow":"0 0 0 0 rgba(240,98,146,0)"},{"boxShadow":"0 0 14px 4px rgba(240,98,146,0.85)"},{"boxShadow":"0 0 0 0 rgba(240,98,146,0)"}]"#,
            "ease-in-out",
        ),
    }
}

/// The CSS attribute selector matching `data-target="target"`, with the
/// value escaped for a quoted selector string.
pub fn target_selector(target: &str) -> String {
    let mut s = String::from("[data-target=\"");
    for c in target.chars() {
        match c {
            '"' | '\\' => {
                s.push('\\');
                s.push(c);
            }
            // Control characters cannot appear in a CSS string unescaped.
            c if c.is_control() => s.push_str(&format!("\\{:x} ", c as u32)),
            c => s.push(c),
        }
    }
    s.push_str("\"]");
    s
}

/// Plays every `emphasize` of `update` inside `root` (the widget's element):
/// `"widget"` is `root` itself, anything else the elements whose
/// `data-target` equals the target. Does nothing with reduced motion.
/// Returns how many elements were animated.
pub fn play_emphases(root: &web_sys::Element, update: &Update) -> u32 {
    let list = emphases(Some(update));
    if list.is_empty() || reduced_motion() {
        return 0;
    }
    let mut n = 0;
    for e in list {
        let ms = e.duration.unwrap_or(DEFAULT_EMPHASIS_MS);
        if e.target == "widget" {
            n += u32::from(animate_element(root, e.effect, ms));
            continue;
        }
        let Ok(found) = root.query_selector_all(&target_selector(&e.target)) else {
            continue;
        };
        for i in 0..found.length() {
            if let Some(el) = found
                .item(i)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            {
                n += u32::from(animate_element(&el, e.effect, ms));
            }
        }
    }
    n
}

/// `el.animate(keyframes, {duration, easing})`, called through reflection
/// (no web-sys feature needed); `false` when the browser has no
/// `Element.animate`.
fn animate_element(el: &web_sys::Element, effect: Emphasis, ms: u32) -> bool {
    use wasm_bindgen::{JsCast, JsValue};
    let (frames, easing) = emphasis_keyframes(effect);
    let Ok(frames) = js_sys::JSON::parse(frames) else {
        return false;
    };
    let Ok(f) = js_sys::Reflect::get(el, &JsValue::from_str("animate")) else {
        return false;
    };
    let Some(f) = f.dyn_ref::<js_sys::Function>() else {
        return false;
    };
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"duration".into(), &JsValue::from_f64(f64::from(ms)));
    let _ = js_sys::Reflect::set(&opts, &"easing".into(), &JsValue::from_str(easing));
    f.call2(el, &frames, &opts).is_ok()
}

/// Whether the player asked for reduced motion
/// (`prefers-reduced-motion: reduce`). Always `false` outside a browser.
pub fn reduced_motion() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| {
                w.match_media("(prefers-reduced-motion: reduce)")
                    .ok()
                    .flatten()
            })
            .is_some_and(|m| m.matches())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        false
    }
}

/// Milliseconds on the page's monotonic clock (`performance.now()`); 0
/// outside a browser.
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        // The `Performance` object is looked up once: `window()` and its
        // `performance` getter cost tens of µs a call, `now()` alone ~1.
        thread_local! {
            static PERF: Option<web_sys::Performance> =
                web_sys::window().and_then(|w| w.performance());
        }
        PERF.with(|p| p.as_ref().map_or(0.0, |p| p.now()))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anim(duration: u32) -> Animate {
        Animate {
            duration: Some(duration),
            easing: Some(Easing::Linear),
            effect: None,
        }
    }

    #[test]
    fn curves_start_at_0_end_at_1_and_rise() {
        for e in [
            None,
            Some(Easing::Linear),
            Some(Easing::Ease),
            Some(Easing::EaseIn),
            Some(Easing::EaseOut),
            Some(Easing::EaseInOut),
        ] {
            assert!(ease(e, 0.0).abs() < 1e-6, "{e:?}");
            assert!((ease(e, 1.0) - 1.0).abs() < 1e-6, "{e:?}");
            let mut last = 0.0;
            for i in 1..=20 {
                let v = ease(e, i as f64 / 20.0);
                assert!(v + 1e-9 >= last, "{e:?} falls at {i}");
                last = v;
            }
        }
        // ease-in starts slow, ease-out starts fast.
        assert!(ease(Some(Easing::EaseIn), 0.25) < 0.25);
        assert!(ease(Some(Easing::EaseOut), 0.25) > 0.25);
        assert_eq!(ease(Some(Easing::Linear), f64::NAN), 1.0);
    }

    #[test]
    fn a_tween_moves_and_stops_at_its_target() {
        let t = Tween::still((0.0, 0.0)).retarget(100.0, (10.0, 20.0), Some(&anim(100)), false);
        assert_eq!(t.at(100.0), (0.0, 0.0));
        assert_eq!(t.at(150.0), (5.0, 10.0));
        assert_eq!(t.at(200.0), (10.0, 20.0));
        assert_eq!(t.at(10_000.0), (10.0, 20.0));
        assert!(t.running(150.0) && !t.running(200.0));
    }

    #[test]
    fn a_new_target_mid_move_continues_from_where_it_is() {
        let t = Tween::still((0.0, 0.0)).retarget(0.0, (100.0, 0.0), Some(&anim(100)), false);
        let u = t.retarget(50.0, (100.0, 100.0), Some(&anim(100)), false);
        assert_eq!(u.at(50.0), (50.0, 0.0), "no jump");
        assert_eq!(u.at(150.0), (100.0, 100.0));
    }

    #[test]
    fn no_hint_zero_duration_instant_or_reduced_motion_is_instant() {
        let s = Tween::still((1.0, 1.0));
        assert_eq!(s.retarget(0.0, (5.0, 5.0), None, false).at(0.0), (5.0, 5.0));
        assert_eq!(
            s.retarget(0.0, (5.0, 5.0), Some(&anim(0)), false).at(0.0),
            (5.0, 5.0)
        );
        assert_eq!(
            s.retarget(0.0, (5.0, 5.0), Some(&anim(500)), true).at(0.0),
            (5.0, 5.0)
        );
        let instant = Animate {
            effect: Some(Effect::Instant),
            ..anim(500)
        };
        assert_eq!(
            s.retarget(0.0, (5.0, 5.0), Some(&instant), false).at(0.0),
            (5.0, 5.0)
        );
        // A hint without a duration takes the default.
        let d = s.retarget(0.0, (5.0, 5.0), Some(&Animate::default()), false);
        assert_eq!(d.duration, DEFAULT_MOVE_MS);
    }

    #[test]
    fn selectors_escape_quotes() {
        assert_eq!(target_selector("3,4"), r#"[data-target="3,4"]"#);
        assert_eq!(target_selector(r#"a"b\c"#), r#"[data-target="a\"b\\c"]"#);
        for e in [Emphasis::Shake, Emphasis::Pulse, Emphasis::Glow] {
            let (frames, _) = emphasis_keyframes(e);
            let v: serde_json::Value = serde_json::from_str(frames).unwrap();
            assert!(v.as_array().is_some_and(|a| a.len() >= 3));
        }
    }

    #[test]
    fn appear_classes() {
        let fade = Animate {
            effect: Some(Effect::Fade),
            duration: Some(300),
            easing: None,
        };
        assert_eq!(
            appear_class(Some(&fade), true),
            Some(("tulip-anim--fade-in", 300))
        );
        assert_eq!(
            appear_class(Some(&fade), false),
            Some(("tulip-anim--fade-out", 300))
        );
        let scale = Animate {
            effect: Some(Effect::Scale),
            duration: None,
            easing: None,
        };
        assert_eq!(
            appear_class(Some(&scale), true),
            Some(("tulip-anim--scale-in", DEFAULT_APPEAR_MS))
        );
        assert_eq!(appear_class(None, true), None);
        assert_eq!(
            appear_class(Some(&anim(100)), true),
            None,
            "a move hint has no effect"
        );
    }

    #[test]
    fn emphasis_of_an_update() {
        let w = tulip_core::parse_widget_value(
            serde_json::json!({"widget_type": "hud", "extra_data": {"bars": [{"label": "HP", "current": 1, "max": 2}]}}),
            &tulip_core::Policy::default(),
        )
        .unwrap();
        let u = tulip_core::parse_update(
            &w.body,
            serde_json::json!({"emphasize": [{"target": "HP", "effect": "shake", "duration": 300}, {"target": "widget", "effect": "glow"}]}),
        )
        .unwrap();
        assert_eq!(emphasis_for(Some(&u), "HP"), Some((Emphasis::Shake, 300)));
        assert_eq!(
            emphasis_for(Some(&u), "widget"),
            Some((Emphasis::Glow, DEFAULT_EMPHASIS_MS))
        );
        assert_eq!(emphasis_for(Some(&u), "MP"), None);
        assert_eq!(emphasis_for(None, "HP"), None);
        assert_eq!(emphases(Some(&u)).len(), 2);
    }
}
