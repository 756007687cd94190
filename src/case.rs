//! Upper case for player text (a name's initial, a key's label) without
//! Rust's Unicode case tables: in the browser through JavaScript's
//! `String.prototype.toUpperCase`, which has the same tables already; in
//! native builds (tests) through `str::to_uppercase`. The tables and their
//! code were about 30 KB of the wasm bundle (docs/renderer.md, "Size").
//! Words of our own (layout names, moods, rarities) are ASCII and use the
//! `*_ascii_*` methods instead.

/// `s` in upper case, as the browser's `toUpperCase` makes it.
pub fn upper(s: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        if s.is_ascii() {
            return s.to_ascii_uppercase();
        }
        String::from(js_sys::JsString::from(s).to_upper_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_uppercase()
    }
}

/// The first character of `s`, in upper case (empty for an empty `s`).
pub fn initial(s: &str) -> String {
    s.chars()
        .next()
        .map(|c| upper(c.encode_utf8(&mut [0; 4])))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_cases_beyond_ascii() {
        assert_eq!(upper("a"), "A");
        assert_eq!(upper("é"), "É");
        assert_eq!(upper("ß"), "SS");
        assert_eq!(upper("↑"), "↑");
        assert_eq!(initial("émile"), "É");
        assert_eq!(initial("анна"), "А");
        assert_eq!(initial(""), "");
    }
}
