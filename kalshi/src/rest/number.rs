//! [`JsonDecimal`]: an exact decimal for the few fields Kalshi sends as bare JSON *numbers*
//! rather than decimal strings — market strikes (`floor_strike`, `cap_strike`: temperatures,
//! index levels, rates) and fee multipliers (`fee_multiplier`).
//!
//! Why not `f64`: a strike is compared with a forecast to decide whether a temperature falls in
//! a market's range, and `94.5` must stay `94.5`, not `94.49999…`. serde_json (without
//! `arbitrary_precision`) hands non-integers over as `f64`; Rust prints an `f64` as the
//! shortest decimal that reads back to the same value, which is the literal the exchange wrote
//! whenever it has at most 15 significant digits. That text is parsed into millionths, so the
//! value held is exact. Strings are accepted too, in case Kalshi moves these fields to the
//! fixed-point string convention.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::num::{ParseFixedError, parse_decimal, write_decimal};

/// A signed decimal held exactly in millionths (`94.5` → 94_500_000), read from a JSON number
/// or string and written back as a JSON number (an integer when it is whole). Not money: use
/// [`Price`](crate::Price) / [`Money`](crate::Money) for dollars.
///
/// ```json
/// {"strike_type":"between","floor_strike":94.5,"cap_strike":95.5}
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct JsonDecimal(i64);

impl JsonDecimal {
    /// Decimal places held.
    pub const SCALE: u32 = 6;
    /// Millionths in one unit.
    pub const UNIT: i64 = 1_000_000;

    /// A value from millionths.
    pub const fn from_micros(micros: i64) -> JsonDecimal {
        JsonDecimal(micros)
    }

    /// A whole number; `None` if it does not fit.
    pub const fn from_int(value: i64) -> Option<JsonDecimal> {
        match value.checked_mul(Self::UNIT) {
            Some(v) => Some(JsonDecimal(v)),
            None => None,
        }
    }

    /// Millionths.
    pub const fn micros(self) -> i64 {
        self.0
    }

    /// The value as `f64`, for forecast maths (never for prices or money).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / Self::UNIT as f64
    }

    /// Parses a decimal text (`"94.5"`, `"-3"`, `"0.000001"`); at most 6 decimals.
    pub fn parse(s: &str) -> Result<JsonDecimal, ParseFixedError> {
        parse_decimal(s, Self::SCALE, true)
            .map(JsonDecimal)
            .map_err(|kind| ParseFixedError::new("decimal", s, kind))
    }
}

impl fmt::Display for JsonDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_decimal(f, self.0, Self::SCALE, 0)
    }
}

impl fmt::Debug for JsonDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JsonDecimal({self})")
    }
}

impl std::str::FromStr for JsonDecimal {
    type Err = ParseFixedError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for JsonDecimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % Self::UNIT == 0 {
            serializer.serialize_i64(self.0 / Self::UNIT)
        } else {
            // The nearest f64 to an (at most 6-decimal) value prints back as the same text.
            let v: f64 = self
                .to_string()
                .parse()
                .map_err(serde::ser::Error::custom)?;
            serializer.serialize_f64(v)
        }
    }
}

impl<'de> Deserialize<'de> for JsonDecimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = JsonDecimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number such as 94.5")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<JsonDecimal, E> {
                JsonDecimal::from_int(v).ok_or_else(|| E::custom(format!("{v} is out of range")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<JsonDecimal, E> {
                i64::try_from(v)
                    .ok()
                    .and_then(JsonDecimal::from_int)
                    .ok_or_else(|| E::custom(format!("{v} is out of range")))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<JsonDecimal, E> {
                if !v.is_finite() {
                    return Err(E::custom("non-finite number"));
                }
                JsonDecimal::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<JsonDecimal, E> {
                JsonDecimal::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_and_strings_exactly() {
        let cases = [
            ("94.5", 94_500_000),
            ("96", 96_000_000),
            ("-3.25", -3_250_000),
            ("0.1", 100_000),
            ("\"72.5\"", 72_500_000),
            ("1e2", 100_000_000),
        ];
        for (json, micros) in cases {
            let d: JsonDecimal = serde_json::from_str(json).unwrap();
            assert_eq!(d.micros(), micros, "{json}");
        }
        assert!(serde_json::from_str::<JsonDecimal>("0.1234567").is_err());
        assert!(serde_json::from_str::<JsonDecimal>("true").is_err());
    }

    #[test]
    fn writes_numbers_back_as_written() {
        for json in ["94.5", "96", "-3.25", "1234.125"] {
            let d: JsonDecimal = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::to_string(&d).unwrap(), json);
        }
        // serde_json may write tiny values in exponent form; the value still round-trips.
        let tiny = JsonDecimal::from_micros(1);
        let back: JsonDecimal =
            serde_json::from_str(&serde_json::to_string(&tiny).unwrap()).unwrap();
        assert_eq!(back, tiny);
        assert_eq!(JsonDecimal::parse("94.5").unwrap().to_string(), "94.5");
    }
}
