//! Orders: the [`Order`] object of `GET /portfolio/orders[/{order_id}]`, and the V2
//! ("event orders") create and cancel bodies under `/portfolio/events/orders`.
//!
//! V1 order writes (`POST/DELETE /portfolio/orders*`) are dead: they answer
//! `deprecated_v1_order_endpoint`. V2 orders are placed on the **YES book**: `side: bid` buys
//! YES, `side: ask` sells YES (= buys NO at `1 − price`), `price` is the YES price.
//!
//! Source: kalshi-api.md §3.4 (OAS `Order`, `CreateOrderV2Request`,
//! `CreateOrderV2Response`, `CancelOrderV2Response`; TS `OrdersApi.md`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de::{id_or_empty, id_or_none, known_or_none, null_default};
use crate::{
    ClientOrderId, Count, Money, OrderId, Price, Ticker,
    types::{Action, BookSide, OrderStatus, OutcomeSide, SelfTradePrevention, TimeInForce},
};

/// A request body that breaks one of Kalshi's documented rules. The simulator answers
/// `400 invalid_order` with this text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field}: {reason}")]
pub struct BodyError {
    /// The offending field.
    pub field: &'static str,
    /// The rule broken.
    pub reason: String,
}

impl BodyError {
    pub(crate) fn new(field: &'static str, reason: impl Into<String>) -> BodyError {
        BodyError {
            field,
            reason: reason.into(),
        }
    }
}

/// Checks an order price: strictly inside (0, 1) with at most 4 decimals (the market's own
/// grid is checked against its `price_ranges` by whoever holds the market).
pub(crate) fn check_order_price(field: &'static str, price: Price) -> Result<(), BodyError> {
    if price == Price::ZERO || price >= Price::ONE {
        return Err(BodyError::new(field, format!("{price} is outside (0, 1)")));
    }
    if !price.micros().is_multiple_of(100) {
        return Err(BodyError::new(
            field,
            format!("{price} has more than 4 decimals"),
        ));
    }
    Ok(())
}

/// Checks an optional subaccount number (0–63).
pub(crate) fn check_subaccount(subaccount: Option<u32>) -> Result<(), BodyError> {
    match subaccount {
        Some(s) if s > 63 => Err(BodyError::new(
            "subaccount",
            format!("{s} is not in 0..=63"),
        )),
        _ => Ok(()),
    }
}

/// One order as `GET /portfolio/orders` reports it. Statuses are only `resting`, `canceled`
/// and `executed`; a partly filled live order is `resting`. `side`/`action` are deprecated.
///
/// ```json
/// {"order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","user_id":"u-1","client_order_id":"tw-1",
///  "ticker":"KXHIGHNY-26FEB11-B94.5","outcome_side":"yes","book_side":"bid","type":"limit",
///  "status":"resting","yes_price_dollars":"0.5600","no_price_dollars":"0.4400",
///  "fill_count_fp":"2.00","remaining_count_fp":"8.00","initial_count_fp":"10.00", ...}
/// ```
///
/// Source: OAS `Order`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// Exchange id.
    pub order_id: OrderId,
    /// Owner.
    #[serde(default)]
    pub user_id: String,
    /// Client id; `None` for orders placed without one (`""` on the wire, where the field is
    /// required) or by another tool.
    #[serde(
        default,
        deserialize_with = "id_or_none",
        serialize_with = "id_or_empty"
    )]
    pub client_order_id: Option<ClientOrderId>,
    /// The market.
    pub ticker: Ticker,
    /// Outcome bought: `yes` for a bid, `no` for an ask.
    pub outcome_side: OutcomeSide,
    /// YES-book side.
    pub book_side: BookSide,
    /// Vestigial `limit`/`market`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub order_type: Option<String>,
    /// `resting`, `canceled`, `executed`.
    pub status: OrderStatus,
    /// YES price.
    pub yes_price_dollars: Price,
    /// NO price (`1 − yes`).
    pub no_price_dollars: Price,
    /// Contracts filled.
    pub fill_count_fp: Count,
    /// Contracts still resting.
    pub remaining_count_fp: Count,
    /// Contracts ordered.
    pub initial_count_fp: Count,
    /// Taker fees paid.
    pub taker_fees_dollars: Money,
    /// Maker fees paid.
    pub maker_fees_dollars: Money,
    /// Cost of taker fills.
    pub taker_fill_cost_dollars: Money,
    /// Cost of maker fills.
    pub maker_fill_cost_dollars: Money,
    /// Expiry of a GTC order with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<DateTime<Utc>>,
    /// Last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update_time: Option<DateTime<Utc>>,
    /// Self-trade prevention.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_trade_prevention_type: Option<SelfTradePrevention>,
    /// Order group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_group_id: Option<String>,
    /// Canceled when trading pauses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_order_on_pause: Option<bool>,
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

/// `GET /portfolio/orders/{order_id}` (cost 2).
///
/// ```json
/// {"order":{"order_id":"ee587a1c-...",...}}
/// ```
///
/// Source: OAS `GetOrderResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetOrderResponse {
    /// The order.
    pub order: Order,
}

/// `GET /portfolio/orders` → one page.
///
/// ```json
/// {"orders":[{"order_id":"ee587a1c-...",...}],"cursor":""}
/// ```
///
/// Source: OAS `GetOrdersResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetOrdersResponse {
    /// The page.
    #[serde(default, deserialize_with = "null_default")]
    pub orders: Vec<Order>,
    /// Next page's cursor; empty on the last page.
    #[serde(default, deserialize_with = "null_default")]
    pub cursor: String,
}

