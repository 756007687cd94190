//! The typing effect as plain data: when each piece of the text appears
//! ([`Script`]) and which text is being typed since when ([`Run`]).
//!
//! - The text appears one character at a time, [`CHAR_MS`] apart, with a
//!   short pause after the end of a sentence or a clause. A long text types
//!   faster, so that no text takes more than [`MAX_MS`].
//! - A "character" is what a reader sees as one: a letter with its
//!   combining accents, an emoji with its modifiers and joiners, a flag.
//!   Half an emoji is never shown.
//! - A [`Run`] starts when a text should be typed: a dialog that arrives
//!   live, or a text that changes (or is set again by `set_text`) while the
//!   dialog is shown. A dialog from history, `typing_effect` off and reduced
//!   motion show the text at once. Skipping ends the run.

/// Time between two characters, in ms.
pub const CHAR_MS: f64 = 30.0;
/// Extra pause after `.`, `!`, `?` or `…` followed by a space, in ms.
pub const SENTENCE_PAUSE_MS: f64 = 240.0;
/// Extra pause after `,`, `;` or `:` followed by a space, in ms.
pub const CLAUSE_PAUSE_MS: f64 = 90.0;
/// The longest a text types for, in ms; longer texts type faster.
pub const MAX_MS: f64 = 5_000.0;

/// Whether `c` belongs to the character before it (it never shows alone).
fn joins_previous(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F      // combining diacritics
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x20D0..=0x20FF    // combining marks for symbols (keycaps)
        | 0xFE00..=0xFE0F    // variation selectors
        | 0xFE20..=0xFE2F
        | 0x200D             // zero-width joiner
        | 0x1F3FB..=0x1F3FF  // skin tones
        | 0xE0020..=0xE007F  // tags (subdivision flags)
    )
}

fn regional_indicator(c: char) -> bool {
    matches!(c as u32, 0x1F1E6..=0x1F1FF)
}

/// When each piece of a text appears.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Script {
    /// For each step: the byte length shown from then on, and when (ms
    /// after the start). Increasing in both.
    steps: Vec<(usize, f64)>,
}

impl Script {
    pub fn new(text: &str) -> Script {
        // The byte ends of the visible characters.
        let mut ends: Vec<usize> = Vec::new();
        let mut prev: Option<char> = None;
        let mut flag_open = false;
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            let joined = match prev {
                None => false,
                Some('\u{200D}') => true, // the character after a joiner
                Some(_) if joins_previous(c) => true,
                Some(p) if regional_indicator(c) && regional_indicator(p) && flag_open => true,
                Some(_) => false,
            };
            if regional_indicator(c) {
                // Flags are pairs: the second of a pair closes it.
                flag_open = !(joined && flag_open);
            } else {
                flag_open = false;
            }
            match ends.last_mut() {
                Some(last) if joined => *last = end,
                _ => ends.push(end),
            }
            prev = Some(c);
        }
        // Times: one CHAR_MS per character, pauses after punctuation.
        let mut steps = Vec::with_capacity(ends.len());
        let mut t = 0.0;
        let mut start = 0;
        for (k, &end) in ends.iter().enumerate() {
            steps.push((end, t));
            let piece = text.get(start..end).unwrap_or("");
            let next_is_space = text
                .get(end..)
                .and_then(|r| r.chars().next())
                .is_some_and(char::is_whitespace);
            t += CHAR_MS;
            if next_is_space && k + 1 < ends.len() {
                if piece.ends_with(['.', '!', '?', '…']) {
                    t += SENTENCE_PAUSE_MS;
                } else if piece.ends_with([',', ';', ':']) {
                    t += CLAUSE_PAUSE_MS;
                }
            }
            start = end;
        }
        let total = steps.last().map_or(0.0, |s| s.1);
        if total > MAX_MS {
            let k = MAX_MS / total;
            for s in &mut steps {
                s.1 *= k;
            }
        }
        Script { steps }
    }

    /// How many visible characters the text has.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// When the whole text is shown, in ms after the start.
    pub fn total_ms(&self) -> f64 {
        self.steps.last().map_or(0.0, |s| s.1)
    }

    /// The byte length of the text shown `elapsed` ms after the start.
    pub fn shown_at(&self, elapsed: f64) -> usize {
        let n = self.steps.partition_point(|s| s.1 <= elapsed);
        match n.checked_sub(1) {
            Some(i) => self.steps.get(i).map_or(0, |s| s.0),
            None => 0,
        }
    }

    /// When the next piece appears after `elapsed`, if any.
    pub fn next_after(&self, elapsed: f64) -> Option<f64> {
        let n = self.steps.partition_point(|s| s.1 <= elapsed);
        self.steps.get(n).map(|s| s.1)
    }
}

