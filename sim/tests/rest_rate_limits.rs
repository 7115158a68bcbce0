//! Token buckets (kalshi-api.md §5) on a frozen manual clock, so every refill is exact: the
//! Basic tier's read bucket holds 200 tokens refilling 200/s, its write bucket 100 refilling
//! 100/s; a default request costs 10, a cancel 2, a batch per item. A refused request takes
//! nothing and gets `429 {"error":"too many requests"}` with no `Retry-After`.

mod common;

use chrono::Duration;
use common::{Trader, order_json, read};
use futures_util::future::join_all;
use kalshi::{
    limits::EndpointCosts,
    rest::{Endpoint, GetAccountLimitsResponse, GetEndpointCostsResponse},
};
use serde_json::json;

const CREATE: &str = "/portfolio/events/orders";
const BATCH: &str = "/portfolio/events/orders/batched";

/// A Basic trader on a frozen simulator, with its limits read and its buckets full again.
async fn frozen_basic() -> (kalshi_sim::SimHandle, Trader, GetAccountLimitsResponse) {
    let sim = common::start_manual(common::quiet_config());
    let t = Trader::new(&sim, "basic", "1000.00");
    let limits: GetAccountLimitsResponse = t.json("GET", "/account/limits", None, 200).await;
    common::advance(&sim, &[&t], Duration::seconds(1)); // refill what that read cost
    (sim, t, limits)
}

async fn status_of(t: &Trader, method: &str, path: &str, body: Option<serde_json::Value>) -> u16 {
    t.send(method, path, body).await.0
}

