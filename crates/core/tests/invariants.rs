//! Architecture invariants that a test can check (see ARCHITECTURE.md).

/// Core knows nothing of Yew, axum, tokio, web-sys or any I/O crate: its
/// normal dependencies are exactly this allow-list.
#[test]
fn core_depends_on_no_ui_or_io_crate() {
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .expect("a [dependencies] table")
        .split("\n[")
        .next()
        .unwrap();
    let names: Vec<&str> = deps
        .lines()
        .filter_map(|l| l.split(['=', '.']).next())
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.starts_with('#'))
        .collect();
    let allowed = [
        "serde",
        "serde_json",
        "thiserror",
        "serde_path_to_error",
        "schemars",
        "serde_with",
    ];
    for n in &names {
        assert!(
            allowed.contains(n),
            "tulip-core must not depend on `{n}` (see ARCHITECTURE.md)"
        );
    }
    assert!(!names.is_empty());
}

/// No `unwrap()`/`expect(` on paths a request or a browser can reach: the
/// core's library code has none at all (tests may use them).
#[test]
fn core_library_code_never_unwraps() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for (i, line) in code.lines().enumerate() {
            let l = line.trim_start();
            if l.starts_with("//") {
                continue;
            }
            assert!(
                !l.contains(".unwrap()") && !l.contains(".expect("),
                "{}:{}: unwrap/expect in library code",
                path.display(),
                i + 1
            );
        }
    }
}
