//! The pure decisions of connected mode, testable natively: backoff with
//! jitter, which transport to use (with fallback and upgrade), and which
//! events are new.

/// A transport to the server's event queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    WebSocket,
    LongPoll,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::WebSocket => "websocket",
            Transport::LongPoll => "long-poll",
        }
    }
}

/// What the embedding code asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preference {
    /// WebSocket, falling back to long-poll when sockets fail, and trying
    /// sockets again later.
    #[default]
    Auto,
    WebSocket,
    LongPoll,
}

impl Preference {
    pub fn parse(s: &str) -> Option<Preference> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" | "" => Some(Preference::Auto),
            "websocket" | "ws" => Some(Preference::WebSocket),
            "long-poll" | "longpoll" | "long_poll" | "http" => Some(Preference::LongPoll),
            _ => None,
        }
    }
}

/// The connection state the player is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The first connection is being made.
    Connecting,
    /// Events flow.
    Connected,
    /// The connection dropped; retrying with backoff.
    Reconnecting,
    /// Closed for good (signed out, destroyed, or credentials refused).
    Offline,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Connecting => "connecting",
            Status::Connected => "connected",
            Status::Reconnecting => "reconnecting",
            Status::Offline => "offline",
        }
    }

    /// Words for the player.
    pub fn label(self) -> &'static str {
        match self {
            Status::Connecting => "Connecting…",
            Status::Connected => "Connected",
            Status::Reconnecting => "Connection lost, reconnecting…",
            Status::Offline => "Offline",
        }
    }
}

/// Exponential backoff with "equal jitter": the n-th delay is uniformly
/// random in `[cap/2, cap]` where `cap = min(max, base * 2^n)`, so that many
/// clients dropped together (a server restart) do not return together, and
/// no retry is immediate.
#[derive(Debug, Clone, PartialEq)]
pub struct Backoff {
    pub base_ms: f64,
    pub max_ms: f64,
    attempt: u32,
}

impl Backoff {
    pub fn new(base_ms: f64, max_ms: f64) -> Backoff {
        Backoff {
            base_ms,
            max_ms,
            attempt: 0,
        }
    }

    /// The next delay in ms; `random01` is uniform in `[0, 1)`.
    pub fn next_delay(&mut self, random01: f64) -> f64 {
        let cap = (self.base_ms * 2f64.powi(self.attempt.min(30) as i32)).min(self.max_ms);
        self.attempt = self.attempt.saturating_add(1);
        let r = random01.clamp(0.0, 1.0);
        cap / 2.0 + r * cap / 2.0
    }

    /// After a success: the next failure starts from `base_ms` again.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    pub fn attempts(&self) -> u32 {
        self.attempt
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new(500.0, 8_000.0)
    }
}

/// Consecutive WebSocket failures (sockets that never got to
/// `connection_established`) before `Auto` falls back to long-poll.
pub const WS_FAILURES_BEFORE_FALLBACK: u32 = 2;
/// How long `Auto` stays on long-poll before trying a socket again.
pub const UPGRADE_AFTER_MS: f64 = 60_000.0;

/// Which transport to use next. A fallback is remembered for this
/// connection only and retried after [`UPGRADE_AFTER_MS`]. A socket that
/// fails while the server is down entirely is not the socket's fault: when
/// long-poll fails too before it ever worked, the fallback is cancelled.
#[derive(Debug, Clone, PartialEq)]
pub struct TransportPolicy {
    pref: Preference,
    ws_failures: u32,
    fallback_until_ms: Option<f64>,
    long_poll_worked: bool,
}

impl TransportPolicy {
    pub fn new(pref: Preference) -> TransportPolicy {
        TransportPolicy {
            pref,
            ws_failures: 0,
            fallback_until_ms: None,
            long_poll_worked: false,
        }
    }

    pub fn preference(&self) -> Preference {
        self.pref
    }

    pub fn choose(&self, now_ms: f64) -> Transport {
        match self.pref {
            Preference::WebSocket => Transport::WebSocket,
            Preference::LongPoll => Transport::LongPoll,
            Preference::Auto => match self.fallback_until_ms {
                Some(t) if now_ms < t => Transport::LongPoll,
                _ => Transport::WebSocket,
            },
        }
    }

    /// A socket reached `connection_established`.
    pub fn ws_established(&mut self) {
        self.ws_failures = 0;
        self.fallback_until_ms = None;
    }

