//! JSON in and out of the model without serde's generic machinery.
//!
//! serde's derives generate a visitor per type for every deserializer and
//! serializer they meet; in the browser bundle that was most of the core's
//! size. Here each model type is decoded from a [`serde_json::Value`] by one
//! small, non-generic function ([`FromJson`]), and encoded through one
//! description of its fields ([`ToJson`], giving a [`Json`] tree that is
//! written by any serde serializer or turned into a `Value`). The types still
//! implement serde's traits, so code that uses serde with them keeps working:
//! `Serialize` is a thin shim over [`ToJson`]; `Deserialize` is derived by
//! serde from the same declarations in native builds (the server reads
//! widgets straight from text with it, see `parse::parse_widget`) and is a
//! shim over [`FromJson`] in the browser build, where derived code would cost
//! bundle size. The core's own parsing always goes through [`FromJson`].
//!
//! Decoding reports errors exactly as the serde-based decoder did: the same
//! [`Code`], the same JSON path (as `serde_path_to_error` gave it, joined the
//! way `crate::parse` joined it) and the same message, so that bots see no
//! difference. [`At`] is where a value sits; it is only turned into a path
//! string when there is an error.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Number, Value};

use crate::error::{Code, WidgetError};
use crate::ids::encode;
use crate::path::{join, JsonPath};
use crate::sorted::SortedMap;

/// The result of decoding.
pub type Res<T> = Result<T, WidgetError>;

// ---------------------------------------------------------------------------
// Where a value sits

