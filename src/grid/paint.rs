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

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use tulip_core::model::{Animate, Grid};
use tulip_core::{Body, Text, Update, Widget};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Document, Element, HtmlElement, IntersectionObserver, IntersectionObserverEntry,
    IntersectionObserverInit, Node,
};

use super::model::{
    changed_keys, column_name, pending_changes, CellView, Context, Layout, DEFAULT_CELL_SIZE,
};
use crate::anim::appear_class;
use crate::widget::WidgetProps;
use crate::writes::{Attr, Writes};

/// A cell as it is in the DOM: its view plus a running animation.
#[derive(Debug, Clone, PartialEq, Default)]
struct Drawn {
    view: CellView,
    /// An appear class (`anim::appear_class`) and its duration.
    anim: Option<(&'static str, u32)>,
    /// Content fading out after a clear: the old text, the effect's
    /// class and its duration.
    ghost: Option<(Text, &'static str, u32)>,
    /// Whether the element has its `aria-label` (the template has none).
    labelled: bool,
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
            labelled: false,
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

/// Grids with more cells than this are windowed: only the rows in and
/// near the scroll box's view exist as cells (see [`Painter`]).
pub const WINDOWED_ABOVE: u32 = 2_500;

/// How far beyond the scroll box's view rows are built ahead of scrolling
/// (an `IntersectionObserver` root margin: half a box height each way).
const AHEAD: &str = "50% 0px";

/// Space between cells and around them, in px (as in `www/style.css`).
pub const GAP_PX: u32 = 2;

/// Watches a windowed grid's unbuilt rows; disconnects when dropped.
struct Observer {
    io: IntersectionObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl Drop for Observer {
    fn drop(&mut self) {
        self.io.disconnect();
    }
}

/// The grid's DOM below the grid element, and what is drawn there.
///
/// A big grid (more than [`WINDOWED_ABOVE`] cells) is *windowed*: every
/// row is in the document from the start, but a row far from the scroll
/// box's view is an empty placeholder of the same height (`aria-hidden`,
/// class `tulip-grid__row--unbuilt`). The rows in view are built at once;
/// an `IntersectionObserver` builds the others as they come within half a box
/// height of the view, and a row the keyboard moves to is built before it
/// is focused. A built row stays built. Every cell's state is kept in
/// `drawn` whether or not it is built, so updates to unbuilt rows cost no
/// DOM work and show when the row is built; built rows carry
/// `aria-rowindex`, so assistive technology knows where they are.
#[derive(Default)]
pub struct Painter {
    /// The element built into; another one (Yew replaced it) rebuilds.
    root: Option<Element>,
    layout: Option<Layout>,
    ctx: Option<Context>,
    widget: Option<Rc<Widget>>,
    pending: Rc<Vec<(u32, u32)>>,
    /// Row-major, `width * height`; `None` in rows not built yet.
    cells: Vec<Option<Element>>,
    /// What each cell shows (drawn, or to be drawn once its row is built).
    drawn: Vec<Drawn>,
    /// Whether each row is built (has its cells).
    built: Vec<bool>,
    /// Windowed: each row's element, a placeholder until built.
    rows: Vec<Element>,
    windowed: bool,
    /// The row every built row is a deep copy of.
    template: Option<Element>,
    cell_px: i32,
    observer: Option<Observer>,
    /// The cell with `tabindex=0` (roving tabindex).
    active: (u32, u32),
    /// The version drawn (whose animations were played).
    animated: Option<u64>,
    /// The update that led to what is drawn.
    update: Option<Rc<Update>>,
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
            self.update = props.update.clone();
            return if had_focus { self.active_cell() } else { None };
        }
        let keys: Vec<(u32, u32)> = if self.ctx.as_ref() != Some(&ctx) {
            (0..layout.height)
                .flat_map(|y| (0..layout.width).map(move |x| (y, x)))
                .collect()
        } else {
            let mut keys = match &self.widget {
                Some(w) if Rc::ptr_eq(w, &props.widget) => Vec::new(),
                Some(w) => match self.next_update_keys(props) {
                    Some(keys) => keys,
                    None => grid_of(w).map_or_else(Vec::new, |old| changed_keys(old, g)),
                },
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
        let mut w = Writes::default();
        let mut restart = Vec::new();
        for (y, x) in keys {
            if x >= layout.width || y >= layout.height {
                continue;
            }
            let i = (y * layout.width + x) as usize;
            let Some(old) = self.drawn.get(i) else {
                continue;
            };
            let cell = g.cells.get(&(y, x));
            let view = CellView::new(cell, props.pending.contains(&(x, y)), &ctx);
            let mut new = Drawn {
                view,
                anim: None,
                ghost: None,
                labelled: true,
            };
            let built = matches!(self.cells.get(i), Some(Some(_)));
            if !built {
                // Shown as it is once its row is built: no animation then.
                if let Some(d) = self.drawn.get_mut(i) {
                    *d = new;
                }
                continue;
            }
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
            record(&mut w, (i, x, y), old, &new);
            if new.anim.is_some() && old.anim == new.anim {
                restart.push(i);
            }
            if let Some(d) = self.drawn.get_mut(i) {
                *d = new;
            }
        }
        let cells = &self.cells;
        w.apply_by(|i| cells.get(i)?.as_ref());
        for el in restart.iter().filter_map(|i| cells.get(*i)?.as_ref()) {
            restart_animations(el);
        }
        self.ctx = Some(ctx);
        self.widget = Some(props.widget.clone());
        self.pending = props.pending.clone();
        self.animated = Some(props.seq);
        self.update = props.update.clone();
        None
    }

    /// The keys `(y, x)` that can differ from what is drawn, taken from the
    /// update alone, when `props` is the very next version after the one
    /// drawn (`seq` one more, a new grid update): the confirmed state is
    /// then the drawn one with this update applied, so only the cells it
    /// names can have changed (pending cells are added by the caller). In
    /// any other case `None`: compare the whole grid.
    fn next_update_keys(&self, props: &WidgetProps) -> Option<Vec<(u32, u32)>> {
        let u = props.update.as_ref()?;
        if self.animated != props.seq.checked_sub(1)
            || self.update.as_ref().is_some_and(|old| Rc::ptr_eq(old, u))
        {
            return None;
        }
        let Update::Grid(ops) = &**u else {
            return None;
        };
        if ops.views.is_some() {
            return None;
        }
        let mut keys: Vec<(u32, u32)> = ops
            .set_cells
            .iter()
            .flatten()
            .map(|c| (c.y, c.x))
            .chain(ops.clear_cells.iter().flatten().map(|c| (c.y, c.x)))
            .chain(self.pending.iter().map(|&(x, y)| (y, x)))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        Some(keys)
    }

    /// Draws every row and cell from scratch (a windowed grid: every row,
    /// the cells of those in view). One template row per grid (cells with
    /// their role, class, `tabindex` and `data-x`) is cloned deeply for
    /// each row built, so each cell costs only the writes that depend on
    /// its row and content.
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
        self.observer = None;
        self.template = None;
        self.rows.clear();
        let n = (layout.width * layout.height) as usize;
        self.windowed = n > WINDOWED_ABOVE as usize;
        self.cell_px = i32::try_from(g.cell_size.unwrap_or(DEFAULT_CELL_SIZE)).unwrap_or(32);
        self.active = (
            self.active.0.min(layout.width.saturating_sub(1)),
            self.active.1.min(layout.height.saturating_sub(1)),
        );
        let div = |role: Option<&str>, class: &str| {
            let el = doc.create_element("div").ok()?;
            if let Some(role) = role {
                set(&el, "role", role);
            }
            el.set_class_name(class);
            Some(el)
        };
        if layout.headers {
            if let Some(row) = div(Some("row"), "tulip-grid__row tulip-grid__row--head") {
                if self.windowed {
                    set(&row, "aria-rowindex", "1");
                }
                if let Some(corner) = div(Some("columnheader"), "tulip-grid__corner") {
                    let _ = row.append_child(&corner);
                }
                for x in 0..layout.width {
                    if let Some(h) = div(Some("columnheader"), "tulip-grid__colhead") {
                        h.set_text_content(Some(&column_name(x)));
                        let _ = row.append_child(&h);
                    }
                }
                let _ = root.append_child(&row);
            }
        }
        let blank = Drawn::template();
        let Some(template) = div(Some("row"), "tulip-grid__row") else {
            return;
        };
        if layout.headers {
            if let Some(h) = div(Some("rowheader"), "tulip-grid__rowhead") {
                let _ = template.append_child(&h);
            }
        }
        for x in 0..layout.width {
            let Some(c) = div(Some("gridcell"), &blank.class()) else {
                return;
            };
            set(&c, "tabindex", "-1");
            set(&c, "data-x", &x.to_string());
            let _ = template.append_child(&c);
        }
        self.template = Some(template);
        // What every cell shows; cells come in row-major order.
        self.drawn.clear();
        self.drawn.reserve(n);
        let mut cells = g.cells.iter().peekable();
        for y in 0..layout.height {
            for x in 0..layout.width {
                while cells.next_if(|(k, _)| **k < (y, x)).is_some() {}
                let cell = cells.next_if(|(k, _)| **k == (y, x)).map(|(_, c)| c);
                self.drawn.push(Drawn {
                    view: CellView::new(cell, pending.contains(&(x, y)), ctx),
                    anim: None,
                    ghost: None,
                    labelled: true,
                });
            }
        }
        self.cells.clear();
        self.cells.resize(n, None);
        self.built.clear();
        self.built.resize(layout.height as usize, false);
        if !self.windowed {
            for (_, row) in self.fill_rows(0..layout.height) {
                let _ = root.append_child(&row);
            }
            return;
        }
        let Some(placeholder) = div(None, "tulip-grid__row tulip-grid__row--unbuilt") else {
            return;
        };
        set(&placeholder, "aria-hidden", "true");
        for y in 0..layout.height {
            let Some(row) = placeholder
                .clone_node()
                .ok()
                .map(JsCast::unchecked_into::<Element>)
            else {
                return;
            };
            set(&row, "data-row", &y.to_string());
            let _ = root.append_child(&row);
            self.rows.push(row);
        }
        let (from, to) = self.in_view(root, layout);
        let active = self.active.1;
        self.build_rows((from..to).chain(std::iter::once(active)));
    }

    /// Builds rows `ys` that are not built yet: each a copy of the
    /// template with its cells written from `drawn`. Returns them with
    /// their `y`, for the caller to put in the document.
    fn fill_rows(&mut self, ys: impl IntoIterator<Item = u32>) -> Vec<(u32, Element)> {
        let (Some(layout), Some(template)) = (self.layout, self.template.as_ref()) else {
            return Vec::new();
        };
        let blank = Drawn::template();
        let mut w = Writes::default();
        let mut made = Vec::new();
        for y in ys {
            if y >= layout.height || self.built.get(y as usize) != Some(&false) {
                continue;
            }
            let Some(row) = template
                .clone_node_with_deep(true)
                .ok()
                .map(JsCast::unchecked_into::<Element>)
            else {
                break;
            };
            if self.windowed {
                let index = y + 1 + u32::from(layout.headers);
                set(&row, "aria-rowindex", &index.to_string());
            }
            let mut el = row.first_element_child();
            if layout.headers {
                if let Some(h) = &el {
                    h.set_text_content(Some(&(y + 1).to_string()));
                }
                el = el.and_then(|h| h.next_element_sibling());
            }
            let ys = w.value(&y.to_string());
            for x in 0..layout.width {
                let Some(c) = el else {
                    break;
                };
                let i = (y * layout.width + x) as usize;
                w.set_value(i, Attr::DataY, ys);
                w.set_with(i, Attr::Target, |b| {
                    let _ = std::fmt::Write::write_fmt(b, format_args!("{x},{y}"));
                });
                if let Some(d) = self.drawn.get(i) {
                    record(&mut w, (i, x, y), &blank, d);
                }
                el = c.next_element_sibling();
                if let Some(slot) = self.cells.get_mut(i) {
                    *slot = Some(c);
                }
            }
            if let Some(b) = self.built.get_mut(y as usize) {
                *b = true;
            }
            made.push((y, row));
        }
        let cells = &self.cells;
        w.apply_by(|i| cells.get(i)?.as_ref());
        if made.iter().any(|(y, _)| *y == self.active.1) {
            if let Some(el) = self.cell(self.active) {
                set(el, "tabindex", "0");
            }
        }
        made
    }

    /// Windowed: builds rows `ys` in place of their placeholders.
    fn build_rows(&mut self, ys: impl IntoIterator<Item = u32>) {
        for (y, row) in self.fill_rows(ys) {
            let Some(old) = self.rows.get_mut(y as usize) else {
                continue;
            };
            if let Some(o) = &self.observer {
                o.io.unobserve(old);
            }
            if old.replace_with_with_node_1(&row).is_ok() {
                *old = row;
            }
        }
    }

    /// The rows `from..to` that the scroll box around `root` shows, from
    /// the geometry of `www/style.css` (rows of one cell and a gap, the
    /// grid's padding, the head row). Nothing when the box is not laid
    /// out (hidden): the observer builds rows once it is.
    fn in_view(&self, root: &Element, layout: Layout) -> (u32, u32) {
        let Some(scroller) = root.parent_element() else {
            return (0, layout.height);
        };
        let view = scroller.client_height();
        if view <= 0 {
            return (0, 0);
        }
        let gap = GAP_PX as i32;
        let pitch = (self.cell_px + gap).max(1);
        let offset = gap + if layout.headers { pitch } else { 0 };
        let top = scroller.scroll_top() - offset;
        let clamp = |r: i32| u32::try_from(r.max(0)).unwrap_or(0).min(layout.height);
        (clamp(top / pitch), clamp((top + view) / pitch + 1))
    }

    /// The cell element at `(x, y)`.
    pub fn cell(&self, (x, y): (u32, u32)) -> Option<&Element> {
        let l = self.layout?;
        if x >= l.width || y >= l.height {
            return None;
        }
        self.cells.get((y * l.width + x) as usize)?.as_ref()
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
        if self.windowed {
            self.build_rows([at.1]);
        }
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

/// Windowed: starts watching the rows not built yet, building each as it
/// comes within [`AHEAD`] of the scroll box's view. Call after each paint
/// (it does nothing when the watch is already running or not needed).
pub fn watch(this: &Rc<RefCell<Painter>>) {
    let Ok(mut p) = this.try_borrow_mut() else {
        return;
    };
    if !p.windowed || p.observer.is_some() || !p.built.contains(&false) {
        return;
    }
    let Some(scroller) = p.root.as_ref().and_then(|r| r.parent_element()) else {
        return;
    };
    let painter = Rc::downgrade(this);
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let ys: Vec<u32> = entries
            .iter()
            .filter_map(|e| {
                let e = e.dyn_into::<IntersectionObserverEntry>().ok()?;
                if !e.is_intersecting() {
                    return None;
                }
                e.target().get_attribute("data-row")?.parse().ok()
            })
            .collect();
        if let Some(p) = painter.upgrade() {
            if let Ok(mut p) = p.try_borrow_mut() {
                p.build_rows(ys);
            }
        }
    });
    let init = IntersectionObserverInit::new();
    init.set_root(Some(&scroller));
    init.set_root_margin(AHEAD);
    let Ok(io) = IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &init)
    else {
        return;
    };
    for (row, built) in p.rows.iter().zip(&p.built) {
        if !built {
            io.observe(row);
        }
    }
    p.observer = Some(Observer {
        io,
        _callback: callback,
    });
}

fn contains_focus(doc: &Document, root: &Element) -> bool {
    doc.active_element()
        .is_some_and(|a| root.contains(Some(a.unchecked_ref::<Node>())))
}

fn ghost_text(d: &Drawn) -> Option<&str> {
    d.ghost.as_ref().map(|g| g.0.as_str())
}

/// Records the writes that bring element `i` from `old` to `new`: one per
/// attribute that changed, none for those that did not.
fn record(w: &mut Writes, (i, x, y): (usize, u32, u32), old: &Drawn, new: &Drawn) {
    let (o, n) = (&old.view, &new.view);
    if o.text != n.text {
        w.text(i, &n.text);
    }
    // The label is made of the text and the states (and the position).
    if o.text != n.text || o.flags() != n.flags() || old.labelled != new.labelled {
        w.set_with(i, Attr::Label, |b| n.push_label(b, x, y));
    }
    let ghost_class = |d: &Drawn| d.ghost.as_ref().map(|g| g.1);
    if o.flags() != n.flags() || old.anim != new.anim || ghost_class(old) != ghost_class(new) {
        w.class(i, &new.class());
    }
    let ms = |d: &Drawn| d.anim.map(|a| a.1).or(d.ghost.as_ref().map(|g| g.2));
    if o.style != n.style || ms(old) != ms(new) {
        // Through CSSOM, removal too: a `removeAttribute("style")` after
        // CSSOM writes can leave the properties in place (Chromium writes
        // the attribute back from them lazily).
        let (o, n) = (old.style(), new.style());
        w.restyle(i, o.as_deref().unwrap_or(""), n.as_deref().unwrap_or(""));
    }
    if o.pending != n.pending {
        if n.pending {
            w.set(i, Attr::Pending, "true");
        } else {
            w.remove(i, Attr::Pending);
        }
    }
    if o.locked != n.locked {
        if n.locked {
            w.set(i, Attr::Disabled, "true");
        } else {
            w.remove(i, Attr::Disabled);
        }
    }
    if ghost_text(old) != ghost_text(new) {
        match ghost_text(new) {
            Some(text) => w.set(i, Attr::Ghost, text),
            None => w.remove(i, Attr::Ghost),
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
            ..CellView::default()
        };
        let d = Drawn {
            view: view.clone(),
            anim: Some(("tulip-anim--fade-in", 300)),
            ghost: None,
            labelled: true,
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
            labelled: true,
        };
        assert_eq!(plain.style().as_deref(), Some("color:#ff0000;"));
        assert_eq!(Drawn::template().class(), "tulip-grid__cell");
    }

    #[test]
    fn only_the_very_next_version_is_trusted_to_name_its_cells() {
        use serde_json::json;
        let w = tulip_core::parse_widget_value(
            json!({"widget_type": "grid", "extra_data": {"width": 4, "height": 4}}),
            &tulip_core::Policy::default(),
        )
        .unwrap();
        let u = |v| Rc::new(tulip_core::parse_update(&w.body, v).unwrap());
        let set = u(json!({"set_cells": [{"x": 3, "y": 1, "content": "X"}],
                           "clear_cells": [{"x": 0, "y": 2}]}));
        let props = |update: Option<Rc<Update>>, seq| WidgetProps {
            update,
            seq,
            ..WidgetProps::new(Rc::new(w.clone()), Default::default())
        };
        let mut p = Painter {
            animated: Some(4),
            pending: Rc::new(vec![(2, 2)]),
            ..Painter::default()
        };
        // Version 5 after 4: the update's cells and what was pending.
        assert_eq!(
            p.next_update_keys(&props(Some(set.clone()), 5)),
            Some(vec![(1, 3), (2, 0), (2, 2)])
        );
        // A jump, no update, or the update already drawn: compare all.
        assert_eq!(p.next_update_keys(&props(Some(set.clone()), 6)), None);
        assert_eq!(p.next_update_keys(&props(None, 5)), None);
        p.update = Some(set.clone());
        assert_eq!(p.next_update_keys(&props(Some(set), 5)), None);
        // Operations on explicit views: compare all.
        let views = u(json!({"views": {"7": {"set_cells": [{"x": 0, "y": 0, "content": "Z"}]}}}));
        assert_eq!(p.next_update_keys(&props(Some(views), 5)), None);
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
