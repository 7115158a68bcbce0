//! The quoter without actors: pricing, skew and limits, amend-or-hold, book keeping from order
//! changes, pulls, the write pace and flattening, on hand-built books and order records.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use kalshi::{
    Count, Price, Ticker,
    book::OrderBook,
    level::PriceLevel,
    num::PriceRanges,
    types::{BookSide, TimeInForce},
};

use super::{pricing::Top, *};
use crate::orders::{OrderRecord, OrderState, state::Origin};

fn p(s: &str) -> Price {
    Price::parse(s).unwrap()
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
}

fn ticker() -> Ticker {
    Ticker::new("KXHIGHNY-26NOV28-B50.5").unwrap()
}

/// A book with a YES bid at `bid` and a YES ask at `ask`, 100 each.
fn view(bid: &str, ask: &str, fair: Option<f64>, position: i64) -> MarketView {
    let level = |price, n| PriceLevel {
        price,
        count: Count::from_whole(n),
    };
    let book = OrderBook::from_snapshot(&[level(p(bid), 100)], &[level(p(ask).complement(), 100)])
        .unwrap();
    MarketView {
        ticker: ticker(),
        epoch: 3,
        book: Arc::new(book),
        grid: Arc::new(PriceRanges::linear_cent()),
        fair,
        position: Count::from_whole(position),
        now: t0(),
        close_time: t0() + TimeDelta::hours(10),
        tradable: true,
    }
}

fn cfg() -> QuoterConfig {
    QuoterConfig {
        skew_per_contract: 0.0,
        shrink_adding_side: false,
        ..QuoterConfig::default()
    }
}

fn placed(intents: &[Intent]) -> Vec<(BookSide, Price, i64)> {
    intents
        .iter()
        .filter_map(|i| match i {
            Intent::Place(x) => Some((x.spec.side, x.spec.price, x.spec.count.centis() / 100)),
            _ => None,
        })
        .collect()
}

/// The order manager's record of the quote the quoter asked for in `intents` (by side).
fn record(intents: &[Intent], side: BookSide, key: &str, state: OrderState) -> OrderRecord {
    let spec = intents
        .iter()
        .find_map(|i| match i {
            Intent::Place(x) if x.spec.side == side => Some(x.spec.clone()),
            _ => None,
        })
        .expect("a placement of that side");
    OrderRecord {
        key: key.into(),
        client_order_id: None,
        order_id: None,
        intent_seq: Some(1),
        origin: Origin::Intent,
        spec,
        fill_sum: Count::ZERO,
        reported_filled: Count::ZERO,
        book_epoch: Some(3),
        state,
        reason: None,
        created_at: t0(),
        updated_at: t0(),
        cancel_requested: false,
    }
}

/// A quoter holding resting quotes `b1` (bid) and `a1` (ask) from a first book.
fn resting(cfg: QuoterConfig, v: &MarketView) -> (Quoter, OrderRecord, OrderRecord) {
    let mut q = Quoter::new(cfg);
    let first = q.on_book(v);
    assert_eq!(placed(&first).len(), 2, "{first:?}");
    let bid = record(&first, BookSide::Bid, "b1", OrderState::Resting);
    let ask = record(&first, BookSide::Ask, "a1", OrderState::Resting);
    assert!(q.on_order(&bid).is_empty());
    assert!(q.on_order(&ask).is_empty());
    (q, bid, ask)
}

#[test]
fn quotes_both_sides_edge_away_from_fair_on_the_grid_post_only() {
    let mut q = Quoter::new(cfg());
    let intents = q.on_book(&view("0.30", "0.60", Some(0.455), 0));
    // 0.455 ∓ 0.02 → 0.435 / 0.475 → ticks 0.43 (down) and 0.48 (up).
    assert_eq!(
        placed(&intents),
        [(BookSide::Bid, p("0.43"), 5), (BookSide::Ask, p("0.48"), 5)]
    );
    // A clean slate first: whatever rested there before this quoter is cancelled.
    assert_eq!(intents[0], Intent::CancelMarket(ticker()));
    for i in &intents[1..] {
        let Intent::Place(x) = i else { panic!("{i:?}") };
        assert!(x.spec.post_only && !x.spec.reduce_only);
        assert_eq!(x.spec.time_in_force, TimeInForce::GoodTillCanceled);
        assert_eq!(x.book_epoch, 3);
    }
}

