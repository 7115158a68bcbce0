//! Per-connection sequence faults on the order-book channel: the decision and the bookkeeping
//! behind the `ws_skip_seq_next`, `ws_duplicate_next` and `ws_reorder_next` switches, kept pure
//! so it is unit-tested without a socket.
//!
//! The switches are global counters (`server::faults::Faults`); the first session about to send
//! an `orderbook_delta` while one is above zero claims one unit with [`choose`] (under the
//! faults lock) and applies it to that delta:
//!
//! - [`Plan::Skip`]: the caller advances the sid's `seq` by one before numbering the delta, so
//!   the client sees a gap of exactly one.
//! - [`Plan::Duplicate`]: the delta is sent twice with the same `seq`.
//! - [`Plan::Hold`]: the delta is numbered and held back; the next delta of the same sid is
//!   sent first and the held one right after it, so two consecutive seqs arrive swapped. Any
//!   other frame of that sid (snapshot, `ok`, `unsubscribed`) or the hold deadline releases it
//!   in order instead.
//!
//! The faults apply to deltas only: a snapshot starts or restarts the client's book, so a
//! fault there would test nothing.

use std::time::{Duration, Instant};

/// How long a held delta waits for the next delta of its sid before it is sent in order.
pub const HOLD_DEADLINE: Duration = Duration::from_millis(500);

/// What to do with one delta.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Send it normally.
    Send,
    /// Skip one `seq` number before it.
    Skip,
    /// Send it twice, same `seq`.
    Duplicate,
    /// Hold it and send it after the next delta of its sid.
    Hold,
}

/// Claims one unit of the first armed switch (skip, then duplicate, then reorder) and says
/// what to do. A reorder is not started while this connection already holds a delta.
pub fn choose(skip: &mut u32, duplicate: &mut u32, reorder: &mut u32, holding: bool) -> Plan {
    if *skip > 0 {
        *skip -= 1;
        Plan::Skip
    } else if *duplicate > 0 {
        *duplicate -= 1;
        Plan::Duplicate
    } else if *reorder > 0 && !holding {
        *reorder -= 1;
        Plan::Hold
    } else {
        Plan::Send
    }
}

/// A delta held back for a reorder.
#[derive(Debug)]
struct Held<T> {
    sid: u64,
    frame: T,
    since: Instant,
}

/// The held delta of one connection, if any. `T` is the encoded frame (a number in tests).
#[derive(Debug)]
pub struct SeqFaults<T> {
    held: Option<Held<T>>,
}

impl<T> Default for SeqFaults<T> {
    fn default() -> Self {
        SeqFaults { held: None }
    }
}

impl<T: Clone> SeqFaults<T> {
    /// Whether a delta is held.
    pub fn holding(&self) -> bool {
        self.held.is_some()
    }

    /// When the held delta must go out even if no other delta of its sid comes.
    pub fn deadline(&self) -> Option<Instant> {
        self.held.as_ref().map(|h| h.since + HOLD_DEADLINE)
    }

    /// Emits one delta `frame` of `sid` as `plan` says, into `out`. A delta sent normally
    /// after a held delta of the same sid releases the held one behind it: the swap.
    pub fn emit(&mut self, sid: u64, plan: Plan, frame: T, out: &mut Vec<T>, now: Instant) {
        match plan {
            Plan::Hold => {
                // `choose` never plans a hold while holding; release in order to be safe.
                self.release(None, out);
                self.held = Some(Held {
                    sid,
                    frame,
                    since: now,
                });
            }
            Plan::Duplicate => {
                out.push(frame.clone());
                out.push(frame);
                self.release_after(sid, out);
            }
            Plan::Send | Plan::Skip => {
                out.push(frame);
                self.release_after(sid, out);
            }
        }
    }

    fn release_after(&mut self, sid: u64, out: &mut Vec<T>) {
        if self.held.as_ref().is_some_and(|h| h.sid == sid)
            && let Some(h) = self.held.take()
        {
            out.push(h.frame);
        }
    }

