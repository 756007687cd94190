//! The leaderboard's paging controls, as plain data: which page is shown,
//! where "Previous" and "Next" lead (or that they are disabled), and what
//! the indicator says.

/// The paging controls for one state of a leaderboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The page shown, from 1.
    pub page: u32,
    /// The number of pages, when the bot says.
    pub total: Option<u32>,
    /// Where "Previous" leads; `None`: disabled (on the first page).
    pub prev: Option<u32>,
    /// Where "Next" leads; `None`: disabled (on the last page). Without
    /// `total_pages` the last page is unknown, so "Next" stays enabled.
    pub next: Option<u32>,
    /// Whether there are buttons at all (`on_page_change: true`).
    pub buttons: bool,
}

impl Paging {
    /// The controls for `page` of `total` pages. `page` defaults to 1 and is
    /// kept within 1..=total.
    pub fn of(page: Option<u32>, total: Option<u32>, on_page_change: bool) -> Paging {
        let total = total.map(|t| t.max(1));
        let page = page.unwrap_or(1).max(1);
        let page = total.map_or(page, |t| page.min(t));
        Paging {
            page,
            total,
            prev: (page > 1).then(|| page - 1),
            next: match total {
                Some(t) => (page < t).then(|| page + 1),
                None => page.checked_add(1),
            },
            buttons: on_page_change,
        }
    }

    /// Whether the paging row is drawn: with buttons, or when there is more
    /// than one page, or the bot names the page.
    pub fn shown(&self, page_given: bool) -> bool {
        self.buttons || self.total.is_some_and(|t| t > 1) || page_given
    }

    /// The indicator: "Page 2 of 5", or "Page 2" when the total is unknown.
    pub fn label(&self) -> String {
        match self.total {
            Some(t) => format!("Page {} of {t}", self.page),
            None => format!("Page {}", self.page),
        }
    }
}

/// The page the player asked for and has not received yet: the version it
/// was asked at and the page. It is waiting while the widget is still at
/// that version (the bot answers with `set_page`, a new version).
pub fn waiting_for(requested: Option<(u64, u32)>, seq: u64) -> Option<u32> {
    requested.filter(|(at, _)| *at == seq).map(|(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ends_disable_their_button() {
        let first = Paging::of(Some(1), Some(3), true);
        assert_eq!((first.prev, first.next), (None, Some(2)));
        let mid = Paging::of(Some(2), Some(3), true);
        assert_eq!((mid.prev, mid.next), (Some(1), Some(3)));
        let last = Paging::of(Some(3), Some(3), true);
        assert_eq!((last.prev, last.next), (Some(2), None));
        let one = Paging::of(None, Some(1), true);
        assert_eq!((one.page, one.prev, one.next), (1, None, None));
    }

    #[test]
    fn page_defaults_to_one_and_stays_within_the_total() {
        assert_eq!(Paging::of(None, None, false).page, 1);
        assert_eq!(Paging::of(Some(0), None, false).page, 1);
        assert_eq!(Paging::of(Some(9), Some(4), true).page, 4);
        assert_eq!(Paging::of(Some(2), Some(0), true).page, 1);
    }

    #[test]
    fn without_a_total_next_stays_enabled() {
        let p = Paging::of(Some(4), None, true);
        assert_eq!((p.prev, p.next), (Some(3), Some(5)));
        assert_eq!(p.label(), "Page 4");
        assert_eq!(Paging::of(Some(u32::MAX), None, true).next, None);
    }

    #[test]
    fn the_row_and_its_words() {
        assert_eq!(Paging::of(Some(2), Some(5), false).label(), "Page 2 of 5");
        assert!(!Paging::of(None, None, false).shown(false));
        assert!(!Paging::of(None, Some(1), false).shown(false));
        assert!(Paging::of(None, Some(2), false).shown(false));
        assert!(Paging::of(Some(1), None, false).shown(true));
        assert!(Paging::of(None, None, true).shown(false));
    }

    #[test]
    fn a_request_waits_until_the_next_version() {
        assert_eq!(waiting_for(Some((4, 3)), 4), Some(3));
        assert_eq!(waiting_for(Some((4, 3)), 5), None, "the bot answered");
        assert_eq!(waiting_for(None, 4), None);
    }
}
