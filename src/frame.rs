//! The frame around one widget: focus, keyboard capture, timer, sound and
//! mute. Not written yet: it only draws the widget.

use yew::prelude::*;

use crate::widget::{WidgetProps, WidgetView};

/// Draws `props`' widget inside the frame.
#[component]
pub fn WidgetFrame(props: &WidgetProps) -> Html {
    html! { <WidgetView ..props.clone() /> }
}
