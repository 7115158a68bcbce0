//! Gateway against the simulator: typed requests, both key types, 5xx retries, 401, expiry,
//! and the adoption of a create whose response was lost (found by its client order id among
//! the live orders, or among the historical ones once the cutoff has passed it).

mod common;

use std::time::Duration;

use actix::Addr;
use kalshi::{
    ClientOrderId, Count, Price,
    rest::{CreateOrderV2Request, market_params::GetMarketsParams},
    sign::SigningKey,
    types::{BookSide, TimeInForce},
};
use kalshi_sim::{
    SimClock, SimConfig, SimHandle, SimServer, readings::DuplicateRule, server::faults::FaultPatch,
};
use tradewind_actors::{
    gateway::{
        Gateway, GatewayConfig, GatewayError, GetMarket, GetMarkets, GetMetrics, GetOrders,
        PlaceOrder,
    },
    stamps::{PathStamps, Stamp},
};

#[actix::test]
async fn reads_work_with_rsa_and_ed25519_keys() {
    let sim = common::quiet_sim();
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kalshi/tests/fixtures/keys");
    let rsa = SigningKey::from_pem_file(fixtures.join("rsa2048_pkcs8.pem")).unwrap();
    for key in [rsa, SigningKey::generate_ed25519().unwrap()] {
        let kind = key.kind();
        let (signer, _) = common::account(&sim, key, "prime", "100.00");
        let gw = common::gateway(&sim, signer, GatewayConfig::default());
        let page = gw
            .send(GetMarkets {
                params: GetMarketsParams {
                    limit: Some(3),
                    ..Default::default()
                },
            })
            .await
            .unwrap();
        assert_eq!(page.unwrap().markets.len(), 3, "{kind}");
        let balance = gw
            .send(tradewind_actors::gateway::GetBalance {
                params: Default::default(),
            })
            .await
            .unwrap();
        assert!(balance.is_ok(), "{kind}: {balance:?}");
    }
}

#[actix::test]
async fn server_errors_on_reads_are_retried_to_success() {
    let sim = common::quiet_sim();
    let (signer, _) = common::ed25519_account(&sim, "prime");
    let gw = common::gateway(
        &sim,
        signer,
        GatewayConfig {
            backoff_base_ms: 5,
            ..GatewayConfig::default()
        },
    );
    let ticker = common::ny_market(&sim);
    // Let the start-up limit reads through first.
    gw.send(GetMarket {
        ticker: ticker.clone(),
    })
    .await
    .unwrap()
    .unwrap();
    sim.control()
        .set_faults(&FaultPatch {
            rest_5xx_next: Some(3),
            ..Default::default()
        })
        .unwrap();
    let m = gw
        .send(GetMarket {
            ticker: ticker.clone(),
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.market.ticker, ticker);
    let metrics = gw.send(GetMetrics).await.unwrap();
    assert_eq!(metrics.counters.retries, 3);
    assert_eq!(sim.control().stats().sent_5xx, 3);
}

#[actix::test]
async fn unauthorized_is_not_retried() {
    let sim = common::quiet_sim();
    let key = SigningKey::generate_ed25519().unwrap();
    let signer = std::sync::Arc::new(kalshi::sign::Signer::new("not-registered", key).unwrap());
    let gw = common::gateway(&sim, signer, GatewayConfig::default());
    let before = sim.control().stats().sent_401;
    let err = gw
        .send(GetOrders {
            params: Default::default(),
        })
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, GatewayError::Unauthorized(_)), "{err:?}");
    // The start-up limits read also got one 401; the orders call exactly one more.
    let sent = sim.control().stats().sent_401 - before;
    assert!((1..=2).contains(&sent), "{sent} 401s");
    let metrics = gw.send(GetMetrics).await.unwrap();
    assert_eq!(metrics.counters.retries, 0);
}

#[actix::test]
async fn an_expired_placement_is_never_sent() {
    let sim = common::quiet_sim();
    let (signer, account_id) = common::ed25519_account(&sim, "basic");
    // The gateway starts with empty buckets: a placement must wait ≥ 100 ms for write tokens.
    let gw = common::gateway(&sim, signer, GatewayConfig::default());
    let mut order = CreateOrderV2Request::limit(
        common::ny_market(&sim),
        BookSide::Bid,
        Price::from_cents(10).unwrap(),
        Count::ONE,
    );
    order.client_order_id = Some(ClientOrderId::new("expire-me").unwrap());
    let err = gw
        .send(PlaceOrder {
            request: order,
            deadline: Some(Duration::from_millis(1)),
            stamps: Default::default(),
        })
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(err, GatewayError::Expired);
    assert!(
        sim.control().order_log(Some(&account_id)).is_empty(),
        "the simulator never saw it"
    );
    assert_eq!(gw.send(GetMetrics).await.unwrap().counters.expired, 1);
}

/// A gateway that retries fast, on a quiet simulator applying `rule` to reused client ids.
fn fast_gateway(rule: DuplicateRule) -> (SimHandle, Addr<Gateway>, String) {
    fast_gateway_on(common::quiet_sim(), rule)
}

