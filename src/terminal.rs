//! The terminal widget: coloured lines with scrollback, and an input line
//! with history (up/down) that sends `{"type": "terminal_input", "text"}`.

use std::rc::Rc;

use serde_json::{json, Value};
use tulip_core::model::Terminal;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// `max_lines` when the payload gives none (docs/contract-notes.md).
pub const DEFAULT_MAX_LINES: usize = 1_000;

/// How close to the bottom (px) still counts as "at the bottom": the
/// terminal follows new lines only while the player has not scrolled up.
const STICK_SLACK: i32 = 24;

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub terminal: Rc<Terminal>,
    /// Receives `{"type": "terminal_input", "text"}` on Enter.
    #[prop_or_default]
    pub on_interaction: Callback<Value>,
}

/// The input history: what the player sent, and where up/down has got to.
#[derive(Default)]
struct History {
    sent: Vec<String>,
    /// Index into `sent` while browsing; `None` when editing a new line.
    at: Option<usize>,
    /// The line being typed before browsing began, restored past the end.
    draft: String,
}

impl History {
    fn push(&mut self, text: &str) {
        if self.sent.last().map(String::as_str) != Some(text) {
            self.sent.push(text.to_owned());
        }
        self.at = None;
        self.draft.clear();
    }

    fn up(&mut self, current: &str) -> Option<String> {
        let next = match self.at {
            None if self.sent.is_empty() => return None,
            None => {
                self.draft = current.to_owned();
                self.sent.len() - 1
            }
            Some(0) => 0,
            Some(i) => i - 1,
        };
        self.at = Some(next);
        self.sent.get(next).cloned()
    }

    fn down(&mut self) -> Option<String> {
        let i = self.at?;
        if i + 1 < self.sent.len() {
            self.at = Some(i + 1);
            self.sent.get(i + 1).cloned()
        } else {
            self.at = None;
            Some(std::mem::take(&mut self.draft))
        }
    }
}

#[component]
pub fn TerminalView(props: &TerminalProps) -> Html {
    let t = &props.terminal;
    let screen = use_node_ref();
    let input = use_node_ref();
    let history = use_mut_ref(History::default);
    // Whether the screen follows new lines: true until the player scrolls up.
    let stick = use_mut_ref(|| true);

    {
        let screen = screen.clone();
        let stick = stick.clone();
        // After every render with new lines, keep the newest in view unless
        // the player has scrolled up to read.
        use_effect_with(props.terminal.clone(), move |_| {
            if *stick.borrow() {
                if let Some(el) = screen.cast::<web_sys::Element>() {
                    el.set_scroll_top(el.scroll_height());
                }
            }
        });
    }
    let onscroll = {
        let screen = screen.clone();
        let stick = stick.clone();
        Callback::from(move |_: Event| {
            if let Some(el) = screen.cast::<web_sys::Element>() {
                let bottom = el.scroll_height() - el.client_height() - el.scroll_top();
                *stick.borrow_mut() = bottom <= STICK_SLACK;
            }
        })
    };

    let max = t.max_lines.map_or(DEFAULT_MAX_LINES, |m| m as usize);
    let skip = t.lines.len().saturating_sub(max);
    let lines = t.lines.iter().skip(skip).map(|l| {
        // Colours are validated and canonical (tulip-core `Color`).
        let style = l.color.as_ref().map(|c| format!("color:{};", c.as_str()));
        let bold = l.bold == Some(true);
        html! {
            <div class={classes!("tulip-terminal__line", bold.then_some("tulip-terminal__line--bold"))}
                 {style}>
                { l.text.clone() }
            </div>
        }
    });

    let input_cfg = t.input.as_ref().filter(|i| i.enabled != Some(false));
    let input_view = input_cfg.map(|cfg| {
        let use_history = cfg.history != Some(false);
        let placeholder = cfg.placeholder.clone();
        let onkeydown = {
            let input = input.clone();
            let history = history.clone();
            let cb = props.on_interaction.clone();
            let screen = screen.clone();
            let stick = stick.clone();
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
                        *stick.borrow_mut() = true;
                        if let Some(s) = screen.cast::<web_sys::Element>() {
                            s.set_scroll_top(s.scroll_height());
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
                       spellcheck="false" {placeholder} {onkeydown} />
            </div>
        }
    });

    html! {
        <div class="tulip-terminal">
            <div ref={screen} class="tulip-terminal__screen" role="log" aria-label="Terminal output"
                 aria-live="polite" tabindex="0" {onscroll}>
                { for lines }
            </div>
            { for input_view }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_walks_up_and_back_down_to_the_draft() {
        let mut h = History::default();
        assert_eq!(h.up("x"), None);
        h.push("look");
        h.push("go north");
        h.push("go north");
        assert_eq!(h.up("dra").as_deref(), Some("go north"));
        assert_eq!(h.up("").as_deref(), Some("look"));
        assert_eq!(h.up("").as_deref(), Some("look"));
        assert_eq!(h.down().as_deref(), Some("go north"));
        assert_eq!(h.down().as_deref(), Some("dra"));
        assert_eq!(h.down(), None);
    }
}
