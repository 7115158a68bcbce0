//! # kalshi — the wire protocol of Kalshi's Trade API v2
//!
//! Everything Tradewind and its simulated exchange must agree on, in one crate with no actors
//! and no I/O: exact fixed-point numbers, identifiers, request signing, REST and WebSocket
//! message types, error bodies, rate-limit facts and a local order book. The engine and the
//! simulator both build on it, so a wrong field is fixed in one place.
//!
//! # Layout
//!
//! - [`num`]: [`Price`], [`Count`], [`Money`] and the market price grid ([`num::ticks`]).
//! - [`types`]: sides, time in force, statuses and other wire enumerations.
//! - [`ids`]: [`Ticker`], [`EventTicker`], [`SeriesTicker`], [`OrderId`], [`ClientOrderId`].
//! - [`level`]: [`level::PriceLevel`], one `[price, count]` order-book level.
//! - [`ws`]: WebSocket v2 commands and server frames; [`ws::decode`] reads a frame in one pass.
//! - [`book`]: [`book::OrderBook`], the local bids-only book kept from snapshots and deltas.
//! - [`rest`]: REST request/response bodies, query parameters and the [`rest::Endpoint`] table.
//! - [`error`]: [`ApiError`], parsed from any of Kalshi's three error-body shapes.
//! - [`fees`]: the taker/maker fee approximation shared by the simulator and the strategy.
//! - [`limits`]: rate-limit facts: buckets, endpoint costs, tier budgets.
//! - [`bucket`]: [`bucket::TokenBucket`], the exact token-bucket arithmetic both sides run.

pub mod book;
pub mod bucket;
pub mod error;
pub mod fees;
pub mod ids;
pub mod level;
pub mod limits;
pub mod num;
pub mod rest;
pub mod sign;
pub mod types;
pub mod ws;

pub use error::ApiError;
pub use ids::{ClientOrderId, EventTicker, IdError, OrderId, SeriesTicker, Ticker};
pub use num::{Count, Money, ParseFixedError, Price};
