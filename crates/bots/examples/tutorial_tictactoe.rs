//! Tic-tac-toe with the tulip-bots SDK: see docs/tutorial-tictactoe.md.
use tulip_bots::*;

#[derive(serde::Serialize, serde::Deserialize)] // board (seat per cell), seats, turn
struct Game(Vec<Option<usize>>, Seats, Turns);
impl GameState for Game {} // kept with its message: it survives restarts
#[derive(Default)]
pub struct Tutorial(Games<Game>);
const LINES: [usize; 24] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 3, 6, 1, 4, 7, 2, 5, 8, 0, 4, 8, 2, 4, 6,
];

impl GameBot for Tutorial {
    fn name(&self) -> String {
        "tutorial-bot".into()
    }
    fn commands(&self) -> Vec<String> {
        vec!["ttt".into()]
    }
    fn on_command(&mut self, ctx: &mut Ctx, cmd: &Command) -> BotResult<()> {
        let mut seats = Seats::two(cmd.user_id, &ctx.opponent(&cmd.args)); // `@bob`: bob's id
        ctx.name_seats(&mut seats); // "alice", not "user 8"
        let text = format!("{} (X) vs {} (O)", seats.name(0), seats.name(1));
        let grid = WidgetBuilder::grid(3, 3)
            .set("on_cell_click", true)
            .turn(Turns::new(2).value(&seats));
        let game = Game(vec![None; 9], seats, Turns::new(2));
        self.0.post(ctx, &cmd.topic, &text, &grid, game).map(|_| ())
    }
    fn on_interaction(&mut self, ctx: &mut Ctx, ev: &Interaction) -> BotResult<()> {
        let Some(Action::CellClick { x, y }) = ev.action else {
            return Ok(());
        };
        let Some(Game(b, seats, turns)) = self.0.get(ctx, ev.message_id)? else {
            return Ok(()); // Not one of our games (after a restart: loaded from the server).
        };
        let i = (y * 3 + x) as usize; // An open seat goes to the first other player:
        if seats.seat_or_claim(ev.user_id, turns.seat) != Some(turns.seat) || b[i].is_some() {
            return Ok(());
        }
        b[i] = Some(turns.seat);
        let cell = el::cell_text(x, y, ["X", "O"][turns.seat]).with("clickable_by", [0; 0]);
        let mut update = UpdateBuilder::new().set_cell(cell);
        if LINES.chunks(3).any(|l| l.iter().all(|&j| b[j] == b[i])) {
            update = update.emphasize("widget", "glow"); // A win: nobody moves any more.
            turns.finish();
        } else if b.iter().all(Option::is_some) {
            turns.finish(); // A draw.
        } else {
            turns.advance();
        }
        let update = update.set_turn(turns.value(seats)); // The game's new state goes with it:
        self.0.update(ctx, ev.message_id, &update).map(|_| ())
    }
}

fn main() -> BotResult<()> {
    let api = remote::Api::dev_login("http://127.0.0.1:8080", "tutorial-bot", true)?;
    remote::run(Tutorial::default(), api)
}
