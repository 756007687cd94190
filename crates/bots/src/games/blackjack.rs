//! `/blackjack`: one player against the dealer. Every card carries `owner`
//! (the ownership shorthand): the player's cards are theirs and face up;
//! the dealer's are the bot's, and the hole card is also
//! `hidden_for_others`, so only the bot knows it until the end, when an
//! `update_card` reveals it to everyone. Chips and the bet are
//! on a HUD; the buttons are enabled only when they make sense (the server
//! refuses a disabled button).
//!
//! The deck (the order of the cards to come) is the bot's secret: it lives
//! in the table's state, kept with the message as the bot's private
//! `bot_state` ([`Games`]), never in the widget.

use serde::{Deserialize, Serialize};

use crate::{
    el, Action, BotResult, Command, Ctx, El, GameBot, GameState, Games, Interaction, UpdateBuilder,
    WidgetBuilder,
};

pub const START_CHIPS: u32 = 100;
const SUITS: [&str; 4] = ["♠", "♥", "♦", "♣"];
const RANKS: [&str; 13] = [
    "A", "2", "3", "4", "5", "6", "7", "8", "9", "10", "J", "Q", "K",
];

/// A card: rank index 0..13 (ace first), suit index 0..4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card(pub u8, pub u8);

impl Card {
    pub fn face(&self) -> String {
        format!(
            "{}{}",
            RANKS[self.0 as usize % 13],
            SUITS[self.1 as usize % 4]
        )
    }
    fn value(&self) -> u32 {
        match self.0 {
            0 => 11,
            r if r >= 9 => 10,
            r => r as u32 + 1,
        }
    }
}

/// The best total of a hand (aces count 11 or 1).
pub fn total(hand: &[Card]) -> u32 {
    let mut t: u32 = hand.iter().map(Card::value).sum();
    let mut aces = hand.iter().filter(|c| c.0 == 0).count();
    while t > 21 && aces > 0 {
        t -= 10;
        aces -= 1;
    }
    t
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Betting,
    Playing,
    Done(Result_),
}

/// How a hand ended, from the player's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Result_ {
    Win,
    Blackjack,
    Push,
    Lose,
    Bust,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveError {
    WrongPhase,
    NoChips,
    NoBet,
}

/// The rules, without any I/O.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Game {
    pub player: i64,
    /// How the player is shown (`user {id}` until the bot names them).
    pub name: String,
    pub chips: u32,
    pub bet: u32,
    pub deck: Vec<Card>,
    pub hand: Vec<Card>,
    pub dealer: Vec<Card>,
    pub phase: Phase,
    /// Cards dealt so far (ids stay unique across hands).
    pub dealt: u32,
    /// The dealer: the bot's own user id (owner of the dealer's cards).
    #[serde(default)]
    pub dealer_id: i64,
}

/// A shuffled deck from `seed` (the last card is dealt first).
pub fn shuffled(seed: u64) -> Vec<Card> {
    let mut deck: Vec<Card> = (0..52).map(|i| Card(i % 13, i / 13)).collect();
    let mut s = seed | 1;
    for i in (1..deck.len()).rev() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        deck.swap(i, (s % (i as u64 + 1)) as usize);
    }
    deck
}

impl Game {
    pub fn new(player: i64, deck: Vec<Card>) -> Game {
        Game {
            player,
            name: crate::fallback_name(player),
            chips: START_CHIPS,
            bet: 0,
            deck,
            hand: Vec::new(),
            dealer: Vec::new(),
            phase: Phase::Betting,
            dealt: 0,
            dealer_id: 0,
        }
    }

    fn draw(&mut self) -> Card {
        if self.deck.is_empty() {
            self.deck = shuffled(u64::from(self.dealt) * 7919 + 1);
        }
        self.dealt += 1;
        self.deck.pop().unwrap_or(Card(0, 0))
    }

    /// Adds `amount` to the bet (betting only).
    pub fn raise(&mut self, amount: u32) -> Result<(), MoveError> {
        if self.phase != Phase::Betting {
            return Err(MoveError::WrongPhase);
        }
        if amount > self.chips {
            return Err(MoveError::NoChips);
        }
        self.chips -= amount;
        self.bet += amount;
        Ok(())
    }

