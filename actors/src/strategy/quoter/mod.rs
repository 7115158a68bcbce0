//! The built-in quoter (`[strategy] kind = "quoter"`, settings in `[strategy.quoter]`): a
//! two-sided, post-only market maker around the forecast's fair value.
//!
//! For every market with a fair value it rests a bid and an ask `edge` away from fair, on the
//! grid and never crossing the book, skewed and sized by the position (at `max_position` only
//! the reducing side quotes). A quote whose target moves at least `requote_threshold` (fair
//! value, skew after a fill, or the book closing in) is **amended** in place by its key,
//! never cancelled and replaced; a fill shrinks it, an order that ends frees its side. Its
//! quotes are pulled (`CancelMarket`) on a stale book, a blackout, a missing or stale fair
//! value, a paused or closing market; near the close the position may be flattened with
//! reduce-only orders. Placements and amends keep to its own write pace; cancels never wait.
//! A quoter starts from a clean slate: before it first quotes a market it cancels what rests
//! there (after a panic the strategy is rebuilt and knows none of its old quotes).
//!
//! # Layout
//! - [`config`]: `[strategy.quoter]` and its validation.
//! - [`pricing`]: where the quotes should be (pure).
//! - [`slots`]: what each side holds, from every order change (pure).
//! - [`decide`]: place, amend, cancel or hold one side (pure).
//! - [`pace`]: the write budget (pure, on the engine's clock).
//! - [`pulls`]: when quotes come off, and the flattening order (pure).
//! - this file: the [`Quoter`], which runs them as a [`Strategy`].

pub mod config;
pub mod decide;
pub mod pace;
pub mod pricing;
pub mod pulls;
pub mod slots;

use std::{
    collections::{BTreeMap, HashMap, hash_map::DefaultHasher},
    hash::BuildHasherDefault,
};

use chrono::{DateTime, Utc};
use kalshi::{
    Ticker,
    types::{BookSide, TimeInForce},
};

pub use self::config::QuoterConfig;
use self::{
    decide::Step,
    pace::Pace,
    pricing::{Target, Top},
    slots::{Busy, Observed, Slot, Slots},
};
use crate::{
    orders::{OrderRecord, OrderSpec},
    strategy::interface::{AmendIntent, Intent, MarketView, PlaceIntent, Strategy},
};

const SIDES: [BookSide; 2] = [BookSide::Bid, BookSide::Ask];

/// What the quoter knows of a market between books.
#[derive(Debug, Default, Clone)]
struct Market {
    /// The last book decided to quote it (no pull since).
    quoting: bool,
    /// This quoter cleared the market before quoting it the first time.
    cleared: bool,
    close_time: Option<DateTime<Utc>>,
}

/// The quoter's counts ([`Strategy::counters`]).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct QuoterCounts {
    /// Quotes put on the book or moved: placements plus price amends.
    pub requotes: u64,
    /// Quotes placed.
    pub quotes_placed: u64,
    /// Amends of quotes (price moves and decreases).
    pub quote_amends: u64,
    /// Cancels of single quotes (a side that must stop quoting, a stray).
    pub quote_cancels: u64,
    /// Markets pulled (every quote of a market cancelled at once).
    pub pulls: u64,
    /// Reduce-only orders sent to flatten before a close.
    pub flattens: u64,
    /// Writes held back by the write pace (retried on a later book).
    pub writes_deferred: u64,
}

/// The quoter.
#[derive(Debug)]
pub struct Quoter {
    cfg: QuoterConfig,
    slots: Slots,
    pace: Pace,
    /// Fixed-key hashing: the order of `on_timer`'s intents is the same in every process (a
    /// backtest's report must not depend on it).
    markets: HashMap<Ticker, Market, BuildHasherDefault<DefaultHasher>>,
    blackout: bool,
    /// The engine's time at the last book or timer.
    now: DateTime<Utc>,
    counts: QuoterCounts,
}

impl Quoter {
    /// A quoter with these settings (validate them first).
    pub fn new(cfg: QuoterConfig) -> Quoter {
        Quoter {
            pace: Pace::new(
                cfg.max_writes_per_s,
                cfg.write_burst,
                cfg.min_requote_interval_ms,
            ),
            cfg,
            slots: Slots::default(),
            markets: HashMap::default(),
            blackout: false,
            now: DateTime::UNIX_EPOCH,
            counts: QuoterCounts::default(),
        }
    }

