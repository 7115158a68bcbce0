//! [`Price`]: a contract price in dollars between 0 and 1, exact to the millionth.

use std::fmt;

use super::decimal::{self, DecimalErrorKind, ParseFixedError, decimal_string_serde};

/// A YES or NO contract price in dollars, `0.000000..=1.000000`, held as millionths of a dollar.
///
/// Parsed from and printed to Kalshi's `*_dollars` price strings (`"0.5600"`, `"0.960"`),
/// printed with at least 4 decimals and more only when needed. A NO price `p` and the YES price
/// `1 − p` describe the same trade ([`Price::complement`]).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Price(u32);

impl Price {
    /// Decimal places held.
    pub const SCALE: u32 = 6;
    /// Millionths in one dollar.
    pub const UNIT: u32 = 1_000_000;
    /// `0.0000`.
    pub const ZERO: Price = Price(0);
    /// `1.0000`, the payout of a winning contract.
    pub const ONE: Price = Price(Self::UNIT);

    /// A price from millionths of a dollar; `None` above one dollar.
    pub const fn from_micros(micros: u32) -> Option<Price> {
        if micros <= Self::UNIT {
            Some(Price(micros))
        } else {
            None
        }
    }

    /// A price from whole cents (`56` → `0.5600`); `None` above 100.
    pub const fn from_cents(cents: u32) -> Option<Price> {
        if cents <= 100 {
            Some(Price(cents * 10_000))
        } else {
            None
        }
    }

    /// Millionths of a dollar.
    pub const fn micros(self) -> u32 {
        self.0
    }

    /// Whole cents, when the price is a whole number of cents.
    pub const fn to_cents_exact(self) -> Option<u32> {
        if self.0.is_multiple_of(10_000) {
            Some(self.0 / 10_000)
        } else {
            None
        }
    }

    /// The other leg's price: `1 − self`. A NO bid at `p` is a YES ask at `1 − p`.
    pub const fn complement(self) -> Price {
        Price(Self::UNIT - self.0)
    }

    /// The price as a probability in `[0, 1]`, for display and strategy maths only — never
    /// feed the result back onto the order path; convert with the market's tick grid instead.
    pub fn as_probability(self) -> f64 {
        f64::from(self.0) / f64::from(Self::UNIT)
    }

    /// Parses a `*_dollars` price string. Errors quote the input: negative, above `1`, more
    /// than 6 decimals, or not a decimal at all.
    pub fn parse(s: &str) -> Result<Price, ParseFixedError> {
        let micros = decimal::parse(s, Self::SCALE, false)
            .map_err(|kind| ParseFixedError::new("price", s, kind))?;
        u32::try_from(micros)
            .ok()
            .and_then(Price::from_micros)
            .ok_or_else(|| ParseFixedError::new("price", s, DecimalErrorKind::OutOfRange))
    }
}

impl fmt::Display for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        decimal::write(f, i64::from(self.0), Self::SCALE, 4)
    }
}

impl fmt::Debug for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Price({self})")
    }
}

decimal_string_serde!(Price, "a dollar price string such as \"0.5600\"");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_kalshi_prices() {
        let cases = [
            ("0.5600", "0.5600", 560_000),
            ("0.960", "0.9600", 960_000),
            ("0.08", "0.0800", 80_000),
            ("0.123456", "0.123456", 123_456),
            ("1.0000", "1.0000", 1_000_000),
            ("0", "0.0000", 0),
        ];
        for (input, printed, micros) in cases {
            let p = Price::parse(input).unwrap();
            assert_eq!(p.micros(), micros, "{input}");
            assert_eq!(p.to_string(), printed, "{input}");
        }
    }

    #[test]
    fn refuses_out_of_range_and_over_precise_prices_quoting_input() {
        for (input, needle) in [
            ("1.0001", "out of range"),
            ("-0.10", "negative"),
            ("0.1234567", "more than 6 decimal places"),
            ("abc", "not a decimal"),
        ] {
            let err = Price::parse(input).unwrap_err().to_string();
            assert!(err.contains(&format!("{input:?}")), "{err}");
            assert!(err.contains(needle), "{err}");
        }
    }

    #[test]
    fn complement_maps_no_bid_to_yes_ask() {
        let no_bid = Price::parse("0.30").unwrap();
        assert_eq!(no_bid.complement(), Price::parse("0.70").unwrap());
        assert_eq!(Price::ZERO.complement(), Price::ONE);
    }
}
