//! Query strings: rendering typed parameter structs to `a=1&b=2` and parsing them back, with
//! values percent-encoded (`form_urlencoded`), plus [`QueryError`] for the simulator's 400s.
//!
//! Three value shapes occur on Kalshi's list endpoints (kalshi-api.md §3):
//! a single value (`limit=100`), a comma list (`GET /markets?tickers=A,B`) and a repeated key
//! (`GET /markets/orderbooks?tickers=A&tickers=B`). The crate-private `query_params!` macro
//! declares a parameter struct once and derives `to_query` / `from_query` from that field
//! list; the structs themselves, and the filter enums they take, live in
//! [`market_params`](super::market_params) and [`portfolio_params`](super::portfolio_params)
//! (which give their enums a [`QueryValue`] with `query_value_via_closed_wire_enum!`).
//!
//! Parsing is strict: an unknown or duplicated key is an error, so the simulator catches a
//! client that sends a misspelt filter. Whether Kalshi itself ignores unknown keys is not
//! documented; the strict reading is the safe one for a test double.

use std::borrow::Cow;

use crate::{
    ClientOrderId, EventTicker, OrderId, SeriesTicker, Ticker,
    types::{MarketStatusFilter, OrderStatus},
};

/// A query string (or a parameter value in it) that a parameter struct refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// A key the endpoint does not take.
    #[error("unknown query parameter {key:?}")]
    Unknown {
        /// The key, as received.
        key: String,
    },
    /// A single-valued key given twice.
    #[error("query parameter {key:?} given more than once")]
    Duplicate {
        /// The key.
        key: String,
    },
    /// A value that does not parse as the parameter's type.
    #[error("invalid value {value:?} for query parameter {key:?}: {reason}")]
    Invalid {
        /// The key.
        key: String,
        /// The refused value, truncated to 80 characters.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// Values that parse but break one of Kalshi's bounds or combination rules.
    #[error("query parameter {key:?}: {reason}")]
    Constraint {
        /// The offending key.
        key: &'static str,
        /// The rule broken.
        reason: String,
    },
}

impl QueryError {
    /// A [`QueryError::Constraint`].
    pub fn constraint(key: &'static str, reason: impl Into<String>) -> QueryError {
        QueryError::Constraint {
            key,
            reason: reason.into(),
        }
    }
}

/// A type that can appear as a query parameter value.
pub trait QueryValue: Sized {
    /// The value as text (before percent-encoding).
    fn to_param(&self) -> Cow<'_, str>;
    /// Reads a (percent-decoded) value; the error says why it was refused.
    fn from_param(s: &str) -> Result<Self, String>;
}

macro_rules! query_value_via_fromstr {
    ($($ty:ty),+) => {$(
        impl QueryValue for $ty {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
            fn from_param(s: &str) -> Result<Self, String> {
                s.parse().map_err(|e| format!("{e}"))
            }
        }
    )+};
}
query_value_via_fromstr!(
    u32,
    i32,
    i64,
    bool,
    Ticker,
    EventTicker,
    SeriesTicker,
    OrderId,
    ClientOrderId
);

impl QueryValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    fn from_param(s: &str) -> Result<Self, String> {
        Ok(s.to_owned())
    }
}

/// Closed wire enums: the error lists the accepted values.
macro_rules! query_value_via_closed_wire_enum {
    ($($ty:ty),+) => {$(
        impl $crate::rest::query::QueryValue for $ty {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
            fn from_param(s: &str) -> Result<Self, String> {
                Self::from_wire(s).ok_or_else(|| {
                    let names: Vec<_> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    format!("expected one of {}", names.join(", "))
                })
            }
        }
    )+};
}
pub(crate) use query_value_via_closed_wire_enum;
query_value_via_closed_wire_enum!(MarketStatusFilter);

impl QueryValue for OrderStatus {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.as_str())
    }
    fn from_param(s: &str) -> Result<Self, String> {
        Ok(Self::from_wire(s))
    }
}