/// Where a value sits in the document being decoded. Built on the stack as
/// decoding goes down; rendered to a path only for an error.
#[derive(Clone, Copy, Debug)]
pub enum At<'a> {
    /// The top, under a path prefix such as `extra_data` (or none).
    Root(&'a str),
    /// A field or a map entry.
    Key(&'a At<'a>, &'a str),
    /// An array element.
    Index(&'a At<'a>, usize),
    /// A value decoded on its own and joined to the outer path (with `[i]`
    /// for `Some(i)`): the element of a one-or-many list, a composite's
    /// child, the index of a duplicate key. Paths join there the way the
    /// serde-based decoder joined them.
    Nest(&'a At<'a>, Option<usize>),
}

impl<'a> At<'a> {
    pub fn root(prefix: &'a str) -> Self {
        At::Root(prefix)
    }

    /// The path of this value, as in `extra_data.cells[3].bg`.
    pub fn render(&self) -> String {
        self.render_with(|s| s)
    }

    /// The path, with `inner` applied to the innermost part (where the
    /// missing-field and unknown-field rules apply).
    fn render_with(&self, inner: impl FnOnce(String) -> String) -> String {
        let mut nodes: Vec<&At> = Vec::new();
        let mut cur = self;
        let prefix = loop {
            match cur {
                At::Root(p) => break *p,
                At::Key(parent, _) | At::Index(parent, _) | At::Nest(parent, _) => {
                    nodes.push(cur);
                    cur = parent;
                }
            }
        };
        nodes.reverse();
        // Split at each nest: (nest prefix, segments).
        let mut levels: Vec<(Option<usize>, Vec<&At>)> = vec![(None, Vec::new())];
        for n in nodes {
            match n {
                At::Nest(_, i) => levels.push((*i, Vec::new())),
                _ => {
                    if let Some(last) = levels.last_mut() {
                        last.1.push(n)
                    }
                }
            }
        }
        let base = |k: usize, segs: &[&At]| join(if k == 0 { prefix } else { "" }, &display(segs));
        let n = levels.len() - 1;
        let mut r = inner(base(n, &levels[n].1));
        for k in (1..=n).rev() {
            let q = levels[k].0.map(|i| format!("[{i}]")).unwrap_or_default();
            r = join(&q, &r);
            r = join(&base(k - 1, &levels[k - 1].1), &r);
        }
        r
    }
}

/// Segments as `serde_path_to_error` displays them: `a.b[3].c`, `.` for none.
fn display(segs: &[&At]) -> String {
    if segs.is_empty() {
        return ".".into();
    }
    let mut s = String::new();
    let mut sep = "";
    for seg in segs {
        match seg {
            At::Index(_, i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
            At::Key(_, k) => {
                s.push_str(sep);
                s.push_str(k);
            }
            _ => {}
        }
        sep = ".";
    }
    s
}

// ---------------------------------------------------------------------------
// Errors, worded as serde words them

/// An error at `at`.
#[cold]
#[inline(never)]
pub fn fail(at: &At, code: Code, msg: impl Into<String>) -> WidgetError {
    WidgetError::new(code, at.render(), msg)
}

/// What a value is, as serde_json names it in `invalid type: ...` (floats
/// written as serde_json writes them).
fn unexpected(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

/// `invalid type: <what v is>, expected <expected>`.
#[cold]
#[inline(never)]
pub fn invalid_type(v: &Value, at: &At, expected: &str) -> WidgetError {
    fail(
        at,
        Code::InvalidType,
        format!("invalid type: {}, expected {expected}", unexpected(v)),
    )
}

#[cold]
#[inline(never)]
fn out_of_range(at: &At, n: &dyn fmt::Display, expected: &str) -> WidgetError {
    fail(
        at,
        Code::OutOfRange,
        format!("invalid value: integer `{n}`, expected {expected}"),
    )
}

/// A required field that is not there.
#[cold]
#[inline(never)]
pub fn missing(at: &At, name: &str) -> WidgetError {
    WidgetError::new(
        Code::InvalidType,
        at.render_with(|s| JsonPath::at(&s).key(name).into_string()),
        format!("missing field `{name}`"),
    )
}

#[cold]
#[inline(never)]
fn unknown_field(at: &At, name: &str) -> WidgetError {
    WidgetError::new(
        Code::UnknownField,
        at.render_with(|s| {
            if s.ends_with(name) && !name.is_empty() {
                s
            } else {
                JsonPath::at(&s).key(name).into_string()
            }
        }),
        format!("unknown field `{name}`"),
    )
}

/// No variant of an untagged enum fits.
#[cold]
#[inline(never)]
pub fn untagged(at: &At, name: &str) -> WidgetError {
    fail(
        at,
        Code::InvalidType,
        format!("data did not match any variant of untagged enum {name}"),
    )
}

/// `expected a`, `expected a or b`, `expected one of a, b, c`, as serde says.
fn one_of(names: &[&str]) -> String {
    let q = |n: &&str| format!("`{n}`");
    match names {
        [a] => q(a),
        [a, b] => format!("{} or {}", q(a), q(b)),
        _ => format!(
            "one of {}",
            names.iter().map(q).collect::<Vec<_>>().join(", ")
        ),
    }
}

// ---------------------------------------------------------------------------
// Decoding

/// A type that decodes from a JSON value.
pub trait FromJson: Sized {
    /// Decodes `v`, which sits at `at`.
    fn from_json(v: Value, at: &At) -> Res<Self>;

    /// Whether a struct field of this type may be left out (`Option`).
    const OPTIONAL: bool = false;

    /// A cheap value that a struct field holds until it is decoded (what an
    /// optional field that is left out keeps: `None`). Never seen outside
    /// decoding otherwise: a required field that is left out is an error.
    fn placeholder() -> Self;
}

/// Decodes a value of a type, at the top of a document under `prefix`.
pub fn decode<T: FromJson>(v: Value, prefix: &str) -> Res<T> {
    T::from_json(v, &At::Root(prefix))
}

/// serde's `Deserialize` through [`FromJson`]: the value is read whole, then
/// decoded; an error carries its code and path to `crate::parse::typed`.
pub fn deserialize<'de, D: Deserializer<'de>, T: FromJson>(d: D) -> Result<T, D::Error> {
    let v = Value::deserialize(d)?;
    T::from_json(v, &At::Root("")).map_err(|e| D::Error::custom(encode(e.code, &e.path, &e.msg)))
}

/// An unsigned integer of at most `max`, named `what` in errors.
fn uint(v: &Value, at: &At, max: u64, what: &str) -> Res<u64> {
    if let Value::Number(n) = v {
        if let Some(u) = n.as_u64() {
            return if u <= max {
                Ok(u)
            } else {
                Err(out_of_range(at, &u, what))
            };
        }
        if let Some(i) = n.as_i64() {
            return Err(out_of_range(at, &i, what));
        }
    }
    Err(invalid_type(v, at, what))
}

impl FromJson for u32 {
    fn placeholder() -> Self {
        0
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        uint(&v, at, u32::MAX as u64, "u32").map(|u| u as u32)
    }
}

impl FromJson for u64 {
    fn placeholder() -> Self {
        0
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        uint(&v, at, u64::MAX, "u64")
    }
}

impl FromJson for i32 {
    fn placeholder() -> Self {
        0
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        if let Value::Number(n) = &v {
            let ok = |i: i64| i32::try_from(i).ok();
            if let Some(u) = n.as_u64() {
                return i64::try_from(u)
                    .ok()
                    .and_then(ok)
                    .ok_or_else(|| out_of_range(at, &u, "i32"));
            }
            if let Some(i) = n.as_i64() {
                return ok(i).ok_or_else(|| out_of_range(at, &i, "i32"));
            }
        }
        Err(invalid_type(&v, at, "i32"))
    }
}

impl FromJson for f64 {
    fn placeholder() -> Self {
        0.0
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        match &v {
            Value::Number(n) => n.as_f64().ok_or_else(|| invalid_type(&v, at, "f64")),
            _ => Err(invalid_type(&v, at, "f64")),
        }
    }
}

impl FromJson for bool {
    fn placeholder() -> Self {
        false
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        match v {
            Value::Bool(b) => Ok(b),
            v => Err(invalid_type(&v, at, "a boolean")),
        }
    }
}

impl FromJson for String {
    fn placeholder() -> Self {
        String::new()
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        match v {
            Value::String(s) => Ok(s),
            v => Err(invalid_type(&v, at, "a string")),
        }
    }
}

impl FromJson for Value {
    fn placeholder() -> Self {
        Value::Null
    }
    fn from_json(v: Value, _: &At) -> Res<Self> {
        Ok(v)
    }
}

impl FromJson for Map<String, Value> {
    fn placeholder() -> Self {
        Map::new()
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        match v {
            Value::Object(m) => Ok(m),
            v => Err(invalid_type(&v, at, "a map")),
        }
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: Value, at: &At) -> Res<Self> {
        match v {
            Value::Null => Ok(None),
            v => T::from_json(v, at).map(Some),
        }
    }
    const OPTIONAL: bool = true;
    fn placeholder() -> Self {
        None
    }
}

/// Decodes a struct field's value into its (empty) slot. One function per
/// field type, shared by every struct with a field of that type.
#[inline(never)]
pub fn put<T: FromJson>(slot: &mut T, v: Value, at: &At) -> Res<()> {
    *slot = T::from_json(v, at)?;
    Ok(())
}

/// A field's flags for [`decode_fields`]: it has `#[serde(default)]`.
pub const DEFAULT: u8 = 1;
/// A field's flags for [`decode_fields`]: it is an `Option`.
pub const OPTIONAL: u8 = 2;

/// Calls `f(i, len, element, at)` for each element of an array, or fails
/// naming `expected`.
pub fn each_item(
    v: Value,
    at: &At,
    expected: &str,
    f: &mut dyn FnMut(usize, usize, Value, &At) -> Res<()>,
) -> Res<()> {
    let items = array(v, at, expected)?;
    let len = items.len();
    for (i, item) in items.into_iter().enumerate() {
        f(i, len, item, &At::Index(at, i))?;
    }
    Ok(())
}

/// Calls `f(key, value)` for each entry of an object, in key order, or
/// fails naming `expected`.
pub fn each_entry(
    v: Value,
    at: &At,
    expected: &str,
    f: &mut dyn FnMut(String, Value) -> Res<()>,
) -> Res<()> {
    for (k, item) in object(v, at, expected)? {
        f(k, item)?;
    }
    Ok(())
}

/// The elements of an array, or an error naming `expected`.
pub fn array(v: Value, at: &At, expected: &str) -> Res<Vec<Value>> {
    match v {
        Value::Array(a) => Ok(a),
        v => Err(invalid_type(&v, at, expected)),
    }
}

/// The entries of an object, or an error naming `expected`.
pub fn object(v: Value, at: &At, expected: &str) -> Res<Map<String, Value>> {
    match v {
        Value::Object(m) => Ok(m),
        v => Err(invalid_type(&v, at, expected)),
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn placeholder() -> Self {
        Vec::new()
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        let mut out = Vec::new();
        each_item(v, at, "a sequence", &mut |i, len, item, at| {
            if i == 0 {
                out.reserve_exact(len);
            }
            out.push(T::from_json(item, at)?);
            Ok(())
        })?;
        Ok(out)
    }
}

impl<T: FromJson> FromJson for SortedMap<String, T> {
    fn placeholder() -> Self {
        SortedMap::new()
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        let mut out = Vec::new();
        each_entry(v, at, "a map", &mut |k, item| {
            let t = T::from_json(item, &At::Key(at, &k))?;
            out.push((k, t));
            Ok(())
        })?;
        // An object's entries come in key order already.
        Ok(out.into_iter().collect())
    }
}

/// Decodes the fields of a struct: an object (unknown fields rejected), or
/// an array of the fields in order, which serde accepts for structs too.
/// `put(i, value, at)` decodes field `i`; a field with neither flag in
/// `flags` ([`DEFAULT`], [`OPTIONAL`]) must be there. What a field that is
/// left out holds is up to the caller (its default, or `None`).
pub fn decode_fields(
    v: Value,
    at: &At,
    what: &str,
    names: &[&str],
    flags: &[u8],
    put: &mut dyn FnMut(usize, Value, &At) -> Res<()>,
) -> Res<()> {
    match v {
        Value::Object(map) => {
            let mut seen: u64 = 0;
            for (k, val) in map {
                let here = At::Key(at, &k);
                match names.iter().position(|n| *n == k) {
                    Some(i) => {
                        seen |= 1 << i;
                        put(i, val, &here)?
                    }
                    None => return Err(unknown_field(&here, &k)),
                }
            }
            // The first required field that is left out, in declaration order.
            for (i, name) in names.iter().enumerate() {
                if seen & (1 << i) == 0 && flags.get(i) == Some(&0) {
                    return Err(missing(at, name));
                }
            }
            Ok(())
        }
        Value::Array(items) => {
            let len = items.len();
            let mut it = items.into_iter();
            for i in 0..names.len() {
                match it.next() {
                    Some(val) => put(i, val, &At::Index(at, i))?,
                    None if flags.get(i).is_some_and(|f| f & DEFAULT != 0) => {}
                    None => {
                        let n = names.len();
                        let s = if n == 1 { "" } else { "s" };
                        return Err(fail(
                            at,
                            Code::InvalidType,
                            format!("invalid length {i}, expected {what} with {n} element{s}"),
                        ));
                    }
                }
            }
            if it.next().is_some() {
                return Err(fail(
                    at,
                    Code::InvalidType,
                    format!("invalid length {len}, expected fewer elements in array"),
                ));
            }
            Ok(())
        }
        v => Err(invalid_type(&v, at, what)),
    }
}

/// The variant of a fieldless enum: `"name"`, or `{"name": null}` as serde
/// also accepts.
pub fn decode_variant(v: Value, at: &At, names: &[&str]) -> Res<usize> {
    let find = |name: &str| {
        names.iter().position(|n| *n == name).ok_or_else(|| {
            fail(
                at,
                Code::InvalidType,
                format!("unknown variant `{name}`, expected {}", one_of(names)),
            )
        })
    };
    match v {
        Value::String(s) => find(&s),
        Value::Object(m) if m.len() == 1 => {
            let Some((k, val)) = m.into_iter().next() else {
                return Err(fail(
                    at,
                    Code::InvalidType,
                    "invalid value: map, expected map with a single key",
                ));
            };
            let i = find(&k)?;
            match val {
                Value::Null => Ok(i),
                val => Err(invalid_type(&val, &At::Key(at, &k), "unit")),
            }
        }
        Value::Object(_) => Err(fail(
            at,
            Code::InvalidType,
            "invalid value: map, expected map with a single key",
        )),
        v => Err(invalid_type(&v, at, "string or map")),
    }
}

// ---------------------------------------------------------------------------
// Encoding

/// A value described for writing: what [`ToJson`] gives.
#[derive(Clone, Copy)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(&'a str),
    /// An object: its fields in order.
    Obj(&'a dyn Fields),
    /// An array: its elements in order.
    Arr(&'a dyn Items),
    /// A value that is JSON already.
    Raw(&'a Value),
}

/// The fields of an object, in the order they are written.
pub trait Fields {
    fn fields(&self, out: &mut dyn FnMut(&str, Json<'_>));
}

/// The elements of an array.
pub trait Items {
    fn items(&self, out: &mut dyn FnMut(Json<'_>));
}

/// A type that encodes to JSON.
pub trait ToJson {
    fn json(&self) -> Json<'_>;

    /// Whether a struct field holding this is left out (`None`).
    fn omit(&self) -> bool {
        false
    }

    /// The value as a `serde_json::Value`.
    fn to_json(&self) -> Value {
        to_value(self.json())
    }
}

/// A [`Json`] description as a `serde_json::Value`.
pub fn to_value(j: Json<'_>) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(b),
        Json::U64(n) => Value::Number(n.into()),
        Json::I64(n) => Value::Number(n.into()),
        Json::F64(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        Json::Str(s) => Value::String(s.to_owned()),
        Json::Obj(o) => {
            let mut m = Map::new();
            o.fields(&mut |k, v| {
                m.insert(k.to_owned(), to_value(v));
            });
            Value::Object(m)
        }
        Json::Arr(a) => {
            let mut out = Vec::new();
            a.items(&mut |v| out.push(to_value(v)));
            Value::Array(out)
        }
        Json::Raw(v) => v.clone(),
    }
}

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(b),
            Json::U64(n) => s.serialize_u64(n),
            Json::I64(n) => s.serialize_i64(n),
            Json::F64(f) => s.serialize_f64(f),
            Json::Str(t) => s.serialize_str(t),
            Json::Obj(o) => {
                let mut m = s.serialize_map(None)?;
                let mut err = None;
                o.fields(&mut |k, v| {
                    if err.is_none() {
                        err = m.serialize_entry(k, &v).err();
                    }
                });
                match err {
                    Some(e) => Err(e),
                    None => m.end(),
                }
            }
            Json::Arr(a) => {
                let mut q = s.serialize_seq(None)?;
                let mut err = None;
                a.items(&mut |v| {
                    if err.is_none() {
                        err = q.serialize_element(&v).err();
                    }
                });
                match err {
                    Some(e) => Err(e),
                    None => q.end(),
                }
            }
            Json::Raw(v) => v.serialize(s),
        }
    }
}

impl ToJson for u32 {
    fn json(&self) -> Json<'_> {
        Json::U64(*self as u64)
    }
}
impl ToJson for u64 {
    fn json(&self) -> Json<'_> {
        Json::U64(*self)
    }
}
impl ToJson for i32 {
    fn json(&self) -> Json<'_> {
        Json::I64(*self as i64)
    }
}
impl ToJson for f64 {
    fn json(&self) -> Json<'_> {
        Json::F64(*self)
    }
}
impl ToJson for bool {
    fn json(&self) -> Json<'_> {
        Json::Bool(*self)
    }
}
impl ToJson for String {
    fn json(&self) -> Json<'_> {
        Json::Str(self)
    }
}
impl ToJson for Value {
    fn json(&self) -> Json<'_> {
        Json::Raw(self)
    }
}

