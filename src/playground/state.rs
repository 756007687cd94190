//! The playground's state and its transitions, pure (natively tested): the
//! editor's text, the result of checking it (errors with paths, or every
//! seat's view), the update box, and what the server would say to the
//! interactions tried in each seat.

use std::rc::Rc;

use serde_json::Value;
use tulip_core::{
    apply_update, check_interaction, parse_interaction, parse_update_str, parse_widget, resolve,
    viewer_update, Policy, Update, ViewerUpdate, Widget, WidgetError,
};
use yew::Reducible;

use super::seats::{seats, Seat, SeatKind};

/// One error as shown: stable code, JSON path, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorLine {
    pub code: &'static str,
    pub path: String,
    pub msg: String,
}

impl From<&WidgetError> for ErrorLine {
    fn from(e: &WidgetError) -> Self {
        ErrorLine {
            code: e.code.as_str(),
            path: e.path.clone(),
            msg: e.msg.clone(),
        }
    }
}

fn lines<'a>(errors: impl IntoIterator<Item = &'a WidgetError>) -> Vec<ErrorLine> {
    errors.into_iter().map(ErrorLine::from).collect()
}

/// An interaction tried in a seat, and the server's verdict on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tried {
    /// The interaction as the renderer emitted it (JSON text).
    pub interaction: String,
    /// `Ok` when `check_interaction` lets this seat's user do it.
    pub verdict: Result<(), ErrorLine>,
}

/// What one seat sees.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatView {
    pub seat: Seat,
    /// `tulip_core::resolve(widget, seat.viewer())`.
    pub widget: Rc<Widget>,
    /// The same, as pretty JSON.
    pub json: String,
    /// After an update was applied: what this seat receives for it (an
    /// update, or a whole replacement), as pretty JSON.
    pub received: Option<String>,
    /// The operations this seat applied (for the widget's animation hints).
    pub update: Option<Rc<Update>>,
    /// The last interaction tried in this seat.
    pub tried: Option<Tried>,
}

/// A valid payload, seen from every seat.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub widget: Rc<Widget>,
    pub seats: Vec<SeatView>,
}

impl Checked {
    /// Resolves `widget` for each of its seats.
    pub fn new(widget: Widget) -> Checked {
        let seats = seats(&widget)
            .into_iter()
            .map(|seat| {
                let view = resolve(&widget, &seat.viewer());
                SeatView {
                    json: pretty(&view),
                    widget: Rc::new(view),
                    seat,
                    received: None,
                    update: None,
                    tried: None,
                }
            })
            .collect();
        Checked {
            widget: Rc::new(widget),
            seats,
        }
    }
}

/// Pretty JSON of anything serializable (never fails: empty on error).
pub fn pretty<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// The outcome of the last "Apply" of the update box.
#[derive(Debug, Clone, PartialEq)]
pub enum Applied {
    /// Applied: the editor now holds the new widget.
    Ok,
    Failed(Vec<ErrorLine>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlaygroundState {
    /// The editor's text.
    pub text: String,
    /// Whether `text` has been checked since it last changed.
    pub checked_current: bool,
    /// Errors of the current text (empty when it is valid or unchecked).
    pub errors: Vec<ErrorLine>,
    /// The last valid payload (the current text's when `errors` is empty).
    pub last_valid: Option<Rc<Checked>>,
    /// Bumped whenever `last_valid` changes (the widgets' `seq`).
    pub version: u64,
    /// The update box's text.
    pub update_text: String,
    pub applied: Option<Applied>,
}

/// What can happen on the page.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaygroundAction {
    /// The editor's text changed.
    Edit(String),
    /// The debounce of the edit that made this text ran out: check it if
    /// it is still the editor's text (a later edit has its own check).
    Check(String),
    /// Put this payload in the editor and check it at once.
    Load(String),
    EditUpdate(String),
    /// Apply the update box's update to the current (valid) payload.
    Apply,
    /// The widget drawn in the seat with this key emitted an interaction.
    Interact {
        seat: String,
        interaction: Value,
    },
}

impl PlaygroundState {
    pub fn new(text: &str) -> PlaygroundState {
        PlaygroundState::default().next(PlaygroundAction::Load(text.to_owned()))
    }

    /// Whether the text shown is valid (checked, no errors).
    pub fn valid(&self) -> bool {
        self.checked_current && self.errors.is_empty() && self.last_valid.is_some()
    }

