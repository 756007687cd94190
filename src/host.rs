//! A widget kept current by the events the server sends: the same update
//! code as the server (`tulip_core::apply_update`), version-gap detection
//! (PROTOCOL.md 5.3), client-side prediction with rollback (section 6), and
//! the refusals the player must hear about. State changes go through
//! [`HostAction`]; [`HostState::next`] is pure and never panics.

use std::rc::Rc;
use std::time::Duration;

use serde_json::Value;
use tulip_core::{apply_update, parse_update, parse_widget_value, Policy, Update, Widget};
use yew::prelude::*;

use crate::announce::{describe_update, Announcer};
use crate::conn::Status;
use crate::frame::{FrameProps, WidgetFrame};
use crate::predict::{overlay, predict, Pending, PREDICTION_TIMEOUT_MS};
use crate::widget::WidgetProps;

/// What can happen to a hosted widget.
#[derive(Debug, Clone, PartialEq)]
pub enum HostAction {
    /// A `widget_update` event: the operations for this viewer and the
    /// version they lead to.
    Update { version: u64, update: Value },
    /// A `widget_replace` event, or a refetched message: the whole widget.
    Replace { version: u64, widget: Value },
    /// The player sent `interaction` as `client_seq`: show its predicted
    /// effect, if the widget asks for prediction.
    Sent { client_seq: u64, interaction: Value },
    /// An `interaction_result` event for this widget.
    Result {
        client_seq: u64,
        ok: bool,
        code: Option<String>,
        msg: Option<String>,
    },
    /// A prediction nobody answered in time is dropped.
    ExpirePrediction(u64),
    /// The notice with this id has been shown long enough.
    ClearNotice(u64),
}

/// A short message for the player: a refused move, an undone prediction.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub id: u64,
    pub text: String,
}

/// The hosted widget as shown (confirmed state with predictions laid
/// over), its version, and whether it is known to be stale (a version gap
/// or an update that does not apply: the embedder must refetch).
#[derive(Debug, Clone, PartialEq)]
pub struct HostState {
    /// What is drawn: `confirmed` plus `pending` predictions.
    pub widget: Rc<Widget>,
    /// The state the server confirmed.
    pub confirmed: Rc<Widget>,
    pub version: u64,
    pub stale: bool,
    /// The last update applied, for its animation and sound hints.
    pub update: Option<Rc<Update>>,
    /// Whether an event arrived while shown (sounds may play).
    pub live: bool,
    pub pending: Vec<Pending>,
    pub notice: Option<Notice>,
}

/// Words for a refusal code.
pub fn refusal_text(code: Option<&str>, msg: Option<&str>) -> String {
    match code {
        Some("NOT_YOUR_TURN") => "Not your turn".to_owned(),
        Some("NOT_ALLOWED") => "You can't do that here".to_owned(),
        Some("RATE_LIMITED") => "Too fast: wait a moment".to_owned(),
        Some("INVALID_INTERACTION") => "That move isn't possible".to_owned(),
        _ => msg
            .filter(|m| !m.is_empty())
            .map(|m| m.chars().take(120).collect())
            .unwrap_or_else(|| "Refused".to_owned()),
    }
}

impl HostState {
    pub fn new(widget: Widget, version: u64) -> Self {
        let w = Rc::new(widget);
        HostState {
            widget: w.clone(),
            confirmed: w,
            version,
            stale: false,
            update: None,
            live: false,
            pending: Vec::new(),
            notice: None,
        }
    }

