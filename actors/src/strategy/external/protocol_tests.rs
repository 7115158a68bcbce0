//! The line protocol, both ways: messages as the process reads them, and lines from the
//! process accepted or refused with a reason naming the problem.

use std::sync::Arc;

use chrono::TimeZone;
use kalshi::{Count, Price, Ticker, book::OrderBook, level::PriceLevel, types::BookSide};
use serde_json::json;

use super::protocol::{BookMessage, FromProcess, ToProcess, intent_json, parse_line, truncate};
use crate::strategy::interface::Intent;

const MAX: usize = 64 * 1024;

fn p(s: &str) -> Price {
    Price::parse(s).unwrap()
}

#[test]
fn engine_messages_carry_type_seq_and_exact_decimal_strings() {
    let book = Arc::new(
        OrderBook::from_snapshot(
            &[PriceLevel::new(p("0.45"), Count::from_whole(10))],
            &[PriceLevel::new(p("0.52"), Count::from_whole(3))],
        )
        .unwrap(),
    );
    let now = chrono::Utc.with_ymd_and_hms(2026, 2, 11, 12, 0, 0).unwrap();
    let msg = ToProcess::Book(BookMessage {
        ticker: Ticker::new("KXHIGHNY-26FEB11-B50.5").unwrap(),
        epoch: 3,
        yes_bids: book.levels(kalshi::types::OutcomeSide::Yes).to_vec(),
        no_bids: book.levels(kalshi::types::OutcomeSide::No).to_vec(),
        best_yes_bid: book.best_yes_bid().map(|l| l.price),
        best_yes_ask: book.best_yes_ask().map(|l| l.price),
        fair: Some(0.5),
        position: Count::from_whole(-2),
        now,
        close_time: now + chrono::TimeDelta::hours(17),
        tradable: true,
    });
    let v: serde_json::Value = serde_json::from_str(&msg.line(17)).unwrap();
    assert_eq!(
        v,
        json!({
            "type": "book", "seq": 17, "ticker": "KXHIGHNY-26FEB11-B50.5", "epoch": 3,
            "yes_bids": [["0.4500", "10.00"]], "no_bids": [["0.5200", "3.00"]],
            "best_yes_bid": "0.4500", "best_yes_ask": "0.4800", "fair": 0.5,
            "position": "-2.00", "now": "2026-02-11T12:00:00Z",
            "close_time": "2026-02-12T05:00:00Z", "tradable": true,
        })
    );
    let tick = ToProcess::Tick { now }.line(18);
    assert_eq!(
        tick,
        r#"{"type":"tick","now":"2026-02-11T12:00:00Z","seq":18}"#
    );
}

#[test]
fn a_valid_place_becomes_an_intent_with_its_epoch_and_defaults() {
    let line = r#"{"type":"place","reply_to":5,"ticker":"T-1","side":"bid","price":"0.4500","count":"1.00","epoch":3}"#;
    let msg = parse_line(line, MAX).unwrap();
    assert_eq!(msg.reply_to(), Some(5));
    let Some(Intent::Place(place)) = msg.into_intent() else {
        panic!("not a place")
    };
    assert_eq!(place.book_epoch, 3);
    assert_eq!(place.spec.price, p("0.45"));
    assert_eq!(place.spec.side, BookSide::Bid);
    assert_eq!(
        place.spec.time_in_force,
        kalshi::types::TimeInForce::GoodTillCanceled
    );
    assert!(!place.spec.post_only && !place.spec.reduce_only);
    // Echoed in `refused` as the protocol spells it.
    let echoed = intent_json(&Intent::Place(place));
    assert_eq!(echoed["price"], "0.4500");
    assert_eq!(echoed["epoch"], 3);
}

#[test]
fn cancels_amends_logs_and_pongs_parse() {
    let cases = [
        (r#"{"type":"cancel","key":"tw-1"}"#, "Cancel"),
        (r#"{"type":"cancel_market","ticker":"T-1"}"#, "CancelMarket"),
        (
            r#"{"type":"amend","reply_to":1,"key":"tw-1","price":"0.40","remaining":"2"}"#,
            "Amend",
        ),
        (r#"{"type":"log","level":"warn","message":"hi"}"#, "Log"),
        (r#"{"type":"pong","seq":9}"#, "Pong"),
    ];
    for (line, variant) in cases {
        let msg = parse_line(line, MAX).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert!(format!("{msg:?}").starts_with(variant), "{line}: {msg:?}");
    }
    assert!(matches!(
        parse_line(r#"{"type":"pong","seq":9}"#, MAX),
        Ok(FromProcess::Pong { seq: 9 })
    ));
}

#[test]
fn malformed_lines_are_refused_naming_the_problem() {
    let place = |extra: &str| {
        format!(r#"{{"type":"place","reply_to":1,"ticker":"T-1","side":"bid","epoch":1,{extra}}}"#)
    };
    let cases = [
        ("hello there".to_owned(), "not a JSON object"),
        ("{\"type\":\"place\"".to_owned(), "not valid JSON"),
        (r#"{"type":"buy"}"#.to_owned(), "unknown variant `buy`"),
        (r#"{"key":"x"}"#.to_owned(), "missing field `type`"),
        (
            place(r#""price":0.45,"count":"1""#),
            "invalid type: floating point",
        ),
        (place(r#""price":"1.50","count":"1""#), "out of range"),
        (place(r#""price":"0.45""#), "missing field `count`"),
        (
            place(r#""price":"0.45","count":"0""#),
            "count 0.00 must be positive",
        ),
        (place(r#""price":"0","count":"1""#), "outside (0, 1)"),
        (
            place(r#""price":"0.45","count":"1","colour":"red""#),
            "unknown field `colour`",
        ),
        (
            r#"{"type":"place","ticker":"bad ticker"}"#.to_owned(),
            "ticker",
        ),
        (
            r#"{"type":"cancel","key":""}"#.to_owned(),
            "key must not be empty",
        ),
        (
            r#"{"type":"log","level":"loud","message":"x"}"#.to_owned(),
            "unknown variant `loud`",
        ),
    ];
    for (line, needle) in cases {
        let err = parse_line(&line, MAX).unwrap_err();
        assert!(
            err.contains(needle),
            "{line}\n  → {err}\n  wanted {needle:?}"
        );
    }
    let long = format!(
        r#"{{"type":"log","level":"info","message":"{}"}}"#,
        "x".repeat(300)
    );
    assert!(parse_line(&long, 256).unwrap_err().contains("at most 256"));
    assert_eq!(truncate("héllo", 2), "h…");
}
