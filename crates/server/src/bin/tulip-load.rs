//! `tulip-load`: a bounded load test of tulip-server on loopback.
//!
//! Starts `tulip-server` (the binary next to this one) on a temporary
//! database, logs in a bot and `--viewers` users, posts one grid game whose
//! hidden cells give every viewer a different view, connects `--clients`
//! clients (WebSocket or long-poll, spread over the viewers), and has the
//! bot update the game at `--rate` Hz for `--secs` seconds. Each update
//! carries a sequence number in a public cell; clients measure the time
//! from just before the bot's PATCH to the event's arrival. Reports p50,
//! p99 and max delivery latency, lost events, and the server's CPU use,
//! and ends with one `SUMMARY` line holding every figure.
//! Loopback only; it stops by itself.
//!
//! The generator shares the machine with the server, so it keeps its own
//! cost low: the clients run on one thread by default (`--client-threads`),
//! WebSocket clients use a small read buffer, long-poll clients speak plain
//! HTTP/1.1 over one kept-alive connection each (no URL parsing or JSON
//! trees per poll), and the bot runs on a thread of its own so that its
//! ticks do not wait behind the clients' work.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::{Parser, ValueEnum};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Mode {
    Ws,
    Longpoll,
}

#[derive(Parser, Debug)]
#[command(name = "tulip-load")]
struct Args {
    /// Transport of the clients.
    #[arg(long, value_enum, default_value = "ws")]
    mode: Mode,
    /// Number of clients.
    #[arg(long, default_value_t = 1000)]
    clients: usize,
    /// Distinct viewers (users); clients are spread over them.
    #[arg(long, default_value_t = 10)]
    viewers: usize,
    /// Bot updates per second.
    #[arg(long, default_value_t = 30.0)]
    rate: f64,
    /// Seconds of updates.
    #[arg(long, default_value_t = 10.0)]
    secs: f64,
    /// The tulip-server binary (default: next to this one).
    #[arg(long)]
    server: Option<PathBuf>,
    /// Worker threads of the clients' runtime (1: a current-thread runtime).
    #[arg(long, default_value_t = 1)]
    client_threads: usize,
}

const MAX_SEQ: usize = 1 << 16;

struct Shared {
    start: Instant,
    /// Nanoseconds after `start` at which update `seq` was sent (0: not yet).
    sent: Vec<AtomicU64>,
    latencies: Mutex<Vec<u32>>,
    received: AtomicU64,
    stop: AtomicBool,
}

impl Shared {
    fn record(&self, text: &str, now: Instant, local: &mut Vec<u32>) {
        let Some(i) = text.find("seq:") else { return };
        let digits: String = text[i + 4..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let Ok(seq) = digits.parse::<usize>() else {
            return;
        };
        let Some(sent) = self.sent.get(seq).map(|a| a.load(Relaxed)) else {
            return;
        };
        if sent == 0 {
            return;
        }
        let at = now.duration_since(self.start).as_nanos() as u64;
        local.push((at.saturating_sub(sent) / 1000) as u32);
        self.received.fetch_add(1, Relaxed);
    }

    fn flush(&self, local: &mut Vec<u32>) {
        if let Ok(mut l) = self.latencies.lock() {
            l.append(local);
        }
    }
}

async fn login(
    http: &reqwest::Client,
    base: &str,
    name: &str,
    bot: bool,
) -> anyhow::Result<String> {
    let v: Value = http
        .post(format!("{base}/api/v1/dev/login"))
        .json(&json!({"name": name, "bot": bot}))
        .send()
        .await?
        .json()
        .await?;
    Ok(v["api_key"].as_str().context("no api_key")?.to_owned())
}

/// (user, system) CPU ticks of a process.
fn cpu_ticks(pid: u32) -> Option<(u64, u64)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the name.
    Some((f.get(11)?.parse().ok()?, f.get(12)?.parse().ok()?))
}

