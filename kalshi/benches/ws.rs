//! Decode speed of WebSocket frames: one `orderbook_delta` (the hot message; target
//! ≥ 2,000,000 decode+apply per second on one core, see `benches/book.rs`) and one
//! `orderbook_snapshot` of 100 levels a side. The baseline is `serde_json::Value` parsing of
//! the same text in the same run; the ratio to it is printed at the end.
//!
//! `cargo bench -p kalshi --bench ws -- --warm-up-time 1 --measurement-time 3`

use std::{borrow::Cow, hint::black_box, time::Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kalshi::{
    Count, Price,
    level::PriceLevel,
    types::OutcomeSide,
    ws::{BookFrame, Incoming, OrderbookDelta, OrderbookSnapshot, decode},
};

/// The §6.4 delta example with a realistic ticker and UUID.
pub const DELTA: &str = r#"{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"KXHIGHNY-26FEB11-B94.5","market_id":"9b0f6b43-5b68-4f9f-9f02-a2a8f3c6b1d2","price_dollars":"0.4500","delta_fp":"-54.00","side":"yes","ts":"2022-11-22T20:44:01Z","ts_ms":1669149841000}}"#;

/// A snapshot with `n` levels a side on a tenth-of-a-cent grid.
fn snapshot(n: u32) -> String {
    let side = |offset: u32| -> Vec<PriceLevel> {
        (0..n)
            .map(|i| {
                let price = Price::from_micros(1_000 + (offset + i) * 2_000).unwrap();
                PriceLevel::new(price, Count::from_centis(i64::from(100 + i * 37)))
            })
            .collect()
    };
    let msg = OrderbookSnapshot {
        market_ticker: Cow::Borrowed("KXHIGHNY-26FEB11-B94.5"),
        market_id: Cow::Borrowed("9b0f6b43-5b68-4f9f-9f02-a2a8f3c6b1d2"),
        yes_dollars_fp: side(0),
        no_dollars_fp: side(1),
    };
    let frame = BookFrame {
        sid: 2,
        seq: 2,
        sending_ts_ms: None,
        msg,
    };
    Incoming::OrderbookSnapshot(frame).encode().unwrap()
}

fn decode_benches(c: &mut Criterion) {
    assert!(matches!(
        decode(DELTA),
        Ok(Incoming::OrderbookDelta(BookFrame {
            msg: OrderbookDelta {
                side: OutcomeSide::Yes,
                ..
            },
            ..
        }))
    ));
    let snap = snapshot(100);
    assert!(
        matches!(decode(&snap), Ok(Incoming::OrderbookSnapshot(f)) if f.msg.no_dollars_fp.len() == 100)
    );

    let mut g = c.benchmark_group("ws_decode");
    g.throughput(Throughput::Elements(1));
    g.bench_function("orderbook_delta", |b| {
        b.iter(|| decode(black_box(DELTA)).is_ok())
    });
    g.bench_function("orderbook_delta/baseline_serde_json_value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(DELTA)).is_ok())
    });
    g.bench_function("orderbook_snapshot_100_levels", |b| {
        b.iter(|| decode(black_box(&snap)).is_ok())
    });
    g.bench_function(
        "orderbook_snapshot_100_levels/baseline_serde_json_value",
        |b| b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&snap)).is_ok()),
    );
    g.finish();

    // Plain ratios, measured back to back (best of 40 runs, so other load on the machine
    // matters less), printed so they stand without criterion's report files. The serde path
    // is the same delta with `msg` first, which the fast path declines.
    let best_ns = |f: &dyn Fn() -> bool| {
        (0..40)
            .map(|_| {
                let start = Instant::now();
                for _ in 0..10_000 {
                    black_box(f());
                }
                start.elapsed().as_nanos() as f64 / 10_000.0
            })
            .fold(f64::MAX, f64::min)
    };
    let msg_first = format!(
        "{{\"msg\":{},\"type\":\"orderbook_delta\",\"sid\":2,\"seq\":3}}",
        &DELTA[DELTA.find("{\"market_ticker").unwrap()..DELTA.len() - 1]
    );
    assert!(matches!(
        decode(&msg_first),
        Ok(Incoming::OrderbookDelta(_))
    ));
    let fast = best_ns(&|| decode(black_box(DELTA)).is_ok());
    let serde = best_ns(&|| decode(black_box(&msg_first)).is_ok());
    let value = best_ns(&|| serde_json::from_str::<serde_json::Value>(black_box(DELTA)).is_ok());
    println!(
        "orderbook_delta (best of 40): fast path {fast:.0} ns, serde path {serde:.0} ns, \
         serde_json::Value {value:.0} ns; fast/value {:.2}, serde/value {:.2}",
        fast / value,
        serde / value
    );
}

criterion_group!(benches, decode_benches);
criterion_main!(benches);
