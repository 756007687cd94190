//! The browser benchmark page. Not written yet.

use yew::prelude::*;

#[component]
pub fn BenchPage() -> Html {
    html! { <main class="tulip-bench"><h1>{ "Benchmark" }</h1></main> }
}
