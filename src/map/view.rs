//! The map's local view: which part of the world is shown, the keyboard
//! cursor and a drag in progress. Plain data with native tests; the
//! component only feeds it events and draws what it says.
//!
//! Coordinates are in tiles. The view's *origin* is the world position of
//! its top-left corner; it is fractional while a drag or a smooth pan is in
//! progress and a whole number at rest.

use tulip_core::model::{Animate, MapWidget};

use crate::anim::Tween;

/// Views wider or taller than this are drawn this size: a bot may ask for
/// the whole 1,024 x 1,024 world as its viewport, but a million tile
/// elements would stop the page. 64 x 64 is 4,096 elements.
pub const MAX_VIEWPORT: u32 = 64;
/// The viewport's side when the payload gives none (or less, for a smaller
/// world).
pub const DEFAULT_VIEWPORT: u32 = 16;
/// A pointer that moves less than this (px) between press and release is a
/// click, not a drag.
pub const DRAG_THRESHOLD_PX: f64 = 4.0;

/// The world's and the view's sizes, in tiles; the view is never larger than
/// the world nor than [`MAX_VIEWPORT`], and both are at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    pub world: (u32, u32),
    pub view: (u32, u32),
}

impl Geometry {
    pub fn new(width: u32, height: u32, viewport: Option<(u32, u32)>) -> Geometry {
        let world = (width.max(1), height.max(1));
        let (vw, vh) = viewport.unwrap_or((DEFAULT_VIEWPORT, DEFAULT_VIEWPORT));
        let view = (
            vw.clamp(1, MAX_VIEWPORT).min(world.0),
            vh.clamp(1, MAX_VIEWPORT).min(world.1),
        );
        Geometry { world, view }
    }

    pub fn of(m: &MapWidget) -> Geometry {
        Geometry::new(m.width, m.height, m.viewport.map(|v| (v.width, v.height)))
    }

    /// The largest origin: the view's right and bottom edges on the world's.
    pub fn max_origin(&self) -> (f64, f64) {
        (
            f64::from(self.world.0 - self.view.0),
            f64::from(self.world.1 - self.view.1),
        )
    }

    /// `o` moved the least so that the view lies inside the world.
    pub fn clamp(&self, o: (f64, f64)) -> (f64, f64) {
        let (mx, my) = self.max_origin();
        let fix = |v: f64, max: f64| if v.is_nan() { 0.0 } else { v.clamp(0.0, max) };
        (fix(o.0, mx), fix(o.1, my))
    }

    /// The origin that puts tile `c` in the middle of the view (the tile
    /// right of and below the middle for an even size), clamped.
    pub fn centered(&self, c: (u32, u32)) -> (f64, f64) {
        self.clamp((
            f64::from(c.0) - f64::from(self.view.0 / 2),
            f64::from(c.1) - f64::from(self.view.1 / 2),
        ))
    }

    /// The middle tile of the world: the centre when the payload gives none.
    pub fn middle(&self) -> (u32, u32) {
        (self.world.0 / 2, self.world.1 / 2)
    }

    /// `c` moved inside the world.
    pub fn clamp_tile(&self, c: (u32, u32)) -> (u32, u32) {
        (c.0.min(self.world.0 - 1), c.1.min(self.world.1 - 1))
    }
}

/// The server's centre of a map: `center`, else the middle of the world.
pub fn server_center(m: &MapWidget, geo: &Geometry) -> (u32, u32) {
    geo.clamp_tile(m.center.map_or(geo.middle(), |c| (c.x, c.y)))
}

/// The tiles to draw for an origin: `cols` x `rows` tiles from world tile
/// (`x0`, `y0`), shifted left and up by (`fx`, `fy`) tiles. At rest that is
/// exactly the viewport; mid-pan one more column or row peeks in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub x0: u32,
    pub y0: u32,
    pub cols: u32,
    pub rows: u32,
    pub fx: f64,
    pub fy: f64,
}

impl Window {
    pub fn contains(&self, x: u32, y: u32) -> bool {
        x >= self.x0 && y >= self.y0 && x < self.x0 + self.cols && y < self.y0 + self.rows
    }
}

