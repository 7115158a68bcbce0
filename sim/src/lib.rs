//! # kalshi-sim — a simulated Kalshi exchange that speaks the real API
//!
//! # Layout
//! - [`engine`]: the exchange core — accounts, markets, matching, lifecycle — pure and
//!   synchronous.
//! - [`catalogue`]: the default temperature-market catalogue and its hidden truths.
//! - [`world`]: truth drift, background market makers, determination.

pub mod catalogue;
pub mod engine;
pub mod world;
