//! # tradewind-actors — the engine's actix actors
//!
//! # Layout
//! Actors, one folder each, with their messages, config and metrics:
//! - [`gateway`]: the REST gateway — the only door to Kalshi's REST API.
//! - [`feed`]: the market-data feed — one supervised WebSocket, local books with epochs.
//! - [`metadata`]: the metadata cache — markets, events, series; tells the feed what to watch.
//! - [`blackout`]: the blackout clock — when new orders pause (forecast cycles, maintenance).
//! - [`orders`]: the order manager — order state machine, risk limits, blackout gate,
//!   positions and P&L, reconciliation with the exchange, and its SQLite journal.
//! - [`strategy`]: the pure strategy trait, the fair-value strategy, forecasts, and the thin
//!   actor around them.
//! - [`root`]: the engine — starts every actor in order under the [`supervision`] tree,
//!   wires them, shuts down cleanly.
//! - [`fault_injection`]: with feature `fault-injection` (tests and the process soak only),
//!   makes any actor panic on purpose; without it, only says it cannot.
//!
//! Shared below them:
//! - [`market_data`]: messages the feed publishes (books, staleness, fills, lifecycle) and the
//!   watch list it follows.
//! - [`health`]: what `/healthz` holds against, naming the actor at fault.
//! - [`metrics`]: the one metrics pattern (flattened counters, bounded duration histograms).
//! - [`recording`]: the tap through which the feed and the metadata cache hand what they
//!   receive to a recorder, never waiting for it.
//! - [`stamps`]: an order's path stamped step by step (feed → gateway), histograms per stage.
//! - [`backoff`]: exponential backoff with full jitter (gateway retries, feed reconnects).
//! - [`clock`]: injected time ([`clock::Clock`], [`clock::LiveClock`], [`clock::FakeClock`]).
//! - [`base_url`]: exchange URLs, encrypted off loopback; [`http_client`]: awc with rustls.

pub mod backoff;
pub mod base_url;
pub mod blackout;
pub mod clock;
pub mod fault_injection;
pub mod feed;
pub mod gateway;
pub mod health;
pub mod http_client;
pub mod market_data;
pub mod metadata;
pub mod metrics;
pub mod orders;
pub mod recording;
pub mod root;
pub mod stamps;
pub mod strategy;
pub mod supervision;
