//! Orders as the simulated exchange holds them: the validated request ([`OrderRequest`]), the
//! live record ([`SimOrder`]), the refusal a request can earn ([`Reject`]) and the order
//! group orders may share a contracts limit in ([`OrderGroup`], used by `groups`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kalshi::{
    ClientOrderId, Count, Money, OrderId, Price, Ticker,
    types::{BookSide, OrderStatus, SelfTradePrevention, TimeInForce},
};

use super::ids::{AccountIdx, OrderKey};

/// A create request after wire decoding, before any exchange checks.
#[derive(Debug, Clone)]
pub struct OrderRequest {
    /// Market.
    pub ticker: Ticker,
    /// `bid` buys YES, `ask` sells YES (buys NO at `1 − price`).
    pub side: BookSide,
    /// YES price.
    pub price: Price,
    /// Contracts.
    pub count: Count,
    /// Time in force.
    pub time_in_force: TimeInForce,
    /// Refuse the order if it would trade on arrival.
    pub post_only: bool,
    /// Only reduce the position (IOC only).
    pub reduce_only: bool,
    /// Self-trade prevention.
    pub self_trade_prevention: SelfTradePrevention,
    /// Cancel the order when the market pauses.
    pub cancel_order_on_pause: bool,
    /// GTC expiry, Unix seconds.
    pub expiration_ts: Option<i64>,
    /// The client's idempotency key.
    pub client_order_id: Option<ClientOrderId>,
    /// The order group it is placed in.
    pub order_group_id: Option<String>,
}

impl OrderRequest {
    /// A plain good-till-canceled limit order, as the simulator's market makers send.
    pub fn limit(ticker: Ticker, side: BookSide, price: Price, count: Count) -> OrderRequest {
        OrderRequest {
            ticker,
            side,
            price,
            count,
            time_in_force: TimeInForce::GoodTillCanceled,
            post_only: false,
            reduce_only: false,
            self_trade_prevention: SelfTradePrevention::TakerAtCross,
            cancel_order_on_pause: false,
            expiration_ts: None,
            client_order_id: None,
            order_group_id: None,
        }
    }
}

/// A refusal: the HTTP status, Kalshi's lower-snake error code, a human message and, for
/// `invalid_order`, the details saying which rule broke — the shape of Kalshi's order-errors
/// page: `{"error":{"code":"invalid_order","message":"invalid order","details":"post only
/// cross"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// HTTP status to answer with.
    pub status: u16,
    /// Error code string (`invalid_order`, `market_inactive`, ...).
    pub code: &'static str,
    /// What was wrong, for people.
    pub message: String,
    /// Which rule broke, when the code alone does not say.
    pub details: Option<String>,
}

impl Reject {
    /// A refusal with a status, a code and a message.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Reject {
        Reject {
            status,
            code,
            message: message.into(),
            details: None,
        }
    }

    /// 400 `invalid_order` (message `invalid order`) with `details`.
    pub fn invalid(details: impl Into<String>) -> Reject {
        Reject {
            details: Some(details.into()),
            ..Reject::new(400, "invalid_order", "invalid order")
        }
    }

    /// 404 `not_found`.
    pub fn not_found(message: impl Into<String>) -> Reject {
        Reject::new(404, "not_found", message)
    }

    /// The message and the details, for logs and the admin interface.
    pub fn describe(&self) -> String {
        match &self.details {
            Some(d) => format!("{}: {d}", self.message),
            None => self.message.clone(),
        }
    }
}

/// An order's full record: what was asked, what happened, and where it rests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimOrder {
    /// Internal handle.
    pub key: OrderKey,
    /// Exchange id.
    pub order_id: OrderId,
    /// Owning account.
    pub account: AccountIdx,
    /// The client's id, if one was sent.
    pub client_order_id: Option<ClientOrderId>,
    /// Market.
    pub ticker: Ticker,
    /// Book side on the YES leg.
    pub side: BookSide,
    /// YES price.
    pub price: Price,
    /// Contracts asked for, including any amend.
    pub initial_count: Count,
    /// Contracts filled.
    pub fill_count: Count,
    /// Contracts still resting (zero once canceled or executed).
    pub remaining_count: Count,
    /// Status.
    pub status: OrderStatus,
    /// Time in force.
    pub time_in_force: TimeInForce,
    /// Self-trade prevention.
    pub self_trade_prevention: SelfTradePrevention,
    /// Cancel when the market pauses.
    pub cancel_order_on_pause: bool,
    /// GTC expiry, Unix seconds.
    pub expiration_ts: Option<i64>,
    /// Fees paid as taker.
    pub taker_fees: Money,
    /// Fees paid as maker.
    pub maker_fees: Money,
    /// Cost of fills as taker (on this order's own leg).
    pub taker_fill_cost: Money,
    /// Cost of fills as maker (on this order's own leg).
    pub maker_fill_cost: Money,
    /// Arrival time.
    pub created: DateTime<Utc>,
    /// Last change.
    pub updated: DateTime<Utc>,
}

impl SimOrder {
    /// The price this order pays per contract on its own leg: the YES price for a bid, the NO
    /// price (`1 − price`) for an ask.
    pub fn leg_price(&self) -> Price {
        leg_price(self.side, self.price)
    }

    /// True while the order rests on the book.
    pub fn is_resting(&self) -> bool {
        self.status == OrderStatus::Resting
    }
}

/// The per-contract cost of a `side` order at YES price `price`.
pub fn leg_price(side: BookSide, price: Price) -> Price {
    match side {
        BookSide::Bid => price,
        BookSide::Ask => price.complement(),
    }
}

/// Length of the rolling window over which a group's fills count, seconds.
pub const WINDOW_S: i64 = 15;

/// One order group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderGroup {
    /// The group's id.
    pub id: String,
    /// Owner.
    pub account: AccountIdx,
    /// Contracts its orders may fill within the window.
    pub limit: Count,
    /// Whether the limit was reached (or a trigger asked for) since the last reset.
    pub triggered: bool,
    /// Every order placed in it, oldest first.
    pub orders: Vec<OrderKey>,
    /// The owner's fills before this index do not count (made before the creation or the
    /// last reset).
    pub counts_from: usize,
}

/// The groups of an exchange, by id.
pub type Groups = BTreeMap<String, OrderGroup>;
