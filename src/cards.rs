//! The cards widget (issue 6). Not drawn yet: a placeholder.

use tulip_core::Body;
use yew::prelude::*;

use crate::widget::WidgetProps;

#[component]
pub fn CardsView(props: &WidgetProps) -> Html {
    let Body::Cards(_) = &props.widget.body else {
        return Html::default();
    };
    html! { <p class="tulip-widget__unsupported">{ "The cards widget is not drawn yet." }</p> }
}
