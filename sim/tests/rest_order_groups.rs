//! Order groups and queue positions on a manual clock: a group's orders that fill up to its
//! contracts limit within 15 seconds trigger it — its resting orders are canceled and new
//! orders in it are refused until a reset; a trigger can be asked for; deleting a group
//! cancels its orders; another account cannot see a group. Queue positions count the
//! contracts ahead at the same price, and the resting value is what the resting orders hold.

mod common;

use chrono::Duration;
use common::{Trader, order_json};
use kalshi::{
    Count, Money,
    rest::{
        GetOrderGroupResponse, GetOrderGroupsResponse, GetOrderQueuePositionResponse,
        GetOrderQueuePositionsResponse, GetOrderResponse,
        GetPortfolioRestingOrderTotalValueResponse,
    },
    types::OrderStatus,
};
use serde_json::{Value, json};

const GROUPS: &str = "/portfolio/order_groups";

async fn new_group(t: &Trader, limit: i64) -> String {
    let v: Value = t
        .json(
            "POST",
            &format!("{GROUPS}/create"),
            Some(json!({"contracts_limit": limit})),
            201,
        )
        .await;
    v["order_group_id"].as_str().expect("id").to_owned()
}

fn in_group(ticker: &str, side: &str, price: &str, count: &str, group: &str) -> Value {
    let mut body = order_json(ticker, side, price, count);
    body["order_group_id"] = json!(group);
    body
}

async fn status(t: &Trader, order_id: &str) -> OrderStatus {
    let o: GetOrderResponse = t
        .json("GET", &format!("/portfolio/orders/{order_id}"), None, 200)
        .await;
    o.order.status
}

#[actix_rt::test]
async fn fills_reaching_the_limit_trigger_the_group_until_it_is_reset() {
    let sim = common::start_manual(common::quiet_config());
    let (maker, taker) = (
        Trader::new(&sim, "prime", "1000.00"),
        Trader::new(&sim, "prime", "1000.00"),
    );
    let m = common::open_market(&sim, 0).await;
    let g = new_group(&maker, 3).await;
    let first = maker.place(in_group(&m, "bid", "0.40", "2.00", &g)).await;
    let second = maker.place(in_group(&m, "bid", "0.30", "5.00", &g)).await;
    let got: GetOrderGroupResponse = maker.json("GET", &format!("{GROUPS}/{g}"), None, 200).await;
    assert_eq!(
        got.orders,
        [first.order_id.clone(), second.order_id.clone()]
    );
    assert_eq!(got.contracts_limit_fp, Some(Count::from_whole(3)));

    // 2 filled: below the limit. 16 s later 1 more: the window holds 1, still below.
    taker.place(order_json(&m, "ask", "0.40", "2.00")).await;
    common::advance(&sim, &[&maker, &taker], Duration::seconds(16));
    taker.place(order_json(&m, "ask", "0.30", "1.00")).await;
    assert_eq!(
        status(&maker, second.order_id.as_str()).await,
        OrderStatus::Resting
    );
    // 2 more within the window: 3 reached, the rest of the group is canceled.
    taker.place(order_json(&m, "ask", "0.30", "2.00")).await;
    assert_eq!(
        status(&maker, second.order_id.as_str()).await,
        OrderStatus::Canceled
    );
    let refused = maker
        .send(
            "POST",
            "/portfolio/events/orders",
            Some(in_group(&m, "bid", "0.20", "1.00", &g)),
        )
        .await;
    let e = common::api_error(400, refused);
    assert_eq!(e.code, "exceeded_order_group_risk_limit");

    let reset = format!("{GROUPS}/{g}/reset");
    let _: Value = maker.json("PUT", &reset, None, 200).await;
    let again = maker.place(in_group(&m, "bid", "0.20", "1.00", &g)).await;
    assert_eq!(
        status(&maker, again.order_id.as_str()).await,
        OrderStatus::Resting
    );
    let limit = Some(json!({"contracts_limit": 50}));
    let _: Value = maker
        .json("PUT", &format!("{GROUPS}/{g}/limit"), limit, 200)
        .await;
    let _: Value = maker
        .json("PUT", &format!("{GROUPS}/{g}/trigger"), None, 200)
        .await;
    assert_eq!(
        status(&maker, again.order_id.as_str()).await,
        OrderStatus::Canceled
    );
}

