//! The feed against every WebSocket fault switch of the simulator, under each of its
//! WebSocket readings: a drop with a Close frame, a TCP cut, a silent stall, a skipped, a
//! duplicated and a swapped `seq`. After each, the feed heals by itself and every watched book
//! equals the simulator's true book; meanwhile the books involved were reported stale and no
//! `BookUpdated` vouched for them; the anomalies counted are the fault's, none an ack's.

mod common;
#[path = "feed_support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use kalshi::Ticker;
use kalshi_sim::{
    SimHandle,
    readings::Readings,
    server::faults::{DropMode, FaultPatch},
};
use support::{Log, Seen, under_each_reading};
use tradewind_actors::{
    feed::Feed,
    market_data::{FeedEvent, StaleReason},
};

/// A simulator with 12 markets (3 book subscriptions of 4), a feed watching all of them, and
/// every book synced and true.
async fn synced(r: Readings) -> (SimHandle, Vec<Ticker>, actix::Addr<Feed>, Log) {
    let cfg = support::sim_config_under(2, r);
    let markets = support::markets(&cfg);
    let sim = support::start_sim(cfg);
    sim.control().act(300);
    let (feed, log) = support::start_feed(
        &sim.ws_url(),
        support::signer(&sim),
        support::feed_config(&markets),
        Duration::ZERO,
    );
    log.wait_events("connected", 1, |e| *e == FeedEvent::Connected)
        .await;
    support::all_true(&sim, &feed, &markets).await;
    (sim, markets, feed, log)
}

fn set(sim: &SimHandle, patch: FaultPatch) {
    sim.control().set_faults(&patch).expect("faults set");
}

/// Every market got `BookStale` for `reason` and a `BookResynced` after it. The log hears of
/// a resync through its own mailbox, which may lag the feed's books: wait for it (the wait
/// fails at its deadline), then check the order.
async fn stale_then_resynced(log: &Log, markets: &[Ticker], reason: StaleReason) {
    let resynced_after_stale = |all: &[(Instant, Seen)], t: &Ticker| {
        let stale_at = all
            .iter()
            .position(|(_, s)| matches!(s, Seen::Stale(x) if x.ticker == *t && x.reason == reason));
        stale_at.is_some_and(|i| {
            all[i..]
                .iter()
                .any(|(_, s)| matches!(s, Seen::Resynced(r) if r.ticker == *t))
        })
    };
    log.wait("every market resynced after its stale report", |all| {
        markets.iter().all(|t| resynced_after_stale(all, t))
    })
    .await;
    let all = log.all();
    for t in markets {
        assert!(
            resynced_after_stale(&all, t),
            "{t} was never reported stale ({reason:?}) and resynced"
        );
    }
}

async fn drop_heals(mode: DropMode, r: Readings) {
    let (sim, markets, feed, log) = synced(r).await;
    set(
        &sim,
        FaultPatch {
            ws_drop_now: Some(mode),
            ..FaultPatch::default()
        },
    );
    sim.control().act(200);
    log.wait_events("a reconnect", 2, |e| *e == FeedEvent::Connected)
        .await;
    support::all_true(&sim, &feed, &markets).await;
    sim.control().act(200);
    support::all_true(&sim, &feed, &markets).await;

    stale_then_resynced(&log, &markets, StaleReason::Reconnect).await;
    log.assert_never_vouched_while_stale();
    let m = support::metrics(&feed).await;
    assert_eq!(m.counters.reconnects, 1, "{m:?}");
    assert_eq!(m.books_stale, 0);
    let c = &m.counters;
    assert_eq!((c.gaps, c.duplicates, c.out_of_order), (0, 0, 0), "{m:?}");
    assert_eq!(c.merged_subscribes > 0, r.ws_merge_subscribes, "{m:?}");
    support::assert_readings(&m, r);
    assert!(
        m.counters.last_recovery_ms.is_some(),
        "recovery time measured"
    );
    let events = log.events();
    assert!(
        events
            .iter()
            .any(|(_, e)| matches!(e, FeedEvent::Disconnected { .. })),
        "{events:?}"
    );
    assert!(
        events
            .iter()
            .any(|(_, e)| matches!(e, FeedEvent::Reconnecting { attempt: 1, .. })),
        "{events:?}"
    );
}

