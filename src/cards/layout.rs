//! Where each card goes: pure layout maths for the four layouts, natively
//! tested. Positions are in CSS pixels inside the widget's card area
//! (`x`, `y` of the card's unrotated top-left corner; the rotation turns it
//! about its centre).

use tulip_core::model::CardLayout;

/// Card width and height in CSS pixels.
pub const CARD_W: f64 = 60.0;
pub const CARD_H: f64 = 84.0;
/// Gap between cards that do not overlap (hand with few cards, grid).
pub const GAP: f64 = 8.0;
/// How far a selected card is raised, in pixels; every layout keeps this
/// much room above its cards so that a raised card is never clipped.
pub const RAISE: f64 = 14.0;
/// The narrowest strip of a card a hand shows before it wraps to another
/// row: enough to read the corner index ("10♥").
pub const MIN_STEP: f64 = 20.0;
/// Vertical offset between wrapped rows of a hand, as a share of the card
/// height (the corner index of the row behind stays visible).
pub const ROW_SHARE: f64 = 0.5;
/// Largest angle between two neighbours of a fan, and the widest a whole
/// fan opens, in degrees.
pub const FAN_STEP_DEG: f64 = 12.0;
pub const FAN_SPREAD_DEG: f64 = 80.0;
/// Distance from the fan's pivot (below the hand) to each card's centre.
pub const FAN_RADIUS: f64 = CARD_H * 2.2;
/// Offset between the layers of a pile, and how many layers show.
pub const PILE_STEP: f64 = 2.0;
pub const PILE_LAYERS: usize = 5;
/// Width assumed until the widget has been measured.
pub const DEFAULT_WIDTH: f64 = 320.0;

/// One card's place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    pub x: f64,
    pub y: f64,
    /// Degrees, clockwise.
    pub rot: f64,
    /// Stacking order (later cards above earlier ones).
    pub z: usize,
}

/// The places of `n` cards and the size of the area they need.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub places: Vec<Place>,
    pub width: f64,
    pub height: f64,
    /// Cards per row (grid and wrapped hands; 1 row otherwise): the arrow
    /// keys Up and Down move by this much in a grid.
    pub per_row: usize,
}

/// Lays out `n` cards in an area `width` pixels wide.
pub fn layout(kind: CardLayout, n: usize, width: f64) -> Layout {
    let width = if width.is_finite() && width > CARD_W {
        width
    } else {
        CARD_W.max(if width.is_finite() { width } else { 0.0 })
    };
    match kind {
        CardLayout::Hand => hand(n, width),
        CardLayout::Pile => pile(n, width),
        CardLayout::Grid => grid(n, width),
        CardLayout::Fan => fan(n, width),
    }
}

fn empty(width: f64) -> Layout {
    Layout {
        places: Vec::new(),
        width,
        height: CARD_H + RAISE,
        per_row: 1,
    }
}

/// A row, spread with a gap when there is room, overlapping when there is
/// not, and wrapped into further rows when even [`MIN_STEP`] does not fit.
fn hand(n: usize, width: f64) -> Layout {
    if n == 0 {
        return empty(width);
    }
    let fit = |k: usize| {
        if k <= 1 {
            CARD_W + GAP
        } else {
            ((width - CARD_W) / (k - 1) as f64).min(CARD_W + GAP)
        }
    };
    let per_row = if fit(n) >= MIN_STEP {
        n
    } else {
        (((width - CARD_W) / MIN_STEP).floor() as usize + 1).max(1)
    };
    let rows = n.div_ceil(per_row);
    let mut places = Vec::with_capacity(n);
    for i in 0..n {
        let (row, col) = (i / per_row, i % per_row);
        let in_row = if row + 1 == rows {
            n - row * per_row
        } else {
            per_row
        };
        let step = fit(in_row);
        let span = CARD_W + step * (in_row as f64 - 1.0);
        let left = ((width - span) / 2.0).max(0.0);
        places.push(Place {
            x: left + step * col as f64,
            y: RAISE + row as f64 * CARD_H * ROW_SHARE,
            rot: 0.0,
            z: i,
        });
    }
    Layout {
        places,
        width,
        height: RAISE + CARD_H + (rows as f64 - 1.0) * CARD_H * ROW_SHARE,
        per_row,
    }
}

/// A stack: the last card on top; the top [`PILE_LAYERS`] cards step up and
/// to the right, the ones below them lie under the lowest layer.
fn pile(n: usize, width: f64) -> Layout {
    if n == 0 {
        return empty(width);
    }
    let layers = n.min(PILE_LAYERS);
    let span = CARD_W + PILE_STEP * (layers as f64 - 1.0);
    let left = ((width - span) / 2.0).max(0.0);
    let lift = PILE_STEP * (layers as f64 - 1.0);
    let places = (0..n)
        .map(|i| {
            let layer = (i + layers).saturating_sub(n) as f64;
            Place {
                x: left + PILE_STEP * layer,
                y: RAISE + lift - PILE_STEP * layer,
                rot: 0.0,
                z: i,
            }
        })
        .collect();
    Layout {
        places,
        width,
        height: RAISE + CARD_H + lift,
        per_row: 1,
    }
}

