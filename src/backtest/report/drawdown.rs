//! [`DrawdownTracker`]: the largest peak-to-trough fall of equity, followed at every change of
//! equity (not only at the sampled points of the curve).

use super::exact::Exact;

/// The largest fall so far, with where it started and ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MaxDrawdown {
    /// Peak equity less trough equity (zero when equity never fell).
    pub amount: Exact,
    /// Equity at the peak.
    pub peak: Exact,
    /// When the peak was reached.
    pub peak_ns: u64,
    /// Equity at the trough.
    pub trough: Exact,
    /// When the trough was reached.
    pub trough_ns: u64,
}

/// Follows equity's running peak and the largest fall from it.
#[derive(Debug, Clone)]
pub struct DrawdownTracker {
    peak: Exact,
    peak_ns: u64,
    max: MaxDrawdown,
}

impl DrawdownTracker {
    /// Starts with equity zero at `from_ns` (the first peak).
    pub fn new(from_ns: u64) -> DrawdownTracker {
        DrawdownTracker {
            peak: Exact::ZERO,
            peak_ns: from_ns,
            max: MaxDrawdown {
                peak_ns: from_ns,
                trough_ns: from_ns,
                ..MaxDrawdown::default()
            },
        }
    }

    /// Equity is `equity` at `ns`.
    pub fn observe(&mut self, ns: u64, equity: Exact) {
        if equity > self.peak {
            self.peak = equity;
            self.peak_ns = ns;
            return;
        }
        let fall = self.peak - equity;
        if fall > self.max.amount {
            self.max = MaxDrawdown {
                amount: fall,
                peak: self.peak,
                peak_ns: self.peak_ns,
                trough: equity,
                trough_ns: ns,
            };
        }
    }

    /// The largest fall seen.
    pub fn max(&self) -> MaxDrawdown {
        self.max
    }
}
