//! Fifty cycles of random faults against one feed, under each of the simulator's WebSocket
//! readings: drops (Close and cut), stalls, skipped, duplicated and swapped `seq`s, and bursts
//! of drops in quick succession. Every cycle ends with every book fresh and equal to the
//! simulator's; at the end, the reconnect schedule is checked against its design from the
//! events the feed published: each delay within `[min, min(cap, base × 2^(attempt−1))]`,
//! attempts rising by one after a short connection and back to 1 after a stable one, and no
//! two connections closer than the minimum delay.

mod common;
#[path = "feed_support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use kalshi_sim::{
    readings::Readings,
    server::faults::{DropMode, FaultPatch},
};
use support::{Log, Seen, under_each_reading};
use tradewind_actors::{feed::Feed, market_data::FeedEvent};

const CYCLES: usize = 50;

/// xorshift64*: a seeded generator without another dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) % n
    }
}

fn connected_count(log: &Log) -> usize {
    log.events()
        .iter()
        .filter(|(_, e)| *e == FeedEvent::Connected)
        .count()
}

/// Drops the connection and waits for the next `Connected`.
async fn drop_and_reconnect(sim: &kalshi_sim::SimHandle, log: &Log, mode: DropMode) {
    let before = connected_count(log);
    set(
        sim,
        FaultPatch {
            ws_drop_now: Some(mode),
            ..FaultPatch::default()
        },
    );
    log.wait_events("a reconnect", before + 1, |e| *e == FeedEvent::Connected)
        .await;
}

fn set(sim: &kalshi_sim::SimHandle, patch: FaultPatch) {
    sim.control().set_faults(&patch).expect("faults set");
}

