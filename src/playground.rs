//! The playground page: edit a payload, see errors and every seat's view.
//! Not written yet.

use yew::prelude::*;

#[component]
pub fn PlaygroundPage() -> Html {
    html! { <main class="tulip-playground"><h1>{ "Playground" }</h1></main> }
}
