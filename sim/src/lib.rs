//! # kalshi-sim — a simulated Kalshi exchange that speaks the real API
//!
//! # Layout
//! - [`engine`]: the exchange core — accounts, markets, matching, lifecycle — pure and
//!   synchronous.

pub mod engine;
