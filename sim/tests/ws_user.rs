//! The private channels (`fill`, `user_orders`, `market_positions`) carry only the
//! connection's own account, filtered by market when asked; the public `ticker` and `trade`
//! channels follow the book; `market_lifecycle_v2` reports pause and unpause.
//!
//! "Nothing else arrived" is checked without waiting: frames come in publication order, so
//! everything published before a marker frame has arrived by the time the marker does.

mod common;

use common::{
    Trader,
    ws::{WsClient, tickers},
};
use kalshi::{
    Count, Price,
    types::{BookSide, LifecycleEventType, OrderStatus},
    ws::{Channel, Incoming, MarketFilter},
};

fn config() -> kalshi_sim::SimConfig {
    let mut cfg = common::quiet_config();
    cfg.rate_limits = false;
    cfg
}

fn order(ticker: &str, side: &str, price: &str, count: &str, ioc: bool) -> serde_json::Value {
    let mut body = common::order_json(ticker, side, price, count);
    if ioc {
        body["time_in_force"] = "immediate_or_cancel".into();
    }
    body
}

async fn subscribed(ws: &mut WsClient, n: usize) {
    for _ in 0..n {
        assert!(matches!(ws.next().await, Incoming::Subscribed(_)));
    }
}

fn c(n: i64) -> Count {
    Count::from_whole(n)
}

#[actix_rt::test]
async fn private_channels_carry_only_the_own_account() {
    let sim = common::start(config());
    let a = Trader::new(&sim, "basic", "1000.00");
    let b = Trader::new(&sim, "basic", "1000.00");
    let other = Trader::new(&sim, "basic", "1000.00");
    let m = common::open_market(&sim, 0).await;
    let private = [Channel::Fill, Channel::UserOrders, Channel::MarketPositions];
    let mut wa = a.ws(&sim).await;
    wa.subscribe(&private, MarketFilter::All).await;
    subscribed(&mut wa, 3).await;
    let mut wb = b.ws(&sim).await;
    wb.subscribe(&[Channel::Fill], MarketFilter::All).await;
    subscribed(&mut wb, 1).await;

    // B and another account trade: nothing for A.
    b.place(order(&m, "bid", "0.40", "5", false)).await;
    other.place(order(&m, "ask", "0.40", "5", true)).await;
    // A's own order is the marker.
    let mut body = order(&m, "bid", "0.20", "1", false);
    body["client_order_id"] = "a-marker".into();
    let placed = a.place(body).await;
    let (first, skipped) = wa.until(|m| matches!(m, Incoming::UserOrder(_))).await;
    assert!(
        skipped.is_empty(),
        "A saw another account's messages: {skipped:?}"
    );
    let Incoming::UserOrder(uo) = first else {
        unreachable!()
    };
    assert_eq!(uo.msg.order_id, placed.order_id);
    assert_eq!(uo.msg.status, OrderStatus::Resting);
    assert_eq!(uo.msg.user_id.as_deref(), Some(a.ids.account_id.as_str()));
    assert_eq!(uo.msg.client_order_id.as_deref(), Some("a-marker"));

    // B's own fill reached B.
    let Incoming::Fill(bf) = wb.next().await else {
        panic!("B expected its fill")
    };
    assert!(!bf.msg.is_taker);
    assert_eq!(bf.msg.count_fp, c(5));

    // B sells into A's bid: A's fill, position and order update.
    b.place(order(&m, "ask", "0.20", "1", true)).await;
    let Incoming::Fill(fill) = wa.next().await else {
        panic!("expected A's fill")
    };
    assert_eq!(fill.msg.order_id, placed.order_id);
    assert_eq!(fill.msg.client_order_id.as_deref(), Some("a-marker"));
    assert!(!fill.msg.is_taker);
    assert_eq!(fill.msg.yes_price_dollars, Price::parse("0.20").unwrap());
    assert_eq!(fill.msg.book_side, Some(BookSide::Bid));
    let Incoming::MarketPosition(pos) = wa.next().await else {
        panic!("expected A's position")
    };
    assert_eq!(pos.msg.market_ticker.as_str(), m);
    assert_eq!(pos.msg.position_fp, Some(c(1)));
    let Incoming::UserOrder(done) = wa.next().await else {
        panic!("expected A's order update")
    };
    assert_eq!(done.msg.status, OrderStatus::Executed);
    // And B's taker fill reached B only.
    let Incoming::Fill(bf) = wb.next().await else {
        panic!("B expected its fill")
    };
    assert!(bf.msg.is_taker);
}

