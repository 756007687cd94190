//! From JSON text or values to typed widgets, with every error carrying a
//! code and a JSON path.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::DeserializeOwned;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::error::{Code, Errors, WidgetError};
use crate::ids::encode;
use crate::json::{fail, At, Fields, FromJson, Json, Res, ToJson};
use crate::model::*;
use crate::path;
use crate::validate::{self, Policy};

/// Largest message body (PROTOCOL.md 7: 1 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Parses and validates a widget from JSON text.
pub fn parse_widget(text: &str, policy: &Policy) -> Result<Widget, Errors> {
    if text.len() > MAX_BODY_BYTES {
        return parse_json(text).and_then(|v| parse_widget_value(v, policy));
    }
    // Fast path: `extra_data` straight from the text (natively, without
    // building a `serde_json::Value` of it first). Anything unusual (not an
    // object, other top-level keys, an error) takes the general path, which
    // reports it precisely.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Envelope<'a> {
        widget_type: String,
        #[serde(borrow)]
        extra_data: &'a serde_json::value::RawValue,
    }
    if let Ok(env) = serde_json::from_str::<Envelope>(text) {
        if let Some(kind) = Kind::parse(&env.widget_type) {
            if let Some(body) = body_from_str(kind, env.extra_data.get()) {
                let mut widget = Widget { body };
                validate::validate_widget(&mut widget, policy)?;
                return Ok(widget);
            }
        }
    }
    let value = parse_json(text)?;
    parse_widget_value(value, policy)
}

/// One kind's data straight from its text with serde's derived decoders
/// (native builds, where they are not paid for in bundle size); `None` on
/// any error, which the general path then reports.
#[cfg(not(target_arch = "wasm32"))]
fn body_from_str(kind: Kind, text: &str) -> Option<Body> {
    fn de<T: DeserializeOwned>(text: &str) -> Option<T> {
        serde_json::from_str(text).ok()
    }
    Some(match kind {
        Kind::Grid => Body::Grid(de(text)?),
        Kind::Canvas => Body::Canvas(de(text)?),
        Kind::Cards => Body::Cards(de(text)?),
        Kind::Hud => Body::Hud(de(text)?),
        Kind::Dialog => Body::Dialog(de(text)?),
        Kind::Terminal => Body::Terminal(de(text)?),
        Kind::Leaderboard => Body::Leaderboard(de(text)?),
        Kind::Inventory => Body::Inventory(de(text)?),
        Kind::Map => Body::Map(de(text)?),
        Kind::Lobby => Body::Lobby(de(text)?),
        Kind::Interactive => Body::Interactive(de(text)?),
        Kind::Composite => Body::Composite(de(text)?),
    })
}

/// In the browser: `extra_data` read into a `Value`, then decoded.
#[cfg(target_arch = "wasm32")]
fn body_from_str(kind: Kind, text: &str) -> Option<Body> {
    let extra = serde_json::from_str::<Value>(text).ok()?;
    body_from_value(kind, extra, "extra_data").ok()
}

