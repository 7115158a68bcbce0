//! [`Subs`]: one connection's subscriptions and their bookkeeping — sids (from 1 per
//! connection), channels, market filters, sequence numbers, and the publication stamp below
//! which a notice is already contained in what the client was sent. Pure, no I/O.
//!
//! Stamps: a session subscribes to the notice broadcast when it connects, before it reads any
//! snapshot, so every notice published after a read is in its queue. A snapshot read with
//! `Shared::read_core` returns the stamp of the last notice it contains; the ticker's floor is
//! set to that stamp and queued notices for the ticker at or below it are dropped. Channels
//! without snapshots use the stamp at subscribe time the same way, so a subscription sees only
//! what happened after it was made.
//!
//! Sequence numbers: `seq` starts at 1 per sid and rises by one per order-book (or lifecycle)
//! message of that sid. What an acknowledgement (`ok`, `unsubscribed`) of a subscription
//! carries is a reading ([`Subscription::ack_seq`]): as documented, it reports the last number
//! sent without using one (none before the first); under `ws_acks_in_seq` it takes the next.

use std::collections::BTreeMap;

use kalshi::{
    Ticker,
    ws::{Channel, SubscriptionInfo},
};

/// One subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Its id on this connection.
    pub sid: u64,
    /// The channel.
    pub channel: Channel,
    /// Omit the ticker list from `ok` replies.
    pub skip_ticker_ack: bool,
    /// The markets with their stamp floors; `None` for every market.
    markets: Option<BTreeMap<Ticker, u64>>,
    /// Stamp floor of an every-market subscription.
    since: u64,
    /// The last `seq` sent (0 before the first message).
    seq: u64,
}

impl Subscription {
    /// The markets covered, `None` for every market.
    pub fn tickers(&self) -> Option<Vec<Ticker>> {
        self.markets.as_ref().map(|m| m.keys().cloned().collect())
    }

    /// Whether the subscription names `ticker` (false for an every-market subscription).
    pub fn names(&self, ticker: &str) -> bool {
        self.markets
            .as_ref()
            .is_some_and(|m| m.contains_key(ticker))
    }

    /// Adds markets with floor `stamp`; returns the ones that were not there yet. An
    /// every-market subscription is left as it is.
    pub fn add_markets(&mut self, tickers: &[Ticker], stamp: u64) -> Vec<Ticker> {
        let Some(markets) = self.markets.as_mut() else {
            return Vec::new();
        };
        let mut added = Vec::new();
        for t in tickers {
            if !markets.contains_key(t.as_str()) {
                markets.insert(t.clone(), stamp);
                added.push(t.clone());
            }
        }
        added
    }

    /// Removes markets (absent ones are ignored).
    pub fn delete_markets(&mut self, tickers: &[Ticker]) {
        if let Some(markets) = self.markets.as_mut() {
            for t in tickers {
                markets.remove(t.as_str());
            }
        }
    }

    /// Moves a named market's floor to `stamp` (a fresh snapshot was read at that stamp).
    pub fn refresh(&mut self, ticker: &str, stamp: u64) {
        if let Some(floor) = self.markets.as_mut().and_then(|m| m.get_mut(ticker)) {
            *floor = stamp;
        }
    }

    /// Whether the channel numbers its messages (order book, lifecycle).
    pub fn sequenced(&self) -> bool {
        matches!(
            self.channel,
            Channel::OrderbookDelta | Channel::MarketLifecycleV2
        )
    }

    /// The `seq` of an acknowledgement (`ok`, `unsubscribed`) of this subscription.
    ///
    /// Reading (`ws_acks_in_seq`, after a third-party recorder of Kalshi's stream; kalshi-api.md
    /// §6.5 only says `ok` and `unsubscribed` carry a `seq`): when `takes`, the ack takes the
    /// next number of a sequenced channel, so the next message's `seq` is one higher again.
    /// Otherwise, as the simulator always did, it reports the last number sent without using
    /// one, and carries none before the first. A channel whose messages carry no `seq` (fill,
    /// ticker, …) has none to take: its acks carry none either way.
    pub fn ack_seq(&mut self, takes: bool) -> Option<u64> {
        if takes && self.sequenced() {
            self.seq += 1;
        }
        (self.seq > 0).then_some(self.seq)
    }

