//! The resting orders of one market, by side and price level, in time priority.
//!
//! Orders are kept on the YES leg: bids at their YES price and asks at their YES price. The
//! public, bids-only view Kalshi publishes maps a bid at `p` to a YES level at `p` and an ask
//! at `p` to a NO level at `1 − p` ([`RestingBook::public_levels`]).

use std::collections::{BTreeMap, VecDeque};

use kalshi::{
    Count, Price,
    level::PriceLevel,
    types::{BookSide, OutcomeSide},
};

use super::ids::OrderKey;

/// One price level: the queue of resting orders (oldest first) and their total size.
#[derive(Debug, Default, Clone)]
pub struct Level {
    /// Orders in time priority.
    pub queue: VecDeque<OrderKey>,
    /// Sum of the queued orders' remaining counts.
    pub total: Count,
}

/// Resting orders of one market.
#[derive(Debug, Default, Clone)]
pub struct RestingBook {
    bids: BTreeMap<Price, Level>,
    asks: BTreeMap<Price, Level>,
}

/// Where a side's level appears in the public book: side and leg price.
pub fn public_level(side: BookSide, price: Price) -> (OutcomeSide, Price) {
    match side {
        BookSide::Bid => (OutcomeSide::Yes, price),
        BookSide::Ask => (OutcomeSide::No, price.complement()),
    }
}

impl RestingBook {
    fn side(&self, side: BookSide) -> &BTreeMap<Price, Level> {
        match side {
            BookSide::Bid => &self.bids,
            BookSide::Ask => &self.asks,
        }
    }

    fn side_mut(&mut self, side: BookSide) -> &mut BTreeMap<Price, Level> {
        match side {
            BookSide::Bid => &mut self.bids,
            BookSide::Ask => &mut self.asks,
        }
    }

    /// Best price on a side: the highest bid or the lowest ask.
    pub fn best(&self, side: BookSide) -> Option<Price> {
        match side {
            BookSide::Bid => self.bids.keys().next_back().copied(),
            BookSide::Ask => self.asks.keys().next().copied(),
        }
    }

    /// Whether an order on `side` at `price` would trade with the opposite side.
    pub fn crosses(&self, side: BookSide, price: Price) -> bool {
        match (side, self.best(side.opposite())) {
            (BookSide::Bid, Some(ask)) => ask <= price,
            (BookSide::Ask, Some(bid)) => bid >= price,
            (_, None) => false,
        }
    }

    /// The best opposite level an incoming `side` order at limit `price` may trade with.
    pub fn best_crossing(&mut self, side: BookSide, price: Price) -> Option<(Price, &mut Level)> {
        let opposite = side.opposite();
        let best = self.best(opposite)?;
        let crosses = match side {
            BookSide::Bid => best <= price,
            BookSide::Ask => best >= price,
        };
        if !crosses {
            return None;
        }
        self.side_mut(opposite)
            .get_mut(&best)
            .map(|level| (best, level))
    }

    /// Opposite levels an incoming order may trade with, best first (for fill-or-kill checks).
    pub fn crossing_levels(&self, side: BookSide, price: Price) -> Vec<(Price, &Level)> {
        match side {
            BookSide::Bid => self.asks.range(..=price).map(|(p, l)| (*p, l)).collect(),
            BookSide::Ask => self
                .bids
                .range(price..)
                .rev()
                .map(|(p, l)| (*p, l))
                .collect(),
        }
    }

    /// Puts an order at the back of its level.
    pub fn push(&mut self, side: BookSide, price: Price, key: OrderKey, count: Count) {
        let level = self.side_mut(side).entry(price).or_default();
        level.queue.push_back(key);
        level.total += count;
    }

    /// Takes an order out of its level (its whole `remaining` leaves the level).
    pub fn remove(&mut self, side: BookSide, price: Price, key: OrderKey, remaining: Count) {
        let book = self.side_mut(side);
        if let Some(level) = book.get_mut(&price) {
            if let Some(pos) = level.queue.iter().position(|k| *k == key) {
                level.queue.remove(pos);
                level.total -= remaining;
            }
            if level.queue.is_empty() {
                book.remove(&price);
            }
        }
    }

