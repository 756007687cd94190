//! Helpers shared by the browser tests (`mod common;` in each test file).

use std::time::Duration;

use web_sys::Element;

/// A fresh, empty `<div>` appended to the document body.
pub fn fresh_root() -> Element {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .expect("a browser document");
    let div = document.create_element("div").expect("create <div>");
    document
        .body()
        .expect("document has a <body>")
        .append_child(&div)
        .expect("append <div> to <body>");
    div
}

/// Lets Yew's scheduler run so that renders reach the DOM.
pub async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(10)).await;
}
