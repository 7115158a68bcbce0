//! The metadata cache against the simulator: paginated selection, one refresh per lifecycle
//! event, new markets reaching the feed's watch list, and REST calls that match the
//! simulator's count.

mod common;

use std::time::Duration;

use actix::Actor;
use chrono::Utc;
use kalshi::{Ticker, types::LifecycleEventType, ws::MarketLifecycle};
use tradewind_actors::{
    clock::LiveClock,
    gateway::GatewayConfig,
    market_data::{LifecycleReceived, SetWatchlist},
    metadata::{GetMetrics, ListMarkets, LookupMarket, Metadata, MetadataConfig, MetadataPeers},
};

const WAIT: Duration = Duration::from_secs(10);

fn lifecycle(event_type: LifecycleEventType, ticker: &str) -> LifecycleReceived {
    let event: MarketLifecycle = serde_json::from_value(serde_json::json!({
        "event_type": event_type.as_str(),
        "market_ticker": ticker,
    }))
    .unwrap();
    LifecycleReceived {
        event,
        received_at: Utc::now(),
    }
}

/// The simulator's count of requests to the market-data endpoints the cache uses.
fn metadata_requests(sim: &kalshi_sim::SimHandle) -> u64 {
    sim.control()
        .stats()
        .requests
        .iter()
        .filter(|(k, _)| {
            k.starts_with("GET /markets")
                || k.starts_with("GET /events")
                || k.starts_with("GET /series")
        })
        .map(|(_, n)| n)
        .sum()
}

#[actix::test]
async fn the_selection_is_paginated_watched_and_counted_like_the_simulator_counts() {
    let sim = common::quiet_sim();
    let (signer, _) = common::ed25519_account(&sim, "prime");
    let gw = common::gateway(&sim, signer, GatewayConfig::default());
    let (watch, watched) = common::probe::probe::<SetWatchlist>();
    let cfg = MetadataConfig {
        series: vec!["KXHIGHNY".into()],
        page_size: 5,
        ..MetadataConfig::default()
    };
    let cache = Metadata::new(
        cfg,
        LiveClock::shared(),
        MetadataPeers::from_gateway(&gw, vec![watch]),
    )
    .unwrap()
    .start();

    // The default catalogue has 3 days × 6 markets of KXHIGHNY, all open: 18 markets in
    // 4 pages of 5.
    let lists = watched
        .wait_until(WAIT, "a watch list", |l| !l.is_empty())
        .await;
    assert_eq!(lists[0].tickers.len(), 18);
    assert!(
        lists[0]
            .tickers
            .iter()
            .all(|t| t.as_str().starts_with("KXHIGHNY-"))
    );
    let m = cache.send(GetMetrics).await.unwrap();
    assert_eq!(m.counters.pages, 4);
    assert_eq!(m.markets, 18);
    assert_eq!(cache.send(ListMarkets::default()).await.unwrap().len(), 18);
    // 4 market pages + 1 events page + 1 series = 6 calls, exactly what the simulator saw.
    assert_eq!(m.counters.rest_calls, 6);
    assert_eq!(metadata_requests(&sim), 6);

    // A lookup of a held market is a hit and costs nothing.
    let t = lists[0].tickers.iter().next().unwrap().clone();
    cache
        .send(LookupMarket { ticker: t.clone() })
        .await
        .unwrap()
        .unwrap();
    let m = cache.send(GetMetrics).await.unwrap();
    assert_eq!(
        (m.counters.hits, m.counters.misses, m.counters.rest_calls),
        (1, 0, 6)
    );
    assert_eq!(metadata_requests(&sim), 6);
}

#[actix::test]
async fn a_lifecycle_event_refreshes_that_market_exactly_once() {
    let sim = common::quiet_sim();
    let (signer, _) = common::ed25519_account(&sim, "prime");
    let gw = common::gateway(&sim, signer, GatewayConfig::default());
    let (watch, watched) = common::probe::probe::<SetWatchlist>();
    let cfg = MetadataConfig {
        series: vec!["KXHIGHNY".into()],
        ..MetadataConfig::default()
    };
    let cache = Metadata::new(
        cfg,
        LiveClock::shared(),
        MetadataPeers::from_gateway(&gw, vec![watch]),
    )
    .unwrap()
    .start();
    watched
        .wait_until(WAIT, "a watch list", |l| !l.is_empty())
        .await;
    let ticker = common::ny_market(&sim);
    let path_key = "GET /markets/{ticker}".to_string();
    let before = sim
        .control()
        .stats()
        .requests
        .get(&path_key)
        .copied()
        .unwrap_or(0);

    cache.do_send(lifecycle(
        LifecycleEventType::MetadataUpdated,
        ticker.as_str(),
    ));
    // An event about a market outside the selection changes nothing.
    cache.do_send(lifecycle(
        LifecycleEventType::MetadataUpdated,
        "KXHIGHMIA-26NOV28-T80",
    ));
    let refreshed = async {
        loop {
            let m = cache.send(GetMetrics).await.unwrap();
            if m.counters.market_refreshes >= 1
                && sim
                    .control()
                    .stats()
                    .requests
                    .get(&path_key)
                    .copied()
                    .unwrap_or(0)
                    > before
            {
                return m;
            }
            actix_rt::task::yield_now().await;
        }
    };
    let m = actix_rt::time::timeout(WAIT, refreshed)
        .await
        .expect("one refresh");
    assert_eq!(m.counters.market_refreshes, 1);
    assert_eq!(
        sim.control()
            .stats()
            .requests
            .get(&path_key)
            .copied()
            .unwrap_or(0)
            - before,
        1
    );
}

#[actix::test]
async fn a_new_market_in_a_watched_series_reaches_the_watch_list() {
    let sim = common::quiet_sim();
    let (signer, _) = common::ed25519_account(&sim, "prime");
    let gw = common::gateway(&sim, signer, GatewayConfig::default());
    let (watch, watched) = common::probe::probe::<SetWatchlist>();
    let cfg = MetadataConfig {
        series: vec!["KXHIGHNY".into()],
        ..MetadataConfig::default()
    };
    let cache = Metadata::new(
        cfg,
        LiveClock::shared(),
        MetadataPeers::from_gateway(&gw, vec![watch]),
    )
    .unwrap()
    .start();
    watched
        .wait_until(WAIT, "the first watch list", |l| !l.is_empty())
        .await;

    let date = Utc::now().date_naive() + chrono::Duration::days(9);
    let listed: Vec<Ticker> = sim.control().list_event("KXHIGHNY", date).unwrap();
    let other = sim.control().list_event("KXHIGHMIA", date).unwrap();
    // The feed forwards `created` events; here the test does.
    for t in listed.iter().chain(&other) {
        cache.do_send(lifecycle(LifecycleEventType::Created, t.as_str()));
    }
    let lists = watched
        .wait_until(WAIT, "the new markets in the watch list", |l| {
            l.last()
                .is_some_and(|w| listed.iter().all(|t| w.tickers.contains(t)))
        })
        .await;
    let last = lists.last().unwrap();
    assert_eq!(last.tickers.len(), 18 + 6);
    assert!(
        other.iter().all(|t| !last.tickers.contains(t)),
        "other series stay out"
    );
}
