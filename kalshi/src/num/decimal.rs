//! Shared decimal-string parsing and printing for the fixed-point types: [`parse()`] and
//! [`write()`], the errors they report ([`ParseFixedError`], [`DecimalErrorKind`]) and the
//! `decimal_string_serde!` macro that gives each type its `FromStr` and serde impls.
//!
//! Kalshi sends every price, count and amount of money as a decimal string (`"0.5600"`,
//! `"10.00"`, `"-54.00"`). The types in this module store them as integers in a fixed unit
//! (`10^-scale`); this file converts between the two without ever going through `f64`.

use std::fmt;

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

/// Implements `FromStr`, `Serialize` and `Deserialize` (as a JSON string, borrowed when
/// possible so decoding does not allocate) for a fixed-point type with a `parse` function and
/// a `Display` impl.
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

/// Why a decimal string was refused. The caller wraps it with the input and the type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalErrorKind {
    /// Empty input.
    Empty,
    /// A character that is not a digit, or a misplaced sign or point.
    Syntax,
    /// More decimal places than the type holds.
    TooPrecise {
        /// The most decimal places the type accepts.
        max_decimals: u32,
    },
    /// A minus sign on a type that cannot be negative.
    Negative,
    /// Outside the type's range.
    OutOfRange,
}

impl fmt::Display for DecimalErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty string"),
            Self::Syntax => {
                f.write_str("not a decimal number (expected digits with an optional '.')")
            }
            Self::TooPrecise { max_decimals } => {
                write!(f, "more than {max_decimals} decimal places")
            }
            Self::Negative => f.write_str("negative values are not allowed"),
            Self::OutOfRange => f.write_str("out of range"),
        }
    }
}

/// Parses `s` as a decimal with at most `scale` fraction digits and returns it in units of
/// `10^-scale`. Accepts an optional leading `-` (`allow_negative`), at least one integer digit,
/// and an optional `.` followed by at least one digit. No exponent, no `+`, no spaces.
///
/// Trailing zeros beyond `scale` are accepted (`"0.560000"` at scale 4), since they change
/// nothing; any other digit beyond `scale` is [`DecimalErrorKind::TooPrecise`].
pub(crate) fn parse(s: &str, scale: u32, allow_negative: bool) -> Result<i64, DecimalErrorKind> {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err(DecimalErrorKind::Empty);
    }
    let (negative, digits) = match bytes[0] {
        b'-' => (true, &bytes[1..]),
        _ => (false, bytes),
    };
    let (int_part, frac_part) = match digits.iter().position(|&b| b == b'.') {
        Some(dot) => (&digits[..dot], Some(&digits[dot + 1..])),
        None => (digits, None),
    };
    if int_part.is_empty() || frac_part.is_some_and(<[u8]>::is_empty) {
        return Err(DecimalErrorKind::Syntax);
    }
    let mut value: i64 = 0;
    for &b in int_part {
        let d = digit(b)?;
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(d))
            .ok_or(DecimalErrorKind::OutOfRange)?;
    }
    let frac = frac_part.unwrap_or(&[]);
    let mut used = 0u32;
    for (i, &b) in frac.iter().enumerate() {
        let d = digit(b)?;
        if (i as u32) < scale {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(d))
                .ok_or(DecimalErrorKind::OutOfRange)?;
            used += 1;
        } else if d != 0 {
            return Err(DecimalErrorKind::TooPrecise {
                max_decimals: scale,
            });
        }
    }
    value = value
        .checked_mul(10i64.pow(scale - used))
        .ok_or(DecimalErrorKind::OutOfRange)?;
    if negative {
        if !allow_negative && value != 0 {
            return Err(DecimalErrorKind::Negative);
        }
        value = -value;
    }
    Ok(value)
}

fn digit(b: u8) -> Result<i64, DecimalErrorKind> {
    if b.is_ascii_digit() {
        Ok(i64::from(b - b'0'))
    } else {
        Err(DecimalErrorKind::Syntax)
    }
}

/// Writes `value` (in units of `10^-scale`) with at least `min_decimals` fraction digits and
/// more only when they are non-zero, so nothing is lost and nothing is padded beyond need.
pub(crate) fn write(
    f: &mut impl fmt::Write,
    value: i64,
    scale: u32,
    min_decimals: u32,
) -> fmt::Result {
    let unit = 10u64.pow(scale);
    let abs = value.unsigned_abs();
    let (int, mut frac) = (abs / unit, abs % unit);
    if value < 0 {
        f.write_char('-')?;
    }
    write!(f, "{int}")?;
    let mut decimals = scale;
    while decimals > min_decimals && frac % 10 == 0 {
        frac /= 10;
        decimals -= 1;
    }
    if decimals > 0 {
        write!(f, ".{frac:0width$}", width = decimals as usize)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_table() {
        let cases: &[(&str, u32, bool, Result<i64, DecimalErrorKind>)] = &[
            ("0.5600", 6, false, Ok(560_000)),
            ("0.960", 6, false, Ok(960_000)),
            ("1", 6, false, Ok(1_000_000)),
            ("0.123456", 6, false, Ok(123_456)),
            (
                "0.1234567",
                6,
                false,
                Err(DecimalErrorKind::TooPrecise { max_decimals: 6 }),
            ),
            (
                "0.12345670",
                6,
                false,
                Err(DecimalErrorKind::TooPrecise { max_decimals: 6 }),
            ),
            ("0.12345600", 6, false, Ok(123_456)),
            ("-54.00", 2, true, Ok(-5400)),
            ("-54.00", 2, false, Err(DecimalErrorKind::Negative)),
            ("-0.00", 2, false, Ok(0)),
            ("10", 2, true, Ok(1000)),
            ("", 2, true, Err(DecimalErrorKind::Empty)),
            ("-", 2, true, Err(DecimalErrorKind::Syntax)),
            (".5", 2, true, Err(DecimalErrorKind::Syntax)),
            ("5.", 2, true, Err(DecimalErrorKind::Syntax)),
            ("1e3", 2, true, Err(DecimalErrorKind::Syntax)),
            ("+1", 2, true, Err(DecimalErrorKind::Syntax)),
            (" 1", 2, true, Err(DecimalErrorKind::Syntax)),
            ("1.2.3", 2, true, Err(DecimalErrorKind::Syntax)),
            ("--1", 2, true, Err(DecimalErrorKind::Syntax)),
            (
                "99999999999999999999",
                2,
                true,
                Err(DecimalErrorKind::OutOfRange),
            ),
            ("92233720368547758.07", 2, true, Ok(i64::MAX)),
            (
                "92233720368547758.08",
                2,
                true,
                Err(DecimalErrorKind::OutOfRange),
            ),
        ];
        for (input, scale, neg, want) in cases {
            assert_eq!(parse(input, *scale, *neg), *want, "input {input:?}");
        }
    }

    #[test]
    fn writes_table() {
        let cases: &[(i64, u32, u32, &str)] = &[
            (560_000, 6, 4, "0.5600"),
            (123_456, 6, 4, "0.123456"),
            (123_450, 6, 4, "0.12345"),
            (1_000_000, 6, 4, "1.0000"),
            (0, 6, 4, "0.0000"),
            (-5400, 2, 2, "-54.00"),
            (5, 2, 2, "0.05"),
            (-5, 2, 2, "-0.05"),
            (i64::MIN, 2, 2, "-92233720368547758.08"),
        ];
        for (value, scale, min, want) in cases {
            let mut s = String::new();
            write(&mut s, *value, *scale, *min).unwrap();
            assert_eq!(s, *want);
        }
    }
}
