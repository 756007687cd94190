//! `/blackjack` through the server: a bet on the HUD, the hole card hidden
//! from the player until the end, a spectator's move and a disabled button
//! refused.

mod common;

use common::TestServer;
use serde_json::{json, Value};
use tulip_bots::games::blackjack::Blackjack;

fn child<'a>(msg: &'a Value, id: &str) -> &'a Value {
    msg["widget"]["extra_data"]["widgets"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["id"] == id))
        .unwrap_or(&Value::Null)
}

fn stat(msg: &Value, label: &str) -> Value {
    child(msg, "hud")["stats"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["label"] == label))
        .map(|s| s["value"].clone())
        .unwrap_or(Value::Null)
}

fn press(action: &str) -> Value {
    json!({"type": "button_click", "child": "controls", "action": action})
}

#[test]
fn blackjack_whole_hand() {
    let server = TestServer::start();
    server.embed(Blackjack::default());
    let mut alice = server.player("alice");
    let carol = server.player("carol");
    alice.say("casino", "/blackjack");
    let msg = alice.wait_widget("casino");
    let id = msg["id"].as_i64().expect("id");
    let mut version = msg["version"].as_u64().expect("version");
    assert_eq!(stat(&msg, "Player"), "alice", "{msg}");
    assert_eq!(
        msg["widget"]["extra_data"]["players"]["list"][0]["name"], "alice",
        "{msg}"
    );

    // Hitting before the deal: the button is disabled, the server refuses.
    assert_eq!(
        alice.act(id, press("hit")),
        Err("INVALID_INTERACTION".into())
    );
    // A spectator may not play at all.
    assert_eq!(carol.act(id, press("bet10")), Err("NOT_ALLOWED".into()));

    alice.act(id, press("bet10")).expect("bet");
    version += 1;
    alice.wait_version(id, version);
    let m = alice.fetch(id);
    assert_eq!(stat(&m, "Bet").as_f64(), Some(10.0), "{m}");
    assert_eq!(stat(&m, "Chips").as_f64(), Some(90.0));

    alice.act(id, press("deal")).expect("deal");
    version += 1;
    alice.wait_version(id, version);
    let m = alice.fetch(id);
    let dealer = child(&m, "dealer")["cards"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(dealer.len(), 2);
    let status = stat(&m, "Status").as_str().unwrap_or("").to_owned();
    if !status.contains("Blackjack") && !status.contains("Push") {
        // The hole card reached Alice face down, without its face: it is
        // the bot's (the ownership shorthand), and so are all the dealer's
        // cards; hers are hers, face up.
        assert_eq!(dealer[1]["facedown"], true, "{m}");
        assert!(dealer[1].get("face").is_none(), "{m}");
        assert_eq!(dealer[1]["owner"], m["sender_id"], "{m}");
        assert_eq!(dealer[0]["owner"], m["sender_id"], "{m}");
        let hand = child(&m, "player")["cards"].clone();
        assert!(
            hand.as_array().is_some_and(|h| h.len() == 2
                && h.iter()
                    .all(|c| c["owner"] == alice.id && c["face"].is_string())),
            "{m}"
        );
        // A spectator does not see it either.
        let seen = carol.fetch(id);
        assert!(
            child(&seen, "dealer")["cards"][1].get("face").is_none(),
            "{seen}"
        );
        alice.act(id, press("stand")).expect("stand");
        version += 1;
        alice.wait_version(id, version);
    }
    let end = alice.fetch(id);
    let dealer = child(&end, "dealer")["cards"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(dealer.iter().all(|c| c.get("face").is_some()), "{end}");
    assert!(
        stat(&end, "Status")
            .as_str()
            .unwrap_or("")
            .contains("dealer"),
        "{end}"
    );
    // Standing again after the end: disabled.
    assert_eq!(
        alice.act(id, press("stand")),
        Err("INVALID_INTERACTION".into())
    );
    alice.act(id, press("again")).expect("next hand");
}
