//! DOM writes gathered during a paint and made at its end, with all their
//! strings crossing from WebAssembly into JavaScript as one.
//!
//! Every `&str` a web-sys call takes is decoded into a JS string on the
//! way, and that costs a few microseconds however short the string is (in
//! headless Chromium a `set_attribute` from wasm measured ~6 µs, the same
//! call from JS ~0.4 µs). A 100 x 100 grid's first paint writes some 30,000
//! strings, so one string per value would cost far more than the DOM work
//! itself. Here the values are appended to one buffer, decoded once, and
//! each is cut out of it in JS (`substring`: numbers only), then handed to
//! `setAttribute`, `textContent` or `className` as a JS value.

use js_sys::{Function, JsString, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

/// The attributes the grid writes (in the order of [`ATTRS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    Label,
    Style,
    Pending,
    Disabled,
    Ghost,
    DataY,
    Target,
}

const ATTRS: [(Attr, &str); 7] = [
    (Attr::Label, "aria-label"),
    (Attr::Style, "style"),
    (Attr::Pending, "data-pending"),
    (Attr::Disabled, "aria-disabled"),
    (Attr::Ghost, "data-ghost"),
    (Attr::DataY, "data-y"),
    (Attr::Target, "data-target"),
];

/// A value in the buffer: its span in UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value(u32, u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Set(Attr, Value),
    Remove(Attr),
    Text(Option<Value>),
    Class(Value),
}

/// Writes to elements by index (into the painter's cell list).
#[derive(Debug, Default)]
pub struct Writes {
    buf: String,
    len16: u32,
    ops: Vec<(usize, Op)>,
}

impl Writes {
    /// Adds `s` to the buffer.
    pub fn value(&mut self, s: &str) -> Value {
        let n = if s.is_ascii() {
            s.len()
        } else {
            s.encode_utf16().count()
        } as u32;
        let start = self.len16;
        self.buf.push_str(s);
        self.len16 += n;
        Value(start, start + n)
    }

    /// Adds what `f` appends to the buffer (no string of its own).
    pub fn value_with(&mut self, f: impl FnOnce(&mut String)) -> Value {
        let from = self.buf.len();
        f(&mut self.buf);
        let added = self.buf.get(from..).unwrap_or("");
        let n = if added.is_ascii() {
            added.len()
        } else {
            added.encode_utf16().count()
        } as u32;
        let start = self.len16;
        self.len16 += n;
        Value(start, start + n)
    }

    /// Sets an attribute to what `f` appends to the buffer.
    pub fn set_with(&mut self, el: usize, attr: Attr, f: impl FnOnce(&mut String)) {
        let v = self.value_with(f);
        self.ops.push((el, Op::Set(attr, v)));
    }

    pub fn set(&mut self, el: usize, attr: Attr, s: &str) {
        let v = self.value(s);
        self.ops.push((el, Op::Set(attr, v)));
    }

    /// Sets an attribute to a value already in the buffer.
    pub fn set_value(&mut self, el: usize, attr: Attr, v: Value) {
        self.ops.push((el, Op::Set(attr, v)));
    }

    pub fn remove(&mut self, el: usize, attr: Attr) {
        self.ops.push((el, Op::Remove(attr)));
    }

    /// Sets the text (`None` or "" empties the element).
    pub fn text(&mut self, el: usize, s: &str) {
        let v = (!s.is_empty()).then(|| self.value(s));
        self.ops.push((el, Op::Text(v)));
    }

    pub fn class(&mut self, el: usize, s: &str) {
        let v = self.value(s);
        self.ops.push((el, Op::Class(v)));
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Makes the writes, on `cells[i]` for each write to element `i`.
    pub fn apply(self, cells: &[Element]) {
        self.apply_by(|i| cells.get(i));
    }

    /// Makes the writes, on `el(i)` for each write to element `i` (writes
    /// to elements that `el` does not have are skipped).
    pub fn apply_by<'a>(self, el: impl Fn(usize) -> Option<&'a Element>) {
        let Some(first) = self.ops.iter().find_map(|(i, _)| el(*i)) else {
            return;
        };
        let Some(dom) = Dom::of(first) else {
            return;
        };
        let all = JsString::from(self.buf.as_str());
        // Consecutive writes often share a value (a row's `data-y`): the
        // last one cut out is kept.
        let mut last: Option<(Value, JsString)> = None;
        for (i, op) in self.ops {
            let Some(el) = el(i) else {
                continue;
            };
            match op {
                Op::Set(a, v) => {
                    let _ = dom
                        .set_attribute
                        .call2(el, dom.name(a), cut(&all, &mut last, v));
                }
                Op::Remove(a) => {
                    let _ = dom.remove_attribute.call1(el, dom.name(a));
                }
                Op::Text(None) => el.set_text_content(None),
                Op::Text(Some(v)) => {
                    let _ = Reflect::set(el, &dom.text_content, cut(&all, &mut last, v));
                }
                Op::Class(v) => {
                    let _ = Reflect::set(el, &dom.class_name, cut(&all, &mut last, v));
                }
            }
        }
    }
}

/// Value `v` of `all`, reusing `last` when it is the same value.
fn cut<'a>(all: &'a JsString, last: &'a mut Option<(Value, JsString)>, v: Value) -> &'a JsString {
    if last.as_ref().map(|l| l.0) != Some(v) {
        *last = Some((v, all.substring(v.0, v.1)));
    }
    match last {
        Some((_, s)) => s,
        None => all,
    }
}

/// The DOM functions and names used, as JS values (decoded once per apply).
struct Dom {
    set_attribute: Function,
    remove_attribute: Function,
    text_content: JsValue,
    class_name: JsValue,
    names: [JsValue; 7],
}

impl Dom {
    fn of(el: &Element) -> Option<Dom> {
        let f = |name: &str| -> Option<Function> {
            Reflect::get(el, &JsValue::from_str(name))
                .ok()?
                .dyn_into()
                .ok()
        };
        Some(Dom {
            set_attribute: f("setAttribute")?,
            remove_attribute: f("removeAttribute")?,
            text_content: JsValue::from_str("textContent"),
            class_name: JsValue::from_str("className"),
            names: ATTRS.map(|(_, n)| JsValue::from_str(n)),
        })
    }

    fn name(&self, a: Attr) -> &JsValue {
        // Seven variants, seven names: the index is always in range.
        &self.names[a as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_spans_in_utf16_units() {
        let mut w = Writes::default();
        assert_eq!(w.value("ab"), Value(0, 2));
        assert_eq!(w.value("é😀"), Value(2, 5), "é is one unit, 😀 two");
        assert_eq!(w.value(""), Value(5, 5));
        assert_eq!(w.value("x"), Value(5, 6));
        assert_eq!(w.buf, "abé😀x");
        assert_eq!(w.value_with(|b| b.push_str("ü1")), Value(6, 8));
        w.text(0, "");
        assert_eq!(w.ops.last(), Some(&(0, Op::Text(None))));
        assert!(!w.is_empty());
    }

    #[test]
    fn every_attribute_has_its_own_name() {
        for (i, a) in [
            Attr::Label,
            Attr::Style,
            Attr::Pending,
            Attr::Disabled,
            Attr::Ghost,
            Attr::DataY,
            Attr::Target,
        ]
        .into_iter()
        .enumerate()
        {
            assert_eq!(ATTRS[a as usize].0, a);
            assert_eq!(a as usize, i);
        }
    }
}
