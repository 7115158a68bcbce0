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

pub mod ids;
pub mod num;
pub mod types;

pub use ids::{ClientOrderId, EventTicker, IdError, OrderId, SeriesTicker, Ticker};
pub use num::{Count, Money, ParseFixedError, Price};