    /// Whether a notice about `ticker` (none for market-less notices) stamped `stamp` is
    /// for this subscription.
    fn takes(&self, ticker: Option<&str>, stamp: u64) -> bool {
        match (&self.markets, ticker) {
            (None, _) => stamp > self.since,
            (Some(m), Some(t)) => m.get(t).is_some_and(|floor| stamp > *floor),
            (Some(_), None) => false,
        }
    }
}

/// The subscriptions of one connection.
#[derive(Debug)]
pub struct Subs {
    next_sid: u64,
    list: Vec<Subscription>,
}

impl Default for Subs {
    fn default() -> Self {
        Subs {
            next_sid: 1,
            list: Vec::new(),
        }
    }
}

impl Subs {
    /// Adds a subscription to `channel` for `markets` (`None`: every market) as of `stamp`;
    /// returns its new sid.
    pub fn add(
        &mut self,
        channel: Channel,
        markets: Option<&[Ticker]>,
        stamp: u64,
        skip_ticker_ack: bool,
    ) -> u64 {
        let sid = self.next_sid;
        self.next_sid += 1;
        self.list.push(Subscription {
            sid,
            channel,
            skip_ticker_ack,
            markets: markets.map(|ts| ts.iter().map(|t| (t.clone(), stamp)).collect()),
            since: stamp,
            seq: 0,
        });
        sid
    }

    /// Removes a subscription.
    pub fn remove(&mut self, sid: u64) -> Option<Subscription> {
        let i = self.list.iter().position(|s| s.sid == sid)?;
        Some(self.list.remove(i))
    }

    /// Removes every subscription; returns their sids.
    pub fn clear(&mut self) -> Vec<u64> {
        self.list.drain(..).map(|s| s.sid).collect()
    }

    /// A subscription by sid.
    pub fn get(&self, sid: u64) -> Option<&Subscription> {
        self.list.iter().find(|s| s.sid == sid)
    }

    /// The first subscription (lowest sid) to `channel`.
    pub fn first_of(&self, channel: &Channel) -> Option<u64> {
        self.list
            .iter()
            .find(|s| s.channel == *channel)
            .map(|s| s.sid)
    }

    /// A subscription by sid, to change it.
    pub fn get_mut(&mut self, sid: u64) -> Option<&mut Subscription> {
        self.list.iter_mut().find(|s| s.sid == sid)
    }

    /// The `list_subscriptions` reply, by sid.
    pub fn infos(&self) -> Vec<SubscriptionInfo> {
        self.list
            .iter()
            .map(|s| SubscriptionInfo {
                channel: s.channel.clone(),
                sid: s.sid,
            })
            .collect()
    }

    /// Puts into `out` the sids of `channel` that take a notice about `ticker` stamped
    /// `stamp`.
    pub fn matching(
        &self,
        channel: &Channel,
        ticker: Option<&str>,
        stamp: u64,
        out: &mut Vec<u64>,
    ) {
        out.clear();
        out.extend(
            self.list
                .iter()
                .filter(|s| s.channel == *channel && s.takes(ticker, stamp))
                .map(|s| s.sid),
        );
    }

    /// Numbers the next message of `sid` (0 for an unknown sid).
    pub fn next_seq(&mut self, sid: u64) -> u64 {
        self.get_mut(sid).map_or(0, |s| {
            s.seq += 1;
            s.seq
        })
    }

