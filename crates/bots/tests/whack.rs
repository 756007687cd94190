//! `/whack` through the server: a hit scores on the HUD and plays the
//! sound, a click on a mole that is not there and a click after the round
//! are refused, and the server's timer ends the round with a leaderboard.

mod common;

use common::TestServer;
use serde_json::{json, Value};
use tulip_bots::games::whack::Whack;

fn child<'a>(msg: &'a Value, id: &str) -> &'a Value {
    msg["widget"]["extra_data"]["widgets"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["id"] == id))
        .unwrap_or(&Value::Null)
}

fn mole(msg: &Value) -> String {
    child(msg, "field")["sprites"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|s| s["id"].as_str().is_some_and(|i| i.starts_with("mole-")))
        })
        .and_then(|s| s["id"].as_str())
        .expect("a mole")
        .to_owned()
}

fn click(id: &str) -> Value {
    json!({"type": "sprite_click", "child": "field", "id": id})
}

#[test]
fn whack_round_with_timer_and_leaderboard() {
    let server = TestServer::start();
    server.embed(Whack::default());
    let mut alice = server.player("alice");
    alice.say("garden", "/whack 3");
    let msg = alice.wait_widget("garden");
    let id = msg["id"].as_i64().expect("id");
    let version = msg["version"].as_u64().expect("version");
    assert!(
        msg["widget"]["extra_data"]["timer"]["expires_at"].is_number(),
        "{msg}"
    );
    assert!(msg["widget"]["extra_data"]["sounds"]["whack"].is_string());

    // No such sprite: refused by the server.
    assert_eq!(
        alice.act(id, click("mole-999")),
        Err("INVALID_INTERACTION".into())
    );
    let m = mole(&msg);
    alice.act(id, click(&m)).expect("whack");
    let up = alice.wait_version(id, version + 1);
    assert_eq!(up["update"]["play_sound"], "whack", "{up}");
    let now = alice.fetch(id);
    assert_ne!(mole(&now), m);
    let stats = child(&now, "hud")["stats"].to_string();
    assert!(stats.contains(r#""label":"alice""#), "{stats}");

    // The timer ends the round: the widget is replaced with a leaderboard.
    let end = alice.wait("the end of the round", move |e| {
        e["type"] == "widget_replace" && e["message_id"] == id
    });
    let end_msg = alice.fetch(id);
    let entries = child(&end_msg, "scores")["entries"].clone();
    assert_eq!(entries[0]["name"], "alice", "{end}");
    assert_eq!(entries[0]["score"].as_f64(), Some(1.0));
    // After the round nothing can be whacked.
    assert_eq!(
        alice.act(id, click("hole-0")),
        Err("INVALID_INTERACTION".into())
    );
}