    /// Deals two cards each; a natural 21 settles at once.
    pub fn deal(&mut self) -> Result<(), MoveError> {
        if self.phase != Phase::Betting {
            return Err(MoveError::WrongPhase);
        }
        if self.bet == 0 {
            return Err(MoveError::NoBet);
        }
        self.hand.clear();
        self.dealer.clear();
        for _ in 0..2 {
            let c = self.draw();
            self.hand.push(c);
            let d = self.draw();
            self.dealer.push(d);
        }
        self.phase = Phase::Playing;
        if total(&self.hand) == 21 {
            self.settle(if total(&self.dealer) == 21 {
                Result_::Push
            } else {
                Result_::Blackjack
            });
        }
        Ok(())
    }

    pub fn hit(&mut self) -> Result<(), MoveError> {
        if self.phase != Phase::Playing {
            return Err(MoveError::WrongPhase);
        }
        let c = self.draw();
        self.hand.push(c);
        if total(&self.hand) > 21 {
            self.settle(Result_::Bust);
        }
        Ok(())
    }

    /// The player stands; the dealer draws to 17 and the hand is settled.
    pub fn stand(&mut self) -> Result<(), MoveError> {
        if self.phase != Phase::Playing {
            return Err(MoveError::WrongPhase);
        }
        while total(&self.dealer) < 17 {
            let c = self.draw();
            self.dealer.push(c);
        }
        let (p, d) = (total(&self.hand), total(&self.dealer));
        self.settle(if d > 21 || p > d {
            Result_::Win
        } else if p == d {
            Result_::Push
        } else {
            Result_::Lose
        });
        Ok(())
    }

    fn settle(&mut self, r: Result_) {
        self.chips += match r {
            Result_::Win => self.bet * 2,
            Result_::Blackjack => self.bet * 5 / 2,
            Result_::Push => self.bet,
            Result_::Lose | Result_::Bust => 0,
        };
        self.bet = 0;
        self.phase = Phase::Done(r);
    }

    /// Back to betting after a settled hand.
    pub fn next_hand(&mut self) -> Result<(), MoveError> {
        if !matches!(self.phase, Phase::Done(_)) {
            return Err(MoveError::WrongPhase);
        }
        self.phase = Phase::Betting;
        Ok(())
    }

    /// What the dealer's hand shows everyone: the up card's value and a
    /// `?` for the hole card until the hand is settled, then the total.
    /// Never anything of the hole card before the end.
    pub fn dealer_shows(&self) -> String {
        match (self.phase, self.dealer.first()) {
            (_, None) => "–".into(),
            (Phase::Done(_), _) => total(&self.dealer).to_string(),
            (_, Some(up)) => format!("{} + ?", total(&[*up])),
        }
    }

    /// The player's total (a dash before the deal).
    pub fn hand_shows(&self) -> String {
        if self.hand.is_empty() {
            "–".into()
        } else {
            total(&self.hand).to_string()
        }
    }

    pub fn status(&self) -> String {
        match self.phase {
            Phase::Betting => "Place your bet".into(),
            Phase::Playing => format!("You have {}. Hit or stand?", total(&self.hand)),
            Phase::Done(r) => format!(
                "{} (you {}, dealer {})",
                match r {
                    Result_::Win => "You win!",
                    Result_::Blackjack => "Blackjack!",
                    Result_::Push => "Push.",
                    Result_::Lose => "Dealer wins.",
                    Result_::Bust => "Bust!",
                },
                total(&self.hand),
                total(&self.dealer)
            ),
        }
    }
}

/// The id of the `i`th card of a hand (`p` player, `d` dealer) in hand `n`.
fn card_id(who: &str, n: u32, i: usize) -> String {
    format!("{who}{n}-{i}")
}

fn player_cards(g: &Game) -> Vec<El> {
    g.hand
        .iter()
        .enumerate()
        .map(|(i, c)| el::card(&card_id("p", g.dealt_hand(), i), &c.face()).owner(g.player))
        .collect()
}

fn dealer_cards(g: &Game) -> Vec<El> {
    let done = matches!(g.phase, Phase::Done(_));
    g.dealer
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut card = el::card(&card_id("d", g.dealt_hand(), i), &c.face());
            if g.dealer_id != 0 {
                card = card.owner(g.dealer_id);
            }
            // The hole card: only the bot sees it until the hand is settled.
            if i == 1 && !done {
                card.with("hidden_for_others", true).with("facedown", true)
            } else {
                card
            }
        })
        .collect()
}

impl Game {
    /// A number that changes with every deal (for card ids).
    fn dealt_hand(&self) -> u32 {
        self.dealt
            .saturating_sub(self.hand.len() as u32 + self.dealer.len() as u32)
    }
}

