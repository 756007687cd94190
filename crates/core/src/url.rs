//! Image and sound URLs: an allow-list that parses and re-serializes
//! (PROTOCOL.md 7).
//!
//! Accepted: `https://host/...`, `http://host/...` (only where the server's
//! policy allows it, see `validate::Policy`), same-origin paths starting with
//! a single `/`, and `data:` URLs of the allowed media types in base64. Any
//! control character, space, quote, angle bracket or backslash anywhere
//! rejects the URL, so `j\tavascript:`, entity- and percent-encoded schemes
//! and `//evil.example` never pass.

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use crate::error::Code;
use crate::json::{fail, At, FromJson, Json, Res, ToJson};

/// Largest data URL (PROTOCOL.md 7: 256 KiB).
pub const MAX_DATA_URL_BYTES: usize = 256 * 1024;
/// Largest other URL.
pub const MAX_URL_BYTES: usize = 4096;

const IMAGE_TYPES: &[&str] = &["png", "jpeg", "gif", "webp"];
const AUDIO_TYPES: &[&str] = &["mpeg", "ogg", "wav", "webm"];

/// What a URL will be used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlUse {
    Image,
    Sound,
}

/// Parses a URL for `usage`, returning its canonical form.
pub fn canonical_url(input: &str, usage: UrlUse) -> Result<String, &'static str> {
    let limit = MAX_DATA_URL_BYTES + 64;
    if input.len() > limit {
        return Err("URL is too long (a data URL may be at most 256 KiB)");
    }
    if input.is_empty() {
        return Err("empty URL");
    }
    if let Some(bad) = input.chars().find(|c| {
        c.is_control()
            || c.is_whitespace()
            || matches!(
                c,
                '\\' | '"' | '\'' | '<' | '>' | '`' | '{' | '}' | '|' | '^'
            )
    }) {
        let _ = bad;
        return Err("URL contains a space, control character, quote, bracket or backslash");
    }
    let lower_prefix: String = input
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    if let Some(rest) = input.strip_prefix('/') {
        if rest.starts_with('/') {
            return Err(
                "`//` URLs point to another site; use https:// or a path starting with one `/`",
            );
        }
        return Ok(format!("/{}", encode_rest(rest)?));
    }
    for scheme in ["https://", "http://"] {
        if lower_prefix.starts_with(scheme) {
            if input.len() > MAX_URL_BYTES {
                return Err("URL is too long");
            }
            let rest = &input[scheme.len()..];
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let (host, tail) = rest.split_at(end);
            if host.is_empty()
                || !host.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
                })
            {
                return Err("URL host may hold only letters, digits, `.`, `-`, `:` and brackets");
            }
            return Ok(format!(
                "{scheme}{}{}",
                host.to_ascii_lowercase(),
                encode_rest(tail)?
            ));
        }
    }
    if lower_prefix.starts_with("data:") {
        return data_url(input, usage);
    }
    Err("only https:// URLs, paths starting with `/` and base64 data: URLs of images or sounds are allowed")
}

/// Keeps printable ASCII (the dangerous characters were refused earlier) and
/// percent-encodes everything else.
fn encode_rest(rest: &str) -> Result<String, &'static str> {
    let mut out = String::with_capacity(rest.len());
    for c in rest.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Ok(out)
}

fn data_url(input: &str, usage: UrlUse) -> Result<String, &'static str> {
    let comma = input.find(',').ok_or("a data: URL needs a `,`")?;
    let (head, payload) = (input[..comma].to_ascii_lowercase(), &input[comma + 1..]);
    let (prefix, types, what) = match usage {
        UrlUse::Image => ("data:image/", IMAGE_TYPES, "image/png, jpeg, gif or webp"),
        UrlUse::Sound => ("data:audio/", AUDIO_TYPES, "audio/mpeg, ogg, wav or webm"),
    };
    let Some(mime) = head
        .strip_prefix(prefix)
        .and_then(|m| m.strip_suffix(";base64"))
    else {
        return Err(match usage {
            UrlUse::Image => "a data: URL must be data:image/(png|jpeg|gif|webp);base64,...",
            UrlUse::Sound => "a data: URL must be data:audio/(mpeg|ogg|wav|webm);base64,...",
        });
    };
    if !types.contains(&mime) {
        let _ = what;
        return Err(match usage {
            UrlUse::Image => "data: images may be png, jpeg, gif or webp only",
            UrlUse::Sound => "data: sounds may be mpeg, ogg, wav or webm only",
        });
    }
    if payload.len() > MAX_DATA_URL_BYTES {
        return Err("a data URL may be at most 256 KiB");
    }
    if payload.is_empty()
        || !payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return Err("a data: URL's payload must be base64");
    }
    Ok(format!("{head},{payload}"))
}

