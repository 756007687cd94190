//! `/battleship` played through the server: setup, per-user views, play,
//! a shot out of turn and a second shot at the same cell refused.

mod common;

use common::TestServer;
use serde_json::{json, Value};
use tulip_bots::games::battleship::{Battleship, FLEET};

fn child<'a>(msg: &'a Value, id: &str) -> &'a Value {
    msg["widget"]["extra_data"]["widgets"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["id"] == id))
        .unwrap_or(&Value::Null)
}

fn cells(msg: &Value, id: &str, content: &str) -> Vec<(u64, u64)> {
    child(msg, id)["cells"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|c| c["content"] == content)
        .map(|c| (c["x"].as_u64().unwrap_or(99), c["y"].as_u64().unwrap_or(99)))
        .collect()
}

fn fire(x: u64, y: u64) -> Value {
    json!({"type": "cell_click", "child": "target", "x": x, "y": y})
}

fn button(action: &str) -> Value {
    json!({"type": "button_click", "child": "controls", "action": action})
}

#[test]
fn battleship_whole_game_with_private_views() {
    let server = TestServer::start();
    server.embed(Battleship::default());
    let mut alice = server.player("alice");
    let mut bob = server.player("bob");
    alice.say("sea", &format!("/battleship @{}", bob.id));
    let msg = bob.wait_widget("sea");
    let id = msg["id"].as_i64().expect("id");
    assert_eq!(msg["content"], "Battleship: alice vs bob", "{msg}");
    let setup = child(&msg, "status")["stats"][0]["value"].to_string();
    assert!(setup.contains("alice placing, bob placing"), "{setup}");
    let mut version = msg["version"].as_u64().expect("version");
    let ships = FLEET.iter().sum::<u32>() as usize;

    // Each sees their own fleet and nothing of the other's.
    let a0 = alice.fetch(id);
    let b0 = bob.fetch(id);
    assert_eq!(cells(&a0, "mine", "🚢").len(), ships);
    assert_eq!(cells(&b0, "mine", "🚢").len(), ships);
    assert!(cells(&b0, "target", "🚢").is_empty());
    assert!(!b0.to_string().contains("views"));

    alice.act(id, button("shuffle")).expect("shuffle");
    version += 1;
    alice.wait_version(id, version);
    let a1 = alice.fetch(id);
    let alice_fleet = cells(&a1, "mine", "🚢");
    assert_eq!(alice_fleet.len(), ships);
    // A spectator sees no fleet at all.
    let carol = server.player("carol");
    let c = carol.fetch(id);
    assert!(cells(&c, "mine", "🚢").is_empty() && cells(&c, "target", "🚢").is_empty());

    alice.act(id, button("ready")).expect("ready");
    bob.act(id, button("ready")).expect("ready");
    version += 2;
    alice.wait_version(id, version);
    let bob_fleet = cells(&bob.fetch(id), "mine", "🚢");
    let misses: Vec<(u64, u64)> = (0..6u64)
        .flat_map(|y| (0..6u64).map(move |x| (x, y)))
        .filter(|c| !alice_fleet.contains(c))
        .collect();

    // Bob fires first: out of turn.
    assert_eq!(bob.act(id, fire(0, 0)), Err("NOT_YOUR_TURN".into()));
    for (i, (x, y)) in bob_fleet.iter().enumerate() {
        alice.act(id, fire(*x, *y)).expect("alice fires");
        version += 1;
        bob.wait_version(id, version);
        if i + 1 == bob_fleet.len() {
            break;
        }
        let (mx, my) = misses[i];
        bob.act(id, fire(mx, my)).expect("bob fires");
        version += 1;
        alice.wait_version(id, version);
        if i == 0 {
            // The same cell again: refused.
            assert_eq!(alice.act(id, fire(*x, *y)), Err("NOT_ALLOWED".into()));
        }
    }
    let end_b = bob.fetch(id);
    assert_eq!(cells(&end_b, "mine", "💥").len(), ships, "{end_b}");
    // Bob's target grid shows his misses only, never Alice's fleet.
    assert!(cells(&end_b, "target", "💥").is_empty());
    let end_a = alice.fetch(id);
    assert_eq!(cells(&end_a, "target", "💥").len(), ships);
    let status = child(&end_a, "status")["stats"][0]["value"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    assert!(
        status == "alice sank the whole fleet!" || status == "bob sank the whole fleet!",
        "{status}"
    );
    assert_eq!(bob.act(id, fire(5, 5)), Err("NOT_YOUR_TURN".into()));
}
