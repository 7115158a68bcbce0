//! The feed scenario. (1) Decode + apply on one core: a generated stream of `orderbook_delta`
//! frames through the feed's core (decode, seq check, book update, conflation) over 200
//! books, beside the bare decode + apply on one `kalshi` book in the same run. (2) End to end:
//! the simulator's market makers flat out on 2,040 books, over loopback WebSocket, through the
//! feed actor to a counting consumer (in the strategy's place): sustained messages per second
//! and the latency the feed adds (frame received → consumer has the book).

use std::{
    borrow::Cow,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use actix::{Actor, Context, Handler};
use chrono::Utc;
use kalshi::{
    Count, Price, Ticker,
    book::OrderBook,
    level::PriceLevel,
    types::OutcomeSide,
    ws::{BookFrame, Incoming, OrderbookDelta, OrderbookSnapshot, decode},
};
use kalshi_sim::{SimConfig, SimServer};
use serde::Serialize;
use tradewind_actors::{
    clock::LiveClock,
    feed::{
        BookConsumer, Feed, FeedConfig, FeedPeers, GetMetrics,
        books::{Applied, Books},
        conflate::Conflator,
    },
    market_data::{BookResynced, BookStale, BookUpdated},
};

const BOOKS: usize = 200;
const FRAMES: usize = 200_000;

#[derive(Debug, Serialize)]
struct Outcome {
    core_msgs_per_s: f64,
    core_ns_per_msg: f64,
    baseline_msgs_per_s: f64,
    baseline_ns_per_msg: f64,
    e2e_deltas: u64,
    e2e_msgs_per_s: f64,
    e2e_added_p50_us: u64,
    e2e_added_p99_us: u64,
    e2e_books: usize,
}

fn tickers() -> Vec<String> {
    (0..BOOKS)
        .map(|i| format!("KXHIGHNY-26NOV28-B{i}.5"))
        .collect()
}

/// Delta frames on sid 1, seq 1.., ±1 on existing levels of every market in turn.
fn frames(tickers: &[String]) -> Vec<String> {
    (0..FRAMES)
        .filter_map(|i| {
            let msg = OrderbookDelta {
                market_ticker: Cow::Borrowed(tickers[i % tickers.len()].as_str()),
                market_id: Cow::Borrowed("9b0f6b43-5b68-4f9f-9f02-a2a8f3c6b1d2"),
                price_dollars: Price::from_cents(40 + (i % 5) as u32)?,
                delta_fp: if (i / tickers.len()).is_multiple_of(2) {
                    Count::ONE
                } else {
                    -Count::ONE
                },
                side: OutcomeSide::Yes,
                client_order_id: None,
                subaccount: None,
                ts: None,
                ts_ms: Some(1_800_000_000_000 + i as i64),
            };
            Incoming::OrderbookDelta(BookFrame {
                sid: 1,
                seq: 1 + i as u64,
                sending_ts_ms: None,
                msg,
            })
            .encode()
            .ok()
        })
        .collect()
}

fn levels() -> Vec<PriceLevel> {
    (40..45)
        .filter_map(|c| {
            Some(PriceLevel::new(
                Price::from_cents(c)?,
                Count::from_whole(100),
            ))
        })
        .collect()
}

/// The feed core: best of 5 passes, ns per message.
fn core(tickers: &[String], frames: &[String]) -> Result<f64, String> {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let mut books = Books::default();
        let now = Utc::now();
        for t in tickers {
            books.watch(&Ticker::new(t.as_str()).map_err(|e| e.to_string())?, now);
            let snap = OrderbookSnapshot {
                market_ticker: Cow::Borrowed(t.as_str()),
                market_id: Cow::Borrowed("x"),
                yes_dollars_fp: levels(),
                no_dollars_fp: Vec::new(),
            };
            books
                .apply_snapshot(&snap, 0, None, now)
                .ok_or("snapshot for an unwatched book")?
                .map_err(|e| e.to_string())?;
        }
        books.seqs.open(1, 0);
        let mut conflator = Conflator::new(1);
        let t0 = Instant::now();
        for f in frames {
            let Ok(Incoming::OrderbookDelta(d)) = decode(f) else {
                return Err("a frame did not decode".into());
            };
            books.seqs.check(d.sid, d.seq);
            if let Applied::Updated(id) = books.apply_delta(&d.msg, d.seq, now) {
                conflator.touch(id);
            }
            if conflator.next(0).is_some() {
                conflator.done(0);
            }
        }
        best = best.min(t0.elapsed().as_nanos() as f64 / frames.len() as f64);
    }
    Ok(best)
}

/// Baseline: decode + apply on one `kalshi` book, best of 5, ns per message.
fn baseline(frames: &[String]) -> Result<f64, String> {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let mut book = OrderBook::from_snapshot(&levels(), &[]).map_err(|e| e.to_string())?;
        let t0 = Instant::now();
        for f in frames {
            let Ok(Incoming::OrderbookDelta(d)) = decode(f) else {
                return Err("a frame did not decode".into());
            };
            let _ = book.apply_delta(d.msg.side, d.msg.price_dollars, d.msg.delta_fp);
        }
        best = best.min(t0.elapsed().as_nanos() as f64 / frames.len() as f64);
    }
    Ok(best)
}

/// Counts book updates and the latency the feed added.
struct Counter(Arc<Mutex<Vec<u64>>>);

impl Actor for Counter {
    type Context = Context<Self>;
}

