//! [`Subs`]: which markets the feed watches and which subscriptions this connection holds —
//! pure bookkeeping that turns changes and server replies into commands ([`Plan`]).
//!
//! - The **watched set** outlives connections: after a reconnect every market in it is
//!   subscribed again.
//! - Markets are spread over `orderbook_delta` subscriptions of at most `cap` markets each, so
//!   a gap in one subscription's `seq` costs only its markets a snapshot. One more
//!   subscription carries `fill`, `user_orders` and `market_lifecycle_v2` for every market.
//!   An exchange may merge a second `orderbook_delta` subscribe into the first subscription
//!   and answer it `ok` (a reported reading): the markets then belong to that sid, which can
//!   grow past `cap` (`replies.rs`).
//! - Changing the watched set changes subscriptions in place (`update_subscription`
//!   `add_markets` / `delete_markets`; `unsubscribe` for one left empty); nothing reconnects.
//!   One membership command is in flight per subscription at a time; each reply reconciles
//!   again, so the subscriptions converge on the watched set whatever order things happen in.
//! - Replies (`replies.rs`): `error` 16 (market not found) to a subscribe or add rejects that
//!   market (the rest are subscribed again at once); another refusal rejects all the command's
//!   markets. Rejected markets are tried again on the next connection or when their snapshot
//!   deadline passes ([`Subs::resubscribe`]) — a slow retry, never a loop. A refused
//!   `get_snapshot` falls back to re-creating the subscription. Codes 10, 17 and 25 mean a subscription
//!   died: the one the reply names is re-created, or — an `error` without an id cannot be
//!   traced — all of them, once.
//!
//! Command ids start at 1 on each connection.

mod converge;
mod replies;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use kalshi::{
    Ticker,
    ws::{Channel, Command, UpdateAction, WsErrorCode},
};

/// The account and lifecycle channels, subscribed for every market.
pub const USER_CHANNELS: [Channel; 3] = [
    Channel::Fill,
    Channel::UserOrders,
    Channel::MarketLifecycleV2,
];

/// What to do after a change or a reply.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    /// Commands to send, in order.
    pub commands: Vec<Command>,
    /// Sids opened, each with the `seq` its stream is already past (0 for a `subscribed`
    /// sid, whose first message is 1).
    pub opened: Vec<(u64, u64)>,
    /// `subscribe`s the exchange merged into a subscription already open (answered `ok`).
    pub merged: u64,
    /// Sids this connection no longer follows.
    pub closed: Vec<u64>,
    /// Watched markets whose subscription was lost: stale until subscribed again.
    pub lost: Vec<Ticker>,
    /// Markets a snapshot is now on its way for (subscribe, add, `get_snapshot`).
    pub requested: Vec<Ticker>,
    /// Every subscription sent at connect has been answered (reported once per connection).
    pub ready: bool,
}

/// One `orderbook_delta` subscription.
#[derive(Debug)]
struct BookSub {
    sid: Option<u64>,
    tickers: BTreeSet<Ticker>,
    /// The membership command in flight.
    busy: Option<u64>,
}

/// A command waiting for its reply.
#[derive(Debug)]
enum Pending {
    Subscribe(u64),
    User { remaining: usize },
    Add(u64, Vec<Ticker>),
    Delete(u64),
    Snapshot(u64),
    Unsubscribe,
}

/// One connection's subscriptions.
#[derive(Debug, Default)]
struct Conn {
    next_id: u64,
    next_key: u64,
    books: BTreeMap<u64, BookSub>,
    user_sids: Vec<u64>,
    pending: HashMap<u64, Pending>,
    /// Initial commands not answered yet; `None` once reported ready.
    initial: Option<BTreeSet<u64>>,
    /// Commands of a resubscribe-all not answered yet.
    resubscribing: BTreeSet<u64>,
    /// Sids this connection unsubscribed (a connection never reuses a sid).
    closed: BTreeSet<u64>,
}

/// The watched set and this connection's subscriptions.
#[derive(Debug)]
pub struct Subs {
    cap: usize,
    watched: BTreeSet<Ticker>,
    rejected: BTreeMap<Ticker, WsErrorCode>,
    conn: Option<Conn>,
    /// The channels subscribed for every market: [`USER_CHANNELS`], and `trade` when asked.
    user: Vec<Channel>,
}

