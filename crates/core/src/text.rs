//! [`Text`]: an immutable string that is cheap to clone.
//!
//! A grid holds up to 65,536 cells and `apply_update` works on a copy of
//! the widget (so that a failing update changes nothing). With `String`
//! contents that copy allocated and freed a string per cell; a `Text` is a
//! shared pointer, so copying a cell copies no text. It reads, compares,
//! serializes and validates exactly as a string does.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use crate::json::{At, FromJson, Json, Res, ToJson};

/// An immutable, shared string.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Arc<str>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Text {
    fn default() -> Self {
        Text("".into())
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text(s.into())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text(s.into())
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text(s.as_str().into())
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.0.as_ref().to_owned()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromJson for Text {
    fn placeholder() -> Self {
        Text::default()
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        String::from_json(v, at).map(Text::from)
    }
}

impl ToJson for Text {
    fn json(&self) -> Json<'_> {
        Json::Str(&self.0)
    }
}

crate::json_serde!(@ser Text);
#[cfg(target_arch = "wasm32")]
crate::json_serde!(@de Text);

/// Natively, straight from the input, like `String`.
#[cfg(not(target_arch = "wasm32"))]
impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <Cow<str> as serde::Deserialize>::deserialize(d).map(|s| Text(s.as_ref().into()))
    }
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        String::json_schema(g)
    }
    fn inline_schema() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_reads_compares_and_round_trips_as_a_string() {
        let t = Text::from("♜ 1");
        assert_eq!(t, "♜ 1");
        assert_eq!(t.len(), "♜ 1".len());
        let v = serde_json::to_value(&t).expect("serializes");
        assert_eq!(v, Value::String("♜ 1".to_owned()));
        let back: Text = serde_json::from_value(v).expect("deserializes");
        assert_eq!(back, t);
        let bad = serde_json::from_value::<Text>(serde_json::json!(7));
        assert!(bad.is_err());
    }

    #[test]
    fn a_clone_shares_the_text() {
        let t = Text::from("X");
        let u = t.clone();
        assert!(std::ptr::eq(t.as_str(), u.as_str()));
    }
}
