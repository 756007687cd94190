//! The MUD from the chat: alice (desktop) and bob (a 360 px phone) type
//! commands into the shared terminal. Both pages show every line; each
//! player's map shows only the rooms they have explored (fog elsewhere)
//! and only their own marker; the key alice picks up is in her bag, and in
//! no element of bob's page.

mod games_support;

use std::collections::BTreeSet;

use games_support::{child, emulate, shot, show, within, Look, Table};
use serde_json::json;
use tulip_e2e::{wait_ok, Browser, DEFAULT_TIMEOUT};

const KEY: &str = "🗝️";

/// The terminal's lines as `b` shows them.
fn lines(b: &Browser, game: &str) -> Vec<String> {
    b.execute(
        "return Array.from(document.querySelectorAll(arguments[0])).map(l => l.textContent);",
        &[json!(within(
            game,
            "[data-child=\"term\"] .tulip-terminal__line"
        ))],
    )
    .as_array()
    .map(|a| {
        a.iter()
            .filter_map(|l| l.as_str().map(str::to_owned))
            .collect()
    })
    .unwrap_or_default()
}

/// `b` types `command` and Enter; both pages show the echo and `reply`.
fn say(t: &Table, b: &Browser, game: &str, command: &str, reply: &str) {
    b.type_into(
        &within(game, "[data-child=\"term\"] input"),
        &format!("{command}\u{E007}"),
    );
    let echo = format!("{}> {command}", b.name);
    for p in t.both() {
        let mut last = Vec::new();
        wait_ok(
            &format!("[{}] the terminal showing {echo:?} then {reply:?}", p.name),
            DEFAULT_TIMEOUT,
            || {
                last = lines(p, game);
                let at = last.iter().rposition(|l| *l == echo);
                match at {
                    Some(i) if last[i..].iter().any(|l| l.contains(reply)) => Ok(()),
                    _ => Err(format!("{:?}", &last[last.len().saturating_sub(4)..])),
                }
            },
        );
    }
}

/// The map tiles `b` shows without fog.
fn explored(b: &Browser, game: &str) -> BTreeSet<(u64, u64)> {
    b.execute(
        "return Array.from(document.querySelectorAll(arguments[0]))\
           .filter(t => !t.classList.contains('tulip-map__tile--fog'))\
           .map(t => [Number(t.dataset.x), Number(t.dataset.y)]);",
        &[json!(within(game, "[data-child=\"map\"] [role=gridcell]"))],
    )
    .as_array()
    .map(|a| {
        a.iter()
            .filter_map(|p| Some((p[0].as_u64()?, p[1].as_u64()?)))
            .collect()
    })
    .unwrap_or_default()
}

/// What the server says the user with `key` has explored.
fn server_explored(t: &Table, key: &str, game: &str) -> BTreeSet<(u64, u64)> {
    child(&t.widget(key, game), "map")["explored"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| Some((p["x"].as_u64()?, p["y"].as_u64()?)))
                .collect()
        })
        .unwrap_or_default()
}

fn wait_explored(t: &Table, b: &Browser, key: &str, game: &str, want: &[(u64, u64)]) {
    let want: BTreeSet<(u64, u64)> = want.iter().copied().collect();
    assert_eq!(server_explored(t, key, game), want, "[{}] server", b.name);
    wait_ok(
        &format!("[{}] the map explored at {want:?}", b.name),
        DEFAULT_TIMEOUT,
        || {
            let seen = explored(b, game);
            if seen == want {
                Ok(())
            } else {
                Err(format!("{seen:?}"))
            }
        },
    );
}

/// The marker ids `b`'s map shows.
fn markers(b: &Browser, game: &str) -> Vec<String> {
    b.execute(
        "return Array.from(document.querySelectorAll(arguments[0])).map(m => m.dataset.markerId);",
        &[json!(within(game, "[data-child=\"map\"] [data-marker-id]"))],
    )
    .as_array()
    .map(|a| {
        a.iter()
            .filter_map(|m| m.as_str().map(str::to_owned))
            .collect()
    })
    .unwrap_or_default()
}

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn mud_terminal_fog_and_bags_per_player() {
    let t = Table::new("mud_terminal_fog_and_bags_per_player", "mud");
    emulate(
        &t.bob,
        Look {
            width: Some(360),
            ..Look::default()
        },
    );
    let (alice, bob) = (&*t.alice, &*t.bob);
    let game = t.start(alice, "/mud", "[data-child=\"term\"] input");
    for b in t.both() {
        wait_explored(&t, b, &t.alice_key, &game, &[]);
        assert!(markers(b, &game).is_empty(), "[{}]", b.name);
    }

    // Alice enters at the gate, walks east and takes the key.
    say(&t, alice, &game, "look", "You are at the village gate.");
    let gate = [(0, 1), (0, 0), (0, 2), (1, 1)];
    wait_explored(&t, alice, &t.alice_key, &game, &gate);
    say(&t, alice, &game, "go east", "You see: key.");
    let hers = [(0, 1), (0, 0), (0, 2), (1, 1), (1, 0), (1, 2), (2, 1)];
    wait_explored(&t, alice, &t.alice_key, &game, &hers);
    say(&t, alice, &game, "take key", "You take the key.");
    let bag = within(&game, "[data-child=\"bag\"] [data-slot=\"0\"]");
    alice.wait_text(&bag, "holding the key", |s| s.contains(KEY));
    // Bob has explored nothing yet: all fog, no marker, no key.
    wait_explored(&t, bob, &t.bob_key, &game, &[]);
    assert!(markers(bob, &game).is_empty());
    assert_eq!(bob.page_count(KEY), 0, "[bob] the key in his page");

    // Bob enters and follows alice east: the key is gone.
    say(&t, bob, &game, "look", "You are at the village gate.");
    wait_explored(&t, bob, &t.bob_key, &game, &gate);
    say(&t, bob, &game, "e", "You are at the market square.");
    say(&t, bob, &game, "take key", "There is no key here.");
    say(&t, bob, &game, "inventory", "You carry nothing.");
    say(&t, alice, &game, "i", "You carry: key.");
    t.in_sync(&game);

    // Each map: that player's rooms and that player's marker only; each
    // bag: that player's items only, in the page and from the server.
    let theirs = [(0, 1), (0, 0), (0, 2), (1, 1), (1, 0), (1, 2), (2, 1)];
    wait_explored(&t, alice, &t.alice_key, &game, &hers);
    wait_explored(&t, bob, &t.bob_key, &game, &theirs);
    let (a_marker, b_marker) = (format!("p{}", t.alice_id), format!("p{}", t.bob_id));
    assert_eq!(markers(alice, &game), [a_marker]);
    assert_eq!(markers(bob, &game), [b_marker]);
    for (b, other) in [(bob, "alice"), (alice, "bob")] {
        let map = b
            .text_of(&within(&game, "[data-child=\"map\"]"))
            .unwrap_or_default();
        assert!(
            !map.contains(other),
            "[{}] {other} on the map: {map}",
            b.name
        );
    }
    alice.wait_text(&bag, "holding the key", |s| s.contains(KEY));
    assert_eq!(bob.page_count(KEY), 0, "[bob] alice's key in his page");
    let bob_bag = child(&t.widget(&t.bob_key, &game), "bag").to_string();
    assert!(!bob_bag.contains("key"), "[bob] the server sent {bob_bag}");
    // Both terminals hold the same lines.
    assert_eq!(lines(alice, &game), lines(bob, &game));
    for b in t.both() {
        show(b, &game);
        shot(b, "mud");
    }
}
