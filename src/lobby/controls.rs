//! Which lobby controls a viewer gets: a pure function of the viewer and
//! the lobby, natively tested. The server checks the same rules when the
//! interaction arrives (crates/core/src/interact.rs); showing only what it
//! would accept spares the player a refusal.

use serde_json::Value;
use tulip_core::model::{Lobby, LobbyStatus, SettingValue};

/// Why the host's Start button is disabled, or that it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Enough players, all ready: Start is enabled.
    Go,
    /// Fewer players than `min_players` (at least one).
    NeedPlayers { have: usize, need: usize },
    /// More players than `max_players`.
    TooMany { have: usize, max: usize },
    /// This many players are not ready yet.
    NotReady(usize),
}

impl Start {
    pub fn enabled(self) -> bool {
        self == Start::Go
    }

    /// Words for the player (beside the disabled button).
    pub fn reason(self) -> Option<String> {
        match self {
            Start::Go => None,
            Start::NeedPlayers { have, need } => {
                let more = need - have;
                Some(format!(
                    "Needs {more} more player{} to start",
                    if more == 1 { "" } else { "s" }
                ))
            }
            Start::TooMany { have, max } => {
                Some(format!("Too many players to start ({have}, at most {max})"))
            }
            Start::NotReady(n) => Some(format!(
                "Waiting for {n} player{} to get ready",
                if n == 1 { "" } else { "s" }
            )),
        }
    }
}

/// The controls one viewer gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Controls {
    /// The viewer is in `players`.
    pub member: bool,
    /// The viewer is the `host`.
    pub host: bool,
    /// Show Join (→ `lobby_join`).
    pub join: bool,
    /// The lobby is full (said instead of Join).
    pub full: bool,
    /// Show Leave (→ `lobby_leave`).
    pub leave: bool,
    /// Show the ready toggle, pressed when the viewer is ready
    /// (→ `lobby_ready {ready: !pressed}`).
    pub ready: Option<bool>,
    /// Settings as selects of their options (→ `lobby_setting`); read-only
    /// text otherwise.
    pub edit_settings: bool,
    /// Show Start (→ `lobby_start`), enabled or why not.
    pub start: Option<Start>,
}

/// Whether `viewer` is `id`: ids compare as text (`7` is `"7"`).
fn same(viewer: Option<&str>, id: &str) -> bool {
    viewer.is_some_and(|v| v == id)
}

/// Whether the start rule holds: at least `min_players` (default 1) and at
/// most `max_players` players, every one of them ready.
pub fn start_state(l: &Lobby) -> Start {
    let have = l.players.len();
    let need = l.min_players.unwrap_or(1).max(1) as usize;
    if have < need {
        return Start::NeedPlayers { have, need };
    }
    if let Some(max) = l.max_players.map(|m| m as usize) {
        if have > max {
            return Start::TooMany { have, max };
        }
    }
    match l.players.iter().filter(|p| p.ready != Some(true)).count() {
        0 => Start::Go,
        n => Start::NotReady(n),
    }
}

/// Whether the lobby has no room left.
pub fn is_full(l: &Lobby) -> bool {
    l.max_players
        .is_some_and(|m| l.players.len() as u64 >= u64::from(m))
}

/// The controls for `viewer` (`None`: unknown, e.g. the gallery: treated as
/// someone who is neither in the lobby nor its host).
///
/// - waiting: Join for non-members while there is room; Leave and the
///   ready toggle for members; for the host, editable settings and Start.
/// - starting: members may still Leave; nothing else.
/// - in progress: no controls.
pub fn controls(viewer: Option<&str>, l: &Lobby) -> Controls {
    let member = l.players.iter().any(|p| same(viewer, p.id.as_str()));
    let host = l.host.as_ref().is_some_and(|h| same(viewer, h.as_str()));
    let waiting = l.status == LobbyStatus::Waiting;
    let full = is_full(l);
    let ready = l
        .players
        .iter()
        .find(|p| same(viewer, p.id.as_str()))
        .map(|p| p.ready == Some(true));
    Controls {
        member,
        host,
        join: waiting && !member && !full,
        full: waiting && !member && full,
        leave: member && l.status != LobbyStatus::InProgress,
        ready: ready.filter(|_| waiting),
        edit_settings: waiting && host,
        start: (waiting && host).then(|| start_state(l)),
    }
}

/// "2 of 2–4 players", "1 of 4 players", "3 players (at least 2)",
/// "1 player".
pub fn count_text(l: &Lobby) -> String {
    let n = l.players.len();
    let noun = |k: u64| if k == 1 { "player" } else { "players" };
    match (l.min_players, l.max_players) {
        (Some(lo), Some(hi)) if lo == hi => format!("{n} of {hi} {}", noun(u64::from(hi))),
        (Some(lo), Some(hi)) => format!("{n} of {lo}–{hi} players"),
        (None, Some(hi)) => format!("{n} of {hi} {}", noun(u64::from(hi))),
        (Some(lo), None) => format!("{n} {} (at least {lo})", noun(n as u64)),
        (None, None) => format!("{n} {}", noun(n as u64)),
    }
}

