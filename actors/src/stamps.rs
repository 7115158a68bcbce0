//! Where an order's time goes: [`PathStamps`] ride on the messages of the order path (book
//! update → strategy's `Submit` → gateway's `PlaceOrder`), each actor writing the monotonic
//! time of its step from its injected clock; the gateway, once the answer is in, hands them to
//! [`StageHistograms`], one histogram per stage (the time between two consecutive stamps).
//!
//! A stamp is nanoseconds on the clock's monotonic scale, 0 for "not stamped" (an order that
//! did not start from a book — a re-send, a timer, a test — has no feed stamps; a stage is
//! recorded only when both its ends are stamped). `PathStamps` is `Copy` and fixed-size: carrying
//! it allocates nothing.

use serde::Serialize;

use crate::metrics::DurationHistogram;

/// A point on an order's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// The feed received the WebSocket frame.
    FrameReceived = 0,
    /// The feed applied it to its book.
    BookApplied,
    /// The strategy decided (its `on_book` returned the intent).
    Decided,
    /// The order manager admitted it (market looked up, gates and risk limits passed).
    Admitted,
    /// The order manager recorded it: its id taken from a reserved block, its rows queued to
    /// the journal writer (the commit happens on the writer's thread, after the send).
    Journaled,
    /// The gateway took it off its queue to send it (tokens and a slot were free).
    Dispatched,
    /// The request was signed.
    Signed,
    /// The signed request was handed to the HTTP client to be written (awc does not report
    /// when the last byte left; this is the moment before its send).
    Written,
    /// The gateway had the exchange's answer.
    Response,
}

/// Stamps on the path, in order.
const STAMPS: usize = 9;

impl Stamp {
    /// Every stamp, in path order.
    pub const ALL: [Stamp; STAMPS] = [
        Stamp::FrameReceived,
        Stamp::BookApplied,
        Stamp::Decided,
        Stamp::Admitted,
        Stamp::Journaled,
        Stamp::Dispatched,
        Stamp::Signed,
        Stamp::Written,
        Stamp::Response,
    ];
}

/// The stamps of one order's path, monotonic ns (0: not stamped).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PathStamps {
    ns: [u64; STAMPS],
}

impl PathStamps {
    /// Sets `stamp` to `now_ns` (a `u128` clock reading, saturated to `u64`: 584 years).
    pub fn set(&mut self, stamp: Stamp, now_ns: u128) {
        self.ns[stamp as usize] = u64::try_from(now_ns).unwrap_or(u64::MAX).max(1);
    }

    /// This with `stamp` set to `now_ns`.
    pub fn with(mut self, stamp: Stamp, now_ns: u128) -> PathStamps {
        self.set(stamp, now_ns);
        self
    }

    /// The stamp, if set.
    pub fn get(&self, stamp: Stamp) -> Option<u64> {
        Some(self.ns[stamp as usize]).filter(|ns| *ns > 0)
    }
}

/// The stages between consecutive stamps, by name (Prometheus-safe), in path order.
pub const STAGES: [&str; STAMPS - 1] = [
    "feed_apply",
    "to_strategy_decided",
    "to_orders_admitted",
    "journal",
    "to_gateway_dispatched",
    "sign",
    "build_request",
    "http_round_trip",
];

/// One histogram per stage, and one for the whole path (frame received → response).
#[derive(Debug, Clone, Default)]
pub struct StageHistograms {
    stages: [DurationHistogram; STAMPS - 1],
    total: DurationHistogram,
}

impl StageHistograms {
    /// Records every stage of `stamps` whose two ends are stamped, and the whole path when
    /// both its ends are.
    pub fn record(&mut self, stamps: &PathStamps) {
        for (i, h) in self.stages.iter_mut().enumerate() {
            if let (Some(from), Some(to)) =
                (stamps.get(Stamp::ALL[i]), stamps.get(Stamp::ALL[i + 1]))
            {
                h.record_between_ns(u128::from(from), u128::from(to));
            }
        }
        if let (Some(from), Some(to)) = (
            stamps.get(Stamp::FrameReceived),
            stamps.get(Stamp::Response),
        ) {
            self.total
                .record_between_ns(u128::from(from), u128::from(to));
        }
    }

    /// Percentiles of each stage, then of the whole path.
    pub fn percentiles(&self) -> OrderPath {
        let mut stages = self.stages.iter().map(TailPercentiles::of);
        let mut next = || stages.next().unwrap_or_default();
        OrderPath {
            feed_apply: next(),
            to_strategy_decided: next(),
            to_orders_admitted: next(),
            journal: next(),
            to_gateway_dispatched: next(),
            sign: next(),
            build_request: next(),
            http_round_trip: next(),
            total: TailPercentiles::of(&self.total),
        }
    }
}

