//! The pure strategy interface: what a strategy sees of a market ([`MarketView`]) and what it
//! may ask for ([`Intent`]). Implementations decide; the actor gathers inputs and forwards the
//! intents to the order manager.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kalshi::{Count, Price, Ticker, book::OrderBook, num::PriceRanges, types::BookSide};

use crate::orders::{OrderSpec, Submit};

/// What the strategy knows about one market when its book changes.
#[derive(Debug, Clone)]
pub struct MarketView {
    /// Market.
    pub ticker: Ticker,
    /// The book's epoch (stamped on every intent priced on it).
    pub epoch: u64,
    /// The synced, fresh book.
    pub book: Arc<OrderBook>,
    /// The market's price grid (shared: built once per market, not per update).
    pub grid: Arc<PriceRanges>,
    /// The fair YES probability, when the forecast covers the market.
    pub fair: Option<f64>,
    /// The position held (+ YES, − NO).
    pub position: Count,
    /// Now.
    pub now: DateTime<Utc>,
}

/// An order the strategy wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceIntent {
    /// Its terms (price on the market's grid).
    pub spec: OrderSpec,
    /// Epoch of the book it was priced on.
    pub book_epoch: u64,
}

impl From<PlaceIntent> for Submit {
    fn from(p: PlaceIntent) -> Submit {
        Submit {
            spec: p.spec,
            book_epoch: Some(p.book_epoch),
        }
    }
}

/// What a strategy asks the order manager for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// Place an order.
    Place(PlaceIntent),
    /// Cancel this strategy's resting orders in a market.
    CancelMarket(Ticker),
}

/// Decision code behind the strategy actor. Every callback returns the intents to send.
pub trait Strategy: Send {
    /// A fresh, synced book.
    fn on_book(&mut self, view: &MarketView) -> Vec<Intent>;
    /// A book went stale: pull resting quotes on it.
    fn on_book_stale(&mut self, ticker: &Ticker) -> Vec<Intent>;
    /// A fill of this strategy's order.
    fn on_fill(
        &mut self,
        ticker: &Ticker,
        side: BookSide,
        price: Price,
        count: Count,
    ) -> Vec<Intent>;
    /// An intent was refused or its order ended without resting (the strategy may retry later).
    fn on_order_done(&mut self, ticker: &Ticker) -> Vec<Intent>;
    /// Periodic tick.
    fn on_timer(&mut self, now: DateTime<Utc>) -> Vec<Intent>;
    /// Blackout started or ended.
    fn on_blackout(&mut self, active: bool) -> Vec<Intent>;
}
