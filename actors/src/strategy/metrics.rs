//! The strategy actor's metrics: books seen and evaluated or skipped, intents asked for,
//! accepted, refused and dropped, cancels, fills and forecast loads (counters), and the
//! forecast's coverage and age, markets priced and the blackout now, and the strategy's state
//! (`trading` or `idle` and why: [`super::state`]), and the strategy's own counts
//! ([`super::Strategy::counters`]).

use std::collections::BTreeMap;

use serde::Serialize;

use super::state::StateReport;
use crate::orders::OrdersMetrics;

/// Live counters kept by the actor (and reported, flattened, in [`StrategyMetrics`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    /// Book updates received.
    pub books_seen: u64,
    /// Book updates the strategy was asked about.
    pub books_evaluated: u64,
    /// Updates ignored because their book was stale.
    pub skipped_stale: u64,
    /// Updates ignored because the market's metadata was not yet known.
    pub skipped_no_metadata: u64,
    /// Orders the strategy asked for.
    pub intents: u64,
    /// Orders dropped because their book went stale before they left the actor.
    pub dropped_stale: u64,
    /// Of which the order manager accepted.
    pub accepted: u64,
    /// Refused, by reason.
    pub refused: BTreeMap<String, u64>,
    /// Per-market cancels asked for.
    pub cancels: u64,
    /// Cancels of one order asked for.
    pub order_cancels: u64,
    /// Amends asked for.
    pub amends: u64,
    /// Fills booked on our orders.
    pub fills: u64,
    /// Forecast loads that worked.
    pub forecast_loads: u64,
    /// Forecast loads that failed.
    pub forecast_errors: u64,
    /// Refetches because a GFS window ended.
    pub forecast_refetches: u64,
    /// Forecasts that arrived after a GFS window but were not newer (not traded on).
    pub forecast_not_newer: u64,
}

/// A snapshot answered to `GetMetrics`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StrategyMetrics {
    /// Books, intents and their outcomes, cancels, fills, forecast loads.
    #[serde(flatten)]
    pub counters: Counters,
    /// Markets or series-days the forecast covers.
    pub forecast_entries: usize,
    /// Seconds since the forecast was last loaded.
    pub forecast_age_s: Option<i64>,
    /// The model run of the forecast traded on (Unix seconds), when the source gives it.
    pub forecast_model_run_s: Option<i64>,
    /// A GFS window ended and no newer forecast has arrived since.
    pub forecast_awaiting_newer: bool,
    /// Markets the strategy has a fair value for.
    pub markets_priced: usize,
    /// Whether a blackout is active.
    pub blackout: bool,
    /// `trading`, or `idle` and why: `state` as text, a `trading` flag and an `idle` flag per
    /// reason.
    #[serde(flatten)]
    pub state: StateReport,
    /// The strategy's own counts ([`super::Strategy::counters`]: the quoter's `requotes`, …),
    /// flattened beside the actor's.
    #[serde(flatten)]
    pub own: BTreeMap<String, u64>,
}

impl StrategyMetrics {
    /// Adds the order manager's say to the state: a halt, or a reconciliation not finished.
    pub fn with_orders(&mut self, orders: &OrdersMetrics) {
        let state = self
            .state
            .kind
            .with_orders(orders.halted.is_some(), orders.ready);
        self.state = StateReport::of(state);
    }
}
