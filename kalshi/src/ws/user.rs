//! This account's private data messages: `fill`, `user_order` and `market_position`
//! (kalshi-api.md §6.6; <https://docs.kalshi.com/websockets/user-fills>, `/user-orders`,
//! `/market-positions>`).
//!
//! These are owned types (they are rare next to book deltas, and the order manager keeps
//! them). Fields the docs list without a `?` and that the order manager cannot do without are
//! required; deprecated, shard and timestamp fields are optional (`#[serde(default)]`), so a
//! frame that lacks one still decodes. Echoed client order ids are plain strings: an id set
//! by another tool must not make a fill undecodable. Unknown extra fields are ignored.

use serde::{Deserialize, Serialize};

use crate::{
    ids::{OrderId, Ticker},
    num::{Count, Money, Price},
    types::{Action, BookSide, OrderStatus, OutcomeSide, SelfTradePrevention},
};

/// `fill`: one of this account's orders traded.
/// `{"type":"fill","sid":13,"msg":{"trade_id":"d91bc706-...","order_id":"ee587a1c-...",
/// "market_ticker":"HIGHNY-22DEC23-B53.5","is_taker":true,"yes_price_dollars":"0.7500",
/// "count_fp":"278.00","outcome_side":"yes","book_side":"bid",...},"sending_ts_ms":...}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fill {
    /// The trade (a UUID).
    pub trade_id: String,
    /// The order that filled.
    pub order_id: OrderId,
    /// The order's client id, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_order_id: Option<String>,
    /// The market.
    pub market_ticker: Ticker,
    /// The exchange shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<u32>,
    /// True when this order took liquidity.
    pub is_taker: bool,
    /// Legacy side (`yes`/`no`), kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
    /// The YES price of the trade.
    pub yes_price_dollars: Price,
    /// Contracts traded.
    pub count_fp: Count,
    /// Fee charged, in dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_cost: Option<Money>,
    /// Legacy action: `buy`, `sell`, `sell_partial`, `sell_to_close` or `""`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// The position after this fill (+ YES, − NO).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_position_fp: Option<Count>,
    /// The outcome bought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchased_side: Option<OutcomeSide>,
    /// The outcome this order is long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_side: Option<OutcomeSide>,
    /// The YES-book side of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub book_side: Option<BookSide>,
    /// Deprecated time in Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts: Option<i64>,
    /// Time in Unix milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts_ms: Option<i64>,
    /// The subaccount, when not the primary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<u32>,
}

/// `user_order`: the new state of one of this account's orders.
/// `{"type":"user_order","sid":5,"msg":{"order_id":"ee587a1c-...","ticker":"FED-23DEC-T3.00",
/// "status":"resting","yes_price_dollars":"0.3500","fill_count_fp":"0.00",
/// "remaining_count_fp":"10.00",...}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserOrder {
    /// The order.
    pub order_id: OrderId,
    /// The account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The market (named `ticker` here, not `market_ticker`).
    pub ticker: Ticker,
    /// `resting`, `canceled` or `executed`.
    pub status: OrderStatus,
    /// Legacy side (`yes`/`no`), kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
    /// Deprecated: true for a YES order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_yes: Option<bool>,
    /// The outcome this order is long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_side: Option<OutcomeSide>,
    /// The YES-book side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub book_side: Option<BookSide>,
    /// The limit price on the YES leg.
    pub yes_price_dollars: Price,
    /// Contracts filled so far.
    pub fill_count_fp: Count,
    /// Contracts still resting (zero once canceled or executed).
    pub remaining_count_fp: Count,
    /// The original size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_count_fp: Option<Count>,
    /// Cost of the taker fills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taker_fill_cost_dollars: Option<Money>,
    /// Cost of the maker fills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maker_fill_cost_dollars: Option<Money>,
    /// Taker fees paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taker_fees_dollars: Option<Money>,
    /// Maker fees paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maker_fees_dollars: Option<Money>,
    /// The client order id, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_order_id: Option<String>,
    /// The order group, when in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_group_id: Option<String>,
    /// Self-trade prevention mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_trade_prevention_type: Option<SelfTradePrevention>,
    /// Creation time, Unix milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_ts_ms: Option<i64>,
    /// Last update time, Unix milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_ts_ms: Option<i64>,
    /// Expiry, Unix milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_ts_ms: Option<i64>,
    /// The subaccount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subaccount_number: Option<u32>,
    /// The exchange shard (since 2026-08-27).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<u32>,
}

/// `market_position`: this account's position in one market changed.
///
/// The March-2026 page has integer centi-cent amounts (`position_cost`, `realized_pnl`,
/// `fees_paid`, `position_fee_cost`; 1 centi-cent = $0.0001); the newest page says amounts
/// are now `_dollars` strings without naming them. Both are read: the `*_dollars` names here
/// are this crate's guess (**UNCERTAIN**), and the accessors prefer them when present.
/// `{"type":"market_position","sid":14,"msg":{"user_id":"user123","market_ticker":"FED-23DEC-T3.00",
/// "position":100,"position_fp":"100.00","position_cost":500000,...}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketPosition {
    /// The account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The market.
    pub market_ticker: Ticker,
    /// Legacy integer position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
    /// Position (+ YES, − NO).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position_fp: Option<Count>,
    /// Cost of the position, centi-cents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position_cost: Option<i64>,
    /// Realized P&L, centi-cents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realized_pnl: Option<i64>,
    /// Fees paid, centi-cents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees_paid: Option<i64>,
    /// Fees of the open position, centi-cents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position_fee_cost: Option<i64>,
    /// Cost of the position (newer dollar form; name **UNCERTAIN**).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position_cost_dollars: Option<Money>,
    /// Realized P&L (newer dollar form; name **UNCERTAIN**).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realized_pnl_dollars: Option<Money>,
    /// Fees paid (newer dollar form; name **UNCERTAIN**).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees_paid_dollars: Option<Money>,
    /// Legacy integer volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<i64>,
    /// Contracts traded in this market.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_fp: Option<Count>,
    /// The subaccount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<u32>,
}

/// Centi-cents ($0.0001) as money.
fn centicents(v: i64) -> Money {
    Money::from_micros(v.saturating_mul(100))
}

impl MarketPosition {
    /// Cost of the position: the dollar field, else the centi-cent one.
    pub fn cost(&self) -> Option<Money> {
        self.position_cost_dollars
            .or(self.position_cost.map(centicents))
    }

    /// Realized P&L: the dollar field, else the centi-cent one.
    pub fn realized_pnl(&self) -> Option<Money> {
        self.realized_pnl_dollars
            .or(self.realized_pnl.map(centicents))
    }

    /// Fees paid: the dollar field, else the centi-cent one.
    pub fn fees(&self) -> Option<Money> {
        self.fees_paid_dollars.or(self.fees_paid.map(centicents))
    }

    /// The position: `position_fp`, else the legacy integer.
    pub fn count(&self) -> Option<Count> {
        self.position_fp.or(self.position.map(Count::from_whole))
    }
}
