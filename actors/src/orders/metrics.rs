//! The order manager's metrics: orders by state, intents refused by reason, unknown outcomes,
//! reconciliations and their differences, fills by source, positions, exposure, and realised
//! and unrealised P&L.

use std::collections::BTreeMap;

use kalshi::{Count, Money};
use serde::Serialize;

use super::reconcile::Difference;

/// Live counters kept by the actor (and reported, flattened, in [`OrdersMetrics`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    /// Intents accepted (journaled and sent).
    pub intents: u64,
    /// Intents refused, by reason ([`super::Refusal::reason`]).
    pub refused: BTreeMap<String, u64>,
    /// Placements whose outcome was unknown.
    pub unknown_outcomes: u64,
    /// Intents re-sent under their client id after reconciliation.
    pub resent: u64,
    /// Reconciliations run (start-up, unknown outcomes, reconnects, periodic checks).
    pub reconciliations: u64,
    /// Reconciliations that failed (a REST call failed).
    pub reconciliation_failures: u64,
    /// Differences found by them, by kind.
    pub differences: BTreeMap<&'static str, u64>,
    /// Orders adopted from the exchange without a journal entry.
    pub adopted: u64,
    /// Fills booked, by source (`ws`, `rest_gap`, `reconcile`, `periodic`).
    pub fills: BTreeMap<&'static str, u64>,
    /// Fills seen again and ignored.
    pub duplicate_fills: u64,
    /// Fills that could not be read (no side).
    pub unreadable_fills: u64,
    /// Cancels sent.
    pub cancels: u64,
    /// Journal writes that failed.
    pub journal_errors: u64,
}

/// A market's position in [`OrdersMetrics`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PositionMetric {
    /// Market.
    pub ticker: String,
    /// Contracts (+ YES, − NO).
    pub position: Count,
    /// Cost basis.
    pub exposure: Money,
    /// Realised P&L.
    pub realized: Money,
    /// Unrealised P&L.
    pub unrealized: Money,
}

/// A snapshot answered to `GetMetrics`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrdersMetrics {
    /// True once start-up reconciliation finished.
    pub ready: bool,
    /// Why new orders are halted, if they are.
    pub halted: Option<String>,
    /// Whether a blackout is active.
    pub blackout: bool,
    /// Orders held, by state.
    pub orders_by_state: BTreeMap<&'static str, usize>,
    /// The actor's counters: intents, refusals by reason, unknown outcomes, re-sends,
    /// reconciliations and their differences, adoptions, fills by source, cancels, journal
    /// errors.
    #[serde(flatten)]
    pub counters: Counters,
    /// Positions, by market.
    pub positions: Vec<PositionMetric>,
    /// Cost basis of positions plus the cost of open orders.
    pub exposure: Money,
    /// Realised P&L, all markets.
    pub realized_pnl: Money,
    /// Unrealised P&L, all markets.
    pub unrealized_pnl: Money,
    /// Today's P&L as the loss limit sees it.
    pub daily_pnl: Money,
}

impl Counters {
    /// Counts a refusal.
    pub fn refuse(&mut self, reason: &str) {
        *self.refused.entry(reason.to_owned()).or_default() += 1;
    }

    /// Counts the differences of a reconciliation.
    pub fn differ(&mut self, diffs: &[Difference]) {
        for d in diffs {
            *self.differences.entry(d.kind).or_default() += 1;
        }
    }

    /// Counts a booked fill.
    pub fn fill(&mut self, source: &'static str) {
        *self.fills.entry(source).or_default() += 1;
    }
}