impl Handler<BookUpdated> for Counter {
    type Result = ();
    fn handle(&mut self, msg: BookUpdated, _: &mut Context<Self>) {
        let us = (Utc::now() - msg.received_at)
            .num_microseconds()
            .unwrap_or(0)
            .max(0) as u64;
        if let Ok(mut v) = self.0.lock() {
            v.push(us);
        }
    }
}

impl Handler<BookStale> for Counter {
    type Result = ();
    fn handle(&mut self, _: BookStale, _: &mut Context<Self>) {}
}

impl Handler<BookResynced> for Counter {
    type Result = ();
    fn handle(&mut self, _: BookResynced, _: &mut Context<Self>) {}
}

fn pct(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// End to end: answers (deltas, seconds, added-latency samples, books).
fn end_to_end() -> Result<(u64, f64, Vec<u64>, usize), String> {
    let mut cfg = SimConfig::default();
    cfg.catalogue.days = 10;
    cfg.catalogue.brackets = 32;
    cfg.liquidity.actions_per_second = 0.0;
    cfg.rate_limits = false;
    cfg.ws_buffer = 4 << 20;
    let (_, markets) =
        kalshi_sim::catalogue::build(&cfg.catalogue, Utc::now()).map_err(|e| e.to_string())?;
    let watch: Vec<Ticker> = markets.into_iter().map(|m| m.ticker).collect();
    let sim = Arc::new(SimServer::start(cfg).map_err(|e| e.to_string())?);
    sim.control().act(40_000);
    let (signer, _) = kalshi_sim::fresh_account(&sim, "prime", "1000.00")?;
    let samples = Arc::new(Mutex::new(Vec::new()));
    let books = watch.len();
    let out = actix::System::new().block_on(async {
        let counter = Counter(samples.clone()).start();
        let feed = Feed::start_supervised(
            FeedConfig {
                watch,
                ..FeedConfig::default()
            },
            &sim.ws_url(),
            signer,
            LiveClock::shared(),
            FeedPeers {
                books: vec![BookConsumer::of(&counter)],
                ..FeedPeers::default()
            },
        )
        .map_err(|e| e.join("; "))?;
        let metrics = || async { feed.send(GetMetrics).await.map_err(|e| e.to_string()) };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let m = metrics().await?;
            if m.books == books && m.books_stale == 0 {
                break;
            }
            if Instant::now() > deadline {
                return Err("the books never synced".to_owned());
            }
            actix_rt::time::sleep(Duration::from_millis(20)).await;
        }
        if let Ok(mut v) = samples.lock() {
            v.clear();
        }
        let deltas =
            |m: &tradewind_actors::feed::FeedMetrics| m.counters.messages.get("orderbook_delta");
        let before = deltas(&metrics().await?);
        let producer_sim = sim.clone();
        let producer = std::thread::spawn(move || {
            for _ in 0..200 {
                producer_sim.control().act(500);
            }
        });
        let t0 = Instant::now();
        let (mut last, mut last_change) = (before, t0);
        loop {
            actix_rt::time::sleep(Duration::from_millis(20)).await;
            let n = deltas(&metrics().await?);
            if n != last {
                (last, last_change) = (n, Instant::now());
            } else if producer.is_finished() && last_change.elapsed() > Duration::from_millis(500) {
                break;
            }
        }
        let secs = last_change.duration_since(t0).as_secs_f64();
        Ok::<_, String>((last - before, secs))
    })?;
    let mut s = samples.lock().map_err(|e| e.to_string())?.clone();
    s.sort_unstable();
    if let Ok(sim) = Arc::try_unwrap(sim) {
        sim.stop();
    }
    Ok((out.0, out.1, s, books))
}

/// Runs the scenario; answers the JSON of the outcome.
pub fn run() -> Result<String, String> {
    let tickers = tickers();
    let frames = frames(&tickers);
    let core_ns = core(&tickers, &frames)?;
    let base_ns = baseline(&frames)?;
    let (deltas, secs, added, books) = end_to_end()?;
    let o = Outcome {
        core_msgs_per_s: 1e9 / core_ns,
        core_ns_per_msg: core_ns,
        baseline_msgs_per_s: 1e9 / base_ns,
        baseline_ns_per_msg: base_ns,
        e2e_deltas: deltas,
        e2e_msgs_per_s: deltas as f64 / secs.max(1e-9),
        e2e_added_p50_us: pct(&added, 0.50),
        e2e_added_p99_us: pct(&added, 0.99),
        e2e_books: books,
    };
    println!("feed: decode + apply, one core ({FRAMES} delta frames, best of 5)");
    println!(
        "  feed core over {BOOKS} books  {:.0} ns/msg = {:.2} M msgs/s",
        o.core_ns_per_msg,
        o.core_msgs_per_s / 1e6
    );
    println!(
        "  baseline: decode + apply on one book  {:.0} ns/msg = {:.2} M msgs/s  (core/baseline {:.2})",
        o.baseline_ns_per_msg,
        o.baseline_msgs_per_s / 1e6,
        o.core_ns_per_msg / o.baseline_ns_per_msg
    );
    println!("feed: end to end, simulator → loopback WebSocket → feed → consumer ({books} books)");
    println!(
        "  {} deltas in {secs:.2} s = {:.0} msgs/s; added latency p50 {} µs, p99 {} µs ({} deliveries)",
        o.e2e_deltas,
        o.e2e_msgs_per_s,
        o.e2e_added_p50_us,
        o.e2e_added_p99_us,
        added.len()
    );
    serde_json::to_string_pretty(&o).map_err(|e| e.to_string())
}