/// Parses JSON text, enforcing the body size and nesting limits.
pub fn parse_json(text: &str) -> Result<Value, Errors> {
    if text.len() > MAX_BODY_BYTES {
        return Err(Errors::one(
            Code::TooLarge,
            "",
            format!("payload is {} bytes; the limit is 1 MiB", text.len()),
        ));
    }
    serde_json::from_str(text).map_err(|e| {
        if e.to_string().contains("recursion limit") {
            Errors::one(
                Code::TooDeep,
                "",
                format!(
                    "nesting is deeper than 128 levels (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
        } else {
            Errors::one(
                Code::InvalidJson,
                "",
                format!("not valid JSON (line {}, column {})", e.line(), e.column()),
            )
        }
    })
}

/// Parses and validates a widget from a JSON value.
pub fn parse_widget_value(value: Value, policy: &Policy) -> Result<Widget, Errors> {
    let mut widget = widget_from_value(value)?;
    validate::validate_widget(&mut widget, policy)?;
    Ok(widget)
}

/// Structure only: types, unknown fields, colours and URLs. No limits.
pub fn widget_from_value(value: Value) -> Result<Widget, WidgetError> {
    let Value::Object(mut obj) = value else {
        return Err(WidgetError::new(
            Code::InvalidType,
            "",
            "a widget is an object {\"widget_type\", \"extra_data\"}",
        ));
    };
    if let Some(k) = obj
        .keys()
        .find(|k| *k != "widget_type" && *k != "extra_data")
    {
        return Err(WidgetError::new(
            Code::UnknownField,
            path::JsonPath::root().key(k).into_string(),
            format!("unknown field `{k}`; a widget has `widget_type` and `extra_data`"),
        ));
    }
    let kind = match obj.remove("widget_type") {
        Some(Value::String(s)) => Kind::parse(&s).ok_or_else(|| {
            WidgetError::new(
                Code::UnknownWidgetType,
                "widget_type",
                "unknown widget_type; expected one of grid, canvas, cards, hud, dialog, terminal, leaderboard, inventory, map, lobby, interactive, composite",
            )
        })?,
        Some(_) => {
            return Err(WidgetError::new(
                Code::InvalidType,
                "widget_type",
                "widget_type must be a string",
            ))
        }
        None => {
            return Err(WidgetError::new(
                Code::InvalidType,
                "widget_type",
                "missing field `widget_type`",
            ))
        }
    };
    let extra = obj.remove("extra_data").ok_or_else(|| {
        WidgetError::new(
            Code::InvalidType,
            "extra_data",
            "missing field `extra_data`",
        )
    })?;
    let body = body_from_value(kind, extra, "extra_data")?;
    Ok(Widget { body })
}

/// Deserializes one kind's data from a JSON object, reporting errors under
/// `prefix`.
pub fn body_from_value(kind: Kind, value: Value, prefix: &str) -> Result<Body, WidgetError> {
    body_from_json(kind, value, &At::Root(prefix))
}

/// One kind's data from a JSON object at `at`.
pub(crate) fn body_from_json(kind: Kind, v: Value, at: &At) -> Res<Body> {
    Ok(match kind {
        Kind::Grid => Body::Grid(FromJson::from_json(v, at)?),
        Kind::Canvas => Body::Canvas(FromJson::from_json(v, at)?),
        Kind::Cards => Body::Cards(FromJson::from_json(v, at)?),
        Kind::Hud => Body::Hud(FromJson::from_json(v, at)?),
        Kind::Dialog => Body::Dialog(FromJson::from_json(v, at)?),
        Kind::Terminal => Body::Terminal(FromJson::from_json(v, at)?),
        Kind::Leaderboard => Body::Leaderboard(FromJson::from_json(v, at)?),
        Kind::Inventory => Body::Inventory(FromJson::from_json(v, at)?),
        Kind::Map => Body::Map(FromJson::from_json(v, at)?),
        Kind::Lobby => Body::Lobby(FromJson::from_json(v, at)?),
        Kind::Interactive => Body::Interactive(FromJson::from_json(v, at)?),
        Kind::Composite => Body::Composite(FromJson::from_json(v, at)?),
    })
}

/// Deserializes any serde type, turning serde's error into a
/// [`WidgetError`] with a code and the full path. The core's own types are
/// decoded by [`crate::json`] (their `Deserialize` carries code and path
/// through to here).
#[cfg(feature = "error-paths")]
pub fn typed<T: DeserializeOwned>(value: Value, prefix: &str) -> Result<T, WidgetError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let at = e.path().to_string();
        map_serde_error(&path::join(prefix, &at), &e.into_inner().to_string())
    })
}

/// Deserializes any typed value; without the `error-paths` feature a type
/// error is reported at `prefix` (serde's message still names the field).
#[cfg(not(feature = "error-paths"))]
pub fn typed<T: DeserializeOwned>(value: Value, prefix: &str) -> Result<T, WidgetError> {
    T::deserialize(value).map_err(|e| map_serde_error(prefix, &e.to_string()))
}

/// Splits an error that `ids::encode` packed into a message.
fn decode(msg: &str) -> Option<(Code, &str, &str)> {
    let start = msg.find('\u{1}')?;
    let mut parts = msg[start + 1..].splitn(3, '\u{1}');
    let code_str = parts.next()?;
    let inner = parts.next()?;
    let rest = parts.next()?;
    let code = Code::ALL.into_iter().find(|c| c.as_str() == code_str)?;
    // serde_json may append " at line.. column.." to custom messages.
    let rest = rest.split(" at line ").next().unwrap_or(rest);
    Some((code, inner, rest))
}

fn map_serde_error(at: &str, msg: &str) -> WidgetError {
    if let Some((code, inner, rest)) = decode(msg) {
        return WidgetError::new(code, path::join(at, inner), rest);
    }
    let msg = msg.split(" at line ").next().unwrap_or(msg);
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let full = if at.ends_with(field) && !field.is_empty() {
            at.to_owned()
        } else {
            path::JsonPath::at(at).key(field).into_string()
        };
        return WidgetError::new(Code::UnknownField, full, format!("unknown field `{field}`"));
    }
    if msg.starts_with("invalid value: integer") || msg.starts_with("invalid value: floating") {
        return WidgetError::new(Code::OutOfRange, at, msg);
    }
    if msg.contains("recursion limit") {
        return WidgetError::new(Code::TooDeep, at, "nesting is too deep");
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        return WidgetError::new(
            Code::InvalidType,
            path::JsonPath::at(at).key(field).into_string(),
            format!("missing field `{field}`"),
        );
    }
    WidgetError::new(Code::InvalidType, at, msg)
}

