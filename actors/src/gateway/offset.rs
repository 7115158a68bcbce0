//! The exchange's clock as seen through the `Date` header: each answer gives an estimate of
//! exchange time minus local time (±0.5 s, the header has one-second resolution); the median
//! of recent estimates is the offset. The signer is corrected only beyond a threshold, so
//! rounding noise never moves it.

use std::collections::VecDeque;

/// Samples in the median.
const SAMPLES: usize = 9;

/// Running estimate of the exchange clock offset.
#[derive(Debug, Default, Clone)]
pub struct OffsetEstimator {
    samples: VecDeque<i64>,
}

impl OffsetEstimator {
    /// Adds an answer's `Date` (Unix seconds) received at local time `local_ms`; returns the
    /// median offset in ms (exchange − local).
    pub fn observe(&mut self, date_s: i64, local_ms: i64) -> i64 {
        // The header truncates to the second: the true time is on average half a second later.
        let estimate = date_s * 1000 + 500 - local_ms;
        if self.samples.len() == SAMPLES {
            self.samples.pop_front();
        }
        self.samples.push_back(estimate);
        self.median()
    }

    /// The median of the samples (0 with none).
    pub fn median(&self) -> i64 {
        let mut sorted: Vec<i64> = self.samples.iter().copied().collect();
        sorted.sort_unstable();
        sorted.get(sorted.len() / 2).copied().unwrap_or(0)
    }

    /// The correction to apply to the signer: the median when it reaches `threshold_ms`.
    pub fn correction(&self, threshold_ms: i64) -> i64 {
        let m = self.median();
        if m.abs() >= threshold_ms { m } else { 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synchronised_clock_needs_no_correction() {
        let mut e = OffsetEstimator::default();
        for i in 0..20 {
            let local = 1_000_000 + i * 137;
            e.observe(local / 1000, local);
        }
        assert!(e.median().abs() <= 500);
        assert_eq!(e.correction(1000), 0);
    }

    #[test]
    fn a_clock_three_seconds_behind_is_corrected_and_outliers_are_ignored() {
        let mut e = OffsetEstimator::default();
        for i in 0..8 {
            let local = 5_000_000 + i * 250;
            e.observe((local + 3_000) / 1000, local);
        }
        e.observe(0, 5_010_000); // one wild sample
        let m = e.median();
        assert!((2_500..=3_500).contains(&m), "{m}");
        assert_eq!(e.correction(1000), m);
    }
}
