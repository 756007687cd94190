//! End-to-end harness: the real `tulip-server` (a child process on a free
//! port and a temporary database), chromedriver, and one headless Chromium
//! session per simulated user, spoken to through a minimal W3C WebDriver
//! client (HTTP + JSON over `ureq`).
//!
//! Everything started here is killed on drop, also when a test panics; a
//! panicking test first gets a screenshot of every browser session in
//! `target/e2e-screenshots/<test>-<session>.png`, each page's browser log and
//! the tail of the server's log on stderr.
//!
//! The tests (`tests/*.rs`) are `#[ignore]`: run them with
//! `cargo test -p tulip-e2e -- --ignored --test-threads=1` and the variables
//! `TULIP_SERVER_BIN`, `TULIP_DIST` (and optionally `CHROMEDRIVER`) set; see
//! `docs/e2e.md`.

use std::cell::{Cell, RefCell};
use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long the polling helpers wait unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
/// How often they look.
const POLL: Duration = Duration::from_millis(75);
/// The key of a web element reference in W3C WebDriver JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

// ---------------------------------------------------------------------------
// Polling

/// Polls `f` every 75 ms until it returns true; panics after `timeout` with
/// a message saying what was awaited.
pub fn wait_until(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) {
    wait_some(what, timeout, || f().then_some(()))
}

/// Polls `f` until it returns `Some`, and returns that; panics after
/// `timeout` with a message saying what was awaited.
pub fn wait_some<T>(what: &str, timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    wait_ok(what, timeout, || f().ok_or_else(String::new))
}

/// Polls `f` until it returns `Ok`, and returns that; panics after
/// `timeout` with a message saying what was awaited and the last `Err`
/// (what was seen instead).
pub fn wait_ok<T>(what: &str, timeout: Duration, mut f: impl FnMut() -> Result<T, String>) -> T {
    let start = Instant::now();
    loop {
        let last = match f() {
            Ok(v) => return v,
            Err(e) => e,
        };
        if start.elapsed() >= timeout {
            if last.is_empty() {
                panic!("timed out after {timeout:?} waiting for {what}");
            }
            panic!("timed out after {timeout:?} waiting for {what} (last seen: {last})");
        }
        std::thread::sleep(POLL);
    }
}

// ---------------------------------------------------------------------------
// Environment

/// What the tests need from outside: the server binary, the built renderer
/// and chromedriver.
#[derive(Debug, Clone)]
pub struct Env {
    pub server_bin: PathBuf,
    pub dist: PathBuf,
    pub chromedriver: PathBuf,
}

impl Env {
    /// Reads `TULIP_SERVER_BIN`, `TULIP_DIST` and `CHROMEDRIVER` (default:
    /// `chromedriver` on `PATH`); panics with a clear message when one is
    /// missing or wrong.
    pub fn from_env() -> Env {
        let required = |name: &str, how: &str| -> PathBuf {
            match std::env::var_os(name) {
                Some(v) if !v.is_empty() => PathBuf::from(v),
                _ => panic!(
                    "{name} is not set: the end-to-end tests need it ({how}). \
                     See docs/e2e.md."
                ),
            }
        };
        let server_bin = required(
            "TULIP_SERVER_BIN",
            "the path of the tulip-server binary, e.g. target/debug/tulip-server after `cargo build -p tulip-server`",
        );
        let dist = required(
            "TULIP_DIST",
            "the renderer built by `trunk build`, e.g. the dist/ folder",
        );
        assert!(
            server_bin.is_file(),
            "TULIP_SERVER_BIN={} is not a file: build it with `cargo build -p tulip-server`",
            server_bin.display()
        );
        assert!(
            dist.join("index.html").is_file(),
            "TULIP_DIST={} has no index.html: build it with `trunk build`",
            dist.display()
        );
        let chromedriver = std::env::var_os("CHROMEDRIVER")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("chromedriver"));
        Env {
            server_bin,
            dist,
            chromedriver,
        }
    }
}

/// A port nobody listens on right now (bind port 0, read it, let go).
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("binding a free port");
    l.local_addr().expect("local address").port()
}

/// Where failure screenshots go: `<target dir>/e2e-screenshots`.
pub fn screenshot_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) if !t.is_empty() => workspace.join(t),
        _ => workspace.join("target"),
    };
    target.join("e2e-screenshots")
}

