//! The map widget (issue 6). Not drawn yet: a placeholder.

use tulip_core::Body;
use yew::prelude::*;

use crate::widget::WidgetProps;

#[component]
pub fn MapView(props: &WidgetProps) -> Html {
    let Body::Map(_) = &props.widget.body else {
        return Html::default();
    };
    html! { <p class="tulip-widget__unsupported">{ "The map widget is not drawn yet." }</p> }
}
