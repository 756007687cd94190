//! Timers drawn from the server's `expires_at`: the pure maths (remaining
//! time with the clock offset, the bar's fraction, `m:ss`, when to tick
//! next) and [`TimerView`], one drawn timer.
//!
//! The server owns every timer (it stamps `expires_at` and tells the bot
//! when it runs out); the renderer only draws it. At zero it shows `0:00`
//! and "waiting for server…" until an update replaces or cancels the timer:
//! it never acts by itself.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use tulip_core::model::{Timer, TimerStyle};
use tulip_core::Widget;
use yew::prelude::*;

/// The bar redraws this often, in ms (a CSS transition smooths between).
pub const BAR_TICK_MS: u32 = 200;

/// Milliseconds left on a timer that runs out at `expires_at` (server epoch
/// ms), when the local clock reads `local_now` (epoch ms) and the server's
/// clock is `offset_ms` ahead of it. Never negative; 0 for nonsense input.
pub fn remaining_ms(expires_at: f64, local_now: f64, offset_ms: f64) -> f64 {
    let left = expires_at - (local_now + offset_ms);
    if left.is_nan() {
        0.0
    } else {
        left.max(0.0)
    }
}

/// How full the bar is: the part of the timer's `seconds` still left, 0..=1.
pub fn fraction(remaining_ms: f64, seconds: f64) -> f64 {
    let total = seconds * 1000.0;
    if total.is_nan() || total <= 0.0 || remaining_ms.is_nan() {
        return 0.0;
    }
    (remaining_ms / total).clamp(0.0, 1.0)
}

/// Whole seconds left, rounded up: a timer shows 0 only when it has run out.
pub fn whole_seconds(remaining_ms: f64) -> u64 {
    if remaining_ms.is_nan() || remaining_ms <= 0.0 {
        0
    } else {
        (remaining_ms / 1000.0).ceil() as u64
    }
}

/// `m:ss`, or `h:mm:ss` from an hour up (timers last at most a day).
pub fn format_clock(remaining_ms: f64) -> String {
    let s = whole_seconds(remaining_ms);
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// How long to wait before redrawing, or `None` once the timer has run out
/// (nothing moves any more until the server speaks). A countdown wakes just
/// after its number changes; a bar every [`BAR_TICK_MS`].
pub fn next_tick_ms(style: TimerStyle, remaining_ms: f64) -> Option<u32> {
    if remaining_ms.is_nan() || remaining_ms <= 0.0 {
        return None;
    }
    match style {
        TimerStyle::Hidden => None,
        TimerStyle::Bar => Some(BAR_TICK_MS.min(remaining_ms.ceil() as u32).max(16)),
        TimerStyle::Countdown => {
            let into_second = remaining_ms % 1000.0;
            let wait = if into_second == 0.0 {
                1000.0
            } else {
                into_second
            };
            Some((wait.ceil() as u32 + 5).clamp(16, 1000))
        }
    }
}

/// A timer the frame draws: the composite child holding it (`None` for the
/// widget itself) and the timer.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub child: Option<String>,
    pub timer: Timer,
}

/// The timers to draw: the widget's and its composite children's (any
/// depth), without those with `visible: false` or `style: hidden`.
pub fn shown_timers(w: &Widget) -> Vec<Shown> {
    w.timers()
        .into_iter()
        .filter(|t| t.view.is_none())
        .filter(|t| t.timer.visible != Some(false) && t.timer.style != Some(TimerStyle::Hidden))
        .map(|t| Shown {
            child: t.child,
            timer: t.timer,
        })
        .collect()
}