    /// Skips one `seq` number of `sid` (the skip fault).
    pub fn skip_seq(&mut self, sid: u64) {
        if let Some(s) = self.get_mut(sid) {
            s.seq += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Ticker {
        Ticker::new(s).unwrap()
    }

    fn matching(subs: &Subs, channel: Channel, ticker: Option<&str>, stamp: u64) -> Vec<u64> {
        let mut out = Vec::new();
        subs.matching(&channel, ticker, stamp, &mut out);
        out
    }

    #[test]
    fn sids_start_at_one_and_are_never_reused() {
        let mut subs = Subs::default();
        assert_eq!(subs.add(Channel::Ticker, None, 0, false), 1);
        assert_eq!(subs.add(Channel::Trade, None, 0, false), 2);
        assert!(subs.remove(2).is_some());
        assert_eq!(subs.add(Channel::Trade, None, 0, false), 3);
        assert!(subs.remove(9).is_none());
        let sids: Vec<u64> = subs.infos().iter().map(|i| i.sid).collect();
        assert_eq!(sids, vec![1, 3]);
    }

    #[test]
    fn seq_starts_at_one_per_sid_and_skips_by_one() {
        let mut subs = Subs::default();
        let a = subs.add(Channel::OrderbookDelta, Some(&[t("A")]), 0, false);
        let b = subs.add(Channel::OrderbookDelta, Some(&[t("B")]), 0, false);
        assert_eq!(subs.next_seq(a), 1);
        assert_eq!(subs.next_seq(a), 2);
        assert_eq!(subs.next_seq(b), 1);
        subs.skip_seq(a);
        assert_eq!(subs.next_seq(a), 4);
        assert_eq!(subs.get_mut(a).unwrap().ack_seq(false), Some(4));
        assert_eq!(subs.next_seq(99), 0);
    }

    #[test]
    fn acks_report_the_last_seq_or_take_the_next_on_sequenced_channels() {
        let mut subs = Subs::default();
        let book = subs.add(Channel::OrderbookDelta, Some(&[t("A")]), 0, false);
        let fill = subs.add(Channel::Fill, None, 0, false);
        let lc = subs.add(Channel::MarketLifecycleV2, None, 0, false);
        // (sid, takes, messages sent before, the ack's seq, the next message's seq)
        let table = [
            (book, false, 0, None, 1),
            (book, false, 1, Some(2), 3),
            (book, true, 0, Some(4), 5),
            (book, true, 1, Some(7), 8),
            (lc, true, 0, Some(1), 2),
            (lc, false, 0, Some(2), 3),
        ];
        for (row, (sid, takes, sends, ack, next)) in table.into_iter().enumerate() {
            for _ in 0..sends {
                subs.next_seq(sid);
            }
            assert_eq!(subs.get_mut(sid).unwrap().ack_seq(takes), ack, "row {row}");
            assert_eq!(subs.next_seq(sid), next, "row {row}");
        }
        for takes in [true, false] {
            assert_eq!(
                subs.get_mut(fill).unwrap().ack_seq(takes),
                None,
                "no seq to take"
            );
        }
        assert_eq!(subs.first_of(&Channel::OrderbookDelta), Some(book));
        assert_eq!(subs.first_of(&Channel::Ticker), None);
    }

    #[test]
    fn notices_at_or_below_a_markets_floor_are_dropped() {
        let mut subs = Subs::default();
        let sid = subs.add(Channel::OrderbookDelta, Some(&[t("A")]), 10, false);
        let book = Channel::OrderbookDelta;
        assert!(matching(&subs, book.clone(), Some("A"), 10).is_empty());
        assert_eq!(matching(&subs, book.clone(), Some("A"), 11), vec![sid]);
        assert!(matching(&subs, book.clone(), Some("B"), 11).is_empty());
        assert!(matching(&subs, Channel::Ticker, Some("A"), 11).is_empty());

        let sub = subs.get_mut(sid).unwrap();
        assert_eq!(sub.add_markets(&[t("A"), t("B")], 20), vec![t("B")]);
        sub.refresh("A", 30);
        assert!(matching(&subs, book.clone(), Some("B"), 20).is_empty());
        assert_eq!(matching(&subs, book.clone(), Some("B"), 21), vec![sid]);
        assert!(matching(&subs, book.clone(), Some("A"), 30).is_empty());
        assert_eq!(matching(&subs, book, Some("A"), 31), vec![sid]);
    }

    #[test]
    fn every_market_subscriptions_take_everything_after_they_start() {
        let mut subs = Subs::default();
        let all = subs.add(Channel::MarketLifecycleV2, None, 5, false);
        let some = subs.add(Channel::MarketLifecycleV2, Some(&[t("X")]), 5, false);
        let lc = Channel::MarketLifecycleV2;
        assert!(matching(&subs, lc.clone(), Some("Y"), 5).is_empty());
        assert_eq!(matching(&subs, lc.clone(), Some("Y"), 6), vec![all]);
        assert_eq!(matching(&subs, lc.clone(), Some("X"), 6), vec![all, some]);
        assert_eq!(matching(&subs, lc, None, 6), vec![all]);
        assert_eq!(subs.get(all).unwrap().tickers(), None);
    }

    #[test]
    fn deleting_markets_keeps_the_rest_and_ignores_absent_ones() {
        let mut subs = Subs::default();
        let sid = subs.add(Channel::Fill, Some(&[t("A"), t("B")]), 0, false);
        let sub = subs.get_mut(sid).unwrap();
        sub.delete_markets(&[t("A"), t("Z")]);
        assert_eq!(sub.tickers(), Some(vec![t("B")]));
        assert!(sub.names("B") && !sub.names("A"));
        assert_eq!(subs.clear(), vec![sid]);
        assert!(subs.infos().is_empty());
    }
}
