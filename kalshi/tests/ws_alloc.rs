//! Counts heap allocations made while decoding WebSocket frames and applying them to a book:
//! an `orderbook_delta` must decode with zero allocations (its strings, the ticker included,
//! borrow from the frame), and applying it to a book that already holds the level must not
//! allocate either.

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use std::{fs, path::PathBuf};

use kalshi::{
    book::OrderBook,
    ws::{Incoming, decode},
};

use counting_alloc::allocations;

/// Runs `f` and returns its result with the number of allocations it made.
fn count<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = allocations();
    let out = f();
    (out, allocations() - before)
}

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ws")
        .join(name);
    fs::read_to_string(path).unwrap()
}

#[test]
fn decoding_an_orderbook_delta_allocates_nothing() {
    for name in ["orderbook_delta.json", "orderbook_delta_own_order.json"] {
        let text = fixture(name);
        let (decoded, allocations) =
            count(|| decode(&text).map(|d| matches!(d, Incoming::OrderbookDelta(_))));
        assert_eq!(decoded.ok(), Some(true), "{name}");
        assert_eq!(allocations, 0, "{name}: allocations while decoding");
    }
}

#[test]
fn the_general_decoder_allocates_nothing_for_a_delta_either() {
    // Layouts the fast path declines: `msg` before `type`, and unknown scalar fields. (An
    // unknown nested array/object costs one allocation: serde_json's skip stack.)
    let frames = [
        r#"{"msg":{"market_ticker":"FED-23DEC-T3.00","market_id":"9b0f6b43","price_dollars":"0.960","delta_fp":"-54.00","side":"yes"},"sid":2,"seq":3,"type":"orderbook_delta"}"#,
        r#"{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"FED-23DEC-T3.00","market_id":"9b0f6b43","price_dollars":"0.960","delta_fp":"-54.00","side":"yes","new":"x","n":-1.5e3}}"#,
    ];
    for text in frames {
        let (decoded, allocations) = count(|| decode(text).is_ok());
        assert!(decoded, "{text}");
        assert_eq!(allocations, 0, "{text}");
    }
}

#[test]
fn decode_and_apply_to_an_existing_level_allocates_nothing() {
    let mut book = OrderBook::new();
    let snapshot = fixture("orderbook_snapshot.json");
    let Ok(Incoming::OrderbookSnapshot(s)) = decode(&snapshot) else {
        panic!()
    };
    s.msg.apply_to(&mut book).unwrap();
    let text = fixture("orderbook_delta.json")
        .replace("0.960", "0.22")
        .replace("-54.00", "-33.00");
    let (applied, allocations) = count(|| match decode(&text) {
        Ok(Incoming::OrderbookDelta(f)) => f.msg.apply_to(&mut book).is_ok(),
        _ => false,
    });
    assert!(applied);
    assert_eq!(allocations, 0);
}

#[test]
fn the_counter_sees_allocations() {
    let text = fixture("orderbook_snapshot.json");
    let (decoded, allocations) =
        count(|| decode(&text).map(|d| matches!(d, Incoming::OrderbookSnapshot(_))));
    assert_eq!(decoded.ok(), Some(true));
    // The two level vectors (grown as levels arrive); nothing else.
    assert!((1..=6).contains(&allocations), "{allocations} allocations");
}