#[actix_rt::test]
async fn reads_beyond_the_read_bucket_get_429_and_refill_exactly() {
    let (sim, t, limits) = frozen_basic().await;
    assert_eq!(
        (limits.read.bucket_capacity, limits.read.refill_rate),
        (200, 200)
    );
    let cost = EndpointCosts::documented().cost(Endpoint::GetMarkets, 1);
    assert_eq!(cost, 10);
    // 50 reads at once: floor(200 / 10) = 20 fit, 50 − 20 = 30 are refused.
    let n = 50;
    let sends = (0..n).map(|_| t.request("GET", "/markets?limit=1").send());
    let mut answers = Vec::new();
    for r in join_all(sends).await {
        let resp = r.expect("response");
        let retry_after = resp.headers().contains_key("retry-after");
        answers.push((read(resp).await, retry_after));
    }
    let refused: Vec<_> = answers.iter().filter(|((s, _), _)| *s == 429).collect();
    let fit = (limits.read.bucket_capacity / cost) as usize;
    assert_eq!(refused.len(), n - fit);
    for ((_, body), retry_after) in &refused {
        assert_eq!(body.as_slice(), br#"{"error":"too many requests"}"#);
        assert!(!retry_after, "Kalshi sends no Retry-After");
    }
    // 50 ms at 200 tokens/s refill exactly 10 tokens: one more read.
    common::advance(&sim, &[&t], Duration::milliseconds(50));
    assert_eq!(status_of(&t, "GET", "/markets?limit=1", None).await, 200);
    assert_eq!(status_of(&t, "GET", "/markets?limit=1", None).await, 429);
    assert_eq!(sim.control().stats().sent_429, 31);
}

#[actix_rt::test]
async fn creates_cost_10_and_cancels_2_from_the_write_bucket() {
    let (sim, t, limits) = frozen_basic().await;
    assert_eq!(
        (limits.write.bucket_capacity, limits.write.refill_rate),
        (100, 100)
    );
    let m = common::open_market(&sim, 0).await;
    let mut ids = Vec::new();
    // 6 creates (60) + 5 cancels (10) = 70 tokens, 30 left.
    for i in 0..6 {
        let price = format!("0.1{i}");
        ids.push(
            t.place(order_json(&m, "bid", &price, "1.00"))
                .await
                .order_id,
        );
    }
    for id in &ids[..5] {
        assert_eq!(
            status_of(&t, "DELETE", &format!("{CREATE}/{id}"), None).await,
            200
        );
    }
    // 3 more creates take the last 30: the bucket is empty, even a cancel (2) is refused.
    for i in 0..3 {
        let price = format!("0.2{i}");
        ids.push(
            t.place(order_json(&m, "bid", &price, "1.00"))
                .await
                .order_id,
        );
    }
    let cancel = format!("{CREATE}/{}", ids[5]);
    assert_eq!(status_of(&t, "DELETE", &cancel, None).await, 429);
    // 20 ms at 100 tokens/s = 2 tokens: exactly one cancel.
    common::advance(&sim, &[&t], Duration::milliseconds(20));
    assert_eq!(status_of(&t, "DELETE", &cancel, None).await, 200);
    let next = format!("{CREATE}/{}", ids[6]);
    assert_eq!(status_of(&t, "DELETE", &next, None).await, 429);
}

#[actix_rt::test]
async fn batches_are_charged_per_item() {
    let (sim, t, _) = frozen_basic().await;
    let m = common::open_market(&sim, 0).await;
    let orders = |n: usize| -> Vec<_> {
        (0..n)
            .map(|_| order_json(&m, "bid", "0.05", "1.00"))
            .collect()
    };
    // 10 creates × 10 = 100 tokens: the whole bucket.
    let created: kalshi::rest::BatchCreateOrdersV2Response = t
        .json("POST", BATCH, Some(json!({"orders": orders(10)})), 201)
        .await;
    let ids: Vec<_> = created
        .orders
        .iter()
        .filter_map(|o| o.order_id.clone())
        .collect();
    assert_eq!(ids.len(), 10);
    let one = format!("{CREATE}/{}", ids[0]);
    assert_eq!(status_of(&t, "DELETE", &one, None).await, 429);

    // Full again: 11 creates would cost 110 > 100 and never fit; nothing is placed.
    common::advance(&sim, &[&t], Duration::seconds(1));
    let body = json!({"orders": orders(11)});
    assert_eq!(status_of(&t, "POST", BATCH, Some(body)).await, 429);
    assert_eq!(sim.control().orders(&t.ids.account_id).len(), 10);

    // A batch cancel of 10 costs 10 × 2 = 20; 8 creates take the other 80.
    let cancels: Vec<_> = ids.iter().map(|id| json!({"order_id": id})).collect();
    let body = json!({ "orders": cancels });
    assert_eq!(status_of(&t, "DELETE", BATCH, Some(body)).await, 200);
    for _ in 0..8 {
        t.place(order_json(&m, "bid", "0.05", "1.00")).await;
    }
    assert_eq!(status_of(&t, "DELETE", &one, None).await, 429);
}

#[actix_rt::test]
async fn published_costs_are_the_costs_enforced() {
    let (sim, t, limits) = frozen_basic().await;
    let (status, body) = common::get_public(&sim, "/account/endpoint_costs").await;
    assert_eq!(status, 200);
    let published: GetEndpointCostsResponse = serde_json::from_slice(&body).expect("costs");
    let costs = EndpointCosts::from_response(&published);
    let get_order = costs.cost(Endpoint::GetOrder, 1);
    assert_eq!(get_order, 2);
    let m = common::open_market(&sim, 0).await;
    let id = t
        .place(order_json(&m, "bid", "0.05", "1.00"))
        .await
        .order_id;
    // The read bucket (200) holds exactly 200 / 2 = 100 order lookups.
    let fit = limits.read.bucket_capacity / get_order;
    let path = format!("/portfolio/orders/{id}");
    for _ in 0..fit {
        assert_eq!(status_of(&t, "GET", &path, None).await, 200);
    }
    assert_eq!(status_of(&t, "GET", &path, None).await, 429);
    // Unsigned public reads draw from no account's bucket.
    assert_eq!(common::get_public(&sim, "/markets?limit=1").await.0, 200);
}

#[actix_rt::test]
async fn retry_after_appears_only_when_the_switch_is_set() {
    let sim = common::start(common::quiet_config());
    let faults = json!({"rest_429_next": 2, "retry_after_s": 3});
    assert_eq!(
        common::admin(&sim, "POST", "/faults", Some(faults)).await.0,
        200
    );
    let url = format!("{}/exchange/status", sim.rest_url());
    let resp = awc::Client::default()
        .get(&url)
        .send()
        .await
        .expect("response");
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(
        resp.headers().get("retry-after").unwrap().to_str().unwrap(),
        "3"
    );
    let off = json!({"retry_after_s": 0});
    assert_eq!(
        common::admin(&sim, "POST", "/faults", Some(off)).await.0,
        200
    );
    let resp = awc::Client::default()
        .get(&url)
        .send()
        .await
        .expect("response");
    assert_eq!(resp.status().as_u16(), 429);
    assert!(!resp.headers().contains_key("retry-after"));
}
