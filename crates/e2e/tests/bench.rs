//! The browser benchmark page (`/#bench`), run in real headless Chromium
//! against the release bundle served by the real server: every
//! `[data-testid^=bench-run]` button is clicked in turn, and every figure
//! and goal verdict the page produces is printed.
//!
//! Speed goals are reported, never asserted (a slow machine must not make
//! this flake); the test fails only when the page breaks: no run button, a
//! run that reports an error or never finishes, or no figures (the grid
//! benchmark's seven figures must all be there and be numbers).
//!
//! Run it with `scripts/bench-browser.sh` (release build, `--nocapture`).
//! `TULIP_BENCH_UPDATES=N` measures N updates instead of the page's 200
//! (a quicker check that the page works, as in `scripts/test.sh e2e`).

use std::time::Duration;

use serde_json::{json, Value};
use tulip_e2e::{wait_ok, Browser, Harness, DEFAULT_TIMEOUT};

/// How long one run may take (a grid run is a few seconds on a fast
/// machine; the shared CI machine is slower).
const RUN_TIMEOUT: Duration = Duration::from_secs(600);

/// The figures the grid benchmark must produce.
const REQUIRED: [&str; 7] = [
    "grid_first_render_ms",
    "grid_update_p50_ms",
    "grid_update_p95_ms",
    "baseline_first_render_ms",
    "baseline_update_p50_ms",
    "baseline_update_p95_ms",
    "update_ratio_p95",
];

/// The state of the section holding the button `testid`: its `data-state`
/// (when it has one), how many results it shows, its error text, whether
/// the button is disabled.
fn section_state(b: &Browser, testid: &str) -> Value {
    b.execute(
        "const btn = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);\
         if (btn === null) return null;\
         const sec = btn.closest('[data-state]') || btn.closest('section') || document.body;\
         const err = sec.querySelector('[data-testid=bench-error]');\
         return { state: sec.getAttribute('data-state'),\
                  results: sec.querySelectorAll('[data-testid=bench-result]').length,\
                  error: err === null ? null : err.textContent,\
                  disabled: btn.disabled === true };",
        &[json!(testid)],
    )
}

/// Clicks `testid` and waits until its section has finished.
fn run(b: &Browser, testid: &str) {
    let before = section_state(b, testid);
    println!("bench: running {testid}");
    b.click_css(&format!("[data-testid=\"{testid}\"]"));
    let started = std::time::Instant::now();
    let mut seen_running = false;
    wait_ok(&format!("{testid} to finish"), RUN_TIMEOUT, || {
        let s = section_state(b, testid);
        if s.is_null() {
            return Err("the button is gone".to_owned());
        }
        if let Some(e) = s["error"].as_str() {
            panic!("{testid} failed on the page: {e}");
        }
        let results = s["results"].as_u64().unwrap_or(0);
        match s["state"].as_str() {
            Some("done") => Ok(()),
            Some("error") => panic!("{testid} reports data-state=error: {s}"),
            Some("running") => {
                seen_running = true;
                Err(format!("{s}"))
            }
            // No data-state: finished when results appeared and the button
            // is enabled again.
            _ if results > before["results"].as_u64().unwrap_or(0)
                && s["disabled"] != json!(true) =>
            {
                Ok(())
            }
            _ => Err(format!("{s}")),
        }
    });
    println!(
        "bench: {testid} finished in {:.1} s{}",
        started.elapsed().as_secs_f64(),
        if seen_running {
            ""
        } else {
            " (never seen running)"
        }
    );
}

