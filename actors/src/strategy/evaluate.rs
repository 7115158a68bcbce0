//! Asking the strategy about a market: with each fresh book, and again — with the market's
//! last fresh book — when something else about the market changes without a new book: its
//! status or close (a lifecycle event), its fair value (a forecast loaded), or whether the
//! forecast may be traded on at all (it went stale, or a GFS window's end made it old). A
//! quiet market's quotes so follow the forecast and the market's status at once, not at its
//! next book.

use actix::Context;
use kalshi::{Count, Ticker};

use super::{actor::StrategyActor, interface::MarketView};
use crate::{
    market_data::BookUpdated,
    stamps::{PathStamps, Stamp},
};

impl StrategyActor {
    /// Asks the strategy about `msg`'s book (fresh, its market's metadata known).
    pub(super) fn evaluate(&mut self, msg: BookUpdated, ctx: &mut Context<Self>) {
        let Some(priced) = self.markets.get(&msg.ticker) else {
            return;
        };
        let view = MarketView {
            grid: priced.grid.clone(),
            // A stale forecast, or one a GFS window's end made old, is not traded on (the
            // state says so: `idle: forecast stale`, `idle: waiting for a newer forecast`).
            fair: priced.fair.filter(|_| self.forecast_tradable()),
            position: self
                .positions
                .get(&msg.ticker)
                .copied()
                .unwrap_or(Count::ZERO),
            now: self.clock.now(),
            close_time: priced.market.close_time,
            tradable: priced.market.is_tradable(),
            ticker: msg.ticker,
            epoch: msg.epoch,
            book: msg.book,
        };
        self.counters.books_evaluated += 1;
        let intents = self.strategy.on_book(&view);
        let stamps = msg.stamps.with(Stamp::Decided, self.clock.monotonic_ns());
        self.dispatch_stamped(intents, stamps, ctx);
    }

    /// Asks the strategy again about `ticker` with its last fresh book, if it has one.
    pub(super) fn reevaluate(&mut self, ticker: &Ticker, ctx: &mut Context<Self>) {
        if let Some(last) = self.books.get(ticker) {
            let again = BookUpdated {
                stamps: PathStamps::default(),
                ..last.clone()
            };
            self.evaluate(again, ctx);
        }
    }

    /// Asks the strategy again about every market with a fresh book.
    pub(super) fn reevaluate_all(&mut self, ctx: &mut Context<Self>) {
        let tickers: Vec<Ticker> = self.books.keys().cloned().collect();
        for ticker in tickers {
            self.reevaluate(&ticker, ctx);
        }
    }

    /// On the timer: when a forecast was loaded (fair values moved), or the forecast became
    /// tradable or stopped being so since the last look, every market is asked again (with its
    /// new fair value, or without one).
    pub(super) fn check_forecast(&mut self, ctx: &mut Context<Self>) {
        let tradable = self.forecast_tradable();
        let flipped = tradable != self.tradable_seen;
        self.tradable_seen = tradable;
        if std::mem::take(&mut self.repriced) || flipped {
            self.reevaluate_all(ctx);
        }
    }
}
