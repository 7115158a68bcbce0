//! A recorded frame in the replay: the feed's books (snapshots, deltas, sequence gaps), the
//! public trades that reach the strategy's resting orders, lifecycle events (status, close,
//! settlement), and the recording run's own fills (tallied, for comparison).

use std::sync::Arc;

use kalshi::{
    Count, Price, Ticker,
    book::OrderBook,
    rest::Market,
    types::{BookSide, LifecycleEventType, OutcomeSide},
    ws::{BookFrame, Incoming, MarketLifecycle, OrderbookDelta, Trade, decode},
};
use tradewind_actors::{
    feed::books::Applied, market_data::StaleReason, orders::positions::FillRecord,
    strategy::market_status::apply_lifecycle,
};

use super::{Answer, Due, Op, Priced, Replay, Reports, ledger_fill};
use crate::backtest::report::{LedgerEvent, Mark, Settlement};

impl Replay {
    /// A recorded frame, as the feed would take it.
    pub(super) fn frame(&mut self, text: &str) {
        self.tally.frames += 1;
        let Ok(frame) = decode(text) else {
            self.tally.bad_frames += 1;
            return;
        };
        match frame {
            Incoming::OrderbookSnapshot(f) => self.snapshot(f.sid, f.seq, &f.msg),
            Incoming::OrderbookDelta(f) => self.delta(&f),
            Incoming::Ok(ok) => {
                if let (Some(sid), Some(seq)) = (ok.sid, ok.seq) {
                    self.last_seq.insert(sid, seq);
                }
            }
            Incoming::Trade(t) => self.trade(&t.msg),
            Incoming::MarketLifecycle(l) => self.lifecycle(&l.msg),
            Incoming::Fill(f) => self.recorded_fill(&f.msg),
            _ => {}
        }
    }

    /// A market from the recorded metadata: the strategy may trade it from now on.
    pub(super) fn market(&mut self, json: &str) {
        let Ok(m) = serde_json::from_str::<Market>(json) else {
            self.tally.bad_frames += 1;
            return;
        };
        let now = self.now();
        self.venue.list(&m, now);
        self.books.watch(&m.ticker, now);
        let fair = self.forecast.fair_probability(&m, self.strategy_cfg.bias_f);
        let grid = Arc::new(m.price_grid());
        self.markets.insert(
            m.ticker.clone(),
            Priced {
                market: m,
                grid,
                fair,
                position: Count::ZERO,
                recorded_position: Count::ZERO,
                marked: None,
            },
        );
    }

    fn snapshot(&mut self, sid: u64, seq: u64, snap: &kalshi::ws::OrderbookSnapshot<'_>) {
        self.last_seq.insert(sid, seq);
        let now = self.now();
        let ticker = Ticker::new(snap.market_ticker.as_ref()).ok();
        if let Some(t) = &ticker {
            self.books.watch(t, now);
        }
        if let Some(Ok((id, _))) = self.books.apply_snapshot(snap, seq, None, now) {
            self.book_changed(id);
        }
    }

    fn delta(&mut self, f: &BookFrame<OrderbookDelta<'_>>) {
        let gap = self
            .last_seq
            .insert(f.sid, f.seq)
            .is_some_and(|last| f.seq != last + 1);
        let now = self.now();
        if gap {
            self.tally.gaps += 1;
            self.went_stale(&f.msg.market_ticker, StaleReason::Gap);
            return;
        }
        match self.books.apply_delta(&f.msg, f.seq, now) {
            Applied::Updated(id) => self.book_changed(id),
            Applied::Broken(..) => self.went_stale(&f.msg.market_ticker, StaleReason::Integrity),
            Applied::Dropped | Applied::Unwatched => {}
        }
    }

    /// A book went stale: the strategy hears of it, orders priced on it are refused.
    fn went_stale(&mut self, ticker: &str, reason: StaleReason) {
        let Some(stale) = self.books.mark_stale(ticker, reason) else {
            return;
        };
        self.stale_epoch.insert(stale.ticker.clone(), stale.epoch);
        let intents = self.strategy.on_book_stale(&stale.ticker);
        self.dispatch(intents);
    }

