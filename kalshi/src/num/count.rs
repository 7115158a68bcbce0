//! [`Count`]: a number of contracts, exact to the hundredth, signed for deltas and positions.

use std::fmt;

use super::{
    arith::saturating_arithmetic,
    decimal::{self, DecimalErrorKind, ParseFixedError, decimal_string_serde},
};

/// A number of contracts held as hundredths (`"10.00"` → 1000). Signed: book deltas
/// (`delta_fp`) and positions (`position_fp`, negative = NO) are negative at times.
///
/// Parsing bounds the magnitude to [`Count::MAX`] so that sums of any realistic number of
/// counts stay far from overflow; the operators saturate rather than wrap or panic.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Count(i64);

impl Count {
    /// Decimal places held.
    pub const SCALE: u32 = 2;
    /// Zero contracts.
    pub const ZERO: Count = Count(0);
    /// One contract.
    pub const ONE: Count = Count(100);
    /// The largest magnitude accepted from a string: one trillion contracts.
    pub const MAX: Count = Count(100_000_000_000_000);

    /// A count from hundredths of a contract.
    pub const fn from_centis(centis: i64) -> Count {
        Count(centis)
    }

    /// A count of whole contracts.
    pub const fn from_whole(contracts: i64) -> Count {
        Count(contracts.saturating_mul(100))
    }

    /// Hundredths of a contract.
    pub const fn centis(self) -> i64 {
        self.0
    }

    /// True for zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// True above zero.
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// True below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The magnitude.
    pub const fn abs(self) -> Count {
        Count(self.0.saturating_abs())
    }

    /// `self + rhs`, or `None` on overflow.
    pub const fn checked_add(self, rhs: Count) -> Option<Count> {
        match self.0.checked_add(rhs.0) {
            Some(v) => Some(Count(v)),
            None => None,
        }
    }

    /// The smaller of two counts.
    pub fn min(self, other: Count) -> Count {
        Ord::min(self, other)
    }

    /// Whole contracts, when the count is whole.
    pub const fn to_whole_exact(self) -> Option<i64> {
        if self.0 % 100 == 0 {
            Some(self.0 / 100)
        } else {
            None
        }
    }

    /// Parses a `*_fp` count string (`"10.00"`, `"-54.00"`, `"3"`). Errors quote the input:
    /// more than 2 decimals, beyond [`Count::MAX`], or not a decimal.
    pub fn parse(s: &str) -> Result<Count, ParseFixedError> {
        let centis = decimal::parse(s, Self::SCALE, true)
            .map_err(|kind| ParseFixedError::new("count", s, kind))?;
        if centis.unsigned_abs() > Self::MAX.0.unsigned_abs() {
            return Err(ParseFixedError::new(
                "count",
                s,
                DecimalErrorKind::OutOfRange,
            ));
        }
        Ok(Count(centis))
    }
}

saturating_arithmetic!(Count);

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        decimal::write(f, self.0, Self::SCALE, Self::SCALE)
    }
}

impl fmt::Debug for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Count({self})")
    }
}

decimal_string_serde!(Count, "a contract count string such as \"10.00\"");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_counts() {
        let cases = [
            ("10.00", "10.00", 1000),
            ("-54.00", "-54.00", -5400),
            ("3", "3.00", 300),
            ("0.01", "0.01", 1),
            ("146.5", "146.50", 14650),
        ];
        for (input, printed, centis) in cases {
            let c = Count::parse(input).unwrap();
            assert_eq!(c.centis(), centis, "{input}");
            assert_eq!(c.to_string(), printed, "{input}");
        }
    }

    #[test]
    fn refuses_over_precise_and_huge_counts() {
        let err = Count::parse("1.001").unwrap_err().to_string();
        assert!(
            err.contains("\"1.001\"") && err.contains("2 decimal places"),
            "{err}"
        );
        let err = Count::parse("1000000000001").unwrap_err().to_string();
        assert!(err.contains("out of range"), "{err}");
        assert!(Count::parse("1000000000000").is_ok());
    }

    #[test]
    fn arithmetic_saturates_instead_of_panicking() {
        let big = Count::from_centis(i64::MAX);
        assert_eq!(big + Count::ONE, big);
        assert_eq!(-Count::from_centis(i64::MIN), big);
        assert_eq!(Count::ONE - Count::from_whole(3), Count::from_whole(-2));
    }
}
