//! Validation of whole widgets against PROTOCOL.md section 7.
//!
//! Runs after [`crate::parse`] has checked types, unknown fields, colours and
//! URLs. Collects every problem, each with a code and a JSON path. Paths into
//! keyed collections (cells, tiles, sprites, markers, items) count in their
//! canonical key order (see `ids::Keyed`).

use std::collections::HashSet;

use crate::error::{Code, Errors, WidgetError};
use crate::limits::*;
use crate::model::*;
use crate::path::{cat, idx, P};
use crate::url::ImageUrl;
use crate::view;

/// What a server allows beyond the fixed rules.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Allow plain `http:` image and sound URLs.
    pub allow_http: bool,
}

/// Validates a whole widget.
pub fn validate_widget(widget: &mut Widget, policy: &Policy) -> Result<(), Errors> {
    let mut v = Validator::new(policy);
    if widget.body.common().id.is_some() {
        v.err(
            Code::NotAllowedHere,
            "extra_data.id".into(),
            "`id` is for composite children only",
        );
    }
    let mut ids = HashSet::new();
    v.body(&mut widget.body, "extra_data", 1, &mut ids);
    v.finish()
}

pub(crate) struct Validator<'p> {
    pub errs: Vec<WidgetError>,
    policy: &'p Policy,
    /// Skip the per-element checks of the large collections (cells, sprites,
    /// cards, lines, entries, items, tiles, markers, explored): used after an
    /// update, whose new elements were checked before they went in.
    pub shallow: bool,
}

impl<'p> Validator<'p> {
    pub fn new(policy: &'p Policy) -> Self {
        Validator {
            errs: Vec::new(),
            policy,
            shallow: false,
        }
    }

    pub fn finish(self) -> Result<(), Errors> {
        if self.errs.is_empty() {
            Ok(())
        } else {
            Err(Errors(self.errs))
        }
    }

    pub fn err(&mut self, code: Code, path: String, msg: impl Into<String>) {
        self.errs.push(WidgetError::new(code, path, msg));
    }

    pub fn text(&mut self, s: &str, path: P<'_>) {
        if s.len() > MAX_STRING_CHARS && s.chars().count() > MAX_STRING_CHARS {
            self.err(
                Code::StringTooLong,
                path.render(),
                format!("strings may have at most {MAX_STRING_CHARS} characters"),
            );
        }
    }

    pub fn opt_text<S: AsRef<str>>(&mut self, s: &Option<S>, path: P<'_>) {
        if let Some(s) = s.as_ref().map(AsRef::as_ref) {
            self.text(s, path);
        }
    }

    pub fn id(&mut self, s: &str, path: P<'_>) {
        if s.is_empty() {
            self.err(Code::InvalidType, path.render(), "an id may not be empty");
        } else if s.len() > MAX_ID_CHARS && s.chars().count() > MAX_ID_CHARS {
            self.err(
                Code::StringTooLong,
                path.render(),
                format!("ids may have at most {MAX_ID_CHARS} characters"),
            );
        }
    }

    pub fn user(&mut self, u: &crate::ids::UserId, path: P<'_>) {
        self.id(u.as_str(), path)
    }

    pub fn count(&mut self, n: usize, max: usize, path: P<'_>, what: &str) {
        if n > max {
            self.err(
                Code::TooMany,
                path.render(),
                format!("{n} {what}; at most {max} are allowed"),
            );
        }
    }

    pub fn range(&mut self, n: u32, lo: u32, hi: u32, path: P<'_>) {
        if n < lo || n > hi {
            self.err(
                Code::OutOfRange,
                path.render(),
                format!("{n} is outside {lo}..={hi}"),
            );
        }
    }

    pub fn finite(&mut self, n: f64, lo: f64, hi: f64, path: P<'_>) {
        if !n.is_finite() || n < lo || n > hi {
            use crate::num::display_f64 as d;
            self.err(
                Code::OutOfRange,
                path.render(),
                format!("{} is outside {}..={}", d(n), d(lo), d(hi)),
            );
        }
    }

