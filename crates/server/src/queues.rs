//! Event queues (in memory only).
//!
//! Each client owns a queue. Events get increasing ids; they stay in the
//! queue until the client acknowledges them (`last_event_id` on a long-poll,
//! `ack` on a WebSocket, or the `last_event_id` a WebSocket is opened with),
//! so a client that drops, or switches between long-poll and WebSocket,
//! resumes exactly where it was. A queue holding more than its limits of
//! unacknowledged events is dropped: its client gets `BAD_EVENT_QUEUE_ID`,
//! registers again and refetches. Queues nobody polled for `idle_timeout`
//! expire. A restart loses every queue, by design.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use rand::distributions::Alphanumeric;
use rand::Rng;
use tokio::sync::watch;

/// Limits of one queue.
#[derive(Debug, Clone, Copy)]
pub struct QueueLimits {
    pub max_events: usize,
    pub max_bytes: usize,
    pub idle_timeout: Duration,
}

impl Default for QueueLimits {
    fn default() -> Self {
        QueueLimits {
            max_events: 10_000,
            max_bytes: 8 * 1024 * 1024,
            idle_timeout: Duration::from_secs(600),
        }
    }
}

/// What a queue receives besides the events addressed to its user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subs {
    /// Every topic and message.
    pub all: bool,
    pub topics: HashSet<String>,
    pub message_ids: HashSet<i64>,
}

impl Subs {
    pub fn wants(&self, topic: &str, message_id: i64) -> bool {
        self.all || self.topics.contains(topic) || self.message_ids.contains(&message_id)
    }
}

/// One queued event: its id and its whole JSON text (id included).
///
/// The text is built once, when the event is queued, into a reference-counted
/// buffer that a WebSocket frame takes as is: sending it copies nothing.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: u64,
    pub text: Utf8Bytes,
}

#[derive(Debug)]
struct Inner {
    events: VecDeque<Event>,
    bytes: usize,
    next_id: u64,
    subs: Subs,
    last_active: Instant,
    consumers: usize,
    dead: bool,
}

/// One client's queue.
#[derive(Debug)]
pub struct Queue {
    pub id: String,
    pub user_id: i64,
    inner: Mutex<Inner>,
    /// The last event id pushed; `u64::MAX` once the queue is dead.
    signal: watch::Sender<u64>,
    limits: QueueLimits,
}

/// Why a push failed: the queue is (now) dead.
#[derive(Debug, PartialEq, Eq)]
pub struct Dead;

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding this lock cannot leave it inconsistent in a
        // way that matters more than losing the queue; recover the data.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn subs(&self) -> Subs {
        self.lock().subs.clone()
    }

    pub fn wants(&self, topic: &str, message_id: i64) -> bool {
        self.lock().subs.wants(topic, message_id)
    }

    pub fn update_subs(&self, f: impl FnOnce(&mut Subs)) {
        f(&mut self.lock().subs)
    }

    pub fn is_dead(&self) -> bool {
        self.lock().dead
    }

    /// The id of the newest event.
    pub fn last_id(&self) -> u64 {
        self.lock().next_id - 1
    }

    pub fn depth(&self) -> (usize, usize) {
        let g = self.lock();
        (g.events.len(), g.bytes)
    }

    /// Appends an event; `frag` is the event's JSON object without its
    /// opening brace and without `id` (`"type":...}`). Kills the queue when
    /// it would go over its limits.
    pub fn push(&self, frag: &str) -> Result<u64, Dead> {
        let mut g = self.lock();
        if g.dead {
            return Err(Dead);
        }
        let id = g.next_id;
        let mut buf = String::with_capacity(frag.len() + 24);
        let _ = write!(buf, "{{\"id\":{id},");
        buf.push_str(frag);
        let text = Utf8Bytes::from(buf);
        if g.events.len() + 1 > self.limits.max_events
            || g.bytes + text.len() > self.limits.max_bytes
        {
            g.dead = true;
            g.events.clear();
            g.bytes = 0;
            drop(g);
            self.signal.send_replace(u64::MAX);
            return Err(Dead);
        }
        g.next_id += 1;
        g.bytes += text.len();
        g.events.push_back(Event { id, text });
        drop(g);
        self.signal.send_replace(id);
        Ok(id)
    }

    /// Acknowledges every event up to `last_event_id` (drops them).
    pub fn ack(&self, last_event_id: i64) {
        let mut g = self.lock();
        g.last_active = Instant::now();
        while g
            .events
            .front()
            .is_some_and(|e| (e.id as i64) <= last_event_id)
        {
            if let Some(e) = g.events.pop_front() {
                g.bytes -= e.text.len();
            }
        }
    }

    /// Events newer than `after`, at most `max`.
    pub fn after(&self, after: i64, max: usize) -> Result<Vec<Event>, Dead> {
        let mut g = self.lock();
        if g.dead {
            return Err(Dead);
        }
        g.last_active = Instant::now();
        // Ids in a queue are consecutive: skip straight to the first one
        // after `after` instead of walking every unacknowledged event (a
        // client that acks rarely would make each wake-up cost its depth).
        let skip = match g.events.front() {
            Some(first) => usize::try_from(after.saturating_add(1).saturating_sub(first.id as i64))
                .unwrap_or(0)
                .min(g.events.len()),
            None => 0,
        };
        Ok(g.events.range(skip..).take(max).cloned().collect())
    }

    /// A receiver that changes whenever an event is pushed or the queue dies.
    pub fn watch(&self) -> watch::Receiver<u64> {
        self.signal.subscribe()
    }

    /// Marks a consumer (long-poll or socket) as attached while the guard lives.
    pub fn attach(self: &Arc<Self>) -> ConsumerGuard {
        let mut g = self.lock();
        g.consumers += 1;
        g.last_active = Instant::now();
        ConsumerGuard { q: self.clone() }
    }

    fn kill(&self) {
        let mut g = self.lock();
        g.dead = true;
        g.events.clear();
        g.bytes = 0;
        drop(g);
        self.signal.send_replace(u64::MAX);
    }

    fn idle_since(&self) -> Option<Instant> {
        let g = self.lock();
        (g.consumers == 0).then_some(g.last_active)
    }
}

