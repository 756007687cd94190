//! Moving an item between slots: the state machine behind drag and drop
//! (pointer: mouse, pen and touch alike) and its keyboard twin. Pure and
//! natively tested; the component feeds it events and acts on the
//! [`Outcome`] of each step.
//!
//! Pointer: a press on an item is a click until the pointer has moved
//! [`DRAG_THRESHOLD`] pixels; then it is a drag that follows the pointer and
//! knows the slot under it. Releasing over another slot moves the item;
//! releasing outside every slot, or over the slot it came from, does
//! nothing.
//!
//! Keyboard: Space or Enter picks the focused item up, the arrow keys
//! choose the slot it goes to, Enter (or Space) drops it there, Escape puts
//! it back.

/// How far (CSS px) a pressed pointer moves before a click becomes a drag.
pub const DRAG_THRESHOLD: f64 = 6.0;

/// A slot's box on the page (from `getBoundingClientRect`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.left && x < self.left + self.width && y >= self.top && y < self.top + self.height
    }
}

/// The slot whose box holds the point (page coordinates), if any.
pub fn slot_at(rects: &[(u32, Rect)], x: f64, y: f64) -> Option<u32> {
    rects
        .iter()
        .find(|(_, r)| r.contains(x, y))
        .map(|(slot, _)| *slot)
}

