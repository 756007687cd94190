//! Rules of the renderer's code that a scan can check (ARCHITECTURE.md,
//! "Invariants"). Native only: it reads the sources.

#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Library code of the renderer: each file up to its `#[cfg(test)]` module.
fn library_code() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 10, "found the sources");
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read");
            let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
            (p, code)
        })
        .collect()
}

/// A panic kills the whole bundle, and every widget on the page with it.
#[test]
fn renderer_library_code_never_panics_on_purpose() {
    for (path, code) in library_code() {
        for (i, line) in code.lines().enumerate() {
            let l = line.trim_start();
            if l.starts_with("//") {
                continue;
            }
            for bad in [
                ".unwrap()",
                ".expect(",
                "panic!(",
                "unreachable!(",
                "todo!(",
                "unimplemented!(",
            ] {
                assert!(
                    !l.contains(bad),
                    "{}:{}: `{bad}` in renderer library code",
                    path.display(),
                    i + 1
                );
            }
        }
    }
}

/// Text from a payload is always text: nothing sets HTML from a string.
#[test]
fn renderer_never_sets_html_from_strings() {
    for (path, code) in library_code() {
        for bad in [
            "inner_html",
            "outer_html",
            "from_html_unchecked",
            "insert_adjacent_html",
            "document.write",
        ] {
            assert!(!code.contains(bad), "{}: uses `{bad}`", path.display());
        }
    }
}
