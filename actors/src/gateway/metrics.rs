//! The gateway's metrics: counters by endpoint and status, 429s, retries, adoptions, expiries,
//! queue depths, tokens left, time waiting for tokens and request latency percentiles.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{
    metrics::{DurationHistogram, Percentiles},
    stamps::{OrderPath, StageHistograms},
};

/// Live counters kept by the actor (and reported, flattened, in [`GatewayMetrics`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    /// Answers by `METHOD /template STATUS` (status 0 = no answer).
    pub by_endpoint: BTreeMap<String, u64>,
    /// 429s received.
    pub rate_limited: u64,
    /// Retries sent.
    pub retries: u64,
    /// Creates resolved by adopting the existing order (after a 409, or found by a
    /// verification).
    pub adoptions: u64,
    /// Order lookups after an ambiguous create, before sending it again.
    pub verifications: u64,
    /// Requests failed unsent because their deadline passed.
    pub expired: u64,
    /// Requests refused because their lane was full.
    pub overloaded: u64,
    /// Answers that never came (timeouts, resets).
    pub no_answer: u64,
}

/// The actor's duration distributions (reported as [`Percentiles`]).
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Round-trip latency of each attempt.
    pub latency: DurationHistogram,
    /// Time from queueing to sending.
    pub wait: DurationHistogram,
    /// Placements' paths from the feed's frame to the answer, stage by stage.
    pub order_path: StageHistograms,
}

/// A snapshot answered to `GetMetrics`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GatewayMetrics {
    /// Answers by endpoint and status, 429s, retries, adoptions, expiries, refusals and
    /// answers that never came.
    #[serde(flatten)]
    pub counters: Counters,
    /// Queue depth per lane.
    pub queue_depth: BTreeMap<&'static str, usize>,
    /// Requests on the wire.
    pub in_flight: usize,
    /// Read tokens available now.
    pub read_tokens: u64,
    /// Write tokens available now.
    pub write_tokens: u64,
    /// Read bucket cooling down after a 429.
    pub read_cooling: bool,
    /// Write bucket cooling down after a 429.
    pub write_cooling: bool,
    /// Refill rates in force (read, write), tokens/s.
    pub rates: (u64, u64),
    /// The read bucket's capacity as sized (the exchange's, or the config's fallback),
    /// tokens. The gateway holds `safety_margin_ms` of refill of it back and starts with its
    /// buckets empty (the exchange's may not be full), so it never spends this burst at once.
    pub read_burst: u64,
    /// Whether the budget came from `GET /account/limits` (false = config fallback).
    pub limits_from_exchange: bool,
    /// Estimated exchange clock minus local clock, ms.
    pub clock_offset_ms: i64,
    /// Whether the offset exceeds the warning threshold.
    pub clock_offset_warning: bool,
    /// Queue wait (token waits and slots).
    pub wait: Percentiles,
    /// Round-trip latency.
    pub latency: Percentiles,
    /// Placements' paths, stage by stage (frame received → … → answer).
    pub order_path: OrderPath,
}
