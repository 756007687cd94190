//! End-to-end tests of the `tulip-widget` binary: exit codes, the one-line
//! error format `CODE path: message`, garbage and hostile input, per-viewer
//! resolution and updates.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_tulip-widget");

/// A fixture under `tests/data/`.
fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Writes `bytes` to a fresh file under the target's scratch directory.
fn scratch(name: &str, bytes: &[u8]) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!(
        "{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

fn scratch_json(name: &str, v: &Value) -> String {
    scratch(name, v.to_string().as_bytes())
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// The run failed cleanly: no panic, nothing on stdout.
    fn assert_clean_failure(&self, code: i32) {
        assert_eq!(self.code, code, "stderr: {}", self.stderr);
        assert!(self.stdout.is_empty(), "stdout: {}", self.stdout);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        assert!(!self.stderr.contains("RUST_BACKTRACE"), "{}", self.stderr);
    }
}

fn run_with(args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let writer = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().unwrap();
        // The binary stops reading after 1 MiB + 1 byte: a broken pipe here
        // is expected for larger inputs.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    if let Some(w) = writer {
        w.join().unwrap();
    }
    Run {
        code: status.code().expect("exited, not killed by a signal"),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

fn run(args: &[&str]) -> Run {
    run_with(args, None)
}

/// Runs `validate` on `widget` and returns the first error as `CODE path`.
fn first_error(name: &str, widget: &Value) -> String {
    let file = scratch_json(name, widget);
    let r = run(&["validate", &file]);
    if r.code == 0 {
        return format!("ACCEPTED ({})", r.stdout.trim());
    }
    r.assert_clean_failure(1);
    let line = r.stderr_lines()[0].to_owned();
    let (head, _msg) = line
        .split_once(": ")
        .unwrap_or_else(|| panic!("not `CODE path: message`: {line}"));
    head.to_owned()
}

// ---------------------------------------------------------------------------
// valid input

#[test]
fn valid_widgets_are_ok() {
    for f in ["tictactoe.json", "poker.json"] {
        let r = run(&["validate", &data(f)]);
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (0, "ok\n", "")
        );
    }
}

#[test]
fn stdin_is_read_with_a_dash() {
    let text = fs::read(data("tictactoe.json")).unwrap();
    let r = run_with(&["validate", "-"], Some(text));
    assert_eq!((r.code, r.stdout.as_str()), (0, "ok\n"));
}

#[test]
fn allow_http_is_a_policy_switch() {
    let w = json!({"widget_type": "dialog", "extra_data": {"speaker": {"portrait": "http://example.com/a.png"}}});
    let file = scratch_json("http.json", &w);
    let r = run(&["validate", &file]);
    r.assert_clean_failure(1);
    assert!(r
        .stderr
        .starts_with("INVALID_URL extra_data.speaker.portrait: "));
    let r = run(&["--allow-http", "validate", &file]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "ok\n"));
}

#[test]
fn every_error_is_reported_one_per_line() {
    let w = json!({"widget_type": "grid", "extra_data": {"width": 300, "height": 0,
        "cells": [{"x": 0, "y": 0, "content": "x".repeat(10_001)}]}});
    let r = run(&["validate", &scratch_json("many.json", &w)]);
    r.assert_clean_failure(1);
    let heads: Vec<&str> = r
        .stderr_lines()
        .iter()
        .map(|l| l.split_once(": ").unwrap().0)
        .collect();
    assert_eq!(
        heads,
        [
            "OUT_OF_RANGE extra_data.width",
            "OUT_OF_RANGE extra_data.height",
            // (0, 0) is outside a grid of height 0
            "OUT_OF_RANGE extra_data.cells[0]",
            "STRING_TOO_LONG extra_data.cells[0].content",
        ]
    );
}

// ---------------------------------------------------------------------------
// garbage

/// Asserts exactly one stderr line starting with `prefix`, and exit `code`.
fn assert_one_line(r: &Run, code: i32, prefix: &str) {
    r.assert_clean_failure(code);
    let lines = r.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(lines[0].starts_with(prefix), "{:?} !~ {prefix:?}", lines[0]);
}

