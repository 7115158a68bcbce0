use chrono::{DateTime, TimeZone, Utc};
use kalshi::{
    ClientOrderId, Count, Price,
    book::OrderBook,
    level::PriceLevel,
    rest::Market,
    types::{BookSide, MarketStatus, SelfTradePrevention, TimeInForce},
};
use kalshi_sim::{
    catalogue::{self, CatalogueConfig},
    engine::SimMarket,
    server::convert,
};
use tradewind_actors::orders::OrderSpec;

use super::Venue;
use crate::config::backtest::{BacktestConfig, QueueModel};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 15, 0, 0).unwrap()
}

fn p(s: &str) -> Price {
    Price::parse(s).unwrap()
}

fn c(n: i64) -> Count {
    Count::from_whole(n)
}

fn market() -> Market {
    let (_, infos) = catalogue::build(&CatalogueConfig::default(), now()).unwrap();
    let mut m = SimMarket::new(infos.into_iter().next().unwrap());
    m.status = MarketStatus::Active;
    convert::market(&m)
}

/// YES bids at 0.40 (`bids`), NO bids at 0.55 (`no`: YES asks at 0.45).
fn book(bids: i64, no: i64) -> OrderBook {
    let level = |price, n| (n > 0).then(|| PriceLevel::new(p(price), c(n)));
    let mut b = OrderBook::new();
    let yes: Vec<_> = level("0.40", bids).into_iter().collect();
    let no: Vec<_> = level("0.55", no).into_iter().collect();
    b.apply_snapshot(&yes, &no);
    b
}

fn venue(queue: QueueModel) -> (Venue, Market) {
    let cfg = BacktestConfig {
        queue,
        ..BacktestConfig::default()
    };
    let mut v = Venue::new(&cfg, SelfTradePrevention::TakerAtCross);
    let m = market();
    v.list(&m, now());
    (v, m)
}

fn spec(m: &Market, side: BookSide, price: &str, n: i64, tif: TimeInForce) -> OrderSpec {
    OrderSpec {
        ticker: m.ticker.clone(),
        side,
        price: p(price),
        count: c(n),
        time_in_force: tif,
        post_only: false,
        reduce_only: false,
    }
}

fn cid(n: u64) -> ClientOrderId {
    ClientOrderId::new(format!("tw-test-{n}")).unwrap()
}

fn filled(r: &super::Reports) -> Count {
    r.fills.iter().map(|f| f.count).sum()
}

/// A resting bid behind 30 contracts at 0.40; the 30 are cancelled on the recording; then
/// sells of 20 and 15 at 0.40 print.
fn queue_run(queue: QueueModel) -> (Count, Count) {
    let (mut v, m) = venue(queue);
    let gtc = spec(&m, BookSide::Bid, "0.40", 10, TimeInForce::GoodTillCanceled);
    let r = v.place(&gtc, cid(1), &book(30, 0), now()).unwrap();
    assert_eq!(filled(&r), Count::ZERO, "it rests");
    assert!(v.resting(m.ticker.as_str()));
    let r = v.sync_reports(&m.ticker, &book(0, 0), now());
    assert_eq!(filled(&r), Count::ZERO);
    let first = v.trade(
        &m.ticker,
        BookSide::Ask,
        p("0.40"),
        c(20),
        &book(0, 0),
        now(),
    );
    let second = v.trade(
        &m.ticker,
        BookSide::Ask,
        p("0.40"),
        c(15),
        &book(0, 0),
        now(),
    );
    (filled(&first), filled(&second))
}

#[test]
fn conservative_queue_fills_only_once_trades_used_up_what_was_ahead() {
    assert_eq!(
        queue_run(QueueModel::Conservative),
        (Count::ZERO, c(5)),
        "the 30 ahead are taken by trades first, cancels do not move the order up"
    );
}

#[test]
fn optimistic_queue_moves_up_with_cancels() {
    assert_eq!(queue_run(QueueModel::Optimistic), (c(10), Count::ZERO));
}

#[test]
fn a_taker_order_fills_against_the_recorded_book_with_the_fee() {
    let (mut v, m) = venue(QueueModel::Conservative);
    let ioc = spec(&m, BookSide::Bid, "0.47", 8, TimeInForce::ImmediateOrCancel);
    let r = v.place(&ioc, cid(1), &book(30, 5), now()).unwrap();
    assert_eq!(filled(&r), c(5), "only the 5 recorded at 0.45");
    let f = &r.fills[0];
    assert_eq!((f.price, f.maker), (p("0.45"), false));
    assert!(f.fee.micros() > 0, "Kalshi's taker fee");
    assert!(!v.resting(m.ticker.as_str()), "an IOC does not rest");
    let again = v.place(&ioc, cid(2), &book(30, 5), now()).unwrap();
    assert_eq!(
        filled(&again),
        c(5),
        "the recorded book is whole again: no market impact"
    );
}

#[test]
fn a_recorded_order_crossing_a_resting_one_trades_with_it_and_cancels_work_by_client_id() {
    let (mut v, m) = venue(QueueModel::Conservative);
    let ask = spec(&m, BookSide::Ask, "0.44", 4, TimeInForce::GoodTillCanceled);
    v.place(&ask, cid(1), &book(30, 0), now()).unwrap();
    let r = v.sync_reports(&m.ticker, &book(30, 0), now());
    assert_eq!(filled(&r), Count::ZERO, "0.40 bids do not reach a 0.44 ask");
    let bid = spec(&m, BookSide::Bid, "0.30", 3, TimeInForce::GoodTillCanceled);
    v.place(&bid, cid(2), &book(30, 0), now()).unwrap();
    assert!(v.cancel(&cid(2), now()).is_ok());
    assert!(v.cancel(&cid(2), now()).is_err(), "already cancelled");
    assert!(v.cancel(&cid(9), now()).is_err(), "no such order");
    assert!(v.resting(m.ticker.as_str()), "the ask still rests");
    let mut crossing = OrderBook::new();
    crossing.apply_snapshot(&[PriceLevel::new(p("0.45"), c(30))], &[]);
    let r = v.sync_reports(&m.ticker, &crossing, now());
    assert_eq!(filled(&r), c(4), "a recorded 0.45 bid takes the 0.44 ask");
    assert_eq!((r.fills[0].price, r.fills[0].maker), (p("0.44"), true));
    assert!(!v.resting(m.ticker.as_str()));
}

#[test]
fn size_kept_ahead_by_the_conservative_model_does_not_block_a_recorded_order_across() {
    let (mut v, m) = venue(QueueModel::Conservative);
    let mut asks = OrderBook::new();
    asks.apply_snapshot(&[], &[PriceLevel::new(p("0.45"), c(30))]);
    let ask = spec(&m, BookSide::Ask, "0.55", 4, TimeInForce::GoodTillCanceled);
    v.place(&ask, cid(1), &asks, now()).unwrap();
    let r = v.sync_reports(&m.ticker, &OrderBook::new(), now());
    assert_eq!(filled(&r), Count::ZERO, "the 30 ahead stay (conservative)");
    let mut bid = OrderBook::new();
    bid.apply_snapshot(&[PriceLevel::new(p("0.55"), c(10))], &[]);
    let r = v.sync_reports(&m.ticker, &bid, now());
    assert_eq!(
        filled(&r),
        c(4),
        "a recorded 0.55 bid reaches the strategy's 0.55 ask"
    );
}
