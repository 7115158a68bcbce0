//! The gateway spends the account's real budget: saturation without 429s, cancels first, and
//! a 429 burst met with a shared cool-down and one probe at a time.

mod common;

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use kalshi::{Count, Price, rest::CreateOrderV2Request, types::BookSide};
use kalshi_sim::server::{faults::FaultPatch, state::RequestRecord};
use tradewind_actors::gateway::{CancelOrder, GatewayConfig, GetMarket, GetMetrics, PlaceOrder};

/// Requests of the trade API in the simulator's log, oldest first.
fn api_log(sim: &kalshi_sim::SimHandle) -> Vec<RequestRecord> {
    sim.control()
        .request_log()
        .into_iter()
        .filter(|r| r.path.starts_with("/trade-api/v2"))
        .collect()
}

#[actix::test]
async fn saturating_reads_on_basic_meet_no_429_at_the_bucket_rate() {
    let sim = common::quiet_sim();
    let (signer, _) = common::ed25519_account(&sim, "basic");
    let gw = common::gateway(&sim, signer, GatewayConfig::default());
    let ticker = common::ny_market(&sim);
    let start = Instant::now();
    let reads = (0..500).map(|_| {
        gw.send(GetMarket {
            ticker: ticker.clone(),
        })
    });
    for r in join_all(reads).await {
        r.unwrap().unwrap();
    }
    let elapsed = start.elapsed().as_secs_f64();
    // Bucket arithmetic (Basic read bucket: 200 tokens/s, capacity 200; a read costs 10):
    // 500 reads + the 2 start-up reads (limits, endpoint costs) = 5,020 tokens. Starting from a
    // full bucket the fastest possible is (5,020 − 200) / 200 = 24.1 s.
    let minimum = (5_020.0 - 200.0) / 200.0;
    eprintln!("500 reads on Basic: {elapsed:.2} s (bucket minimum {minimum:.1} s)");
    assert_eq!(sim.control().stats().sent_429, 0, "no 429 in steady state");
    assert_eq!(gw.send(GetMetrics).await.unwrap().counters.rate_limited, 0);
    assert!(
        elapsed >= minimum,
        "{elapsed:.2} s is faster than the budget allows"
    );
    assert!(
        elapsed <= minimum * 1.10,
        "{elapsed:.2} s is more than 10% over {minimum} s"
    );
}

#[actix::test]
async fn a_cancel_overtakes_saturated_reads() {
    let sim = common::quiet_sim();
    let (signer, _) = common::ed25519_account(&sim, "basic");
    let gw = common::gateway(&sim, signer, GatewayConfig::default());
    let ticker = common::ny_market(&sim);
    let order = CreateOrderV2Request::limit(
        ticker.clone(),
        BookSide::Bid,
        Price::from_cents(5).unwrap(),
        Count::ONE,
    );
    let placed = gw
        .send(PlaceOrder {
            request: order,
            deadline: Some(Duration::from_secs(5)),
            stamps: Default::default(),
        })
        .await
        .unwrap()
        .unwrap();

    let before: Vec<_> = (0..100)
        .map(|_| {
            gw.send(GetMarket {
                ticker: ticker.clone(),
            })
        })
        .collect();
    let cancel = gw.send(CancelOrder {
        order_id: placed.response.order_id.clone(),
        ticker: Some(ticker.clone()),
    });
    let after: Vec<_> = (0..20)
        .map(|_| {
            gw.send(GetMarket {
                ticker: ticker.clone(),
            })
        })
        .collect();
    let (cancel, before, after) = futures_util::join!(cancel, join_all(before), join_all(after));
    cancel.unwrap().unwrap();
    assert!(before.into_iter().chain(after).all(|r| r.unwrap().is_ok()));

    let log = api_log(&sim);
    let first_read = log
        .iter()
        .position(|r| r.method == "GET" && r.path.contains("/markets/"))
        .unwrap();
    let cancel_at = log.iter().position(|r| r.method == "DELETE").unwrap();
    let reads_before_cancel = log[first_read..cancel_at]
        .iter()
        .filter(|r| r.method == "GET")
        .count();
    // Only reads already on the wire or spending the first burst may precede it: the cancel
    // takes the next free slot, ahead of the ~90 reads queued before it.
    assert!(
        reads_before_cancel <= 20,
        "{reads_before_cancel} reads went before the cancel"
    );
    assert!(
        log.len() - cancel_at > 100,
        "reads queued after the cancel all went after it"
    );
}

#[actix::test]
async fn a_429_burst_cools_the_bucket_down_with_one_probe_at_a_time() {
    let sim = common::quiet_sim();
    let (signer, _) = common::ed25519_account(&sim, "prime");
    let cfg = GatewayConfig {
        backoff_base_ms: 20,
        backoff_cap_ms: 200,
        ..GatewayConfig::default()
    };
    let gw = common::gateway(&sim, signer, cfg);
    let ticker = common::ny_market(&sim);
    gw.send(GetMarket {
        ticker: ticker.clone(),
    })
    .await
    .unwrap()
    .unwrap();
    let mark = api_log(&sim).len();
    sim.control()
        .set_faults(&FaultPatch {
            rest_429_next: Some(12),
            ..Default::default()
        })
        .unwrap();

    let reads = (0..30).map(|_| {
        gw.send(GetMarket {
            ticker: ticker.clone(),
        })
    });
    for r in join_all(reads).await {
        r.unwrap().expect("every request completes");
    }
    let log = api_log(&sim)[mark..].to_vec();
    let rate_limited = log.iter().filter(|r| r.status == 429).count();
    assert_eq!(rate_limited, 12);
    assert_eq!(gw.send(GetMetrics).await.unwrap().counters.rate_limited, 12);
    // After the first 429 is answered, every request sent until the first success is a lone
    // probe: it goes out only after the previous one was answered.
    let first_429_done = log.iter().find(|r| r.status == 429).unwrap().done_ns;
    let probes: Vec<_> = log
        .iter()
        .filter(|r| r.arrival_ns > first_429_done)
        .collect();
    let until_success = probes.iter().position(|r| r.status == 200).unwrap();
    for pair in probes[..=until_success].windows(2) {
        assert!(
            pair[1].arrival_ns >= pair[0].done_ns,
            "two probes overlapped: {pair:?}"
        );
    }
    assert!(
        until_success >= 1,
        "at least one probe met a 429 and was followed by another"
    );
}
