//! The inventory widget (issue 6). Not drawn yet: a placeholder.

use tulip_core::Body;
use yew::prelude::*;

use crate::widget::WidgetProps;

#[component]
pub fn InventoryView(props: &WidgetProps) -> Html {
    let Body::Inventory(_) = &props.widget.body else {
        return Html::default();
    };
    html! { <p class="tulip-widget__unsupported">{ "The inventory widget is not drawn yet." }</p> }
}