/// Waits until the feed counts one more sequence anomaly than `before`.
async fn anomaly_after(feed: &actix::Addr<Feed>, before: u64) {
    let deadline = Instant::now() + support::WAIT;
    loop {
        let m = support::metrics(feed).await;
        if m.counters.gaps + m.counters.duplicates + m.counters.out_of_order > before {
            return;
        }
        assert!(Instant::now() < deadline, "no anomaly seen: {m:?}");
        actix_rt::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Waits until the connection has delivered for longer than `stable_after`.
async fn stable(feed: &actix::Addr<Feed>, stable_after: Duration) {
    let deadline = Instant::now() + support::WAIT;
    loop {
        let age = support::metrics(feed).await.connection_age_s.unwrap_or(0.0);
        if age > stable_after.as_secs_f64() + 0.1 {
            return;
        }
        assert!(Instant::now() < deadline, "never stable");
        actix_rt::time::sleep(Duration::from_millis(20)).await;
    }
}

under_each_reading!(fifty_cycles_of_random_faults_end_true_with_a_backoff_as_designed);

async fn fifty_cycles_of_random_faults_end_true_with_a_backoff_as_designed(r: Readings) {
    let cfg = support::sim_config_under(2, r);
    let markets = support::markets(&cfg);
    let sim = support::start_sim(cfg);
    sim.control().act(300);
    let feed_cfg = support::feed_config(&markets);
    let stable_after = Duration::from_millis(feed_cfg.stable_after_ms);
    let (feed, log) = support::start_feed(
        &sim.ws_url(),
        support::signer(&sim),
        feed_cfg.clone(),
        Duration::ZERO,
    );
    log.wait_events("connected", 1, |e| *e == FeedEvent::Connected)
        .await;
    // FEED_CYCLES_SEED picks another sequence of faults.
    let seed = std::env::var("FEED_CYCLES_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15_u64);
    let mut rng = Rng(seed | 1);
    let mut kinds = [0usize; 7];
    for _ in 0..CYCLES {
        support::all_true(&sim, &feed, &markets).await;
        let kind = rng.below(7) as usize;
        kinds[kind] += 1;
        let m = support::metrics(&feed).await;
        let anomalies = m.counters.gaps + m.counters.duplicates + m.counters.out_of_order;
        match kind {
            0 => drop_and_reconnect(&sim, &log, DropMode::Close).await,
            1 => drop_and_reconnect(&sim, &log, DropMode::Cut).await,
            2 => {
                let before = connected_count(&log);
                let lost = |all: &[(Instant, Seen)]| {
                    all.iter()
                        .filter(|(_, s)| matches!(s, Seen::Event(FeedEvent::Disconnected { .. })))
                        .count()
                };
                let lost_before = lost(&log.all());
                set(
                    &sim,
                    FaultPatch {
                        ws_stall: Some(true),
                        ..FaultPatch::default()
                    },
                );
                sim.control().act(30);
                log.wait("the watchdog", |all| lost(all) > lost_before)
                    .await;
                set(
                    &sim,
                    FaultPatch {
                        ws_stall: Some(false),
                        ..FaultPatch::default()
                    },
                );
                log.wait_events("a reconnect", before + 1, |e| *e == FeedEvent::Connected)
                    .await;
            }
            3..=5 => {
                let one = Some(1);
                let patch = match kind {
                    3 => FaultPatch {
                        ws_skip_seq_next: one,
                        ..FaultPatch::default()
                    },
                    4 => FaultPatch {
                        ws_duplicate_next: one,
                        ..FaultPatch::default()
                    },
                    _ => FaultPatch {
                        ws_reorder_next: one,
                        ..FaultPatch::default()
                    },
                };
                set(&sim, patch);
                sim.control().act(60);
                anomaly_after(&feed, anomalies).await;
            }
            _ => {
                for _ in 0..3 {
                    drop_and_reconnect(&sim, &log, DropMode::Cut).await;
                }
            }
        }
        sim.control().act(20 + rng.below(100));
        if rng.below(3) == 0 {
            support::all_true(&sim, &feed, &markets).await;
            stable(&feed, stable_after).await;
        }
    }
    support::all_true(&sim, &feed, &markets).await;
    log.assert_never_vouched_while_stale();
    check_schedule(&log, &feed_cfg);
    let m = support::metrics(&feed).await;
    support::assert_readings(&m, r);
    eprintln!("fault kinds {kinds:?}; {m:?}");
}

/// Checks the reconnect events against the schedule's design.
fn check_schedule(log: &Log, cfg: &tradewind_actors::feed::FeedConfig) {
    let ms = Duration::from_millis;
    let (min, base, cap) = (
        ms(cfg.reconnect_min_ms),
        ms(cfg.reconnect_base_ms),
        ms(cfg.reconnect_cap_ms),
    );
    let stable_after = ms(cfg.stable_after_ms);
    let idle = ms(cfg.idle_timeout_ms);
    let events = log.events();
    let mut last_attempt = 0;
    let mut up_since: Option<Instant> = None;
    // The feed's view of the connection that just ended, as bounds on its uptime: the probe
    // sees a connection from its `Connected` (after the subscribe replies) to its
    // `Disconnected`, the feed from its handshake to its last frame (a ping at most 100 ms
    // before a cut; `idle_timeout` and up to a quarter more before a watchdog expiry).
    let mut uptime: Option<(Duration, Duration)> = None;
    let mut connects: Vec<Instant> = Vec::new();
    let (mut max_attempt, mut resets) = (0, 0);
    for (at, e) in &events {
        match e {
            FeedEvent::Connected => {
                up_since = Some(*at);
                connects.push(*at);
            }
            FeedEvent::Disconnected { reason } => {
                uptime = up_since.take().map(|s| {
                    let seen = at.duration_since(s);
                    let slack = ms(150);
                    if reason.contains("no frame") {
                        let hi = seen.saturating_sub(idle) + slack;
                        (seen.saturating_sub(idle + idle / 4 + slack), hi)
                    } else {
                        (seen.saturating_sub(slack), seen + slack)
                    }
                });
            }
            FeedEvent::Reconnecting { attempt, delay } => {
                let ceiling = base
                    .saturating_mul(1 << (attempt - 1).min(20))
                    .min(cap)
                    .max(min);
                assert!(
                    *delay >= min && *delay <= ceiling,
                    "attempt {attempt}: {delay:?} outside [{min:?}, {ceiling:?}]"
                );
                match uptime.take() {
                    Some((lo, _)) if lo >= stable_after => {
                        assert_eq!(*attempt, 1, "after {lo:?}+ up")
                    }
                    Some((_, hi)) if hi < stable_after => {
                        assert_eq!(*attempt, last_attempt + 1, "after {hi:?}- up")
                    }
                    Some(_) => assert!(*attempt == 1 || *attempt == last_attempt + 1),
                    None => assert_eq!(
                        *attempt,
                        last_attempt + 1,
                        "a connection that never subscribed"
                    ),
                }
                if *attempt == 1 && last_attempt > 0 {
                    resets += 1;
                }
                max_attempt = max_attempt.max(*attempt);
                last_attempt = *attempt;
            }
        }
    }
    for pair in connects.windows(2) {
        assert!(
            pair[1].duration_since(pair[0]) >= min,
            "two connections {:?} apart",
            pair[1].duration_since(pair[0])
        );
    }
    eprintln!("reconnect attempts reached {max_attempt}; reset to 1 {resets} times");
    assert!(
        max_attempt >= 3,
        "delays never grew: max attempt {max_attempt}"
    );
    assert!(resets >= 2, "delays never reset: {resets}");
}
