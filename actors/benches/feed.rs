//! The feed's per-message work without the actor plumbing: decode an `orderbook_delta`, check
//! its `seq`, apply it to the right one of 200 books (50 levels a side), read the clock,
//! record the exchange delay and queue the book for conflated delivery — against the `kalshi`
//! crate's decode + apply of one book, measured in the same run, as the baseline.
//!
//! `cargo bench -p tradewind-actors --bench feed -- --warm-up-time 1 --measurement-time 3`

use std::{borrow::Cow, hint::black_box, time::Instant};

use chrono::Utc;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hdrhistogram::Histogram;
use kalshi::{
    Count, Price, Ticker,
    book::OrderBook,
    level::PriceLevel,
    types::OutcomeSide,
    ws::{BookFrame, Incoming, OrderbookDelta, OrderbookSnapshot, decode},
};
use tradewind_actors::feed::{
    books::{Applied, Books, SeqCheck},
    conflate::Conflator,
};

const BOOKS: usize = 200;
const SID: u64 = 7;

fn ticker(i: usize) -> String {
    format!("KXHIGHNY-26FEB{:02}-B{}.5", 1 + i % 28, 40 + i)
}

/// YES bids 0.01..=0.50 and NO bids 0.01..=0.49.
fn levels(top: u32) -> Vec<PriceLevel> {
    (1..=top)
        .map(|c| {
            PriceLevel::new(
                Price::from_cents(c).unwrap(),
                Count::from_whole(i64::from(10 + c * 7)),
            )
        })
        .collect()
}

/// 8192 frames over every book, numbered 1.. on one sid, netting to zero per book: additions
/// near the top, then the same with the sign flipped.
fn frames() -> Vec<String> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let adds: Vec<(usize, OutcomeSide, Price, Count)> = (0..4096)
        .map(|i| {
            let side = if next() % 2 == 0 {
                OutcomeSide::Yes
            } else {
                OutcomeSide::No
            };
            let top = if side == OutcomeSide::Yes { 50 } else { 49 };
            let cents = (top + 3 - (next() % 13) as u32).min(top + 2);
            (
                i % BOOKS,
                side,
                Price::from_cents(cents).unwrap(),
                Count::from_centis(100 + (next() % 50_000) as i64),
            )
        })
        .collect();
    let removes = adds.iter().map(|&(b, s, p, c)| (b, s, p, -c));
    let names: Vec<String> = (0..BOOKS).map(ticker).collect();
    adds.iter()
        .copied()
        .chain(removes)
        .enumerate()
        .map(|(i, (b, side, price, delta))| {
            let msg = OrderbookDelta {
                market_ticker: Cow::Borrowed(&names[b]),
                market_id: Cow::Borrowed("9b0f6b43-5b68-4f9f-9f02-a2a8f3c6b1d2"),
                price_dollars: price,
                delta_fp: delta,
                side,
                client_order_id: None,
                subaccount: None,
                ts: Some(Cow::Borrowed("2022-11-22T20:44:01Z")),
                ts_ms: Some(1_669_149_841_000 + i as i64),
            };
            Incoming::OrderbookDelta(BookFrame {
                sid: SID,
                seq: 1 + i as u64,
                sending_ts_ms: None,
                msg,
            })
            .encode()
            .unwrap()
        })
        .collect()
}

/// The feed's state: every book synced from a snapshot, the sid open, one consumer lane.
struct Core {
    books: Books,
    conflator: Conflator,
    delay_us: Histogram<u64>,
}

impl Core {
    fn new() -> Core {
        let mut books = Books::default();
        let now = Utc::now();
        let (yes, no) = (levels(50), levels(49));
        for i in 0..BOOKS {
            let t = Ticker::new(ticker(i)).unwrap();
            books.watch(&t, now);
            let snap = OrderbookSnapshot {
                market_ticker: Cow::Owned(ticker(i)),
                market_id: Cow::Borrowed("x"),
                yes_dollars_fp: yes.clone(),
                no_dollars_fp: no.clone(),
            };
            books.apply_snapshot(&snap, 0, None, now).unwrap().unwrap();
        }
        books.seqs.open(SID, 0);
        Core {
            books,
            conflator: Conflator::new(1),
            delay_us: Histogram::new_with_bounds(1, 3_600_000_000, 3).unwrap(),
        }
    }

    /// What the actor does with one text frame (minus the socket and the delivery).
    fn on_frame(&mut self, frame: &str) -> bool {
        let Ok(Incoming::OrderbookDelta(f)) = decode(frame) else {
            return false;
        };
        if self.books.seqs.check(f.sid, f.seq) != SeqCheck::InOrder {
            return false;
        }
        let now = Utc::now();
        if let Some(ts) = f.msg.ts_ms {
            self.delay_us
                .saturating_record((now.timestamp_micros() - ts * 1000).max(0) as u64);
        }
        match self.books.apply_delta(&f.msg, f.seq, now) {
            Applied::Updated(id) => {
                self.conflator.touch(id);
                // A consumer that keeps up: one delivery taken per message.
                if self.conflator.next(0).is_some() {
                    self.conflator.done(0);
                }
                true
            }
            _ => false,
        }
    }
}

fn feed_benches(c: &mut Criterion) {
    let frames = frames();
    let mut g = c.benchmark_group("feed");
    g.throughput(Throughput::Elements(1));

    let mut core = Core::new();
    let mut i = 0;
    g.bench_function("delta_through_the_feed_core_200_books", |b| {
        b.iter(|| {
            if i == 0 {
                core.books.seqs.open(SID, 0);
            }
            let ok = core.on_frame(black_box(&frames[i]));
            i = (i + 1) % frames.len();
            ok
        })
    });

    let mut book = OrderBook::from_snapshot(&levels(50), &levels(49)).unwrap();
    let mut i = 0;
    g.bench_function(
        "delta_through_the_feed_core_200_books/baseline_decode_and_apply",
        |b| {
            b.iter(|| {
                let frame = &frames[i];
                i = (i + 1) % frames.len();
                match decode(black_box(frame)) {
                    Ok(Incoming::OrderbookDelta(f)) => f.msg.apply_to(&mut book).is_ok(),
                    _ => false,
                }
            })
        },
    );
    g.finish();

    // Best of 40 whole passes, both ways, so other load on the machine matters less.
    let mut core = Core::new();
    let mut book = OrderBook::from_snapshot(&levels(50), &levels(49)).unwrap();
    let (mut feed_ns, mut base_ns) = (f64::MAX, f64::MAX);
    let per_msg = |start: Instant| start.elapsed().as_nanos() as f64 / frames.len() as f64;
    for _ in 0..40 {
        core.books.seqs.open(SID, 0);
        let start = Instant::now();
        for frame in &frames {
            assert!(core.on_frame(black_box(frame)));
        }
        feed_ns = feed_ns.min(per_msg(start));
        let start = Instant::now();
        for frame in &frames {
            if let Ok(Incoming::OrderbookDelta(f)) = decode(black_box(frame)) {
                assert!(f.msg.apply_to(&mut book).is_ok());
            }
        }
        base_ns = base_ns.min(per_msg(start));
    }
    println!(
        "feed core (best of 40): {feed_ns:.0} ns/msg = {:.2} M msgs/s; baseline decode+apply on one book: {base_ns:.0} ns/msg = {:.2} M msgs/s; feed/baseline = {:.2}",
        1_000.0 / feed_ns,
        1_000.0 / base_ns,
        feed_ns / base_ns
    );
    assert_eq!(core.books.not_fresh(), 0, "no delta broke a book");
}

criterion_group!(benches, feed_benches);
criterion_main!(benches);
