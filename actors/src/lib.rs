//! # tradewind-actors — the engine's actix actors
//!
//! # Layout
//! - [`clock`]: injected time ([`clock::Clock`], [`clock::LiveClock`], [`clock::FakeClock`]).
//! - [`gateway`]: the REST gateway actor — the only door to Kalshi's REST API.
//! - [`market_data`]: messages the feed publishes (books, staleness, fills, lifecycle) and the
//!   watch list it follows.
//! - [`tls`]: base URLs and the HTTP client (rustls, webpki roots).

pub mod clock;
pub mod gateway;
pub mod market_data;
pub mod tls;
