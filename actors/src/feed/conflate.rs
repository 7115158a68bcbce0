//! [`Conflator`]: book updates to consumers, latest state only — pure.
//!
//! Each consumer has one lane: at most one delivery in flight, and a queue of the books that
//! changed since, each book at most once (a flag per book), in the order they first changed.
//! When the delivery in flight completes, the next book in the queue is sent *as it is then*.
//! So a consumer that falls behind receives fewer, newer states — never a backlog of deltas,
//! and the queue never holds more than one entry per book. Fairness: a book that keeps changing
//! does not starve the others, since it is queued once and goes to the back after delivery.
//!
//! The conflator names books by [`BookId`] and knows nothing of freshness; the feed skips a
//! queued book that is stale when its turn comes.

use std::collections::VecDeque;

use super::books::BookId;

/// One consumer's lane.
#[derive(Debug, Default)]
struct Lane {
    busy: bool,
    queue: VecDeque<BookId>,
    queued: Vec<bool>,
    /// Updates folded into an already queued one.
    conflated: u64,
}

/// The lanes of every consumer.
#[derive(Debug, Default)]
pub struct Conflator {
    lanes: Vec<Lane>,
}

impl Conflator {
    /// Lanes for `consumers` consumers.
    pub fn new(consumers: usize) -> Conflator {
        Conflator {
            lanes: (0..consumers).map(|_| Lane::default()).collect(),
        }
    }

    /// Consumers.
    pub fn lanes(&self) -> usize {
        self.lanes.len()
    }

    /// Book `id` changed. No allocation once each lane has seen each book.
    pub fn touch(&mut self, id: BookId) {
        let i = id as usize;
        for lane in &mut self.lanes {
            if lane.queued.len() <= i {
                lane.queued.resize(i + 1, false);
            }
            if lane.queued[i] {
                lane.conflated += 1;
            } else {
                lane.queued[i] = true;
                lane.queue.push_back(id);
            }
        }
    }

    /// The next book to deliver to `lane` if it has none in flight; the lane is busy from
    /// then until [`Conflator::done`]. `None` when busy or nothing is queued.
    pub fn next(&mut self, lane: usize) -> Option<BookId> {
        let l = self.lanes.get_mut(lane)?;
        if l.busy {
            return None;
        }
        let id = l.queue.pop_front()?;
        l.queued[id as usize] = false;
        l.busy = true;
        Some(id)
    }

    /// The delivery picked by [`Conflator::next`] was skipped (the book went stale): the lane
    /// is free again.
    pub fn skip(&mut self, lane: usize) {
        self.done(lane);
    }

    /// The delivery in flight on `lane` completed.
    pub fn done(&mut self, lane: usize) {
        if let Some(l) = self.lanes.get_mut(lane) {
            l.busy = false;
        }
    }

    /// Books waiting on `lane`.
    pub fn backlog(&self, lane: usize) -> usize {
        self.lanes.get(lane).map_or(0, |l| l.queue.len())
    }

    /// Updates folded into queued ones, all lanes.
    pub fn conflated(&self) -> u64 {
        self.lanes.iter().map(|l| l.conflated).sum()
    }

    /// Forgets everything queued (no delivery in flight is affected).
    pub fn clear(&mut self) {
        for l in &mut self.lanes {
            l.queue.clear();
            l.queued.iter_mut().for_each(|q| *q = false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a script on one lane: `t<id>` touches, `n` takes the next (recording it), `d`
    /// completes the delivery in flight.
    fn run(script: &str) -> Vec<Option<BookId>> {
        let mut c = Conflator::new(1);
        let mut got = Vec::new();
        for step in script.split_whitespace() {
            match step {
                "n" => got.push(c.next(0)),
                "d" => c.done(0),
                t => c.touch(t[1..].parse().unwrap()),
            }
        }
        got
    }

    #[test]
    fn one_delivery_in_flight_and_each_book_queued_once() {
        // (script, deliveries)
        let table: [(&str, &[Option<BookId>]); 5] = [
            ("t1 n n", &[Some(1), None]),
            ("t1 n t1 t1 t1 d n d n", &[Some(1), Some(1), None]),
            (
                "t1 t2 t1 t3 n d n d n d n",
                &[Some(1), Some(2), Some(3), None],
            ),
            ("t5 n t5 t7 t5 d n d n", &[Some(5), Some(5), Some(7)]),
            ("n d n", &[None, None]),
        ];
        for (script, want) in table {
            assert_eq!(run(script), want, "{script}");
        }
    }

    #[test]
    fn lanes_are_independent_and_count_what_they_fold() {
        let mut c = Conflator::new(2);
        c.touch(0);
        assert_eq!(c.next(0), Some(0));
        c.touch(0);
        c.touch(0);
        assert_eq!(c.backlog(0), 1);
        assert_eq!(c.backlog(1), 1, "lane 1 has the first touch still queued");
        assert_eq!(c.conflated(), 1 + 2, "lane 0 folded one, lane 1 two");
        assert_eq!(c.next(1), Some(0));
        assert_eq!(c.next(0), None, "lane 0 is busy");
        c.skip(0);
        assert_eq!(c.next(0), Some(0));
        c.clear();
        c.done(0);
        c.done(1);
        assert_eq!((c.next(0), c.next(1)), (None, None));
        assert_eq!(c.next(7), None, "no such lane");
    }
}
