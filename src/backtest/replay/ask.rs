//! Asking the strategy, as the strategy actor does: a fresh book with the market's view; the
//! market's last fresh book again when its status changes or its fair value does (a forecast
//! taken, checked on the timer); the timer itself; blackout edges from the schedule.

use std::sync::Arc;

use kalshi::{Ticker, book::OrderBook};
use tradewind_actors::{
    orders::gate::blackout_block,
    strategy::{MarketView, forecast::Forecast, state::stale_after},
};

use super::{Due, Replay};

impl Replay {
    /// Asks the strategy about a fresh book of `ticker` (its metadata known).
    pub(super) fn evaluate(&mut self, ticker: &Ticker, epoch: u64, book: Arc<OrderBook>) {
        if self.warming {
            return;
        }
        let tradable = self.forecast_tradable();
        let Some(p) = self.markets.get(ticker) else {
            return;
        };
        let view = MarketView {
            ticker: ticker.clone(),
            epoch,
            book,
            grid: p.grid.clone(),
            fair: p.fair.filter(|_| tradable),
            position: p.position,
            now: self.now(),
            close_time: p.market.close_time,
            tradable: p.market.is_tradable(),
        };
        self.tally.books_evaluated += 1;
        let intents = self.strategy.on_book(&view);
        self.dispatch(intents);
    }

    /// Asks again about `ticker` with its book, if fresh.
    pub(super) fn reevaluate(&mut self, ticker: &Ticker) {
        let Some(e) = self.books.by_ticker(ticker.as_str()).filter(|e| e.fresh) else {
            return;
        };
        let (epoch, book) = (e.epoch, e.book.clone());
        self.evaluate(ticker, epoch, book);
    }

    /// The strategy's timer: the forecast looked at (every market asked again when it moved
    /// or its tradability flipped), then `on_timer`.
    pub(super) fn timer(&mut self) {
        self.agenda.at(self.now_ns + self.timer_ns(), Due::Timer);
        let reports = self.venue.tick(self.now());
        self.answer_later(None, Ok(reports));
        let tradable = self.forecast_tradable();
        let flipped = tradable != self.tradable_seen;
        self.tradable_seen = tradable;
        if std::mem::take(&mut self.repriced) || flipped {
            let mut tickers: Vec<Ticker> = self.markets.keys().cloned().collect();
            tickers.sort();
            for t in tickers {
                self.reevaluate(&t);
            }
        }
        let intents = self.strategy.on_timer(self.now());
        self.dispatch(intents);
    }

    /// A forecast known from `at_ns` on, taken now: every market is priced under it (its age
    /// counts from `at_ns`).
    pub(super) fn take_forecast(&mut self, f: Forecast, at_ns: u64) {
        self.tally.forecasts += 1;
        self.forecast = f;
        self.forecast_at = Some(at_ns);
        self.repriced = true;
        for p in self.markets.values_mut() {
            p.fair = self
                .forecast
                .fair_probability(&p.market, self.strategy_cfg.bias_f);
        }
    }

    /// The kill switch's condition, looked at after every mark and fill: the daily loss limit
    /// reached halts new orders, and cancels the resting ones (`orders.cancel_on_halt`).
    pub(super) fn check_loss(&mut self) {
        if self.halted.is_some() || !self.desk.loss_limit_hit(self.now()) {
            return;
        }
        self.halted = Some("max_daily_loss_dollars: today's P&L reached the limit".into());
        self.tally.halted = true;
        if self.orders_cfg.cancel_on_halt {
            self.cancel_everything();
        }
    }

    /// Whether the forecast may be traded on: one was taken and it is not stale.
    fn forecast_tradable(&self) -> bool {
        let Some(at) = self.forecast_at else {
            return false;
        };
        let max = stale_after(&self.strategy_cfg.forecast)
            .and_then(|d| d.num_nanoseconds())
            .and_then(|n| u64::try_from(n).ok());
        max.is_none_or(|max| self.now_ns.saturating_sub(at) <= max)
    }

    /// A blackout edge (or the start): the gate's verdict is renewed, the strategy told of a
    /// change, and the next edge put on the agenda.
    pub(super) fn blackout_edge(&mut self) {
        let now = self.now();
        let state = self.schedule.state_at(now);
        let block = blackout_block(Some(&state), false, now);
        let was = self.blackout.is_some();
        self.blackout = block;
        if was != self.blackout.is_some() {
            if self.blackout.is_some() && self.orders_cfg.cancel_on_blackout {
                self.cancel_everything();
            }
            let intents = self.strategy.on_blackout(self.blackout.is_some());
            self.dispatch(intents);
        }
        if let Some(next) = self.schedule.next_transition(now)
            && let Some(ns) = next
                .timestamp_nanos_opt()
                .and_then(|n| u64::try_from(n).ok())
        {
            self.agenda.at(ns, Due::Blackout);
        }
    }
}
