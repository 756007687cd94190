//! `tulip-server --demo-bots`: every demo game starts embedded and owns its
//! fixed command.

mod common;

use common::TestServer;
use tulip_bots::remote::Api;
use tulip_bots::BotError;

#[test]
fn demo_games_start_and_own_their_commands() {
    let server = TestServer::start();
    server
        .rt
        .block_on(tulip_server::bots::spawn_demo_games(&server.state))
        .expect("demo games");
    let other = Api::dev_login(&server.base, "squatter", true).expect("login");
    for cmd in [
        "tictactoe",
        "battleship",
        "blackjack",
        "lobby",
        "whack",
        "rpg",
        "mud",
    ] {
        match other.register_commands(&[cmd.to_owned()]) {
            Err(BotError::Api { code, .. }) => assert_eq!(code, "COMMAND_TAKEN", "{cmd}"),
            other => panic!("{cmd}: {other:?}"),
        }
    }
}
