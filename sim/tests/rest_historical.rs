//! The historical split on a manual clock with `historical_after_s = 60`: once a settled
//! market, its trades, the fills and the ended orders are older than the cutoff they leave
//! the live lists for `/historical/*`, while a resting order stays live; without the setting
//! the cutoff is the simulator's start and nothing is historical.

mod common;

use chrono::Duration;
use common::{Trader, order_json};
use kalshi::rest::{
    GetFillsResponse, GetHistoricalCutoffResponse, GetMarketsResponse, GetOrdersResponse,
    GetPositionsResponse, GetTradesResponse,
};
use kalshi_sim::SimHandle;
use serde_json::json;

async fn settle(sim: &SimHandle, traders: &[&Trader], m: &str) {
    let (s, _) = common::admin(sim, "POST", &format!("/markets/{m}/close"), None).await;
    assert_eq!(s, 204);
    let yes = Some(json!({"result": "yes"}));
    let (s, _) = common::admin(sim, "POST", &format!("/markets/{m}/determine"), yes).await;
    assert_eq!(s, 204);
    common::advance(sim, traders, Duration::seconds(3600));
}

async fn tickers(t: &Trader, path: &str) -> Vec<String> {
    let page: GetMarketsResponse = t.json("GET", path, None, 200).await;
    page.markets.iter().map(|m| m.ticker.to_string()).collect()
}

#[actix_rt::test]
async fn data_older_than_the_cutoff_moves_to_the_historical_lists() {
    let mut cfg = common::quiet_config();
    cfg.historical_after_s = Some(60);
    let sim = common::start_manual(cfg);
    let (maker, taker) = (
        Trader::new(&sim, "prime", "1000.00"),
        Trader::new(&sim, "prime", "1000.00"),
    );
    let (m, open) = (
        common::open_market(&sim, 0).await,
        common::open_market(&sim, 1).await,
    );
    maker.place(order_json(&m, "bid", "0.40", "3.00")).await;
    taker.place(order_json(&m, "ask", "0.40", "3.00")).await;
    let resting = maker.place(order_json(&open, "bid", "0.10", "1.00")).await;
    settle(&sim, &[&maker, &taker], &m).await;

    // Settled just now: still live.
    assert!(
        tickers(&maker, "/markets?status=settled")
            .await
            .contains(&m)
    );
    assert!(tickers(&maker, "/historical/markets").await.is_empty());
    assert_eq!(
        maker
            .send("GET", &format!("/historical/markets/{m}"), None)
            .await
            .0,
        404
    );

    common::advance(&sim, &[&maker, &taker], Duration::seconds(61));
    let now = common::sim_now(&sim).await;
    let cutoff: GetHistoricalCutoffResponse =
        maker.json("GET", "/historical/cutoff", None, 200).await;
    assert_eq!(cutoff.market_settled_ts, now - Duration::seconds(60));
    assert_eq!(
        tickers(&maker, "/historical/markets").await,
        vec![m.clone()]
    );
    assert!(
        !tickers(&maker, "/markets?status=settled")
            .await
            .contains(&m)
    );
    let _: serde_json::Value = maker
        .json("GET", &format!("/historical/markets/{m}"), None, 200)
        .await;

    let live: GetTradesResponse = maker.json("GET", "/markets/trades", None, 200).await;
    let old: GetTradesResponse = maker.json("GET", "/historical/trades", None, 200).await;
    assert_eq!((live.trades.len(), old.trades.len()), (0, 1));
    let live: GetFillsResponse = maker.json("GET", "/portfolio/fills", None, 200).await;
    let old: GetFillsResponse = maker.json("GET", "/historical/fills", None, 200).await;
    assert_eq!((live.fills.len(), old.fills.len()), (0, 1));
    let live: GetOrdersResponse = maker.json("GET", "/portfolio/orders", None, 200).await;
    let old: GetOrdersResponse = maker.json("GET", "/historical/orders", None, 200).await;
    let ids: Vec<_> = live.orders.iter().map(|o| o.order_id.clone()).collect();
    assert_eq!(ids, [resting.order_id], "the resting order stays live");
    assert_eq!(old.orders.len(), 1, "the executed one moved");
    let old: GetPositionsResponse = maker.json("GET", "/historical/positions", None, 200).await;
    let held: Vec<_> = old
        .market_positions
        .iter()
        .map(|p| p.ticker.to_string())
        .collect();
    assert_eq!(held, [m]);
}

#[actix_rt::test]
async fn without_the_setting_nothing_is_historical() {
    let sim = common::start_manual(common::quiet_config());
    let t = Trader::new(&sim, "prime", "1000.00");
    let m = common::open_market(&sim, 0).await;
    settle(&sim, &[&t], &m).await;
    common::advance(&sim, &[&t], Duration::days(30));
    assert!(tickers(&t, "/historical/markets").await.is_empty());
    assert_eq!(
        t.send("GET", &format!("/historical/markets/{m}"), None)
            .await
            .0,
        404
    );
    let path =
        format!("/historical/markets/{m}/candlesticks?start_ts=0&end_ts=60&period_interval=1");
    assert_eq!(t.send("GET", &path, None).await.0, 404);
}