/// Rows of as many cards as fit, the block centred.
fn grid(n: usize, width: f64) -> Layout {
    if n == 0 {
        return empty(width);
    }
    let fits = (((width + GAP) / (CARD_W + GAP)).floor() as usize).max(1);
    let cols = fits.min(n);
    let rows = n.div_ceil(cols);
    let span = cols as f64 * (CARD_W + GAP) - GAP;
    let left = ((width - span) / 2.0).max(0.0);
    let places = (0..n)
        .map(|i| Place {
            x: left + (i % cols) as f64 * (CARD_W + GAP),
            y: RAISE + (i / cols) as f64 * (CARD_H + GAP),
            rot: 0.0,
            z: i,
        })
        .collect();
    Layout {
        places,
        width,
        height: RAISE + rows as f64 * (CARD_H + GAP) - GAP,
        per_row: cols,
    }
}

/// How far a card centred at horizontal offset `dx` and turned by `deg`
/// reaches from the middle, and its top and bottom relative to its centre.
fn reach(dx: f64, deg: f64) -> (f64, f64) {
    let (s, c) = deg.to_radians().sin_cos();
    let half_w = (CARD_W / 2.0) * c.abs() + (CARD_H / 2.0) * s.abs();
    let half_h = (CARD_W / 2.0) * s.abs() + (CARD_H / 2.0) * c.abs();
    (dx.abs() + half_w, half_h)
}

