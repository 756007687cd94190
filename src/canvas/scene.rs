//! What the canvas draws, frame by frame: the sprites of the model plus
//! their animation state (moves in flight, fades and scales in and out,
//! emphasis), kept in a plain struct so that native tests can drive it.
//!
//! - [`Scene::sync`] takes the widget's new state and the update that led to
//!   it (for its `animate` and `emphasize` hints) at time `now`.
//! - [`Scene::frame`] says where every sprite is drawn at time `now`, in
//!   drawing order (z, then id; higher on top).
//!
//! The scene is generic over the texture type `T` the painter draws (an
//! offscreen glyph canvas or an image element in the browser, anything in
//! tests): textures are resolved once per sprite and cached in it, so a
//! frame of 1,000 sprites neither allocates nor looks anything up by name.

use std::collections::HashMap;
use std::rc::Rc;

use tulip_core::model::{Animate, Canvas, Effect, Sprite};
use tulip_core::update::{Emphasis, MoveSprite};
use tulip_core::Update;

use crate::anim::{self, Tween};

/// The font size of an emoji sprite at scale 1, in canvas px.
pub const EMOJI_PX: f64 = 32.0;
/// The box of an image sprite whose image has not loaded (or failed), at
/// scale 1, in canvas px.
pub const PLACEHOLDER_PX: f64 = 32.0;

/// What a sprite shows: a piece of text (usually one emoji) or an image URL
/// (`image` or `base64`, both already validated by the core).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    Emoji(Rc<str>),
    Image(Rc<str>),
}

impl Source {
    /// The source of a sprite: its `emoji`, `image` or `base64` (the core
    /// guarantees exactly one; an empty emoji otherwise).
    pub fn of(s: &Sprite) -> Source {
        if let Some(e) = &s.emoji {
            Source::Emoji(Rc::from(e.as_str()))
        } else if let Some(u) = s.image.as_ref().or(s.base64.as_ref()) {
            Source::Image(Rc::from(u.as_str()))
        } else {
            Source::Emoji(Rc::from(""))
        }
    }

    /// Whether this is still the source of `s` (no allocation).
    fn is_of(&self, s: &Sprite) -> bool {
        match self {
            Source::Emoji(e) => s.emoji.as_deref() == Some(&**e),
            Source::Image(u) => {
                s.emoji.is_none()
                    && s.image.as_ref().or(s.base64.as_ref()).map(|u| u.as_str()) == Some(&**u)
            }
        }
    }
}

/// One sprite as drawn in one frame.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawSprite<T> {
    pub id: Rc<str>,
    /// The texture to draw; `None` while an image loads (or after it failed).
    pub tex: Option<T>,
    /// The centre, in canvas px (emphasis offsets included).
    pub x: f64,
    pub y: f64,
    /// The drawn box, in canvas px (scale, appear/disappear and pulse
    /// included); also the box a click must fall into.
    pub w: f64,
    pub h: f64,
    /// Degrees, clockwise, about the centre.
    pub rotation: f64,
    /// Opacity, 0..=1.
    pub alpha: f64,
    /// Strength of a glow emphasis behind the sprite, 0..=1.
    pub glow: f64,
    /// A removed sprite fading out: drawn, but never hit.
    pub leaving: bool,
}

/// An appear or disappear effect in progress.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Fx {
    effect: Effect,
    start: f64,
    duration: f64,
    appear: bool,
}

impl Fx {
    /// The effect an `animate` hint asks for, or `None` for instant (no
    /// hint, no effect, `instant`, a zero duration or reduced motion).
    fn from_hint(hint: Option<&Animate>, appear: bool, now: f64, reduced: bool) -> Option<Fx> {
        let a = hint?;
        let effect = a.effect?;
        let duration = f64::from(a.duration.unwrap_or(anim::DEFAULT_APPEAR_MS));
        (!reduced && effect != Effect::Instant && duration > 0.0).then_some(Fx {
            effect,
            start: now,
            duration,
            appear,
        })
    }

    /// 0 at the start, 1 at the end.
    fn progress(&self, now: f64) -> f64 {
        ((now - self.start) / self.duration).clamp(0.0, 1.0)
    }

