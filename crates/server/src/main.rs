//! `tulip-server`: runs the Tulip game widgets server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use tulip_server::db::Db;
use tulip_server::queues::QueueLimits;
use tulip_server::{app_with_static, bots, serve, start, AppState, Config};

/// The Tulip game widgets server.
#[derive(Parser, Debug)]
#[command(name = "tulip-server", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// SQLite database file (created and migrated on first start).
    #[arg(long, default_value = "tulip.db")]
    db: PathBuf,
    /// Enable `POST /api/v1/dev/login` (development only).
    #[arg(long)]
    dev_login: bool,
    /// Serve the files of this directory at `/`.
    #[arg(long = "static")]
    static_dir: Option<PathBuf>,
    /// An origin allowed to open WebSockets, e.g. https://chat.example.com
    /// (repeatable; the server's own origin is always allowed).
    #[arg(long = "allowed-origin")]
    allowed_origins: Vec<String>,
    /// Accept plain `http:` image and sound URLs in widgets.
    #[arg(long)]
    allow_http_urls: bool,
    /// Seconds a long-poll waits before answering with a heartbeat.
    #[arg(long, default_value_t = 45.0)]
    heartbeat_secs: f64,
    /// Seconds after which a queue nobody reads is dropped.
    #[arg(long, default_value_t = 600.0)]
    queue_idle_secs: f64,
    /// Unacknowledged events a queue may hold before its client is cut off.
    #[arg(long, default_value_t = 10_000)]
    queue_max_events: usize,
    /// Bytes of unacknowledged events a queue may hold.
    #[arg(long, default_value_t = 8 * 1024 * 1024)]
    queue_max_bytes: usize,
    /// Seconds between WebSocket pings.
    #[arg(long, default_value_t = 20.0)]
    ping_secs: f64,
    /// Run the built-in demo bot (`/counter`) in-process.
    #[arg(long)]
    demo_bot: bool,
    /// Run the demo games in-process (`/tictactoe`, `/battleship`,
    /// `/blackjack`, `/lobby`, `/whack`, `/rpg`, `/mud`).
    #[arg(long)]
    demo_bots: bool,
}

/// mimalloc instead of glibc's allocator: under load, malloc and free
/// (with glibc's chunk consolidation) took a sixth of the server's CPU.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .init();
    let args = Args::parse();
    let secs = |s: f64, what: &str| -> anyhow::Result<Duration> {
        Duration::try_from_secs_f64(s).with_context(|| format!("bad --{what}"))
    };
    let config = Config {
        dev_login: args.dev_login,
        allowed_origins: args.allowed_origins.clone(),
        allow_http_urls: args.allow_http_urls,
        heartbeat: secs(args.heartbeat_secs, "heartbeat-secs")?,
        queue: QueueLimits {
            max_events: args.queue_max_events,
            max_bytes: args.queue_max_bytes,
            idle_timeout: secs(args.queue_idle_secs, "queue-idle-secs")?,
        },
        ping_interval: secs(args.ping_secs, "ping-secs")?,
        ..Config::default()
    };
    let db = Db::open(&args.db).with_context(|| format!("opening {}", args.db.display()))?;
    let state = AppState::new(config, db);
    start(&state).await.context("starting background tasks")?;
    if args.demo_bot {
        bots::spawn(state.clone(), bots::CounterBot::default())
            .await
            .context("starting the demo bot")?;
    }
    if args.demo_bots {
        bots::spawn_demo_games(&state)
            .await
            .context("starting the demo games")?;
    }
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("binding {}", args.addr))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, db = %args.db.display(), dev_login = args.dev_login, "tulip-server listening");
    // Tests and scripts read this line to find the port.
    println!("listening on {addr}");
    let router = app_with_static(state, args.static_dir);
    serve(listener, router, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("serving")?;
    Ok(())
}