/// Fractions smaller than this are treated as whole tiles.
const EPS: f64 = 1e-6;

/// An arrow key's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Left,
    Right,
    Up,
    Down,
}

impl Dir {
    /// The direction of a `KeyboardEvent.key`, if it is an arrow key.
    pub fn from_key(key: &str) -> Option<Dir> {
        match key {
            "ArrowLeft" | "Left" => Some(Dir::Left),
            "ArrowRight" | "Right" => Some(Dir::Right),
            "ArrowUp" | "Up" => Some(Dir::Up),
            "ArrowDown" | "Down" => Some(Dir::Down),
            _ => None,
        }
    }

    pub fn delta(self) -> (i64, i64) {
        match self {
            Dir::Left => (-1, 0),
            Dir::Right => (1, 0),
            Dir::Up => (0, -1),
            Dir::Down => (0, 1),
        }
    }
}

/// A pointer drag: where it started (px) and the origin then.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drag {
    pub pointer: i32,
    pub start: (f64, f64),
    pub origin: (f64, f64),
    /// Whether it has gone past [`DRAG_THRESHOLD_PX`]: then it is a drag and
    /// the click that ends it is not a click.
    pub moved: bool,
}

/// What the player sees of the map, and where their keyboard cursor is.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewState {
    pub geo: Geometry,
    pub scrollable: bool,
    /// The centre the server asked for (`center`, or the world's middle).
    pub server_center: (u32, u32),
    /// The origin, moving (a smooth pan) or still. Its target `to` is
    /// where the view is going; it is a whole number except mid-drag.
    pub origin: Tween,
    /// The tile Enter clicks, in world coordinates; always inside the
    /// view's target.
    pub cursor: (u32, u32),
    pub drag: Option<Drag>,
}

impl ViewState {
    pub fn new(geo: Geometry, server_center: (u32, u32), scrollable: bool) -> ViewState {
        let server_center = geo.clamp_tile(server_center);
        ViewState {
            geo,
            scrollable,
            server_center,
            origin: Tween::still(geo.centered(server_center)),
            cursor: server_center,
            drag: None,
        }
    }

    pub fn of(m: &MapWidget) -> ViewState {
        let geo = Geometry::of(m);
        ViewState::new(geo, server_center(m, &geo), m.scrollable == Some(true))
    }

    /// Where the view is drawn at `now`.
    pub fn origin_at(&self, now: f64) -> (f64, f64) {
        self.origin.at(now)
    }

    /// Where the view is going (where it rests when no pan runs).
    pub fn target(&self) -> (f64, f64) {
        self.origin.to
    }

    /// Whether a smooth pan is still running at `now`.
    pub fn running(&self, now: f64) -> bool {
        self.origin.running(now)
    }

    /// Whether the view shows the server's centre (the recentre button has
    /// nothing to do).
    pub fn is_centered(&self) -> bool {
        self.target() == self.geo.centered(self.server_center)
    }

    /// The middle tile of the view's target, as the map's label names it.
    pub fn around(&self) -> (u32, u32) {
        let (ox, oy) = self.target();
        self.geo.clamp_tile((
            ox.round() as u32 + self.geo.view.0 / 2,
            oy.round() as u32 + self.geo.view.1 / 2,
        ))
    }

    /// The tiles to draw at `now`.
    pub fn window(&self, now: f64) -> Window {
        let (ox, oy) = self.geo.clamp(self.origin_at(now));
        let split = |o: f64, view: u32, world: u32| {
            let mut whole = o.floor();
            let mut frac = o - whole;
            if frac > 1.0 - EPS {
                whole += 1.0;
                frac = 0.0;
            } else if frac < EPS {
                frac = 0.0;
            }
            let start = (whole as u32).min(world - view);
            let extra = u32::from(frac > 0.0 && start + view < world);
            (start, view + extra, if extra == 1 { frac } else { 0.0 })
        };
        let (x0, cols, fx) = split(ox, self.geo.view.0, self.geo.world.0);
        let (y0, rows, fy) = split(oy, self.geo.view.1, self.geo.world.1);
        Window {
            x0,
            y0,
            cols,
            rows,
            fx,
            fy,
        }
    }