    /// How much of the sprite shows (1 = all of it): rises when appearing,
    /// falls when disappearing.
    fn shown(&self, now: f64) -> f64 {
        let p = anim::ease(None, self.progress(now));
        if self.appear {
            p
        } else {
            1.0 - p
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Emph {
    effect: Emphasis,
    start: f64,
    duration: f64,
}

#[derive(Debug, Clone)]
struct Item<T> {
    id: Rc<str>,
    source: Source,
    scale: f64,
    rotation: f64,
    z: i32,
    tween: Tween,
    fx: Option<Fx>,
    emphasis: Option<Emph>,
    leaving: bool,
    /// The texture and its drawn size at `scale`, once resolved.
    tex: Option<(T, f64, f64)>,
}

impl<T> Item<T> {
    fn new(s: &Sprite) -> Item<T> {
        Item {
            id: Rc::from(s.id.as_str()),
            source: Source::of(s),
            scale: sprite_scale(s),
            rotation: s.rotation.unwrap_or(0.0),
            z: s.z.unwrap_or(0),
            tween: Tween::still((s.x, s.y)),
            fx: None,
            emphasis: None,
            leaving: false,
            tex: None,
        }
    }

    /// Whether the item is done: a ghost whose disappear effect ended.
    fn gone(&self, now: f64) -> bool {
        self.leaving && self.fx.is_none_or(|f| f.progress(now) >= 1.0)
    }
}

/// The scale of a sprite (1 when unset; never negative or NaN).
fn sprite_scale(s: &Sprite) -> f64 {
    match s.scale {
        Some(v) if v.is_finite() && v >= 0.0 => v,
        Some(_) => 0.0,
        None => 1.0,
    }
}

/// How one [`Scene::sync`] treats animation.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SyncOptions {
    /// `prefers-reduced-motion: reduce`: every animation is instant.
    pub reduced: bool,
    /// Shown live: the sprites of a fresh widget may play their own appear
    /// effect. From history, a fresh widget is drawn as it is.
    pub live: bool,
}

/// The canvas's sprites and their animation state.
#[derive(Debug, Clone)]
pub struct Scene<T> {
    /// Sprites of the model in id order, then ghosts (removed sprites
    /// still fading out).
    items: Vec<Item<T>>,
    /// Indices into `items` in drawing order; rebuilt only when `dirty`.
    order: Vec<usize>,
    dirty: bool,
    /// The last frame, reused from frame to frame.
    out: Vec<DrawSprite<T>>,
    synced: bool,
}

impl<T> Default for Scene<T> {
    fn default() -> Self {
        Scene {
            items: Vec::new(),
            order: Vec::new(),
            dirty: true,
            out: Vec::new(),
            synced: false,
        }
    }
}

impl<T: Clone> Scene<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Brings the scene to the canvas's state at `now`. `update` is the
    /// update that led to it: its `move_sprite` hints animate moves (from
    /// where each sprite is drawn now), `add_sprites` hints make sprites
    /// appear, `remove_sprites` hints make removed ones fade or shrink
    /// away, and `emphasize` entries naming a sprite id play on that
    /// sprite. Call it once per new state (the same update twice would
    /// play its emphasis twice).
    pub fn sync(&mut self, canvas: &Canvas, update: Option<&Update>, now: f64, opt: SyncOptions) {
        let ops = match update {
            Some(Update::Canvas(o)) => Some(o),
            _ => None,
        };
        let moves: HashMap<&str, &MoveSprite> = ops
            .and_then(|o| o.move_sprite.as_ref())
            .map(|m| m.0.iter().map(|m| (m.id.as_str(), m)).collect())
            .unwrap_or_default();
        let adds: HashMap<&str, &Animate> = ops
            .and_then(|o| o.add_sprites.as_ref())
            .map(|v| {
                v.iter()
                    .filter_map(|s| s.animate.as_ref().map(|a| (s.id.as_str(), a)))
                    .collect()
            })
            .unwrap_or_default();
        let remove_hint = ops
            .and_then(|o| o.remove_sprites.as_ref())
            .and_then(|r| r.animate.as_ref());
        let emphasis = |id: &str| {
            if opt.reduced {
                return None;
            }
            anim::emphasis_for(update, id).map(|(effect, ms)| Emph {
                effect,
                start: now,
                duration: f64::from(ms),
            })
        };
        let first = !self.synced;
        self.synced = true;

        let old_len = self.items.len();
        let mut old: HashMap<Rc<str>, Item<T>> = HashMap::with_capacity(old_len);
        let mut ghosts = Vec::new();
        for it in self.items.drain(..) {
            if it.leaving {
                ghosts.push(it);
            } else {
                old.insert(it.id.clone(), it);
            }
        }
        let old_live = old.len();
        let mut dirty = false;
        let mut next = Vec::with_capacity(canvas.sprites.len() + ghosts.len());
        for s in canvas.sprites.values() {
            let item = match old.remove(s.id.as_str()) {
                Some(mut it) => {
                    if !it.source.is_of(s) {
                        it.source = Source::of(s);
                        it.tex = None;
                    }
                    let scale = sprite_scale(s);
                    if scale != it.scale {
                        it.scale = scale;
                        it.tex = None;
                    }
                    it.rotation = s.rotation.unwrap_or(0.0);
                    let z = s.z.unwrap_or(0);
                    if z != it.z {
                        it.z = z;
                        dirty = true;
                    }
                    if (s.x, s.y) != it.tween.to {
                        let hint = moves.get(s.id.as_str()).and_then(|m| m.animate.as_ref());
                        it.tween = it.tween.retarget(now, (s.x, s.y), hint, opt.reduced);
                    }
                    it
                }
                None => {
                    dirty = true;
                    let mut it = Item::new(s);
                    if !first || opt.live {
                        let hint = adds.get(s.id.as_str()).copied().or(s.animate.as_ref());
                        it.fx = Fx::from_hint(hint, true, now, opt.reduced);
                    }
                    it
                }
            };
            let mut item = item;
            if let Some(e) = emphasis(s.id.as_str()) {
                item.emphasis = Some(e);
            }
            next.push(item);
        }
        // What is left was removed: dropped, or kept fading out.
        if !old.is_empty() {
            dirty = true;
            let mut removed: Vec<Item<T>> = old.into_values().collect();
            removed.sort_by(|a, b| a.id.cmp(&b.id));
            for mut it in removed {
                if let Some(fx) = Fx::from_hint(remove_hint, false, now, opt.reduced) {
                    it.leaving = true;
                    it.fx = Some(fx);
                    it.emphasis = None;
                    ghosts.push(it);
                }
            }
        }
        if next.len() != old_live {
            dirty = true;
        }
        next.extend(ghosts);
        if next.len() != old_len {
            dirty = true;
        }
        self.items = next;
        self.dirty |= dirty;
    }

    /// Where every sprite is drawn at `now`, in drawing order (lowest z
    /// first; ties by id; a ghost under a live sprite of the same id).
    /// `resolve` gives a sprite's texture and drawn size at its scale; it is
    /// asked only until it answers, and its answer is kept. Ghosts whose
    /// effect ended are dropped.
    pub fn frame(
        &mut self,
        now: f64,
        mut resolve: impl FnMut(&Source, f64) -> Option<(T, f64, f64)>,
    ) -> &[DrawSprite<T>] {
        if self.items.iter().any(|it| it.gone(now)) {
            self.items.retain(|it| !it.gone(now));
            self.dirty = true;
        }
        if self.dirty {
            self.order.clear();
            self.order.extend(0..self.items.len());
            let items = &self.items;
            self.order.sort_by(|&a, &b| {
                let (a, b) = (&items[a], &items[b]);
                (a.z, &a.id, !a.leaving).cmp(&(b.z, &b.id, !b.leaving))
            });
            self.dirty = false;
        }
        self.out.clear();
        for &i in &self.order {
            let Some(it) = self.items.get_mut(i) else {
                continue;
            };
            if it.tex.is_none() {
                it.tex = resolve(&it.source, it.scale);
            }
            let (tex, mut w, mut h) = match &it.tex {
                Some((t, w, h)) => (Some(t.clone()), *w, *h),
                None => (None, PLACEHOLDER_PX * it.scale, PLACEHOLDER_PX * it.scale),
            };
            let (mut x, y) = it.tween.at(now);
            let mut alpha = 1.0;
            let mut glow = 0.0;
            if let Some(fx) = it.fx {
                let shown = fx.shown(now);
                match fx.effect {
                    Effect::Fade => alpha = shown,
                    Effect::Scale => {
                        w *= shown;
                        h *= shown;
                    }
                    Effect::Instant => {}
                }
                if fx.appear && fx.progress(now) >= 1.0 {
                    it.fx = None;
                }
            }
            if let Some(e) = it.emphasis {
                let t = (now - e.start) / e.duration;
                if !(0.0..1.0).contains(&t) {
                    it.emphasis = (t < 0.0).then_some(e);
                } else {
                    let wave = (t * std::f64::consts::PI).sin();
                    match e.effect {
                        Emphasis::Shake => {
                            x += 6.0 * (t * std::f64::consts::PI * 6.0).sin() * (1.0 - t)
                        }
                        Emphasis::Pulse => {
                            w *= 1.0 + 0.15 * wave;
                            h *= 1.0 + 0.15 * wave;
                        }
                        Emphasis::Glow => glow = wave,
                    }
                }
            }
            self.out.push(DrawSprite {
                id: it.id.clone(),
                tex,
                x,
                y,
                w,
                h,
                rotation: it.rotation,
                alpha,
                glow,
                leaving: it.leaving,
            });
        }
        &self.out
    }

    /// The last frame [`Scene::frame`] gave (what is on screen).
    pub fn last_frame(&self) -> &[DrawSprite<T>] {
        &self.out
    }

    /// Whether anything still moves, fades, scales or is emphasized at
    /// `now` (the animation loop stops when nothing does).
    pub fn animating(&self, now: f64) -> bool {
        self.items.iter().any(|it| {
            it.tween.running(now)
                || it.fx.is_some_and(|f| f.progress(now) < 1.0 || it.leaving)
                || it.emphasis.is_some_and(|e| now < e.start + e.duration)
        })
    }

    /// Forgets every resolved texture (they are asked for again next frame),
    /// e.g. after the device pixel ratio changed.
    pub fn forget_textures(&mut self) {
        for it in &mut self.items {
            it.tex = None;
        }
    }

    /// Sprites in the scene, ghosts included.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Where sprite `id` (not a ghost) is heading: its position in the model.
    pub fn target_of(&self, id: &str) -> Option<(f64, f64)> {
        self.items
            .iter()
            .find(|it| !it.leaving && &*it.id == id)
            .map(|it| it.tween.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use tulip_core::{apply_update, parse_update, parse_widget_value, Body, Policy, Widget};

    fn widget(sprites: Value) -> Widget {
        parse_widget_value(
            json!({"widget_type": "canvas", "extra_data": {"width": 200, "height": 100, "sprites": sprites}}),
            &Policy::default(),
        )
        .unwrap()
    }

    fn canvas(w: &Widget) -> &Canvas {
        match &w.body {
            Body::Canvas(c) => c,
            _ => panic!("not a canvas"),
        }
    }

    /// Applies `ops` to `w`, as the host does; returns the new widget and
    /// the typed update.
    fn step(w: &Widget, ops: Value) -> (Widget, Update) {
        let u = parse_update(&w.body, ops).unwrap();
        let n = apply_update(w, &u, &Policy::default()).unwrap();
        (n, u)
    }

    /// Every texture resolves at once to a 10 x 10 box times the scale.
    fn boxes(_: &Source, scale: f64) -> Option<((), f64, f64)> {
        Some(((), 10.0 * scale, 10.0 * scale))
    }

    fn ids(f: &[DrawSprite<()>]) -> Vec<&str> {
        f.iter().map(|d| &*d.id).collect()
    }

    fn at<'a>(f: &'a [DrawSprite<()>], id: &str) -> &'a DrawSprite<()> {
        f.iter().find(|d| &*d.id == id && !d.leaving).unwrap()
    }

    const LIVE: SyncOptions = SyncOptions {
        reduced: false,
        live: true,
    };

    #[test]
    fn draws_by_z_then_id() {
        let w = widget(json!([
            {"id": "c", "emoji": "🐸", "x": 0, "y": 0, "z": 1},
            {"id": "a", "emoji": "🐸", "x": 0, "y": 0, "z": 1},
            {"id": "b", "emoji": "🐸", "x": 0, "y": 0, "z": -5},
            {"id": "d", "emoji": "🐸", "x": 0, "y": 0}
        ]));
        let mut s = Scene::new();
        s.sync(canvas(&w), None, 0.0, LIVE);
        assert_eq!(ids(s.frame(0.0, boxes)), ["b", "d", "a", "c"]);
        // A z change re-sorts.
        let (w2, u) = step(&w, json!({"update_sprite": {"id": "b", "z": 9}}));
        s.sync(canvas(&w2), Some(&u), 1.0, LIVE);
        assert_eq!(ids(s.frame(1.0, boxes)), ["d", "a", "c", "b"]);
    }

    #[test]
    fn sizes_follow_scale_and_resolve_once() {
        let w = widget(json!([
            {"id": "a", "emoji": "🐸", "x": 5, "y": 6, "scale": 2, "rotation": 30},
            {"id": "b", "image": "/i.png", "x": 0, "y": 0, "scale": 0.5}
        ]));
        let mut s = Scene::new();
        s.sync(canvas(&w), None, 0.0, SyncOptions::default());
        let mut asked = Vec::new();
        let f = s.frame(0.0, |src, scale| {
            asked.push((src.clone(), scale));
            match src {
                Source::Emoji(_) => Some(((), 10.0 * scale, 12.0 * scale)),
                Source::Image(_) => None, // still loading
            }
        });
        let a = at(f, "a");
        assert_eq!(
            (a.x, a.y, a.w, a.h, a.rotation),
            (5.0, 6.0, 20.0, 24.0, 30.0)
        );
        assert!(a.tex.is_some());
        let b = at(f, "b");
        assert_eq!((b.w, b.h), (PLACEHOLDER_PX * 0.5, PLACEHOLDER_PX * 0.5));
        assert!(b.tex.is_none());
        assert_eq!(asked.len(), 2);
        // Next frame: only the unresolved image is asked for again.
        asked.clear();
        s.frame(1.0, |src, scale| {
            asked.push((src.clone(), scale));
            Some(((), 40.0, 30.0))
        });
        assert_eq!(asked, vec![(Source::Image(Rc::from("/i.png")), 0.5)]);
        assert_eq!(
            (at(s.last_frame(), "b").w, at(s.last_frame(), "b").h),
            (40.0, 30.0)
        );
        // A new scale or source asks again.
        let (w2, u) = step(&w, json!({"update_sprite": {"id": "a", "scale": 3}}));
        s.sync(canvas(&w2), Some(&u), 2.0, LIVE);
        asked.clear();
        s.frame(2.0, |src, scale| {
            asked.push((src.clone(), scale));
            Some(((), 1.0, 1.0))
        });
        assert_eq!(asked, vec![(Source::Emoji(Rc::from("🐸")), 3.0)]);
    }

    #[test]
    fn a_move_without_animate_is_instant() {
        let w = widget(json!([{"id": "a", "emoji": "🐸", "x": 0, "y": 0}]));
        let mut s = Scene::new();
        s.sync(canvas(&w), None, 0.0, LIVE);
        let (w2, u) = step(&w, json!({"move_sprite": {"id": "a", "x": 50, "y": 20}}));
        s.sync(canvas(&w2), Some(&u), 100.0, LIVE);
        let a = at(s.frame(100.0, boxes), "a");
        assert_eq!((a.x, a.y), (50.0, 20.0));
        assert!(!s.animating(100.0));
    }

    #[test]
    fn an_animated_move_glides_and_a_new_move_mid_way_does_not_jump() {
        let w = widget(json!([{"id": "a", "emoji": "🐸", "x": 0, "y": 0}]));
        let mut s = Scene::new();
        s.sync(canvas(&w), None, 0.0, LIVE);
        let (w2, u) = step(
            &w,
            json!({"move_sprite": [{"id": "a", "x": 100, "y": 0, "animate": {"duration": 100, "easing": "linear"}}]}),
        );
        s.sync(canvas(&w2), Some(&u), 1000.0, LIVE);
        assert_eq!(at(s.frame(1000.0, boxes), "a").x, 0.0);
        assert_eq!(at(s.frame(1050.0, boxes), "a").x, 50.0);
        assert!(s.animating(1050.0));
        // A new target at 1050: continues from x = 50.
        let (w3, u) = step(
            &w2,
            json!({"move_sprite": {"id": "a", "x": 100, "y": 100, "animate": {"duration": 100, "easing": "linear"}}}),
        );
        s.sync(canvas(&w3), Some(&u), 1050.0, LIVE);
        let a = at(s.frame(1050.0, boxes), "a");
        assert_eq!((a.x, a.y), (50.0, 0.0), "no jump");
        let a = at(s.frame(1100.0, boxes), "a");
        assert_eq!((a.x, a.y), (75.0, 50.0));
        let a = at(s.frame(1150.0, boxes), "a");
        assert_eq!((a.x, a.y), (100.0, 100.0));
        assert!(!s.animating(1150.0));
        assert_eq!(s.target_of("a"), Some((100.0, 100.0)));
    }

    #[test]
    fn reduced_motion_makes_every_animation_instant() {
        let reduced = SyncOptions {
            reduced: true,
            live: true,
        };
        let w = widget(json!([{"id": "a", "emoji": "🐸", "x": 0, "y": 0}]));
        let mut s = Scene::new();
        s.sync(canvas(&w), None, 0.0, reduced);
        let (w2, u) = step(
            &w,
            json!({"move_sprite": {"id": "a", "x": 100, "y": 0, "animate": {"duration": 500}},
                   "add_sprites": [{"id": "b", "emoji": "🐙", "x": 1, "y": 1, "animate": {"effect": "fade", "duration": 500}}],
                   "emphasize": [{"target": "a", "effect": "shake"}]}),
        );
        s.sync(canvas(&w2), Some(&u), 10.0, reduced);
        let f = s.frame(10.0, boxes);
        assert_eq!(at(f, "a").x, 100.0);
        assert_eq!(at(f, "b").alpha, 1.0);
        assert!(!s.animating(10.0));
        let (w3, u) = step(
            &w2,
            json!({"remove_sprites": {"ids": ["a"], "animate": {"effect": "scale", "duration": 500}}}),
        );
        s.sync(canvas(&w3), Some(&u), 20.0, reduced);
        assert_eq!(ids(s.frame(20.0, boxes)), ["b"], "gone at once");
    }

    #[test]
    fn sprites_appear_with_their_effect() {
        let w = widget(json!([]));
        let mut s = Scene::new();
        s.sync(canvas(&w), None, 0.0, LIVE);
        let (w2, u) = step(
            &w,
            json!({"add_sprites": [
                {"id": "f", "emoji": "🐟", "x": 0, "y": 0, "animate": {"effect": "fade", "duration": 100}},
                {"id": "s", "emoji": "🐟", "x": 0, "y": 0, "animate": {"effect": "scale", "duration": 100}},
                {"id": "i", "emoji": "🐟", "x": 0, "y": 0, "animate": {"effect": "instant", "duration": 100}},
                {"id": "n", "emoji": "🐟", "x": 0, "y": 0}
            ]}),
        );
        s.sync(canvas(&w2), Some(&u), 0.0, LIVE);
        let f = s.frame(0.0, boxes);
        assert_eq!(at(f, "f").alpha, 0.0);
        assert_eq!(at(f, "s").w, 0.0);
        assert_eq!((at(f, "i").alpha, at(f, "i").w), (1.0, 10.0));
        assert_eq!((at(f, "n").alpha, at(f, "n").w), (1.0, 10.0));
        let f = s.frame(50.0, boxes);
        let half = anim::ease(None, 0.5);
        assert!((at(f, "f").alpha - half).abs() < 1e-9);
        assert!((at(f, "s").w - 10.0 * half).abs() < 1e-9);
        assert!(s.animating(50.0));
        let f = s.frame(100.0, boxes);
        assert_eq!((at(f, "f").alpha, at(f, "s").w), (1.0, 10.0));
        assert!(!s.animating(100.0));
    }

    #[test]
    fn a_fresh_widget_plays_its_own_hints_only_live() {
        let w = widget(
            json!([{"id": "f", "emoji": "🐟", "x": 0, "y": 0, "animate": {"effect": "fade"}}]),
        );
        let mut live = Scene::new();
        live.sync(canvas(&w), None, 0.0, LIVE);
        assert_eq!(at(live.frame(0.0, boxes), "f").alpha, 0.0);
        let mut history = Scene::new();
        history.sync(canvas(&w), None, 0.0, SyncOptions::default());
        assert_eq!(at(history.frame(0.0, boxes), "f").alpha, 1.0);
    }

    #[test]
    fn removed_sprites_fade_out_as_ghosts_then_go() {
        let w = widget(json!([
            {"id": "a", "emoji": "🐸", "x": 10, "y": 10, "z": 2},
            {"id": "b", "emoji": "🐸", "x": 10, "y": 10}
        ]));
        let mut s = Scene::new();
        s.sync(canvas(&w), None, 0.0, LIVE);
        let (w2, u) = step(
            &w,
            json!({"remove_sprites": {"ids": ["a"], "animate": {"effect": "fade", "duration": 200}}}),
        );
        s.sync(canvas(&w2), Some(&u), 100.0, LIVE);
        let f = s.frame(100.0, boxes);
        assert_eq!(ids(f), ["b", "a"], "the ghost keeps its z");
        let ghost = f.iter().find(|d| &*d.id == "a").unwrap();
        assert!(ghost.leaving);
        assert_eq!(ghost.alpha, 1.0);
        let ghost = s
            .frame(200.0, boxes)
            .iter()
            .find(|d| &*d.id == "a")
            .unwrap()
            .clone();
        assert!(ghost.alpha > 0.0 && ghost.alpha < 1.0);
        assert!(s.animating(200.0));
        assert_eq!(ids(s.frame(300.0, boxes)), ["b"]);
        assert_eq!(s.len(), 1);
        assert!(!s.animating(300.0));
        // Removed without a hint: gone at once.
        let (w3, u) = step(&w2, json!({"remove_sprites": ["b"]}));
        s.sync(canvas(&w3), Some(&u), 400.0, LIVE);
        assert!(s.frame(400.0, boxes).is_empty());
    }

    #[test]
    fn a_ghost_and_a_new_sprite_with_its_id_coexist() {
        let w = widget(json!([{"id": "a", "emoji": "🐸", "x": 0, "y": 0}]));
        let mut s = Scene::new();
        s.sync(canvas(&w), None, 0.0, LIVE);
        let (w2, u) = step(
            &w,
            json!({"remove_sprites": {"ids": ["a"], "animate": {"effect": "scale", "duration": 100}}}),
        );
        s.sync(canvas(&w2), Some(&u), 0.0, LIVE);
        let (w3, u) = step(
            &w2,
            json!({"add_sprites": [{"id": "a", "emoji": "🐙", "x": 50, "y": 0}]}),
        );
        s.sync(canvas(&w3), Some(&u), 10.0, LIVE);
        let f = s.frame(10.0, boxes);
        assert_eq!(f.len(), 2);
        assert!(f[0].leaving && !f[1].leaving, "ghost below");
        assert_eq!(at(f, "a").x, 50.0);
        assert_eq!(s.frame(200.0, boxes).len(), 1);
    }

    #[test]
    fn emphasis_plays_on_the_named_sprite() {
        let w = widget(json!([
            {"id": "a", "emoji": "🐸", "x": 10, "y": 10},
            {"id": "b", "emoji": "🐸", "x": 10, "y": 10},
            {"id": "c", "emoji": "🐸", "x": 10, "y": 10}
        ]));
        let mut s = Scene::new();
        s.sync(canvas(&w), None, 0.0, LIVE);
        let (w2, u) = step(
            &w,
            json!({"emphasize": [
                {"target": "a", "effect": "shake", "duration": 600},
                {"target": "b", "effect": "pulse", "duration": 600},
                {"target": "c", "effect": "glow", "duration": 600}]}),
        );
        s.sync(canvas(&w2), Some(&u), 0.0, LIVE);
        assert!(s.animating(10.0));
        let f = s.frame(25.0, boxes);
        assert_ne!(at(f, "a").x, 10.0, "shaken");
        let f = s.frame(300.0, boxes);
        assert!(at(f, "b").w > 10.0, "pulsed");
        assert!(at(f, "c").glow > 0.9, "glowing");
        let f = s.frame(600.0, boxes);
        assert_eq!(
            (at(f, "a").x, at(f, "b").w, at(f, "c").glow),
            (10.0, 10.0, 0.0)
        );
        assert!(!s.animating(600.0));
    }

    #[test]
    fn an_update_that_changes_nothing_keeps_moves_going() {
        let w = widget(json!([{"id": "a", "emoji": "🐸", "x": 0, "y": 0}]));
        let mut s = Scene::new();
        s.sync(canvas(&w), None, 0.0, LIVE);
        let (w2, u) = step(
            &w,
            json!({"move_sprite": {"id": "a", "x": 100, "y": 0, "animate": {"duration": 100, "easing": "linear"}}}),
        );
        s.sync(canvas(&w2), Some(&u), 0.0, LIVE);
        // A replace of the same state (no hint) mid-move: no jump, no restart.
        s.sync(canvas(&w2), None, 50.0, LIVE);
        assert_eq!(at(s.frame(50.0, boxes), "a").x, 50.0);
        assert_eq!(at(s.frame(100.0, boxes), "a").x, 100.0);
    }
}
