//! The chat demo page. Not written yet.

use yew::prelude::*;

#[component]
pub fn ChatPage() -> Html {
    html! { <main class="tulip-chat"><h1>{ "Chat" }</h1></main> }
}
