//! The replay on hand-made records: a scripted strategy, one market of the simulator's
//! catalogue, books, lifecycle events.

use std::{
    borrow::Cow,
    sync::{Arc, Mutex},
};

use kalshi::{
    Count, Price,
    level::PriceLevel,
    types::{LifecycleEventType, MarketResult, OutcomeSide},
    ws::{BookFrame, DataFrame, Incoming, MarketLifecycle, OrderbookDelta, OrderbookSnapshot},
};

use super::Replay;
use crate::{
    backtest::{
        report::LedgerEvent,
        test_support::{Buyer, MS, T0, config, market_json},
    },
    config::EngineFile,
    record::EventRef,
};

fn text(f: Incoming<'_>) -> String {
    f.encode().unwrap()
}

/// YES bids 0.40 ×10, YES asks 0.45 ×10 (NO bids 0.55).
fn snapshot(ticker: &str, seq: u64) -> String {
    let l = |c, n| PriceLevel::new(Price::from_cents(c).unwrap(), Count::from_whole(n));
    text(Incoming::OrderbookSnapshot(BookFrame {
        sid: 1,
        seq,
        sending_ts_ms: None,
        msg: OrderbookSnapshot {
            market_ticker: Cow::Borrowed(ticker),
            market_id: Cow::Borrowed("x"),
            yes_dollars_fp: vec![l(40, 10)],
            no_dollars_fp: vec![l(55, 10)],
        },
    }))
}

fn delta(ticker: &str, seq: u64) -> String {
    text(Incoming::OrderbookDelta(BookFrame {
        sid: 1,
        seq,
        sending_ts_ms: None,
        msg: OrderbookDelta {
            market_ticker: Cow::Borrowed(ticker),
            market_id: Cow::Borrowed("x"),
            price_dollars: Price::from_cents(40).unwrap(),
            delta_fp: Count::ONE,
            side: OutcomeSide::Yes,
            client_order_id: None,
            subaccount: None,
            ts: None,
            ts_ms: None,
        },
    }))
}

fn determined(ticker: &str) -> String {
    let json = serde_json::json!({
        "event_type": "determined",
        "market_ticker": ticker,
        "result": "yes",
        "settlement_value": "1.0000",
    });
    let e: MarketLifecycle = serde_json::from_value(json).unwrap();
    assert_eq!(
        (e.event_type.clone(), e.result.clone()),
        (LifecycleEventType::Determined, Some(MarketResult::Yes))
    );
    text(Incoming::MarketLifecycle(DataFrame::new(2, e)))
}

fn buyer(cfg: &EngineFile) -> (Replay, Arc<Mutex<Vec<Count>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let r = Replay::new(cfg, Box::new(Buyer(seen.clone(), false)), None).unwrap();
    (r, seen)
}

fn frame(r: &mut Replay, ns: u64, t: &str) {
    r.record(ns, EventRef::Frame(t), false);
}

#[test]
fn a_market_recorded_again_keeps_the_position_held_in_it() {
    let (ticker, market) = market_json();
    let (mut r, seen) = buyer(&config());
    r.record(T0, EventRef::Market(&market), false);
    frame(&mut r, T0 + MS, &snapshot(&ticker, 1));
    r.record(T0 + 10 * MS, EventRef::Market(&market), false);
    frame(&mut r, T0 + 11 * MS, &delta(&ticker, 2));
    let done = r.finish(T0 + 20 * MS);
    assert_eq!(done.tally.fills, 1, "{:?}", done.tally);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen, vec![Count::ZERO, Count::from_whole(5)]);
}

#[test]
fn a_settlement_clears_the_position_and_is_reported() {
    let (ticker, market) = market_json();
    let (mut r, seen) = buyer(&config());
    r.record(T0, EventRef::Market(&market), false);
    frame(&mut r, T0 + MS, &snapshot(&ticker, 1));
    frame(&mut r, T0 + 10 * MS, &determined(&ticker));
    frame(&mut r, T0 + 11 * MS, &delta(&ticker, 2));
    let done = r.finish(T0 + 20 * MS);
    let settled = done
        .outcomes
        .iter()
        .any(|e| matches!(e, LedgerEvent::Settle(s) if s.value == Price::ONE));
    assert!(settled, "{:?}", done.outcomes);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen.last(),
        Some(&Count::ZERO),
        "nothing held after settling: {seen:?}"
    );
}

#[test]
fn warm_up_books_are_not_evaluated_even_with_a_feed_latency() {
    let (ticker, market) = market_json();
    let mut cfg = config();
    cfg.backtest.feed_latency_ms = 5;
    let (mut r, seen) = buyer(&cfg);
    r.record(T0, EventRef::Market(&market), true);
    r.record(T0 + MS, EventRef::Frame(&snapshot(&ticker, 1)), true);
    for seq in 2..50 {
        r.record(T0 + seq * MS, EventRef::Frame(&delta(&ticker, seq)), true);
    }
    frame(&mut r, T0 + 100 * MS, &delta(&ticker, 50));
    let done = r.finish(T0 + 200 * MS);
    assert_eq!(seen.lock().unwrap().len(), 1, "only the book in the window");
    assert_eq!(done.tally.fills, 1);
}
