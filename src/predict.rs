//! Client-side prediction (PROTOCOL.md 6), pure: which change an
//! interaction predicts, and the widget as shown with predictions laid over
//! the confirmed state.
//!
//! Today's contract has one prediction: `prediction.cell_click` with
//! `action: set_content` on a grid. The renderer predicts only on an empty
//! cell of a grid whose clicks are on (a click on a filled cell is a move the
//! bot will refuse anyway), and never changes the confirmed state: the
//! overlay is recomputed from it each time. The grid may be the widget
//! itself or a composite's descendant: the interaction's `child` names it,
//! and the rule is that grid's own `prediction`.

use serde_json::Value;
use tulip_core::model::{Cell, Grid, PredictAction};
use tulip_core::{Body, Text, Widget};

/// A predicted cell, waiting for the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub client_seq: u64,
    /// The composite descendant holding the grid (`None`: the widget).
    pub child: Option<String>,
    pub x: u32,
    pub y: u32,
    pub content: Option<String>,
    /// Whether the server accepted the interaction (its update is due).
    pub acked: bool,
}

/// What an interaction predicts: `content` in cell (`x`, `y`) of the grid
/// `child` names (`None`: the widget itself).
#[derive(Debug, Clone, PartialEq)]
pub struct Predicted {
    pub child: Option<String>,
    pub x: u32,
    pub y: u32,
    pub content: Option<String>,
}

/// How long a prediction the server never answered stays on screen.
pub const PREDICTION_TIMEOUT_MS: f64 = 10_000.0;

/// The grid an interaction's `child` names: the widget's own body for
/// `None`, else the composite descendant with that id.
pub fn find_grid<'a>(body: &'a Body, child: Option<&str>) -> Option<&'a Grid> {
    match (body, child) {
        (Body::Grid(g), None) => Some(g),
        (Body::Composite(c), Some(id)) => c.widgets.iter().find_map(|w| {
            if w.id() == id {
                find_grid(&w.body, None)
            } else {
                find_grid(&w.body, Some(id))
            }
        }),
        _ => None,
    }
}

/// [`find_grid`], mutable.
fn find_grid_mut<'a>(body: &'a mut Body, child: Option<&str>) -> Option<&'a mut Grid> {
    match (body, child) {
        (Body::Grid(g), None) => Some(g),
        (Body::Composite(c), Some(id)) => c.widgets.iter_mut().find_map(|w| {
            if w.id() == id {
                find_grid_mut(&mut w.body, None)
            } else {
                find_grid_mut(&mut w.body, Some(id))
            }
        }),
        _ => None,
    }
}

/// Whether cell (`x`, `y`) of the grid `child` names shows something.
pub fn filled(widget: &Widget, child: Option<&str>, x: u32, y: u32) -> bool {
    find_grid(&widget.body, child)
        .and_then(|g| g.cells.get(&(y, x)))
        .and_then(|c| c.content.as_deref())
        .is_some_and(|c| !c.is_empty())
}

/// The cell change `interaction` predicts on `widget`, if any.
pub fn predict(widget: &Widget, interaction: &Value) -> Option<Predicted> {
    if interaction.get("type").and_then(Value::as_str) != Some("cell_click") {
        return None;
    }
    let child = match interaction.get("child") {
        None => None,
        Some(Value::String(id)) => Some(id.as_str()),
        Some(_) => return None,
    };
    let grid = find_grid(&widget.body, child)?;
    let prediction = grid.prediction.as_ref()?;
    if prediction.enabled != Some(true) || grid.on_cell_click != Some(true) {
        return None;
    }
    let rule = prediction.cell_click.as_ref()?;
    if rule.action != PredictAction::SetContent {
        return None;
    }
    let x = u32::try_from(interaction.get("x")?.as_u64()?).ok()?;
    let y = u32::try_from(interaction.get("y")?.as_u64()?).ok()?;
    if x >= grid.width || y >= grid.height || filled(widget, child, x, y) {
        return None;
    }
    Some(Predicted {
        child: child.map(str::to_owned),
        x,
        y,
        content: rule.value.clone(),
    })
}

