//! The order-book channel: a snapshot per market, then deltas with consecutive `seq` as
//! another account's REST orders rest, trade and cancel; the rebuilt book equals the
//! exchange's; a delta carries `client_order_id` only to the account whose order caused it.

mod common;

use common::{
    Trader,
    replay::BookReplay,
    ws::{WsClient, tickers},
};
use kalshi::{
    Count, Price,
    types::OutcomeSide,
    ws::{Channel, Incoming},
};

fn config() -> kalshi_sim::SimConfig {
    let mut cfg = common::quiet_config();
    cfg.rate_limits = false;
    cfg
}

/// An order body with a time in force and an optional client order id.
fn order(
    ticker: &str,
    side: &str,
    price: &str,
    count: &str,
    tif: &str,
    cid: Option<&str>,
) -> serde_json::Value {
    let mut body = common::order_json(ticker, side, price, count);
    body["time_in_force"] = tif.into();
    if let Some(cid) = cid {
        body["client_order_id"] = cid.into();
    }
    body
}

const GTC: &str = "good_till_canceled";
const IOC: &str = "immediate_or_cancel";

/// The next message, which must be a delta; returns (seq, ticker, side, price, delta, cid).
async fn delta(ws: &mut WsClient) -> (u64, String, OutcomeSide, Price, Count, Option<String>) {
    match ws.next().await {
        Incoming::OrderbookDelta(f) => (
            f.seq,
            f.msg.market_ticker.to_string(),
            f.msg.side,
            f.msg.price_dollars,
            f.msg.delta_fp,
            f.msg.client_order_id.map(|c| c.to_string()),
        ),
        other => panic!("expected a delta, got {other:?}"),
    }
}

fn p(s: &str) -> Price {
    Price::parse(s).unwrap()
}

fn c(n: i64) -> Count {
    Count::from_whole(n)
}

#[actix_rt::test]
async fn deltas_follow_the_snapshot_with_consecutive_seq_and_rebuild_the_true_book() {
    let sim = common::start(config());
    let watcher = Trader::new(&sim, "basic", "1000.00");
    let other = Trader::new(&sim, "basic", "1000.00");
    let m0 = common::open_market(&sim, 0).await;
    let m1 = common::open_market(&sim, 1).await;
    let resting = other
        .place(order(&m0, "bid", "0.40", "10", GTC, None))
        .await;

    let mut ws = watcher.ws(&sim).await;
    ws.subscribe(&[Channel::OrderbookDelta], tickers(&[&m0, &m1]))
        .await;
    let mut replay = BookReplay::default();
    assert!(matches!(ws.next().await, Incoming::Subscribed(_)));
    for ticker in [&m0, &m1] {
        let snap = ws.next().await;
        let Incoming::OrderbookSnapshot(f) = &snap else {
            panic!("expected a snapshot, got {snap:?}")
        };
        assert_eq!(f.msg.market_ticker, ticker.as_str());
        replay.apply(&snap).unwrap();
    }
    assert_eq!(replay.books[&m0].level(OutcomeSide::Yes, p("0.40")), c(10));

    other.place(order(&m0, "bid", "0.42", "5", GTC, None)).await;
    other.place(order(&m1, "ask", "0.60", "3", GTC, None)).await;
    let watcher_sell = watcher
        .place(order(&m0, "ask", "0.42", "4", IOC, None))
        .await;
    assert_eq!(watcher_sell.fill_count, c(4));
    let (status, body) = other
        .send(
            "DELETE",
            &format!("/portfolio/events/orders/{}", resting.order_id),
            None,
        )
        .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));

    let expected = [
        (3, &m0, OutcomeSide::Yes, "0.42", 5),
        (4, &m1, OutcomeSide::No, "0.40", 3),
        (5, &m0, OutcomeSide::Yes, "0.42", -4),
        (6, &m0, OutcomeSide::Yes, "0.40", -10),
    ];
    for (seq, ticker, side, price, size) in expected {
        let m = ws.next().await;
        replay.apply(&m).unwrap_or_else(|e| panic!("{e}"));
        let Incoming::OrderbookDelta(f) = m else {
            panic!("expected a delta, got {m:?}")
        };
        let got = (
            f.seq,
            f.msg.market_ticker.as_ref(),
            f.msg.side,
            f.msg.price_dollars,
        );
        assert_eq!(got, (seq, ticker.as_str(), side, p(price)));
        assert_eq!(f.msg.delta_fp, c(size));
        assert_eq!(
            f.msg.client_order_id, None,
            "another account's order: no client id"
        );
    }
    for t in [&m0, &m1] {
        let truth = sim.control().true_book(t).unwrap();
        assert!(
            replay.matches(t, &truth),
            "{t}: {:?} vs {truth:?}",
            replay.books[t]
        );
    }
}

#[actix_rt::test]
async fn replayed_deltas_equal_the_exchange_book() {
    let sim = common::start(config());
    let a = Trader::new(&sim, "basic", "1000.00");
    let b = Trader::new(&sim, "basic", "1000.00");
    let m0 = common::open_market(&sim, 2).await;
    let mut ws = a.ws(&sim).await;
    ws.subscribe(&[Channel::OrderbookDelta], tickers(&[&m0]))
        .await;
    let mut replay = BookReplay::default();
    ws.next().await;
    replay.apply(&ws.next().await).unwrap();
    let orders = [
        (&a, "bid", "0.30", "7", GTC),
        (&a, "bid", "0.31", "2", GTC),
        (&b, "ask", "0.35", "9", GTC),
        (&a, "bid", "0.36", "12", GTC), // takes 9 at 0.35, rests 3 at 0.36
        (&b, "ask", "0.29", "10", IOC), // takes 3 at 0.36, 2 at 0.31, 5 at 0.30
    ];
    for (who, side, price, count, tif) in orders {
        who.place(order(&m0, side, price, count, tif, None)).await;
    }
    let truth = sim.control().true_book(&m0).unwrap();
    while !replay.matches(&m0, &truth) {
        let m = ws.next().await;
        replay.apply(&m).unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(replay.deltas, 8);
    assert_eq!(replay.books[&m0].level(OutcomeSide::Yes, p("0.30")), c(2));
}

#[actix_rt::test]
async fn own_deltas_carry_the_client_order_id_for_the_owner_only() {
    let sim = common::start(config());
    let a = Trader::new(&sim, "basic", "1000.00");
    let b = Trader::new(&sim, "basic", "1000.00");
    let m = common::open_market(&sim, 0).await;
    let mut wa = a.ws(&sim).await;
    let mut wb = b.ws(&sim).await;
    for ws in [&mut wa, &mut wb] {
        ws.subscribe(&[Channel::OrderbookDelta], tickers(&[&m]))
            .await;
        ws.next().await;
        ws.next().await;
    }

    a.place(order(&m, "bid", "0.30", "2", GTC, Some("a-1")))
        .await;
    assert_eq!(delta(&mut wa).await.5.as_deref(), Some("a-1"));
    assert_eq!(delta(&mut wb).await.5, None);

    // B's sell trades against A's resting order: the level change is caused by A's order.
    b.place(order(&m, "ask", "0.30", "1", IOC, Some("b-1")))
        .await;
    let (_, _, _, _, size, cid) = delta(&mut wa).await;
    assert_eq!((size, cid.as_deref()), (c(-1), Some("a-1")));
    assert_eq!(delta(&mut wb).await.5, None);

    b.place(order(&m, "ask", "0.50", "1", GTC, Some("b-2")))
        .await;
    assert_eq!(delta(&mut wa).await.5, None);
    assert_eq!(delta(&mut wb).await.5.as_deref(), Some("b-2"));
}