impl Fields for Widget {
    fn fields(&self, out: &mut dyn FnMut(&str, Json<'_>)) {
        out("widget_type", Json::Str(self.kind().as_str()));
        out("extra_data", self.body.json());
    }
}

impl ToJson for Widget {
    fn json(&self) -> Json<'_> {
        Json::Obj(self)
    }
}

impl Serialize for Widget {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Widget {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        widget_from_value(v).map_err(|e| de::Error::custom(encode(e.code, &e.path, &e.msg)))
    }
}

/// A child as an object: its body's fields and `type`, in key order.
impl Fields for Child {
    fn fields(&self, out: &mut dyn FnMut(&str, Json<'_>)) {
        let mut m = match self.body.to_value() {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        m.insert(
            "type".into(),
            Value::String(self.body.kind().as_str().into()),
        );
        m.fields(out)
    }
}

impl ToJson for Child {
    fn json(&self) -> Json<'_> {
        Json::Obj(self)
    }
}

impl FromJson for Child {
    fn placeholder() -> Self {
        Child {
            body: Body::Grid(Grid::default()),
        }
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        let at = &At::Nest(at, None);
        let Value::Object(mut obj) = v else {
            return Err(fail(
                at,
                Code::InvalidType,
                "a child widget is an object {\"id\", \"type\", ...}",
            ));
        };
        let kind = match obj.remove("type") {
            Some(Value::String(s)) => Kind::parse(&s).ok_or_else(|| {
                fail(
                    &At::Key(at, "type"),
                    Code::UnknownWidgetType,
                    "unknown widget type",
                )
            })?,
            _ => {
                return Err(fail(
                    &At::Key(at, "type"),
                    Code::InvalidType,
                    "a child widget needs a string `type`",
                ))
            }
        };
        let body = body_from_json(kind, Value::Object(obj), at)?;
        Ok(Child { body })
    }
}

crate::json_serde!(Child);

fn kind_schemas(generator: &mut SchemaGenerator) -> Vec<(Kind, Schema)> {
    Kind::ALL
        .into_iter()
        .map(|k| {
            let s = match k {
                Kind::Grid => generator.subschema_for::<Grid>(),
                Kind::Canvas => generator.subschema_for::<Canvas>(),
                Kind::Cards => generator.subschema_for::<Cards>(),
                Kind::Hud => generator.subschema_for::<Hud>(),
                Kind::Dialog => generator.subschema_for::<Dialog>(),
                Kind::Terminal => generator.subschema_for::<Terminal>(),
                Kind::Leaderboard => generator.subschema_for::<Leaderboard>(),
                Kind::Inventory => generator.subschema_for::<Inventory>(),
                Kind::Map => generator.subschema_for::<MapWidget>(),
                Kind::Lobby => generator.subschema_for::<Lobby>(),
                Kind::Interactive => generator.subschema_for::<Interactive>(),
                Kind::Composite => generator.subschema_for::<Composite>(),
            };
            (k, s)
        })
        .collect()
}

impl JsonSchema for Widget {
    fn schema_name() -> Cow<'static, str> {
        "Widget".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let variants: Vec<Value> = kind_schemas(generator)
            .into_iter()
            .map(|(k, s)| {
                serde_json::json!({
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["widget_type", "extra_data"],
                    "properties": {
                        "widget_type": {"const": k.as_str()},
                        "extra_data": s,
                    }
                })
            })
            .collect();
        json_schema!({
            "description": "A widget payload: {\"widget_type\", \"extra_data\"}.",
            "oneOf": variants
        })
    }
}

impl JsonSchema for Child {
    fn schema_name() -> Cow<'static, str> {
        "Child".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        // Each kind's own schema, with `type` added and `id` required.
        let kinds = kind_schemas(generator);
        let variants: Vec<Value> = kinds
            .into_iter()
            .map(|(k, s)| {
                let name = s
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.rsplit('/').next())
                    .map(str::to_owned);
                let mut def = name
                    .and_then(|n| generator.definitions().get(&n).cloned())
                    .unwrap_or_else(|| s.to_value());
                if let Some(obj) = def.as_object_mut() {
                    if let Some(Value::Object(props)) = obj.get_mut("properties") {
                        props.insert("type".into(), serde_json::json!({"const": k.as_str()}));
                    }
                    let req = obj
                        .entry("required")
                        .or_insert_with(|| Value::Array(vec![]));
                    if let Value::Array(r) = req {
                        r.push("type".into());
                        r.push("id".into());
                    }
                }
                def
            })
            .collect();
        json_schema!({
            "description": "A composite's child: {\"id\", \"type\", ...fields of that type}.",
            "oneOf": variants
        })
    }
}
