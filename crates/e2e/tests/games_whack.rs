//! Whack-a-mole from the chat: alice and bob click the mole on the canvas
//! with real pointer clicks while the server's timer runs; their scores
//! reach both pages; when the timer runs out both pages show the final
//! leaderboard, each player's own row highlighted, and the field takes no
//! more clicks.

mod games_support;

use std::time::Duration;

use games_support::{child, emulate, pointer_click, shot, show, within, Look, Table};
use serde_json::{json, Value};
use tulip_e2e::{wait_ok, wait_some, Browser, DEFAULT_TIMEOUT};

/// Seconds in the round: long enough to score a few moles on a loaded
/// machine, short enough for CI.
const ROUND: u32 = 10;
/// The canvas is 300 x 300 canvas px.
const FIELD: (f64, f64) = (300.0, 300.0);

/// The value of HUD stat `label` as `b` shows it.
fn hud_stat(b: &Browser, game: &str, label: &str) -> Option<String> {
    b.execute(
        "for (const s of document.querySelectorAll(arguments[0])) {\
           const dt = s.querySelector('dt'), dd = s.querySelector('dd');\
           if (dt && dd && dt.textContent.trim() === arguments[1]) return dd.textContent.trim();\
         }\
         return null;",
        &[
            json!(within(game, "[data-child=\"hud\"] .tulip-hud__stat")),
            json!(label),
        ],
    )
    .as_str()
    .map(str::to_owned)
}

fn wait_stat(b: &Browser, game: &str, label: &str, value: u32) {
    let want = value.to_string();
    wait_ok(
        &format!("[{}] HUD {label} = {value}", b.name),
        DEFAULT_TIMEOUT,
        || match hud_stat(b, game, label) {
            Some(v) if v == want => Ok(()),
            v => Err(format!("{v:?}")),
        },
    );
}

