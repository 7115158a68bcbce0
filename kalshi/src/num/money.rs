//! [`Money`]: a signed amount of dollars, exact to the millionth, and the integer-cent form
//! Kalshi still uses for balances and settlements ([`cents`]).

use std::fmt;

use super::{
    arith::saturating_arithmetic,
    decimal::{self, DecimalErrorKind, ParseFixedError, decimal_string_serde},
};

/// An amount of dollars held as millionths (`"12.3400"` → 12_340_000): balances, costs, fees,
/// exposure, P&L. Signed. Printed with at least 4 decimals, more only when non-zero.
///
/// Parsing bounds the magnitude to [`Money::MAX`] (one hundred billion dollars) so sums stay
/// far from overflow; the operators saturate rather than wrap or panic.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    /// Decimal places held.
    pub const SCALE: u32 = 6;
    /// Millionths in one dollar.
    pub const UNIT: i64 = 1_000_000;
    /// No money.
    pub const ZERO: Money = Money(0);
    /// The largest magnitude accepted from a string or from cents: $100,000,000,000.
    pub const MAX: Money = Money(100_000_000_000 * Self::UNIT);

    /// An amount from millionths of a dollar.
    pub const fn from_micros(micros: i64) -> Money {
        Money(micros)
    }

    /// An amount from integer cents, as in `balance` and settlement `revenue`.
    pub const fn from_cents(cents: i64) -> Money {
        Money(cents.saturating_mul(10_000))
    }

    /// Millionths of a dollar.
    pub const fn micros(self) -> i64 {
        self.0
    }

    /// Whole cents, rounded toward negative infinity (how Kalshi's legacy integer `balance`
    /// truncates sub-cent amounts).
    pub const fn to_cents_floor(self) -> i64 {
        self.0.div_euclid(10_000)
    }

    /// Whole cents when the amount is a whole number of cents.
    pub const fn to_cents_exact(self) -> Option<i64> {
        if self.0 % 10_000 == 0 {
            Some(self.0 / 10_000)
        } else {
            None
        }
    }

    /// Rounds up (toward positive infinity) to a multiple of `step_micros`, e.g. 100 for
    /// Kalshi's $0.0001 fee rounding.
    pub const fn ceil_to(self, step_micros: i64) -> Money {
        let rem = self.0.rem_euclid(step_micros);
        if rem == 0 {
            self
        } else {
            Money(self.0 - rem + step_micros)
        }
    }

    /// Rounds down (toward negative infinity) to a multiple of `step_micros`.
    pub const fn floor_to(self, step_micros: i64) -> Money {
        Money(self.0 - self.0.rem_euclid(step_micros))
    }

    /// True below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The magnitude.
    pub const fn abs(self) -> Money {
        Money(self.0.saturating_abs())
    }

    /// `self + rhs`, or `None` on overflow.
    pub const fn checked_add(self, rhs: Money) -> Option<Money> {
        match self.0.checked_add(rhs.0) {
            Some(v) => Some(Money(v)),
            None => None,
        }
    }

    /// The amount in dollars as `f64`, for display and metrics only.
    pub fn as_dollars_f64(self) -> f64 {
        self.0 as f64 / Self::UNIT as f64
    }

    /// Parses a `*_dollars` amount string (`"1000.00"`, `"-3.5000"`, `"0.0175"`). Errors quote
    /// the input: more than 6 decimals, beyond [`Money::MAX`], or not a decimal.
    pub fn parse(s: &str) -> Result<Money, ParseFixedError> {
        let micros = decimal::parse(s, Self::SCALE, true)
            .map_err(|kind| ParseFixedError::new("money", s, kind))?;
        if micros.unsigned_abs() > Self::MAX.0.unsigned_abs() {
            return Err(ParseFixedError::new(
                "money",
                s,
                DecimalErrorKind::OutOfRange,
            ));
        }
        Ok(Money(micros))
    }
}

saturating_arithmetic!(Money);

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        decimal::write(f, self.0, Self::SCALE, 4)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

decimal_string_serde!(Money, "a dollar amount string such as \"12.3400\"");

/// Serde adapter for the fields Kalshi still sends as integer cents (`balance`,
/// `portfolio_value`, settlement `revenue` and `value`): `#[serde(with = "kalshi::num::money::cents")]`.
/// Serializing rounds toward negative infinity, as Kalshi's legacy `balance` does.
pub mod cents {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Money;

    /// Writes the amount as integer cents (floored).
    pub fn serialize<S: Serializer>(money: &Money, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(money.to_cents_floor())
    }

    /// Reads integer cents; refuses amounts beyond [`Money::MAX`].
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        let cents = i64::deserialize(deserializer)?;
        if cents.unsigned_abs() > (Money::MAX.micros() / 10_000).unsigned_abs() {
            return Err(serde::de::Error::custom(format!(
                "invalid money {cents} cents: out of range"
            )));
        }
        Ok(Money::from_cents(cents))
    }

    /// The same for `Option<Money>` fields that may be absent or null.
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};

        use super::Money;

        /// Writes `Some` as integer cents (floored) and `None` as null.
        pub fn serialize<S: Serializer>(
            money: &Option<Money>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match money {
                Some(m) => super::serialize(m, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads integer cents or null.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Money>, D::Error> {
            #[derive(Deserialize)]
            struct Wrap(#[serde(with = "super")] Money);
            Ok(Option::<Wrap>::deserialize(deserializer)?.map(|Wrap(m)| m))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_amounts() {
        let cases = [
            ("1000.00", "1000.0000", 1_000_000_000),
            ("0.0175", "0.0175", 17_500),
            ("-3.5", "-3.5000", -3_500_000),
            ("0.123456", "0.123456", 123_456),
        ];
        for (input, printed, micros) in cases {
            let m = Money::parse(input).unwrap();
            assert_eq!(m.micros(), micros, "{input}");
            assert_eq!(m.to_string(), printed, "{input}");
        }
    }

    #[test]
    fn cents_round_trip_and_floor() {
        assert_eq!(Money::from_cents(12345).to_string(), "123.4500");
        assert_eq!(Money::parse("1.239").unwrap().to_cents_floor(), 123);
        assert_eq!(Money::parse("-1.231").unwrap().to_cents_floor(), -124);
        assert_eq!(Money::parse("1.239").unwrap().to_cents_exact(), None);
    }

    #[test]
    fn rounding_to_fee_precision() {
        let m = Money::parse("0.017501").unwrap();
        assert_eq!(m.ceil_to(100).to_string(), "0.0176");
        assert_eq!(m.floor_to(100).to_string(), "0.0175");
        assert_eq!(
            Money::parse("-0.00001").unwrap().floor_to(100).to_string(),
            "-0.0001"
        );
    }

    #[test]
    fn integer_cent_fields_decode() {
        #[derive(serde::Deserialize, serde::Serialize)]
        struct Balance {
            #[serde(with = "cents")]
            balance: Money,
        }
        let b: Balance = serde_json::from_str(r#"{"balance":10000}"#).unwrap();
        assert_eq!(b.balance, Money::parse("100").unwrap());
        assert_eq!(serde_json::to_string(&b).unwrap(), r#"{"balance":10000}"#);
        assert!(serde_json::from_str::<Balance>(r#"{"balance":9223372036854775807}"#).is_err());
    }
}
