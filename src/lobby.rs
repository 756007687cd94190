//! The lobby widget: the game, its status, who is in (ready, host, you),
//! the settings, and the buttons the viewer may use. Which buttons is
//! decided by [`controls::controls`] (pure, natively tested); see
//! docs/renderer/map-and-lobby.md.

pub mod controls;

use serde_json::json;
use tulip_core::model::{Lobby, LobbyStatus, Setting};
use tulip_core::Body;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::widget::WidgetProps;

use controls::{controls, count_text, value_json, value_text, Controls};

/// The status as text, icon and class suffix.
pub fn status_words(s: LobbyStatus) -> (&'static str, &'static str, &'static str) {
    match s {
        LobbyStatus::Waiting => ("Waiting for players", "⏳", "waiting"),
        LobbyStatus::Starting => ("Starting", "🚦", "starting"),
        LobbyStatus::InProgress => ("In progress", "▶", "in_progress"),
    }
}

fn setting_row(
    key: &str,
    s: &Setting,
    editable: bool,
    on_interaction: &Callback<serde_json::Value>,
) -> Html {
    let label = s
        .label
        .clone()
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| key.to_owned());
    let value = match (&s.options, editable) {
        (Some(options), true) if !options.is_empty() => {
            let onchange = {
                let cb = on_interaction.clone();
                let key = key.to_owned();
                let options = options.clone();
                Callback::from(move |e: Event| {
                    let Some(sel) = e
                        .target()
                        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                    else {
                        return;
                    };
                    let Some(v) = sel
                        .value()
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| options.get(i))
                    else {
                        return;
                    };
                    cb.emit(json!({"type": "lobby_setting", "key": key.clone(), "value": value_json(v)}));
                })
            };
            let opts = options.iter().enumerate().map(|(i, o)| {
                html! {
                    <option value={i.to_string()} selected={*o == s.value}>{ value_text(o) }</option>
                }
            });
            html! {
                <select class="tulip-lobby__select" aria-label={label.clone()}
                        data-setting={key.to_owned()} {onchange}>
                    { for opts }
                </select>
            }
        }
        _ => html! { <span data-setting={key.to_owned()}>{ value_text(&s.value) }</span> },
    };
    html! {
        <>
            <dt>{ label }</dt>
            <dd>{ value }</dd>
        </>
    }
}

fn players_list(l: &Lobby, viewer: Option<&str>) -> Html {
    if l.players.is_empty() {
        return html! { <p class="tulip-lobby__empty">{ "Nobody has joined yet." }</p> };
    }
    let items = l.players.iter().map(|p| {
        let id = p.id.as_str();
        let you = viewer == Some(id);
        let host = l.host.as_ref().is_some_and(|h| h.as_str() == id);
        let ready = p.ready == Some(true);
        let name = p
            .name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("Player {id}"));
        html! {
            <li key={id.to_owned()}
                class={classes!("tulip-lobby__player", you.then_some("tulip-lobby__player--you"))}
                data-player-id={id.to_owned()} data-ready={ready.to_string()}>
                <span class="tulip-lobby__name">{ name }</span>
                if host {
                    <span class="tulip-lobby__tag tulip-lobby__tag--host">{ "host" }</span>
                }
                if you {
                    <span class="tulip-lobby__tag tulip-lobby__tag--you">{ "you" }</span>
                }
                <span class={classes!("tulip-lobby__ready", ready.then_some("tulip-lobby__ready--yes"))}>
                    <span aria-hidden="true">{ if ready { "✓ " } else { "○ " } }</span>
                    { if ready { "ready" } else { "not ready" } }
                </span>
            </li>
        }
    });
    html! { <ul class="tulip-lobby__players" aria-label="Players">{ for items }</ul> }
}

fn action_buttons(
    c: &Controls,
    on_interaction: &Callback<serde_json::Value>,
    note_id: &str,
) -> Html {
    let send = |v: serde_json::Value| {
        let cb = on_interaction.clone();
        Callback::from(move |_: MouseEvent| cb.emit(v.clone()))
    };
    let join = c.join.then(|| {
        html! {
            <button type="button" class="tulip-button tulip-button--primary" data-action="join"
                    onclick={send(json!({"type": "lobby_join"}))}>{ "Join" }</button>
        }
    });
    let ready = c.ready.map(|pressed| {
        html! {
            <button type="button" class="tulip-button" data-action="ready"
                    aria-pressed={pressed.to_string()}
                    onclick={send(json!({"type": "lobby_ready", "ready": !pressed}))}>
                <span aria-hidden="true">{ if pressed { "☑ " } else { "☐ " } }</span>
                { "Ready" }
            </button>
        }
    });
    let start = c.start.map(|s| {
        let enabled = s.enabled();
        html! {
            <button type="button" class="tulip-button tulip-button--primary" data-action="start"
                    disabled={!enabled}
                    aria-describedby={(!enabled).then(|| note_id.to_owned())}
                    onclick={send(json!({"type": "lobby_start"}))}>{ "Start game" }</button>
        }
    });
    let leave = c.leave.then(|| {
        html! {
            <button type="button" class="tulip-button" data-action="leave"
                    onclick={send(json!({"type": "lobby_leave"}))}>{ "Leave" }</button>
        }
    });
    html! {
        <div class="tulip-lobby__actions" role="group" aria-label="Lobby actions">
            { for join }{ for ready }{ for start }{ for leave }
        </div>
    }
}

#[component]
pub fn LobbyView(props: &WidgetProps) -> Html {
    let Body::Lobby(l) = &props.widget.body else {
        return Html::default();
    };
    let viewer = props.user_id.as_deref();
    let c = controls(viewer, l);
    let (status, icon, status_class) = status_words(l.status);
    let note_id = use_memo((), |_| {
        thread_local! {
            static NEXT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
        }
        let n = NEXT.with(|c| {
            c.set(c.get() + 1);
            c.get()
        });
        format!("tulip-lobby-note-{n}")
    });
    let settings = (!l.settings.is_empty()).then(|| {
        let rows = l
            .settings
            .iter()
            .map(|(k, s)| setting_row(k, s, c.edit_settings, &props.on_interaction));
        html! { <dl class="tulip-lobby__settings" aria-label="Settings">{ for rows }</dl> }
    });
    let note = match (&c.start, c.full) {
        (Some(s), _) => s.reason(),
        (None, true) => Some("The lobby is full.".to_owned()),
        _ => None,
    };
    let note = note.map(|n| {
        html! { <p class="tulip-lobby__note" id={(*note_id).clone()} data-testid="lobby-note">{ n }</p> }
    });
    html! {
        <section class="tulip-lobby" aria-label={format!("Lobby: {}", l.game)}
                 data-status={status_class}>
            <div class="tulip-lobby__head">
                <h3 class="tulip-lobby__game">{ l.game.clone() }</h3>
                <span class={classes!("tulip-lobby__status", format!("tulip-lobby__status--{status_class}"))}
                      data-testid="lobby-status">
                    <span aria-hidden="true">{ icon }</span>{ status }
                </span>
            </div>
            <p class="tulip-lobby__count" data-testid="lobby-count">{ count_text(l) }</p>
            { players_list(l, viewer) }
            { for settings }
            { action_buttons(&c, &props.on_interaction, &note_id) }
            { for note }
        </section>
    }
}
