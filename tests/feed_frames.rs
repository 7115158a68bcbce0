//! Frames the simulator never sends, slipped into the stream by a proxy: text that is not
//! JSON, an order-book frame of the wrong shape, a binary frame and a frame of an unknown
//! `type`. Each is counted and skipped; the connection stays up and the books stay true.

mod common;
#[path = "feed_support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use support::proxy::Proxy;
use tradewind_actors::{
    feed::{Feed, FeedMetrics},
    market_data::FeedEvent,
};

/// Polls the metrics until `pred` holds.
async fn until(feed: &actix::Addr<Feed>, what: &str, pred: impl Fn(&FeedMetrics) -> bool) {
    let deadline = Instant::now() + support::WAIT;
    loop {
        let m = support::metrics(feed).await;
        if pred(&m) {
            return;
        }
        assert!(Instant::now() < deadline, "never {what}: {m:?}");
        actix_rt::time::sleep(Duration::from_millis(10)).await;
    }
}

#[actix::test]
async fn malformed_and_unknown_frames_are_counted_and_skipped() {
    let mut cfg = support::sim_config(1);
    // No pings while frames are injected: every read of the proxy ends on a frame boundary.
    cfg.ws_ping_interval_ms = 20_000;
    cfg.ws_pong_timeout_ms = 40_000;
    let markets = support::markets(&cfg);
    let sim = support::start_sim(cfg);
    sim.control().act(100);
    let proxy = Proxy::start(sim.addr());
    let mut feed_cfg = support::feed_config(&markets);
    feed_cfg.idle_timeout_ms = 30_000;
    let (feed, log) = support::start_feed(
        &proxy.ws_url(),
        support::signer(&sim),
        feed_cfg,
        Duration::ZERO,
    );
    log.wait_events("connected", 1, |e| *e == FeedEvent::Connected)
        .await;
    support::all_true(&sim, &feed, &markets).await;

    proxy.inject_text("{not json at all");
    until(&feed, "counted the bad JSON", |m| {
        m.counters.decode_errors == 1
    })
    .await;
    proxy.inject_text(r#"{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"side":"maybe"}}"#);
    until(&feed, "counted the bad delta", |m| {
        m.counters.decode_errors == 2
    })
    .await;
    proxy.inject_binary(&[0xde, 0xad, 0xbe, 0xef]);
    until(&feed, "counted the binary frame", |m| {
        m.counters.decode_errors == 3
    })
    .await;
    proxy.inject_text(r#"{"type":"event_fee_update","sid":9,"msg":{"series_ticker":"X"}}"#);
    until(&feed, "counted the unknown type", |m| m.unknown_types == 1).await;

    sim.control().act(100);
    support::all_true(&sim, &feed, &markets).await;
    let m = support::metrics(&feed).await;
    assert_eq!(
        (m.counters.reconnects, m.counters.gaps, m.counters.resyncs),
        (0, 0, 0),
        "{m:?}"
    );
    assert!(m.connected);
    assert_eq!(log.events().len(), 1, "one connection throughout");
}
