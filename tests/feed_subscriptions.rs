//! Subscriptions while connected, under each of the simulator's WebSocket readings (`ok` and
//! `unsubscribed` taking a `seq` or not; a second subscribe merged into the first or not): the
//! watch list changes in place (`update_subscription` or a merged `subscribe`, never a
//! reconnect, never a gap or a resync), a market the exchange does not know is refused alone,
//! and a slow-reader overflow (error 25) re-creates the subscriptions without dropping the
//! connection.

mod common;
#[path = "feed_support/mod.rs"]
mod support;

use std::time::Duration;

use kalshi::Ticker;
use kalshi_sim::{readings::Readings, server::faults::FaultPatch};
use support::{Seen, under_each_reading};
use tradewind_actors::{
    feed::GetBook,
    market_data::{FeedEvent, StaleReason},
};

under_each_reading!(adding_and_removing_markets_changes_subscriptions_without_reconnecting);

async fn adding_and_removing_markets_changes_subscriptions_without_reconnecting(r: Readings) {
    let cfg = support::sim_config_under(2, r);
    let mut markets = support::markets(&cfg);
    // In the feed's order: the first four share a subscription, the fifth starts another.
    markets.sort();
    let sim = support::start_sim(cfg);
    sim.control().act(300);
    let first = &markets[..5];
    let (feed, log) = support::start_feed(
        &sim.ws_url(),
        support::signer(&sim),
        support::feed_config(first),
        Duration::ZERO,
    );
    support::all_true(&sim, &feed, first).await;
    let m = support::metrics(&feed).await;
    assert_eq!(m.book_subscriptions, support::book_subscriptions(r, 2));
    assert_eq!(m.counters.merged_subscribes > 0, r.ws_merge_subscribes);

    // Drops the first market (`delete_markets` on the first subscription) and adds three
    // (`add_markets` on the second, which has room for them).
    let second: Vec<Ticker> = markets[1..8].to_vec();
    support::watch(&feed, &second).await;
    sim.control().act(200);
    support::all_true(&sim, &feed, &second).await;
    let gone = feed
        .send(GetBook {
            ticker: markets[0].clone(),
        })
        .await
        .unwrap();
    assert!(gone.is_none(), "an unwatched book is forgotten");
    assert!(log.all().iter().any(|(_, s)| matches!(
        s,
        Seen::Stale(x) if x.ticker == markets[0] && x.reason == StaleReason::Unwatched
    )));

    support::watch(&feed, &[]).await;
    let deadline = std::time::Instant::now() + support::WAIT;
    while support::metrics(&feed).await.book_subscriptions > 0 {
        assert!(std::time::Instant::now() < deadline, "never unsubscribed");
        actix_rt::time::sleep(Duration::from_millis(10)).await;
    }
    support::watch(&feed, &markets[3..7]).await;
    sim.control().act(100);
    support::all_true(&sim, &feed, &markets[3..7]).await;

    let m = support::metrics(&feed).await;
    assert_eq!(
        (m.counters.reconnects, m.counters.connect_failures),
        (0, 0),
        "{m:?}"
    );
    let events = log.events();
    assert_eq!(events.len(), 1, "one connection throughout: {events:?}");
    assert!(m.counters.messages.get("ok") >= 2, "{m:?}");
    let c = &m.counters;
    assert_eq!((c.gaps, c.resyncs), (0, 0), "no ack taken for a gap: {m:?}");
    assert_eq!(c.acks_in_seq > 0, r.ws_acks_in_seq, "{m:?}");
    support::assert_readings(&m, r);
    log.assert_never_vouched_while_stale();
}

under_each_reading!(a_market_the_exchange_does_not_know_is_refused_alone);

async fn a_market_the_exchange_does_not_know_is_refused_alone(r: Readings) {
    let cfg = support::sim_config_under(1, r);
    let markets = support::markets(&cfg);
    let sim = support::start_sim(cfg);
    sim.control().act(100);
    let nope = Ticker::new("KXNOPE-26JAN01-B1").unwrap();
    let mut watch = markets[..3].to_vec();
    watch.push(nope.clone());
    let (feed, log) = support::start_feed(
        &sim.ws_url(),
        support::signer(&sim),
        support::feed_config(&watch),
        Duration::ZERO,
    );
    log.wait_events("connected", 1, |e| *e == FeedEvent::Connected)
        .await;
    support::all_true(&sim, &feed, &markets[..3]).await;
    let m = support::metrics(&feed).await;
    assert_eq!((m.rejected, m.books_stale), (1, 1), "{m:?}");
    let view = feed.send(GetBook { ticker: nope }).await.unwrap().unwrap();
    assert!(!view.fresh && view.epoch == 0);
    support::assert_readings(&m, r);
}

under_each_reading!(a_slow_reader_overflow_resubscribes_without_reconnecting);

async fn a_slow_reader_overflow_resubscribes_without_reconnecting(r: Readings) {
    let mut cfg = support::sim_config_under(2, r);
    cfg.ws_buffer = 64;
    let markets = support::markets(&cfg);
    let sim = support::start_sim(cfg);
    sim.control().act(300);
    let (feed, log) = support::start_feed(
        &sim.ws_url(),
        support::signer(&sim),
        support::feed_config(&markets),
        Duration::ZERO,
    );
    support::all_true(&sim, &feed, &markets).await;
    let stall = |on| FaultPatch {
        ws_stall: Some(on),
        ..FaultPatch::default()
    };
    sim.control().set_faults(&stall(true)).unwrap();
    sim.control().act(100);
    sim.control().set_faults(&stall(false)).unwrap();
    log.wait("books stale for a dead subscription", |all| {
        all.iter()
            .any(|(_, s)| matches!(s, Seen::Stale(x) if x.reason == StaleReason::SubscriptionError))
    })
    .await;
    support::all_true(&sim, &feed, &markets).await;
    let m = support::metrics(&feed).await;
    assert_eq!(m.counters.reconnects, 0, "{m:?}");
    assert!(m.counters.messages.get("error") >= 1, "{m:?}");
    assert_eq!(
        m.book_subscriptions,
        support::book_subscriptions(r, 3),
        "{m:?}"
    );
    support::assert_readings(&m, r);
    log.assert_never_vouched_while_stale();
}
