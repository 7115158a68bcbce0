//! Request authentication as Kalshi does it (kalshi-api.md §2): the three `KALSHI-ACCESS-*`
//! headers, a millisecond timestamp within the configured skew of the simulator's clock, and
//! a signature over `timestamp + METHOD + path` (path without the query) that verifies with a
//! key registered to an account. Every failure is a 401 that says which check failed. The
//! clock is the simulator's, moved by the `clock_skew_ms` fault switch.

use actix_web::HttpRequest;
use kalshi::sign::{KEY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};

use super::{
    error::SimError,
    state::{Shared, lock},
};
use crate::engine::AccountIdx;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Authed {
    /// The account.
    pub account: AccountIdx,
    /// The key id used.
    pub key_id: String,
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Whether the request carries any of the auth headers.
pub fn has_auth_headers(req: &HttpRequest) -> bool {
    [KEY_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER]
        .iter()
        .any(|h| req.headers().contains_key(*h))
}

/// Checks the auth headers of `req` against the registered keys and the clock.
pub fn authenticate(shared: &Shared, req: &HttpRequest) -> Result<Authed, SimError> {
    let (Some(key_id), Some(ts), Some(sig)) = (
        header(req, KEY_HEADER),
        header(req, TIMESTAMP_HEADER),
        header(req, SIGNATURE_HEADER),
    ) else {
        return Err(SimError::unauthorized(format!(
            "missing authentication headers ({KEY_HEADER}, {TIMESTAMP_HEADER}, {SIGNATURE_HEADER})"
        )));
    };
    let entry = shared
        .key(key_id)
        .ok_or_else(|| SimError::unauthorized("API key is not registered"))?;
    let ts_ms: i64 = ts
        .parse()
        .map_err(|_| SimError::unauthorized("timestamp must be Unix milliseconds"))?;
    // The `clock_skew_ms` fault moves the exchange's clock (and its `Date` header, routes.rs).
    let now_ms = shared.clock.now().timestamp_millis() + lock(&shared.faults).clock_skew_ms;
    let skew_ms = shared.config.auth_skew_s.saturating_mul(1000);
    if (ts_ms - now_ms).abs() > skew_ms {
        return Err(SimError::unauthorized(format!(
            "timestamp is {} ms away from server time (allowed ±{skew_ms} ms)",
            ts_ms - now_ms
        )));
    }
    entry
        .key
        .verify(ts, req.method().as_str(), req.path(), sig)
        .map_err(|_| SimError::unauthorized("signature does not verify"))?;
    Ok(Authed {
        account: entry.account,
        key_id: key_id.to_owned(),
    })
}
