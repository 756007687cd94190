//! What each grid cell shows, as plain data: its text, inline style,
//! accessible name and state (pending, not clickable, yours, secret), and
//! which cells differ between two states of a grid. Pure and natively
//! tested; `paint.rs` writes these to the DOM.

use tulip_core::color::Color;
use tulip_core::model::{Cell, Grid, Rule};
use tulip_core::{Text, UserId};

/// Cell size used when the payload gives none, in pixels.
pub const DEFAULT_CELL_SIZE: u32 = 32;

/// Spreadsheet-style column names: A..Z, AA.. (256 columns end at IV).
pub fn column_name(x: u32) -> String {
    let mut s = String::with_capacity(3);
    push_column(&mut s, x);
    s
}

/// Appends the column name of `x` to `out` (no allocation).
pub fn push_column(out: &mut String, mut x: u32) {
    let mut letters = [0u8; 8];
    let mut n = 0;
    loop {
        letters[n] = b'A' + (x % 26) as u8;
        n += 1;
        if x < 26 || n == letters.len() {
            break;
        }
        x = x / 26 - 1;
    }
    for &b in letters[..n].iter().rev() {
        out.push(char::from(b));
    }
}

/// Appends `B3` for the cell at x = 1, y = 2 (column letter, row number
/// from 1) to `out`.
pub fn push_coordinate(out: &mut String, x: u32, y: u32) {
    push_column(out, x);
    let _ = std::fmt::Write::write_fmt(out, format_args!("{}", y + 1));
}

/// `B3` for the cell at x = 1, y = 2: column letter, row number from 1.
pub fn coordinate(x: u32, y: u32) -> String {
    let mut s = String::with_capacity(6);
    push_coordinate(&mut s, x, y);
    s
}

/// The parts of a grid that decide its DOM structure: a change rebuilds
/// every cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    /// Column letters and row numbers as headers (`show_coordinates`).
    pub headers: bool,
}

impl Layout {
    pub fn of(g: &Grid) -> Layout {
        Layout {
            width: g.width,
            height: g.height,
            headers: g.show_coordinates == Some(true),
        }
    }

    /// ARIA row and column counts, headers included.
    pub fn aria_counts(&self) -> (u32, u32) {
        let h = u32::from(self.headers);
        (self.height + h, self.width + h)
    }
}

/// What the viewer may do with the grid as a whole, as far as the client
/// can tell. Only a hint: the server decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `on_cell_click` is off: nothing to click, the grid is read-only.
    ReadOnly,
    /// Clicks are on and nothing known stands in the way (per-cell
    /// `clickable_by` may still exclude the viewer).
    Open,
    /// The viewer may click only cells they own (`interaction_rules: owned`).
    OwnedOnly,
    /// The viewer may click nothing: a spectator, or `interaction_rules: none`.
    Blocked,
}

impl Access {
    /// The grid-level hint for `viewer` (`None`: unknown viewer, no hint).
    pub fn of(g: &Grid, viewer: Option<&UserId>) -> Access {
        if g.on_cell_click != Some(true) {
            return Access::ReadOnly;
        }
        let Some(v) = viewer else {
            return Access::Open;
        };
        if let Some(players) = &g.players {
            let is_player = players.list.iter().any(|p| {
                &p.id == v
                    && p.role.unwrap_or(tulip_core::model::Role::Player)
                        == tulip_core::model::Role::Player
            });
            if !is_player {
                return Access::Blocked;
            }
        }
        let rule = g
            .interaction_rules
            .as_ref()
            .and_then(|r| r.get(v.as_str()).or_else(|| r.get("default")).copied());
        match rule {
            Some(Rule::None) => Access::Blocked,
            Some(Rule::Owned) => Access::OwnedOnly,
            Some(Rule::All) | None => Access::Open,
        }
    }

    pub fn interactive(self) -> bool {
        self != Access::ReadOnly
    }
}

/// Everything a cell's drawing depends on besides the cell itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    pub access: Access,
    pub viewer: Option<UserId>,
}

impl Context {
    pub fn of(g: &Grid, viewer: Option<&str>) -> Context {
        let viewer = viewer.map(UserId::new);
        Context {
            access: Access::of(g, viewer.as_ref()),
            viewer,
        }
    }
}