/// Builds a query string. Keys and values are percent-encoded; the commas of a comma list are
/// written literally.
#[derive(Debug, Default)]
pub struct QueryWriter {
    out: String,
}

impl QueryWriter {
    /// An empty query.
    pub fn new() -> QueryWriter {
        QueryWriter::default()
    }

    fn key(&mut self, key: &str) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        self.out
            .extend(form_urlencoded::byte_serialize(key.as_bytes()));
        self.out.push('=');
    }

    fn value(&mut self, value: &str) {
        self.out
            .extend(form_urlencoded::byte_serialize(value.as_bytes()));
    }

    /// `key=value` when `value` is set.
    pub fn one<T: QueryValue>(&mut self, key: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.key(key);
            self.value(&v.to_param());
        }
    }

    /// `key=a,b,c` when `values` is not empty.
    pub fn comma<T: QueryValue>(&mut self, key: &str, values: &[T]) {
        if values.is_empty() {
            return;
        }
        self.key(key);
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.value(&v.to_param());
        }
    }

    /// `key=a&key=b` for each value.
    pub fn repeated<T: QueryValue>(&mut self, key: &str, values: &[T]) {
        for v in values {
            self.key(key);
            self.value(&v.to_param());
        }
    }

    /// The query without a leading `?`; empty when nothing was set.
    pub fn finish(self) -> String {
        self.out
    }
}

/// Reads a query string key by key; [`QueryReader::finish`] refuses keys nobody asked for.
#[derive(Debug)]
pub struct QueryReader {
    pairs: Vec<(String, String, bool)>,
}

fn truncate(s: &str) -> String {
    match s.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

impl QueryReader {
    /// Splits and percent-decodes `query` (a leading `?` is skipped).
    pub fn parse(query: &str) -> QueryReader {
        let query = query.strip_prefix('?').unwrap_or(query);
        let pairs = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned(), false))
            .collect();
        QueryReader { pairs }
    }

    fn take(&mut self, key: &str) -> Vec<String> {
        self.pairs
            .iter_mut()
            .filter(|(k, _, used)| k == key && !used)
            .map(|(_, v, used)| {
                *used = true;
                v.clone()
            })
            .collect()
    }

    fn value<T: QueryValue>(key: &str, raw: &str) -> Result<T, QueryError> {
        T::from_param(raw).map_err(|reason| QueryError::Invalid {
            key: key.to_owned(),
            value: truncate(raw),
            reason,
        })
    }

    /// A single value; an empty value counts as absent.
    pub fn one<T: QueryValue>(&mut self, key: &str) -> Result<Option<T>, QueryError> {
        let values = self.take(key);
        match values.as_slice() {
            [] => Ok(None),
            [v] if v.is_empty() => Ok(None),
            [v] => Self::value(key, v).map(Some),
            _ => Err(QueryError::Duplicate { key: key.into() }),
        }
    }

    /// A comma list (`key=a,b`); an empty value is an empty list.
    pub fn comma<T: QueryValue>(&mut self, key: &str) -> Result<Vec<T>, QueryError> {
        let values = self.take(key);
        match values.as_slice() {
            [] => Ok(Vec::new()),
            [v] if v.is_empty() => Ok(Vec::new()),
            [v] => v.split(',').map(|item| Self::value(key, item)).collect(),
            _ => Err(QueryError::Duplicate { key: key.into() }),
        }
    }

    /// A repeated key (`key=a&key=b`).
    pub fn repeated<T: QueryValue>(&mut self, key: &str) -> Result<Vec<T>, QueryError> {
        self.take(key).iter().map(|v| Self::value(key, v)).collect()
    }

    /// Fails on the first key that no accessor consumed.
    pub fn finish(self) -> Result<(), QueryError> {
        match self.pairs.into_iter().find(|(_, _, used)| !used) {
            Some((key, _, _)) => Err(QueryError::Unknown {
                key: truncate(&key),
            }),
            None => Ok(()),
        }
    }
}

