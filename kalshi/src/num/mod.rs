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

mod count;
mod decimal;
pub mod money;
mod price;
pub mod ticks;

use std::fmt;

pub use count::Count;
pub use decimal::DecimalErrorKind;
pub use money::Money;
pub use price::Price;
pub use ticks::{PriceLevelStructure, PriceRange, PriceRanges, TickError};

/// A decimal string that is not a valid value of the named type. Quotes the input
/// (truncated to 64 characters), says which type was wanted and why it was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} {input:?}: {kind}")]
pub struct ParseFixedError {
    /// The type being parsed: `"price"`, `"count"` or `"money"`.
    pub what: &'static str,
    /// The refused input, truncated to 64 characters.
    pub input: String,
    /// Why it was refused.
    pub kind: DecimalErrorKind,
}

impl ParseFixedError {
    pub(crate) fn new(what: &'static str, input: &str, kind: DecimalErrorKind) -> Self {
        let input = match input.char_indices().nth(64) {
            Some((cut, _)) => format!("{}…", &input[..cut]),
            None => input.to_owned(),
        };
        Self { what, input, kind }
    }
}

/// Implements `Display`, `FromStr`, `Serialize` and `Deserialize` (as a JSON string, borrowed
/// when possible so decoding does not allocate) for a fixed-point type with a `parse` function.
macro_rules! decimal_string_serde {
    ($ty:ident, $expecting:literal) => {
        impl ::std::str::FromStr for $ty {
            type Err = $crate::num::ParseFixedError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                struct Visitor;
                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        $ty::parse(v).map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    };
}
pub(crate) use decimal_string_serde;

/// Writes a fixed-point value; shared by the `Display` impls.
pub(crate) fn write_decimal(
    f: &mut fmt::Formatter<'_>,
    value: i64,
    scale: u32,
    min_decimals: u32,
) -> fmt::Result {
    decimal::write(f, value, scale, min_decimals)
}

pub(crate) use decimal::parse as parse_decimal;
