//! Sound effects through Web Audio: which sounds a moment asks for, whether
//! they play, the player's mute switch, and the audio engine.
//!
//! - **Only live events sound.** A widget's `play` sounds when it arrives
//!   live (a `message` event, `live` at mount); an update's `play_sound`
//!   when a live update is shown (a new `seq` with `live`). History on page
//!   load, refetches and replacements are silent. In a composite, each
//!   child's `play` and `play_sound` (in its `children` operations) name the
//!   child's own sounds. ([`requested`], [`should_play`])
//! - **Mute** is per user (the `localStorage` key holds the user id;
//!   viewers without one share a key) and applies to every widget on the
//!   page at once ([`is_muted`], [`set_muted`]).
//! - **Autoplay rules.** The `AudioContext` is created only after the first
//!   user gesture on the page (a `pointerdown` or `keydown` anywhere, or a
//!   gesture the browser already saw: `navigator.userActivation`). A sound
//!   asked for before that is dropped, not queued: a sound that plays
//!   seconds late, when the player first clicks, would only confuse.
//! - **Loading.** Each URL is fetched once per page and kept; it is decoded
//!   once an `AudioContext` exists. A sound asked for while its file is
//!   still loading plays when it is ready, if that is within
//!   [`LATE_LIMIT_MS`]; after that it is dropped. A file that fails to load
//!   or decode (a cross-origin URL without CORS, say) stays silent.
//! - **Test hook.** [`record_plays`] turns on a log of every sound handed
//!   to the engine ([`take_plays`]), so that tests can see what would sound
//!   without hearing it.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use tulip_core::{Body, Update, Widget};

/// A sound asked for while its file loads plays only this soon after.
pub const LATE_LIMIT_MS: f64 = 1_500.0;

/// The window event [`set_muted`] fires so that every mute toggle on the
/// page shows the new state.
pub const MUTE_EVENT: &str = "tulip-mute-change";

/// The moment sounds are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The widget was first drawn: its `play`.
    Arrived,
    /// A new state (`seq`) was shown: its update's `play_sound`.
    Updated,
}

/// One sound to play: its name, URL and the composite child whose sound it
/// is (`None` for the widget's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoundRequest {
    pub name: String,
    pub url: String,
    pub child: Option<String>,
}

/// Whether sounds asked for at this moment play: only live, never muted.
pub fn should_play(live: bool, muted: bool) -> bool {
    live && !muted
}

/// The sounds a moment asks for (before [`should_play`]): on arrival the
/// `play` of the widget and of each child; on a new state the update's
/// `play_sound` and each child's. A name the widget has no sound for asks
/// for nothing; the same URL twice plays once.
pub fn requested(widget: &Widget, update: Option<&Update>, trigger: Trigger) -> Vec<SoundRequest> {
    let mut out = Vec::new();
    match trigger {
        Trigger::Arrived => arrived(&widget.body, None, &mut out),
        Trigger::Updated => {
            if let Some(u) = update {
                updated(&widget.body, u, None, &mut out);
            }
        }
    }
    let mut seen = BTreeSet::new();
    out.retain(|r| seen.insert(r.url.clone()));
    out
}

fn request(body: &Body, name: &str, child: Option<&str>) -> Option<SoundRequest> {
    let url = body.common().sounds.as_ref()?.get(name)?;
    Some(SoundRequest {
        name: name.to_owned(),
        url: url.as_str().to_owned(),
        child: child.map(str::to_owned),
    })
}

fn arrived(body: &Body, child: Option<&str>, out: &mut Vec<SoundRequest>) {
    if let Some(name) = body.common().play {
        out.extend(request(body, name, child));
    }
    if let Body::Composite(c) = body {
        for ch in &c.widgets {
            arrived(&ch.body, Some(ch.id()), out);
        }
    }
}

