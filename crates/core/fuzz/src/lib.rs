//! The body of the `parse_validate_apply` fuzz target, shared by the
//! libFuzzer target (`cargo fuzz run`, nightly) and the stable smoke test
//! (`cargo test`), so that both check exactly the same things.
//!
//! Input layout: `widget JSON` 0xFF `update JSON` 0xFF `viewer id`. 0xFF never
//! occurs in UTF-8, so the separators cannot clash with the JSON. Missing
//! parts are empty; an empty viewer means `alice`.
//!
//! Beyond "never panics", every input that gets far enough checks:
//! 1. a parsed widget serializes and parses back to the same widget;
//! 2. no resolved view of a user carries `views`;
//! 3. after an update applies, the new widget round-trips too;
//! 4. the view/update law for the sender, the input's viewer and `bob`:
//!    `apply(resolve(old, v), viewer_update(old, new, u, v)) == resolve(new, v)`.

use serde_json::Value;
use tulip_core::{
    apply_update, parse_json, parse_update, parse_widget, parse_widget_value, resolve,
    viewer_update, Policy, Viewer, ViewerUpdate, Widget,
};

/// Separates the parts of an input.
pub const SEP: u8 = 0xFF;

/// The parts of one input.
pub struct Case<'a> {
    pub widget: &'a [u8],
    pub update: &'a [u8],
    pub viewer: &'a [u8],
}

/// Splits an input at its first two 0xFF bytes.
pub fn split(data: &[u8]) -> Case<'_> {
    let mut parts = data.splitn(3, |b| *b == SEP);
    Case {
        widget: parts.next().unwrap_or_default(),
        update: parts.next().unwrap_or_default(),
        viewer: parts.next().unwrap_or_default(),
    }
}

/// Builds an input from its parts.
pub fn join(widget: &str, update: &str, viewer: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(widget.len() + update.len() + viewer.len() + 2);
    out.extend_from_slice(widget.as_bytes());
    out.push(SEP);
    out.extend_from_slice(update.as_bytes());
    out.push(SEP);
    out.extend_from_slice(viewer.as_bytes());
    out
}

fn json(w: &Widget) -> String {
    serde_json::to_string(w).unwrap_or_else(|e| panic!("a widget does not serialize: {e}"))
}

fn check_round_trip(w: &Widget, policy: &Policy, what: &str) {
    let value = serde_json::to_value(w).expect("a widget serializes");
    match parse_widget_value(value, policy) {
        Ok(again) => assert!(
            again == *w,
            "{what}: parse -> serialize -> parse changed the widget:\n first  {}\n second {}",
            json(w),
            json(&again)
        ),
        Err(e) => panic!(
            "{what}: a valid widget serialized does not parse again: {e}\n {}",
            json(w)
        ),
    }
}

/// Runs one input. Panics only when tulip-core breaks an invariant.
pub fn run(data: &[u8]) {
    let case = split(data);
    let policy = Policy::default();
    let Ok(widget_text) = std::str::from_utf8(case.widget) else {
        return;
    };
    let Ok(old) = parse_widget(widget_text, &policy) else {
        return;
    };
    check_round_trip(&old, &policy, "parsed widget");

    let viewer_id = std::str::from_utf8(case.viewer)
        .ok()
        .filter(|s| !s.is_empty() && *s != "default")
        .unwrap_or("alice");
    let viewers = [Viewer::Sender, Viewer::user(viewer_id), Viewer::user("bob")];
    for v in &viewers[1..] {
        let view = serde_json::to_value(resolve(&old, v)).expect("a view serializes");
        assert!(
            !has_views(&view["extra_data"]),
            "a user's view carries `views`: {view}"
        );
    }

    let Ok(update_text) = std::str::from_utf8(case.update) else {
        return;
    };
    let Ok(mut value) = parse_json(update_text) else {
        return;
    };
    // Accept the HTTP body form {"update": {...}} as well as bare operations.
    if let Value::Object(m) = &mut value {
        if m.len() == 1 {
            if let Some(inner) = m.remove("update") {
                value = inner;
            }
        }
    }
    let Ok(update) = parse_update(&old.body, value) else {
        return;
    };
    let Ok(new) = apply_update(&old, &update, &policy) else {
        return;
    };
    check_round_trip(&new, &policy, "updated widget");

    for v in &viewers {
        let received = viewer_update(&old, &new, &update, v);
        let got = match &received {
            ViewerUpdate::Update(u) => match apply_update(&resolve(&old, v), u, &policy) {
                Ok(w) => w,
                Err(e) => panic!(
                    "{v:?}: the viewer update does not apply to the viewer's old view: {e}\n update {}\n old view {}",
                    serde_json::to_string(u).unwrap_or_default(),
                    json(&resolve(&old, v))
                ),
            },
            ViewerUpdate::Replace(w) => w.clone(),
        };
        let want = resolve(&new, v);
        assert!(
            got == want,
            "{v:?}: old view + viewer update != new view\n got  {}\n want {}",
            json(&got),
            json(&want)
        );
    }
}

/// Whether `extra_data` (or a composite child's, at any depth) holds `views`.
fn has_views(extra: &Value) -> bool {
    extra.get("views").is_some()
        || extra
            .get("widgets")
            .and_then(Value::as_array)
            .is_some_and(|ws| ws.iter().any(has_views))
}

/// Seed inputs built from tulip-core's fixture cases (`../tests/fixtures`):
/// each case's widget and update, once per viewer it lists (or `alice`).
/// Returns `(name, input)` pairs.
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("fixture is readable");
        let case: Value = serde_json::from_str(&text).expect("fixture is JSON");
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let widget = case["widget"].to_string();
        let update = case.get("update").map(Value::to_string).unwrap_or_default();
        let viewers: Vec<String> = case["viewers"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_else(|| vec!["alice".to_owned()]);
        for v in viewers {
            out.push((format!("{stem}-{v}"), join(&widget, &update, &v)));
        }
    }
    out
}