    pub fn image(&mut self, u: &Option<ImageUrl>, path: P<'_>) {
        if let Some(u) = u {
            if u.is_http() && !self.policy.allow_http {
                self.err(
                    Code::InvalidUrl,
                    path.render(),
                    "plain http: URLs are not allowed on this server; use https:",
                );
            }
        }
    }

    pub fn animate(&mut self, a: &Option<Animate>, path: P<'_>) {
        if let Some(Animate {
            duration: Some(d), ..
        }) = a
        {
            if *d > MAX_DURATION_MS {
                self.err(
                    Code::OutOfRange,
                    path.render() + ".duration",
                    format!("animations last at most {MAX_DURATION_MS} ms"),
                );
            }
        }
    }

    // ------------------------------------------------------------------
    // elements, shared with update validation

    pub fn cell(&mut self, c: &Cell, w: u32, h: u32, p: &str) {
        if c.x >= w || c.y >= h {
            self.err(
                Code::OutOfRange,
                p.to_owned(),
                format!("cell ({}, {}) is outside the {w}x{h} grid", c.x, c.y),
            );
        }
        self.opt_text(&c.content, P::Cat(p, ".content"));
        if let Some(o) = &c.owner {
            self.user(o, P::Cat(p, ".owner"));
        }
        if let Some(list) = &c.clickable_by {
            self.count(list.len(), MAX_LIST, P::Cat(p, ".clickable_by"), "users");
        }
        self.animate(&c.animate, P::Cat(p, ".animate"));
    }

    pub fn sprite(&mut self, s: &Sprite, p: &str) {
        self.id(&s.id, P::Cat(p, ".id"));
        let sources = s.emoji.is_some() as u8 + s.image.is_some() as u8 + s.base64.is_some() as u8;
        if sources != 1 {
            self.err(
                Code::InvalidType,
                p.to_owned(),
                "a sprite needs exactly one of `emoji`, `image` and `base64`",
            );
        }
        self.opt_text(&s.emoji, P::Cat(p, ".emoji"));
        self.image(&s.image, P::Cat(p, ".image"));
        if let Some(b) = &s.base64 {
            if !b.is_data() {
                self.err(
                    Code::InvalidUrl,
                    cat(p, ".base64"),
                    "`base64` must be a data:image/...;base64, URL",
                );
            }
        }
        self.finite(s.x, -MAX_COORD, MAX_COORD, P::Cat(p, ".x"));
        self.finite(s.y, -MAX_COORD, MAX_COORD, P::Cat(p, ".y"));
        if let Some(sc) = s.scale {
            self.finite(sc, 0.0, MAX_SCALE, P::Cat(p, ".scale"));
        }
        if let Some(r) = s.rotation {
            self.finite(r, -MAX_COORD, MAX_COORD, P::Cat(p, ".rotation"));
        }
        self.animate(&s.animate, P::Cat(p, ".animate"));
    }

    pub fn card(&mut self, c: &Card, p: &str) {
        self.id(&c.id, P::Cat(p, ".id"));
        self.opt_text(&c.face, P::Cat(p, ".face"));
        self.image(&c.image, P::Cat(p, ".image"));
        self.animate(&c.animate, P::Cat(p, ".animate"));
    }

    pub fn bar(&mut self, b: &Bar, p: &str) {
        self.text(&b.label, P::Cat(p, ".label"));
        self.finite(b.max, 0.0, f64::MAX, P::Cat(p, ".max"));
        self.finite(b.current, -f64::MAX, f64::MAX, P::Cat(p, ".current"));
    }

    pub fn stat(&mut self, s: &Stat, p: &str) {
        self.text(&s.label, P::Cat(p, ".label"));
        if let StatValue::Text(t) = &s.value {
            self.text(t, P::Cat(p, ".value"));
        }
    }

    pub fn line(&mut self, l: &Line, p: &str) {
        self.text(&l.text, P::Cat(p, ".text"));
    }

