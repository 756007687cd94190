//! `/mud` through the server: two players type commands into the terminal;
//! each sees only the cells they explored and their own marker and bag; a
//! click on the map (which takes none) is refused, and so is a wall.

mod common;

use common::TestServer;
use serde_json::{json, Value};
use tulip_bots::games::mud::Mud;

fn child<'a>(msg: &'a Value, id: &str) -> &'a Value {
    msg["widget"]["extra_data"]["widgets"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["id"] == id))
        .unwrap_or(&Value::Null)
}

fn typed(text: &str) -> Value {
    json!({"type": "terminal_input", "child": "term", "text": text})
}

fn explored(msg: &Value) -> usize {
    child(msg, "map")["explored"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0)
}

fn markers(msg: &Value) -> Vec<String> {
    child(msg, "map")["markers"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn last_lines(msg: &Value, n: usize) -> String {
    let lines = child(msg, "term")["lines"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    lines
        .iter()
        .rev()
        .take(n)
        .filter_map(|l| l["text"].as_str())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn mud_fog_of_war_and_inventory() {
    let server = TestServer::start();
    server.embed(Mud::default());
    let mut alice = server.player("alice");
    let mut bob = server.player("bob");
    alice.say("village", "/mud");
    let msg = alice.wait_widget("village");
    let id = msg["id"].as_i64().expect("id");
    let mut version = msg["version"].as_u64().expect("version");
    assert_eq!(child(&msg, "map")["fog_of_war"], true);
    assert_eq!(explored(&msg), 0, "{msg}");
    assert!(msg["widget"].to_string().find("\"views\"").is_none());

    // The map takes no clicks: refused by the server.
    assert_eq!(
        alice.act(
            id,
            json!({"type": "tile_click", "child": "map", "x": 0, "y": 0})
        ),
        Err("INVALID_INTERACTION".into())
    );

    for cmd in ["look", "go west", "go east", "take key"] {
        alice.act(id, typed(cmd)).expect(cmd);
        version += 1;
        alice.wait_version(id, version);
        if cmd == "go west" {
            let m = alice.fetch(id);
            assert!(last_lines(&m, 1).contains("can't go"), "{m}");
        }
    }
    let a = alice.fetch(id);
    assert_eq!(explored(&a), 7, "{a}");
    assert_eq!(markers(&a), vec![format!("p{}", alice.id)]);
    // Players are shown by name: in the log and on their marker.
    let log = last_lines(&a, 100);
    assert!(log.contains("alice enters the village."), "{log}");
    assert!(log.contains("alice> take key"), "{log}");
    assert_eq!(child(&a, "map")["markers"][0]["label"], "alice", "{a}");
    let bag = child(&a, "bag")["items"].clone();
    assert_eq!(bag[0]["name"], "key", "{a}");

    // Bob sees the shared log, but not Alice's map, marker or bag.
    bob.wait_version(id, version);
    let b = bob.fetch(id);
    assert!(last_lines(&b, 1).contains("take the key"), "{b}");
    assert_eq!(explored(&b), 0, "{b}");
    assert!(markers(&b).is_empty(), "{b}");
    assert!(child(&b, "bag")["items"]
        .as_array()
        .is_none_or(|a| a.is_empty()));

    bob.act(id, typed("go south")).expect("bob moves");
    version += 1;
    bob.wait_version(id, version);
    let b = bob.fetch(id);
    assert_eq!(explored(&b), 5, "{b}");
    assert_eq!(markers(&b), vec![format!("p{}", bob.id)]);
    // Alice's fog did not change.
    assert_eq!(explored(&alice.fetch(id)), 7);
}
