//! The strategy: a pure [`Strategy`] trait with the built-in fair-value strategy, the
//! forecasts it prices from, and the thin actor that feeds it books and forwards its intents to
//! the order manager.
//!
//! # Layout
//! - [`interface`] holds `MarketView`, `Intent`, `PlaceIntent`, the `Strategy` trait and the
//!   `StrategyFactory` the engine builds strategies with (a custom one, or the built-in
//!   `[strategy] kind` names: [`StrategyConfig::builtin`]).
//! - [`fair_value`] holds the fair-value strategy and its config; [`quoter`] the quoter (a
//!   two-sided market maker around the fair value, amending its quotes in place); [`external`]
//!   the strategy run by a child process over a line protocol (`kind = "external"`).
//! - [`forecast`] holds forecasts (JSON file, Open-Meteo ensembles) and fair probabilities.
//! - [`source`] fetches and watches them: Open-Meteo's schedule and requests, the file;
//!   [`cycle`] decides whether a forecast that arrives after a GFS window is newer (pure), and
//!   `refresh` is the actor's side of it.
//! - `actor` holds [`StrategyActor`] (glue: books, metadata, positions, blackout, forecast
//!   refreshes → the strategy), `dispatch` its intents → the order manager; [`config`] the `[strategy]` section;
//!   [`metrics`] its metrics; [`state`] its state (`trading` or `idle` and why), pure, and
//!   `report` the actor's answer to `GetMetrics` with it.

mod actor;
pub mod config;
pub mod cycle;
mod dispatch;
mod evaluate;
pub mod external;
pub mod fair_value;
pub mod forecast;
pub mod interface;
mod lifecycle;
pub mod market_status;
pub mod metrics;
pub mod quoter;
mod refresh;
mod report;
pub mod source;
pub mod state;

pub use self::{
    actor::{GetMetrics, SeedPositions, StopStrategy, StrategyActor, StrategyPeers, Wake},
    config::{ForecastConfig, ForecastSource, STRATEGY_KINDS, StrategyConfig, StrategyKind},
    external::{ExternalConfig, ExternalStrategy},
    fair_value::{FairValue, FairValueConfig},
    forecast::Forecast,
    interface::{AmendIntent, Intent, MarketView, PlaceIntent, Strategy, StrategyFactory, Waker},
    metrics::StrategyMetrics,
    quoter::{Quoter, QuoterConfig},
    state::{IdleReason, StrategyState},
};

#[cfg(test)]
mod actor_tests;
