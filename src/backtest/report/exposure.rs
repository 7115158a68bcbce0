//! [`ExposureTracker`]: the run's exposure — the most it held at risk, and its time-weighted
//! mean over the replayed window.
//!
//! Exposure at a moment is the sum over markets of what the positions would lose if each
//! market went fully against them from its mark: a YES position `pos × mark`, a NO position
//! `|pos| × (1 − mark)`. It is a step function of time, changing at fills, settlements and
//! marks; the mean is its integral over `[from, to]` divided by the window's length (the
//! window stretches to the last event when events run past `to`).

use kalshi::Count;

use super::exact::Exact;

/// Exposure over the run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExposureStats {
    /// The largest exposure.
    pub max: Exact,
    /// When it was first reached.
    pub max_ns: u64,
    /// The time-weighted mean exposure.
    pub mean: Exact,
    /// The most contracts held at once, both sides and all markets together.
    pub max_contracts: Count,
    /// When that was first reached.
    pub max_contracts_ns: u64,
}

/// Integrates exposure over time and keeps its maxima.
#[derive(Debug, Clone)]
pub struct ExposureTracker {
    from: u64,
    at: u64,
    current: Exact,
    /// ∫ exposure dt, in 10⁻⁸ dollar·ns.
    integral: i128,
    stats: ExposureStats,
}

impl ExposureTracker {
    /// Starts with nothing at risk at `from_ns`.
    pub fn new(from_ns: u64) -> ExposureTracker {
        ExposureTracker {
            from: from_ns,
            at: from_ns,
            current: Exact::ZERO,
            integral: 0,
            stats: ExposureStats {
                max_ns: from_ns,
                max_contracts_ns: from_ns,
                ..ExposureStats::default()
            },
        }
    }

    /// Accounts for the time up to `ns` at the current exposure.
    pub fn advance(&mut self, ns: u64) {
        if ns > self.at {
            let dt = i128::from(ns - self.at);
            self.integral = self
                .integral
                .saturating_add(self.current.units().saturating_mul(dt));
            self.at = ns;
        }
    }

    /// Exposure is `exposure` with `contracts` held, from `ns` on.
    pub fn set(&mut self, ns: u64, exposure: Exact, contracts: Count) {
        self.current = exposure;
        if exposure > self.stats.max {
            self.stats.max = exposure;
            self.stats.max_ns = ns;
        }
        if contracts > self.stats.max_contracts {
            self.stats.max_contracts = contracts;
            self.stats.max_contracts_ns = ns;
        }
    }

    /// The statistics over `[from, max(to, last event)]`.
    pub fn finish(mut self, to_ns: u64) -> ExposureStats {
        self.advance(to_ns);
        let span = i128::from(self.at - self.from);
        if span > 0 {
            self.stats.mean = Exact::from_units(self.integral / span);
        }
        self.stats
    }
}
