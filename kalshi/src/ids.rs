//! Identifiers with checked constructors: [`Ticker`], [`EventTicker`], [`SeriesTicker`],
//! [`OrderId`], [`ClientOrderId`].
//!
//! Each is a string newtype that can only hold a value Kalshi would accept, so a typo or an
//! injected character is refused at the edge, with the input quoted, instead of becoming a
//! malformed URL path or a 404 deep inside an actor. All of them borrow as `&str`, so maps keyed
//! by them can be searched with a borrowed ticker straight from a decoded frame.

use std::{borrow::Borrow, fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// An identifier that does not satisfy its type's rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} {input:?}: {reason}")]
pub struct IdError {
    /// The identifier type: `"ticker"`, `"order id"`, ...
    pub what: &'static str,
    /// The refused input, truncated to 80 characters.
    pub input: String,
    /// Which rule it broke.
    pub reason: &'static str,
}

/// The character rules of one identifier type.
struct Rules {
    what: &'static str,
    max_len: usize,
    extra: &'static [u8],
}

impl Rules {
    fn check(&self, s: &str) -> Result<(), IdError> {
        let fail = |reason| {
            let input = match s.char_indices().nth(80) {
                Some((cut, _)) => format!("{}…", &s[..cut]),
                None => s.to_owned(),
            };
            Err(IdError {
                what: self.what,
                input,
                reason,
            })
        };
        if s.is_empty() {
            return fail("must not be empty");
        }
        if s.len() > self.max_len {
            return fail("too long");
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || self.extra.contains(&b))
        {
            return fail("contains a character outside [A-Za-z0-9] and the allowed punctuation");
        }
        Ok(())
    }
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $rules:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            const RULES: Rules = $rules;

            /// Checks `s` against this identifier's rules.
            pub fn new(s: impl Into<String>) -> Result<Self, IdError> {
                let s = s.into();
                Self::RULES.check(&s)?;
                Ok(Self(s))
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The identifier as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(s: &str) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::new(s.into_owned()).map_err(serde::de::Error::custom)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

/// Punctuation seen in Kalshi tickers: `KXHIGHNY-26FEB11-B94.5`, `FED-23DEC-T3.00`.
const TICKER_PUNCT: &[u8] = b"-_.";

string_id!(
    /// A market ticker such as `KXHIGHNY-26FEB11-B94.5`: 1–128 characters of `[A-Za-z0-9._-]`.
    Ticker,
    Rules { what: "market ticker", max_len: 128, extra: TICKER_PUNCT }
);
string_id!(
    /// An event ticker such as `KXHIGHNY-26FEB11`: 1–128 characters of `[A-Za-z0-9._-]`.
    EventTicker,
    Rules { what: "event ticker", max_len: 128, extra: TICKER_PUNCT }
);
string_id!(
    /// A series ticker such as `KXHIGHNY`: 1–64 characters of `[A-Za-z0-9._-]`.
    SeriesTicker,
    Rules { what: "series ticker", max_len: 64, extra: TICKER_PUNCT }
);
string_id!(
    /// An exchange-assigned order id (a UUID on Kalshi): 1–64 characters of `[A-Za-z0-9_-]`.
    OrderId,
    Rules { what: "order id", max_len: 64, extra: b"-_" }
);
string_id!(
    /// A client-assigned order id, fixed before the first send and reused on every retry so a
    /// retried create cannot place a second order: 1–64 characters of `[A-Za-z0-9._:-]`.
    /// Kalshi documents no format beyond uniqueness; the bound is this crate's safe reading.
    ClientOrderId,
    Rules { what: "client order id", max_len: 64, extra: b"-_.:" }
);

impl Ticker {
    /// The event part of a market ticker (everything before the last `-`), when the ticker
    /// has that shape. Prefer the market's `event_ticker` field where one is at hand.
    pub fn event_prefix(&self) -> Option<&str> {
        self.0.rsplit_once('-').map(|(event, _)| event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_identifiers() {
        for t in [
            "KXHIGHNY-26FEB11-B94.5",
            "FED-23DEC-T3.00",
            "HIGHNY-24JAN01-T60",
        ] {
            assert_eq!(Ticker::new(t).unwrap().as_str(), t);
        }
        assert!(EventTicker::new("KXHIGHNY-26FEB11").is_ok());
        assert!(SeriesTicker::new("KXHIGHNY").is_ok());
        assert!(OrderId::new("ee587a1c-8b87-4dcf-b721-9f6f790619fa").is_ok());
        assert!(ClientOrderId::new("tw:fv1:KXHIGHNY-26FEB11-B94.5:17").is_ok());
    }

    #[test]
    fn refuses_bad_identifiers_quoting_input() {
        let cases: &[(Result<(), IdError>, &str)] = &[
            (Ticker::new("").map(drop), "must not be empty"),
            (Ticker::new("A/B").map(drop), "contains a character"),
            (Ticker::new("A B").map(drop), "contains a character"),
            (Ticker::new("X".repeat(129)).map(drop), "too long"),
            (OrderId::new("abc?x=1").map(drop), "contains a character"),
            (ClientOrderId::new("c".repeat(65)).map(drop), "too long"),
        ];
        for (result, reason) in cases {
            let err = result.clone().unwrap_err();
            assert_eq!(
                err.reason.split(' ').next(),
                reason.split(' ').next(),
                "{err}"
            );
        }
        let err = Ticker::new("A/B").unwrap_err().to_string();
        assert!(err.starts_with("invalid market ticker \"A/B\""), "{err}");
    }

    #[test]
    fn serde_checks_on_decode() {
        let t: Ticker = serde_json::from_str("\"FED-23DEC-T3.00\"").unwrap();
        assert_eq!(t, "FED-23DEC-T3.00");
        assert!(serde_json::from_str::<Ticker>("\"bad ticker\"").is_err());
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"FED-23DEC-T3.00\"");
    }

    #[test]
    fn maps_are_searchable_by_str() {
        let mut m = std::collections::HashMap::new();
        m.insert(Ticker::new("A-1").unwrap(), 1);
        assert_eq!(m.get("A-1"), Some(&1));
    }

    #[test]
    fn event_prefix_splits_at_last_dash() {
        let t = Ticker::new("KXHIGHNY-26FEB11-B94.5").unwrap();
        assert_eq!(t.event_prefix(), Some("KXHIGHNY-26FEB11"));
    }
}
