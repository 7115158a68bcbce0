//! [`Shared`]: the state every HTTP worker and WebSocket session of one simulator shares —
//! the exchange core and world behind one lock, registered keys, token buckets, fault
//! switches, counters and logs — plus the [`Shared::with_core`] door through which every
//! change to the exchange passes so its notices are published in order.

use std::{
    collections::{BTreeMap, HashMap, VecDeque},
    sync::{
        Arc, Mutex, MutexGuard, PoisonError, RwLock,
        atomic::{AtomicU64, Ordering},
    },
};

use chrono::{DateTime, Utc};
use kalshi::{
    ClientOrderId, Ticker,
    bucket::TokenBucket,
    limits::{Bucket, Tier},
    sign::VerifyingKey,
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde::Serialize;
use tokio::sync::broadcast;

use super::{faults::Faults, sessions::SessionControl};
use crate::{
    clock::SimClock,
    config::SimConfig,
    engine::{AccountIdx, Exchange, Notice},
    world::World,
};

/// The exchange and the world that moves it, locked together.
#[derive(Debug)]
pub struct Core {
    /// Accounts, markets, orders.
    pub exchange: Exchange,
    /// Truths and market makers.
    pub world: World,
}

/// A notice with its publication stamp (strictly increasing, assigned under the core lock).
#[derive(Debug)]
pub struct Stamped {
    /// Order of publication.
    pub stamp: u64,
    /// What happened.
    pub notice: Notice,
}

/// A registered API key.
#[derive(Debug, Clone)]
pub struct KeyEntry {
    /// Owner.
    pub account: AccountIdx,
    /// Public key.
    pub key: VerifyingKey,
}

/// One create attempt as the exchange saw it (ground truth for duplicate checks).
#[derive(Debug, Clone, Serialize)]
pub struct OrderAttempt {
    /// Account id.
    pub account_id: String,
    /// Client order id sent, if any.
    pub client_order_id: Option<ClientOrderId>,
    /// Market.
    pub ticker: String,
    /// Arrival (simulator clock).
    pub arrival_time: DateTime<Utc>,
    /// Arrival, monotonic nanoseconds since the simulator started.
    pub arrival_ns: u128,
    /// `accepted`, `rejected`, or `accepted_response_dropped`.
    pub outcome: String,
    /// HTTP status answered (0 when the connection was reset instead).
    pub status: u16,
    /// Error code of a rejection.
    pub code: Option<String>,
    /// Exchange order id when accepted.
    pub order_id: Option<String>,
}

/// One API request as it arrived.
#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    /// Arrival, monotonic nanoseconds.
    pub arrival_ns: u128,
    /// When the answer was ready, monotonic nanoseconds.
    pub done_ns: u128,
    /// `GET`, `POST`, ...
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// The query string (without `?`; empty for none).
    pub query: String,
    /// Account id when authenticated.
    pub account_id: Option<String>,
    /// Status answered.
    pub status: u16,
}

/// Counters reported by `GET /_sim/stats`.
#[derive(Debug, Default)]
pub struct Stats {
    /// Requests per `METHOD template`.
    pub per_endpoint: Mutex<BTreeMap<String, u64>>,
    /// Responses per status code.
    pub per_status: Mutex<BTreeMap<u16, u64>>,
    /// 429s sent (budget and injected).
    pub sent_429: AtomicU64,
    /// 409s sent.
    pub sent_409: AtomicU64,
    /// 401s sent.
    pub sent_401: AtomicU64,
    /// 5xx sent (injected).
    pub sent_5xx: AtomicU64,
    /// Connections reset after accepting an order.
    pub resets_after_accept: AtomicU64,
    /// WebSocket connections opened.
    pub ws_connections: AtomicU64,
    /// WebSocket data/response messages sent.
    pub ws_messages: AtomicU64,
    /// WebSocket connections dropped by faults.
    pub ws_drops: AtomicU64,
    /// WebSocket connections closed for missing pongs.
    pub ws_pong_timeouts: AtomicU64,
}

/// Per-account token buckets.
#[derive(Debug)]
pub struct Buckets {
    /// Read bucket.
    pub read: TokenBucket,
    /// Write bucket.
    pub write: TokenBucket,
}

/// Bounded length of the request log.
pub const REQUEST_LOG_CAP: usize = 200_000;

/// Everything one simulator shares.
#[derive(Debug)]
pub struct Shared {
    /// Settings.
    pub config: SimConfig,
    /// Time.
    pub clock: SimClock,
    /// When the simulator started, on its clock: everything it holds is newer.
    pub started: DateTime<Utc>,
    core: Mutex<Core>,
    stamp: AtomicU64,
    /// Notices to WebSocket sessions.
    pub notices: broadcast::Sender<Arc<Stamped>>,
    /// API keys by key id.
    pub keys: RwLock<HashMap<String, KeyEntry>>,
    /// Token buckets by account.
    pub buckets: Mutex<HashMap<AccountIdx, Buckets>>,
    /// Fault switches.
    pub faults: Mutex<Faults>,
    /// Random draws for fractional faults.
    pub fault_rng: Mutex<StdRng>,
    /// Counters.
    pub stats: Stats,
    /// The synthetic forecast's model run: `POST /_sim/forecast/run` publishes the next one
    /// (new ensemble members from the same hidden truths).
    pub forecast_run: AtomicU64,
    /// Every create attempt.
    pub order_log: Mutex<Vec<OrderAttempt>>,
    /// Recent API requests.
    pub request_log: Mutex<VecDeque<RequestRecord>>,
    /// Live WebSocket sessions.
    pub sessions: Mutex<HashMap<u64, SessionControl>>,
    /// Next WebSocket session id.
    pub next_session: AtomicU64,
}

