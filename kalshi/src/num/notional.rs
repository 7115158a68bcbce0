//! Where the fixed-point types meet: a [`Price`] times a [`Count`] is [`Money`]
//! ([`Price::notional`]), and a price is an amount of money ([`Money::from_price`]). Kept
//! apart so that `price.rs`, `count.rs` and `money.rs` each stand alone.

use super::{Count, Money, Price};

impl Price {
    /// The cost of `count` contracts at this price, exact for every price on a valid tick
    /// (at most 4 decimals); finer prices (averages) are truncated to the millionth.
    pub fn notional(self, count: Count) -> Money {
        let micros = i128::from(self.micros()) * i128::from(count.centis()) / 100;
        Money::from_micros(i64::try_from(micros).unwrap_or(if micros < 0 {
            i64::MIN
        } else {
            i64::MAX
        }))
    }
}

impl Money {
    /// An amount equal to a price (one contract's cost).
    pub const fn from_price(price: Price) -> Money {
        Money::from_micros(price.micros() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notional_is_exact_on_ticks() {
        let p = Price::parse("0.0125").unwrap();
        let c = Count::parse("3.33").unwrap();
        assert_eq!(p.notional(c).to_string(), "0.041625");
    }

    #[test]
    fn a_price_is_an_amount_of_money() {
        let p = Price::parse("0.5600").unwrap();
        assert_eq!(Money::from_price(p), Money::parse("0.56").unwrap());
    }
}