/// `POST /portfolio/events/orders` body. Required: `ticker, side, count, price,
/// time_in_force, self_trade_prevention_type`. Unknown fields are refused when decoding (the
/// simulator catches V1 fields such as `yes_price` sent to V2).
///
/// ```json
/// {"ticker":"HIGHNY-24JAN01-T60","client_order_id":"8c35ecb3-...","side":"bid","count":"10.00",
///  "price":"0.5600",
///  "time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross",
///  "post_only":false,"cancel_order_on_pause":false,"reduce_only":false,"subaccount":0,
///  "exchange_index":0}
/// ```
///
/// Source: OAS `CreateOrderV2Request`, <https://docs.kalshi.com/openapi.yaml>;
/// TS `docs/CreateOrderV2Request.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateOrderV2Request {
    /// The market.
    pub ticker: Ticker,
    /// Client id, fixed before the first send and reused on retries (409 if it exists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_order_id: Option<ClientOrderId>,
    /// `bid` buys YES, `ask` sells YES.
    pub side: BookSide,
    /// Contracts, at least 0.01.
    pub count: Count,
    /// YES price, on the market's grid, at most 4 decimals.
    pub price: Price,
    /// Required time in force.
    pub time_in_force: TimeInForce,
    /// Required self-trade prevention.
    pub self_trade_prevention_type: SelfTradePrevention,
    /// Expiry, Unix seconds; only with `good_till_canceled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<i64>,
    /// Reject instead of taking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_only: Option<bool>,
    /// Cancel when trading pauses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_order_on_pause: Option<bool>,
    /// Only reduce the position; requires `immediate_or_cancel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reduce_only: Option<bool>,
    /// Subaccount 0–63.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<u32>,
    /// Order group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_group_id: Option<String>,
    /// Shard; omit to route by ticker, −1 forces routing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<i32>,
}

impl CreateOrderV2Request {
    /// A good-till-canceled limit order with `taker_at_cross` self-trade prevention and
    /// every optional field unset.
    pub fn limit(ticker: Ticker, side: BookSide, price: Price, count: Count) -> Self {
        CreateOrderV2Request {
            ticker,
            client_order_id: None,
            side,
            count,
            price,
            time_in_force: TimeInForce::GoodTillCanceled,
            self_trade_prevention_type: SelfTradePrevention::TakerAtCross,
            expiration_time: None,
            post_only: None,
            cancel_order_on_pause: None,
            reduce_only: None,
            subaccount: None,
            order_group_id: None,
            exchange_index: None,
        }
    }

    /// Checks the documented rules that need no market data: count ≥ 0.01, price in (0, 1)
    /// with ≤ 4 decimals, `expiration_time` only with GTC, `reduce_only` only with IOC,
    /// subaccount 0–63, `exchange_index` ≥ −1, a known self-trade prevention.
    pub fn validate(&self) -> Result<(), BodyError> {
        if !self.count.is_positive() {
            return Err(BodyError::new(
                "count",
                format!("{} is below 0.01", self.count),
            ));
        }
        check_order_price("price", self.price)?;
        if self.expiration_time.is_some() && self.time_in_force != TimeInForce::GoodTillCanceled {
            return Err(BodyError::new(
                "expiration_time",
                "only allowed with good_till_canceled",
            ));
        }
        if self.reduce_only == Some(true) && self.time_in_force != TimeInForce::ImmediateOrCancel {
            return Err(BodyError::new(
                "reduce_only",
                "requires immediate_or_cancel",
            ));
        }
        if let SelfTradePrevention::Other(s) = &self.self_trade_prevention_type {
            return Err(BodyError::new(
                "self_trade_prevention_type",
                format!("unknown value {s:?}"),
            ));
        }
        if self.exchange_index.is_some_and(|i| i < -1) {
            return Err(BodyError::new(
                "exchange_index",
                "must be -1 or a shard number",
            ));
        }
        check_subaccount(self.subaccount)
    }
}

/// `POST /portfolio/events/orders` → 201. `remaining_count` of an IOC is after its cancel;
/// the averages appear only once something filled.
///
/// ```json
/// {"order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","client_order_id":"8c35ecb3-...",
///  "fill_count":"4.00",
///  "remaining_count":"6.00","average_fill_price":"0.5550","average_fee_paid":"0.0173",
///  "ts_ms":1770822000123}
/// ```
///
/// Source: OAS `CreateOrderV2Response`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateOrderV2Response {
    /// Exchange id.
    pub order_id: OrderId,
    /// Echoed client id.
    #[serde(
        default,
        deserialize_with = "id_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_order_id: Option<ClientOrderId>,
    /// Contracts filled at once.
    pub fill_count: Count,
    /// Contracts resting.
    pub remaining_count: Count,
    /// Average fill price (YES), when filled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_fill_price: Option<Price>,
    /// Average fee per contract, when filled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_fee_paid: Option<Money>,
    /// Exchange time, Unix milliseconds.
    pub ts_ms: i64,
}

/// `DELETE /portfolio/events/orders/{order_id}?market_ticker=…` → 200 (cost 2). In rare
/// cases the body describes a different order (changelog 2026-05-21); reconcile via the
/// `user_orders` channel.
///
/// ```json
/// {"order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","client_order_id":"tw-1","reduced_by":"8.00",
///  "ts_ms":1770822000456}
/// ```
///
/// Source: OAS `CancelOrderV2Response`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelOrderV2Response {
    /// The order.
    pub order_id: OrderId,
    /// Its client id.
    #[serde(
        default,
        deserialize_with = "id_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_order_id: Option<ClientOrderId>,
    /// Contracts removed from the book.
    pub reduced_by: Count,
    /// Exchange time, Unix milliseconds.
    pub ts_ms: i64,
}
