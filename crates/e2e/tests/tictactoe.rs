//! Two users play tic-tac-toe against each other in the chat page, each in
//! a browser of their own, through the real server and its demo bot.

use std::time::{Duration, Instant};

use tulip_e2e::{host_css, Browser, Harness, Transport, DEFAULT_TIMEOUT};

/// A move: who plays, where, and the mark it leaves.
struct Move<'a> {
    player: &'a Browser,
    x: u32,
    y: u32,
    mark: &'a str,
}

/// The version every page of `all` shows of the widget, once they agree.
fn agreed_version(game: &str, all: &[&Browser]) -> u64 {
    let first = all[0].wait_version(game, "shown", |_| true);
    for b in &all[1..] {
        b.wait_version(
            game,
            &format!("= {first} (as in {}'s page)", all[0].name),
            |v| v == first,
        );
    }
    first
}

/// `player` plays at (`x`, `y`); the mark appears in every page of `all`,
/// and every page gets the server's new version (the mover's own page does
/// not just show its prediction).
fn play(game: &str, m: &Move, all: &[&Browser]) {
    let before = agreed_version(game, all);
    let start = Instant::now();
    m.player.click_cell(game, m.x, m.y);
    for b in all {
        b.wait_cell(game, m.x, m.y, m.mark);
        eprintln!(
            "{} at ({},{}) shown to {} after {} ms (polled every 75 ms)",
            m.mark,
            m.x,
            m.y,
            b.name,
            start.elapsed().as_millis()
        );
        b.wait_version(game, &format!("> {before}"), |v| v > before);
    }
    agreed_version(game, all);
}

/// `player` clicks (`x`, `y`) out of turn: a notice says so, the cell stays
/// empty in every page.
fn refused(game: &str, player: &Browser, x: u32, y: u32, all: &[&Browser]) {
    let notice = format!("{} [data-testid=notice]", host_css(game));
    // A notice from before would hide this one: wait for it to go.
    tulip_e2e::wait_until(
        &format!("[{}] no notice shown", player.name),
        DEFAULT_TIMEOUT,
        || player.count(&notice) == 0,
    );
    let before = agreed_version(game, all);
    player.click_cell(game, x, y);
    let text = player.wait_text(&notice, "saying it is not their turn", |t| {
        t.to_lowercase().contains("turn")
    });
    eprintln!("[{}] notice: {text}", player.name);
    for b in all {
        b.wait_cell(game, x, y, "");
        // Nothing changed on the server.
        b.wait_version(game, &format!("= {before}"), |v| v == before);
    }
}

/// The whole game: alice (X) against bob (O), X wins the top row.
/// `transports` are alice's and bob's.
fn whole_game(test: &str, alice_t: Transport, bob_t: Transport) {
    let h = Harness::new(test);
    let topic = h.unique_topic("ttt");
    let alice = h.browser("alice");
    let bob = h.browser("bob");
    alice.open_chat(&h.server, "alice", &topic, alice_t);
    bob.open_chat(&h.server, "bob", &topic, bob_t);
    let both = [&*alice, &*bob];

    // `@bob` names the second seat; bob takes it with his first move.
    alice.send_message("/tictactoe @bob");
    let game = alice.wait_grid_message();
    assert_eq!(
        bob.wait_grid_message(),
        game,
        "both pages show the same game"
    );
    for b in both {
        for (x, y) in (0..3).flat_map(|y| (0..3).map(move |x| (x, y))) {
            b.wait_cell(&game, x, y, "");
        }
    }

    // X moves first: bob is refused.
    refused(&game, &bob, 2, 2, &both);

    let mv = |player, x, y, mark| Move { player, x, y, mark };
    play(&game, &mv(&alice, 0, 0, "X"), &both);
    play(&game, &mv(&bob, 0, 1, "O"), &both);
    // Both seats are taken now; it is X's turn again, then O's.
    play(&game, &mv(&alice, 1, 0, "X"), &both);
    refused(&game, &alice, 2, 2, &both);
    play(&game, &mv(&bob, 1, 1, "O"), &both);
    play(&game, &mv(&alice, 2, 0, "X"), &both);

    // Both see the outcome.
    for b in both {
        let text = b.wait_text(&host_css(&game), "saying X won", |t| t.contains("(X) wins"));
        assert!(!text.contains("(O) wins"), "[{}] {text}", b.name);
        b.wait_cell(&game, 2, 2, "");
    }

    // And the game is over: a late move is refused and changes nothing.
    bob.click_cell(&game, 2, 2);
    std::thread::sleep(Duration::from_millis(800));
    for b in both {
        b.wait_cell(&game, 2, 2, "");
    }
}

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn tictactoe_two_players_websocket() {
    whole_game(
        "tictactoe_two_players_websocket",
        Transport::WebSocket,
        Transport::WebSocket,
    );
}

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn tictactoe_two_players_long_poll() {
    whole_game(
        "tictactoe_two_players_long_poll",
        Transport::LongPoll,
        Transport::LongPoll,
    );
}