fn buttons(g: &Game) -> Vec<El> {
    let betting = g.phase == Phase::Betting;
    let playing = g.phase == Phase::Playing;
    let done = matches!(g.phase, Phase::Done(_));
    vec![
        el::button("Bet 10", "bet10").with("disabled", !betting || g.chips < 10),
        el::button("Deal", "deal")
            .with("style", "primary")
            .with("disabled", !betting || g.bet == 0),
        el::button("Hit", "hit").with("disabled", !playing),
        el::button("Stand", "stand").with("disabled", !playing),
        el::button("New hand", "again").with("disabled", !done),
    ]
}

fn chips_bar(g: &Game) -> El {
    el::bar("Chips", g.chips as f64, START_CHIPS as f64 * 3.0).with("color", "gold")
}

fn hud(g: &Game) -> UpdateBuilder {
    UpdateBuilder::new()
        .set_bar(chips_bar(g))
        .set_stat("Dealer", g.dealer_shows())
        .set_stat("Hand", g.hand_shows())
        .set_stat("Chips", g.chips)
        .set_stat("Bet", g.bet)
        .set_stat("Status", g.status())
}

/// The table as a whole.
pub fn widget(g: &Game) -> WidgetBuilder {
    WidgetBuilder::composite("vertical")
        .child(
            "dealer",
            WidgetBuilder::cards("hand").set("cards", dealer_cards(g)),
        )
        .child(
            "player",
            WidgetBuilder::cards("hand").set("cards", player_cards(g)),
        )
        .child(
            "hud",
            WidgetBuilder::hud()
                .push("bars", chips_bar(g))
                .push("stats", el::stat("Player", &g.name))
                .push("stats", el::stat("Hand", g.hand_shows()))
                .push("stats", el::stat("Dealer", g.dealer_shows()))
                .push("stats", el::stat("Chips", g.chips))
                .push("stats", el::stat("Bet", g.bet))
                .push("stats", el::stat("Status", g.status())),
        )
        .child(
            "controls",
            WidgetBuilder::interactive().set("components", buttons(g)),
        )
        .players(&[(g.player, &g.name)])
}

impl GameState for Game {
    const KIND: &'static str = "blackjack";
}

/// The bot: one table per message, kept with the message.
#[derive(Default)]
pub struct Blackjack {
    pub games: Games<Game>,
}

impl GameBot for Blackjack {
    fn name(&self) -> String {
        "blackjack-bot".into()
    }
    fn commands(&self) -> Vec<String> {
        vec!["blackjack".into()]
    }

    fn on_command(&mut self, ctx: &mut Ctx, cmd: &Command) -> BotResult<()> {
        let mut g = Game::new(cmd.user_id, shuffled(cmd.message_id as u64 * 31 + 17));
        g.name = ctx.user_name(cmd.user_id);
        g.dealer_id = ctx.user_id();
        let text = format!(
            "Blackjack: {}, beat the dealer without going over 21",
            g.name
        );
        self.games.post(ctx, &cmd.topic, &text, &widget(&g), g)?;
        Ok(())
    }