/// The sprites of the field as the user with `key` is shown them.
fn sprites(t: &Table, key: &str, game: &str) -> Vec<Value> {
    child(&t.widget(key, game), "field")["sprites"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn sprite_at(s: &[Value], prefix: &str) -> Option<(String, f64, f64)> {
    s.iter().find_map(|s| {
        let id = s["id"].as_str()?;
        id.starts_with(prefix).then(|| {
            (
                id.to_owned(),
                s["x"].as_f64().unwrap_or(0.0),
                s["y"].as_f64().unwrap_or(0.0),
            )
        })
    })
}

/// The leaderboard rows `b` shows: (rank, name, score, highlighted).
fn rows(b: &Browser, game: &str) -> Vec<(String, String, String, bool)> {
    let v = b.execute(
        "return Array.from(document.querySelectorAll(arguments[0])).map(r => [\
           r.querySelector('.tulip-leaderboard__rank').textContent.replace('▶', '').trim(),\
           r.querySelector('.tulip-leaderboard__name').textContent.trim(),\
           r.querySelector('.tulip-leaderboard__score').textContent.trim(),\
           r.classList.contains('tulip-leaderboard__row--highlight')]);",
        &[json!(within(game, "[data-child=\"scores\"] tbody tr"))],
    );
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    let s = |i: usize| r[i].as_str().unwrap_or_default().to_owned();
                    (s(0), s(1), s(2), r[3].as_bool().unwrap_or(false))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn whack_moles_on_the_canvas_until_the_timer_ends() {
    let t = Table::new("whack_moles_on_the_canvas_until_the_timer_ends", "whack");
    let (alice, bob) = (&*t.alice, &*t.bob);
    // A mole grows in over 150 ms, and a click on a sprite drawn at scale
    // 0 misses: with reduced motion it is there at once, so every click on
    // it is a hit.
    for b in t.both() {
        emulate(
            b,
            Look {
                reduced_motion: true,
                ..Look::default()
            },
        );
    }
    let canvas = "[data-child=\"field\"] canvas";
    let game = t.start(alice, &format!("/whack {ROUND}"), canvas);
    let canvas = within(&game, canvas);

    // The server's timer runs in both pages.
    for b in t.both() {
        let timer = within(&game, "[data-testid=timer]");
        b.wait_text(
            &format!("{timer} [data-testid=timer-text]"),
            "counting down",
            |s| {
                s.trim_end_matches(" s")
                    .parse::<u32>()
                    .is_ok_and(|n| (1..=ROUND).contains(&n))
            },
        );
        assert_eq!(b.attr_of(&timer, "data-state").as_deref(), Some("running"));
    }

    // Alice scores 3, bob 1. Before two of the hits the player clicks an
    // empty hole: that is no mole, so each score goes up by the hit only.
    let plan = [(alice, true), (bob, false), (alice, false), (alice, true)];
    let (mut scores, mut moles) = ([0u32; 2], 1u32);
    for (i, (b, hole_first)) in plan.into_iter().enumerate() {
        let key = if b.name == "alice" {
            &t.alice_key
        } else {
            &t.bob_key
        };
        let s = sprites(&t, key, &game);
        let (mole, x, y) = sprite_at(&s, "mole-").expect("a mole on the field");
        if hole_first {
            // The hole the mole is not in (holes sit 25 px below their mole).
            let hole = s
                .iter()
                .filter(|h| h["id"].as_str().is_some_and(|id| id.starts_with("hole-")))
                .find(|h| (h["x"].as_f64().unwrap_or(0.0) - x).abs() > 1.0)
                .expect("another hole");
            let (hx, hy) = (
                hole["x"].as_f64().unwrap_or(0.0),
                hole["y"].as_f64().unwrap_or(0.0),
            );
            pointer_click(b, &canvas, hx, hy, Some(FIELD));
        }
        pointer_click(b, &canvas, x, y, Some(FIELD));
        let who = usize::from(b.name == "bob");
        scores[who] += 1;
        moles += 1;
        for p in t.both() {
            wait_stat(p, &game, &b.name, scores[who]);
            wait_stat(p, &game, "Moles", moles);
        }
        // The mole went to another hole: the server has a new one.
        let next = wait_some("a new mole", DEFAULT_TIMEOUT, || {
            sprite_at(&sprites(&t, key, &game), "mole-").filter(|m| m.0 != mole)
        });
        eprintln!("hit {i}: {} whacked {mole}; next {}", b.name, next.0);
        if i == 1 {
            show(alice, &game);
            shot(alice, "whack-round");
            shot(bob, "whack-round");
        }
    }
    t.in_sync(&game);

    // The timer runs out (the server's): both pages get the leaderboard.
    let expected = [("1", "alice", "3"), ("2", "bob", "1")];
    for b in t.both() {
        let mut last = Vec::new();
        wait_ok(
            &format!("[{}] the final leaderboard", b.name),
            Duration::from_secs(u64::from(ROUND) + 20),
            || {
                last = rows(b, &game);
                let plain: Vec<(&str, &str, &str)> = last
                    .iter()
                    .map(|r| (r.0.as_str(), r.1.as_str(), r.2.as_str()))
                    .collect();
                if plain == expected {
                    Ok(())
                } else {
                    Err(format!("{last:?}"))
                }
            },
        );
        // Each player's own row is the highlighted one.
        let mine: Vec<&str> = last.iter().filter(|r| r.3).map(|r| r.1.as_str()).collect();
        assert_eq!(mine, [b.name.as_str()], "[{}] highlighted rows", b.name);
        // The round is over: no running timer, no mole, nothing to click.
        assert_eq!(
            b.count(&within(&game, "[data-testid=timer]")),
            0,
            "[{}]",
            b.name
        );
        assert_eq!(
            b.count(&within(&game, ".tulip-canvas__sprite-button")),
            0,
            "[{}] the field takes no clicks",
            b.name
        );
        assert_eq!(hud_stat(b, &game, "Time").as_deref(), Some("up!"));
    }
    let end = t.in_sync(&game);
    assert!(sprite_at(&sprites(&t, &t.alice_key, &game), "mole-").is_none());
    show(alice, &game);
    shot(alice, "whack-over");
    shot(bob, "whack-over");

    // A click on the field now sends nothing.
    pointer_click(alice, &canvas, 150.0, 150.0, Some(FIELD));
    assert_eq!(t.in_sync(&game), end);
}
