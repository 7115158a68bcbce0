//! Whether a failed attempt is tried again: a pure table of (what failed, the request's
//! retry policy, attempts so far) → retry or give up, and what error to give up with.

use kalshi::ApiError;

use super::{error::GatewayError, request::Retry};

/// Why an attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The exchange answered 429 (refused, not applied).
    RateLimited,
    /// The exchange answered 5xx.
    Server(ApiError),
    /// The request never left.
    NotSent(String),
    /// The request may have arrived; no answer came.
    NoAnswer(String),
}

/// Retry limits from the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Retries of reads after 5xx/transport errors.
    pub max_read_retries: u32,
    /// Retries of creates (same client id) and unsent writes.
    pub max_write_retries: u32,
    /// Attempts of a cancel in all.
    pub max_cancel_attempts: u32,
    /// 429s a read waits through.
    pub max_read_429s: u32,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Try again.
    Retry,
    /// Give up with this error.
    GiveUp(GatewayError),
}

/// Decides after attempt number `attempts` (1-based) failed with `failure`; `rate_limited`
/// counts the request's 429s so far and `maybe_applied` whether an earlier write attempt may
/// have landed. Creates and other placements retry 429s until their deadline, which the
/// dispatcher enforces.
pub fn decide(
    failure: Failure,
    retry: Retry,
    attempts: u32,
    rate_limited: u32,
    maybe_applied: bool,
    limits: Limits,
) -> Decision {
    let again = match (&failure, retry) {
        (Failure::RateLimited, Retry::Read) => rate_limited <= limits.max_read_429s,
        (Failure::RateLimited, Retry::Create | Retry::Write) => true,
        (_, Retry::Cancel) => attempts < limits.max_cancel_attempts,
        (_, Retry::Read) => attempts <= limits.max_read_retries,
        (_, Retry::Create) => attempts <= limits.max_write_retries,
        (Failure::NotSent(_), Retry::Write) => attempts <= limits.max_write_retries,
        (_, Retry::Write) => false,
    };
    if again {
        return Decision::Retry;
    }
    Decision::GiveUp(match failure {
        Failure::RateLimited => GatewayError::RateLimited,
        Failure::Server(e) => GatewayError::Server(e),
        Failure::NotSent(reason) if !maybe_applied => GatewayError::Transport { reason },
        Failure::NotSent(reason) | Failure::NoAnswer(reason) => GatewayError::Ambiguous { reason },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits {
        max_read_retries: 2,
        max_write_retries: 1,
        max_cancel_attempts: 3,
        max_read_429s: 4,
    };

    fn server() -> Failure {
        Failure::Server(ApiError::parse(503, b"{}"))
    }

    #[test]
    fn retry_table() {
        use Decision::Retry as R;
        let cases: Vec<(Failure, Retry, u32, u32, bool)> = vec![
            // (failure, policy, attempts, 429s, retried?)
            (server(), Retry::Read, 1, 0, true),
            (server(), Retry::Read, 2, 0, true),
            (server(), Retry::Read, 3, 0, false),
            (Failure::RateLimited, Retry::Read, 5, 4, true),
            (Failure::RateLimited, Retry::Read, 6, 5, false),
            (Failure::NoAnswer("reset".into()), Retry::Create, 1, 0, true),
            (
                Failure::NoAnswer("reset".into()),
                Retry::Create,
                2,
                0,
                false,
            ),
            (Failure::RateLimited, Retry::Create, 9, 9, true),
            (Failure::RateLimited, Retry::Write, 9, 9, true),
            (server(), Retry::Write, 1, 0, false),
            (Failure::NoAnswer("reset".into()), Retry::Write, 1, 0, false),
            (Failure::NotSent("refused".into()), Retry::Write, 1, 0, true),
            (server(), Retry::Cancel, 2, 0, true),
            (Failure::RateLimited, Retry::Cancel, 3, 3, false),
        ];
        for (failure, policy, attempts, r429, want) in cases {
            let got = decide(failure.clone(), policy, attempts, r429, false, L) == R;
            assert_eq!(got, want, "{failure:?} {policy:?} attempt {attempts}");
        }
    }

    #[test]
    fn giving_up_says_whether_a_write_may_have_happened() {
        let ambiguous = decide(
            Failure::NoAnswer("reset".into()),
            Retry::Write,
            1,
            0,
            true,
            L,
        );
        assert!(matches!(
            ambiguous,
            Decision::GiveUp(GatewayError::Ambiguous { .. })
        ));
        let unsent = decide(
            Failure::NotSent("refused".into()),
            Retry::Create,
            2,
            0,
            false,
            L,
        );
        assert!(matches!(
            unsent,
            Decision::GiveUp(GatewayError::Transport { .. })
        ));
        let after_unknown = decide(
            Failure::NotSent("refused".into()),
            Retry::Create,
            2,
            0,
            true,
            L,
        );
        assert!(matches!(
            after_unknown,
            Decision::GiveUp(GatewayError::Ambiguous { .. })
        ));
        let limited = decide(Failure::RateLimited, Retry::Read, 9, 9, false, L);
        assert_eq!(limited, Decision::GiveUp(GatewayError::RateLimited));
    }
}
