//! Helpers of the feed's end-to-end tests: a simulator with a small catalogue and fast
//! heartbeats, under any of the WebSocket readings ([`under_each_reading!`] runs a test under
//! all four), a feed with small timeouts, a recording probe (optionally slow, on its own
//! arbiter), waits with deadlines against the simulator's true books, and the rule that no
//! `BookUpdated` ever vouches for a book between its `BookStale` and its `BookResynced`.

#![allow(dead_code)]

pub mod proxy;

use std::{
    collections::{BTreeSet, HashMap},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use actix::{Actor, Addr, Arbiter, Context, Handler};
use kalshi::{Ticker, book::OrderBook, sign::Signer};
use kalshi_sim::{SimConfig, SimHandle, SimServer, readings::Readings};
use tokio::sync::Notify;
use tradewind_actors::{
    clock::LiveClock,
    feed::{BookConsumer, Feed, FeedConfig, FeedMetrics, FeedPeers, GetBook, GetMetrics},
    market_data::{BookResynced, BookStale, BookUpdated, FeedEvent, SetWatchlist},
};

/// Longest wait for anything to happen.
pub const WAIT: Duration = Duration::from_secs(20);

/// A quiet simulator (no background makers: books move only on `act`) with `cities` cities
/// × 1 day × 6 markets, heartbeats every 100 ms and rate limits off.
pub fn sim_config(cities: usize) -> SimConfig {
    let mut cfg = SimConfig::default();
    cfg.liquidity.actions_per_second = 0.0;
    cfg.workers = 1;
    cfg.rate_limits = false;
    cfg.ws_ping_interval_ms = 100;
    cfg.ws_pong_timeout_ms = 1_000;
    cfg.catalogue.cities.truncate(cities);
    cfg.catalogue.days = 1;
    cfg
}

/// The simulator's WebSocket readings (`kalshi_sim::readings`): `ok` and `unsubscribed` take
/// a place in `seq`; a second `orderbook_delta` subscribe is merged into the first.
pub fn ws_readings(acks_in_seq: bool, merge_subscribes: bool) -> Readings {
    Readings {
        ws_acks_in_seq: acks_in_seq,
        ws_merge_subscribes: merge_subscribes,
        ..Readings::default()
    }
}

/// [`sim_config`] under `readings`.
pub fn sim_config_under(cities: usize, readings: Readings) -> SimConfig {
    let mut cfg = sim_config(cities);
    cfg.readings = readings;
    cfg
}

/// Declares, for the test body `async fn $name(readings: Readings)`, a module `$name` with one
/// test per combination of the two WebSocket readings: `as_documented`, `acks_in_seq`,
/// `merged_subscribes`, `both`. (Not every test file that shares this module uses it.)
#[allow(unused_macros)]
macro_rules! under_each_reading {
    ($name:ident) => {
        mod $name {
            use crate::support::ws_readings;

            #[actix::test]
            async fn as_documented() {
                super::$name(ws_readings(false, false)).await
            }

            #[actix::test]
            async fn acks_in_seq() {
                super::$name(ws_readings(true, false)).await
            }

            #[actix::test]
            async fn merged_subscribes() {
                super::$name(ws_readings(false, true)).await
            }

            #[actix::test]
            async fn both() {
                super::$name(ws_readings(true, true)).await
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use under_each_reading;

/// Checks the feed's metrics against the readings in force: a reading that is off left its
/// counter (acks that took a `seq`, subscribes merged) at zero.
pub fn assert_readings(m: &FeedMetrics, r: Readings) {
    if !r.ws_acks_in_seq {
        assert_eq!(m.counters.acks_in_seq, 0, "{m:?}");
    }
    if !r.ws_merge_subscribes {
        assert_eq!(m.counters.merged_subscribes, 0, "{m:?}");
    }
}

/// The `orderbook_delta` subscriptions `n` subscribes leave: one when the exchange merges them.
pub fn book_subscriptions(r: Readings, n: usize) -> usize {
    if r.ws_merge_subscribes { n.min(1) } else { n }
}

/// Starts a simulator.
pub fn start_sim(cfg: SimConfig) -> SimHandle {
    SimServer::start(cfg).expect("simulator starts")
}

/// Every market of the simulator's catalogue (built the same way it builds them).
pub fn markets(cfg: &SimConfig) -> Vec<Ticker> {
    let (_, markets) =
        kalshi_sim::catalogue::build(&cfg.catalogue, chrono::Utc::now()).expect("catalogue builds");
    markets.into_iter().map(|m| m.ticker).collect()
}

/// A feed config with small timeouts, so that faults heal in well under a second.
pub fn feed_config(watch: &[Ticker]) -> FeedConfig {
    FeedConfig {
        idle_timeout_ms: 500,
        connect_timeout_ms: 2_000,
        reconnect_min_ms: 20,
        reconnect_base_ms: 40,
        reconnect_cap_ms: 320,
        stable_after_ms: 400,
        resync_timeout_ms: 1_500,
        max_markets_per_subscription: 4,
        watch: watch.to_vec(),
        ..FeedConfig::default()
    }
}

/// What a probe saw.
#[derive(Debug, Clone)]
pub enum Seen {
    /// A conflated book state.
    Updated(BookUpdated),
    /// A book went stale.
    Stale(BookStale),
    /// A book resynced.
    Resynced(BookResynced),
    /// A connection event.
    Event(FeedEvent),
}

/// The shared record of a probe: what arrived, when.
#[derive(Debug, Clone, Default)]
pub struct Log {
    items: Arc<Mutex<Vec<(Instant, Seen)>>>,
    notify: Arc<Notify>,
}

impl Log {
    fn push(&self, seen: Seen) {
        // unwrap: a poisoned lock means another test thread panicked already.
        self.items.lock().unwrap().push((Instant::now(), seen));
        self.notify.notify_waiters();
    }

    /// Everything so far.
    pub fn all(&self) -> Vec<(Instant, Seen)> {
        self.items.lock().unwrap().clone()
    }

    /// Connection events so far, with their arrival times.
    pub fn events(&self) -> Vec<(Instant, FeedEvent)> {
        self.all()
            .into_iter()
            .filter_map(|(t, s)| match s {
                Seen::Event(e) => Some((t, e)),
                _ => None,
            })
            .collect()
    }

    /// Waits until `pred` holds for the record, or panics after [`WAIT`].
    pub async fn wait(&self, what: &str, mut pred: impl FnMut(&[(Instant, Seen)]) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let notified = self.notify.notified();
            if pred(&self.items.lock().unwrap()) {
                return;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("timed out waiting for {what}");
            }
        }
    }

    /// Waits for `n` more events matching `pred` than there were `before`.
    pub async fn wait_events(&self, what: &str, n: usize, pred: impl Fn(&FeedEvent) -> bool) {
        self.wait(what, |all| {
            all.iter()
                .filter(|(_, s)| matches!(s, Seen::Event(e) if pred(e)))
                .count()
                >= n
        })
        .await;
    }

    /// Checks the rule of the feed: after `BookStale` for a book, no `BookUpdated` for it
    /// until a `BookResynced` with a newer epoch, and every `BookUpdated` carries the epoch of
    /// the last resync. Returns how many stale notices there were.
    pub fn assert_never_vouched_while_stale(&self) -> usize {
        let mut stale: HashMap<Ticker, u64> = HashMap::new();
        let mut epoch: HashMap<Ticker, u64> = HashMap::new();
        let mut notices = 0;
        for (_, seen) in self.all() {
            match seen {
                Seen::Stale(s) => {
                    notices += 1;
                    stale.insert(s.ticker, s.epoch);
                }
                Seen::Resynced(r) => {
                    if let Some(e) = stale.get(&r.ticker) {
                        assert!(r.epoch > *e, "resync of {} to an old epoch", r.ticker);
                    }
                    stale.remove(&r.ticker);
                    epoch.insert(r.ticker, r.epoch);
                }
                Seen::Updated(u) => {
                    assert!(
                        !stale.contains_key(&u.ticker),
                        "BookUpdated for {} (epoch {}) while stale",
                        u.ticker,
                        u.epoch
                    );
                    assert_eq!(epoch.get(&u.ticker), Some(&u.epoch), "{}", u.ticker);
                }
                Seen::Event(_) => {}
            }
        }
        notices
    }
}

/// A probe for every book message and connection event; sleeps `pause` in each
/// `BookUpdated` (a slow consumer) — on its own arbiter, so only it is slowed down.
pub struct Recorder {
    log: Log,
    pause: Duration,
}

impl Actor for Recorder {
    type Context = Context<Self>;
}

impl Handler<BookUpdated> for Recorder {
    type Result = ();
    fn handle(&mut self, msg: BookUpdated, _: &mut Context<Self>) {
        if !self.pause.is_zero() {
            std::thread::sleep(self.pause);
        }
        self.log.push(Seen::Updated(msg));
    }
}

impl Handler<BookStale> for Recorder {
    type Result = ();
    fn handle(&mut self, msg: BookStale, _: &mut Context<Self>) {
        self.log.push(Seen::Stale(msg));
    }
}

impl Handler<BookResynced> for Recorder {
    type Result = ();
    fn handle(&mut self, msg: BookResynced, _: &mut Context<Self>) {
        self.log.push(Seen::Resynced(msg));
    }
}

impl Handler<FeedEvent> for Recorder {
    type Result = ();
    fn handle(&mut self, msg: FeedEvent, _: &mut Context<Self>) {
        self.log.push(Seen::Event(msg));
    }
}

/// Starts a recorder on a new arbiter.
pub fn recorder(pause: Duration) -> (Addr<Recorder>, Log) {
    let log = Log::default();
    let arbiter = Arbiter::new();
    let probe_log = log.clone();
    let addr = Recorder::start_in_arbiter(&arbiter.handle(), move |_| Recorder {
        log: probe_log,
        pause,
    });
    (addr, log)
}

/// An account on `sim` and its signer.
pub fn signer(sim: &SimHandle) -> Arc<Signer> {
    crate::common::ed25519_account(sim, "prime").0
}

/// Starts a supervised feed at `url` with a recorder as its book consumer and listener.
pub fn start_feed(
    url: &str,
    signer: Arc<Signer>,
    cfg: FeedConfig,
    pause: Duration,
) -> (Addr<Feed>, Log) {
    let (probe, log) = recorder(pause);
    let peers = FeedPeers {
        books: vec![BookConsumer::of(&probe)],
        events: vec![probe.recipient()],
        ..FeedPeers::default()
    };
    let feed =
        Feed::start_supervised(cfg, url, signer, LiveClock::shared(), peers).expect("feed config");
    (feed, log)
}

/// The feed's metrics.
pub async fn metrics(feed: &Addr<Feed>) -> FeedMetrics {
    feed.send(GetMetrics).await.expect("feed answers")
}

/// The simulator's book of `t` as an [`OrderBook`].
pub fn true_book(sim: &SimHandle, t: &Ticker) -> OrderBook {
    let fp = sim.control().true_book(t).expect("market exists");
    OrderBook::from_snapshot(&fp.yes_dollars, &fp.no_dollars).expect("true book is valid")
}

/// Waits until every book of `tickers` is fresh and equal to the simulator's, polling with
/// a deadline; panics naming the books that never matched.
pub async fn all_true(sim: &SimHandle, feed: &Addr<Feed>, tickers: &[Ticker]) {
    let deadline = Instant::now() + WAIT;
    loop {
        let mut wrong = Vec::new();
        for t in tickers {
            let view = feed
                .send(GetBook { ticker: t.clone() })
                .await
                .expect("feed answers");
            match view {
                Some(v) if v.fresh && *v.book == true_book(sim, t) => {}
                Some(v) => wrong.push(format!("{t} (fresh {}, epoch {})", v.fresh, v.epoch)),
                None => wrong.push(format!("{t} (not watched)")),
            }
        }
        if wrong.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "books never matched the truth: {wrong:?}"
        );
        actix_rt::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Sets the watch list.
pub async fn watch(feed: &Addr<Feed>, tickers: &[Ticker]) {
    let tickers: BTreeSet<Ticker> = tickers.iter().cloned().collect();
    feed.send(SetWatchlist { tickers })
        .await
        .expect("feed answers");
}
