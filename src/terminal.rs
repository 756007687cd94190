//! The terminal widget: coloured lines with scrollback, and an input line
//! with history that sends `{"type": "terminal_input", "text"}`
//! (PROTOCOL.md 1.1).
//!
//! - [`screen`]: the lines, drawn outside Yew's virtual DOM with
//!   append-only DOM work, so that 10,000 lines and frequent
//!   `append_lines` stay fast; it follows new output while the player is
//!   at the bottom and stays put once they scroll up.
//! - [`sync`]: which lines to drop and append to reach a new state. Pure.
//! - [`history`]: Up and Down through what the player sent. Pure.
//!
//! Scrollback keeps the newest `max_lines` (1,000 by default). When new
//! lines arrive while the player reads older ones, a "new lines" button
//! says how many and jumps to them. The output is a `role=log` that is not
//! itself a live region: the host's announcer already says each update's
//! new lines (`announce.rs`), once.

pub mod history;
pub mod screen;
pub mod sync;

use serde_json::json;
use tulip_core::Body;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use crate::widget::WidgetProps;
use history::History;
use screen::{at_bottom, to_bottom, Screen};

/// `max_lines` when the payload gives none (docs/contract-notes.md).
pub const DEFAULT_MAX_LINES: usize = tulip_core::model::DEFAULT_MAX_LINES as usize;

/// "1 new line", "5 new lines".
pub fn new_lines_text(n: usize) -> String {
    if n == 1 {
        "1 new line".to_owned()
    } else {
        format!("{n} new lines")
    }
}

/// Whether the page has a text selection (a click that ends one must not
/// move the focus away from it).
fn selecting() -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let Ok(get) = js_sys::Reflect::get(&w, &JsValue::from_str("getSelection")) else {
        return false;
    };
    let Ok(get) = get.dyn_into::<js_sys::Function>() else {
        return false;
    };
    let Ok(sel) = get.call0(&w) else {
        return false;
    };
    js_sys::Reflect::get(&sel, &JsValue::from_str("isCollapsed"))
        .ok()
        .and_then(|v| v.as_bool())
        .is_some_and(|collapsed| !collapsed)
}

/// The terminal: `props.widget` must be a terminal.
#[component]
pub fn TerminalView(props: &WidgetProps) -> Html {
    let screen_ref = use_node_ref();
    let input = use_node_ref();
    let painter = use_mut_ref(Screen::default);
    let history = use_mut_ref(History::default);
    // Lines that arrived below while the player was reading above.
    let unseen = use_state(|| 0usize);
    {
        let (painter, screen_ref) = (painter.clone(), screen_ref.clone());
        let (widget, update) = (props.widget.clone(), props.update.clone());
        let unseen = unseen.clone();
        use_effect(move || {
            let Some(root) = screen_ref.cast::<Element>() else {
                return;
            };
            let Ok(mut p) = painter.try_borrow_mut() else {
                return;
            };
            let painted = p.paint(&root, &widget, update.as_deref());
            if painted.followed {
                if *unseen != 0 {
                    unseen.set(0);
                }
            } else if painted.appended > 0 {
                unseen.set(*unseen + painted.appended);
            }
        });
    }
    let Body::Terminal(t) = &props.widget.body else {
        return Html::default();
    };
    let onscroll = {
        let screen_ref = screen_ref.clone();
        let unseen = unseen.clone();
        Callback::from(move |_: Event| {
            if *unseen > 0 && screen_ref.cast::<Element>().is_some_and(|s| at_bottom(&s)) {
                unseen.set(0);
            }
        })
    };
    let on_jump = {
        let screen_ref = screen_ref.clone();
        let unseen = unseen.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(s) = screen_ref.cast::<Element>() {
                to_bottom(&s);
            }
            unseen.set(0);
        })
    };

    let input_cfg = t.input.as_ref().filter(|i| i.enabled != Some(false));
    // A tap on the output (not the end of a text selection) puts the caret
    // in the input line, as in a real terminal.
    let onclick = {
        let input = input.clone();
        let has_input = input_cfg.is_some();
        Callback::from(move |_: MouseEvent| {
            if has_input && !selecting() {
                if let Some(el) = input.cast::<HtmlInputElement>() {
                    let _ = el.focus();
                }
            }
        })
    };
    let input_view = input_cfg.map(|cfg| {
        let use_history = cfg.history != Some(false);
        let placeholder = cfg.placeholder.clone();
        let onkeydown = {
            let input = input.clone();
            let history = history.clone();
            let cb = props.on_interaction.clone();
            let screen_ref = screen_ref.clone();
            let unseen = unseen.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.is_composing() {
                    return;
                }
                let Some(el) = input.cast::<HtmlInputElement>() else {
                    return;
                };
                match e.key().as_str() {
                    "Enter" => {
                        e.prevent_default();
                        let text = el.value();
                        if text.is_empty() {
                            return;
                        }
                        if use_history {
                            history.borrow_mut().push(&text);
                        }
                        el.set_value("");
                        // Sending a command follows the output again.
                        if let Some(s) = screen_ref.cast::<Element>() {
                            to_bottom(&s);
                        }
                        if *unseen != 0 {
                            unseen.set(0);
                        }
                        cb.emit(json!({"type": "terminal_input", "text": text}));
                    }
                    "ArrowUp" if use_history => {
                        e.prevent_default();
                        if let Some(v) = history.borrow_mut().up(&el.value()) {
                            el.set_value(&v);
                        }
                    }
                    "ArrowDown" if use_history => {
                        e.prevent_default();
                        if let Some(v) = history.borrow_mut().down() {
                            el.set_value(&v);
                        }
                    }
                    _ => {}
                }
            })
        };
        html! {
            <div class="tulip-terminal__prompt">
                <span class="tulip-terminal__caret" aria-hidden="true">{ ">" }</span>
                <input ref={input.clone()} class="tulip-terminal__input" type="text"
                       aria-label="Terminal input" autocomplete="off" autocapitalize="off"
                       autocorrect="off" spellcheck="false" enterkeyhint="send"
                       {placeholder} {onkeydown} />
            </div>
        }
    });

    html! {
        <div class="tulip-terminal">
            <div class="tulip-terminal__viewport">
                // Its lines are drawn by the painter (`screen`), not by Yew.
                <div ref={screen_ref} class="tulip-terminal__screen" role="log"
                     aria-label="Terminal output" aria-live="off" tabindex="0"
                     {onscroll} {onclick} />
                // Always there (hidden while nothing is below), so that the
                // screen before it never moves in Yew's list.
                <button type="button" class="tulip-terminal__jump" onclick={on_jump}
                        hidden={*unseen == 0}>
                    <span aria-hidden="true">{ "↓ " }</span>
                    { new_lines_text(*unseen) }
                </button>
            </div>
            { for input_view }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_lines_words() {
        assert_eq!(new_lines_text(1), "1 new line");
        assert_eq!(new_lines_text(12), "12 new lines");
        assert_eq!(DEFAULT_MAX_LINES, 1_000);
    }
}
