//! Table tests of the fair-value decisions on hand-built books.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use kalshi::{
    Count, Price, Ticker, book::OrderBook, level::PriceLevel, num::PriceRanges, types::BookSide,
};

use super::*;
use crate::strategy::interface::MarketView;

fn p(s: &str) -> Price {
    Price::parse(s).unwrap()
}

fn lvl(price: &str, n: i64) -> PriceLevel {
    PriceLevel {
        price: p(price),
        count: Count::from_whole(n),
    }
}

/// A book with a YES bid at `bid` and a YES ask at `ask` (a NO bid at 1 − ask).
fn view(bid: &str, ask: &str, fair: f64, position: i64) -> MarketView {
    let no_bid = p(ask).complement();
    let book = OrderBook::from_snapshot(
        &[lvl(bid, 100)],
        &[PriceLevel {
            price: no_bid,
            count: Count::from_whole(100),
        }],
    )
    .unwrap();
    MarketView {
        ticker: Ticker::new("KXHIGHNY-26NOV28-B50.5").unwrap(),
        epoch: 7,
        book: Arc::new(book),
        grid: Arc::new(PriceRanges::linear_cent()),
        fair: Some(fair),
        position: Count::from_whole(position),
        now: Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap(),
        close_time: Utc.with_ymd_and_hms(2026, 11, 29, 5, 0, 0).unwrap(),
        tradable: true,
    }
}

fn places(intents: &[Intent]) -> Vec<(BookSide, Price, i64)> {
    intents
        .iter()
        .filter_map(|i| match i {
            Intent::Place(p) => Some((p.spec.side, p.spec.price, p.spec.count.centis() / 100)),
            _ => None,
        })
        .collect()
}

#[test]
fn takes_only_when_the_edge_after_fees_beats_the_threshold() {
    // Taker fee at 0.40 ≈ 0.0168 a contract; min edge 0.03.
    let cases = [
        // (bid, ask, fair, expected side and price)
        ("0.38", "0.40", 0.46, Some((BookSide::Bid, "0.40"))), // 0.06 − 0.017 ≥ 0.03
        ("0.38", "0.40", 0.44, None),                          // 0.04 − 0.017 < 0.03
        ("0.50", "0.52", 0.44, Some((BookSide::Ask, "0.50"))), // sell YES at the bid
        ("0.40", "0.45", 0.42, None),                          // inside the spread
    ];
    for (bid, ask, fair, want) in cases {
        let mut s = FairValue::new(FairValueConfig::default());
        let got = places(&s.on_book(&view(bid, ask, fair, 0)));
        let want: Vec<_> = want
            .into_iter()
            .map(|(side, price)| (side, p(price)))
            .collect();
        assert_eq!(
            got.iter().map(|g| (g.0, g.1)).collect::<Vec<_>>(),
            want,
            "{bid}/{ask} fair {fair}"
        );
    }
}

#[test]
fn sizes_by_fractional_kelly_under_the_caps_and_stamps_the_epoch() {
    let mut s = FairValue::new(FairValueConfig {
        bankroll_dollars: "100".into(),
        ..FairValueConfig::default()
    });
    // Kelly (0.50 − 0.40)/(1 − 0.40) = 1/6; × 0.25 × $100 = $4.17 → 10 contracts at $0.40.
    let intents = s.on_book(&view("0.38", "0.40", 0.50, 0));
    assert_eq!(places(&intents), vec![(BookSide::Bid, p("0.40"), 10)]);
    match &intents[0] {
        Intent::Place(pl) => assert_eq!(
            (pl.book_epoch, pl.spec.time_in_force),
            (7, TimeInForce::ImmediateOrCancel)
        ),
        other => panic!("{other:?}"),
    }
    // Near the position cap only the room left is bought.
    let mut s = FairValue::new(FairValueConfig::default());
    assert_eq!(
        places(&s.on_book(&view("0.38", "0.40", 0.60, 47))),
        vec![(BookSide::Bid, p("0.40"), 3)]
    );
}

#[test]
fn waits_out_the_cooldown_and_stays_out_during_blackout() {
    let mut s = FairValue::new(FairValueConfig::default());
    assert_eq!(places(&s.on_book(&view("0.38", "0.40", 0.50, 0))).len(), 1);
    assert!(
        s.on_book(&view("0.38", "0.40", 0.50, 0)).is_empty(),
        "cooling down"
    );
    let mut s = FairValue::new(FairValueConfig::default());
    s.on_blackout(true);
    assert!(s.on_book(&view("0.38", "0.40", 0.50, 0)).is_empty());
    s.on_blackout(false);
    assert_eq!(places(&s.on_book(&view("0.38", "0.40", 0.50, 0))).len(), 1);
}

#[test]
fn quotes_on_ticks_inside_the_spread_and_pulls_them_when_stale() {
    let cfg = FairValueConfig {
        quote: true,
        quote_edge: 0.03,
        ..FairValueConfig::default()
    };
    let mut s = FairValue::new(cfg);
    let intents = s.on_book(&view("0.30", "0.60", 0.45, 0));
    assert_eq!(
        intents[0],
        Intent::CancelMarket(Ticker::new("KXHIGHNY-26NOV28-B50.5").unwrap())
    );
    assert_eq!(
        places(&intents),
        vec![(BookSide::Bid, p("0.42"), 5), (BookSide::Ask, p("0.48"), 5)]
    );
    assert!(
        s.on_book(&view("0.30", "0.60", 0.455, 0)).is_empty(),
        "fair barely moved"
    );
    let stale = s.on_book_stale(&Ticker::new("KXHIGHNY-26NOV28-B50.5").unwrap());
    assert_eq!(stale.len(), 1);
}

#[test]
fn no_forecast_no_trade() {
    let mut s = FairValue::new(FairValueConfig::default());
    let mut v = view("0.10", "0.90", 0.5, 0);
    v.fair = None;
    assert!(s.on_book(&v).is_empty());
}
