//! `/tictactoe @user`: a 3x3 grid with enforced turns, win and draw, and
//! client-side prediction of each player's own mark.
//!
//! The server does the refusing: the turn is `enforce`d (a move out of turn
//! is `NOT_YOUR_TURN`), a taken cell is `clickable_by: []` (`NOT_ALLOWED`),
//! and a finished game has no current player.
//!
//! Each [`Game`] is kept with its message on the server ([`Games`]), so a
//! game survives a restart of the server or of the bot.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::helpers::{Opponent, Seats, Turns};
use crate::{
    el, Action, BotResult, Command, Ctx, GameBot, GameState, Games, Interaction, UpdateBuilder,
    WidgetBuilder,
};

const MARKS: [&str; 2] = ["X", "O"];
const LINES: [[usize; 3]; 8] = [
    [0, 1, 2],
    [3, 4, 5],
    [6, 7, 8],
    [0, 3, 6],
    [1, 4, 7],
    [2, 5, 8],
    [0, 4, 8],
    [2, 4, 6],
];

/// How a game ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// The seat that won and its line.
    Win(usize, [usize; 3]),
    Draw,
}

/// Why a move is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveError {
    GameOver,
    NotAPlayer,
    NotYourTurn,
    OutOfBounds,
    Taken,
}

/// The rules, without any I/O.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Game {
    /// Row-major; `Some(seat)` when taken.
    pub board: [Option<usize>; 9],
    pub seats: Seats,
    pub turns: Turns,
    pub outcome: Option<Outcome>,
}

impl Game {
    pub fn new(seats: Seats) -> Game {
        Game {
            board: [None; 9],
            seats,
            turns: Turns::new(2),
            outcome: None,
        }
    }

    /// `user` plays at (`x`, `y`).
    pub fn play(&mut self, user: i64, x: u32, y: u32) -> Result<Option<Outcome>, MoveError> {
        if self.outcome.is_some() {
            return Err(MoveError::GameOver);
        }
        if x > 2 || y > 2 {
            return Err(MoveError::OutOfBounds);
        }
        let seated = self.seats.seat_of(user);
        let seat = match seated {
            Some(s) => s,
            // An open seat goes to the first other user who plays in it.
            None if self.seats.user(self.turns.seat).is_none() => self.turns.seat,
            None => return Err(MoveError::NotAPlayer),
        };
        if seat != self.turns.seat {
            return Err(MoveError::NotYourTurn);
        }
        let i = (y * 3 + x) as usize;
        if self.board[i].is_some() {
            return Err(MoveError::Taken);
        }
        // A refused move changes nothing, not even an open seat.
        if seated.is_none() {
            self.seats
                .seat_or_claim(user, seat)
                .ok_or(MoveError::NotAPlayer)?;
        }
        self.board[i] = Some(seat);
        self.outcome = self.judge();
        match self.outcome {
            Some(_) => self.turns.finish(),
            None => self.turns.advance(),
        }
        Ok(self.outcome)
    }

    fn judge(&self) -> Option<Outcome> {
        for line in LINES {
            if let [Some(a), Some(b), Some(c)] = line.map(|i| self.board[i]) {
                if a == b && b == c {
                    return Some(Outcome::Win(a, line));
                }
            }
        }
        self.board
            .iter()
            .all(Option::is_some)
            .then_some(Outcome::Draw)
    }

    /// One line about the state of the game.
    pub fn status(&self) -> String {
        match self.outcome {
            Some(Outcome::Win(s, _)) => format!("{} ({}) wins!", self.seats.name(s), MARKS[s]),
            Some(Outcome::Draw) => "Draw!".to_owned(),
            None => format!(
                "{} ({}) to move",
                self.seats.name(self.turns.seat),
                MARKS[self.turns.seat]
            ),
        }
    }
}

fn board_cell(i: usize, seat: usize, winning: bool) -> crate::El {
    let (x, y) = ((i % 3) as u32, (i / 3) as u32);
    let mut c = el::cell_text(x, y, MARKS[seat])
        .with("fg", if seat == 0 { "#1e88e5" } else { "#e53935" })
        // Taken: nobody may click it (the server answers NOT_ALLOWED).
        .with("clickable_by", Vec::<i64>::new());
    if winning {
        c = c.with("bg", "#fff59d");
    }
    c
}

