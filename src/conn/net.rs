//! HTTP with `fetch`: JSON in, JSON out, the API's error shape kept.

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Request, RequestInit, Response};

/// A reply from the API: its HTTP status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The error code of an error reply (`BAD_EVENT_QUEUE_ID`, ...).
    pub fn code(&self) -> Option<&str> {
        self.body.get("code").and_then(Value::as_str)
    }

    /// A short message for the player.
    pub fn message(&self) -> String {
        self.body
            .get("msg")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("HTTP {}", self.status))
    }
}

/// No reply at all: the network failed, or the request was aborted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetError(pub String);

fn js_err(e: JsValue) -> NetError {
    NetError(
        e.as_string()
            .or_else(|| {
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
            })
            .unwrap_or_else(|| "network error".to_owned()),
    )
}

/// Sends one request. `api_key` goes in `Authorization: Bearer`.
pub async fn fetch_json(
    method: &str,
    url: &str,
    api_key: Option<&str>,
    body: Option<&Value>,
    signal: Option<&AbortSignal>,
) -> Result<Reply, NetError> {
    let window = web_sys::window().ok_or_else(|| NetError("no window".into()))?;
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(b) = body {
        init.set_body(&JsValue::from_str(&b.to_string()));
    }
    if let Some(s) = signal {
        init.set_signal(Some(s));
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(js_err)?;
    let headers = request.headers();
    if let Some(key) = api_key {
        headers
            .set("Authorization", &format!("Bearer {key}"))
            .map_err(js_err)?;
    }
    if body.is_some() {
        headers
            .set("Content-Type", "application/json")
            .map_err(js_err)?;
    }
    let resp = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(js_err)?;
    let resp: Response = resp.dyn_into().map_err(js_err)?;
    let text = JsFuture::from(resp.text().map_err(js_err)?)
        .await
        .map_err(js_err)?
        .as_string()
        .unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok(Reply {
        status: resp.status(),
        body,
    })
}

/// `s` made safe inside a URL query.
pub fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}
