//! # kalshi-sim — a simulated Kalshi exchange that speaks the real API
//!
//! # Layout
//! - [`engine`]: the exchange core — accounts, markets, matching, lifecycle — pure and
//!   synchronous.
//! - [`catalogue`]: the default temperature-market catalogue and its hidden truths.
//! - [`clock`]: real or manual time.
//! - [`ratelimit`]: Kalshi-style token buckets.
//! - [`world`]: truth drift, background market makers, determination.

pub mod catalogue;
pub mod clock;
pub mod engine;
pub mod ratelimit;
pub mod world;