    fn check(&mut self) {
        self.checked_current = true;
        self.applied = None;
        match parse_widget(&self.text, &Policy::default()) {
            Ok(w) => {
                self.errors.clear();
                self.last_valid = Some(Rc::new(Checked::new(w)));
                self.version += 1;
            }
            Err(e) => self.errors = lines(e.iter()),
        }
    }

    pub fn next(&self, action: PlaygroundAction) -> PlaygroundState {
        let mut s = self.clone();
        match action {
            PlaygroundAction::Edit(text) => {
                if text != s.text {
                    s.text = text;
                    s.checked_current = false;
                }
            }
            PlaygroundAction::Check(text) => {
                if text == s.text && !s.checked_current {
                    s.check();
                }
            }
            PlaygroundAction::Load(text) => {
                s.text = text;
                s.check();
            }
            PlaygroundAction::EditUpdate(text) => {
                s.update_text = text;
                s.applied = None;
            }
            PlaygroundAction::Apply => s.apply(),
            PlaygroundAction::Interact { seat, interaction } => s.interact(&seat, interaction),
        }
        s
    }

    fn apply(&mut self) {
        if !self.checked_current {
            self.check();
        }
        let old = match (&self.last_valid, self.valid()) {
            (Some(c), true) => c.widget.clone(),
            _ => {
                self.applied = Some(Applied::Failed(vec![ErrorLine {
                    code: "INVALID_WIDGET",
                    path: String::new(),
                    msg: "the payload in the editor is not valid: fix it first".to_owned(),
                }]));
                return;
            }
        };
        let result = parse_update_str(&old, &self.update_text)
            .and_then(|u| apply_update(&old, &u, &Policy::default()).map(|w| (w, u)));
        let (new, update) = match result {
            Ok(r) => r,
            Err(e) => {
                self.applied = Some(Applied::Failed(lines(e.iter())));
                return;
            }
        };
        let mut checked = Checked::new(new);
        for sv in &mut checked.seats {
            let (received, ops) =
                match viewer_update(&old, &checked.widget, &update, &sv.seat.viewer()) {
                    ViewerUpdate::Update(u) => (pretty(&u.to_value()), Some(Rc::new(u))),
                    ViewerUpdate::Replace(w) => {
                        (pretty(&serde_json::json!({ "widget_replace": w })), None)
                    }
                };
            sv.received = Some(received);
            sv.update = ops;
        }
        self.text = pretty(checked.widget.as_ref());
        self.checked_current = true;
        self.errors.clear();
        self.last_valid = Some(Rc::new(checked));
        self.version += 1;
        self.applied = Some(Applied::Ok);
    }

    fn interact(&mut self, seat: &str, interaction: Value) {
        let Some(checked) = &self.last_valid else {
            return;
        };
        let mut checked = (**checked).clone();
        let widget = checked.widget.clone();
        let Some(sv) = checked.seats.iter_mut().find(|s| s.seat.key() == seat) else {
            return;
        };
        let text = interaction.to_string();
        let verdict = match (&sv.seat.kind, &sv.seat.user) {
            (SeatKind::Bot, _) | (_, None) => Err(ErrorLine {
                code: "NOT_A_USER",
                path: String::new(),
                msg: "the bot changes its widget with updates, not interactions".to_owned(),
            }),
            (_, Some(user)) => parse_interaction(interaction)
                .and_then(|it| check_interaction(&widget, user, &it))
                .map_err(|e| ErrorLine::from(&e)),
        };
        sv.tried = Some(Tried {
            interaction: text,
            verdict,
        });
        self.last_valid = Some(Rc::new(checked));
    }
}

impl Reducible for PlaygroundState {
    type Action = PlaygroundAction;

    fn reduce(self: Rc<Self>, action: PlaygroundAction) -> Rc<Self> {
        let next = self.next(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const GRID: &str = super::super::samples::HIDDEN_CELLS;

    fn seat<'a>(s: &'a PlaygroundState, key: &str) -> &'a SeatView {
        let c = s.last_valid.as_ref().unwrap();
        c.seats.iter().find(|v| v.seat.key() == key).unwrap()
    }

    #[test]
    fn a_valid_payload_is_resolved_for_every_seat() {
        let s = PlaygroundState::new(GRID);
        assert!(s.valid(), "{:?}", s.errors);
        let keys: Vec<String> = s
            .last_valid
            .as_ref()
            .unwrap()
            .seats
            .iter()
            .map(|v| v.seat.key())
            .collect();
        assert_eq!(
            keys,
            ["bot", "user:alice", "user:bob", "spectator:spectator"]
        );
        assert!(seat(&s, "bot").json.contains("🚢") && seat(&s, "bot").json.contains("⛵"));
        assert!(seat(&s, "user:alice").json.contains("⛵"));
        assert!(!seat(&s, "user:alice").json.contains("🚢"));
        assert!(seat(&s, "user:bob").json.contains("🚢"));
        assert!(!seat(&s, "user:bob").json.contains("⛵"));
        let spectator = &seat(&s, "spectator:spectator").json;
        assert!(!spectator.contains("⛵") && !spectator.contains("🚢"));
        assert!(spectator.contains("💥"), "public cells stay");
    }