    /// Its counts so far.
    pub fn counts(&self) -> &QuoterCounts {
        &self.counts
    }

    /// What a side of a market holds.
    pub fn slot(&self, ticker: &Ticker, side: BookSide) -> &Slot {
        self.slots.get(ticker, side)
    }

    fn is_quoting(&self, ticker: &Ticker) -> bool {
        self.markets.get(ticker).is_some_and(|m| m.quoting)
    }

    /// Stops quoting `ticker`; cancels its orders when a quote rests there not already being
    /// cancelled (a quote asked for and not journaled yet is cancelled by key when it shows).
    fn pull(&mut self, ticker: &Ticker) -> Vec<Intent> {
        if let Some(m) = self.markets.get_mut(ticker) {
            m.quoting = false;
        }
        let now = self.now;
        let live = SIDES.iter().any(|s| match self.slots.get(ticker, *s) {
            Slot::Live(q) => !q.is_cancelling(now),
            _ => false,
        });
        if !live {
            return Vec::new();
        }
        self.slots.pulling(ticker, now);
        self.counts.pulls += 1;
        vec![Intent::CancelMarket(ticker.clone())]
    }

    /// Whether `ticker` may be quoted under `max_markets`.
    fn admit(&self, ticker: &Ticker) -> bool {
        let max = self.cfg.max_markets;
        max == 0
            || self.is_quoting(ticker)
            || self.markets.values().filter(|m| m.quoting).count() < max
    }

    /// Places, amends or cancels each side of the market of `view` toward its target. The
    /// first time, it starts from a clean slate: orders resting there from before this quoter
    /// (a strategy rebuilt after a panic knows none of them) are cancelled first.
    fn quote(&mut self, view: &MarketView, fair: f64) -> Vec<Intent> {
        let mut out = Vec::new();
        if let Some(m) = self.markets.get_mut(&view.ticker) {
            m.quoting = true;
            if !m.cleared {
                m.cleared = true;
                out.push(Intent::CancelMarket(view.ticker.clone()));
            }
        }
        let top = Top {
            bid: view.book.best_yes_bid().map(|l| l.price),
            ask: view.book.best_yes_ask().map(|l| l.price),
        };
        let targets = pricing::targets(&self.cfg, fair, view.position, top, &view.grid);
        let threshold = (self.cfg.requote_threshold * 1e6).round() as u32;
        for side in SIDES {
            let slot = self.slots.get(&view.ticker, side);
            let step = decide::step(slot, targets.side(side), threshold, view.now);
            out.extend(self.apply(view, side, step));
        }
        out
    }

    /// Turns one side's step into an intent, within the write pace.
    fn apply(&mut self, view: &MarketView, side: BookSide, step: Step) -> Option<Intent> {
        let (ticker, now) = (&view.ticker, view.now);
        let paced = matches!(step, Step::Place(_) | Step::Amend(..));
        if paced && !self.pace.try_write(ticker, side, now) {
            self.counts.writes_deferred += 1;
            return None;
        }
        match step {
            Step::Hold => None,
            Step::Place(t) => {
                self.slots.sent(ticker, side, now);
                self.counts.requotes += 1;
                self.counts.quotes_placed += 1;
                Some(Intent::Place(quote_order(view, side, t)))
            }
            Step::Amend(key, t) => {
                let moved = match self.slots.get(ticker, side) {
                    Slot::Live(q) => q.price != t.price,
                    _ => true,
                };
                self.slots.mark(&key, Busy::Amending, now);
                self.counts.quote_amends += 1;
                self.counts.requotes += u64::from(moved);
                Some(Intent::Amend(AmendIntent {
                    key,
                    price: t.price,
                    remaining: t.count,
                }))
            }
            Step::Cancel(key) => {
                self.slots.mark(&key, Busy::Cancelling, now);
                self.counts.quote_cancels += 1;
                Some(Intent::Cancel(key))
            }
        }
    }

