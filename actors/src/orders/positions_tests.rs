use chrono::TimeZone;

use super::*;

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn p(s: &str) -> Price {
    Price::parse(s).unwrap()
}

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, h, 0, 0).unwrap()
}

fn fill(trade: &str, side: BookSide, yes_price: &str, n: i64, fee: &str) -> FillRecord {
    FillRecord {
        trade_id: trade.into(),
        order_id: OrderId::new("o-1").unwrap(),
        client_order_id: None,
        ticker: Ticker::new("T-1").unwrap(),
        side,
        yes_price: p(yes_price),
        count: Count::from_whole(n),
        fee: m(fee),
        is_taker: true,
        ts: at(12),
    }
}

#[test]
fn buying_the_other_leg_closes_and_realises_like_the_exchange() {
    let mut ps = Positions::default();
    // Buy 10 YES at 0.40: basis 4.00.
    ps.record(&fill("t1", BookSide::Bid, "0.40", 10, "0.01"));
    // Sell 4 YES at 0.70 (= buy 4 NO at 0.30): realises 4 × (1 − 0.30) − 1.60 = 1.20.
    let b = ps
        .record(&fill("t2", BookSide::Ask, "0.70", 4, "0"))
        .unwrap();
    assert_eq!(b.realized, m("1.20"));
    assert_eq!(b.position, Count::from_whole(6));
    let pos = ps.get("T-1").unwrap();
    assert_eq!(pos.exposure, m("2.40"));
    assert_eq!(pos.fees, m("0.01"));
}

#[test]
fn crossing_through_zero_opens_the_other_side() {
    let mut ps = Positions::default();
    ps.record(&fill("t1", BookSide::Bid, "0.50", 2, "0"));
    // Sell 5 YES at 0.60: closes 2 (+0.20), opens 3 NO at 0.40.
    let b = ps
        .record(&fill("t2", BookSide::Ask, "0.60", 5, "0"))
        .unwrap();
    assert_eq!(b.position, Count::from_whole(-3));
    assert_eq!(b.realized, m("0.20"));
    assert_eq!(ps.get("T-1").unwrap().exposure, m("1.20"));
}

#[test]
fn a_fill_is_booked_once_however_often_it_arrives() {
    let mut ps = Positions::default();
    let f = fill("t1", BookSide::Bid, "0.40", 10, "0");
    assert!(ps.record(&f).is_some());
    assert!(ps.is_seen(&f));
    assert!(ps.record(&f).is_none());
    assert_eq!(ps.count("T-1"), Count::from_whole(10));
    // The same trade on another order (the other side of a self-cross) is another fill.
    let mut other = f.clone();
    other.order_id = OrderId::new("o-2").unwrap();
    assert!(ps.record(&other).is_some());
}

#[test]
fn open_pnl_marks_at_what_closing_would_fetch() {
    let mut ps = Positions::default();
    let t = Ticker::new("T-1").unwrap();
    ps.record(&fill("t1", BookSide::Bid, "0.40", 10, "0"));
    // No mark: the last fill price, so nothing open.
    assert_eq!(ps.unrealized("T-1"), Money::ZERO);
    ps.set_mark(
        &t,
        Mark {
            yes_bid: Some(p("0.35")),
            yes_ask: Some(p("0.38")),
        },
    );
    assert_eq!(ps.unrealized("T-1"), m("-0.50"));
    // Short 20 NO-wise: sell 30 YES at 0.50 from +10 → −20 NO at basis 20 × 0.50.
    ps.record(&fill("t2", BookSide::Ask, "0.50", 30, "0"));
    // Closing NO means buying YES at the ask 0.38: NO is worth 0.62 a contract.
    assert_eq!(ps.unrealized("T-1"), m("2.40"));
}

#[test]
fn daily_pnl_counts_todays_realised_less_fees_plus_open() {
    let mut ps = Positions::default();
    let mut yesterday = fill("t0", BookSide::Bid, "0.40", 10, "0.05");
    yesterday.ts = at(12) - chrono::Duration::days(1);
    ps.record(&yesterday);
    ps.record(&fill("t1", BookSide::Ask, "0.20", 10, "0.02"));
    // Sold at 0.20 what cost 0.40: −2.00 today, fee 0.02 today.
    assert_eq!(ps.day_totals(at(0).date_naive()), (m("-2.00"), m("0.02")));
    assert_eq!(ps.daily_pnl(at(13)), m("-2.02"));
    assert_eq!(ps.total_realized(), m("-2.00"));
}

#[test]
fn adopting_the_exchanges_count_keeps_realised_pnl() {
    let mut ps = Positions::default();
    let t = Ticker::new("T-1").unwrap();
    ps.record(&fill("t1", BookSide::Bid, "0.40", 10, "0"));
    ps.record(&fill("t2", BookSide::Ask, "0.50", 5, "0"));
    let old = ps.adopt(&t, Count::from_whole(7), m("2.80"));
    assert_eq!(old.position, Count::from_whole(5));
    let now = ps.get("T-1").unwrap();
    assert_eq!(
        (now.position, now.exposure),
        (Count::from_whole(7), m("2.80"))
    );
    assert_eq!(now.realized, m("0.50"));
}

#[test]
fn fills_without_a_book_side_fall_back_to_the_outcome() {
    let json = serde_json::json!({
        "trade_id": "t9", "order_id": "o-9", "market_ticker": "T-1", "is_taker": false,
        "yes_price_dollars": "0.4500", "count_fp": "3.00", "outcome_side": "no", "ts_ms": 1767268800000_i64
    });
    let f: ws::Fill = serde_json::from_value(json).unwrap();
    let r = FillRecord::from_ws(&f, at(1)).unwrap();
    assert_eq!(r.side, BookSide::Ask);
    assert_eq!(r.ts, at(12));
    assert_eq!(r.fee, Money::ZERO);
}
