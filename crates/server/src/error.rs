//! The one error type every handler returns.
//!
//! `AppError` renders as `{"result": "error", "code", "msg"}` (plus `path`
//! for payload errors, `retry_after` for rate limits) with a fitting HTTP
//! status. Internal failures are logged and answered with a generic
//! `INTERNAL` message: no SQL, no file path, no other user's data ever reaches
//! a client through an error body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

/// Stable error codes of the server (besides the core's payload codes).
pub mod codes {
    pub const UNAUTHORIZED: &str = "UNAUTHORIZED";
    pub const FORBIDDEN: &str = "FORBIDDEN";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
    pub const BAD_REQUEST: &str = "BAD_REQUEST";
    pub const BAD_EVENT_QUEUE_ID: &str = "BAD_EVENT_QUEUE_ID";
    pub const BAD_TICKET: &str = "BAD_TICKET";
    pub const BAD_ORIGIN: &str = "BAD_ORIGIN";
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    pub const COMMAND_TAKEN: &str = "COMMAND_TAKEN";
    pub const NOT_A_BOT: &str = "NOT_A_BOT";
    pub const NO_WIDGET: &str = "NO_WIDGET";
    pub const INTERNAL: &str = "INTERNAL";
    pub const TOO_LARGE: &str = "TOO_LARGE";
}

/// An error answered to a client.
#[derive(Debug, Clone, PartialEq)]
pub struct AppError {
    pub status: StatusCode,
    pub code: String,
    pub msg: String,
    pub path: Option<String>,
    pub retry_after: Option<f64>,
    /// Extra fields (for example `queue_id`); never user data of others.
    pub extra: Map<String, Value>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &str, msg: impl Into<String>) -> Self {
        AppError {
            status,
            code: code.to_owned(),
            msg: msg.into(),
            path: None,
            retry_after: None,
            extra: Map::new(),
        }
    }

    pub fn bad_request(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, msg)
    }
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHORIZED,
            "missing or invalid API key",
        )
    }
    pub fn forbidden(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, codes::FORBIDDEN, msg)
    }
    pub fn not_found(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, codes::NOT_FOUND, msg)
    }
    pub fn bad_queue() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::BAD_EVENT_QUEUE_ID,
            "bad event queue id: register a new queue and refetch state",
        )
    }
    pub fn rate_limited(retry_after: f64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            codes::RATE_LIMITED,
            "rate limit exceeded",
        );
        e.retry_after = Some((retry_after * 1000.0).ceil() / 1000.0);
        e
    }
    /// An internal failure: logged here, answered generically.
    pub fn internal(what: impl std::fmt::Display) -> Self {
        tracing::error!(error = %what, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            "internal server error",
        )
    }
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The JSON body of this error.
    pub fn body(&self) -> Value {
        let mut m = Map::new();
        m.insert("result".into(), "error".into());
        m.insert("code".into(), self.code.clone().into());
        m.insert("msg".into(), self.msg.clone().into());
        if let Some(p) = &self.path {
            m.insert("path".into(), p.clone().into());
        }
        if let Some(r) = self.retry_after {
            m.insert("retry_after".into(), json!(r));
        }
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        Value::Object(m)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status;
        let mut resp = (status, Json(self.body())).into_response();
        resp.extensions_mut()
            .insert(crate::RejectCode(self.code.clone()));
        if let Some(r) = self.retry_after {
            if let Ok(v) = axum::http::HeaderValue::from_str(&format!("{}", r.ceil() as u64)) {
                resp.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, v);
            }
        }
        resp
    }
}

/// Payload errors from the core: 400 with the first error's code and path.
impl From<tulip_core::Errors> for AppError {
    fn from(e: tulip_core::Errors) -> Self {
        match e.first() {
            Some(w) => w.clone().into(),
            None => AppError::bad_request("invalid payload"),
        }
    }
}

impl From<tulip_core::WidgetError> for AppError {
    fn from(w: tulip_core::WidgetError) -> Self {
        let status = match w.code {
            tulip_core::Code::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            tulip_core::Code::NotAllowed | tulip_core::Code::NotYourTurn => StatusCode::FORBIDDEN,
            _ => StatusCode::BAD_REQUEST,
        };
        AppError::new(status, w.code.as_str(), w.msg).with_path(w.path)
    }
}

impl From<crate::db::DbError> for AppError {
    fn from(e: crate::db::DbError) -> Self {
        AppError::internal(e)
    }
}

pub type AppResult<T> = Result<T, AppError>;

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.msg)
    }
}

impl std::error::Error for AppError {}
