//! Pure geometry of the canvas: from the page's coordinates to the canvas's,
//! which sprite a point falls on, what a click means, the backing-store
//! scale and the accessible summary. Natively tested.

use serde_json::{json, Value};

use super::scene::DrawSprite;

/// A point in client (CSS) px to canvas px, through the element's bounding
/// rect `(left, top, width, height)` and the canvas's size in canvas px.
/// `None` when the element has no size (not laid out).
pub fn client_to_canvas(
    client: (f64, f64),
    rect: (f64, f64, f64, f64),
    size: (u32, u32),
) -> Option<(f64, f64)> {
    let (left, top, w, h) = rect;
    if !(w > 0.0 && h > 0.0 && client.0.is_finite() && client.1.is_finite()) {
        return None;
    }
    Some((
        (client.0 - left) * f64::from(size.0) / w,
        (client.1 - top) * f64::from(size.1) / h,
    ))
}

/// Whether the point `(x, y)` (canvas px) falls in sprite `s`'s drawn box:
/// the box `w` x `h` centred on `(x, y)`, turned `rotation` degrees
/// clockwise about its centre. The point is turned back into the sprite's
/// own frame and compared with the unrotated box (edges included).
pub fn contains<T>(s: &DrawSprite<T>, x: f64, y: f64) -> bool {
    let (dx, dy) = (x - s.x, y - s.y);
    let (sin, cos) = s.rotation.to_radians().sin_cos();
    // The canvas's y axis points down, so a positive (clockwise) turn maps
    // (u, v) to (u cos - v sin, u sin + v cos); this is its inverse.
    let lx = dx * cos + dy * sin;
    let ly = -dx * sin + dy * cos;
    lx.abs() <= s.w / 2.0 && ly.abs() <= s.h / 2.0
}

/// The sprite a point falls on: the topmost (last drawn) that contains it.
/// Sprites fading out after their removal, and invisible ones, are never
/// hit. `frame` is in drawing order, as [`super::scene::Scene::frame`]
/// gives it.
pub fn hit_test<T>(frame: &[DrawSprite<T>], x: f64, y: f64) -> Option<&DrawSprite<T>> {
    frame
        .iter()
        .rev()
        .filter(|s| !s.leaving && s.alpha > 0.0)
        .find(|s| contains(s, x, y))
}

/// The interaction a click (or Enter on the keyboard cursor) at `(x, y)`
/// (canvas px) means: a `sprite_click` on the topmost sprite there when
/// sprite clicks are on (and only that: no `canvas_click` as well), else a
/// `canvas_click` at the point, clamped into the canvas and rounded to
/// 0.1 px, when canvas clicks are on; else nothing.
pub fn click_at<T>(
    frame: &[DrawSprite<T>],
    x: f64,
    y: f64,
    size: (u32, u32),
    on_canvas_click: bool,
    on_sprite_click: bool,
) -> Option<Value> {
    if !x.is_finite() || !y.is_finite() {
        return None;
    }
    if on_sprite_click {
        if let Some(s) = hit_test(frame, x, y) {
            return Some(json!({"type": "sprite_click", "id": &*s.id}));
        }
    }
    on_canvas_click.then(|| {
        let round = |v: f64, max: u32| (v.clamp(0.0, f64::from(max)) * 10.0).round() / 10.0;
        json!({"type": "canvas_click", "x": round(x, size.0), "y": round(y, size.1)})
    })
}

/// The largest backing side, in device px.
pub const MAX_BACKING_SIDE: f64 = 8192.0;
/// The largest backing area, in device px (a 4,096 x 4,096 canvas on a
/// 3x screen would otherwise need 600 MB).
pub const MAX_BACKING_AREA: f64 = 16_777_216.0;

/// The scale from canvas px to backing-store px: the device pixel ratio
/// (at least 1, at most 4), lowered so that the backing store stays within
/// [`MAX_BACKING_SIDE`] and [`MAX_BACKING_AREA`].
pub fn backing_scale(dpr: f64, size: (u32, u32)) -> f64 {
    let dpr = if dpr.is_finite() {
        dpr.clamp(1.0, 4.0)
    } else {
        1.0
    };
    let (w, h) = (f64::from(size.0.max(1)), f64::from(size.1.max(1)));
    dpr.min(MAX_BACKING_SIDE / w)
        .min(MAX_BACKING_SIDE / h)
        .min((MAX_BACKING_AREA / (w * h)).sqrt())
}

