//! V2 amend and decrease: `POST /portfolio/events/orders/{order_id}/amend` and
//! `…/decrease` (both `?subaccount=`, default cost 10, write bucket).
//!
//! Queue priority on amend: an expiry-only change or a size decrease keeps the order's place;
//! a price change or size increase sends it to the back. Amend's `count` is *filled + desired
//! resting*, not the new resting size.
//!
//! Source: kalshi-api.md §3.4 (OAS `AmendOrderV2Request`, `AmendOrderV2Response`,
//! `DecreaseOrderV2Request`, `DecreaseOrderV2Response`).

use serde::{Deserialize, Serialize};

use super::{
    de::id_or_none,
    orders::{BodyError, check_order_price},
};
use crate::{ClientOrderId, Count, Money, OrderId, Price, Ticker, types::BookSide};

/// `POST /portfolio/events/orders/{order_id}/amend` body. Unknown fields are refused when
/// decoding.
///
/// ```json
/// {"ticker":"KXHIGHNY-26FEB11-B94.5","side":"bid","price":"0.5700","count":"10.00",
///  "client_order_id":"tw-1","updated_client_order_id":"tw-1-a1","expiration_time":0,
///  "exchange_index":0}
/// ```
///
/// Source: OAS `AmendOrderV2Request`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmendOrderV2Request {
    /// The order's market.
    pub ticker: Ticker,
    /// The order's side (unchanged).
    pub side: BookSide,
    /// New YES price.
    pub price: Price,
    /// Already filled + desired resting.
    pub count: Count,
    /// The order's current client id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_order_id: Option<ClientOrderId>,
    /// A new client id for the amended order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_client_order_id: Option<ClientOrderId>,
    /// New expiry, Unix seconds; `0` removes the expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<i64>,
    /// Shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<i32>,
}

impl AmendOrderV2Request {
    /// Checks count ≥ 0.01, price in (0, 1) with ≤ 4 decimals, expiry ≥ 0.
    pub fn validate(&self) -> Result<(), BodyError> {
        if !self.count.is_positive() {
            return Err(BodyError::new(
                "count",
                format!("{} is below 0.01", self.count),
            ));
        }
        check_order_price("price", self.price)?;
        if self.expiration_time.is_some_and(|t| t < 0) {
            return Err(BodyError::new(
                "expiration_time",
                "must be 0 or a Unix time",
            ));
        }
        Ok(())
    }
}

/// `POST …/amend` → 200. Fill fields appear when the new price crossed.
///
/// ```json
/// {"order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","client_order_id":"tw-1-a1",
///  "remaining_count":"8.00",
///  "fill_count":"2.00","average_fill_price":"0.5700","average_fee_paid":"0.0172",
///  "ts_ms":1770822000789}
/// ```
///
/// Source: OAS `AmendOrderV2Response`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendOrderV2Response {
    /// The order (rarely a different one: reconcile via WS).
    pub order_id: OrderId,
    /// Its client id.
    #[serde(
        default,
        deserialize_with = "id_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_order_id: Option<ClientOrderId>,
    /// Contracts resting now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining_count: Option<Count>,
    /// Contracts filled by the amend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill_count: Option<Count>,
    /// Average fill price (YES).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_fill_price: Option<Price>,
    /// Average fee per contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_fee_paid: Option<Money>,
    /// Exchange time, Unix milliseconds.
    pub ts_ms: i64,
}

/// `POST /portfolio/events/orders/{order_id}/decrease` body: exactly one of `reduce_by` and
/// `reduce_to`. Unknown fields are refused when decoding.
///
/// ```json
/// {"reduce_by":"2.00","market_ticker":"KXHIGHNY-26FEB11-B94.5"}
/// ```
///
/// Source: OAS `DecreaseOrderV2Request`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecreaseOrderV2Request {
    /// Remove this many resting contracts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reduce_by: Option<Count>,
    /// Leave this many resting contracts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reduce_to: Option<Count>,
    /// Shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<i32>,
    /// The order's market, for routing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_ticker: Option<Ticker>,
}

impl DecreaseOrderV2Request {
    /// Checks that exactly one of `reduce_by` (> 0) and `reduce_to` (≥ 0) is set.
    pub fn validate(&self) -> Result<(), BodyError> {
        match (self.reduce_by, self.reduce_to) {
            (Some(_), Some(_)) | (None, None) => Err(BodyError::new(
                "reduce_by",
                "exactly one of reduce_by and reduce_to is required",
            )),
            (Some(by), None) if !by.is_positive() => {
                Err(BodyError::new("reduce_by", format!("{by} is below 0.01")))
            }
            (None, Some(to)) if to.is_negative() => {
                Err(BodyError::new("reduce_to", format!("{to} is negative")))
            }
            _ => Ok(()),
        }
    }
}

/// `POST …/decrease` → 200.
///
/// ```json
/// {"order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","client_order_id":"tw-1",
///  "remaining_count":"6.00","ts_ms":1770822000999}
/// ```
///
/// Source: OAS `DecreaseOrderV2Response`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecreaseOrderV2Response {
    /// The order.
    pub order_id: OrderId,
    /// Its client id.
    #[serde(
        default,
        deserialize_with = "id_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_order_id: Option<ClientOrderId>,
    /// Contracts resting now.
    pub remaining_count: Count,
    /// Exchange time, Unix milliseconds.
    pub ts_ms: i64,
}
