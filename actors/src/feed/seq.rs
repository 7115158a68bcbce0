//! [`SeqTracker`]: `seq` per `sid` — pure.
//!
//! A sid's numbering starts at 1 when its `subscribed` reply opens it. The next number is in
//! order; a higher one is a gap (messages were lost, and they could have concerned any market
//! of the sid); the same number again is a duplicate; a lower one is out of order. After a gap
//! the tracker follows the stream from the number seen, so one lost message is reported once.
//!
//! A connection holds a handful of sids (one per `max_markets_per_subscription` markets, plus
//! three), so they live in a vector sorted by sid and are found by binary search: cheaper per
//! message than hashing.

use crate::market_data::StaleReason;

/// What a `seq` says about the stream of its sid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqCheck {
    /// The next number.
    InOrder,
    /// Numbers were skipped: the first missing one.
    Gap {
        /// The number that should have come.
        expected: u64,
    },
    /// The last number again.
    Duplicate,
    /// A number below the last.
    OutOfOrder,
    /// A sid this connection does not have open (a late frame of a closed subscription).
    UnknownSid,
}

impl SeqCheck {
    /// The stale reason of an anomaly (`None` when in order or unknown).
    pub fn reason(self) -> Option<StaleReason> {
        match self {
            SeqCheck::Gap { .. } => Some(StaleReason::Gap),
            SeqCheck::Duplicate => Some(StaleReason::Duplicate),
            SeqCheck::OutOfOrder => Some(StaleReason::OutOfOrder),
            SeqCheck::InOrder | SeqCheck::UnknownSid => None,
        }
    }
}

/// The last `seq` of each open sid.
#[derive(Debug, Default)]
pub struct SeqTracker {
    /// `(sid, last seq)`, sorted by sid.
    last: Vec<(u64, u64)>,
}

impl SeqTracker {
    fn find(&self, sid: u64) -> Result<usize, usize> {
        self.last.binary_search_by_key(&sid, |(s, _)| *s)
    }

    /// A sid was opened (`subscribed`): its first message is `seq` 1.
    pub fn open(&mut self, sid: u64) {
        match self.find(sid) {
            Ok(i) => self.last[i].1 = 0,
            Err(i) => self.last.insert(i, (sid, 0)),
        }
    }

    /// A sid was closed.
    pub fn close(&mut self, sid: u64) {
        if let Ok(i) = self.find(sid) {
            self.last.remove(i);
        }
    }

    /// Every sid closed (the connection ended).
    pub fn clear(&mut self) {
        self.last.clear();
    }

    /// Checks `seq` of `sid` and moves the sid forward where the stream did.
    pub fn check(&mut self, sid: u64, seq: u64) -> SeqCheck {
        let Ok(i) = self.find(sid) else {
            return SeqCheck::UnknownSid;
        };
        let last = &mut self.last[i].1;
        let expected = *last + 1;
        if seq == expected {
            *last = seq;
            SeqCheck::InOrder
        } else if seq > expected {
            *last = seq;
            SeqCheck::Gap { expected }
        } else if seq == *last {
            SeqCheck::Duplicate
        } else {
            SeqCheck::OutOfOrder
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seq_verdicts_per_sid() {
        let mut s = SeqTracker::default();
        s.open(1);
        s.open(2);
        // (sid, seq, verdict)
        let table = [
            (1, 1, SeqCheck::InOrder),
            (1, 2, SeqCheck::InOrder),
            (2, 1, SeqCheck::InOrder),
            (1, 2, SeqCheck::Duplicate),
            (1, 4, SeqCheck::Gap { expected: 3 }),
            (1, 3, SeqCheck::OutOfOrder),
            (1, 5, SeqCheck::InOrder),
            (2, 3, SeqCheck::Gap { expected: 2 }),
            (2, 4, SeqCheck::InOrder),
            (9, 1, SeqCheck::UnknownSid),
        ];
        for (i, (sid, seq, want)) in table.into_iter().enumerate() {
            assert_eq!(s.check(sid, seq), want, "row {i}: sid {sid} seq {seq}");
        }
        s.close(1);
        assert_eq!(s.check(1, 6), SeqCheck::UnknownSid);
        s.open(1);
        assert_eq!(
            s.check(1, 1),
            SeqCheck::InOrder,
            "a reopened sid starts at 1"
        );
        s.clear();
        assert_eq!(s.check(2, 5), SeqCheck::UnknownSid);
    }

    #[test]
    fn anomaly_reasons() {
        let table = [
            (SeqCheck::InOrder, None),
            (SeqCheck::Gap { expected: 2 }, Some(StaleReason::Gap)),
            (SeqCheck::Duplicate, Some(StaleReason::Duplicate)),
            (SeqCheck::OutOfOrder, Some(StaleReason::OutOfOrder)),
            (SeqCheck::UnknownSid, None),
        ];
        for (check, reason) in table {
            assert_eq!(check.reason(), reason, "{check:?}");
        }
    }
}
