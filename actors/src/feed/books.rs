//! [`Books`]: the local books and what the feed can vouch for — pure, no I/O.
//!
//! - **Sequence** ([`SeqTracker`], in `seq.rs`): `seq` per `sid`, with a verdict for each
//!   number (in order, gap, duplicate, out of order).
//! - **Books**: every watched market has an entry from the moment it is watched. A snapshot
//!   replaces its content and starts a new **epoch** (a feed-wide counter, so an epoch is never
//!   reused, even by a market watched again later); a delta applies exactly to a fresh book
//!   and is dropped for a stale one (the snapshot on its way will contain it). An integrity
//!   error leaves the book unchanged and stale. A book is *fresh* only between its snapshot and
//!   the next thing that casts doubt on it: a sequence anomaly, an integrity error, a lost
//!   subscription or a lost connection.
//!
//! Entries live in a slab so the conflator can name them by a small [`BookId`]; the ticker
//! index is looked up by `&str` without allocating.

use std::{
    collections::HashMap,
    hash::{BuildHasherDefault, Hasher},
    sync::Arc,
};

use chrono::{DateTime, Utc};
use kalshi::{
    Ticker,
    book::{BookError, OrderBook},
    ws::{OrderbookDelta, OrderbookSnapshot},
};

pub use super::seq::{SeqCheck, SeqTracker};
use crate::{market_data::StaleReason, stamps::PathStamps};

/// A book's slot.
pub type BookId = u32;

/// The ticker index's hash: FxHash's word-at-a-time multiply. The keys are the feed's own
/// watch list, so the flooding resistance of the default SipHash buys nothing here, and it
/// would cost about a twentieth of each delta's time.
#[derive(Debug, Default, Clone, Copy)]
pub struct TickerHasher(u64);

impl TickerHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for TickerHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.add(u64::from_le_bytes(w.try_into().unwrap_or_default()));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// One watched market.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The market.
    pub ticker: Ticker,
    /// Its book; shared with consumers, copied on write only while one holds it.
    pub book: Arc<OrderBook>,
    /// Epoch of the last snapshot (0: never synced).
    pub epoch: u64,
    /// Whether the book can be vouched for.
    pub fresh: bool,
    /// Why it is not fresh (`None` while fresh or before its first snapshot).
    pub stale_reason: Option<StaleReason>,
    /// `seq` of the last message applied.
    pub seq: u64,
    /// Exchange time of the last update, ms, when the exchange sent one.
    pub exchange_ts_ms: Option<i64>,
    /// When the last update was received.
    pub received_at: DateTime<Utc>,
    /// When a snapshot was last asked for while not fresh (monotonic ns).
    pub requested_ns: Option<u128>,
    /// The last delta's frame received and book applied stamps.
    pub stamps: PathStamps,
}

/// The result of a delta.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Applied to a fresh book.
    Updated(BookId),
    /// The book is waiting for a snapshot; the delta is in it.
    Dropped,
    /// Not a watched market.
    Unwatched,
    /// The delta would have broken the book: it is unchanged, now stale.
    Broken(BookId, BookError),
}

/// A book that stopped being fresh: tell consumers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WentStale {
    /// Its slot.
    pub id: BookId,
    /// The market.
    pub ticker: Ticker,
    /// The epoch that went stale.
    pub epoch: u64,
}

/// Every watched book.
#[derive(Debug, Default)]
pub struct Books {
    slots: Vec<Option<Entry>>,
    free: Vec<BookId>,
    index: HashMap<Ticker, BookId, BuildHasherDefault<TickerHasher>>,
    fresh: usize,
    next_epoch: u64,
    /// Sequence numbers of the open sids.
    pub seqs: SeqTracker,
}