/// With `TULIP_BENCH_SCREENSHOTS=<dir>`: the results, light and dark, at
/// 1000 and 360 px wide (`bench-<scheme>-<width>.png`).
fn screenshots(b: &Browser, dir: &std::path::Path) {
    for (scheme, width) in [
        ("light", 1000),
        ("dark", 1000),
        ("light", 360),
        ("dark", 360),
    ] {
        let _ = b.command(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": 1100 })),
        );
        let _ = b.command(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": "Emulation.setEmulatedMedia", "params": {
                "features": [{ "name": "prefers-color-scheme", "value": scheme }] } })),
        );
        b.execute(
            "const t = document.querySelector('[data-testid=bench-grid]'); if (t) t.scrollIntoView();",
            &[],
        );
        let path = dir.join(format!("bench-{scheme}-{width}.png"));
        match b.save_screenshot(&path) {
            Ok(()) => println!("bench: screenshot {}", path.display()),
            Err(e) => println!("bench: no screenshot {}: {e}", path.display()),
        }
    }
}

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn browser_benchmark_prints_figures() {
    let h = Harness::new("browser_benchmark_prints_figures");
    let b = h.browser("bench");
    // `TULIP_BENCH_UPDATES=20` makes a quicker run (the page's `n=`).
    let page = match std::env::var("TULIP_BENCH_UPDATES") {
        Ok(n) if n.parse::<usize>().is_ok_and(|n| n > 0) => format!("/#bench?n={n}"),
        _ => "/#bench".to_owned(),
    };
    b.navigate(&h.server.url(&page));
    b.wait_for("[data-testid=bench-run-grid]", DEFAULT_TIMEOUT);
    let agent = b.execute("return navigator.userAgent;", &[]);
    println!("bench: browser {}", agent.as_str().unwrap_or("?"));

    let buttons: Vec<String> = b
        .execute(
            "return Array.from(document.querySelectorAll('[data-testid^=bench-run]'))\
               .map(e => e.getAttribute('data-testid'));",
            &[],
        )
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        buttons.iter().any(|t| t == "bench-run-grid"),
        "no grid run button among {buttons:?}"
    );
    for testid in &buttons {
        run(&b, testid);
    }

    let results = b.execute(
        "return Array.from(document.querySelectorAll('[data-testid=bench-result]'))\
           .map(e => [e.getAttribute('data-name'), e.getAttribute('data-value')]);",
        &[],
    );
    let results: Vec<(String, String)> = results
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p[0].as_str().unwrap_or("?").to_owned(),
                        p[1].as_str().unwrap_or("?").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    println!("bench: ---- figures ({} of them) ----", results.len());
    for (name, value) in &results {
        println!("bench: {name} = {value}");
    }
    let goals = b.execute(
        "return Array.from(document.querySelectorAll('[data-testid=bench-goal]'))\
           .map(e => [e.getAttribute('data-name'), e.getAttribute('data-pass'),\
                      e.getAttribute('data-value'), e.getAttribute('data-limit')]);",
        &[],
    );
    println!("bench: ---- goals ----");
    for g in goals.as_array().into_iter().flatten() {
        let pass = g[1].as_str() == Some("true");
        println!(
            "bench: goal {}: {} ({} against at most {})",
            g[0].as_str().unwrap_or("?"),
            if pass { "pass" } else { "FAIL" },
            g[2].as_str().unwrap_or("?"),
            g[3].as_str().unwrap_or("?"),
        );
    }

    assert!(!results.is_empty(), "the page produced no figures");
    for name in REQUIRED {
        let value = results
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no figure {name} among {results:?}"));
        let parsed: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("{name} = {value:?} is not a number"));
        assert!(parsed >= 0.0, "{name} = {parsed}");
    }
    if let Some(dir) = std::env::var_os("TULIP_BENCH_SCREENSHOTS").filter(|d| !d.is_empty()) {
        screenshots(&b, std::path::Path::new(&dir));
    }
    if let Some(log) = b.browser_log() {
        let errors: Vec<&String> = log.iter().filter(|l| l.starts_with("SEVERE")).collect();
        if !errors.is_empty() {
            println!("bench: browser errors: {errors:#?}");
        }
        // The baseline is a wasm-bindgen module snippet: it must load under
        // the server's CSP like the bundle itself.
        let csp: Vec<&String> = log
            .iter()
            .filter(|l| {
                l.contains("Content Security Policy") || l.contains("Content-Security-Policy")
            })
            .collect();
        assert!(csp.is_empty(), "CSP violations: {csp:#?}");
    }
}
