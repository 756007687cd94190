//! `/rpg` through the server: the hero fights the ogre turn by turn; the HP
//! bars and the narration follow; a spectator's move and a move after the
//! battle are refused.

mod common;

use common::TestServer;
use serde_json::{json, Value};
use tulip_bots::games::rpg::Rpg;

fn child<'a>(msg: &'a Value, id: &str) -> &'a Value {
    msg["widget"]["extra_data"]["widgets"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["id"] == id))
        .unwrap_or(&Value::Null)
}

fn hp(msg: &Value, label: &str) -> f64 {
    child(msg, "hud")["bars"]
        .as_array()
        .and_then(|a| a.iter().find(|b| b["label"] == label))
        .and_then(|b| b["current"].as_f64())
        .expect("bar")
}

fn press(action: &str) -> Value {
    json!({"type": "button_click", "child": "actions", "action": action})
}

#[test]
fn rpg_battle_to_victory() {
    let server = TestServer::start();
    server.embed(Rpg::default());
    let mut alice = server.player("alice");
    let carol = server.player("carol");
    alice.say("dungeon", "/rpg");
    let msg = alice.wait_widget("dungeon");
    let id = msg["id"].as_i64().expect("id");
    let mut version = msg["version"].as_u64().expect("version");
    for c in ["scene", "hud", "story", "actions"] {
        assert!(!child(&msg, c).is_null(), "{c}: {msg}");
    }
    assert_eq!(hp(&msg, "Ogre HP"), 20.0);
    assert_eq!(msg["content"], "An RPG battle: alice against an ogre");
    assert_eq!(
        msg["widget"]["extra_data"]["players"]["list"][0]["name"], "alice",
        "{msg}"
    );

    // A spectator may not fight.
    assert_eq!(carol.act(id, press("attack")), Err("NOT_ALLOWED".into()));

    alice.act(id, press("defend")).expect("defend");
    version += 1;
    alice.wait_version(id, version);
    let m = alice.fetch(id);
    assert!(
        child(&m, "story")["text"]
            .as_str()
            .unwrap_or("")
            .contains("shield"),
        "{m}"
    );
    assert!(hp(&m, "Hero HP") < 30.0);

    let mut last = m;
    for _ in 0..20 {
        if hp(&last, "Ogre HP") == 0.0 {
            break;
        }
        alice.act(id, press("attack")).expect("attack");
        version += 1;
        alice.wait_version(id, version);
        last = alice.fetch(id);
    }
    assert_eq!(hp(&last, "Ogre HP"), 0.0, "{last}");
    assert!(hp(&last, "Hero HP") > 0.0);
    assert!(child(&last, "story")["text"]
        .as_str()
        .unwrap_or("")
        .contains("Victory"));
    // The battle is over: the buttons are disabled and refused.
    assert_eq!(
        alice.act(id, press("attack")),
        Err("INVALID_INTERACTION".into())
    );
}
