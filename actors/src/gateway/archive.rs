//! Where an order may be: the live lists, or Kalshi's archive behind the historical cutoff.

use kalshi::rest::GetHistoricalCutoffResponse;

/// Whether the archive may hold an order created at or after `min_ts` (Unix s): orders last
/// updated before the cutoff are only there. With no bound, it may.
pub fn archive_may_hold(cutoff: &GetHistoricalCutoffResponse, min_ts: Option<i64>) -> bool {
    min_ts.is_none_or(|t| cutoff.orders_updated_ts.timestamp() > t)
}
