//! The pure strategy interface: what a strategy sees of a market ([`MarketView`]), what it may
//! ask for ([`Intent`]), the callbacks it answers ([`Strategy`]) and how the engine builds one
//! ([`StrategyFactory`]). Implementations decide; the strategy actor gathers the inputs, calls
//! them and forwards their intents to the order manager.
//!
//! # What the engine guarantees a strategy
//! - **Books** ([`Strategy::on_book`]): only synced, fresh books, conflated (the latest state
//!   of a book, never a backlog of deltas). A book the feed calls stale is announced once
//!   ([`Strategy::on_book_stale`]) and then withheld until the feed resyncs it.
//! - **Epochs**: every book has an epoch that changes on every resync; every order is stamped
//!   with the epoch it was priced on ([`PlaceIntent::book_epoch`]), and an order priced on a
//!   book that has since gone stale is dropped, never sent.
//! - **Orders**: intents go to the order manager, which applies the risk limits of `[orders]`
//!   and the blackout gate, journals each order before sending it and places it exactly once.
//!   Every change of an order is reported through [`Strategy::on_order`] (its key is the
//!   handle for [`Intent::Amend`] and [`Intent::Cancel`]); a refused intent through
//!   [`Strategy::on_refused`]; a refused placement and an order that ends (filled, cancelled,
//!   rejected) both through [`Strategy::on_order_done`]; fills through [`Strategy::on_fill`].
//! - **Wakes**: a strategy that decides on another thread gets a [`Waker`] in
//!   [`Strategy::on_start`] and returns its intents from [`Strategy::on_wake`].
//! - **Positions**: [`MarketView::position`] is the order manager's position in the market,
//!   read at start (after reconciliation with the exchange) and updated on every fill.
//! - **Time**: [`MarketView::now`] and [`Strategy::on_timer`] come from the engine's clock
//!   (injected, so tests can fake it); a strategy should not read the system clock itself.
//! - **One thread**: the callbacks are called one at a time, from the strategy actor; a
//!   strategy needs no locks. A panic in a callback is caught, the actor is restarted in place
//!   and the strategy is rebuilt from its [`StrategyFactory`] (its own state is lost; the
//!   engine's resting orders are cancelled first, as nothing would manage them; positions and
//!   books come back from the engine).
//! - **Asked again**: [`Strategy::on_book`] is also called with a market's last fresh book
//!   when its status or close changes, or its fair value does (a forecast loaded, gone stale
//!   or made old by a GFS window's end) — a quiet market's quotes follow at once.
//!
//! # Money
//! A strategy may compute in `f64` (a probability, a threshold), but an order's price is a
//! [`Price`] on the market's grid ([`MarketView::grid`]) and its size a [`Count`]: exact
//! fixed-point numbers, never floats.

use std::{collections::BTreeMap, sync::Arc};

use chrono::{DateTime, Utc};
use kalshi::{Count, Price, Ticker, book::OrderBook, num::PriceRanges, types::BookSide};

use crate::{
    orders::{OrderRecord, OrderSpec, Submit},
    stamps::PathStamps,
};

/// What the strategy knows about one market when its book changes.
#[derive(Debug, Clone)]
pub struct MarketView {
    /// The market.
    pub ticker: Ticker,
    /// The book's epoch: changes on every resync. Stamp it on every order priced on this
    /// book ([`PlaceIntent::book_epoch`]).
    pub epoch: u64,
    /// The synced, fresh book: resting YES and NO bids, exact prices and sizes
    /// ([`OrderBook::best_yes_bid`], [`OrderBook::best_yes_ask`], [`OrderBook::yes_bids`], …).
    /// The best YES ask is the complement of the best NO bid.
    pub book: Arc<OrderBook>,
    /// The market's price grid: which prices are valid ticks
    /// ([`PriceRanges::is_valid`], [`PriceRanges::tick_at_or_below`], …). Shared: built once
    /// per market, not per update.
    pub grid: Arc<PriceRanges>,
    /// The fair YES probability from the configured forecast (`[strategy.forecast]`), when it
    /// covers the market; `None` otherwise. A strategy with its own model may ignore it.
    pub fair: Option<f64>,
    /// The position held in this market, in contracts: positive YES, negative NO.
    pub position: Count,
    /// Now, by the engine's clock.
    pub now: DateTime<Utc>,
    /// When the market closes (from its metadata; moved by `close_date_updated` lifecycle
    /// events). After it, every order operation, cancels included, is refused by Kalshi.
    pub close_time: DateTime<Utc>,
    /// Whether the market accepts orders: its status is `active` (from its metadata, kept
    /// current by `market_lifecycle_v2` events: `false` while it is paused or once it is
    /// determined).
    pub tradable: bool,
}

