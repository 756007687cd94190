//! Reading a card's face text: a playing card ("A♠", "10♥", "♦Q") gets
//! its rank and suit drawn apart and a spoken name ("Ace of spades");
//! anything else ("Wild +4", "🐉") is drawn and spoken as written.

/// The four French suits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suit {
    Spades,
    Hearts,
    Diamonds,
    Clubs,
}

impl Suit {
    fn from_char(c: char) -> Option<Suit> {
        match c {
            '♠' | '♤' => Some(Suit::Spades),
            '♥' | '♡' => Some(Suit::Hearts),
            '♦' | '♢' => Some(Suit::Diamonds),
            '♣' | '♧' => Some(Suit::Clubs),
            _ => None,
        }
    }

    /// Hearts and diamonds are drawn red (and always with their symbol).
    pub fn is_red(self) -> bool {
        matches!(self, Suit::Hearts | Suit::Diamonds)
    }

    /// The filled symbol, whichever form the face used.
    pub fn symbol(self) -> &'static str {
        match self {
            Suit::Spades => "♠",
            Suit::Hearts => "♥",
            Suit::Diamonds => "♦",
            Suit::Clubs => "♣",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Suit::Spades => "spades",
            Suit::Hearts => "hearts",
            Suit::Diamonds => "diamonds",
            Suit::Clubs => "clubs",
        }
    }
}

/// A face read as a playing card: a short rank and a suit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayingCard {
    pub rank: String,
    pub suit: Suit,
}

/// The longest rank a face may have to be read as a playing card ("10").
const MAX_RANK_CHARS: usize = 3;

/// `Some` when `face` is a rank and a suit symbol, in either order
/// (spaces and an emoji variation selector allowed).
pub fn playing_card(face: &str) -> Option<PlayingCard> {
    let t: String = face.chars().filter(|&c| c != '\u{fe0f}').collect();
    let t = t.trim();
    let first = t.chars().next()?;
    let last = t.chars().next_back()?;
    let (suit, rank) = if let Some(s) = Suit::from_char(last) {
        (s, t.strip_suffix(last)?)
    } else if let Some(s) = Suit::from_char(first) {
        (s, t.strip_prefix(first)?)
    } else {
        return None;
    };
    let rank = rank.trim();
    let n = rank.chars().count();
    if n == 0 || n > MAX_RANK_CHARS || rank.chars().any(|c| Suit::from_char(c).is_some()) {
        return None;
    }
    Some(PlayingCard {
        rank: rank.to_owned(),
        suit,
    })
}

/// Whether any red suit symbol appears in `face` (red is never the only
/// cue: the symbol is drawn too).
pub fn has_red_suit(face: &str) -> bool {
    face.chars().filter_map(Suit::from_char).any(Suit::is_red)
}

/// The spoken name of a rank: "A" is "Ace", "10" stays "10".
fn rank_name(rank: &str) -> String {
    match rank.to_ascii_uppercase().as_str() {
        "A" => "Ace".to_owned(),
        "K" => "King".to_owned(),
        "Q" => "Queen".to_owned(),
        "J" => "Jack".to_owned(),
        "T" => "10".to_owned(),
        _ => rank.to_owned(),
    }
}

/// What a screen reader says for a face-up card with this text.
pub fn spoken(face: &str) -> String {
    match playing_card(face) {
        Some(p) => format!("{} of {}", rank_name(&p.rank), p.suit.name()),
        None => face.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playing_cards_are_read_in_either_order() {
        let a = playing_card("A♠").unwrap();
        assert_eq!((a.rank.as_str(), a.suit), ("A", Suit::Spades));
        let t = playing_card(" 10♥ ").unwrap();
        assert_eq!((t.rank.as_str(), t.suit), ("10", Suit::Hearts));
        let q = playing_card("♦Q").unwrap();
        assert_eq!((q.rank.as_str(), q.suit), ("Q", Suit::Diamonds));
        let e = playing_card("K♥\u{fe0f}").unwrap();
        assert_eq!(e.suit, Suit::Hearts);
        assert_eq!(playing_card("7♧").unwrap().suit, Suit::Clubs);
    }

    #[test]
    fn other_faces_are_not_playing_cards() {
        for f in ["", "♠", "Wild +4", "🐉", "Draw♠", "♠♠", "ABCD♥"] {
            assert_eq!(playing_card(f), None, "{f:?}");
        }
    }

    #[test]
    fn red_suits_and_spoken_names() {
        assert!(has_red_suit("10♥") && has_red_suit("♢ 3") && has_red_suit("Heart ♥ bonus"));
        assert!(!has_red_suit("A♠") && !has_red_suit("Wild"));
        assert!(Suit::Diamonds.is_red() && !Suit::Clubs.is_red());
        assert_eq!(spoken("A♠"), "Ace of spades");
        assert_eq!(spoken("10♥"), "10 of hearts");
        assert_eq!(spoken("q♦"), "Queen of diamonds");
        assert_eq!(spoken("  Wild +4 "), "Wild +4");
        assert_eq!(Suit::Hearts.symbol(), "♥");
    }
}
