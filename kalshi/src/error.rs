//! [`ApiError`]: a failed REST call as Kalshi reports it, parsed from whichever of the three
//! error-body shapes arrived; [`ErrorBody`] writes those shapes for the simulator; [`codes`]
//! names the known error `code` strings.
//!
//! The three shapes (kalshi-api.md §4, §8.3; Kalshi's "Order Errors" page,
//! <https://docs.kalshi.com/getting_started/order_errors>):
//!
//! - wrapped, what an order the API or the exchange rejects gets — switch on `code`,
//!   `message` and `details` are for people:
//!   `{"error":{"code":"invalid_order","message":"invalid order","details":"post only cross"}}`
//! - flat, as the spec has it (OAS `ErrorResponse`; PY also had `service`), and what a body
//!   the API cannot parse (malformed JSON, a field of the wrong type) gets:
//!   `{"code":"bad_request","message":"bad request","details":"…"}`
//! - text, on 429 (with no `Retry-After` and no `X-RateLimit-*` headers):
//!   `{"error":"too many requests"}`
//!
//! Read `error.code` first and fall back to a top-level `code` ([`ApiError::parse`] does).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Known REST error `code` strings. Kalshi documents the FIX `Text` vocabulary
/// (`ORDER_ALREADY_EXISTS`, …); REST codes seen live are the same words in lower snake case
/// (`invalid_order`, `deprecated_v1_order_endpoint`). UNCERTAIN: that every FIX word maps this
/// way; match on HTTP status first where one is documented (409 for a duplicate client id).
pub mod codes {
    /// The order is malformed or breaks a rule (seen live with HTTP 400); `details` says
    /// which, e.g. [`super::details::POST_ONLY_CROSS`]. Also a create body without `side`,
    /// `count` or `price`.
    pub const INVALID_ORDER: &str = "invalid_order";
    /// A required parameter is missing, e.g. a create body without `ticker`.
    pub const MISSING_PARAMETERS: &str = "missing_parameters";
    /// The body could not be parsed (malformed JSON, a field of the wrong type); sent in the
    /// flat shape.
    pub const BAD_REQUEST: &str = "bad_request";
    /// Query or body parameters are invalid.
    pub const INVALID_PARAMETERS: &str = "invalid_parameters";
    /// The market is not open (also every order op after `close_time`).
    pub const MARKET_INACTIVE: &str = "market_inactive";
    /// The market has closed.
    pub const MARKET_ALREADY_CLOSED: &str = "market_already_closed";
    /// No such market.
    pub const MARKET_NOT_FOUND: &str = "market_not_found";
    /// No such resource (order, event, ...).
    pub const NOT_FOUND: &str = "not_found";
    /// An open order already has this `client_order_id` (HTTP 409).
    pub const ORDER_ALREADY_EXISTS: &str = "order_already_exists";
    /// Not enough balance for the order.
    pub const INSUFFICIENT_BALANCE: &str = "insufficient_balance";
    /// A fill-or-kill order found too little volume.
    pub const FOK_INSUFFICIENT_VOLUME: &str = "fok_insufficient_volume";
    /// The order would trade with the account's own order.
    pub const SELF_CROSS_ATTEMPT: &str = "self_cross_attempt";
    /// Trading is paused on the market or exchange.
    pub const TRADING_PAUSED: &str = "trading_paused";
    /// The exchange is paused.
    pub const EXCHANGE_PAUSED: &str = "exchange_paused";
    /// The exchange is unavailable (maintenance).
    pub const EXCHANGE_UNAVAILABLE: &str = "exchange_unavailable";
    /// An order-group limit was exceeded.
    pub const EXCEEDED_ORDER_GROUP_RISK_LIMIT: &str = "exceeded_order_group_risk_limit";
    /// A per-market risk limit was exceeded.
    pub const EXCEEDED_PER_MARKET_RISK_LIMIT: &str = "exceeded_per_market_risk_limit";
    /// No such order group.
    pub const ORDER_GROUP_NOT_FOUND: &str = "order_group_not_found";
    /// An amend asked for an impossible quantity.
    pub const INVALID_AMEND_QTY_FOR_ORDER: &str = "invalid_amend_qty_for_order";
    /// The order is already filled.
    pub const CANNOT_UPDATE_FILLED_ORDER: &str = "cannot_update_filled_order";
    /// A V1 order write (`/portfolio/orders*`); use `/portfolio/events/orders*`.
    pub const DEPRECATED_V1_ORDER_ENDPOINT: &str = "deprecated_v1_order_endpoint";
    /// Missing or bad signature headers.
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// The key lacks the scope or tier.
    pub const FORBIDDEN: &str = "forbidden";
    /// Server-side failure.
    pub const INTERNAL_SERVER_ERROR: &str = "internal_server_error";
}

