//! A lobby from the chat: bob joins, leaves and joins again; only the host
//! (alice) can change the settings (she lets the guest move first); both
//! get ready; alice starts; both pages show the lobby in progress and the
//! tic-tac-toe game it started, with bob (the guest) as X, and bob's first
//! move goes through. The lobby keeps its final state in both pages after
//! the game's message arrives.

mod games_support;

use games_support::{button, click_and_wait, shot, show, wait_new_message_with, within, Table};
use serde_json::json;
use tulip_e2e::{cell_css, wait_ok, Browser, DEFAULT_TIMEOUT};

/// The lobby's players as `b` shows them: (name, ready).
fn players(b: &Browser, game: &str) -> Vec<(String, bool)> {
    b.execute(
        "return Array.from(document.querySelectorAll(arguments[0])).map(p => [\
           p.querySelector('.tulip-lobby__name').textContent.trim(), p.dataset.ready === 'true']);",
        &[json!(within(game, ".tulip-lobby__player"))],
    )
    .as_array()
    .map(|a| {
        a.iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap_or_default().to_owned(),
                    p[1].as_bool().unwrap_or(false),
                )
            })
            .collect()
    })
    .unwrap_or_default()
}

fn wait_players(t: &Table, game: &str, want: &[(&str, bool)]) {
    let want: Vec<(String, bool)> = want.iter().map(|(n, r)| (n.to_string(), *r)).collect();
    for b in t.both() {
        wait_ok(
            &format!("[{}] lobby players {want:?}", b.name),
            DEFAULT_TIMEOUT,
            || {
                let seen = players(b, game);
                if seen == want {
                    Ok(())
                } else {
                    Err(format!("{seen:?}"))
                }
            },
        );
    }
}

fn wait_status(b: &Browser, game: &str, status: &str) {
    b.wait_text(
        &within(game, "[data-testid=lobby-status]"),
        &format!("= {status:?}"),
        |s| s.contains(status),
    );
}

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn lobby_join_leave_ready_settings_start() {
    let t = Table::new("lobby_join_leave_ready_settings_start", "lobby");
    let (alice, bob) = (&*t.alice, &*t.bob);
    let lobby = t.start(alice, "/lobby tictactoe", ".tulip-lobby");
    wait_players(&t, &lobby, &[("alice", false)]);
    for b in t.both() {
        wait_status(b, &lobby, "Waiting for players");
    }
    // Bob is no member: he may join, not get ready or start.
    assert_eq!(bob.count(&button(&lobby, "ready")), 0);
    assert_eq!(bob.count(&button(&lobby, "start")), 0);

    click_and_wait(bob, &lobby, &button(&lobby, "join"));
    wait_players(&t, &lobby, &[("alice", false), ("bob", false)]);
    click_and_wait(bob, &lobby, &button(&lobby, "leave"));
    wait_players(&t, &lobby, &[("alice", false)]);
    click_and_wait(bob, &lobby, &button(&lobby, "join"));
    wait_players(&t, &lobby, &[("alice", false), ("bob", false)]);

    // Settings: the host has a select, the guest sees the value only.
    let select = within(&lobby, "select[data-setting=\"first\"]");
    assert_eq!(bob.count(&select), 0, "[bob] may not change settings");
    let before = alice.wait_version(&lobby, "shown", |_| true);
    alice.click_css(&select);
    alice.click_css(&format!("{select} option[value=\"1\"]"));
    alice.wait_version(&lobby, &format!("> {before}"), |v| v > before);
    bob.wait_text(
        &within(&lobby, "[data-setting=\"first\"]"),
        "= guest",
        |s| s == "guest",
    );

    // Start needs everyone ready.
    click_and_wait(alice, &lobby, &button(&lobby, "ready"));
    wait_players(&t, &lobby, &[("alice", true), ("bob", false)]);
    assert!(games_support::is_disabled(alice, &button(&lobby, "start")));
    click_and_wait(bob, &lobby, &button(&lobby, "ready"));
    wait_players(&t, &lobby, &[("alice", true), ("bob", true)]);
    show(alice, &lobby);
    shot(alice, "lobby-ready");
    shot(bob, "lobby-ready");

    // Alice starts: the game appears in both pages, the guest moves first.
    let after: u64 = lobby.parse().unwrap_or(0);
    alice.click_css(&button(&lobby, "start"));
    let game = wait_new_message_with(alice, after, "[role=grid]");
    assert_eq!(wait_new_message_with(bob, after, "[role=grid]"), game);
    for b in t.both() {
        games_support::wait_widget_text(b, &game, "bob (X) to move");
        wait_status(b, &lobby, "In progress");
    }
    let before = t.in_sync(&game);
    bob.click_css(&cell_css(&game, 1, 1));
    for b in t.both() {
        b.wait_cell(&game, 1, 1, "X");
        b.wait_version(&game, &format!("> {before}"), |v| v > before);
        games_support::wait_widget_text(b, &game, "alice (O) to move");
    }
    // The lobby still shows how it ended, at the server's version.
    t.in_sync(&lobby);
    for b in t.both() {
        wait_status(b, &lobby, "In progress");
        assert_eq!(b.count(&button(&lobby, "start")), 0, "[{}]", b.name);
    }
    wait_players(&t, &lobby, &[("alice", true), ("bob", true)]);
    show(bob, &game);
    shot(alice, "lobby-started");
    shot(bob, "lobby-started");
}
