//! Messages the feed publishes and the actors that consume market data exchange: the watch
//! list the feed follows, conflated book states with their epochs, staleness and resync
//! notices, connection events, and the account's fills, order updates and market lifecycle
//! events. They live here rather than in one receiver's file because several actors receive
//! them (strategy, order manager, metadata cache, root); each receiver gets a
//! `Recipient<...>` at start, so tests can put a probe in its place.

use std::{collections::BTreeSet, sync::Arc, time::Duration};

use actix::Message;
use chrono::{DateTime, Utc};
use kalshi::{
    Ticker,
    book::OrderBook,
    ws::{Fill, MarketLifecycle, UserOrder},
};

use crate::stamps::PathStamps;

/// The markets to stream books for; replaces the previous set. Sent by the metadata cache
/// (or by config and tests). The feed remembers it across reconnects.
#[derive(Debug, Clone, PartialEq, Eq, Message)]
#[rtype(result = "()")]
pub struct SetWatchlist {
    /// Market tickers.
    pub tickers: BTreeSet<Ticker>,
}

/// The latest state of a synced book. Conflated: a slow consumer receives the newest state of
/// each ticker, never a backlog, and never a partly applied one.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct BookUpdated {
    /// Market.
    pub ticker: Ticker,
    /// Changes on every resync; an intent priced on an old epoch was priced on an old book.
    pub epoch: u64,
    /// `seq` of the last message applied.
    pub seq: u64,
    /// The book (immutable; share it freely).
    pub book: Arc<OrderBook>,
    /// Exchange timestamp of the last update applied, ms, when the exchange sent one.
    pub exchange_ts_ms: Option<i64>,
    /// When the last update was received locally.
    pub received_at: DateTime<Utc>,
    /// The last update's frame received and book applied stamps (the order path's start).
    pub stamps: PathStamps,
}

/// Why a book cannot be vouched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleReason {
    /// A `seq` was skipped.
    Gap,
    /// A `seq` came twice.
    Duplicate,
    /// A `seq` went backwards.
    OutOfOrder,
    /// A delta would have made a level negative.
    Integrity,
    /// The connection was lost; every book waits for its snapshot.
    Reconnect,
    /// The exchange reported the subscription dead (error 10, 17 or 25).
    SubscriptionError,
    /// The market left the watch list: no more updates will come for it.
    Unwatched,
}

/// A book went stale: no `BookUpdated` for it until `BookResynced`. Consumers pull their
/// quotes on it.
#[derive(Debug, Clone, PartialEq, Eq, Message)]
#[rtype(result = "()")]
pub struct BookStale {
    /// Market.
    pub ticker: Ticker,
    /// The epoch that went stale.
    pub epoch: u64,
    /// Why.
    pub reason: StaleReason,
}

/// A fresh snapshot arrived: the book is synced again under a new epoch (a `BookUpdated`
/// with that epoch follows).
#[derive(Debug, Clone, PartialEq, Eq, Message)]
#[rtype(result = "()")]
pub struct BookResynced {
    /// Market.
    pub ticker: Ticker,
    /// The new epoch.
    pub epoch: u64,
}

/// The connection's life, as events.
#[derive(Debug, Clone, PartialEq, Eq, Message)]
#[rtype(result = "()")]
pub enum FeedEvent {
    /// Connected and subscribed.
    Connected,
    /// The connection ended.
    Disconnected {
        /// What ended it.
        reason: String,
    },
    /// Waiting before reconnect attempt `attempt`.
    Reconnecting {
        /// 1 for the first retry after a loss.
        attempt: u32,
        /// How long until it.
        delay: Duration,
    },
}

/// A fill on the account (WebSocket `fill`), for the order manager.
#[derive(Debug, Clone, PartialEq, Message)]
#[rtype(result = "()")]
pub struct FillReceived {
    /// The fill as Kalshi sent it.
    pub fill: Fill,
    /// When it was received.
    pub received_at: DateTime<Utc>,
}

/// An order update on the account (WebSocket `user_order`), for the order manager.
#[derive(Debug, Clone, PartialEq, Message)]
#[rtype(result = "()")]
pub struct UserOrderReceived {
    /// The order as Kalshi sent it.
    pub order: UserOrder,
    /// When it was received.
    pub received_at: DateTime<Utc>,
}

/// A market lifecycle event (`market_lifecycle_v2`), for the metadata cache, the order manager
/// and the strategy.
#[derive(Debug, Clone, PartialEq, Message)]
#[rtype(result = "()")]
pub struct LifecycleReceived {
    /// The event as Kalshi sent it.
    pub event: MarketLifecycle,
    /// When it was received.
    pub received_at: DateTime<Utc>,
}
