//! Tests of [`super::Books`]: epochs, the fresh/stale life of a book, integrity errors and
//! snapshot deadlines.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kalshi::{
    Count, Price, Ticker,
    book::OrderBook,
    types::OutcomeSide,
    ws::{Incoming, decode},
};

use super::*;
use crate::market_data::StaleReason;

fn t(s: &str) -> Ticker {
    Ticker::new(s).unwrap()
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

fn snapshot_json(ticker: &str, yes: &[(&str, &str)]) -> String {
    let levels: Vec<String> = yes
        .iter()
        .map(|(p, c)| format!("[\"{p}\",\"{c}\"]"))
        .collect();
    format!(
        r#"{{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{{"market_ticker":"{ticker}","market_id":"x","yes_dollars_fp":[{}]}}}}"#,
        levels.join(",")
    )
}

fn delta_json(ticker: &str, price: &str, delta: &str) -> String {
    format!(
        r#"{{"type":"orderbook_delta","sid":1,"seq":2,"msg":{{"market_ticker":"{ticker}","market_id":"x","price_dollars":"{price}","delta_fp":"{delta}","side":"yes","ts_ms":1800000000123}}}}"#
    )
}

fn snap(
    books: &mut Books,
    ticker: &str,
    yes: &[(&str, &str)],
) -> Option<Result<(BookId, u64), kalshi::book::BookError>> {
    let text = snapshot_json(ticker, yes);
    let Ok(Incoming::OrderbookSnapshot(f)) = decode(&text) else {
        panic!("not a snapshot: {text}")
    };
    books.apply_snapshot(&f.msg, f.seq, None, now())
}

fn delta(books: &mut Books, ticker: &str, price: &str, d: &str, seq: u64) -> Applied {
    let text = delta_json(ticker, price, d);
    let Ok(Incoming::OrderbookDelta(f)) = decode(&text) else {
        panic!("not a delta: {text}")
    };
    books.apply_delta(&f.msg, seq, now())
}

fn level(books: &Books, ticker: &str, price: &str) -> Count {
    books
        .by_ticker(ticker)
        .unwrap()
        .book
        .level(OutcomeSide::Yes, Price::parse(price).unwrap())
}

#[test]
fn a_book_is_fresh_only_between_its_snapshot_and_a_doubt() {
    let mut b = Books::default();
    b.watch(&t("A"), now());
    assert_eq!((b.len(), b.not_fresh()), (1, 1));
    assert_eq!(
        delta(&mut b, "A", "0.40", "5.00", 1),
        Applied::Dropped,
        "before any snapshot"
    );

    let (id, e1) = snap(&mut b, "A", &[("0.40", "10.00")]).unwrap().unwrap();
    assert_eq!(b.not_fresh(), 0);
    assert_eq!(delta(&mut b, "A", "0.40", "-4.00", 2), Applied::Updated(id));
    assert_eq!(level(&b, "A", "0.40"), Count::from_whole(6));
    assert_eq!(b.get(id).unwrap().seq, 2);
    assert_eq!(b.get(id).unwrap().exchange_ts_ms, Some(1_800_000_000_123));

    let went = b.mark_stale("A", StaleReason::Gap).unwrap();
    assert_eq!((went.id, went.epoch), (id, e1));
    assert!(
        b.mark_stale("A", StaleReason::Reconnect).is_none(),
        "told once"
    );
    assert_eq!(
        b.get(id).unwrap().stale_reason,
        Some(StaleReason::Reconnect)
    );
    assert_eq!(delta(&mut b, "A", "0.40", "1.00", 3), Applied::Dropped);
    assert_eq!(
        level(&b, "A", "0.40"),
        Count::from_whole(6),
        "nothing applied while stale"
    );

    let (_, e2) = snap(&mut b, "A", &[("0.41", "1.00")]).unwrap().unwrap();
    assert!(e2 > e1, "a resync starts a new epoch");
    assert_eq!(
        level(&b, "A", "0.40"),
        Count::ZERO,
        "a snapshot replaces the content"
    );
    assert_eq!(b.not_fresh(), 0);
}

#[test]
fn an_integrity_error_leaves_the_book_unchanged_and_stale() {
    let mut b = Books::default();
    b.watch(&t("A"), now());
    let (id, _) = snap(&mut b, "A", &[("0.40", "3.00")]).unwrap().unwrap();
    match delta(&mut b, "A", "0.40", "-5.00", 2) {
        Applied::Broken(got, _) => assert_eq!(got, id),
        other => panic!("expected an integrity error, got {other:?}"),
    }
    assert_eq!(level(&b, "A", "0.40"), Count::from_whole(3));
    let e = b.get(id).unwrap();
    assert!(!e.fresh);
    assert_eq!(e.stale_reason, Some(StaleReason::Integrity));
    assert_eq!(b.not_fresh(), 1);
}

#[test]
fn unwatched_markets_are_ignored_and_epochs_are_never_reused() {
    let mut b = Books::default();
    assert_eq!(delta(&mut b, "Z", "0.40", "1.00", 1), Applied::Unwatched);
    assert!(snap(&mut b, "Z", &[]).is_none());
    b.watch(&t("A"), now());
    let (_, e1) = snap(&mut b, "A", &[]).unwrap().unwrap();
    let gone = b.unwatch("A").unwrap();
    assert!(gone.fresh);
    assert_eq!((b.len(), b.not_fresh()), (0, 0));
    b.watch(&t("A"), now());
    let (_, e2) = snap(&mut b, "A", &[]).unwrap().unwrap();
    assert!(e2 > e1);
    assert_eq!(
        b.watch(&t("A"), now()),
        b.id("A").unwrap(),
        "watching twice is a no-op"
    );
}

#[test]
fn a_consumer_holding_a_book_keeps_its_state() {
    let mut b = Books::default();
    b.watch(&t("A"), now());
    snap(&mut b, "A", &[("0.40", "1.00")]).unwrap().unwrap();
    let held: Arc<OrderBook> = b.by_ticker("A").unwrap().book.clone();
    delta(&mut b, "A", "0.40", "1.00", 2);
    assert_eq!(
        held.level(OutcomeSide::Yes, Price::parse("0.40").unwrap()),
        Count::ONE
    );
    assert_eq!(level(&b, "A", "0.40"), Count::from_whole(2));
}

#[test]
fn mark_all_stale_reports_only_fresh_books() {
    let mut b = Books::default();
    for m in ["A", "B", "C"] {
        b.watch(&t(m), now());
    }
    snap(&mut b, "A", &[]).unwrap().unwrap();
    snap(&mut b, "B", &[]).unwrap().unwrap();
    let mut went: Vec<String> = b
        .mark_all_stale(StaleReason::Reconnect)
        .into_iter()
        .map(|w| w.ticker.to_string())
        .collect();
    went.sort();
    assert_eq!(went, ["A", "B"]);
    assert_eq!(b.not_fresh(), 3);
}

#[test]
fn overdue_snapshots_are_found_by_their_request_time() {
    let mut b = Books::default();
    for m in ["A", "B", "C"] {
        b.watch(&t(m), now());
    }
    b.requested("A", 100);
    b.requested("B", 900);
    assert!(b.is_requested("A") && !b.is_requested("C"));
    assert_eq!(b.overdue(1_000, 500), vec![t("A")]);
    snap(&mut b, "A", &[]).unwrap().unwrap();
    assert!(!b.is_requested("A"), "a snapshot answers the request");
    assert_eq!(b.overdue(2_000, 500), vec![t("B")]);
}
