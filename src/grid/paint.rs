//! Draws the grid's rows and cells into the grid element, and keeps them
//! current by writing only what changed.
//!
//! Yew renders the grid element itself (its role, counts, label and CSS
//! variables) with no children; everything inside is this painter's. That
//! keeps a 100 x 100 grid fast: an update that sets 100 cells costs one
//! walk over the two cell collections (no allocation) and a few DOM writes
//! per changed cell, not a virtual DOM of 10,000 nodes built and diffed.
//! Yew never diffs inside the element (its vnode has no children), so the
//! two never disagree about what is there. Each cell's drawn state is kept
//! ([`Drawn`]) and compared with the new one attribute by attribute.

use std::collections::BTreeMap;
use std::rc::Rc;

use tulip_core::model::{Animate, Grid};
use tulip_core::{Body, Update, Widget};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, Node};

use super::model::{changed_keys, column_name, pending_changes, CellView, Context, Layout};
use crate::anim::appear_class;
use crate::widget::WidgetProps;

/// A cell as it is in the DOM: its view plus a running animation.
#[derive(Debug, Clone, PartialEq, Default)]
struct Drawn {
    view: CellView,
    /// An appear class (`anim::appear_class`) and its duration.
    anim: Option<(&'static str, u32)>,
    /// Content fading out after a clear: the old text, the effect's
    /// class and its duration.
    ghost: Option<(String, &'static str, u32)>,
}

impl Drawn {
    fn class(&self) -> String {
        let mut c = self.view.class();
        if let Some((a, _)) = self.anim {
            c.push(' ');
            c.push_str(a);
        }
        if let Some((_, g, _)) = &self.ghost {
            c.push(' ');
            c.push_str(g);
        }
        c
    }

    fn style(&self) -> Option<String> {
        let ms = self.anim.map(|a| a.1).or(self.ghost.as_ref().map(|g| g.2));
        match (&self.view.style, ms) {
            (s, None) => s.clone(),
            (s, Some(ms)) => Some(format!(
                "{}--tulip-anim-ms:{ms}ms;",
                s.as_deref().unwrap_or("")
            )),
        }
    }

    /// What a fresh copy of the template cell already has.
    fn template() -> Drawn {
        Drawn {
            view: CellView::default(),
            anim: None,
            ghost: None,
        }
    }
}

/// The ghost class for a clear animated with `animate`.
fn ghost_class(animate: &Animate) -> Option<(&'static str, u32)> {
    let (class, ms) = appear_class(Some(animate), false)?;
    let ghost = if class.contains("fade") {
        "tulip-grid__cell--leaving-fade"
    } else {
        "tulip-grid__cell--leaving-scale"
    };
    Some((ghost, ms))
}

/// The animation hints of a grid update, by key `(y, x)`: appearing
/// (`set_cells`) and disappearing (`clear_cells`) cells.
#[derive(Default)]
struct Hints {
    set: BTreeMap<(u32, u32), Animate>,
    clear: BTreeMap<(u32, u32), Animate>,
}

impl Hints {
    fn of(update: Option<&Update>) -> Hints {
        let mut h = Hints::default();
        if let Some(Update::Grid(ops)) = update {
            for c in ops.set_cells.iter().flatten() {
                if let Some(a) = c.animate {
                    h.set.insert((c.y, c.x), a);
                }
            }
            for c in ops.clear_cells.iter().flatten() {
                if let Some(a) = c.animate {
                    h.clear.insert((c.y, c.x), a);
                }
            }
        }
        h
    }

    fn is_empty(&self) -> bool {
        self.set.is_empty() && self.clear.is_empty()
    }
}

/// The grid's DOM below the grid element, and what is drawn there.
#[derive(Default)]
pub struct Painter {
    /// The element built into; another one (Yew replaced it) rebuilds.
    root: Option<Element>,
    layout: Option<Layout>,
    ctx: Option<Context>,
    widget: Option<Rc<Widget>>,
    pending: Rc<Vec<(u32, u32)>>,
    /// Row-major, `width * height`.
    cells: Vec<Element>,
    drawn: Vec<Drawn>,
    /// The cell with `tabindex=0` (roving tabindex).
    active: (u32, u32),
    /// The version whose animations were played.
    animated: Option<u64>,
}

fn set(el: &Element, name: &str, value: &str) {
    let _ = el.set_attribute(name, value);
}

fn grid_of(w: &Widget) -> Option<&Grid> {
    match &w.body {
        Body::Grid(g) => Some(g),
        _ => None,
    }
}

impl Painter {
    /// Brings the DOM inside `root` to `props`' grid. Returns the cell to
    /// focus (after a rebuild that removed the focused one); the caller
    /// focuses it once the painter is no longer borrowed.
    pub fn paint(&mut self, root: &Element, props: &WidgetProps) -> Option<HtmlElement> {
        let g = grid_of(&props.widget)?;
        let layout = Layout::of(g);
        let ctx = Context::of(g, props.user_id.as_deref());
        let same_root = self.root.as_ref() == Some(root);
        if !same_root || self.layout != Some(layout) {
            let doc = root.owner_document()?;
            let had_focus = same_root && contains_focus(&doc, root);
            self.layout = Some(layout);
            self.build(&doc, root, g, layout, &ctx, &props.pending);
            self.root = Some(root.clone());
            self.ctx = Some(ctx);
            self.widget = Some(props.widget.clone());
            self.pending = props.pending.clone();
            self.animated = Some(props.seq);
            return if had_focus { self.active_cell() } else { None };
        }
        let keys: Vec<(u32, u32)> = if self.ctx.as_ref() != Some(&ctx) {
            (0..layout.height)
                .flat_map(|y| (0..layout.width).map(move |x| (y, x)))
                .collect()
        } else {
            let mut keys = match &self.widget {
                Some(w) if Rc::ptr_eq(w, &props.widget) => Vec::new(),
                Some(w) => grid_of(w).map_or_else(Vec::new, |old| changed_keys(old, g)),
                None => Vec::new(),
            };
            if !Rc::ptr_eq(&self.pending, &props.pending) && self.pending != props.pending {
                keys.extend(pending_changes(&self.pending, &props.pending));
                keys.sort_unstable();
                keys.dedup();
            }
            keys
        };
        let hints = if props.live && self.animated != Some(props.seq) {
            Hints::of(props.update.as_deref())
        } else {
            Hints::default()
        };
        for (y, x) in keys {
            if x >= layout.width || y >= layout.height {
                continue;
            }
            let i = (y * layout.width + x) as usize;
            let (Some(el), Some(old)) = (self.cells.get(i), self.drawn.get(i)) else {
                continue;
            };
            let cell = g.cells.get(&(y, x));
            let view = CellView::new(x, y, cell, props.pending.contains(&(x, y)), &ctx);
            let mut new = Drawn {
                view,
                anim: None,
                ghost: None,
            };
            if !hints.is_empty() {
                let filled = cell.is_some();
                if let Some(a) = hints.set.get(&(y, x)).filter(|_| filled) {
                    new.anim = appear_class(Some(a), true);
                } else if let Some(a) = hints.clear.get(&(y, x)).filter(|_| !filled) {
                    if !old.view.text.is_empty() {
                        new.ghost = ghost_class(a).map(|(c, ms)| (old.view.text.clone(), c, ms));
                    }
                }
            }
            write(el, old, &new);
            if new.anim.is_some() && old.anim == new.anim {
                restart_animations(el);
            }
            if let Some(d) = self.drawn.get_mut(i) {
                *d = new;
            }
        }
        self.ctx = Some(ctx);
        self.widget = Some(props.widget.clone());
        self.pending = props.pending.clone();
        self.animated = Some(props.seq);
        None
    }

    fn build(
        &mut self,
        doc: &Document,
        root: &Element,
        g: &Grid,
        layout: Layout,
        ctx: &Context,
        pending: &[(u32, u32)],
    ) {
        root.set_text_content(None);
        self.cells.clear();
        self.drawn.clear();
        let n = (layout.width * layout.height) as usize;
        self.cells.reserve(n);
        self.drawn.reserve(n);
        self.active = (
            self.active.0.min(layout.width.saturating_sub(1)),
            self.active.1.min(layout.height.saturating_sub(1)),
        );
        let Ok(template) = doc.create_element("div") else {
            return;
        };
        set(&template, "role", "gridcell");
        set(&template, "tabindex", "-1");
        let blank = Drawn::template();
        template.set_class_name(&blank.class());
        let div = |role: &str, class: &str| {
            let el = doc.create_element("div").ok()?;
            set(&el, "role", role);
            el.set_class_name(class);
            Some(el)
        };
        if layout.headers {
            if let Some(row) = div("row", "tulip-grid__row tulip-grid__row--head") {
                if let Some(corner) = div("columnheader", "tulip-grid__corner") {
                    let _ = row.append_child(&corner);
                }
                for x in 0..layout.width {
                    if let Some(h) = div("columnheader", "tulip-grid__colhead") {
                        h.set_text_content(Some(&column_name(x)));
                        let _ = row.append_child(&h);
                    }
                }
                let _ = root.append_child(&row);
            }
        }
        for y in 0..layout.height {
            let Some(row) = div("row", "tulip-grid__row") else {
                return;
            };
            if layout.headers {
                if let Some(h) = div("rowheader", "tulip-grid__rowhead") {
                    h.set_text_content(Some(&(y + 1).to_string()));
                    let _ = row.append_child(&h);
                }
            }
            for x in 0..layout.width {
                let Some(el) = template
                    .clone_node()
                    .ok()
                    .and_then(|n: Node| n.dyn_into::<Element>().ok())
                else {
                    return;
                };
                let (xs, ys) = (x.to_string(), y.to_string());
                set(&el, "data-x", &xs);
                set(&el, "data-y", &ys);
                set(&el, "data-target", &format!("{xs},{ys}"));
                let view =
                    CellView::new(x, y, g.cells.get(&(y, x)), pending.contains(&(x, y)), ctx);
                let drawn = Drawn {
                    view,
                    anim: None,
                    ghost: None,
                };
                write(&el, &blank, &drawn);
                let _ = row.append_child(&el);
                self.cells.push(el);
                self.drawn.push(drawn);
            }
            let _ = root.append_child(&row);
        }
        if let Some(el) = self.cell(self.active) {
            set(el, "tabindex", "0");
        }
    }

    /// The cell element at `(x, y)`.
    pub fn cell(&self, (x, y): (u32, u32)) -> Option<&Element> {
        let l = self.layout?;
        if x >= l.width || y >= l.height {
            return None;
        }
        self.cells.get((y * l.width + x) as usize)
    }

    pub fn active(&self) -> (u32, u32) {
        self.active
    }

    fn active_cell(&self) -> Option<HtmlElement> {
        self.cell(self.active)?.clone().dyn_into().ok()
    }

    /// Makes `(x, y)` the one cell with `tabindex=0` and returns it, for
    /// the caller to focus once the painter is no longer borrowed (focusing
    /// runs the grid's focus handler at once).
    pub fn set_active(&mut self, at: (u32, u32)) -> Option<HtmlElement> {
        self.cell(at)?;
        if at != self.active {
            if let Some(old) = self.cell(self.active) {
                set(old, "tabindex", "-1");
            }
            self.active = at;
        }
        let el = self.cell(at)?;
        set(el, "tabindex", "0");
        el.clone().dyn_into().ok()
    }

    /// The layout last drawn.
    pub fn layout(&self) -> Option<Layout> {
        self.layout
    }
}

fn contains_focus(doc: &Document, root: &Element) -> bool {
    doc.active_element()
        .is_some_and(|a| root.contains(Some(a.unchecked_ref::<Node>())))
}

/// Writes to `el` what differs between `old` and `new`.
fn write(el: &Element, old: &Drawn, new: &Drawn) {
    if old.view.text != new.view.text {
        el.set_text_content((!new.view.text.is_empty()).then_some(new.view.text.as_str()));
    }
    if old.view.label != new.view.label {
        set(el, "aria-label", &new.view.label);
    }
    let class = new.class();
    if old.class() != class {
        el.set_class_name(&class);
    }
    let style = new.style();
    if old.style() != style {
        match &style {
            Some(s) => set(el, "style", s),
            None => {
                let _ = el.remove_attribute("style");
            }
        }
    }
    if old.view.pending != new.view.pending {
        if new.view.pending {
            set(el, "data-pending", "true");
        } else {
            let _ = el.remove_attribute("data-pending");
        }
    }
    if old.view.locked != new.view.locked {
        if new.view.locked {
            set(el, "aria-disabled", "true");
        } else {
            let _ = el.remove_attribute("aria-disabled");
        }
    }
    let ghost = |d: &Drawn| d.ghost.as_ref().map(|g| g.0.clone());
    if ghost(old) != ghost(new) {
        match &new.ghost {
            Some((text, _, _)) => set(el, "data-ghost", text),
            None => {
                let _ = el.remove_attribute("data-ghost");
            }
        }
    }
}

/// Plays the element's CSS animations again from the start (the same
/// appear class twice in a row would otherwise not replay). Through
/// reflection: `Element.getAnimations` needs no web-sys feature that way.
fn restart_animations(el: &Element) {
    let call = |target: &JsValue, name: &str| -> Option<JsValue> {
        let f = js_sys::Reflect::get(target, &JsValue::from_str(name)).ok()?;
        f.dyn_ref::<js_sys::Function>()?.call0(target).ok()
    };
    let Some(list) = call(el, "getAnimations") else {
        return;
    };
    let Some(list) = list.dyn_ref::<js_sys::Array>() else {
        return;
    };
    for a in list.iter() {
        call(&a, "cancel");
        call(&a, "play");
    }
}

/// The `(x, y)` of the grid cell an event happened in, if any.
pub fn cell_at(target: Option<web_sys::EventTarget>) -> Option<(u32, u32)> {
    let el = target?.dyn_into::<Element>().ok()?;
    let cell = el.closest("[role=gridcell]").ok()??;
    let x = cell.get_attribute("data-x")?.parse().ok()?;
    let y = cell.get_attribute("data-y")?.parse().ok()?;
    Some((x, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawn_classes_and_styles_carry_the_animation() {
        let view = CellView {
            text: "X".into(),
            style: Some("color:#ff0000;".into()),
            label: "A1, X".into(),
            ..CellView::default()
        };
        let d = Drawn {
            view: view.clone(),
            anim: Some(("tulip-anim--fade-in", 300)),
            ghost: None,
        };
        assert_eq!(d.class(), "tulip-grid__cell tulip-anim--fade-in");
        assert_eq!(
            d.style().as_deref(),
            Some("color:#ff0000;--tulip-anim-ms:300ms;")
        );
        let plain = Drawn {
            view,
            anim: None,
            ghost: None,
        };
        assert_eq!(plain.style().as_deref(), Some("color:#ff0000;"));
        assert_eq!(
            Drawn::template().class(),
            "tulip-grid__cell tulip-grid__cell--empty"
        );
    }

    #[test]
    fn clear_hints_pick_a_ghost() {
        use tulip_core::model::Effect;
        let fade = Animate {
            effect: Some(Effect::Fade),
            duration: Some(120),
            easing: None,
        };
        assert_eq!(
            ghost_class(&fade),
            Some(("tulip-grid__cell--leaving-fade", 120))
        );
        let instant = Animate {
            effect: Some(Effect::Instant),
            ..fade
        };
        assert_eq!(ghost_class(&instant), None);
    }
}