#[test]
fn garbage_files_are_invalid_json() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", vec![], "INVALID_JSON (root): "),
        ("blank", b"  \n\t ".to_vec(), "INVALID_JSON (root): "),
        ("text", b"hello widget".to_vec(), "INVALID_JSON (root): "),
        ("truncated", br#"{"widget_type": "grid", "extra_data": {"#.to_vec(), "INVALID_JSON (root): "),
        ("trailing", br#"{"widget_type": "hud", "extra_data": {}} {}"#.to_vec(), "INVALID_JSON (root): "),
        ("nan", br#"{"widget_type": "hud", "extra_data": {"bars": [{"label": "a", "current": NaN, "max": 1}]}}"#.to_vec(), "INVALID_JSON (root): "),
        (
            "binary",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\xfd\x00\x01".to_vec(),
            "INVALID_JSON (root): ",
        ),
        ("latin1", b"{\"widget_type\": \"hud\xe9\"}".to_vec(), "INVALID_JSON (root): "),
        ("bom", b"\xef\xbb\xbf{\"widget_type\": \"hud\", \"extra_data\": {}}".to_vec(), "INVALID_JSON (root): "),
    ];
    for (name, bytes, prefix) in cases {
        let file = scratch(name, &bytes);
        let r = run(&["validate", &file]);
        assert_one_line(&r, 1, prefix);
        assert!(r.stderr.contains(&file), "names the file: {}", r.stderr);
    }
}

#[test]
fn wrong_types_are_invalid_type() {
    let cases = [
        (json!([1, 2, 3]), "INVALID_TYPE (root): "),
        (json!("grid"), "INVALID_TYPE (root): "),
        (json!(42), "INVALID_TYPE (root): "),
        (json!(null), "INVALID_TYPE (root): "),
        (json!({}), "INVALID_TYPE widget_type: "),
        (
            json!({"widget_type": 5, "extra_data": {}}),
            "INVALID_TYPE widget_type: ",
        ),
        (json!({"widget_type": "grid"}), "INVALID_TYPE extra_data: "),
        (
            json!({"widget_type": "grid", "extra_data": []}),
            "INVALID_TYPE extra_data: ",
        ),
        (
            json!({"widget_type": "grid", "extra_data": {"width": "3", "height": 3}}),
            "INVALID_TYPE extra_data.width: ",
        ),
        (
            json!({"widget_type": "chess", "extra_data": {}}),
            "UNKNOWN_WIDGET_TYPE widget_type: ",
        ),
        (
            json!({"widget_type": "hud", "extra_data": {}, "script": "x"}),
            "UNKNOWN_FIELD script: ",
        ),
    ];
    for (v, prefix) in cases {
        let r = run(&["validate", &scratch_json("types.json", &v)]);
        assert_one_line(&r, 1, prefix);
    }
}

#[test]
fn deep_nesting_is_too_deep_not_a_stack_overflow() {
    let n = 100_000;
    let arrays = format!("{}{}", "[".repeat(n), "]".repeat(n));
    let objects = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
    let in_widget = format!(
        "{{\"widget_type\": \"hud\", \"extra_data\": {{\"bars\": {}{}}}}}",
        "[".repeat(n),
        "]".repeat(n)
    );
    for (name, text) in [
        ("arrays", arrays),
        ("objects", objects),
        ("in_widget", in_widget),
    ] {
        let r = run(&["validate", &scratch(name, text.as_bytes())]);
        assert_one_line(&r, 1, "TOO_DEEP (root): ");
    }
}

#[test]
fn a_50_mb_file_is_too_large() {
    let path = scratch("huge.json", b"");
    let f = fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap(); // sparse: cheap to make
    drop(f);
    let r = run(&["validate", &path]);
    assert_one_line(&r, 1, "TOO_LARGE (root): ");
    fs::remove_file(&path).unwrap();
}

#[test]
fn one_mib_is_the_exact_limit() {
    // A valid widget padded with spaces to exactly 1 MiB passes; one byte more fails.
    let base = br#"{"widget_type": "hud", "extra_data": {}}"#;
    let mut exact = base.to_vec();
    exact.resize(1024 * 1024, b' ');
    let r = run(&["validate", &scratch("exact.json", &exact)]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "ok\n"), "{}", r.stderr);
    exact.push(b' ');
    let r = run(&["validate", &scratch("over.json", &exact)]);
    assert_one_line(&r, 1, "TOO_LARGE (root): ");
}

#[test]
fn endless_stdin_is_cut_off() {
    let r = run_with(&["validate", "-"], Some(vec![b' '; 8 * 1024 * 1024]));
    assert_one_line(&r, 1, "TOO_LARGE (root): <stdin>: ");
}