#[actix_rt::test]
async fn private_channels_respect_their_market_filter() {
    let sim = common::start(config());
    let a = Trader::new(&sim, "basic", "1000.00");
    let b = Trader::new(&sim, "basic", "1000.00");
    let m0 = common::open_market(&sim, 0).await;
    let m1 = common::open_market(&sim, 1).await;
    let mut wa = a.ws(&sim).await;
    wa.subscribe(&[Channel::Fill], tickers(&[&m1])).await;
    subscribed(&mut wa, 1).await;
    for m in [&m0, &m1] {
        b.place(order(m, "ask", "0.60", "1", false)).await;
        a.place(order(m, "bid", "0.60", "1", true)).await;
    }
    let Incoming::Fill(f) = wa.next().await else {
        panic!("expected a fill")
    };
    assert_eq!(
        f.msg.market_ticker.as_str(),
        m1,
        "the fill on {m0} is filtered out"
    );
}

#[actix_rt::test]
async fn ticker_and_trade_channels_follow_the_market() {
    let sim = common::start(config());
    let a = Trader::new(&sim, "basic", "1000.00");
    let b = Trader::new(&sim, "basic", "1000.00");
    let m0 = common::open_market(&sim, 0).await;
    let m1 = common::open_market(&sim, 1).await;
    let mut ws = a.ws(&sim).await;
    ws.subscribe(&[Channel::Ticker, Channel::Trade], tickers(&[&m0]))
        .await;
    subscribed(&mut ws, 2).await;

    // Activity on the other market is filtered out; the first frame is about m0.
    b.place(order(&m1, "bid", "0.40", "5", false)).await;
    b.place(order(&m0, "bid", "0.40", "5", false)).await;
    let Incoming::Ticker(t) = ws.next().await else {
        panic!("expected a ticker frame")
    };
    assert_eq!(t.msg.market_ticker.as_str(), m0);
    assert_eq!(t.msg.yes_bid_dollars, Some(Price::parse("0.40").unwrap()));
    assert_eq!(t.msg.yes_bid_size_fp, Some(c(5)));

    a.place(order(&m0, "ask", "0.40", "2", true)).await;
    let (trade, _) = ws.until(|m| matches!(m, Incoming::Trade(_))).await;
    let Incoming::Trade(trade) = trade else {
        unreachable!()
    };
    assert_eq!(trade.msg.count_fp, c(2));
    assert_eq!(trade.msg.taker_book_side, Some(BookSide::Ask));
    assert_eq!(trade.msg.yes_price_dollars, Price::parse("0.40").unwrap());
    let Incoming::Ticker(t) = ws.next().await else {
        panic!("expected a ticker frame after the trade")
    };
    assert_eq!(t.msg.volume_fp, Some(c(2)));
    assert_eq!(t.msg.yes_bid_size_fp, Some(c(3)));
}

#[actix_rt::test]
async fn lifecycle_reports_pause_and_unpause() {
    let sim = common::start(config());
    let a = Trader::new(&sim, "basic", "1000.00");
    let m = common::open_market(&sim, 0).await;
    let mut ws = a.ws(&sim).await;
    ws.subscribe(&[Channel::MarketLifecycleV2], MarketFilter::All)
        .await;
    subscribed(&mut ws, 1).await;
    for (seq, switch, event, paused) in [
        (1, "pause_market", LifecycleEventType::Deactivated, true),
        (2, "unpause_market", LifecycleEventType::Activated, false),
    ] {
        let patch = serde_json::from_str(&format!(r#"{{"{switch}":"{m}"}}"#)).unwrap();
        let (status, body) = common::admin(&sim, "POST", "/faults", Some(patch)).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        match ws.next().await {
            Incoming::MarketLifecycle(f) => {
                assert_eq!((f.sid, f.seq), (Some(1), Some(seq)));
                assert_eq!(f.msg.market_ticker.as_str(), m);
                assert_eq!(f.msg.event_type, event);
                assert_eq!(f.msg.is_deactivated, Some(paused));
            }
            other => panic!("expected a lifecycle frame, got {other:?}"),
        }
    }
}