pub struct ConsumerGuard {
    q: Arc<Queue>,
}

impl Drop for ConsumerGuard {
    fn drop(&mut self) {
        let mut g = self.q.lock();
        g.consumers = g.consumers.saturating_sub(1);
        g.last_active = Instant::now();
    }
}

/// Every live queue.
#[derive(Debug, Default)]
pub struct Queues {
    map: RwLock<HashMap<String, Arc<Queue>>>,
    pub limits: QueueLimits,
}

impl Queues {
    pub fn new(limits: QueueLimits) -> Self {
        Queues {
            map: RwLock::default(),
            limits,
        }
    }

    pub fn register(&self, user_id: i64, subs: Subs) -> Arc<Queue> {
        let id: String = rand::thread_rng()
            .sample_iter(&Alphanumeric)
            .take(24)
            .map(char::from)
            .collect();
        let (signal, _) = watch::channel(0);
        let q = Arc::new(Queue {
            id: id.clone(),
            user_id,
            inner: Mutex::new(Inner {
                events: VecDeque::new(),
                bytes: 0,
                next_id: 1,
                subs,
                last_active: Instant::now(),
                consumers: 0,
                dead: false,
            }),
            signal,
            limits: self.limits,
        });
        self.map
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, q.clone());
        q
    }

    /// The queue `id` if it lives and belongs to `user_id`.
    pub fn get(&self, id: &str, user_id: i64) -> Option<Arc<Queue>> {
        let q = self
            .map
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned()?;
        (q.user_id == user_id && !q.is_dead()).then_some(q)
    }

    pub fn remove(&self, id: &str) -> Option<Arc<Queue>> {
        let q = self
            .map
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id)?;
        q.kill();
        Some(q)
    }

    /// A snapshot of every queue.
    pub fn all(&self) -> Vec<Arc<Queue>> {
        self.map
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .cloned()
            .collect()
    }

    pub fn len(&self) -> usize {
        self.map.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops dead queues and queues idle for longer than the limit; returns
    /// how many were dropped.
    pub fn reap(&self, now: Instant) -> usize {
        let victims: Vec<String> = self
            .all()
            .into_iter()
            .filter(|q| {
                q.is_dead()
                    || q.idle_since()
                        .is_some_and(|t| now.duration_since(t) > self.limits.idle_timeout)
            })
            .map(|q| q.id.clone())
            .collect();
        for id in &victims {
            self.remove(id);
        }
        victims.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ack_prunes_and_after_filters() {
        let qs = Queues::new(QueueLimits::default());
        let q = qs.register(1, Subs::default());
        for _ in 0..5 {
            q.push("\"type\":\"heartbeat\"}").ok();
        }
        q.ack(2);
        let ev = q.after(2, 100).unwrap_or_default();
        assert_eq!(ev.iter().map(|e| e.id).collect::<Vec<_>>(), vec![3, 4, 5]);
        let ids = |after, max| {
            q.after(after, max)
                .unwrap_or_default()
                .iter()
                .map(|e| e.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(-1, 100), vec![3, 4, 5]);
        assert_eq!(ids(0, 2), vec![3, 4]);
        assert_eq!(ids(3, 100), vec![4, 5]);
        assert_eq!(ids(5, 100), Vec::<u64>::new());
        assert_eq!(ids(99, 100), Vec::<u64>::new());
        assert_eq!(&*ev[0].text, "{\"id\":3,\"type\":\"heartbeat\"}");
        assert_eq!(q.depth().0, 3);
    }

    #[test]
    fn overflow_kills_queue() {
        let qs = Queues::new(QueueLimits {
            max_events: 3,
            ..QueueLimits::default()
        });
        let q = qs.register(1, Subs::default());
        for _ in 0..3 {
            assert!(q.push("\"type\":\"heartbeat\"}").is_ok());
        }
        assert_eq!(q.push("\"type\":\"heartbeat\"}"), Err(Dead));
        assert!(qs.get(&q.id, 1).is_none());
        assert_eq!(qs.reap(Instant::now()), 1);
        assert!(qs.is_empty());
    }

    #[test]
    fn other_users_cannot_use_a_queue() {
        let qs = Queues::new(QueueLimits::default());
        let q = qs.register(1, Subs::default());
        assert!(qs.get(&q.id, 2).is_none());
        assert!(qs.get(&q.id, 1).is_some());
    }
}
