//! The dialog widget: a speaker (name, portrait, mood), what they say, and
//! the player's choices (PROTOCOL.md 1.1).
//!
//! - **Typing.** With `typing_effect: true` the text appears a character at
//!   a time ([`typing`]) when the dialog arrives live and whenever its text
//!   changes while shown. A click on the text, the "Show all" button, or
//!   Enter anywhere in the dialog shows it all at once; reduced motion and
//!   dialogs from history show it at once. Screen readers get the whole
//!   text at once: it is in a visually hidden copy while the typed part
//!   (and the untyped rest, kept invisible so that the box does not grow
//!   as it types) are `aria-hidden`.
//! - **Speaker.** The portrait's URL is validated and canonical
//!   (`tulip_core::url::ImageUrl`); a portrait that fails to load, or none,
//!   gives way to the name's initial. The mood is text (with an icon for
//!   common moods) and `data-mood`.
//! - **Choices** are buttons sending `{"type": "dialog_choice", "id"}`,
//!   reachable with Tab and moved between with the arrow keys, with
//!   `data-target="<choice id>"` for the frame's emphasis.

pub mod typing;

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::json;
use tulip_core::{Body, Update};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::anim::{now_ms, reduced_motion};
use crate::widget::WidgetProps;
use typing::{Moment, Run};

/// An icon for a common mood (always shown beside the mood's word).
pub fn mood_icon(mood: &str) -> Option<&'static str> {
    let m = mood.trim().to_ascii_lowercase();
    let icon = match m.as_str() {
        "happy" | "glad" | "cheerful" | "joyful" | "pleased" | "friendly" => "😊",
        "excited" | "delighted" => "😃",
        "laughing" | "amused" => "😄",
        "sad" | "unhappy" | "gloomy" => "😢",
        "angry" | "furious" | "mad" | "annoyed" => "😠",
        "wary" | "suspicious" | "sceptical" | "skeptical" | "doubtful" => "🤨",
        "surprised" | "shocked" | "astonished" => "😮",
        "scared" | "afraid" | "frightened" | "fearful" => "😨",
        "worried" | "nervous" | "anxious" => "😟",
        "thinking" | "curious" | "thoughtful" | "pensive" => "🤔",
        "neutral" | "calm" => "😐",
        "tired" | "sleepy" | "bored" => "😴",
        "smug" | "sly" => "😏",
        "confused" | "puzzled" => "😕",
        "love" | "loving" | "smitten" => "😍",
        _ => return None,
    };
    Some(icon)
}

/// The first letter of a name, upper case, for a missing portrait.
pub fn initial(name: &str) -> String {
    crate::case::initial(name.trim())
}

/// The choice the arrow keys move focus to from `at` (of `n`), or `None`
/// for another key.
pub fn choice_target(key: &str, at: usize, n: usize) -> Option<usize> {
    let last = n.checked_sub(1)?;
    match key {
        "ArrowDown" | "ArrowRight" => Some((at + 1).min(last)),
        "ArrowUp" | "ArrowLeft" => Some(at.saturating_sub(1)),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
}

fn closest(target: Option<web_sys::EventTarget>, selector: &str) -> Option<web_sys::Element> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?;
    el.closest(selector).ok()?
}

