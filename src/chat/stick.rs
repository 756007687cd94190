//! Keeps the message list scrolled to the bottom while the reader is there:
//! when a widget near the end grows (a leaderboard at the end of a round, a
//! card dealt, terminal lines) the newest content stays in view. A reader
//! who scrolled up to an older message is left where they are.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// How close to the bottom (CSS px) still counts as "at the bottom".
pub const SLACK_PX: f64 = 48.0;

/// Whether a scroll position is at (or within [`SLACK_PX`] of) the bottom.
pub fn near_bottom(scroll_top: f64, client_height: f64, scroll_height: f64) -> bool {
    scroll_top + client_height >= scroll_height - SLACK_PX
}

/// Scrolls `el` to its bottom.
pub fn to_bottom(el: &web_sys::Element) {
    el.set_scroll_top(el.scroll_height());
}

/// What keeps the listeners alive; dropping it removes them.
struct Stick {
    list: web_sys::Element,
    on_scroll: Closure<dyn FnMut(JsValue)>,
    observer: Option<JsValue>,
    _on_resize: Closure<dyn FnMut(JsValue)>,
}

impl Drop for Stick {
    fn drop(&mut self) {
        let _ = self
            .list
            .remove_event_listener_with_callback("scroll", self.on_scroll.as_ref().unchecked_ref());
        if let Some(obs) = &self.observer {
            if let Some(f) = Reflect::get(obs, &JsValue::from_str("disconnect"))
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
            {
                let _ = f.call0(obs);
            }
        }
    }
}

fn stick(list: web_sys::Element, content: web_sys::Element) -> Option<Stick> {
    let at_bottom = Rc::new(Cell::new(true));
    let on_scroll = {
        let (list, at_bottom) = (list.clone(), at_bottom.clone());
        Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
            at_bottom.set(near_bottom(
                f64::from(list.scroll_top()),
                f64::from(list.client_height()),
                f64::from(list.scroll_height()),
            ));
        })
    };
    list.add_event_listener_with_callback("scroll", on_scroll.as_ref().unchecked_ref())
        .ok()?;
    let on_resize = {
        let list = list.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
            if at_bottom.get() {
                to_bottom(&list);
            }
        })
    };
    // ResizeObserver through reflection (no web-sys feature needed); without
    // one, only new messages scroll (the list's own effect).
    let observer = web_sys::window()
        .and_then(|w| Reflect::get(&w, &JsValue::from_str("ResizeObserver")).ok())
        .and_then(|c| c.dyn_into::<Function>().ok())
        .and_then(|ctor| Reflect::construct(&ctor, &Array::of1(on_resize.as_ref())).ok())
        .filter(|obs| {
            Reflect::get(obs, &JsValue::from_str("observe"))
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
                .is_some_and(|f| f.call1(obs, &content).is_ok())
        });
    Some(Stick {
        list,
        on_scroll,
        observer,
        _on_resize: on_resize,
    })
}

/// Keeps `list` (the scrolling element) at its bottom while the reader is
/// there and `content` (its inner element) changes size.
#[hook]
pub fn use_stick_to_bottom(list: &NodeRef, content: &NodeRef) {
    use_effect_with((list.clone(), content.clone()), |(list, content)| {
        let s = match (
            list.cast::<web_sys::Element>(),
            content.cast::<web_sys::Element>(),
        ) {
            (Some(l), Some(c)) => stick(l, c),
            _ => None,
        };
        move || drop(s)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bottom_with_some_slack() {
        // 1000 px of content in a 400 px box.
        assert!(near_bottom(600.0, 400.0, 1000.0));
        assert!(near_bottom(560.0, 400.0, 1000.0));
        assert!(!near_bottom(500.0, 400.0, 1000.0));
        // Content shorter than the box: always at the bottom.
        assert!(near_bottom(0.0, 400.0, 300.0));
    }
}