/// The text being typed, if any, and since when.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Run {
    /// The text last synced (`None` before the first render).
    text: Option<String>,
    /// The version last synced.
    seq: u64,
    /// While typing: the script and its start (on the `now` clock).
    typing: Option<(Script, f64)>,
}

/// What a render needs to know to decide whether to type.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moment<'a> {
    pub text: &'a str,
    pub seq: u64,
    /// `typing_effect: true`.
    pub effect: bool,
    /// Shown live (not from history).
    pub live: bool,
    /// The update that led here has `set_text` (the same words said again).
    pub set_text: bool,
    /// `prefers-reduced-motion: reduce`.
    pub reduced: bool,
    pub now: f64,
}

impl Run {
    /// Follows the dialog's state; starts typing when the text is new to
    /// the player. Returns whether a run started.
    pub fn sync(&mut self, m: Moment<'_>) -> bool {
        let first = self.text.is_none();
        let changed = self.text.as_deref() != Some(m.text);
        let said_again = !first && m.seq != self.seq && m.set_text;
        let new_words = if first { m.live } else { changed || said_again };
        let can_type = m.effect && !m.reduced && !m.text.is_empty();
        let same_version = !first && m.seq == self.seq && !changed;
        if changed || m.seq != self.seq {
            self.text = Some(m.text.to_owned());
            self.seq = m.seq;
        }
        if !can_type {
            self.typing = None;
            return false;
        }
        if same_version || !new_words {
            return false;
        }
        self.typing = Some((Script::new(m.text), m.now));
        true
    }

    /// The byte length of the text shown at `now`; the whole text when not
    /// typing. Ends the run once everything is shown.
    pub fn shown(&mut self, text_len: usize, now: f64) -> usize {
        let Some((script, start)) = &self.typing else {
            return text_len;
        };
        let n = script.shown_at(now - start).min(text_len);
        if n >= text_len {
            self.typing = None;
        }
        n
    }

    /// Whether the text is being typed.
    pub fn typing(&self) -> bool {
        self.typing.is_some()
    }

    /// When (on the `now` clock) the next piece appears, while typing.
    pub fn next_at(&self, now: f64) -> Option<f64> {
        let (script, start) = self.typing.as_ref()?;
        script.next_after(now - start).map(|t| start + t)
    }

    /// Shows the whole text at once (a click, Enter).
    pub fn skip(&mut self) {
        self.typing = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        let s = Script::new(text);
        s.steps.iter().map(|(end, _)| &text[..*end]).collect()
    }

    #[test]
    fn a_character_at_a_time() {
        let s = Script::new("Hey");
        assert_eq!(s.len(), 3);
        assert_eq!(s.shown_at(0.0), 1, "the first at once");
        assert_eq!(s.shown_at(CHAR_MS - 1.0), 1);
        assert_eq!(s.shown_at(CHAR_MS), 2);
        assert_eq!(s.shown_at(2.0 * CHAR_MS), 3);
        assert_eq!(s.shown_at(1e9), 3);
        assert_eq!(s.total_ms(), 2.0 * CHAR_MS);
        assert_eq!(s.next_after(0.0), Some(CHAR_MS));
        assert_eq!(s.next_after(2.0 * CHAR_MS), None);
        assert!(Script::new("").is_empty());
        assert_eq!(Script::new("").shown_at(5.0), 0);
    }

    #[test]
    fn pauses_after_sentences_and_clauses() {
        let s = Script::new("Hi. Yo, x");
        // H i . ␠ Y o , ␠ x
        let times: Vec<f64> = s.steps.iter().map(|x| x.1).collect();
        let c = CHAR_MS;
        assert_eq!(
            times[3],
            3.0 * c + SENTENCE_PAUSE_MS,
            "the space after the stop"
        );
        assert_eq!(times[7], 7.0 * c + SENTENCE_PAUSE_MS + CLAUSE_PAUSE_MS);
        // A full stop at the very end adds nothing.
        assert_eq!(Script::new("Bye.").total_ms(), 3.0 * c);
        // No pause inside "3.14".
        assert_eq!(Script::new("3.14").total_ms(), 3.0 * c);
    }

