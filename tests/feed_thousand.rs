//! The feed watching 1,000 markets (in subscriptions of 200) of a simulator with 1,020, under
//! each of the simulator's WebSocket readings — `ok` and `unsubscribed` taking a `seq` or not,
//! a second `orderbook_delta` subscribe merged into the first or not. Every book syncs and
//! equals the simulator's true book; removing markets and then adding others changes the
//! subscriptions in place (`delete_markets`, then `add_markets` or a merged `subscribe`) with
//! no gap and no resync — only the new markets are snapshotted; after a forced drop every book
//! is resynced once and all are true again.

mod common;
#[path = "feed_support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use actix::Addr;
use kalshi::Ticker;
use kalshi_sim::{
    readings::Readings,
    server::faults::{DropMode, FaultPatch},
};
use support::under_each_reading;
use tradewind_actors::{
    feed::{Feed, FeedConfig, FeedMetrics},
    market_data::FeedEvent,
};

/// Markets watched, and the simulator's: 6 cities × 5 days × (32 brackets + 2 tails).
const WATCHED: usize = 1_000;
const CATALOGUE: usize = 1_020;
/// Markets removed, then added.
const CHANGED: usize = 20;

/// Polls the metrics until `pred` holds, or panics after [`support::WAIT`].
async fn until(feed: &Addr<Feed>, what: &str, pred: impl Fn(&FeedMetrics) -> bool) -> FeedMetrics {
    let deadline = Instant::now() + support::WAIT;
    loop {
        let m = support::metrics(feed).await;
        if pred(&m) {
            return m;
        }
        assert!(Instant::now() < deadline, "never {what}: {m:?}");
        actix_rt::time::sleep(Duration::from_millis(10)).await;
    }
}

/// `(gaps, duplicates, out of order)`.
fn anomalies(m: &FeedMetrics) -> (u64, u64, u64) {
    let c = &m.counters;
    (c.gaps, c.duplicates, c.out_of_order)
}

under_each_reading!(a_thousand_books_stay_true_through_changes_and_a_drop);

async fn a_thousand_books_stay_true_through_changes_and_a_drop(r: Readings) {
    let mut cfg = support::sim_config_under(6, r);
    cfg.catalogue.days = 5;
    cfg.catalogue.brackets = 32;
    let mut all: Vec<Ticker> = support::markets(&cfg);
    all.sort();
    assert_eq!(all.len(), CATALOGUE);
    let sim = support::start_sim(cfg);
    sim.control().act(3_000);
    let first = &all[..WATCHED];
    let feed_cfg = FeedConfig {
        max_markets_per_subscription: 200,
        // Not under test here: a slow sync on a busy machine must not re-create subscriptions.
        resync_timeout_ms: 10_000,
        ..support::feed_config(first)
    };
    let (feed, log) = support::start_feed(
        &sim.ws_url(),
        support::signer(&sim),
        feed_cfg,
        Duration::ZERO,
    );
    log.wait_events("connected", 1, |e| *e == FeedEvent::Connected)
        .await;
    support::all_true(&sim, &feed, first).await;
    let m = support::metrics(&feed).await;
    assert_eq!(
        (m.counters.snapshots, m.counters.resyncs),
        (1_000, 0),
        "{m:?}"
    );
    assert_eq!(
        m.book_subscriptions,
        support::book_subscriptions(r, 5),
        "{m:?}"
    );
    let merges = if r.ws_merge_subscribes { 4 } else { 0 };
    assert_eq!(m.counters.merged_subscribes, merges, "{m:?}");

    // Remove the first markets (`delete_markets` on the first subscription)...
    let oks = m.counters.messages.get("ok");
    support::watch(&feed, &all[CHANGED..WATCHED]).await;
    until(&feed, "the delete answered", |m| {
        m.counters.messages.get("ok") > oks
    })
    .await;
    // ... then add the rest of the catalogue: `add_markets` to the subscription with room, or,
    // once merged past 200 markets, a `subscribe` the exchange merges.
    let second = &all[CHANGED..];
    support::watch(&feed, second).await;
    sim.control().act(1_000);
    support::all_true(&sim, &feed, second).await;
    let m = support::metrics(&feed).await;
    let c = &m.counters;
    assert_eq!(
        (c.snapshots, c.resyncs),
        (1_020, 0),
        "only the new markets: {m:?}"
    );
    assert_eq!(anomalies(&m), (0, 0, 0), "{m:?}");
    assert_eq!((c.reconnects, c.resubscribes), (0, 0), "{m:?}");
    assert_eq!(c.acks_in_seq >= 2, r.ws_acks_in_seq, "{m:?}");

    // A forced drop: every book resyncs once.
    let drop = FaultPatch {
        ws_drop_now: Some(DropMode::Close),
        ..FaultPatch::default()
    };
    sim.control().set_faults(&drop).expect("faults set");
    log.wait_events("a reconnect", 2, |e| *e == FeedEvent::Connected)
        .await;
    sim.control().act(500);
    support::all_true(&sim, &feed, second).await;
    let m = support::metrics(&feed).await;
    let c = &m.counters;
    assert_eq!((c.reconnects, c.resyncs), (1, WATCHED as u64), "{m:?}");
    assert_eq!(anomalies(&m), (0, 0, 0), "{m:?}");
    assert_eq!(
        c.merged_subscribes,
        2 * merges + u64::from(r.ws_merge_subscribes),
        "{m:?}"
    );
    support::assert_readings(&m, r);
    log.assert_never_vouched_while_stale();
}
