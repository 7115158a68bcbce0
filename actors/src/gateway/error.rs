//! [`GatewayError`]: how a REST call through the gateway can fail, with the questions callers
//! ask of it — retry? did it maybe happen? — answered by methods, not string matching.

use kalshi::ApiError;

/// A failed gateway call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// The exchange kept answering 429 until the request's retries or deadline ran out.
    #[error("rate limited by the exchange")]
    RateLimited,
    /// The exchange refused the request (4xx other than 401/429): not retried.
    #[error("rejected by the exchange: {0}")]
    Rejected(ApiError),
    /// Authentication failed (401): check the key id, the key and the clock.
    #[error("unauthorized: {0}")]
    Unauthorized(ApiError),
    /// The exchange failed (5xx) and retries ran out.
    #[error("exchange error: {0}")]
    Server(ApiError),
    /// The request may have reached the exchange, but no answer came back (connection reset,
    /// timeout). A write in this state may or may not have been applied.
    #[error("no answer from the exchange ({reason}); the outcome is unknown")]
    Ambiguous {
        /// What went wrong.
        reason: String,
    },
    /// The request never left: connection refused, DNS, TLS setup.
    #[error("could not send: {reason}")]
    Transport {
        /// What went wrong.
        reason: String,
    },
    /// The request's deadline passed before it could be sent; it was never sent.
    #[error("deadline passed before sending; not sent")]
    Expired,
    /// The request was taken back before it was sent (its book went stale, its market
    /// paused); it was never sent.
    #[error("withdrawn before sending ({reason}); not sent")]
    Withdrawn {
        /// Why.
        reason: String,
    },
    /// The request's lane was full; not queued.
    #[error("gateway overloaded: the {lane} lane is full")]
    Overloaded {
        /// The lane.
        lane: &'static str,
    },
    /// The answer did not decode as the expected type.
    #[error("cannot decode the answer: {reason}")]
    Decode {
        /// The decode error, with the body truncated.
        reason: String,
    },
    /// The request could not be built (bad path or body) — a bug or bad input, not retried.
    #[error("invalid request: {0}")]
    Invalid(String),
    /// The gateway stopped before answering.
    #[error("gateway stopped")]
    Stopped,
}

impl GatewayError {
    /// Whether trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            GatewayError::RateLimited
                | GatewayError::Server(_)
                | GatewayError::Ambiguous { .. }
                | GatewayError::Transport { .. }
                | GatewayError::Expired
                | GatewayError::Overloaded { .. }
        )
    }

    /// Whether a write may have been applied although this error came back.
    pub fn may_have_happened(&self) -> bool {
        matches!(
            self,
            GatewayError::Ambiguous { .. } | GatewayError::Server(_)
        )
    }

    /// Whether it was the exchange's rate limiter.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, GatewayError::RateLimited)
    }

    /// The exchange's error, when it answered with one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            GatewayError::Rejected(e) | GatewayError::Unauthorized(e) | GatewayError::Server(e) => {
                Some(e)
            }
            _ => None,
        }
    }
}