/// One cell as drawn.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CellView {
    /// The content, shown as text.
    pub text: Text,
    /// Inline style (validated colours only), if any.
    pub style: Option<String>,
    pub pending: bool,
    /// Clicks are on, but not for this viewer (a hint; the server decides).
    pub locked: bool,
    /// The viewer owns the cell.
    pub mine: bool,
    /// Hidden from everyone but its owner (the viewer).
    pub secret: bool,
}

impl CellView {
    /// A cell of a grid: `cell` is its entry, if any.
    pub fn new(cell: Option<&Cell>, pending: bool, ctx: &Context) -> CellView {
        let text = cell.and_then(|c| c.content.clone()).unwrap_or_default();
        let owner = cell.and_then(|c| c.owner.as_ref());
        let mine = owner.is_some() && owner == ctx.viewer.as_ref();
        let secret = mine && cell.and_then(|c| c.hidden_for_others) == Some(true);
        let locked = match ctx.access {
            Access::ReadOnly | Access::Open => false,
            Access::Blocked => true,
            Access::OwnedOnly => !mine,
        } || (ctx.access.interactive()
            && match (&ctx.viewer, cell.and_then(|c| c.clickable_by.as_ref())) {
                (Some(v), Some(list)) => !list.contains(v),
                _ => false,
            });
        CellView {
            text,
            style: cell_style(cell),
            pending,
            locked,
            mine,
            secret,
        }
    }

    /// The accessible name of the cell at `(x, y)`: "B3, X",
    /// "B3, empty, pending".
    pub fn label(&self, x: u32, y: u32) -> String {
        let mut s = String::with_capacity(16);
        self.push_label(&mut s, x, y);
        s
    }

    /// Appends [`CellView::label`] to `out`.
    pub fn push_label(&self, out: &mut String, x: u32, y: u32) {
        push_coordinate(out, x, y);
        out.push_str(", ");
        out.push_str(if self.text.is_empty() {
            "empty"
        } else {
            &self.text
        });
        for (on, what) in [
            (self.mine, ", yours"),
            (self.secret, ", hidden from others"),
            (self.locked, ", not clickable"),
            (self.pending, ", pending"),
        ] {
            if on {
                out.push_str(what);
            }
        }
    }

    /// The states that show in the class list.
    pub fn flags(&self) -> (bool, bool, bool, bool) {
        (self.pending, self.locked, self.mine, self.secret)
    }

    /// The element's class list.
    pub fn class(&self) -> String {
        let mut c = String::from("tulip-grid__cell");
        for (on, name) in [
            (self.pending, " tulip-grid__cell--pending"),
            (self.locked, " tulip-grid__cell--locked"),
            (self.mine, " tulip-grid__cell--mine"),
            (self.secret, " tulip-grid__cell--secret"),
        ] {
            if on {
                c.push_str(name);
            }
        }
        c
    }
}

/// Inline style of one cell: its own background and text colour. A cell
/// with a background but no text colour gets black or white text, whichever
/// reads better on it. Colours come from `tulip_core` already validated and
/// re-serialized, so they are safe inside a style attribute.
pub fn cell_style(cell: Option<&Cell>) -> Option<String> {
    let c = cell?;
    let mut s = String::new();
    if let Some(bg) = &c.bg {
        s.push_str("background-color:");
        s.push_str(bg.as_str());
        s.push(';');
    }
    let fg =
        c.fg.as_ref()
            .map(Color::as_str)
            .or_else(|| c.bg.as_ref().and_then(readable_text_on));
    if let Some(fg) = fg {
        s.push_str("color:");
        s.push_str(fg);
        s.push(';');
    }
    (!s.is_empty()).then_some(s)
}

/// Near-black or white, whichever contrasts more with `bg`; `None` when
/// the colour is not one we can read (then the theme's text colour stays)
/// or is mostly transparent.
pub fn readable_text_on(bg: &Color) -> Option<&'static str> {
    let (r, g, b, a) = rgba(bg.as_str())?;
    if a < 0.5 {
        return None;
    }
    let l = luminance(r, g, b);
    // Contrast with black (L = 0) against white (L = 1): the larger wins.
    let with_black = (l + 0.05) / 0.05;
    let with_white = 1.05 / (l + 0.05);
    Some(if with_black >= with_white {
        "#111111"
    } else {
        "#ffffff"
    })
}