#[actix_rt::test]
async fn a_group_is_its_owners_and_deleting_it_cancels_its_orders() {
    let sim = common::start_manual(common::quiet_config());
    let (a, b) = (
        Trader::new(&sim, "prime", "1000.00"),
        Trader::new(&sim, "prime", "1000.00"),
    );
    let m = common::open_market(&sim, 0).await;
    let g = new_group(&a, 10).await;
    let listed: GetOrderGroupsResponse = a.json("GET", GROUPS, None, 200).await;
    assert_eq!(listed.order_groups.len(), 1);
    assert_eq!(listed.order_groups[0].id, g);
    let theirs: GetOrderGroupsResponse = b.json("GET", GROUPS, None, 200).await;
    assert!(theirs.order_groups.is_empty());
    assert_eq!(b.send("GET", &format!("{GROUPS}/{g}"), None).await.0, 404);
    let foreign = b
        .send(
            "POST",
            "/portfolio/events/orders",
            Some(in_group(&m, "bid", "0.20", "1.00", &g)),
        )
        .await;
    assert_eq!(
        common::api_error(404, foreign).code,
        "order_group_not_found"
    );
    let bad = Some(json!({"contracts_limit": 0}));
    assert_eq!(
        a.send("POST", &format!("{GROUPS}/create"), bad).await.0,
        400
    );

    let o = a.place(in_group(&m, "bid", "0.20", "1.00", &g)).await;
    let _: Value = a.json("DELETE", &format!("{GROUPS}/{g}"), None, 200).await;
    assert_eq!(status(&a, o.order_id.as_str()).await, OrderStatus::Canceled);
    assert_eq!(a.send("GET", &format!("{GROUPS}/{g}"), None).await.0, 404);
}

#[actix_rt::test]
async fn queue_positions_count_the_contracts_ahead() {
    let sim = common::start_manual(common::quiet_config());
    let (a, b) = (
        Trader::new(&sim, "prime", "1000.00"),
        Trader::new(&sim, "prime", "1000.00"),
    );
    let m = common::open_market(&sim, 0).await;
    let first = a.place(order_json(&m, "bid", "0.25", "3.00")).await;
    b.place(order_json(&m, "bid", "0.25", "4.00")).await;
    let third = a.place(order_json(&m, "bid", "0.25", "2.00")).await;
    let other = a.place(order_json(&m, "ask", "0.75", "1.00")).await;
    let at = |id: &kalshi::OrderId| format!("/portfolio/orders/{id}/queue_position");
    let q: GetOrderQueuePositionResponse = a.json("GET", &at(&first.order_id), None, 200).await;
    assert_eq!(q.queue_position_fp, Count::ZERO);
    let q: GetOrderQueuePositionResponse = a.json("GET", &at(&third.order_id), None, 200).await;
    assert_eq!(q.queue_position_fp, Count::from_whole(7));
    assert_eq!(b.send("GET", &at(&first.order_id), None).await.0, 404);

    let all: GetOrderQueuePositionsResponse = a
        .json(
            "GET",
            &format!("/portfolio/orders/queue_positions?market_tickers={m}"),
            None,
            200,
        )
        .await;
    let ids: Vec<_> = all
        .queue_positions
        .iter()
        .map(|p| p.order_id.clone())
        .collect();
    assert_eq!(
        ids,
        [first.order_id, third.order_id, other.order_id.clone()]
    );

    let v: GetPortfolioRestingOrderTotalValueResponse = a
        .json(
            "GET",
            "/portfolio/summary/total_resting_order_value",
            None,
            200,
        )
        .await;
    // 5 YES bids at 0.25 and 1 NO at 0.25 (the ask at 0.75).
    assert_eq!(v.total_resting_order_value, Money::parse("1.50").unwrap());
    let path = format!("/portfolio/events/orders/{}", other.order_id);
    let _: Value = a.json("DELETE", &path, None, 200).await;
    assert_eq!(a.send("GET", &at(&other.order_id), None).await.0, 400);
}