    /// The server sent a new state of the map. A new centre moves the view
    /// there (smoothly with `animate`, see [`Tween::retarget`]) and the
    /// cursor with it, ending any drag; a new size re-clamps. Returns
    /// whether anything changed.
    pub fn sync(
        &mut self,
        m: &MapWidget,
        animate: Option<&Animate>,
        reduced: bool,
        now: f64,
    ) -> bool {
        let before = self.clone();
        let geo = Geometry::of(m);
        let center = server_center(m, &geo);
        self.scrollable = m.scrollable == Some(true);
        if geo != self.geo {
            self.geo = geo;
            self.origin = Tween::still(geo.clamp(self.target()));
            self.cursor = geo.clamp_tile(self.cursor);
        }
        if center != self.server_center || (!self.scrollable && !self.is_centered()) {
            self.server_center = center;
            self.drag = None;
            let to = geo.centered(center);
            self.origin = self.origin.retarget(now, to, animate, reduced);
            self.cursor = center;
        }
        self.keep_cursor_in_view();
        *self != before
    }

    /// Moves the view by whole tiles (when scrollable), at once. Returns
    /// whether it moved.
    pub fn pan(&mut self, dx: i64, dy: i64) -> bool {
        if !self.scrollable {
            return false;
        }
        let (ox, oy) = self.target();
        let to = self.geo.clamp((ox + dx as f64, oy + dy as f64));
        let to = (to.0.round(), to.1.round());
        if to == self.target() {
            return false;
        }
        self.origin = Tween::still(to);
        self.keep_cursor_in_view();
        true
    }

    /// An arrow key: the cursor moves one tile (within the world); the view
    /// follows when the cursor would leave it and the map is scrollable, and
    /// the cursor stops at the view's edge otherwise. Returns whether
    /// anything moved.
    pub fn key(&mut self, dir: Dir) -> bool {
        let (dx, dy) = dir.delta();
        let step =
            |c: u32, d: i64, size: u32| (i64::from(c) + d).clamp(0, i64::from(size) - 1) as u32;
        let next = (
            step(self.cursor.0, dx, self.geo.world.0),
            step(self.cursor.1, dy, self.geo.world.1),
        );
        let before = (self.cursor, self.target());
        let (x0, y0) = self.rest_origin();
        let (vw, vh) = self.geo.view;
        let inside = next.0 >= x0 && next.0 < x0 + vw && next.1 >= y0 && next.1 < y0 + vh;
        if inside {
            self.cursor = next;
        } else if self.scrollable {
            let px = if next.0 < x0 {
                -1
            } else {
                i64::from(next.0 >= x0 + vw)
            };
            let py = if next.1 < y0 {
                -1
            } else {
                i64::from(next.1 >= y0 + vh)
            };
            self.pan(px, py);
            self.cursor = next;
            self.keep_cursor_in_view();
        }
        (self.cursor, self.target()) != before
    }

    /// Puts the view back on the server's centre (the recentre button),
    /// smoothly unless `reduced`. Returns whether it moved.
    pub fn recenter(&mut self, now: f64, reduced: bool) -> bool {
        if self.is_centered() {
            return false;
        }
        let to = self.geo.centered(self.server_center);
        self.origin = self
            .origin
            .retarget(now, to, Some(&Animate::default()), reduced);
        self.drag = None;
        self.cursor = self.server_center;
        true
    }

    /// A pointer went down at (`x`, `y`) px. Ignored when not scrollable.
    pub fn drag_start(&mut self, pointer: i32, x: f64, y: f64, now: f64) {
        if !self.scrollable {
            return;
        }
        // Catch a running pan where it is drawn.
        let at = self.origin_at(now);
        self.origin = Tween::still(at);
        self.drag = Some(Drag {
            pointer,
            start: (x, y),
            origin: at,
            moved: false,
        });
    }

