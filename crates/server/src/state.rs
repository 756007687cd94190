//! Shared server state.

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tulip_core::{Policy, Widget};

use crate::db::Db;
use crate::metrics::Metrics;
use crate::queues::{QueueLimits, Queues};
use crate::ratelimit::RateLimiter;

/// Server settings (from the command line, or set by tests).
#[derive(Debug, Clone)]
pub struct Config {
    pub dev_login: bool,
    /// Origins allowed to open WebSockets (besides the server's own).
    pub allowed_origins: Vec<String>,
    pub allow_http_urls: bool,
    pub heartbeat: Duration,
    pub queue: QueueLimits,
    pub ticket_ttl: Duration,
    pub ping_interval: Duration,
    pub ping_timeout: Duration,
    /// Largest WebSocket message (and frame) a client may send.
    pub ws_max_message: usize,
    /// Largest amount of unsent data buffered for one socket.
    pub ws_max_write_buffer: usize,
    /// A socket whose send is stuck for this long is closed.
    pub ws_send_timeout: Duration,
    pub interaction_rate: (f64, f64),
    pub update_rate: (f64, f64),
}

impl Default for Config {
    fn default() -> Self {
        Config {
            dev_login: false,
            allowed_origins: Vec::new(),
            allow_http_urls: false,
            heartbeat: Duration::from_secs(45),
            queue: QueueLimits::default(),
            ticket_ttl: Duration::from_secs(30),
            ping_interval: Duration::from_secs(20),
            ping_timeout: Duration::from_secs(10),
            ws_max_message: 64 * 1024,
            ws_max_write_buffer: 4 * 1024 * 1024,
            ws_send_timeout: Duration::from_secs(10),
            interaction_rate: (20.0, 40.0),
            update_rate: (60.0, 60.0),
        }
    }
}

/// A user or bot, as authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub is_bot: bool,
}

/// What never changes about a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageMeta {
    pub id: i64,
    pub topic: String,
    pub sender_id: i64,
    pub content: String,
    pub timestamp_ms: i64,
}

/// A widget as stored, with its version.
#[derive(Debug, Clone)]
pub struct Stored {
    pub widget: Arc<Widget>,
    pub version: u64,
}

/// A message in memory: locked while its widget changes, so that updates
/// of one widget are applied, persisted and broadcast one at a time.
#[derive(Debug)]
pub struct MsgState {
    pub meta: Arc<MessageMeta>,
    pub widget: Option<Stored>,
}

pub type MsgCell = Arc<tokio::sync::Mutex<MsgState>>;

pub struct Ticket {
    pub user_id: i64,
    pub expires: Instant,
}

pub struct Inner {
    pub config: Config,
    pub policy: Policy,
    pub db: Db,
    pub queues: Queues,
    pub metrics: Metrics,
    pub messages: Mutex<HashMap<i64, MsgCell>>,
    pub users_by_key: RwLock<HashMap<String, User>>,
    pub tickets: Mutex<HashMap<String, Ticket>>,
    pub interaction_limits: RateLimiter<(i64, i64)>,
    pub update_limits: RateLimiter<i64>,
    /// Serializes posting so that message events reach queues in id order.
    pub post_lock: tokio::sync::Mutex<()>,
    pub next_interaction_id: AtomicU64,
}

/// Cheap to clone; everything lives behind one `Arc`.
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(config: Config, db: Db) -> AppState {
        let policy = Policy {
            allow_http: config.allow_http_urls,
        };
        let queues = Queues::new(config.queue);
        let (ir, ib) = config.interaction_rate;
        let (ur, ub) = config.update_rate;
        AppState(Arc::new(Inner {
            policy,
            db,
            queues,
            metrics: Metrics::default(),
            messages: Mutex::new(HashMap::new()),
            users_by_key: RwLock::new(HashMap::new()),
            tickets: Mutex::new(HashMap::new()),
            interaction_limits: RateLimiter::new(ir, ib),
            update_limits: RateLimiter::new(ur, ub),
            post_lock: tokio::sync::Mutex::new(()),
            next_interaction_id: AtomicU64::new(now_ms() as u64 * 1000),
            config,
        }))
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
