//! DOM writes gathered during a paint and made at its end, with all their
//! strings crossing from WebAssembly into JavaScript as one.
//!
//! Every `&str` a web-sys call takes is decoded into a JS string on the
//! way, and that costs a few microseconds however short the string is (in
//! headless Chromium a `set_attribute` from wasm measured ~6 µs, the same
//! call from JS ~0.4 µs). A 100 x 100 grid's first paint writes some 30,000
//! strings, so one string per value would cost far more than the DOM work
//! itself. Here the values are appended to one buffer, and the writes are
//! encoded as numbers; one call hands the buffer, the numbers and the
//! elements to `www/writes.js`, which cuts each value out of the buffer
//! (`substring`) and makes the `setAttribute`, `textContent` or
//! `className` write in JS. Before that one call, each write was a call
//! of its own (two, with its `substring`): for a 100-cell grid update
//! about 800 crossings instead of one.

use js_sys::Array;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
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
    /// Inline style declarations, written property by property.
    Style(Value),
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

    /// Changes the inline style from the declarations `old` to `new`
    /// (`name:value;`..., longhand names only: `background-color`, not
    /// `background`) through CSSOM: each property of `new` set on its
    /// own, each one only `old` has removed. Far cheaper for the browser
    /// to restyle than a written `style` attribute (`www/writes.js`).
    pub fn restyle(&mut self, el: usize, old: &str, new: &str) {
        let v = self.value_with(|b| {
            b.push_str(new);
            for (name, _) in declarations(old) {
                if !declarations(new).any(|(n, _)| n == name) {
                    b.push_str(name);
                    b.push_str(":;");
                }
            }
        });
        self.ops.push((el, Op::Style(v)));
    }

    /// Writes the declarations `s` (`name:value;`..., an empty value
    /// removes the property) through CSSOM.
    pub fn style(&mut self, el: usize, s: &str) {
        let v = self.value(s);
        self.ops.push((el, Op::Style(v)));
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
        let (els, ops) = self.encode(|i| el(i).map(|e| JsValue::from(e.clone())));
        if ops.is_empty() {
            return;
        }
        NAMES.with(|names| tulip_apply_writes(els, &self.buf, names, &ops));
    }

    /// The ops as `www/writes.js` reads them (four numbers each), and the
    /// elements they name: `el(i)` is called once per run of writes to
    /// element `i` and gives its place in the element list (or `None`:
    /// the writes are skipped).
    fn encode<E>(&self, mut el: impl FnMut(usize) -> Option<E>) -> (Vec<E>, Vec<u32>) {
        let mut els = Vec::new();
        let mut ops = Vec::with_capacity(self.ops.len() * 4);
        // Writes to one element come together: one lookup per run.
        let mut last: Option<(usize, Option<u32>)> = None;
        for (i, op) in &self.ops {
            let at = match last {
                Some((j, at)) if j == *i => at,
                _ => {
                    let at = el(*i).map(|e| {
                        els.push(e);
                        (els.len() - 1) as u32
                    });
                    last = Some((*i, at));
                    at
                }
            };
            let Some(at) = at else { continue };
            let (kind, attr, v) = match *op {
                Op::Set(a, v) => (0, a as u32, v),
                Op::Remove(a) => (1, a as u32, Value(0, 0)),
                Op::Text(None) => (2, 0, Value(0, 0)),
                Op::Text(Some(v)) => (3, 0, v),
                Op::Class(v) => (4, 0, v),
                Op::Style(v) => (5, 0, v),
            };
            ops.extend([at, kind << 8 | attr, v.0, v.1]);
        }
        (els, ops)
    }
}

/// The `name:value` pairs of inline style declarations `s`.
fn declarations(s: &str) -> impl Iterator<Item = (&str, &str)> {
    s.split(';').filter_map(|d| d.split_once(':'))
}

#[wasm_bindgen(module = "/www/writes.js")]
extern "C" {
    #[wasm_bindgen(js_name = tulipApplyWrites)]
    fn tulip_apply_writes(els: Vec<JsValue>, all: &str, names: &Array, ops: &[u32]);
}

thread_local! {
    /// The attribute names as JS strings, made once.
    static NAMES: Array = ATTRS.iter().map(|(_, n)| JsValue::from_str(n)).collect();
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
    fn ops_are_encoded_four_numbers_each_one_element_per_run() {
        let mut w = Writes::default();
        w.text(7, "ab");
        w.set(7, Attr::Style, "c");
        w.class(3, "d");
        w.remove(5, Attr::Ghost);
        w.text(9, "");
        w.set(7, Attr::Label, "e");
        w.style(3, "color:red;");
        let mut asked = Vec::new();
        let (els, ops) = w.encode(|i| {
            asked.push(i);
            (i != 5).then_some(i * 10)
        });
        assert_eq!(asked, [7, 3, 5, 9, 7, 3], "one lookup per run of writes");
        assert_eq!(els, [70, 30, 90, 70, 30]);
        #[rustfmt::skip]
        assert_eq!(ops, [
            0, 3 << 8, 0, 2,
            0, Attr::Style as u32, 2, 3,
            1, 4 << 8, 3, 4,
            2, 2 << 8, 0, 0,
            3, Attr::Label as u32, 4, 5,
            4, 5 << 8, 5, 15,
        ]);
    }

    #[test]
    fn a_restyle_sets_the_new_declarations_and_removes_the_old_ones() {
        let mut w = Writes::default();
        w.restyle(0, "background-color:#000;color:#fff;", "color:#111;");
        w.restyle(1, "", "background-color:red;");
        w.restyle(2, "color:red;", "");
        assert_eq!(
            w.buf,
            "color:#111;background-color:;background-color:red;color:;"
        );
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
