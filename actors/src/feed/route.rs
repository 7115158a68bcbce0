//! What each decoded frame does: order-book frames go through the `seq` check into the books
//! and out through the conflator; command replies go to the subscription bookkeeping, whose
//! [`Plan`]s are carried out here; account and lifecycle frames are forwarded.
//!
//! An `ok`'s `seq` is checked as an acknowledgement ([`super::seq::SeqTracker::ack`]) before
//! the bookkeeping sees the reply, so a gap it reveals concerns the markets the sid served
//! before it (not those an add or a merge brings, whose snapshots are on their way). An
//! `unsubscribed` ends its sid: nothing after it can be missing, so its `seq` is not checked.
//!
//! A frame that does not decode is counted, logged with its payload (truncated) and skipped;
//! a frame of an unknown `type` is counted and ignored. Neither ends the connection.

use actix::{ActorFutureExt, AsyncContext, Context, WrapFuture};
use kalshi::{
    Ticker,
    ws::{BookFrame, Incoming, OrderbookDelta, OrderbookSnapshot, decode},
};
use tracing::{debug, warn};

use super::{
    Feed,
    books::{Applied, SeqCheck},
    metrics::FrameKind,
    seq::AckCheck,
    subs::Plan,
};
use crate::{
    market_data::{
        BookResynced, BookStale, BookUpdated, FillReceived, LifecycleReceived, StaleReason,
        UserOrderReceived,
    },
    stamps::{PathStamps, Stamp},
};

/// Longest payload quoted in a log line.
const LOG_PAYLOAD: usize = 200;

