//! The hud widget: labelled bars (value as text and as a bar) and stats.

use std::rc::Rc;

use tulip_core::model::{Bar, Hud, StatValue};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HudProps {
    pub hud: Rc<Hud>,
}

/// A number as a player reads it: `7` rather than `7.0`, at most two
/// decimals otherwise.
pub fn format_number(n: f64) -> String {
    if !n.is_finite() {
        return String::new();
    }
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// How full a bar is, in percent, clamped to 0..=100 (a `max` of 0 or less
/// is an empty bar).
pub fn bar_percent(current: f64, max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() || !current.is_finite() {
        return 0.0;
    }
    (current / max * 100.0).clamp(0.0, 100.0)
}

fn bar_view(bar: &Bar) -> Html {
    let pct = bar_percent(bar.current, bar.max);
    let value = format!(
        "{} / {}",
        format_number(bar.current),
        format_number(bar.max)
    );
    // Colours come validated and canonical from tulip-core.
    let mut style = format!("width:{pct:.1}%;");
    if let Some(c) = &bar.color {
        style.push_str("background:");
        style.push_str(c.as_str());
        style.push(';');
    }
    html! {
        <div class="tulip-hud__bar" data-label={bar.label.clone()}>
            <div class="tulip-hud__bar-head">
                <span class="tulip-hud__bar-label">{ bar.label.clone() }</span>
                <span class="tulip-hud__bar-value">{ value.clone() }</span>
            </div>
            <div class="tulip-hud__track" role="progressbar"
                 aria-label={bar.label.clone()}
                 aria-valuemin="0"
                 aria-valuemax={format_number(bar.max)}
                 aria-valuenow={format_number(bar.current)}
                 aria-valuetext={value}>
                <div class="tulip-hud__fill" {style}></div>
            </div>
        </div>
    }
}

#[component]
pub fn HudView(props: &HudProps) -> Html {
    let hud = &props.hud;
    let bars = hud.bars.iter().map(bar_view);
    let stats = hud.stats.iter().map(|s| {
        let value = match &s.value {
            StatValue::Number(n) => format_number(*n),
            StatValue::Text(t) => t.clone(),
        };
        html! {
            <div class="tulip-hud__stat">
                <dt>{ s.label.clone() }</dt>
                <dd>{ value }</dd>
            </div>
        }
    });
    html! {
        <div class="tulip-hud">
            if !hud.bars.is_empty() {
                <div class="tulip-hud__bars">{ for bars }</div>
            }
            if !hud.stats.is_empty() {
                <dl class="tulip-hud__stats">{ for stats }</dl>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(format_number(7.0), "7");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(1.0 / 3.0), "0.33");
        assert_eq!(format_number(f64::NAN), "");
    }

    #[test]
    fn bars_are_clamped() {
        assert_eq!(bar_percent(5.0, 10.0), 50.0);
        assert_eq!(bar_percent(15.0, 10.0), 100.0);
        assert_eq!(bar_percent(-1.0, 10.0), 0.0);
        assert_eq!(bar_percent(1.0, 0.0), 0.0);
    }
}
