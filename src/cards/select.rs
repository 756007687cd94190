//! The selection rules of a `selectable` cards widget, as a reducer.
//!
//! The selection lives in the renderer: clicking toggles a card and the
//! whole selected set goes to the bot as `card_select`. The payload's
//! `selected` flags are the starting selection, and whenever they change
//! (the bot confirmed, cleared or chose for the player) they win.
//!
//! At `max_select` (1 when the payload gives none) selecting one more card
//! **replaces the oldest** selected card: with the default of one, a click
//! on another card simply moves the selection, and a player never meets a
//! click that does nothing. `max_select: 0` selects nothing.

use std::rc::Rc;

use tulip_core::model::Card;
use yew::Reducible;

/// `max_select` when the payload gives none.
pub const DEFAULT_MAX_SELECT: u32 = 1;

/// The selected card ids, oldest selection first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selection {
    pub ids: Vec<String>,
    /// The payload's selected ids this selection last followed.
    pub from_payload: Vec<String>,
}

pub enum SelectionAction {
    /// Set after a click (the result of [`Selection::toggle`]).
    Set(Selection),
    /// The payload's `selected` flags now name these cards.
    Payload(Vec<String>),
}

/// The ids of the cards the payload marks `selected`, in hand order.
pub fn payload_selected(cards: &[Card]) -> Vec<String> {
    cards
        .iter()
        .filter(|c| c.selected == Some(true))
        .map(|c| c.id.clone())
        .collect()
}

impl Selection {
    /// Starts from the payload's `selected` flags.
    pub fn from_cards(cards: &[Card]) -> Selection {
        Selection::from_ids(payload_selected(cards))
    }

    /// Starts from these payload-selected ids.
    pub fn from_ids(ids: Vec<String>) -> Selection {
        Selection {
            from_payload: ids.clone(),
            ids,
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.iter().any(|i| i == id)
    }

    /// The selection after a click on `id`, with `cards` the cards shown
    /// now (ids no longer shown drop out): a selected card is deselected;
    /// another is added, the oldest dropping out at `max`. `None` when the
    /// click changes nothing (`max == 0`).
    pub fn toggle(&self, id: &str, max: u32, cards: &[Card]) -> Option<Selection> {
        let mut ids: Vec<String> = self
            .ids
            .iter()
            .filter(|i| cards.iter().any(|c| &c.id == *i))
            .cloned()
            .collect();
        if let Some(pos) = ids.iter().position(|i| i == id) {
            ids.remove(pos);
        } else {
            if max == 0 || !cards.iter().any(|c| c.id == id) {
                return None;
            }
            ids.push(id.to_owned());
            let max = max as usize;
            if ids.len() > max {
                ids.drain(..ids.len() - max);
            }
        }
        Some(Selection {
            ids,
            from_payload: self.from_payload.clone(),
        })
    }

    /// The selected ids in hand order (the order `card_select` sends),
    /// leaving out cards no longer shown.
    pub fn in_hand_order(&self, cards: &[Card]) -> Vec<String> {
        cards
            .iter()
            .filter(|c| self.contains(&c.id))
            .map(|c| c.id.clone())
            .collect()
    }

    /// Follows the payload when its `selected` flags changed since last
    /// time; keeps the player's own selection otherwise.
    pub fn follow(&self, payload: Vec<String>) -> Selection {
        if payload == self.from_payload {
            return self.clone();
        }
        Selection {
            ids: payload.clone(),
            from_payload: payload,
        }
    }
}

impl Reducible for Selection {
    type Action = SelectionAction;

    fn reduce(self: Rc<Self>, action: SelectionAction) -> Rc<Self> {
        let next = match action {
            SelectionAction::Set(s) => s,
            SelectionAction::Payload(ids) => self.follow(ids),
        };
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

    fn cards(ids: &[&str]) -> Vec<Card> {
        ids.iter()
            .map(|id| Card {
                id: (*id).to_owned(),
                ..Card::default()
            })
            .collect()
    }

    #[test]
    fn a_click_toggles_and_the_oldest_gives_way_at_the_limit() {
        let hand = cards(&["a", "b", "c", "d"]);
        let s = Selection::default();
        let s = s.toggle("b", 2, &hand).unwrap();
        let s = s.toggle("a", 2, &hand).unwrap();
        assert_eq!(s.in_hand_order(&hand), ["a", "b"], "hand order");
        assert_eq!(s.ids, ["b", "a"], "selection order");
        // At the limit: "b", the oldest, gives way to "d".
        let s = s.toggle("d", 2, &hand).unwrap();
        assert_eq!(s.in_hand_order(&hand), ["a", "d"]);
        // Clicking a selected card deselects it.
        let s = s.toggle("a", 2, &hand).unwrap();
        assert_eq!(s.in_hand_order(&hand), ["d"]);
    }

    #[test]
    fn with_one_a_click_moves_the_selection_and_zero_selects_nothing() {
        let hand = cards(&["a", "b"]);
        let s = Selection::default()
            .toggle("a", DEFAULT_MAX_SELECT, &hand)
            .unwrap();
        let s = s.toggle("b", DEFAULT_MAX_SELECT, &hand).unwrap();
        assert_eq!(s.ids, ["b"]);
        assert_eq!(Selection::default().toggle("a", 0, &hand), None);
        // A card that is not shown cannot be selected.
        assert_eq!(Selection::default().toggle("zz", 3, &hand), None);
    }

    #[test]
    fn removed_cards_drop_out_of_the_selection() {
        let hand = cards(&["a", "b", "c"]);
        let s = Selection::default()
            .toggle("a", 3, &hand)
            .unwrap()
            .toggle("b", 3, &hand)
            .unwrap();
        let fewer = cards(&["b", "c"]);
        assert_eq!(s.in_hand_order(&fewer), ["b"]);
        let s = s.toggle("c", 3, &fewer).unwrap();
        assert_eq!(s.ids, ["b", "c"]);
    }

    #[test]
    fn the_payload_starts_the_selection_and_wins_when_it_changes() {
        let mut hand = cards(&["a", "b", "c"]);
        hand[1].selected = Some(true);
        let s = Selection::from_cards(&hand);
        assert_eq!(s.ids, ["b"]);
        // The player picks another card; an update that leaves the flags as
        // they were keeps the player's choice.
        let mine = s.toggle("c", 1, &hand).unwrap();
        assert_eq!(mine.follow(payload_selected(&hand)).ids, ["c"]);
        // The bot clears every flag: the selection follows.
        hand[1].selected = None;
        assert!(mine.follow(payload_selected(&hand)).ids.is_empty());
        // Through the reducer, an unchanged state is the same Rc.
        let rc = Rc::new(mine.clone());
        let same = rc
            .clone()
            .reduce(SelectionAction::Payload(mine.from_payload.clone()));
        assert!(Rc::ptr_eq(&rc, &same));
    }
}