under_each_reading!(a_close_frame_drop_heals_with_true_books);

async fn a_close_frame_drop_heals_with_true_books(r: Readings) {
    drop_heals(DropMode::Close, r).await;
}

under_each_reading!(a_tcp_cut_heals_with_true_books);

async fn a_tcp_cut_heals_with_true_books(r: Readings) {
    drop_heals(DropMode::Cut, r).await;
}

under_each_reading!(a_silent_stall_is_caught_by_the_watchdog_and_heals);

async fn a_silent_stall_is_caught_by_the_watchdog_and_heals(r: Readings) {
    let (sim, markets, feed, log) = synced(r).await;
    set(
        &sim,
        FaultPatch {
            ws_stall: Some(true),
            ..FaultPatch::default()
        },
    );
    sim.control().act(200);
    log.wait("the watchdog to drop the silent socket", |all| {
        all.iter().any(|(_, s)| {
            matches!(s, Seen::Event(FeedEvent::Disconnected { reason }) if reason.contains("no frame"))
        })
    })
    .await;
    set(
        &sim,
        FaultPatch {
            ws_stall: Some(false),
            ..FaultPatch::default()
        },
    );
    log.wait_events("a reconnect", 2, |e| *e == FeedEvent::Connected)
        .await;
    support::all_true(&sim, &feed, &markets).await;
    stale_then_resynced(&log, &markets, StaleReason::Reconnect).await;
    log.assert_never_vouched_while_stale();
    support::assert_readings(&support::metrics(&feed).await, r);
}

/// Arms a sequence fault, makes traffic, and checks the feed resynced in place.
async fn seq_fault_heals(
    patch: FaultPatch,
    reason: StaleReason,
    r: Readings,
) -> tradewind_actors::feed::FeedMetrics {
    let (sim, markets, feed, log) = synced(r).await;
    set(&sim, patch);
    sim.control().act(100);
    log.wait("a book reported stale", |all| {
        all.iter()
            .any(|(_, s)| matches!(s, Seen::Stale(x) if x.reason == reason))
    })
    .await;
    support::all_true(&sim, &feed, &markets).await;
    sim.control().act(100);
    support::all_true(&sim, &feed, &markets).await;
    assert!(log.assert_never_vouched_while_stale() > 0);
    let m = support::metrics(&feed).await;
    assert_eq!(
        m.counters.reconnects, 0,
        "healed without reconnecting: {m:?}"
    );
    assert!(m.counters.resyncs > 0, "{m:?}");
    support::assert_readings(&m, r);
    m
}

under_each_reading!(a_skipped_seq_resyncs_the_subscription_in_place);

async fn a_skipped_seq_resyncs_the_subscription_in_place(r: Readings) {
    let m = seq_fault_heals(
        FaultPatch {
            ws_skip_seq_next: Some(1),
            ..FaultPatch::default()
        },
        StaleReason::Gap,
        r,
    )
    .await;
    assert_eq!(m.counters.gaps, 1, "{m:?}");
}

under_each_reading!(a_duplicated_delta_resyncs_its_book_in_place);

async fn a_duplicated_delta_resyncs_its_book_in_place(r: Readings) {
    let m = seq_fault_heals(
        FaultPatch {
            ws_duplicate_next: Some(1),
            ..FaultPatch::default()
        },
        StaleReason::Duplicate,
        r,
    )
    .await;
    assert_eq!((m.counters.duplicates, m.counters.gaps), (1, 0), "{m:?}");
}

under_each_reading!(a_swapped_pair_of_deltas_resyncs_in_place);

async fn a_swapped_pair_of_deltas_resyncs_in_place(r: Readings) {
    let m = seq_fault_heals(
        FaultPatch {
            ws_reorder_next: Some(1),
            ..FaultPatch::default()
        },
        StaleReason::Gap,
        r,
    )
    .await;
    assert_eq!((m.counters.gaps, m.counters.out_of_order), (1, 1), "{m:?}");
}