    #[test]
    fn errors_carry_codes_and_paths_and_keep_the_last_valid_views() {
        let s = PlaygroundState::new(GRID);
        let bad = GRID.replace("\"#ef9a9a\"", "\"javascript:alert(1)\"");
        let s = s.next(PlaygroundAction::Edit(bad.clone()));
        assert!(!s.checked_current);
        // The check of an older edit is ignored.
        let s = s.next(PlaygroundAction::Check(GRID.to_owned()));
        assert!(s.errors.is_empty() && !s.checked_current);
        let s = s.next(PlaygroundAction::Check(bad));
        assert_eq!(
            s.errors,
            [ErrorLine {
                code: "INVALID_COLOR",
                path: "extra_data.cells[3].bg".into(),
                msg: s.errors[0].msg.clone()
            }]
        );
        assert!(!s.valid());
        assert!(s.last_valid.is_some(), "the last valid views stay shown");
    }

    #[test]
    fn every_error_is_listed() {
        let s = PlaygroundState::new(
            r#"{"widget_type": "grid", "extra_data": {"width": 2, "height": 2,
                "cells": [{"x": 5, "y": 0}, {"x": 0, "y": 0}, {"x": 0, "y": 9}]}}"#,
        );
        let codes: Vec<_> = s.errors.iter().map(|e| (e.code, e.path.as_str())).collect();
        assert_eq!(
            codes,
            [
                ("OUT_OF_RANGE", "extra_data.cells[0]"),
                ("OUT_OF_RANGE", "extra_data.cells[2]")
            ]
        );
        let s = PlaygroundState::new("{");
        assert_eq!(s.errors[0].code, "INVALID_JSON");
    }

    #[test]
    fn applying_an_update_shows_what_each_seat_receives() {
        let s = PlaygroundState::new(GRID);
        let s = s.next(PlaygroundAction::EditUpdate(
            r##"{"set_cells": [{"x": 2, "y": 2, "content": "🗝", "owner": "bob", "hidden_for_others": true}]}"##.into(),
        ));
        let s = s.next(PlaygroundAction::Apply);
        assert_eq!(s.applied, Some(Applied::Ok));
        assert!(s.valid());
        assert!(s.text.contains("🗝"), "the editor holds the new widget");
        let bob = seat(&s, "user:bob");
        assert!(bob.received.as_deref().unwrap().contains("🗝"));
        assert!(bob.json.contains("🗝"));
        let alice = seat(&s, "user:alice");
        assert!(!alice.received.as_deref().unwrap().contains("🗝"));
        assert!(!alice.json.contains("🗝"));
    }

    #[test]
    fn a_bad_update_changes_nothing_and_says_where() {
        let s = PlaygroundState::new(GRID);
        let before = s.text.clone();
        let s = s.next(PlaygroundAction::EditUpdate(
            r#"{"set_cells": [{"x": 9, "y": 0, "content": "x"}]}"#.into(),
        ));
        let s = s.next(PlaygroundAction::Apply);
        let Some(Applied::Failed(errors)) = &s.applied else {
            panic!("{:?}", s.applied)
        };
        assert!(
            errors[0].path.starts_with("update.set_cells[0]"),
            "{errors:?}"
        );
        assert_eq!(s.text, before);
    }

    #[test]
    fn interactions_are_checked_for_the_seat_that_made_them() {
        let s = PlaygroundState::new(GRID);
        let click = json!({"type": "cell_click", "x": 3, "y": 0});
        let s = s.next(PlaygroundAction::Interact {
            seat: "user:bob".into(),
            interaction: click.clone(),
        });
        let tried = seat(&s, "user:bob").tried.clone().unwrap();
        assert_eq!(tried.verdict.unwrap_err().code, "NOT_YOUR_TURN");
        let s = s.next(PlaygroundAction::Interact {
            seat: "user:alice".into(),
            interaction: click,
        });
        assert_eq!(
            seat(&s, "user:alice").tried.clone().unwrap().verdict,
            Ok(())
        );
    }
}