/// The accessible name of a timer.
pub fn label(child: Option<&str>) -> String {
    match child {
        Some(c) => format!("Time left ({c})"),
        None => "Time left".to_owned(),
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct TimerProps {
    pub timer: Timer,
    /// The composite child holding the timer, shown in its label.
    #[prop_or_default]
    pub child: Option<String>,
    /// Server clock minus local clock, in ms.
    #[prop_or_default]
    pub clock_offset_ms: f64,
}

/// Local epoch ms (`Date.now()`); 0 outside a browser.
fn local_now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

/// One timer, as a bar or a countdown, ticking only while it runs.
///
/// A timer without `expires_at` was not stamped by a server (the gallery,
/// the playground): it counts from when this timer was first drawn.
#[component]
pub fn TimerView(props: &TimerProps) -> Html {
    let tick = use_state(|| 0u64);
    // When a timer value was first drawn, for unstamped timers.
    let first_drawn = use_memo(props.timer.clone(), |_| local_now());
    let now = local_now();
    let t = &props.timer;
    let left = match t.expires_at {
        Some(at) => remaining_ms(at as f64, now, props.clock_offset_ms),
        None => remaining_ms(*first_drawn + t.seconds * 1000.0, now, 0.0),
    };
    let style = t.style.unwrap_or(TimerStyle::Countdown);
    {
        let tick = tick.clone();
        let wait = next_tick_ms(style, left);
        use_effect_with((*tick, wait), move |(n, wait)| {
            let cancelled = Rc::new(Cell::new(false));
            if let Some(ms) = *wait {
                let (n, cancelled) = (*n, cancelled.clone());
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(Duration::from_millis(u64::from(ms))).await;
                    if !cancelled.get() {
                        tick.set(n + 1);
                    }
                });
            }
            move || cancelled.set(true)
        });
    }
    let done = left <= 0.0;
    let waiting = done.then(|| {
        html! { <span class="tulip-timer__waiting" data-testid="timer-waiting">{ "waiting for server…" }</span> }
    });
    let label = label(props.child.as_deref());
    let who = props.child.as_ref().map(|c| {
        html! { <span class="tulip-timer__who">{ c.clone() }</span> }
    });
    let state = if done { "expired" } else { "running" };
    match style {
        TimerStyle::Bar => {
            let pct = fraction(left, t.seconds) * 100.0;
            let secs = whole_seconds(left);
            html! {
                <div class="tulip-timer tulip-timer--bar" role="timer" aria-label={label}
                     data-testid="timer" data-style="bar" data-state={state}>
                    { for who }
                    <span class="tulip-timer__track" aria-hidden="true">
                        <span class="tulip-timer__fill" style={format!("width: {pct:.1}%")}></span>
                    </span>
                    <span class="tulip-timer__text" data-testid="timer-text">{ format!("{secs} s") }</span>
                    { for waiting }
                </div>
            }
        }
        _ => html! {
            <div class="tulip-timer tulip-timer--countdown" role="timer" aria-label={label}
                 data-testid="timer" data-style="countdown" data-state={state}>
                { for who }
                <span class="tulip-timer__icon" aria-hidden="true">{ "⏱" }</span>
                <span class="tulip-timer__text" data-testid="timer-text">{ format_clock(left) }</span>
                { for waiting }
            </div>
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tulip_core::{parse_widget_value, Policy};

    #[test]
    fn remaining_time_uses_the_server_clock() {
        // Server 10 s ahead: at local 1_000_000 it is 1_010_000 there.
        assert_eq!(remaining_ms(1_075_000.0, 1_000_000.0, 10_000.0), 65_000.0);
        // Server behind.
        assert_eq!(remaining_ms(1_075_000.0, 1_000_000.0, -5_000.0), 80_000.0);
        // Past: clamped at zero.
        assert_eq!(remaining_ms(1_000.0, 1_000_000.0, 0.0), 0.0);
        assert_eq!(remaining_ms(f64::NAN, 0.0, 0.0), 0.0);
    }

    #[test]
    fn the_bar_fraction_is_clamped() {
        assert_eq!(fraction(15_000.0, 30.0), 0.5);
        assert_eq!(fraction(45_000.0, 30.0), 1.0, "clock skew cannot overfill");
        assert_eq!(fraction(0.0, 30.0), 0.0);
        assert_eq!(fraction(5.0, 0.0), 0.0);
        assert_eq!(fraction(f64::NAN, 10.0), 0.0);
    }

    #[test]
    fn clocks_round_up_and_grow_hours() {
        assert_eq!(format_clock(65_000.0), "1:05");
        assert_eq!(format_clock(64_001.0), "1:05");
        assert_eq!(format_clock(64_000.0), "1:04");
        assert_eq!(format_clock(999.0), "0:01");
        assert_eq!(format_clock(0.0), "0:00");
        assert_eq!(format_clock(-3.0), "0:00");
        assert_eq!(format_clock(3_600_000.0), "1:00:00");
        assert_eq!(format_clock(86_400_000.0), "24:00:00");
        assert_eq!(whole_seconds(12_300.0), 13);
    }

    #[test]
    fn ticks_stop_at_zero() {
        assert_eq!(next_tick_ms(TimerStyle::Countdown, 0.0), None);
        assert_eq!(next_tick_ms(TimerStyle::Bar, 0.0), None);
        assert_eq!(next_tick_ms(TimerStyle::Hidden, 5_000.0), None);
        assert_eq!(next_tick_ms(TimerStyle::Bar, 5_000.0), Some(BAR_TICK_MS));
        // A countdown wakes just after the shown second changes.
        assert_eq!(next_tick_ms(TimerStyle::Countdown, 5_300.0), Some(305));
        assert_eq!(next_tick_ms(TimerStyle::Countdown, 5_000.0), Some(1000));
        assert_eq!(next_tick_ms(TimerStyle::Countdown, 2.0), Some(16));
        // The last bar tick lands on zero.
        assert_eq!(next_tick_ms(TimerStyle::Bar, 50.0), Some(50));
    }

    #[test]
    fn shown_timers_include_children_and_skip_hidden_ones() {
        let w = parse_widget_value(
            json!({"widget_type": "composite", "extra_data": {
            "timer": {"seconds": 30},
            "widgets": [
                {"id": "a", "type": "hud", "timer": {"seconds": 5, "style": "bar"}},
                {"id": "b", "type": "hud", "timer": {"seconds": 5, "visible": false}},
                {"id": "c", "type": "hud", "timer": {"seconds": 5, "style": "hidden"}},
                {"id": "d", "type": "composite", "widgets": [
                    {"id": "e", "type": "hud", "timer": {"seconds": 9}}
                ]}
            ]}}),
            &Policy::default(),
        )
        .unwrap();
        let got: Vec<_> = shown_timers(&w)
            .into_iter()
            .map(|s| (s.child, s.timer.seconds))
            .collect();
        assert_eq!(
            got,
            [
                (None, 30.0),
                (Some("a".to_owned()), 5.0),
                (Some("e".to_owned()), 9.0)
            ]
        );
        assert_eq!(label(Some("a")), "Time left (a)");
    }
}
