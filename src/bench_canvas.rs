//! The canvas section of the browser benchmark page (`#bench`): 1,000
//! moving sprites, drawing time per frame. Not written yet.

use yew::prelude::*;

#[component]
pub fn CanvasBench() -> Html {
    html! { <section class="tulip-bench__canvas"><h2>{ "Canvas" }</h2></section> }
}
