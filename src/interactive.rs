//! The interactive widget: a row of buttons sending `button_click {action}`.

use std::rc::Rc;

use serde_json::{json, Value};
use tulip_core::model::{ButtonStyle, Interactive};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InteractiveProps {
    pub interactive: Rc<Interactive>,
    /// Receives `{"type": "button_click", "action"}`.
    #[prop_or_default]
    pub on_interaction: Callback<Value>,
}

/// The style's name, used in the class and `data-style`.
pub fn style_name(style: Option<ButtonStyle>) -> &'static str {
    match style {
        Some(ButtonStyle::Primary) => "primary",
        None | Some(ButtonStyle::Secondary) => "secondary",
        Some(ButtonStyle::Danger) => "danger",
    }
}

#[component]
pub fn InteractiveView(props: &InteractiveProps) -> Html {
    let buttons = props.interactive.components.iter().map(|c| {
        let style = style_name(c.style);
        let disabled = c.disabled == Some(true);
        let onclick = (!disabled).then(|| {
            let cb = props.on_interaction.clone();
            let action = c.action.clone();
            Callback::from(move |_: MouseEvent| {
                cb.emit(json!({"type": "button_click", "action": action.clone()}))
            })
        });
        html! {
            <button type="button"
                    class={classes!("tulip-button", format!("tulip-button--{style}"))}
                    data-style={style} data-action={c.action.clone()} {disabled} {onclick}>
                // Danger is marked by a sign too, not by colour alone.
                if style == "danger" {
                    <span class="tulip-button__sign" aria-hidden="true">{ "⚠ " }</span>
                }
                { c.label.clone() }
            </button>
        }
    });
    html! {
        <div class="tulip-interactive" role="group" aria-label="Actions">
            { for buttons }
        </div>
    }
}
