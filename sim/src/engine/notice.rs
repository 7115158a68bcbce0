//! [`Notice`]: what the exchange core tells the outside world after each operation — book
//! deltas, trades, fills, order and position updates, ticker changes and lifecycle events.
//! The WebSocket layer turns them into Kalshi frames for the connections subscribed to them.

use chrono::{DateTime, Utc};
use kalshi::{
    ClientOrderId, Count, Money, OrderId, Price, Ticker,
    types::{BookSide, LifecycleEventType, MarketResult, OutcomeSide},
};

use super::{
    account::{FillRecord, Position},
    book::public_level,
    ids::AccountIdx,
    order::SimOrder,
};

/// One change the exchange made, in the order it made them.
#[derive(Debug, Clone)]
pub enum Notice {
    /// A public book level changed size.
    BookDelta {
        /// Market.
        ticker: Ticker,
        /// Public side (YES bids or NO bids).
        side: OutcomeSide,
        /// Leg price of the level.
        price: Price,
        /// Signed size change.
        delta: Count,
        /// The account whose order changed the level, and that order's client id.
        cause: Option<(AccountIdx, Option<ClientOrderId>)>,
        /// When.
        ts: DateTime<Utc>,
    },
    /// A trade printed.
    Trade {
        /// Trade id.
        trade_id: String,
        /// Market.
        ticker: Ticker,
        /// YES price.
        yes_price: Price,
        /// Contracts.
        count: Count,
        /// The taker's side.
        taker_side: BookSide,
        /// When.
        ts: DateTime<Utc>,
    },
    /// One side of a trade, for the owning account.
    Fill {
        /// Owner.
        account: AccountIdx,
        /// The fill.
        fill: FillRecord,
        /// The filled order's id.
        order_id: OrderId,
        /// The filled order's client id.
        client_order_id: Option<ClientOrderId>,
    },
    /// An order changed (created, filled, amended, decreased, canceled).
    OrderUpdate {
        /// Owner.
        account: AccountIdx,
        /// The order after the change.
        order: Box<SimOrder>,
    },
    /// A position changed.
    PositionUpdate {
        /// Owner.
        account: AccountIdx,
        /// Market.
        ticker: Ticker,
        /// The position after the change.
        position: Position,
    },
    /// A market's top of book, last price or volume changed.
    TickerUpdate(TickerSnapshot),
    /// A market lifecycle event (`market_lifecycle_v2`).
    Lifecycle(LifecycleNotice),
}

impl Notice {
    /// The book change of `order`'s level by `delta` (signed), caused by that order.
    pub(super) fn book_delta(order: &SimOrder, delta: Count, ts: DateTime<Utc>) -> Notice {
        let (side, price) = public_level(order.side, order.price);
        Notice::BookDelta {
            ticker: order.ticker.clone(),
            side,
            price,
            delta,
            cause: Some((order.account, order.client_order_id.clone())),
            ts,
        }
    }
}

/// The `ticker` channel's view of a market.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TickerSnapshot {
    /// Market.
    pub ticker: Ticker,
    /// Last trade price.
    pub last_price: Price,
    /// Best YES bid (0 when none).
    pub yes_bid: Price,
    /// Best YES ask (1 when none).
    pub yes_ask: Price,
    /// Size at the best YES bid.
    pub yes_bid_size: Count,
    /// Size at the best YES ask.
    pub yes_ask_size: Count,
    /// Size of the last trade.
    pub last_trade_size: Count,
    /// Contracts traded.
    pub volume: Count,
    /// Open interest.
    pub open_interest: Count,
    /// Dollars traded.
    pub dollar_volume: Money,
    /// When.
    pub ts: DateTime<Utc>,
}

/// A lifecycle event and the fields Kalshi sends with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleNotice {
    /// What happened.
    pub event_type: LifecycleEventType,
    /// Market.
    pub ticker: Ticker,
    /// Opening time (Unix seconds), on `created`.
    pub open_ts: Option<i64>,
    /// Closing time (Unix seconds), on `created` and `close_date_updated`.
    pub close_ts: Option<i64>,
    /// Result, on `determined`.
    pub result: Option<MarketResult>,
    /// Determination time (Unix seconds), on `determined`.
    pub determination_ts: Option<i64>,
    /// YES settlement value, on `determined` and `settled`.
    pub settlement_value: Option<Price>,
    /// Settlement time (Unix seconds), on `settled`.
    pub settled_ts: Option<i64>,
    /// Whether the market is now paused, on `activated`/`deactivated`.
    pub is_deactivated: Option<bool>,
}

impl LifecycleNotice {
    /// A notice with only the event type and ticker set.
    pub fn new(event_type: LifecycleEventType, ticker: Ticker) -> LifecycleNotice {
        LifecycleNotice {
            event_type,
            ticker,
            open_ts: None,
            close_ts: None,
            result: None,
            determination_ts: None,
            settlement_value: None,
            settled_ts: None,
            is_deactivated: None,
        }
    }
}
