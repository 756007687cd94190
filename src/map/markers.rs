//! Marker motion: where each marker is drawn while it moves, and the markers
//! that appear or disappear with an effect. Plain data, natively tested.
//!
//! Each marker has a [`Tween`] from where it was drawn to where the server
//! put it; a `move_marker` with `animate` that arrives mid-move starts from
//! the drawn position ([`Tween::retarget`]), so nothing jumps. Markers added
//! with `add_markers[].animate` get an appear class for the effect's
//! duration; markers removed with `remove_markers: {ids, animate}` stay on
//! screen as *ghosts* with a disappear class until the effect ends. Only a
//! live widget animates; reduced motion makes every move instant and
//! removes at once.

use std::collections::BTreeMap;

use tulip_core::ids::Keyed;
use tulip_core::model::{Animate, Marker};
use tulip_core::update::MapOps;

use crate::anim::{appear_class, Tween};

/// A removed marker still drawn while it disappears.
#[derive(Debug, Clone, PartialEq)]
pub struct Ghost {
    pub marker: Marker,
    /// Where it was drawn when it was removed, in tiles.
    pub at: (f64, f64),
    pub class: &'static str,
    pub ms: u32,
    /// When it is gone (ms, the clock of `now`).
    pub until: f64,
}

/// An appear effect playing on a marker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Appear {
    pub class: &'static str,
    pub ms: u32,
    pub until: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MarkerMotion {
    tweens: BTreeMap<String, Tween>,
    appearing: BTreeMap<String, Appear>,
    ghosts: Vec<Ghost>,
    /// The markers as last synced (to draw ghosts of removed ones).
    last: BTreeMap<String, Marker>,
}

fn pos(m: &Marker) -> (f64, f64) {
    (f64::from(m.x), f64::from(m.y))
}

impl MarkerMotion {
    /// Every marker standing still where it is.
    pub fn new(markers: &Keyed<Marker>) -> MarkerMotion {
        let mut s = MarkerMotion::default();
        s.sync(markers, None, false, true, 0.0);
        s
    }

    /// The markers of a new state of the widget, and the operations that
    /// led to it (for their animation hints).
    pub fn sync(
        &mut self,
        markers: &Keyed<Marker>,
        ops: Option<&MapOps>,
        live: bool,
        reduced: bool,
        now: f64,
    ) {
        let animate = live && !reduced;
        let move_hint = |id: &str| -> Option<Animate> {
            ops?.move_marker
                .as_ref()?
                .0
                .iter()
                .rev()
                .find(|m| m.id == id)
                .and_then(|m| m.animate)
        };
        let add_hint = |id: &str| -> Option<Animate> {
            ops?.add_markers
                .as_ref()?
                .iter()
                .rev()
                .find(|m| m.id == id)
                .and_then(|m| m.animate)
        };
        // Removed markers.
        let gone: Vec<String> = self
            .last
            .keys()
            .filter(|id| markers.get(*id).is_none())
            .cloned()
            .collect();
        let remove_hint = ops
            .and_then(|o| o.remove_markers.as_ref())
            .and_then(|r| r.animate);
        for id in gone {
            let tween = self.tweens.remove(&id);
            self.appearing.remove(&id);
            let Some(marker) = self.last.remove(&id) else {
                continue;
            };
            if !animate {
                continue;
            }
            if let Some((class, ms)) = appear_class(remove_hint.as_ref(), false) {
                let at = tween.map_or(pos(&marker), |t| t.at(now));
                self.ghosts.push(Ghost {
                    marker,
                    at,
                    class,
                    ms,
                    until: now + f64::from(ms),
                });
            }
        }
        for m in markers.values() {
            let to = pos(m);
            match self.tweens.get(&m.id) {
                None => {
                    self.tweens.insert(m.id.clone(), Tween::still(to));
                    if animate {
                        if let Some((class, ms)) = appear_class(add_hint(&m.id).as_ref(), true) {
                            self.appearing.insert(
                                m.id.clone(),
                                Appear {
                                    class,
                                    ms,
                                    until: now + f64::from(ms),
                                },
                            );
                        }
                    }
                }
                Some(t) if t.to != to => {
                    let hint = if live { move_hint(&m.id) } else { None };
                    let next = t.retarget(now, to, hint.as_ref(), reduced);
                    self.tweens.insert(m.id.clone(), next);
                }
                Some(_) => {}
            }
            if self.last.get(&m.id) != Some(m) {
                self.last.insert(m.id.clone(), m.clone());
            }
        }
        self.expire(now);
    }

    /// Where `m` is drawn at `now`, in tiles.
    pub fn at(&self, m: &Marker, now: f64) -> (f64, f64) {
        self.tweens.get(&m.id).map_or(pos(m), |t| t.at(now))
    }

    /// The appear effect playing on marker `id`, if any.
    pub fn appear(&self, id: &str) -> Option<Appear> {
        self.appearing.get(id).copied()
    }

    /// Removed markers still disappearing.
    pub fn ghosts(&self) -> &[Ghost] {
        &self.ghosts
    }

    /// Whether anything still moves or plays at `now` (the component keeps
    /// drawing frames while it does).
    pub fn running(&self, now: f64) -> bool {
        self.tweens.values().any(|t| t.running(now))
            || self.ghosts.iter().any(|g| g.until > now)
            || self.appearing.values().any(|a| a.until > now)
    }

