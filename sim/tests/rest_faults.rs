//! REST fault switches, each set through the HTTP admin interface `POST /_sim/faults`:
//! injected 429s and 5xx, latency, a reset after an accepted create, market pauses and an
//! exchange-wide trading halt.

mod common;

use std::time::{Duration, Instant};

use common::{Trader, api_error, order_json};
use kalshi::{
    error::codes,
    rest::{ExchangeStatus, GetMarketResponse, GetOrderResponse},
    types::{MarketStatus, OrderStatus},
};
use kalshi_sim::{SimConfig, SimHandle};
use serde_json::{Value, json};

const CREATE: &str = "/portfolio/events/orders";

async fn set_faults(sim: &SimHandle, patch: Value) -> Value {
    let (status, body) = common::admin(sim, "POST", "/faults", Some(patch)).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).expect("faults")
}

/// Statuses of `n` unsigned `GET /exchange/status`, one after the other.
async fn public_statuses(sim: &SimHandle, n: usize) -> Vec<u16> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(common::get_public(sim, "/exchange/status").await.0);
    }
    out
}

async fn order_status(t: &Trader, id: &str) -> OrderStatus {
    let r: GetOrderResponse = t
        .json("GET", &format!("/portfolio/orders/{id}"), None, 200)
        .await;
    r.order.status
}

#[actix_rt::test]
async fn rest_429_next_refuses_exactly_the_next_n_requests() {
    let sim = common::start(common::quiet_config());
    let f = set_faults(&sim, json!({"rest_429_next": 3})).await;
    assert_eq!(f["rest_429_next"], 3);
    assert_eq!(public_statuses(&sim, 5).await, [429, 429, 429, 200, 200]);
    let (_, body) = common::admin(&sim, "GET", "/faults", None).await;
    let f: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(f["rest_429_next"], 0, "used up");
}

#[actix_rt::test]
async fn rest_429_fraction_follows_the_seed() {
    let run = |seed: u64| async move {
        let sim = common::start(SimConfig {
            seed,
            ..common::quiet_config()
        });
        set_faults(&sim, json!({"rest_429_fraction": 0.3})).await;
        public_statuses(&sim, 300).await
    };
    let (a, again, other) = (run(7).await, run(7).await, run(8).await);
    assert_eq!(a, again, "same seed, same refusals");
    assert_ne!(a, other, "another seed, other refusals");
    // Binomial(300, 0.3): mean 90, sd ≈ 7.9; the band is ±5 sd.
    let refused = a.iter().filter(|s| **s == 429).count();
    assert!((50..=130).contains(&refused), "{refused} of 300 refused");
    assert!(a.iter().all(|s| *s == 429 || *s == 200));
}

#[actix_rt::test]
async fn rest_5xx_next_answers_the_chosen_status() {
    let sim = common::start(common::quiet_config());
    set_faults(&sim, json!({"rest_5xx_next": 2, "rest_5xx_status": 502})).await;
    let t = Trader::new(&sim, "prime", "10.00");
    for _ in 0..2 {
        let e = api_error(502, t.send("GET", "/portfolio/balance", None).await);
        assert_eq!(e.code, "service_unavailable");
    }
    assert_eq!(t.send("GET", "/portfolio/balance", None).await.0, 200);
    assert_eq!(sim.control().stats().sent_5xx, 2);
}

#[actix_rt::test]
async fn latency_delays_every_request() {
    let sim = common::start(common::quiet_config());
    set_faults(&sim, json!({"latency_ms": 150})).await;
    let start = Instant::now();
    assert_eq!(common::get_public(&sim, "/exchange/status").await.0, 200);
    assert!(
        start.elapsed() >= Duration::from_millis(150),
        "{:?}",
        start.elapsed()
    );
    set_faults(&sim, json!({"latency_ms": 0})).await;
    assert_eq!(common::get_public(&sim, "/exchange/status").await.0, 200);
}

#[actix_rt::test]
async fn reset_after_accept_keeps_the_order_but_drops_the_response() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "prime", "100.00");
    let m = common::open_market(&sim, 0).await;
    set_faults(&sim, json!({"reset_after_accept_next": 1})).await;
    let mut body = order_json(&m, "bid", "0.30", "2.00");
    body["client_order_id"] = json!("lost-ack-1");

    let sent = t.request("POST", CREATE).send_json(&body).await;
    assert!(
        sent.is_err(),
        "the client must see a transport error, got {sent:?}"
    );

    let attempts = sim.control().order_log(Some(&t.ids.account_id));
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].outcome, "accepted_response_dropped");
    assert_eq!(attempts[0].status, 0);
    let order_id = attempts[0].order_id.clone().expect("accepted");
    let orders = sim.control().orders(&t.ids.account_id);
    assert_eq!(orders.len(), 1, "exactly one order with that client id");
    assert_eq!(orders[0].order_id.as_str(), order_id);
    assert_eq!(orders[0].client_order_id.as_deref(), Some("lost-ack-1"));
    assert_eq!(sim.control().stats().resets_after_accept, 1);

    // The retry with the same client id is a duplicate; the switch is used up.
    let e = api_error(409, t.send("POST", CREATE, Some(body)).await);
    assert_eq!(e.code, codes::ORDER_ALREADY_EXISTS);
    t.place(order_json(&m, "bid", "0.30", "1.00")).await;
}

