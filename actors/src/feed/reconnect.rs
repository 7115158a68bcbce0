//! [`ReconnectPolicy`]: how long the feed waits before connecting again. Pure; the time and
//! the random draw are passed in.
//!
//! The delay of attempt `n` (1 for the first retry after a loss) is the gateway's
//! [`Backoff`] — `random(0, min(cap, base × 2^(n−1)))`, full jitter — floored at a minimum
//! so that no two connects are ever closer than `min` (a tight loop against a failing
//! exchange is the reconnect storm this prevents). Attempts count consecutive short-lived
//! connections: one that delivered frames for `stable_after` resets the count, so the next
//! loss starts again at attempt 1 (the feed reports the end of a connection as its last
//! frame, so a socket that went silent is not credited with its silence). A connect that fails
//! outright counts as a short connection.

use std::time::Duration;

use crate::backoff::Backoff;

/// The reconnect schedule and where it stands.
#[derive(Debug, Clone)]
pub struct ReconnectPolicy {
    backoff: Backoff,
    min: Duration,
    stable_after: Duration,
    /// Attempts since the last stable connection.
    attempt: u32,
    /// When the current connection came up (monotonic ns), if it is up.
    up_since_ns: Option<u128>,
    /// Whether the last connection that ended had been stable.
    last_was_stable: bool,
}

impl ReconnectPolicy {
    /// A policy with no attempts yet.
    pub fn new(backoff: Backoff, min: Duration, stable_after: Duration) -> ReconnectPolicy {
        ReconnectPolicy {
            backoff,
            min,
            stable_after,
            attempt: 0,
            up_since_ns: None,
            last_was_stable: false,
        }
    }

    /// The connection came up at `now_ns`.
    pub fn connected(&mut self, now_ns: u128) {
        self.up_since_ns = Some(now_ns);
    }

    /// The connection (or the attempt to make one) ended; it last delivered at `now_ns`.
    pub fn disconnected(&mut self, now_ns: u128) {
        let up = self.up_since_ns.take();
        self.last_was_stable =
            up.is_some_and(|since| now_ns.saturating_sub(since) >= self.stable_after.as_nanos());
    }

    /// How long the current connection has been up, if it is.
    pub fn uptime(&self, now_ns: u128) -> Option<Duration> {
        self.up_since_ns.map(|since| {
            Duration::from_nanos(u64::try_from(now_ns.saturating_sub(since)).unwrap_or(u64::MAX))
        })
    }

    /// The next attempt's number (from 1) and the delay before it, given a uniform draw
    /// `unit` in `[0, 1)`.
    pub fn next(&mut self, unit: f64) -> (u32, Duration) {
        if self.last_was_stable {
            self.attempt = 0;
            self.last_was_stable = false;
        }
        self.attempt = self.attempt.saturating_add(1);
        let delay = self.backoff.delay(self.attempt - 1, unit, Some(self.min));
        (self.attempt, delay)
    }

    /// The largest delay attempt `attempt` can draw.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        self.backoff
            .ceiling(attempt.saturating_sub(1))
            .max(self.min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: u128 = 1_000_000_000;

    fn policy() -> ReconnectPolicy {
        ReconnectPolicy::new(
            Backoff {
                base: Duration::from_millis(100),
                cap: Duration::from_millis(1_000),
            },
            Duration::from_millis(20),
            Duration::from_secs(5),
        )
    }

    #[test]
    fn short_connections_grow_the_delay_to_the_cap() {
        let mut p = policy();
        // (uptime before the loss in s, draw, expected attempt, expected delay in ms)
        let table = [
            (1, 0.5, 1, 50),
            (1, 0.5, 2, 100),
            (0, 0.5, 3, 200),
            (1, 0.999, 4, 799),
            (1, 0.5, 5, 500),
            (1, 1.0, 6, 1_000),
        ];
        let mut now = 0;
        for (uptime, unit, attempt, delay_ms) in table {
            p.connected(now);
            now += uptime * S;
            p.disconnected(now);
            let (a, d) = p.next(unit);
            assert_eq!(a, attempt);
            assert_eq!(d.as_millis(), delay_ms, "attempt {a}");
        }
    }

    #[test]
    fn a_stable_connection_resets_the_attempts() {
        let mut p = policy();
        for _ in 0..4 {
            p.connected(0);
            p.disconnected(S);
            p.next(0.5);
        }
        p.connected(10 * S);
        p.disconnected(15 * S);
        assert_eq!(p.next(0.5), (1, Duration::from_millis(50)));
        p.connected(16 * S);
        p.disconnected(17 * S);
        assert_eq!(p.next(0.5).0, 2, "a short one after it counts again");
    }

    #[test]
    fn a_failed_connect_counts_and_the_minimum_always_holds() {
        let mut p = policy();
        p.disconnected(0);
        assert_eq!(p.next(0.0), (1, Duration::from_millis(20)));
        p.disconnected(0);
        assert_eq!(p.next(0.0), (2, Duration::from_millis(20)));
        assert_eq!(p.ceiling(2), Duration::from_millis(200));
        assert_eq!(p.ceiling(30), Duration::from_millis(1_000));
    }

    #[test]
    fn uptime_is_known_only_while_up() {
        let mut p = policy();
        assert_eq!(p.uptime(5), None);
        p.connected(2 * S);
        assert_eq!(p.uptime(3 * S), Some(Duration::from_secs(1)));
        p.disconnected(4 * S);
        assert_eq!(p.uptime(5 * S), None);
    }
}
