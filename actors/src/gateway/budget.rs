//! One of Kalshi's token buckets (read or write) as the gateway keeps it: a `governor` GCRA
//! rate limiter on the engine's injected clock. Admission takes a request's cost with
//! `check_n`; how long a cost must wait is governor's `NotUntil`, asked of a scratch limiter
//! that shares the real one's state, so asking never spends.
//!
//! What governor's API does not offer, the state store here does: the limiter's theoretical
//! arrival time (TAT) lives in a cell the gateway can read and set, so it can tell the tokens
//! left (metrics, the cancel reserve), empty the bucket on a 429, start empty, and carry the
//! tokens left into a new limiter when `GET /account/limits` changes the quota.
//!
//! Governor's `Quota::per_second` spaces cells `⌊10⁹ / rate⌋` ns apart, so for a rate that
//! does not divide 10⁹ (300/s, say) it would refill a hair faster than the exchange's exact
//! bucket (`kalshi::bucket`, which the simulator enforces) and, saturated right after a drain,
//! send a request a few nanoseconds before the exchange has its tokens (tested below). So the
//! quota here spaces them `⌈10⁹ / rate⌉` ns apart instead: never ahead of the exchange, at a
//! cost of under a millionth of the budget.

use std::{
    num::NonZeroU32,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use governor::{
    Quota, RateLimiter,
    clock::Clock,
    middleware::NoOpMiddleware,
    nanos::Nanos,
    state::{NotKeyed, StateStore},
};

/// The instant every limiter of a budget starts at: TATs are nanoseconds after it.
const ORIGIN: u64 = 1;

/// A clock that reads what the gateway last pinned on it (its injected clock's monotonic ns).
#[derive(Debug, Default)]
struct Pinned(AtomicU64);

impl Clock for &Pinned {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        Nanos::new(self.0.load(Ordering::Relaxed))
    }
}

/// The limiter's state: the TAT in ns after [`ORIGIN`] (0 = never used: a full bucket).
#[derive(Debug, Default, Clone)]
struct Tat(Arc<AtomicU64>);

impl StateStore for Tat {
    type Key = NotKeyed;

    fn measure_and_replace<T, F, E>(&self, _key: &NotKeyed, f: F) -> Result<T, E>
    where
        F: Fn(Option<Nanos>) -> Result<(T, Nanos), E>,
    {
        let prev = self.0.load(Ordering::Acquire);
        let (out, next) = f((prev != 0).then(|| Nanos::new(prev)))?;
        self.0.store(next.as_u64().max(1), Ordering::Release);
        Ok(out)
    }
}

type Limiter<'c> = RateLimiter<NotKeyed, Tat, &'c Pinned, NoOpMiddleware<Nanos>>;

/// A bucket of `capacity` tokens refilled at `rate_per_s`.
#[derive(Debug)]
pub struct Budget {
    rate_per_s: u64,
    capacity: u64,
    quota: Option<Quota>,
    tat: Tat,
    /// A copy of the state for questions that must not spend.
    scratch: Tat,
    clock: Box<Pinned>,
    /// Nanoseconds per token (governor's cell interval).
    per_token: u64,
}

impl Budget {
    /// A bucket, empty at `now_ns` (the safe reading: the exchange's may not be full).
    pub fn new(rate_per_s: u64, capacity: u64, now_ns: u128) -> Budget {
        Budget::with_tokens(rate_per_s, capacity, 0, now_ns)
    }

    /// A bucket holding `tokens` (at most `capacity`) at `now_ns`.
    pub fn with_tokens(rate_per_s: u64, capacity: u64, tokens: u64, now_ns: u128) -> Budget {
        let rate = u32::try_from(rate_per_s).ok().and_then(NonZeroU32::new);
        let burst = u32::try_from(capacity).ok().and_then(NonZeroU32::new);
        // Cells ⌈10⁹ / rate⌉ ns apart: never faster than the exchange's exact refill.
        let per_token = rate.map_or(u64::MAX, |r| 1_000_000_000u64.div_ceil(u64::from(r.get())));
        let quota = rate.zip(burst).and_then(|(_, b)| {
            Some(Quota::with_period(Duration::from_nanos(per_token))?.allow_burst(b))
        });
        let mut b = Budget {
            rate_per_s,
            capacity,
            quota,
            tat: Tat::default(),
            scratch: Tat::default(),
            clock: Box::default(),
            per_token,
        };
        b.set_available(tokens, now_ns);
        b
    }

