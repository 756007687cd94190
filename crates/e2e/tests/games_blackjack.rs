//! Blackjack from the chat: alice plays a whole hand (bet, deal, hit,
//! stand) on a 360 px phone in the dark theme, bob watches on a desktop.
//! The dealer's hole card is in neither page (nor in what the server sends
//! either of them) until the hand is settled; then it is turned face up in
//! both.

mod games_support;

use games_support::{
    button, click_and_wait, click_refused, emulate, is_disabled, page_html, shot, show, stat,
    wait_widget_text, within, Look, Table,
};
use serde_json::Value;
use tulip_e2e::{wait_ok, Browser, DEFAULT_TIMEOUT};

/// The card elements of hand `hand` (`dealer` or `player`) in `b`, in hand
/// order: `(id, accessible name, face down)`. Ghosts of removed cards
/// carry no `data-card-id` and are not counted.
fn cards(b: &Browser, game: &str, hand: &str) -> Vec<(String, String, bool)> {
    let v = b.execute(
        "return Array.from(document.querySelectorAll(arguments[0]))\
           .sort((a, b) => Number(a.dataset.cardIndex) - Number(b.dataset.cardIndex))\
           .map(e => [e.dataset.cardId, e.getAttribute('aria-label'),\
                      e.classList.contains('tulip-card--down') && e.querySelector('.tulip-card__front') === null]);",
        &[Value::String(within(
            game,
            &format!("[data-child=\"{hand}\"] [data-card-id]"),
        ))],
    );
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    (
                        c[0].as_str().unwrap_or_default().to_owned(),
                        c[1].as_str().unwrap_or_default().to_owned(),
                        c[2].as_bool().unwrap_or(false),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Waits until `b` shows `n` cards in `hand`.
fn wait_cards(b: &Browser, game: &str, hand: &str, n: usize) -> Vec<(String, String, bool)> {
    wait_ok(
        &format!("[{}] {n} cards in the {hand}'s hand", b.name),
        DEFAULT_TIMEOUT,
        || {
            let c = cards(b, game, hand);
            if c.len() == n {
                Ok(c)
            } else {
                Err(format!("{c:?}"))
            }
        },
    )
}

/// The dealer's cards as the server shows them to the user with `key`.
fn server_dealer(t: &Table, key: &str, game: &str) -> Vec<Value> {
    games_support::child(&t.widget(key, game), "dealer")["cards"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn blackjack_hole_card_stays_secret_until_the_showdown() {
    let t = Table::new("blackjack_hole_card_stays_secret_until_the_showdown", "bj");
    emulate(
        &t.alice,
        Look {
            dark: true,
            width: Some(360),
            ..Look::default()
        },
    );
    let (alice, bob) = (&*t.alice, &*t.bob);
    let game = t.start(alice, "/blackjack", "[data-child=\"dealer\"]");
    for b in t.both() {
        wait_widget_text(b, &game, "Place your bet");
        assert!(cards(b, &game, "dealer").is_empty(), "[{}]", b.name);
        assert!(is_disabled(b, &button(&game, "hit")), "[{}] hit", b.name);
    }

    // Bob watches: his press is refused, nothing changes.
    let notice = click_refused(bob, &game, &button(&game, "bet10"));
    eprintln!("[bob] notice: {notice}");

    click_and_wait(alice, &game, &button(&game, "bet10"));
    click_and_wait(alice, &game, &button(&game, "bet10"));
    t.in_sync(&game);
    let w = t.widget(&t.bob_key, &game);
    assert_eq!(stat(&w, "hud", "Bet").as_f64(), Some(20.0), "{w}");
    assert_eq!(stat(&w, "hud", "Chips").as_f64(), Some(80.0), "{w}");
    for b in t.both() {
        wait_widget_text(b, &game, "Bet20");
    }

    // Deal until a hand is in play (a natural 21 settles at once; the deck
    // is the same in every run, but the test does not rely on it).
    let mut hands = 0;
    loop {
        hands += 1;
        assert!(hands <= 5, "five naturals in a row?");
        click_and_wait(alice, &game, &button(&game, "deal"));
        t.in_sync(&game);
        let w = t.widget(&t.alice_key, &game);
        if stat(&w, "hud", "Status")
            .as_str()
            .is_some_and(|s| s.contains("Hit or stand"))
        {
            break;
        }
        click_and_wait(alice, &game, &button(&game, "again"));
        click_and_wait(alice, &game, &button(&game, "bet10"));
    }

    // In play: two cards each; the hole card is face down, faceless, in
    // both pages and in what the server sends each of them.
    let mut before = Vec::new();
    for (b, key) in [(alice, &t.alice_key), (bob, &t.bob_key)] {
        let dealer = wait_cards(b, &game, "dealer", 2);
        assert!(!dealer[0].2, "[{}] the up card is face up", b.name);
        assert!(dealer[1].2, "[{}] the hole card: {:?}", b.name, dealer[1]);
        assert_eq!(dealer[1].1, "Face-down card", "[{}]", b.name);
        let player = wait_cards(b, &game, "player", 2);
        assert!(player.iter().all(|c| !c.2), "[{}] {player:?}", b.name);
        let hole = &server_dealer(&t, key, &game)[1];
        assert!(hole.get("face").is_none(), "[{}] {hole}", b.name);
        assert_eq!(hole["facedown"], true);
        wait_widget_text(b, &game, "+ ?");
        before.push((
            b.name.clone(),
            page_html(b),
            t.widget(key, &game).to_string(),
        ));
    }
    show(alice, &game);
    shot(alice, "blackjack-dealt");
    shot(bob, "blackjack-dealt");

    // Alice hits once: a third card reaches both pages.
    click_and_wait(alice, &game, &button(&game, "hit"));
    t.in_sync(&game);
    for b in t.both() {
        wait_cards(b, &game, "player", 3);
    }
    if !is_disabled(alice, &button(&game, "stand")) {
        click_and_wait(alice, &game, &button(&game, "stand"));
    }
    t.in_sync(&game);

    // Settled: both pages say how it ended, the hole card is face up in
    // both, with the face the server now shows everyone.
    let w = t.widget(&t.bob_key, &game);
    let status = stat(&w, "hud", "Status").as_str().unwrap_or("").to_owned();
    assert!(status.contains("dealer"), "{status}");
    let face = server_dealer(&t, &t.bob_key, &game)[1]["face"]
        .as_str()
        .unwrap_or_else(|| panic!("the hole card is revealed to bob: {w}"))
        .to_owned();
    let mut spoken = String::new();
    for b in t.both() {
        wait_widget_text(b, &game, &status);
        let dealer = cards(b, &game, "dealer");
        assert!(dealer.len() >= 2, "[{}] {dealer:?}", b.name);
        assert!(!dealer[1].2, "[{}] hole card turned: {dealer:?}", b.name);
        spoken = dealer[1].1.clone();
        assert_ne!(spoken, "Face-down card");
        assert!(is_disabled(b, &button(&game, "hit")), "[{}] hit", b.name);
        assert!(
            !is_disabled(b, &button(&game, "again")),
            "[{}] again",
            b.name
        );
    }
    eprintln!("{status}; the hole card was {face} ({spoken})");
    show(alice, &game);
    shot(alice, "blackjack-settled");
    shot(bob, "blackjack-settled");

    // Before the showdown, neither page nor anything the server sent them
    // held the hole card (a single deck: no other card has that face).
    for (name, html, api) in &before {
        assert!(
            !html.contains(&spoken),
            "[{name}] the page held {spoken:?} before the showdown"
        );
        assert!(
            !api.contains(&format!("\"{face}\"")),
            "[{name}] the server sent {face} before the showdown: {api}"
        );
    }
}