/// Known `details` texts of [`codes::INVALID_ORDER`] refusals, as Kalshi's order-errors page
/// gives them.
pub mod details {
    /// A post-only order would have taken liquidity.
    pub const POST_ONLY_CROSS: &str = "post only cross";
}

/// Longest body excerpt kept in an [`ApiError`] built from an unparsable body.
pub const MAX_BODY_EXCERPT: usize = 200;

/// The fields of an error body; all optional. Also the per-item `error` of batch responses.
/// A non-string value (a `details` object, a numeric `code`) is kept as its compact JSON
/// text rather than failing the whole response.
///
/// ```json
/// {"code":"invalid_order","message":"invalid order","details":"price must be on a tick"}
/// ```
///
/// Source: OAS `ErrorResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Machine-readable code (see [`codes`]).
    #[serde(
        default,
        deserialize_with = "lenient_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<String>,
    /// Human-readable message.
    #[serde(
        default,
        deserialize_with = "lenient_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
    /// More detail.
    #[serde(
        default,
        deserialize_with = "lenient_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub details: Option<String>,
    /// The internal service that failed.
    #[serde(
        default,
        deserialize_with = "lenient_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub service: Option<String>,
}

/// An error body in one of Kalshi's three shapes. The simulator serializes
/// [`ErrorBody::wrapped`] (what the live API sends for a refused request),
/// [`ErrorBody::flat`] (an unparsable body) and [`ErrorBody::too_many_requests`].
///
/// ```json
/// {"error":{"code":"invalid_order","message":"invalid order",
///  "details":"exactly one of yes_price, no_price, yes_price_dollars, or no_price_dollars …"}}
/// ```
///
/// Source: kalshi-api.md §4 (ryanfrigo/kalshi-ai-trading-bot#9; RN §12 quoting the rate
/// limits page; OAS `ErrorResponse`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ErrorBody {
    /// `{"error":{"code":…,"message":…,"details":…}}`.
    Wrapped {
        /// The fields.
        error: ErrorDetail,
    },
    /// `{"error":"too many requests"}`.
    Text {
        /// The message.
        error: String,
    },
    /// `{"code":…,"message":…,"details":…}`.
    Flat(ErrorDetail),
}

impl ErrorBody {
    /// The wrapped shape the live API sends.
    pub fn wrapped(code: &str, message: &str, details: Option<&str>) -> ErrorBody {
        ErrorBody::Wrapped {
            error: ErrorDetail {
                code: Some(code.to_owned()),
                message: Some(message.to_owned()),
                details: details.map(str::to_owned),
                service: None,
            },
        }
    }

    /// The flat shape Kalshi sends for a body it cannot parse.
    pub fn flat(code: &str, message: &str, details: Option<&str>) -> ErrorBody {
        match ErrorBody::wrapped(code, message, details) {
            ErrorBody::Wrapped { error } => ErrorBody::Flat(error),
            other => other,
        }
    }

