//! The committed JSON Schemas under `schema/` must match the code.
//! `BLESS=1 cargo test -p tulip-core --test schema` regenerates them.

use std::path::Path;

use serde_json::Value;
use tulip_core::schema::{interaction_schema, update_schema, widget_schema};

fn check(name: &str, schema: Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(name);
    let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is stale: run `BLESS=1 cargo test -p tulip-core --test schema` and commit the result",
        path.display()
    );
}

#[test]
fn widget_schema_is_current() {
    let s = widget_schema();
    assert_eq!(
        s["oneOf"].as_array().map(Vec::len),
        Some(12),
        "one variant per widget kind"
    );
    check("widget.schema.json", s);
}

#[test]
fn update_schema_is_current() {
    let s = update_schema();
    assert_eq!(
        s["x-operations-by-widget-type"]
            .as_object()
            .map(|m| m.len()),
        Some(12)
    );
    check("update.schema.json", s);
}

#[test]
fn interaction_schema_is_current() {
    check("interaction.schema.json", interaction_schema());
}
