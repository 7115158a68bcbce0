//! V2 batches: `POST /portfolio/events/orders/batched` (create, 201) and
//! `DELETE /portfolio/events/orders/batched` (cancel, JSON body). Each item succeeds or fails
//! on its own (`error` per item). Billing is per item (create 10, cancel 2 tokens): batches
//! save round trips, not tokens. The maximum batch size "scales with the write budget"
//! (legacy docs: 20); whether an over-budget batch is refused whole is UNCERTAIN.
//!
//! Source: kalshi-api.md §3.4 (OAS `BatchCreateOrdersV2Request`/`Response`,
//! `BatchCancelOrdersV2Request`/`Response`).

use serde::{Deserialize, Serialize};

use super::{
    de::{id_or_none, null_default},
    orders::{BodyError, CreateOrderV2Request, check_subaccount},
};
use crate::{ClientOrderId, Count, Money, OrderId, Price, Ticker, error::ErrorDetail};

/// Refuses an empty batch or one longer than `max_items`.
fn check_batch_len(len: usize, max_items: usize) -> Result<(), BodyError> {
    if len == 0 || len > max_items {
        return Err(BodyError::new(
            "orders",
            format!("must hold 1 to {max_items} orders, got {len}"),
        ));
    }
    Ok(())
}

/// `POST /portfolio/events/orders/batched` body.
///
/// ```json
/// {"orders":[{"ticker":"KXHIGHNY-26FEB11-B94.5","client_order_id":"tw-2","side":"bid",
///  "count":"5.00","price":"0.4000",
///   "time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross"}]}
/// ```
///
/// Source: OAS `BatchCreateOrdersV2Request`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchCreateOrdersV2Request {
    /// The orders, each a full create body.
    pub orders: Vec<CreateOrderV2Request>,
}

impl BatchCreateOrdersV2Request {
    /// Checks 1..=`max_items` orders and each order's own rules.
    pub fn validate(&self, max_items: usize) -> Result<(), BodyError> {
        check_batch_len(self.orders.len(), max_items)?;
        self.orders
            .iter()
            .try_for_each(CreateOrderV2Request::validate)
    }
}

/// One result of a batch create: the create response's fields, or an `error`.
///
/// ```json
/// {"order_id":"9b0f6b43-0000-4000-8000-000000000002","client_order_id":"tw-2","fill_count":"0.00",
///  "remaining_count":"5.00","ts_ms":1770822001000}
/// {"client_order_id":"tw-3","error":{"code":"insufficient_balance",
///  "message":"insufficient balance"}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchCreateOrderResult {
    /// Exchange id, when placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<OrderId>,
    /// Echoed client id.
    #[serde(
        default,
        deserialize_with = "id_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_order_id: Option<ClientOrderId>,
    /// Contracts filled at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill_count: Option<Count>,
    /// Contracts resting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining_count: Option<Count>,
    /// Average fill price (YES).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_fill_price: Option<Price>,
    /// Average fee per contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_fee_paid: Option<Money>,
    /// Exchange time, Unix milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts_ms: Option<i64>,
    /// Why this order was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

/// `POST …/batched` → 201, one result per order in request order.
///
/// ```json
/// {"orders":[{"order_id":"9b0f…","client_order_id":"tw-2","fill_count":"0.00",
///  "remaining_count":"5.00","ts_ms":1770822001000}]}
/// ```
///
/// Source: OAS `BatchCreateOrdersV2Response`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchCreateOrdersV2Response {
    /// The results.
    #[serde(default, deserialize_with = "null_default")]
    pub orders: Vec<BatchCreateOrderResult>,
}

/// One order to cancel in a batch.
///
/// ```json
/// {"order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","market_ticker":"KXHIGHNY-26FEB11-B94.5"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchCancelOrderItem {
    /// The order.
    pub order_id: OrderId,
    /// Subaccount 0–63.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<u32>,
    /// Shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<i32>,
    /// The order's market, for routing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_ticker: Option<Ticker>,
}

/// `DELETE /portfolio/events/orders/batched` body.
///
/// ```json
/// {"orders":[{"order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa",
///  "market_ticker":"KXHIGHNY-26FEB11-B94.5"}]}
/// ```
///
/// Source: OAS `BatchCancelOrdersV2Request`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchCancelOrdersV2Request {
    /// The orders.
    pub orders: Vec<BatchCancelOrderItem>,
}

impl BatchCancelOrdersV2Request {
    /// Checks 1..=`max_items` orders and their subaccounts.
    pub fn validate(&self, max_items: usize) -> Result<(), BodyError> {
        check_batch_len(self.orders.len(), max_items)?;
        self.orders
            .iter()
            .try_for_each(|o| check_subaccount(o.subaccount))
    }
}

/// One result of a batch cancel; `reduced_by` is `"0.00"` when it errored.
///
/// ```json
/// {"order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","client_order_id":"tw-1","reduced_by":"8.00",
///  "ts_ms":1770822002000}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchCancelOrderResult {
    /// The order.
    pub order_id: OrderId,
    /// Its client id.
    #[serde(
        default,
        deserialize_with = "id_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_order_id: Option<ClientOrderId>,
    /// Contracts removed.
    pub reduced_by: Count,
    /// Exchange time, Unix milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts_ms: Option<i64>,
    /// Why this cancel failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

/// `DELETE …/batched` → 200, one result per order.
///
/// ```json
/// {"orders":[{"order_id":"ee58…","reduced_by":"8.00","ts_ms":1770822002000}]}
/// ```
///
/// Source: OAS `BatchCancelOrdersV2Response`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchCancelOrdersV2Response {
    /// The results.
    #[serde(default, deserialize_with = "null_default")]
    pub orders: Vec<BatchCancelOrderResult>,
}