impl Fields for Map<String, Value> {
    fn fields(&self, out: &mut dyn FnMut(&str, Json<'_>)) {
        for (k, v) in self {
            out(k, Json::Raw(v));
        }
    }
}
impl ToJson for Map<String, Value> {
    fn json(&self) -> Json<'_> {
        Json::Obj(self)
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn json(&self) -> Json<'_> {
        match self {
            Some(t) => t.json(),
            None => Json::Null,
        }
    }
    fn omit(&self) -> bool {
        self.is_none()
    }
}

impl<T: ToJson> Items for Vec<T> {
    fn items(&self, out: &mut dyn FnMut(Json<'_>)) {
        for t in self {
            out(t.json());
        }
    }
}
impl<T: ToJson> ToJson for Vec<T> {
    fn json(&self) -> Json<'_> {
        Json::Arr(self)
    }
}

impl<T: ToJson> Fields for SortedMap<String, T> {
    fn fields(&self, out: &mut dyn FnMut(&str, Json<'_>)) {
        for (k, v) in self {
            out(k, v.json());
        }
    }
}
impl<T: ToJson> ToJson for SortedMap<String, T> {
    fn json(&self) -> Json<'_> {
        Json::Obj(self)
    }
}

// ---------------------------------------------------------------------------
// Declaring types

