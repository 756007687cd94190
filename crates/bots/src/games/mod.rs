//! The demo games, each a [`crate::Bot`] with a fixed command.
//!
//! | command | bot |
//! |---|---|
//! | `/tictactoe @user` | [`tictactoe::TicTacToe`] |
//! | `/battleship @user` | [`battleship::Battleship`] |
//! | `/blackjack` | [`blackjack::Blackjack`] |
//! | `/lobby GAME` | [`lobby::Lobby`] |

pub mod battleship;
pub mod blackjack;
pub mod lobby;
pub mod tictactoe;
