//! The input line's history: what the player sent, and where Up and Down
//! have got to. Like a shell: Up walks back from the newest, Down walks
//! forward and, past the newest, gives back the line being typed before.

/// How many inputs are remembered.
pub const MAX_HISTORY: usize = 200;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    sent: Vec<String>,
    /// Index into `sent` while browsing; `None` when editing a new line.
    at: Option<usize>,
    /// The line being typed before browsing began, restored past the end.
    draft: String,
}

impl History {
    /// Remembers a sent line (the same line twice in a row once) and stops
    /// browsing.
    pub fn push(&mut self, text: &str) {
        if self.sent.last().map(String::as_str) != Some(text) {
            self.sent.push(text.to_owned());
            if self.sent.len() > MAX_HISTORY {
                self.sent.remove(0);
            }
        }
        self.at = None;
        self.draft.clear();
    }

    /// The line Up shows, with `current` the text in the input now (kept as
    /// the draft when browsing starts). `None`: nothing to show.
    pub fn up(&mut self, current: &str) -> Option<String> {
        let next = match self.at {
            None if self.sent.is_empty() => return None,
            None => {
                self.draft = current.to_owned();
                self.sent.len() - 1
            }
            Some(0) => 0,
            Some(i) => i - 1,
        };
        self.at = Some(next);
        self.sent.get(next).cloned()
    }

    /// The line Down shows; past the newest, the draft. `None` when not
    /// browsing.
    pub fn down(&mut self) -> Option<String> {
        let i = self.at?;
        if i + 1 < self.sent.len() {
            self.at = Some(i + 1);
            self.sent.get(i + 1).cloned()
        } else {
            self.at = None;
            Some(std::mem::take(&mut self.draft))
        }
    }

    pub fn len(&self) -> usize {
        self.sent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sent.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_walks_back_and_down_returns_to_the_draft() {
        let mut h = History::default();
        assert_eq!(h.up("x"), None);
        assert_eq!(h.down(), None, "not browsing");
        h.push("look");
        h.push("go north");
        h.push("go north");
        assert_eq!(h.len(), 2, "the same line twice is kept once");
        assert_eq!(h.up("dra").as_deref(), Some("go north"));
        assert_eq!(h.up("").as_deref(), Some("look"));
        assert_eq!(h.up("").as_deref(), Some("look"), "stops at the oldest");
        assert_eq!(h.down().as_deref(), Some("go north"));
        assert_eq!(h.down().as_deref(), Some("dra"));
        assert_eq!(h.down(), None);
    }

    #[test]
    fn sending_stops_browsing_and_the_oldest_are_forgotten() {
        let mut h = History::default();
        h.push("a");
        h.push("b");
        assert_eq!(h.up("").as_deref(), Some("b"));
        h.push("c");
        assert_eq!(h.up("").as_deref(), Some("c"), "from the newest again");
        for i in 0..MAX_HISTORY + 5 {
            h.push(&i.to_string());
        }
        assert_eq!(h.len(), MAX_HISTORY);
        let mut oldest = None;
        let mut h2 = h.clone();
        while let Some(v) = h2.up("") {
            if oldest.as_ref() == Some(&v) {
                break;
            }
            oldest = Some(v);
        }
        assert_eq!(oldest.as_deref(), Some("5"));
    }
}
