//! The width of an element, kept current as it changes (a `ResizeObserver`,
//! reached through reflection; the window's `resize` event where there is
//! none).

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// Keeps a listener alive until dropped.
struct Watch {
    observer: Option<JsValue>,
    resize: Option<Closure<dyn FnMut(JsValue)>>,
    _callback: Closure<dyn FnMut(JsValue)>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Some(obs) = &self.observer {
            if let Some(f) = Reflect::get(obs, &JsValue::from_str("disconnect"))
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
            {
                let _ = f.call0(obs);
            }
        }
        if let (Some(cb), Some(w)) = (&self.resize, web_sys::window()) {
            let _ = w.remove_event_listener_with_callback("resize", cb.as_ref().unchecked_ref());
        }
    }
}

fn watch(el: &web_sys::Element, on_width: impl Fn(f64) + 'static) -> Option<Watch> {
    let window = web_sys::window()?;
    let target = el.clone();
    let report = move |_: JsValue| on_width(f64::from(target.client_width()));
    let ctor = Reflect::get(&window, &JsValue::from_str("ResizeObserver"))
        .ok()
        .and_then(|c| c.dyn_into::<Function>().ok());
    if let Some(ctor) = ctor {
        let callback = Closure::<dyn FnMut(JsValue)>::new(report);
        let observer = Reflect::construct(&ctor, &Array::of1(callback.as_ref())).ok()?;
        let observe = Reflect::get(&observer, &JsValue::from_str("observe"))
            .ok()?
            .dyn_into::<Function>()
            .ok()?;
        observe.call1(&observer, el).ok()?;
        return Some(Watch {
            observer: Some(observer),
            resize: None,
            _callback: callback,
        });
    }
    let resize = Closure::<dyn FnMut(JsValue)>::new(report);
    window
        .add_event_listener_with_callback("resize", resize.as_ref().unchecked_ref())
        .ok()?;
    Some(Watch {
        observer: None,
        resize: Some(resize),
        _callback: Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {}),
    })
}

/// The element's `clientWidth` in CSS pixels, `None` until measured.
#[hook]
pub fn use_width(node: &NodeRef) -> Option<f64> {
    let width = use_state_eq(|| None::<f64>);
    {
        let width = width.clone();
        use_effect_with(node.clone(), move |node| {
            let el = node.cast::<web_sys::Element>();
            let set = move |w: f64| {
                // Whole pixels: sub-pixel jitter must not re-lay the cards.
                if w > 0.0 {
                    width.set(Some(w.round()));
                }
            };
            let w = el.as_ref().and_then(|el| {
                set(f64::from(el.client_width()));
                watch(el, set)
            });
            move || drop(w)
        });
    }
    *width
}