    /// The pointer moved to (`x`, `y`) px; a tile is `tile_w` x `tile_h` px
    /// on screen. The world follows the pointer (the view moves the other
    /// way), by fractions of a tile. Returns whether the view moved.
    pub fn drag_move(&mut self, pointer: i32, x: f64, y: f64, tile_w: f64, tile_h: f64) -> bool {
        let Some(d) = self.drag.as_mut() else {
            return false;
        };
        if d.pointer != pointer || !(tile_w > 0.0 && tile_h > 0.0) {
            return false;
        }
        let (dx, dy) = (x - d.start.0, y - d.start.1);
        if !d.moved && dx.hypot(dy) < DRAG_THRESHOLD_PX {
            return false;
        }
        d.moved = true;
        let to = self
            .geo
            .clamp((d.origin.0 - dx / tile_w, d.origin.1 - dy / tile_h));
        if to == self.origin.to {
            return false;
        }
        self.origin = Tween::still(to);
        true
    }

    /// The pointer went up (or was cancelled): the view snaps to whole
    /// tiles. Returns whether it was a drag (then the click that follows
    /// must not count).
    pub fn drag_end(&mut self, pointer: i32) -> bool {
        let Some(d) = self.drag else {
            return false;
        };
        if d.pointer != pointer {
            return false;
        }
        self.drag = None;
        let (ox, oy) = self.target();
        self.origin = Tween::still(self.geo.clamp((ox.round(), oy.round())));
        self.keep_cursor_in_view();
        d.moved
    }

    /// Whether a drag has moved the view (a click now would be its end).
    pub fn dragging(&self) -> bool {
        self.drag.is_some_and(|d| d.moved)
    }

    /// The target origin in whole tiles.
    fn rest_origin(&self) -> (u32, u32) {
        let (ox, oy) = self.target();
        (ox.round().max(0.0) as u32, oy.round().max(0.0) as u32)
    }

