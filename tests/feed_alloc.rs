//! Counts heap allocations on the feed's hot path: decoding an `orderbook_delta`, checking its
//! `seq`, applying it to its book and queueing the book for conflated delivery allocate
//! nothing once the books and queues are warm. A consumer still holding the last state it was
//! sent costs exactly one copy of the book on the next delta (copy-on-write), not one per
//! delta.

#[path = "../kalshi/tests/support/counting_alloc.rs"]
mod counting_alloc;

use std::{borrow::Cow, sync::Arc};

use chrono::Utc;
use kalshi::{
    Count, Price, Ticker,
    level::PriceLevel,
    types::OutcomeSide,
    ws::{BookFrame, Incoming, OrderbookDelta, OrderbookSnapshot, decode},
};
use tradewind_actors::feed::{
    books::{Applied, Books, SeqCheck},
    conflate::Conflator,
};

use counting_alloc::allocations;

const MARKETS: [&str; 3] = [
    "KXHIGHNY-26NOV28-B50.5",
    "KXHIGHNY-26NOV28-B52.5",
    "KXHIGHCHI-26NOV28-T38",
];

/// Delta frames on sid 1, seq 1.., alternating +1/−1 on existing levels of every market.
fn frames(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let msg = OrderbookDelta {
                market_ticker: Cow::Borrowed(MARKETS[i % 3]),
                market_id: Cow::Borrowed("9b0f6b43-5b68-4f9f-9f02-a2a8f3c6b1d2"),
                price_dollars: Price::from_cents(40 + (i % 5) as u32).unwrap(),
                delta_fp: if (i / 3) % 2 == 0 {
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
            .unwrap()
        })
        .collect()
}

/// Books synced with YES levels 0.40..=0.44 of 100 each.
fn books() -> Books {
    let mut books = Books::default();
    let now = Utc::now();
    let yes: Vec<PriceLevel> = (40..45)
        .map(|c| PriceLevel::new(Price::from_cents(c).unwrap(), Count::from_whole(100)))
        .collect();
    for m in MARKETS {
        books.watch(&Ticker::new(m).unwrap(), now);
        let snap = OrderbookSnapshot {
            market_ticker: Cow::Borrowed(m),
            market_id: Cow::Borrowed("x"),
            yes_dollars_fp: yes.clone(),
            no_dollars_fp: Vec::new(),
        };
        books.apply_snapshot(&snap, 0, None, now).unwrap().unwrap();
    }
    books.seqs.open(1, 0);
    books
}

fn on_frame(books: &mut Books, conflator: &mut Conflator, frame: &str) {
    let Ok(Incoming::OrderbookDelta(f)) = decode(frame) else {
        panic!("{frame}")
    };
    assert_eq!(books.seqs.check(f.sid, f.seq), SeqCheck::InOrder);
    match books.apply_delta(&f.msg, f.seq, Utc::now()) {
        Applied::Updated(id) => conflator.touch(id),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_delta_through_the_feed_core_allocates_nothing() {
    let frames = frames(3_000);
    let mut books = books();
    let mut conflator = Conflator::new(1);
    for f in &frames[..30] {
        on_frame(&mut books, &mut conflator, f);
    }
    let before = allocations();
    for f in &frames[30..] {
        on_frame(&mut books, &mut conflator, f);
        // A consumer that keeps up and drops what it was sent.
        if conflator.next(0).is_some() {
            conflator.done(0);
        }
    }
    assert_eq!(allocations() - before, 0, "allocations on the hot path");
}

#[test]
fn a_consumer_holding_a_state_costs_one_copy_not_one_per_delta() {
    let frames = frames(200);
    let mut books = books();
    let mut conflator = Conflator::new(1);
    for f in &frames[..30] {
        on_frame(&mut books, &mut conflator, f);
    }
    let id = books.id(MARKETS[0]).unwrap();
    let held = Arc::clone(&books.get(id).unwrap().book);
    let before = allocations();
    for f in &frames[30..] {
        on_frame(&mut books, &mut conflator, f);
    }
    let copies = allocations() - before;
    // The copy: a new `Arc` and the YES levels' vector (the NO side is empty).
    assert_eq!(copies, 2, "allocations after the consumer kept its state");
    drop(held);
}
