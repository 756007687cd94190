//! The interactive widget: a row of buttons, each sending
//! `{"type": "button_click", "action"}` (PROTOCOL.md 1.1).
//!
//! - Styles: `primary` (filled), `secondary` (outlined, the default) and
//!   `danger` (outlined in the danger colour, with a ⚠ sign): each differs
//!   by more than its colour.
//! - A disabled button stays a focusable `<button>` with
//!   `aria-disabled="true"` (so keyboard and screen reader users still find
//!   it and hear that it is unavailable) and sends nothing.
//! - Buttons carry `data-target="<action>"` for the frame's emphasis, and
//!   wrap onto more rows when the width runs out (360 px phones).

use serde_json::json;
use tulip_core::model::ButtonStyle;
use tulip_core::Body;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hud::model::unique_keys;
use crate::widget::WidgetProps;

/// The style's name, used in the class and `data-style`.
pub fn style_name(style: Option<ButtonStyle>) -> &'static str {
    match style {
        Some(ButtonStyle::Primary) => "primary",
        None | Some(ButtonStyle::Secondary) => "secondary",
        Some(ButtonStyle::Danger) => "danger",
    }
}

/// The action of the enabled button an event happened on.
fn action_of(target: Option<web_sys::EventTarget>) -> Option<String> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?;
    let button = el.closest("button[data-action]").ok()??;
    if button.get_attribute("aria-disabled").as_deref() == Some("true") {
        return None;
    }
    button.get_attribute("data-action")
}

/// The buttons: `props.widget` must be an interactive widget.
#[component]
pub fn InteractiveView(props: &WidgetProps) -> Html {
    let Body::Interactive(interactive) = &props.widget.body else {
        return Html::default();
    };
    // One listener for all the buttons.
    let onclick = {
        let cb = props.on_interaction.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(action) = action_of(e.target()) {
                cb.emit(json!({"type": "button_click", "action": action}));
            }
        })
    };
    let keys = unique_keys(interactive.components.iter().map(|c| c.action.as_str()));
    let buttons = interactive.components.iter().zip(keys).map(|(c, key)| {
        let style = style_name(c.style);
        let disabled = c.disabled == Some(true);
        html! {
            <button type="button" {key}
                    class={classes!("tulip-button", format!("tulip-button--{style}"))}
                    data-style={style} data-action={c.action.clone()}
                    data-target={c.action.clone()}
                    aria-disabled={disabled.then_some("true")}>
                // Danger is marked by a sign too, not by colour alone.
                if style == "danger" {
                    <span class="tulip-button__sign" aria-hidden="true">{ "⚠" }</span>
                }
                <span class="tulip-button__label">{ c.label.clone() }</span>
            </button>
        }
    });
    html! {
        <div class="tulip-interactive" role="group" aria-label="Actions" {onclick}>
            { for buttons }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_have_names_and_secondary_is_the_default() {
        assert_eq!(style_name(None), "secondary");
        assert_eq!(style_name(Some(ButtonStyle::Primary)), "primary");
        assert_eq!(style_name(Some(ButtonStyle::Danger)), "danger");
    }
}