/// Where the arrow keys (and Home/End) take the focus from `slot` in a
/// `rows` x `cols` inventory; `None` for other keys. Moves stop at the
/// edges.
pub fn step(slot: u32, key: &str, rows: u32, cols: u32) -> Option<u32> {
    if rows == 0 || cols == 0 {
        return None;
    }
    let (r, c) = (slot / cols, slot % cols);
    let (r, c) = match key {
        "ArrowLeft" => (r, c.saturating_sub(1)),
        "ArrowRight" => (r, (c + 1).min(cols - 1)),
        "ArrowUp" => (r.saturating_sub(1), c),
        "ArrowDown" => ((r + 1).min(rows - 1), c),
        "Home" => (r, 0),
        "End" => (r, cols - 1),
        _ => return None,
    };
    Some(r * cols + c)
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Drag {
    #[default]
    Idle,
    /// A pointer is down on the item in `from` and has not gone far.
    Pressed {
        from: u32,
        pointer: i32,
        start: (f64, f64),
        /// Whether moving on turns this into a drag (`on_item_drag`).
        can_drag: bool,
    },
    /// The item in `from` follows the pointer; `over` is the slot under it.
    Dragging {
        from: u32,
        pointer: i32,
        at: (f64, f64),
        over: Option<u32>,
    },
    /// Picked up with the keyboard; `over` is the focused slot.
    Holding { from: u32, over: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DragAction {
    /// A pointer went down on the item in `slot`.
    Down {
        slot: u32,
        pointer: i32,
        x: f64,
        y: f64,
        can_drag: bool,
    },
    /// The pointer moved; `over` is the slot under it now.
    Move {
        pointer: i32,
        x: f64,
        y: f64,
        over: Option<u32>,
    },
    /// The pointer went up; `over` is the slot under it.
    Up { pointer: i32, over: Option<u32> },
    /// `pointercancel`, Escape, or the focus left the inventory.
    Cancel,
    /// Space/Enter on the item in `slot`: picked up.
    Pick { slot: u32 },
    /// The focus moved to `slot` while holding an item.
    Over { slot: u32 },
    /// Enter/Space while holding: dropped on the focused slot.
    Drop,
}

/// What a step means for the player and the bot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    Nothing,
    /// A press and release without a drag: `item_click`.
    Click(u32),
    /// A drag just started (the pointer passed the threshold).
    Started(u32),
    PickedUp(u32),
    /// Dropped on another slot: `item_drag`.
    Moved {
        from: u32,
        to: u32,
    },
    /// A drag or hold ended without a move.
    Cancelled,
}

impl Drag {
    /// The slot the item being dragged or held comes from.
    pub fn from(&self) -> Option<u32> {
        match *self {
            Drag::Dragging { from, .. } | Drag::Holding { from, .. } => Some(from),
            _ => None,
        }
    }

    /// The slot it would be dropped on now.
    pub fn over(&self) -> Option<u32> {
        match *self {
            Drag::Dragging { over, .. } => over,
            Drag::Holding { over, .. } => Some(over),
            _ => None,
        }
    }

    pub fn holding(&self) -> bool {
        matches!(self, Drag::Holding { .. })
    }

    /// The next state and what it means.
    pub fn next(&self, action: DragAction) -> (Drag, Outcome) {
        use DragAction as A;
        match (*self, action) {
            (
                _,
                A::Down {
                    slot,
                    pointer,
                    x,
                    y,
                    can_drag,
                },
            ) => {
                // A press ends any keyboard hold: the pointer takes over.
                let was_holding = self.holding();
                let pressed = Drag::Pressed {
                    from: slot,
                    pointer,
                    start: (x, y),
                    can_drag,
                };
                let out = if was_holding {
                    Outcome::Cancelled
                } else {
                    Outcome::Nothing
                };
                (pressed, out)
            }
            (
                Drag::Pressed {
                    from,
                    pointer,
                    start,
                    can_drag,
                },
                A::Move {
                    pointer: p,
                    x,
                    y,
                    over,
                },
            ) if p == pointer => {
                let far = (x - start.0).hypot(y - start.1) >= DRAG_THRESHOLD;
                match (far, can_drag) {
                    (false, _) => (*self, Outcome::Nothing),
                    // Moved too far for a click, and drags are off.
                    (true, false) => (Drag::Idle, Outcome::Nothing),
                    (true, true) => (
                        Drag::Dragging {
                            from,
                            pointer,
                            at: (x, y),
                            over,
                        },
                        Outcome::Started(from),
                    ),
                }
            }
            (
                Drag::Dragging { from, pointer, .. },
                A::Move {
                    pointer: p,
                    x,
                    y,
                    over,
                },
            ) if p == pointer => (
                Drag::Dragging {
                    from,
                    pointer,
                    at: (x, y),
                    over,
                },
                Outcome::Nothing,
            ),
            (Drag::Pressed { from, pointer, .. }, A::Up { pointer: p, .. }) if p == pointer => {
                (Drag::Idle, Outcome::Click(from))
            }
            (Drag::Dragging { from, pointer, .. }, A::Up { pointer: p, over }) if p == pointer => {
                match over {
                    Some(to) if to != from => (Drag::Idle, Outcome::Moved { from, to }),
                    _ => (Drag::Idle, Outcome::Cancelled),
                }
            }
            (Drag::Pressed { .. }, A::Cancel) => (Drag::Idle, Outcome::Nothing),
            (Drag::Dragging { .. } | Drag::Holding { .. }, A::Cancel) => {
                (Drag::Idle, Outcome::Cancelled)
            }
            (Drag::Idle, A::Pick { slot }) => (
                Drag::Holding {
                    from: slot,
                    over: slot,
                },
                Outcome::PickedUp(slot),
            ),
            (Drag::Holding { from, .. }, A::Over { slot }) => {
                (Drag::Holding { from, over: slot }, Outcome::Nothing)
            }
            (Drag::Holding { from, over }, A::Drop) => {
                if over == from {
                    (Drag::Idle, Outcome::Cancelled)
                } else {
                    (Drag::Idle, Outcome::Moved { from, to: over })
                }
            }
            // Anything else (another pointer, a stray key) changes nothing.
            _ => (*self, Outcome::Nothing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn down(slot: u32, x: f64, y: f64) -> DragAction {
        DragAction::Down {
            slot,
            pointer: 1,
            x,
            y,
            can_drag: true,
        }
    }

    fn mv(x: f64, y: f64, over: Option<u32>) -> DragAction {
        DragAction::Move {
            pointer: 1,
            x,
            y,
            over,
        }
    }

    fn up(over: Option<u32>) -> DragAction {
        DragAction::Up { pointer: 1, over }
    }

    /// Runs the actions from idle; returns the last state and every
    /// outcome that was not `Nothing`.
    fn run(actions: &[DragAction]) -> (Drag, Vec<Outcome>) {
        let mut s = Drag::Idle;
        let mut out = Vec::new();
        for a in actions {
            let (n, o) = s.next(*a);
            s = n;
            if o != Outcome::Nothing {
                out.push(o);
            }
        }
        (s, out)
    }

    #[test]
    fn press_and_release_in_place_is_a_click() {
        let (s, out) = run(&[down(3, 10.0, 10.0), up(Some(3))]);
        assert_eq!((s, out), (Drag::Idle, vec![Outcome::Click(3)]));
        // A wobble under the threshold is still a click, wherever released.
        let (_, out) = run(&[down(3, 10.0, 10.0), mv(13.0, 12.0, Some(3)), up(Some(4))]);
        assert_eq!(out, vec![Outcome::Click(3)]);
    }

    #[test]
    fn a_drag_to_another_slot_moves_the_item() {
        let (s, out) = run(&[
            down(0, 10.0, 10.0),
            mv(30.0, 10.0, Some(0)),
            mv(80.0, 10.0, Some(1)),
        ]);
        assert_eq!(
            s,
            Drag::Dragging {
                from: 0,
                pointer: 1,
                at: (80.0, 10.0),
                over: Some(1)
            }
        );
        assert_eq!(s.from(), Some(0));
        assert_eq!(s.over(), Some(1));
        assert_eq!(out, vec![Outcome::Started(0)]);
        let (s, o) = s.next(up(Some(1)));
        assert_eq!((s, o), (Drag::Idle, Outcome::Moved { from: 0, to: 1 }));
    }

    #[test]
    fn dropping_outside_or_back_home_does_nothing() {
        let (_, out) = run(&[down(2, 0.0, 0.0), mv(50.0, 0.0, None), up(None)]);
        assert_eq!(out, vec![Outcome::Started(2), Outcome::Cancelled]);
        let (_, out) = run(&[down(2, 0.0, 0.0), mv(50.0, 0.0, Some(3)), up(Some(2))]);
        assert_eq!(out, vec![Outcome::Started(2), Outcome::Cancelled]);
        let (s, out) = run(&[
            down(2, 0.0, 0.0),
            mv(50.0, 0.0, Some(3)),
            DragAction::Cancel,
        ]);
        assert_eq!(
            (s, out),
            (Drag::Idle, vec![Outcome::Started(2), Outcome::Cancelled])
        );
    }

    #[test]
    fn without_drags_a_long_move_is_neither_click_nor_drag() {
        let no_drag = DragAction::Down {
            slot: 1,
            pointer: 1,
            x: 0.0,
            y: 0.0,
            can_drag: false,
        };
        let (s, out) = run(&[no_drag, mv(40.0, 0.0, Some(2)), up(Some(2))]);
        assert_eq!((s, out), (Drag::Idle, vec![]));
    }

    #[test]
    fn another_pointer_is_ignored() {
        let other = DragAction::Move {
            pointer: 7,
            x: 99.0,
            y: 99.0,
            over: Some(5),
        };
        let (s, out) = run(&[
            down(0, 0.0, 0.0),
            other,
            DragAction::Up {
                pointer: 7,
                over: Some(5),
            },
        ]);
        assert!(matches!(s, Drag::Pressed { from: 0, .. }));
        assert!(out.is_empty());
    }

    #[test]
    fn the_keyboard_picks_up_moves_and_drops() {
        let (s, out) = run(&[
            DragAction::Pick { slot: 4 },
            DragAction::Over { slot: 5 },
            DragAction::Over { slot: 9 },
        ]);
        assert_eq!(s, Drag::Holding { from: 4, over: 9 });
        assert!(s.holding());
        assert_eq!(out, vec![Outcome::PickedUp(4)]);
        assert_eq!(
            s.next(DragAction::Drop).1,
            Outcome::Moved { from: 4, to: 9 }
        );
        // Escape, or dropping where it came from, puts it back.
        assert_eq!(s.next(DragAction::Cancel), (Drag::Idle, Outcome::Cancelled));
        let home = Drag::Holding { from: 4, over: 4 };
        assert_eq!(
            home.next(DragAction::Drop),
            (Drag::Idle, Outcome::Cancelled)
        );
        // Keys that mean nothing now change nothing.
        assert_eq!(
            Drag::Idle.next(DragAction::Drop),
            (Drag::Idle, Outcome::Nothing)
        );
        assert_eq!(
            Drag::Idle.next(DragAction::Over { slot: 1 }),
            (Drag::Idle, Outcome::Nothing)
        );
        // A pointer press ends a keyboard hold.
        assert_eq!(s.next(down(1, 0.0, 0.0)).1, Outcome::Cancelled);
    }

    #[test]
    fn hit_tests_and_arrow_steps() {
        let r = |slot: u32, left: f64| {
            (
                slot,
                Rect {
                    left,
                    top: 0.0,
                    width: 50.0,
                    height: 50.0,
                },
            )
        };
        let rects = [r(0, 0.0), r(1, 54.0)];
        assert_eq!(slot_at(&rects, 10.0, 10.0), Some(0));
        assert_eq!(slot_at(&rects, 60.0, 49.0), Some(1));
        assert_eq!(slot_at(&rects, 52.0, 10.0), None, "the gap");
        assert_eq!(slot_at(&rects, 10.0, 60.0), None);

        // 3 rows x 4 cols.
        assert_eq!(step(5, "ArrowRight", 3, 4), Some(6));
        assert_eq!(step(7, "ArrowRight", 3, 4), Some(7), "stops at the edge");
        assert_eq!(step(5, "ArrowDown", 3, 4), Some(9));
        assert_eq!(step(9, "ArrowDown", 3, 4), Some(9));
        assert_eq!(step(5, "ArrowUp", 3, 4), Some(1));
        assert_eq!(step(4, "ArrowLeft", 3, 4), Some(4));
        assert_eq!(step(6, "Home", 3, 4), Some(4));
        assert_eq!(step(6, "End", 3, 4), Some(7));
        assert_eq!(step(6, "x", 3, 4), None);
        assert_eq!(step(0, "ArrowDown", 0, 0), None);
    }
}
