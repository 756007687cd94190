//! Colours: an allow-list that parses and re-serializes (PROTOCOL.md 7).
//!
//! Accepted: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, CSS named colours and
//! `rgb()/rgba()/hsl()/hsla()` with numeric arguments. What is kept is the
//! re-serialized form, never the input, so `red;background:url(x)` cannot
//! reach a style.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use crate::error::Code;
use crate::json::{fail, At, FromJson, Json, Res, ToJson};

/// A validated colour in canonical form (lower case, no spaces).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Color(Arc<str>);

impl Color {
    /// Parses a colour, returning its canonical form.
    pub fn parse(input: &str) -> Result<Color, &'static str> {
        normalize(input).map(|s| Color(s.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromJson for Color {
    fn placeholder() -> Self {
        Color("".into())
    }
    fn from_json(v: Value, at: &At) -> Res<Self> {
        let s = String::from_json(v, at)?;
        Color::parse(&s).map_err(|why| fail(at, Code::InvalidColor, why))
    }
}

impl ToJson for Color {
    fn json(&self) -> Json<'_> {
        Json::Str(&self.0)
    }
}

crate::json_serde!(@ser Color);
#[cfg(target_arch = "wasm32")]
crate::json_serde!(@de Color);

/// Natively, straight from the input (see `UserId`'s `Deserialize`).
#[cfg(not(target_arch = "wasm32"))]
impl<'de> serde::Deserialize<'de> for Color {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <Cow<str> as serde::Deserialize>::deserialize(d)?;
        Color::parse(&s).map_err(|why| {
            serde::de::Error::custom(crate::ids::encode(Code::InvalidColor, "", why))
        })
    }
}

impl JsonSchema for Color {
    fn schema_name() -> Cow<'static, str> {
        "Color".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "maxLength": MAX_LEN,
            "description": "#rgb, #rgba, #rrggbb, #rrggbbaa, a CSS named colour, or rgb()/rgba()/hsl()/hsla() with numeric arguments"
        })
    }
}

const MAX_LEN: usize = 64;

fn normalize(input: &str) -> Result<String, &'static str> {
    let s = input.trim_matches(|c: char| c.is_ascii_whitespace());
    if s.is_empty() {
        return Err("empty colour");
    }
    if s.len() > MAX_LEN {
        return Err("colour is too long");
    }
    let lower = s.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix('#') {
        if matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(lower);
        }
        return Err("a hex colour has 3, 4, 6 or 8 hex digits");
    }
    if let Some(open) = lower.find('(') {
        return function(&lower[..open], &lower[open + 1..]);
    }
    if NAMED.binary_search(&lower.as_str()).is_ok() {
        return Ok(lower);
    }
    Err("not a colour: use #hex, a CSS colour name, rgb(), rgba(), hsl() or hsla()")
}

fn function(name: &str, rest: &str) -> Result<String, &'static str> {
    let is_hsl = match name {
        "rgb" | "rgba" => false,
        "hsl" | "hsla" => true,
        _ => return Err("only rgb(), rgba(), hsl() and hsla() are allowed"),
    };
    let inner = rest
        .strip_suffix(')')
        .ok_or("a colour function must end with `)`")?;
    // Arguments are separated by commas, or by spaces with an optional `/`
    // before the alpha.
    let parts: Vec<&str> = inner
        .split(|c: char| c == ',' || c == '/' || c.is_ascii_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    if !(3..=4).contains(&parts.len()) {
        return Err("a colour function takes 3 or 4 numbers");
    }
    let mut out = String::with_capacity(inner.len() + name.len() + 2);
    out.push_str(name);
    out.push('(');
    for (i, p) in parts.iter().enumerate() {
        let allowed_units: &[&str] = if is_hsl && i == 0 { &["deg"] } else { &["%"] };
        let (num, unit) = split_unit(p, allowed_units)?;
        if i > 0 {
            out.push(',');
        }
        out.push_str(&fmt_num(num));
        out.push_str(unit);
    }
    out.push(')');
    Ok(out)
}

fn split_unit(p: &str, units: &[&'static str]) -> Result<(f64, &'static str), &'static str> {
    let (digits, unit) = match units.iter().find(|u| p.ends_with(*u)) {
        Some(u) => (&p[..p.len() - u.len()], *u),
        None => (p, ""),
    };
    let ok = !digits.is_empty()
        && digits
            .bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || b == b'.' || (i == 0 && (b == b'-' || b == b'+')))
        && digits.bytes().filter(|b| *b == b'.').count() <= 1
        && digits.bytes().any(|b| b.is_ascii_digit());
    if !ok {
        return Err("colour function arguments must be plain numbers");
    }
    let n =
        crate::num::parse_plain(digits).ok_or("colour function arguments must be plain numbers")?;
    if !n.is_finite() || n.abs() > 1e6 {
        return Err("colour function argument out of range");
    }
    Ok((n, unit))
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        let s = crate::num::fixed4(n);
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// CSS named colours, sorted for binary search.
const NAMED: &[&str] = &[
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "transparent",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_list_is_sorted() {
        let mut sorted = NAMED.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, NAMED);
    }

    #[test]
    fn accepts_and_normalizes() {
        for (input, want) in [
            ("#FFF", "#fff"),
            ("#ff00aa80", "#ff00aa80"),
            (" Red ", "red"),
            ("rgb(255, 0, 0)", "rgb(255,0,0)"),
            ("rgba(255 0 0 / 50%)", "rgba(255,0,0,50%)"),
            ("hsl(120deg, 50%, 40%)", "hsl(120deg,50%,40%)"),
            ("hsla(120,50%,40%,0.5)", "hsla(120,50%,40%,0.5)"),
        ] {
            assert_eq!(
                Color::parse(input).map(|c| c.0.to_string()),
                Ok(want.to_owned()),
                "{input}"
            );
        }
    }

    #[test]
    fn rejects() {
        for input in [
            "red;background:url(x)",
            "url(javascript:alert(1))",
            "expression(alert(1))",
            "#ggg",
            "#12345",
            "rgb(1,2)",
            "rgb(1,2,3,4,5)",
            "rgb(var(--x),0,0)",
            "rgb(calc(1+1),0,0)",
            "rgb(1,2,3);x",
            "rgb(1e3,0,0)",
            "currentcolor",
            "inherit",
            "",
            "r\ted",
            "blue\"",
        ] {
            assert!(Color::parse(input).is_err(), "{input:?} must be rejected");
        }
    }
}
