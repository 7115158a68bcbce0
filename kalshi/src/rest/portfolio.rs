//! Portfolio REST responses (all signed): balance, positions, fills, settlements.
//!
//! Units are mixed (kalshi-api.md §8.7): `balance`, `portfolio_value` and settlement
//! `revenue`/`value` are **integer cents** (read through [`crate::num::money::cents`]); every
//! other amount is a dollar string — `balance_breakdown[].balance` too, though it shares the
//! cents field's name; `Fill.created_time` and `last_updated_ts` are RFC 3339.
//!
//! Source: kalshi-api.md §3.3 (OAS `GetBalanceResponse`, `MarketPosition`, `EventPosition`,
//! `Fill`, `Settlement`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de::{known_or_none, null_default};
use crate::{
    Count, EventTicker, Money, OrderId, Price, Ticker,
    num::money::cents,
    types::{Action, BookSide, MarketResult, OutcomeSide},
};

/// `GET /portfolio/balance`. Prefer `balance_dollars`: the legacy `balance` truncates
/// sub-cent amounts.
///
/// ```json
/// {"balance":100000,"balance_dollars":"1000.0000","portfolio_value":25000,"updated_ts":1770822000,
///  "balance_breakdown":[{"exchange_index":0,"balance":"1000.0000"}]}
/// ```
///
/// Source: OAS `GetBalanceResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetBalanceResponse {
    /// Available balance, integer cents (floored).
    #[serde(with = "cents")]
    pub balance: Money,
    /// Available balance, exact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_dollars: Option<Money>,
    /// Value of open positions, integer cents.
    #[serde(with = "cents")]
    pub portfolio_value: Money,
    /// Last balance update, Unix time as an integer (seconds, UNCERTAIN: the spec says only
    /// "int"); 0 when absent.
    #[serde(default)]
    pub updated_ts: i64,
    /// Balance per exchange shard.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub balance_breakdown: Vec<BalanceBreakdown>,
}

impl GetBalanceResponse {
    /// The exact balance: `balance_dollars` when sent, else the cents field.
    pub fn exact_balance(&self) -> Money {
        self.balance_dollars.unwrap_or(self.balance)
    }
}

/// One shard's balance (OAS `IndexedBalance`): a fixed-point dollar string, unlike the
/// top-level integer-cent `balance` (the SDK types it `string`).
///
/// ```json
/// {"exchange_index":0,"balance":"900.0000"}
/// ```
///
/// Source: OAS `IndexedBalance`, `kalshi/tests/fixtures/kalshi-openapi.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceBreakdown {
    /// The shard.
    pub exchange_index: i32,
    /// Its balance in dollars.
    pub balance: Money,
}

/// A position in one market. `position_fp` > 0 is long YES, < 0 long NO.
///
/// ```json
/// {"ticker":"KXHIGHNY-26FEB11-B94.5","total_traded_dollars":"56.0000","position_fp":"100.00",
///  "market_exposure_dollars":"56.0000","realized_pnl_dollars":"0.0000",
///  "fees_paid_dollars":"1.7300",
///  "last_updated_ts":"2026-02-11T15:00:00Z","exchange_index":0}
/// ```
///
/// Source: OAS `MarketPosition`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketPosition {
    /// The market.
    pub ticker: Ticker,
    /// Dollars traded in this market.
    pub total_traded_dollars: Money,
    /// Signed contracts: + YES, − NO.
    pub position_fp: Count,
    /// Cost of the open position.
    pub market_exposure_dollars: Money,
    /// Realized profit and loss.
    pub realized_pnl_dollars: Money,
    /// Fees paid.
    pub fees_paid_dollars: Money,
    /// Last change (RFC 3339).
    pub last_updated_ts: DateTime<Utc>,
    /// The shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<i32>,
}

/// Positions aggregated per event.
///
/// ```json
/// {"event_ticker":"KXHIGHNY-26FEB11","total_cost_dollars":"56.0000",
///  "total_cost_shares_fp":"100.00",
///  "event_exposure_dollars":"56.0000","realized_pnl_dollars":"0.0000",
///  "fees_paid_dollars":"1.7300"}
/// ```
///
/// Source: OAS `EventPosition`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPosition {
    /// The event.
    pub event_ticker: EventTicker,
    /// Total cost.
    pub total_cost_dollars: Money,
    /// Contracts bought.
    pub total_cost_shares_fp: Count,
    /// Open exposure.
    pub event_exposure_dollars: Money,
    /// Realized profit and loss.
    pub realized_pnl_dollars: Money,
    /// Fees paid.
    pub fees_paid_dollars: Money,
}

