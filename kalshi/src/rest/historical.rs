//! The historical split: `GET /historical/cutoff` says up to when each kind of data has moved
//! from the live endpoints to `/historical/*` — markets settled before `market_settled_ts`,
//! trades before `trades_created_ts`, orders last updated before `orders_updated_ts` are only
//! there (kalshi-api.md §3.2, §8.12).
//!
//! Source: `kalshi/tests/fixtures/kalshi-openapi.json` (`GetHistoricalCutoffResponse`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /historical/cutoff`.
///
/// ```json
/// {"market_settled_ts":"2025-11-01T00:00:00Z","trades_created_ts":"2025-11-01T00:00:00Z",
///  "orders_updated_ts":"2025-11-01T00:00:00Z","market_positions_last_updated_ts":null}
/// ```
///
/// Source: OAS `GetHistoricalCutoffResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetHistoricalCutoffResponse {
    /// Markets settled before this are only under `/historical/markets`.
    pub market_settled_ts: DateTime<Utc>,
    /// Trades (and fills) before this are only under `/historical/trades` and `…/fills`.
    pub trades_created_ts: DateTime<Utc>,
    /// Orders last updated before this are only under `/historical/orders`.
    pub orders_updated_ts: DateTime<Utc>,
    /// Positions last updated before this are only under `/historical/positions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_positions_last_updated_ts: Option<DateTime<Utc>>,
}
