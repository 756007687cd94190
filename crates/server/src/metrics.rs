//! Counters for `GET /metrics` (Prometheus text format).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;

#[derive(Debug, Default)]
pub struct Metrics {
    pub ws_connections: AtomicI64,
    pub game_ws_connections: AtomicI64,
    pub longpoll_waiting: AtomicI64,
    pub events_total: AtomicU64,
    pub queues_cut_off: AtomicU64,
    pub queues_expired: AtomicU64,
    pub widget_updates: AtomicU64,
    pub interactions: AtomicU64,
    pub messages_posted: AtomicU64,
    pub timers_fired: AtomicU64,
    /// Calls of `outgoing::publish` that reached at least one queue, and
    /// the time they took (rendering and queueing, not sending).
    pub publish_calls: AtomicU64,
    pub publish_micros: AtomicU64,
    rejections: Mutex<BTreeMap<String, u64>>,
}

impl Metrics {
    pub fn reject(&self, code: &str) {
        let mut m = self.rejections.lock().unwrap_or_else(|e| e.into_inner());
        *m.entry(code.to_owned()).or_default() += 1;
    }

    /// The Prometheus text; `queues` gives (queue count, total depth, max depth, total bytes).
    pub fn render(&self, queues: (usize, usize, usize, usize)) -> String {
        let mut s = String::new();
        let mut gauge = |name: &str, help: &str, kind: &str, lines: &[(String, String)]| {
            let _ = writeln!(s, "# HELP {name} {help}");
            let _ = writeln!(s, "# TYPE {name} {kind}");
            for (labels, v) in lines {
                let _ = writeln!(s, "{name}{labels} {v}");
            }
        };
        let g = |a: &AtomicI64| a.load(Relaxed).to_string();
        let c = |a: &AtomicU64| a.load(Relaxed).to_string();
        gauge(
            "tulip_connections",
            "Open event connections by transport.",
            "gauge",
            &[
                ("{transport=\"websocket\"}".into(), g(&self.ws_connections)),
                (
                    "{transport=\"game_websocket\"}".into(),
                    g(&self.game_ws_connections),
                ),
                ("{transport=\"longpoll\"}".into(), g(&self.longpoll_waiting)),
            ],
        );
        gauge(
            "tulip_events_total",
            "Events queued, all queues.",
            "counter",
            &[(String::new(), c(&self.events_total))],
        );
        gauge(
            "tulip_event_queues",
            "Live event queues.",
            "gauge",
            &[(String::new(), queues.0.to_string())],
        );
        gauge(
            "tulip_queue_depth_events",
            "Unacknowledged events, summed over queues.",
            "gauge",
            &[(String::new(), queues.1.to_string())],
        );
        gauge(
            "tulip_queue_depth_max_events",
            "Unacknowledged events of the fullest queue.",
            "gauge",
            &[(String::new(), queues.2.to_string())],
        );
        gauge(
            "tulip_queue_bytes",
            "Bytes of unacknowledged events, summed over queues.",
            "gauge",
            &[(String::new(), queues.3.to_string())],
        );
        gauge(
            "tulip_queues_cut_off_total",
            "Queues dropped because their client fell too far behind.",
            "counter",
            &[(String::new(), c(&self.queues_cut_off))],
        );
        gauge(
            "tulip_queues_expired_total",
            "Queues dropped for being idle.",
            "counter",
            &[(String::new(), c(&self.queues_expired))],
        );
        gauge(
            "tulip_messages_total",
            "Messages posted.",
            "counter",
            &[(String::new(), c(&self.messages_posted))],
        );
        gauge(
            "tulip_widget_updates_total",
            "Widget updates and replacements applied.",
            "counter",
            &[(String::new(), c(&self.widget_updates))],
        );
        gauge(
            "tulip_interactions_total",
            "Interactions accepted.",
            "counter",
            &[(String::new(), c(&self.interactions))],
        );
        gauge(
            "tulip_timers_fired_total",
            "Timers that expired and were delivered.",
            "counter",
            &[(String::new(), c(&self.timers_fired))],
        );
        gauge(
            "tulip_publish_total",
            "Events fanned out to at least one queue.",
            "counter",
            &[(String::new(), c(&self.publish_calls))],
        );
        let micros = self.publish_micros.load(Relaxed);
        gauge(
            "tulip_publish_seconds_total",
            "Time spent rendering events and putting them in queues.",
            "counter",
            &[(String::new(), format!("{}", micros as f64 / 1e6))],
        );
        let rej: Vec<(String, String)> = self
            .rejections
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(k, v)| (format!("{{code=\"{k}\"}}"), v.to_string()))
            .collect();
        gauge(
            "tulip_rejections_total",
            "Requests rejected, by error code.",
            "counter",
            &rej,
        );
        s
    }
}
