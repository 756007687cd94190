//! The demo games, each a [`crate::GameBot`] with a fixed command, keeping
//! its games with their messages ([`crate::Games`]) so that they survive
//! restarts.
//!
//! | command | bot |
//! |---|---|
//! | `/tictactoe @user` | [`tictactoe::TicTacToe`] |
//! | `/battleship @user` | [`battleship::Battleship`] |
//! | `/blackjack` | [`blackjack::Blackjack`] |
//! | `/whack [seconds]` | [`whack::Whack`] |
//! | `/rpg` | [`rpg::Rpg`] |
//! | `/mud` | [`mud::Mud`] |
//! | `/lobby GAME` | [`lobby::Lobby`] |

pub mod battleship;
pub mod blackjack;
pub mod lobby;
pub mod mud;
pub mod rpg;
pub mod tictactoe;
pub mod whack;