impl Subs {
    /// Watches `watched`, at most `cap` markets per subscription; not connected.
    pub fn new(cap: usize, watched: BTreeSet<Ticker>) -> Subs {
        Subs {
            cap: cap.max(1),
            watched,
            rejected: BTreeMap::new(),
            conn: None,
            user: USER_CHANNELS.to_vec(),
        }
    }

    /// Also subscribes every market's public trades (`trade`: for a recording, whose backtest
    /// fills resting orders from them).
    pub fn with_public_trades(mut self) -> Subs {
        self.user.push(Channel::Trade);
        self
    }

    /// The watched markets.
    pub fn watched(&self) -> &BTreeSet<Ticker> {
        &self.watched
    }

    /// Markets the exchange refused on this connection, with the code.
    pub fn rejected(&self) -> &BTreeMap<Ticker, WsErrorCode> {
        &self.rejected
    }

    /// Subscriptions on the connection: `(orderbook_delta, other)`.
    pub fn counts(&self) -> (usize, usize) {
        self.conn
            .as_ref()
            .map_or((0, 0), |c| (c.books.len(), c.user_sids.len()))
    }

    /// A connection is up: subscribe everything.
    pub fn connect(&mut self) -> Plan {
        self.rejected.clear();
        self.conn = Some(Conn {
            next_id: 1,
            ..Conn::default()
        });
        let mut plan = Plan::default();
        self.subscribe_user(&mut plan);
        self.reconcile(&mut plan);
        if let Some(c) = self.conn.as_mut() {
            c.initial = Some(plan.commands.iter().map(|c| c.id).collect());
        }
        plan
    }

    /// The connection ended: its subscriptions are gone.
    pub fn disconnect(&mut self) {
        self.conn = None;
    }

    /// Replaces the watched set; changes the subscriptions in place when connected.
    pub fn set_watched(&mut self, watched: BTreeSet<Ticker>) -> Plan {
        self.rejected.retain(|t, _| watched.contains(t));
        self.watched = watched;
        let mut plan = Plan::default();
        self.reconcile(&mut plan);
        plan
    }

    /// The markets of the subscription `sid` that the exchange already serves on it.
    pub fn members(&self, sid: u64) -> Vec<Ticker> {
        let Some(c) = &self.conn else {
            return Vec::new();
        };
        let Some((key, sub)) = c.books.iter().find(|(_, s)| s.sid == Some(sid)) else {
            return Vec::new();
        };
        let adding: &[Ticker] = match sub.busy.and_then(|id| c.pending.get(&id)) {
            Some(Pending::Add(k, ts)) if k == key => ts,
            _ => &[],
        };
        sub.tickers
            .iter()
            .filter(|t| !adding.contains(t))
            .cloned()
            .collect()
    }

    /// Asks for fresh snapshots of `tickers` on subscription `sid`.
    pub fn snapshot(&mut self, sid: u64, tickers: Vec<Ticker>) -> Plan {
        let mut plan = Plan::default();
        let Some(c) = self.conn.as_mut() else {
            return plan;
        };
        let Some(key) = c
            .books
            .iter()
            .find(|(_, s)| s.sid == Some(sid))
            .map(|(k, _)| *k)
        else {
            return plan;
        };
        if tickers.is_empty() {
            return plan;
        }
        let id = c.id();
        plan.commands.push(Command::update(
            id,
            sid,
            UpdateAction::GetSnapshot,
            tickers.clone(),
        ));
        plan.requested = tickers;
        c.pending.insert(id, Pending::Snapshot(key));
        plan
    }

    /// Re-creates the subscriptions holding any of `tickers` (snapshots that never came), and
    /// tries again those of them the exchange refused: the slow retry of a refusal.
    pub fn resubscribe(&mut self, tickers: &[Ticker]) -> Plan {
        let mut plan = Plan::default();
        for t in tickers {
            self.rejected.remove(t);
        }
        let Some(c) = &self.conn else { return plan };
        let keys: Vec<u64> = c
            .books
            .iter()
            .filter(|(_, s)| tickers.iter().any(|t| s.tickers.contains(t)))
            .map(|(k, _)| *k)
            .collect();
        for key in keys {
            self.drop_sub(key, &mut plan);
        }
        self.reconcile(&mut plan);
        plan
    }
}

#[cfg(test)]
mod merge_tests;
#[cfg(test)]
mod tests;
