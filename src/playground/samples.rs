//! Payloads to start from: the gallery's samples, and a few that hide
//! things from some seats (the point of the playground's side-by-side view).

/// A grid where each player's ships are hidden from the other.
pub const HIDDEN_CELLS: &str = r##"{
  "widget_type": "grid",
  "extra_data": {
    "width": 4,
    "height": 3,
    "cell_size": 36,
    "on_cell_click": true,
    "players": {"list": [{"id": "alice", "name": "Alice"}, {"id": "bob", "name": "Bob"}]},
    "turn": {"current_player": "alice", "order": ["alice", "bob"], "enforce": true},
    "cells": [
      {"x": 0, "y": 0, "content": "⛵", "bg": "#bbdefb", "owner": "alice", "hidden_for_others": true},
      {"x": 1, "y": 0, "content": "⛵", "bg": "#bbdefb", "owner": "alice", "hidden_for_others": true},
      {"x": 3, "y": 2, "content": "🚢", "bg": "#ffe0b2", "owner": "bob", "hidden_for_others": true},
      {"x": 2, "y": 1, "content": "💥", "bg": "#ef9a9a"}
    ]
  }
}"##;

/// Two hands of cards: each player sees their own faces only.
pub const HIDDEN_CARDS: &str = r##"{
  "widget_type": "cards",
  "extra_data": {
    "layout": "hand",
    "selectable": true,
    "on_card_click": true,
    "players": {"list": [{"id": "alice", "name": "Alice"}, {"id": "bob", "name": "Bob"}]},
    "cards": [
      {"id": "a1", "face": "A♠", "owner": "alice", "hidden_for_others": true},
      {"id": "a2", "face": "K♥", "owner": "alice", "hidden_for_others": true},
      {"id": "b1", "face": "7♣", "owner": "bob", "hidden_for_others": true},
      {"id": "table", "face": "Q♦"}
    ]
  }
}"##;

/// Explicit views: each user reads their own lines; everyone else the
/// `default` ones.
pub const EXPLICIT_VIEWS: &str = r##"{
  "widget_type": "terminal",
  "extra_data": {
    "lines": [{"text": "The bot's notes: the word is TULIP"}],
    "views": {
      "alice": {"lines": [{"text": "Your secret word: TULIP", "color": "#2e7d32", "bold": true}]},
      "bob": {"lines": [{"text": "Guess Alice's word."}]},
      "default": {"lines": [{"text": "A game of guesses is being played."}]}
    }
  }
}"##;

/// The playground's own samples, shown before the gallery's.
pub const HIDDEN_SAMPLES: &[(&str, &str)] = &[
    ("Hidden cells (ownership shorthand)", HIDDEN_CELLS),
    ("Hidden cards (ownership shorthand)", HIDDEN_CARDS),
    ("Explicit views (terminal)", EXPLICIT_VIEWS),
];

/// Every sample the editor offers: `(title, payload)`.
pub fn all() -> Vec<(&'static str, &'static str)> {
    HIDDEN_SAMPLES
        .iter()
        .chain(crate::gallery::SAMPLES.iter())
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tulip_core::{parse_widget, Policy};

    #[test]
    fn every_sample_is_valid() {
        for (title, text) in all() {
            assert!(
                parse_widget(text, &Policy::default()).is_ok(),
                "{title}: {:?}",
                parse_widget(text, &Policy::default()).err()
            );
        }
    }
}
