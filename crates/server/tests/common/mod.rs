//! Test helpers: a server on a port-0 listener, an HTTP client that keeps
//! every byte it received, and a WebSocket client.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tulip_server::db::Db;
use tulip_server::{app, start, AppState, Config};

pub const WAIT: Duration = Duration::from_secs(10);

pub struct Server {
    pub addr: std::net::SocketAddr,
    pub state: AppState,
}

impl Server {
    pub async fn start(config: Config) -> Server {
        let db = Db::open_in_memory().expect("db");
        let state = AppState::new(config, db);
        start(&state).await.expect("start");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let router = app(state.clone());
        tokio::spawn(async move {
            tulip_server::serve(listener, router, std::future::pending())
                .await
                .expect("serve");
        });
        Server { addr, state }
    }

    pub async fn dev() -> Server {
        Server::start(Config {
            dev_login: true,
            ..Config::default()
        })
        .await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn login(&self, name: &str, bot: bool) -> Client {
        Client::login(&format!("http://{}", self.addr), name, bot).await
    }
}

/// An HTTP client for one user; records every byte the server sent it.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub key: String,
    pub user_id: i64,
    pub received: Arc<Mutex<Vec<u8>>>,
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub text: String,
}

impl Client {
    pub async fn login(base: &str, name: &str, bot: bool) -> Client {
        let http = reqwest::Client::new();
        let r = http
            .post(format!("{base}/api/v1/dev/login"))
            .json(&json!({"name": name, "bot": bot}))
            .send()
            .await
            .expect("login");
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.expect("json");
        Client {
            base: base.to_owned(),
            http,
            key: v["api_key"].as_str().expect("key").to_owned(),
            user_id: v["user_id"].as_i64().expect("id"),
            received: Arc::default(),
        }
    }

    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Reply {
        let mut req = self
            .http
            .request(method, format!("{}/api/v1{}", self.base, path))
            .bearer_auth(&self.key)
            .timeout(Duration::from_secs(60));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        let text = r.text().await.expect("body");
        self.received
            .lock()
            .expect("lock")
            .extend_from_slice(text.as_bytes());
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, body, text }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(reqwest::Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> Reply {
        self.send(reqwest::Method::DELETE, path, None).await
    }

    pub async fn post_widget(&self, topic: &str, widget: Value) -> i64 {
        let r = self
            .post(
                "/messages",
                json!({"topic": topic, "content": "", "widget": widget}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["id"].as_i64().expect("id")
    }

    pub async fn update(&self, id: i64, update: Value) -> u64 {
        let r = self
            .patch(
                &format!("/messages/{id}/widget"),
                json!({ "update": update }),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["version"].as_u64().expect("version")
    }

    pub async fn register(&self, body: Value) -> String {
        let r = self.post("/register", body).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["queue_id"].as_str().expect("queue").to_owned()
    }

    /// One long-poll; returns the events.
    pub async fn poll(&self, queue: &str, last: i64) -> Vec<Value> {
        let r = self
            .get(&format!("/events?queue_id={queue}&last_event_id={last}"))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["events"].as_array().cloned().unwrap_or_default()
    }

    /// Long-polls until an event satisfying `pred` arrives (skipping
    /// heartbeats); returns every event seen and the new cursor.
    pub async fn poll_until(
        &self,
        queue: &str,
        mut last: i64,
        pred: impl Fn(&Value) -> bool,
    ) -> (Vec<Value>, i64) {
        let mut seen = vec![];
        let fut = async {
            loop {
                let evs = self.poll(queue, last).await;
                for e in evs {
                    last = e["id"].as_i64().expect("id");
                    let hit = pred(&e);
                    seen.push(e);
                    if hit {
                        return;
                    }
                }
            }
        };
        tokio::time::timeout(WAIT, fut)
            .await
            .expect("timed out waiting for an event");
        (seen, last)
    }

    pub async fn ws(&self, query: &str) -> Ws {
        let url = format!(
            "{}/api/v1/ws?{}",
            self.base.replace("http://", "ws://"),
            query
        );
        let mut req = url.into_client_request().expect("req");
        req.headers_mut().insert(
            "authorization",
            format!("Bearer {}", self.key).parse().expect("hdr"),
        );
        let (s, _) = tokio_tungstenite::connect_async(req)
            .await
            .expect("ws connect");
        Ws {
            s,
            received: self.received.clone(),
        }
    }
}

pub struct Ws {
    pub s: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    pub received: Arc<Mutex<Vec<u8>>>,
}

impl Ws {
    /// The next text frame as JSON (`None` when the socket closed).
    pub async fn next(&mut self) -> Option<Value> {
        let fut = async {
            while let Some(m) = self.s.next().await {
                match m {
                    Ok(Message::Text(t)) => {
                        self.received
                            .lock()
                            .expect("lock")
                            .extend_from_slice(t.as_bytes());
                        return Some(serde_json::from_str(t.as_str()).expect("json frame"));
                    }
                    Ok(Message::Close(_)) | Err(_) => return None,
                    Ok(_) => {}
                }
            }
            None
        };
        tokio::time::timeout(WAIT, fut)
            .await
            .expect("timed out waiting for a frame")
    }

    /// Frames until one satisfies `pred`.
    pub async fn until(&mut self, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        let mut out = vec![];
        loop {
            let v = self.next().await.expect("socket closed");
            let hit = pred(&v);
            out.push(v);
            if hit {
                return out;
            }
        }
    }

    pub async fn send(&mut self, v: Value) {
        self.s
            .send(Message::Text(v.to_string().into()))
            .await
            .expect("ws send");
    }
}

/// The error envelope every failure must have.
pub fn assert_error(r: &Reply, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.body["result"], "error", "{}", r.text);
    assert_eq!(r.body["code"], code, "{}", r.text);
    assert!(r.body["msg"].is_string(), "{}", r.text);
}
