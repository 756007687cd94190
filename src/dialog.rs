//! The dialog widget: a speaker (name, portrait, mood), text and choices.

use std::rc::Rc;

use serde_json::{json, Value};
use tulip_core::model::Dialog;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DialogProps {
    pub dialog: Rc<Dialog>,
    /// Receives `{"type": "dialog_choice", "id"}` when a choice is picked.
    #[prop_or_default]
    pub on_interaction: Callback<Value>,
}

/// Longest text the typing effect runs over: beyond this it would take too
/// long to read, so the text is shown at once.
const MAX_TYPED_CHARS: usize = 600;

#[component]
pub fn DialogView(props: &DialogProps) -> Html {
    let d = &props.dialog;
    let speaker = d.speaker.as_ref();
    let name = speaker.and_then(|s| s.name.clone());
    let mood = speaker.and_then(|s| s.mood.clone());
    // The portrait URL is validated and canonical (tulip-core `ImageUrl`).
    let portrait = speaker.and_then(|s| s.portrait.as_ref()).map(|url| {
        let alt = match &name {
            Some(n) => format!("Portrait of {n}"),
            None => "Speaker portrait".to_owned(),
        };
        html! { <img class="tulip-dialog__portrait" src={url.as_str().to_owned()} {alt} /> }
    });
    let text = d.text.clone().unwrap_or_default();
    let chars = text.chars().count();
    let typing = d.typing_effect == Some(true) && chars > 0 && chars <= MAX_TYPED_CHARS;
    // The whole text is in the DOM from the start (screen readers read it
    // at once); the effect only reveals it, and is off under
    // `prefers-reduced-motion` (style.css).
    let text_style = typing.then(|| format!("--tulip-chars:{chars};"));
    let choices = d.choices.iter().map(|c| {
        let cb = props.on_interaction.clone();
        let id = c.id.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            cb.emit(json!({"type": "dialog_choice", "id": id.clone()}))
        });
        html! {
            <li key={c.id.clone()}>
                <button type="button" class="tulip-button tulip-dialog__choice"
                        data-choice={c.id.clone()} {onclick}>
                    { c.text.clone() }
                </button>
            </li>
        }
    });
    let label = match &name {
        Some(n) => format!("Dialog: {n}"),
        None => "Dialog".to_owned(),
    };
    html! {
        <div class="tulip-dialog" role="group" aria-label={label} data-mood={mood.clone()}>
            if portrait.is_some() || name.is_some() || mood.is_some() {
                <div class="tulip-dialog__speaker">
                    { for portrait }
                    <div class="tulip-dialog__who">
                        if let Some(n) = name {
                            <span class="tulip-dialog__name">{ n }</span>
                        }
                        if let Some(m) = mood {
                            <span class="tulip-dialog__mood">{ format!("({m})") }</span>
                        }
                    </div>
                </div>
            }
            if !text.is_empty() {
                <p class={classes!("tulip-dialog__text", typing.then_some("tulip-dialog__text--typing"))}
                   style={text_style}>
                    { text }
                </p>
            }
            if !d.choices.is_empty() {
                <ul class="tulip-dialog__choices" aria-label="Choices">{ for choices }</ul>
            }
        </div>
    }
}
