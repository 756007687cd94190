//! How to bring the drawn lines to a new state with the least DOM work.
//!
//! A terminal mostly grows at the end and, at `max_lines`, loses lines at
//! the front. [`plan`] finds that shape: how many lines to drop from the
//! front and which new lines to append, checking that the lines kept are
//! really equal (the DOM never shows a state the widget does not have).
//! The update that led here is a hint (how many lines it appended, whether
//! it cleared); without one (a replaced widget, a refetch) the overlap is
//! searched. Anything else is a rebuild.

use tulip_core::model::Line;

/// What the update that led to the new state says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hint {
    /// `clear: true`.
    pub clear: bool,
    /// The number of lines of its `append_lines`.
    pub appended: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Nothing to do.
    Same,
    /// Remove `drop` lines from the front of what is drawn (the other
    /// `keep` stay), then append the new lines from index `keep` on.
    Edit { drop: usize, keep: usize },
    /// Draw every line again.
    Rebuild,
}

/// How many places the overlap search tries (beyond the hint's).
const SEARCH: usize = 4;

/// The plan from `old` (drawn) to `new` lines.
pub fn plan(old: &[Line], new: &[Line], hint: Hint) -> Plan {
    if hint.clear {
        return Plan::Rebuild;
    }
    let mut tried: Vec<usize> = Vec::with_capacity(SEARCH + 2);
    let mut candidates: Vec<usize> = Vec::with_capacity(SEARCH + 2);
    if let Some(n) = hint.appended {
        candidates.push((old.len() + n).saturating_sub(new.len()));
    }
    if new.len() >= old.len() {
        candidates.push(0);
    }
    if let Some(first) = new.first() {
        candidates.extend(
            old.iter()
                .enumerate()
                .filter(|(_, l)| *l == first)
                .map(|(d, _)| d)
                .take(SEARCH),
        );
    } else {
        candidates.push(old.len());
    }
    for d in candidates {
        if d > old.len() || tried.contains(&d) {
            continue;
        }
        tried.push(d);
        let keep = old.len() - d;
        if keep > new.len() || old.get(d..) != new.get(..keep) {
            continue;
        }
        return match (d, keep) {
            (0, k) if k == new.len() => Plan::Same,
            // Nothing kept: emptying the element at once is cheaper.
            (_, 0) if !old.is_empty() => Plan::Rebuild,
            _ => Plan::Edit { drop: d, keep },
        };
    }
    Plan::Rebuild
}

/// The lines a terminal shows: the newest `max` of them.
pub fn visible(lines: &[Line], max: usize) -> &[Line] {
    let skip = lines.len().saturating_sub(max);
    lines.get(skip..).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<Line> {
        texts
            .iter()
            .map(|t| Line {
                text: (*t).to_owned(),
                ..Line::default()
            })
            .collect()
    }

    const NONE: Hint = Hint {
        clear: false,
        appended: None,
    };

    fn appended(n: usize) -> Hint {
        Hint {
            clear: false,
            appended: Some(n),
        }
    }

    #[test]
    fn appending_and_dropping_the_oldest() {
        let old = lines(&["a", "b", "c"]);
        assert_eq!(plan(&old, &old, NONE), Plan::Same);
        let more = lines(&["a", "b", "c", "d"]);
        assert_eq!(
            plan(&old, &more, appended(1)),
            Plan::Edit { drop: 0, keep: 3 }
        );
        assert_eq!(plan(&old, &more, NONE), Plan::Edit { drop: 0, keep: 3 });
        // At max_lines = 3: one in, one out.
        let rolled = lines(&["b", "c", "d"]);
        assert_eq!(
            plan(&old, &rolled, appended(1)),
            Plan::Edit { drop: 1, keep: 2 }
        );
        assert_eq!(plan(&old, &rolled, NONE), Plan::Edit { drop: 1, keep: 2 });
        // Two in, two out.
        let two = lines(&["c", "d", "e"]);
        assert_eq!(
            plan(&old, &two, appended(2)),
            Plan::Edit { drop: 2, keep: 1 }
        );
    }

    #[test]
    fn everything_replaced_or_cleared_is_a_rebuild() {
        let old = lines(&["a", "b"]);
        assert_eq!(plan(&old, &lines(&["x", "y"]), NONE), Plan::Rebuild);
        let cleared = Hint {
            clear: true,
            appended: Some(1),
        };
        assert_eq!(plan(&old, &lines(&["a", "b", "z"]), cleared), Plan::Rebuild);
        assert_eq!(plan(&old, &[], NONE), Plan::Rebuild);
        assert_eq!(plan(&[], &[], NONE), Plan::Same);
        assert_eq!(
            plan(&[], &lines(&["a"]), NONE),
            Plan::Edit { drop: 0, keep: 0 }
        );
        // More appended than max_lines keeps: nothing stays.
        assert_eq!(plan(&old, &lines(&["p", "q"]), appended(5)), Plan::Rebuild);
    }

    #[test]
    fn a_wrong_hint_is_checked_and_not_trusted() {
        let old = lines(&["a", "b", "c"]);
        // A line changed in the middle: no plan keeps it.
        let changed = lines(&["a", "X", "c", "d"]);
        assert_eq!(plan(&old, &changed, appended(1)), Plan::Rebuild);
        // Colour counts as a change.
        let mut bold = lines(&["a", "b", "c", "d"]);
        bold[1].bold = Some(true);
        assert_eq!(plan(&old, &bold, NONE), Plan::Rebuild);
        // The hint is off by one: the search still finds the overlap.
        let rolled = lines(&["b", "c", "d", "e"]);
        assert_eq!(
            plan(&old, &rolled, appended(1)),
            Plan::Edit { drop: 1, keep: 2 }
        );
    }

    #[test]
    fn repeated_lines_still_give_a_correct_plan() {
        let old = lines(&["x", "x", "x"]);
        let new = lines(&["x", "x", "x", "x"]);
        let p = plan(&old, &new, NONE);
        let Plan::Edit { drop, keep } = p else {
            panic!("{p:?}");
        };
        // Whatever overlap was chosen, the result is the new lines.
        let mut drawn: Vec<Line> = old[drop..].to_vec();
        assert_eq!(drawn.len(), keep);
        drawn.extend_from_slice(&new[keep..]);
        assert_eq!(drawn, new);
    }

    #[test]
    fn the_newest_lines_are_shown() {
        let all = lines(&["a", "b", "c"]);
        assert_eq!(visible(&all, 2), &all[1..]);
        assert_eq!(visible(&all, 10), &all[..]);
    }
}