/// Declares a parameter struct (all fields public, `Default` = no filters) with
/// `to_query()`, `from_query()` and `parse_valid()` (which calls the struct's own
/// `validate()`, so every parameter struct must define one). Each field names its shape:
/// `one` (an `Option`), `comma` or `repeated` (a `Vec`). The field name is the query key.
macro_rules! query_params {
    (
        $(#[$doc:meta])*
        $name:ident {
            $($(#[$fdoc:meta])* $field:ident: $ty:ty => $kind:ident,)+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name {
            $($(#[$fdoc])* pub $field: $ty,)+
        }

        impl $name {
            /// Renders the set parameters as a percent-encoded query string without the
            /// leading `?` (empty when no parameter is set).
            pub fn to_query(&self) -> String {
                let mut w = $crate::rest::query::QueryWriter::new();
                $(w.$kind(stringify!($field), &self.$field);)+
                w.finish()
            }

            /// Parses a query string (with or without the leading `?`), refusing unknown
            /// and duplicated keys and values of the wrong type. Bounds are checked by
            /// `validate()`.
            pub fn from_query(query: &str) -> Result<Self, $crate::rest::query::QueryError> {
                let mut r = $crate::rest::query::QueryReader::parse(query);
                let params = Self { $($field: r.$kind(stringify!($field))?,)+ };
                r.finish()?;
                Ok(params)
            }

            /// [`Self::from_query`] then `validate()`: what the simulator checks before
            /// answering (any error → 400).
            pub fn parse_valid(query: &str) -> Result<Self, $crate::rest::query::QueryError> {
                let params = Self::from_query(query)?;
                params.validate()?;
                Ok(params)
            }
        }
    };
}
pub(crate) use query_params;

/// Checks an optional `limit` against `1..=max`.
pub(crate) fn check_limit(limit: Option<u32>, max: u32) -> Result<(), QueryError> {
    match limit {
        Some(l) if l == 0 || l > max => Err(QueryError::constraint(
            "limit",
            format!("must be between 1 and {max}, got {l}"),
        )),
        _ => Ok(()),
    }
}

/// Checks an optional `subaccount` against Kalshi's `0..=63`.
pub(crate) fn check_subaccount(subaccount: Option<u32>) -> Result<(), QueryError> {
    match subaccount {
        Some(s) if s > 63 => Err(QueryError::constraint(
            "subaccount",
            format!("must be between 0 and 63, got {s}"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_values_and_keeps_list_commas() {
        let mut w = QueryWriter::new();
        w.one("cursor", &Some("a+b/c=d&e f".to_owned()));
        w.comma("tickers", &["A-1".to_owned(), "B.2".to_owned()]);
        w.repeated("t", &[1u32, 2]);
        w.one::<u32>("limit", &None);
        assert_eq!(
            w.finish(),
            "cursor=a%2Bb%2Fc%3Dd%26e+f&tickers=A-1,B.2&t=1&t=2"
        );
    }

    #[test]
    fn reader_refuses_unknown_duplicate_and_bad_values() {
        let mut r = QueryReader::parse("?limit=5&limit=6");
        assert_eq!(
            r.one::<u32>("limit"),
            Err(QueryError::Duplicate {
                key: "limit".into()
            })
        );
        let mut r = QueryReader::parse("limit=x");
        assert!(matches!(
            r.one::<u32>("limit"),
            Err(QueryError::Invalid { .. })
        ));
        let r = QueryReader::parse("limt=5");
        assert_eq!(r.finish(), Err(QueryError::Unknown { key: "limt".into() }));
        let mut r = QueryReader::parse("cursor=&tickers=");
        assert_eq!(r.one::<String>("cursor"), Ok(None));
        assert_eq!(r.comma::<Ticker>("tickers"), Ok(vec![]));
        assert_eq!(r.finish(), Ok(()));
    }
}
