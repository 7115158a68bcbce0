//! The local order book: table tests for snapshots, deltas, views and integrity errors, and
//! property tests that (a) any valid delta sequence lands on the book a summed model
//! predicts and (b) an invalid delta changes nothing.

use std::collections::BTreeMap;

use kalshi::{
    Count, Price,
    book::{BookError, OrderBook},
    level::PriceLevel,
    types::OutcomeSide::{self, No, Yes},
};
use proptest::prelude::*;

fn p(s: &str) -> Price {
    Price::parse(s).unwrap()
}

fn c(s: &str) -> Count {
    Count::parse(s).unwrap()
}

fn lv(price: &str, count: &str) -> PriceLevel {
    PriceLevel::new(p(price), c(count))
}

/// The §6.4 snapshot: YES 0.08×300, 0.22×333; NO 0.54×20, 0.56×146.
fn doc_book() -> OrderBook {
    OrderBook::from_snapshot(
        &[lv("0.08", "300"), lv("0.22", "333")],
        &[lv("0.54", "20"), lv("0.56", "146")],
    )
    .unwrap()
}

#[test]
fn best_prices_follow_the_bids_only_convention() {
    let book = doc_book();
    assert_eq!(book.best_yes_bid(), Some(lv("0.22", "333")));
    assert_eq!(book.best_no_bid(), Some(lv("0.56", "146")));
    assert_eq!(book.best_yes_ask(), Some(lv("0.44", "146")));
    assert_eq!(book.best_no_ask(), Some(lv("0.78", "333")));
    assert!(!book.is_crossed() && !book.is_empty());
    let empty = OrderBook::new();
    assert!(empty.is_empty());
    assert_eq!((empty.best_yes_bid(), empty.best_yes_ask()), (None, None));
}

#[test]
fn depth_views_are_best_first_and_export_is_ascending() {
    let book = doc_book();
    let yes_bids: Vec<_> = book.yes_bids().collect();
    assert_eq!(yes_bids, [lv("0.22", "333"), lv("0.08", "300")]);
    let no_bids: Vec<_> = book.no_bids().collect();
    assert_eq!(no_bids, [lv("0.56", "146"), lv("0.54", "20")]);
    let yes_asks: Vec<_> = book.yes_asks().collect();
    assert_eq!(yes_asks, [lv("0.44", "146"), lv("0.46", "20")]);
    let no_asks: Vec<_> = book.no_asks().collect();
    assert_eq!(no_asks, [lv("0.78", "333"), lv("0.92", "300")]);
    assert_eq!(book.levels(Yes), [lv("0.08", "300"), lv("0.22", "333")]);
    let (yes, no) = book.to_snapshot();
    assert_eq!(OrderBook::from_snapshot(&yes, &no).unwrap(), book);
    assert_eq!((book.depth(Yes), book.depth(No)), (2, 2));
    assert_eq!(
        (book.total_size(Yes), book.total_size(No)),
        (c("633"), c("166"))
    );
    assert_eq!(
        (book.level(No, p("0.54")), book.level(No, p("0.55"))),
        (c("20"), Count::ZERO)
    );
}

#[test]
fn deltas_change_add_and_remove_levels() {
    // (side, price, delta, resulting level size)
    let cases: &[(OutcomeSide, &str, &str, &str)] = &[
        (Yes, "0.22", "-33", "300"),
        (Yes, "0.22", "17.5", "350.5"),
        (Yes, "0.30", "5", "5"),
        (No, "0.54", "-20", "0"),
        (No, "0.01", "0.01", "0.01"),
        (Yes, "0.08", "0", "300"),
    ];
    for (side, price, delta, want) in cases {
        let mut book = doc_book();
        book.apply_delta(*side, p(price), c(delta)).unwrap();
        assert_eq!(
            book.level(*side, p(price)),
            c(want),
            "{side} {price} {delta}"
        );
        let present = book.levels(*side).iter().any(|l| l.price == p(price));
        assert_eq!(
            present,
            c(want).is_positive(),
            "zero levels are removed, others kept"
        );
    }
    let mut book = doc_book();
    book.apply_delta(No, p("0.56"), c("-146")).unwrap();
    assert_eq!(book.best_yes_ask(), Some(lv("0.46", "20")));
    book.apply_delta(Yes, p("0.50"), c("10")).unwrap();
    assert_eq!(book.best_yes_bid(), Some(lv("0.50", "10")));
    assert!(book.levels(Yes).windows(2).all(|w| w[0].price < w[1].price));
}

