//! [`OrderBook`]: the local copy of one market's book, kept from `orderbook_snapshot` and
//! `orderbook_delta` messages with exact fixed-point arithmetic. Pure: no I/O, no ticker.
//!
//! Kalshi books hold bids only. YES levels are YES-leg prices; NO levels are NO-leg prices,
//! and a NO bid at `p` is a YES ask at `1 − p` (kalshi-api.md §7). So the best YES ask is
//! `1 − best NO bid` and the best NO ask is `1 − best YES bid`.
//!
//! Each side is a `Vec<PriceLevel>` sorted ascending by price — the order Kalshi sends, best
//! bid last — found by binary search. A side has at most a few hundred levels on a price grid
//! and activity clusters at the top (the end of the vector), so inserts and removals move
//! few elements, the vector is one cache-friendly allocation, export is a slice, and equality
//! is slice equality. `benches/book.rs` measures it against a `BTreeMap`.

use std::fmt;

use crate::{
    level::PriceLevel,
    num::{Count, Price},
    types::OutcomeSide,
};

/// A book operation that would make the book wrong. Any of them means the local book no
/// longer matches the exchange's: resync from a fresh snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BookError {
    /// Integrity error: a delta would take a level below zero (or overflow it). The book is
    /// left unchanged; nothing is clamped.
    #[error(
        "book integrity error: {side} level {price} holds {current}, a delta of {delta} would leave {}",
        LeftOver(*current, *delta)
    )]
    Integrity {
        /// The side of the level.
        side: OutcomeSide,
        /// The level's price.
        price: Price,
        /// The size held before the delta (zero for a missing level).
        current: Count,
        /// The refused change.
        delta: Count,
    },
    /// A snapshot level with a negative size or a price given twice.
    #[error("invalid snapshot: {side} level {price} of size {count}: {reason}")]
    InvalidSnapshot {
        /// The side of the level.
        side: OutcomeSide,
        /// The level's price.
        price: Price,
        /// Its size.
        count: Count,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// Prints `current + delta` for the integrity message, or "an overflow".
struct LeftOver(Count, Count);

impl fmt::Display for LeftOver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.checked_add(self.1) {
            Some(v) => write!(f, "{v}"),
            None => f.write_str("an overflow"),
        }
    }
}

/// The resting bids of one market, both sides. `PartialEq` compares content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderBook {
    yes: Vec<PriceLevel>,
    no: Vec<PriceLevel>,
}

impl OrderBook {
    /// An empty book.
    pub fn new() -> OrderBook {
        OrderBook::default()
    }

    /// A book holding `yes` and `no` (see [`OrderBook::try_apply_snapshot`]).
    pub fn from_snapshot(yes: &[PriceLevel], no: &[PriceLevel]) -> Result<OrderBook, BookError> {
        let mut book = OrderBook::new();
        book.try_apply_snapshot(yes, no)?;
        Ok(book)
    }

    /// Replaces the content with a snapshot, leniently: levels may come in any order, a
    /// price given twice has its sizes summed, and levels of zero or negative size are
    /// dropped. Kalshi sends none of these; [`OrderBook::try_apply_snapshot`] refuses them.
    pub fn apply_snapshot(&mut self, yes: &[PriceLevel], no: &[PriceLevel]) {
        fill_lenient(&mut self.yes, yes);
        fill_lenient(&mut self.no, no);
    }

    /// Replaces the content with a snapshot, refusing a negative size or a repeated price
    /// (the book is unchanged then). Levels may come in any order; zero-size levels are
    /// skipped.
    pub fn try_apply_snapshot(
        &mut self,
        yes: &[PriceLevel],
        no: &[PriceLevel],
    ) -> Result<(), BookError> {
        check_snapshot(OutcomeSide::Yes, yes)?;
        check_snapshot(OutcomeSide::No, no)?;
        self.apply_snapshot(yes, no);
        Ok(())
    }

    /// Applies a signed size change at one level. A level that reaches exactly zero is
    /// removed; one that would go negative is an [`BookError::Integrity`] and the book is
    /// unchanged. A zero delta changes nothing.
    pub fn apply_delta(
        &mut self,
        side: OutcomeSide,
        price: Price,
        delta: Count,
    ) -> Result<(), BookError> {
        let levels = self.side_mut(side);
        let found = levels.binary_search_by(|l| l.price.cmp(&price));
        let current = match found {
            Ok(i) => levels[i].count,
            Err(_) => Count::ZERO,
        };
        let new = match current.checked_add(delta) {
            Some(n) if !n.is_negative() => n,
            _ => {
                return Err(BookError::Integrity {
                    side,
                    price,
                    current,
                    delta,
                });
            }
        };
        match found {
            Ok(i) if new.is_zero() => {
                levels.remove(i);
            }
            Ok(i) => levels[i].count = new,
            Err(_) if new.is_zero() => {}
            Err(i) => levels.insert(i, PriceLevel::new(price, new)),
        }
        Ok(())
    }

    /// Removes every level.
    pub fn clear(&mut self) {
        self.yes.clear();
        self.no.clear();
    }

    /// True when both sides are empty.
    pub fn is_empty(&self) -> bool {
        self.yes.is_empty() && self.no.is_empty()
    }

    /// One side's bids, ascending by price (best last), as Kalshi sends them: the snapshot
    /// export.
    pub fn levels(&self, side: OutcomeSide) -> &[PriceLevel] {
        match side {
            OutcomeSide::Yes => &self.yes,
            OutcomeSide::No => &self.no,
        }
    }

    /// Both sides as snapshot vectors `(yes, no)`, ascending.
    pub fn to_snapshot(&self) -> (Vec<PriceLevel>, Vec<PriceLevel>) {
        (self.yes.clone(), self.no.clone())
    }