/// Locks a mutex, recovering the data if a panic ever poisoned it.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// State around an exchange and world.
    pub fn new(config: SimConfig, clock: SimClock, core: Core) -> Shared {
        let (notices, _) = broadcast::channel(config.ws_buffer.max(16));
        let seed = config.seed;
        let faults = Faults {
            readings: config.readings,
            ..Faults::default()
        };
        Shared {
            config,
            started: clock.now(),
            clock,
            core: Mutex::new(core),
            stamp: AtomicU64::new(0),
            notices,
            keys: RwLock::default(),
            buckets: Mutex::default(),
            faults: Mutex::new(faults),
            fault_rng: Mutex::new(StdRng::seed_from_u64(seed ^ 0xfa17)),
            stats: Stats::default(),
            forecast_run: AtomicU64::new(0),
            order_log: Mutex::default(),
            request_log: Mutex::default(),
            sessions: Mutex::default(),
            next_session: AtomicU64::new(1),
        }
    }

    /// Runs `f` on the core under its lock, then publishes the notices it queued, stamped in
    /// order, before the lock is released. Returns `f`'s result and the last stamp.
    pub fn with_core<R>(&self, f: impl FnOnce(&mut Core, DateTime<Utc>) -> R) -> R {
        let mut core = lock(&self.core);
        let now = self.clock.now();
        let out = f(&mut core, now);
        for notice in core.exchange.drain_notices() {
            let stamp = self.stamp.fetch_add(1, Ordering::SeqCst) + 1;
            // No receivers is fine: nobody is subscribed.
            let _ = self.notices.send(Arc::new(Stamped { stamp, notice }));
        }
        out
    }

    /// Reads the core under its lock together with the stamp of the last published notice:
    /// a snapshot taken here already includes every notice up to that stamp.
    pub fn read_core<R>(&self, f: impl FnOnce(&Core) -> R) -> (R, u64) {
        let core = lock(&self.core);
        (f(&core), self.stamp.load(Ordering::SeqCst))
    }

    /// Registers a key for `account`.
    pub fn add_key(&self, key_id: String, account: AccountIdx, key: VerifyingKey) {
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        keys.insert(key_id, KeyEntry { account, key });
    }

    /// The key registered under `key_id`.
    pub fn key(&self, key_id: &str) -> Option<KeyEntry> {
        self.keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key_id)
            .cloned()
    }

    /// Charges `cost` tokens from `account`'s `bucket`; false when it does not hold them.
    /// Always true with rate limits off.
    pub fn charge(&self, account: AccountIdx, tier: &str, bucket: Bucket, cost: u32) -> bool {
        if !self.config.rate_limits {
            return true;
        }
        let now = self.clock.monotonic_ns();
        let mut all = lock(&self.buckets);
        let b = all.entry(account).or_insert_with(|| buckets_for(tier));
        let bucket = match bucket {
            Bucket::Read => &mut b.read,
            Bucket::Write => &mut b.write,
        };
        bucket.try_take(u64::from(cost), now)
    }

    /// Tokens left in each bucket of `account` now.
    pub fn tokens_left(&self, account: AccountIdx, tier: &str) -> (u64, u64) {
        let now = self.clock.monotonic_ns();
        let mut all = lock(&self.buckets);
        let b = all.entry(account).or_insert_with(|| buckets_for(tier));
        (b.read.available(now), b.write.available(now))
    }

    /// Draws against a fault fraction.
    pub fn roll(&self, fraction: f64) -> bool {
        fraction > 0.0 && lock(&self.fault_rng).random_bool(fraction.clamp(0.0, 1.0))
    }

    /// Counts a response status.
    pub fn count_status(&self, status: u16) {
        *lock(&self.stats.per_status).entry(status).or_default() += 1;
        let counter = match status {
            429 => Some(&self.stats.sent_429),
            409 => Some(&self.stats.sent_409),
            401 => Some(&self.stats.sent_401),
            _ => None,
        };
        if let Some(c) = counter {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Appends to the request log (oldest entries fall off past [`REQUEST_LOG_CAP`]).
    pub fn log_request(&self, record: RequestRecord) {
        let mut log = lock(&self.request_log);
        if log.len() == REQUEST_LOG_CAP {
            log.pop_front();
        }
        log.push_back(record);
    }

    /// Where the live endpoints stop and `/historical/*` begins: `historical_after_s` before
    /// now, never before the simulator's start; `None` without the setting.
    pub fn historical_cutoff(&self) -> Option<DateTime<Utc>> {
        let after = i64::try_from(self.config.historical_after_s?).unwrap_or(i64::MAX);
        let back = chrono::Duration::try_seconds(after).unwrap_or(chrono::Duration::MAX);
        let cutoff = self.clock.now().checked_sub_signed(back);
        Some(cutoff.map_or(self.started, |c| c.max(self.started)))
    }

    /// Whether a market exists.
    pub fn has_market(&self, ticker: &Ticker) -> bool {
        self.read_core(|c| c.exchange.market(ticker).is_some()).0
    }
}

/// Fresh, full buckets for a tier (Basic for a tier without documented budgets).
pub fn buckets_for(tier: &str) -> Buckets {
    let budget = Tier::from_wire(tier)
        .budget()
        .or_else(|| Tier::Basic.budget());
    let (read, write) = budget.map_or(((200, 200), (100, 100)), |b| {
        (
            (b.read.refill_rate, b.read.bucket_capacity),
            (b.write.refill_rate, b.write.bucket_capacity),
        )
    });
    Buckets {
        read: TokenBucket::new(u64::from(read.0), u64::from(read.1)),
        write: TokenBucket::new(u64::from(write.0), u64::from(write.1)),
    }
}
