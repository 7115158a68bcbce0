//! # tradewind-actors — the engine's actix actors
//!
//! # Layout
//! - [`clock`]: injected time ([`clock::Clock`], [`clock::LiveClock`], [`clock::FakeClock`]).
//! - [`gateway`]: the REST gateway — lanes, token buckets, backoff (pure parts so far).

pub mod clock;
pub mod gateway;
