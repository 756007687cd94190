//! What changed between two states of a cards widget, for the animations:
//! which cards were just revealed (they flip) and which were removed with
//! a disappear effect (they stay a moment as fading "ghosts").
//!
//! [`Tracker::observe`] is called on every render with the version (`seq`)
//! and the cards shown. It compares with the previous *different* state
//! only, so rendering the same state twice does not change its answer, and
//! a reveal flips once per version.

use std::collections::{HashMap, HashSet};

use tulip_core::model::Card;
use tulip_core::update::RemoveIds;

use super::layout::Place;
use crate::anim::appear_class;

/// Whether a card shows its face: not face down, and with a face or image.
pub fn face_up(card: &Card) -> bool {
    card.facedown != Some(true) && (card.face.is_some() || card.image.is_some())
}

/// A removed card drawn for a moment where it was, fading out.
#[derive(Debug, Clone, PartialEq)]
pub struct Ghost {
    /// Unique among ghosts (card ids may come back while a ghost fades).
    pub key: u64,
    pub card: Card,
    pub place: Place,
    pub class: &'static str,
    pub ms: u32,
    /// On the [`crate::anim::now_ms`] clock.
    pub until: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Tracker {
    /// The state last observed: version, and each card's id and whether it
    /// was face up.
    last: Option<(u64, Vec<(String, bool)>)>,
    /// Where each card of that state was, and what it was.
    shown: HashMap<String, (Card, Place)>,
    flipping: HashSet<String>,
    ghosts: Vec<Ghost>,
    next_key: u64,
}

impl Tracker {
    /// Observes the state drawn now. `removal` is the `remove_cards` of the
    /// update that led here (if any); `now` the clock. Returns whether the
    /// state was new.
    pub fn observe(
        &mut self,
        seq: u64,
        cards: &[Card],
        places: &[Place],
        removal: Option<&RemoveIds>,
        now: f64,
    ) -> bool {
        let states: Vec<(String, bool)> =
            cards.iter().map(|c| (c.id.clone(), face_up(c))).collect();
        let unchanged = self
            .last
            .as_ref()
            .is_some_and(|(s, st)| *s == seq && *st == states);
        if unchanged {
            // The same state again, perhaps with cards changed in other
            // ways (a new face while still face up): keep what it showed.
            self.remember(cards, places);
            return false;
        }
        let first = self.last.is_none();
        self.flipping = if first {
            HashSet::new()
        } else {
            let before: HashMap<&str, bool> = self
                .last
                .iter()
                .flat_map(|(_, st)| st.iter().map(|(id, up)| (id.as_str(), *up)))
                .collect();
            states
                .iter()
                .filter(|(id, up)| *up && before.get(id.as_str()) == Some(&false))
                .map(|(id, _)| id.clone())
                .collect()
        };
        if let Some((class, ms)) = removal.and_then(|r| appear_class(r.animate.as_ref(), false)) {
            let removed = removal.map_or(&[][..], |r| &r.ids[..]);
            for id in removed {
                if cards.iter().any(|c| &c.id == id) {
                    continue; // removed and added back in one update
                }
                if let Some((card, place)) = self.shown.get(id) {
                    self.next_key += 1;
                    self.ghosts.push(Ghost {
                        key: self.next_key,
                        card: card.clone(),
                        place: *place,
                        class,
                        ms,
                        until: now + f64::from(ms),
                    });
                }
            }
        }
        self.last = Some((seq, states));
        self.remember(cards, places);
        true
    }

    fn remember(&mut self, cards: &[Card], places: &[Place]) {
        self.shown = cards
            .iter()
            .zip(places)
            .map(|(c, p)| (c.id.clone(), (c.clone(), *p)))
            .collect();
    }

    /// Whether card `id` flips in the state last observed.
    pub fn flipping(&self, id: &str) -> bool {
        self.flipping.contains(id)
    }

    /// Drops the ghosts that have faded by `now`; returns the rest.
    pub fn ghosts(&mut self, now: f64) -> &[Ghost] {
        self.ghosts.retain(|g| g.until > now);
        &self.ghosts
    }

