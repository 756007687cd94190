//! User ids, element ids and the keyed collections that hold elements.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::error::Code;
use crate::json::{fail, invalid_type, At, FromJson, Items, Json, Res, ToJson};
use crate::sorted::{first_repeat, order_plan, permute, SortedMap};

/// A user id as bots write it: a JSON integer (`7`) or a string (`"user_7"`).
/// Two ids are the same user when their text is the same, so `7` and `"7"`
/// name one user; each keeps the form it was written in when serialized.
#[derive(Clone, Debug)]
pub struct UserId {
    // Shared: ids are cloned into every element a viewer receives.
    text: Arc<str>,
    numeric: bool,
}

impl UserId {
    pub fn new(text: impl Into<String>) -> Self {
        UserId {
            text: text.into().into(),
            numeric: false,
        }
    }

    pub fn num(n: u64) -> Self {
        UserId {
            text: n.to_string().into(),
            numeric: true,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl PartialEq for UserId {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}
impl Eq for UserId {}
impl Hash for UserId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state)
    }
}
impl PartialOrd for UserId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for UserId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.text.cmp(&other.text)
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<&str> for UserId {
    fn from(s: &str) -> Self {
        UserId::new(s)
    }
}

impl FromJson for UserId {
    fn placeholder() -> Self {
        UserId::new("")
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        const WHAT: &str = "a user id (a non-negative integer or a string)";
        match v {
            Value::Number(n) => match n.as_u64() {
                Some(u) => Ok(UserId::num(u)),
                None => Err(invalid_type(&Value::Number(n), at, WHAT)),
            },
            Value::String(s) if s.is_empty() || s == "default" => Err(fail(
                at,
                Code::InvalidType,
                "a user id must be non-empty and not `default`",
            )),
            Value::String(s) => Ok(UserId::new(s)),
            v => Err(invalid_type(&v, at, WHAT)),
        }
    }
}

impl ToJson for UserId {
    fn json(&self) -> Json<'_> {
        match (self.numeric, self.text.parse::<u64>()) {
            (true, Ok(n)) => Json::U64(n),
            _ => Json::Str(&self.text),
        }
    }
}

crate::json_serde!(@ser UserId);
#[cfg(target_arch = "wasm32")]
crate::json_serde!(@de UserId);

/// Natively, serde reads a user id straight from its input (the server's
/// text fast path); in the browser through [`FromJson`], which says the same.
#[cfg(not(target_arch = "wasm32"))]
impl<'de> Deserialize<'de> for UserId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = UserId;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a user id (a non-negative integer or a string)")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<UserId, E> {
                Ok(UserId::num(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<UserId, E> {
                if v.is_empty() || v == "default" {
                    return Err(E::custom(encode(
                        Code::InvalidType,
                        "",
                        "a user id must be non-empty and not `default`",
                    )));
                }
                Ok(UserId::new(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for UserId {
    fn schema_name() -> Cow<'static, str> {
        "UserId".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A user id: a non-negative integer or a non-empty string. `7` and `\"7\"` are the same user.",
            "anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "minLength": 1}]
        })
    }
}

/// Encodes a code and an inner path into a serde custom error message, so
/// that `crate::parse` can report them precisely. See `parse::decode`.
pub(crate) fn encode(code: Code, inner_path: &str, msg: &str) -> String {
    format!("\u{1}{}\u{1}{}\u{1}{}", code.as_str(), inner_path, msg)
}

/// Something stored in a [`Keyed`] collection.
pub trait HasKey {
    type Key: Ord + Clone + fmt::Debug;
    fn key(&self) -> Self::Key;
    /// How the key reads in an error message.
    fn describe_key(key: &Self::Key) -> String {
        format!("{key:?}")
    }
}

/// Elements held by a unique key, serialized as a JSON array in key order.
///
/// Keeping one canonical order makes lookups `O(log n)` (a 100-cell update on
/// a 100x100 grid touches 100 cells, not 10,000) and means the order of a
/// list never depends on, and so never reveals, when hidden elements were
/// added. A duplicate key is rejected with `DUPLICATE_ID`.
///
/// The elements live in a [`SortedMap`] (a vector sorted by key), each
/// behind an [`Arc`]: copying a collection (as `apply_update` copies the
/// widget it changes) copies pointers, not elements, and an element changed
/// through [`Keyed::get_mut`] is copied first if it is shared. The second
/// field remembers the order of the document the collection was parsed from
/// (as positions in key order; empty when the two orders agree), so that
/// validation errors can name elements by the index the bot wrote. It is
/// forgotten as soon as the key set changes, and it takes no part in
/// equality or serialization.
#[derive(Clone, Debug)]
pub struct Keyed<T: HasKey>(pub SortedMap<T::Key, Arc<T>>, Vec<usize>);

impl<T: HasKey + PartialEq> PartialEq for Keyed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<T: HasKey> Default for Keyed<T> {
    fn default() -> Self {
        Keyed(SortedMap::new(), Vec::new())
    }
}

impl<T: HasKey> Keyed<T> {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, key: &T::Key) -> Option<&T> {
        self.0.get(key).map(|t| &**t)
    }
    /// The element with this key, to change it in place (its key must stay).
    pub fn get_mut(&mut self, key: &T::Key) -> Option<&mut T>
    where
        T: Clone,
    {
        self.0.get_mut(key).map(Arc::make_mut)
    }
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.values().map(|t| &**t)
    }
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T>
    where
        T: Clone,
    {
        self.0.values_mut().map(Arc::make_mut)
    }
    /// Key and element, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&T::Key, &T)> {
        self.0.iter().map(|(k, t)| (k, &**t))
    }
    /// The elements in the order of the document they were parsed from, when
    /// that is still known; in key order otherwise.
    pub fn in_document_order(&self) -> Box<dyn Iterator<Item = &T> + '_> {
        if self.1.len() == self.0.len() {
            Box::new(
                self.1
                    .iter()
                    .filter_map(|&i| self.0.get_index(i).map(|(_, v)| &**v)),
            )
        } else {
            Box::new(self.values())
        }
    }
    /// Inserts or replaces by key.
    pub fn put(&mut self, item: T) {
        self.1.clear();
        self.0.insert(item.key(), Arc::new(item));
    }
    /// Inserts or replaces each by key (later ones win), in one pass.
    pub fn put_all(&mut self, items: impl IntoIterator<Item = T>) {
        let items: Vec<(T::Key, Arc<T>)> =
            items.into_iter().map(|t| (t.key(), Arc::new(t))).collect();
        if !items.is_empty() {
            self.1.clear();
            self.0.put_all(items);
        }
    }
    pub fn remove(&mut self, key: &T::Key) -> Option<Arc<T>> {
        self.1.clear();
        self.0.remove(key)
    }
    /// Keeps the elements for which `f` is true.
    pub fn retain(&mut self, mut f: impl FnMut(&T) -> bool) {
        let before = self.0.len();
        self.0.retain(|_, t| f(t));
        if self.0.len() != before {
            self.1.clear();
        }
    }

    /// Builds from elements in document order; a repeated key gives the
    /// index of its first repetition and the key.
    pub fn from_items(items: Vec<T>) -> Result<Self, (usize, T::Key)> {
        let keys: Vec<T::Key> = items.iter().map(HasKey::key).collect();
        let cmp = |a: usize, b: usize| keys[a].cmp(&keys[b]);
        let Some(order) = order_plan(items.len(), &cmp, false) else {
            let entries = keys
                .into_iter()
                .zip(items.into_iter().map(Arc::new))
                .collect();
            return Ok(Keyed(SortedMap::from_sorted_unique(entries), Vec::new()));
        };
        if let Some(i) = first_repeat(&order, &cmp) {
            return Err((i, keys[i].clone()));
        }
        let mut pos = vec![0; items.len()];
        for (p, &i) in order.iter().enumerate() {
            pos[i] = p;
        }
        let entries = permute(
            keys.into_iter()
                .zip(items.into_iter().map(Arc::new))
                .collect(),
            &order,
        );
        Ok(Keyed(SortedMap::from_sorted_unique(entries), pos))
    }
}