    /// A fresh book changed: the venue's copy follows where the strategy rests, a held
    /// market is marked, and the strategy is asked.
    fn book_changed(&mut self, id: u32) {
        let Some(entry) = self.books.get(id) else {
            return;
        };
        let (ticker, book, epoch) = (entry.ticker.clone(), entry.book.clone(), entry.epoch);
        if self.venue.resting(ticker.as_str()) {
            let reports = self.venue.sync_reports(&ticker, &book, self.now());
            self.answer_later(None, Ok(reports));
        }
        self.mark(&ticker, &book);
        let fl = self.bt.feed_latency_ms * 1_000_000;
        if fl == 0 {
            self.evaluate(&ticker, epoch, book);
        } else {
            self.agenda.at(
                self.now_ns + fl,
                Due::Evaluate {
                    ticker,
                    epoch,
                    book,
                },
            );
        }
    }

    /// Reports the mid of a market held (by the backtest or the recording run) when it moved.
    fn mark(&mut self, ticker: &Ticker, book: &OrderBook) {
        let Some(p) = self.markets.get_mut(ticker) else {
            return;
        };
        let (held, held_live) = (!p.position.is_zero(), !p.recorded_position.is_zero());
        if !(held || held_live) {
            return;
        }
        let Some(price) = mid(book).filter(|m| p.marked != Some(*m)) else {
            return;
        };
        p.marked = Some(price);
        let mark = LedgerEvent::Mark(Mark {
            ns: self.now_ns,
            ticker: ticker.clone(),
            price,
        });
        if held_live {
            self.recorded.push(mark.clone());
        }
        if held {
            self.out.push(mark);
        }
    }

    /// A fill of the run that recorded (a trading run with `--record`): kept apart, to
    /// compare the backtest with what that run did.
    fn recorded_fill(&mut self, f: &kalshi::ws::Fill) {
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

    /// A public trade: where the strategy rests in that market, the tape takes it there.
    fn trade(&mut self, t: &Trade) {
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

    /// A lifecycle event: the market's status and close follow; a determination with its
    /// value settles the market at the venue and in the report.
    fn lifecycle(&mut self, e: &MarketLifecycle) {
        let Some(p) = self.markets.get_mut(&e.market_ticker) else {
            return;
        };
        apply_lifecycle(&mut p.market, e);
        if e.event_type == LifecycleEventType::Determined
            && let (Some(result), Some(value)) = (e.result.clone(), e.settlement_value)
        {
            let now = self.now();
            let reports = self.venue.cancel_market(e.market_ticker.as_str(), now);
            self.answer_later(None, Ok(reports));
            self.venue
                .settle(e.market_ticker.as_str(), result, value, now);
            let settle = LedgerEvent::Settle(Settlement {
                ns: self.now_ns,
                ticker: e.market_ticker.clone(),
                value,
            });
            self.recorded.push(settle.clone());
            self.out.push(settle);
        }
        self.reevaluate(&e.market_ticker);
    }

    /// Sends the venue's `result` (to `op`, or news of its own) back to the engine, one order
    /// latency from now.
    pub(super) fn answer_later(&mut self, op: Option<Op>, result: Result<Reports, String>) {
        if let Ok(r) = &result
            && op.is_none()
            && r.fills.is_empty()
            && r.orders.is_empty()
        {
            return;
        }
        let at_ns = self.now_ns;
        let answer = Answer { op, at_ns, result };
        self.agenda
            .at(self.now_ns + self.order_latency_ns(), Due::Answer(answer));
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

/// The mid of the best YES bid and ask (or the one side there is).
pub(super) fn mid(book: &OrderBook) -> Option<Price> {
    let bid = book.best_yes_bid().map(|l| l.price.micros());
    let ask = book.best_yes_ask().map(|l| l.price.micros());
    let m = match (bid, ask) {
        (Some(b), Some(a)) => (b + a) / 2,
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => return None,
    };
    Price::from_micros(m)
}