// ---------------------------------------------------------------------------
// Plain HTTP

/// An HTTP answer, whatever its status.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (panics when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(90)))
        .build()
        .new_agent()
}

fn reply(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<Reply, String> {
    let mut r = r.map_err(|e| e.to_string())?;
    let status = r.status().as_u16();
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = r
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .map_err(|e| e.to_string())?;
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// `GET url`; `Err` only when there is no answer at all.
pub fn try_get(url: &str) -> Result<Reply, String> {
    reply(agent().get(url).call())
}

/// `GET url` (panics when there is no answer).
pub fn http_get(url: &str) -> Reply {
    try_get(url).unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

/// `GET url` with a bearer token (panics when there is no answer).
pub fn http_get_auth(url: &str, bearer: &str) -> Reply {
    reply(
        agent()
            .get(url)
            .header("Authorization", format!("Bearer {bearer}"))
            .call(),
    )
    .unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

/// `POST url` with a JSON body, with a bearer token when given.
pub fn http_post_json(url: &str, body: &Value, bearer: Option<&str>) -> Reply {
    let mut req = agent().post(url).content_type("application/json");
    if let Some(t) = bearer {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    reply(req.send(body.to_string())).unwrap_or_else(|e| panic!("POST {url}: {e}"))
}

// ---------------------------------------------------------------------------
// Child processes

/// Everything a child process printed (stdout and stderr, interleaved).
#[derive(Clone, Default)]
struct Log(Arc<Mutex<String>>);

impl Log {
    fn text(&self) -> String {
        self.0.lock().map(|s| s.clone()).unwrap_or_default()
    }
    fn len(&self) -> usize {
        self.0.lock().map(|s| s.len()).unwrap_or(0)
    }
    fn push(&self, line: &str) {
        if let Ok(mut s) = self.0.lock() {
            s.push_str(line);
            s.push('\n');
        }
    }
    fn follow(&self, from: impl Read + Send + 'static) {
        let log = self.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(from).lines() {
                match line {
                    Ok(l) => log.push(&l),
                    Err(_) => break,
                }
            }
        });
    }
    /// The last `n` lines.
    fn tail(&self, n: usize) -> String {
        let text = self.text();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }
}

fn spawn_logged(cmd: &mut Command, log: &Log) -> std::io::Result<Child> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(out) = child.stdout.take() {
        log.follow(out);
    }
    if let Some(err) = child.stderr.take() {
        log.follow(err);
    }
    Ok(child)
}

/// SIGKILL (std's `kill` on Unix) and reap.
fn kill(child: &mut Option<Child>) {
    if let Some(mut c) = child.take() {
        let _ = c.kill();
        let _ = c.wait();
    }
}

// ---------------------------------------------------------------------------
// The server

/// A running `tulip-server` with `--dev-login --demo-bots`, serving the
/// renderer, on a free port and a database in a temporary directory.
pub struct Server {
    bin: PathBuf,
    dist: PathBuf,
    pub addr: SocketAddr,
    db: PathBuf,
    child: Option<Child>,
    log: Log,
    _dir: tempfile::TempDir,
}

impl Server {
    pub fn start(env: &Env) -> Server {
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut s = Server {
            bin: env.server_bin.clone(),
            dist: env.dist.clone(),
            addr: SocketAddr::from(([127, 0, 0, 1], free_port())),
            db: dir.path().join("e2e.db"),
            child: None,
            log: Log::default(),
            _dir: dir,
        };
        s.spawn();
        s
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn spawn(&mut self) {
        // A port just freed may take a moment to be bindable again: retry.
        for attempt in 0..5 {
            let from = self.log.len();
            self.log.push(&format!(
                "--- e2e: starting tulip-server (attempt {attempt}) ---"
            ));
            let mut cmd = Command::new(&self.bin);
            cmd.arg("--addr")
                .arg(self.addr.to_string())
                .arg("--db")
                .arg(&self.db)
                .args(["--dev-login", "--demo-bots", "--static"])
                .arg(&self.dist);
            if std::env::var_os("RUST_LOG").is_none() {
                cmd.env("RUST_LOG", "info,tower_http=warn");
            }
            // Plain log lines in failure reports.
            cmd.env("NO_COLOR", "1");
            let mut child = spawn_logged(&mut cmd, &self.log)
                .unwrap_or_else(|e| panic!("starting {}: {e}", self.bin.display()));
            let start = Instant::now();
            loop {
                if let Ok(Some(status)) = child.try_wait() {
                    eprintln!(
                        "tulip-server exited ({status}) while starting:\n{}",
                        &self.log.text()[from..]
                    );
                    break;
                }
                // `listening on` is printed once the socket is bound; /metrics
                // answering means the API is up too.
                let listening = self.log.text()[from..].contains("listening on");
                if listening || try_get(&self.url("/metrics")).is_ok_and(|r| r.status == 200) {
                    self.child = Some(child);
                    return;
                }
                if start.elapsed() > Duration::from_secs(30) {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "tulip-server did not answer /metrics within 30 s:\n{}",
                        self.log.tail(50)
                    );
                }
                std::thread::sleep(POLL);
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        panic!("tulip-server did not start:\n{}", self.log.tail(50));
    }

    /// SIGKILL: no shutdown of any kind.
    pub fn kill(&mut self) {
        kill(&mut self.child);
        self.log.push("--- e2e: tulip-server killed (SIGKILL) ---");
    }

    /// Starts the server again after [`Server::kill`], on the same port and
    /// database.
    pub fn start_again(&mut self) {
        kill(&mut self.child);
        self.spawn();
    }

    /// SIGKILL, then start again on the same port and database.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    /// The last `n` lines the server printed.
    pub fn log_tail(&self, n: usize) -> String {
        self.log.tail(n)
    }

    /// The value of an unlabelled metric of `GET /metrics` (`None`: the
    /// server does not answer or has no such metric).
    pub fn metric(&self, name: &str) -> Option<f64> {
        let r = try_get(&self.url("/metrics")).ok()?;
        r.body.lines().find_map(|l| {
            let rest = l.strip_prefix(name)?.strip_prefix(' ')?;
            rest.trim().parse().ok()
        })
    }

    /// Signs `name` in by dev login: `(user_id, api_key)`.
    pub fn dev_login(&self, name: &str) -> (i64, String) {
        let r = http_post_json(
            &self.url("/api/v1/dev/login"),
            &json!({ "name": name }),
            None,
        );
        let v = r.json();
        assert_eq!(r.status, 200, "dev login of {name}: {}", r.body);
        (
            v["user_id"].as_i64().expect("user_id"),
            v["api_key"].as_str().expect("api_key").to_owned(),
        )
    }
}

impl Server {
    /// `GET /api/v1{path}` as the user with `api_key`: the JSON answer
    /// (panics unless it is a 200).
    pub fn api_get(&self, api_key: &str, path: &str) -> Value {
        let r = http_get_auth(&self.url(&format!("/api/v1{path}")), api_key);
        assert_eq!(r.status, 200, "GET {path}: {}", r.body);
        r.json()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        kill(&mut self.child);
    }
}

// ---------------------------------------------------------------------------
// chromedriver

/// A running chromedriver on a free port.
pub struct Driver {
    pub url: String,
    child: Option<Child>,
    log: Log,
}

impl Driver {
    pub fn start(env: &Env) -> Driver {
        let port = free_port();
        let log = Log::default();
        let child = spawn_logged(
            Command::new(&env.chromedriver).arg(format!("--port={port}")),
            &log,
        )
        .unwrap_or_else(|e| {
            panic!(
                "starting chromedriver ({}): {e}; set CHROMEDRIVER to its path",
                env.chromedriver.display()
            )
        });
        let mut d = Driver {
            url: format!("http://127.0.0.1:{port}"),
            child: Some(child),
            log,
        };
        let status = format!("{}/status", d.url);
        let start = Instant::now();
        loop {
            if let Ok(r) = try_get(&status) {
                if r.status == 200 && r.json()["value"]["ready"] == json!(true) {
                    return d;
                }
            }
            if let Some(Ok(Some(s))) = d.child.as_mut().map(|c| c.try_wait()) {
                panic!("chromedriver exited ({s}):\n{}", d.log.tail(30));
            }
            if start.elapsed() > Duration::from_secs(20) {
                kill(&mut d.child);
                panic!("chromedriver not ready within 20 s:\n{}", d.log.tail(30));
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        kill(&mut self.child);
    }
}

// ---------------------------------------------------------------------------
// WebDriver sessions

/// A WebDriver error: the HTTP status and the W3C `error` code.
#[derive(Debug, Clone)]
pub struct WdError {
    pub status: u16,
    pub error: String,
    pub message: String,
}

impl std::fmt::Display for WdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let first = self.message.lines().next().unwrap_or("");
        write!(f, "{} ({}): {first}", self.error, self.status)
    }
}

/// A web element reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element(pub String);

impl Element {
    fn from_value(v: &Value) -> Option<Element> {
        v.get(ELEMENT_KEY)?.as_str().map(|s| Element(s.to_owned()))
    }
    /// As a script argument (`execute(.., &[el.to_value()])`).
    pub fn to_value(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}

/// One Chromium with a profile of its own (a separate user: its own
/// cookies and storage).
pub struct Browser {
    /// Who this session is (`alice`), for messages and screenshot names.
    pub name: String,
    test: String,
    session: String,
    agent: ureq::Agent,
    deleted: Cell<bool>,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn open(driver: &Driver, test: &str, name: &str) -> Browser {
        let profile = tempfile::tempdir().expect("profile directory");
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--no-first-run".to_owned(),
            "--window-size=1000,900".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        if std::env::var_os("TULIP_E2E_REDUCED_MOTION").is_some() {
            args.push("--force-prefers-reduced-motion".to_owned());
        }
        let mut chrome = json!({ "args": args });
        if let Some(bin) = std::env::var_os("CHROME_BIN").filter(|b| !b.is_empty()) {
            chrome["binary"] = json!(bin.to_string_lossy());
        }
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": chrome,
                    "goog:loggingPrefs": { "browser": "ALL" },
                    "unhandledPromptBehavior": "dismiss",
                }
            }
        });
        let agent = agent();
        let url = format!("{}/session", driver.url);
        let r = reply(
            agent
                .post(&url)
                .content_type("application/json")
                .send(caps.to_string()),
        )
        .unwrap_or_else(|e| panic!("new session for {name}: {e}"));
        let v = r.json();
        let session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("new session for {name} refused: {}", r.body))
            .to_owned();
        Browser {
            name: name.to_owned(),
            test: test.to_owned(),
            session: format!("{url}/{session}"),
            agent,
            deleted: Cell::new(false),
            _profile: profile,
        }
    }

    /// One WebDriver command: `path` is relative to the session.
    pub fn command(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, WdError> {
        let url = format!("{}{path}", self.session);
        let r = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self
                .agent
                .post(&url)
                .content_type("application/json")
                .send(body.unwrap_or_else(|| json!({})).to_string()),
        };
        let r = reply(r).map_err(|e| WdError {
            status: 0,
            error: "no answer".into(),
            message: e,
        })?;
        let v: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
        let value = v.get("value").cloned().unwrap_or(Value::Null);
        if r.status == 200 {
            return Ok(value);
        }
        Err(WdError {
            status: r.status,
            error: value["error"].as_str().unwrap_or("unknown").to_owned(),
            message: value["message"].as_str().unwrap_or(&r.body).to_owned(),
        })
    }

    /// Like [`Browser::command`], panicking with what was asked on error.
    fn must(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.command(method, path, body)
            .unwrap_or_else(|e| panic!("[{}] {method} {path}: {e}", self.name))
    }

    /// Loads `url` (waits for the load event).
    pub fn navigate(&self, url: &str) {
        self.must("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn current_url(&self) -> String {
        self.must("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The first element matching `css`, if any.
    pub fn find(&self, css: &str) -> Option<Element> {
        match self.command(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        ) {
            Ok(v) => Element::from_value(&v),
            Err(e) if e.error == "no such element" => None,
            Err(e) => panic!("[{}] find {css}: {e}", self.name),
        }
    }

    /// Every element matching `css`.
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let v = self.must(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        );
        v.as_array()
            .map(|a| a.iter().filter_map(Element::from_value).collect())
            .unwrap_or_default()
    }

    /// A real click (pointer events, scrolled into view first).
    pub fn click(&self, el: &Element) -> Result<(), WdError> {
        self.command("POST", &format!("/element/{}/click", el.0), None)
            .map(|_| ())
    }

    /// Types `text` into the element (`\u{E007}` is Enter).
    pub fn send_keys(&self, el: &Element, text: &str) -> Result<(), WdError> {
        self.command(
            "POST",
            &format!("/element/{}/value", el.0),
            Some(json!({ "text": text })),
        )
        .map(|_| ())
    }

    /// The element's rendered text.
    pub fn text(&self, el: &Element) -> Result<String, WdError> {
        self.command("GET", &format!("/element/{}/text", el.0), None)
            .map(|v| v.as_str().unwrap_or_default().to_owned())
    }

    pub fn attribute(&self, el: &Element, name: &str) -> Result<Option<String>, WdError> {
        self.command("GET", &format!("/element/{}/attribute/{name}", el.0), None)
            .map(|v| v.as_str().map(str::to_owned))
    }

    /// Runs `script` (a function body; arguments in `arguments`) in the page.
    pub fn execute(&self, script: &str, args: &[Value]) -> Value {
        self.must(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// The text content of the first match of `css` (`None`: no match).
    /// Queried by script, so it never goes stale while Yew re-renders.
    pub fn text_of(&self, css: &str) -> Option<String> {
        self.execute(
            "const e = document.querySelector(arguments[0]); return e === null ? null : e.textContent;",
            &[json!(css)],
        )
        .as_str()
        .map(str::to_owned)
    }

    /// An attribute of the first match of `css`.
    pub fn attr_of(&self, css: &str, name: &str) -> Option<String> {
        self.execute(
            "const e = document.querySelector(arguments[0]); return e === null ? null : e.getAttribute(arguments[1]);",
            &[json!(css), json!(name)],
        )
        .as_str()
        .map(str::to_owned)
    }

    /// How many elements match `css`.
    pub fn count(&self, css: &str) -> usize {
        self.execute(
            "return document.querySelectorAll(arguments[0]).length;",
            &[json!(css)],
        )
        .as_u64()
        .unwrap_or(0) as usize
    }

    /// Waits for an element matching `css`.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Element {
        wait_some(
            &format!("[{}] an element {css}", self.name),
            timeout,
            || self.find(css),
        )
    }

    /// Waits until the text of `css` satisfies `ok`; returns that text.
    pub fn wait_text(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let what = format!("[{}] {css} {what}", self.name);
        wait_ok(&what, DEFAULT_TIMEOUT, || match self.text_of(css) {
            Some(t) if ok(t.trim()) => Ok(t.trim().to_owned()),
            Some(t) => Err(format!("text {:?}", t.trim())),
            None => Err("no such element".into()),
        })
    }

    /// Clicks the first match of `css`, retrying while it is missing, stale
    /// or covered (Yew may re-render it between finding and clicking).
    pub fn click_css(&self, css: &str) {
        let what = format!("[{}] a clickable {css}", self.name);
        wait_ok(&what, DEFAULT_TIMEOUT, || match self.find(css) {
            None => Err("no such element".into()),
            Some(el) => self.click(&el).map_err(|e| e.to_string()),
        });
    }

    /// Clicks `css` and types `text` into it.
    pub fn type_into(&self, css: &str, text: &str) {
        let el = self.wait_for(css, DEFAULT_TIMEOUT);
        if let Err(e) = self.send_keys(&el, text) {
            panic!("[{}] typing into {css}: {e}", self.name);
        }
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Result<Vec<u8>, WdError> {
        let v = self.command("GET", "/screenshot", None)?;
        decode_base64(v.as_str().unwrap_or_default()).ok_or_else(|| WdError {
            status: 0,
            error: "bad screenshot".into(),
            message: "not base64".into(),
        })
    }

    /// Saves a screenshot to `path`.
    pub fn save_screenshot(&self, path: &Path) -> Result<(), String> {
        let png = self.screenshot().map_err(|e| e.to_string())?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, png).map_err(|e| e.to_string())
    }

    /// The page's console messages since the last call (chromedriver's
    /// log endpoint), when the driver offers them.
    pub fn browser_log(&self) -> Option<Vec<String>> {
        let v = self
            .command("POST", "/se/log", Some(json!({ "type": "browser" })))
            .or_else(|_| self.command("POST", "/log", Some(json!({ "type": "browser" }))))
            .ok()?;
        Some(
            v.as_array()?
                .iter()
                .map(|e| {
                    format!(
                        "{} {}",
                        e["level"].as_str().unwrap_or("?"),
                        e["message"].as_str().unwrap_or("")
                    )
                })
                .collect(),
        )
    }

    /// What a failure leaves behind: a screenshot and the browser log.
    fn report_failure(&self) {
        let path = screenshot_dir().join(format!("{}-{}.png", self.test, self.name));
        match self.save_screenshot(&path) {
            Ok(()) => eprintln!("[{}] screenshot: {}", self.name, path.display()),
            Err(e) => eprintln!("[{}] no screenshot: {e}", self.name),
        }
        match self.browser_log() {
            Some(lines) if !lines.is_empty() => {
                eprintln!("[{}] browser log:", self.name);
                for l in lines {
                    eprintln!("  {l}");
                }
            }
            Some(_) => eprintln!("[{}] browser log: empty", self.name),
            None => eprintln!("[{}] browser log: not available", self.name),
        }
        if let Ok(url) = self.command("GET", "/url", None) {
            eprintln!("[{}] at {}", self.name, url.as_str().unwrap_or("?"));
        }
    }

    /// Ends the session (Chromium quits); done on drop too.
    pub fn quit(&self) {
        if !self.deleted.replace(true) {
            let _ = self.command("DELETE", "", None);
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if std::thread::panicking() && !self.deleted.get() {
            self.report_failure();
        }
        self.quit();
    }
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= val(*c)? << (18 - 6 * i);
        }
        let b = n.to_be_bytes();
        match chunk.len() {
            4 => out.extend_from_slice(&b[1..4]),
            3 => out.extend_from_slice(&b[1..3]),
            2 => out.push(b[1]),
            _ => return None,
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------
// The harness

/// One test's world: a server, a chromedriver and the browsers opened
/// through [`Harness::browser`]. Dropping it (also while panicking) ends
/// every session, then chromedriver, then the server.
pub struct Harness {
    pub test: String,
    // Fields drop in this order: sessions first (they screenshot on a
    // panic and need the server still up), then chromedriver, then the server.
    browsers: RefCell<Vec<Rc<Browser>>>,
    pub driver: Driver,
    pub server: Server,
    pub env: Env,
}

impl Harness {
    /// Starts the server and chromedriver for the test named `test`.
    pub fn new(test: &str) -> Harness {
        let env = Env::from_env();
        let server = Server::start(&env);
        let driver = Driver::start(&env);
        Harness {
            test: test.to_owned(),
            browsers: RefCell::new(Vec::new()),
            driver,
            server,
            env,
        }
    }

    /// A new browser session (own profile) called `name`.
    pub fn browser(&self, name: &str) -> Rc<Browser> {
        let b = Rc::new(Browser::open(&self.driver, &self.test, name));
        self.browsers.borrow_mut().push(b.clone());
        b
    }

    /// A topic name nobody else uses: `e2e-<tag>-<millis>`.
    pub fn unique_topic(&self, tag: &str) -> String {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        format!("e2e-{tag}-{ms}")
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "--- {} failed; tulip-server log (last 40 lines) ---\n{}\n---",
                self.test,
                self.server.log_tail(40)
            );
        }
    }
}

// ---------------------------------------------------------------------------
// The chat page (its DOM contract: docs/e2e.md)

/// How a chat page talks to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    WebSocket,
    LongPoll,
}

impl Transport {
    /// As in the URL and in `data-transport`.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::WebSocket => "websocket",
            Transport::LongPoll => "long-poll",
        }
    }
}

