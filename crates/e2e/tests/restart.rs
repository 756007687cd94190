//! The server dies (SIGKILL) in the middle of a game and comes back: the
//! pages reconnect by themselves, keep what they showed, and play on; the
//! bot (embedded, so it died too) picks the game up from the state it
//! keeps with the message, so the moves made before the restart still
//! count and X wins on a line begun before it.

use std::time::{Duration, Instant};

use serde_json::json;
use tulip_e2e::{host_css, wait_until, Harness, Transport, DEFAULT_TIMEOUT};

/// Reconnecting waits out a backoff (with jitter) after each failed try.
const RECONNECT: Duration = Duration::from_secs(40);

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn server_restart_mid_game_recovers() {
    let mut h = Harness::new("server_restart_mid_game_recovers");
    let topic = h.unique_topic("restart");
    let alice = h.browser("alice");
    let bob = h.browser("bob");
    alice.open_chat(&h.server, "alice", &topic, Transport::WebSocket);
    bob.open_chat(&h.server, "bob", &topic, Transport::LongPoll);
    let pages = [
        (&*alice, Transport::WebSocket),
        (&*bob, Transport::LongPoll),
    ];

    alice.send_message("/tictactoe @bob");
    let game = alice.wait_grid_message();
    assert_eq!(bob.wait_grid_message(), game);
    alice.click_cell(&game, 0, 0);
    for (b, _) in pages {
        b.wait_cell(&game, 0, 0, "X");
    }
    bob.click_cell(&game, 0, 1);
    for (b, _) in pages {
        b.wait_cell(&game, 0, 1, "O");
    }

    let version = alice.wait_version(&game, "shown", |_| true);
    bob.wait_version(&game, &format!("= {version}"), |v| v == version);

    // A mark in each page's JavaScript world: a reload would lose it.
    for (b, _) in pages {
        b.execute("window.__tulipE2eNoReload = true;", &[]);
    }

    let killed = Instant::now();
    h.server.kill();
    for (b, _) in pages {
        b.wait_state("reconnecting", RECONNECT);
        eprintln!(
            "[{}] reconnecting after {} ms",
            b.name,
            killed.elapsed().as_millis()
        );
    }
    let started = Instant::now();
    h.server.start_again();
    for (b, t) in pages {
        b.wait_connected(t, RECONNECT);
        eprintln!(
            "[{}] connected again {} ms after the server started again",
            b.name,
            started.elapsed().as_millis()
        );
        let same_page = b.execute("return window.__tulipE2eNoReload === true;", &[]);
        assert_eq!(same_page, json!(true), "[{}] the page was reloaded", b.name);
    }

    // What they showed is still there.
    for (b, _) in pages {
        b.wait_cell(&game, 0, 0, "X");
        b.wait_cell(&game, 0, 1, "O");
        b.wait_version(&game, &format!("= {version}"), |v| v == version);
    }

    // And the game goes on: X's next move reaches both pages. The server's
    // counters tell apart a move the page never sent (or the server
    // refused) from one the bot did not answer.
    let metric = |name: &str| h.server.metric(name).unwrap_or(0.0);
    let (interactions, updates) = (
        metric("tulip_interactions_total"),
        metric("tulip_widget_updates_total"),
    );
    alice.click_cell(&game, 1, 0);
    wait_until(
        "the server to accept alice's move after the restart (tulip_interactions_total)",
        DEFAULT_TIMEOUT,
        || metric("tulip_interactions_total") > interactions,
    );
    wait_until(
        "the bot to answer alice's move after the restart (tulip_widget_updates_total): \
         does the tictactoe bot still know the game after a restart?",
        DEFAULT_TIMEOUT,
        || metric("tulip_widget_updates_total") > updates,
    );
    for (b, _) in pages {
        b.wait_cell(&game, 1, 0, "X");
    }
    bob.click_cell(&game, 1, 1);
    for (b, _) in pages {
        b.wait_cell(&game, 1, 1, "O");
    }
    // (0,0) was played before the restart: (2,0) completes the top row.
    alice.click_cell(&game, 2, 0);
    for (b, _) in pages {
        b.wait_cell(&game, 2, 0, "X");
        let text = b.wait_text(&host_css(&game), "saying X won", |t| t.contains("(X) wins"));
        assert!(!text.contains("(O) wins"), "[{}] {text}", b.name);
    }
}
