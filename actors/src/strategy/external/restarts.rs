//! When to restart a strategy process that exited, pure: the shared [`Backoff`] ceiling
//! without jitter (one process, nobody to spread out) — `min` doubling on each exit in a row up
//! to `max`; a process that ran at least `max` before it exited starts again from `min`.

use std::time::Duration;

use crate::backoff::Backoff;

/// The restart schedule of one strategy process.
#[derive(Debug, Clone)]
pub struct Restarts {
    backoff: Backoff,
    /// Exits in a row (without a run of at least `max` between them).
    attempt: u32,
}

impl Restarts {
    /// Starting at `min`, capped at `max`.
    pub fn new(min: Duration, max: Duration) -> Restarts {
        Restarts {
            backoff: Backoff {
                base: min,
                cap: max.max(min),
            },
            attempt: 0,
        }
    }

    /// The delay before the next start, for a process that exited after running `ran`.
    pub fn after_exit(&mut self, ran: Duration) -> Duration {
        if ran >= self.backoff.cap {
            self.attempt = 0;
        }
        let delay = self.backoff.ceiling(self.attempt);
        self.attempt = self.attempt.saturating_add(1);
        delay
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_min_to_max_and_resets_after_a_long_run() {
        let s = Duration::from_secs;
        let mut r = Restarts::new(s(1), s(30));
        let quick = Duration::from_millis(10);
        let delays: Vec<u64> = (0..8).map(|_| r.after_exit(quick).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(r.after_exit(s(30)), s(1), "ran as long as max: afresh");
        assert_eq!(r.after_exit(quick), s(2));
        for _ in 0..100 {
            assert!(r.after_exit(quick) <= s(30));
        }
    }
}
