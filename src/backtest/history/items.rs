//! The small items a download's timeline is made of — each points into the download's rows
//! and becomes one record when replayed — and the counts of what was left out.

use kalshi::Price;

/// A book's quotes: best YES bid, best YES ask.
pub type Quote = (Option<Price>, Option<Price>);

/// One record to make, pointing into the download's rows (indexes into its tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// Market `i` listed.
    Market(u32),
    /// A snapshot of a market's quotes.
    Quote {
        /// The market.
        market: u32,
        /// Its place among the market's snapshots (from 1).
        seq: u32,
        /// The quotes.
        quote: Quote,
    },
    /// A trade.
    Trade {
        /// The trade.
        trade: u32,
        /// Its market.
        market: u32,
    },
    /// Market `i` determined (`false`) or settled (`true`).
    Outcome(u32, bool),
}

/// What the timeline left out or changed, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Candles whose quotes were crossed or locked (no book).
    pub crossed_candles: u64,
    /// Trades and candles of markets the markets table does not hold, or before 1970.
    pub orphans: u64,
    /// Trades read twice (the same trade id).
    pub duplicate_trades: u64,
    /// Block trades (negotiated off the book: they never reach a resting order).
    pub block_trades: u64,
    /// Trades with no taker side (they cannot be matched against the book).
    pub sideless_trades: u64,
    /// Market rows read twice (the same ticker).
    pub duplicate_markets: u64,
    /// Markets with a result but no settlement time (never determined in the replay).
    pub results_without_time: u64,
    /// Quotes a trade printed through, moved to its price.
    pub quotes_moved: u64,
}

pub fn ns_of_us(us: i64) -> Option<u64> {
    u64::try_from(us).ok()?.checked_mul(1_000)
}
