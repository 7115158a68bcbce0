//! Market lifecycle through REST on a manual clock (kalshi-api.md §7): past `close_time`
//! orders are refused with `market_inactive` and resting ones are canceled; a determined
//! market settles after `settlement_timer_seconds`, paying winners into their balance.

mod common;

use chrono::Duration;
use common::{Trader, api_error, order_json};
use kalshi::{
    Count, Money,
    error::codes,
    rest::{
        GetBalanceResponse, GetMarketResponse, GetOrderResponse, GetPositionsResponse,
        GetSettlementsResponse,
    },
    types::{MarketResult, MarketStatus, OrderStatus},
};
use kalshi_sim::SimHandle;
use serde_json::json;

const CREATE: &str = "/portfolio/events/orders";

async fn market(t: &Trader, ticker: &str) -> kalshi::rest::Market {
    let r: GetMarketResponse = t
        .json("GET", &format!("/markets/{ticker}"), None, 200)
        .await;
    r.market
}

/// Moves the clock to one second past the market's close.
async fn past_close(sim: &SimHandle, traders: &[&Trader], ticker: &str) {
    let close = market(traders[0], ticker).await.close_time;
    let by = close - common::sim_now(sim).await + Duration::seconds(1);
    common::advance(sim, traders, by);
}

fn money(s: &str) -> Money {
    Money::parse(s).unwrap()
}

#[actix_rt::test]
async fn after_close_orders_are_refused_and_resting_ones_canceled() {
    let sim = common::start_manual(common::quiet_config());
    let t = Trader::new(&sim, "prime", "100.00");
    let m = common::open_market(&sim, 0).await;
    let resting = t
        .place(order_json(&m, "bid", "0.30", "5.00"))
        .await
        .order_id;

    past_close(&sim, &[&t], &m).await;
    assert_eq!(market(&t, &m).await.status, MarketStatus::Closed);
    let e = api_error(
        400,
        t.send("POST", CREATE, Some(order_json(&m, "bid", "0.3", "1")))
            .await,
    );
    assert_eq!(e.code, codes::MARKET_INACTIVE);
    let o: GetOrderResponse = t
        .json("GET", &format!("/portfolio/orders/{resting}"), None, 200)
        .await;
    assert_eq!(o.order.status, OrderStatus::Canceled);
    assert_eq!(o.order.remaining_count_fp, Count::ZERO);
    // Even a cancel is refused once the market has closed.
    let e = api_error(
        400,
        t.send("DELETE", &format!("{CREATE}/{resting}"), None).await,
    );
    assert_eq!(e.code, codes::MARKET_INACTIVE);
    // The collateral came back.
    let bal: GetBalanceResponse = t.json("GET", "/portfolio/balance", None, 200).await;
    assert_eq!(bal.balance_dollars, Some(money("100")));
}

#[actix_rt::test]
async fn determination_then_the_settlement_timer_pays_winners() {
    let sim = common::start_manual(common::quiet_config());
    let yes = Trader::new(&sim, "prime", "1000.00");
    let no = Trader::new(&sim, "prime", "1000.00");
    let m = common::open_market(&sim, 0).await;
    yes.place(order_json(&m, "bid", "0.40", "10.00")).await;
    no.place(order_json(&m, "ask", "0.40", "10.00")).await;
    let no_cash: GetBalanceResponse = no.json("GET", "/portfolio/balance", None, 200).await;

    past_close(&sim, &[&yes, &no], &m).await;
    let (status, body) = common::admin(
        &sim,
        "POST",
        &format!("/markets/{m}/determine"),
        Some(json!({"result": "yes"})),
    )
    .await;
    assert_eq!(status, 204, "{}", String::from_utf8_lossy(&body));
    let determined = market(&yes, &m).await;
    assert_eq!(determined.status, MarketStatus::Determined);
    assert_eq!(determined.result, MarketResult::Yes);

    let timer = Duration::seconds(determined.settlement_timer_seconds);
    common::advance(&sim, &[&yes, &no], timer - Duration::seconds(1));
    let none: GetSettlementsResponse = yes.json("GET", "/portfolio/settlements", None, 200).await;
    assert!(none.settlements.is_empty(), "not before the timer runs out");
    common::advance(&sim, &[&yes, &no], Duration::seconds(1));
    assert_eq!(market(&yes, &m).await.status, MarketStatus::Finalized);

    let won: GetSettlementsResponse = yes.json("GET", "/portfolio/settlements", None, 200).await;
    assert_eq!(won.settlements.len(), 1);
    let s = &won.settlements[0];
    assert_eq!(
        (s.market_result.clone(), s.yes_count_fp),
        (MarketResult::Yes, Count::from_whole(10))
    );
    assert_eq!(s.revenue.to_cents_floor(), 1000);
    assert_eq!(s.yes_total_cost_dollars, money("4"));
    // 1000 − 10 × 0.40 paid as maker (no maker fee) + 10 × 1.00 paid out.
    let bal: GetBalanceResponse = yes.json("GET", "/portfolio/balance", None, 200).await;
    assert_eq!(bal.balance.to_cents_floor(), 100_600);
    let pos: GetPositionsResponse = yes.json("GET", "/portfolio/positions", None, 200).await;
    assert_eq!(pos.market_positions[0].position_fp, Count::ZERO);
    assert_eq!(pos.market_positions[0].realized_pnl_dollars, money("6"));
    for (status, listed) in [("settled", 1), ("all", 1), ("unsettled", 0)] {
        let path = format!("/portfolio/positions?settlement_status={status}");
        let pos: GetPositionsResponse = yes.json("GET", &path, None, 200).await;
        assert_eq!(pos.market_positions.len(), listed, "{status}");
    }

    let lost: GetSettlementsResponse = no.json("GET", "/portfolio/settlements", None, 200).await;
    let s = &lost.settlements[0];
    assert_eq!(
        (s.no_count_fp, s.revenue),
        (Count::from_whole(10), Money::ZERO)
    );
    let after: GetBalanceResponse = no.json("GET", "/portfolio/balance", None, 200).await;
    assert_eq!(
        after.balance_dollars, no_cash.balance_dollars,
        "the NO side is paid nothing"
    );
}