    fn keep_cursor_in_view(&mut self) {
        let (x0, y0) = self.rest_origin();
        let (vw, vh) = self.geo.view;
        self.cursor = (
            self.cursor.0.clamp(x0, x0 + vw - 1),
            self.cursor.1.clamp(y0, y0 + vh - 1),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tulip_core::model::Easing;

    fn view(world: (u32, u32), vp: (u32, u32), center: (u32, u32)) -> ViewState {
        ViewState::new(Geometry::new(world.0, world.1, Some(vp)), center, true)
    }

    fn map(json: serde_json::Value) -> MapWidget {
        let w = tulip_core::parse_widget_value(
            serde_json::json!({"widget_type": "map", "extra_data": json}),
            &tulip_core::Policy::default(),
        )
        .unwrap();
        match w.body {
            tulip_core::Body::Map(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn geometry_clamps_the_view_to_the_world_and_a_maximum() {
        let g = Geometry::new(1024, 1024, Some((1024, 1024)));
        assert_eq!(g.view, (MAX_VIEWPORT, MAX_VIEWPORT));
        let g = Geometry::new(4, 3, None);
        assert_eq!(g.view, (4, 3));
        let g = Geometry::new(100, 100, None);
        assert_eq!(g.view, (DEFAULT_VIEWPORT, DEFAULT_VIEWPORT));
        assert_eq!(g.middle(), (50, 50));
        let g = Geometry::new(0, 0, Some((0, 0)));
        assert_eq!((g.world, g.view), ((1, 1), (1, 1)));
    }

    #[test]
    fn centring_is_clamped_at_the_edges() {
        let g = Geometry::new(32, 32, Some((10, 8)));
        assert_eq!(g.centered((5, 4)), (0.0, 0.0));
        assert_eq!(g.centered((16, 16)), (11.0, 12.0));
        assert_eq!(g.centered((31, 31)), (22.0, 24.0));
        assert_eq!(g.centered((0, 0)), (0.0, 0.0));
        assert_eq!(g.clamp((-3.5, 99.0)), (0.0, 24.0));
        assert_eq!(g.clamp((f64::NAN, 1.0)), (0.0, 1.0));
    }

    #[test]
    fn the_window_is_the_viewport_at_rest_and_one_more_mid_pan() {
        let mut v = view((32, 32), (10, 8), (16, 16));
        let w = v.window(0.0);
        assert_eq!((w.x0, w.y0, w.cols, w.rows), (11, 12, 10, 8));
        assert_eq!((w.fx, w.fy), (0.0, 0.0));
        assert!(w.contains(11, 12) && w.contains(20, 19) && !w.contains(21, 19));
        v.origin = Tween::still((11.25, 12.0));
        let w = v.window(0.0);
        assert_eq!((w.x0, w.cols, w.fx), (11, 11, 0.25));
        assert_eq!((w.y0, w.rows, w.fy), (12, 8, 0.0));
        // At the right edge no column is beyond the world.
        v.origin = Tween::still((22.0, 24.0));
        let w = v.window(0.0);
        assert_eq!((w.x0 + w.cols, w.y0 + w.rows), (32, 32));
    }

    #[test]
    fn keys_move_the_cursor_then_pan_at_the_edge() {
        let mut v = view((32, 32), (10, 8), (5, 4));
        assert_eq!((v.cursor, v.target()), ((5, 4), (0.0, 0.0)));
        for _ in 0..4 {
            assert!(v.key(Dir::Right));
        }
        assert_eq!((v.cursor, v.target()), ((9, 4), (0.0, 0.0)));
        assert!(v.key(Dir::Right), "the cursor leaves the view: it pans");
        assert_eq!((v.cursor, v.target()), ((10, 4), (1.0, 0.0)));
        // Left and up at the world's edge: nothing moves.
        let mut v = view((32, 32), (10, 8), (0, 0));
        assert!(!v.key(Dir::Left));
        assert!(!v.key(Dir::Up));
        assert!(v.key(Dir::Down));
        assert_eq!(v.cursor, (0, 1));
    }

    #[test]
    fn a_map_that_is_not_scrollable_keeps_the_cursor_in_view() {
        let mut v = ViewState::new(Geometry::new(32, 32, Some((10, 8))), (5, 4), false);
        for _ in 0..10 {
            v.key(Dir::Right);
        }
        assert_eq!((v.cursor, v.target()), ((9, 4), (0.0, 0.0)));
        assert!(!v.pan(3, 0));
        v.drag_start(1, 0.0, 0.0, 0.0);
        assert!(!v.drag_move(1, -100.0, 0.0, 10.0, 10.0));
        assert!(!v.drag_end(1));
        assert_eq!(v.target(), (0.0, 0.0));
    }

    #[test]
    fn pans_are_clamped_to_the_world() {
        let mut v = view((32, 32), (10, 8), (5, 4));
        assert!(v.pan(5, 3));
        assert_eq!(v.target(), (5.0, 3.0));
        assert!(v.pan(100, 100));
        assert_eq!(v.target(), (22.0, 24.0));
        assert!(!v.pan(1, 1), "already at the corner");
        assert!(
            v.cursor.0 >= 22 && v.cursor.1 >= 24,
            "the cursor stays in view"
        );
        assert!(v.pan(-100, -100));
        assert_eq!(v.target(), (0.0, 0.0));
    }

    #[test]
    fn a_drag_moves_the_world_with_the_pointer_in_tiles() {
        let mut v = view((32, 32), (10, 8), (16, 16));
        assert_eq!(v.target(), (11.0, 12.0));
        v.drag_start(7, 100.0, 100.0, 0.0);
        // Under the threshold: not a drag yet.
        assert!(!v.drag_move(7, 102.0, 101.0, 30.0, 30.0));
        assert!(!v.dragging());
        // Another pointer is ignored.
        assert!(!v.drag_move(8, 0.0, 0.0, 30.0, 30.0));
        // Dragging left by 2.5 tiles shows what is to the right.
        assert!(v.drag_move(7, 25.0, 100.0, 30.0, 30.0));
        assert_eq!(v.target(), (13.5, 12.0));
        assert!(v.dragging());
        // Down by 3 tiles shows what is above.
        assert!(v.drag_move(7, 25.0, 190.0, 30.0, 30.0));
        assert_eq!(v.target(), (13.5, 9.0));
        assert!(v.drag_end(7), "it was a drag");
        assert_eq!(v.target(), (14.0, 9.0), "snapped to whole tiles");
        assert!(v.drag.is_none());
        // A press without moving is a click.
        v.drag_start(7, 5.0, 5.0, 0.0);
        assert!(!v.drag_end(7));
    }

    #[test]
    fn a_drag_stops_at_the_world_edge() {
        let mut v = view((32, 32), (10, 8), (5, 4));
        v.drag_start(1, 0.0, 0.0, 0.0);
        v.drag_move(1, 300.0, 300.0, 30.0, 30.0);
        assert_eq!(v.target(), (0.0, 0.0));
        v.drag_move(1, -3000.0, -3000.0, 30.0, 30.0);
        assert_eq!(v.target(), (22.0, 24.0));
        v.drag_end(1);
        assert!(v.cursor.0 >= 22 && v.cursor.1 >= 24);
    }

    #[test]
    fn recentre_returns_to_the_servers_centre() {
        let mut v = view((32, 32), (10, 8), (16, 16));
        assert!(v.is_centered());
        assert!(!v.recenter(0.0, true));
        v.pan(-4, 2);
        assert!(!v.is_centered());
        assert!(v.recenter(1000.0, false));
        assert_eq!(v.target(), (11.0, 12.0));
        assert!(v.running(1010.0), "smooth");
        assert_eq!(v.origin_at(5000.0), (11.0, 12.0));
        assert_eq!(v.cursor, (16, 16));
        v.pan(3, 0);
        assert!(v.recenter(0.0, true));
        assert!(!v.running(0.0), "reduced motion: instant");
    }

    #[test]
    fn a_new_server_centre_moves_the_view_smoothly_or_at_once() {
        let mut m = map(serde_json::json!({"width": 32, "height": 32,
            "viewport": {"width": 10, "height": 8}, "center": {"x": 5, "y": 4}, "scrollable": true}));
        let mut v = ViewState::of(&m);
        v.pan(2, 2);
        m.center = Some(tulip_core::model::Point { x: 20, y: 20 });
        let anim = Animate {
            duration: Some(100),
            easing: Some(Easing::Linear),
            effect: None,
        };
        assert!(v.sync(&m, Some(&anim), false, 0.0));
        assert_eq!(v.target(), (15.0, 16.0));
        assert_eq!(v.origin_at(0.0), (2.0, 2.0), "starts where it was");
        assert_eq!(v.origin_at(50.0), (8.5, 9.0));
        assert_eq!(v.cursor, (20, 20));
        assert!(
            !v.sync(&m, Some(&anim), false, 10.0),
            "same centre: nothing"
        );
        // A local pan stays until the server moves the centre again.
        v.pan(-1, 0);
        assert!(!v.sync(&m, None, false, 20.0));
        assert_eq!(v.target(), (14.0, 16.0));
        m.center = Some(tulip_core::model::Point { x: 5, y: 4 });
        v.sync(&m, Some(&anim), true, 30.0);
        assert_eq!(v.origin_at(30.0), (0.0, 0.0), "reduced motion: instant");
    }

    #[test]
    fn defaults_centre_on_the_middle_and_do_not_scroll() {
        let m = map(serde_json::json!({"width": 40, "height": 20}));
        let v = ViewState::of(&m);
        assert!(!v.scrollable);
        assert_eq!(v.server_center, (20, 10));
        assert_eq!(v.geo.view, (16, 16));
        assert_eq!(v.target(), (12.0, 2.0));
        assert_eq!(v.around(), (20, 10));
    }

    #[test]
    fn a_smaller_world_reclamps_the_view() {
        let mut m = map(serde_json::json!({"width": 32, "height": 32,
            "viewport": {"width": 10, "height": 8}, "center": {"x": 30, "y": 30}, "scrollable": true}));
        let mut v = ViewState::of(&m);
        assert_eq!(v.target(), (22.0, 24.0));
        m.width = 12;
        m.height = 12;
        m.center = None;
        assert!(v.sync(&m, None, false, 0.0));
        assert!(v.target().0 <= 2.0 && v.target().1 <= 4.0);
        assert!(v.cursor.0 < 12 && v.cursor.1 < 12);
    }

    #[test]
    fn arrow_key_names() {
        assert_eq!(Dir::from_key("ArrowLeft"), Some(Dir::Left));
        assert_eq!(Dir::from_key("Down"), Some(Dir::Down));
        assert_eq!(Dir::from_key("a"), None);
    }
}