/// An order the strategy wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceIntent {
    /// Its terms: market, side (`Bid` buys YES, `Ask` sells YES), price on the market's grid,
    /// count, time in force, post-only, reduce-only.
    pub spec: OrderSpec,
    /// Epoch of the book it was priced on ([`MarketView::epoch`]): if that book has gone
    /// stale since, the order is dropped rather than sent.
    pub book_epoch: u64,
}

impl From<PlaceIntent> for Submit {
    fn from(p: PlaceIntent) -> Submit {
        Submit {
            spec: p.spec,
            book_epoch: Some(p.book_epoch),
            stamps: PathStamps::default(),
        }
    }
}

/// A change to one of this engine's resting orders: a new YES price and/or a new resting size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendIntent {
    /// The order's key ([`OrderRecord::key`], its client order id).
    pub key: String,
    /// The new YES price, on the market's grid.
    pub price: Price,
    /// The new resting size (> 0; cancel to go to zero).
    pub remaining: Count,
}

/// What a strategy asks the order manager for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// Place an order (subject to the risk limits and the blackout gate).
    Place(PlaceIntent),
    /// Amend a resting order in place: Kalshi keeps it (and, for a smaller size at the same
    /// price, its queue position). Same price and a smaller size is a decrease, which passes
    /// the blackout gate; anything else is gated and risk-checked like a new order.
    Amend(AmendIntent),
    /// Cancel one order by its key (always allowed, blackouts included).
    Cancel(String),
    /// Cancel this engine's resting orders in a market (always allowed, blackouts included).
    CancelMarket(Ticker),
}

impl Intent {
    /// The market an intent concerns, where it names one (a cancel or amend names an order).
    pub fn ticker(&self) -> Option<&Ticker> {
        match self {
            Intent::Place(p) => Some(&p.spec.ticker),
            Intent::CancelMarket(t) => Some(t),
            Intent::Amend(_) | Intent::Cancel(_) => None,
        }
    }
}

/// Asks the engine to call [`Strategy::on_wake`] soon: for a strategy that decides on another
/// thread (a model, a child process) and has intents waiting. Cheap to clone; waking a
/// strategy whose actor has stopped does nothing.
#[derive(Clone)]
pub struct Waker(Arc<dyn Fn() + Send + Sync>);

impl Waker {
    /// A waker calling `wake` (the strategy actor passes one that messages itself).
    pub fn new(wake: impl Fn() + Send + Sync + 'static) -> Waker {
        Waker(Arc::new(wake))
    }

    /// Asks for a call to [`Strategy::on_wake`] (several wakes before it may be one call).
    pub fn wake(&self) {
        (self.0)();
    }
}

impl std::fmt::Debug for Waker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Waker")
    }
}

/// Decision code behind the strategy actor. Every callback returns the intents to send (often
/// none). Only [`Strategy::on_book`] is required; the others default to doing nothing, except
/// [`Strategy::on_book_stale`], which pulls the market's resting orders.
pub trait Strategy: Send {
    /// A fresh, synced book of a market (conflated: the latest state, not every delta).
    fn on_book(&mut self, view: &MarketView) -> Vec<Intent>;

    /// The market's book went stale (a sequence gap, a reconnect): no book of it arrives until
    /// it is resynced, and orders priced on it are dropped. Default: pull resting orders.
    fn on_book_stale(&mut self, ticker: &Ticker) -> Vec<Intent> {
        vec![Intent::CancelMarket(ticker.clone())]
    }

    /// A fill of one of this engine's orders: `side` as placed (`Bid` bought YES), the YES
    /// `price` and the `count` filled. The new position arrives with the next
    /// [`MarketView`]. Default: nothing.
    fn on_fill(
        &mut self,
        ticker: &Ticker,
        side: BookSide,
        price: Price,
        count: Count,
    ) -> Vec<Intent> {
        let _ = (ticker, side, price, count);
        Vec::new()
    }

