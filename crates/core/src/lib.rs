//! # tulip-core
//!
//! The widget contract of Tulip game widgets, shared by the server and the
//! browser renderer so that the two can never disagree:
//!
//! - [`model`]: typed payloads of the twelve widget kinds;
//! - [`parse`] and [`validate`]: JSON in, typed and checked widget out, every
//!   error with a stable [`Code`] and a JSON path;
//! - [`view`]: what one user may see (ownership shorthand, explicit views);
//! - [`update`] and [`apply`]: operations, applied atomically;
//! - [`diff`]: the update one viewer receives;
//! - [`interact`]: whether a user's interaction is well-formed and allowed;
//! - [`schema`]: JSON Schema of the payloads;
//! - [`json`]: how the model is read from and written to JSON (see below);
//! - [`sorted`]: `SortedMap`, the sorted-vector map of keyed collections and
//!   string maps; [`num`]: float text without `core::fmt`'s float code.
//!
//! This crate does no I/O and knows nothing of Yew, axum or tokio; it builds
//! for `wasm32-unknown-unknown` and native targets alike.
//!
//! ## Size in the browser
//!
//! The renderer ships this crate in its wasm bundle, so the crate avoids code
//! that is instantiated once per type: the model is decoded and encoded by
//! the small non-generic codec of [`json`] (serde's traits stay implemented,
//! so serde users see no difference; serde-derived code is only compiled for
//! native builds), maps are `SortedMap`s rather than `BTreeMap`s, sorting goes
//! through one shared function, and validation builds error paths only when
//! there is an error. `tools/wasm-size` measures what the renderer pays;
//! `tools/core-diff` checks a change against an earlier commit on many
//! inputs (results, error codes, paths and messages, serialized output).

pub mod apply;
pub mod color;
pub mod diff;
pub mod error;
pub mod ids;
pub mod interact;
pub mod json;
pub mod limits;
pub mod model;
pub mod num;
pub mod parse;
pub mod path;
pub mod schema;
pub mod sorted;
pub mod text;
pub mod update;
pub mod url;
pub mod validate;
pub mod view;

pub use apply::{apply_update, Versioned};
pub use diff::{viewer_update, viewer_updates, ViewerUpdate};
pub use error::{Code, Errors, WidgetError};
pub use ids::UserId;
pub use interact::{check_interaction, parse_interaction, Action, Interaction};
pub use model::{Body, Kind, Widget};
pub use parse::{parse_json, parse_widget, parse_widget_value};
pub use text::Text;
pub use update::{parse_update, Update};
pub use validate::Policy;
pub use view::{resolve, Viewer};

/// Parses an update given as JSON text for `widget`, checking the size limit.
pub fn parse_update_str(widget: &Widget, text: &str) -> Result<Update, Errors> {
    let v = parse_json(text)?;
    parse_update(&widget.body, v)
}