/// Declares a struct that decodes and encodes like a serde-derived one with
/// `deny_unknown_fields`, Option fields left out when `None`
/// (`skip_serializing_none`), `#[serde(default)]` and
/// `#[serde(rename = "..")]` honoured. The struct is emitted as written
/// (derives such as `JsonSchema` included), with `FromJson`, `ToJson` and
/// serde's traits implemented.
#[macro_export]
#[doc(hidden)]
macro_rules! json_struct {
    (
        $(#[$($m:tt)*])*
        $vis:vis struct $name:ident {
            $( $(#[$($fa:tt)*])* $fvis:vis $f:ident : $t:ty ),* $(,)?
        }
    ) => {
        $(#[$($m)*])*
        #[cfg_attr(not(target_arch = "wasm32"), derive(::serde::Deserialize))]
        $vis struct $name {
            $( $(#[$($fa)*])* $fvis $f: $t, )*
        }

        impl $crate::json::FromJson for $name {
            fn from_json(
                __v: ::serde_json::Value,
                __at: &$crate::json::At,
            ) -> $crate::json::Res<Self> {
                #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
                enum __F { $($f,)* }
                const __NAMES: &[&str] = &[$($crate::json_name!($f; $([$($fa)*])*)),*];
                const __FLAGS: &[u8] = &[$(
                    ($crate::json_has_default!($([$($fa)*])*) as u8 * $crate::json::DEFAULT)
                        | (<$t as $crate::json::FromJson>::OPTIONAL as u8 * $crate::json::OPTIONAL)
                ),*];
                const _: () = assert!(__NAMES.len() <= 64);
                let mut __out = $name {
                    $( $f: $crate::json_init!($t; $([$($fa)*])*), )*
                };
                $crate::json::decode_fields(
                    __v,
                    __at,
                    concat!("struct ", stringify!($name)),
                    __NAMES,
                    __FLAGS,
                    &mut |__i, __val, __at| {
                        $(
                            if __i == __F::$f as usize {
                                return $crate::json::put(&mut __out.$f, __val, __at);
                            }
                        )*
                        Ok(())
                    },
                )?;
                Ok(__out)
            }

            fn placeholder() -> Self {
                $name {
                    $( $f: $crate::json_init!($t; $([$($fa)*])*), )*
                }
            }
        }

        impl $crate::json::Fields for $name {
            fn fields(&self, __out: &mut dyn FnMut(&str, $crate::json::Json<'_>)) {
                $(
                    if !$crate::json::ToJson::omit(&self.$f) {
                        __out(
                            $crate::json_name!($f; $([$($fa)*])*),
                            $crate::json::ToJson::json(&self.$f),
                        );
                    }
                )*
            }
        }

        $crate::json_serde!($name, Obj);
    };
}

/// serde's traits for a type with `FromJson` and `ToJson`; with `Obj`, its
/// `ToJson` too (an object of its `Fields`).
#[macro_export]
#[doc(hidden)]
macro_rules! json_serde {
    ($name:ident, Obj) => {
        impl $crate::json::ToJson for $name {
            fn json(&self) -> $crate::json::Json<'_> {
                $crate::json::Json::Obj(self)
            }
        }
        $crate::json_serde!(@ser $name);
        #[cfg(target_arch = "wasm32")]
        $crate::json_serde!(@de $name);
    };
    (@native_derive $name:ident) => {
        $crate::json_serde!(@ser $name);
        #[cfg(target_arch = "wasm32")]
        $crate::json_serde!(@de $name);
    };
    ($name:ident) => {
        $crate::json_serde!(@ser $name);
        $crate::json_serde!(@de $name);
    };
    (@ser $name:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&$crate::json::ToJson::json(self), s)
            }
        }
    };
    (@de $name:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::json::deserialize(d)
            }
        }
    };
}

/// Declares a fieldless enum written as strings, with the wire name of each
/// variant (emitted as `#[serde(rename)]` for the schema).
#[macro_export]
#[doc(hidden)]
macro_rules! json_enum {
    (
        $(#[$($m:tt)*])*
        $vis:vis enum $name:ident {
            $( $(#[$($va:tt)*])* $v:ident = $wire:literal ),* $(,)?
        }
    ) => {
        $(#[$($m)*])*
        #[cfg_attr(not(target_arch = "wasm32"), derive(::serde::Deserialize))]
        $vis enum $name {
            $( $(#[$($va)*])* #[serde(rename = $wire)] $v, )*
        }

        impl $name {
            const VARIANTS: &'static [$name] = &[$($name::$v),*];
            const NAMES: &'static [&'static str] = &[$($wire),*];
        }

        impl $crate::json::FromJson for $name {
            fn from_json(
                v: ::serde_json::Value,
                at: &$crate::json::At,
            ) -> $crate::json::Res<Self> {
                $crate::json::decode_variant(v, at, Self::NAMES).map(|i| Self::VARIANTS[i])
            }
            fn placeholder() -> Self {
                Self::VARIANTS[0]
            }
        }

        impl $crate::json::ToJson for $name {
            fn json(&self) -> $crate::json::Json<'_> {
                $crate::json::Json::Str(Self::NAMES[*self as usize])
            }
        }

        $crate::json_serde!(@native_derive $name);
    };
}

/// The JSON name of a field: its `#[serde(rename)]`, or its own.
#[macro_export]
#[doc(hidden)]
macro_rules! json_name {
    ($f:ident;) => { stringify!($f) };
    ($f:ident; [serde(rename = $n:literal $($x:tt)*)] $($rest:tt)*) => { $n };
    ($f:ident; [$($o:tt)*] $($rest:tt)*) => { $crate::json_name!($f; $($rest)*) };
}

/// Whether a field has `#[serde(default)]`.
#[macro_export]
#[doc(hidden)]
macro_rules! json_has_default {
    () => { false };
    ([serde(default)] $($rest:tt)*) => { true };
    ([serde(rename = $n:literal, default)] $($rest:tt)*) => { true };
    ([$($o:tt)*] $($rest:tt)*) => { $crate::json_has_default!($($rest)*) };
}

/// What a field holds before it is decoded, and keeps when it is left out:
/// its default with `#[serde(default)]`, else its type's placeholder.
#[macro_export]
#[doc(hidden)]
macro_rules! json_init {
    ($t:ty;) => {
        <$t as $crate::json::FromJson>::placeholder()
    };
    ($t:ty; [serde(default)] $($rest:tt)*) => {
        <$t as Default>::default()
    };
    ($t:ty; [serde(rename = $n:literal, default)] $($rest:tt)*) => {
        <$t as Default>::default()
    };
    ($t:ty; [$($o:tt)*] $($rest:tt)*) => {
        $crate::json_init!($t; $($rest)*)
    };
}
