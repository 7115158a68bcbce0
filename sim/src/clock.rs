//! The simulator's clock: real time, or a manual clock that tests advance by hand so that
//! rate-limit refills, market closes and order expiries happen exactly when a test says.

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicI64, Ordering},
};

use chrono::{DateTime, Duration, Utc};

/// Where the simulator reads the time.
#[derive(Debug, Clone)]
pub enum SimClock {
    /// The system clock.
    Real,
    /// A clock that only moves when told to.
    Manual(ManualClock),
}

impl SimClock {
    /// A manual clock starting at the current system time.
    pub fn manual() -> SimClock {
        SimClock::Manual(ManualClock::new(Utc::now()))
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            SimClock::Real => Utc::now(),
            SimClock::Manual(m) => m.now(),
        }
    }

    /// Nanoseconds on a monotonic scale (for token buckets). For the manual clock, the
    /// manual time itself.
    pub fn monotonic_ns(&self) -> u128 {
        match self {
            SimClock::Real => {
                static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
                START
                    .get_or_init(std::time::Instant::now)
                    .elapsed()
                    .as_nanos()
            }
            SimClock::Manual(m) => {
                u128::try_from(m.micros.load(Ordering::SeqCst)).unwrap_or(0) * 1_000
            }
        }
    }

    /// Moves a manual clock forward; the real clock ignores it. Returns the new time.
    pub fn advance(&self, by: Duration) -> DateTime<Utc> {
        match self {
            SimClock::Real => Utc::now(),
            SimClock::Manual(m) => m.advance(by),
        }
    }
}

/// A shared clock that moves only on [`ManualClock::advance`].
#[derive(Debug, Clone)]
pub struct ManualClock {
    micros: Arc<AtomicI64>,
    guard: Arc<Mutex<()>>,
}

impl ManualClock {
    /// A clock standing at `at`.
    pub fn new(at: DateTime<Utc>) -> ManualClock {
        ManualClock {
            micros: Arc::new(AtomicI64::new(at.timestamp_micros())),
            guard: Arc::default(),
        }
    }

    /// The clock's time.
    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.micros.load(Ordering::SeqCst)).unwrap_or_default()
    }

    /// Moves the clock forward by `by` (a negative duration is ignored).
    pub fn advance(&self, by: Duration) -> DateTime<Utc> {
        let _g = self.guard.lock();
        let step = by.num_microseconds().unwrap_or(0).max(0);
        self.micros.fetch_add(step, Ordering::SeqCst);
        self.now()
    }
}