fn updated(body: &Body, update: &Update, child: Option<&str>, out: &mut Vec<SoundRequest>) {
    if let Some(name) = update.common().play_sound {
        out.extend(request(body, name, child));
    }
    if let (Body::Composite(c), Update::Composite(ops)) = (body, update) {
        for (id, ops) in ops.children.iter().flatten() {
            let (Some(ch), Some(u)) = (c.widgets.iter().find(|w| w.id() == id), ops.parsed())
            else {
                continue;
            };
            updated(&ch.body, u, Some(id), out);
        }
    }
}

/// Every sound URL of the widget and its children, to preload.
pub fn sound_urls(widget: &Widget) -> Vec<String> {
    fn walk(b: &Body, out: &mut BTreeSet<String>) {
        out.extend(
            b.common()
                .sounds
                .iter()
                .flat_map(|m| m.iter())
                .map(|(_, u)| u.as_str().to_owned()),
        );
        if let Body::Composite(c) = b {
            for ch in &c.widgets {
                walk(&ch.body, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&widget.body, &mut out);
    out.into_iter().collect()
}

/// The `localStorage` key of a user's mute switch.
pub fn mute_key(user_id: Option<&str>) -> String {
    match user_id {
        Some(u) => format!("tulip.sound.muted.user.{u}"),
        None => "tulip.sound.muted.anonymous".to_owned(),
    }
}

thread_local! {
    /// Mute switches kept in memory when `localStorage` is unavailable.
    static MUTED: RefCell<HashMap<String, bool>> = RefCell::new(HashMap::new());
    /// The test log of plays, when recording (`None` otherwise).
    static LOG: RefCell<Option<Vec<PlayRecord>>> = const { RefCell::new(None) };
}

#[cfg(target_arch = "wasm32")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether this user has muted sounds.
pub fn is_muted(user_id: Option<&str>) -> bool {
    let key = mute_key(user_id);
    #[cfg(target_arch = "wasm32")]
    if let Some(s) = storage() {
        if let Ok(v) = s.get_item(&key) {
            return v.as_deref() == Some("1");
        }
    }
    MUTED.with(|m| m.borrow().get(&key).copied().unwrap_or(false))
}

/// Mutes or unmutes sounds for this user, remembers it, and tells every
/// mute toggle on the page ([`MUTE_EVENT`]).
pub fn set_muted(user_id: Option<&str>, muted: bool) {
    let key = mute_key(user_id);
    MUTED.with(|m| m.borrow_mut().insert(key.clone(), muted));
    #[cfg(target_arch = "wasm32")]
    {
        if let Some(s) = storage() {
            let _ = if muted {
                s.set_item(&key, "1")
            } else {
                s.remove_item(&key)
            };
        }
        if let Some(w) = web_sys::window() {
            if let Ok(e) = web_sys::Event::new(MUTE_EVENT) {
                let _ = w.dispatch_event(&e);
            }
        }
    }
}

/// A sound handed to the engine, as the test log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayRecord {
    pub name: String,
    pub url: String,
    pub child: Option<String>,
    /// Dropped because no user gesture had happened on the page yet.
    pub before_gesture: bool,
}

/// Starts (or stops and clears) the log of plays.
pub fn record_plays(on: bool) {
    LOG.with(|l| *l.borrow_mut() = on.then(Vec::new));
}

/// The plays logged since the last call (empty when not recording).
pub fn take_plays() -> Vec<PlayRecord> {
    LOG.with(|l| {
        l.borrow_mut()
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    })
}

fn log(r: &SoundRequest, before_gesture: bool) {
    LOG.with(|l| {
        if let Some(list) = l.borrow_mut().as_mut() {
            list.push(PlayRecord {
                name: r.name.clone(),
                url: r.url.clone(),
                child: r.child.clone(),
                before_gesture,
            });
        }
    });
}

/// Plays sounds (already decided by [`should_play`]).
pub fn play(requests: &[SoundRequest]) {
    for r in requests {
        let unlocked = engine::unlocked();
        log(r, !unlocked);
        if unlocked {
            engine::play(&r.url);
        }
    }
}

/// Fetches these sound files (once per URL per page) and makes sure the
/// first user gesture unlocks audio.
pub fn preload(urls: &[String]) {
    if urls.is_empty() {
        return;
    }
    engine::listen_for_gesture();
    for u in urls {
        engine::preload(u);
    }
}

/// Whether a user gesture has unlocked audio on this page.
pub fn unlocked() -> bool {
    engine::unlocked()
}

#[cfg(not(target_arch = "wasm32"))]
mod engine {
    pub fn unlocked() -> bool {
        false
    }
    pub fn play(_: &str) {}
    pub fn preload(_: &str) {}
    pub fn listen_for_gesture() {}
}

#[cfg(target_arch = "wasm32")]
mod engine {
    //! The Web Audio side: one `AudioContext` per page, one decoded buffer
    //! per URL, all in a thread-local.

    use std::cell::RefCell;
    use std::collections::HashMap;

    use js_sys::ArrayBuffer;
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{AudioBuffer, AudioContext, AudioContextState};

    use super::LATE_LIMIT_MS;

    enum Clip {
        /// Being fetched; a play asked for at this time (page clock, ms).
        Fetching(Option<f64>),
        /// Fetched, waiting for an `AudioContext` to decode it.
        Fetched(ArrayBuffer),
        Decoding(Option<f64>),
        Ready(AudioBuffer),
        Failed,
    }

    #[derive(Default)]
    struct Engine {
        ctx: Option<AudioContext>,
        listening: bool,
        listener: Option<Closure<dyn FnMut(web_sys::Event)>>,
        clips: HashMap<String, Clip>,
    }

    thread_local! {
        static ENGINE: RefCell<Engine> = RefCell::new(Engine::default());
    }

    pub fn unlocked() -> bool {
        ENGINE.with(|e| e.borrow().ctx.is_some())
    }

    /// Whether the browser has already seen a user gesture on this page.
    fn had_gesture() -> bool {
        let Some(w) = web_sys::window() else {
            return false;
        };
        js_sys::Reflect::get(&w.navigator(), &"userActivation".into())
            .ok()
            .filter(|a| a.is_object())
            .and_then(|a| js_sys::Reflect::get(&a, &"hasBeenActive".into()).ok())
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    pub fn listen_for_gesture() {
        let listening = ENGINE.with(|e| e.borrow().listening);
        if listening || unlocked() {
            return;
        }
        if had_gesture() {
            unlock();
            return;
        }
        let Some(w) = web_sys::window() else { return };
        let cb = Closure::<dyn FnMut(web_sys::Event)>::new(|_e: web_sys::Event| unlock());
        for name in ["pointerdown", "keydown"] {
            let _ = w.add_event_listener_with_callback_and_bool(
                name,
                cb.as_ref().unchecked_ref(),
                true,
            );
        }
        ENGINE.with(|e| {
            let mut e = e.borrow_mut();
            e.listening = true;
            e.listener = Some(cb);
        });
    }

    /// Creates and resumes the `AudioContext` (inside a gesture), then
    /// decodes the files already fetched.
    fn unlock() {
        if unlocked() {
            return;
        }
        let Ok(ctx) = AudioContext::new() else { return };
        if let Ok(p) = ctx.resume() {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(p).await;
            });
        }
        let fetched: Vec<(String, ArrayBuffer)> = ENGINE.with(|e| {
            let mut e = e.borrow_mut();
            e.ctx = Some(ctx);
            // The listener stays alive (it is running now) but is removed.
            if let (Some(w), Some(cb)) = (web_sys::window(), e.listener.as_ref()) {
                for name in ["pointerdown", "keydown"] {
                    let _ = w.remove_event_listener_with_callback_and_bool(
                        name,
                        cb.as_ref().unchecked_ref(),
                        true,
                    );
                }
            }
            let mut out = Vec::new();
            for (url, clip) in e.clips.iter_mut() {
                if let Clip::Fetched(bytes) = clip {
                    out.push((url.clone(), bytes.clone()));
                    *clip = Clip::Decoding(None);
                }
            }
            out
        });
        for (url, bytes) in fetched {
            decode(url, bytes);
        }
    }

    pub fn preload(url: &str) {
        let known = ENGINE.with(|e| e.borrow().clips.contains_key(url));
        if known {
            return;
        }
        ENGINE.with(|e| {
            e.borrow_mut()
                .clips
                .insert(url.to_owned(), Clip::Fetching(None))
        });
        let url = url.to_owned();
        wasm_bindgen_futures::spawn_local(async move {
            let bytes = fetch(&url).await;
            let decode_now = ENGINE.with(|e| {
                let mut e = e.borrow_mut();
                let has_ctx = e.ctx.is_some();
                let clip = e.clips.get_mut(&url)?;
                let asked = match clip {
                    Clip::Fetching(t) => *t,
                    _ => None,
                };
                match bytes {
                    None => {
                        *clip = Clip::Failed;
                        None
                    }
                    Some(b) if has_ctx => {
                        *clip = Clip::Decoding(asked);
                        Some(b)
                    }
                    Some(b) => {
                        *clip = Clip::Fetched(b);
                        None
                    }
                }
            });
            if let Some(b) = decode_now {
                decode(url, b);
            }
        });
    }

    async fn fetch(url: &str) -> Option<ArrayBuffer> {
        let w = web_sys::window()?;
        let resp = JsFuture::from(w.fetch_with_str(url)).await.ok()?;
        let resp: web_sys::Response = resp.dyn_into().ok()?;
        if !resp.ok() {
            return None;
        }
        let buf = JsFuture::from(resp.array_buffer().ok()?).await.ok()?;
        buf.dyn_into().ok()
    }

    fn decode(url: String, bytes: ArrayBuffer) {
        let Some(ctx) = ENGINE.with(|e| e.borrow().ctx.clone()) else {
            return;
        };
        let Ok(p) = ctx.decode_audio_data(&bytes) else {
            ENGINE.with(|e| e.borrow_mut().clips.insert(url, Clip::Failed));
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let decoded: Option<AudioBuffer> =
                JsFuture::from(p).await.ok().and_then(|b| b.dyn_into().ok());
            let play_now = ENGINE.with(|e| {
                let mut e = e.borrow_mut();
                let asked = match e.clips.get(&url) {
                    Some(Clip::Decoding(t)) => *t,
                    _ => None,
                };
                match decoded {
                    Some(b) => {
                        e.clips.insert(url.clone(), Clip::Ready(b));
                        asked.is_some_and(|t| crate::anim::now_ms() - t <= LATE_LIMIT_MS)
                    }
                    None => {
                        e.clips.insert(url.clone(), Clip::Failed);
                        false
                    }
                }
            });
            if play_now {
                play(&url);
            }
        });
    }

    pub fn play(url: &str) {
        let now = crate::anim::now_ms();
        let ready = ENGINE.with(|e| {
            let mut e = e.borrow_mut();
            let ctx = e.ctx.clone()?;
            match e.clips.get_mut(url) {
                Some(Clip::Ready(b)) => Some(Some((ctx, b.clone()))),
                Some(Clip::Fetching(t)) | Some(Clip::Decoding(t)) => {
                    *t = Some(now);
                    Some(None)
                }
                Some(Clip::Fetched(_)) | Some(Clip::Failed) => Some(None),
                None => None,
            }
        });
        match ready {
            Some(Some((ctx, buffer))) => start(&ctx, &buffer),
            Some(None) => {}
            None => {
                // Not preloaded (a sound added by a replacement): load it
                // and play it when ready.
                preload(url);
                ENGINE.with(|e| {
                    if let Some(Clip::Fetching(t)) = e.borrow_mut().clips.get_mut(url) {
                        *t = Some(now);
                    }
                });
            }
        }
    }

    fn start(ctx: &AudioContext, buffer: &AudioBuffer) {
        if ctx.state() != AudioContextState::Running {
            if let Ok(p) = ctx.resume() {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = JsFuture::from(p).await;
                });
            }
        }
        let Ok(src) = ctx.create_buffer_source() else {
            return;
        };
        src.set_buffer(Some(buffer));
        let dest: JsValue = ctx.destination().into();
        let Ok(dest) = dest.dyn_into::<web_sys::AudioNode>() else {
            return;
        };
        if src.connect_with_audio_node(&dest).is_ok() {
            let _ = src.start();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tulip_core::{parse_update, parse_widget_value, Policy};

    fn widget(v: serde_json::Value) -> Widget {
        parse_widget_value(v, &Policy::default()).unwrap()
    }

    fn names(r: &[SoundRequest]) -> Vec<(String, Option<String>)> {
        r.iter()
            .map(|r| (r.name.clone(), r.child.clone()))
            .collect()
    }

    #[test]
    fn only_live_unmuted_moments_play() {
        assert!(should_play(true, false));
        assert!(!should_play(false, false), "history is silent");
        assert!(!should_play(true, true), "muted is silent");
        assert!(!should_play(false, true));
    }

    #[test]
    fn arrival_asks_for_play_and_an_update_for_play_sound() {
        let w = widget(json!({"widget_type": "grid", "extra_data": {
            "width": 1, "height": 1, "play": "start",
            "sounds": {"start": "/s/start.ogg", "hit": "/s/hit.ogg"}}}));
        let r = requested(&w, None, Trigger::Arrived);
        assert_eq!(names(&r), [("start".to_owned(), None)]);
        assert_eq!(r[0].url, "/s/start.ogg");
        // Arrival never plays an update's sound, nor a new state the widget's `play`.
        let u = parse_update(&w.body, json!({"play_sound": "hit"})).unwrap();
        assert_eq!(
            names(&requested(&w, Some(&u), Trigger::Updated)),
            [("hit".to_owned(), None)]
        );
        assert!(requested(&w, None, Trigger::Updated).is_empty());
        let quiet = parse_update(&w.body, json!({"set_cells": []})).unwrap();
        assert!(requested(&w, Some(&quiet), Trigger::Updated).is_empty());
    }

    #[test]
    fn children_play_their_own_sounds_once_per_url() {
        let w = widget(json!({"widget_type": "composite", "extra_data": {
        "sounds": {"ding": "/s/ding.ogg"}, "play": "ding",
        "widgets": [
            {"id": "a", "type": "hud", "sounds": {"ding": "/s/ding.ogg", "buzz": "/s/buzz.ogg"}, "play": "ding"},
            {"id": "b", "type": "hud", "sounds": {"boom": "/s/boom.ogg"}, "play": "boom"}
        ]}}));
        let r = requested(&w, None, Trigger::Arrived);
        assert_eq!(
            names(&r),
            [
                ("ding".to_owned(), None),
                ("boom".to_owned(), Some("b".to_owned()))
            ]
        );
        let u = parse_update(&w.body, json!({"children": {"a": {"play_sound": "buzz"}}})).unwrap();
        let r = requested(&w, Some(&u), Trigger::Updated);
        assert_eq!(names(&r), [("buzz".to_owned(), Some("a".to_owned()))]);
        assert_eq!(r[0].url, "/s/buzz.ogg");
        assert_eq!(
            sound_urls(&w),
            ["/s/boom.ogg", "/s/buzz.ogg", "/s/ding.ogg"]
        );
    }

    #[test]
    fn mute_keys_are_per_user() {
        assert_eq!(mute_key(Some("7")), "tulip.sound.muted.user.7");
        assert_ne!(mute_key(Some("7")), mute_key(Some("8")));
        assert_eq!(mute_key(None), "tulip.sound.muted.anonymous");
        assert!(!is_muted(Some("native-test")));
        set_muted(Some("native-test"), true);
        assert!(is_muted(Some("native-test")));
        assert!(!is_muted(None));
    }

    #[test]
    fn the_log_records_only_when_asked() {
        let r = SoundRequest {
            name: "a".into(),
            url: "/a.ogg".into(),
            child: None,
        };
        play(std::slice::from_ref(&r));
        assert!(take_plays().is_empty());
        record_plays(true);
        play(std::slice::from_ref(&r));
        let log = take_plays();
        assert_eq!(log.len(), 1);
        assert!(log[0].before_gesture, "natively there is never a gesture");
        assert!(take_plays().is_empty());
        record_plays(false);
    }
}
