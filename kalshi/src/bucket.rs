//! [`TokenBucket`]: Kalshi's rate-limit arithmetic (kalshi-api.md §5) — a refill rate in
//! tokens per second and a capacity; a request that costs more tokens than the bucket holds is
//! refused (429) and takes nothing. The simulator enforces it per account; the gateway keeps
//! its own copy of the same arithmetic, so that "fits locally" means "fits at the exchange".
//!
//! Implemented as GCRA in integer arithmetic on a time scale multiplied by the refill rate, so
//! refills are exact for any rate: a bucket is full at start, and after `t` seconds of rest
//! it has gained `rate × t` tokens, up to its capacity.

/// One token bucket. Time is passed in as nanoseconds on any monotonic scale, so callers can
/// inject a fake clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenBucket {
    rate_per_s: u64,
    capacity: u64,
    /// Theoretical arrival time, in units of `ns × rate` (one token = 1e9 units).
    tat: u128,
}

const UNITS_PER_TOKEN: u128 = 1_000_000_000;

impl TokenBucket {
    /// A full bucket refilling `rate_per_s` tokens a second up to `capacity`.
    pub fn new(rate_per_s: u64, capacity: u64) -> TokenBucket {
        TokenBucket {
            rate_per_s,
            capacity,
            tat: 0,
        }
    }

    /// Refill rate, tokens per second.
    pub fn rate_per_s(&self) -> u64 {
        self.rate_per_s
    }

    /// Capacity in tokens.
    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    fn now_units(&self, now_ns: u128) -> u128 {
        now_ns * u128::from(self.rate_per_s)
    }

    /// Tokens available at `now_ns` (whole tokens, rounded down).
    pub fn available(&self, now_ns: u128) -> u64 {
        let now = self.now_units(now_ns);
        let cap = u128::from(self.capacity) * UNITS_PER_TOKEN;
        let used = self.tat.saturating_sub(now).min(cap);
        u64::try_from((cap - used) / UNITS_PER_TOKEN).unwrap_or(u64::MAX)
    }

    /// Takes `cost` tokens if the bucket holds them; otherwise takes nothing.
    pub fn try_take(&mut self, cost: u64, now_ns: u128) -> bool {
        if self.rate_per_s == 0 {
            return false;
        }
        let now = self.now_units(now_ns);
        let new_tat = self.tat.max(now) + u128::from(cost) * UNITS_PER_TOKEN;
        if new_tat - now > u128::from(self.capacity) * UNITS_PER_TOKEN {
            return false;
        }
        self.tat = new_tat;
        true
    }

    /// Nanoseconds from `now_ns` until `cost` tokens are available (0 if they are now; `None`
    /// if `cost` exceeds the capacity and never fits).
    pub fn wait_ns(&self, cost: u64, now_ns: u128) -> Option<u128> {
        if cost > self.capacity || self.rate_per_s == 0 {
            return None;
        }
        let now = self.now_units(now_ns);
        let new_tat = self.tat.max(now) + u128::from(cost) * UNITS_PER_TOKEN;
        let limit = u128::from(self.capacity) * UNITS_PER_TOKEN;
        let excess = (new_tat - now).saturating_sub(limit);
        // Units advance by `rate` per nanosecond.
        Some(excess.div_ceil(u128::from(self.rate_per_s)))
    }

    /// Changes rate and capacity (after reading the account's real limits), keeping the
    /// tokens currently available up to the new capacity.
    pub fn resize(&mut self, rate_per_s: u64, capacity: u64, now_ns: u128) {
        let keep = self.available(now_ns).min(capacity);
        self.rate_per_s = rate_per_s;
        self.capacity = capacity;
        self.tat = self.now_units(now_ns) + u128::from(capacity - keep) * UNITS_PER_TOKEN;
    }

    /// Empties the bucket.
    pub fn drain(&mut self, now_ns: u128) {
        self.tat = self.now_units(now_ns) + u128::from(self.capacity) * UNITS_PER_TOKEN;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: u128 = 1_000_000_000;

    #[test]
    fn starts_full_and_refuses_what_it_does_not_hold() {
        // Basic read bucket: 200 tokens/s, capacity 200; a default request costs 10.
        let mut b = TokenBucket::new(200, 200);
        let t0 = 5 * SECOND;
        let granted = (0..30).filter(|_| b.try_take(10, t0)).count();
        assert_eq!(granted, 20);
        assert_eq!(b.available(t0), 0);
        // 50 ms later: 10 tokens back, exactly one more request.
        assert_eq!(b.available(t0 + SECOND / 20), 10);
        assert!(b.try_take(10, t0 + SECOND / 20));
        assert!(!b.try_take(10, t0 + SECOND / 20));
    }

    #[test]
    fn refill_is_exact_for_rates_that_do_not_divide_a_second() {
        let mut b = TokenBucket::new(300, 600);
        let t0 = SECOND;
        assert!(b.try_take(600, t0));
        assert_eq!(
            b.available(t0 + SECOND / 3),
            99,
            "333,333,333 ns hold 99.9999999 tokens"
        );
        assert_eq!(b.available(t0 + SECOND / 3 + 1), 100);
        assert_eq!(b.available(t0 + 10 * SECOND), 600, "capped at capacity");
        assert!(
            !b.try_take(601, t0 + 10 * SECOND),
            "more than the capacity never fits"
        );
    }

    #[test]
    fn wait_is_exactly_the_refill_time() {
        let mut b = TokenBucket::new(100, 100);
        assert!(b.try_take(100, SECOND));
        assert_eq!(b.wait_ns(10, SECOND), Some(SECOND / 10));
        assert!(!b.try_take(10, SECOND + SECOND / 10 - 1));
        assert!(b.try_take(10, SECOND + SECOND / 10));
        assert_eq!(b.wait_ns(101, SECOND), None);
        assert_eq!(TokenBucket::new(100, 100).wait_ns(100, 0), Some(0));
    }

    #[test]
    fn resize_keeps_what_is_available() {
        let mut b = TokenBucket::new(200, 200);
        assert!(b.try_take(150, SECOND));
        b.resize(100, 100, SECOND);
        assert_eq!(b.available(SECOND), 50);
        assert_eq!(b.available(2 * SECOND), 100);
        b.resize(1000, 1000, 2 * SECOND);
        assert_eq!(b.available(2 * SECOND), 100);
    }

    #[test]
    fn drain_empties() {
        let mut b = TokenBucket::new(100, 100);
        b.drain(SECOND);
        assert_eq!(b.available(SECOND), 0);
        assert!(!b.try_take(2, SECOND));
    }
}