#[cfg(target_os = "linux")]
#[test]
fn dev_zero_is_too_large() {
    let r = run(&["validate", "/dev/zero"]);
    assert_one_line(&r, 1, "TOO_LARGE (root): ");
}

#[test]
fn io_errors_exit_2() {
    let r = run(&["validate", "/nonexistent/widget.json"]);
    assert_one_line(&r, 2, "error: cannot open /nonexistent/widget.json");
    let r = run(&["validate", env!("CARGO_MANIFEST_DIR")]);
    assert_one_line(&r, 2, "error: cannot read ");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["validate"],
        &["validate", "a.json", "b.json"],
        &["resolve", "a.json"],
        &["apply", "a.json"],
        &["validate", "--no-such-flag", "a.json"],
    ] {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty());
        assert!(!r.stderr.contains("panicked"));
    }
    let tt = data("tictactoe.json");
    for args in [
        &["resolve", "--viewer", "", &tt][..],
        &["resolve", "--viewer", "default", &tt],
        &["apply", "-", "-"],
    ] {
        let r = run(args);
        assert_one_line(&r, 2, "error: ");
    }
}

#[test]
fn help_documents_everything() {
    let r = run(&["--help"]);
    assert_eq!(r.code, 0);
    for needle in [
        "validate",
        "resolve",
        "apply",
        "CODE path: message",
        "(root)",
        "EXIT STATUS",
        "1 MiB",
        "EXAMPLES",
        "--allow-http",
    ] {
        assert!(r.stdout.contains(needle), "--help lacks {needle:?}");
    }
    let r = run(&["apply", "--help"]);
    assert_eq!(r.code, 0);
    for needle in ["{\"update\": {", "{\"replace\": {", "--viewer", "EXAMPLE"] {
        assert!(r.stdout.contains(needle), "apply --help lacks {needle:?}");
    }
}

#[test]
fn the_help_example_is_true() {
    let help = run(&["--help"]).stdout;
    let expected = help
        .lines()
        .find(|l| l.trim_start().starts_with("OUT_OF_RANGE"))
        .unwrap()
        .trim();
    let r = run_with(
        &["validate", "-"],
        Some(br#"{"widget_type":"grid","extra_data":{"width":257,"height":3}}"#.to_vec()),
    );
    assert_eq!(r.stderr.trim(), expected);
}

#[test]
fn control_characters_never_break_the_one_line_format() {
    let w = json!({"widget_type": "hud", "extra_data": {"sounds": {"a\nb": "http://example.com/a.mp3"}}});
    let r = run(&["validate", &scratch_json("nl.json", &w)]);
    assert_one_line(&r, 1, "INVALID_URL extra_data.sounds[");
    assert!(r.stderr.contains("a\\nb"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------
// hostile payloads

fn sprite_image(url: &str) -> Value {
    json!({"widget_type": "canvas", "extra_data": {"width": 10, "height": 10,
        "sprites": [{"id": "a", "image": url, "x": 0, "y": 0}]}})
}

fn nested_composites(n: usize) -> Value {
    let mut w = json!({"id": "leaf", "type": "hud"});
    for i in 1..n {
        w = json!({"id": format!("c{i}"), "type": "composite", "widgets": [w]});
    }
    json!({"widget_type": "composite", "extra_data": {"widgets": [w]}})
}

fn sprites(n: usize) -> Value {
    let list: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("s{i:04}"), "emoji": "🍄", "x": i, "y": 0}))
        .collect();
    json!({"widget_type": "canvas", "extra_data": {"width": 100, "height": 100, "sprites": list}})
}

fn children(n: usize) -> Value {
    let list: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("h{i}"), "type": "hud"}))
        .collect();
    json!({"widget_type": "composite", "extra_data": {"layout": "vertical", "widgets": list}})
}

fn data_url(payload_bytes: usize) -> String {
    format!("data:image/png;base64,{}", "A".repeat(payload_bytes))
}

