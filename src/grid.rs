//! The grid widget: an ARIA grid of cells, each a button-like gridcell.

use std::rc::Rc;

use serde_json::{json, Value};
use tulip_core::model::{Cell, Grid};
use yew::prelude::*;

/// Cell size used when the payload gives none, in pixels.
pub const DEFAULT_CELL_SIZE: u32 = 32;

#[derive(Properties, PartialEq)]
pub struct GridProps {
    pub grid: Rc<Grid>,
    /// Receives interactions as the JSON a client posts (`{"type": ...}`).
    #[prop_or_default]
    pub on_interaction: Callback<Value>,
}

/// Inline style of one cell. Colours come from `tulip_core` already
/// validated and re-serialized, so they are safe inside a style attribute.
pub fn cell_style(cell: Option<&Cell>) -> String {
    let mut s = String::new();
    if let Some(c) = cell {
        if let Some(bg) = &c.bg {
            s.push_str("background:");
            s.push_str(bg.as_str());
            s.push(';');
        }
        if let Some(fg) = &c.fg {
            s.push_str("color:");
            s.push_str(fg.as_str());
            s.push(';');
        }
    }
    s
}

#[component]
pub fn GridView(props: &GridProps) -> Html {
    let g = &props.grid;
    let size = g.cell_size.unwrap_or(DEFAULT_CELL_SIZE);
    let clickable = g.on_cell_click == Some(true);
    let mut style = format!("--tulip-cols:{};--tulip-cell:{}px;", g.width, size);
    if let Some(bg) = &g.default_bg {
        style.push_str(&format!("--tulip-cell-bg:{};", bg.as_str()));
    }
    let rows = (0..g.height).map(|y| {
        let cells = (0..g.width).map(|x| {
            let cell = g.cells.get(&(y, x));
            let content = cell.and_then(|c| c.content.clone()).unwrap_or_default();
            let onclick = clickable.then(|| {
                let cb = props.on_interaction.clone();
                Callback::from(move |_: MouseEvent| {
                    cb.emit(json!({"type": "cell_click", "x": x, "y": y}))
                })
            });
            let label = if content.is_empty() {
                format!("{}{}, empty", column_name(x), y + 1)
            } else {
                format!("{}{}, {}", column_name(x), y + 1, content)
            };
            html! {
                <div role="gridcell" class="tulip-grid__cell" key={x}
                     data-x={x.to_string()} data-y={y.to_string()}
                     aria-label={label} style={cell_style(cell)} {onclick}>
                    { content }
                </div>
            }
        });
        html! { <div role="row" class="tulip-grid__row" key={y}>{ for cells }</div> }
    });
    html! {
        <div class="tulip-grid" role="grid" aria-rowcount={g.height.to_string()}
             aria-colcount={g.width.to_string()} {style}>
            { for rows }
        </div>
    }
}

/// Spreadsheet-style column names for screen readers: A..Z, AA..
pub fn column_name(mut x: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (x % 26) as u8);
        if x < 26 {
            break;
        }
        x = x / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(255), "IV");
    }
}