    pub fn choice(&mut self, c: &Choice, p: &str) {
        self.id(&c.id, P::Cat(p, ".id"));
        self.text(&c.text, P::Cat(p, ".text"));
    }

    pub fn speaker(&mut self, s: &Speaker, p: &str) {
        self.opt_text(&s.name, P::Cat(p, ".name"));
        self.opt_text(&s.mood, P::Cat(p, ".mood"));
        self.image(&s.portrait, P::Cat(p, ".portrait"));
    }

    pub fn entry(&mut self, e: &Entry, p: &str) {
        self.text(&e.name, P::Cat(p, ".name"));
        self.finite(e.score, -f64::MAX, f64::MAX, P::Cat(p, ".score"));
    }

    pub fn item(&mut self, it: &Item, slots: u32, p: &str) {
        if it.slot >= slots {
            self.err(
                Code::OutOfRange,
                cat(p, ".slot"),
                format!("slot {} is outside the {slots} slots", it.slot),
            );
        }
        self.opt_text(&it.icon, P::Cat(p, ".icon"));
        self.opt_text(&it.name, P::Cat(p, ".name"));
        self.opt_text(&it.description, P::Cat(p, ".description"));
        self.image(&it.image, P::Cat(p, ".image"));
        self.animate(&it.animate, P::Cat(p, ".animate"));
    }

    pub fn point(&mut self, pt: &Point, w: u32, h: u32, p: &str) {
        if pt.x >= w || pt.y >= h {
            self.err(
                Code::OutOfRange,
                p.to_owned(),
                format!("({}, {}) is outside the {w}x{h} world", pt.x, pt.y),
            );
        }
    }

    pub fn tile(&mut self, t: &Tile, w: u32, h: u32, p: &str) {
        self.point(&Point { x: t.x, y: t.y }, w, h, p);
        self.id(&t.terrain, P::Cat(p, ".terrain"));
    }

    pub fn marker(&mut self, m: &Marker, w: u32, h: u32, p: &str) {
        self.id(&m.id, P::Cat(p, ".id"));
        self.point(&Point { x: m.x, y: m.y }, w, h, p);
        self.opt_text(&m.icon, P::Cat(p, ".icon"));
        self.opt_text(&m.label, P::Cat(p, ".label"));
        self.animate(&m.animate, P::Cat(p, ".animate"));
    }

    pub fn lobby_player(&mut self, lp: &LobbyPlayer, p: &str) {
        self.user(&lp.id, P::Cat(p, ".id"));
        self.opt_text(&lp.name, P::Cat(p, ".name"));
    }

    pub fn setting(&mut self, s: &Setting, p: &str) {
        self.opt_text(&s.label, P::Cat(p, ".label"));
        if let SettingValue::Text(t) = &s.value {
            self.text(t, P::Cat(p, ".value"));
        }
        if let Some(opts) = &s.options {
            self.count(opts.len(), MAX_LIST, P::Cat(p, ".options"), "options");
            if !opts.contains(&s.value) {
                self.err(
                    Code::OutOfRange,
                    cat(p, ".value"),
                    "the value is not one of the setting's options",
                );
            }
        }
    }

    pub fn component(&mut self, c: &Component, p: &str) {
        self.text(&c.label, P::Cat(p, ".label"));
        self.id(&c.action, P::Cat(p, ".action"));
    }

    pub fn timer(&mut self, t: &Timer, p: &str, allow_zero: bool) {
        let lo = if allow_zero { 0.0 } else { f64::MIN_POSITIVE };
        self.finite(t.seconds, lo, MAX_TIMER_SECONDS, P::Cat(p, ".seconds"));
        if let Some(a) = &t.on_expire {
            self.id(a, P::Cat(p, ".on_expire"));
        }
    }

