//! The reconnect scenario: time from a forced disconnect to every one of N watched books fresh
//! again, for N = 100 and 2,040 (the simulator's catalogue at 10 days × 34 strikes × 6 cities).
//! Each drop is split at `FeedEvent::Connected`, which the feed emits once reconnected (after
//! the jittered reconnect delay) and every subscription is confirmed; snapshots of the first
//! subscriptions can arrive before the last is confirmed, so the split is indicative and the
//! total (drop → the last `BookResynced`) is the figure.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use actix::{Actor, Context, Handler};
use kalshi::{Ticker, sign::Signer};
use kalshi_sim::{SimConfig, SimHandle, SimServer, server::faults::DropMode};
use serde::Serialize;
use tokio::sync::Notify;
use tradewind_actors::{
    clock::LiveClock,
    feed::{BookConsumer, Feed, FeedConfig, FeedPeers},
    market_data::{BookResynced, BookStale, BookUpdated, FeedEvent},
};

#[derive(Default)]
struct Seen {
    resynced: usize,
    /// The reconnect delay the feed chose after the last drop.
    delay: Option<Duration>,
    connected_at: Option<Instant>,
    last_resync_at: Option<Instant>,
}

/// Counts what the feed tells it.
struct Counter(Arc<Mutex<Seen>>, Arc<Notify>);

impl Actor for Counter {
    type Context = Context<Self>;
}

impl Handler<BookUpdated> for Counter {
    type Result = ();
    fn handle(&mut self, _: BookUpdated, _: &mut Context<Self>) {}
}

impl Handler<BookStale> for Counter {
    type Result = ();
    fn handle(&mut self, _: BookStale, _: &mut Context<Self>) {}
}

impl Handler<BookResynced> for Counter {
    type Result = ();
    fn handle(&mut self, _: BookResynced, _: &mut Context<Self>) {
        if let Ok(mut s) = self.0.lock() {
            s.resynced += 1;
            s.last_resync_at = Some(Instant::now());
        }
        self.1.notify_waiters();
    }
}

impl Handler<FeedEvent> for Counter {
    type Result = ();
    fn handle(&mut self, ev: FeedEvent, _: &mut Context<Self>) {
        if let Ok(mut s) = self.0.lock() {
            match ev {
                FeedEvent::Connected => s.connected_at = Some(Instant::now()),
                FeedEvent::Reconnecting { delay, .. } => s.delay = Some(delay),
                FeedEvent::Disconnected { .. } => {}
            }
        }
        self.1.notify_waiters();
    }
}

#[derive(Debug, Serialize)]
struct Drop {
    books: usize,
    reconnect_delay_ms: f64,
    fresh_after_delay_ms: f64,
    subscribed_ms: f64,
    fresh_after_subscribed_ms: f64,
    total_ms: f64,
}

/// Waits until `pred` holds of what the counter saw (or 30 s).
async fn until(seen: &Mutex<Seen>, notify: &Notify, pred: impl Fn(&Seen) -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let woken = notify.notified();
        if seen.lock().map(|s| pred(&s)).unwrap_or(false) {
            return true;
        }
        if tokio::time::timeout_at(deadline, woken).await.is_err() {
            return false;
        }
    }
}

/// Runs the scenario; answers the JSON of every drop.
pub fn run() -> Result<String, String> {
    let mut cfg = SimConfig::default();
    cfg.catalogue.days = 10;
    cfg.catalogue.brackets = 32;
    cfg.liquidity.actions_per_second = 0.0;
    cfg.rate_limits = false;
    cfg.ws_buffer = 4 << 20;
    let (_, markets) = kalshi_sim::catalogue::build(&cfg.catalogue, chrono::Utc::now())
        .map_err(|e| e.to_string())?;
    let all: Vec<Ticker> = markets.into_iter().map(|m| m.ticker).collect();
    let sim = SimServer::start(cfg).map_err(|e| e.to_string())?;
    sim.control().act(40_000);
    let (signer, _) = kalshi_sim::fresh_account(&sim, "prime", "1000.00")?;
    let mut drops = Vec::new();
    for n in [100, all.len()] {
        let tickers = all[..n].to_vec();
        let result = actix::System::new().block_on(drops_of(&sim, &signer, tickers))?;
        drops.extend(result);
    }
    sim.stop();
    print_table(&drops);
    serde_json::to_string_pretty(&drops).map_err(|e| e.to_string())
}