impl<T: HasKey> FromIterator<T> for Keyed<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut k = Keyed::new();
        k.put_all(iter);
        k
    }
}

impl<T: HasKey + FromJson> FromJson for Keyed<T> {
    fn placeholder() -> Self {
        Keyed::new()
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        let items = Vec::<T>::from_json(v, at)?;
        Keyed::from_items(items).map_err(|(i, key)| {
            fail(
                &At::Nest(at, Some(i)),
                Code::DuplicateId,
                format!("duplicate key {}", T::describe_key(&key)),
            )
        })
    }
}

impl<T: HasKey + ToJson> Items for Keyed<T> {
    fn items(&self, out: &mut dyn FnMut(Json<'_>)) {
        for t in self.values() {
            out(t.json());
        }
    }
}

impl<T: HasKey + ToJson> ToJson for Keyed<T> {
    fn json(&self) -> Json<'_> {
        Json::Arr(self)
    }
}

impl<T: HasKey + ToJson> Serialize for Keyed<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json().serialize(s)
    }
}

#[cfg(target_arch = "wasm32")]
impl<'de, T: HasKey + FromJson> Deserialize<'de> for Keyed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::json::deserialize(d)
    }
}

/// Natively, straight from the input (see [`UserId`]'s `Deserialize`).
#[cfg(not(target_arch = "wasm32"))]
impl<'de, T: HasKey + Deserialize<'de>> Deserialize<'de> for Keyed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Vec::<T>::deserialize(d)?;
        Keyed::from_items(items).map_err(|(i, key)| {
            serde::de::Error::custom(encode(
                Code::DuplicateId,
                &format!("[{i}]"),
                &format!("duplicate key {}", T::describe_key(&key)),
            ))
        })
    }
}

impl<T: HasKey + JsonSchema> JsonSchema for Keyed<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        format!("Keyed_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "array",
            "description": "Elements with unique keys; kept and sent in key order.",
            "items": generator.subschema_for::<T>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Cell;

    use super::*;

    fn cell(x: u32, content: &str) -> Cell {
        Cell {
            x,
            content: Some(content.into()),
            ..Cell::default()
        }
    }

    #[test]
    fn a_copy_shares_its_elements_until_one_is_changed() {
        let old: Keyed<Cell> = (0..3).map(|x| cell(x, "a")).collect();
        let mut new = old.clone();
        if let Some(c) = new.get_mut(&(0, 1)) {
            c.content = Some("b".into());
        }
        new.put(cell(2, "c"));
        // The original is untouched.
        assert!(old.values().all(|c| c.content.as_deref() == Some("a")));
        let shared = |x| match (old.0.get(&(0, x)), new.0.get(&(0, x))) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        assert!(shared(0));
        assert!(!shared(1) && !shared(2));
        assert_eq!(
            new.get(&(0, 1)).and_then(|c| c.content.as_deref()),
            Some("b")
        );
        assert_eq!(new.remove(&(0, 2)).map(|c| c.x), Some(2));
        assert_eq!((old.len(), new.len()), (3, 2));
    }
}
