//! The order manager's side of the journal writer's queue on the order path: the bound on
//! what may wait for the disk before new placements are refused, and an intent's rows queued
//! without waking the writer — woken by the placement's answer (journaled with a wake) or, at
//! the latest, `journal_wake_ms` later by a timer. See [`super::durability`].

use std::time::Duration;

use actix::{AsyncContext, Context};
use tracing::{info, warn};

use super::{Orders, Refusal, journal::Write};

/// Whether a placement may queue more rows: refused once `queued` batches wait for the
/// writer and `limit` is reached (a stalled disk must not grow memory without bound).
pub fn backlog(queued: usize, limit: usize) -> Result<(), Refusal> {
    if queued >= limit {
        Err(Refusal::JournalBacklog { queued, limit })
    } else {
        Ok(())
    }
}

impl Orders {
    /// Refuses a new placement while the writer's queue is at `journal_queue_max`; logs when
    /// that starts and ends (each refusal is counted by reason).
    pub(super) fn check_backlog(&mut self) -> Result<(), Refusal> {
        let limit = self.cfg.journal_queue_max;
        let res = backlog(self.journal.queued(), limit);
        match (&res, self.backlogged) {
            (Err(e), false) => warn!(%e, "journal backlog: refusing new placements"),
            (Ok(()), true) => info!(limit, "journal backlog drained: placements accepted again"),
            _ => {}
        }
        self.backlogged = res.is_err();
        res
    }

    /// Queues an intent's rows without waking the writer (`journal_wake_ms` = 0: with a wake);
    /// when the writer sleeps, arms a timer that wakes it `journal_wake_ms` later unless one
    /// is armed. False — logged, counted, kill switch — when the writer has stopped.
    pub(super) fn commit_deferred(
        &mut self,
        writes: &[Write<'_>],
        ctx: &mut Context<Self>,
    ) -> bool {
        if self.cfg.journal_wake_ms == 0 {
            return self.commit(writes);
        }
        let now = self.now();
        match self.journal.write_deferred(now, writes) {
            Ok(owed) => {
                if owed && !self.wake_armed {
                    self.wake_armed = true;
                    let after = Duration::from_millis(self.cfg.journal_wake_ms);
                    ctx.run_later(after, |act, _| {
                        act.wake_armed = false;
                        act.journal.wake();
                    });
                }
                true
            }
            Err(e) => {
                self.counters.journal_errors += 1;
                self.journal_failed(format!("a write failed: {e}"));
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placements_are_refused_from_the_limit_on() {
        assert_eq!(backlog(0, 1), Ok(()));
        assert_eq!(backlog(8_191, 8_192), Ok(()));
        let refusal = backlog(8_192, 8_192).unwrap_err();
        assert_eq!(refusal.reason(), "journal_backlog");
        assert!(refusal.is_retryable());
        assert!(refusal.to_string().contains("8192"), "{refusal}");
    }
}
