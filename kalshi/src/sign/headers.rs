//! The three request headers Kalshi authenticates with: their names and [`AuthHeaders`], the
//! values the [`Signer`](super::Signer) produces for one request.

use std::fmt;

/// Header carrying the API key id. HTTP header names are case-insensitive; note that
/// `http::HeaderName::from_static` wants lowercase, so use `HeaderName::from_bytes` (or a
/// `&str` conversion) with these constants.
pub const KEY_HEADER: &str = "KALSHI-ACCESS-KEY";
/// Header carrying the signed timestamp, Unix milliseconds as a decimal string.
pub const TIMESTAMP_HEADER: &str = "KALSHI-ACCESS-TIMESTAMP";
/// Header carrying the standard-base64 signature.
pub const SIGNATURE_HEADER: &str = "KALSHI-ACCESS-SIGNATURE";

/// The three authentication headers of one request. `Debug` hides the signature (a captured
/// signature can be replayed for the same method and path while the timestamp is fresh).
#[derive(Clone, PartialEq, Eq)]
pub struct AuthHeaders {
    key_id: String,
    timestamp_ms: i64,
    timestamp: String,
    signature: String,
}

impl AuthHeaders {
    /// `timestamp` must be `timestamp_ms` in decimal (the string that was signed).
    pub(super) fn new(
        key_id: String,
        timestamp_ms: i64,
        timestamp: String,
        signature: String,
    ) -> Self {
        Self {
            key_id,
            timestamp_ms,
            timestamp,
            signature,
        }
    }

    /// The `KALSHI-ACCESS-KEY` value.
    #[must_use]
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The signed timestamp in Unix milliseconds.
    #[must_use]
    pub fn timestamp_ms(&self) -> i64 {
        self.timestamp_ms
    }

    /// The `KALSHI-ACCESS-TIMESTAMP` value: [`timestamp_ms`](Self::timestamp_ms) in decimal.
    #[must_use]
    pub fn timestamp(&self) -> &str {
        &self.timestamp
    }

    /// The `KALSHI-ACCESS-SIGNATURE` value (standard base64).
    #[must_use]
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// `(header name, value)` for the three headers.
    #[must_use]
    pub fn pairs(&self) -> [(&'static str, &str); 3] {
        [
            (KEY_HEADER, &self.key_id),
            (TIMESTAMP_HEADER, &self.timestamp),
            (SIGNATURE_HEADER, &self.signature),
        ]
    }

    /// Iterates over [`pairs`](Self::pairs).
    #[must_use]
    pub fn iter(&self) -> std::array::IntoIter<(&'static str, &str), 3> {
        self.pairs().into_iter()
    }
}

impl<'a> IntoIterator for &'a AuthHeaders {
    type Item = (&'static str, &'a str);
    type IntoIter = std::array::IntoIter<(&'static str, &'a str), 3>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl fmt::Debug for AuthHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthHeaders")
            .field("key_id", &self.key_id)
            .field("timestamp", &self.timestamp)
            .field(
                "signature",
                &format_args!("<{} base64 chars>", self.signature.len()),
            )
            .finish()
    }
}
