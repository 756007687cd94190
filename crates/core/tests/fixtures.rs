//! Fixture tests: JSON in, expected JSON out.
//!
//! Each file in `tests/fixtures/` holds a `widget`, optionally an `update`
//! and `viewers`, and an `expect` object with any of:
//! - `errors`: `[{code, path}]` expected from parsing the widget or, when an
//!   `update` is given, from applying it (the widget must then be unchanged);
//! - `widget`: the widget after parsing (and the update);
//! - `views`: `{viewer: view}` of the resulting widget;
//! - `viewer_updates`: `{viewer: {"update": ..} or {"replace": ..}}`.
//!
//! Every case also checks the view/update law for each viewer.
//! `BLESS=1 cargo test -p tulip-core --test fixtures` rewrites `expect` from
//! the current behaviour; review the diff before committing it.

use std::path::Path;

use pretty_assertions::assert_eq;
use serde_json::{json, Map, Value};
use tulip_core::*;

fn errors_json(e: &Errors) -> Value {
    Value::Array(
        e.iter()
            .map(|e| json!({"code": e.code.as_str(), "path": e.path}))
            .collect(),
    )
}

fn vu_json(vu: &ViewerUpdate) -> Value {
    match vu {
        ViewerUpdate::Update(u) => json!({"update": u}),
        ViewerUpdate::Replace(w) => json!({"replace": w}),
    }
}

fn run_case(path: &Path, bless: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let policy = Policy::default();
    let mut actual = Map::new();
    let viewers: Vec<String> = case["viewers"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let widget = match parse_widget_value(case["widget"].clone(), &policy) {
        Ok(w) => w,
        Err(e) => {
            actual.insert("errors".into(), errors_json(&e));
            return finish(path, &case, actual, bless);
        }
    };
    let new = match case.get("update") {
        None => widget.clone(),
        Some(u) => {
            let applied = parse_update(&widget.body, u.clone())
                .and_then(|u| apply_update(&widget, &u, &policy).map(|n| (u, n)));
            match applied {
                Err(e) => {
                    actual.insert("errors".into(), errors_json(&e));
                    actual.insert("widget".into(), serde_json::to_value(&widget).unwrap());
                    return finish(path, &case, actual, bless);
                }
                Ok((u, n)) => {
                    let mut vus = Map::new();
                    for v in &viewers {
                        let viewer = Viewer::user(v.as_str());
                        let vu = viewer_update(&widget, &n, &u, &viewer);
                        // The law: the viewer's old view plus what they receive
                        // is exactly their new view.
                        let got = match &vu {
                            ViewerUpdate::Update(vu) => {
                                apply_update(&resolve(&widget, &viewer), vu, &policy).map_err(
                                    |e| {
                                        format!(
                                            "{}: viewer update for {v} does not apply: {e}",
                                            path.display()
                                        )
                                    },
                                )?
                            }
                            ViewerUpdate::Replace(w) => w.clone(),
                        };
                        if got != resolve(&n, &viewer) {
                            return Err(format!(
                                "{}: law broken for {v}:\n got  {}\n want {}",
                                path.display(),
                                serde_json::to_string(&got).unwrap(),
                                serde_json::to_string(&resolve(&n, &viewer)).unwrap()
                            ));
                        }
                        vus.insert(v.clone(), vu_json(&vu));
                    }
                    if !vus.is_empty() {
                        actual.insert("viewer_updates".into(), Value::Object(vus));
                    }
                    n
                }
            }
        }
    };
    actual.insert("widget".into(), serde_json::to_value(&new).unwrap());
    let reparsed = parse_widget_value(actual["widget"].clone(), &policy)
        .map_err(|e| format!("{}: output does not parse again: {e}", path.display()))?;
    if reparsed != new {
        return Err(format!(
            "{}: parse -> serialize -> parse is not stable",
            path.display()
        ));
    }
    if !viewers.is_empty() {
        let views: Map<String, Value> = viewers
            .iter()
            .map(|v| {
                (
                    v.clone(),
                    serde_json::to_value(resolve(&new, &Viewer::user(v.as_str()))).unwrap(),
                )
            })
            .collect();
        actual.insert("views".into(), Value::Object(views));
    }
    finish(path, &case, actual, bless)
}

fn finish(
    path: &Path,
    case: &Value,
    actual: Map<String, Value>,
    bless: bool,
) -> Result<(), String> {
    if bless {
        let mut case = case.clone();
        case["expect"] = Value::Object(actual);
        std::fs::write(path, serde_json::to_string_pretty(&case).unwrap() + "\n")
            .map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expect = case["expect"]
        .as_object()
        .ok_or_else(|| format!("{}: no `expect`", path.display()))?;
    if expect.is_empty() {
        return Err(format!("{}: empty `expect`", path.display()));
    }
    for (k, want) in expect {
        let got = actual.get(k).cloned().unwrap_or(Value::Null);
        assert_eq!(&got, want, "{}: `{k}` differs", path.display());
    }
    for k in actual.keys() {
        if k == "errors" && !expect.contains_key(k) {
            return Err(format!(
                "{}: unexpected errors {}",
                path.display(),
                actual[k]
            ));
        }
    }
    Ok(())
}

#[test]
fn fixtures() {
    let bless = std::env::var_os("BLESS").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 20,
        "expected the fixture set, found {}",
        paths.len()
    );
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|p| run_case(p, bless).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
