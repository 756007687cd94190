//! The key hint in the frame's header (shown when the widget has bindings):
//! whether keys are captured, and the list of bound keys.

use std::rc::Rc;

use yew::prelude::*;

use crate::keys::{display_key, spoken_key, Hint};

/// One bound key as listed: the key shown, its action and the composite
/// child it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRow {
    pub key: String,
    pub action: String,
    pub child: Option<String>,
}

#[derive(Properties, PartialEq, Clone)]
pub struct KeysHintProps {
    pub hint: Hint,
    pub rows: Rc<Vec<KeyRow>>,
    /// The hint's element id (the frame's `aria-describedby`).
    pub id: AttrValue,
}

#[component]
pub fn KeysHint(props: &KeysHintProps) -> Html {
    let rows = props.rows.iter().map(|r| {
        let child = r.child.as_ref().map(|c| {
            html! { <span class="tulip-frame__key-child">{ format!(" ({c})") }</span> }
        });
        let key = match spoken_key(&r.key) {
            Some(said) => html! {
                <kbd>
                    <span aria-hidden="true">{ display_key(&r.key) }</span>
                    <span class="tulip-frame__sr">{ said }</span>
                </kbd>
            },
            None => html! { <kbd>{ display_key(&r.key) }</kbd> },
        };
        html! {
            <li class="tulip-frame__key">
                { key }
                { " " }
                <span class="tulip-frame__key-action">{ r.action.clone() }</span>
                { for child }
            </li>
        }
    });
    html! {
        <div class="tulip-frame__keys" id={props.id.clone()}>
            <span class="tulip-frame__hint" data-testid="key-hint" data-state={props.hint.as_str()}>
                <span aria-hidden="true">{ "⌨ " }</span>
                { props.hint.text() }
            </span>
            <ul class="tulip-frame__keylist" aria-label="Keys" data-testid="key-list">
                { for rows }
            </ul>
        </div>
    }
}