    pub fn turn(&mut self, t: &Turn, p: &str) {
        if let Some(u) = &t.current_player {
            self.user(u, P::Cat(p, ".current_player"));
        }
        if let Some(o) = &t.order {
            self.count(o.len(), MAX_LIST, P::Cat(p, ".order"), "players");
        }
        if let Some(tr) = t.time_remaining {
            self.finite(tr, 0.0, MAX_TIMER_SECONDS, P::Cat(p, ".time_remaining"));
        }
    }

    // ------------------------------------------------------------------
    // whole bodies

    fn common(&mut self, b: &Body, p: &str) {
        let c = b.common();
        if let Some(t) = c.timer {
            self.timer(t, &cat(p, ".timer"), false);
        }
        if let Some(k) = c.keyboard {
            self.count(
                k.bindings.len(),
                MAX_SMALL_MAP,
                P::Cat(p, ".keyboard.bindings"),
                "bindings",
            );
            for (key, action) in &k.bindings {
                self.id(key, P::Cat(p, ".keyboard.bindings"));
                self.id(
                    action,
                    P::Lazy(&|| {
                        crate::path::JsonPath::at(p)
                            .key("keyboard")
                            .key("bindings")
                            .key(key)
                            .into_string()
                    }),
                );
            }
        }
        if let Some(s) = c.sounds {
            self.count(s.len(), MAX_SMALL_MAP, P::Cat(p, ".sounds"), "sounds");
            for (name, url) in s {
                self.id(name, P::Cat(p, ".sounds"));
                if url.is_http() && !self.policy.allow_http {
                    self.err(
                        Code::InvalidUrl,
                        crate::path::map_key(p, "sounds", name),
                        "plain http: URLs are not allowed on this server; use https:",
                    );
                }
            }
        }
        if let Some(play) = c.play {
            if !c.sounds.as_ref().is_some_and(|s| s.contains_key(play)) {
                self.err(
                    Code::UnknownId,
                    cat(p, ".play"),
                    "`play` must name a sound in `sounds`",
                );
            }
        }
        if let Some(t) = c.turn {
            self.turn(t, &cat(p, ".turn"));
        }
        if let Some(pl) = c.players {
            self.count(
                pl.list.len(),
                MAX_LIST,
                P::Cat(p, ".players.list"),
                "players",
            );
            let mut seen = HashSet::new();
            for (i, player) in pl.list.iter().enumerate() {
                self.user(&player.id, P::Idx(p, ".players.list", i, ".id"));
                self.opt_text(&player.name, P::Idx(p, ".players.list", i, ".name"));
                if !seen.insert(player.id.as_str()) {
                    self.err(
                        Code::DuplicateId,
                        idx(p, ".players.list", i, ".id"),
                        "a player is listed twice",
                    );
                }
            }
        }
        if let Some(r) = c.interaction_rules {
            self.count(r.len(), MAX_LIST, P::Cat(p, ".interaction_rules"), "rules");
            for k in r.keys() {
                self.id(k, P::Cat(p, ".interaction_rules"));
            }
        }
        if let Some(pr) = c.prediction {
            if let Some(rule) = &pr.cell_click {
                self.opt_text(&rule.value, P::Cat(p, ".prediction.cell_click.value"));
            }
        }
        if let Some(u) = c.update_rate {
            self.finite(*u, 0.0, MAX_UPDATE_RATE, P::Cat(p, ".update_rate"));
        }
    }

