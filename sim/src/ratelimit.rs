//! Token buckets exactly like Kalshi's (kalshi-api.md §5): per account, one read and one write
//! bucket, each with a refill rate (tokens per second) and a capacity; a request that costs
//! more tokens than the bucket holds is refused (429) and takes nothing.
//!
//! Implemented as GCRA in integer arithmetic on a time scale multiplied by the refill rate, so
//! refills are exact for any rate: a bucket is full at start, and after `t` seconds of rest
//! it has gained `rate × t` tokens, up to its capacity.

/// One token bucket.
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
    fn drain_empties() {
        let mut b = TokenBucket::new(100, 100);
        b.drain(SECOND);
        assert_eq!(b.available(SECOND), 0);
        assert!(!b.try_take(2, SECOND));
    }
}