fn fast_gateway_on(sim: SimHandle, rule: DuplicateRule) -> (SimHandle, Addr<Gateway>, String) {
    sim.control()
        .set_faults(&FaultPatch {
            duplicate_client_id: Some(rule),
            ..Default::default()
        })
        .unwrap();
    let (signer, account_id) = common::ed25519_account(&sim, "prime");
    let cfg = GatewayConfig {
        backoff_base_ms: 5,
        ..GatewayConfig::default()
    };
    let gw = common::gateway(&sim, signer, cfg);
    (sim, gw, account_id)
}

/// Waits until the gateway's start-up reads (account limits, endpoint costs) are answered, so
/// a fault switched on next meets the request under test.
async fn started(gw: &Addr<Gateway>) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let m = gw.send(GetMetrics).await.unwrap();
        let answered = |path: &str| m.counters.by_endpoint.keys().any(|k| k.contains(path));
        if answered("/account/limits") && answered("/account/endpoint_costs") {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "start-up reads: {m:?}"
        );
        actix_rt::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The exchange's orders carrying `cid`.
fn orders_with(sim: &SimHandle, account_id: &str, cid: &ClientOrderId) -> Vec<String> {
    sim.control()
        .orders(account_id)
        .iter()
        .filter(|o| o.client_order_id.as_ref() == Some(cid))
        .map(|o| o.order_id.to_string())
        .collect()
}

fn create(sim: &SimHandle, side: BookSide, cents: u32, cid: &str) -> PlaceOrder {
    let mut request = CreateOrderV2Request::limit(
        common::ny_market(sim),
        side,
        Price::from_cents(cents).unwrap(),
        Count::from_whole(2),
    );
    request.client_order_id = Some(ClientOrderId::new(cid).unwrap());
    PlaceOrder {
        request,
        deadline: Some(Duration::from_secs(5)),
        stamps: Default::default(),
    }
}

#[actix::test]
async fn a_lost_create_response_ends_as_exactly_one_adopted_order_under_either_duplicate_rule() {
    for rule in [DuplicateRule::Ever, DuplicateRule::OpenOnly] {
        let (sim, gw, account_id) = fast_gateway(rule);
        sim.control()
            .set_faults(&FaultPatch {
                reset_after_accept_next: Some(1),
                ..Default::default()
            })
            .unwrap();
        let place = create(&sim, BookSide::Bid, 11, "lost-response-1");
        let cid = place.request.client_order_id.clone().unwrap();
        let ack = gw.send(place).await.unwrap().unwrap();
        assert!(
            ack.adopted,
            "{rule:?}: the order was found, not placed again"
        );
        let same_id = orders_with(&sim, &account_id, &cid);
        assert_eq!(same_id, vec![ack.response.order_id.to_string()], "{rule:?}");
        // Found before any second send: the exchange saw one create.
        let attempts = sim.control().order_log(Some(&account_id));
        assert_eq!(attempts.len(), 1, "{rule:?}: {attempts:?}");
        assert_eq!(attempts[0].outcome, "accepted_response_dropped");
        let m = gw.send(GetMetrics).await.unwrap().counters;
        assert_eq!((m.verifications, m.adoptions), (1, 1), "{rule:?}");
    }
}

/// A resting bid of 2 from another account, then an IOC sell of 2 at its price whose
/// create answer is lost after the exchange filled it: answers the IOC's client id once the
/// gateway has answered, having checked it was adopted, filled, and is the only order with it.
async fn lost_ioc_fill(sim: &SimHandle, gw: &Addr<Gateway>, account_id: &str) -> ClientOrderId {
    let (maker_signer, _) = common::ed25519_account(sim, "prime");
    let maker = common::gateway(sim, maker_signer, GatewayConfig::default());
    maker
        .send(create(sim, BookSide::Bid, 40, "maker-bid-1"))
        .await
        .unwrap()
        .unwrap();
    sim.control()
        .set_faults(&FaultPatch {
            reset_after_accept_next: Some(1),
            ..Default::default()
        })
        .unwrap();
    let mut ioc = create(sim, BookSide::Ask, 40, "ioc-1");
    ioc.request.time_in_force = TimeInForce::ImmediateOrCancel;
    let cid = ioc.request.client_order_id.clone().unwrap();
    let ack = gw.send(ioc).await.unwrap().unwrap();
    assert!(ack.adopted, "found, not placed again");
    assert_eq!(ack.response.fill_count, Count::from_whole(2));
    assert_eq!(orders_with(sim, account_id, &cid).len(), 1);
    assert_eq!(sim.control().stats().duplicate_client_order_ids, 0);
    cid
}

#[actix::test]
async fn an_ioc_that_filled_and_ended_before_its_answer_was_lost_is_placed_once() {
    // Under `open_only` the id of an ended order is free again: a retry that leaned on 409
    // would place the IOC a second time.
    for rule in [DuplicateRule::Ever, DuplicateRule::OpenOnly] {
        println!("duplicate rule {rule:?}");
        let (sim, gw, account_id) = fast_gateway(rule);
        lost_ioc_fill(&sim, &gw, &account_id).await;
    }
}

