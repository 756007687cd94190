//! The hud widget: labelled bars and stats (PROTOCOL.md 1.1).
//!
//! - Each bar shows its label, its value as text ("72 / 100") and a
//!   `role=progressbar` track whose fill takes the payload's colour (already
//!   validated and canonical). The value is always text: colour is never
//!   the only signal.
//! - When a live version moves a bar, its fill glides to the new width (a
//!   CSS transition, off under `prefers-reduced-motion`) and the change
//!   shows beside the value for a moment ("−12"); a stat whose value changed
//!   flashes. What changed is worked out by [`model::Changes`], once per
//!   version (`props.seq`).
//! - Bars and stats carry `data-target="<label>"` for the frame's emphasis.
//!
//! See docs/renderer/panels.md.

pub mod model;

use tulip_core::model::Bar;
use tulip_core::Body;
use yew::prelude::*;

pub use model::{bar_percent, format_number};
use model::{bar_value, bar_value_spoken, delta_text, stat_value, unique_keys, Changes};

use crate::widget::WidgetProps;

/// The fill's inline style: its width, and the bot's colour (validated and
/// canonical, the only thing from the payload that reaches a style).
fn fill_style(bar: &Bar) -> String {
    let mut style = format!("width:{:.1}%;", bar_percent(bar.current, bar.max));
    if let Some(c) = &bar.color {
        style.push_str("background:");
        style.push_str(c.as_str());
        style.push(';');
    }
    style
}

fn bar_view(bar: &Bar, key: String, delta: Option<f64>, seq: u64) -> Html {
    let label = bar.label.clone();
    let delta = delta.map(|d| {
        let class = classes!(
            "tulip-hud__delta",
            if d < 0.0 {
                "tulip-hud__delta--down"
            } else {
                "tulip-hud__delta--up"
            }
        );
        // Keyed on the version: a new change is a new element, so its
        // animation plays again. Screen readers hear the new value from the
        // host's announcement instead.
        html! { <span key={seq} {class} aria-hidden="true">{ delta_text(d) }</span> }
    });
    html! {
        <div class="tulip-hud__bar" {key} data-label={label.clone()}
             data-target={label.clone()}>
            <div class="tulip-hud__bar-head">
                <span class="tulip-hud__bar-label">{ label.clone() }</span>
                <span class="tulip-hud__bar-value">
                    { for delta }
                    { bar_value(bar) }
                </span>
            </div>
            <div class="tulip-hud__track" role="progressbar"
                 aria-label={label}
                 aria-valuemin="0"
                 aria-valuemax={format_number(bar.max)}
                 aria-valuenow={format_number(bar.current)}
                 aria-valuetext={bar_value_spoken(bar)}>
                <div class="tulip-hud__fill" style={fill_style(bar)}></div>
            </div>
        </div>
    }
}

/// The HUD: `props.widget` must be a hud (anything else draws nothing).
#[component]
pub fn HudView(props: &WidgetProps) -> Html {
    let changes = use_mut_ref(Changes::default);
    let Body::Hud(hud) = &props.widget.body else {
        return Html::default();
    };
    let mut c = changes.borrow_mut();
    c.observe(props.seq, &hud.bars, &hud.stats);
    // Changes are shown for live updates only: a refetched or replaced
    // state is not news.
    let live = props.live;
    let bar_keys = unique_keys(hud.bars.iter().map(|b| b.label.as_str()));
    let stat_keys = unique_keys(hud.stats.iter().map(|s| s.label.as_str()));
    let bars = hud
        .bars
        .iter()
        .zip(bar_keys)
        .map(|(b, key)| bar_view(b, key, c.delta(&b.label).filter(|_| live), props.seq));
    let stats = hud.stats.iter().zip(stat_keys).map(|(s, key)| {
        let changed = live && c.stat_changed(&s.label);
        html! {
            <div {key}
                 class={classes!("tulip-hud__stat", changed.then_some("tulip-hud__stat--changed"))}
                 data-label={s.label.clone()} data-target={s.label.clone()}>
                <dt>{ s.label.clone() }</dt>
                // A changed value is a new element (keyed on the version),
                // so that its flash plays again for the next change.
                <dd>
                    <span key={if changed { props.seq.to_string() } else { "v".to_owned() }}
                          class="tulip-hud__stat-value">
                        { stat_value(s) }
                    </span>
                </dd>
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