    /// The pure transition: never panics, never shows a half-applied state.
    pub fn next(&self, action: HostAction) -> HostState {
        // The server already validated; accept what it allows (http URLs too).
        let policy = Policy { allow_http: true };
        match action {
            HostAction::Replace { version, widget } => match parse_widget_value(widget, &policy) {
                Ok(w) => {
                    let mut s = HostState {
                        live: self.live,
                        notice: self.notice.clone(),
                        pending: self.pending.clone(),
                        ..HostState::new(w, version)
                    };
                    s.confirm_pending();
                    s
                }
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
                let applied = parse_update(&self.confirmed.body, update)
                    .and_then(|u| apply_update(&self.confirmed, &u, &policy).map(|w| (w, u)));
                match applied {
                    Ok((w, u)) => {
                        let mut s = HostState {
                            confirmed: Rc::new(w),
                            version,
                            update: Some(Rc::new(u)),
                            live: true,
                            ..self.clone()
                        };
                        s.confirm_pending();
                        s
                    }
                    Err(_) => self.marked_stale(),
                }
            }
            HostAction::Sent {
                client_seq,
                interaction,
            } => match predict(&self.widget, &interaction) {
                Some(p) => {
                    let mut s = self.clone();
                    s.pending.retain(|q| {
                        (q.child.as_deref(), q.x, q.y) != (p.child.as_deref(), p.x, p.y)
                    });
                    s.pending.push(Pending {
                        client_seq,
                        child: p.child,
                        x: p.x,
                        y: p.y,
                        content: p.content,
                        acked: false,
                    });
                    s.redraw();
                    s
                }
                None => self.clone(),
            },
            HostAction::Result {
                client_seq,
                ok,
                code,
                msg,
            } => {
                let mut s = self.clone();
                if ok {
                    for p in s.pending.iter_mut().filter(|p| p.client_seq == client_seq) {
                        p.acked = true;
                    }
                    return s;
                }
                let had = s.pending.len();
                s.pending.retain(|p| p.client_seq != client_seq);
                let mut text = refusal_text(code.as_deref(), msg.as_deref());
                if s.pending.len() != had {
                    text.push_str(" (move undone)");
                    s.redraw();
                }
                let id = self.notice.as_ref().map_or(1, |n| n.id + 1);
                s.notice = Some(Notice { id, text });
                s
            }
            HostAction::ExpirePrediction(client_seq) => {
                let mut s = self.clone();
                s.pending.retain(|p| p.client_seq != client_seq);
                if s.pending.len() != self.pending.len() {
                    s.redraw();
                }
                s
            }
            HostAction::ClearNotice(id) => {
                let mut s = self.clone();
                if s.notice.as_ref().is_some_and(|n| n.id == id) {
                    s.notice = None;
                }
                s
            }
        }
    }

    /// The widget's own grid cells drawn in the pending style.
    pub fn pending_cells(&self) -> Vec<(u32, u32)> {
        self.pending
            .iter()
            .filter(|p| p.child.is_none())
            .map(|p| (p.x, p.y))
            .collect()
    }

    /// The pending cells of composite descendants: `(child id, x, y)`.
    pub fn pending_in_children(&self) -> Vec<(String, u32, u32)> {
        self.pending
            .iter()
            .filter_map(|p| Some((p.child.clone()?, p.x, p.y)))
            .collect()
    }

    /// Drops predictions the confirmed state has settled: accepted ones,
    /// and any whose cell the server has filled meanwhile.
    fn confirm_pending(&mut self) {
        let confirmed = self.confirmed.clone();
        self.pending.retain(|p| {
            // Gone: the grid is no more, or the server has filled the cell.
            let settled = crate::predict::find_grid(&confirmed.body, p.child.as_deref()).is_none()
                || crate::predict::filled(&confirmed, p.child.as_deref(), p.x, p.y);
            !p.acked && !settled
        });
        self.redraw();
    }

    fn redraw(&mut self) {
        self.widget = if self.pending.is_empty() {
            self.confirmed.clone()
        } else {
            Rc::new(overlay(&self.confirmed, &self.pending))
        };
    }

