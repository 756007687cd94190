//! The grid widget: an ARIA grid of cells with a roving tabindex, drawn
//! fast enough for 256 x 256.
//!
//! - [`model`]: what each cell shows (text, colours, accessible name,
//!   pending / not clickable / yours), and which cells changed. Pure.
//! - [`nav`]: keyboard movement and activation. Pure.
//! - [`paint`]: writes rows and cells into the grid element and patches
//!   only the cells that changed.
//!
//! The component renders the grid element with Yew (role, counts, label,
//! CSS variables, one delegated listener per event kind) and leaves its
//! inside to the painter, which runs after every render.

pub mod model;
pub mod nav;
pub mod paint;

use serde_json::json;
use tulip_core::Body;
use yew::prelude::*;

pub use model::{cell_style, column_name, coordinate, CellView, DEFAULT_CELL_SIZE};
use model::{readable_text_on, Layout};
use nav::{bound_by_widget, key_action, step, KeyAction};
use paint::{cell_at, Painter, GAP_PX};

use crate::widget::WidgetProps;

/// The grid element's inline style: column count, cell size and the
/// default background with a text colour that reads on it.
fn grid_style(g: &tulip_core::model::Grid) -> String {
    let size = g.cell_size.unwrap_or(DEFAULT_CELL_SIZE);
    let mut style = format!("--tulip-cols:{};--tulip-cell:{}px;", g.width, size);
    if g.show_coordinates == Some(true) {
        // Row numbers' column fits the longest (`www/style.css`).
        style.push_str(&format!(
            "--tulip-rowhead-ch:{};",
            g.height.to_string().len()
        ));
    }
    if let Some(bg) = &g.default_bg {
        style.push_str("--tulip-cell-bg:");
        style.push_str(bg.as_str());
        style.push(';');
        if let Some(fg) = readable_text_on(bg) {
            style.push_str("--tulip-cell-fg:");
            style.push_str(fg);
            style.push(';');
        }
    }
    style
}

/// The grid: `props.widget` must be a grid (anything else draws nothing).
#[component]
pub fn GridView(props: &WidgetProps) -> Html {
    let grid_ref = use_node_ref();
    let painter = use_mut_ref(Painter::default);
    {
        let (painter, grid_ref, props) = (painter.clone(), grid_ref.clone(), props.clone());
        use_effect(move || {
            let Some(root) = grid_ref.cast::<web_sys::Element>() else {
                return;
            };
            let refocus = match painter.try_borrow_mut() {
                Ok(mut p) => p.paint(&root, &props),
                Err(_) => None,
            };
            paint::watch(&painter);
            if let Some(el) = refocus {
                let _ = el.focus();
            }
        });
    }
    let Body::Grid(g) = &props.widget.body else {
        return Html::default();
    };
    let layout = Layout::of(g);
    let interactive = g.on_cell_click == Some(true);
    let emit = {
        let cb = props.on_interaction.clone();
        move |(x, y): (u32, u32)| cb.emit(json!({"type": "cell_click", "x": x, "y": y}))
    };
    let onclick = {
        let emit = emit.clone();
        Callback::from(move |e: MouseEvent| {
            if !interactive {
                return;
            }
            if let Some(at) = cell_at(e.target()) {
                emit(at);
            }
        })
    };
    let onfocusin = {
        let painter = painter.clone();
        Callback::from(move |e: FocusEvent| {
            let Some(at) = cell_at(e.target()) else {
                return;
            };
            if let Ok(mut p) = painter.try_borrow_mut() {
                p.set_active(at);
            }
        })
    };
    let onkeydown = {
        let painter = painter.clone();
        let widget = props.widget.clone();
        let grid_ref = grid_ref.clone();
        let cell_px = g.cell_size.unwrap_or(DEFAULT_CELL_SIZE) + GAP_PX;
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let keyboard = widget.body.common().keyboard.as_ref();
            if e.alt_key() || bound_by_widget(keyboard, &key) {
                return;
            }
            let Some(action) = key_action(&key, e.ctrl_key() || e.meta_key()) else {
                return;
            };
            let Some(at) = cell_at(e.target()) else {
                return;
            };
            match action {
                KeyAction::Move(m) => {
                    e.prevent_default();
                    // A page is what the scroll box shows, less one row.
                    let page = grid_ref
                        .cast::<web_sys::Element>()
                        .and_then(|g| g.parent_element())
                        .map_or(10, |s| {
                            (s.client_height().max(0) as u32 / cell_px).max(2) - 1
                        });
                    let to = step(at, m, layout.width, layout.height, page);
                    let el = match painter.try_borrow_mut() {
                        Ok(mut p) => p.set_active(to),
                        Err(_) => None,
                    };
                    if let Some(el) = el {
                        let _ = el.focus();
                    }
                }
                KeyAction::Activate => {
                    if interactive {
                        e.prevent_default();
                        if !e.repeat() {
                            emit(at);
                        }
                    }
                }
            }
        })
    };
    let (rows, cols) = layout.aria_counts();
    let label = format!("Board, {} by {}", g.width, g.height);
    let class = classes!(
        "tulip-grid",
        layout.headers.then_some("tulip-grid--coords"),
        interactive.then_some("tulip-grid--interactive"),
    );
    html! {
        <div class="tulip-grid-scroll">
            <div ref={grid_ref} {class} role="grid" aria-label={label}
                 aria-rowcount={rows.to_string()} aria-colcount={cols.to_string()}
                 aria-readonly={(!interactive).then_some("true")}
                 style={grid_style(g)} {onclick} {onkeydown} {onfocusin} />
        </div>
    }
}
