//! The feed's metrics: messages by type, bytes, bad frames, sequence anomalies, resyncs, acks
//! that took a `seq`, subscribes the exchange merged, reconnects, connection age, books not
//! fresh, exchange-to-local delay and the time from a lost connection to every book fresh
//! again.

use serde::{Serialize, ser::SerializeMap};

use crate::metrics::{DurationHistogram, Percentiles};

/// The type of a frame, as counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    /// `orderbook_snapshot`.
    OrderbookSnapshot,
    /// `orderbook_delta`.
    OrderbookDelta,
    /// `subscribed`.
    Subscribed,
    /// `ok`.
    Ok,
    /// `unsubscribed`.
    Unsubscribed,
    /// `error`.
    Error,
    /// `fill`.
    Fill,
    /// `user_order`.
    UserOrder,
    /// `market_lifecycle_v2`.
    MarketLifecycle,
    /// `event_lifecycle`.
    EventLifecycle,
    /// A known type the feed does not use (`ticker`, `trade`, …).
    Other,
    /// A `type` the decoder does not know.
    Unknown,
}

impl FrameKind {
    /// Every kind, in counting order.
    pub const ALL: [FrameKind; 12] = [
        FrameKind::OrderbookSnapshot,
        FrameKind::OrderbookDelta,
        FrameKind::Subscribed,
        FrameKind::Ok,
        FrameKind::Unsubscribed,
        FrameKind::Error,
        FrameKind::Fill,
        FrameKind::UserOrder,
        FrameKind::MarketLifecycle,
        FrameKind::EventLifecycle,
        FrameKind::Other,
        FrameKind::Unknown,
    ];

    /// Its name in metrics (the frame's `type` where it has one).
    pub fn name(self) -> &'static str {
        match self {
            FrameKind::OrderbookSnapshot => "orderbook_snapshot",
            FrameKind::OrderbookDelta => "orderbook_delta",
            FrameKind::Subscribed => "subscribed",
            FrameKind::Ok => "ok",
            FrameKind::Unsubscribed => "unsubscribed",
            FrameKind::Error => "error",
            FrameKind::Fill => "fill",
            FrameKind::UserOrder => "user_order",
            FrameKind::MarketLifecycle => "market_lifecycle_v2",
            FrameKind::EventLifecycle => "event_lifecycle",
            FrameKind::Other => "other",
            FrameKind::Unknown => "unknown",
        }
    }

    /// The kind of a decoded frame's `type` (`Other` for the types not counted apart).
    pub fn of(kind: &str) -> FrameKind {
        FrameKind::ALL
            .into_iter()
            .find(|k| k.name() == kind)
            .unwrap_or(FrameKind::Other)
    }
}

/// Frames counted by kind; reported as a map of the kinds seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameCounts([u64; FrameKind::ALL.len()]);

impl FrameCounts {
    /// Counts one frame.
    pub fn add(&mut self, kind: FrameKind) {
        self.0[kind as usize] += 1;
    }

    /// Frames of the kind named `name` (0 for a name never counted).
    pub fn get(&self, name: &str) -> u64 {
        FrameKind::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .map_or(0, |k| self.0[k as usize])
    }

    /// Frames of every kind.
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }

    /// The kinds seen, with their counts.
    pub fn seen(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        FrameKind::ALL
            .into_iter()
            .map(|k| (k.name(), self.0[k as usize]))
            .filter(|(_, n)| *n > 0)
    }
}

impl Serialize for FrameCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (name, n) in self.seen() {
            map.serialize_entry(name, &n)?;
        }
        map.end()
    }
}

/// Live counters kept by the actor (and reported, flattened, in [`FeedMetrics`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counters {
    /// Frames by type.
    pub messages: FrameCounts,
    /// Text frames received (decoded or not; a recorder is offered each).
    pub text_frames: u64,
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
    /// `ok` replies that took a place of their own in their subscription's `seq`.
    pub acks_in_seq: u64,
    /// `subscribe`s the exchange merged into a subscription already open (answered `ok`).
    pub merged_subscribes: u64,
    /// Connections lost (each followed by a reconnect).
    pub reconnects: u64,
    /// Connect attempts that failed.
    pub connect_failures: u64,
    /// Pings answered.
    pub pongs: u64,
    /// `BookUpdated` deliveries.
    pub deliveries: u64,
    /// The last recovery (connection lost to every book fresh), ms.
    pub last_recovery_ms: Option<f64>,
}

/// The actor's duration distributions (reported as [`Percentiles`]).
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Exchange timestamp to local receipt of deltas (clamped at 0).
    pub exchange_delay: DurationHistogram,
    /// Connection lost to every book fresh again.
    pub recovery: DurationHistogram,
}

/// A snapshot answered to `GetMetrics`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FeedMetrics {
    /// Frames by type, bytes, bad frames, sequence anomalies, snapshots and resyncs,
    /// reconnects, pongs, deliveries.
    #[serde(flatten)]
    pub counters: Counters,
    /// Frames of an unknown `type`.
    pub unknown_types: u64,
    /// Whether a connection is up.
    pub connected: bool,
    /// Age of the current connection, s.
    pub connection_age_s: Option<f64>,
    /// Watched books.
    pub books: usize,
    /// Books not fresh now.
    pub books_stale: usize,
    /// Markets the exchange refused.
    pub rejected: usize,
    /// `orderbook_delta` subscriptions on the connection.
    pub book_subscriptions: usize,
    /// Book updates folded into a newer queued state.
    pub conflated: u64,
    /// Exchange-to-local delay of deltas.
    pub exchange_delay: Percentiles,
    /// Connection lost to all books fresh.
    pub recovery: Percentiles,
}

impl FeedMetrics {
    /// The counter and timing part of a snapshot; the actor fills in the state part.
    pub fn of(counters: &Counters, timings: &Timings) -> FeedMetrics {
        FeedMetrics {
            counters: counters.clone(),
            unknown_types: counters.messages.get(FrameKind::Unknown.name()),
            exchange_delay: timings.exchange_delay.percentiles(),
            recovery: timings.recovery.percentiles(),
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
            ("orderbook_delta", FrameKind::OrderbookDelta),
            ("error", FrameKind::Error),
            ("event_lifecycle", FrameKind::EventLifecycle),
            ("ticker", FrameKind::Other),
            ("trade", FrameKind::Other),
            ("unknown", FrameKind::Unknown),
        ];
        for (kind, expected) in table {
            assert_eq!(FrameKind::of(kind), expected, "{kind}");
        }
    }

    #[test]
    fn delays_are_recorded_at_their_size() {
        let mut t = Timings::default();
        t.exchange_delay.record_us(60_000);
        t.exchange_delay.record_us(u64::MAX);
        let p = FeedMetrics::of(&Counters::default(), &t).exchange_delay;
        assert!((p.p50_ms - 60.0).abs() < 0.1, "{p:?}");
        assert!(p.max_ms >= 3_600_000.0 * 0.999, "{p:?}");
    }

    #[test]
    fn the_snapshot_lists_only_types_seen() {
        let mut c = Counters::default();
        for _ in 0..3 {
            c.messages.add(FrameKind::OrderbookDelta);
        }
        c.messages.add(FrameKind::Unknown);
        c.messages.add(FrameKind::Unknown);
        let m = FeedMetrics::of(&c, &Timings::default());
        assert_eq!(m.counters.messages.seen().count(), 2);
        assert_eq!(m.counters.messages.get("orderbook_delta"), 3);
        assert_eq!(m.unknown_types, 2);
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["messages"]["orderbook_delta"], 3);
        assert_eq!(json["gaps"], 0);
    }
}
