//! The recording tap: how the feed and the metadata cache hand what they receive to a
//! recorder (`tradewind record`) without ever waiting for it.
//!
//! A [`Tap`] is the sending end of a bounded channel read by a writer thread. The feed offers
//! every text frame as it arrives (the frame's bytes are shared, not copied) and the metadata
//! cache every market it gets from REST, each stamped with its receive time in wall-clock
//! Unix nanoseconds (never going back: a clock stepped back repeats the last stamp). An offer
//! never blocks: when the channel is full (the writer fell behind) or the writer is gone, the
//! item is counted in [`RecorderCounters::dropped`] and logged (the first drop, then at every
//! power of two), never silently lost. Once the recording is [`Tap::close`]d, offers are
//! ignored: the recording has ended.

use std::sync::{
    Arc,
    atomic::{AtomicBool, AtomicU64, Ordering},
    mpsc::{self, Receiver, SyncSender, TrySendError},
};

use bytes::Bytes;
use kalshi::rest::Market;
use serde::Serialize;
use tracing::warn;

use crate::clock::SharedClock;

/// One item on its way to the recorder.
#[derive(Debug)]
pub enum Tapped {
    /// A WebSocket text frame, as received.
    Frame {
        /// Receive time, wall-clock Unix ns.
        recv_ns: u64,
        /// The frame's text (UTF-8 is not checked here).
        text: Bytes,
    },
    /// A market as the metadata cache got it from REST.
    Market {
        /// Receive time, wall-clock Unix ns.
        recv_ns: u64,
        /// The market.
        market: Box<Market>,
    },
    /// A forecast the strategy took to trade on, in the forecast file's JSON format (a
    /// backtest prices from it from this instant on, never before).
    Forecast {
        /// When the strategy took it, wall-clock Unix ns.
        recv_ns: u64,
        /// The forecast file's JSON (one line).
        json: String,
    },
    /// The recording ends: the writer flushes, closes its file and stops.
    Close,
}

/// The recorder's counters, shared by the tap (offers, drops) and the writer (what it wrote).
#[derive(Debug, Default)]
pub struct RecorderCounters {
    /// Frames offered to the recorder.
    pub frames_offered: AtomicU64,
    /// Markets offered to the recorder.
    pub markets_offered: AtomicU64,
    /// Forecasts offered to the recorder.
    pub forecasts_offered: AtomicU64,
    /// Items not recorded because the writer fell behind (channel full) or was gone.
    pub dropped: AtomicU64,
    /// Frames written to a file.
    pub frames_written: AtomicU64,
    /// Markets written to a file.
    pub markets_written: AtomicU64,
    /// Items lost because a write failed (disk full, …).
    pub write_failed: AtomicU64,
    /// Blocks (independent zstd frames) written.
    pub blocks: AtomicU64,
    /// Files opened.
    pub files: AtomicU64,
    /// Uncompressed bytes of the lines written.
    pub raw_bytes: AtomicU64,
    /// Compressed bytes written.
    pub compressed_bytes: AtomicU64,
    closed: AtomicBool,
}

/// A snapshot of [`RecorderCounters`], reported with the actors' metrics
/// (`tradewind_recorder_dropped`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecorderMetrics {
    /// Frames offered.
    pub frames_offered: u64,
    /// Markets offered.
    pub markets_offered: u64,
    /// Forecasts offered.
    pub forecasts_offered: u64,
    /// Items dropped because the writer fell behind.
    pub dropped: u64,
    /// Frames written.
    pub frames_written: u64,
    /// Markets written.
    pub markets_written: u64,
    /// Items lost to failed writes.
    pub write_failed: u64,
    /// Blocks written.
    pub blocks: u64,
    /// Files opened.
    pub files: u64,
    /// Uncompressed bytes written.
    pub raw_bytes: u64,
    /// Compressed bytes written.
    pub compressed_bytes: u64,
}

impl RecorderCounters {
    /// The counts now.
    pub fn snapshot(&self) -> RecorderMetrics {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        RecorderMetrics {
            frames_offered: get(&self.frames_offered),
            markets_offered: get(&self.markets_offered),
            forecasts_offered: get(&self.forecasts_offered),
            dropped: get(&self.dropped),
            frames_written: get(&self.frames_written),
            markets_written: get(&self.markets_written),
            write_failed: get(&self.write_failed),
            blocks: get(&self.blocks),
            files: get(&self.files),
            raw_bytes: get(&self.raw_bytes),
            compressed_bytes: get(&self.compressed_bytes),
        }
    }

    /// Adds `n` to a counter.
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}

/// The sending end of a recording: cheap to clone, never blocks.
#[derive(Debug, Clone)]
pub struct Tap {
    tx: SyncSender<Tapped>,
    counters: Arc<RecorderCounters>,
    last_ns: Arc<AtomicU64>,
    clock: SharedClock,
}