    /// Sends the held delta now, in order: before another frame of `sid` (snapshot, `ok`,
    /// `unsubscribed`), or whatever its sid with `None` (deadline, end of connection).
    pub fn release(&mut self, sid: Option<u64>, out: &mut Vec<T>) {
        if self
            .held
            .as_ref()
            .is_some_and(|h| sid.is_none_or(|s| s == h.sid))
            && let Some(h) = self.held.take()
        {
            out.push(h.frame);
        }
    }

    /// Forgets a held delta of `sid` (its subscription was dropped for overflow).
    pub fn forget(&mut self, sid: u64) {
        if self.held.as_ref().is_some_and(|h| h.sid == sid) {
            self.held = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds deltas of `sid` through the faults with a running per-sid seq, as the session
    /// does, and returns the seqs in send order.
    fn run(deltas: &[(u64, Plan)]) -> Vec<(u64, u64)> {
        let mut faults = SeqFaults::default();
        let mut seqs = std::collections::HashMap::new();
        let mut out = Vec::new();
        let now = Instant::now();
        for &(sid, plan) in deltas {
            let seq = seqs.entry(sid).or_insert(0u64);
            if plan == Plan::Skip {
                *seq += 1;
            }
            *seq += 1;
            faults.emit(sid, plan, (sid, *seq), &mut out, now);
        }
        faults.release(None, &mut out);
        out
    }

    #[test]
    fn switches_are_claimed_one_at_a_time_in_priority_order() {
        let (mut s, mut d, mut r) = (1, 1, 1);
        assert_eq!(choose(&mut s, &mut d, &mut r, false), Plan::Skip);
        assert_eq!(choose(&mut s, &mut d, &mut r, false), Plan::Duplicate);
        assert_eq!(choose(&mut s, &mut d, &mut r, true), Plan::Send);
        assert_eq!(r, 1, "a reorder waits while a delta is held");
        assert_eq!(choose(&mut s, &mut d, &mut r, false), Plan::Hold);
        assert_eq!(choose(&mut s, &mut d, &mut r, false), Plan::Send);
        assert_eq!((s, d, r), (0, 0, 0));
    }

    #[test]
    fn skip_leaves_a_gap_of_exactly_one() {
        let out = run(&[(1, Plan::Send), (1, Plan::Skip), (1, Plan::Send)]);
        assert_eq!(out, vec![(1, 1), (1, 3), (1, 4)]);
    }

    #[test]
    fn duplicate_sends_the_same_seq_twice() {
        let out = run(&[(1, Plan::Send), (1, Plan::Duplicate), (1, Plan::Send)]);
        assert_eq!(out, vec![(1, 1), (1, 2), (1, 2), (1, 3)]);
    }

    #[test]
    fn hold_swaps_two_consecutive_deltas_of_one_sid() {
        let out = run(&[
            (1, Plan::Send),
            (1, Plan::Hold),
            (2, Plan::Send),
            (1, Plan::Send),
            (1, Plan::Send),
        ]);
        assert_eq!(out, vec![(1, 1), (2, 1), (1, 3), (1, 2), (1, 4)]);
    }

    #[test]
    fn a_held_delta_is_released_in_order_before_another_frame_of_its_sid() {
        let mut faults = SeqFaults::default();
        let mut out = Vec::new();
        let now = Instant::now();
        faults.emit(1, Plan::Hold, 5, &mut out, now);
        assert_eq!(faults.deadline(), Some(now + HOLD_DEADLINE));
        faults.release(Some(2), &mut out);
        assert!(out.is_empty(), "another sid's frame does not release it");
        faults.release(Some(1), &mut out);
        assert_eq!(out, vec![5]);
        assert!(!faults.holding());
    }

    #[test]
    fn a_forgotten_delta_is_never_sent() {
        let mut faults = SeqFaults::default();
        let mut out = Vec::new();
        faults.emit(3, Plan::Hold, 9, &mut out, Instant::now());
        faults.forget(3);
        faults.release(None, &mut out);
        assert!(out.is_empty());
    }
}
