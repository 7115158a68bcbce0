//! Where the signer gets `KALSHI-ACCESS-TIMESTAMP` from: the [`TimeSource`] trait, the system
//! clock ([`LiveTimeSource`]) and a settable clock for tests ([`FakeTimeSource`]).
//!
//! A clock offset (to correct a local clock that disagrees with the exchange) is applied by the
//! [`Signer`](super::Signer) itself, so any time source can be corrected at run time.

use std::{
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::{SystemTime, UNIX_EPOCH},
};

/// A source of Unix time in milliseconds. Shared between threads, so `Send + Sync`.
pub trait TimeSource: Send + Sync {
    /// Milliseconds since 1970-01-01T00:00:00Z (negative before it).
    fn now_ms(&self) -> i64;
}

impl<T: TimeSource + ?Sized> TimeSource for Arc<T> {
    fn now_ms(&self) -> i64 {
        (**self).now_ms()
    }
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct LiveTimeSource;

impl TimeSource for LiveTimeSource {
    fn now_ms(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_millis()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
        }
    }
}

/// A clock that says whatever it was last set to. Keep an `Arc<FakeTimeSource>` and hand a
/// clone to [`Signer::with_time_source`](super::Signer::with_time_source) to move time in a test.
#[derive(Debug, Default)]
pub struct FakeTimeSource(AtomicI64);

impl FakeTimeSource {
    /// A clock stopped at `now_ms`.
    #[must_use]
    pub fn new(now_ms: i64) -> Self {
        Self(AtomicI64::new(now_ms))
    }

    /// Moves the clock to `now_ms`.
    pub fn set(&self, now_ms: i64) {
        self.0.store(now_ms, Ordering::Relaxed);
    }

    /// Moves the clock by `delta_ms` (saturating).
    pub fn advance(&self, delta_ms: i64) {
        // The closure always returns Some, so fetch_update cannot fail.
        let _ = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |now| {
                Some(now.saturating_add(delta_ms))
            });
    }
}

impl TimeSource for FakeTimeSource {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_clock_is_after_2024() {
        // 2024-01-01T00:00:00Z
        assert!(LiveTimeSource.now_ms() > 1_704_067_200_000);
    }

    #[test]
    fn fake_clock_sets_and_advances() {
        let clock = Arc::new(FakeTimeSource::new(1_000));
        let shared: Arc<dyn TimeSource> = clock.clone();
        assert_eq!(shared.now_ms(), 1_000);
        clock.advance(250);
        assert_eq!(shared.now_ms(), 1_250);
        clock.set(7);
        assert_eq!(shared.now_ms(), 7);
        clock.set(i64::MAX);
        clock.advance(1);
        assert_eq!(shared.now_ms(), i64::MAX);
    }
}
