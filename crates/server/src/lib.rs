//! # tulip-server
//!
//! The Tulip game widgets server: the HTTP API of `shared/PROTOCOL.md`
//! sections 4, 5 and 7 over axum, SQLite persistence, in-memory event
//! queues read by long-poll or WebSocket, server-owned timers and an
//! embedded bot runtime. Every widget payload, update, view and interaction
//! check goes through `tulip-core`; every byte about a widget that leaves the
//! server is built in [`outgoing`] for its one recipient.
//!
//! Build the router with [`app`], start background work with [`start`].

pub mod bots;
pub mod db;
pub mod error;
pub mod http;
pub mod metrics;
pub mod outgoing;
pub mod queues;
pub mod ratelimit;
pub mod service;
pub mod state;
pub mod timers;
pub mod ws;

use std::path::PathBuf;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, patch, post};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

pub use error::{AppError, AppResult};
pub use state::{AppState, Config};

/// The code of an error response, for the rejection counters.
#[derive(Clone)]
pub struct RejectCode(pub String);

/// The API routes (mounted under `/api/v1` and, as an alias, `/json`).
fn api() -> Router<AppState> {
    Router::new()
        .route("/dev/login", post(http::dev_login))
        .route("/users/me", get(http::me))
        .route("/users", get(http::users))
        .route("/topics", get(http::topics))
        .route("/messages", post(http::post_message).get(http::history))
        .route("/messages/{id}", get(http::get_message))
        .route("/messages/{id}/widget", patch(http::patch_widget))
        .route(
            "/messages/{id}/bot_state",
            get(http::get_bot_state).put(http::put_bot_state),
        )
        .route("/messages/{id}/interactions", post(http::interact))
        .route("/register", post(http::register))
        .route(
            "/events",
            get(http::get_events)
                .delete(http::delete_events)
                .patch(http::patch_events),
        )
        .route("/ws-ticket", post(http::ws_ticket))
        .route("/ws", get(ws::ws_queue))
        .route("/ws/game/{message_id}", get(ws::ws_game))
        .route(
            "/bots/commands",
            post(http::register_commands).get(http::list_commands),
        )
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    app_with_static(state, None)
}

/// The Content Security Policy sent with every reply: the renderer's pages
/// run scripts from this origin only, and WebAssembly without `eval`.
pub const CONTENT_SECURITY_POLICY: &str =
    "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'";

/// The application, also serving the files of `static_dir` at `/`.
pub fn app_with_static(state: AppState, static_dir: Option<PathBuf>) -> Router {
    let mut router = Router::new()
        .nest("/api/v1", api())
        .nest("/json", api())
        .route("/metrics", get(http::metrics))
        .method_not_allowed_fallback(http::method_not_allowed);
    router = match static_dir {
        Some(dir) => router.fallback_service(tower_http::services::ServeDir::new(dir)),
        None => router.fallback(http::fallback),
    };
    router
        .layer(DefaultBodyLimit::max(tulip_core::parse::MAX_BODY_BYTES))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_rejections,
        ))
        .with_state(state)
}

async fn count_rejections(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    if let Some(RejectCode(code)) = resp.extensions().get::<RejectCode>() {
        state.metrics.reject(code);
    }
    resp
}

/// Serves `router` on `listener` with `TCP_NODELAY` on every connection:
/// events are small writes, and Nagle's algorithm would hold them back for
/// tens of milliseconds behind delayed ACKs.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY failed");
        }
    });
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Starts the background work: re-arms stored timers, expires idle queues.
pub async fn start(state: &AppState) -> Result<(), db::DbError> {
    let n = timers::rearm_all(state).await?;
    if n > 0 {
        tracing::info!(timers = n, "re-armed stored timers");
    }
    tokio::spawn(http::housekeeping(state.clone()));
    Ok(())
}