/// The CSS selector of grid cell (`x`, `y`) in message `message_id`.
pub fn cell_css(message_id: &str, x: u32, y: u32) -> String {
    format!(
        "[data-testid=message][data-message-id=\"{message_id}\"] .tulip-host [role=gridcell][data-x=\"{x}\"][data-y=\"{y}\"]"
    )
}

/// The CSS selector of grid cell (`x`, `y`) of composite child `child` in
/// message `message_id`.
pub fn child_cell_css(message_id: &str, child: &str, x: u32, y: u32) -> String {
    format!(
        "{} [data-child=\"{child}\"] [role=gridcell][data-x=\"{x}\"][data-y=\"{y}\"]",
        host_css(message_id)
    )
}

/// The CSS selector of the button with `action` of composite child `child`.
pub fn child_button_css(message_id: &str, child: &str, action: &str) -> String {
    format!(
        "{} [data-child=\"{child}\"] button[data-action=\"{action}\"]",
        host_css(message_id)
    )
}

/// The CSS selector of the widget host in message `message_id`.
pub fn host_css(message_id: &str) -> String {
    format!("[data-testid=message][data-message-id=\"{message_id}\"] .tulip-host")
}

impl Browser {
    /// Opens `/#chat?name=&topic=&transport=` and waits until the page is
    /// signed in as `name` and connected by `transport`.
    pub fn open_chat(&self, server: &Server, name: &str, topic: &str, transport: Transport) {
        self.navigate(&server.url(&format!(
            "/#chat?name={name}&topic={topic}&transport={}",
            transport.as_str()
        )));
        self.wait_text("[data-testid=me]", &format!("= {name}"), |t| t == name);
        self.wait_connected(transport, DEFAULT_TIMEOUT);
    }

