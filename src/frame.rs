//! The frame around one widget: focus, keyboard capture, timer, sound and
//! mute. Not written yet: it only draws the widget.

use yew::prelude::*;

use crate::widget::{WidgetProps, WidgetView};

#[derive(Properties, PartialEq, Clone)]
pub struct FrameProps {
    /// What the widget view draws.
    pub inner: WidgetProps,
    /// Server clock minus local clock, in ms; timers use it.
    #[prop_or_default]
    pub clock_offset_ms: f64,
}

/// Draws `props.inner`'s widget inside the frame.
#[component]
pub fn WidgetFrame(props: &FrameProps) -> Html {
    html! { <WidgetView ..props.inner.clone() /> }
}
