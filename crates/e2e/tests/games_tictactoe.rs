//! Tic-tac-toe to a draw from the chat (tests/tictactoe.rs plays a win and
//! the out-of-turn refusals), with chat in between: messages sent while
//! the game runs must not disturb it (the game's element stays the same
//! node, at the server's version, in both pages), and a page reloaded
//! mid-game shows the game as it is. A click after the draw is refused.

mod games_support;

use games_support::{click_refused, shot, show, wait_widget_text, Table};
use serde_json::json;
use tulip_e2e::{cell_css, host_css, Browser, Transport};

/// Marks the widget element of `game` in `b`'s page, to tell later whether
/// it is still the same node (a remounted widget is a new element).
fn tag(b: &Browser, game: &str) {
    b.execute(
        "document.querySelector(arguments[0]).dataset.e2eTag = 'kept';",
        &[json!(host_css(game))],
    );
}

/// Waits until `b` shows a message from `who` saying `text`.
fn wait_chat(b: &Browser, who: &str, text: &str) {
    tulip_e2e::wait_until(
        &format!("[{}] {who}'s message {text:?}", b.name),
        tulip_e2e::DEFAULT_TIMEOUT,
        || {
            b.execute(
                "return Array.from(document.querySelectorAll(arguments[0]))\
                   .some(m => m.textContent.trim() === arguments[1]);",
                &[
                    json!(format!(
                        "[data-testid=message][data-sender=\"{who}\"] [data-testid=message-content]"
                    )),
                    json!(text),
                ],
            )
            .as_bool()
            .unwrap_or(false)
        },
    );
}

fn still_tagged(b: &Browser, game: &str) -> bool {
    b.attr_of(&host_css(game), "data-e2e-tag").as_deref() == Some("kept")
}

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn tictactoe_draw_with_chat_in_between() {
    let t = Table::new("tictactoe_draw_with_chat_in_between", "draw");
    let (alice, bob) = (&*t.alice, &*t.bob);
    let game = t.start(alice, "/tictactoe @bob", "[role=grid]");
    let x = (alice, "X");
    let o = (bob, "O");
    // A draw: X O X / X X O / O X X ... in this order.
    let moves = [
        (x, 1, 1),
        (o, 0, 0),
        (x, 2, 0),
        (o, 0, 2),
        (x, 0, 1),
        (o, 2, 1),
        (x, 1, 2),
        (o, 1, 0),
        (x, 2, 2),
    ];
    for b in t.both() {
        tag(b, &game);
    }
    for (i, ((player, mark), cx, cy)) in moves.into_iter().enumerate() {
        let before = t.in_sync(&game);
        player.click_cell(&game, cx, cy);
        for b in t.both() {
            b.wait_cell(&game, cx, cy, mark);
            b.wait_version(&game, &format!("> {before}"), |v| v > before);
        }
        if i == 2 {
            // Chat while the game runs: both messages reach both pages and
            // the game stays as it is, the same element in both.
            bob.send_message("nice opening");
            alice.send_message("thanks!");
            for b in t.both() {
                for (who, text) in [("bob", "nice opening"), ("alice", "thanks!")] {
                    wait_chat(b, who, text);
                }
            }
            t.in_sync(&game);
            for b in t.both() {
                assert!(
                    still_tagged(b, &game),
                    "[{}] the game was remounted",
                    b.name
                );
                b.wait_cell(&game, 2, 0, "X");
            }
        }
        if i == 4 {
            // Bob reloads: the history shows the game as it is now.
            bob.navigate("about:blank");
            bob.open_chat(t.server(), "bob", &t.topic, Transport::LongPoll);
            t.in_sync(&game);
            wait_chat(bob, "alice", "thanks!");
            for &((_, mark), mx, my) in &moves[..=i] {
                bob.wait_cell(&game, mx, my, mark);
            }
        }
    }
    t.in_sync(&game);
    for b in t.both() {
        wait_widget_text(b, &game, "Draw!");
        assert!(
            !b.widget_text(&game).unwrap_or_default().contains("wins"),
            "[{}]",
            b.name
        );
    }
    // No line: no cell is marked as winning.
    let board = games_support::child(&t.widget(&t.alice_key, &game), "board").clone();
    let cells = board["cells"].as_array().cloned().unwrap_or_default();
    assert_eq!(cells.len(), 9, "{board}");
    assert!(cells.iter().all(|c| c.get("bg").is_none()), "{board}");
    show(alice, &game);
    shot(alice, "tictactoe-draw");
    shot(bob, "tictactoe-draw");

    // Over: a click is refused, the board stays.
    let notice = click_refused(bob, &game, &cell_css(&game, 1, 1));
    eprintln!("[bob] after the draw: {notice}");
    for b in t.both() {
        b.wait_cell(&game, 1, 1, "X");
    }
}
