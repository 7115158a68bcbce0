//! The gateway's metrics: counters by endpoint and status, 429s, retries, adoptions, expiries,
//! queue depths, tokens left, time waiting for tokens and request latency percentiles.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use serde::Serialize;

/// Live counters kept by the actor.
#[derive(Debug)]
pub struct Counters {
    /// Answers by `METHOD /template STATUS` (status 0 = no answer).
    pub by_endpoint: BTreeMap<String, u64>,
    /// 429s received.
    pub rate_limited: u64,
    /// Retries sent.
    pub retries: u64,
    /// Creates resolved by adopting the existing order after a 409.
    pub adoptions: u64,
    /// Requests failed unsent because their deadline passed.
    pub expired: u64,
    /// Requests refused because their lane was full.
    pub overloaded: u64,
    /// Answers that never came (timeouts, resets).
    pub no_answer: u64,
    /// Round-trip latency, µs.
    pub latency_us: Histogram<u64>,
    /// Time from queueing to sending, µs.
    pub wait_us: Histogram<u64>,
}

impl Default for Counters {
    fn default() -> Self {
        // unwrap: 3 significant figures with auto-resize is a valid histogram.
        let h = || Histogram::new(3).unwrap();
        Counters {
            by_endpoint: BTreeMap::new(),
            rate_limited: 0,
            retries: 0,
            adoptions: 0,
            expired: 0,
            overloaded: 0,
            no_answer: 0,
            latency_us: h(),
            wait_us: h(),
        }
    }
}

/// Percentiles of a duration distribution, milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Percentiles {
    /// Samples.
    pub count: u64,
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Largest.
    pub max_ms: f64,
}

impl Percentiles {
    /// From a histogram of microseconds.
    pub fn of(h: &Histogram<u64>) -> Percentiles {
        let ms = |us: u64| us as f64 / 1000.0;
        Percentiles {
            count: h.len(),
            p50_ms: ms(h.value_at_quantile(0.5)),
            p99_ms: ms(h.value_at_quantile(0.99)),
            max_ms: ms(h.max()),
        }
    }
}

/// A snapshot answered to `GetMetrics`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GatewayMetrics {
    /// Answers by `METHOD /template STATUS`.
    pub by_endpoint: BTreeMap<String, u64>,
    /// 429s received.
    pub rate_limited: u64,
    /// Retries sent.
    pub retries: u64,
    /// 409s adopted as "already placed".
    pub adoptions: u64,
    /// Requests expired unsent.
    pub expired: u64,
    /// Requests refused with `Overloaded`.
    pub overloaded: u64,
    /// Answers that never came.
    pub no_answer: u64,
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
}