/// Percentiles of a stage, milliseconds, with the 99.9th.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct TailPercentiles {
    /// Samples.
    pub count: u64,
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// 99.9th percentile.
    pub p999_ms: f64,
    /// Largest.
    pub max_ms: f64,
}

impl TailPercentiles {
    /// Of one histogram.
    pub fn of(h: &DurationHistogram) -> TailPercentiles {
        let p = h.percentiles();
        TailPercentiles {
            count: p.count,
            p50_ms: p.p50_ms,
            p99_ms: p.p99_ms,
            p999_ms: h.quantile_ms(0.999),
            max_ms: p.max_ms,
        }
    }
}

/// The order path's stages (see [`STAGES`]), as exported in the gateway's metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct OrderPath {
    /// Frame received → book applied (decode, `seq` check, apply).
    pub feed_apply: TailPercentiles,
    /// Book applied → strategy decided (conflation, delivery, the strategy).
    pub to_strategy_decided: TailPercentiles,
    /// Decided → admitted (delivery, market lookup, gates, risk limits).
    pub to_orders_admitted: TailPercentiles,
    /// Admitted → journaled (the journal's commit).
    pub journal: TailPercentiles,
    /// Journaled → the gateway takes it off its queue (delivery, queueing).
    pub to_gateway_dispatched: TailPercentiles,
    /// Dispatched → signed.
    pub sign: TailPercentiles,
    /// Signed → handed to the HTTP client.
    pub build_request: TailPercentiles,
    /// Handed to the HTTP client → answer read (write, the exchange, the answer).
    pub http_round_trip: TailPercentiles,
    /// Frame received → answer read.
    pub total: TailPercentiles,
}

impl OrderPath {
    /// The stages by name in path order, then `total`.
    pub fn rows(&self) -> [(&'static str, TailPercentiles); STAMPS] {
        [
            (STAGES[0], self.feed_apply),
            (STAGES[1], self.to_strategy_decided),
            (STAGES[2], self.to_orders_admitted),
            (STAGES[3], self.journal),
            (STAGES[4], self.to_gateway_dispatched),
            (STAGES[5], self.sign),
            (STAGES[6], self.build_request),
            (STAGES[7], self.http_round_trip),
            ("total", self.total),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(start_ns: u128, step_us: u128) -> PathStamps {
        let mut s = PathStamps::default();
        for (i, stamp) in Stamp::ALL.iter().enumerate() {
            s.set(*stamp, start_ns + i as u128 * step_us * 1000);
        }
        s
    }

    #[test]
    fn stamps_set_in_path_order_are_monotone() {
        let s = path(5_000, 10);
        let got: Vec<u64> = Stamp::ALL.iter().filter_map(|t| s.get(*t)).collect();
        assert_eq!(got.len(), Stamp::ALL.len());
        assert!(got.windows(2).all(|w| w[0] <= w[1]), "{got:?}");
    }

    #[test]
    fn every_stage_and_the_total_fill_from_a_full_path() {
        let mut h = StageHistograms::default();
        for _ in 0..10 {
            h.record(&path(1_000_000, 20));
        }
        let p = h.percentiles();
        for (name, row) in p.rows() {
            assert_eq!(row.count, 10, "{name}");
        }
        assert!((p.journal.p50_ms - 0.020).abs() < 0.001, "{:?}", p.journal);
        assert!((p.total.p999_ms - 0.160).abs() < 0.001, "{:?}", p.total);
    }

    #[test]
    fn a_stage_with_an_end_unstamped_is_not_recorded() {
        let mut h = StageHistograms::default();
        // A re-send: no feed, strategy or order-manager stamps.
        let s = PathStamps::default()
            .with(Stamp::Dispatched, 10)
            .with(Stamp::Signed, 20)
            .with(Stamp::Written, 30)
            .with(Stamp::Response, 40);
        h.record(&s);
        let p = h.percentiles();
        assert_eq!(p.feed_apply.count, 0);
        assert_eq!(p.to_gateway_dispatched.count, 0);
        assert_eq!(p.total.count, 0);
        assert_eq!(p.sign.count, 1);
        assert_eq!(p.http_round_trip.count, 1);
    }

    #[test]
    fn a_zero_clock_reading_still_counts_as_stamped() {
        let s = PathStamps::default().with(Stamp::FrameReceived, 0);
        assert_eq!(s.get(Stamp::FrameReceived), Some(1));
    }
}
