//! The strategy: a pure [`Strategy`] trait with the built-in fair-value strategy, and the
//! forecasts it prices from. (The actor that feeds it books and forwards its intents to the
//! order manager comes with the engine.)
//!
//! # Layout
//! - [`core`] holds `MarketView`, `Intent` and the `Strategy` trait.
//! - [`fair_value`] holds the fair-value strategy and its config.
//! - [`forecast`] holds forecasts (JSON file, Open-Meteo ensembles) and fair probabilities.

mod actor;
pub mod config;
pub mod core;
pub mod fair_value;
pub mod forecast;
mod source;

pub use self::{
    actor::{GetMetrics, SeedPositions, StrategyActor, StrategyMetrics, StrategyPeers},
    config::{ForecastConfig, ForecastSource, StrategyConfig},
    core::{Intent, MarketView, PlaceIntent, Strategy},
    fair_value::{FairValue, FairValueConfig},
    forecast::Forecast,
};

#[cfg(test)]
mod actor_tests;
