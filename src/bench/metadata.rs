//! The metadata scenario: REST calls per hour to keep a 2,040-market selection current — the
//! cache (60-minute TTL, refreshes on lifecycle events) against a loop that re-fetches the
//! same selection every 10 seconds, as naive bots do. Both are measured on the simulator over
//! a short window (the cache's first refresh; three iterations of the loop) and the per-hour
//! figures extrapolated from the counted calls.

use std::time::{Duration, Instant};

use actix::Actor;
use kalshi::rest::market_params::GetMarketsParams;
use kalshi_sim::{SimConfig, SimServer};
use serde::Serialize;
use tradewind_actors::{
    clock::LiveClock,
    gateway::{Gateway, GatewayConfig, GetMarkets},
    metadata::{GetMetrics, Metadata, MetadataConfig, MetadataPeers},
};

const SERIES: [&str; 6] = [
    "KXHIGHNY",
    "KXHIGHCHI",
    "KXHIGHMIA",
    "KXHIGHLAX",
    "KXHIGHAUS",
    "KXHIGHDEN",
];

#[derive(Debug, Serialize)]
struct Row {
    client: &'static str,
    markets: usize,
    calls_measured: u64,
    window_s: f64,
    calls_per_hour: f64,
}

fn sim_requests(sim: &kalshi_sim::SimHandle) -> u64 {
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

fn start_sim() -> Result<(kalshi_sim::SimHandle, std::sync::Arc<kalshi::sign::Signer>), String> {
    let mut cfg = SimConfig {
        rate_limits: false,
        ..SimConfig::default()
    };
    cfg.liquidity.actions_per_second = 0.0;
    cfg.catalogue.days = 34;
    cfg.catalogue.brackets = 8; // 6 series × 34 days × 10 markets = 2,040
    let sim = SimServer::start(cfg).map_err(|e| e.to_string())?;
    let (signer, _) = kalshi_sim::fresh_account(&sim, "prime", "10.00")?;
    Ok((sim, signer))
}

async fn cache() -> Result<Row, String> {
    let (sim, signer) = start_sim()?;
    let gw = Gateway::new(
        GatewayConfig::default(),
        &sim.rest_url(),
        signer,
        LiveClock::shared(),
    )
    .map_err(|e| e.join("; "))?
    .start();
    let cfg = MetadataConfig {
        series: SERIES.iter().map(|s| s.to_string()).collect(),
        ..MetadataConfig::default()
    };
    let ttl_s = cfg.ttl_s as f64;
    let cache = Metadata::new(
        cfg,
        LiveClock::shared(),
        MetadataPeers::from_gateway(&gw, Vec::new()),
    )
    .map_err(|e| e.join("; "))?
    .start();
    let start = Instant::now();
    let m = loop {
        let m = cache.send(GetMetrics).await.map_err(|e| e.to_string())?;
        if m.counters.selection_refreshes >= 1 {
            break m;
        }
        if start.elapsed() > Duration::from_secs(60) {
            return Err("the cache did not finish its first refresh in 60 s".into());
        }
        actix_rt::time::sleep(Duration::from_millis(20)).await;
    };
    let calls = sim_requests(&sim);
    Ok(Row {
        client: "cache (TTL 60 min)",
        markets: m.markets,
        calls_measured: calls,
        window_s: start.elapsed().as_secs_f64(),
        calls_per_hour: calls as f64 * 3600.0 / ttl_s,
    })
}

async fn polling_loop() -> Result<Row, String> {
    let (sim, signer) = start_sim()?;
    let gw = Gateway::new(
        GatewayConfig::default(),
        &sim.rest_url(),
        signer,
        LiveClock::shared(),
    )
    .map_err(|e| e.join("; "))?
    .start();
    let start = Instant::now();
    let iterations = 3;
    let mut markets = 0;
    for i in 0..iterations {
        if i > 0 {
            actix_rt::time::sleep(Duration::from_secs(10)).await;
        }
        markets = 0;
        for series in SERIES {
            let mut params = GetMarketsParams {
                series_ticker: kalshi::SeriesTicker::new(series).ok(),
                limit: Some(1000),
                ..Default::default()
            };
            loop {
                let page = gw
                    .send(GetMarkets {
                        params: params.clone(),
                    })
                    .await
                    .map_err(|e| e.to_string())?
                    .map_err(|e| e.to_string())?;
                markets += page.markets.len();
                if page.cursor.is_empty() {
                    break;
                }
                params.cursor = Some(page.cursor);
            }
        }
    }
    let calls = sim_requests(&sim);
    Ok(Row {
        client: "re-fetch every 10 s",
        markets,
        calls_measured: calls,
        window_s: start.elapsed().as_secs_f64(),
        calls_per_hour: calls as f64 / f64::from(iterations) * 360.0,
    })
}

/// Runs both and prints the table; returns the JSON.
pub fn run() -> Result<String, String> {
    println!("metadata: REST calls per hour to keep 6 series × 34 days × 10 markets current");
    let system = actix_rt::System::new();
    let cached = system.block_on(cache())?;
    let naive = system.block_on(polling_loop())?;
    println!();
    println!(
        "{:<22} {:>8} {:>15} {:>10} {:>15}",
        "client", "markets", "calls counted", "window", "calls per hour"
    );
    for r in [&cached, &naive] {
        println!(
            "{:<22} {:>8} {:>15} {:>8.1} s {:>15.0}",
            r.client, r.markets, r.calls_measured, r.window_s, r.calls_per_hour
        );
    }
    println!(
        "ratio: {:.0}x fewer calls",
        naive.calls_per_hour / cached.calls_per_hour.max(1.0)
    );
    serde_json::to_string_pretty(
        &serde_json::json!({ "scenario": "metadata", "results": [cached, naive] }),
    )
    .map_err(|e| e.to_string())
}