/// A setting's value as text: numbers without a needless `.0`, flags as
/// "on" / "off".
pub fn value_text(v: &SettingValue) -> String {
    match v {
        SettingValue::Text(s) => s.clone(),
        SettingValue::Bool(true) => "on".to_owned(),
        SettingValue::Bool(false) => "off".to_owned(),
        SettingValue::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 9.0e15 {
                format!("{}", *n as i64)
            } else {
                n.to_string()
            }
        }
    }
}

/// A setting's value as the JSON of a `lobby_setting` interaction: whole
/// numbers as integers (`3`, not `3.0`), as a bot wrote them.
pub fn value_json(v: &SettingValue) -> Value {
    match v {
        SettingValue::Text(s) => Value::from(s.as_str()),
        SettingValue::Bool(b) => Value::from(*b),
        SettingValue::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Value::from(*n as i64),
        SettingValue::Number(n) => Value::from(*n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lobby(extra: Value) -> Lobby {
        let mut base = json!({"game": "tictactoe", "host": 1, "min_players": 2, "max_players": 3,
            "players": [{"id": 1, "name": "alice", "ready": true}, {"id": "2", "name": "bob"}]});
        if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        let w = tulip_core::parse_widget_value(
            json!({"widget_type": "lobby", "extra_data": base}),
            &tulip_core::Policy::default(),
        )
        .unwrap();
        match w.body {
            tulip_core::Body::Lobby(l) => l,
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_stranger_may_join_while_there_is_room() {
        let l = lobby(json!({}));
        let c = controls(Some("9"), &l);
        assert!(c.join && !c.full && !c.member && !c.host && !c.leave);
        assert_eq!((c.ready, c.start, c.edit_settings), (None, None, false));
        // The gallery: no viewer known.
        assert_eq!(controls(None, &l), c);
        // Full: no Join, it says so.
        let l = lobby(json!({"max_players": 2}));
        let c = controls(Some("9"), &l);
        assert!(!c.join && c.full);
    }

    #[test]
    fn members_leave_and_toggle_ready_and_ids_compare_as_text() {
        let l = lobby(json!({}));
        let bob = controls(Some("2"), &l);
        assert!(bob.member && bob.leave && !bob.join && !bob.host);
        assert_eq!(bob.ready, Some(false));
        assert_eq!(bob.start, None, "not the host");
        assert!(!bob.edit_settings);
        // Host 1 is the integer 1; the viewer is the text "1".
        let alice = controls(Some("1"), &l);
        assert!(alice.host && alice.member && alice.edit_settings);
        assert_eq!(alice.ready, Some(true));
        assert_eq!(alice.start, Some(Start::NotReady(1)));
    }

    #[test]
    fn start_needs_enough_players_all_ready() {
        let l = lobby(json!({"players": [{"id": 1, "ready": true}]}));
        let s = start_state(&l);
        assert_eq!(s, Start::NeedPlayers { have: 1, need: 2 });
        assert_eq!(s.reason().as_deref(), Some("Needs 1 more player to start"));
        let l = lobby(json!({"players": [{"id": 1, "ready": true}, {"id": 2, "ready": true}]}));
        assert!(start_state(&l).enabled());
        assert_eq!(start_state(&l).reason(), None);
        let l = lobby(json!({"players": [{"id": 1}, {"id": 2, "ready": false}]}));
        assert_eq!(
            start_state(&l).reason().as_deref(),
            Some("Waiting for 2 players to get ready")
        );
        // Without min_players one ready player may start.
        let l = lobby(json!({"min_players": null, "players": [{"id": 1, "ready": true}]}));
        assert!(start_state(&l).enabled());
    }

    #[test]
    fn after_waiting_the_controls_go() {
        let l = lobby(json!({"status": "starting"}));
        let c = controls(Some("1"), &l);
        assert!(c.leave && !c.join && c.ready.is_none() && c.start.is_none() && !c.edit_settings);
        assert!(!controls(Some("9"), &l).join);
        let l = lobby(json!({"status": "in_progress"}));
        let c = controls(Some("1"), &l);
        assert!(!c.leave && !c.join && c.ready.is_none() && c.start.is_none());
        assert!(c.host && c.member, "still known, for the tags");
    }

    #[test]
    fn counts_and_values() {
        assert_eq!(count_text(&lobby(json!({}))), "2 of 2–3 players");
        assert_eq!(
            count_text(&lobby(json!({"min_players": 2, "max_players": 2}))),
            "2 of 2 players"
        );
        assert_eq!(
            count_text(&lobby(json!({"min_players": null, "max_players": 4}))),
            "2 of 4 players"
        );
        assert_eq!(
            count_text(&lobby(json!({"max_players": null}))),
            "2 players (at least 2)"
        );
        assert_eq!(
            count_text(&lobby(
                json!({"min_players": null, "max_players": null, "players": [{"id": 1}]})
            )),
            "1 player"
        );
        assert_eq!(value_text(&SettingValue::Number(3.0)), "3");
        assert_eq!(value_text(&SettingValue::Number(2.5)), "2.5");
        assert_eq!(value_text(&SettingValue::Bool(true)), "on");
        assert_eq!(value_json(&SettingValue::Number(3.0)), json!(3));
        assert_eq!(value_json(&SettingValue::Number(0.5)), json!(0.5));
        assert_eq!(
            value_json(&SettingValue::Text("host".into())),
            json!("host")
        );
        assert_eq!(value_json(&SettingValue::Bool(false)), json!(false));
    }
}
