//! [`Clock`]: injected time for the actors' pure cores (rate budgets, blackout schedule,
//! deadlines). [`LiveClock`] reads the system; [`FakeClock`] moves only when a test says.

use std::{
    fmt,
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::Instant,
};

use chrono::{DateTime, Utc};

/// Where an actor reads the time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Wall-clock time.
    fn now(&self) -> DateTime<Utc>;
    /// Nanoseconds on a monotonic scale (never goes back).
    fn monotonic_ns(&self) -> u128;
}

/// A shared clock handle.
pub type SharedClock = Arc<dyn Clock>;

/// The system clock.
#[derive(Debug, Clone, Copy)]
pub struct LiveClock {
    start: Instant,
}

impl LiveClock {
    /// A live clock whose monotonic scale starts now.
    pub fn new() -> LiveClock {
        LiveClock {
            start: Instant::now(),
        }
    }

    /// As a shared handle.
    pub fn shared() -> SharedClock {
        Arc::new(LiveClock::new())
    }
}

impl Default for LiveClock {
    fn default() -> Self {
        LiveClock::new()
    }
}

impl Clock for LiveClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn monotonic_ns(&self) -> u128 {
        self.start.elapsed().as_nanos()
    }
}

/// A clock that stands still until advanced; wall and monotonic time move together.
#[derive(Debug, Clone)]
pub struct FakeClock {
    start_us: i64,
    elapsed_ns: Arc<AtomicI64>,
}

impl FakeClock {
    /// A fake clock standing at `at`.
    pub fn new(at: DateTime<Utc>) -> FakeClock {
        FakeClock {
            start_us: at.timestamp_micros(),
            elapsed_ns: Arc::new(AtomicI64::new(0)),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: std::time::Duration) {
        let ns = i64::try_from(by.as_nanos()).unwrap_or(i64::MAX);
        self.elapsed_ns.fetch_add(ns, Ordering::SeqCst);
    }

    /// Moves the clock to `at` (never backwards).
    pub fn set(&self, at: DateTime<Utc>) {
        let target = (at.timestamp_micros() - self.start_us).saturating_mul(1000);
        self.elapsed_ns.fetch_max(target, Ordering::SeqCst);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        let us = self.start_us + self.elapsed_ns.load(Ordering::SeqCst) / 1000;
        DateTime::from_timestamp_micros(us).unwrap_or_default()
    }

    fn monotonic_ns(&self) -> u128 {
        u128::try_from(self.elapsed_ns.load(Ordering::SeqCst)).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fake_clock_moves_only_when_told() {
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let c = FakeClock::new(t0);
        assert_eq!(c.now(), t0);
        assert_eq!(c.monotonic_ns(), 0);
        c.advance(std::time::Duration::from_millis(1500));
        assert_eq!(c.now(), t0 + chrono::Duration::milliseconds(1500));
        assert_eq!(c.monotonic_ns(), 1_500_000_000);
        c.set(t0);
        assert_eq!(c.monotonic_ns(), 1_500_000_000, "never backwards");
    }
}