/// WCAG relative luminance of an sRGB colour (channels 0..=255).
fn luminance(r: f64, g: f64, b: f64) -> f64 {
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// The terminal's background in both themes is near-black; this is the
/// lighter of the two (`--tulip-term-bg` of the light theme, `#16161d`).
pub const TERMINAL_BG: (f64, f64, f64) = (22.0, 22.0, 29.0);

/// A text colour for `c` on the dark background `bg` with a contrast of
/// at least 4.5:1 (WCAG AA): `None` when `c` already has it (or cannot be
/// read), otherwise `c` mixed with just enough white, as `#rrggbb`. A
/// bot's dark blue stays blue, only light enough to read.
pub fn lifted_on_dark(c: &Color, bg: (f64, f64, f64)) -> Option<String> {
    let (r, g, b, _) = rgba(c.as_str())?;
    let bg_l = luminance(bg.0, bg.1, bg.2);
    let contrast = |t: f64| {
        let mix = |v: f64| v + (255.0 - v) * t;
        (luminance(mix(r), mix(g), mix(b)) + 0.05) / (bg_l + 0.05)
    };
    if contrast(0.0) >= 4.5 {
        return None;
    }
    // The least white that reaches 4.5 (contrast grows with it); channels
    // are rounded up, so that it still holds.
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..16 {
        let mid = (lo + hi) / 2.0;
        if contrast(mid) >= 4.5 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let channel = |v: f64| (v + (255.0 - v) * hi).ceil().clamp(0.0, 255.0) as u8;
    Some(format!(
        "#{:02x}{:02x}{:02x}",
        channel(r),
        channel(g),
        channel(b)
    ))
}

/// Red, green, blue (0..=255) and alpha (0..=1) of a canonical colour:
/// hex, `rgb()`/`rgba()`, `hsl()`/`hsla()` and the common named colours.
pub fn rgba(s: &str) -> Option<(f64, f64, f64, f64)> {
    if let Some(hex) = s.strip_prefix('#') {
        let digit = |i: usize, n: usize| -> Option<f64> {
            let part = hex.get(i * n..i * n + n)?;
            let v = u8::from_str_radix(part, 16).ok()?;
            Some(f64::from(if n == 1 { v * 17 } else { v }))
        };
        let n = if hex.len() <= 4 { 1 } else { 2 };
        let a = if hex.len() == 4 || hex.len() == 8 {
            digit(3, n)? / 255.0
        } else {
            1.0
        };
        return Some((digit(0, n)?, digit(1, n)?, digit(2, n)?, a));
    }
    if let Some(open) = s.find('(') {
        let name = &s[..open];
        let args: Vec<&str> = s[open + 1..].trim_end_matches(')').split(',').collect();
        if args.len() < 3 {
            return None;
        }
        let num = |p: &str| -> Option<(f64, bool)> {
            let pct = p.ends_with('%');
            let v = tulip_core::num::parse_plain(
                p.trim().trim_end_matches('%').trim_end_matches("deg"),
            )?;
            Some((v, pct))
        };
        let alpha = match args.get(3) {
            Some(p) => {
                let (v, pct) = num(p)?;
                if pct {
                    v / 100.0
                } else {
                    v
                }
            }
            None => 1.0,
        };
        return match name {
            "rgb" | "rgba" => {
                let ch = |p: &str| {
                    num(p).map(|(v, pct)| if pct { v * 2.55 } else { v.clamp(0.0, 255.0) })
                };
                Some((ch(args[0])?, ch(args[1])?, ch(args[2])?, alpha))
            }
            "hsl" | "hsla" => {
                let h = num(args[0])?.0.rem_euclid(360.0) / 360.0;
                let sat = (num(args[1])?.0 / 100.0).clamp(0.0, 1.0);
                let l = (num(args[2])?.0 / 100.0).clamp(0.0, 1.0);
                let (r, g, b) = hsl_to_rgb(h, sat, l);
                Some((r * 255.0, g * 255.0, b * 255.0, alpha))
            }
            _ => None,
        };
    }
    let hex = match s {
        "white" | "snow" | "ivory" => "#ffffff",
        "black" => "#000000",
        "red" => "#ff0000",
        "green" => "#008000",
        "lime" => "#00ff00",
        "blue" => "#0000ff",
        "navy" => "#000080",
        "yellow" => "#ffff00",
        "gold" => "#ffd700",
        "orange" => "#ffa500",
        "purple" => "#800080",
        "gray" | "grey" => "#808080",
        "silver" | "lightgray" | "lightgrey" => "#c0c0c0",
        "darkgray" | "darkgrey" => "#a9a9a9",
        "dimgray" | "dimgrey" => "#696969",
        "teal" => "#008080",
        "maroon" => "#800000",
        "olive" => "#808000",
        "aqua" | "cyan" => "#00ffff",
        "fuchsia" | "magenta" => "#ff00ff",
        "pink" => "#ffc0cb",
        "brown" => "#a52a2a",
        "beige" => "#f5f5dc",
        "wheat" => "#f5deb3",
        "tan" => "#d2b48c",
        "darkgreen" => "#006400",
        "forestgreen" => "#228b22",
        "lightblue" => "#add8e6",
        "skyblue" => "#87ceeb",
        "darkblue" => "#00008b",
        "crimson" => "#dc143c",
        "coral" => "#ff7f50",
        "salmon" => "#fa8072",
        "khaki" => "#f0e68c",
        "indigo" => "#4b0082",
        "violet" => "#ee82ee",
        "sienna" => "#a0522d",
        "chocolate" => "#d2691e",
        "slategray" | "slategrey" => "#708090",
        "darkslategray" | "darkslategrey" => "#2f4f4f",
        "whitesmoke" | "gainsboro" | "linen" | "lavender" => "#eeeeee",
        _ => return None,
    };
    rgba(hex)
}

fn hsl_to_rgb(h: f64, s: f64, l: f64) -> (f64, f64, f64) {
    if s == 0.0 {
        return (l, l, l);
    }
    let q = if l < 0.5 {
        l * (1.0 + s)
    } else {
        l + s - l * s
    };
    let p = 2.0 * l - q;
    let hue = |mut t: f64| {
        if t < 0.0 {
            t += 1.0;
        }
        if t > 1.0 {
            t -= 1.0;
        }
        if t < 1.0 / 6.0 {
            p + (q - p) * 6.0 * t
        } else if t < 0.5 {
            q
        } else if t < 2.0 / 3.0 {
            p + (q - p) * (2.0 / 3.0 - t) * 6.0
        } else {
            p
        }
    };
    (hue(h + 1.0 / 3.0), hue(h), hue(h - 1.0 / 3.0))
}

/// The keys `(y, x)` whose cells differ between `a` and `b`, in row-major
/// order: one merge walk over the two sorted collections, comparing cells
/// in place (no allocation but the result).
pub fn changed_keys(a: &Grid, b: &Grid) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut ia = a.cells.0.iter().peekable();
    let mut ib = b.cells.0.iter().peekable();
    loop {
        match (ia.peek(), ib.peek()) {
            (None, None) => break,
            (Some((ka, _)), None) => {
                out.push(**ka);
                ia.next();
            }
            (None, Some((kb, _))) => {
                out.push(**kb);
                ib.next();
            }
            (Some((ka, ca)), Some((kb, cb))) => match ka.cmp(kb) {
                std::cmp::Ordering::Less => {
                    out.push(**ka);
                    ia.next();
                }
                std::cmp::Ordering::Greater => {
                    out.push(**kb);
                    ib.next();
                }
                std::cmp::Ordering::Equal => {
                    // Cells are shared between the old and the new state
                    // unless the update replaced them: most compare by
                    // pointer.
                    if !std::sync::Arc::ptr_eq(ca, cb) && ca != cb {
                        out.push(**ka);
                    }
                    ia.next();
                    ib.next();
                }
            },
        }
    }
    out
}

/// The positions `(x, y)` in one list and not the other (sorted, as keys
/// `(y, x)`).
pub fn pending_changes(a: &[(u32, u32)], b: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = a
        .iter()
        .filter(|p| !b.contains(p))
        .chain(b.iter().filter(|p| !a.contains(p)))
        .map(|&(x, y)| (y, x))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tulip_core::{parse_widget_value, Body, Policy};

    fn grid(extra: serde_json::Value) -> Grid {
        let w = parse_widget_value(
            json!({"widget_type": "grid", "extra_data": extra}),
            &Policy::default(),
        )
        .unwrap();
        match w.body {
            Body::Grid(g) => g,
            _ => unreachable!(),
        }
    }

    #[test]
    fn column_names_and_coordinates() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(51), "AZ");
        assert_eq!(column_name(52), "BA");
        assert_eq!(column_name(255), "IV");
        assert_eq!(coordinate(1, 2), "B3");
        assert_eq!(coordinate(26, 99), "AA100");
    }

    #[test]
    fn labels_name_the_position_the_content_and_every_state() {
        let g = grid(json!({"width": 3, "height": 3, "on_cell_click": true,
            "cells": [{"x": 1, "y": 2, "content": "X"},
                      {"x": 0, "y": 0, "owner": "ann", "hidden_for_others": true, "content": "7"},
                      {"x": 2, "y": 0, "clickable_by": ["bob"]}]}));
        let ctx = Context::of(&g, Some("ann"));
        let at = |x, y, pending| CellView::new(g.cells.get(&(y, x)), pending, &ctx);
        assert_eq!(at(1, 2, false).label(1, 2), "B3, X");
        assert_eq!(at(1, 1, false).label(1, 1), "B2, empty");
        assert_eq!(at(1, 1, true).label(1, 1), "B2, empty, pending");
        let secret = at(0, 0, false);
        assert_eq!(secret.label(0, 0), "A1, 7, yours, hidden from others");
        assert!(secret.mine && secret.secret && !secret.locked);
        let locked = at(2, 0, false);
        assert_eq!(locked.label(2, 0), "C1, empty, not clickable");
        assert!(locked.class().contains("tulip-grid__cell--locked"));
        // Bob may click it; an unknown viewer gets no hint.
        let bob = Context::of(&g, Some("bob"));
        assert!(!CellView::new(g.cells.get(&(0, 2)), false, &bob).locked);
        let nobody = Context::of(&g, None);
        assert!(!CellView::new(g.cells.get(&(0, 2)), false, &nobody).locked);
    }

    #[test]
    fn a_read_only_grid_says_nothing_about_clicks() {
        let g = grid(
            json!({"width": 1, "height": 1, "cells": [{"x": 0, "y": 0, "clickable_by": ["bob"]}]}),
        );
        let ctx = Context::of(&g, Some("ann"));
        assert_eq!(ctx.access, Access::ReadOnly);
        let v = CellView::new(g.cells.get(&(0, 0)), false, &ctx);
        assert!(!v.locked);
        assert_eq!(v.label(0, 0), "A1, empty");
    }

    #[test]
    fn spectators_rules_and_ownership_lock_cells() {
        let g = grid(json!({"width": 2, "height": 1, "on_cell_click": true,
            "players": {"list": [{"id": "ann"}, {"id": "sam", "role": "spectator"}]},
            "cells": [{"x": 0, "y": 0, "owner": "ann"}]}));
        assert_eq!(Access::of(&g, Some(&UserId::new("ann"))), Access::Open);
        assert_eq!(Access::of(&g, Some(&UserId::new("sam"))), Access::Blocked);
        assert_eq!(Access::of(&g, Some(&UserId::new("zed"))), Access::Blocked);
        let owned = grid(json!({"width": 2, "height": 1, "on_cell_click": true,
            "interaction_rules": {"default": "owned", "bob": "none"},
            "cells": [{"x": 0, "y": 0, "owner": "ann"}]}));
        let ann = Context::of(&owned, Some("ann"));
        assert_eq!(ann.access, Access::OwnedOnly);
        assert!(!CellView::new(owned.cells.get(&(0, 0)), false, &ann).locked);
        assert!(CellView::new(owned.cells.get(&(0, 1)), false, &ann).locked);
        assert_eq!(Context::of(&owned, Some("bob")).access, Access::Blocked);
    }

    #[test]
    fn styles_hold_canonical_colours_and_readable_text() {
        let g = grid(json!({"width": 3, "height": 1, "cells": [
            {"x": 0, "y": 0, "bg": "#FF0000", "fg": "#00FF00"},
            {"x": 1, "y": 0, "bg": "#fff3c4"},
            {"x": 2, "y": 0, "bg": "navy"}]}));
        let style = |x| cell_style(g.cells.get(&(0, x)));
        assert_eq!(
            style(0).as_deref(),
            Some("background-color:#ff0000;color:#00ff00;")
        );
        assert_eq!(
            style(1).as_deref(),
            Some("background-color:#fff3c4;color:#111111;")
        );
        assert_eq!(
            style(2).as_deref(),
            Some("background-color:navy;color:#ffffff;")
        );
        assert_eq!(cell_style(None), None);
    }

    #[test]
    fn colours_are_read_in_every_canonical_form() {
        assert_eq!(rgba("#fff"), Some((255.0, 255.0, 255.0, 1.0)));
        assert_eq!(rgba("#00000080").map(|c| (c.3 * 100.0).round()), Some(50.0));
        assert_eq!(rgba("rgb(255,0,0)"), Some((255.0, 0.0, 0.0, 1.0)));
        assert_eq!(rgba("rgba(0,0,0,0.2)").map(|c| c.3), Some(0.2));
        let (r, g, b, _) = rgba("hsl(120,100%,25%)").unwrap();
        assert_eq!((r.round(), g.round(), b.round()), (0.0, 128.0, 0.0));
        assert_eq!(rgba("rebeccapurple"), None);
        let c = |s: &str| readable_text_on(&Color::parse(s).unwrap());
        assert_eq!(c("#000"), Some("#ffffff"));
        assert_eq!(c("#f4f1ea"), Some("#111111"));
        assert_eq!(c("transparent"), None);
        assert_eq!(c("rgba(0,0,0,0.1)"), None);
    }

    #[test]
    fn changed_keys_walks_both_grids_once() {
        let a = grid(json!({"width": 4, "height": 2, "cells": [
            {"x": 0, "y": 0, "content": "A"}, {"x": 1, "y": 0, "content": "B"},
            {"x": 3, "y": 1, "content": "C"}]}));
        let b = grid(json!({"width": 4, "height": 2, "cells": [
            {"x": 0, "y": 0, "content": "A"}, {"x": 1, "y": 0, "content": "b"},
            {"x": 2, "y": 1, "content": "D"}]}));
        assert_eq!(changed_keys(&a, &b), vec![(0, 1), (1, 2), (1, 3)]);
        assert_eq!(changed_keys(&a, &a), vec![]);
        assert_eq!(
            pending_changes(&[(1, 0), (2, 2)], &[(2, 2), (0, 1)]),
            vec![(0, 1), (1, 0)]
        );
    }

    #[test]
    fn layout_counts_headers() {
        let g = grid(json!({"width": 5, "height": 2, "show_coordinates": true}));
        let l = Layout::of(&g);
        assert!(l.headers);
        assert_eq!(l.aria_counts(), (3, 6));
    }

    #[test]
    fn dark_line_colours_are_lifted_until_they_read_on_the_terminal() {
        let colour = |s: &str| Color::parse(s).unwrap();
        // Already readable: kept as the bot wrote it.
        for ok in ["#66bb6a", "#ef5350", "gray", "#e6e6ee", "#0f0"] {
            assert_eq!(lifted_on_dark(&colour(ok), TERMINAL_BG), None, "{ok}");
        }
        // Too dark: mixed with white to 4.5:1, and no further.
        let bg = luminance(TERMINAL_BG.0, TERMINAL_BG.1, TERMINAL_BG.2);
        for dark in ["#000080", "#000000", "#3e2723", "navy"] {
            let lifted = lifted_on_dark(&colour(dark), TERMINAL_BG).expect(dark);
            let (r, g, b, _) = rgba(&lifted).unwrap();
            let c = (luminance(r, g, b) + 0.05) / (bg + 0.05);
            assert!((4.5..4.7).contains(&c), "{dark} -> {lifted}: {c}");
        }
        // A hue stays a hue: navy becomes a light blue, not grey.
        let navy = lifted_on_dark(&colour("#000080"), TERMINAL_BG).unwrap();
        let (r, _, b, _) = rgba(&navy).unwrap();
        assert!(b > r, "{navy}");
    }
}
