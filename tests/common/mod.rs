//! Helpers of the end-to-end tests: a simulator on `127.0.0.1:0`, accounts with fresh keys,
//! and actors wired to it.

#![allow(dead_code)]

pub mod probe;
pub mod run;

use std::sync::Arc;

use actix::{Actor, Addr};
use kalshi::sign::{Signer, SigningKey};
use kalshi_sim::{SimClock, SimConfig, SimHandle, SimServer};
use tradewind_actors::{
    clock::LiveClock,
    gateway::{Gateway, GatewayConfig},
};

/// A simulator with quiet books (no market makers) and one worker.
pub fn quiet_sim() -> SimHandle {
    let mut cfg = SimConfig::default();
    cfg.liquidity.actions_per_second = 0.0;
    cfg.workers = 1;
    SimServer::start_with_clock(cfg, SimClock::Real).expect("simulator starts")
}

/// An account on the simulator and its signer.
pub fn account(
    sim: &SimHandle,
    key: SigningKey,
    tier: &str,
    balance: &str,
) -> (Arc<Signer>, String) {
    let ids = sim
        .control()
        .register_account(&key.public_key_pem().expect("public key"), tier, balance)
        .expect("account registered");
    (
        Arc::new(Signer::new(ids.api_key_id, key).expect("signer")),
        ids.account_id,
    )
}

/// An Ed25519 account.
pub fn ed25519_account(sim: &SimHandle, tier: &str) -> (Arc<Signer>, String) {
    account(
        sim,
        SigningKey::generate_ed25519().expect("key"),
        tier,
        "10000.00",
    )
}

/// Starts a gateway for `signer` against `sim` (call inside an actix system).
pub fn gateway(sim: &SimHandle, signer: Arc<Signer>, cfg: GatewayConfig) -> Addr<Gateway> {
    Gateway::new(cfg, &sim.rest_url(), signer, LiveClock::shared())
        .expect("gateway config")
        .start()
}

/// The first open market of the default catalogue's New York series.
pub fn ny_market(sim: &SimHandle) -> kalshi::Ticker {
    let date = kalshi_sim::catalogue::date_code(chrono::Utc::now().date_naive());
    let t = kalshi::Ticker::new(format!("KXHIGHNY-{date}-B50.5")).expect("ticker");
    assert!(sim.control().true_book(&t).is_some(), "market {t} exists");
    t
}

/// The shipped config's text with its scheduled blackouts (GFS cycles, Thursday maintenance)
/// off, so a test that must see trades does not fail when CI happens to run inside one.
pub fn without_scheduled_blackouts(toml: &str) -> String {
    let gfs = "[[blackout.recurring]]\nname = \"gfs\"";
    let start = toml.find(gfs).expect("the shipped GFS window");
    let end = start + toml[start..].find("\n\n").expect("the window's block ends");
    let cfg = format!("{}{}", &toml[..start], &toml[end + 2..]).replace(
        "weekly_maintenance = true",
        "weekly_maintenance = false\nrecurring = []",
    );
    assert!(cfg.contains("recurring = []"), "weekly maintenance was on");
    cfg
}
