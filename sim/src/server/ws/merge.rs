//! The `ws_merge_subscribes` reading: a `subscribe` to `orderbook_delta` on a connection that
//! already has an `orderbook_delta` subscription joins that subscription instead of opening
//! another, as a third-party recorder of Kalshi's stream reports (the documents say only that
//! code 6, "already subscribed", is retired).
//!
//! What the simulator then sends, its choices where the report is silent:
//!
//! - one `ok` answering the `subscribe`'s id, shaped like the `ok` of `update_subscription`
//!   (kalshi-api.md §6.2): the existing `sid`, its `seq` (reporting the last number or taking
//!   the next, as `ws_acks_in_seq` says) and `msg.market_tickers`, the subscription's full list
//!   after the merge — or no list when the new command asked `skip_ticker_ack`;
//! - then an `orderbook_snapshot` of each market that was not in the subscription yet, on the
//!   existing sid, continuing its `seq`. A market it already had gets none: the merge works
//!   like `add_markets`.
//!
//! The subscription joined is the connection's first `orderbook_delta` one (lowest sid); under
//! this reading there is only ever one, unless the switch was turned on while several were
//! open. The other channels of a multi-channel `subscribe` are answered `subscribed` as usual.

use kalshi::{Ticker, rest::OrderbookFp, ws::OkBody};

use super::{frames, handler::Handler};

/// A `subscribe` to merge into an existing subscription.
#[derive(Debug)]
pub struct Merge<'a> {
    /// The command's id.
    pub id: Option<u64>,
    /// Its markets.
    pub markets: &'a [Ticker],
    /// Their books, read at `stamp`.
    pub books: Vec<(Ticker, OrderbookFp)>,
    /// The stamp of the read.
    pub stamp: u64,
    /// The command asked for no ticker list in `ok`.
    pub skip_ack: bool,
}

impl Handler {
    /// The subscription a new `orderbook_delta` subscribe joins, when the reading is on and
    /// there is one.
    pub(super) fn merge_target(&self) -> Option<u64> {
        if !self.readings().ws_merge_subscribes {
            return None;
        }
        self.subs.first_of(&kalshi::ws::Channel::OrderbookDelta)
    }

    /// Adds the command's markets to subscription `sid` and answers `ok`, then snapshots the
    /// markets new to it.
    pub(super) fn merge(&mut self, sid: u64, req: Merge<'_>, out: &mut Vec<String>) {
        let takes = self.readings().ws_acks_in_seq;
        // A held delta of the sid goes out before the `ok`, whose `seq` counts it.
        self.faults.release(Some(sid), out);
        let Some(sub) = self.subs.get_mut(sid) else {
            return;
        };
        let added = sub.add_markets(req.markets, req.stamp);
        let body = match sub.tickers() {
            _ if req.skip_ack => OkBody::Empty,
            list => OkBody::MarketTickers(list.unwrap_or_default()),
        };
        let seq = sub.ack_seq(takes);
        out.push(frames::ok(req.id, Some(sid), seq, body));
        let books = req
            .books
            .into_iter()
            .filter(|(t, _)| added.contains(t))
            .collect();
        self.send_snapshots(sid, books, out);
    }
}