#[test]
fn never_crosses_the_book() {
    let c = cfg();
    let grid = PriceRanges::linear_cent();
    let cases = [
        // (fair, best bid, best ask, bid target, ask target)
        (0.50, "0.40", "0.60", "0.48", "0.52"),
        (0.50, "0.40", "0.47", "0.46", "0.52"), // ask below our bid: bid a tick under it
        (0.50, "0.53", "0.60", "0.48", "0.54"), // bid above our ask: ask a tick over it
    ];
    for (fair, bid, ask, want_bid, want_ask) in cases {
        let top = Top {
            bid: Some(p(bid)),
            ask: Some(p(ask)),
        };
        let t = pricing::targets(&c, fair, Count::ZERO, top, &grid);
        assert_eq!(
            t.bid.map(|x| x.price),
            Some(p(want_bid)),
            "{fair} {bid} {ask}"
        );
        assert_eq!(
            t.ask.map(|x| x.price),
            Some(p(want_ask)),
            "{fair} {bid} {ask}"
        );
    }
    // No room inside (0, 1): that side does not quote.
    let t = pricing::targets(&c, 0.01, Count::ZERO, Top::default(), &grid);
    assert_eq!(t.bid, None);
}

#[test]
fn skew_moves_both_quotes_against_the_position_and_shrinks_the_adding_side() {
    let c = QuoterConfig {
        skew_per_contract: 0.002,
        shrink_adding_side: true,
        size: 10,
        max_position: 20,
        ..QuoterConfig::default()
    };
    let grid = PriceRanges::linear_cent();
    let at = |held: i64| pricing::targets(&c, 0.50, Count::from_whole(held), Top::default(), &grid);
    let flat = at(0);
    assert_eq!(
        flat.bid.map(|t| (t.price, t.count)),
        Some((p("0.48"), Count::from_whole(10)))
    );
    // Long 10: centre 0.48; the bid (adds) halves, the ask (reduces) keeps its size.
    let long = at(10);
    assert_eq!(
        long.bid.map(|t| (t.price, t.count)),
        Some((p("0.46"), Count::from_whole(5)))
    );
    assert_eq!(
        long.ask.map(|t| (t.price, t.count)),
        Some((p("0.50"), Count::from_whole(10)))
    );
    // Short 15: centre 0.53; the ask adds, room 5 → 2 contracts (10 · 5/20, whole).
    let short = at(-15);
    assert_eq!(
        short.ask.map(|t| (t.price, t.count)),
        Some((p("0.55"), Count::from_whole(2)))
    );
    assert_eq!(short.bid.map(|t| t.count), Some(Count::from_whole(10)));
}

#[test]
fn at_the_position_limit_only_the_reducing_side_quotes() {
    let c = QuoterConfig {
        max_position: 5,
        ..cfg()
    };
    let grid = PriceRanges::linear_cent();
    let long = pricing::targets(&c, 0.5, Count::from_whole(5), Top::default(), &grid);
    assert_eq!((long.bid.is_some(), long.ask.is_some()), (false, true));
    let short = pricing::targets(&c, 0.5, Count::from_whole(-7), Top::default(), &grid);
    assert_eq!((short.bid.is_some(), short.ask.is_some()), (true, false));
    // Near it, the adding side quotes only the room left.
    let near = pricing::targets(&c, 0.5, Count::from_whole(3), Top::default(), &grid);
    assert_eq!(near.bid.map(|t| t.count), Some(Count::from_whole(2)));
}

#[test]
fn a_moved_target_is_amended_by_key_a_small_move_is_held() {
    let c = QuoterConfig {
        requote_threshold: 0.02,
        ..cfg()
    };
    let v = view("0.30", "0.70", Some(0.50), 0);
    let (mut q, _, _) = resting(c, &v);
    // Same book half a second later, the ask's target moved one tick (under 0.02): hold.
    let mut later = v.clone();
    later.now = t0() + TimeDelta::milliseconds(600);
    later.fair = Some(0.504);
    assert!(q.on_book(&later).is_empty());
    // Fair moved by 0.03: both quotes amended, none placed or cancelled.
    later.now = t0() + TimeDelta::seconds(2);
    later.fair = Some(0.53);
    let intents = q.on_book(&later);
    assert_eq!(
        intents,
        [
            Intent::Amend(AmendIntent {
                key: "b1".into(),
                price: p("0.51"),
                remaining: Count::from_whole(5)
            }),
            Intent::Amend(AmendIntent {
                key: "a1".into(),
                price: p("0.55"),
                remaining: Count::from_whole(5)
            }),
        ]
    );
    // While the amends are in flight nothing more is asked.
    later.now += TimeDelta::seconds(1);
    later.fair = Some(0.60);
    assert!(q.on_book(&later).is_empty());
    assert_eq!(q.counts().quote_amends, 2);
    assert_eq!(q.counts().requotes, 4);
}

