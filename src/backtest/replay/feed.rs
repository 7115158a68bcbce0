//! A recorded frame in the replay, as the feed takes it: decoded, its books kept (snapshots,
//! deltas, sequence gaps), a held market marked when its mid moves, the strategy asked about a
//! fresh book; the other frames go to `market_events`.

use kalshi::{
    Price, Ticker,
    book::OrderBook,
    ws::{BookFrame, Incoming, OrderbookDelta, decode},
};
use tradewind_actors::{feed::books::Applied, market_data::StaleReason};

use super::{Due, Replay};
use crate::backtest::report::{LedgerEvent, Mark};

impl Replay {
    /// A recorded frame, as the feed would take it.
    pub(super) fn frame(&mut self, text: &str) {
        self.tally.frames += 1;
        let Ok(frame) = decode(text) else {
            self.tally.bad_frames += 1;
            return;
        };
        self.incoming(&frame);
    }

    /// A decoded frame, as the feed would take it.
    pub(super) fn incoming(&mut self, frame: &Incoming<'_>) {
        match frame {
            Incoming::OrderbookSnapshot(f) => self.snapshot(f.sid, f.seq, &f.msg),
            Incoming::OrderbookDelta(f) => self.delta(f),
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
        if self.warming {
            return;
        }
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
        if held {
            let mark = tradewind_actors::orders::positions::Mark {
                yes_bid: book.best_yes_bid().map(|l| l.price),
                yes_ask: book.best_yes_ask().map(|l| l.price),
            };
            self.desk.set_mark(ticker, mark);
            self.check_loss();
        }
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
