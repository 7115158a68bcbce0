//! Trading fees — **an approximation** of Kalshi's fee schedule, whose official formula lives
//! in a PDF this project could not read (kalshi-api.md §7). The simulator charges it and the
//! strategy subtracts it from an edge, so both agree on one formula: taker fee
//! `ceil(0.07 × C × P × (1 − P))` and, for series that charge makers, maker fee
//! `ceil(0.0175 × C × P × (1 − P))`, both rounded up to $0.0001 per fill. Kalshi's per-order
//! rounding accumulator and rebates are not modelled.

use crate::{Count, Money, Price};

/// Which fee model a series uses (`Series.fee_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeType {
    /// Taker fees only.
    Quadratic,
    /// Taker and maker fees.
    QuadraticWithMakerFees,
    /// No fees (handy for tests).
    Free,
}

/// Smallest fee increment: $0.0001 in micro-dollars.
const FEE_STEP_MICROS: i64 = 100;

/// `ceil(rate × C × P × (1 − P))` to $0.0001, with `rate = num / den`, computed exactly.
fn quadratic(count: Count, price: Price, num: i128, den: i128) -> Money {
    let p = i128::from(price.micros());
    let one = i128::from(Price::UNIT);
    // count is in hundredths, prices in millionths: value in micro-dollars is
    // rate × (C/100) × (p/1e6) × ((1e6−p)/1e6) × 1e6.
    let numerator = num * i128::from(count.centis().max(0)) * p * (one - p);
    let denominator = den * 100 * one;
    let step = i128::from(FEE_STEP_MICROS);
    let steps = (numerator + denominator * step - 1) / (denominator * step);
    Money::from_micros(i64::try_from(steps * step).unwrap_or(i64::MAX))
}

impl FeeType {
    /// The fee a taker pays for `count` contracts at `price`.
    pub fn taker_fee(self, count: Count, price: Price) -> Money {
        match self {
            FeeType::Free => Money::ZERO,
            FeeType::Quadratic | FeeType::QuadraticWithMakerFees => quadratic(count, price, 7, 100),
        }
    }

    /// The fee a maker pays for `count` contracts at `price`.
    pub fn maker_fee(self, count: Count, price: Price) -> Money {
        match self {
            FeeType::QuadraticWithMakerFees => quadratic(count, price, 175, 10_000),
            FeeType::Quadratic | FeeType::Free => Money::ZERO,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    #[test]
    fn taker_fee_matches_formula_rounded_up() {
        let cases = [
            ("1", "0.50", "0.0175"),
            ("100", "0.50", "1.75"),
            ("1", "0.01", "0.0007"),    // 0.07 × 0.0099 = 0.000693 → 0.0007
            ("10", "0.56", "0.1725"),   // 0.07 × 10 × 0.2464 = 0.17248 → 0.1725
            ("0.01", "0.50", "0.0002"), // 0.000175 → 0.0002
        ];
        for (c, p, fee) in cases {
            let got =
                FeeType::Quadratic.taker_fee(Count::parse(c).unwrap(), Price::parse(p).unwrap());
            assert_eq!(got, m(fee), "{c} @ {p}");
        }
    }

    #[test]
    fn maker_fee_only_where_charged() {
        let (c, p) = (Count::from_whole(100), Price::parse("0.50").unwrap());
        assert_eq!(FeeType::Quadratic.maker_fee(c, p), Money::ZERO);
        assert_eq!(FeeType::QuadraticWithMakerFees.maker_fee(c, p), m("0.4375"));
    }
}