    /// Pulls the market's quotes and sends the order flattening its position, within the pace.
    fn flatten(&mut self, view: &MarketView) -> Vec<Intent> {
        let mut out = self.pull(&view.ticker);
        if let Some(order) = pulls::flatten_order(view)
            && self.pace.try_write(&view.ticker, order.spec.side, view.now)
        {
            self.counts.flattens += 1;
            out.push(Intent::Place(order));
        }
        out
    }
}

/// The post-only, good-till-cancelled quote of `side` at `t`.
fn quote_order(view: &MarketView, side: BookSide, t: Target) -> PlaceIntent {
    PlaceIntent {
        spec: OrderSpec {
            ticker: view.ticker.clone(),
            side,
            price: t.price,
            count: t.count,
            time_in_force: TimeInForce::GoodTillCanceled,
            post_only: true,
            reduce_only: false,
        },
        book_epoch: view.epoch,
    }
}

impl Strategy for Quoter {
    fn on_book(&mut self, view: &MarketView) -> Vec<Intent> {
        self.now = view.now;
        self.slots.expire(view.now);
        self.markets
            .entry(view.ticker.clone())
            .or_default()
            .close_time = Some(view.close_time);
        if pulls::flatten_due(&self.cfg, view.close_time, view.now) {
            return self.flatten(view);
        }
        let fair = match (pulls::reason(&self.cfg, view, self.blackout), view.fair) {
            (None, Some(fair)) => fair,
            _ => return self.pull(&view.ticker),
        };
        if !self.admit(&view.ticker) {
            return Vec::new();
        }
        self.quote(view, fair)
    }

    fn on_book_stale(&mut self, ticker: &Ticker) -> Vec<Intent> {
        self.pull(ticker)
    }

    fn on_order(&mut self, order: &OrderRecord) -> Vec<Intent> {
        let key = match self.slots.observe(order) {
            Observed::Stray(key) => key,
            // Adopted or updated in a market not quoted (pulled meanwhile, or found at start).
            Observed::Tracked if !self.is_quoting(&order.spec.ticker) => {
                match self.slots.get(&order.spec.ticker, order.spec.side) {
                    Slot::Live(q) if !q.is_cancelling(self.now) => q.key.clone(),
                    _ => return Vec::new(),
                }
            }
            _ => return Vec::new(),
        };
        self.slots.mark(&key, Busy::Cancelling, self.now);
        self.counts.quote_cancels += 1;
        vec![Intent::Cancel(key)]
    }

    fn on_refused(&mut self, intent: &Intent, _reason: &str) -> Vec<Intent> {
        match intent {
            Intent::Place(p) if p.spec.post_only => {
                self.slots.place_refused(&p.spec.ticker, p.spec.side);
            }
            Intent::Amend(a) => self.slots.amend_refused(&a.key),
            _ => {}
        }
        Vec::new()
    }

    fn on_timer(&mut self, now: DateTime<Utc>) -> Vec<Intent> {
        self.now = now;
        self.slots.expire(now);
        let closing: Vec<Ticker> = self
            .markets
            .iter()
            .filter(|(_, m)| {
                m.close_time
                    .is_some_and(|c| pulls::closing(&self.cfg, c, now))
            })
            .map(|(t, _)| t.clone())
            .collect();
        closing.iter().flat_map(|t| self.pull(t)).collect()
    }

    fn on_blackout(&mut self, active: bool) -> Vec<Intent> {
        self.blackout = active;
        if !active {
            return Vec::new();
        }
        let mut held = self.slots.markets();
        held.extend(
            self.markets
                .iter()
                .filter(|(_, m)| m.quoting)
                .map(|(t, _)| t.clone()),
        );
        held.sort();
        held.dedup();
        held.iter().flat_map(|t| self.pull(t)).collect()
    }

    fn counters(&self) -> BTreeMap<String, u64> {
        let c = &self.counts;
        [
            ("requotes", c.requotes),
            ("quotes_placed", c.quotes_placed),
            ("quote_amends", c.quote_amends),
            ("quote_cancels", c.quote_cancels),
            ("pulls", c.pulls),
            ("flattens", c.flattens),
            ("writes_deferred", c.writes_deferred),
        ]
        .into_iter()
        .map(|(name, n)| (name.to_owned(), n))
        .collect()
    }
}

#[cfg(test)]
mod tests;
