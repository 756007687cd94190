//! A widget kept current by the events the server sends: the same update
//! code as the server (`tulip_core::apply_update`), and version-gap
//! detection (PROTOCOL.md 5.3). State changes go through [`HostAction`].

use std::rc::Rc;

use serde_json::Value;
use tulip_core::{apply_update, parse_update, parse_widget_value, Policy, Widget};
use yew::prelude::*;

use crate::widget::WidgetView;

/// What can happen to a hosted widget.
#[derive(Debug, Clone, PartialEq)]
pub enum HostAction {
    /// A `widget_update` event: the operations for this viewer and the
    /// version they lead to.
    Update { version: u64, update: Value },
    /// A `widget_replace` event, or a refetched message: the whole widget.
    Replace { version: u64, widget: Value },
}

/// The hosted widget, its version, and whether it is known to be stale (a
/// version gap or an update that does not apply: the host must refetch).
#[derive(Debug, Clone, PartialEq)]
pub struct HostState {
    pub widget: Rc<Widget>,
    pub version: u64,
    pub stale: bool,
}

impl HostState {
    pub fn new(widget: Widget, version: u64) -> Self {
        HostState {
            widget: Rc::new(widget),
            version,
            stale: false,
        }
    }

    /// The pure transition: never panics, never shows a half-applied state.
    pub fn next(&self, action: HostAction) -> HostState {
        // The server already validated; accept what it allows (http URLs too).
        let policy = Policy { allow_http: true };
        match action {
            HostAction::Replace { version, widget } => match parse_widget_value(widget, &policy) {
                Ok(w) => HostState::new(w, version),
                Err(_) => self.marked_stale(),
            },
            HostAction::Update { version, update } => {
                if self.stale || version <= self.version {
                    // Already seen (a replay), or waiting for a refetch.
                    return self.clone();
                }
                if version != self.version + 1 {
                    return self.marked_stale();
                }
                let applied = parse_update(&self.widget.body, update)
                    .and_then(|u| apply_update(&self.widget, &u, &policy));
                match applied {
                    Ok(w) => HostState::new(w, version),
                    Err(_) => self.marked_stale(),
                }
            }
        }
    }

    fn marked_stale(&self) -> HostState {
        HostState {
            stale: true,
            ..self.clone()
        }
    }
}

impl Reducible for HostState {
    type Action = HostAction;

    fn reduce(self: Rc<Self>, action: HostAction) -> Rc<Self> {
        let next = self.next(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct HostProps {
    pub widget: Rc<Widget>,
    pub version: u64,
    #[prop_or_default]
    pub on_interaction: Callback<Value>,
    /// Receives the dispatcher once mounted, so that the embedding code can
    /// feed events in.
    #[prop_or_default]
    pub on_ready: Callback<UseReducerDispatcher<HostState>>,
    /// Called when the widget went stale and must be refetched.
    #[prop_or_default]
    pub on_stale: Callback<u64>,
}

#[component]
pub fn WidgetHost(props: &HostProps) -> Html {
    let state = {
        let (w, v) = (props.widget.clone(), props.version);
        use_reducer(move || HostState {
            widget: w,
            version: v,
            stale: false,
        })
    };
    {
        let dispatcher = state.dispatcher();
        let on_ready = props.on_ready.clone();
        use_effect_with((), move |_| on_ready.emit(dispatcher));
    }
    {
        let on_stale = props.on_stale.clone();
        use_effect_with((state.stale, state.version), move |(stale, version)| {
            if *stale {
                on_stale.emit(*version);
            }
        });
    }
    html! {
        <div class="tulip-host" data-version={state.version.to_string()} data-stale={state.stale.to_string()}>
            <WidgetView widget={state.widget.clone()} on_interaction={props.on_interaction.clone()} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn grid() -> HostState {
        let w = parse_widget_value(
            json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 1}}),
            &Policy::default(),
        )
        .unwrap();
        HostState::new(w, 3)
    }

    fn content(s: &HostState) -> Option<String> {
        match &s.widget.body {
            tulip_core::Body::Grid(g) => g.cells.get(&(0, 1)).and_then(|c| c.content.clone()),
            _ => None,
        }
    }

    #[test]
    fn the_next_version_applies() {
        let s = grid().next(HostAction::Update {
            version: 4,
            update: json!({"set_cells": [{"x": 1, "y": 0, "content": "X"}]}),
        });
        assert_eq!(
            (s.version, s.stale, content(&s).as_deref()),
            (4, false, Some("X"))
        );
    }

    #[test]
    fn a_gap_or_a_bad_update_marks_stale_and_changes_nothing_else() {
        let g = grid();
        let gap = g.next(HostAction::Update {
            version: 6,
            update: json!({}),
        });
        assert!(gap.stale);
        assert_eq!((gap.version, gap.widget.clone()), (3, g.widget.clone()));
        let bad = g.next(HostAction::Update {
            version: 4,
            update: json!({"set_cells": [{"x": 9, "y": 0}]}),
        });
        assert!(bad.stale);
        assert_eq!(bad.widget, g.widget);
        // A replay of an old version is ignored.
        assert_eq!(
            g.next(HostAction::Update {
                version: 3,
                update: json!({})
            }),
            g
        );
    }

    #[test]
    fn a_replace_clears_staleness() {
        let g = grid().next(HostAction::Update {
            version: 9,
            update: json!({}),
        });
        assert!(g.stale);
        let r = g.next(HostAction::Replace {
            version: 9,
            widget: json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 1,
                "cells": [{"x": 1, "y": 0, "content": "O"}]}}),
        });
        assert_eq!(
            (r.version, r.stale, content(&r).as_deref()),
            (9, false, Some("O"))
        );
    }
}
