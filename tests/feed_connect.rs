//! Connecting: a refused connection and a refused handshake (unknown key) are retried with
//! growing, jittered, floored delays and never reported connected; a bad config or a
//! plain-text URL off loopback is refused at start, naming the field.

mod common;
#[path = "feed_support/mod.rs"]
mod support;

use std::{sync::Arc, time::Duration};

use kalshi::sign::{Signer, SigningKey};
use tradewind_actors::{
    clock::LiveClock,
    feed::{Feed, FeedConfig, FeedPeers},
    market_data::FeedEvent,
};

/// Waits for `n` reconnect attempts and checks their numbers and delays.
async fn retried(log: &support::Log, cfg: &FeedConfig, n: usize) {
    log.wait_events("reconnect attempts", n, |e| {
        matches!(e, FeedEvent::Reconnecting { .. })
    })
    .await;
    let ms = Duration::from_millis;
    let mut attempts = Vec::new();
    for (_, e) in log.events() {
        match e {
            FeedEvent::Reconnecting { attempt, delay } => {
                let ceiling = ms(cfg.reconnect_base_ms)
                    .saturating_mul(1 << (attempt - 1).min(20))
                    .min(ms(cfg.reconnect_cap_ms))
                    .max(ms(cfg.reconnect_min_ms));
                assert!(
                    delay >= ms(cfg.reconnect_min_ms) && delay <= ceiling,
                    "{attempt}: {delay:?}"
                );
                attempts.push(attempt);
            }
            other => panic!("never connected, yet {other:?}"),
        }
    }
    let expected: Vec<u32> = (1..=attempts.len() as u32).collect();
    assert_eq!(attempts, expected, "each failure is one more attempt");
}

#[actix::test]
async fn a_refused_connection_is_retried_with_growing_delays() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let key = SigningKey::generate_ed25519().unwrap();
    let signer = Arc::new(Signer::new("nobody", key).unwrap());
    let cfg = support::feed_config(&[]);
    let url = format!("ws://127.0.0.1:{port}/trade-api/ws/v2");
    let (feed, log) = support::start_feed(&url, signer, cfg.clone(), Duration::ZERO);
    retried(&log, &cfg, 5).await;
    let m = support::metrics(&feed).await;
    assert!(
        m.counters.connect_failures >= 5 && !m.connected && m.counters.reconnects == 0,
        "{m:?}"
    );
}

#[actix::test]
async fn a_refused_handshake_is_retried_too() {
    let sim = support::start_sim(support::sim_config(1));
    let key = SigningKey::generate_ed25519().unwrap();
    let stranger = Arc::new(Signer::new("not-a-registered-key", key).unwrap());
    let cfg = support::feed_config(&[]);
    let (feed, log) = support::start_feed(&sim.ws_url(), stranger, cfg.clone(), Duration::ZERO);
    retried(&log, &cfg, 3).await;
    assert!(!support::metrics(&feed).await.connected);
}

#[actix::test]
async fn bad_settings_are_refused_at_start_naming_the_field() {
    let key = SigningKey::generate_ed25519().unwrap();
    let signer = Arc::new(Signer::new("k", key).unwrap());
    let start = |cfg: FeedConfig, url: &str| {
        Feed::new(
            cfg,
            url,
            signer.clone(),
            LiveClock::shared(),
            FeedPeers::default(),
        )
        .unwrap_err()
    };
    let errs = start(
        FeedConfig::default(),
        "ws://api.elections.kalshi.com/trade-api/ws/v2",
    );
    assert!(
        errs[0].starts_with("exchange.ws_url") && errs[0].contains("wss://"),
        "{errs:?}"
    );
    let cfg = FeedConfig {
        idle_timeout_ms: 0,
        ..FeedConfig::default()
    };
    let errs = start(cfg, "wss://api.elections.kalshi.com/trade-api/ws/v2");
    assert!(errs[0].starts_with("feed.idle_timeout_ms"), "{errs:?}");
}
