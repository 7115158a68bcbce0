//! [`SeqTracker`]: `seq` per `sid` — pure.
//!
//! A sid's numbering starts at 1 when its `subscribed` reply opens it. The next number is in
//! order; a higher one is a gap (messages were lost, and they could have concerned any market
//! of the sid); the same number again is a duplicate; a lower one is out of order. After a gap
//! the tracker follows the stream from the number seen, so one lost message is reported once.
//!
//! Acknowledgements (`ok`, and `unsubscribed` if its sid is still open) carry a `seq` too
//! ([`SeqTracker::ack`]). Kalshi's documents do not say what it is: the last number sent (the
//! simulator's default reading) or a place of its own in the sequence (what a third-party
//! recorder of Kalshi's stream reports). The tracker takes either, per ack:
//!
//! - the last number again: the ack reports it ([`AckCheck::Reports`]) — and from then on the
//!   tracker knows this connection's acks take no number;
//! - the next number: the ack took it ([`AckCheck::Takes`]), unless an ack on this connection
//!   was already seen reporting: then the ack reports a message that never came, a gap. That
//!   contradiction also forgets what was learnt, so an exchange that changed its behaviour
//!   mid-connection costs one resync, not one per ack;
//! - higher: a gap; lower: out of order.
//!
//! What no tracker can tell: before any ack of the connection has reported, an ack one ahead
//! after exactly one lost message looks the same as an ack that took its number. A real gap is
//! still caught there when acks take numbers (the ack is then two ahead) and, once learnt,
//! when they do not. The learning is per connection ([`SeqTracker::clear`] forgets it).
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

/// What an acknowledgement's `seq` says about the stream of its sid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckCheck {
    /// The last number: the ack reports it and takes none.
    Reports,
    /// The next number, taken by the ack.
    Takes,
    /// A gap, a number below the last, or a sid not open — as for a message.
    Anomaly(SeqCheck),
}

/// The last `seq` of each open sid, and what this connection's acks were seen to do.
#[derive(Debug, Default)]
pub struct SeqTracker {
    /// `(sid, last seq)`, sorted by sid.
    last: Vec<(u64, u64)>,
    /// An ack on this connection repeated the last number: acks take none.
    acks_report: bool,
}

impl SeqTracker {
    fn find(&self, sid: u64) -> Result<usize, usize> {
        self.last.binary_search_by_key(&sid, |(s, _)| *s)
    }

    /// A sid was opened: its next message is `after + 1` (`after` is 0 for a `subscribed`
    /// reply, whose sid's first message is 1).
    pub fn open(&mut self, sid: u64, after: u64) {
        match self.find(sid) {
            Ok(i) => self.last[i].1 = after,
            Err(i) => self.last.insert(i, (sid, after)),
        }
    }

    /// A sid was closed.
    pub fn close(&mut self, sid: u64) {
        if let Ok(i) = self.find(sid) {
            self.last.remove(i);
        }
    }

    /// Every sid closed and what acks do forgotten (the connection ended).
    pub fn clear(&mut self) {
        self.last.clear();
        self.acks_report = false;
    }

    /// Checks the `seq` of an acknowledgement of `sid` (see the module notes) and moves the
    /// sid forward where the stream did.
    pub fn ack(&mut self, sid: u64, seq: u64) -> AckCheck {
        let Ok(i) = self.find(sid) else {
            return AckCheck::Anomaly(SeqCheck::UnknownSid);
        };
        let last = &mut self.last[i].1;
        let expected = *last + 1;
        if seq == *last {
            self.acks_report = true;
            return AckCheck::Reports;
        }
        if seq < *last {
            return AckCheck::Anomaly(SeqCheck::OutOfOrder);
        }
        *last = seq;
        if seq == expected && !self.acks_report {
            AckCheck::Takes
        } else {
            self.acks_report = false;
            AckCheck::Anomaly(SeqCheck::Gap { expected })
        }
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
        s.open(1, 0);
        s.open(2, 0);
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
        s.open(1, 0);
        assert_eq!(
            s.check(1, 1),
            SeqCheck::InOrder,
            "a reopened sid starts at 1"
        );
        s.clear();
        assert_eq!(s.check(2, 5), SeqCheck::UnknownSid);
    }

    /// One step of a stream: a message that must be in order, or an ack and its verdict.
    enum Row {
        Msg(u64, u64),
        Ack(u64, u64, AckCheck),
    }

    /// Runs rows through one tracker with sids 1 and 2 open (sid 2 after seq 5, as a
    /// subscription adopted from an `ok` is).
    fn run(table: &[Row]) {
        let mut s = SeqTracker::default();
        s.open(1, 0);
        s.open(2, 5);
        for (i, row) in table.iter().enumerate() {
            match *row {
                Row::Msg(sid, seq) => assert_eq!(s.check(sid, seq), SeqCheck::InOrder, "row {i}"),
                Row::Ack(sid, seq, want) => assert_eq!(s.ack(sid, seq), want, "row {i}"),
            }
        }
    }

    fn gap(expected: u64) -> AckCheck {
        AckCheck::Anomaly(SeqCheck::Gap { expected })
    }

    #[test]
    fn acks_that_take_a_number_are_in_order_and_one_beyond_is_a_gap() {
        use Row::{Ack, Msg};
        run(&[
            Msg(1, 1),
            Ack(1, 2, AckCheck::Takes),
            Msg(1, 3),
            Ack(1, 4, AckCheck::Takes),
            Ack(1, 6, gap(5)),
            Msg(1, 7),
            Ack(2, 6, AckCheck::Takes),
            Msg(2, 7),
            Ack(1, 3, AckCheck::Anomaly(SeqCheck::OutOfOrder)),
            Ack(9, 1, AckCheck::Anomaly(SeqCheck::UnknownSid)),
        ]);
    }

    #[test]
    fn once_an_ack_reported_the_last_number_one_ahead_is_a_gap() {
        use Row::{Ack, Msg};
        run(&[
            Msg(1, 1),
            Ack(1, 1, AckCheck::Reports),
            Msg(1, 2),
            // Message 3 was lost; the ack reports it.
            Ack(1, 3, gap(3)),
            Msg(1, 4),
            // The contradiction forgot what was learnt: the exchange now takes numbers.
            Ack(1, 5, AckCheck::Takes),
            Ack(1, 6, AckCheck::Takes),
            // Learnt on one sid, applied to all of the connection's.
            Ack(2, 5, AckCheck::Reports),
            Ack(1, 7, gap(7)),
        ]);
        let mut s = SeqTracker::default();
        s.open(1, 0);
        assert_eq!(s.ack(1, 0), AckCheck::Reports);
        s.clear();
        s.open(1, 0);
        assert_eq!(
            s.ack(1, 1),
            AckCheck::Takes,
            "a new connection learns again"
        );
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
