//! Harness (ignored by default): the feed watching 2,040 books of a simulator that runs in its
//! own process (`tradewind sim`), so this process's memory is the feed's. Measures the time to
//! sync every book, the resident memory with them, the sustained rate of deltas through the
//! feed to a counting consumer while the market makers run flat out, the latency the feed adds
//! (frame received → consumer handles the book; and exchange timestamp → consumer), and the
//! time from a forced disconnect to every book fresh again.
//!
//! `cargo test --release -p tradewind --test feed_load -- --ignored --nocapture`

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use actix::{Actor, Arbiter, Context, Handler};
use chrono::Utc;
use kalshi::{Ticker, sign::Signer};
use kalshi_sim::SimConfig;
use tradewind_actors::{
    clock::LiveClock,
    feed::{BookConsumer, Feed, FeedConfig, FeedMetrics, FeedPeers, GetMetrics},
    market_data::{BookResynced, BookStale, BookUpdated},
};

/// 6 cities × 10 days × (32 brackets + 2 tails) = 2,040 markets.
const DAYS: u32 = 10;
const BRACKETS: u32 = 32;
/// Maker actions per request, and requests in the burst.
const CHUNK: u64 = 500;
const REQUESTS: u64 = 200;

/// What the counting consumer saw.
#[derive(Debug)]
struct Counts {
    updates: u64,
    stale: u64,
    resynced: u64,
    /// Frame received by the feed → consumer handles the book, µs.
    added_us: Vec<u64>,
    /// Exchange timestamp → consumer handles the book, µs.
    end_to_end_us: Vec<u64>,
}

struct Counter(Arc<Mutex<Counts>>);

impl Actor for Counter {
    type Context = Context<Self>;
}

impl Handler<BookUpdated> for Counter {
    type Result = ();
    fn handle(&mut self, msg: BookUpdated, _: &mut Context<Self>) {
        let now = Utc::now();
        let mut c = self.0.lock().unwrap();
        c.updates += 1;
        let us = (now - msg.received_at)
            .num_microseconds()
            .unwrap_or(0)
            .max(0) as u64;
        c.added_us.push(us);
        if let Some(ts) = msg.exchange_ts_ms {
            let e2e = (now.timestamp_micros() - ts * 1000).max(0) as u64;
            c.end_to_end_us.push(e2e);
        }
    }
}

impl Handler<BookStale> for Counter {
    type Result = ();
    fn handle(&mut self, _: BookStale, _: &mut Context<Self>) {
        self.0.lock().unwrap().stale += 1;
    }
}

impl Handler<BookResynced> for Counter {
    type Result = ();
    fn handle(&mut self, _: BookResynced, _: &mut Context<Self>) {
        self.0.lock().unwrap().resynced += 1;
    }
}

