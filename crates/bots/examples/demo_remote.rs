//! Runs one demo game as a standalone bot against a remote server, over
//! HTTP and its own long-poll queue: the same code `tulip-server
//! --demo-bots` runs embedded.
//!
//! ```text
//! cargo run -p tulip-bots --example demo_remote -- tictactoe http://127.0.0.1:8080 [API_KEY]
//! ```
//!
//! Without an API key it signs in through `POST /api/v1/dev/login` (servers
//! started with `--dev-login`). A game's command belongs to one bot: run
//! this against a server started without `--demo-bots`.

use tulip_bots::games::{battleship, blackjack, lobby, mud, rpg, tictactoe, whack};
use tulip_bots::remote::{self, Api};
use tulip_bots::{BotError, BotResult, GameBot};

fn run<B: GameBot>(bot: B, base: &str, key: Option<&str>) -> BotResult<()> {
    let api = match key {
        Some(k) => Api::new(base, k)?,
        None => Api::dev_login(base, &bot.name(), true)?,
    };
    eprintln!("{} on {base}: /{}", bot.name(), bot.commands().join(", /"));
    remote::run(bot, api)
}

fn main() -> BotResult<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let game = args.first().map(String::as_str).unwrap_or("tictactoe");
    let base = args
        .get(1)
        .map(String::as_str)
        .unwrap_or("http://127.0.0.1:8080");
    let key = args.get(2).map(String::as_str);
    match game {
        "tictactoe" => run(tictactoe::TicTacToe::default(), base, key),
        "battleship" => run(battleship::Battleship::default(), base, key),
        "blackjack" => run(blackjack::Blackjack::default(), base, key),
        "whack" => run(whack::Whack::default(), base, key),
        "rpg" => run(rpg::Rpg::default(), base, key),
        "mud" => run(mud::Mud::default(), base, key),
        "lobby" => run(lobby::Lobby::default(), base, key),
        other => Err(BotError::Other(format!(
            "no demo game {other}: tictactoe, battleship, blackjack, whack, rpg, mud or lobby"
        ))),
    }
}