    /// `{"error":"too many requests"}`, the 429 body.
    pub fn too_many_requests() -> ErrorBody {
        ErrorBody::Text {
            error: "too many requests".to_owned(),
        }
    }

    /// The body as JSON bytes.
    pub fn to_json(&self) -> Vec<u8> {
        // unwrap: a struct of strings always serializes.
        serde_json::to_vec(self).unwrap()
    }
}

/// A REST call that failed: the HTTP status plus whatever the body said. Never fails to
/// build: see [`ApiError::parse`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("HTTP {status}{}{}{}",
    if code.is_empty() { String::new() } else { format!(" {code}") },
    if message.is_empty() { String::new() } else { format!(": {message}") },
    details.as_ref().map(|d| format!(" ({d})")).unwrap_or_default())]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The `code`, empty when the body had none (e.g. the 429 text shape).
    pub code: String,
    /// The `message`; for an unparsable body, its first [`MAX_BODY_EXCERPT`] characters.
    pub message: String,
    /// The `details`, if any.
    pub details: Option<String>,
    /// The `service`, if any.
    pub service: Option<String>,
}

/// Serde adapter: any JSON value as text ([`text`]); null or absent is `None`.
fn lenient_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(text(Some(&Value::deserialize(d)?)))
}

/// A field as text: strings as they are, other JSON values in compact form, null as absent.
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn excerpt(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(body);
    let s = s.trim();
    match s.char_indices().nth(MAX_BODY_EXCERPT) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

impl ApiError {
    /// Reads any of the three shapes. Never fails: a body that is not JSON, or JSON with no
    /// recognisable field, becomes a `message` holding the (truncated) body text.
    pub fn parse(status: u16, body: &[u8]) -> ApiError {
        let mut err = ApiError {
            status,
            code: String::new(),
            message: String::new(),
            details: None,
            service: None,
        };
        if let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(body) {
            let fields = match top.get("error") {
                Some(Value::Object(inner)) => Some(inner),
                Some(Value::String(msg)) => {
                    err.message = msg.clone();
                    None
                }
                _ => Some(&top),
            };
            if let Some(f) = fields {
                err.code = text(f.get("code")).unwrap_or_default();
                err.message = text(f.get("message")).unwrap_or_default();
                err.details = text(f.get("details"));
                err.service = text(f.get("service"));
            }
        }
        if err.code.is_empty() && err.message.is_empty() && err.details.is_none() {
            err.message = excerpt(body);
        }
        err
    }

    /// An error from a batch item's `error` field, with the status of the whole response.
    pub fn from_detail(status: u16, detail: &ErrorDetail) -> ApiError {
        ApiError {
            status,
            code: detail.code.clone().unwrap_or_default(),
            message: detail.message.clone().unwrap_or_default(),
            details: detail.details.clone(),
            service: detail.service.clone(),
        }
    }

    /// An error body hiding in a 2xx response (the V1 deprecation error has been reported
    /// with a 2xx status, UNCERTAIN): `Some` when the body is an object with a top-level
    /// `error` string or object.
    pub fn from_success_body(status: u16, body: &[u8]) -> Option<ApiError> {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(top))
                if matches!(top.get("error"), Some(Value::Object(_) | Value::String(_))) =>
            {
                Some(ApiError::parse(status, body))
            }
            _ => None,
        }
    }

    /// The `code` equals `code` (see [`codes`]).
    pub fn has_code(&self, code: &str) -> bool {
        self.code == code
    }

    /// 429: out of tokens. There is no `Retry-After`; back off.
    pub fn is_rate_limited(&self) -> bool {
        self.status == 429
    }

    /// Worth retrying after a delay: 429 or any 5xx. (Writes only with the same
    /// `client_order_id`.)
    pub fn is_retryable(&self) -> bool {
        self.status == 429 || (500..=599).contains(&self.status)
    }

    /// The order's `client_order_id` is already in use: 409, or the
    /// `order_already_exists` code.
    pub fn is_duplicate_client_order_id(&self) -> bool {
        self.status == 409 || self.has_code(codes::ORDER_ALREADY_EXISTS)
    }

    /// 401: bad or missing signature, key or timestamp.
    pub fn is_unauthorized(&self) -> bool {
        self.status == 401
    }

    /// 403: the key lacks the scope or tier.
    pub fn is_forbidden(&self) -> bool {
        self.status == 403
    }

    /// 404: unknown market, event, series or order.
    pub fn is_not_found(&self) -> bool {
        self.status == 404
    }

    /// A V1 order endpoint was called.
    pub fn is_deprecated_v1(&self) -> bool {
        self.has_code(codes::DEPRECATED_V1_ORDER_ENDPOINT)
    }

    /// A post-only order was refused because it would have taken: `invalid_order` with the
    /// details `post only cross`.
    pub fn is_post_only_cross(&self) -> bool {
        self.has_code(codes::INVALID_ORDER)
            && self.details.as_deref() == Some(details::POST_ONLY_CROSS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_shape() {
        let e = ApiError::parse(
            400,
            br#"{"error":{"code":"invalid_order","message":"invalid order","details":"d"}}"#,
        );
        assert_eq!(
            (e.code.as_str(), e.message.as_str(), e.details.as_deref()),
            ("invalid_order", "invalid order", Some("d"))
        );
        assert_eq!(e.to_string(), "HTTP 400 invalid_order: invalid order (d)");
        let e = ApiError::parse(404, br#"{"code":"not_found","message":"m","service":"s"}"#);
        assert_eq!(
            (e.code.as_str(), e.service.as_deref()),
            ("not_found", Some("s"))
        );
        let e = ApiError::parse(429, br#"{"error":"too many requests"}"#);
        assert!(e.is_rate_limited() && e.is_retryable() && e.code.is_empty());
        assert_eq!(e.to_string(), "HTTP 429: too many requests");
    }

    #[test]
    fn reads_the_order_error_page_shapes() {
        let e = ApiError::parse(
            400,
            br#"{"error":{"code":"invalid_order","message":"invalid order","details":"post only cross"}}"#,
        );
        assert!(e.is_post_only_cross(), "{e}");
        let e = ApiError::parse(
            400,
            br#"{"code":"bad_request","message":"bad request","details":"invalid character"}"#,
        );
        assert_eq!(
            (e.code.as_str(), e.message.as_str(), e.details.as_deref()),
            (codes::BAD_REQUEST, "bad request", Some("invalid character"))
        );
        assert!(!e.is_post_only_cross());
        let e = ApiError::parse(
            400,
            br#"{"error":{"code":"missing_parameters","message":"missing parameters"}}"#,
        );
        assert!(e.has_code(codes::MISSING_PARAMETERS) && e.details.is_none());
    }

    #[test]
    fn garbage_becomes_a_truncated_message() {
        let long = "x".repeat(1000);
        let e = ApiError::parse(502, long.as_bytes());
        assert_eq!(e.message.chars().count(), MAX_BODY_EXCERPT + 1);
        assert_eq!(ApiError::parse(500, b"").message, "");
        assert_eq!(ApiError::parse(500, b"[1,2]").message, "[1,2]");
        let e = ApiError::parse(400, br#"{"code":7,"details":{"a":1}}"#);
        assert_eq!(
            (e.code.as_str(), e.details.as_deref()),
            ("7", Some(r#"{"a":1}"#))
        );
    }

    #[test]
    fn simulator_bodies_have_the_live_shapes() {
        let b = ErrorBody::wrapped(codes::MARKET_INACTIVE, "market is not active", None);
        assert_eq!(
            b.to_json(),
            br#"{"error":{"code":"market_inactive","message":"market is not active"}}"#
        );
        assert_eq!(
            ErrorBody::too_many_requests().to_json(),
            br#"{"error":"too many requests"}"#
        );
    }
}