    /// `(data-state, data-transport)` of `[data-testid=connection]`.
    pub fn connection(&self) -> (Option<String>, Option<String>) {
        let css = "[data-testid=connection]";
        (
            self.attr_of(css, "data-state"),
            self.attr_of(css, "data-transport"),
        )
    }

    /// Waits for `data-state` to be `state`.
    pub fn wait_state(&self, state: &str, timeout: Duration) {
        let mut seen: Vec<Option<String>> = Vec::new();
        let what = format!("[{}] connection data-state={state}", self.name);
        wait_ok(&what, timeout, || {
            let s = self.connection().0;
            if seen.last() != Some(&s) {
                seen.push(s.clone());
            }
            if s.as_deref() == Some(state) {
                Ok(())
            } else {
                Err(format!("data-state went through {seen:?}"))
            }
        })
    }

    /// Waits for `connected` over `transport`.
    pub fn wait_connected(&self, transport: Transport, timeout: Duration) {
        self.wait_state("connected", timeout);
        let t = self.connection().1;
        assert_eq!(
            t.as_deref(),
            Some(transport.as_str()),
            "[{}] data-transport",
            self.name
        );
    }

    /// Types `text` into the compose box and presses the send button.
    pub fn send_message(&self, text: &str) {
        self.type_into("textarea[data-testid=compose]", text);
        self.click_css("button[data-testid=send]");
    }