/// Cards turned about a pivot below the middle of the hand, like a hand of
/// cards held in a hand. The angle between neighbours shrinks with many
/// cards (the whole fan opens at most [`FAN_SPREAD_DEG`]) and again until
/// the fan fits the width.
fn fan(n: usize, width: f64) -> Layout {
    if n == 0 {
        return empty(width);
    }
    let mid = (n as f64 - 1.0) / 2.0;
    let mut step = if n > 1 {
        FAN_STEP_DEG.min(FAN_SPREAD_DEG / (n as f64 - 1.0))
    } else {
        0.0
    };
    let mut radius = FAN_RADIUS;
    let fits = |step: f64, radius: f64| {
        let deg = step * mid;
        let (r, _) = reach(radius * deg.to_radians().sin(), deg);
        r <= width / 2.0
    };
    // Narrow first the angle, then the radius; bounded loops, no divergence.
    for _ in 0..60 {
        if fits(step, radius) {
            break;
        }
        step *= 0.9;
    }
    for _ in 0..60 {
        if fits(step, radius) {
            break;
        }
        radius *= 0.9;
    }
    // Centres relative to the pivot, then shifted so that the highest
    // point sits at RAISE.
    let centres: Vec<(f64, f64, f64)> = (0..n)
        .map(|i| {
            let deg = (i as f64 - mid) * step;
            let (s, c) = deg.to_radians().sin_cos();
            (radius * s, -radius * c, deg)
        })
        .collect();
    let mut top = f64::INFINITY;
    let mut bottom = f64::NEG_INFINITY;
    for &(dx, cy, deg) in &centres {
        let (_, half_h) = reach(dx, deg);
        top = top.min(cy - half_h);
        bottom = bottom.max(cy + half_h);
    }
    let places = centres
        .iter()
        .enumerate()
        .map(|(i, &(dx, cy, deg))| Place {
            x: width / 2.0 + dx - CARD_W / 2.0,
            y: RAISE + (cy - top) - CARD_H / 2.0,
            rot: deg,
            z: i,
        })
        .collect();
    Layout {
        places,
        width,
        height: RAISE + (bottom - top),
        per_row: n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [CardLayout; 4] = [
        CardLayout::Hand,
        CardLayout::Pile,
        CardLayout::Grid,
        CardLayout::Fan,
    ];

    /// Every corner of every card is inside the area (with rotation).
    fn inside(l: &Layout) -> bool {
        l.places.iter().all(|p| {
            let (cx, cy) = (p.x + CARD_W / 2.0, p.y + CARD_H / 2.0);
            let (s, c) = p.rot.to_radians().sin_cos();
            [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)]
                .iter()
                .all(|(sx, sy)| {
                    let (dx, dy) = (sx * CARD_W / 2.0, sy * CARD_H / 2.0);
                    let x = cx + dx * c - dy * s;
                    let y = cy + dx * s + dy * c;
                    x >= -0.01 && x <= l.width + 0.01 && y >= -0.01 && y <= l.height + 0.01
                })
        })
    }

    #[test]
    fn every_layout_places_every_card_inside_its_area_at_any_width() {
        for kind in ALL {
            for n in [0, 1, 2, 5, 8, 13, 52, 500] {
                for width in [200.0, 328.0, 360.0, 800.0] {
                    let l = layout(kind, n, width);
                    assert_eq!(l.places.len(), n, "{kind:?} {n}");
                    assert!(inside(&l), "{kind:?} n={n} width={width}: {l:?}");
                    // Room for the raise above every card.
                    assert!(l.places.iter().all(|p| p.y >= RAISE - 0.01 || p.rot != 0.0));
                    assert!(l.places.iter().enumerate().all(|(i, p)| p.z == i));
                }
            }
        }
    }

    #[test]
    fn a_hand_spreads_few_cards_with_a_gap_and_overlaps_many() {
        let l = layout(CardLayout::Hand, 3, 800.0);
        let xs: Vec<f64> = l.places.iter().map(|p| p.x).collect();
        assert_eq!(xs[1] - xs[0], CARD_W + GAP);
        assert_eq!(xs[2] - xs[1], CARD_W + GAP);
        // Centred.
        assert!((xs[0] - (800.0 - xs[2] - CARD_W)).abs() < 1e-9);
        assert!(l.places.iter().all(|p| p.rot == 0.0 && p.y == RAISE));

        // Eight cards at 360 px: they overlap and still fill the row.
        let l = layout(CardLayout::Hand, 8, 328.0);
        let step = l.places[1].x - l.places[0].x;
        assert!((MIN_STEP..CARD_W).contains(&step), "{step}");
        assert!((l.places[7].x + CARD_W - 328.0).abs() < 1e-9);
        assert_eq!(l.height, RAISE + CARD_H, "one row");
    }

    #[test]
    fn a_hand_too_long_for_one_row_wraps() {
        let l = layout(CardLayout::Hand, 30, 328.0);
        assert!(l.per_row < 30);
        let rows: std::collections::BTreeSet<u64> =
            l.places.iter().map(|p| p.y.to_bits()).collect();
        assert!(rows.len() >= 2);
        for w in l.places.windows(2) {
            if w[0].y == w[1].y {
                assert!(w[1].x - w[0].x >= MIN_STEP - 1e-9);
            }
        }
    }

    #[test]
    fn a_pile_steps_only_its_top_layers() {
        let l = layout(CardLayout::Pile, 10, 300.0);
        let first = l.places[0];
        // The cards below the top five lie together.
        assert!(l.places[..6]
            .iter()
            .all(|p| (p.x, p.y) == (first.x, first.y)));
        let top = l.places[9];
        assert_eq!(top.x - first.x, PILE_STEP * 4.0);
        assert_eq!(first.y - top.y, PILE_STEP * 4.0);
        assert_eq!(top.z, 9, "the last card is on top");
        let one = layout(CardLayout::Pile, 1, 300.0);
        assert_eq!(one.places[0].y, RAISE);
    }

    #[test]
    fn a_grid_wraps_into_rows_of_what_fits() {
        let l = layout(CardLayout::Grid, 10, 300.0);
        // (300 + 8) / 68 = 4.5: four a row.
        assert_eq!(l.per_row, 4);
        assert_eq!(l.places[4].y, l.places[0].y + CARD_H + GAP);
        assert_eq!(l.places[4].x, l.places[0].x);
        assert_eq!(l.places[1].x - l.places[0].x, CARD_W + GAP);
        assert_eq!(l.height, RAISE + 3.0 * (CARD_H + GAP) - GAP);
        // Fewer cards than fit: one row of them, centred.
        let l = layout(CardLayout::Grid, 2, 300.0);
        assert_eq!(l.per_row, 2);
    }

    #[test]
    fn a_fan_turns_symmetrically_about_the_middle() {
        let l = layout(CardLayout::Fan, 5, 800.0);
        let rots: Vec<f64> = l.places.iter().map(|p| p.rot).collect();
        assert_eq!(rots[2], 0.0);
        assert!((rots[0] + rots[4]).abs() < 1e-9 && rots[0] < 0.0);
        assert!((rots[1] - rots[0] - FAN_STEP_DEG).abs() < 1e-9);
        // The middle card is highest; the outer ones lower and mirrored.
        assert!(l.places[2].y < l.places[1].y && l.places[1].y < l.places[0].y);
        assert!((l.places[0].y - l.places[4].y).abs() < 1e-9);
        let mid = l.places[2].x + CARD_W / 2.0;
        assert!((mid - 400.0).abs() < 1e-9);
    }

    #[test]
    fn a_fan_of_many_cards_narrows_to_fit_a_phone() {
        let wide = layout(CardLayout::Fan, 10, 800.0);
        let narrow = layout(CardLayout::Fan, 10, 328.0);
        let spread = |l: &Layout| l.places[9].rot - l.places[0].rot;
        assert!(spread(&wide) <= FAN_SPREAD_DEG + 1e-9);
        assert!(spread(&narrow) < spread(&wide), "narrowed at 328 px");
        assert!(inside(&narrow));
    }

    #[test]
    fn nonsense_widths_do_not_break_the_maths() {
        for kind in ALL {
            for width in [0.0, -5.0, f64::NAN, f64::INFINITY] {
                let l = layout(kind, 4, width);
                assert!(l
                    .places
                    .iter()
                    .all(|p| p.x.is_finite() && p.y.is_finite() && p.rot.is_finite()));
                assert!(l.width >= CARD_W && l.height.is_finite());
            }
        }
    }
}
