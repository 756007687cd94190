//! Battleship played to the last ship from the chat (tests/battleship.rs
//! covers the setup and the first shots): alice sinks bob's whole fleet
//! while bob misses; every shot reaches the right grid of the right page;
//! both pages announce the winner; a shot after the end is refused; and
//! to the end each page holds its own fleet only.

mod games_support;

use games_support::{announced, page_count_outside_announcer, within, Table};
use games_support::{button, click_and_wait, click_refused, shot, show, wait_widget_text};
use serde_json::Value;
use tulip_e2e::{child_cell_css, wait_ok, Browser, DEFAULT_TIMEOUT};

const SHIP: &str = "🚢";
const HIT: &str = "💥";
const MISS: &str = "•";
const SIZE: u32 = 6;

/// The cells of grid `grid` holding `content`, as the server shows them to
/// the user with `key`.
fn server_cells(t: &Table, key: &str, game: &str, grid: &str, content: &str) -> Vec<(u32, u32)> {
    let w = t.widget(key, game);
    let mut out: Vec<(u32, u32)> = games_support::child(&w, grid)["cells"]
        .as_array()
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

fn wait_cells(b: &Browser, game: &str, grid: &str, content: &str, want: &[(u32, u32)]) {
    wait_ok(
        &format!("[{}] {grid} showing {content} at {want:?}", b.name),
        DEFAULT_TIMEOUT,
        || {
            let seen = b.child_cells(game, grid, content);
            if seen == want {
                Ok(())
            } else {
                Err(format!("{seen:?}"))
            }
        },
    );
}

fn sorted(mut v: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    v.sort_by_key(|(x, y)| (*y, *x));
    v
}

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn battleship_to_the_last_ship() {
    let t = Table::new("battleship_to_the_last_ship", "fleet");
    let (alice, bob) = (&*t.alice, &*t.bob);
    let game = t.start(
        alice,
        "/battleship @bob",
        "[data-child=\"mine\"] [role=grid]",
    );
    let af = server_cells(&t, &t.alice_key, &game, "mine", SHIP);
    let bf = server_cells(&t, &t.bob_key, &game, "mine", SHIP);
    assert_eq!((af.len(), bf.len()), (7, 7));
    click_and_wait(alice, &game, &button(&game, "ready"));
    click_and_wait(bob, &game, &button(&game, "ready"));
    for b in t.both() {
        wait_widget_text(b, &game, "alice to fire");
    }

    // Alice fires at bob's ships one by one; bob answers on open water.
    let water: Vec<(u32, u32)> = (0..SIZE)
        .flat_map(|y| (0..SIZE).map(move |x| (x, y)))
        .filter(|c| !af.contains(c))
        .collect();
    let (mut hits, mut misses) = (Vec::new(), Vec::new());
    for (i, &(x, y)) in bf.iter().enumerate() {
        click_and_wait(alice, &game, &child_cell_css(&game, "target", x, y));
        hits.push((x, y));
        let h = sorted(hits.clone());
        wait_cells(alice, &game, "target", HIT, &h);
        wait_cells(bob, &game, "mine", HIT, &h);
        if i + 1 == bf.len() {
            break;
        }
        let (wx, wy) = water[i];
        click_and_wait(bob, &game, &child_cell_css(&game, "target", wx, wy));
        misses.push((wx, wy));
        let m = sorted(misses.clone());
        wait_cells(bob, &game, "target", MISS, &m);
        wait_cells(alice, &game, "mine", MISS, &m);
        if i == 2 {
            show(alice, &game);
            shot(alice, "battleship-mid");
            shot(bob, "battleship-mid");
        }
    }
    t.in_sync(&game);
    for b in t.both() {
        wait_widget_text(b, &game, "alice sank the whole fleet!");
    }

    // Over: bob's shot is refused and changes nothing.
    let (wx, wy) = water[bf.len()];
    let notice = click_refused(bob, &game, &child_cell_css(&game, "target", wx, wy));
    eprintln!("[bob] after the end: {notice}");
    assert!(bob.child_cells(&game, "target", MISS).len() == misses.len());

    // Each page holds its own fleet only, anywhere in the DOM: alice's
    // seven ships untouched; bob's all hit, and not one of alice's. The
    // screen-reader announcer may tell bob that his own ship was hit
    // ("D1: 🚢 replaced by 💥"), never anything of alice's fleet: alice's
    // ships were never shot at, so no announcer in either page names one
    // but bob's.
    wait_cells(alice, &game, "mine", SHIP, &af);
    assert_eq!(page_count_outside_announcer(alice, SHIP), 7);
    assert!(!announced(alice).contains(SHIP), "{}", announced(alice));
    assert_eq!(
        page_count_outside_announcer(bob, SHIP),
        0,
        "[bob] a ship in his page"
    );
    wait_cells(bob, &game, "mine", HIT, &bf);
    wait_cells(alice, &game, "target", HIT, &bf);
    assert!(bob.child_cells(&game, "target", HIT).is_empty());
    let sent: Value = t.widget(&t.bob_key, &game);
    assert!(
        !sent.to_string().contains(SHIP),
        "[bob] the server sent a ship: {sent}"
    );
    // The setup buttons stay disabled.
    for b in t.both() {
        assert!(games_support::is_disabled(b, &button(&game, "shuffle")));
        assert!(games_support::is_disabled(b, &button(&game, "ready")));
    }
    assert!(alice.count(&within(&game, "[data-testid=notice]")) == 0);
    show(alice, &game);
    shot(alice, "battleship-over");
    shot(bob, "battleship-over");
}