    /// Shrinks an order in place (partial fill or decrease): it keeps its queue position.
    pub fn shrink(&mut self, side: BookSide, price: Price, by: Count) {
        if let Some(level) = self.side_mut(side).get_mut(&price) {
            level.total -= by;
        }
    }

    /// Drops an empty level after the matching loop has drained it.
    pub fn drop_if_empty(&mut self, side: BookSide, price: Price) {
        let book = self.side_mut(side);
        if book.get(&price).is_some_and(|l| l.queue.is_empty()) {
            book.remove(&price);
        }
    }

    /// Every resting order key, bids then asks.
    pub fn keys(&self) -> impl Iterator<Item = OrderKey> + '_ {
        self.bids
            .values()
            .chain(self.asks.values())
            .flat_map(|l| l.queue.iter().copied())
    }

    /// The queue of a side's level, oldest first.
    pub fn queue(&self, side: BookSide, price: Price) -> Option<&VecDeque<OrderKey>> {
        self.side(side).get(&price).map(|l| &l.queue)
    }

    /// Total resting size at a side's level.
    pub fn size_at(&self, side: BookSide, price: Price) -> Count {
        self.side(side).get(&price).map_or(Count::ZERO, |l| l.total)
    }

    /// The public book as Kalshi publishes it: YES bids and NO bids, each ascending by price
    /// (best last), with aggregated sizes.
    pub fn public_levels(&self) -> (Vec<PriceLevel>, Vec<PriceLevel>) {
        let level = |price, count| PriceLevel { price, count };
        let yes = self.bids.iter().map(|(p, l)| level(*p, l.total)).collect();
        let no = self
            .asks
            .iter()
            .rev()
            .map(|(p, l)| level(p.complement(), l.total))
            .collect();
        (yes, no)
    }

    /// Best YES bid and best YES ask with their sizes.
    pub fn top(&self) -> (Option<PriceLevel>, Option<PriceLevel>) {
        let bid = self.bids.iter().next_back().map(|(p, l)| PriceLevel {
            price: *p,
            count: l.total,
        });
        let ask = self.asks.iter().next().map(|(p, l)| PriceLevel {
            price: *p,
            count: l.total,
        });
        (bid, ask)
    }

    /// Number of resting orders.
    pub fn order_count(&self) -> usize {
        self.bids
            .values()
            .chain(self.asks.values())
            .map(|l| l.queue.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Price {
        Price::parse(s).unwrap()
    }

    #[test]
    fn public_view_is_bids_only_ascending() {
        let mut book = RestingBook::default();
        book.push(BookSide::Bid, p("0.40"), 1, Count::from_whole(5));
        book.push(BookSide::Bid, p("0.42"), 2, Count::from_whole(3));
        book.push(BookSide::Ask, p("0.45"), 3, Count::from_whole(7));
        book.push(BookSide::Ask, p("0.50"), 4, Count::from_whole(1));
        let (yes, no) = book.public_levels();
        let lvl = |price: &str, n: i64| PriceLevel {
            price: p(price),
            count: Count::from_whole(n),
        };
        assert_eq!(yes, vec![lvl("0.40", 5), lvl("0.42", 3)]);
        // Asks at 0.45 and 0.50 are NO bids at 0.55 and 0.50; best NO bid (0.55) is last.
        assert_eq!(no, vec![lvl("0.50", 1), lvl("0.55", 7)]);
        assert!(book.crosses(BookSide::Bid, p("0.45")));
        assert!(!book.crosses(BookSide::Bid, p("0.44")));
        assert!(book.crosses(BookSide::Ask, p("0.42")));
    }

    #[test]
    fn remove_drops_empty_levels() {
        let mut book = RestingBook::default();
        book.push(BookSide::Bid, p("0.40"), 1, Count::from_whole(5));
        book.remove(BookSide::Bid, p("0.40"), 1, Count::from_whole(5));
        assert_eq!(book.best(BookSide::Bid), None);
        assert_eq!(book.order_count(), 0);
    }
}