#[actix::test]
async fn an_ended_order_already_moved_to_the_historical_list_is_found_there_and_adopted() {
    // `historical_after_s = 0`: an order leaves `GET /portfolio/orders` for
    // `GET /historical/orders` as soon as it ends, as Kalshi's do once the cutoff passes them.
    for rule in [DuplicateRule::Ever, DuplicateRule::OpenOnly] {
        println!("duplicate rule {rule:?}");
        let mut cfg = SimConfig::default();
        cfg.liquidity.actions_per_second = 0.0;
        cfg.historical_after_s = Some(0);
        let sim = SimServer::start_with_clock(cfg, SimClock::Real).expect("simulator starts");
        let (sim, gw, account_id) = fast_gateway_on(sim, rule);
        lost_ioc_fill(&sim, &gw, &account_id).await;
        let attempts = sim.control().order_log(Some(&account_id));
        assert_eq!(attempts.len(), 1, "{rule:?}: one create: {attempts:?}");
        let read = |path: &str| {
            let log = sim.control().request_log();
            log.iter().filter(|r| r.path.ends_with(path)).count()
        };
        assert_eq!(read("/historical/cutoff"), 1, "{rule:?}");
        assert!(read("/historical/orders") >= 1, "{rule:?}");
    }
}

#[actix::test]
async fn a_create_refused_with_5xx_is_looked_for_then_sent_again_once() {
    for rule in [DuplicateRule::Ever, DuplicateRule::OpenOnly] {
        let (sim, gw, account_id) = fast_gateway(rule);
        started(&gw).await;
        let place = create(&sim, BookSide::Bid, 12, "after-5xx-1");
        let cid = place.request.client_order_id.clone().unwrap();
        sim.control()
            .set_faults(&FaultPatch {
                rest_5xx_next: Some(1),
                ..Default::default()
            })
            .unwrap();
        let ack = gw.send(place).await.unwrap().unwrap();
        assert!(
            !ack.adopted,
            "{rule:?}: nothing to adopt, the retry placed it"
        );
        assert_eq!(orders_with(&sim, &account_id, &cid).len(), 1, "{rule:?}");
        let m = gw.send(GetMetrics).await.unwrap().counters;
        assert_eq!((m.verifications, m.adoptions), (1, 0), "{rule:?}");
    }
}

#[actix::test]
async fn a_thirty_millisecond_request_reads_back_as_thirty_milliseconds() {
    let sim = common::quiet_sim();
    let (signer, _) = common::ed25519_account(&sim, "prime");
    let gw = common::gateway(&sim, signer, GatewayConfig::default());
    let ticker = common::ny_market(&sim);
    // The start-up limit reads go through before the delay is switched on.
    gw.send(GetMarket {
        ticker: ticker.clone(),
    })
    .await
    .unwrap()
    .unwrap();
    let before = gw.send(GetMetrics).await.unwrap().latency.count;
    sim.control()
        .set_faults(&FaultPatch {
            latency_ms: Some(30),
            ..Default::default()
        })
        .unwrap();
    for _ in 0..20 {
        gw.send(GetMarket {
            ticker: ticker.clone(),
        })
        .await
        .unwrap()
        .unwrap();
    }
    let m = gw.send(GetMetrics).await.unwrap();
    // The 20 delayed requests are most of the samples (the start-up limit reads may be
    // counted too): each took at least 30 ms, and the histogram keeps that size (one that
    // cannot grow past its start would report ~2 µs here).
    assert!(m.latency.count >= before + 20, "{:?}", m.latency);
    assert!(m.latency.p50_ms >= 30.0, "{:?}", m.latency);
    assert!(m.latency.p99_ms >= 30.0, "{:?}", m.latency);
    assert!(m.latency.p99_ms < 1_000.0, "{:?}", m.latency);
}

#[actix::test]
async fn a_placement_fills_the_order_path_stages_it_was_stamped_for() {
    let sim = common::quiet_sim();
    let (signer, _) = common::ed25519_account(&sim, "prime");
    let gw = common::gateway(&sim, signer, GatewayConfig::default());
    let mut place = create(&sim, BookSide::Bid, 30, "stamped-1");
    // As the order manager stamps it: admitted, journaled; no feed or strategy stamps.
    place.stamps = PathStamps::default()
        .with(Stamp::Admitted, 1)
        .with(Stamp::Journaled, 2);
    gw.send(place).await.unwrap().unwrap();
    let path = gw.send(GetMetrics).await.unwrap().order_path;
    for (stage, p) in [
        ("journal", path.journal),
        ("to_gateway_dispatched", path.to_gateway_dispatched),
        ("sign", path.sign),
        ("build_request", path.build_request),
        ("http_round_trip", path.http_round_trip),
    ] {
        assert_eq!(p.count, 1, "{stage}");
    }
    assert_eq!(path.feed_apply.count, 0);
    assert_eq!(path.to_orders_admitted.count, 0);
    assert_eq!(path.total.count, 0, "no frame stamp: no whole path");
}