    /// The number of price levels on one side.
    pub fn depth(&self, side: OutcomeSide) -> usize {
        self.levels(side).len()
    }

    /// The size bid at `price` on `side` (zero when there is no level).
    pub fn level(&self, side: OutcomeSide, price: Price) -> Count {
        let levels = self.levels(side);
        match levels.binary_search_by(|l| l.price.cmp(&price)) {
            Ok(i) => levels[i].count,
            Err(_) => Count::ZERO,
        }
    }

    /// The sum of all sizes on one side.
    pub fn total_size(&self, side: OutcomeSide) -> Count {
        self.levels(side).iter().map(|l| l.count).sum()
    }

    /// The best (highest) bid on `side`, with its size.
    pub fn best_bid(&self, side: OutcomeSide) -> Option<PriceLevel> {
        self.levels(side).last().copied()
    }

    /// The best (lowest) ask on `side`: `1 − ` the other side's best bid, with its size.
    pub fn best_ask(&self, side: OutcomeSide) -> Option<PriceLevel> {
        self.best_bid(side.opposite()).map(complement)
    }

    /// The best YES bid.
    pub fn best_yes_bid(&self) -> Option<PriceLevel> {
        self.best_bid(OutcomeSide::Yes)
    }

    /// The best NO bid (NO-leg price).
    pub fn best_no_bid(&self) -> Option<PriceLevel> {
        self.best_bid(OutcomeSide::No)
    }

    /// The best YES ask: `1 − best NO bid`, with the NO bid's size.
    pub fn best_yes_ask(&self) -> Option<PriceLevel> {
        self.best_ask(OutcomeSide::Yes)
    }

    /// The best NO ask: `1 − best YES bid`, with the YES bid's size.
    pub fn best_no_ask(&self) -> Option<PriceLevel> {
        self.best_ask(OutcomeSide::No)
    }

    /// Bids on `side`, best (highest) first.
    pub fn bids(
        &self,
        side: OutcomeSide,
    ) -> impl ExactSizeIterator<Item = PriceLevel> + DoubleEndedIterator + '_ {
        self.levels(side).iter().rev().copied()
    }

    /// Asks on `side`, best (lowest) first, derived from the other side's bids.
    pub fn asks(
        &self,
        side: OutcomeSide,
    ) -> impl ExactSizeIterator<Item = PriceLevel> + DoubleEndedIterator + '_ {
        self.bids(side.opposite()).map(complement)
    }

    /// YES bids, best first.
    pub fn yes_bids(&self) -> impl ExactSizeIterator<Item = PriceLevel> + '_ {
        self.bids(OutcomeSide::Yes)
    }

    /// NO bids (NO-leg prices), best first.
    pub fn no_bids(&self) -> impl ExactSizeIterator<Item = PriceLevel> + '_ {
        self.bids(OutcomeSide::No)
    }

    /// YES asks, best (lowest) first: the NO bids at `1 − price`.
    pub fn yes_asks(&self) -> impl ExactSizeIterator<Item = PriceLevel> + '_ {
        self.asks(OutcomeSide::Yes)
    }

    /// NO asks, best (lowest) first: the YES bids at `1 − price`.
    pub fn no_asks(&self) -> impl ExactSizeIterator<Item = PriceLevel> + '_ {
        self.asks(OutcomeSide::No)
    }

    /// True when the best YES and NO bids sum to a dollar or more. The exchange would have
    /// matched them, so a crossed local book has missed an update.
    pub fn is_crossed(&self) -> bool {
        match (self.best_yes_bid(), self.best_no_bid()) {
            (Some(y), Some(n)) => y.price.micros() + n.price.micros() >= Price::UNIT,
            _ => false,
        }
    }

    fn side_mut(&mut self, side: OutcomeSide) -> &mut Vec<PriceLevel> {
        match side {
            OutcomeSide::Yes => &mut self.yes,
            OutcomeSide::No => &mut self.no,
        }
    }
}

/// The level seen from the other leg: price `1 − p`, same size.
fn complement(l: PriceLevel) -> PriceLevel {
    PriceLevel::new(l.price.complement(), l.count)
}

/// Refuses negative sizes and repeated prices.
fn check_snapshot(side: OutcomeSide, levels: &[PriceLevel]) -> Result<(), BookError> {
    let invalid = |l: &PriceLevel, reason| BookError::InvalidSnapshot {
        side,
        price: l.price,
        count: l.count,
        reason,
    };
    if let Some(l) = levels.iter().find(|l| l.count.is_negative()) {
        return Err(invalid(l, "negative size"));
    }
    if levels.windows(2).all(|w| w[0].price < w[1].price) {
        return Ok(());
    }
    let mut prices: Vec<Price> = levels.iter().map(|l| l.price).collect();
    prices.sort_unstable();
    match prices.windows(2).find(|w| w[0] == w[1]) {
        Some(w) => {
            let l = levels.iter().find(|l| l.price == w[0]).copied();
            let l = l.unwrap_or(PriceLevel::new(w[0], Count::ZERO));
            Err(invalid(&l, "price given twice"))
        }
        None => Ok(()),
    }
}

/// Fills `dst` with `src` sorted, duplicates summed, non-positive levels dropped.
fn fill_lenient(dst: &mut Vec<PriceLevel>, src: &[PriceLevel]) {
    dst.clear();
    dst.extend(src.iter().copied().filter(|l| l.count.is_positive()));
    if dst.windows(2).all(|w| w[0].price < w[1].price) {
        return;
    }
    dst.sort_by_key(|l| l.price);
    dst.dedup_by(|next, kept| {
        let same = next.price == kept.price;
        if same {
            kept.count += next.count;
        }
        same
    });
}
