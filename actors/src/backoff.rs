//! Backoff delays: exponential with full jitter, capped ("Exponential Backoff And Jitter",
//! AWS Architecture Blog). `delay = random(0, min(cap, base × 2^attempt))`, floored by a
//! server-given `Retry-After` when there is one. Pure; the random draw is passed in.

use std::time::Duration;

/// Backoff parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Delay ceiling of the first retry.
    pub base: Duration,
    /// Largest delay.
    pub cap: Duration,
}

impl Backoff {
    /// The ceiling for retry number `attempt` (0-based): `min(cap, base × 2^attempt)`.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// The delay for retry `attempt` given a uniform draw `unit` in `[0, 1)`, and an optional
    /// server-given floor.
    pub fn delay(&self, attempt: u32, unit: f64, floor: Option<Duration>) -> Duration {
        let jittered = self.ceiling(attempt).mul_f64(unit.clamp(0.0, 1.0));
        floor.map_or(jittered, |f| jittered.max(f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: Backoff = Backoff {
        base: Duration::from_millis(100),
        cap: Duration::from_secs(5),
    };

    #[test]
    fn ceiling_doubles_then_caps() {
        let table = [
            (0, 100),
            (1, 200),
            (2, 400),
            (5, 3_200),
            (6, 5_000),
            (40, 5_000),
        ];
        for (attempt, ms) in table {
            assert_eq!(
                B.ceiling(attempt),
                Duration::from_millis(ms),
                "attempt {attempt}"
            );
        }
    }

    #[test]
    fn full_jitter_spans_zero_to_ceiling_and_honours_a_floor() {
        assert_eq!(B.delay(2, 0.0, None), Duration::ZERO);
        assert_eq!(B.delay(2, 0.5, None), Duration::from_millis(200));
        assert_eq!(
            B.delay(2, 0.999_999, None),
            Duration::from_nanos(399_999_600)
        );
        assert_eq!(
            B.delay(2, 0.1, Some(Duration::from_secs(1))),
            Duration::from_secs(1)
        );
        assert_eq!(
            B.delay(0, 7.0, None),
            Duration::from_millis(100),
            "draw is clamped"
        );
    }
}
