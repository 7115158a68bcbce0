//! Load harness: how many REST requests per second the simulator answers with rate limits
//! off, measured from a client on the same machine over loopback.
//!
//! `cargo run --release -p kalshi-sim --example rest_load -- [seconds] [concurrency]`
//!
//! Runs two mixes back to back and prints requests/s for each: unsigned `GET /markets/{t}`
//! and signed (Ed25519) `GET /portfolio/balance`, which also pays for signature checks.

use std::time::{Duration, Instant};

use awc::Client;
use futures_util::{StreamExt, stream};
use kalshi::sign::{Signer, SigningKey};
use kalshi_sim::{SimConfig, SimServer};

fn main() {
    let mut args = std::env::args().skip(1);
    let secs: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let concurrency: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(64);
    let mut cfg = SimConfig {
        rate_limits: false,
        ..SimConfig::default()
    };
    cfg.liquidity.actions_per_second = 0.0;
    let sim = SimServer::start(cfg).expect("simulator starts");
    let key = SigningKey::generate_ed25519().expect("key");
    let ids = sim
        .control()
        .register_account(&key.public_key_pem().expect("pem"), "prime", "1000")
        .expect("account");
    let signer = Signer::new(ids.api_key_id, key).expect("signer");
    let base = sim.base_url();
    actix_rt::System::new().block_on(async move {
        let client = Client::builder()
            .connector(awc::Connector::new().limit(concurrency))
            .finish();
        let public = format!("{base}/trade-api/v2/markets/KXHIGHNY-{}-B50.5", date_code());
        let n = run(secs, concurrency, || client.get(&public)).await;
        println!(
            "unsigned GET /markets/{{ticker}}: {:.0} req/s ({concurrency} in flight, {secs} s)",
            n
        );
        let path = "/trade-api/v2/portfolio/balance";
        let url = format!("{base}{path}");
        let n = run(secs, concurrency, || {
            let h = signer.sign("GET", path).expect("sign");
            let mut req = client.get(&url);
            for (k, v) in h.pairs() {
                req = req.insert_header((k, v));
            }
            req
        })
        .await;
        println!(
            "signed GET /portfolio/balance:   {:.0} req/s ({concurrency} in flight, {secs} s)",
            n
        );
    });
    sim.stop();
}

fn date_code() -> String {
    kalshi_sim::catalogue::date_code(chrono::Utc::now().date_naive())
}

async fn run(secs: u64, concurrency: usize, make: impl Fn() -> awc::ClientRequest) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let start = Instant::now();
    let mut ok = 0u64;
    let mut failed = 0u64;
    let mut requests = stream::iter(std::iter::from_fn(|| {
        (Instant::now() < deadline).then(&make)
    }))
    .map(|req| async move {
        match req.send().await {
            Ok(mut resp) => resp.body().await.is_ok() && resp.status().is_success(),
            Err(_) => false,
        }
    })
    .buffer_unordered(concurrency);
    while let Some(success) = requests.next().await {
        if success { ok += 1 } else { failed += 1 }
    }
    assert_eq!(failed, 0, "{failed} requests failed");
    ok as f64 / start.elapsed().as_secs_f64()
}
