//! The restart policy, pure: every failure of an actor is counted in a sliding window; within
//! the intensity it is restarted, beyond it the engine escalates (as Erlang/OTP's supervisors
//! do with `intensity` and `period`).

use std::collections::{BTreeMap, VecDeque};

/// How many failures of one actor are tolerated in how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intensity {
    /// Failures restarted within `window_ns`.
    pub max_restarts: u32,
    /// The window, ns.
    pub window_ns: u128,
}

/// What to do after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// It was restarted; keep going.
    Restart,
    /// Too many: give up on the process (`failures` in the window, this one included).
    Escalate {
        /// Failures in the window.
        failures: u32,
    },
}

/// Failures per actor, within the window.
#[derive(Debug, Clone, Default)]
pub struct FailureLog {
    recent: BTreeMap<&'static str, VecDeque<u128>>,
}

impl FailureLog {
    /// Records a failure of `actor` at `now_ns` and decides.
    pub fn record(&mut self, actor: &'static str, now_ns: u128, intensity: Intensity) -> Verdict {
        let times = self.recent.entry(actor).or_default();
        times.push_back(now_ns);
        while times
            .front()
            .is_some_and(|t| now_ns.saturating_sub(*t) > intensity.window_ns)
        {
            times.pop_front();
        }
        let failures = times.len() as u32;
        if failures > intensity.max_restarts {
            Verdict::Escalate { failures }
        } else {
            Verdict::Restart
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: u128 = 1_000_000_000;

    #[test]
    fn failures_beyond_the_intensity_within_the_window_escalate() {
        let i = Intensity {
            max_restarts: 2,
            window_ns: 10 * S,
        };
        let mut log = FailureLog::default();
        assert_eq!(log.record("gateway", 0, i), Verdict::Restart);
        assert_eq!(log.record("gateway", 4 * S, i), Verdict::Restart);
        // Another actor's failures are its own.
        assert_eq!(log.record("feed", 5 * S, i), Verdict::Restart);
        assert_eq!(
            log.record("gateway", 9 * S, i),
            Verdict::Escalate { failures: 3 }
        );
    }

    #[test]
    fn failures_spread_wider_than_the_window_never_escalate() {
        let i = Intensity {
            max_restarts: 1,
            window_ns: 10 * S,
        };
        let mut log = FailureLog::default();
        for k in 0..20 {
            assert_eq!(log.record("orders", k * 11 * S, i), Verdict::Restart, "{k}");
        }
    }
}