    /// Waits for a message holding a grid widget; returns its message id.
    pub fn wait_grid_message(&self) -> String {
        wait_some(
            &format!("[{}] a message with a grid widget", self.name),
            DEFAULT_TIMEOUT,
            || {
                self.execute(
                    "const g = document.querySelector('[data-testid=message] .tulip-host [role=grid]');\
                     if (g === null) return null;\
                     return g.closest('[data-testid=message]').getAttribute('data-message-id');",
                    &[],
                )
                .as_str()
                .map(str::to_owned)
            },
        )
    }

    /// Waits for a message whose widget holds an element matching `css`
    /// (inside `.tulip-host`); returns its message id.
    pub fn wait_message_with(&self, css: &str) -> String {
        wait_some(
            &format!("[{}] a message with a widget holding {css}", self.name),
            DEFAULT_TIMEOUT,
            || {
                self.execute(
                    "const g = document.querySelector('[data-testid=message] .tulip-host ' + arguments[0]);\
                     if (g === null) return null;\
                     return g.closest('[data-testid=message]').getAttribute('data-message-id');",
                    &[json!(css)],
                )
                .as_str()
                .map(str::to_owned)
            },
        )
    }

    /// The cells of grid child `child` of message `message_id` whose
    /// trimmed text is `content`, as `(x, y)` in row-major order.
    pub fn child_cells(&self, message_id: &str, child: &str, content: &str) -> Vec<(u32, u32)> {
        let v = self.execute(
            "const cells = document.querySelectorAll(arguments[0]);\
             return Array.from(cells)\
               .filter(e => e.textContent.trim() === arguments[1])\
               .map(e => [Number(e.getAttribute('data-x')), Number(e.getAttribute('data-y'))]);",
            &[
                json!(format!(
                    "{} [data-child=\"{child}\"] [role=gridcell]",
                    host_css(message_id)
                )),
                json!(content),
            ],
        );
        let mut out: Vec<(u32, u32)> = v
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| Some((p[0].as_u64()? as u32, p[1].as_u64()? as u32)))
                    .collect()
            })
            .unwrap_or_default();
        out.sort_by_key(|(x, y)| (*y, *x));
        out
    }

    /// How many elements of the page show `needle`, in their own text or in
    /// any attribute (an element that has it in both, like a grid cell with
    /// its content also in `aria-label`, counts once): so a secret cannot
    /// hide anywhere in the DOM.
    pub fn page_count(&self, needle: &str) -> usize {
        self.page_count_outside(needle, None)
    }

    /// [`Browser::page_count`] skipping the elements inside `except` (a CSS
    /// selector), e.g. the screen-reader announcer, which may say what a
    /// player's own cell held before an update.
    pub fn page_count_outside(&self, needle: &str, except: Option<&str>) -> usize {
        self.execute(
            "const n = arguments[0], except = arguments[1]; let count = 0;\
             for (const e of document.querySelectorAll('*')) {\
               if (except !== null && e.closest(except) !== null) continue;\
               let own = '';\
               for (const c of e.childNodes) if (c.nodeType === 3) own += c.nodeValue;\
               let hit = own.includes(n);\
               for (const a of e.attributes) hit = hit || a.value.includes(n);\
               if (hit) count += 1;\
             }\
             return count;",
            &[json!(needle), json!(except)],
        )
        .as_u64()
        .unwrap_or(0) as usize
    }

    /// The trimmed text of a grid cell (`None`: no such cell).
    pub fn cell_text(&self, message_id: &str, x: u32, y: u32) -> Option<String> {
        self.text_of(&cell_css(message_id, x, y))
            .map(|t| t.trim().to_owned())
    }

    /// Waits until cell (`x`, `y`) shows exactly `text` (`""`: empty).
    pub fn wait_cell(&self, message_id: &str, x: u32, y: u32, text: &str) {
        self.wait_text(&cell_css(message_id, x, y), &format!("= {text:?}"), |t| {
            t == text
        });
    }

    pub fn click_cell(&self, message_id: &str, x: u32, y: u32) {
        self.click_css(&cell_css(message_id, x, y));
    }

    /// The widget's whole text (`None`: the message has no widget).
    pub fn widget_text(&self, message_id: &str) -> Option<String> {
        self.text_of(&host_css(message_id))
    }

    /// The widget's `data-version` (`None`: no widget shown).
    pub fn widget_version(&self, message_id: &str) -> Option<u64> {
        self.attr_of(&host_css(message_id), "data-version")?
            .parse()
            .ok()
    }

    /// Waits until the widget's version satisfies `ok`; returns it.
    pub fn wait_version(&self, message_id: &str, what: &str, ok: impl Fn(u64) -> bool) -> u64 {
        let what = format!("[{}] widget {message_id} data-version {what}", self.name);
        wait_ok(&what, DEFAULT_TIMEOUT, || {
            match self.widget_version(message_id) {
                Some(v) if ok(v) => Ok(v),
                v => Err(format!("{v:?}")),
            }
        })
    }

    /// The text of `[data-testid=notice]`, if one is shown.
    pub fn notice(&self) -> Option<String> {
        self.text_of("[data-testid=notice]")
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes() {
        assert_eq!(decode_base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("aGVsbA==").as_deref(), Some(&b"hell"[..]));
        assert_eq!(decode_base64("aGVs").as_deref(), Some(&b"hel"[..]));
        assert_eq!(decode_base64("").as_deref(), Some(&b""[..]));
        assert_eq!(decode_base64("a*=="), None);
    }

    #[test]
    fn selectors() {
        assert_eq!(
            cell_css("7", 1, 2),
            "[data-testid=message][data-message-id=\"7\"] .tulip-host [role=gridcell][data-x=\"1\"][data-y=\"2\"]"
        );
    }

    #[test]
    fn wait_until_returns_and_times_out() {
        let mut n = 0;
        wait_until("three calls", Duration::from_secs(5), || {
            n += 1;
            n == 3
        });
        assert_eq!(n, 3);
        let r =
            std::panic::catch_unwind(|| wait_until("never", Duration::from_millis(100), || false));
        let msg = r
            .err()
            .and_then(|e| e.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        assert!(msg.contains("waiting for never"), "{msg}");
    }
}