#[test]
fn negative_levels_are_integrity_errors_and_change_nothing() {
    let cases: &[(OutcomeSide, &str, &str, &str)] = &[
        (Yes, "0.22", "-333.01", "333"),
        (No, "0.55", "-1", "0"),
        (No, "0.54", "-20.01", "20"),
    ];
    for (side, price, delta, current) in cases {
        let mut book = doc_book();
        let err = book.apply_delta(*side, p(price), c(delta)).unwrap_err();
        let want = BookError::Integrity {
            side: *side,
            price: p(price),
            current: c(current),
            delta: c(delta),
        };
        assert_eq!(err, want);
        assert_eq!(book, doc_book(), "book changed by a refused delta");
    }
    let msg = doc_book()
        .apply_delta(Yes, p("0.22"), c("-400"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        msg,
        "book integrity error: yes level 0.2200 holds 333.00, a delta of -400.00 would leave -67.00"
    );
    let mut book = doc_book();
    let huge = Count::from_centis(i64::MAX);
    assert!(matches!(
        book.apply_delta(Yes, p("0.22"), huge),
        Err(BookError::Integrity { .. })
    ));
    assert_eq!(book, doc_book());
}

#[test]
fn snapshots_replace_and_strict_ones_refuse_bad_levels() {
    let mut book = doc_book();
    book.apply_snapshot(&[lv("0.40", "1")], &[]);
    assert_eq!(
        (book.levels(Yes), book.levels(No)),
        (&[lv("0.40", "1")][..], &[][..])
    );

    let messy = [
        lv("0.30", "2"),
        lv("0.10", "1"),
        lv("0.30", "3"),
        lv("0.20", "0"),
        lv("0.25", "-4"),
    ];
    book.apply_snapshot(&messy, &messy);
    assert_eq!(book.levels(Yes), [lv("0.10", "1"), lv("0.30", "5")]);

    let before = book.clone();
    let err = book
        .try_apply_snapshot(&[lv("0.10", "1")], &[lv("0.30", "-1")])
        .unwrap_err();
    assert!(
        matches!(
            err,
            BookError::InvalidSnapshot {
                side: No,
                reason: "negative size",
                ..
            }
        ),
        "{err}"
    );
    let err = book
        .try_apply_snapshot(&[lv("0.30", "1"), lv("0.10", "1"), lv("0.30", "2")], &[])
        .unwrap_err();
    assert!(
        matches!(
            err,
            BookError::InvalidSnapshot {
                side: Yes,
                reason: "price given twice",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(book, before);
    book.try_apply_snapshot(&[lv("0.30", "1"), lv("0.10", "0"), lv("0.05", "2")], &[])
        .unwrap();
    assert_eq!(book.levels(Yes), [lv("0.05", "2"), lv("0.30", "1")]);
    book.clear();
    assert!(book.is_empty());
}

#[test]
fn crossed_books_are_detected() {
    let book = OrderBook::from_snapshot(&[lv("0.60", "1")], &[lv("0.40", "1")]).unwrap();
    assert!(book.is_crossed());
    let book = OrderBook::from_snapshot(&[lv("0.59", "1")], &[lv("0.40", "1")]).unwrap();
    assert!(!book.is_crossed());
}

/// A price on a grid mixing cents and tenths of a cent, 0.001..=0.999.
fn price() -> impl Strategy<Value = Price> {
    (1u32..1000).prop_map(|mills| Price::from_micros(mills * 1000).unwrap())
}

fn side() -> impl Strategy<Value = OutcomeSide> {
    prop_oneof![Just(Yes), Just(No)]
}

/// A snapshot side: distinct prices, positive sizes, ascending.
fn levels() -> impl Strategy<Value = Vec<PriceLevel>> {
    prop::collection::btree_map(price(), 1i64..1_000_000, 0..60).prop_map(|m| {
        m.into_iter()
            .map(|(price, centis)| PriceLevel::new(price, Count::from_centis(centis)))
            .collect()
    })
}

type Model = BTreeMap<(bool, Price), Count>;

fn model_of(yes: &[PriceLevel], no: &[PriceLevel]) -> Model {
    let side = |is_yes, l: &[PriceLevel]| {
        l.iter()
            .map(move |l| ((is_yes, l.price), l.count))
            .collect::<Vec<_>>()
    };
    side(true, yes).into_iter().chain(side(false, no)).collect()
}

fn book_of(model: &Model) -> OrderBook {
    let side = |is_yes: bool| -> Vec<PriceLevel> {
        model
            .iter()
            .filter(|((y, _), _)| *y == is_yes)
            .map(|((_, p), c)| PriceLevel::new(*p, *c))
            .collect()
    };
    let mut book = OrderBook::new();
    book.apply_snapshot(&side(true), &side(false));
    book
}

proptest! {
    #[test]
    fn valid_deltas_match_a_rebuilt_book(
        yes in levels(),
        no in levels(),
        ops in prop::collection::vec((side(), price(), -1_000_000i64..1_000_000, any::<bool>()), 0..200),
    ) {
        let mut book = OrderBook::from_snapshot(&yes, &no).unwrap();
        let mut model = model_of(&yes, &no);
        for (side, price, raw, remove_all) in ops {
            let key = (side == Yes, price);
            let current = model.get(&key).copied().unwrap_or(Count::ZERO);
            // Keep the delta valid: never take more than the level holds.
            let delta = if remove_all { -current } else if raw >= 0 { Count::from_centis(raw) } else {
                -Count::from_centis(raw.unsigned_abs().min(current.centis().unsigned_abs()) as i64)
            };
            book.apply_delta(side, price, delta).unwrap();
            let new = current + delta;
            if new.is_zero() { model.remove(&key); } else { model.insert(key, new); }
            let best = model.range((side == Yes, Price::ZERO)..=(side == Yes, Price::ONE)).next_back();
            prop_assert_eq!(book.best_bid(side).map(|l| l.price), best.map(|((_, p), _)| *p));
        }
        prop_assert_eq!(&book, &book_of(&model));
        let total: Count = model.iter().filter(|((y, _), _)| *y).map(|(_, c)| *c).sum();
        prop_assert_eq!(book.total_size(Yes), total);
    }

    #[test]
    fn invalid_deltas_leave_the_book_unchanged(
        yes in levels(),
        no in levels(),
        side in side(),
        price in price(),
        excess in 1i64..1_000_000,
    ) {
        let mut book = OrderBook::from_snapshot(&yes, &no).unwrap();
        let before = book.clone();
        let current = book.level(side, price);
        let delta = -(current + Count::from_centis(excess));
        let err = book.apply_delta(side, price, delta).unwrap_err();
        prop_assert_eq!(err, BookError::Integrity { side, price, current, delta });
        prop_assert_eq!(book, before);
    }
}