    /// Drops the effects that have ended by `now`. Returns whether any did.
    pub fn expire(&mut self, now: f64) -> bool {
        let (g, a) = (self.ghosts.len(), self.appearing.len());
        self.ghosts.retain(|g| g.until > now);
        self.appearing.retain(|_, a| a.until > now);
        g != self.ghosts.len() || a != self.appearing.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tulip_core::Update;

    fn markers(list: serde_json::Value) -> Keyed<Marker> {
        serde_json::from_value(list).unwrap()
    }

    fn ops(v: serde_json::Value) -> MapOps {
        let w = tulip_core::parse_widget_value(
            json!({"widget_type": "map", "extra_data": {"width": 32, "height": 32,
                "markers": [{"id": "a", "x": 0, "y": 0}, {"id": "b", "x": 1, "y": 1}]}}),
            &tulip_core::Policy::default(),
        )
        .unwrap();
        match tulip_core::parse_update(&w.body, v).unwrap() {
            Update::Map(o) => o,
            _ => unreachable!(),
        }
    }

    fn hero(x: u32, y: u32) -> Keyed<Marker> {
        markers(json!([{"id": "a", "x": x, "y": y}]))
    }

    #[test]
    fn an_animated_move_is_smooth_and_a_new_one_continues_from_where_it_is() {
        let mut m = MarkerMotion::new(&hero(0, 0));
        let mv = ops(
            json!({"move_marker": {"id": "a", "x": 10, "y": 0, "animate": {"duration": 100, "easing": "linear"}}}),
        );
        m.sync(&hero(10, 0), Some(&mv), true, false, 0.0);
        let a = &hero(10, 0).values().next().cloned().unwrap();
        assert_eq!(m.at(a, 0.0), (0.0, 0.0));
        assert_eq!(m.at(a, 50.0), (5.0, 0.0));
        assert!(m.running(50.0));
        let mv2 = ops(
            json!({"move_marker": {"id": "a", "x": 10, "y": 10, "animate": {"duration": 100, "easing": "linear"}}}),
        );
        m.sync(&hero(10, 10), Some(&mv2), true, false, 50.0);
        let a = &hero(10, 10).values().next().cloned().unwrap();
        assert_eq!(m.at(a, 50.0), (5.0, 0.0), "no jump");
        assert_eq!(m.at(a, 150.0), (10.0, 10.0));
        assert!(!m.running(150.0));
    }

    #[test]
    fn moves_without_a_hint_from_history_or_with_reduced_motion_are_instant() {
        let hint =
            ops(json!({"move_marker": {"id": "a", "x": 3, "y": 3, "animate": {"duration": 100}}}));
        let plain = ops(json!({"move_marker": {"id": "a", "x": 3, "y": 3}}));
        for (o, live, reduced) in [
            (&plain, true, false),
            (&hint, false, false),
            (&hint, true, true),
        ] {
            let mut m = MarkerMotion::new(&hero(0, 0));
            m.sync(&hero(3, 3), Some(o), live, reduced, 0.0);
            let a = hero(3, 3).values().next().cloned().unwrap();
            assert_eq!(m.at(&a, 0.0), (3.0, 3.0));
            assert!(!m.running(0.0));
        }
    }

    #[test]
    fn added_markers_appear_with_their_effect() {
        let mut m = MarkerMotion::new(&hero(0, 0));
        let add = ops(
            json!({"add_markers": [{"id": "c", "x": 2, "y": 2, "animate": {"effect": "scale", "duration": 300}}]}),
        );
        let both = markers(json!([{"id": "a", "x": 0, "y": 0}, {"id": "c", "x": 2, "y": 2}]));
        m.sync(&both, Some(&add), true, false, 1000.0);
        let ap = m.appear("c").unwrap();
        assert_eq!((ap.class, ap.ms), ("tulip-anim--scale-in", 300));
        assert!(m.appear("a").is_none());
        assert!(m.running(1200.0));
        assert!(m.expire(1300.0));
        assert!(m.appear("c").is_none());
        // Not live: no effect.
        let mut m = MarkerMotion::new(&hero(0, 0));
        m.sync(&both, Some(&add), false, false, 0.0);
        assert!(m.appear("c").is_none());
    }

    #[test]
    fn removed_markers_disappear_as_ghosts_where_they_were_drawn() {
        let two = markers(json!([{"id": "a", "x": 0, "y": 0}, {"id": "b", "x": 4, "y": 0}]));
        let mut m = MarkerMotion::new(&two);
        let mv = ops(
            json!({"move_marker": {"id": "b", "x": 8, "y": 0, "animate": {"duration": 100, "easing": "linear"}}}),
        );
        let moved = markers(json!([{"id": "a", "x": 0, "y": 0}, {"id": "b", "x": 8, "y": 0}]));
        m.sync(&moved, Some(&mv), true, false, 0.0);
        let rm = ops(
            json!({"remove_markers": {"ids": ["b"], "animate": {"effect": "fade", "duration": 200}}}),
        );
        m.sync(&hero(0, 0), Some(&rm), true, false, 50.0);
        let g = &m.ghosts()[0];
        assert_eq!(
            (g.marker.id.as_str(), g.class, g.at),
            ("b", "tulip-anim--fade-out", (6.0, 0.0))
        );
        assert!(m.running(100.0));
        assert!(m.expire(250.0));
        assert!(m.ghosts().is_empty());
        // Without a hint, or with reduced motion, a removal is immediate.
        let mut m = MarkerMotion::new(&two);
        m.sync(
            &hero(0, 0),
            Some(&ops(json!({"remove_markers": ["b"]}))),
            true,
            false,
            0.0,
        );
        assert!(m.ghosts().is_empty());
        let mut m = MarkerMotion::new(&two);
        m.sync(&hero(0, 0), Some(&rm), true, true, 0.0);
        assert!(m.ghosts().is_empty());
    }
}
