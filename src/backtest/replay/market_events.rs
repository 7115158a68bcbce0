//! What a recording says of its markets besides their books: the markets themselves (listed
//! at the venue, priced under the forecast), lifecycle events (status, close, pause, and a
//! determination that settles), public trades (the tape, where the strategy rests), and the
//! recording run's own fills (kept apart, for comparison).

use std::sync::Arc;

use kalshi::{
    Count, Ticker,
    rest::Market,
    types::{BookSide, LifecycleEventType, OutcomeSide},
    ws::{MarketLifecycle, Trade},
};
use tradewind_actors::{orders::positions::FillRecord, strategy::market_status::apply_lifecycle};

use super::{Priced, Replay, ledger_fill};
use crate::backtest::report::{LedgerEvent, Settlement};

impl Replay {
    /// A market from the recorded metadata: the strategy may trade it from now on. A market
    /// recorded again (the metadata cache's refresh) updates its metadata and price; the
    /// positions held in it stay.
    pub(super) fn market(&mut self, json: &str) {
        let Ok(m) = serde_json::from_str::<Market>(json) else {
            self.tally.bad_frames += 1;
            return;
        };
        let now = self.now();
        let reports = self.venue.list(&m, now);
        self.answer_later(None, Ok(reports));
        self.books.watch(&m.ticker, now);
        let fair = self.forecast.fair_probability(&m, self.strategy_cfg.bias_f);
        let grid = Arc::new(m.price_grid());
        match self.markets.get_mut(&m.ticker) {
            Some(p) => (p.market, p.grid, p.fair) = (m, grid, fair),
            None => {
                let priced = Priced {
                    market: m,
                    grid,
                    fair,
                    position: Count::ZERO,
                    recorded_position: Count::ZERO,
                    marked: None,
                };
                self.markets.insert(priced.market.ticker.clone(), priced);
            }
        }
    }

    /// A lifecycle event: the market's status and close follow (paused at the venue too); a
    /// determination with its value settles the market at the venue, in the desk and in the
    /// report.
    pub(super) fn lifecycle(&mut self, e: &MarketLifecycle) {
        let Some(p) = self.markets.get_mut(&e.market_ticker) else {
            return;
        };
        apply_lifecycle(&mut p.market, e);
        let now = self.now();
        let ticker = e.market_ticker.as_str();
        let reports = match e.event_type {
            LifecycleEventType::Deactivated => Some(self.venue.pause(ticker, true, now)),
            LifecycleEventType::Activated => Some(self.venue.pause(ticker, false, now)),
            _ => None,
        };
        if let Some(r) = reports {
            self.answer_later(None, Ok(r));
        }
        if e.event_type == LifecycleEventType::Determined
            && let (Some(result), Some(value)) = (e.result.clone(), e.settlement_value)
        {
            let reports = self.venue.cancel_market(ticker, now);
            self.answer_later(None, Ok(reports));
            self.venue.settle(ticker, result, value, now);
            self.settled(&e.market_ticker, value);
        }
        self.reevaluate(&e.market_ticker);
    }

    /// `ticker` settled at `value`: the desk holds nothing there any more (as live, where
    /// reconciliation adopts the exchange's empty position), the report books it.
    fn settled(&mut self, ticker: &Ticker, value: kalshi::Price) {
        self.desk.settle(ticker);
        if let Some(p) = self.markets.get_mut(ticker) {
            p.position = Count::ZERO;
            p.recorded_position = Count::ZERO;
        }
        let settle = LedgerEvent::Settle(Settlement {
            ns: self.now_ns,
            ticker: ticker.clone(),
            value,
        });
        self.recorded.push(settle.clone());
        self.out.push(settle);
    }

    /// A public trade: where the strategy rests in that market, the tape takes it there.
    pub(super) fn trade(&mut self, t: &Trade) {
        let Some(taker) = taker_side(t) else { return };
        if !self.venue.resting(t.market_ticker.as_str()) {
            return;
        }
        let Some(entry) = self.books.by_ticker(t.market_ticker.as_str()) else {
            return;
        };
        let book = entry.book.clone();
        self.tally.trades_replayed += 1;
        let now = self.now();
        let reports = self.venue.trade(
            &t.market_ticker,
            taker,
            t.yes_price_dollars,
            t.count_fp,
            &book,
            now,
        );
        self.answer_later(None, Ok(reports));
    }

    /// A fill of the run that recorded (a trading run with `--record`): kept apart, to
    /// compare the backtest with what that run did.
    pub(super) fn recorded_fill(&mut self, f: &kalshi::ws::Fill) {
        let Some(fill) = FillRecord::from_ws(f, self.now()) else {
            return;
        };
        self.tally.recorded_fills += 1;
        self.tally.recorded_contracts += fill.count;
        if let Some(p) = self.markets.get_mut(&fill.ticker) {
            p.recorded_position += fill.signed_count();
        }
        self.recorded.push(ledger_fill(self.now_ns, &fill));
    }
}

/// The taker's side of a public trade, from whichever field the frame has.
fn taker_side(t: &Trade) -> Option<BookSide> {
    let outcome = |o: OutcomeSide| match o {
        OutcomeSide::Yes => BookSide::Bid,
        OutcomeSide::No => BookSide::Ask,
    };
    t.taker_book_side
        .or_else(|| t.taker_outcome_side.map(outcome))
        .or_else(|| {
            t.taker_side
                .as_deref()
                .and_then(OutcomeSide::from_wire)
                .map(outcome)
        })
}