    #[test]
    fn never_half_a_character() {
        assert_eq!(pieces("e\u{301}x"), ["e\u{301}", "e\u{301}x"], "accent");
        assert_eq!(pieces("👍🏽!"), ["👍🏽", "👍🏽!"], "skin tone");
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(pieces(family), [family], "joined emoji");
        assert_eq!(pieces("🇫🇷🇩🇪"), ["🇫🇷", "🇫🇷🇩🇪"], "flags are pairs");
        assert_eq!(pieces("❤\u{FE0F}a"), ["❤\u{FE0F}", "❤\u{FE0F}a"]);
        // Every step ends on a char boundary of the text.
        let t = "Ça va? 👩\u{200D}💻 ok";
        for (end, _) in Script::new(t).steps {
            assert!(t.is_char_boundary(end));
        }
    }

    #[test]
    fn long_texts_type_faster_within_the_limit() {
        let long = "a".repeat(2_000);
        let s = Script::new(&long);
        assert!((s.total_ms() - MAX_MS).abs() < 1e-6, "{}", s.total_ms());
        assert_eq!(s.shown_at(MAX_MS), 2_000);
        assert!(s.shown_at(MAX_MS / 2.0) < 2_000);
    }

    fn at<'a>(text: &'a str, seq: u64, now: f64) -> Moment<'a> {
        Moment {
            text,
            seq,
            effect: true,
            live: true,
            set_text: false,
            reduced: false,
            now,
        }
    }

    #[test]
    fn types_when_live_then_on_each_new_text() {
        let mut r = Run::default();
        assert!(r.sync(at("Hello", 1, 0.0)));
        assert_eq!(r.shown(5, 0.0), 1);
        // Re-rendering the same version does not restart.
        assert!(!r.sync(at("Hello", 1, 60.0)));
        assert_eq!(r.shown(5, 60.0), 3);
        assert!(r.typing());
        assert_eq!(r.next_at(60.0), Some(90.0));
        assert_eq!(r.shown(5, 500.0), 5);
        assert!(!r.typing(), "done once all is shown");
        assert_eq!(r.next_at(500.0), None);
        // A version that leaves the text alone does not type it again.
        assert!(!r.sync(at("Hello", 2, 600.0)));
        // A new text (set_text) types from the start.
        assert!(r.sync(at("Bye now", 3, 700.0)));
        assert_eq!(r.shown(7, 700.0), 1);
        // The same words said again by set_text type again.
        r.skip();
        assert!(r.sync(Moment {
            set_text: true,
            ..at("Bye now", 4, 800.0)
        }));
        assert!(r.typing());
    }

    #[test]
    fn history_reduced_motion_and_no_effect_show_at_once() {
        let mut r = Run::default();
        assert!(!r.sync(Moment {
            live: false,
            ..at("Old words", 1, 0.0)
        }));
        assert_eq!(r.shown(9, 0.0), 9);
        // ...but a text that changes while shown is new: it types.
        assert!(r.sync(Moment {
            live: false,
            ..at("New words", 2, 10.0)
        }));

        let mut r = Run::default();
        assert!(!r.sync(Moment {
            reduced: true,
            ..at("Hi", 1, 0.0)
        }));
        assert_eq!(r.shown(2, 0.0), 2);

        let mut r = Run::default();
        assert!(!r.sync(Moment {
            effect: false,
            ..at("Hi", 1, 0.0)
        }));
        assert!(!r.typing());
    }

    #[test]
    fn skipping_shows_everything_and_turning_the_effect_off_stops() {
        let mut r = Run::default();
        r.sync(at("A long line", 1, 0.0));
        assert!(r.shown(11, 10.0) < 11);
        r.skip();
        assert_eq!(r.shown(11, 10.0), 11);
        assert!(!r.typing());

        let mut r = Run::default();
        r.sync(at("A long line", 1, 0.0));
        r.sync(Moment {
            effect: false,
            ..at("A long line", 2, 5.0)
        });
        assert!(!r.typing());
    }
}
