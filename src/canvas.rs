//! The canvas widget (issue 6). Not drawn yet: a placeholder.

use tulip_core::Body;
use yew::prelude::*;

use crate::widget::WidgetProps;

#[component]
pub fn CanvasView(props: &WidgetProps) -> Html {
    let Body::Canvas(_) = &props.widget.body else {
        return Html::default();
    };
    html! { <p class="tulip-widget__unsupported">{ "The canvas widget is not drawn yet." }</p> }
}
