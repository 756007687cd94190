//! Draws the terminal's lines into its screen element and keeps them
//! current with append-only DOM work.
//!
//! Yew renders the screen element itself with no children; its lines
//! belong to this painter, which runs after every render. A new state is
//! reached by the [`super::sync::plan`]: usually "drop the oldest `n`
//! line elements, append the new ones", so an `append_lines` of one line
//! to a terminal of 10,000 costs one new element (and one removed), never
//! a virtual DOM of 10,000 nodes built and diffed. New line elements are
//! clones of one template, and their texts, classes and colours cross from
//! WebAssembly to JavaScript as one string (`crate::grid::writes`).
//!
//! Following the output: just before changing the DOM the painter reads
//! whether the screen is scrolled to the bottom (within [`STICK_SLACK`]
//! px); if it is, it scrolls to the new bottom afterwards. So a player who
//! scrolled up to read stays where they are, and one at the bottom follows.
//! This is decided from the scroll position itself at the moment of the
//! update, not from scroll events, which arrive later.

use std::collections::VecDeque;
use std::rc::Rc;

use tulip_core::model::{Line, DEFAULT_MAX_LINES};
use tulip_core::{Body, Update, Widget};
use wasm_bindgen::JsCast;
use web_sys::Element;

use super::sync::{plan, visible, Hint, Plan};
use crate::grid::writes::{Attr, Writes};

/// How close to the bottom (px) still counts as "at the bottom".
pub const STICK_SLACK: i32 = 24;

const LINE_CLASS: &str = "tulip-terminal__line";
const BOLD_CLASS: &str = "tulip-terminal__line tulip-terminal__line--bold";

/// What a paint did, for the component's "new lines below" button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Painted {
    /// Lines appended (all of them after a rebuild).
    pub appended: usize,
    /// Whether the screen followed to the bottom.
    pub followed: bool,
    /// Whether everything was drawn again (a clear, another text).
    pub rebuilt: bool,
}

/// The lines of a terminal widget, `max_lines` applied.
pub fn shown_lines(w: &Widget) -> &[Line] {
    match &w.body {
        Body::Terminal(t) => visible(
            &t.lines,
            t.max_lines
                .map_or(DEFAULT_MAX_LINES as usize, |m| m as usize),
        ),
        _ => &[],
    }
}

/// Whether `el` is scrolled to (near) its bottom.
pub fn at_bottom(el: &Element) -> bool {
    el.scroll_height() - el.client_height() - el.scroll_top() <= STICK_SLACK
}

/// Scrolls `el` to its bottom.
pub fn to_bottom(el: &Element) {
    el.set_scroll_top(el.scroll_height());
}

/// The screen's line elements and the widget they show.
#[derive(Default)]
pub struct Screen {
    root: Option<Element>,
    template: Option<Element>,
    /// The widget drawn (its lines are what the elements show).
    widget: Option<Rc<Widget>>,
    lines: VecDeque<Element>,
}

impl Screen {
    /// Brings the DOM inside `root` to `widget`'s lines. `update` is the
    /// update that led to it (its `append_lines` and `clear` are a hint).
    pub fn paint(
        &mut self,
        root: &Element,
        widget: &Rc<Widget>,
        update: Option<&Update>,
    ) -> Painted {
        let new = shown_lines(widget);
        let same_root = self.root.as_ref() == Some(root);
        let old_widget = self.widget.clone().filter(|_| same_root);
        if old_widget.as_ref().is_some_and(|w| Rc::ptr_eq(w, widget)) {
            return Painted::default();
        }
        let step = match &old_widget {
            Some(w) => plan(shown_lines(w), new, hint(update)),
            None => Plan::Rebuild,
        };
        if step == Plan::Same {
            self.widget = Some(widget.clone());
            return Painted::default();
        }
        // Read before writing: where the player is now.
        let follow = old_widget.is_none() || at_bottom(root);
        let painted = match step {
            Plan::Same => Painted::default(),
            Plan::Edit { drop, keep } => {
                for _ in 0..drop {
                    if let Some(el) = self.lines.pop_front() {
                        el.remove();
                    }
                }
                let from = keep.min(new.len());
                let added = self.append(root, new.get(from..).unwrap_or_default());
                Painted {
                    appended: added,
                    followed: follow,
                    rebuilt: false,
                }
            }
            Plan::Rebuild => {
                root.set_text_content(None);
                self.lines.clear();
                let added = self.append(root, new);
                Painted {
                    appended: added,
                    followed: true,
                    rebuilt: true,
                }
            }
        };
        if painted.followed {
            to_bottom(root);
        }
        self.root = Some(root.clone());
        self.widget = Some(widget.clone());
        painted
    }

    /// Appends an element per line; returns how many.
    fn append(&mut self, root: &Element, lines: &[Line]) -> usize {
        if lines.is_empty() {
            return 0;
        }
        let Some(template) = self.template(root) else {
            return 0;
        };
        let mut made = Vec::with_capacity(lines.len());
        let mut w = Writes::default();
        for line in lines {
            let Some(el) = template
                .clone_node()
                .ok()
                .and_then(|n| n.dyn_into::<Element>().ok())
            else {
                continue;
            };
            // The index the element will have in `made`.
            let i = made.len();
            if !line.text.is_empty() {
                w.text(i, &line.text);
            }
            if line.bold == Some(true) {
                w.class(i, BOLD_CLASS);
            }
            // Colours are validated and canonical (tulip-core `Color`).
            if let Some(c) = &line.color {
                w.set_with(i, Attr::Style, |b| {
                    b.push_str("color:");
                    b.push_str(c.as_str());
                    b.push(';');
                });
            }
            made.push(el);
        }
        w.apply(&made);
        for el in &made {
            let _ = root.append_child(el);
        }
        let n = made.len();
        self.lines.extend(made);
        n
    }

    fn template(&mut self, root: &Element) -> Option<Element> {
        if self.template.is_none() {
            let doc = root.owner_document()?;
            let el = doc.create_element("div").ok()?;
            el.set_class_name(LINE_CLASS);
            self.template = Some(el);
        }
        self.template.clone()
    }

    /// How many line elements are drawn.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

fn hint(update: Option<&Update>) -> Hint {
    match update {
        Some(Update::Terminal(o)) => Hint {
            clear: o.clear == Some(true),
            appended: o.append_lines.as_ref().map(Vec::len),
        },
        _ => Hint::default(),
    }
}
