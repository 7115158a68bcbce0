//! The ground-truth endpoints under `/_sim` agree with what a test did over REST: every
//! create attempt with its outcome, the orders, fills and positions each account sees, and
//! the counters of `/_sim/stats`.

mod common;

use common::{Trader, order_json};
use kalshi::rest::{
    Fill, GetBalanceResponse, GetFillsResponse, GetOrdersResponse, MarketPosition, Order,
};
use kalshi_sim::server::{control::StatsSnapshot, state::OrderAttempt};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const CREATE: &str = "/portfolio/events/orders";

async fn truth<T: DeserializeOwned>(sim: &kalshi_sim::SimHandle, path: &str, field: &str) -> T {
    let (status, body) = common::admin(sim, "GET", path, None).await;
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
    let v: Value = serde_json::from_slice(&body).expect("json");
    serde_json::from_value(v[field].clone()).unwrap_or_else(|e| panic!("{path} {field}: {e}"))
}

/// The order log's records, as `GET /_sim/order_log` serializes them.
#[derive(Debug, serde::Deserialize)]
struct Attempt {
    client_order_id: Option<String>,
    outcome: String,
    status: u16,
    code: Option<String>,
    order_id: Option<String>,
}

#[actix_rt::test]
async fn ground_truth_agrees_with_what_the_test_did() {
    let sim = common::start(common::quiet_config());
    let maker = Trader::new(&sim, "prime", "500.00");
    let taker = Trader::new(&sim, "prime", "500.00");
    let m = common::open_market(&sim, 0).await;

    let mut first = order_json(&m, "bid", "0.45", "10.00");
    first["client_order_id"] = json!("truth-1");
    let placed = maker.place(first.clone()).await;
    assert_eq!(maker.send("POST", CREATE, Some(first)).await.0, 409);
    let off_tick = order_json(&m, "bid", "0.455", "1.00");
    assert_eq!(maker.send("POST", CREATE, Some(off_tick)).await.0, 400);
    taker.place(order_json(&m, "ask", "0.45", "6.00")).await;
    let spare = maker.place(order_json(&m, "bid", "0.10", "1.00")).await;
    assert_eq!(common::get_public(&sim, "/portfolio/balance").await.0, 401);

    // Every attempt, in order, with its outcome.
    let path = format!("/order_log?account_id={}", maker.ids.account_id);
    let log: Vec<Attempt> = truth(&sim, &path, "attempts").await;
    let summary: Vec<(&str, u16, Option<&str>)> = log
        .iter()
        .map(|a| (a.outcome.as_str(), a.status, a.code.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            ("accepted", 201, None),
            ("rejected", 409, Some("order_already_exists")),
            ("rejected", 400, Some("invalid_order")),
            ("accepted", 201, None),
        ]
    );
    assert_eq!(log[0].order_id.as_deref(), Some(placed.order_id.as_str()));
    assert_eq!(log[1].client_order_id.as_deref(), Some("truth-1"));
    assert_eq!(log[3].order_id.as_deref(), Some(spare.order_id.as_str()));
    let all: Vec<OrderAttempt> = sim.control().order_log(None);
    assert_eq!(all.len(), 5, "four by the maker, one by the taker");

    // Orders, fills and positions as the account sees them over REST.
    for t in [&maker, &taker] {
        let id = &t.ids.account_id;
        let rest: GetOrdersResponse = t.json("GET", "/portfolio/orders", None, 200).await;
        let mut truth_orders: Vec<Order> =
            truth(&sim, &format!("/orders?account_id={id}"), "orders").await;
        truth_orders.reverse(); // oldest first there, newest first over REST
        assert_eq!(rest.orders, truth_orders);
        let rest: GetFillsResponse = t.json("GET", "/portfolio/fills", None, 200).await;
        let mut truth_fills: Vec<Fill> =
            truth(&sim, &format!("/fills?account_id={id}"), "fills").await;
        truth_fills.reverse();
        assert_eq!(rest.fills, truth_fills);
        let rest: kalshi::rest::GetPositionsResponse =
            t.json("GET", "/portfolio/positions", None, 200).await;
        let truth_positions: Vec<MarketPosition> = truth(
            &sim,
            &format!("/positions?account_id={id}"),
            "market_positions",
        )
        .await;
        assert_eq!(rest.market_positions, truth_positions);
    }

    // With nothing resting, the cash the exchange holds is the REST balance.
    assert_eq!(maker.send("DELETE", CREATE, None).await.0, 204);
    let bal: GetBalanceResponse = maker.json("GET", "/portfolio/balance", None, 200).await;
    let path = format!("/positions?account_id={}", maker.ids.account_id);
    let cash: kalshi::Money = truth(&sim, &path, "balance_dollars").await;
    assert_eq!(bal.balance_dollars, Some(cash));
    // 500 − 6 × 0.45 paid as maker (no maker fee on this series).
    assert_eq!(cash, kalshi::Money::parse("497.30").unwrap());

    let stats: StatsSnapshot =
        serde_json::from_slice(&common::admin(&sim, "GET", "/stats", None).await.1).unwrap();
    assert_eq!((stats.sent_409, stats.sent_401, stats.sent_429), (1, 1, 0));
    assert_eq!(stats.requests["POST /portfolio/events/orders"], 5);
    assert_eq!(stats.requests["DELETE /portfolio/events/orders"], 1);
    assert_eq!(stats.requests["GET /portfolio/balance"], 2);
    assert_eq!(stats.statuses[&201], 3);
    assert_eq!(stats.user_fills, 2, "one fill each side");
    assert_eq!(stats.duplicate_client_order_ids, 0);
}

#[actix_rt::test]
async fn stats_count_injected_and_budget_429s() {
    let sim = common::start_manual(common::quiet_config());
    let t = Trader::new(&sim, "basic", "10.00");
    let (s, _) = common::admin(&sim, "POST", "/faults", Some(json!({"rest_429_next": 2}))).await;
    assert_eq!(s, 200);
    let mut statuses = Vec::new();
    for _ in 0..42 {
        statuses.push(t.send("GET", "/markets?limit=1", None).await.0);
    }
    // 2 injected (they take no tokens), then the frozen Basic read bucket lets
    // 200 / 10 = 20 through and refuses the other 20.
    let refused = statuses.iter().filter(|s| **s == 429).count() as u64;
    assert_eq!(&statuses[..2], [429, 429]);
    assert_eq!(refused, 2 + 20);
    let stats = sim.control().stats();
    assert_eq!(stats.sent_429, refused);
    assert_eq!(stats.requests["GET /markets"], 42);
}
