//! JSON Schema of the payloads, committed under `schema/` and kept current
//! by a test (`tests/schema.rs`).

use schemars::generate::SchemaSettings;
use serde_json::{json, Value};

use crate::interact::Action;
use crate::model::Widget;
use crate::update::update_schemas;

/// The schema of a widget payload.
pub fn widget_schema() -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    generator.into_root_schema_for::<Widget>().to_value()
}

/// The schema of an update: one object of operations per widget kind.
pub fn update_schema() -> Value {
    let mut generator = SchemaSettings::draft2020_12().into_generator();
    let kinds = update_schemas(&mut generator);
    let defs = generator.take_definitions(true);
    let by_kind: serde_json::Map<String, Value> = kinds
        .into_iter()
        .map(|(k, s)| (k.as_str().to_owned(), s.to_value()))
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Update",
        "description": "An update's operations depend on the widget_type of the widget it changes; `x-operations-by-widget-type` gives each.",
        "anyOf": by_kind.values().cloned().collect::<Vec<_>>(),
        "x-operations-by-widget-type": by_kind,
        "$defs": defs,
    })
}

/// The schema of an interaction sent by a client.
pub fn interaction_schema() -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    generator.into_root_schema_for::<Action>().to_value()
}
