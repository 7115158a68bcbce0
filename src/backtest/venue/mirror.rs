//! The recorded book on the venue: one account (the *book*) rests orders so that each level
//! of the simulator's book holds what the recording says, and the recorded takers (the
//! *tape*) trade against it. The strategy's orders sit in the same queues, so the
//! simulator's price-time matching decides what fills them.
//!
//! A level grows by a new order at its back (behind the strategy's). It shrinks by the
//! queue model: **conservative** takes size off the back and never from ahead of a strategy
//! order, so what is ahead of one shrinks only by recorded trades at its price;
//! **optimistic** takes size off the front first. Shrinks are applied before growths, so the
//! book's own orders never cross each other.

use kalshi::{Count, Price, book::OrderBook, types::BookSide};

/// The recorded book's levels on the YES leg: bids at their YES price, asks (NO bids) at
/// `1 − price`.
pub fn target_levels(book: &OrderBook) -> Vec<(BookSide, Price, Count)> {
    let bids = book.yes_bids().map(|l| (BookSide::Bid, l.price, l.count));
    let asks = book
        .no_bids()
        .map(|l| (BookSide::Ask, l.price.complement(), l.count));
    bids.chain(asks).collect()
}

/// One order in a level's queue, front first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Queued {
    /// Whether it is the book's (else the strategy's or another account's).
    pub mirror: bool,
    /// Its remaining count.
    pub remaining: Count,
}

/// How much to take off each of the book's orders in a queue (front first) to shrink it by
/// `by`: pairs of (index in the queue, count to take).
pub fn shrink_plan(queue: &[Queued], by: Count, conservative: bool) -> Vec<(usize, Count)> {
    let mut left = by;
    let mut plan = Vec::new();
    let mut take = |i: usize, q: &Queued| {
        if left.is_positive() && q.mirror && q.remaining.is_positive() {
            let n = q.remaining.min(left);
            left -= n;
            plan.push((i, n));
        }
    };
    if conservative {
        for (i, q) in queue.iter().enumerate().rev() {
            if !q.mirror {
                break; // never from ahead of a strategy order
            }
            take(i, q);
        }
    } else {
        for (i, q) in queue.iter().enumerate() {
            take(i, q);
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(n: i64) -> Count {
        Count::from_whole(n)
    }

    fn queue() -> Vec<Queued> {
        let m = |n| Queued {
            mirror: true,
            remaining: c(n),
        };
        let ours = Queued {
            mirror: false,
            remaining: c(5),
        };
        vec![m(10), m(20), ours, m(7)]
    }

    #[test]
    fn conservative_shrinks_only_behind_the_strategy() {
        assert_eq!(shrink_plan(&queue(), c(4), true), vec![(3, c(4))]);
        assert_eq!(
            shrink_plan(&queue(), c(30), true),
            vec![(3, c(7))],
            "the 30 ahead stay: only trades move the strategy up"
        );
    }

    #[test]
    fn optimistic_shrinks_from_the_front() {
        assert_eq!(
            shrink_plan(&queue(), c(25), false),
            vec![(0, c(10)), (1, c(15))]
        );
        assert_eq!(
            shrink_plan(&queue(), c(99), false),
            vec![(0, c(10)), (1, c(20)), (3, c(7))]
        );
    }

    #[test]
    fn a_level_of_the_book_alone_shrinks_the_same_either_way() {
        let q = [Queued {
            mirror: true,
            remaining: c(9),
        }; 2];
        assert_eq!(shrink_plan(&q, c(12), true), vec![(1, c(9)), (0, c(3))]);
        assert_eq!(shrink_plan(&q, c(12), false), vec![(0, c(9)), (1, c(3))]);
    }

    #[test]
    fn the_recorded_no_bids_are_yes_asks() {
        let mut b = OrderBook::new();
        let p = |s| Price::parse(s).unwrap();
        b.apply_snapshot(
            &[kalshi::level::PriceLevel::new(p("0.40"), c(3))],
            &[kalshi::level::PriceLevel::new(p("0.55"), c(4))],
        );
        assert_eq!(
            target_levels(&b),
            vec![
                (BookSide::Bid, p("0.40"), c(3)),
                (BookSide::Ask, p("0.45"), c(4))
            ]
        );
    }
}