impl Tap {
    /// A tap holding at most `capacity` items not yet taken by the writer, and the receiving
    /// end for the writer.
    pub fn new(capacity: usize, clock: SharedClock) -> (Tap, Receiver<Tapped>) {
        let (tx, rx) = mpsc::sync_channel(capacity);
        let tap = Tap {
            tx,
            counters: Arc::default(),
            last_ns: Arc::default(),
            clock,
        };
        (tap, rx)
    }

    /// The shared counters.
    pub fn counters(&self) -> &Arc<RecorderCounters> {
        &self.counters
    }

    /// Offers a text frame received now.
    pub fn frame(&self, text: Bytes) {
        if self.is_closed() {
            return;
        }
        RecorderCounters::add(&self.counters.frames_offered, 1);
        let recv_ns = self.stamp();
        self.offer(Tapped::Frame { recv_ns, text });
    }

    /// Offers a market received now.
    pub fn market(&self, market: &Market) {
        if self.is_closed() {
            return;
        }
        RecorderCounters::add(&self.counters.markets_offered, 1);
        let recv_ns = self.stamp();
        self.offer(Tapped::Market {
            recv_ns,
            market: Box::new(market.clone()),
        });
    }

    /// Offers a forecast taken now (`json`: the forecast file's format).
    pub fn forecast(&self, json: String) {
        if self.is_closed() {
            return;
        }
        RecorderCounters::add(&self.counters.forecasts_offered, 1);
        let recv_ns = self.stamp();
        self.offer(Tapped::Forecast { recv_ns, json });
    }

    /// Ends the recording: later offers are ignored, and the writer is told to finish (this
    /// call waits for room in the channel, at most until the writer has taken one item).
    pub fn close(&self) {
        if self.counters.closed.swap(true, Ordering::SeqCst) {
            return;
        }
        // An error means the writer is gone already: nothing to tell.
        let _ = self.tx.send(Tapped::Close);
    }

    fn is_closed(&self) -> bool {
        self.counters.closed.load(Ordering::Relaxed)
    }

    /// Now in wall-clock Unix ns, never before the last stamp.
    fn stamp(&self) -> u64 {
        let wall = self
            .clock
            .now()
            .timestamp_nanos_opt()
            .map_or(0, |ns| u64::try_from(ns).unwrap_or(0));
        self.last_ns.fetch_max(wall, Ordering::Relaxed).max(wall)
    }

    fn offer(&self, item: Tapped) {
        let why = match self.tx.try_send(item) {
            Ok(()) => return,
            Err(TrySendError::Full(_)) => "the recorder fell behind",
            Err(TrySendError::Disconnected(_)) => "the recorder is gone",
        };
        let dropped = self.counters.dropped.fetch_add(1, Ordering::Relaxed) + 1;
        if dropped.is_power_of_two() {
            warn!(dropped, why, "recording: item dropped");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::TimeZone;

    use super::*;
    use crate::clock::FakeClock;

    fn fake() -> (SharedClock, FakeClock) {
        let clock = FakeClock::new(chrono::Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap());
        (Arc::new(clock.clone()), clock)
    }

    #[test]
    fn a_full_channel_counts_drops_and_never_blocks() {
        let (clock, _) = fake();
        let (tap, rx) = Tap::new(2, clock);
        for _ in 0..5 {
            tap.frame(Bytes::from_static(b"{}"));
        }
        let m = tap.counters().snapshot();
        assert_eq!((m.frames_offered, m.dropped), (5, 3));
        assert_eq!(rx.try_iter().count(), 2);
        drop(rx);
        tap.frame(Bytes::from_static(b"{}"));
        assert_eq!(tap.counters().snapshot().dropped, 4, "writer gone");
    }

    #[test]
    fn stamps_are_wall_clock_ns_and_never_go_back() {
        let (clock, fake) = fake();
        let (tap, rx) = Tap::new(8, clock);
        tap.frame(Bytes::from_static(b"a"));
        fake.advance(Duration::from_millis(5));
        tap.frame(Bytes::from_static(b"b"));
        let ns: Vec<u64> = rx
            .try_iter()
            .filter_map(|t| match t {
                Tapped::Frame { recv_ns, .. } => Some(recv_ns),
                _ => None,
            })
            .collect();
        let start = 1_796_212_800_000_000_000u64; // 2026-12-02T12:00:00Z
        assert_eq!(ns, vec![start, start + 5_000_000]);
        tap.last_ns.store(u64::MAX - 1, Ordering::Relaxed);
        assert_eq!(
            tap.stamp(),
            u64::MAX - 1,
            "a clock stepped back repeats the last stamp"
        );
    }

    #[test]
    fn after_close_offers_are_ignored_not_dropped() {
        let (clock, _) = fake();
        let (tap, rx) = Tap::new(4, clock);
        tap.close();
        tap.frame(Bytes::from_static(b"{}"));
        let m = tap.counters().snapshot();
        assert_eq!((m.frames_offered, m.dropped), (0, 0));
        assert!(matches!(rx.try_recv(), Ok(Tapped::Close)));
    }
}