    /// A socket closed or failed; `established` says whether it had worked.
    /// A drop after success is the network's fault, not the transport's.
    pub fn ws_failed(&mut self, now_ms: f64, established: bool) {
        if established {
            self.ws_failures = 0;
            return;
        }
        self.ws_failures += 1;
        if self.pref == Preference::Auto && self.ws_failures >= WS_FAILURES_BEFORE_FALLBACK {
            self.ws_failures = 0;
            self.long_poll_worked = false;
            self.fallback_until_ms = Some(now_ms + UPGRADE_AFTER_MS);
        }
    }

    pub fn long_poll_ok(&mut self) {
        self.long_poll_worked = true;
    }

    pub fn long_poll_failed(&mut self) {
        if self.fallback_until_ms.is_some() && !self.long_poll_worked {
            // Neither transport works: the server is away, not the socket.
            self.fallback_until_ms = None;
        }
    }

    /// Whether a long-poll loop should stop to try a socket again.
    pub fn should_upgrade(&self, now_ms: f64) -> bool {
        self.pref == Preference::Auto && self.choose(now_ms) == Transport::WebSocket
    }
}

/// The id of the last event handled: events at or below it are replays
/// (after a reconnect, or a transport switch) and are skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cursor {
    pub last_event_id: u64,
}

impl Cursor {
    /// Whether the event with `id` is new; if so it becomes the last one.
    pub fn accept(&mut self, id: u64) -> bool {
        if id > self.last_event_id {
            self.last_event_id = id;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_caps() {
        let mut b = Backoff::new(500.0, 8_000.0);
        let lows: Vec<f64> = (0..7).map(|_| b.next_delay(0.0)).collect();
        assert_eq!(
            lows,
            [250.0, 500.0, 1_000.0, 2_000.0, 4_000.0, 4_000.0, 4_000.0]
        );
        b.reset();
        assert_eq!(b.next_delay(0.999_999).round(), 500.0);
        let mut c = Backoff::new(500.0, 8_000.0);
        for _ in 0..100 {
            let d = c.next_delay(0.5);
            assert!((250.0..=8_000.0).contains(&d));
        }
    }

    #[test]
    fn auto_falls_back_after_two_failed_sockets_and_upgrades_later() {
        let mut p = TransportPolicy::new(Preference::Auto);
        assert_eq!(p.choose(0.0), Transport::WebSocket);
        p.ws_failed(0.0, false);
        assert_eq!(p.choose(0.0), Transport::WebSocket);
        p.ws_failed(10.0, false);
        assert_eq!(p.choose(11.0), Transport::LongPoll);
        p.long_poll_ok();
        assert!(!p.should_upgrade(10.0 + UPGRADE_AFTER_MS - 1.0));
        assert!(p.should_upgrade(10.0 + UPGRADE_AFTER_MS));
        assert_eq!(p.choose(10.0 + UPGRADE_AFTER_MS), Transport::WebSocket);
        p.ws_established();
        assert_eq!(p.choose(0.0), Transport::WebSocket);
    }

    #[test]
    fn drops_after_success_do_not_fall_back() {
        let mut p = TransportPolicy::new(Preference::Auto);
        for i in 0..10 {
            p.ws_failed(i as f64, true);
        }
        assert_eq!(p.choose(100.0), Transport::WebSocket);
    }

    #[test]
    fn server_down_is_not_the_sockets_fault() {
        let mut p = TransportPolicy::new(Preference::Auto);
        p.ws_failed(0.0, false);
        p.ws_failed(1.0, false);
        assert_eq!(p.choose(2.0), Transport::LongPoll);
        p.long_poll_failed();
        assert_eq!(p.choose(3.0), Transport::WebSocket);
    }

    #[test]
    fn fixed_preferences_never_switch() {
        let mut ws = TransportPolicy::new(Preference::WebSocket);
        let mut lp = TransportPolicy::new(Preference::LongPoll);
        for i in 0..5 {
            ws.ws_failed(i as f64, false);
        }
        assert_eq!(ws.choose(10.0), Transport::WebSocket);
        assert_eq!(lp.choose(10.0), Transport::LongPoll);
        lp.long_poll_failed();
        assert!(!lp.should_upgrade(1e12));
    }

    #[test]
    fn cursor_skips_replays() {
        let mut c = Cursor::default();
        assert!(c.accept(1));
        assert!(c.accept(2));
        assert!(!c.accept(2));
        assert!(!c.accept(1));
        assert!(c.accept(5));
        assert_eq!(c.last_event_id, 5);
    }

    #[test]
    fn preferences_parse() {
        assert_eq!(Preference::parse("long-poll"), Some(Preference::LongPoll));
        assert_eq!(Preference::parse("WebSocket"), Some(Preference::WebSocket));
        assert_eq!(Preference::parse("auto"), Some(Preference::Auto));
        assert_eq!(Preference::parse("carrier-pigeon"), None);
    }
}