impl Books {
    /// Watches `ticker` (no-op when watched); a new entry waits for its first snapshot.
    pub fn watch(&mut self, ticker: &Ticker, now: DateTime<Utc>) -> BookId {
        if let Some(id) = self.index.get(ticker.as_str()) {
            return *id;
        }
        let entry = Entry {
            ticker: ticker.clone(),
            book: Arc::new(OrderBook::new()),
            epoch: 0,
            fresh: false,
            stale_reason: None,
            seq: 0,
            exchange_ts_ms: None,
            received_at: now,
            stamps: PathStamps::default(),
            requested_ns: None,
        };
        let id = match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = Some(entry);
                id
            }
            None => {
                self.slots.push(Some(entry));
                (self.slots.len() - 1) as BookId
            }
        };
        self.index.insert(ticker.clone(), id);
        id
    }

    /// Stops watching `ticker`; returns its last entry.
    pub fn unwatch(&mut self, ticker: &str) -> Option<Entry> {
        let id = self.index.remove(ticker)?;
        let entry = self.slots.get_mut(id as usize)?.take()?;
        self.free.push(id);
        if entry.fresh {
            self.fresh -= 1;
        }
        Some(entry)
    }

    /// The slot of a watched market.
    pub fn id(&self, ticker: &str) -> Option<BookId> {
        self.index.get(ticker).copied()
    }

    /// A watched book by slot.
    pub fn get(&self, id: BookId) -> Option<&Entry> {
        self.slots.get(id as usize).and_then(Option::as_ref)
    }

    /// Records the path stamps of the update just applied to book `id`.
    pub fn stamp(&mut self, id: BookId, stamps: PathStamps) {
        if let Some(Some(e)) = self.slots.get_mut(id as usize) {
            e.stamps = stamps;
        }
    }

    /// A watched book by market.
    pub fn by_ticker(&self, ticker: &str) -> Option<&Entry> {
        self.id(ticker).and_then(|id| self.get(id))
    }

    /// Every watched book.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.slots.iter().flatten()
    }

    /// Watched markets.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when nothing is watched.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Books that cannot be vouched for now (stale or never synced).
    pub fn not_fresh(&self) -> usize {
        self.index.len() - self.fresh
    }

    /// Replaces a watched book with a snapshot under a new epoch; `None` for an unwatched
    /// market. An invalid snapshot leaves the book stale and is an error.
    pub fn apply_snapshot(
        &mut self,
        snap: &OrderbookSnapshot<'_>,
        seq: u64,
        exchange_ts_ms: Option<i64>,
        now: DateTime<Utc>,
    ) -> Option<Result<(BookId, u64), BookError>> {
        let id = self.id(&snap.market_ticker)?;
        let epoch = self.next_epoch + 1;
        let entry = self.slots[id as usize].as_mut()?;
        if let Err(e) = snap.apply_to(Arc::make_mut(&mut entry.book)) {
            if entry.fresh {
                entry.fresh = false;
                self.fresh -= 1;
            }
            entry.stale_reason = Some(StaleReason::Integrity);
            return Some(Err(e));
        }
        self.next_epoch = epoch;
        if !entry.fresh {
            self.fresh += 1;
        }
        entry.fresh = true;
        entry.stale_reason = None;
        entry.epoch = epoch;
        entry.seq = seq;
        entry.exchange_ts_ms = exchange_ts_ms;
        entry.received_at = now;
        entry.requested_ns = None;
        Some(Ok((id, epoch)))
    }

    /// Applies a delta that came in order. Hot path: no allocation unless a consumer still
    /// holds the previous state of the book (then one copy).
    pub fn apply_delta(
        &mut self,
        delta: &OrderbookDelta<'_>,
        seq: u64,
        now: DateTime<Utc>,
    ) -> Applied {
        let Some(id) = self.id(&delta.market_ticker) else {
            return Applied::Unwatched;
        };
        let Some(entry) = self.slots[id as usize].as_mut() else {
            return Applied::Unwatched;
        };
        if !entry.fresh {
            return Applied::Dropped;
        }
        if let Err(e) = delta.apply_to(Arc::make_mut(&mut entry.book)) {
            entry.fresh = false;
            entry.stale_reason = Some(StaleReason::Integrity);
            self.fresh -= 1;
            return Applied::Broken(id, e);
        }
        entry.seq = seq;
        entry.exchange_ts_ms = delta.ts_ms;
        entry.received_at = now;
        Applied::Updated(id)
    }

    /// Marks a watched book stale; says so when it was fresh (consumers must be told).
    pub fn mark_stale(&mut self, ticker: &str, reason: StaleReason) -> Option<WentStale> {
        let id = self.id(ticker)?;
        let entry = self.slots[id as usize].as_mut()?;
        if !entry.fresh {
            entry.stale_reason = Some(reason);
            return None;
        }
        entry.fresh = false;
        entry.stale_reason = Some(reason);
        self.fresh -= 1;
        Some(WentStale {
            id,
            ticker: entry.ticker.clone(),
            epoch: entry.epoch,
        })
    }

    /// Marks every book stale (the connection ended); returns those that were fresh.
    pub fn mark_all_stale(&mut self, reason: StaleReason) -> Vec<WentStale> {
        let tickers: Vec<Ticker> = self.index.keys().cloned().collect();
        tickers
            .iter()
            .filter_map(|t| self.mark_stale(t, reason))
            .collect()
    }

    /// A snapshot of `ticker` was asked for at `now_ns`.
    pub fn requested(&mut self, ticker: &str, now_ns: u128) {
        if let Some(id) = self.id(ticker)
            && let Some(entry) = self.slots[id as usize].as_mut()
        {
            entry.requested_ns = Some(now_ns);
        }
    }

    /// Whether a snapshot of a stale `ticker` is already on its way.
    pub fn is_requested(&self, ticker: &str) -> bool {
        self.by_ticker(ticker)
            .is_some_and(|e| !e.fresh && e.requested_ns.is_some())
    }

    /// Books not fresh whose snapshot was asked for more than `timeout_ns` ago.
    pub fn overdue(&self, now_ns: u128, timeout_ns: u128) -> Vec<Ticker> {
        self.iter()
            .filter(|e| {
                !e.fresh
                    && e.requested_ns
                        .is_some_and(|at| now_ns.saturating_sub(at) >= timeout_ns)
            })
            .map(|e| e.ticker.clone())
            .collect()
    }
}

#[cfg(test)]
#[path = "books_tests.rs"]
mod tests;