/// Starts a feed watching `tickers`, waits until every book is synced, then drops the
/// connection five times, 1 s after each recovery; answers each drop's figures.
async fn drops_of(
    sim: &SimHandle,
    signer: &Arc<Signer>,
    tickers: Vec<Ticker>,
) -> Result<Vec<Drop>, String> {
    let n = tickers.len();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let notify = Arc::new(Notify::new());
    let counter = Counter(seen.clone(), notify.clone()).start();
    let peers = FeedPeers {
        books: vec![BookConsumer::of(&counter)],
        events: vec![counter.clone().recipient()],
        ..FeedPeers::default()
    };
    let feed_cfg = FeedConfig {
        watch: tickers,
        // Drops are 1 s apart: count a connection stable after 0.5 s so every drop
        // starts from the first delay (250–1,000 ms, jittered).
        stable_after_ms: 500,
        ..FeedConfig::default()
    };
    let _feed = Feed::start_supervised(
        feed_cfg,
        &sim.ws_url(),
        signer.clone(),
        LiveClock::shared(),
        peers,
    )
    .map_err(|e| e.join("; "))?;
    if !until(&seen, &notify, |s| s.resynced >= n).await {
        return Err(format!("{n} books never all synced"));
    }
    let mut out = Vec::new();
    for _ in 0..5 {
        out.push(one_drop(sim, &seen, &notify, n).await?);
        // Let the connection count as stable so the next delay starts from the floor.
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    Ok(out)
}

/// Cuts the WebSocket and waits until the feed is connected again and all `n` books have
/// resynced; answers the drop's figures.
async fn one_drop(
    sim: &SimHandle,
    seen: &Mutex<Seen>,
    notify: &Notify,
    n: usize,
) -> Result<Drop, String> {
    let before = seen.lock().map(|s| s.resynced).unwrap_or(0);
    if let Ok(mut s) = seen.lock() {
        s.connected_at = None;
        s.delay = None;
    }
    let dropped_at = Instant::now();
    sim.control().drop_ws(DropMode::Cut);
    if !until(seen, notify, |s| {
        s.connected_at.is_some() && s.resynced >= before + n
    })
    .await
    {
        return Err(format!("{n} books not fresh 30 s after a drop"));
    }
    let (back, last, delay) = {
        let s = seen.lock().map_err(|e| e.to_string())?;
        (
            s.connected_at.unwrap_or(dropped_at),
            s.last_resync_at.unwrap_or(dropped_at),
            s.delay.unwrap_or_default(),
        )
    };
    let total = last - dropped_at;
    Ok(Drop {
        books: n,
        reconnect_delay_ms: delay.as_secs_f64() * 1e3,
        fresh_after_delay_ms: total.saturating_sub(delay).as_secs_f64() * 1e3,
        subscribed_ms: (back - dropped_at).as_secs_f64() * 1e3,
        fresh_after_subscribed_ms: last.saturating_duration_since(back).as_secs_f64() * 1e3,
        total_ms: (last - dropped_at).as_secs_f64() * 1e3,
    })
}

/// Prints the drops as a table.
fn print_table(drops: &[Drop]) {
    println!("reconnect: forced TCP cut → every watched book fresh again");
    println!(
        "  (the feed waits its jittered reconnect delay first; 'after the delay' is the rest:\n   \
         handshake, subscriptions and every snapshot)"
    );
    println!("  books  reconnect delay ms  fresh after the delay ms  total ms");
    for d in drops {
        println!(
            "  {:>5}  {:>18.1}  {:>24.1}  {:>8.1}",
            d.books, d.reconnect_delay_ms, d.fresh_after_delay_ms, d.total_ms
        );
    }
}
