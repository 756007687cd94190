//! Keyboard movement in the grid (the roving tabindex of the WAI-ARIA grid
//! pattern), pure: which key moves where, and which keys click.

use tulip_core::model::Keyboard;

/// A focus movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Left,
    Right,
    Up,
    Down,
    /// Home: the first cell of the row.
    RowStart,
    /// End: the last cell of the row.
    RowEnd,
    /// Ctrl+Home: the first cell of the grid.
    First,
    /// Ctrl+End: the last cell of the grid.
    Last,
    PageUp,
    PageDown,
}

/// What a key does in the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAction {
    Move(Move),
    /// Enter or Space: the same as a click on the focused cell.
    Activate,
}

/// The action of `key` (`KeyboardEvent.key`), with Ctrl (or Cmd) held or
/// not. Keys with Alt, or other modifier combinations, do nothing here.
pub fn key_action(key: &str, ctrl: bool) -> Option<KeyAction> {
    let m = match (key, ctrl) {
        ("ArrowLeft", false) => Move::Left,
        ("ArrowRight", false) => Move::Right,
        ("ArrowUp", false) => Move::Up,
        ("ArrowDown", false) => Move::Down,
        ("Home", false) => Move::RowStart,
        ("End", false) => Move::RowEnd,
        ("Home", true) => Move::First,
        ("End", true) => Move::Last,
        ("PageUp", false) => Move::PageUp,
        ("PageDown", false) => Move::PageDown,
        ("Enter" | " " | "Spacebar", false) => return Some(KeyAction::Activate),
        _ => return None,
    };
    Some(KeyAction::Move(m))
}

/// Where focus goes from `(x, y)` in a `width` x `height` grid; `page` is
/// how many rows PageUp/PageDown jump. Movement stops at the edges (no
/// wrapping, as the ARIA grid pattern recommends).
pub fn step(at: (u32, u32), m: Move, width: u32, height: u32, page: u32) -> (u32, u32) {
    let (max_x, max_y) = (width.saturating_sub(1), height.saturating_sub(1));
    let (x, y) = (at.0.min(max_x), at.1.min(max_y));
    let page = page.max(1);
    match m {
        Move::Left => (x.saturating_sub(1), y),
        Move::Right => ((x + 1).min(max_x), y),
        Move::Up => (x, y.saturating_sub(1)),
        Move::Down => (x, (y + 1).min(max_y)),
        Move::RowStart => (0, y),
        Move::RowEnd => (max_x, y),
        Move::First => (0, 0),
        Move::Last => (max_x, max_y),
        Move::PageUp => (x, y.saturating_sub(page)),
        Move::PageDown => (x, y.saturating_add(page).min(max_y)),
    }
}

/// Whether the widget's own `keyboard` bindings claim `key`: then the grid
/// leaves it to the frame (a snake game's arrows are the game's, not the
/// grid's focus).
pub fn bound_by_widget(keyboard: Option<&Keyboard>, key: &str) -> bool {
    let Some(k) = keyboard else {
        return false;
    };
    if k.enabled == Some(false) {
        return false;
    }
    k.bindings.contains_key(key)
        || (key == " " && k.bindings.contains_key("Space"))
        || (key.len() == 1 && k.bindings.keys().any(|b| b.eq_ignore_ascii_case(key)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_moves_and_activation() {
        assert_eq!(
            key_action("ArrowLeft", false),
            Some(KeyAction::Move(Move::Left))
        );
        assert_eq!(key_action("Home", true), Some(KeyAction::Move(Move::First)));
        assert_eq!(
            key_action("End", false),
            Some(KeyAction::Move(Move::RowEnd))
        );
        assert_eq!(key_action("Enter", false), Some(KeyAction::Activate));
        assert_eq!(key_action(" ", false), Some(KeyAction::Activate));
        assert_eq!(key_action("ArrowLeft", true), None);
        assert_eq!(key_action("a", false), None);
    }

    #[test]
    fn moves_stop_at_the_edges() {
        let s = |at, m| step(at, m, 4, 3, 2);
        assert_eq!(s((0, 0), Move::Left), (0, 0));
        assert_eq!(s((0, 0), Move::Up), (0, 0));
        assert_eq!(s((3, 2), Move::Right), (3, 2));
        assert_eq!(s((3, 2), Move::Down), (3, 2));
        assert_eq!(s((1, 1), Move::Right), (2, 1));
        assert_eq!(s((1, 1), Move::Down), (1, 2));
        assert_eq!(s((2, 1), Move::RowStart), (0, 1));
        assert_eq!(s((0, 1), Move::RowEnd), (3, 1));
        assert_eq!(s((2, 1), Move::First), (0, 0));
        assert_eq!(s((0, 0), Move::Last), (3, 2));
        assert_eq!(s((1, 2), Move::PageUp), (1, 0));
        assert_eq!(s((1, 0), Move::PageDown), (1, 2));
        assert_eq!(step((1, 0), Move::PageDown, 4, 100, 10), (1, 10));
        // A position left over from a bigger grid is pulled inside first.
        assert_eq!(s((9, 9), Move::Left), (2, 2));
        assert_eq!(step((0, 0), Move::Right, 1, 1, 1), (0, 0));
    }

    #[test]
    fn widget_bindings_win() {
        let mut k = Keyboard::default();
        assert!(!bound_by_widget(Some(&k), "ArrowUp"));
        k.bindings.insert("ArrowUp".into(), "up".into());
        k.bindings.insert("Space".into(), "jump".into());
        assert!(bound_by_widget(Some(&k), "ArrowUp"));
        assert!(bound_by_widget(Some(&k), " "));
        assert!(!bound_by_widget(Some(&k), "ArrowDown"));
        assert!(!bound_by_widget(None, "ArrowUp"));
        k.enabled = Some(false);
        assert!(!bound_by_widget(Some(&k), "ArrowUp"));
    }
}
