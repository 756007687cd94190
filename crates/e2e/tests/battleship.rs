//! Battleship in two browsers: each player's page shows their own fleet
//! and their own shots, and nothing of the other's fleet, anywhere in the
//! DOM; setup (shuffle, ready), a shot out of turn refused, hits and misses
//! reaching the right grid of the right page.

use tulip_e2e::{
    child_button_css, child_cell_css, host_css, wait_some, Browser, Harness, Server, Transport,
    DEFAULT_TIMEOUT,
};

const SHIP: &str = "🚢";
const HIT: &str = "💥";
const MISS: &str = "•";
/// Ships in a fleet: 3 + 2 + 2 cells.
const FLEET: usize = 7;
/// The screen-reader announcer may tell a player that their own ship was
/// hit ("D1: 🚢 replaced by 💥"): not a leak, so it is not counted.
const ANNOUNCER: &str = ".tulip-announcer";

/// The cells of grid `child` holding `content`, as the server shows them to
/// the user with `key` (the truth the page must match).
fn server_cells(
    server: &Server,
    key: &str,
    game: &str,
    child: &str,
    content: &str,
) -> Vec<(u32, u32)> {
    let m = server.api_get(key, &format!("/messages/{game}"));
    let mut out: Vec<(u32, u32)> = m["message"]["widget"]["extra_data"]["widgets"]
        .as_array()
        .and_then(|w| w.iter().find(|c| c["id"] == child))
        .and_then(|c| c["cells"].as_array())
        .map(|cells| {
            cells
                .iter()
                .filter(|c| c["content"] == content)
                .filter_map(|c| Some((c["x"].as_u64()? as u32, c["y"].as_u64()? as u32)))
                .collect()
        })
        .unwrap_or_default();
    out.sort_by_key(|(x, y)| (*y, *x));
    out
}

/// Waits until `b`'s grid `child` shows `content` at exactly `cells`.
fn wait_cells(b: &Browser, game: &str, child: &str, content: &str, cells: &[(u32, u32)]) {
    let mut last = Vec::new();
    tulip_e2e::wait_ok(
        &format!("[{}] {child} showing {content} at {cells:?}", b.name),
        DEFAULT_TIMEOUT,
        || {
            last = b.child_cells(game, child, content);
            if last == cells {
                Ok(())
            } else {
                Err(format!("{last:?}"))
            }
        },
    );
}

fn wait_status(b: &Browser, game: &str, text: &str) {
    b.wait_text(&host_css(game), &format!("containing {text:?}"), |t| {
        t.contains(text)
    });
}

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn battleship_each_player_sees_only_their_own_fleet() {
    let h = Harness::new("battleship_each_player_sees_only_their_own_fleet");
    let topic = h.unique_topic("sea");
    let alice = h.browser("alice");
    let bob = h.browser("bob");
    alice.open_chat(&h.server, "alice", &topic, Transport::WebSocket);
    bob.open_chat(&h.server, "bob", &topic, Transport::LongPoll);
    let (_, akey) = h.server.dev_login("alice");
    let (_, bkey) = h.server.dev_login("bob");

    alice.send_message("/battleship @bob");
    let grid = "[data-child=\"mine\"] [role=grid]";
    let game = alice.wait_message_with(grid);
    assert_eq!(bob.wait_message_with(grid), game);
    let fleet = |key: &str| server_cells(&h.server, key, &game, "mine", SHIP);
    let (af, bf) = (fleet(&akey), fleet(&bkey));
    assert_eq!((af.len(), bf.len()), (FLEET, FLEET));

    // Each page: its own fleet on `mine`, nothing on `target`, and not one
    // more ship anywhere in the page.
    for (b, own) in [(&*alice, &af), (&*bob, &bf)] {
        wait_cells(b, &game, "mine", SHIP, own);
        assert!(
            b.child_cells(&game, "target", SHIP).is_empty(),
            "[{}]",
            b.name
        );
        assert_eq!(
            b.page_count_outside(SHIP, Some(ANNOUNCER)),
            FLEET,
            "[{}] ships in the page",
            b.name
        );
    }
    wait_status(&alice, &game, "alice placing, bob placing");

    // Setup: alice shuffles; only her page changes.
    let version = bob.wait_version(&game, "shown", |_| true);
    alice.click_css(&child_button_css(&game, "controls", "shuffle"));
    let af = wait_some("alice's new fleet on the server", DEFAULT_TIMEOUT, || {
        let f = fleet(&akey);
        (f != af).then_some(f)
    });
    wait_cells(&alice, &game, "mine", SHIP, &af);
    // Bob's page moves on to the new version and still shows his own fleet.
    bob.wait_version(&game, &format!("> {version}"), |v| v > version);
    wait_cells(&bob, &game, "mine", SHIP, &bf);
    assert_eq!(bob.page_count_outside(SHIP, Some(ANNOUNCER)), FLEET);

    alice.click_css(&child_button_css(&game, "controls", "ready"));
    wait_status(&bob, &game, "alice ready, bob placing");
    bob.click_css(&child_button_css(&game, "controls", "ready"));
    for b in [&*alice, &*bob] {
        wait_status(b, &game, "alice to fire");
    }

    // Bob fires first: out of turn. A notice says so; nothing changes.
    let before = bob.wait_version(&game, "shown", |_| true);
    let (ox, oy) = af[0];
    bob.click_css(&child_cell_css(&game, "target", ox, oy));
    let notice = format!("{} [data-testid=notice]", host_css(&game));
    let text = bob.wait_text(&notice, "saying it is not his turn", |t| {
        t.to_lowercase().contains("turn")
    });
    eprintln!("[bob] notice: {text}");
    assert!(server_cells(&h.server, &akey, &game, "mine", HIT).is_empty());
    wait_cells(&bob, &game, "target", SHIP, &[]);
    bob.wait_version(&game, &format!("= {before}"), |v| v == before);

    // Alice hits one of bob's ships: her target grid and his sea show it.
    let (hx, hy) = bf[0];
    alice.click_css(&child_cell_css(&game, "target", hx, hy));
    wait_cells(&alice, &game, "target", HIT, &[(hx, hy)]);
    wait_cells(&bob, &game, "mine", HIT, &[(hx, hy)]);
    wait_status(&bob, &game, "bob to fire");
    // Bob's hit ship is a 💥 now; alice still sees none of his ships.
    assert_eq!(bob.page_count_outside(SHIP, Some(ANNOUNCER)), FLEET - 1);
    assert_eq!(alice.page_count_outside(SHIP, Some(ANNOUNCER)), FLEET);
    assert!(bob.child_cells(&game, "target", HIT).is_empty());

    // Bob misses: a dot on his target grid and on alice's sea.
    let water = (0..6u32)
        .flat_map(|y| (0..6u32).map(move |x| (x, y)))
        .find(|c| !af.contains(c))
        .expect("water");
    bob.click_css(&child_cell_css(&game, "target", water.0, water.1));
    wait_cells(&bob, &game, "target", MISS, &[water]);
    wait_cells(&alice, &game, "mine", MISS, &[water]);
    wait_status(&alice, &game, "alice to fire");
    // Through it all, each page held its own fleet only.
    for (b, own) in [(&*alice, &af), (&*bob, &bf)] {
        let mut ships = b.child_cells(&game, "mine", SHIP);
        ships.extend(b.child_cells(&game, "mine", HIT));
        ships.sort_by_key(|(x, y)| (*y, *x));
        assert_eq!(&ships, own, "[{}] own fleet", b.name);
    }
}
