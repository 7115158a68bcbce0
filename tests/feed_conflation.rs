//! A consumer that sleeps in every `BookUpdated` while the books move fast: it receives far
//! fewer states than there were deltas, each book's states in order, none of them old (no
//! backlog: a state waits at most one delivery per watched book), and in the end the latest
//! state of every book.

mod common;
#[path = "feed_support/mod.rs"]
mod support;

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use chrono::Utc;
use kalshi::Ticker;
use support::Seen;
use tradewind_actors::market_data::BookUpdated;

const PAUSE: Duration = Duration::from_millis(30);

fn updates(log: &support::Log) -> Vec<(Instant, BookUpdated)> {
    log.all()
        .into_iter()
        .filter_map(|(at, s)| match s {
            Seen::Updated(u) => Some((at, u)),
            _ => None,
        })
        .collect()
}

#[actix::test]
async fn a_slow_consumer_sees_only_conflated_current_books() {
    let cfg = support::sim_config(1);
    let markets = support::markets(&cfg);
    let sim = support::start_sim(cfg);
    sim.control().act(100);
    let (feed, log) = support::start_feed(
        &sim.ws_url(),
        support::signer(&sim),
        support::feed_config(&markets),
        PAUSE,
    );
    support::all_true(&sim, &feed, &markets).await;
    let (t0, wall0) = (Instant::now(), Utc::now());
    let before = updates(&log).len();
    let deltas_before = support::metrics(&feed)
        .await
        .counters
        .messages
        .get("orderbook_delta");

    // About 1.5 s of traffic, paced so that it flows while the consumer sleeps.
    for _ in 0..50 {
        sim.control().act(20);
        actix_rt::time::sleep(Duration::from_millis(30)).await;
    }
    let traffic = t0.elapsed();
    support::all_true(&sim, &feed, &markets).await;
    // The consumer ends up with the latest state of every book.
    let truth: HashMap<Ticker, _> = markets
        .iter()
        .map(|t| (t.clone(), support::true_book(&sim, t)))
        .collect();
    log.wait("the latest state of every book", |all| {
        markets.iter().all(|t| {
            all.iter()
                .rev()
                .find_map(|(_, s)| match s {
                    Seen::Updated(u) if u.ticker == *t => Some(*u.book == truth[t]),
                    _ => None,
                })
                .unwrap_or(false)
        })
    })
    .await;

    let m = support::metrics(&feed).await;
    let deltas = m.counters.messages.get("orderbook_delta") - deltas_before;
    let got = &updates(&log)[before..];
    let capacity = (t0.elapsed().as_millis() / PAUSE.as_millis()) as usize + markets.len() + 2;
    eprintln!(
        "{deltas} deltas in {traffic:?}; the consumer got {} states (capacity {capacity}); {} folded",
        got.len(),
        m.conflated
    );
    assert!(
        got.len() <= capacity,
        "more states than the consumer could take"
    );
    assert!(
        deltas as usize > 5 * got.len(),
        "not conflated: {deltas} deltas, {} states",
        got.len()
    );

    let mut last_seq: HashMap<&Ticker, u64> = HashMap::new();
    let bound = PAUSE * (markets.len() as u32 + 1) + Duration::from_millis(300);
    for (at, u) in got {
        let prev = last_seq.insert(&u.ticker, u.seq);
        assert!(
            prev.is_none_or(|p| u.seq > p),
            "{}: seq {} after {prev:?}",
            u.ticker,
            u.seq
        );
        assert!(!u.book.is_crossed(), "{} crossed", u.ticker);
        // How old the state was when the consumer got it (wall clock, as `received_at`).
        let handled = wall0 + chrono::Duration::from_std(at.duration_since(t0)).unwrap();
        let age = (handled - u.received_at).to_std().unwrap_or_default();
        assert!(age <= bound, "{} was {age:?} old: a backlog", u.ticker);
    }
    log.assert_never_vouched_while_stale();
}