    fn on_interaction(&mut self, ctx: &mut Ctx, ev: &Interaction) -> BotResult<()> {
        let Some(Action::ButtonClick { action }) = &ev.action else {
            return Ok(());
        };
        let id = ev.message_id;
        // From memory, or from the server after a restart.
        let Some(g) = self.games.get(ctx, id)? else {
            return Ok(());
        };
        if ev.user_id != g.player {
            return Ok(());
        }
        let before_cards = (g.hand.len(), g.dealer.len());
        let r = match action.as_str() {
            "bet10" => g.raise(10),
            "deal" => g.deal(),
            "hit" => g.hit(),
            "stand" => g.stand(),
            "again" => g.next_hand(),
            _ => return Ok(()),
        };
        if r.is_err() {
            // Refused by the rules: nothing changed.
            return Ok(());
        }
        if action == "deal" {
            // A new hand: the whole table is replaced.
            let w = widget(g);
            self.games.replace(ctx, id, &w)?;
            return Ok(());
        }
        let mut u = UpdateBuilder::new()
            .child("hud", hud(g))
            .child("controls", UpdateBuilder::new().set_components(buttons(g)));
        if action == "hit" || action == "stand" {
            let mut p = UpdateBuilder::new();
            for c in player_cards(g).into_iter().skip(before_cards.0) {
                p = p.add_card(c);
            }
            let mut d = UpdateBuilder::new();
            let dealer = dealer_cards(g);
            for c in dealer.iter().skip(before_cards.1).cloned() {
                d = d.add_card(c);
            }
            if matches!(g.phase, Phase::Done(_)) {
                // The showdown: the hole card is revealed to everyone.
                if let Some(hole) = dealer.get(1) {
                    d = d.update_card(
                        hole.clone()
                            .with("hidden_for_others", false)
                            .with("facedown", false),
                    );
                }
            }
            if !p.is_empty() {
                u = u.child("player", p);
            }
            if !d.is_empty() {
                u = u.child("dealer", d);
            }
        }
        self.games.update(ctx, id, &u)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(cards: &[(u8, u8)]) -> Vec<Card> {
        // Dealt from the end: write the deck in dealing order.
        cards.iter().rev().map(|(r, s)| Card(*r, *s)).collect()
    }

    #[test]
    fn totals_count_aces_both_ways() {
        assert_eq!(total(&[Card(0, 0), Card(12, 0)]), 21);
        assert_eq!(total(&[Card(0, 0), Card(0, 1), Card(8, 0)]), 21);
        assert_eq!(total(&[Card(9, 0), Card(10, 0), Card(1, 0)]), 22);
    }

    #[test]
    fn a_hand_is_bet_dealt_played_and_settled() {
        // player 10, dealer 9, player 7, dealer 7 (hole), then dealer draws 5.
        let mut g = Game::new(1, deck(&[(9, 0), (8, 0), (6, 0), (6, 1), (4, 2)]));
        assert_eq!(g.deal(), Err(MoveError::NoBet));
        assert_eq!(g.hit(), Err(MoveError::WrongPhase));
        g.raise(10).expect("bet");
        assert_eq!(g.chips, 90);
        g.deal().expect("deal");
        assert_eq!(total(&g.hand), 17);
        assert_eq!(g.raise(10), Err(MoveError::WrongPhase));
        g.stand().expect("stand");
        // Dealer 16 draws a 5: 21 beats 17.
        assert_eq!(g.phase, Phase::Done(Result_::Lose));
        assert_eq!(g.chips, 90);
        g.next_hand().expect("again");
        assert_eq!(g.phase, Phase::Betting);
    }

    #[test]
    fn bust_and_blackjack_pay_as_they_should() {
        let mut g = Game::new(1, deck(&[(9, 0), (1, 0), (9, 1), (1, 1), (9, 2)]));
        g.raise(10).expect("bet");
        g.deal().expect("deal");
        g.hit().expect("hit");
        assert_eq!(g.phase, Phase::Done(Result_::Bust));
        let mut g = Game::new(1, deck(&[(0, 0), (1, 0), (12, 1), (1, 1)]));
        g.raise(10).expect("bet");
        g.deal().expect("deal");
        assert_eq!(g.phase, Phase::Done(Result_::Blackjack));
        assert_eq!(g.chips, 115);
    }

    #[test]
    fn the_hud_shows_the_up_card_only_until_the_end() {
        // player 10, dealer 9, player 7, dealer K (hole).
        let mut g = Game::new(1, deck(&[(9, 0), (8, 0), (6, 0), (12, 1)]));
        assert_eq!(
            (g.dealer_shows().as_str(), g.hand_shows().as_str()),
            ("–", "–")
        );
        g.raise(10).expect("bet");
        g.deal().expect("deal");
        assert_eq!(g.dealer_shows(), "9 + ?");
        assert_eq!(g.hand_shows(), "17");
        let w = widget(&g).build().expect("valid");
        let stats = &w["extra_data"]["widgets"][2]["stats"];
        assert_eq!(
            stats[2],
            serde_json::json!({"label": "Dealer", "value": "9 + ?"})
        );
        g.stand().expect("stand");
        assert_eq!(g.dealer_shows(), "19");
        let u = hud(&g).to_value();
        assert_eq!(u["set_bar"][0]["color"], "gold", "{u}");
    }

    #[test]
    fn the_hole_card_is_hidden_until_the_end() {
        let mut g = Game::new(1, shuffled(5));
        g.raise(10).expect("bet");
        g.deal().expect("deal");
        if g.phase == Phase::Playing {
            assert_eq!(dealer_cards(&g)[1].0["hidden_for_others"], true);
            g.stand().expect("stand");
        }
        assert!(dealer_cards(&g)
            .iter()
            .all(|c| c.0.get("hidden_for_others").is_none()));
        widget(&g).build().expect("valid");
    }
}
