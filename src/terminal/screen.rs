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
//! Lines are grouped in blocks of [`CHUNK`] (`div.tulip-terminal__chunk`,
//! `content-visibility: auto` in style.css): after an append the browser
//! lays out a hundred blocks, not ten thousand lines (measured: the layout
//! after a one-line append at 10,000 lines fell from about 8 ms to under
//! 1 ms). [`Chunks`] keeps the count of each block.
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
use crate::grid::model::{lifted_on_dark, TERMINAL_BG};
use crate::writes::{Attr, Writes};

/// How close to the bottom (px) still counts as "at the bottom".
pub const STICK_SLACK: i32 = 24;

/// Lines per block.
pub const CHUNK: usize = 100;

const LINE_CLASS: &str = "tulip-terminal__line";
const CHUNK_CLASS: &str = "tulip-terminal__chunk";

/// How many lines each block holds, oldest block first. The DOM mirrors
/// it: new lines fill the last block, then open a new one; the oldest lines
/// leave the first block, which goes once empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chunks {
    counts: VecDeque<usize>,
}

impl Chunks {
    /// One line appended. Returns whether it opens a new block.
    pub fn push(&mut self) -> bool {
        match self.counts.back_mut() {
            Some(n) if *n < CHUNK => {
                *n += 1;
                false
            }
            _ => {
                self.counts.push_back(1);
                true
            }
        }
    }

    /// The oldest line removed. Returns whether its block is now empty (and
    /// gone); `None` when there is no line.
    pub fn pop_front(&mut self) -> Option<bool> {
        let n = self.counts.front_mut()?;
        *n = n.saturating_sub(1);
        if *n == 0 {
            self.counts.pop_front();
            Some(true)
        } else {
            Some(false)
        }
    }

    pub fn clear(&mut self) {
        self.counts.clear();
    }

    /// Lines in all blocks.
    pub fn lines(&self) -> usize {
        self.counts.iter().sum()
    }

    pub fn blocks(&self) -> usize {
        self.counts.len()
    }
}
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
    chunk_template: Option<Element>,
    /// The widget drawn (its lines are what the elements show).
    widget: Option<Rc<Widget>>,
    lines: VecDeque<Element>,
    chunks: Chunks,
    /// The block elements, oldest first (as `chunks`).
    blocks: VecDeque<Element>,
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
                    if self.chunks.pop_front() == Some(true) {
                        if let Some(b) = self.blocks.pop_front() {
                            b.remove();
                        }
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
                self.chunks.clear();
                self.blocks.clear();
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
            // Colours are validated and canonical (tulip-core `Color`);
            // one too dark for the terminal's background is lifted.
            if let Some(c) = &line.color {
                let lifted = lifted_on_dark(c, TERMINAL_BG);
                w.set_with(i, Attr::Style, |b| {
                    b.push_str("color:");
                    b.push_str(lifted.as_deref().unwrap_or(c.as_str()));
                    b.push(';');
                });
            }
            made.push(el);
        }
        w.apply(&made);
        for el in &made {
            if self.chunks.push() {
                let Some(block) = self
                    .chunk_template
                    .as_ref()
                    .and_then(|t| t.clone_node().ok())
                    .and_then(|n| n.dyn_into::<Element>().ok())
                else {
                    continue;
                };
                let _ = root.append_child(&block);
                self.blocks.push_back(block);
            }
            if let Some(block) = self.blocks.back() {
                let _ = block.append_child(el);
            }
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
            let block = doc.create_element("div").ok()?;
            block.set_class_name(CHUNK_CLASS);
            self.chunk_template = Some(block);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_fill_up_and_empty_from_the_front() {
        let mut c = Chunks::default();
        assert!(c.push(), "the first line opens a block");
        for _ in 1..CHUNK {
            assert!(!c.push());
        }
        assert!(c.push(), "line 101 opens the second block");
        assert_eq!((c.lines(), c.blocks()), (CHUNK + 1, 2));
        for _ in 1..CHUNK {
            assert_eq!(c.pop_front(), Some(false));
        }
        assert_eq!(c.pop_front(), Some(true), "the first block is empty");
        assert_eq!((c.lines(), c.blocks()), (1, 1));
        assert_eq!(c.pop_front(), Some(true));
        assert_eq!(c.pop_front(), None);
        assert!(c.push());
        c.clear();
        assert_eq!(c.blocks(), 0);
    }
}
