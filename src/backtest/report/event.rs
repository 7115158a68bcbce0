//! What the report is built from: the backtested strategy's [`Fill`]s, the markets'
//! [`Settlement`]s and [`Mark`]s, as [`LedgerEvent`]s, plus the run's [`RunMeta`].

use kalshi::{Count, Money, Price, Ticker, types::BookSide};
use serde::Serialize;

/// One fill of the backtested strategy. `side`: `Bid` = bought YES, `Ask` = sold YES (Kalshi's
/// model: selling YES is buying NO at `1 − price`). `price` is the YES price; `count` is taken
/// as its magnitude; `fee` is what the fill cost in fees (positive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fill {
    /// When it happened, Unix nanoseconds (market time of the replay).
    pub ns: u64,
    /// The market.
    pub ticker: Ticker,
    /// `Bid` bought YES, `Ask` sold YES (bought NO).
    pub side: BookSide,
    /// The YES price.
    pub price: Price,
    /// Contracts filled.
    pub count: Count,
    /// Fees paid for this fill.
    pub fee: Money,
    /// The strategy's order was resting (maker) rather than taking.
    pub maker: bool,
}

/// A market's result: the YES payout per contract (1 for yes, 0 for no; Kalshi's scalar
/// markets can settle in between). Only a market's first settlement counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    /// When the market settled, Unix nanoseconds.
    pub ns: u64,
    /// The market.
    pub ticker: Ticker,
    /// The YES payout per contract.
    pub value: Price,
}

/// A market's mid (or last) YES price at `ns`, for marking open positions. Marks of markets
/// the strategy never filled in are ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// When the price was seen, Unix nanoseconds.
    pub ns: u64,
    /// The market.
    pub ticker: Ticker,
    /// The YES price.
    pub price: Price,
}

/// One input of the report, in time order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerEvent {
    /// The strategy traded.
    Fill(Fill),
    /// A market settled.
    Settle(Settlement),
    /// A market's price moved.
    Mark(Mark),
}

impl LedgerEvent {
    /// When the event happened, Unix nanoseconds.
    pub fn ns(&self) -> u64 {
        match self {
            LedgerEvent::Fill(f) => f.ns,
            LedgerEvent::Settle(s) => s.ns,
            LedgerEvent::Mark(m) => m.ns,
        }
    }
}

/// What the run was: all deterministic inputs, so the same run prints the same report (no
/// wall-clock time, no host name).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RunMeta {
    /// The strategy's name.
    pub strategy: String,
    /// A label for the recorded data replayed (e.g. the recording directory's name).
    pub data: String,
    /// Start of the replayed window, Unix nanoseconds.
    pub from_ns: u64,
    /// End of the replayed window, Unix nanoseconds.
    pub to_ns: u64,
    /// The replay's random seed.
    pub seed: u64,
    /// A digest of the configuration the run used.
    pub config_digest: String,
    /// How many recorded events the replay read.
    pub events_replayed: u64,
}