    /// Whether `self` equals `other`, the cheap fields first and the
    /// widgets by pointer before their contents (an update's new state
    /// differs in its version, and is not compared cell by cell).
    fn same_as(&self, other: &HostState) -> bool {
        fn same<T: PartialEq>(a: &Rc<T>, b: &Rc<T>) -> bool {
            Rc::ptr_eq(a, b) || a == b
        }
        self.version == other.version
            && self.stale == other.stale
            && self.live == other.live
            && self.pending == other.pending
            && self.notice == other.notice
            && match (&self.update, &other.update) {
                (Some(a), Some(b)) => same(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
            && same(&self.confirmed, &other.confirmed)
            && same(&self.widget, &other.widget)
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
        if next.same_as(&self) {
            self
        } else {
            Rc::new(next)
        }
    }
}

/// Sends a player's interaction to the server and returns its `client_seq`
/// (`None` when it could not be sent). Compared by pointer.
#[derive(Clone)]
pub struct Sender(pub Rc<dyn Fn(Value) -> Option<u64>>);

impl PartialEq for Sender {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct HostProps {
    pub widget: Rc<Widget>,
    pub version: u64,
    /// The viewing user, when known.
    #[prop_or_default]
    pub user_id: Option<String>,
    /// Whether the widget arrived live (a `message` event) rather than from
    /// history: only live widgets play their `play` sound.
    #[prop_or_default]
    pub live: bool,
    /// Server clock minus local clock (ms), for timers.
    #[prop_or_default]
    pub clock_offset_ms: f64,
    /// Sends interactions (with prediction). Without it, interactions only
    /// go to `on_interaction`.
    #[prop_or_default]
    pub send: Option<Sender>,
    /// Hears every interaction the player makes.
    #[prop_or_default]
    pub on_interaction: Callback<Value>,
    /// Receives the dispatcher once mounted, so that the embedding code can
    /// feed events in.
    #[prop_or_default]
    pub on_ready: Callback<UseReducerDispatcher<HostState>>,
    /// Called when the widget went stale and must be refetched.
    #[prop_or_default]
    pub on_stale: Callback<u64>,
    /// The connection's state in connected mode; anything but `Connected`
    /// shows a badge over the widget.
    #[prop_or_default]
    pub connection: Option<Status>,
}

/// The last announcement made, and the state it was made from.
struct Said {
    version: u64,
    confirmed: Rc<Widget>,
    text: Option<AttrValue>,
    seq: u64,
}

#[component]
pub fn WidgetHost(props: &HostProps) -> Html {
    let state = {
        // Copied only when the reducer is made (the first render).
        let (w, v) = (props.widget.clone(), props.version);
        use_reducer(move || HostState::new((*w).clone(), v))
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
    {
        // A notice stays for a few seconds.
        let dispatcher = state.dispatcher();
        use_effect_with(state.notice.as_ref().map(|n| n.id), move |id| {
            if let Some(id) = *id {
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(Duration::from_millis(3_500)).await;
                    dispatcher.dispatch(HostAction::ClearNotice(id));
                });
            }
        });
    }
    let on_interaction = {
        let dispatcher = state.dispatcher();
        let send = props.send.clone();
        let hear = props.on_interaction.clone();
        Callback::from(move |interaction: Value| {
            hear.emit(interaction.clone());
            let Some(send) = &send else { return };
            if let Some(client_seq) = (send.0)(interaction.clone()) {
                dispatcher.dispatch(HostAction::Sent {
                    client_seq,
                    interaction,
                });
                let dispatcher = dispatcher.clone();
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(Duration::from_millis(PREDICTION_TIMEOUT_MS as u64))
                        .await;
                    dispatcher.dispatch(HostAction::ExpirePrediction(client_seq));
                });
            }
        })
    };
    // What the last live update changed, for screen readers: computed once
    // per version, from the confirmed states before and after it.
    let (said, said_seq) = {
        let memo = use_mut_ref(|| Said {
            version: state.version,
            confirmed: state.confirmed.clone(),
            text: None,
            seq: 0,
        });
        let mut m = memo.borrow_mut();
        if m.version != state.version {
            if let Some(u) = &state.update {
                if let Some(text) = describe_update(&m.confirmed, &state.confirmed, u) {
                    m.text = Some(AttrValue::from(text));
                    m.seq += 1;
                }
            }
        }
        // A replaced widget (even at the same version) is the next "before".
        if m.version != state.version || !Rc::ptr_eq(&m.confirmed, &state.confirmed) {
            m.version = state.version;
            m.confirmed = state.confirmed.clone();
        }
        (m.text.clone(), m.seq)
    };
    let inner = WidgetProps {
        widget: state.widget.clone(),
        on_interaction,
        update: state.update.clone(),
        live: props.live || state.live,
        pending: Rc::new(state.pending_cells()),
        pending_children: Rc::new(state.pending_in_children()),
        user_id: props.user_id.clone(),
        seq: state.version,
    };
    let frame = FrameProps {
        inner,
        clock_offset_ms: props.clock_offset_ms,
    };
    let badge = props
        .connection
        .filter(|s| *s != Status::Connected)
        .map(|s| {
            html! {
                <p class="tulip-host__badge" data-testid="connection-badge" data-state={s.as_str()} role="status">
                    { s.label() }
                </p>
            }
        });
    let notice = state.notice.as_ref().map(|n| {
        html! {
            <p class="tulip-host__notice" data-testid="notice" role="status" key={n.id}>{ n.text.clone() }</p>
        }
    });
    html! {
        <div class="tulip-host" data-version={state.version.to_string()} data-stale={state.stale.to_string()}>
            { for badge }
            <WidgetFrame ..frame />
            <div class="tulip-host__notices" aria-live="polite">{ for notice }</div>
            <Announcer text={said} seq={said_seq} />
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

    fn predicting() -> HostState {
        let w = parse_widget_value(
            json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 1,
                "on_cell_click": true,
                "prediction": {"enabled": true, "cell_click": {"action": "set_content", "value": "X", "style": "pending"}}}}),
            &Policy::default(),
        )
        .unwrap();
        HostState::new(w, 1)
    }

    #[test]
    fn same_as_agrees_with_equality() {
        let a = grid();
        let copy = a.clone();
        assert!(a.same_as(&copy) && a == copy);
        // Equal contents behind other pointers are still the same.
        let rebuilt = HostState {
            widget: Rc::new((*a.widget).clone()),
            confirmed: Rc::new((*a.confirmed).clone()),
            ..a.clone()
        };
        assert!(a.same_as(&rebuilt) && a == rebuilt);
        let newer = HostState {
            version: 4,
            ..a.clone()
        };
        assert!(!a.same_as(&newer) && a != newer);
        let updated = a.next(HostAction::Update {
            version: 4,
            update: json!({"set_cells": [{"x": 1, "y": 0, "content": "X"}]}),
        });
        assert!(!a.same_as(&updated) && a != updated);
        let other = HostState {
            widget: updated.widget.clone(),
            ..a.clone()
        };
        assert!(!a.same_as(&other) && a != other, "the widget is compared");
    }

    fn content_of(w: &Widget, x: u32) -> Option<String> {
        match &w.body {
            tulip_core::Body::Grid(g) => g
                .cells
                .get(&(0, x))
                .and_then(|c| c.content.as_deref().map(str::to_owned)),
            _ => None,
        }
    }

    fn content(s: &HostState) -> Option<String> {
        content_of(&s.widget, 1)
    }

    fn click(x: u32) -> Value {
        json!({"type": "cell_click", "x": x, "y": 0})
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
        assert!(s.live && s.update.is_some());
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

    #[test]
    fn a_prediction_shows_at_once_and_is_confirmed_by_the_update() {
        let s = predicting().next(HostAction::Sent {
            client_seq: 7,
            interaction: click(1),
        });
        assert_eq!(content(&s).as_deref(), Some("X"));
        assert_eq!(s.pending_cells(), [(1, 0)]);
        assert_eq!(
            content_of(&s.confirmed, 1),
            None,
            "confirmed state untouched"
        );
        let s = s.next(HostAction::Result {
            client_seq: 7,
            ok: true,
            code: None,
            msg: None,
        });
        assert_eq!(
            s.pending_cells(),
            [(1, 0)],
            "still pending until the update"
        );
        let s = s.next(HostAction::Update {
            version: 2,
            update: json!({"set_cells": [{"x": 1, "y": 0, "content": "X"}]}),
        });
        assert!(s.pending.is_empty() && s.notice.is_none());
        assert_eq!(content(&s).as_deref(), Some("X"));
    }

    #[test]
    fn a_refused_prediction_rolls_back_with_a_notice() {
        let s = predicting()
            .next(HostAction::Sent {
                client_seq: 3,
                interaction: click(1),
            })
            .next(HostAction::Result {
                client_seq: 3,
                ok: false,
                code: Some("NOT_YOUR_TURN".into()),
                msg: Some("not your turn".into()),
            });
        assert_eq!(content(&s), None);
        assert!(s.pending.is_empty());
        let n = s.notice.clone().unwrap();
        assert_eq!(n.text, "Not your turn (move undone)");
        assert!(s.next(HostAction::ClearNotice(n.id)).notice.is_none());
        assert!(s.next(HostAction::ClearNotice(n.id + 1)).notice.is_some());
    }

    #[test]
    fn an_unanswered_prediction_expires_and_a_refusal_without_one_still_tells() {
        let s = predicting().next(HostAction::Sent {
            client_seq: 4,
            interaction: click(0),
        });
        assert_eq!(s.next(HostAction::ExpirePrediction(4)).pending, []);
        let r = grid().next(HostAction::Result {
            client_seq: 1,
            ok: false,
            code: Some("NOT_ALLOWED".into()),
            msg: None,
        });
        assert_eq!(r.notice.unwrap().text, "You can't do that here");
        // No prediction configured: sending changes nothing.
        assert_eq!(
            grid().next(HostAction::Sent {
                client_seq: 1,
                interaction: click(0)
            }),
            grid()
        );
    }
}