#[test]
fn hostile_payloads_are_rejected_with_code_and_path() {
    let img = "INVALID_URL extra_data.sprites[0].image";
    let cases: Vec<(&str, Value, &str)> = vec![
        ("js", sprite_image("javascript:alert(1)"), img),
        ("js-case", sprite_image("JaVaScRiPt:alert(1)"), img),
        ("js-upper", sprite_image("JAVASCRIPT:alert(1)"), img),
        ("js-tab", sprite_image("java\tscript:alert(1)"), img),
        ("js-newline", sprite_image("java\nscript:alert(1)"), img),
        ("js-cr", sprite_image("java\rscript:alert(1)"), img),
        ("js-nul", sprite_image("\u{0}javascript:alert(1)"), img),
        ("js-space", sprite_image("  javascript:alert(1)"), img),
        ("js-nbsp", sprite_image("\u{a0}javascript:alert(1)"), img),
        ("js-ls", sprite_image("java\u{2028}script:alert(1)"), img),
        ("js-entity", sprite_image("&#106;avascript:alert(1)"), img),
        (
            "js-hexentity",
            sprite_image("&#x6A;avascript:alert(1)"),
            img,
        ),
        (
            "js-colon-entity",
            sprite_image("javascript&colon;alert(1)"),
            img,
        ),
        ("js-percent", sprite_image("%6Aavascript:alert(1)"), img),
        (
            "js-percent-colon",
            sprite_image("javascript%3Aalert(1)"),
            img,
        ),
        ("js-fullwidth", sprite_image("ｊavascript:alert(1)"), img),
        ("vbscript", sprite_image("vbscript:msgbox(1)"), img),
        (
            "data-html",
            sprite_image("data:text/html;base64,PHNjcmlwdD4="),
            img,
        ),
        (
            "data-svg",
            sprite_image("data:image/svg+xml;base64,PHN2Zz4="),
            img,
        ),
        (
            "protocol-relative",
            sprite_image("//evil.example/a.png"),
            img,
        ),
        ("backslash", sprite_image("/\\evil.example/a.png"), img),
        (
            "quote",
            sprite_image("https://cdn.example/a.png\"onerror=alert(1)"),
            img,
        ),
        ("file", sprite_image("file:///etc/passwd"), img),
        (
            "http-default-policy",
            sprite_image("http://cdn.example/a.png"),
            img,
        ),
        (
            "data-url-too-big",
            sprite_image(&data_url(256 * 1024 + 1)),
            img,
        ),
        (
            "colour-css-injection",
            json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 2,
                "cells": [{"x": 0, "y": 0, "bg": "red;background:url(x)"}]}}),
            "INVALID_COLOR extra_data.cells[0].bg",
        ),
        (
            "colour-url",
            json!({"widget_type": "hud", "extra_data": {"bars": [{"label": "hp", "current": 1, "max": 2, "color": "url(javascript:alert(1))"}]}}),
            "INVALID_COLOR extra_data.bars[0].color",
        ),
        (
            "colour-expression",
            json!({"widget_type": "terminal", "extra_data": {"lines": [{"text": "hi", "color": "expression(alert(1))"}]}}),
            "INVALID_COLOR extra_data.lines[0].color",
        ),
        (
            "grid-257",
            json!({"widget_type": "grid", "extra_data": {"width": 257, "height": 2}}),
            "OUT_OF_RANGE extra_data.width",
        ),
        (
            "grid-height-257",
            json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 257}}),
            "OUT_OF_RANGE extra_data.height",
        ),
        ("sprites-4001", sprites(4001), "TOO_MANY extra_data.sprites"),
        (
            "composite-depth-5",
            nested_composites(5),
            "TOO_DEEP extra_data.widgets[0].widgets[0].widgets[0].widgets[0]",
        ),
        ("children-17", children(17), "TOO_MANY extra_data.widgets"),
        (
            "string-10001",
            json!({"widget_type": "dialog", "extra_data": {"text": "x".repeat(10_001)}}),
            "STRING_TOO_LONG extra_data.text",
        ),
        (
            "string-10001-in-cell",
            json!({"widget_type": "grid", "extra_data": {"width": 1, "height": 1,
                "cells": [{"x": 0, "y": 0, "content": "é".repeat(10_001)}]}}),
            "STRING_TOO_LONG extra_data.cells[0].content",
        ),
        (
            "cards-501",
            json!({"widget_type": "cards", "extra_data": {"cards":
                (0..501).map(|i| json!({"id": format!("c{i}")})).collect::<Vec<_>>()}}),
            "TOO_MANY extra_data.cards",
        ),
        (
            "map-1025",
            json!({"widget_type": "map", "extra_data": {"width": 1025, "height": 10}}),
            "OUT_OF_RANGE extra_data.width",
        ),
    ];
    let mut failures = Vec::new();
    for (name, widget, expected) in &cases {
        let got = first_error(name, widget);
        if got != *expected {
            failures.push(format!("{name}: expected `{expected}`, got `{got}`"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn limits_themselves_are_accepted() {
    let cases: Vec<(&str, Value)> = vec![
        (
            "grid-256",
            json!({"widget_type": "grid", "extra_data": {"width": 256, "height": 256}}),
        ),
        ("sprites-4000", sprites(4000)),
        ("composite-depth-4", nested_composites(4)),
        ("children-16", children(16)),
        (
            "string-10000",
            json!({"widget_type": "dialog", "extra_data": {"text": "é".repeat(10_000)}}),
        ),
        ("data-url-256k", sprite_image(&data_url(256 * 1024))),
        (
            "same-origin-path",
            sprite_image("/static/javascript:alert.png"),
        ),
    ];
    for (name, widget) in &cases {
        assert_eq!(first_error(name, widget), "ACCEPTED (ok)", "{name}");
    }
}

/// PROTOCOL.md 7: a bad payload gets "a JSON path to the bad field". The
/// path must index the array as the bot sent it.
#[test]
fn error_paths_index_the_document_as_sent() {
    let cells = json!({"widget_type": "grid", "extra_data": {"width": 3, "height": 3,
        "cells": [{"x": 1, "y": 0}, {"x": 0, "y": 0, "content": "x".repeat(10_001)}]}});
    assert_eq!(
        first_error("order-cells", &cells),
        "STRING_TOO_LONG extra_data.cells[1].content"
    );
    let sprites = json!({"widget_type": "canvas", "extra_data": {"width": 9, "height": 9,
        "sprites": [{"id": "b", "emoji": "x", "x": 0, "y": 0},
                    {"id": "a", "emoji": "x", "x": 0, "y": 0, "scale": 1000}]}});
    assert_eq!(
        first_error("order-sprites", &sprites),
        "OUT_OF_RANGE extra_data.sprites[1].scale"
    );
}

/// `Code::InvalidUpdate` is documented as "an update operation that this
/// widget kind does not have"; core answers `UNKNOWN_FIELD` instead.
#[test]
fn an_operation_of_another_kind_is_invalid_update() {
    let r = run_with(
        &["apply", &data("tictactoe.json"), "-"],
        Some(br#"{"add_cards": [{"id": "x"}]}"#.to_vec()),
    );
    assert_one_line(&r, 1, "INVALID_UPDATE update.add_cards: ");
}

// ---------------------------------------------------------------------------
// resolve

fn card<'a>(view: &'a Value, id: &str) -> &'a Value {
    view["extra_data"]["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no card {id}"))
}

#[test]
fn resolve_shows_each_player_only_their_own_cards() {
    let poker = data("poker.json");
    // alice: her card face up, bob's face down without face or image.
    let r = run(&["resolve", "--viewer", "alice", &poker]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(card(&v, "alice-1")["face"], "A♠");
    assert_eq!(
        card(&v, "bob-1"),
        &json!({"id": "bob-1", "facedown": true, "owner": 7, "hidden_for_others": true})
    );
    assert_eq!(card(&v, "river")["face"], "7♦");
    assert!(!r.stdout.contains("K♥") && !r.stdout.contains("kh.png"));

    // bob is user 7 (a number in the payload): his card face up, alice's face down.
    let r = run(&["resolve", "--viewer", "7", &poker]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(card(&v, "bob-1")["face"], "K♥");
    assert_eq!(card(&v, "bob-1")["image"], "https://cards.example/kh.png");
    assert_eq!(
        card(&v, "alice-1"),
        &json!({"id": "alice-1", "facedown": true, "owner": "alice", "hidden_for_others": true})
    );
    assert!(!r.stdout.contains("A♠"));

    // A spectator sees neither.
    let r = run(&["resolve", "--viewer", "carol", &poker]);
    assert!(!r.stdout.contains("A♠") && !r.stdout.contains("K♥"));
    assert_eq!(card(&r.json(), "river")["face"], "7♦");
}

#[test]
fn resolve_drops_hidden_cells_and_views() {
    let w = json!({"widget_type": "grid", "extra_data": {"width": 2, "height": 1,
        "cells": [{"x": 0, "y": 0, "content": "mine", "owner": "alice", "hidden_for_others": true}],
        "views": {"alice": {"default_bg": "#000000"}, "default": {"default_bg": "#ffffff"}}}});
    let file = scratch_json("views.json", &w);
    let r = run(&["resolve", "--viewer", "alice", &file]);
    let v = r.json();
    assert_eq!(v["extra_data"]["cells"][0]["content"], "mine");
    assert_eq!(v["extra_data"]["default_bg"], "#000000");
    assert!(v["extra_data"].get("views").is_none());
    let r = run(&["resolve", "--viewer", "bob", &file]);
    assert!(!r.stdout.contains("mine") && !r.stdout.contains("#000000"));
    assert_eq!(r.json()["extra_data"]["default_bg"], "#ffffff");
}

#[test]
fn resolve_validates_first() {
    let w = json!({"widget_type": "cards", "extra_data": {"cards": [{"id": "a", "image": "javascript:x"}]}});
    let r = run(&[
        "resolve",
        "--viewer",
        "alice",
        &scratch_json("bad.json", &w),
    ]);
    assert_one_line(&r, 1, "INVALID_URL extra_data.cards[0].image: ");
}

// ---------------------------------------------------------------------------
// apply

#[test]
fn apply_takes_bare_or_wrapped_updates() {
    let tt = data("tictactoe.json");
    let bare = run(&["apply", &tt, &data("move.json")]);
    let wrapped = run(&["apply", &tt, &data("move_wrapped.json")]);
    assert_eq!(bare.code, 0, "{}", bare.stderr);
    assert_eq!(bare.stdout, wrapped.stdout);
    let v = bare.json();
    assert_eq!(v["widget_type"], "grid");
    let cells = v["extra_data"]["cells"].as_array().unwrap();
    assert!(cells
        .iter()
        .any(|c| c["x"] == 2 && c["y"] == 0 && c["content"] == "X"));
    assert_eq!(v["extra_data"]["turn"]["current_player"], 7);
    // The sender's view: hidden cells are kept.
    assert!(cells.iter().any(|c| c["content"] == "?"));
}

#[test]
fn apply_with_viewer_prints_what_that_viewer_receives() {
    let poker = data("poker.json");
    // The showdown: each player receives the other's card face.
    let r = run(&["apply", &poker, &data("showdown.json"), "--viewer", "7"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let ops = v["update"]["update_card"].as_array().expect("update_card");
    let alice = ops.iter().find(|c| c["id"] == "alice-1").unwrap();
    assert_eq!(alice["face"], "A♠");
    assert!(v.get("replace").is_none());

    // Clearing a cell only alice sees: alice gets the clear, bob gets nothing.
    let tt = data("tictactoe.json");
    let clear = br#"{"update": {"clear_cells": [{"x": 2, "y": 2}]}}"#.to_vec();
    let r = run_with(
        &["apply", &tt, "-", "--viewer", "alice"],
        Some(clear.clone()),
    );
    assert_eq!(
        r.json(),
        json!({"update": {"clear_cells": [{"x": 2, "y": 2}]}})
    );
    let r = run_with(&["apply", &tt, "-", "--viewer", "7"], Some(clear));
    assert_eq!(r.json(), json!({"update": {}}));

    // A public move reaches bob as the same cells.
    let r = run(&["apply", &tt, &data("move.json"), "--viewer", "7"]);
    let v = r.json();
    assert_eq!(
        v["update"]["set_cells"],
        json!([{"x": 2, "y": 0, "content": "X", "fg": "#c62828"}])
    );
}

#[test]
fn apply_of_a_whole_widget_replaces_the_view() {
    let poker = data("poker.json");
    let body = json!({"widget": {"widget_type": "cards", "extra_data": {"cards": [
        {"id": "n1", "face": "Q♣", "owner": "alice", "hidden_for_others": true}]}}});
    let file = scratch_json("replace.json", &body);
    let r = run(&["apply", &poker, &file, "--viewer", "7"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.json(),
        json!({"replace": {"widget_type": "cards", "extra_data": {"cards": [
            {"id": "n1", "facedown": true, "owner": "alice", "hidden_for_others": true}]}}})
    );
    let bad = json!({"widget": {"widget_type": "hud", "extra_data": {"bars": [
        {"label": "hp", "current": 1, "max": 2, "color": "nope"}]}}});
    let r = run(&["apply", &poker, &scratch_json("bad-replace.json", &bad)]);
    assert_one_line(&r, 1, "INVALID_COLOR widget.extra_data.bars[0].color: ");
}

#[test]
fn apply_rejects_bad_updates_with_update_paths() {
    let tt = data("tictactoe.json");
    let cases: Vec<(&[u8], &str)> = vec![
        (
            br#"{"set_cells": [{"x": 5, "y": 0}]}"#,
            "OUT_OF_RANGE update.set_cells[0]: ",
        ),
        (
            br#"{"update": {"set_cells": [{"x": 1, "y": 0, "bg": "red;x:url(y)"}]}}"#,
            "INVALID_COLOR update.set_cells[0].bg: ",
        ),
        (
            br#"{"update": {"set_cells": [{"x": 1, "y": 0, "content": 5}]}}"#,
            "INVALID_TYPE update.set_cells[0].content: ",
        ),
        (
            br#"{"update": {"play_sound": "boom"}}"#,
            "UNKNOWN_ID update.play_sound: ",
        ),
        (
            br#"{"update": {}, "client_seq": 1}"#,
            "UNKNOWN_FIELD client_seq: ",
        ),
        (br#"{"update": {}, "widget": {}}"#, "INVALID_TYPE (root): "),
        (br#"[{"set_cells": []}]"#, "INVALID_TYPE update: "),
        (br#"{"update": "#, "INVALID_JSON (root): <stdin>: "),
        (b"", "INVALID_JSON (root): <stdin>: "),
    ];
    for (body, prefix) in cases {
        let r = run_with(&["apply", &tt, "-"], Some(body.to_vec()));
        assert_one_line(&r, 1, prefix);
    }
    // The widget file is checked too, with its own paths.
    let bad = json!({"widget_type": "grid", "extra_data": {"width": 0, "height": 1}});
    let r = run(&["apply", &scratch_json("bad.json", &bad), &data("move.json")]);
    assert_one_line(&r, 1, "OUT_OF_RANGE extra_data.width: ");
    // A huge update file is cut off like any other input.
    let r = run_with(&["apply", &tt, "-"], Some(vec![b'['; 3 * 1024 * 1024]));
    assert_one_line(&r, 1, "TOO_LARGE (root): <stdin>: ");
}

#[test]
fn the_output_of_apply_validates_again() {
    let tt = data("tictactoe.json");
    let r = run(&["apply", &tt, &data("move.json")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = scratch("applied.json", r.stdout.as_bytes());
    assert_eq!(run(&["validate", &out]).stdout, "ok\n");
}

/// PROTOCOL.md 2 and 7: every update is validated and "a rejected update
/// changes nothing"; an accepted one must therefore leave a valid widget.
#[test]
fn updates_that_would_leave_an_invalid_widget_are_rejected() {
    let cases = [
        (
            json!({"widget_type": "lobby", "extra_data": {"game": "g"}}),
            json!({"set_players": [{"id": "bob"}, {"id": "bob"}]}),
            "DUPLICATE_ID update.set_players[1].id: ",
        ),
        (
            json!({"widget_type": "dialog", "extra_data": {"text": "hi"}}),
            json!({"set_choices": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]}),
            "DUPLICATE_ID update.set_choices[1].id: ",
        ),
        (
            json!({"widget_type": "leaderboard", "extra_data": {"page": 1, "total_pages": 2}}),
            json!({"set_page": 9}),
            "OUT_OF_RANGE update.set_page: ",
        ),
        (
            json!({"widget_type": "leaderboard", "extra_data": {"page": 1, "total_pages": 2}}),
            json!({"set_page": 0}),
            "OUT_OF_RANGE update.set_page: ",
        ),
    ];
    let mut failures = Vec::new();
    for (widget, update, expected) in cases {
        let w = scratch_json("w.json", &widget);
        let r = run(&["apply", &w, &scratch_json("u.json", &update)]);
        if r.code != 1 || !r.stderr.starts_with(expected) {
            failures.push(format!(
                "{update}: expected `{expected}`, got exit {} {}{}",
                r.code,
                r.stderr.trim(),
                if r.code == 0 {
                    // What `validate` says of the widget apply produced.
                    let out = scratch("applied.json", r.stdout.as_bytes());
                    format!(" (output: {})", run(&["validate", &out]).stderr.trim())
                } else {
                    String::new()
                }
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
