//! Helpers of `tests/history_fetch.rs`: a simulator on a manual clock whose world has a
//! history (archived, recently settled and closed markets, trades on both sides of the
//! cutoff), a pump that then moves its clock with real time, an account and a config
//! pointing at it, and the Parquet tables read back as comparable rows.

#![allow(dead_code)]

pub mod tables;

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use kalshi::{
    sign::{SigningKey, generate_ed25519_pem},
    types::MarketResult,
};
use kalshi_sim::{SimClock, SimConfig, SimHandle, SimServer};

/// Series downloaded (a third one is in the world but not asked for).
pub const SERIES: [&str; 2] = ["KXHIGHNY", "KXHIGHCHI"];

pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("tw-history-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    /// A directory inside, created.
    pub fn sub(&self, name: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::create_dir_all(&p).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Moves the manual clock with real time until dropped.
pub struct Pump(Arc<AtomicBool>);

impl Pump {
    pub fn start(sim: &SimHandle) -> Pump {
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, control) = (stop.clone(), sim.control().clone());
        std::thread::spawn(move || {
            let mut last = Instant::now();
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(2));
                let now = Instant::now();
                let step = chrono::Duration::from_std(now - last).unwrap();
                control.advance_clock(step);
                last = now;
            }
        });
        Pump(stop)
    }
}

impl Drop for Pump {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

pub fn market_tickers(sim: &SimHandle, series: &str, day: chrono::NaiveDate) -> Vec<String> {
    let event = format!("{series}-{}", kalshi_sim::catalogue::date_code(day));
    let url = format!("{}/markets?event_ticker={event}&limit=1000", sim.rest_url());
    let (status, body) = super::common::run::get(&url);
    assert_eq!(status, 200, "{body}");
    let page: kalshi::rest::GetMarketsResponse = serde_json::from_str(&body).unwrap();
    let tickers: Vec<String> = page.markets.iter().map(|m| m.ticker.to_string()).collect();
    assert!(!tickers.is_empty(), "markets of {event}");
    tickers
}

pub fn settled_count(sim: &SimHandle, series: &str) -> usize {
    let url = format!(
        "{}/markets?series_ticker={series}&status=settled&limit=1000",
        sim.rest_url()
    );
    let page: kalshi::rest::GetMarketsResponse =
        serde_json::from_str(&super::common::run::get(&url).1).unwrap();
    page.markets.len()
}

pub fn trade_for(sim: &SimHandle, minutes: u32) {
    for _ in 0..minutes {
        sim.control().act(400);
        sim.control().advance_clock(chrono::Duration::seconds(60));
    }
}

/// Closes (and with a result, determines) markets, then waits for the simulator's lifecycle
/// to settle the determined ones.
pub fn end_markets(sim: &SimHandle, tickers: &[String], result: Option<MarketResult>) {
    for t in tickers {
        sim.control().close_market(t);
        if let Some(r) = result.clone() {
            sim.control().determine_market(t, r).unwrap();
        }
    }
}

pub fn wait_for(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "no {what} within 30 s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The simulator's trades cutoff now (`GET /historical/cutoff`, unsigned).
pub fn trades_cutoff(sim: &SimHandle) -> chrono::DateTime<chrono::Utc> {
    let url = format!("{}/historical/cutoff", sim.rest_url());
    let (status, body) = super::common::run::get(&url);
    assert_eq!(status, 200, "{body}");
    let c: kalshi::rest::GetHistoricalCutoffResponse = serde_json::from_str(&body).unwrap();
    c.trades_created_ts
}

/// The world: 12 markets archived, 6 settled recently, 6 closed, trades on both sides of
/// the cutoff (30 min).
pub fn world() -> (SimHandle, chrono::NaiveDate) {
    let mut cfg = SimConfig::default();
    cfg.liquidity.actions_per_second = 0.0;
    cfg.workers = 1;
    cfg.catalogue.days = 2;
    cfg.catalogue.cities.truncate(3);
    cfg.historical_after_s = Some(1800);
    cfg.auth_skew_s = 10 * 86_400;
    let clock = SimClock::manual();
    let day0 = clock.now().date_naive();
    let sim = SimServer::start_with_clock(cfg, clock).expect("simulator starts");
    let day1 = day0.succ_opt().unwrap();
    trade_for(&sim, 10);
    let old: Vec<String> = SERIES
        .iter()
        .flat_map(|s| market_tickers(&sim, s, day0))
        .collect();
    end_markets(&sim, &old, Some(MarketResult::Yes));
    sim.control().advance_clock(chrono::Duration::seconds(400));
    wait_for("settled markets", || settled_count(&sim, SERIES[0]) == 6);
    sim.control().advance_clock(chrono::Duration::seconds(2000));
    trade_for(&sim, 5);
    end_markets(
        &sim,
        &market_tickers(&sim, SERIES[0], day1),
        Some(MarketResult::No),
    );
    end_markets(&sim, &market_tickers(&sim, SERIES[1], day1), None);
    sim.control().advance_clock(chrono::Duration::seconds(400));
    wait_for("recently settled markets", || {
        settled_count(&sim, SERIES[0]) == 6
    });
    (sim, day0)
}

/// A basic-tier account whose key is in `dir/key.pem`, and a config pointing at `sim`.
pub fn remote_config(sim: &SimHandle, dir: &Path) -> (PathBuf, String) {
    let pem = generate_ed25519_pem().expect("a key");
    let key_file = dir.join("key.pem");
    std::fs::write(&key_file, pem.as_bytes()).unwrap();
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let public = SigningKey::from_pem(&pem)
        .and_then(|k| k.public_key_pem())
        .unwrap();
    let ids = sim
        .control()
        .register_account(&public, "basic", "100.00")
        .unwrap();
    let text = format!(
        "[exchange]\nmode = \"remote\"\nenvironment = \"sim\"\nrest_url = {:?}\nws_url = {:?}\n\
         api_key_id = {:?}\nprivate_key_path = {:?}\n\n[strategy.forecast]\nbase_url = {:?}\n",
        sim.rest_url(),
        sim.ws_url(),
        ids.api_key_id,
        key_file.display().to_string(),
        format!("{}/_sim/forecast", sim.base_url()),
    );
    let cfg = dir.join("config.toml");
    std::fs::write(&cfg, text).unwrap();
    (cfg, ids.account_id)
}