    pub fn body(&mut self, b: &mut Body, p: &str, depth: usize, ids: &mut HashSet<String>) {
        self.common(b, p);
        match b {
            Body::Grid(g) => {
                self.range(g.width, 1, MAX_GRID_SIDE, P::Cat(p, ".width"));
                self.range(g.height, 1, MAX_GRID_SIDE, P::Cat(p, ".height"));
                if let Some(cs) = g.cell_size {
                    self.range(cs, 1, MAX_CELL_SIZE, P::Cat(p, ".cell_size"));
                }
                for (i, c) in g
                    .cells
                    .in_document_order()
                    .take(if self.shallow { 0 } else { usize::MAX })
                    .enumerate()
                {
                    self.cell(c, g.width, g.height, &idx(p, ".cells", i, ""));
                }
            }
            Body::Canvas(c) => {
                self.range(c.width, 1, MAX_CANVAS_PX, P::Cat(p, ".width"));
                self.range(c.height, 1, MAX_CANVAS_PX, P::Cat(p, ".height"));
                self.count(
                    c.sprites.len(),
                    MAX_SPRITES,
                    P::Cat(p, ".sprites"),
                    "sprites",
                );
                for (i, s) in c
                    .sprites
                    .in_document_order()
                    .take(if self.shallow { 0 } else { usize::MAX })
                    .enumerate()
                {
                    self.sprite(s, &idx(p, ".sprites", i, ""));
                }
            }
            Body::Cards(c) => {
                self.count(c.cards.len(), MAX_CARDS, P::Cat(p, ".cards"), "cards");
                let mut seen = HashSet::new();
                for (i, card) in c.cards.iter().enumerate() {
                    self.card(card, &idx(p, ".cards", i, ""));
                    if !seen.insert(card.id.as_str()) {
                        self.err(
                            Code::DuplicateId,
                            idx(p, ".cards", i, ".id"),
                            "two cards share this id",
                        );
                    }
                }
                if let Some(m) = c.max_select {
                    self.range(m, 0, MAX_CARDS as u32, P::Cat(p, ".max_select"));
                }
            }
            Body::Hud(h) => {
                self.count(h.bars.len(), MAX_LIST, P::Cat(p, ".bars"), "bars");
                self.count(h.stats.len(), MAX_LIST, P::Cat(p, ".stats"), "stats");
                for (i, b) in h.bars.iter().enumerate() {
                    self.bar(b, &idx(p, ".bars", i, ""));
                }
                for (i, s) in h.stats.iter().enumerate() {
                    self.stat(s, &idx(p, ".stats", i, ""));
                }
            }
            Body::Dialog(d) => {
                if let Some(s) = &d.speaker {
                    self.speaker(s, &cat(p, ".speaker"));
                }
                self.opt_text(&d.text, P::Cat(p, ".text"));
                self.count(d.choices.len(), MAX_LIST, P::Cat(p, ".choices"), "choices");
                let mut seen = HashSet::new();
                for (i, c) in d.choices.iter().enumerate() {
                    self.choice(c, &idx(p, ".choices", i, ""));
                    if !seen.insert(c.id.as_str()) {
                        self.err(
                            Code::DuplicateId,
                            idx(p, ".choices", i, ".id"),
                            "two choices share this id",
                        );
                    }
                }
            }
            Body::Terminal(t) => {
                self.count(
                    t.lines.len(),
                    MAX_TERMINAL_LINES,
                    P::Cat(p, ".lines"),
                    "lines",
                );
                if let Some(m) = t.max_lines {
                    self.range(m, 1, MAX_TERMINAL_LINES as u32, P::Cat(p, ".max_lines"));
                }
                for (i, l) in t
                    .lines
                    .iter()
                    .take(if self.shallow { 0 } else { usize::MAX })
                    .enumerate()
                {
                    self.line(l, &idx(p, ".lines", i, ""));
                }
                if let Some(inp) = &t.input {
                    self.opt_text(&inp.placeholder, P::Cat(p, ".input.placeholder"));
                }
            }
            Body::Leaderboard(l) => {
                self.opt_text(&l.title, P::Cat(p, ".title"));
                self.count(l.entries.len(), MAX_LIST, P::Cat(p, ".entries"), "entries");
                for (i, e) in l
                    .entries
                    .iter()
                    .take(if self.shallow { 0 } else { usize::MAX })
                    .enumerate()
                {
                    self.entry(e, &idx(p, ".entries", i, ""));
                }
                if let Some(cols) = &l.columns {
                    self.count(cols.len(), 16, P::Cat(p, ".columns"), "columns");
                    for (i, c) in cols.iter().enumerate() {
                        self.text(c, P::Idx(p, ".columns", i, ""));
                    }
                }
                if let (Some(page), Some(total)) = (l.page, l.total_pages) {
                    if page == 0 || page > total.max(1) {
                        self.err(
                            Code::OutOfRange,
                            cat(p, ".page"),
                            "page must be within 1..=total_pages",
                        );
                    }
                }
            }
            Body::Inventory(inv) => {
                self.range(inv.rows, 1, MAX_INVENTORY_SIDE, P::Cat(p, ".rows"));
                self.range(inv.cols, 1, MAX_INVENTORY_SIDE, P::Cat(p, ".cols"));
                let slots = inv.rows.saturating_mul(inv.cols);
                for (i, it) in inv
                    .items
                    .in_document_order()
                    .take(if self.shallow { 0 } else { usize::MAX })
                    .enumerate()
                {
                    self.item(it, slots, &idx(p, ".items", i, ""));
                }
            }
            Body::Map(m) => {
                self.range(m.width, 1, MAX_MAP_SIDE, P::Cat(p, ".width"));
                self.range(m.height, 1, MAX_MAP_SIDE, P::Cat(p, ".height"));
                if let Some(vp) = &m.viewport {
                    self.range(vp.width, 1, m.width.max(1), P::Cat(p, ".viewport.width"));
                    self.range(vp.height, 1, m.height.max(1), P::Cat(p, ".viewport.height"));
                }
                if let Some(c) = &m.center {
                    self.point(c, m.width, m.height, &cat(p, ".center"));
                }
                self.count(m.tiles.len(), MAX_LIST * 10, P::Cat(p, ".tiles"), "tiles");
                for (i, t) in m
                    .tiles
                    .in_document_order()
                    .take(if self.shallow { 0 } else { usize::MAX })
                    .enumerate()
                {
                    self.tile(t, m.width, m.height, &idx(p, ".tiles", i, ""));
                }
                self.count(
                    m.terrain_styles.len(),
                    MAX_SMALL_MAP,
                    P::Cat(p, ".terrain_styles"),
                    "terrain styles",
                );
                for (name, st) in &m.terrain_styles {
                    self.id(name, P::Cat(p, ".terrain_styles"));
                    self.opt_text(
                        &st.content,
                        P::Lazy(&|| crate::path::map_key(p, "terrain_styles", name) + ".content"),
                    );
                }
                self.count(m.markers.len(), MAX_LIST, P::Cat(p, ".markers"), "markers");
                for (i, mk) in m
                    .markers
                    .in_document_order()
                    .take(if self.shallow { 0 } else { usize::MAX })
                    .enumerate()
                {
                    self.marker(mk, m.width, m.height, &idx(p, ".markers", i, ""));
                }
                if let Some(ex) = &m.explored {
                    self.count(
                        ex.len(),
                        MAX_LIST * 10,
                        P::Cat(p, ".explored"),
                        "explored cells",
                    );
                    for (i, pt) in ex
                        .in_document_order()
                        .take(if self.shallow { 0 } else { usize::MAX })
                        .enumerate()
                    {
                        self.point(pt, m.width, m.height, &idx(p, ".explored", i, ""));
                    }
                }
            }
            Body::Lobby(l) => {
                self.id(&l.game, P::Cat(p, ".game"));
                if let Some(h) = &l.host {
                    self.user(h, P::Cat(p, ".host"));
                }
                self.count(l.players.len(), MAX_LIST, P::Cat(p, ".players"), "players");
                let mut seen = HashSet::new();
                for (i, lp) in l.players.iter().enumerate() {
                    self.lobby_player(lp, &idx(p, ".players", i, ""));
                    if !seen.insert(lp.id.as_str()) {
                        self.err(
                            Code::DuplicateId,
                            idx(p, ".players", i, ".id"),
                            "a player is listed twice",
                        );
                    }
                }
                self.count(
                    l.settings.len(),
                    MAX_SMALL_MAP,
                    P::Cat(p, ".settings"),
                    "settings",
                );
                for (k, s) in &l.settings {
                    self.id(k, P::Cat(p, ".settings"));
                    self.setting(s, &crate::path::map_key(p, "settings", k));
                }
                if let (Some(lo), Some(hi)) = (l.min_players, l.max_players) {
                    if lo > hi {
                        self.err(
                            Code::OutOfRange,
                            cat(p, ".min_players"),
                            "min_players is above max_players",
                        );
                    }
                }
            }
            Body::Interactive(it) => {
                self.count(
                    it.components.len(),
                    100,
                    P::Cat(p, ".components"),
                    "components",
                );
                for (i, c) in it.components.iter().enumerate() {
                    self.component(c, &idx(p, ".components", i, ""));
                }
            }
            Body::Composite(c) => {
                if depth > MAX_COMPOSITE_DEPTH {
                    self.err(
                        Code::TooDeep,
                        p.to_owned(),
                        format!("composites nest at most {MAX_COMPOSITE_DEPTH} deep"),
                    );
                    return;
                }
                self.count(
                    c.widgets.len(),
                    MAX_CHILDREN,
                    P::Cat(p, ".widgets"),
                    "children",
                );
                for (i, child) in c.widgets.iter_mut().enumerate() {
                    let cp = idx(p, ".widgets", i, "");
                    match child.body.common().id.clone() {
                        None => self.err(
                            Code::InvalidType,
                            cat(&cp, ".id"),
                            "a composite child needs an `id`",
                        ),
                        Some(id) => {
                            self.id(&id, P::Cat(&cp, ".id"));
                            if !ids.insert(id) {
                                self.err(
                                    Code::DuplicateId,
                                    cat(&cp, ".id"),
                                    "two children share this id",
                                );
                            }
                        }
                    }
                    self.body(&mut child.body, &cp, depth + 1, ids);
                }
            }
        }
        self.views(b, p, depth);
    }