/// The backing store's size in device px for a canvas of `size` at
/// `scale`.
pub fn backing_size(size: (u32, u32), scale: f64) -> (u32, u32) {
    let side = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
    (side(size.0), side(size.1))
}

/// The canvas's accessible name: "Canvas, 3 sprites".
pub fn summary(sprites: usize) -> String {
    match sprites {
        1 => "Canvas, 1 sprite".to_owned(),
        n => format!("Canvas, {n} sprites"),
    }
}

/// Where the keyboard cursor goes for a key, or `None` for a key it does
/// not take. Arrow keys move it a step (a 32nd of the canvas's larger side,
/// at least 1 px; with Shift, 1 px), Home puts it in the centre; it stays
/// inside the canvas.
pub fn cursor_step(key: &str, shift: bool, at: (f64, f64), size: (u32, u32)) -> Option<(f64, f64)> {
    let (w, h) = (f64::from(size.0), f64::from(size.1));
    let step = if shift {
        1.0
    } else {
        (w.max(h) / 32.0).round().max(1.0)
    };
    let (x, y) = match key {
        "ArrowLeft" => (at.0 - step, at.1),
        "ArrowRight" => (at.0 + step, at.1),
        "ArrowUp" => (at.0, at.1 - step),
        "ArrowDown" => (at.0, at.1 + step),
        "Home" => (w / 2.0, h / 2.0),
        _ => return None,
    };
    Some((x.clamp(0.0, w), y.clamp(0.0, h)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    fn sprite(id: &str, x: f64, y: f64, w: f64, h: f64, rotation: f64) -> DrawSprite<()> {
        DrawSprite {
            id: Rc::from(id),
            tex: None,
            x,
            y,
            w,
            h,
            rotation,
            alpha: 1.0,
            glow: 0.0,
            leaving: false,
        }
    }

    #[test]
    fn client_points_map_through_the_rect() {
        // A 400 x 200 canvas shown at 200 x 100 css px at (10, 20).
        let r = (10.0, 20.0, 200.0, 100.0);
        assert_eq!(
            client_to_canvas((10.0, 20.0), r, (400, 200)),
            Some((0.0, 0.0))
        );
        assert_eq!(
            client_to_canvas((110.0, 70.0), r, (400, 200)),
            Some((200.0, 100.0))
        );
        assert_eq!(
            client_to_canvas((210.0, 120.0), r, (400, 200)),
            Some((400.0, 200.0))
        );
        assert_eq!(
            client_to_canvas((1.0, 1.0), (0.0, 0.0, 0.0, 10.0), (4, 4)),
            None
        );
        assert_eq!(client_to_canvas((f64::NAN, 1.0), r, (4, 4)), None);
    }

    #[test]
    fn an_unrotated_box_is_centred_on_x_y() {
        let s = sprite("a", 100.0, 50.0, 40.0, 20.0, 0.0);
        assert!(contains(&s, 100.0, 50.0));
        assert!(contains(&s, 80.0, 40.0), "corner");
        assert!(contains(&s, 119.9, 59.9));
        assert!(!contains(&s, 121.0, 50.0));
        assert!(!contains(&s, 100.0, 61.0));
    }

    #[test]
    fn rotation_turns_the_box_clockwise() {
        // A 100 x 10 bar turned 90° clockwise stands upright.
        let s = sprite("a", 0.0, 0.0, 100.0, 10.0, 90.0);
        assert!(contains(&s, 0.0, 45.0));
        assert!(contains(&s, 0.0, -45.0));
        assert!(!contains(&s, 45.0, 0.0));
        // Turned 45° clockwise: its right end points down-right (y down).
        let s = sprite("a", 0.0, 0.0, 100.0, 10.0, 45.0);
        assert!(contains(&s, 30.0, 30.0));
        assert!(contains(&s, -30.0, -30.0));
        assert!(!contains(&s, 30.0, -30.0), "that is counter-clockwise");
        assert!(!contains(&s, 40.0, 0.0));
        // A full turn is no turn; negative degrees turn the other way.
        let s = sprite("a", 0.0, 0.0, 100.0, 10.0, -45.0);
        assert!(contains(&s, 30.0, -30.0));
        let s = sprite("a", 0.0, 0.0, 100.0, 10.0, 720.0);
        assert!(contains(&s, 45.0, 0.0) && !contains(&s, 0.0, 45.0));
    }

    #[test]
    fn the_topmost_sprite_wins_and_ghosts_are_never_hit() {
        // Drawing order: "low" first, "high" last (on top).
        let mut frame = vec![
            sprite("low", 50.0, 50.0, 40.0, 40.0, 0.0),
            sprite("high", 60.0, 50.0, 40.0, 40.0, 0.0),
        ];
        assert_eq!(hit_test(&frame, 55.0, 50.0).map(|s| &*s.id), Some("high"));
        assert_eq!(hit_test(&frame, 35.0, 50.0).map(|s| &*s.id), Some("low"));
        assert_eq!(hit_test(&frame, 5.0, 5.0).map(|s| &*s.id), None);
        frame[1].leaving = true;
        assert_eq!(hit_test(&frame, 55.0, 50.0).map(|s| &*s.id), Some("low"));
        frame[0].alpha = 0.0;
        assert_eq!(hit_test(&frame, 55.0, 50.0).map(|s| &*s.id), None);
    }

    #[test]
    fn a_scaled_sprite_is_hit_over_its_scaled_box() {
        // Scale is already in w and h (the scene puts it there).
        let small = sprite("s", 0.0, 0.0, 16.0, 16.0, 0.0);
        let big = sprite("b", 0.0, 0.0, 96.0, 96.0, 0.0);
        assert!(!contains(&small, 20.0, 0.0));
        assert!(contains(&big, 40.0, 40.0));
    }

    #[test]
    fn a_click_is_a_sprite_click_or_a_canvas_click() {
        let frame = vec![sprite("mole", 50.0, 50.0, 20.0, 20.0, 0.0)];
        let size = (100, 80);
        assert_eq!(
            click_at(&frame, 52.0, 49.0, size, true, true),
            Some(json!({"type": "sprite_click", "id": "mole"}))
        );
        assert_eq!(
            click_at(&frame, 52.0, 49.0, size, true, false),
            Some(json!({"type": "canvas_click", "x": 52.0, "y": 49.0}))
        );
        assert_eq!(
            click_at(&frame, 10.04, 70.06, size, true, true),
            Some(json!({"type": "canvas_click", "x": 10.0, "y": 70.1}))
        );
        assert_eq!(
            click_at(&frame, -3.0, 90.0, size, true, true),
            Some(json!({"type": "canvas_click", "x": 0.0, "y": 80.0})),
            "clamped into the canvas"
        );
        assert_eq!(click_at(&frame, 10.0, 10.0, size, false, true), None);
        assert_eq!(click_at(&frame, 50.0, 50.0, size, false, false), None);
        assert_eq!(click_at(&frame, f64::NAN, 50.0, size, true, true), None);
    }

    #[test]
    fn backing_store_follows_the_pixel_ratio_within_limits() {
        assert_eq!(backing_scale(2.0, (320, 200)), 2.0);
        assert_eq!(backing_size((320, 200), 2.0), (640, 400));
        assert_eq!(backing_scale(0.5, (320, 200)), 1.0);
        assert_eq!(backing_scale(f64::NAN, (320, 200)), 1.0);
        assert_eq!(backing_scale(9.0, (10, 10)), 4.0);
        let s = backing_scale(3.0, (4096, 4096));
        let (w, h) = backing_size((4096, 4096), s);
        assert!(f64::from(w) * f64::from(h) <= MAX_BACKING_AREA * 1.001);
        assert!(f64::from(w) <= MAX_BACKING_SIDE);
        assert_eq!(backing_size((1, 1), 1.5), (2, 2));
    }

    #[test]
    fn summaries() {
        assert_eq!(summary(0), "Canvas, 0 sprites");
        assert_eq!(summary(1), "Canvas, 1 sprite");
        assert_eq!(summary(3), "Canvas, 3 sprites");
    }

    #[test]
    fn the_keyboard_cursor_moves_inside_the_canvas() {
        let size = (320, 200);
        assert_eq!(
            cursor_step("ArrowRight", false, (100.0, 100.0), size),
            Some((110.0, 100.0))
        );
        assert_eq!(
            cursor_step("ArrowUp", true, (100.0, 100.0), size),
            Some((100.0, 99.0))
        );
        assert_eq!(
            cursor_step("ArrowLeft", false, (3.0, 0.0), size),
            Some((0.0, 0.0))
        );
        assert_eq!(
            cursor_step("Home", false, (3.0, 0.0), size),
            Some((160.0, 100.0))
        );
        assert_eq!(cursor_step("a", false, (3.0, 0.0), size), None);
    }
}