macro_rules! url_type {
    ($name:ident, $usage:expr, $desc:literal) => {
        #[doc = $desc]
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn parse(input: &str) -> Result<Self, &'static str> {
                canonical_url(input, $usage).map($name)
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// Whether this is a plain-`http:` URL (allowed only by policy).
            pub fn is_http(&self) -> bool {
                self.0.starts_with("http://")
            }
            pub fn is_data(&self) -> bool {
                self.0.starts_with("data:")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromJson for $name {
            fn placeholder() -> Self {
                $name(String::new())
            }
            fn from_json(v: Value, at: &At) -> Res<Self> {
                let s = String::from_json(v, at)?;
                $name::parse(&s).map_err(|why| fail(at, Code::InvalidUrl, why))
            }
        }

        impl ToJson for $name {
            fn json(&self) -> Json<'_> {
                Json::Str(&self.0)
            }
        }

        crate::json_serde!(@ser $name);
        #[cfg(target_arch = "wasm32")]
        crate::json_serde!(@de $name);

        /// Natively, straight from the input (see `UserId`'s `Deserialize`).
        #[cfg(not(target_arch = "wasm32"))]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <Cow<str> as serde::Deserialize>::deserialize(d)?;
                $name::parse(&s).map_err(|why| {
                    serde::de::Error::custom(crate::ids::encode(Code::InvalidUrl, "", why))
                })
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({"type": "string", "description": $desc})
            }
        }
    };
}

url_type!(
    ImageUrl,
    UrlUse::Image,
    "An image URL: https://..., a same-origin path starting with one `/`, or data:image/(png|jpeg|gif|webp);base64,..."
);
url_type!(
    SoundUrl,
    UrlUse::Sound,
    "A sound URL: https://..., a same-origin path starting with one `/`, or data:audio/(mpeg|ogg|wav|webm);base64,..."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_canonicalizes() {
        for (input, want) in [
            ("https://Example.COM/a.png", "https://example.com/a.png"),
            (
                "HTTPS://example.com/a.png?x=1#y",
                "https://example.com/a.png?x=1#y",
            ),
            ("/static/a.png", "/static/a.png"),
            ("/static/é.png", "/static/%C3%A9.png"),
            (
                "DATA:IMAGE/PNG;BASE64,iVBORw0K",
                "data:image/png;base64,iVBORw0K",
            ),
        ] {
            assert_eq!(
                canonical_url(input, UrlUse::Image).as_deref(),
                Ok(want),
                "{input}"
            );
        }
    }

    #[test]
    fn rejects_scripts_however_written() {
        for input in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "j\tavascript:alert(1)",
            "java\nscript:alert(1)",
            " javascript:alert(1)",
            "\u{0}javascript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "%6Aavascript:alert(1)",
            "jav%61script:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "data:image/svg+xml;base64,PHN2Zz4=",
            "data:image/png,notbase64",
            "//evil.example/x.png",
            "/\\evil.example/x.png",
            "https://exa mple.com/",
            "https://example.com/\"onerror=alert(1)",
            "https:///path",
            "ftp://example.com/a.png",
            "file:///etc/passwd",
            "",
        ] {
            assert!(
                canonical_url(input, UrlUse::Image).is_err(),
                "{input:?} must be rejected"
            );
        }
    }

    #[test]
    fn sounds_take_audio_data_only() {
        assert!(canonical_url("data:audio/ogg;base64,T2dn", UrlUse::Sound).is_ok());
        assert!(canonical_url("data:image/png;base64,iVBO", UrlUse::Sound).is_err());
        assert!(canonical_url("data:audio/ogg;base64,T2dn", UrlUse::Image).is_err());
    }
}
