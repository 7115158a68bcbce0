//! [`signing_message`]: the exact bytes a Kalshi request signature covers,
//! `timestamp + METHOD + path`, built the same way by the signer and the verifier.

use super::error::SignError;

/// Builds the message Kalshi signs: `timestamp + METHOD + path`, no separators.
///
/// - `timestamp`: Unix milliseconds, 1 to 19 decimal digits (no sign, no spaces).
/// - `method`: 1 to 16 ASCII letters, uppercased here (`get` signs as `GET`).
/// - `path`: the full path **including `/trade-api/v2`** (or `/trade-api/ws/v2`), e.g.
///   `/trade-api/v2/portfolio/orders`. It must start with `/`. Anything from the first `?`
///   (the query string) or `#` on is dropped, as Kalshi's reference clients do.
///
/// These rules make the concatenation unambiguous: digits, then letters, then `/`.
///
/// ```
/// let message = kalshi::sign::signing_message(
///     "1703123456789", "GET", "/trade-api/v2/portfolio/orders?limit=5")?;
/// assert_eq!(message, "1703123456789GET/trade-api/v2/portfolio/orders");
/// # Ok::<(), kalshi::sign::SignError>(())
/// ```
///
/// # Errors
/// [`SignError::InvalidTimestamp`], [`SignError::InvalidMethod`] or [`SignError::InvalidPath`].
pub fn signing_message(timestamp: &str, method: &str, path: &str) -> Result<String, SignError> {
    if timestamp.is_empty()
        || timestamp.len() > 19
        || !timestamp.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(SignError::invalid_timestamp(timestamp));
    }
    if method.is_empty() || method.len() > 16 || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(SignError::invalid_method(method));
    }
    let bare_path = path.find(['?', '#']).map_or(path, |end| &path[..end]);
    if !bare_path.starts_with('/') {
        return Err(SignError::invalid_path(path));
    }
    let mut message = String::with_capacity(timestamp.len() + method.len() + bare_path.len());
    message.push_str(timestamp);
    message.extend(method.chars().map(|c| c.to_ascii_uppercase()));
    message.push_str(bare_path);
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_strips_query_and_uppercases_method() {
        let cases = [
            (
                "1703123456789",
                "GET",
                "/trade-api/v2/portfolio/balance",
                "1703123456789GET/trade-api/v2/portfolio/balance",
            ),
            (
                "1703123456789",
                "GET",
                "/trade-api/v2/portfolio/orders?limit=5",
                "1703123456789GET/trade-api/v2/portfolio/orders",
            ),
            (
                "1",
                "post",
                "/trade-api/v2/portfolio/orders",
                "1POST/trade-api/v2/portfolio/orders",
            ),
            (
                "1",
                "Delete",
                "/trade-api/v2/portfolio/orders/abc?x=1&y=2",
                "1DELETE/trade-api/v2/portfolio/orders/abc",
            ),
            ("1", "GET", "/trade-api/ws/v2", "1GET/trade-api/ws/v2"),
            (
                "1",
                "GET",
                "/trade-api/v2/markets#frag",
                "1GET/trade-api/v2/markets",
            ),
            ("1", "GET", "/?", "1GET/"),
        ];
        for (ts, method, path, want) in cases {
            assert_eq!(
                signing_message(ts, method, path).unwrap(),
                want,
                "{method} {path}"
            );
        }
    }

    #[test]
    fn message_rejects_ambiguous_inputs() {
        let bad = [
            ("", "GET", "/p"),
            ("-1", "GET", "/p"),
            ("12a", "GET", "/p"),
            ("12345678901234567890", "GET", "/p"),
            ("1", "", "/p"),
            ("1", "G T", "/p"),
            ("1", "GET/", "/p"),
            ("1", "GET", ""),
            ("1", "GET", "trade-api/v2/markets"),
            (
                "1",
                "GET",
                "https://api.elections.kalshi.com/trade-api/v2/markets",
            ),
            ("1", "GET", "?/trade-api/v2"),
        ];
        for (ts, method, path) in bad {
            let err = signing_message(ts, method, path).unwrap_err();
            assert!(err.is_request_error(), "{ts:?} {method:?} {path:?}: {err}");
        }
    }

    #[test]
    fn error_quotes_are_truncated() {
        let long = format!("x{}", "y".repeat(500));
        let err = signing_message("1", "GET", &long).unwrap_err().to_string();
        assert!(err.len() < 200, "{err}");
    }
}