/// The widget for the start of a game.
pub fn widget(game: &Game) -> WidgetBuilder {
    let mut board = WidgetBuilder::grid(3, 3)
        .set("cell_size", 80)
        .set("on_cell_click", true)
        .set("cells", Vec::<crate::El>::new())
        // Each player sees their own mark predicted.
        .predict_cell(MARKS[1]);
    if let Some(x) = game.seats.user(0) {
        board = board.view(
            x,
            "prediction",
            json!({"enabled": true, "cell_click": {"action": "set_content", "value": MARKS[0], "style": "pending"}}),
        );
    }
    let mut w = WidgetBuilder::composite("vertical")
        .child("board", board)
        .child(
            "status",
            WidgetBuilder::hud().push("stats", el::stat("Status", game.status())),
        )
        .turn(game.turns.value(&game.seats));
    if let Some(p) = game.seats.players_value() {
        w = w.set("players", p);
    }
    w
}

/// The update after the move at cell `i`.
pub fn move_update(game: &Game, i: usize) -> UpdateBuilder {
    let mut board = UpdateBuilder::new();
    let win = match game.outcome {
        Some(Outcome::Win(_, line)) => Some(line),
        _ => None,
    };
    for (j, s) in game.board.iter().enumerate() {
        let winning = win.is_some_and(|l| l.contains(&j));
        if let Some(s) = s {
            if j == i || winning {
                board = board.set_cell(board_cell(j, *s, winning));
            }
        }
    }
    if let Some(l) = win {
        for j in l {
            board = board.emphasize(&format!("{},{}", j % 3, j / 3), "glow");
        }
    }
    UpdateBuilder::new()
        .child("board", board)
        .child(
            "status",
            UpdateBuilder::new().set_stat("Status", game.status()),
        )
        .set_turn(game.turns.value(&game.seats))
}

impl GameState for Game {
    const KIND: &'static str = "tictactoe";
}

/// The bot: one [`Game`] per message, kept with the message.
#[derive(Default)]
pub struct TicTacToe {
    pub games: Games<Game>,
}

impl GameBot for TicTacToe {
    fn name(&self) -> String {
        "tictactoe-bot".into()
    }
    fn commands(&self) -> Vec<String> {
        vec!["tictactoe".into()]
    }

    fn on_command(&mut self, ctx: &mut Ctx, cmd: &Command) -> BotResult<()> {
        let opponent = ctx.opponent(&cmd.args);
        if opponent == Opponent::Id(cmd.user_id) {
            ctx.say(&cmd.topic, "You cannot play against yourself.")?;
            return Ok(());
        }
        let mut seats = Seats::two(cmd.user_id, &opponent);
        ctx.name_seats(&mut seats);
        let game = Game::new(seats);
        let text = format!(
            "Tic-tac-toe: {} (X) vs {} (O)",
            game.seats.name(0),
            game.seats.name(1)
        );
        self.games
            .post(ctx, &cmd.topic, &text, &widget(&game), game)?;
        Ok(())
    }

    fn on_interaction(&mut self, ctx: &mut Ctx, ev: &Interaction) -> BotResult<()> {
        let Some(Action::CellClick { x, y }) = ev.action else {
            return Ok(());
        };
        let id = ev.message_id;
        // From memory, or from the server after a restart.
        let Some(game) = self.games.get(ctx, id)? else {
            return Ok(());
        };
        let was_full = game.seats.is_full();
        if game.play(ev.user_id, x, y).is_err() {
            // Only reachable while a seat is open (the server refuses the
            // rest): undo the predicted mark with a shake.
            let u = UpdateBuilder::new().child(
                "board",
                UpdateBuilder::new().emphasize(&format!("{x},{y}"), "shake"),
            );
            ctx.update(id, &u)?;
            return Ok(());
        }
        let claimed = !was_full && game.seats.is_full();
        if claimed {
            // Whoever took the open seat is shown by name.
            ctx.name_seats(&mut game.seats);
        }
        let over = game.outcome.is_some();
        let status = UpdateBuilder::new().child(
            "status",
            UpdateBuilder::new().set_stat("Status", game.status()),
        );
        let replacement = claimed.then(|| {
            // The open seat was taken: from now on the turn is enforced and
            // everyone else is a spectator. `players` has no operation, so
            // the whole widget is replaced.
            let cells: Vec<_> = game
                .board
                .iter()
                .enumerate()
                .filter_map(|(j, s)| s.map(|s| board_cell(j, s, false)))
                .collect();
            rebuild_board(widget(game), cells)
        });
        let u = match &replacement {
            Some(_) => status,
            None => move_update(game, (y * 3 + x) as usize),
        };
        if let Some(w) = replacement {
            self.games.replace(ctx, id, &w)?;
        }
        self.games.update(ctx, id, &u)?;
        if over {
            self.games.end(ctx, id);
        }
        Ok(())
    }
}