/// This process's resident and peak memory, MiB.
fn rss_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The simulator in a child process: its process, admin address, WebSocket URL and signer.
fn start_child_sim(dir: &std::path::Path) -> (Child, String, String, Arc<Signer>) {
    let config = dir.join("sim.toml");
    std::fs::write(
        &config,
        format!(
            "workers = 2\nrate_limits = false\nws_buffer = 4194304\n\
             [catalogue]\ndays = {DAYS}\nbrackets = {BRACKETS}\n\
             [liquidity]\nactions_per_second = 0.0\n"
        ),
    )
    .unwrap();
    let key = dir.join("key.pem");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tradewind"))
        .args(["sim", "--config"])
        .arg(&config)
        .arg("--new-key")
        .arg(&key)
        .args(["--tier", "prime"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("tradewind sim starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut ws, mut key_id) = (None, None);
    while ws.is_none() || key_id.is_none() {
        let line = lines.next().expect("simulator output").unwrap();
        if let Some(url) = line.trim().strip_prefix("WebSocket ") {
            ws = Some(url.trim().to_owned());
        }
        if let Some(id) = line.trim().split("KALSHI_API_KEY_ID=").nth(1) {
            key_id = Some(id.trim().to_owned());
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let ws = ws.unwrap();
    let admin = ws
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let signer = Signer::from_pem_file(key_id.unwrap(), &key).expect("key");
    (child, admin, ws, Arc::new(signer))
}

/// One admin request on a fresh connection, plain HTTP/1.1.
fn admin(addr: &str, path: &str, body: &str) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /_sim{path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 2"), "{answer}");
}

async fn metrics(feed: &actix::Addr<Feed>) -> FeedMetrics {
    feed.send(GetMetrics).await.unwrap()
}

async fn until(
    feed: &actix::Addr<Feed>,
    what: &str,
    pred: impl Fn(&FeedMetrics) -> bool,
) -> FeedMetrics {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let m = metrics(feed).await;
        if pred(&m) {
            return m;
        }
        assert!(Instant::now() < deadline, "never {what}: {m:?}");
        actix_rt::time::sleep(Duration::from_millis(5)).await;
    }
}

fn delta_count(m: &FeedMetrics) -> u64 {
    m.counters.messages.get("orderbook_delta")
}

fn pct(samples: &[u64]) -> String {
    let mut v = samples.to_vec();
    v.sort_unstable();
    let at = |q: f64| {
        v.get(((v.len() as f64 * q) as usize).min(v.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0) as f64
            / 1000.0
    };
    format!(
        "p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms (n = {})",
        at(0.5),
        at(0.99),
        at(1.0),
        v.len()
    )
}

#[actix::test]
#[ignore = "load harness; run with --release -- --ignored --nocapture"]
async fn feed_with_2040_books_under_load() {
    let dir = std::env::temp_dir().join(format!("tradewind-feed-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (mut child, addr, ws, signer) = start_child_sim(&dir);
    let mut cfg = SimConfig::default();
    cfg.catalogue.days = DAYS;
    cfg.catalogue.brackets = BRACKETS;
    let (_, markets) = kalshi_sim::catalogue::build(&cfg.catalogue, Utc::now()).unwrap();
    let tickers: Vec<Ticker> = markets.into_iter().map(|m| m.ticker).collect();
    admin(&addr, "/world/act", r#"{"actions":40000}"#);

    let counts = Arc::new(Mutex::new(Counts {
        updates: 0,
        stale: 0,
        resynced: 0,
        added_us: Vec::new(),
        end_to_end_us: Vec::new(),
    }));
    let probe_counts = counts.clone();
    let probe = Counter::start_in_arbiter(&Arbiter::new().handle(), move |_| Counter(probe_counts));
    let (rss0, _) = rss_mib();
    let started = Instant::now();
    let peers = FeedPeers {
        books: vec![BookConsumer::of(&probe)],
        ..FeedPeers::default()
    };
    let feed_cfg = FeedConfig {
        watch: tickers.clone(),
        ..FeedConfig::default()
    };
    let feed = Feed::start_supervised(feed_cfg, &ws, signer, LiveClock::shared(), peers).unwrap();
    let synced = until(&feed, "synced every book", |m| {
        m.books == tickers.len() && m.books_stale == 0
    })
    .await;
    let sync_time = started.elapsed();
    let (rss1, _) = rss_mib();
    println!(
        "{} books synced in {sync_time:?} ({} subscriptions, {:.1} MB of snapshots); RSS {rss0:.1} MiB before the feed, {rss1:.1} MiB with every book (+{:.1} MiB)",
        synced.books,
        synced.book_subscriptions,
        synced.counters.bytes as f64 / 1e6,
        rss1 - rss0
    );

    // The burst: makers act flat out from another thread.
    let before = metrics(&feed).await;
    let producer_addr = addr.clone();
    let producer = std::thread::spawn(move || {
        let t = Instant::now();
        for _ in 0..REQUESTS {
            admin(
                &producer_addr,
                "/world/act",
                &format!(r#"{{"actions":{CHUNK}}}"#),
            );
        }
        t.elapsed()
    });
    let t0 = Instant::now();
    let (mut last, mut last_change) = (delta_count(&before), t0);
    loop {
        actix_rt::time::sleep(Duration::from_millis(20)).await;
        let n = delta_count(&metrics(&feed).await);
        if n != last {
            (last, last_change) = (n, Instant::now());
        } else if producer.is_finished() && last_change.elapsed() > Duration::from_millis(500) {
            break;
        }
    }
    let produced_in = producer.join().unwrap();
    let after = metrics(&feed).await;
    let deltas = delta_count(&after) - delta_count(&before);
    let secs = last_change.duration_since(t0).as_secs_f64();
    let (rss2, peak) = rss_mib();
    {
        let c = counts.lock().unwrap();
        println!(
            "{deltas} deltas ({:.1} MB) through the feed in {secs:.3} s = {:.0} msgs/s (the makers produced them in {produced_in:?}); \
             {} conflated states delivered, {} folded; gaps {}",
            (after.counters.bytes - before.counters.bytes) as f64 / 1e6,
            deltas as f64 / secs,
            c.updates,
            after.conflated - before.conflated,
            after.counters.gaps
        );
        println!(
            "added latency (feed received the frame → consumer has the book): {}",
            pct(&c.added_us)
        );
        println!("exchange timestamp → consumer: {}", pct(&c.end_to_end_us));
        println!(
            "exchange timestamp → feed (feed metrics): {:?}",
            after.exchange_delay
        );
    }
    println!("RSS after the burst {rss2:.1} MiB, peak {peak:.1} MiB");

    // Forced disconnects: time until every book is fresh again.
    for (i, mode) in ["cut", "close", "cut"].iter().enumerate() {
        admin(&addr, "/faults", &format!(r#"{{"ws_drop_now":"{mode}"}}"#));
        let m = until(&feed, "recovered", |m| {
            m.counters.reconnects == i as u64 + 1 && m.books_stale == 0 && m.connected
        })
        .await;
        println!(
            "drop ({mode}) → every one of {} books fresh again in {:?} ms",
            m.books, m.counters.last_recovery_ms
        );
    }
    let m = metrics(&feed).await;
    println!(
        "recovery over {} drops: {:?}",
        m.counters.reconnects, m.recovery
    );
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