#[test]
fn a_fill_shrinks_the_quote_and_an_ended_order_frees_its_side() {
    let v = view("0.30", "0.70", Some(0.50), 0);
    let (mut q, mut bid, _) = resting(cfg(), &v);
    bid.fill_sum = Count::from_whole(2);
    assert!(q.on_order(&bid).is_empty());
    let Slot::Live(quote) = q.slot(&ticker(), BookSide::Bid) else {
        panic!("the bid is tracked")
    };
    assert_eq!(quote.remaining, Count::from_whole(3));
    bid.fill_sum = Count::from_whole(5);
    bid.state = OrderState::Executed;
    assert!(q.on_order(&bid).is_empty());
    assert_eq!(*q.slot(&ticker(), BookSide::Bid), Slot::Empty);
    // The next book (past the side's interval) quotes the bid again, the ask holds.
    let mut next = v.clone();
    next.now = t0() + TimeDelta::seconds(1);
    next.position = Count::from_whole(5);
    let again = q.on_book(&next);
    assert_eq!(placed(&again), [(BookSide::Bid, p("0.48"), 5)]);
}

#[test]
fn a_smaller_target_size_is_a_decrease_at_the_same_price() {
    let c = QuoterConfig {
        shrink_adding_side: true,
        max_position: 10,
        ..cfg()
    };
    let v = view("0.30", "0.70", Some(0.50), 0);
    let (mut q, _, _) = resting(c, &v);
    let mut long = v.clone();
    long.now = t0() + TimeDelta::seconds(1);
    long.position = Count::from_whole(6);
    let intents = q.on_book(&long);
    assert_eq!(
        intents,
        [Intent::Amend(AmendIntent {
            key: "b1".into(),
            price: p("0.48"),
            remaining: Count::from_whole(2),
        })]
    );
    assert_eq!(q.counts().requotes, 2, "a decrease is not a requote");
}

#[test]
fn pulls_on_stale_books_blackouts_missing_fair_pauses_and_close() {
    let v = view("0.30", "0.70", Some(0.50), 0);
    let pulled = |q: &mut Quoter, intents: Vec<Intent>| {
        assert_eq!(intents, [Intent::CancelMarket(ticker())]);
        // Pulled once: the next trigger asks nothing more while the cancels are on their way.
        assert!(q.on_book_stale(&ticker()).is_empty());
    };
    let (mut q, _, _) = resting(cfg(), &v);
    let i = q.on_book_stale(&ticker());
    pulled(&mut q, i);
    let (mut q, _, _) = resting(cfg(), &v);
    let i = q.on_blackout(true);
    pulled(&mut q, i);
    let mut later = v.clone();
    later.now = t0() + TimeDelta::seconds(1);
    for change in [
        (|v: &mut MarketView| v.fair = None) as fn(&mut MarketView),
        |v| v.fair = Some(0.99),
        |v| v.tradable = false,
        |v| v.close_time = v.now + TimeDelta::seconds(30),
    ] {
        let (mut q, _, _) = resting(cfg(), &v);
        let mut w = later.clone();
        change(&mut w);
        let i = q.on_book(&w);
        pulled(&mut q, i);
        assert_eq!(q.counts().pulls, 1);
    }
}

#[test]
fn the_timer_pulls_a_market_reaching_its_close_without_a_book() {
    let v = view("0.30", "0.70", Some(0.50), 0);
    let (mut q, _, _) = resting(cfg(), &v);
    assert!(q.on_timer(t0() + TimeDelta::minutes(10)).is_empty());
    let near = v.close_time - TimeDelta::seconds(59);
    assert_eq!(q.on_timer(near), [Intent::CancelMarket(ticker())]);
}

#[test]
fn an_order_showing_after_a_pull_or_a_second_one_on_a_side_is_cancelled_by_key() {
    let v = view("0.30", "0.70", Some(0.50), 0);
    let mut q = Quoter::new(cfg());
    let first = q.on_book(&v);
    // The feed drops before the placements are journaled: nothing is resting yet to pull.
    assert!(q.on_book_stale(&ticker()).is_empty());
    let bid = record(&first, BookSide::Bid, "b1", OrderState::PendingNew);
    assert_eq!(q.on_order(&bid), [Intent::Cancel("b1".into())]);
    // A stray: a second open quote on a side that holds one.
    let (mut q, bid, _) = resting(cfg(), &v);
    let stray = OrderRecord {
        key: "b2".into(),
        ..bid
    };
    assert_eq!(q.on_order(&stray), [Intent::Cancel("b2".into())]);
}

#[test]
fn a_refused_placement_frees_its_side_and_a_refused_amend_may_be_retried() {
    let v = view("0.30", "0.70", Some(0.50), 0);
    let mut q = Quoter::new(cfg());
    let first = q.on_book(&v);
    q.on_refused(&first[1], "risk: max_open_orders");
    assert_eq!(*q.slot(&ticker(), BookSide::Bid), Slot::Empty);
    let (mut q, _, _) = resting(cfg(), &v);
    let mut moved = v.clone();
    moved.now = t0() + TimeDelta::seconds(1);
    moved.fair = Some(0.55);
    let amends = q.on_book(&moved);
    q.on_refused(&amends[0], "blackout");
    moved.now += TimeDelta::seconds(1);
    assert_eq!(q.on_book(&moved).len(), 1, "the bid's amend is asked again");
}