/// `GET /portfolio/positions` → one page.
///
/// ```json
/// {"market_positions":[...],"event_positions":[...],"cursor":""}
/// ```
///
/// Source: OAS `GetPositionsResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetPositionsResponse {
    /// Per-market positions.
    #[serde(default, deserialize_with = "null_default")]
    pub market_positions: Vec<MarketPosition>,
    /// Per-event positions.
    #[serde(default, deserialize_with = "null_default")]
    pub event_positions: Vec<EventPosition>,
    /// Next page's cursor; empty on the last page.
    #[serde(default, deserialize_with = "null_default")]
    pub cursor: String,
}

/// One fill of one of the account's orders. `side`/`action` are deprecated; read
/// `outcome_side`/`book_side`. REST fills carry no `client_order_id` (3.31).
///
/// ```json
/// {"fill_id":"f1","trade_id":"f1","order_id":"ee587a1c-...","ticker":"KXHIGHNY-26FEB11-B94.5",
///  "market_ticker":"KXHIGHNY-26FEB11-B94.5","outcome_side":"yes","book_side":"bid",
///  "count_fp":"10.00",
///  "yes_price_dollars":"0.5600","no_price_dollars":"0.4400","is_taker":true,"fee_cost":"0.1733",
///  "created_time":"2026-02-11T15:00:00.123Z","ts":1770822000,"exchange_index":0}
/// ```
///
/// Source: OAS `Fill`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fill {
    /// Fill id.
    pub fill_id: String,
    /// Same as `fill_id`.
    #[serde(default)]
    pub trade_id: String,
    /// The order filled.
    pub order_id: OrderId,
    /// The market.
    pub ticker: Ticker,
    /// Same as `ticker`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_ticker: Option<Ticker>,
    /// The outcome bought (`yes` for a bid, `no` for an ask).
    pub outcome_side: OutcomeSide,
    /// The YES-book side of the order.
    pub book_side: BookSide,
    /// Contracts filled.
    pub count_fp: Count,
    /// YES price.
    pub yes_price_dollars: Price,
    /// NO price.
    pub no_price_dollars: Price,
    /// Whether the order took liquidity.
    pub is_taker: bool,
    /// Fee in dollars.
    pub fee_cost: Money,
    /// Fill time (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<DateTime<Utc>>,
    /// Fill time, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts: Option<i64>,
    /// Subaccount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subaccount_number: Option<u32>,
    /// The shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<i32>,
    /// Deprecated outcome side; a value this crate does not know reads as `None`.
    #[serde(
        default,
        deserialize_with = "known_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub side: Option<OutcomeSide>,
    /// Deprecated action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
}

/// `GET /portfolio/fills` → one page.
///
/// ```json
/// {"fills":[{"fill_id":"f1",...}],"cursor":""}
/// ```
///
/// Source: OAS `GetFillsResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetFillsResponse {
    /// The page.
    #[serde(default, deserialize_with = "null_default")]
    pub fills: Vec<Fill>,
    /// Next page's cursor; empty on the last page.
    #[serde(default, deserialize_with = "null_default")]
    pub cursor: String,
}

/// One settled market of the account. `revenue` and `value` are integer cents.
///
/// ```json
/// {"ticker":"KXHIGHNY-26FEB11-B94.5","event_ticker":"KXHIGHNY-26FEB11","market_result":"yes",
///  "yes_count_fp":"100.00","yes_total_cost_dollars":"56.0000","no_count_fp":"0.00",
///  "no_total_cost_dollars":"0.0000","revenue":10000,"settled_time":"2026-02-12T15:00:00Z",
///  "fee_cost":"0.0000","value":100,"exchange_index":0}
/// ```
///
/// Source: OAS `Settlement`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    /// The market.
    pub ticker: Ticker,
    /// Its event.
    pub event_ticker: EventTicker,
    /// `yes`, `no` or `scalar`.
    pub market_result: MarketResult,
    /// YES contracts held at settlement.
    pub yes_count_fp: Count,
    /// What they cost.
    pub yes_total_cost_dollars: Money,
    /// NO contracts held at settlement.
    pub no_count_fp: Count,
    /// What they cost.
    pub no_total_cost_dollars: Money,
    /// Payout, integer cents.
    #[serde(with = "cents")]
    pub revenue: Money,
    /// Settlement time.
    pub settled_time: DateTime<Utc>,
    /// Settlement fee in dollars.
    pub fee_cost: Money,
    /// Payout per YES contract, integer cents.
    #[serde(
        default,
        with = "cents::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<Money>,
    /// The shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<i32>,
}

/// `GET /portfolio/settlements` → one page.
///
/// ```json
/// {"settlements":[{"ticker":"KXHIGHNY-26FEB11-B94.5",...}],"cursor":""}
/// ```
///
/// Source: OAS `GetSettlementsResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetSettlementsResponse {
    /// The page.
    #[serde(default, deserialize_with = "null_default")]
    pub settlements: Vec<Settlement>,
    /// Next page's cursor; empty on the last page.
    #[serde(default, deserialize_with = "null_default")]
    pub cursor: String,
}
