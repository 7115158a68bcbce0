//! Exact fixed-point numbers for Kalshi's decimal strings.
//!
//! - [`Price`]: a YES or NO price in dollars, `0` to `1` inclusive, held in millionths
//!   (`*_dollars` strings: up to 6 decimals out, 4 on order input).
//! - [`Count`]: a number of contracts in hundredths, signed so it also carries deltas
//!   (`*_fp` strings, 2 decimals).
//! - [`Money`]: an amount of dollars in millionths, signed (`*_dollars` amounts, and the integer
//!   cents of balances and settlements through [`money::cents`]).
//! - [`ticks`]: a market's price grid (`price_level_structure`, `price_ranges`) and tick checks.
//!
//! Nothing here touches `f64` except the explicitly named conversions the strategy uses for
//! display and probability maths.
//!
//! # Layout
//!
//! - this file: the re-exports only.
//! - `decimal`: decimal-string parsing and printing, [`ParseFixedError`], and the macro that
//!   gives each type its `FromStr` and serde impls.
//! - `arith`: the saturating operators `Count` and `Money` share.
//! - `price`, `count`, [`money`]: one type each; `notional`: where they meet
//!   ([`Price::notional`], [`Money::from_price`]).
//! - [`ticks`]: the price grid.

mod arith;
mod count;
mod decimal;
pub mod money;
mod notional;
mod price;
pub mod ticks;

pub use count::Count;
pub use decimal::{DecimalErrorKind, ParseFixedError};
pub use money::Money;
pub use price::Price;
pub use ticks::{PriceLevelStructure, PriceRange, PriceRanges, TickError};

pub(crate) use decimal::{parse as parse_decimal, write as write_decimal};