    /// Each view must be fields of this kind that, laid over the base, give
    /// a valid widget. Stored views are re-serialized from the typed result
    /// so that colours and URLs in them are canonical too.
    fn views(&mut self, b: &mut Body, p: &str, depth: usize) {
        let Some(views) = b.common().views.clone() else {
            return;
        };
        self.count(views.len(), MAX_LIST, P::Cat(p, ".views"), "views");
        let mut normalized = views.clone();
        for (key, fields) in &views {
            let vp = crate::path::map_key(p, "views", key);
            self.id(key, P::Cat(p, ".views"));
            if let Some(bad) = fields.keys().find(|k| *k == "views" || *k == "id") {
                self.err(
                    Code::NotAllowedHere,
                    format!("{vp}.{bad}"),
                    "a view may not hold `views` or `id`",
                );
                continue;
            }
            match view::merge_view(b, fields, p) {
                Err(mut e) => {
                    e.path = rebase(&e.path, p, &vp);
                    self.errs.push(e);
                }
                Ok(mut merged) => {
                    let before = self.errs.len();
                    // Ids of children inside a view may repeat the base's.
                    self.body(&mut merged, p, depth, &mut HashSet::new());
                    for e in &mut self.errs[before..] {
                        e.path = rebase(&e.path, p, &vp);
                    }
                    if let serde_json::Value::Object(m) = merged.to_value() {
                        if let Some(slot) = normalized.get_mut(key) {
                            for (k, v) in slot.iter_mut() {
                                if let Some(nv) = m.get(k) {
                                    *v = nv.clone();
                                }
                            }
                        }
                    }
                }
            }
        }
        *b.common_mut().views = Some(normalized);
    }
}

/// `extra_data.cells[2]` under a view becomes `extra_data.views.U.cells[2]`.
fn rebase(path: &str, base: &str, view_base: &str) -> String {
    match path.strip_prefix(base) {
        Some(rest) if !rest.starts_with(".views") => format!("{view_base}{rest}"),
        _ => path.to_owned(),
    }
}
