//! The chat page without games: the sign-in form, opening a topic, and
//! messages reaching another user (Enter and the Send button both send).

use tulip_e2e::{wait_some, Harness, Transport, DEFAULT_TIMEOUT};

/// Whether the page shows a message from `sender` whose content is `content`.
fn shows_message(b: &tulip_e2e::Browser, sender: &str, content: &str) -> bool {
    b.execute(
        "return Array.from(document.querySelectorAll('[data-testid=message]')).some(m =>\
           m.getAttribute('data-sender') === arguments[0] &&\
           m.getAttribute('data-message-id') !== null &&\
           (m.querySelector('[data-testid=message-content]') || {}).textContent === arguments[1]);",
        &[sender.into(), content.into()],
    ) == serde_json::json!(true)
}

#[test]
#[ignore = "end-to-end: needs TULIP_SERVER_BIN, TULIP_DIST and chromedriver (docs/e2e.md)"]
fn sign_in_form_topics_and_messages() {
    let h = Harness::new("sign_in_form_topics_and_messages");
    let topic = h.unique_topic("chat");
    let carol = h.browser("carol");
    let dave = h.browser("dave");

    // carol signs in through the form and opens the topic by its input.
    carol.navigate(&h.server.url("/#chat"));
    carol.wait_for("form[data-testid=login]", DEFAULT_TIMEOUT);
    carol.type_into("form[data-testid=login] input[name=name]", "carol");
    carol.click_css("button[data-testid=login-submit]");
    carol.wait_text("[data-testid=me]", "= carol", |t| t == "carol");
    carol.wait_state("connected", DEFAULT_TIMEOUT);
    let transport = carol.connection().1;
    assert!(
        matches!(transport.as_deref(), Some("websocket" | "long-poll")),
        "data-transport {transport:?}"
    );
    carol.type_into("input[data-testid=new-topic]", &format!("{topic}\u{E007}"));
    carol.wait_for(
        &format!("[data-testid=topic][data-topic=\"{topic}\"]"),
        DEFAULT_TIMEOUT,
    );

    dave.open_chat(&h.server, "dave", &topic, Transport::LongPoll);

    // Enter in the compose box sends.
    carol.type_into("textarea[data-testid=compose]", "hello dave\u{E007}");
    for b in [&carol, &dave] {
        wait_some(
            &format!("[{}] carol's message", b.name),
            DEFAULT_TIMEOUT,
            || shows_message(b, "carol", "hello dave").then_some(()),
        );
    }
    let value = carol.execute(
        "return document.querySelector('textarea[data-testid=compose]').value;",
        &[],
    );
    assert_eq!(
        value,
        serde_json::json!(""),
        "the compose box is emptied after sending"
    );

    // The Send button sends.
    dave.send_message("hi carol");
    for b in [&carol, &dave] {
        wait_some(
            &format!("[{}] dave's message", b.name),
            DEFAULT_TIMEOUT,
            || shows_message(b, "dave", "hi carol").then_some(()),
        );
    }
}
