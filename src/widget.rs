//! Renders any widget payload: dispatches on its kind.

use std::rc::Rc;

use serde_json::Value;
use tulip_core::{Body, Widget};
use yew::prelude::*;

use crate::grid::GridView;

#[derive(Properties, PartialEq)]
pub struct WidgetProps {
    pub widget: Rc<Widget>,
    #[prop_or_default]
    pub on_interaction: Callback<Value>,
}

#[component]
pub fn WidgetView(props: &WidgetProps) -> Html {
    let kind = props.widget.kind().as_str();
    let inner = match &props.widget.body {
        Body::Grid(g) => html! {
            <GridView grid={Rc::new(g.clone())} on_interaction={props.on_interaction.clone()} />
        },
        _ => html! {
            <p class="tulip-widget__unsupported">{ format!("The {kind} widget is not drawn yet.") }</p>
        },
    };
    html! {
        <div class={classes!("tulip-widget", format!("tulip-widget--{kind}"))} data-widget-type={kind}>
            { inner }
        </div>
    }
}
