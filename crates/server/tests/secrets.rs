//! Two users and a bot play a hidden-information game. Every secret is a
//! unique canary string; no canary of one player appears in any byte the
//! other player receives: events (long-poll and WebSocket), updates,
//! history, single fetch, error bodies, interaction results.

mod common;

use common::*;
use serde_json::{json, Value};

fn canary(owner: &str, n: u32) -> String {
    format!("CANARY{owner}x{n:03}q")
}

#[tokio::test]
async fn no_canary_reaches_the_other_player() {
    let s = Server::dev().await;
    let bot = s.login("dealer", true).await;
    let alice = s.login("alice", false).await;
    let bob = s.login("bob", false).await;
    let (a, b) = (alice.user_id, bob.user_id);

    // Both players listen from the start: alice by long-poll and WebSocket,
    // bob by WebSocket and long-poll.
    let aq = alice.register(json!({"topics": ["poker"]})).await;
    let bq = bob.register(json!({"topics": ["poker"]})).await;
    let mut aws = alice.ws("").await; // a fresh queue for everything
    let mut bws = bob.ws("").await;
    assert_eq!(
        aws.next().await.expect("hello")["type"],
        "connection_established"
    );
    assert_eq!(
        bws.next().await.expect("hello")["type"],
        "connection_established"
    );

    let mut secrets_a = vec![];
    let mut secrets_b = vec![];
    let mut n = 0;
    let mut next = |who: &str, list: &mut Vec<String>| {
        n += 1;
        let c = canary(who, n);
        list.push(c.clone());
        c
    };

    // A hand of cards each (ownership shorthand) ...
    let cards: Vec<Value> = (0..3)
        .flat_map(|i| {
            vec![
                json!({"id": format!("a{i}"), "face": next("A", &mut secrets_a), "owner": a, "hidden_for_others": true}),
                json!({"id": format!("b{i}"), "face": next("B", &mut secrets_b), "owner": b, "hidden_for_others": true}),
            ]
        })
        .collect();
    let hand = bot
        .post_widget(
            "poker",
            json!({"widget_type": "cards", "extra_data": {
                "layout": "hand", "cards": cards, "on_card_click": true,
                "players": {"list": [{"id": a, "name": "A"}, {"id": b, "name": "B"}]}
            }}),
        )
        .await;
    // ... and a HUD with explicit per-user views.
    let hud = bot
        .post_widget(
            "poker",
            json!({"widget_type": "hud", "extra_data": {
                "stats": [{"label": "pot", "value": 10}],
                "views": {
                    a.to_string(): {"stats": [{"label": "hole", "value": next("A", &mut secrets_a)}]},
                    b.to_string(): {"stats": [{"label": "hole", "value": next("B", &mut secrets_b)}]},
                    "default": {"stats": [{"label": "pot", "value": 10}]}
                }
            }}),
        )
        .await;

    // The game: new secret cards, secret changes, view changes, a reveal
    // that makes one of bob's cards public, then hides it again.
    let (na, nb) = (next("A", &mut secrets_a), next("B", &mut secrets_b));
    bot.update(
        hand,
        json!({"add_cards": [
            {"id": "a9", "face": na, "owner": a, "hidden_for_others": true},
            {"id": "b9", "face": nb, "owner": b, "hidden_for_others": true}
        ]}),
    )
    .await;
    let (na, nb) = (next("A", &mut secrets_a), next("B", &mut secrets_b));
    bot.update(
        hand,
        json!({"update_card": [{"id": "a0", "face": na}, {"id": "b0", "face": nb}]}),
    )
    .await;
    let (na, nb) = (next("A", &mut secrets_a), next("B", &mut secrets_b));
    bot.update(
        hud,
        json!({"views": {
            a.to_string(): {"set_stat": {"label": "hole", "value": na}},
            b.to_string(): {"set_stat": {"label": "hole", "value": nb}}
        }}),
    )
    .await;
    // Showdown of b1 only: its face becomes public, under a public string.
    bot.update(
        hand,
        json!({"update_card": {"id": "b1", "face": "PUBLIC_SHOWN", "hidden_for_others": false}}),
    )
    .await;
    let nb = next("B", &mut secrets_b);
    bot.update(
        hand,
        json!({"update_card": {"id": "b1", "face": nb, "hidden_for_others": true}}),
    )
    .await;
    // Reorder and remove (ids are public; faces are not).
    bot.update(
        hand,
        json!({"reorder": ["b9", "a9", "a0", "b0", "a1", "b1", "a2", "b2"]}),
    )
    .await;
    bot.update(hand, json!({"remove_cards": ["a2", "b2"]}))
        .await;
    // A whole replacement with fresh secrets.
    let (na, nb) = (next("A", &mut secrets_a), next("B", &mut secrets_b));
    let r = bot
        .patch(
            &format!("/messages/{hud}/widget"),
            json!({"widget": {"widget_type": "hud", "extra_data": {
                "stats": [{"label": "pot", "value": 20}],
                "views": {
                    a.to_string(): {"stats": [{"label": "hole", "value": na}]},
                    b.to_string(): {"stats": [{"label": "hole", "value": nb}]}
                }
            }}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Players poke at each other's secrets: clicks on hidden cards, patches,
    // interactions with bad fields; every error body is collected.
    for (p, other) in [(&alice, "b"), (&bob, "a")] {
        for i in [0, 1, 9] {
            p.post(
                &format!("/messages/{hand}/interactions"),
                json!({"type": "card_click", "id": format!("{other}{i}"), "client_seq": i}),
            )
            .await;
        }
        p.post(
            &format!("/messages/{hand}/interactions"),
            json!({"type": "card_select", "ids": ["a0"]}),
        )
        .await;
        p.post(
            &format!("/messages/{hud}/interactions"),
            json!({"type": "card_click", "id": "a0"}),
        )
        .await;
        p.patch(
            &format!("/messages/{hand}/widget"),
            json!({"update": {"update_card": {"id": "b0", "face": "x"}}}),
        )
        .await;
        p.get(&format!("/messages/{hand}")).await;
        p.get(&format!("/messages/{hud}")).await;
        p.get("/messages?topic=poker&anchor=newest&num_before=50")
            .await;
    }

    // Drain every event stream to the final version of both widgets.
    let done = |e: &Value| e["message_id"] == hud && e["type"] == "widget_replace";
    let (aev, _) = alice.poll_until(&aq, 0, done).await;
    let (bev, _) = bob.poll_until(&bq, 0, done).await;
    let aw = aws.until(done).await;
    let bw = bws.until(done).await;
    // Alice sees her own secrets, which proves the stream carried them.
    let a_bytes = String::from_utf8(alice.received.lock().expect("lock").clone()).expect("utf8");
    let b_bytes = String::from_utf8(bob.received.lock().expect("lock").clone()).expect("utf8");
    for c in &secrets_a[secrets_a.len() - 2..] {
        assert!(a_bytes.contains(c.as_str()), "alice should see her own {c}");
    }
    assert!(b_bytes.contains("PUBLIC_SHOWN"), "the showdown reached bob");
    assert!(
        a_bytes.contains("PUBLIC_SHOWN"),
        "the showdown reached alice"
    );
    for c in &secrets_b {
        assert!(
            !a_bytes.contains(c.as_str()),
            "bob's secret {c} leaked to alice"
        );
    }
    for c in &secrets_a {
        assert!(
            !b_bytes.contains(c.as_str()),
            "alice's secret {c} leaked to bob"
        );
    }
    assert!(
        !a_bytes.contains("\"views\""),
        "views never leave the server"
    );
    assert!(
        !b_bytes.contains("\"views\""),
        "views never leave the server"
    );
    // Version sequences are gapless per widget in every stream.
    for evs in [&aev, &bev, &aw, &bw] {
        for id in [hand, hud] {
            let versions: Vec<u64> = evs
                .iter()
                .filter(|e| e["message_id"] == id || e["message"]["id"] == id)
                .map(|e| {
                    e["version"]
                        .as_u64()
                        .or(e["message"]["version"].as_u64())
                        .expect("version")
                })
                .collect();
            let expect: Vec<u64> = (1..=versions.len() as u64).collect();
            assert_eq!(versions, expect);
        }
    }
    // The bot (sender) sees everything, including both players' secrets.
    let full = bot.get(&format!("/messages/{hand}")).await;
    assert!(secrets_b.iter().any(|c| full.text.contains(c.as_str())));
    assert!(secrets_a.iter().any(|c| full.text.contains(c.as_str())));
}
