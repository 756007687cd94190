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

#[derive(Properties, PartialEq, Clone)]
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
