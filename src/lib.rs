//! # tradewind — an actor-based trading engine for Kalshi, as a library
//!
//! The `tradewind` binary is a thin command line over this crate. A program that wants the
//! engine — one WebSocket for market data, one rate-limited REST gateway, every order placed
//! once and journaled, blackouts around forecast releases — with its own decision code
//! implements [`strategy::Strategy`] and runs it with an [`EngineBuilder`]:
//!
//! ```no_run
//! use tradewind::{EngineBuilder, strategy::{Intent, MarketView, Strategy}};
//!
//! struct MyStrategy;
//! impl Strategy for MyStrategy {
//!     fn on_book(&mut self, view: &MarketView) -> Vec<Intent> {
//!         // Look at view.book, view.position, view.fair; answer orders to place.
//!         Vec::new()
//!     }
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let summary = EngineBuilder::from_config_file("config/default.toml")?
//!     .strategy(|| MyStrategy)
//!     .run()?; // until Ctrl-C or SIGTERM; `.duration(..)` to stop by itself
//! println!("{} orders, {} fills", summary.orders_placed(), summary.fills());
//! # Ok(())
//! # }
//! ```
//!
//! `examples/custom_strategy.rs` is a complete one that trades the embedded simulator.
//!
//! # Layout
//! - [`builder`]: [`EngineBuilder`] — config, strategy, duration → run → [`RunSummary`].
//! - [`strategy`]: what writing a strategy needs, re-exported from the crates below.
//! - [`config`]: the config file — one section per actor, `${ENV}` expansion, validation
//!   that reports every problem, masked rendering.
//! - [`run`]: the running engine — the exchange (embedded simulator or Kalshi), status line,
//!   `/metrics` and `/healthz`, signals, shutdown, the summary.
//! - [`record`]: recording every frame and market the engine receives (`tradewind record`)
//!   into compressed files, and [`record::Reader`] to read them back.
//! - [`backtest`]: backtesting on recorded data; [`backtest::report`] is its report
//!   (`report.json` and a self-contained `report.html`).
//! - [`duration`]: `90`, `500ms`, `60s`, `5m`, `1h`.
//!
//! Below it: [`tradewind_actors`] (the actors and the engine's root) and [`kalshi`] (the wire
//! protocol and its fixed-point numbers), both re-exported.

pub mod backtest;
pub mod builder;
pub mod config;
pub mod duration;
pub mod record;
pub mod run;

pub use kalshi;
pub use tradewind_actors;

pub use self::{
    builder::EngineBuilder,
    run::{RunError, RunSummary},
};

/// Everything a strategy is written with: the trait and its inputs and outputs, the order
/// terms, and the exact numbers prices and sizes are made of.
pub mod strategy {
    pub use chrono::{DateTime, TimeDelta, Utc};
    pub use kalshi::{
        Count, Price, Ticker,
        book::OrderBook,
        level::PriceLevel,
        num::PriceRanges,
        types::{BookSide, TimeInForce},
    };
    pub use tradewind_actors::{
        orders::{OrderRecord, OrderSpec, OrderState},
        strategy::{
            AmendIntent, Intent, MarketView, PlaceIntent, Strategy, StrategyFactory, Waker,
        },
    };
}