fn rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn ws_client(
    shared: Arc<Shared>,
    base: String,
    key: String,
    ready: tokio::sync::mpsc::Sender<()>,
) -> anyhow::Result<()> {
    let mut req =
        format!("{}/api/v1/ws", base.replace("http://", "ws://")).into_client_request()?;
    req.headers_mut()
        .insert("authorization", format!("Bearer {key}").parse()?);
    // A small read buffer: tungstenite zero-fills the free part of it
    // before each read (the 128 KiB default made memset most of our CPU).
    let config = WebSocketConfig::default().read_buffer_size(4 * 1024);
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(req, Some(config), true).await?;
    let mut local = Vec::new();
    let mut since_ack = 0;
    let mut last_id = 0i64;
    let mut announced = false;
    while let Some(m) = ws.next().await {
        let now = Instant::now();
        let Message::Text(t) = m? else { continue };
        if !announced {
            announced = true;
            let _ = ready.send(()).await;
            continue;
        }
        shared.record(t.as_str(), now, &mut local);
        if let Some(rest) = t.as_str().strip_prefix("{\"id\":") {
            last_id = rest
                .split(',')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(last_id);
        }
        since_ack += 1;
        if since_ack >= 30 {
            since_ack = 0;
            ws.send(Message::Text(
                json!({"op": "ack", "last_event_id": last_id})
                    .to_string()
                    .into(),
            ))
            .await?;
            shared.flush(&mut local);
        }
        if shared.stop.load(Relaxed) {
            break;
        }
    }
    shared.flush(&mut local);
    Ok(())
}

/// A minimal HTTP/1.1 client on one kept-alive connection: enough for the
/// long-poll loop, at a fraction of a general client's cost per request.
struct RawHttp {
    stream: tokio::net::TcpStream,
    host: String,
    buf: Vec<u8>,
}

impl RawHttp {
    async fn connect(addr: &str) -> anyhow::Result<RawHttp> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(RawHttp {
            stream,
            host: addr.to_owned(),
            buf: Vec::with_capacity(16 * 1024),
        })
    }

    /// Sends one request and returns the status and body of the answer.
    async fn request(
        &mut self,
        method: &str,
        path: &str,
        key: &str,
        body: Option<&str>,
    ) -> anyhow::Result<(u16, String)> {
        use tokio::io::AsyncWriteExt;
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {key}\r\n",
            self.host
        );
        if let Some(b) = body {
            req.push_str("content-type: application/json\r\n");
            req.push_str(&format!("content-length: {}\r\n\r\n{b}", b.len()));
        } else {
            req.push_str("\r\n");
        }
        self.stream.write_all(req.as_bytes()).await?;
        self.buf.clear();
        let head_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i + 4;
            }
            if self.read_more().await? == 0 {
                bail!("connection closed");
            }
        };
        let head = std::str::from_utf8(&self.buf[..head_end])?;
        let status: u16 = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .context("bad status line")?;
        let len: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .context("no content-length")?;
        while self.buf.len() < head_end + len {
            if self.read_more().await? == 0 {
                bail!("connection closed");
            }
        }
        let text = String::from_utf8(self.buf[head_end..head_end + len].to_vec())?;
        Ok((status, text))
    }

    async fn read_more(&mut self) -> std::io::Result<usize> {
        use tokio::io::AsyncReadExt;
        self.buf.reserve(16 * 1024);
        self.stream.read_buf(&mut self.buf).await
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

async fn longpoll_client(
    shared: Arc<Shared>,
    addr: String,
    key: String,
    message_id: i64,
    ready: tokio::sync::mpsc::Sender<()>,
) -> anyhow::Result<()> {
    let mut http = RawHttp::connect(&addr).await?;
    let (status, text) = http
        .request(
            "POST",
            "/api/v1/register",
            &key,
            Some(&format!("{{\"message_ids\":[{message_id}]}}")),
        )
        .await?;
    if status != 200 {
        bail!("register failed: {text}");
    }
    let v: Value = serde_json::from_str(&text)?;
    let q = v["queue_id"].as_str().context("no queue")?.to_owned();
    let _ = ready.send(()).await;
    let mut last = 0i64;
    let mut local = Vec::new();
    while !shared.stop.load(Relaxed) {
        let path = format!("/api/v1/events?queue_id={q}&last_event_id={last}");
        let (status, text) = http.request("GET", &path, &key, None).await?;
        let now = Instant::now();
        if status != 200 {
            bail!("long-poll failed: {text}");
        }
        // Every event starts with `{"id":N,` (the queue writes it first);
        // each update carries its `seq:` in a public cell.
        for ev in text.split("{\"id\":").skip(1) {
            if let Some(id) = ev.split(',').next().and_then(|n| n.parse().ok()) {
                last = id;
            }
            shared.record(ev, now, &mut local);
        }
        shared.flush(&mut local);
    }
    Ok(())
}

fn pct(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1000.0
}

/// mimalloc instead of glibc's allocator: under load, malloc and free
/// (with glibc's chunk consolidation) took a sixth of the server's CPU.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let rt = if args.client_threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(args.client_threads)
            .enable_all()
            .build()?
    };
    rt.block_on(run(args))
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| {
            let f: Vec<&str> = s.split_whitespace().take(3).collect();
            (f.len() == 3).then(|| f.join("/"))
        })
        .unwrap_or_else(|| "?".into())
}