    /// Refill rate, tokens per second.
    pub fn rate_per_s(&self) -> u64 {
        self.rate_per_s
    }

    /// Capacity, tokens.
    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    /// Nanoseconds after [`ORIGIN`] of the engine's instant `now_ns`.
    fn since_origin(now_ns: u128) -> u64 {
        u64::try_from(now_ns)
            .unwrap_or(u64::MAX)
            .saturating_add(ORIGIN)
    }

    /// A limiter over `state` whose clock reads `now_ns` (built at [`ORIGIN`]).
    fn limiter(&self, state: Tat, now_ns: u128) -> Option<Limiter<'_>> {
        let quota = self.quota?;
        self.clock.0.store(ORIGIN, Ordering::Relaxed);
        let limiter = RateLimiter::new(quota, state, &*self.clock);
        self.clock
            .0
            .store(Self::since_origin(now_ns), Ordering::Relaxed);
        Some(limiter)
    }

    /// Takes `cost` tokens if the bucket holds them (governor's `check_n`); otherwise takes
    /// nothing.
    pub fn try_take(&mut self, cost: u64, now_ns: u128) -> bool {
        let Some(n) = u32::try_from(cost).ok().and_then(NonZeroU32::new) else {
            return cost == 0;
        };
        self.limiter(self.tat.clone(), now_ns)
            .is_some_and(|l| matches!(l.check_n(n), Ok(Ok(()))))
    }

    /// Nanoseconds from `now_ns` until `cost` tokens are there (0 if they are now; `None` if
    /// `cost` exceeds the capacity and never fits): governor's `NotUntil`, asked of a scratch
    /// limiter so nothing is spent.
    pub fn wait_ns(&self, cost: u64, now_ns: u128) -> Option<u128> {
        let n = u32::try_from(cost).ok().and_then(NonZeroU32::new);
        let Some(n) = n else {
            return (cost == 0).then_some(0);
        };
        let tat = self.tat.0.load(Ordering::Acquire);
        self.scratch.0.store(tat, Ordering::Release);
        let limiter = self.limiter(self.scratch.clone(), now_ns)?;
        match limiter.check_n(n) {
            Ok(Ok(())) => Some(0),
            Ok(Err(not_until)) => {
                let wait = not_until.wait_time_from(Nanos::new(Self::since_origin(now_ns)));
                Some(wait.as_nanos().max(1))
            }
            Err(_insufficient_capacity) => None,
        }
    }

    /// Whole tokens available at `now_ns`.
    pub fn available(&self, now_ns: u128) -> u64 {
        // The largest cost that fits now: governor answers whether one does.
        let (mut lo, mut hi) = (0, self.capacity);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if self.wait_ns(mid, now_ns) == Some(0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }

    /// Sets the state so that exactly `tokens` (≤ capacity) are available at `now_ns`.
    fn set_available(&mut self, tokens: u64, now_ns: u128) {
        let now = Self::since_origin(now_ns) - ORIGIN;
        let missing = self.capacity.saturating_sub(tokens.min(self.capacity));
        // GCRA: n tokens fit while TAT ≤ now + (capacity − n) × per_token, so with TAT =
        // now + missing × per_token exactly capacity − missing fit.
        // (A TAT of 0 reads as "never used", which is a full bucket: the same thing.)
        let tat = now.saturating_add(missing.saturating_mul(self.per_token));
        self.tat.0.store(tat, Ordering::Release);
    }

    /// Empties the bucket (after a 429).
    pub fn drain(&mut self, now_ns: u128) {
        self.set_available(0, now_ns);
    }

    /// A new limiter for a new rate and capacity, keeping the tokens available now up to the
    /// new capacity.
    pub fn resize(&mut self, rate_per_s: u64, capacity: u64, now_ns: u128) {
        let keep = self.available(now_ns).min(capacity);
        *self = Budget::new(rate_per_s, capacity, now_ns);
        self.set_available(keep, now_ns);
    }
}

#[cfg(test)]
#[path = "budget_tests.rs"]
mod tests;