/// `widget` with `pending` laid over it (the confirmed widget when nothing
/// is pending).
pub fn overlay(widget: &Widget, pending: &[Pending]) -> Widget {
    let mut shown = widget.clone();
    for p in pending {
        let Some(grid) = find_grid_mut(&mut shown.body, p.child.as_deref()) else {
            continue;
        };
        let mut cell = grid.cells.get(&(p.y, p.x)).cloned().unwrap_or(Cell {
            x: p.x,
            y: p.y,
            ..Cell::default()
        });
        cell.content = p.content.as_deref().map(Text::from);
        cell.animate = None;
        grid.cells.put(cell);
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tulip_core::{parse_widget_value, Policy};

    fn board(prediction: Value) -> Widget {
        parse_widget_value(
            json!({"widget_type": "grid", "extra_data": {"width": 3, "height": 3,
                "on_cell_click": true, "prediction": prediction,
                "cells": [{"x": 0, "y": 0, "content": "O"}]}}),
            &Policy::default(),
        )
        .unwrap()
    }

    fn on() -> Value {
        json!({"enabled": true, "cell_click": {"action": "set_content", "value": "X", "style": "pending"}})
    }

    #[test]
    fn predicts_on_an_empty_cell_only() {
        let w = board(on());
        let click = |x, y| json!({"type": "cell_click", "x": x, "y": y});
        assert_eq!(
            predict(&w, &click(1, 2)),
            Some(Predicted {
                child: None,
                x: 1,
                y: 2,
                content: Some("X".into())
            })
        );
        assert_eq!(predict(&w, &click(0, 0)), None, "filled cell");
        assert_eq!(predict(&w, &click(3, 0)), None, "outside");
        assert_eq!(
            predict(&w, &json!({"type": "button_click", "action": "x"})),
            None
        );
    }

    #[test]
    fn no_prediction_unless_enabled() {
        let off =
            board(json!({"enabled": false, "cell_click": {"action": "set_content", "value": "X"}}));
        assert_eq!(
            predict(&off, &json!({"type": "cell_click", "x": 1, "y": 1})),
            None
        );
        let no_rule = board(json!({"enabled": true}));
        assert_eq!(
            predict(&no_rule, &json!({"type": "cell_click", "x": 1, "y": 1})),
            None
        );
    }

    #[test]
    fn overlay_shows_pending_and_leaves_the_confirmed_state_alone() {
        let w = board(on());
        let p = Pending {
            client_seq: 1,
            child: None,
            x: 2,
            y: 1,
            content: Some("X".into()),
            acked: false,
        };
        let shown = overlay(&w, std::slice::from_ref(&p));
        let Body::Grid(g) = &shown.body else { panic!() };
        assert_eq!(
            g.cells.get(&(1, 2)).and_then(|c| c.content.as_deref()),
            Some("X")
        );
        let Body::Grid(orig) = &w.body else { panic!() };
        assert!(orig.cells.get(&(1, 2)).is_none());
        assert_eq!(overlay(&w, &[]), w);
    }

    #[test]
    fn predicts_in_a_composite_child_grid_named_by_child() {
        let w = parse_widget_value(
            json!({"widget_type": "composite", "extra_data": {"widgets": [
                {"id": "hud", "type": "hud", "bars": []},
                {"id": "outer", "type": "composite", "widgets": [
                    {"id": "board", "type": "grid", "width": 3, "height": 3, "on_cell_click": true,
                     "prediction": on(), "cells": [{"x": 0, "y": 0, "content": "O"}]}
                ]}
            ]}}),
            &Policy::default(),
        )
        .unwrap();
        let click = json!({"type": "cell_click", "x": 1, "y": 1, "child": "board"});
        let p = predict(&w, &click).expect("a prediction in the child");
        assert_eq!(p.child.as_deref(), Some("board"));
        assert_eq!(
            predict(
                &w,
                &json!({"type": "cell_click", "x": 0, "y": 0, "child": "board"})
            ),
            None,
            "filled"
        );
        assert_eq!(
            predict(&w, &json!({"type": "cell_click", "x": 1, "y": 1})),
            None,
            "no child: the composite is no grid"
        );
        let shown = overlay(
            &w,
            &[Pending {
                client_seq: 1,
                child: p.child.clone(),
                x: 1,
                y: 1,
                content: p.content.clone(),
                acked: false,
            }],
        );
        assert!(filled(&shown, Some("board"), 1, 1));
        assert!(!filled(&w, Some("board"), 1, 1));
    }
}