/// The bot: PATCHes the game `updates` times at `rate` Hz, on a thread and
/// runtime of its own. Returns the sorted round trips (µs) and the failures.
fn bot_thread(
    shared: Arc<Shared>,
    base: String,
    bot: String,
    ids: Vec<i64>,
    message_id: i64,
    rate: f64,
    updates: usize,
) -> std::thread::JoinHandle<anyhow::Result<(Vec<u32>, usize)>> {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async move {
            let http = reqwest::Client::new();
            let url = format!("{base}/api/v1/messages/{message_id}/widget");
            let mut patch_us: Vec<u32> = Vec::with_capacity(updates);
            let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut failed = 0;
            for seq in 1..=updates {
                tick.tick().await;
                let owner = ids[seq % ids.len()];
                let i = seq % ids.len();
                let update = json!({"update": {"set_cells": [
                    {"x": 0, "y": 0, "content": format!("seq:{seq}")},
                    {"x": i % 32, "y": 1 + i / 32, "content": format!("s{seq}"), "owner": owner, "hidden_for_others": true}
                ]}});
                let body = update.to_string();
                shared.sent[seq].store(shared.start.elapsed().as_nanos() as u64, Relaxed);
                let p0 = Instant::now();
                let r = http
                    .patch(&url)
                    .bearer_auth(&bot)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await?;
                let ok = r.status().is_success();
                let _ = r.bytes().await;
                patch_us.push(p0.elapsed().as_micros() as u32);
                if !ok {
                    failed += 1;
                }
            }
            patch_us.sort_unstable();
            Ok((patch_us, failed))
        })
    })
}

