//! Resting orders seen from the book (signed): an order's place in its price level's queue —
//! the contracts ahead of it in time priority, 0 for the first in line —
//! `GET /portfolio/orders/{order_id}/queue_position` and
//! `GET /portfolio/orders/queue_positions`; and the value held by all resting orders,
//! `GET /portfolio/summary/total_resting_order_value`.
//!
//! Source: `kalshi/tests/fixtures/kalshi-openapi.json` (`GetOrderQueuePositionResponse`,
//! `OrderQueuePosition`, `GetOrderQueuePositionsResponse`,
//! `GetPortfolioRestingOrderTotalValueResponse`); kalshi-api.md §3.4 (0-indexed positions).

use serde::{Deserialize, Serialize};

use super::{de::null_default, portfolio::BalanceBreakdown};
use crate::{Count, Money, OrderId, Ticker, num::money::cents};

/// `GET /portfolio/orders/{order_id}/queue_position`.
///
/// ```json
/// {"queue_position_fp":"12.00"}
/// ```
///
/// Source: OAS `GetOrderQueuePositionResponse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetOrderQueuePositionResponse {
    /// Contracts ahead of the order at its price.
    pub queue_position_fp: Count,
}

/// One resting order's place in its queue.
///
/// ```json
/// {"order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","market_ticker":"KXHIGHNY-26FEB11-B94.5",
///  "queue_position_fp":"0.00"}
/// ```
///
/// Source: OAS `OrderQueuePosition`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderQueuePosition {
    /// The order.
    pub order_id: OrderId,
    /// Its market.
    pub market_ticker: Ticker,
    /// Contracts ahead of it at its price.
    pub queue_position_fp: Count,
}

/// `GET /portfolio/orders/queue_positions`.
///
/// ```json
/// {"queue_positions":[{"order_id":"ee587a1c-...","market_ticker":"...","queue_position_fp":"0.00"}]}
/// ```
///
/// Source: OAS `GetOrderQueuePositionsResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetOrderQueuePositionsResponse {
    /// Every resting order the filters select.
    #[serde(default, deserialize_with = "null_default")]
    pub queue_positions: Vec<OrderQueuePosition>,
}

/// `GET /portfolio/summary/total_resting_order_value`: integer cents in total, dollar strings
/// per shard.
///
/// ```json
/// {"total_resting_order_value":1250,
///  "resting_order_value_breakdown":[{"exchange_index":0,"balance":"12.5000"}]}
/// ```
///
/// Source: OAS `GetPortfolioRestingOrderTotalValueResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetPortfolioRestingOrderTotalValueResponse {
    /// What the resting orders would pay if they filled, integer cents (floored).
    #[serde(with = "cents")]
    pub total_resting_order_value: Money,
    /// The same per exchange shard, exact.
    #[serde(default, deserialize_with = "null_default")]
    pub resting_order_value_breakdown: Vec<BalanceBreakdown>,
}
