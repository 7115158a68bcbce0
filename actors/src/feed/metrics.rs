//! The feed's metrics: messages by type, bytes, bad frames, sequence anomalies, resyncs,
//! reconnects, connection age, books not fresh, exchange-to-local delay and the time from a
//! lost connection to every book fresh again.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use serde::Serialize;

pub use crate::gateway::metrics::Percentiles;

/// The frame types counted, in [`Counters::by_kind`] order.
pub const KINDS: [&str; 12] = [
    "orderbook_snapshot",
    "orderbook_delta",
    "subscribed",
    "ok",
    "unsubscribed",
    "error",
    "fill",
    "user_order",
    "market_lifecycle_v2",
    "event_lifecycle",
    "other",
    "unknown",
];

/// Index of a frame type in [`KINDS`].
pub fn kind_index(kind: &str) -> usize {
    KINDS
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(KINDS.len() - 2)
}

/// Live counters kept by the actor.
#[derive(Debug)]
pub struct Counters {
    /// Frames by type ([`KINDS`]).
    pub by_kind: [u64; KINDS.len()],
    /// Text bytes received.
    pub bytes: u64,
    /// Frames that did not decode (bad JSON, wrong shape, not UTF-8, binary).
    pub decode_errors: u64,
    /// Gaps in `seq`.
    pub gaps: u64,
    /// Repeated `seq`s.
    pub duplicates: u64,
    /// `seq`s below the last one.
    pub out_of_order: u64,
    /// Deltas that would have made a level negative.
    pub integrity_errors: u64,
    /// Snapshots applied to a book that had been synced before (resyncs).
    pub resyncs: u64,
    /// Snapshots applied.
    pub snapshots: u64,
    /// Deltas dropped because their book was waiting for a snapshot.
    pub dropped_while_stale: u64,
    /// Snapshot requests (`get_snapshot`, subscribe, add).
    pub snapshot_requests: u64,
    /// Subscriptions re-created after a snapshot never came or was refused.
    pub resubscribes: u64,
    /// Connections lost (each followed by a reconnect).
    pub reconnects: u64,
    /// Connect attempts that failed.
    pub connect_failures: u64,
    /// Pings answered.
    pub pongs: u64,
    /// `BookUpdated` deliveries.
    pub deliveries: u64,
    /// Exchange timestamp to local receipt of deltas, µs (clamped at 0).
    pub exchange_delay_us: Histogram<u64>,
    /// Connection lost to every book fresh again, µs.
    pub recovery_us: Histogram<u64>,
    /// The last recovery, ms.
    pub last_recovery_ms: Option<f64>,
}

impl Default for Counters {
    fn default() -> Self {
        // Bounded: `saturating_record` does not grow an auto-resizing histogram, so one made
        // with `Histogram::new` would pin every sample at its initial top (2 µs).
        // unwrap: 1 µs to an hour at 3 significant figures are valid bounds.
        let h = || Histogram::new_with_bounds(1, 3_600_000_000, 3).unwrap();
        Counters {
            by_kind: [0; KINDS.len()],
            bytes: 0,
            decode_errors: 0,
            gaps: 0,
            duplicates: 0,
            out_of_order: 0,
            integrity_errors: 0,
            resyncs: 0,
            snapshots: 0,
            dropped_while_stale: 0,
            snapshot_requests: 0,
            resubscribes: 0,
            reconnects: 0,
            connect_failures: 0,
            pongs: 0,
            deliveries: 0,
            exchange_delay_us: h(),
            recovery_us: h(),
            last_recovery_ms: None,
        }
    }
}

