//! `saturating_arithmetic!`: the operators the signed fixed-point types ([`Count`] and
//! [`Money`]) share — `+`, `-`, `+=`, `-=`, unary `-` and `Sum` — written once. They
//! saturate rather than wrap or panic.
//!
//! [`Count`]: super::Count
//! [`Money`]: super::Money

/// Implements saturating `Add`, `Sub`, `AddAssign`, `SubAssign`, `Neg` and `Sum` for a
/// newtype over `i64` that has a `ZERO` constant.
macro_rules! saturating_arithmetic {
    ($ty:ident) => {
        impl ::std::ops::Add for $ty {
            type Output = $ty;
            fn add(self, rhs: $ty) -> $ty {
                $ty(self.0.saturating_add(rhs.0))
            }
        }

        impl ::std::ops::Sub for $ty {
            type Output = $ty;
            fn sub(self, rhs: $ty) -> $ty {
                $ty(self.0.saturating_sub(rhs.0))
            }
        }

        impl ::std::ops::AddAssign for $ty {
            fn add_assign(&mut self, rhs: $ty) {
                *self = *self + rhs;
            }
        }

        impl ::std::ops::SubAssign for $ty {
            fn sub_assign(&mut self, rhs: $ty) {
                *self = *self - rhs;
            }
        }

        impl ::std::ops::Neg for $ty {
            type Output = $ty;
            fn neg(self) -> $ty {
                $ty(self.0.saturating_neg())
            }
        }

        impl ::std::iter::Sum for $ty {
            fn sum<I: Iterator<Item = $ty>>(iter: I) -> $ty {
                iter.fold($ty::ZERO, ::std::ops::Add::add)
            }
        }
    };
}
pub(crate) use saturating_arithmetic;
