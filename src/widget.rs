//! Renders any widget payload: dispatches on its kind.
//!
//! [`WidgetProps`] is the contract between the dispatcher and every widget
//! component: every kind takes it as its props directly and matches its own
//! `Body` variant, so that the widget is never cloned on the way in.

use std::rc::Rc;

use serde_json::Value;
use tulip_core::{Body, Update, Widget};
use yew::prelude::*;

use crate::canvas::CanvasView;
use crate::cards::CardsView;
use crate::composite::CompositeView;
use crate::dialog::DialogView;
use crate::grid::GridView;
use crate::hud::HudView;
use crate::interactive::InteractiveView;
use crate::inventory::InventoryView;
use crate::leaderboard::LeaderboardView;
use crate::lobby::LobbyView;
use crate::map::MapView;
use crate::terminal::TerminalView;

#[derive(Properties, Clone)]
pub struct WidgetProps {
    pub widget: Rc<Widget>,
    #[prop_or_default]
    pub on_interaction: Callback<Value>,
    /// The update that led to this state, for its animation hints
    /// (`animate`, `emphasize`, `play_sound`); `None` for a fresh or
    /// replaced widget. A composite passes each child its own operations.
    #[prop_or_default]
    pub update: Option<Rc<Update>>,
    /// Whether the widget is being shown live (events as they happen) rather
    /// than from history: sounds and entrance animations only play live.
    #[prop_or_default]
    pub live: bool,
    /// Grid cells `(x, y)` drawn in the pending style of a prediction
    /// (PROTOCOL.md 6) until the server confirms or refuses them.
    #[prop_or_default]
    pub pending: Rc<Vec<(u32, u32)>>,
    /// Pending cells of composite descendants, `(child id, x, y)`: a
    /// composite hands each child its own as `pending`.
    #[prop_or_default]
    pub pending_children: Rc<Vec<(String, u32, u32)>>,
    /// The user looking at the widget, when known (the host-only lobby
    /// controls, "you" markers). Never used to hide anything: the server has
    /// already resolved the widget for this user.
    #[prop_or_default]
    pub user_id: Option<String>,
    /// Changes with every state the host shows (the widget's version):
    /// components key one-shot effects (emphasis, appear animations) on it,
    /// so that the same emphasis twice in a row plays twice.
    #[prop_or_default]
    pub seq: u64,
}

/// Equal when every field is; the cheap ones are compared first (a new
/// state has a new `seq`, which settles it at once) and shared values by
/// pointer before their contents, so that a 10,000-cell widget is not
/// compared cell by cell at each level of components on every update.
impl PartialEq for WidgetProps {
    fn eq(&self, other: &Self) -> bool {
        fn same<T: PartialEq + ?Sized>(a: &Rc<T>, b: &Rc<T>) -> bool {
            Rc::ptr_eq(a, b) || a == b
        }
        self.seq == other.seq
            && self.live == other.live
            && self.user_id == other.user_id
            && self.on_interaction == other.on_interaction
            && same(&self.pending, &other.pending)
            && same(&self.pending_children, &other.pending_children)
            && match (&self.update, &other.update) {
                (Some(a), Some(b)) => same(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
            && same(&self.widget, &other.widget)
    }
}

impl WidgetProps {
    /// Props for `widget` shown from history, with no update and nothing
    /// pending.
    pub fn new(widget: Rc<Widget>, on_interaction: Callback<Value>) -> Self {
        WidgetProps {
            widget,
            on_interaction,
            update: None,
            live: false,
            pending: Rc::default(),
            pending_children: Rc::default(),
            user_id: None,
            seq: 0,
        }
    }

    /// The same props for another widget (a composite's child) with its own
    /// operations of the update.
    pub fn for_child(
        &self,
        widget: Rc<Widget>,
        update: Option<Rc<Update>>,
        on_interaction: Callback<Value>,
    ) -> Self {
        WidgetProps {
            on_interaction,
            update,
            live: self.live,
            pending: Rc::new(self.pending_of(widget_id(&widget))),
            pending_children: self.pending_children.clone(),
            user_id: self.user_id.clone(),
            seq: self.seq,
            widget,
        }
    }
}

impl WidgetProps {
    /// The pending cells of the descendant `id`.
    fn pending_of(&self, id: &str) -> Vec<(u32, u32)> {
        self.pending_children
            .iter()
            .filter(|(child, _, _)| child == id)
            .map(|&(_, x, y)| (x, y))
            .collect()
    }
}

/// A composite child's id (its body carries it).
fn widget_id(widget: &Widget) -> &str {
    widget.body.common().id.as_deref().unwrap_or("")
}

#[component]
pub fn WidgetView(props: &WidgetProps) -> Html {
    let kind = props.widget.kind().as_str();
    let inner = match &props.widget.body {
        Body::Grid(_) => html! { <GridView ..props.clone() /> },
        Body::Hud(_) => html! { <HudView ..props.clone() /> },
        Body::Dialog(_) => html! { <DialogView ..props.clone() /> },
        Body::Terminal(_) => html! { <TerminalView ..props.clone() /> },
        Body::Leaderboard(_) => html! { <LeaderboardView ..props.clone() /> },
        Body::Interactive(_) => html! { <InteractiveView ..props.clone() /> },
        Body::Composite(_) => html! { <CompositeView ..props.clone() /> },
        Body::Canvas(_) => html! { <CanvasView ..props.clone() /> },
        Body::Cards(_) => html! { <CardsView ..props.clone() /> },
        Body::Inventory(_) => html! { <InventoryView ..props.clone() /> },
        Body::Map(_) => html! { <MapView ..props.clone() /> },
        Body::Lobby(_) => html! { <LobbyView ..props.clone() /> },
    };
    html! {
        <div class={classes!("tulip-widget", format!("tulip-widget--{kind}"))} data-widget-type={kind}>
            { inner }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tulip_core::{parse_widget_value, Policy};

    thread_local! {
        static CB: Callback<Value> = Callback::noop();
    }

    fn props(x: u32, seq: u64) -> WidgetProps {
        let w = parse_widget_value(
            json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 1,
                "cells": [{"x": x, "y": 0, "content": "X"}]}}),
            &Policy::default(),
        )
        .unwrap();
        WidgetProps {
            seq,
            ..WidgetProps::new(Rc::new(w), CB.with(Callback::clone))
        }
    }

    #[test]
    fn props_are_equal_by_content_not_only_by_pointer() {
        let a = props(0, 1);
        assert!(a == a.clone());
        assert!(a == props(0, 1), "equal contents behind other pointers");
        assert!(a != props(1, 1), "another widget");
        assert!(a != props(0, 2), "another state");
        let live = WidgetProps {
            live: true,
            ..a.clone()
        };
        assert!(a != live);
    }
}