/// The dialog: `props.widget` must be a dialog.
#[component]
pub fn DialogView(props: &WidgetProps) -> Html {
    let run = use_mut_ref(Run::default);
    let redraw = use_force_update();
    let broken = use_state(|| None::<String>);
    // The choice just picked, at the version it was picked.
    let picked = use_state(|| None::<(u64, String)>);
    let root = use_node_ref();
    let d = match &props.widget.body {
        Body::Dialog(d) => Some(d),
        _ => None,
    };
    let text = d.and_then(|d| d.text.as_deref()).unwrap_or("");
    let now = now_ms();
    let (shown, typing) = {
        let set_text =
            matches!(props.update.as_deref(), Some(Update::Dialog(o)) if o.set_text.is_some());
        let mut r = run.borrow_mut();
        r.sync(Moment {
            text,
            seq: props.seq,
            effect: d.is_some_and(|d| d.typing_effect == Some(true)),
            live: props.live,
            set_text,
            reduced: reduced_motion(),
            now,
        });
        let shown = r.shown(text.len(), now);
        (shown, r.typing())
    };
    {
        // While typing, draw again when the next piece is due.
        let next = run.borrow().next_at(now);
        let redraw = redraw.clone();
        use_effect(move || {
            let cancelled = Rc::new(Cell::new(false));
            if let Some(at) = next {
                let cancelled = cancelled.clone();
                let wait = (at - now).clamp(0.0, 1_000.0) as u64 + 1;
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(Duration::from_millis(wait)).await;
                    if !cancelled.get() {
                        redraw.force_update();
                    }
                });
            }
            move || cancelled.set(true)
        });
    }
    let Some(d) = d else {
        return Html::default();
    };

    let skip = {
        let run = run.clone();
        let redraw = redraw.clone();
        move || {
            let mut r = run.borrow_mut();
            if r.typing() {
                r.skip();
                drop(r);
                redraw.force_update();
                true
            } else {
                false
            }
        }
    };
    let on_text_click = {
        let skip = skip.clone();
        Callback::from(move |_: MouseEvent| {
            skip();
        })
    };
    let onkeydown = {
        let skip = skip.clone();
        let root = root.clone();
        let n = d.choices.len();
        Callback::from(move |e: KeyboardEvent| {
            if e.default_prevented() || e.is_composing() {
                return;
            }
            let key = e.key();
            // While typing, the first Enter (or Space on the text) shows the
            // whole text; it does not pick a choice unread.
            let on_text = closest(e.target(), ".tulip-dialog__bubble").is_some();
            if (key == "Enter" || (key == " " && on_text)) && skip() {
                e.prevent_default();
                return;
            }
            let Some(choice) = closest(e.target(), "[data-choice-index]") else {
                return;
            };
            let Some(at) = choice
                .get_attribute("data-choice-index")
                .and_then(|i| i.parse::<usize>().ok())
            else {
                return;
            };
            let Some(to) = choice_target(&key, at, n) else {
                return;
            };
            e.prevent_default();
            let el = root
                .cast::<web_sys::Element>()
                .and_then(|r| {
                    r.query_selector(&format!("[data-choice-index=\"{to}\"]"))
                        .ok()
                        .flatten()
                })
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(el) = el {
                let _ = el.focus();
            }
        })
    };

    let speaker = d.speaker.as_ref();
    let name = speaker
        .and_then(|s| s.name.clone())
        .filter(|n| !n.is_empty());
    let mood = speaker
        .and_then(|s| s.mood.clone())
        .filter(|m| !m.is_empty());
    let url = speaker
        .and_then(|s| s.portrait.as_ref())
        .map(|u| u.as_str().to_owned());
    let portrait = match &url {
        // The URL is validated and canonical (tulip-core `ImageUrl`).
        Some(u) if broken.as_deref() != Some(u.as_str()) => {
            let onerror = {
                let broken = broken.clone();
                let u = u.clone();
                Callback::from(move |_: Event| broken.set(Some(u.clone())))
            };
            // Beside the name, the portrait is decoration.
            let alt = if name.is_some() { "" } else { "Speaker" };
            Some(html! {
                <img class="tulip-dialog__portrait" src={u.clone()} {alt} {onerror}
                     draggable="false" />
            })
        }
        _ => name.as_ref().map(|n| {
            html! { <span class="tulip-dialog__avatar" aria-hidden="true">{ initial(n) }</span> }
        }),
    };
    let mood_view = mood.as_ref().map(|m| {
        html! {
            <span class="tulip-dialog__mood">
                if let Some(icon) = mood_icon(m) {
                    <span class="tulip-dialog__mood-icon" aria-hidden="true">{ icon }</span>
                }
                { m.clone() }
            </span>
        }
    });

    let text_view = (!text.is_empty()).then(|| {
        let shown = shown.min(text.len());
        let (seen, rest) = if text.is_char_boundary(shown) {
            text.split_at(shown)
        } else {
            (text, "")
        };
        let body = if typing {
            html! {
                <>
                    <span class="tulip-sr-only">{ text.to_owned() }</span>
                    <span class="tulip-dialog__typed" aria-hidden="true">{ seen.to_owned() }</span>
                    <span class="tulip-dialog__rest" aria-hidden="true">{ rest.to_owned() }</span>
                </>
            }
        } else {
            html! { { text.to_owned() } }
        };
        html! {
            <div class={classes!("tulip-dialog__bubble", typing.then_some("tulip-dialog__bubble--typing"))}
                 onclick={on_text_click.clone()}>
                <p class="tulip-dialog__text">{ body }</p>
                if typing {
                    <button type="button" class="tulip-dialog__skip">
                        { "Show all" }
                    </button>
                }
            </div>
        }
    });

    let picked_now = picked
        .as_ref()
        .filter(|(seq, _)| *seq == props.seq)
        .map(|(_, id)| id.clone());
    let choices = d.choices.iter().enumerate().map(|(i, c)| {
        let cb = props.on_interaction.clone();
        let id = c.id.clone();
        let picked = picked.clone();
        let seq = props.seq;
        let onclick = Callback::from(move |_: MouseEvent| {
            picked.set(Some((seq, id.clone())));
            cb.emit(json!({"type": "dialog_choice", "id": id.clone()}))
        });
        let is_picked = picked_now.as_deref() == Some(c.id.as_str());
        html! {
            <li key={c.id.clone()}>
                <button type="button"
                        class={classes!("tulip-button", "tulip-dialog__choice",
                                        is_picked.then_some("tulip-dialog__choice--picked"))}
                        data-choice={c.id.clone()} data-target={c.id.clone()}
                        data-choice-index={i.to_string()} {onclick}>
                    <span class="tulip-dialog__choice-mark" aria-hidden="true">
                        { if is_picked { "✓" } else { "›" } }
                    </span>
                    <span class="tulip-dialog__choice-text">{ c.text.clone() }</span>
                </button>
            </li>
        }
    });
    let label = match &name {
        Some(n) => format!("Dialog: {n}"),
        None => "Dialog".to_owned(),
    };
    html! {
        <div ref={root} class="tulip-dialog" role="group" aria-label={label}
             data-mood={mood.clone()} {onkeydown}>
            if portrait.is_some() || name.is_some() || mood.is_some() {
                <div class="tulip-dialog__speaker">
                    { for portrait }
                    <div class="tulip-dialog__who">
                        if let Some(n) = name {
                            <span class="tulip-dialog__name">{ n }</span>
                        }
                        { for mood_view }
                    </div>
                </div>
            }
            { for text_view }
            if !d.choices.is_empty() {
                <ul class="tulip-dialog__choices" aria-label="Choices">{ for choices }</ul>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moods_have_icons_and_others_just_words() {
        assert_eq!(mood_icon("Wary"), Some("🤨"));
        assert_eq!(mood_icon(" happy "), Some("😊"));
        assert_eq!(mood_icon("melancholic"), None);
    }

    #[test]
    fn initials() {
        assert_eq!(initial("mira"), "M");
        assert_eq!(initial("  élan"), "É");
        assert_eq!(initial(""), "");
    }

    #[test]
    fn arrows_move_between_choices_and_stop_at_the_ends() {
        assert_eq!(choice_target("ArrowDown", 0, 3), Some(1));
        assert_eq!(choice_target("ArrowDown", 2, 3), Some(2));
        assert_eq!(choice_target("ArrowUp", 0, 3), Some(0));
        assert_eq!(choice_target("End", 0, 3), Some(2));
        assert_eq!(choice_target("Home", 2, 3), Some(0));
        assert_eq!(choice_target("x", 1, 3), None);
        assert_eq!(choice_target("ArrowDown", 0, 0), None);
    }
}
