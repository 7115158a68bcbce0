//! # tradewind-actors — the engine's actix actors
//!
//! # Layout
//! - [`blackout`]: the blackout clock — when new orders pause (forecast cycles, maintenance).
//! - [`clock`]: injected time ([`clock::Clock`], [`clock::LiveClock`], [`clock::FakeClock`]).
//! - [`feed`]: the market-data feed — one supervised WebSocket, local books with epochs.
//! - [`gateway`]: the REST gateway actor — the only door to Kalshi's REST API.
//! - [`journal`]: the order journal — SQLite (WAL) of intents, orders, fills, positions.
//! - [`market_data`]: messages the feed publishes (books, staleness, fills, lifecycle) and the
//!   watch list it follows.
//! - [`metadata`]: the metadata cache — markets, events, series; tells the feed what to watch.
//! - [`orders`]: the order manager — order state machine, risk limits, blackout gate,
//!   positions and P&L, reconciliation with the exchange.
//! - [`root`]: the engine — starts every actor in order, restarts them, shuts down cleanly.
//! - [`strategy`]: the pure strategy trait, the fair-value strategy and forecasts.
//! - [`tls`]: base URLs and the HTTP client (rustls, webpki roots).

pub mod backoff;
pub mod blackout;
pub mod clock;
pub mod feed;
pub mod gateway;
pub mod journal;
pub mod market_data;
pub mod metadata;
pub mod metrics;
pub mod orders;
pub mod root;
pub mod strategy;
pub mod tls;
