//! The RPG battle from the chat: a composite of a canvas scene, a HUD of
//! HP bars, a narrating dialog and action buttons. Alice fights the ogre to
//! the end; bob watches, and his press is refused. Every move reaches both
//! pages (bars, turn, narration); at the end the ogre is a skull on the
//! canvas and the buttons are disabled in both pages.

mod games_support;

use games_support::{button, child, click_and_wait, click_refused, is_disabled, shot, show, stat};
use games_support::{within, Table};
use serde_json::{json, Value};
use tulip_e2e::Browser;

/// `(current, max)` of HUD bar `label` as `b` shows it.
fn bar(b: &Browser, game: &str, label: &str) -> Option<(f64, f64)> {
    let v = b.execute(
        "const bar = document.querySelector(arguments[0]);\
         if (bar === null) return null;\
         const p = bar.querySelector('[role=progressbar]');\
         return [Number(p.getAttribute('aria-valuenow')), Number(p.getAttribute('aria-valuemax'))];",
        &[json!(within(
            game,
            &format!("[data-child=\"hud\"] .tulip-hud__bar[data-label=\"{label}\"]")
        ))],
    );
    Some((v[0].as_f64()?, v[1].as_f64()?))
}

fn server_bar(w: &Value, label: &str) -> (f64, f64) {
    child(w, "hud")["bars"]
        .as_array()
        .and_then(|a| a.iter().find(|b| b["label"] == label))
        .map(|b| {
            (
                b["current"].as_f64().unwrap_or(-1.0),
                b["max"].as_f64().unwrap_or(-1.0),
            )
        })
        .unwrap_or((-1.0, -1.0))
}

/// The narration (the dialog's text) as `b` shows it, once it is fully
/// shown.
fn story(b: &Browser, game: &str, text: &str) {
    b.wait_text(
        &within(game, "[data-child=\"story\"]"),
        &format!("telling {text:?}"),
        |t| t.contains(text),
    );
}

/// Both pages show the server's HP bars, turn and narration.
fn agree(t: &Table, game: &str) -> Value {
    t.in_sync(game);
    let w = t.widget(&t.bob_key, game);
    let said = child(&w, "story")["text"].as_str().unwrap_or("").to_owned();
    for b in t.both() {
        for label in ["Hero HP", "Ogre HP"] {
            assert_eq!(
                bar(b, game, label),
                Some(server_bar(&w, label)),
                "[{}] {label}",
                b.name
            );
        }
        let turn = stat(&w, "hud", "Turn").as_f64().unwrap_or(-1.0);
        games_support::wait_widget_text(b, game, &format!("Turn{turn}"));
        story(b, game, &said);
    }
    w
}

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn rpg_battle_to_victory_with_a_spectator() {
    let t = Table::new("rpg_battle_to_victory_with_a_spectator", "rpg");
    let (alice, bob) = (&*t.alice, &*t.bob);
    let game = t.start(alice, "/rpg", "[data-child=\"scene\"] canvas");
    let w = agree(&t, &game);
    assert_eq!(server_bar(&w, "Hero HP"), (30.0, 30.0));
    assert_eq!(server_bar(&w, "Ogre HP"), (20.0, 20.0));
    for b in t.both() {
        story(b, &game, "A wild ogre blocks the road, alice");
        b.wait_text(
            &within(&game, "[data-child=\"story\"]"),
            "naming the narrator",
            |t| t.contains("Narrator"),
        );
        let label = b
            .attr_of(
                &within(&game, "[data-child=\"scene\"] canvas"),
                "aria-label",
            )
            .unwrap_or_default();
        assert_eq!(label, "Canvas, 2 sprites", "[{}]", b.name);
    }
    show(alice, &game);
    shot(alice, "rpg-start");

    // Bob only watches.
    let notice = click_refused(bob, &game, &button(&game, "attack"));
    eprintln!("[bob] notice: {notice}");

    // Alice defends once with the D key (the battle's frame captures its
    // keys while it has the focus), then attacks with the button until the
    // ogre falls (attacking always wins: the bot's unit tests show it for
    // any seed).
    let frame = within(&game, "[data-testid=frame]");
    for b in t.both() {
        b.wait_text(&frame, "listing the keys", |s| s.contains("defend"));
    }
    let before = alice.wait_version(&game, "shown", |_| true);
    let el = alice.wait_for(&frame, tulip_e2e::DEFAULT_TIMEOUT);
    alice
        .send_keys(&el, "d")
        .unwrap_or_else(|e| panic!("[alice] pressing D: {e}"));
    alice.wait_version(&game, &format!("> {before} after D"), |v| v > before);
    let w = agree(&t, &game);
    assert_eq!(server_bar(&w, "Ogre HP").0, 20.0);
    story(alice, &game, "You raise your shield");
    let mut turns = 0;
    while !is_disabled(alice, &button(&game, "attack")) {
        turns += 1;
        assert!(turns <= 10, "the ogre should have fallen by now");
        click_and_wait(alice, &game, &button(&game, "attack"));
        agree(&t, &game);
    }
    let w = agree(&t, &game);
    assert_eq!(server_bar(&w, "Ogre HP").0, 0.0);
    assert!(server_bar(&w, "Hero HP").0 > 0.0);
    let monster = child(&w, "scene")["sprites"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == "monster"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(monster["emoji"], "💀", "{w}");
    for b in t.both() {
        story(b, &game, "Victory!");
        for action in ["attack", "defend", "flee"] {
            assert!(
                is_disabled(b, &button(&game, action)),
                "[{}] {action} after the battle",
                b.name
            );
        }
    }
    show(alice, &game);
    shot(alice, "rpg-victory");
    shot(bob, "rpg-victory");
}
