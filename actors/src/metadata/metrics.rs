//! The metadata cache's metrics: lookups answered from memory and fetched, refreshes, REST
//! calls and pages (counters), and what is held and watched now.

use serde::Serialize;

/// Live counters kept by the actor (and reported, flattened, in [`MetadataMetrics`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    /// Lookups answered from memory.
    pub hits: u64,
    /// Lookups that had to fetch.
    pub misses: u64,
    /// Whole-selection refreshes completed.
    pub selection_refreshes: u64,
    /// Single-market refreshes sent.
    pub market_refreshes: u64,
    /// REST calls made through the gateway.
    pub rest_calls: u64,
    /// Pages of market lists read.
    pub pages: u64,
    /// Refreshes that failed.
    pub failures: u64,
}

/// A snapshot answered to `GetMetrics`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MetadataMetrics {
    /// Lookups, refreshes, REST calls and pages.
    #[serde(flatten)]
    pub counters: Counters,
    /// Markets held.
    pub markets: usize,
    /// Events held.
    pub events: usize,
    /// Series held.
    pub series: usize,
    /// Markets watched (open and selected).
    pub watched: usize,
    /// Seconds since the last complete selection refresh (None before the first).
    pub last_refresh_age_s: Option<f64>,
}