/// The start of `s`, at most [`LOG_PAYLOAD`] bytes, cut on a character boundary.
fn truncated(s: &str) -> &str {
    let mut end = s.len().min(LOG_PAYLOAD);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
impl Feed {
    /// One text frame.
    pub(super) fn on_text(&mut self, bytes: &[u8], ctx: &mut Context<Self>) {
        self.frame_ns = self.now_ns();
        self.counters.bytes += bytes.len() as u64;
        let Ok(text) = std::str::from_utf8(bytes) else {
            return self.bad_frame("text frame is not UTF-8", bytes);
        };
        match decode(text) {
            Ok(Incoming::OrderbookDelta(f)) => self.on_delta(&f, ctx),
            Ok(other) => self.on_other(other, ctx),
            Err(e) => {
                self.counters.decode_errors += 1;
                warn!(error = %e.source, payload = %e.payload, "undecodable frame skipped");
            }
        }
    }

    /// A frame that cannot be read: counted, logged (truncated), skipped.
    pub(super) fn bad_frame(&mut self, what: &str, bytes: &[u8]) {
        self.counters.decode_errors += 1;
        let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(LOG_PAYLOAD)]);
        warn!(what, payload = %shown, len = bytes.len(), "bad frame skipped");
    }

    fn on_other(&mut self, frame: Incoming<'_>, ctx: &mut Context<Self>) {
        let kind = match &frame {
            Incoming::Unknown(_) => FrameKind::Unknown,
            known => FrameKind::of(known.kind()),
        };
        self.counters.messages.add(kind);
        let plan = match frame {
            Incoming::OrderbookSnapshot(f) => return self.on_snapshot(&f, ctx),
            Incoming::Subscribed(s) => self.subs.on_subscribed(s.id, &s.subscription),
            Incoming::Ok(ok) => {
                if let (Some(sid), Some(seq)) = (ok.sid, ok.seq) {
                    self.on_ack(sid, seq);
                }
                self.subs.on_ok(&ok)
            }
            Incoming::Unsubscribed(u) => self.subs.on_unsubscribed(u.sid),
            Incoming::Error(e) => {
                warn!(id = ?e.id, code = %e.code, msg = %e.message, market = ?e.market_ticker,
                    "error from the exchange");
                self.subs.on_error(&e)
            }
            other => return self.forward(other),
        };
        self.execute(plan);
    }

    /// Account and lifecycle frames go to their listeners; the rest is ignored.
    fn forward(&self, frame: Incoming<'_>) {
        let received_at = self.clock.now();
        match frame {
            Incoming::Fill(f) => self.peers.fill(FillReceived {
                fill: f.msg,
                received_at,
            }),
            Incoming::UserOrder(o) => self.peers.user_order(UserOrderReceived {
                order: o.msg,
                received_at,
            }),
            Incoming::MarketLifecycle(l) => self.peers.lifecycle(LifecycleReceived {
                event: l.msg,
                received_at,
            }),
            Incoming::Unknown(u) => {
                debug!(kind = %u.kind, raw = truncated(&u.raw), "frame of an unknown type ignored");
            }
            _ => {}
        }
    }

    fn on_delta(&mut self, f: &BookFrame<OrderbookDelta<'_>>, ctx: &mut Context<Self>) {
        self.counters.messages.add(FrameKind::OrderbookDelta);
        match self.books.seqs.check(f.sid, f.seq) {
            SeqCheck::InOrder => {}
            SeqCheck::UnknownSid => return,
            anomaly => return self.anomaly(f.sid, anomaly, &f.msg.market_ticker, false),
        }
        let now = self.clock.now();
        if let Some(ts) = f.msg.ts_ms {
            // Saturating: `ts_ms` comes from the wire.
            let us = now
                .timestamp_micros()
                .saturating_sub(ts.saturating_mul(1000))
                .max(0) as u64;
            self.timings.exchange_delay.record_us(us);
        }
        match self.books.apply_delta(&f.msg, f.seq, now) {
            Applied::Updated(id) => {
                self.stamp_applied(id);
                self.conflator.touch(id);
                self.pump(ctx);
            }
            Applied::Dropped => self.counters.dropped_while_stale += 1,
            Applied::Unwatched => {}
            Applied::Broken(id, e) => {
                self.counters.integrity_errors += 1;
                warn!(sid = f.sid, seq = f.seq, error = %e, "integrity error; resyncing the book");
                if let Some(entry) = self.books.get(id) {
                    let (ticker, epoch) = (entry.ticker.clone(), entry.epoch);
                    self.tell_stale(ticker.clone(), epoch, StaleReason::Integrity);
                    let plan = self.subs.snapshot(f.sid, vec![ticker]);
                    self.execute(plan);
                }
            }
        }
    }

    /// Stamps book `id` with the frame at hand's arrival and the time it was applied.
    fn stamp_applied(&mut self, id: super::books::BookId) {
        let stamps = PathStamps::default()
            .with(Stamp::FrameReceived, self.frame_ns)
            .with(Stamp::BookApplied, self.now_ns());
        self.books.stamp(id, stamps);
    }

    fn on_snapshot(&mut self, f: &BookFrame<OrderbookSnapshot<'_>>, ctx: &mut Context<Self>) {
        let ticker = &f.msg.market_ticker;
        match self.books.seqs.check(f.sid, f.seq) {
            SeqCheck::InOrder => {}
            SeqCheck::UnknownSid => return,
            gap @ SeqCheck::Gap { .. } => self.anomaly(f.sid, gap, ticker, true),
            anomaly => return self.anomaly(f.sid, anomaly, ticker, false),
        }
        let synced_before = self.books.by_ticker(ticker).is_some_and(|e| e.epoch > 0);
        match self
            .books
            .apply_snapshot(&f.msg, f.seq, f.sending_ts_ms, self.clock.now())
        {
            None => {}
            Some(Ok((id, epoch))) => {
                self.stamp_applied(id);
                self.counters.snapshots += 1;
                if synced_before {
                    self.counters.resyncs += 1;
                }
                let ticker = self.books.get(id).map(|e| e.ticker.clone());
                if let Some(ticker) = ticker {
                    self.peers.resynced(&BookResynced { ticker, epoch });
                }
                self.conflator.touch(id);
                self.pump(ctx);
                self.check_recovered();
            }
            Some(Err(e)) => {
                self.counters.integrity_errors += 1;
                warn!(%ticker, error = %e, "invalid snapshot; the book stays stale");
            }
        }
    }

    /// The `seq` of an acknowledgement of `sid`: in order whether it reports the last number
    /// or takes the next; an anomaly is handled like a message's (it names no market).
    fn on_ack(&mut self, sid: u64, seq: u64) {
        match self.books.seqs.ack(sid, seq) {
            AckCheck::Reports => {}
            AckCheck::Takes => self.counters.acks_in_seq += 1,
            AckCheck::Anomaly(check) => self.anomaly(sid, check, "", false),
        }
    }

    /// A `seq` anomaly on `sid`. A gap may have lost a message of any market of the sid: all
    /// of them go stale and are snapshotted again (except `ticker` when `ticker_resyncs`: its
    /// snapshot is the frame at hand). A duplicate or a late number concerns the frame's own
    /// market, which is snapshotted unless it already waits for one.
    fn anomaly(&mut self, sid: u64, check: SeqCheck, ticker: &str, ticker_resyncs: bool) {
        let Some(reason) = check.reason() else { return };
        match check {
            SeqCheck::Gap { .. } => self.counters.gaps += 1,
            SeqCheck::Duplicate => self.counters.duplicates += 1,
            _ => self.counters.out_of_order += 1,
        }
        warn!(sid, ?check, market = ticker, "sequence anomaly");
        let mut tickers = match check {
            SeqCheck::Gap { .. } => self.subs.members(sid),
            _ if self.books.is_requested(ticker) => Vec::new(),
            _ => self
                .books
                .by_ticker(ticker)
                .map(|e| e.ticker.clone())
                .into_iter()
                .collect(),
        };
        for t in &tickers {
            if let Some(w) = self.books.mark_stale(t, reason) {
                self.tell_stale(w.ticker, w.epoch, reason);
            }
        }
        if ticker_resyncs {
            tickers.retain(|t| t.as_str() != ticker);
        }
        let plan = self.subs.snapshot(sid, tickers);
        self.execute(plan);
    }

    fn tell_stale(&self, ticker: Ticker, epoch: u64, reason: StaleReason) {
        self.peers.stale(&BookStale {
            ticker,
            epoch,
            reason,
        });
    }

    /// Carries out a subscription plan.
    pub(super) fn execute(&mut self, plan: Plan) {
        for sid in plan.closed {
            self.books.seqs.close(sid);
        }
        for (sid, after) in plan.opened {
            self.books.seqs.open(sid, after);
        }
        self.counters.merged_subscribes += plan.merged;
        for t in &plan.lost {
            if let Some(w) = self.books.mark_stale(t, StaleReason::SubscriptionError) {
                self.tell_stale(w.ticker, w.epoch, StaleReason::SubscriptionError);
            }
        }
        let now = self.now_ns();
        for t in &plan.requested {
            self.books.requested(t, now);
        }
        self.counters.snapshot_requests += plan.requested.len() as u64;
        for cmd in &plan.commands {
            self.send_command(cmd);
        }
        if plan.ready {
            tracing::info!(books = self.books.len(), "subscribed");
            self.peers.event(&crate::market_data::FeedEvent::Connected);
        }
    }

    /// Starts a delivery on every idle consumer lane: the next queued book that is fresh, as
    /// it is now.
    pub(super) fn pump(&mut self, ctx: &mut Context<Self>) {
        for lane in 0..self.conflator.lanes() {
            while let Some(id) = self.conflator.next(lane) {
                let Some(e) = self.books.get(id).filter(|e| e.fresh) else {
                    self.conflator.skip(lane);
                    continue;
                };
                let msg = BookUpdated {
                    ticker: e.ticker.clone(),
                    epoch: e.epoch,
                    seq: e.seq,
                    book: e.book.clone(),
                    exchange_ts_ms: e.exchange_ts_ms,
                    received_at: e.received_at,
                    stamps: e.stamps,
                };
                let Some(consumer) = self.peers.books.get(lane) else {
                    break;
                };
                let sent = consumer.updated.send(msg);
                self.counters.deliveries += 1;
                ctx.spawn(sent.into_actor(self).map(move |_, act, ctx| {
                    act.conflator.done(lane);
                    act.pump(ctx);
                }));
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn log_payloads_are_cut_on_character_boundaries() {
        let long = "é".repeat(150);
        let cut = super::truncated(&long);
        assert_eq!(cut.len(), 200);
        assert_eq!(super::truncated("short"), "short");
        let odd = format!("x{long}");
        assert_eq!(super::truncated(&odd).len(), 199);
    }
}