#[test]
fn the_write_pace_holds_back_placements_and_amends_but_never_cancels() {
    let c = QuoterConfig {
        max_writes_per_s: 1.0,
        write_burst: 2,
        min_requote_interval_ms: 0,
        ..cfg()
    };
    let mut q = Quoter::new(c);
    let mut v = view("0.30", "0.70", Some(0.50), 0);
    assert_eq!(placed(&q.on_book(&v)).len(), 2, "the burst");
    v.ticker = Ticker::new("KXHIGHNY-26NOV28-B52.5").unwrap();
    assert!(placed(&q.on_book(&v)).is_empty(), "no token left");
    assert_eq!(q.counts().writes_deferred, 2);
    v.now = t0() + TimeDelta::milliseconds(1_000);
    assert_eq!(placed(&q.on_book(&v)).len(), 1, "one token a second");
    // A pull never waits for a token.
    let first = Ticker::new("KXHIGHNY-26NOV28-B50.5").unwrap();
    let bid = OrderRecord {
        key: "b1".into(),
        ..record(
            &[Intent::Place(super::quote_order(
                &view("0.30", "0.70", None, 0),
                BookSide::Bid,
                pricing::Target {
                    price: p("0.48"),
                    count: Count::from_whole(5),
                },
            ))],
            BookSide::Bid,
            "b1",
            OrderState::Resting,
        )
    };
    q.on_order(&bid);
    assert_eq!(q.on_book_stale(&first), [Intent::CancelMarket(first)]);
}

#[test]
fn the_side_interval_spaces_writes_on_one_side() {
    let c = QuoterConfig {
        min_requote_interval_ms: 500,
        ..cfg()
    };
    let mut pace = pace::Pace::new(100.0, 100, c.min_requote_interval_ms);
    let t = ticker();
    assert!(pace.try_write(&t, BookSide::Bid, t0()));
    assert!(
        pace.try_write(&t, BookSide::Ask, t0()),
        "the other side is apart"
    );
    assert!(!pace.try_write(&t, BookSide::Bid, t0() + TimeDelta::milliseconds(499)));
    assert!(pace.try_write(&t, BookSide::Bid, t0() + TimeDelta::milliseconds(500)));
}

#[test]
fn near_the_close_it_pulls_and_flattens_with_reduce_only_orders() {
    let c = QuoterConfig {
        flatten_before_close_s: 300,
        ..cfg()
    };
    let v = view("0.30", "0.70", Some(0.50), 0);
    let (mut q, _, _) = resting(c, &v);
    let mut late = v.clone();
    late.now = v.close_time - TimeDelta::seconds(200);
    late.position = Count::from_whole(7);
    let intents = q.on_book(&late);
    assert_eq!(intents[0], Intent::CancelMarket(ticker()));
    let Intent::Place(order) = &intents[1] else {
        panic!("{intents:?}")
    };
    assert_eq!(
        (order.spec.side, order.spec.price, order.spec.count),
        (BookSide::Ask, p("0.30"), Count::from_whole(7))
    );
    assert!(order.spec.reduce_only && !order.spec.post_only);
    assert_eq!(order.spec.time_in_force, TimeInForce::ImmediateOrCancel);
    // Flat: nothing to flatten; off (0): the usual pull before close only.
    late.position = Count::ZERO;
    late.now += TimeDelta::seconds(1);
    assert!(q.on_book(&late).is_empty());
    assert_eq!(q.counts().flattens, 1);
}

#[test]
fn max_markets_caps_the_markets_quoted() {
    let c = QuoterConfig {
        max_markets: 1,
        ..cfg()
    };
    let mut q = Quoter::new(c);
    let mut v = view("0.30", "0.70", Some(0.50), 0);
    assert_eq!(placed(&q.on_book(&v)).len(), 2);
    v.ticker = Ticker::new("KXHIGHNY-26NOV28-B52.5").unwrap();
    assert!(q.on_book(&v).is_empty());
}

#[test]
fn a_market_is_cleared_once_before_it_is_first_quoted() {
    let v = view("0.30", "0.70", Some(0.50), 0);
    let (mut q, _, _) = resting(cfg(), &v);
    let mut later = v.clone();
    later.now = t0() + TimeDelta::seconds(1);
    later.fair = Some(0.60);
    let intents = q.on_book(&later);
    assert!(
        intents.iter().all(|i| matches!(i, Intent::Amend(_))),
        "{intents:?}"
    );
    // A quoter rebuilt (after a panic) knows no quote: it clears the market first.
    let mut fresh = Quoter::new(cfg());
    assert_eq!(fresh.on_book(&later)[0], Intent::CancelMarket(ticker()));
}