    /// When the next ghost fades (to schedule a redraw), if any.
    pub fn next_expiry(&self) -> Option<f64> {
        self.ghosts.iter().map(|g| g.until).reduce(f64::min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tulip_core::model::{Animate, Effect};

    fn card(id: &str, face: Option<&str>, facedown: bool) -> Card {
        Card {
            id: id.to_owned(),
            face: face.map(str::to_owned),
            facedown: facedown.then_some(true),
            ..Card::default()
        }
    }

    fn at(i: usize) -> Place {
        Place {
            x: i as f64 * 10.0,
            y: 0.0,
            rot: 0.0,
            z: i,
        }
    }

    fn places(n: usize) -> Vec<Place> {
        (0..n).map(at).collect()
    }

    #[test]
    fn face_up_needs_a_face_and_no_facedown() {
        assert!(face_up(&card("a", Some("A♠"), false)));
        assert!(!face_up(&card("a", Some("A♠"), true)));
        assert!(!face_up(&card("a", None, false)), "no face: the back");
    }

    #[test]
    fn a_revealed_card_flips_once_per_version() {
        let mut t = Tracker::default();
        let hidden = vec![card("a", None, true), card("b", Some("2♣"), false)];
        assert!(t.observe(1, &hidden, &places(2), None, 0.0));
        assert!(
            !t.flipping("a") && !t.flipping("b"),
            "nothing flips on mount"
        );

        let shown = vec![card("a", Some("K♥"), false), card("b", Some("2♣"), false)];
        assert!(t.observe(2, &shown, &places(2), None, 0.0));
        assert!(t.flipping("a"));
        assert!(!t.flipping("b"), "already face up");
        // Rendering the same version again keeps the answer.
        assert!(!t.observe(2, &shown, &places(2), None, 0.0));
        assert!(t.flipping("a"));
        // The next version (nothing revealed) stops the flip.
        assert!(t.observe(3, &shown, &places(2), None, 0.0));
        assert!(!t.flipping("a"));
        // Face down again, then up again: flips again.
        t.observe(4, &hidden, &places(2), None, 0.0);
        t.observe(5, &shown, &places(2), None, 0.0);
        assert!(t.flipping("a"));
    }

    #[test]
    fn a_card_added_face_up_does_not_flip() {
        let mut t = Tracker::default();
        t.observe(1, &[], &[], None, 0.0);
        t.observe(2, &[card("n", Some("3♦"), false)], &places(1), None, 0.0);
        assert!(!t.flipping("n"));
    }

    #[test]
    fn removed_cards_with_an_effect_leave_a_ghost_where_they_were() {
        let mut t = Tracker::default();
        let three = vec![
            card("a", Some("A♠"), false),
            card("b", Some("B"), false),
            card("c", None, true),
        ];
        t.observe(1, &three, &places(3), None, 0.0);
        let fade = RemoveIds {
            ids: vec!["b".into(), "c".into()],
            animate: Some(Animate {
                effect: Some(Effect::Fade),
                duration: Some(300),
                easing: None,
            }),
        };
        let one = vec![card("a", Some("A♠"), false)];
        t.observe(2, &one, &places(1), Some(&fade), 1_000.0);
        let g = t.ghosts(1_000.0).to_vec();
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].card.id, "b");
        assert_eq!(g[0].place, at(1), "where it was");
        assert_eq!(g[0].class, "tulip-anim--fade-out");
        assert_eq!(t.next_expiry(), Some(1_300.0));
        // Rendering the same state again adds no more ghosts.
        t.observe(2, &one, &places(1), Some(&fade), 1_100.0);
        assert_eq!(t.ghosts(1_100.0).len(), 2);
        // They fade.
        assert!(t.ghosts(1_300.0).is_empty());
        assert_eq!(t.next_expiry(), None);
    }

    #[test]
    fn no_ghost_without_an_effect_or_for_instant() {
        let mut t = Tracker::default();
        let two = vec![card("a", None, false), card("b", None, false)];
        t.observe(1, &two, &places(2), None, 0.0);
        let plain = RemoveIds {
            ids: vec!["b".into()],
            animate: None,
        };
        t.observe(2, &two[..1], &places(1), Some(&plain), 0.0);
        assert!(t.ghosts(0.0).is_empty());
        t.observe(3, &two, &places(2), None, 0.0);
        let instant = RemoveIds {
            ids: vec!["b".into()],
            animate: Some(Animate {
                effect: Some(Effect::Instant),
                ..Animate::default()
            }),
        };
        t.observe(4, &two[..1], &places(1), Some(&instant), 0.0);
        assert!(t.ghosts(0.0).is_empty());
    }
}