/// A snapshot answered to `GetMetrics`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FeedMetrics {
    /// Frames by type.
    pub messages: BTreeMap<&'static str, u64>,
    /// Text bytes received.
    pub bytes: u64,
    /// Frames that did not decode.
    pub decode_errors: u64,
    /// Frames of an unknown `type`.
    pub unknown_types: u64,
    /// Gaps in `seq`.
    pub gaps: u64,
    /// Repeated `seq`s.
    pub duplicates: u64,
    /// `seq`s below the last one.
    pub out_of_order: u64,
    /// Integrity errors.
    pub integrity_errors: u64,
    /// Resyncs (snapshots replacing a book synced before).
    pub resyncs: u64,
    /// Snapshots applied.
    pub snapshots: u64,
    /// Deltas dropped while their book waited for a snapshot.
    pub dropped_while_stale: u64,
    /// Snapshot requests.
    pub snapshot_requests: u64,
    /// Subscriptions re-created.
    pub resubscribes: u64,
    /// Connections lost.
    pub reconnects: u64,
    /// Failed connect attempts.
    pub connect_failures: u64,
    /// Whether a connection is up.
    pub connected: bool,
    /// Age of the current connection, s.
    pub connection_age_s: Option<f64>,
    /// Pings answered.
    pub pongs: u64,
    /// Watched books.
    pub books: usize,
    /// Books not fresh now.
    pub books_stale: usize,
    /// Markets the exchange refused.
    pub rejected: usize,
    /// `orderbook_delta` subscriptions on the connection.
    pub book_subscriptions: usize,
    /// `BookUpdated` deliveries.
    pub deliveries: u64,
    /// Book updates folded into a newer queued state.
    pub conflated: u64,
    /// Exchange-to-local delay of deltas.
    pub exchange_delay: Percentiles,
    /// Connection lost to all books fresh.
    pub recovery: Percentiles,
    /// The last recovery, ms.
    pub last_recovery_ms: Option<f64>,
}

impl Counters {
    /// The counter part of a [`FeedMetrics`]; the actor fills in the state part.
    pub fn snapshot(&self) -> FeedMetrics {
        FeedMetrics {
            messages: KINDS
                .iter()
                .zip(self.by_kind)
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| (*k, n))
                .collect(),
            bytes: self.bytes,
            decode_errors: self.decode_errors,
            unknown_types: self.by_kind[KINDS.len() - 1],
            gaps: self.gaps,
            duplicates: self.duplicates,
            out_of_order: self.out_of_order,
            integrity_errors: self.integrity_errors,
            resyncs: self.resyncs,
            snapshots: self.snapshots,
            dropped_while_stale: self.dropped_while_stale,
            snapshot_requests: self.snapshot_requests,
            resubscribes: self.resubscribes,
            reconnects: self.reconnects,
            connect_failures: self.connect_failures,
            pongs: self.pongs,
            deliveries: self.deliveries,
            exchange_delay: Percentiles::of(&self.exchange_delay_us),
            recovery: Percentiles::of(&self.recovery_us),
            last_recovery_ms: self.last_recovery_ms,
            ..FeedMetrics::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_their_counter_and_the_rest_to_other() {
        let table = [
            ("orderbook_delta", 1),
            ("error", 5),
            ("event_lifecycle", 9),
            ("ticker", 10),
            ("trade", 10),
            ("unknown", 11),
        ];
        for (kind, i) in table {
            assert_eq!(kind_index(kind), i, "{kind}");
        }
    }

    #[test]
    fn delays_are_recorded_at_their_size() {
        let mut c = Counters::default();
        c.exchange_delay_us.saturating_record(60_000);
        c.exchange_delay_us.saturating_record(u64::MAX);
        let p = c.snapshot().exchange_delay;
        assert!((p.p50_ms - 60.0).abs() < 0.1, "{p:?}");
        assert!(p.max_ms >= 3_600_000.0, "{p:?}");
    }

    #[test]
    fn the_snapshot_lists_only_types_seen() {
        let mut c = Counters::default();
        c.by_kind[kind_index("orderbook_delta")] = 3;
        c.by_kind[KINDS.len() - 1] = 2;
        let m = c.snapshot();
        assert_eq!(m.messages.len(), 2);
        assert_eq!(m.messages["orderbook_delta"], 3);
        assert_eq!(m.unknown_types, 2);
    }
}
