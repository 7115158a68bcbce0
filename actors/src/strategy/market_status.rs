//! A market's metadata kept current by its `market_lifecycle_v2` events — pure: paused and
//! reactivated, determined and settled, its close moved. The strategy actor applies them to
//! the markets it prices; a backtest to the markets of its recording.

use chrono::DateTime;
use kalshi::{
    rest::Market,
    types::{LifecycleEventType, MarketStatus},
    ws::MarketLifecycle,
};

/// Applies `e` to `m` (other event types change nothing a strategy reads).
pub fn apply_lifecycle(m: &mut Market, e: &MarketLifecycle) {
    match e.event_type {
        LifecycleEventType::Deactivated => m.status = MarketStatus::Inactive,
        LifecycleEventType::Activated => m.status = MarketStatus::Active,
        LifecycleEventType::Determined => m.status = MarketStatus::Determined,
        LifecycleEventType::Settled => m.status = MarketStatus::Finalized,
        LifecycleEventType::CloseDateUpdated => {
            if let Some(t) = e.close_ts.and_then(|s| DateTime::from_timestamp(s, 0)) {
                m.close_time = t;
            }
        }
        _ => {}
    }
}