fn rebuild_board(w: WidgetBuilder, cells: Vec<crate::El>) -> WidgetBuilder {
    let Some(serde_json::Value::Array(children)) = w.get("widgets").cloned() else {
        return w;
    };
    let children: Vec<serde_json::Value> = children
        .into_iter()
        .map(|mut c| {
            if c["id"] == "board" {
                c["cells"] = json!(cells);
            }
            c
        })
        .collect();
    w.set("widgets", children)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn game() -> Game {
        Game::new(Seats::two(1, &Opponent::Id(2)))
    }

    #[test]
    fn x_wins_a_row() {
        let mut g = game();
        assert_eq!(g.play(1, 0, 0), Ok(None));
        assert_eq!(g.play(2, 0, 1), Ok(None));
        assert_eq!(g.play(1, 1, 0), Ok(None));
        assert_eq!(g.play(2, 1, 1), Ok(None));
        assert_eq!(g.play(1, 2, 0), Ok(Some(Outcome::Win(0, [0, 1, 2]))));
        assert_eq!(g.play(2, 2, 2), Err(MoveError::GameOver));
        assert!(g.status().contains("wins"));
    }

    #[test]
    fn a_full_board_without_a_line_is_a_draw() {
        let mut g = game();
        // X O X / X O O / O X X
        for (u, x, y) in [
            (1, 0, 0),
            (2, 1, 0),
            (1, 2, 0),
            (2, 1, 1),
            (1, 0, 1),
            (2, 2, 1),
            (1, 1, 2),
            (2, 0, 2),
        ] {
            assert_eq!(g.play(u, x, y), Ok(None));
        }
        assert_eq!(g.play(1, 2, 2), Ok(Some(Outcome::Draw)));
    }

    #[test]
    fn turns_cells_and_players_are_enforced() {
        let mut g = game();
        assert_eq!(g.play(2, 0, 0), Err(MoveError::NotYourTurn));
        assert_eq!(g.play(3, 0, 0), Err(MoveError::NotAPlayer));
        g.play(1, 0, 0).expect("ok");
        assert_eq!(g.play(2, 0, 0), Err(MoveError::Taken));
        assert_eq!(g.play(2, 3, 0), Err(MoveError::OutOfBounds));
    }

    #[test]
    fn a_refused_move_does_not_take_an_open_seat() {
        let mut g = Game::new(Seats::two(1, &Opponent::Name("bob".into())));
        g.play(1, 1, 1).expect("x");
        assert_eq!(g.play(5, 1, 1), Err(MoveError::Taken));
        assert_eq!(g.seats.user(1), None, "still open");
        g.play(6, 0, 0).expect("o claims");
        assert_eq!(g.seats.user(1), Some(6));
    }

    #[test]
    fn a_game_survives_its_stored_form() {
        let mut g = Game::new(Seats::two(1, &Opponent::Name("bob".into())));
        g.play(1, 0, 0).expect("x");
        g.play(2, 1, 1).expect("o");
        let stored = serde_json::to_string(&g).expect("store");
        let back: Game = serde_json::from_str(&stored).expect("load");
        assert_eq!(back, g);
    }

    #[test]
    fn an_open_seat_goes_to_the_first_other_player() {
        let mut g = Game::new(Seats::two(1, &Opponent::Name("bob".into())));
        assert_eq!(g.play(5, 0, 0), Err(MoveError::NotAPlayer));
        g.play(1, 0, 0).expect("x");
        assert_eq!(g.play(1, 1, 1), Err(MoveError::NotYourTurn));
        g.play(5, 1, 1).expect("o claims");
        assert_eq!(g.seats.user(1), Some(5));
        assert_eq!(g.play(6, 2, 2), Err(MoveError::NotAPlayer));
    }

    #[test]
    fn widgets_and_updates_validate() {
        let mut g = game();
        widget(&g).build().expect("widget");
        let (_, mut w) = widget(&g)
            .checked(&tulip_core::Policy::default())
            .expect("widget");
        for (u, x, y) in [(1, 0, 0), (2, 0, 1), (1, 1, 0), (2, 1, 1), (1, 2, 0)] {
            g.play(u, x, y).expect("move");
            w = move_update(&g, (y * 3 + x) as usize)
                .check(&w)
                .expect("update");
        }
        let open = Game::new(Seats::two(1, &Opponent::Name("bob".into())));
        widget(&open).build().expect("open widget");
    }
}
