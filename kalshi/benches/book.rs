//! Order-book speed: one delta applied to a realistic book (50 levels a side, activity near
//! the top, levels appearing and vanishing), against a `BTreeMap` book as the baseline, and
//! `orderbook_delta` decode + apply together, reported as messages per second (target
//! ≥ 2,000,000/s on one core).
//!
//! `cargo bench -p kalshi --bench book -- --warm-up-time 1 --measurement-time 3`

use std::{borrow::Cow, collections::BTreeMap, hint::black_box, time::Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kalshi::{
    Count, Price,
    book::OrderBook,
    level::PriceLevel,
    types::OutcomeSide,
    ws::{BookFrame, Incoming, OrderbookDelta, decode},
};

/// A book with YES bids 0.01..=0.50 and NO bids 0.01..=0.49 (50 and 49 levels).
fn book() -> OrderBook {
    let side = |top: u32| -> Vec<PriceLevel> {
        (1..=top)
            .map(|cents| {
                PriceLevel::new(
                    Price::from_cents(cents).unwrap(),
                    Count::from_whole(i64::from(10 + cents * 7)),
                )
            })
            .collect()
    };
    OrderBook::from_snapshot(&side(50), &side(49)).unwrap()
}

/// 1024 deltas that leave the book as it was: 512 additions (mostly within ten cents of the
/// top, some just above it, creating levels), then the same in order with the sign flipped.
fn deltas() -> Vec<(OutcomeSide, Price, Count)> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let adds: Vec<_> = (0..512)
        .map(|_| {
            let side = if next() % 2 == 0 {
                OutcomeSide::Yes
            } else {
                OutcomeSide::No
            };
            let top = if side == OutcomeSide::Yes { 50 } else { 49 };
            let cents = (top + 3 - (next() % 13) as u32).min(top + 2);
            let price = Price::from_cents(cents).unwrap();
            (
                side,
                price,
                Count::from_centis(100 + (next() % 50_000) as i64),
            )
        })
        .collect();
    let removes = adds.iter().map(|&(s, p, c)| (s, p, -c));
    adds.iter().copied().chain(removes).collect()
}

/// The baseline book: one `BTreeMap` per side.
#[derive(Default)]
struct TreeBook {
    yes: BTreeMap<Price, Count>,
    no: BTreeMap<Price, Count>,
}

impl TreeBook {
    fn apply(&mut self, side: OutcomeSide, price: Price, delta: Count) -> Result<(), ()> {
        let map = if side == OutcomeSide::Yes {
            &mut self.yes
        } else {
            &mut self.no
        };
        let current = map.get(&price).copied().unwrap_or(Count::ZERO);
        let new = current
            .checked_add(delta)
            .filter(|n| !n.is_negative())
            .ok_or(())?;
        if new.is_zero() {
            map.remove(&price);
        } else {
            map.insert(price, new);
        }
        Ok(())
    }
}

fn frames(ops: &[(OutcomeSide, Price, Count)]) -> Vec<String> {
    ops.iter()
        .enumerate()
        .map(|(i, &(side, price, delta))| {
            let msg = OrderbookDelta {
                market_ticker: Cow::Borrowed("KXHIGHNY-26FEB11-B94.5"),
                market_id: Cow::Borrowed("9b0f6b43-5b68-4f9f-9f02-a2a8f3c6b1d2"),
                price_dollars: price,
                delta_fp: delta,
                side,
                client_order_id: None,
                subaccount: None,
                ts: Some(Cow::Borrowed("2022-11-22T20:44:01Z")),
                ts_ms: Some(1_669_149_841_000 + i as i64),
            };
            let frame = BookFrame {
                sid: 2,
                seq: 3 + i as u64,
                sending_ts_ms: None,
                msg,
            };
            Incoming::OrderbookDelta(frame).encode().unwrap()
        })
        .collect()
}

fn book_benches(c: &mut Criterion) {
    let ops = deltas();
    let mut g = c.benchmark_group("book");
    g.throughput(Throughput::Elements(1));

    let mut b1 = book();
    let mut i = 0;
    g.bench_function("apply_delta_50_levels", |b| {
        b.iter(|| {
            let (side, price, delta) = ops[i];
            i = (i + 1) % ops.len();
            b1.apply_delta(side, black_box(price), black_box(delta))
                .is_ok()
        })
    });

    let mut tree = TreeBook::default();
    for l in book().levels(OutcomeSide::Yes) {
        tree.yes.insert(l.price, l.count);
    }
    for l in book().levels(OutcomeSide::No) {
        tree.no.insert(l.price, l.count);
    }
    let mut i = 0;
    g.bench_function("apply_delta_50_levels/baseline_btreemap", |b| {
        b.iter(|| {
            let (side, price, delta) = ops[i];
            i = (i + 1) % ops.len();
            tree.apply(side, black_box(price), black_box(delta)).is_ok()
        })
    });

    let frames = frames(&ops);
    let mut b2 = book();
    let mut i = 0;
    g.bench_function("decode_and_apply_delta", |b| {
        b.iter(|| {
            let frame = &frames[i];
            i = (i + 1) % frames.len();
            match decode(black_box(frame)) {
                Ok(Incoming::OrderbookDelta(f)) => f.msg.apply_to(&mut b2).is_ok(),
                _ => false,
            }
        })
    });
    g.finish();

    // Best of 40 runs over whole cycles, so other load on the machine matters less.
    let mut b3 = book();
    let best_ns = (0..40)
        .map(|_| {
            let start = Instant::now();
            for frame in &frames {
                if let Ok(Incoming::OrderbookDelta(f)) = decode(black_box(frame)) {
                    black_box(f.msg.apply_to(&mut b3).is_ok());
                }
            }
            start.elapsed().as_nanos() as f64 / frames.len() as f64
        })
        .fold(f64::MAX, f64::min);
    println!(
        "decode_and_apply_delta (best of 40): {best_ns:.0} ns/msg, {:.2} M msgs/s",
        1_000.0 / best_ns
    );
    assert_eq!(b3, book(), "whole cycles leave the book as it was");
    // Every cycle nets to zero, so each book is back where it started (or one partial cycle
    // away); either way it never went negative.
    assert!(!b1.is_empty() && !b2.is_empty());
}

criterion_group!(benches, book_benches);
criterion_main!(benches);