async fn run(args: Args) -> anyhow::Result<()> {
    if args.viewers == 0 || args.viewers > 100 || args.clients == 0 {
        bail!("--viewers must be 1..100 and --clients at least 1");
    }
    let updates = (args.rate * args.secs).ceil() as usize;
    if updates >= MAX_SEQ {
        bail!("too many updates for one run");
    }
    let server = match args.server {
        Some(p) => p,
        None => std::env::current_exe()?
            .parent()
            .context("no exe dir")?
            .join("tulip-server"),
    };
    let dir = std::env::temp_dir().join(format!("tulip-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut child = tokio::process::Command::new(&server)
        .args([
            "--addr",
            "127.0.0.1:0",
            "--dev-login",
            "--queue-max-events",
            "100000",
        ])
        .arg("--db")
        .arg(dir.join("load.db"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {}", server.display()))?;
    let pid = child.id().context("no pid")?;
    let mut lines = BufReader::new(child.stdout.take().context("no stdout")?).lines();
    let addr = tokio::time::timeout(Duration::from_secs(10), async {
        while let Ok(Some(l)) = lines.next_line().await {
            if let Some(a) = l.strip_prefix("listening on ") {
                return Some(a.to_owned());
            }
        }
        None
    })
    .await?
    .context("server did not start")?;
    let base = format!("http://{addr}");
    let http = reqwest::Client::new();

    let bot = login(&http, &base, "load-bot", true).await?;
    let mut viewers = vec![];
    for i in 0..args.viewers {
        viewers.push(login(&http, &base, &format!("viewer-{i}"), false).await?);
    }
    let mut ids: Vec<i64> = vec![];
    for key in &viewers {
        let me: Value = http
            .get(format!("{base}/api/v1/users/me"))
            .bearer_auth(key)
            .send()
            .await?
            .json()
            .await?;
        ids.push(me["user_id"].as_i64().context("id")?);
    }
    // One game: a public row and, per viewer, a hidden cell only they see.
    let cells: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, u)| json!({"x": i % 32, "y": 1 + i / 32, "content": "S", "owner": u, "hidden_for_others": true}))
        .collect();
    let game: Value = http
        .post(format!("{base}/api/v1/messages"))
        .bearer_auth(&bot)
        .json(&json!({"topic": "load", "content": "", "widget": {"widget_type": "grid", "extra_data": {
            "width": 32, "height": 8, "cells": cells, "on_cell_click": true
        }}}))
        .send()
        .await?
        .json()
        .await?;
    let message_id = game["id"].as_i64().context("no message id")?;

    let shared = Arc::new(Shared {
        start: Instant::now(),
        sent: (0..MAX_SEQ).map(|_| AtomicU64::new(0)).collect(),
        latencies: Mutex::new(Vec::with_capacity(updates * args.clients)),
        received: AtomicU64::new(0),
        stop: AtomicBool::new(false),
    });
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel(args.clients);
    let mut tasks = vec![];
    for c in 0..args.clients {
        let key = viewers[c % args.viewers].clone();
        let (sh, b, tx) = (shared.clone(), base.clone(), ready_tx.clone());
        let t = match args.mode {
            Mode::Ws => tokio::spawn(async move { ws_client(sh, b, key, tx).await }),
            Mode::Longpoll => {
                let a = addr.clone();
                tokio::spawn(async move { longpoll_client(sh, a, key, message_id, tx).await })
            }
        };
        tasks.push(t);
        if c % 100 == 99 {
            tokio::task::yield_now().await;
        }
    }
    drop(ready_tx);
    let connect = tokio::time::timeout(Duration::from_secs(60), async {
        let mut n = 0;
        while n < args.clients && ready_rx.recv().await.is_some() {
            n += 1;
        }
        n
    })
    .await
    .unwrap_or(0);
    if connect < args.clients {
        bail!("only {connect} of {} clients connected", args.clients);
    }
    // Let long-pollers reach their wait.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let rss_before = rss_kib(pid);
    let cpu0 = cpu_ticks(pid);
    let self0 = cpu_ticks(std::process::id());
    let load0 = loadavg();
    let t0 = Instant::now();
    let bot_run = bot_thread(
        shared.clone(),
        base.clone(),
        bot.clone(),
        ids.clone(),
        message_id,
        args.rate,
        updates,
    );
    let (patch_ms, failed) = tokio::task::spawn_blocking(move || bot_run.join())
        .await?
        .map_err(|_| anyhow::anyhow!("the bot thread panicked"))??;
    let wall = t0.elapsed();
    let cpu1 = cpu_ticks(pid);
    let self1 = cpu_ticks(std::process::id());
    let rss_after = rss_kib(pid);
    // Drain: wait until everything arrived, or 3 s.
    let expected = (updates - failed) as u64 * args.clients as u64;
    let drain = Instant::now();
    while shared.received.load(Relaxed) < expected && drain.elapsed() < Duration::from_secs(3) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    shared.stop.store(true, Relaxed);
    for t in &tasks {
        t.abort();
    }
    let mut lat = std::mem::take(
        &mut *shared
            .latencies
            .lock()
            .map_err(|_| anyhow::anyhow!("lock"))?,
    );
    lat.sort_unstable();
    let received = shared.received.load(Relaxed);
    let load1 = loadavg();
    // The server's own account of its fan-out (rendering and queueing).
    let (publish_n, publish_secs) = match http.get(format!("{base}/metrics")).send().await {
        Ok(r) => {
            let text = r.text().await.unwrap_or_default();
            let metric = |name: &str| -> f64 {
                text.lines()
                    .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
                    .unwrap_or(f64::NAN)
            };
            (
                metric("tulip_publish_total"),
                metric("tulip_publish_seconds_total"),
            )
        }
        Err(_) => (f64::NAN, f64::NAN),
    };
    let tck = 100.0; // USER_HZ on Linux
                     // Percent of one core: (user + system, user, system).
    let pct_cpu = |a: Option<(u64, u64)>, b: Option<(u64, u64)>| match (a, b) {
        (Some(a), Some(b)) => {
            let f = |t: u64| t as f64 / tck / wall.as_secs_f64() * 100.0;
            (f(b.0 + b.1 - a.0 - a.1), f(b.0 - a.0), f(b.1 - a.1))
        }
        _ => (f64::NAN, f64::NAN, f64::NAN),
    };
    let cpu = pct_cpu(cpu0, cpu1);
    let own = pct_cpu(self0, self1);
    let lost = expected.saturating_sub(received);
    let (p50, p90, p99, max) = (
        pct(&lat, 0.50),
        pct(&lat, 0.90),
        pct(&lat, 0.99),
        pct(&lat, 1.0),
    );
    println!(
        "mode={:?} clients={} viewers={} rate={}Hz secs={} updates={} (failed {})",
        args.mode, args.clients, args.viewers, args.rate, args.secs, updates, failed
    );
    println!(
        "delivered {received}/{expected} events ({:.3}% lost)",
        100.0 * lost as f64 / expected.max(1) as f64
    );
    println!("latency ms: p50={p50:.2} p90={p90:.2} p99={p99:.2} max={max:.2}");
    println!(
        "bot PATCH round trip ms: p50={:.2} p99={:.2}",
        pct(&patch_ms, 0.5),
        pct(&patch_ms, 0.99)
    );
    println!(
        "server CPU: {:.0}% of one core (user {:.0}%, system {:.0}%) over {:.1}s; RSS {} -> {} KiB",
        cpu.0,
        cpu.1,
        cpu.2,
        wall.as_secs_f64(),
        rss_before.unwrap_or(0),
        rss_after.unwrap_or(0)
    );
    println!(
        "load generator CPU (clients and bot, {} client thread(s)): {:.0}% of one core (user {:.0}%, system {:.0}%)",
        args.client_threads.max(1),
        own.0,
        own.1,
        own.2
    );
    println!(
        "server fan-out (render + queue, inside the PATCH): {:.0} µs per event over {publish_n} events",
        publish_secs / publish_n * 1e6
    );
    println!("load average (1/5/15 min): before {load0}, after {load1}");
    println!(
        "SUMMARY mode={:?} clients={} viewers={} rate={} secs={} p50_ms={p50:.2} p90_ms={p90:.2} p99_ms={p99:.2} max_ms={max:.2} lost={lost} patch_p50_ms={:.2} patch_p99_ms={:.2} server_cpu_pct={:.0} load_cpu_pct={:.0} loadavg_before={load0} loadavg_after={load1}",
        args.mode,
        args.clients,
        args.viewers,
        args.rate,
        args.secs,
        pct(&patch_ms, 0.5),
        pct(&patch_ms, 0.99),
        cpu.0,
        own.0,
    );
    let _ = child.start_kill();
    let _ = child.wait().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
