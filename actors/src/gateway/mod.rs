//! Gateway actor: the only door to Kalshi's REST API (under construction: pure parts first).

pub mod backoff;
pub mod dispatch;
