//! `tradewind backtest`: a recording replayed through the engine's own feed book-keeping,
//! strategy and order-manager checks on a virtual clock, with the simulator's matching engine
//! as the venue.
//!
//! # Layout
//! - [`venue`]: the simulator's exchange core holding the recorded book, the recorded
//!   takers and the strategy's orders.

pub mod agenda;
pub mod desk;
pub mod forecasts;
pub mod replay;
pub mod run;
pub mod venue;
