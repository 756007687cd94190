//! One seat's column: its name, the widget as that seat sees it, the
//! resolved JSON, what it received for the last update, and the server's
//! verdict on the last interaction tried there.

use std::rc::Rc;

use serde_json::Value;
use yew::prelude::*;

use super::state::SeatView;
use crate::frame::WidgetFrame;
use crate::widget::WidgetProps;

#[derive(Properties, PartialEq)]
pub struct SeatColumnProps {
    pub view: SeatView,
    /// The state's version (the widget's `seq`).
    pub seq: u64,
    /// Receives `(seat key, interaction)`.
    pub on_interaction: Callback<(String, Value)>,
    /// Whether this shows the last valid payload rather than the editor's.
    #[prop_or_default]
    pub stale: bool,
}

#[component]
pub fn SeatColumn(props: &SeatColumnProps) -> Html {
    let v = &props.view;
    let key = v.seat.key();
    let heading_id = format!(
        "seat-{}",
        key.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    let on_interaction = {
        let cb = props.on_interaction.clone();
        let key = key.clone();
        Callback::from(move |i: Value| cb.emit((key.clone(), i)))
    };
    let inner = WidgetProps {
        widget: v.widget.clone(),
        on_interaction,
        update: v.update.clone(),
        live: true,
        pending: Rc::default(),
        pending_children: Rc::default(),
        user_id: v.seat.user.as_ref().map(|u| u.as_str().to_owned()),
        seq: props.seq,
    };
    let tried = v.tried.as_ref().map(|t| {
        let (class, verdict) = match &t.verdict {
            Ok(()) => (
                "tulip-playground__verdict--ok",
                "the server accepts it".to_owned(),
            ),
            Err(e) => (
                "tulip-playground__verdict--refused",
                format!("refused: {} ({})", e.code, e.msg),
            ),
        };
        html! {
            <p class={classes!("tulip-playground__verdict", class)} data-testid="seat-verdict"
               data-ok={t.verdict.is_ok().to_string()} role="status">
                <code>{ t.interaction.clone() }</code>{ " → " }{ verdict }
            </p>
        }
    });
    let received = v.received.as_ref().map(|r| {
        html! {
            <details class="tulip-playground__json" data-testid="seat-received" open=true>
                <summary>{ "What this seat received for the update" }</summary>
                <pre>{ r.clone() }</pre>
            </details>
        }
    });
    html! {
        <section class={classes!("tulip-playground__seat", props.stale.then_some("tulip-playground__seat--stale"))}
                 data-testid="seat" data-seat={v.seat.kind.as_str()}
                 data-user-id={v.seat.user.as_ref().map(|u| u.as_str().to_owned())}
                 aria-labelledby={heading_id.clone()}>
            <h3 class="tulip-playground__seat-title" id={heading_id}>{ v.seat.label() }</h3>
            <p class="tulip-playground__seat-note">{ v.seat.description() }</p>
            <div class="tulip-playground__seat-view" data-testid="seat-view">
                <WidgetFrame {inner} />
            </div>
            { for tried }
            { for received }
            <details class="tulip-playground__json" data-testid="seat-json">
                <summary>{ "Resolved JSON" }</summary>
                <pre>{ v.json.clone() }</pre>
            </details>
        </section>
    }
}
