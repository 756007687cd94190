//! The page served by the real server runs under its Content Security Policy.

use tulip_e2e::{http_get, Harness, DEFAULT_TIMEOUT};

/// The opening tags of every `<script` element in `html`.
fn script_tags(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut tags = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<script") {
        let start = from + i;
        let end = lower[start..]
            .find('>')
            .map_or(lower.len(), |e| start + e + 1);
        tags.push(lower[start..end].to_owned());
        from = end;
    }
    tags
}

#[test]
fn script_tags_are_found() {
    let html =
        r#"<head><SCRIPT type="module" src="/boot.js"></script><script>alert(1)</script></head>"#;
    assert_eq!(
        script_tags(html),
        vec![
            r#"<script type="module" src="/boot.js">"#.to_owned(),
            "<script>".to_owned()
        ]
    );
}

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn page_runs_under_the_csp() {
    let h = Harness::new("page_runs_under_the_csp");

    // The header, on the page itself.
    for path in ["/", "/index.html"] {
        let r = http_get(&h.server.url(path));
        assert_eq!(r.status, 200, "GET {path}: {}", r.body);
        let csp = r
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("GET {path} has no Content-Security-Policy header"));
        let script_src: Vec<&str> = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src "))
            .unwrap_or_else(|| panic!("no script-src in {csp:?}"))
            .split_whitespace()
            .skip(1)
            .collect();
        assert!(
            script_src.contains(&"'self'") && script_src.contains(&"'wasm-unsafe-eval'"),
            "script-src of {path} is {script_src:?}"
        );
        for weak in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:"] {
            assert!(
                !script_src.contains(&weak),
                "script-src allows {weak}: {csp:?}"
            );
        }
        // No inline script: every <script> loads a file.
        let tags = script_tags(&r.body);
        assert!(
            !tags.is_empty(),
            "GET {path}: no <script> at all:\n{}",
            r.body
        );
        for tag in &tags {
            assert!(tag.contains(" src="), "inline script in {path}: {tag}");
        }
    }

    // The WebAssembly starts under that policy and the gallery works.
    let b = h.browser("viewer");
    b.navigate(&h.server.url("/#gallery"));
    b.wait_for(".tulip-app__title", DEFAULT_TIMEOUT);
    let cell = "[role=grid] [role=gridcell][data-x=\"2\"][data-y=\"2\"]";
    b.click_css(cell);
    let last = b.wait_text("[data-testid=last-interaction]", "naming cell 2,2", |t| {
        t.contains("cell_click")
    });
    assert!(
        last.contains("\"x\":2") && last.contains("\"y\":2"),
        "last interaction: {last}"
    );

    // And the browser reported no policy violation.
    if let Some(log) = b.browser_log() {
        let violations: Vec<&String> = log
            .iter()
            .filter(|l| {
                l.contains("Content Security Policy") || l.contains("Content-Security-Policy")
            })
            .collect();
        assert!(violations.is_empty(), "CSP violations: {violations:#?}");
    }
}
