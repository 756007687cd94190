//! The playground page (`#playground`): a JSON editor for a widget payload,
//! checked by `tulip-core` as you type (every error with its code and JSON
//! path), and the widget drawn as every seat sees it, side by side: the bot,
//! each user the payload names, and a spectator. An update box applies an
//! update and shows what each seat would receive for it. State and
//! transitions are in [`state`] (pure, natively tested); who the seats are
//! in [`seats`].

pub mod error_list;
pub mod samples;
pub mod seat_column;
pub mod seats;
pub mod state;

use std::time::Duration;

use serde_json::Value;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use error_list::ErrorList;
use seat_column::SeatColumn;
use state::{Applied, PlaygroundAction, PlaygroundState};

/// How long the editor waits after the last keystroke before checking.
pub const DEBOUNCE_MS: u64 = 150;

/// An update to try on the first sample.
const SAMPLE_UPDATE: &str = r##"{"set_cells": [{"x": 2, "y": 2, "content": "🗝", "owner": "bob", "hidden_for_others": true}],
 "set_turn": {"current_player": "bob", "order": ["alice", "bob"], "enforce": true}}"##;

#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    /// The payload the editor starts with (default: the first sample).
    #[prop_or_default]
    pub initial: Option<AttrValue>,
}

#[component]
pub fn PlaygroundPage(props: &PlaygroundProps) -> Html {
    let samples = use_memo((), |_| samples::all());
    let state = {
        let first = props
            .initial
            .as_ref()
            .map(|t| t.to_string())
            .or_else(|| samples.first().map(|(_, t)| (*t).to_owned()))
            .unwrap_or_default();
        use_reducer(move || {
            let mut s = PlaygroundState::new(&first);
            s.update_text = SAMPLE_UPDATE.to_owned();
            s
        })
    };

    let on_input = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            dispatcher.dispatch(PlaygroundAction::Edit(text.clone()));
            let dispatcher = dispatcher.clone();
            yew::platform::spawn_local(async move {
                yew::platform::time::sleep(Duration::from_millis(DEBOUNCE_MS)).await;
                dispatcher.dispatch(PlaygroundAction::Check(text));
            });
        })
    };
    // The sample last loaded (`None` once the page started from `initial`).
    let chosen = use_state(|| props.initial.is_none().then_some(0usize));
    let on_sample = {
        let dispatcher = state.dispatcher();
        let samples = samples.clone();
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let picked = value.parse::<usize>().ok();
            if let Some((i, (_, text))) = picked.and_then(|i| samples.get(i).map(|s| (i, s))) {
                chosen.set(Some(i));
                dispatcher.dispatch(PlaygroundAction::Load((*text).to_owned()));
            }
        })
    };
    let on_update_input = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            dispatcher.dispatch(PlaygroundAction::EditUpdate(text));
        })
    };
    let on_apply = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(PlaygroundAction::Apply))
    };
    let on_interaction = {
        let dispatcher = state.dispatcher();
        Callback::from(move |(seat, interaction): (String, Value)| {
            dispatcher.dispatch(PlaygroundAction::Interact { seat, interaction })
        })
    };

    let placeholder = chosen.is_none().then(|| {
        html! { <option value="" selected=true disabled=true>{ "Choose a sample…" }</option> }
    });
    let options = samples.iter().enumerate().map(|(i, (title, _))| {
        html! { <option value={i.to_string()} selected={*chosen == Some(i)}>{ *title }</option> }
    });

    let valid = state.valid();
    let status = if !state.checked_current {
        "Checking…".to_owned()
    } else if valid {
        let c = state.last_valid.as_ref();
        let kind = c.map(|c| c.widget.kind().as_str()).unwrap_or("");
        let n = c.map_or(0, |c| c.seats.len());
        format!("Valid {kind} widget, seen from {n} seats below.")
    } else {
        match state.errors.len() {
            1 => "1 error:".to_owned(),
            n => format!("{n} errors:"),
        }
    };
    let errors = (!state.errors.is_empty()).then(|| {
        html! { <ErrorList errors={state.errors.clone()} testid="playground-errors" /> }
    });

    let applied = state.applied.as_ref().map(|a| match a {
        Applied::Ok => html! {
            <p class="tulip-playground__applied" data-testid="playground-applied">
                { "Applied: the editor now holds the new widget; each seat shows what it received." }
            </p>
        },
        Applied::Failed(errors) => html! {
            <>
                <p class="tulip-playground__applied">{ "The update was refused, nothing changed:" }</p>
                <ErrorList errors={errors.clone()} testid="playground-update-errors" />
            </>
        },
    });

    let stale = !valid;
    let seats = state.last_valid.as_ref().map(|c| {
        let columns = c.seats.iter().map(|v| {
            html! {
                <SeatColumn key={v.seat.key()} view={v.clone()} seq={state.version}
                            on_interaction={on_interaction.clone()} {stale} />
            }
        });
        let caption = stale.then(|| html! {
            <p class="tulip-playground__stale-note">
                { "The editor's payload is not valid: these are the views of the last valid one." }
            </p>
        });
        html! {
            <section class="tulip-playground__table" aria-labelledby="pg-seats-title">
                <h2 id="pg-seats-title">{ "Every seat's view" }</h2>
                { for caption }
                <div class="tulip-playground__seats" data-testid="playground-seats">{ for columns }</div>
            </section>
        }
    });

    html! {
        <main class="tulip-playground">
            <h1 class="tulip-app__title">{ "Playground" }</h1>
            <p class="tulip-playground__intro">
                { "Write a widget payload: it is checked as you type, exactly as the server checks \
                   what a bot sends, and drawn below as each seat sees it. Clicks in a seat show \
                   whether the server would accept them from that user." }
            </p>
            <div class="tulip-playground__editor">
                <label class="tulip-playground__label" for="pg-sample">{ "Start from a sample" }</label>
                <select id="pg-sample" class="tulip-playground__select" data-testid="playground-sample"
                        onchange={on_sample}>
                    { for placeholder }
                    { for options }
                </select>
                <label class="tulip-playground__label" for="pg-editor">{ "Widget payload (JSON)" }</label>
                <textarea id="pg-editor" class="tulip-playground__textarea" data-testid="playground-editor"
                          spellcheck="false" autocomplete="off" rows="16"
                          aria-describedby="pg-status" value={state.text.clone()} oninput={on_input} />
            </div>
            <div id="pg-status" class="tulip-playground__status" role="status" aria-live="polite"
                 data-testid="playground-status" data-valid={valid.to_string()}
                 data-checked={state.checked_current.to_string()}>
                <p class="tulip-playground__status-line">{ status }</p>
                { for errors }
            </div>
            <details class="tulip-playground__update" open=true>
                <summary>{ "Apply an update" }</summary>
                <label class="tulip-playground__label" for="pg-update">{ "Update (JSON, the value of \"update\")" }</label>
                <textarea id="pg-update" class="tulip-playground__textarea tulip-playground__textarea--small"
                          data-testid="playground-update" spellcheck="false" autocomplete="off" rows="4"
                          value={state.update_text.clone()} oninput={on_update_input} />
                <button type="button" class="tulip-button tulip-button--primary tulip-playground__button" data-testid="playground-apply"
                        onclick={on_apply}>{ "Apply update" }</button>
                <div role="status" aria-live="polite">{ for applied }</div>
            </details>
            { for seats }
        </main>
    }
}
