//! [`Exact`]: the ledger's amounts, exact for every product of a [`Price`] and a [`Count`], and
//! [`ratio`], a share printed with integer arithmetic only.
//!
//! A price is held in millionths of a dollar and a count in hundredths of a contract, so their
//! product is a whole number of 10⁻⁸ dollars. The ledger sums in that unit and rounds to
//! [`Money`] (millionths) only when it prints. For prices on Kalshi's grid (at most 4 decimals)
//! nothing is ever rounded; a 6-decimal mark or settlement times a fractional count, or an
//! average-cost split, is rounded half away from zero to the millionth.

use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use kalshi::{Count, Money, Price};

/// An amount of dollars in units of 10⁻⁸. Arithmetic saturates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Exact(i128);

/// 10⁻⁸-dollar units in one [`Money`] millionth.
const PER_MICRO: i128 = 100;

impl Exact {
    /// Nothing.
    pub const ZERO: Exact = Exact(0);

    /// `price × count`, exact.
    pub fn of(price: Price, count: Count) -> Exact {
        Exact(i128::from(price.micros()) * i128::from(count.centis()))
    }

    /// An amount of [`Money`], exact.
    pub fn money(m: Money) -> Exact {
        Exact(i128::from(m.micros()) * PER_MICRO)
    }

    /// The raw 10⁻⁸-dollar units.
    pub const fn units(self) -> i128 {
        self.0
    }

    /// From raw 10⁻⁸-dollar units.
    pub const fn from_units(units: i128) -> Exact {
        Exact(units)
    }

    /// `self × num / den`, rounded toward zero; zero when `den` is zero.
    pub fn scale(self, num: i64, den: i64) -> Exact {
        if den == 0 {
            return Exact::ZERO;
        }
        Exact(self.0.saturating_mul(i128::from(num)) / i128::from(den))
    }

    /// As [`Money`], rounded half away from zero to the millionth (saturating).
    pub fn to_money(self) -> Money {
        let half = PER_MICRO / 2;
        let rounded = if self.0 < 0 {
            (self.0 - half) / PER_MICRO
        } else {
            (self.0 + half) / PER_MICRO
        };
        let micros =
            i64::try_from(rounded).unwrap_or(if rounded < 0 { i64::MIN } else { i64::MAX });
        Money::from_micros(micros)
    }
}

impl Add for Exact {
    type Output = Exact;
    fn add(self, rhs: Exact) -> Exact {
        Exact(self.0.saturating_add(rhs.0))
    }
}

impl Sub for Exact {
    type Output = Exact;
    fn sub(self, rhs: Exact) -> Exact {
        Exact(self.0.saturating_sub(rhs.0))
    }
}

impl Neg for Exact {
    type Output = Exact;
    fn neg(self) -> Exact {
        Exact(self.0.saturating_neg())
    }
}

impl AddAssign for Exact {
    fn add_assign(&mut self, rhs: Exact) {
        *self = *self + rhs;
    }
}

impl SubAssign for Exact {
    fn sub_assign(&mut self, rhs: Exact) {
        *self = *self - rhs;
    }
}

/// `num / den` as a decimal string with 4 places (`"0.6667"`), rounded half up; `None` when
/// `den` is zero. Integer arithmetic only, so it prints the same everywhere.
pub fn ratio(num: u64, den: u64) -> Option<String> {
    if den == 0 {
        return None;
    }
    let (num, den) = (u128::from(num), u128::from(den));
    let scaled = (num * 20_000 / den).div_ceil(2);
    Some(format!("{}.{:04}", scaled / 10_000, scaled % 10_000))
}
