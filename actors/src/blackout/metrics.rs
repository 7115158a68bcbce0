//! The blackout clock's metrics: state changes broadcast, reads of the exchange's schedule and
//! readiness probes (counters), and the state, subscribers and exchange windows now.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::schedule::BlackoutState;

/// Live counters kept by the actor (and reported, flattened, in [`BlackoutMetrics`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    /// State changes broadcast.
    pub changes: u64,
    /// Successful reads of `GET /exchange/schedule`.
    pub schedule_reads: u64,
    /// Failed reads.
    pub schedule_errors: u64,
    /// Probes asked.
    pub probes: u64,
    /// Probes that answered "ready".
    pub probes_ready: u64,
    /// Probes that failed (transport errors; "not there yet" is not a failure).
    pub probe_errors: u64,
}

/// A snapshot answered to `GetMetrics`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BlackoutMetrics {
    /// Changes broadcast, schedule reads and probes.
    #[serde(flatten)]
    pub counters: Counters,
    /// The state last broadcast.
    pub state: Option<BlackoutState>,
    /// Subscribers.
    pub subscribers: usize,
    /// Maintenance windows known from the exchange.
    pub exchange_windows: usize,
    /// When the exchange's schedule was last read.
    pub last_schedule_read: Option<DateTime<Utc>>,
}