    /// An order in `ticker` is over: refused by the order manager (a risk limit, the blackout
    /// gate), or ended at the exchange (executed, cancelled, rejected, expired). A strategy that
    /// counts its orders in flight counts one down here. Default: nothing.
    fn on_order_done(&mut self, ticker: &Ticker) -> Vec<Intent> {
        let _ = ticker;
        Vec::new()
    }

    /// One of this engine's orders changed: journaled (`PendingNew`, with its key — the
    /// handle for [`Intent::Amend`] and [`Intent::Cancel`]), resting, amended, partly filled,
    /// cancel pending, or over. Orders found on the exchange at start-up arrive here too. Called
    /// before [`Strategy::on_order_done`] for an order that is over. Default: nothing.
    fn on_order(&mut self, order: &OrderRecord) -> Vec<Intent> {
        let _ = order;
        Vec::new()
    }

    /// The order manager refused an intent (`reason` says why: a risk limit, the blackout
    /// gate, an unknown order, the kill switch…). Default: a refused placement is reported
    /// through [`Strategy::on_order_done`]; other refusals are ignored.
    fn on_refused(&mut self, intent: &Intent, reason: &str) -> Vec<Intent> {
        let _ = reason;
        match intent {
            Intent::Place(p) => self.on_order_done(&p.spec.ticker),
            _ => Vec::new(),
        }
    }

    /// The periodic tick (`strategy.timer_ms`), with the engine's time. Default: nothing.
    fn on_timer(&mut self, now: DateTime<Utc>) -> Vec<Intent> {
        let _ = now;
        Vec::new()
    }

    /// Whether the strategy trades only with a fair value from the configured forecast
    /// ([`MarketView::fair`]). While there is none (or it is stale) the engine reports the
    /// strategy `idle: no forecast` (`forecast stale`) in its status line, `/healthz` and
    /// metrics. Default: `true`; a strategy with its own model answers `false`.
    fn uses_forecast(&self) -> bool {
        true
    }

    /// A blackout started (`true`) or ended (`false`). During one the order manager refuses
    /// new and size-increasing orders; cancels and reduce-only orders pass. Default: nothing.
    fn on_blackout(&mut self, active: bool) -> Vec<Intent> {
        let _ = active;
        Vec::new()
    }

    /// The strategy actor started (at the engine's start and after every restart): `waker`
    /// asks for a call to [`Strategy::on_wake`] from any thread. Default: nothing.
    fn on_start(&mut self, waker: Waker) -> Vec<Intent> {
        let _ = waker;
        Vec::new()
    }

    /// Asked for through the [`Waker`] given to [`Strategy::on_start`]: return what is
    /// waiting. Default: nothing.
    fn on_wake(&mut self) -> Vec<Intent> {
        Vec::new()
    }

    /// The strategy's own counts and gauges (`requotes`, `external_restarts`), reported with the
    /// strategy actor's metrics (`/metrics`: `tradewind_strategy_<name>`) and in the run's
    /// summary (`strategy: <name>`). Names should not repeat the actor's own counters
    /// (`intents`, `amends`, `cancels`, …). A strategy rebuilt after a panic starts again
    /// from zero. Default: none.
    fn counters(&self) -> BTreeMap<String, u64> {
        BTreeMap::new()
    }
}

/// Builds a fresh strategy: once when the engine starts, and again each time the strategy
/// actor is restarted after a panic (so a strategy's state never outlives the failure).
///
/// ```
/// use tradewind_actors::strategy::{Intent, MarketView, Strategy, StrategyFactory};
///
/// struct Idle;
/// impl Strategy for Idle {
///     fn on_book(&mut self, _view: &MarketView) -> Vec<Intent> {
///         Vec::new()
///     }
/// }
///
/// let factory = StrategyFactory::new(|| Idle);
/// let _strategy: Box<dyn Strategy> = factory.build();
/// ```
#[derive(Clone)]
pub struct StrategyFactory(Arc<dyn Fn() -> Box<dyn Strategy> + Send + Sync>);

impl StrategyFactory {
    /// A factory calling `make` for every (re)start.
    pub fn new<S, F>(make: F) -> StrategyFactory
    where
        S: Strategy + 'static,
        F: Fn() -> S + Send + Sync + 'static,
    {
        StrategyFactory(Arc::new(move || Box::new(make()) as Box<dyn Strategy>))
    }

    /// A new strategy.
    pub fn build(&self) -> Box<dyn Strategy> {
        (self.0)()
    }
}

impl std::fmt::Debug for StrategyFactory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StrategyFactory")
    }
}