#[actix_rt::test]
async fn pausing_keeps_resting_orders_and_unpausing_cancels_them() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "prime", "100.00");
    let m = common::open_market(&sim, 0).await;
    let keep = t
        .place(order_json(&m, "bid", "0.30", "1.00"))
        .await
        .order_id;
    let mut flagged = order_json(&m, "bid", "0.31", "1.00");
    flagged["cancel_order_on_pause"] = json!(true);
    let flagged = t.place(flagged).await.order_id;

    set_faults(&sim, json!({"pause_market": m})).await;
    let market: GetMarketResponse = t.json("GET", &format!("/markets/{m}"), None, 200).await;
    assert_eq!(market.market.status, MarketStatus::Inactive);
    assert_eq!(order_status(&t, &flagged).await, OrderStatus::Canceled);
    assert_eq!(order_status(&t, &keep).await, OrderStatus::Resting);
    let e = api_error(
        400,
        t.send("POST", CREATE, Some(order_json(&m, "bid", "0.3", "1")))
            .await,
    );
    assert_eq!(e.code, codes::TRADING_PAUSED);

    set_faults(&sim, json!({"unpause_market": m})).await;
    assert_eq!(order_status(&t, &keep).await, OrderStatus::Canceled);
    t.place(order_json(&m, "bid", "0.30", "1.00")).await;
}

#[actix_rt::test]
async fn trading_inactive_halts_orders_exchange_wide() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "prime", "100.00");
    let m = common::open_market(&sim, 0).await;
    set_faults(&sim, json!({"trading_active": false})).await;
    let s: ExchangeStatus = t.json("GET", "/exchange/status", None, 200).await;
    assert!(!s.trading_active);
    let e = api_error(
        400,
        t.send("POST", CREATE, Some(order_json(&m, "bid", "0.3", "1")))
            .await,
    );
    assert_eq!(e.code, codes::EXCHANGE_PAUSED);
    set_faults(&sim, json!({"trading_active": true})).await;
    t.place(order_json(&m, "bid", "0.30", "1.00")).await;
}

#[actix_rt::test]
async fn the_admin_interface_refuses_impossible_faults() {
    let sim = common::start(common::quiet_config());
    for patch in [
        json!({"rest_429_fraction": 2.0}),
        json!({"rest_5xx_status": 404}),
        json!({"no_such_switch": 1}),
        json!({"pause_market": "NOPE-1"}),
    ] {
        let (status, body) = common::admin(&sim, "POST", "/faults", Some(patch.clone())).await;
        assert_eq!(status, 400, "{patch}: {}", String::from_utf8_lossy(&body));
    }
}

#[actix_rt::test]
async fn under_open_only_an_ended_orders_client_id_is_accepted_again_and_clear_keeps_the_rule() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "prime", "100.00");
    let m = common::open_market(&sim, 0).await;
    let faults = set_faults(&sim, json!({"duplicate_client_id": "open_only"})).await;
    assert_eq!(faults["duplicate_client_id"], "open_only");
    assert_eq!(
        set_faults(&sim, json!({"clear": true})).await["duplicate_client_id"],
        "open_only"
    );

    let mut body = order_json(&m, "bid", "0.30", "1.00");
    body["client_order_id"] = json!("reuse-1");
    let first = t.place(body.clone()).await;
    // Resting: the id is taken.
    let e = api_error(409, t.send("POST", CREATE, Some(body.clone())).await);
    assert_eq!(e.code, codes::ORDER_ALREADY_EXISTS);
    // Ended: the id is free again, and the second order is a duplicate the stats count.
    t.send("DELETE", &format!("{CREATE}/{}", first.order_id), None)
        .await;
    t.place(body.clone()).await;
    assert_eq!(sim.control().stats().duplicate_client_order_ids, 1);

    set_faults(&sim, json!({"duplicate_client_id": "ever"})).await;
    let e = api_error(409, t.send("POST", CREATE, Some(body)).await);
    assert_eq!(e.code, codes::ORDER_ALREADY_EXISTS);
}
