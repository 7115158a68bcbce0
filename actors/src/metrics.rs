//! The one metrics pattern every actor follows, and its two shared parts.
//!
//! Each actor keeps plain `Counters` (`Clone + Default + Serialize`) and answers `GetMetrics`
//! with a snapshot that holds them `#[serde(flatten)]` beside its gauges (what is true now:
//! queue depths, books stale, …) and the [`Percentiles`] of its [`DurationHistogram`]s. The
//! flattened counters keep one Prometheus name per field whatever struct holds them.
//!
//! [`DurationHistogram`] is the only way a duration distribution is kept: bounded from 1 µs to
//! an hour, 3 significant figures, values outside clamped to the bounds. (hdrhistogram's
//! `Histogram::new` starts with a top of 2 and `saturating_record` never resizes it, so an
//! unbounded histogram recorded that way pins every sample at 2 µs.)

use std::time::Duration;

use hdrhistogram::Histogram;
use serde::Serialize;

/// Smallest value a [`DurationHistogram`] tells apart, µs.
const LOWEST_US: u64 = 1;
/// Largest value a [`DurationHistogram`] records, µs (one hour); larger ones count as this.
const HIGHEST_US: u64 = 3_600_000_000;
/// Significant figures kept (relative error ≤ 0.1 %).
const SIGFIG: u8 = 3;

/// A distribution of durations, µs, 1 µs to one hour at 3 significant figures.
#[derive(Debug, Clone)]
pub struct DurationHistogram(Histogram<u64>);

impl Default for DurationHistogram {
    fn default() -> Self {
        // unwrap: 1 µs to an hour at 3 significant figures are valid bounds.
        DurationHistogram(Histogram::new_with_bounds(LOWEST_US, HIGHEST_US, SIGFIG).unwrap())
    }
}

impl DurationHistogram {
    /// Records `us` microseconds, clamped to the histogram's bounds.
    pub fn record_us(&mut self, us: u64) {
        self.0.saturating_record(us.clamp(LOWEST_US, HIGHEST_US));
    }

    /// Records a duration.
    pub fn record(&mut self, d: Duration) {
        self.record_us(u64::try_from(d.as_micros()).unwrap_or(u64::MAX));
    }

    /// Records the time between two monotonic instants in nanoseconds (0 if `to` < `from`).
    pub fn record_between_ns(&mut self, from_ns: u128, to_ns: u128) {
        let us = to_ns.saturating_sub(from_ns) / 1000;
        self.record_us(u64::try_from(us).unwrap_or(u64::MAX));
    }

    /// Samples recorded.
    pub fn len(&self) -> u64 {
        self.0.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value at quantile `q` (0..=1), ms.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        self.0.value_at_quantile(q) as f64 / 1000.0
    }

    /// Its median, 99th percentile and maximum.
    pub fn percentiles(&self) -> Percentiles {
        let ms = |us: u64| us as f64 / 1000.0;
        Percentiles {
            count: self.0.len(),
            p50_ms: ms(self.0.value_at_quantile(0.5)),
            p99_ms: ms(self.0.value_at_quantile(0.99)),
            max_ms: ms(self.0.max()),
        }
    }
}

/// Percentiles of a duration distribution, milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Percentiles {
    /// Samples.
    pub count: u64,
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Largest.
    pub max_ms: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_seconds_read_back_as_thirty_seconds() {
        let mut h = DurationHistogram::default();
        for _ in 0..100 {
            h.record(Duration::from_secs(30));
        }
        let p = h.percentiles();
        assert_eq!(p.count, 100);
        assert!((p.p99_ms - 30_000.0).abs() <= 300.0, "{p:?}");
        assert!((p.max_ms - 30_000.0).abs() <= 300.0, "{p:?}");
    }

    #[test]
    fn every_size_from_a_microsecond_to_an_hour_keeps_its_size() {
        for us in [
            1,
            7,
            999,
            2_500,
            30_000,
            1_000_000,
            59_000_000,
            3_600_000_000,
        ] {
            let mut h = DurationHistogram::default();
            h.record_us(us);
            let got = h.percentiles().p99_ms * 1000.0;
            assert!(
                (got - us as f64).abs() <= us as f64 * 0.01,
                "{us} µs read back as {got}"
            );
        }
    }

    #[test]
    fn values_outside_the_bounds_are_clamped_not_lost() {
        let mut h = DurationHistogram::default();
        h.record_us(0);
        h.record_us(u64::MAX);
        h.record(Duration::from_secs(10 * 3600));
        h.record_between_ns(10, 5);
        let p = h.percentiles();
        assert_eq!(p.count, 4);
        assert!(p.max_ms >= 3_600_000.0 * 0.999, "{p:?}");
    }
}
