//! JSON paths in the form `extra_data.cells[3].bg`.

use std::fmt;

/// A path built up while walking a document. Cheap to extend: children are
/// made by cloning, which only happens on the error path or for small
/// prefixes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath(String);

impl JsonPath {
    pub fn root() -> Self {
        JsonPath(String::new())
    }

    pub fn at(s: &str) -> Self {
        JsonPath(s.to_owned())
    }

    /// `a` + `b` gives `a.b`; a key that is not a plain identifier is quoted
    /// as `a["b c"]`.
    pub fn key(&self, key: &str) -> Self {
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let mut s = self.0.clone();
        if plain {
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(key);
        } else {
            s.push('[');
            s.push_str(&serde_json::to_string(key).unwrap_or_default());
            s.push(']');
        }
        JsonPath(s)
    }

    pub fn index(&self, i: usize) -> Self {
        JsonPath(format!("{}[{}]", self.0, i))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Joins a prefix and a path produced by `serde_path_to_error` (which writes
/// `a.b[3].c`, with `?` for unknown positions).
pub fn join(prefix: &str, rest: &str) -> String {
    let rest = if rest == "." { "" } else { rest };
    match (prefix.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_owned(),
        (false, true) => prefix.to_owned(),
        (false, false) if rest.starts_with('[') => format!("{prefix}{rest}"),
        (false, false) => format!("{prefix}.{rest}"),
    }
}

/// `prefix.field.key`, quoting `key` as `["..."]` when it is not a plain
/// identifier (map keys are the bot's own strings).
pub fn map_key(prefix: &str, field: &str, key: &str) -> String {
    JsonPath::at(prefix).key(field).key(key).into_string()
}

/// `a` + `b`: a path and its continuation (`extra_data` + `.cells`).
pub fn cat(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len());
    s.push_str(a);
    s.push_str(b);
    s
}

/// `a` + `mid` + `[i]` + `tail`, as in `extra_data.cells[3].bg`.
pub fn idx(a: &str, mid: &str, i: usize, tail: &str) -> String {
    let mut s = cat(a, mid);
    s.push('[');
    s.push_str(&i.to_string());
    s.push(']');
    s.push_str(tail);
    s
}

/// A path made only when an error needs it.
#[derive(Clone, Copy)]
pub enum P<'a> {
    /// `base` + `tail`.
    Cat(&'a str, &'a str),
    /// `base` + `mid` + `[i]` + `tail`.
    Idx(&'a str, &'a str, usize, &'a str),
    /// Anything else.
    Lazy(&'a dyn Fn() -> String),
}

impl P<'_> {
    pub fn render(self) -> String {
        match self {
            P::Cat(a, b) => cat(a, b),
            P::Idx(a, mid, i, tail) => idx(a, mid, i, tail),
            P::Lazy(f) => f(),
        }
    }
}
