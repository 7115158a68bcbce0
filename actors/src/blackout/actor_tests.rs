//! Actor tests with an injected clock: a [`FakeClock`] and tokio's paused clock move forward
//! together, so the actor's timers fire exactly at the transitions; a collector records every
//! `BlackoutChanged` and a stub gateway answers `GetExchangeSchedule`. No real sleeping.

use std::{collections::VecDeque, path::PathBuf, sync::Arc, time::Duration};

use actix::{Actor, Addr, Context, Handler, Message, MessageResult};
use chrono::{DateTime, TimeDelta, Utc};
use kalshi::rest::{GetExchangeScheduleResponse, MaintenanceWindow, Schedule as ExchangeSchedule};

use super::{
    BlackoutChanged, BlackoutClock, BlackoutConfig, BlackoutPeers, BlackoutState, GetBlackoutState,
    GetMetrics, SubscribeBlackout,
    config::{ProbeConfig, RecurringConfig},
};
use crate::{
    clock::{Clock, FakeClock},
    gateway::{GatewayError, GetExchangeSchedule},
};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn blackout(reason: &[&str], until: &str) -> BlackoutState {
    BlackoutState {
        active: true,
        reason: reason.iter().map(|r| r.to_string()).collect(),
        until: Some(t(until)),
    }
}

fn open(until: &str) -> BlackoutState {
    BlackoutState {
        active: false,
        reason: vec![],
        until: Some(t(until)),
    }
}

/// Records every state it is sent.
#[derive(Debug, Default)]
struct Collector {
    seen: Vec<BlackoutState>,
}

impl Actor for Collector {
    type Context = Context<Self>;
}

impl Handler<BlackoutChanged> for Collector {
    type Result = ();
    fn handle(&mut self, msg: BlackoutChanged, _ctx: &mut Context<Self>) {
        self.seen.push(msg.state);
    }
}

#[derive(Debug, Message)]
#[rtype(result = "Vec<BlackoutState>")]
struct Seen;

impl Handler<Seen> for Collector {
    type Result = MessageResult<Seen>;
    fn handle(&mut self, _msg: Seen, _ctx: &mut Context<Self>) -> Self::Result {
        MessageResult(self.seen.clone())
    }
}

type Answer = Result<Vec<(&'static str, &'static str)>, GatewayError>;

/// Answers `GetExchangeSchedule` with its answers in turn, repeating the last; counts reads.
#[derive(Debug)]
struct StubGateway {
    answers: VecDeque<Answer>,
    reads: usize,
}

impl Actor for StubGateway {
    type Context = Context<Self>;
}

impl Handler<GetExchangeSchedule> for StubGateway {
    type Result = Result<GetExchangeScheduleResponse, GatewayError>;
    fn handle(&mut self, _msg: GetExchangeSchedule, _ctx: &mut Context<Self>) -> Self::Result {
        self.reads += 1;
        let answer = match self.answers.len() {
            0 => Ok(vec![]),
            1 => self.answers[0].clone(),
            _ => self.answers.pop_front().unwrap(), // unwrap: len > 1
        }?;
        let maintenance_windows = answer
            .into_iter()
            .map(|(s, e)| MaintenanceWindow {
                start_datetime: t(s),
                end_datetime: t(e),
            })
            .collect();
        Ok(GetExchangeScheduleResponse {
            schedule: ExchangeSchedule {
                standard_hours: vec![],
                maintenance_windows,
            },
        })
    }
}

#[derive(Debug, Message)]
#[rtype(result = "usize")]
struct Reads;

impl Handler<Reads> for StubGateway {
    type Result = usize;
    fn handle(&mut self, _msg: Reads, _ctx: &mut Context<Self>) -> usize {
        self.reads
    }
}

struct Rig {
    clock: FakeClock,
    blackout: Addr<BlackoutClock>,
    seen: Addr<Collector>,
    gateway: Addr<StubGateway>,
}

impl Rig {
    /// Pauses tokio's clock and starts the actor at `at` with one collector subscribed.
    async fn start(at: &str, cfg: BlackoutConfig, answers: Vec<Answer>) -> Rig {
        tokio::time::pause();
        let clock = FakeClock::new(t(at));
        let seen = Collector::default().start();
        let gateway = StubGateway {
            answers: answers.into(),
            reads: 0,
        }
        .start();
        let peers = BlackoutPeers {
            gateway: gateway.clone().recipient(),
            subscribers: vec![seen.clone().recipient()],
        };
        let blackout = BlackoutClock::new(cfg, peers, Arc::new(clock.clone()))
            .unwrap()
            .start();
        let rig = Rig {
            clock,
            blackout,
            seen,
            gateway,
        };
        rig.settle().await;
        rig
    }

    /// Lets every actor finish what it was woken for: a timer that fired is run at the
    /// blackout clock's next poll, its broadcast then reaches the collector, a gateway answer
    /// takes a hop more. Each round trip below is one poll of each actor, in mailbox order.
    async fn settle(&self) {
        for _ in 0..4 {
            self.blackout.send(GetBlackoutState).await.unwrap();
            self.gateway.send(Reads).await.unwrap();
            self.seen.send(Seen).await.unwrap();
        }
    }

    /// Moves the fake clock, then tokio's, by `by`; the actor's timers due by then fire.
    ///
    /// Tokio's timer wheel counts whole milliseconds from an origin not aligned with the
    /// paused clock, so a timer may come due up to 1 ms after its exact deadline: tokio's
    /// clock moves 1 ms more. The actor reads only the fake clock, which moves exactly `by`.
    async fn step(&self, by: TimeDelta) {
        let by = by.to_std().unwrap();
        self.clock.advance(by);
        tokio::time::advance(by + Duration::from_millis(1)).await;
        self.settle().await;
    }

    /// Steps to `at` in steps of at most `max_step`.
    async fn walk_to(&self, at: &str, max_step: TimeDelta) {
        while self.clock.now() < t(at) {
            self.step(max_step.min(t(at) - self.clock.now())).await;
        }
    }

    async fn seen(&self) -> Vec<BlackoutState> {
        self.seen.send(Seen).await.unwrap()
    }

    async fn metrics(&self) -> super::BlackoutMetrics {
        self.blackout.send(GetMetrics).await.unwrap()
    }
}

fn gfs_only() -> BlackoutConfig {
    BlackoutConfig {
        weekly_maintenance: false,
        ..BlackoutConfig::default()
    }
}

#[actix::test]
async fn transitions_are_broadcast_exactly_once_each_in_order() {
    let rig = Rig::start("2024-01-09T23:50:00Z", gfs_only(), vec![]).await;
    let mut want = vec![open("2024-01-09T23:55:00Z")];
    assert_eq!(rig.seen().await, want);

    let second = TimeDelta::seconds(1);
    rig.walk_to("2024-01-09T23:54:59Z", TimeDelta::minutes(1))
        .await;
    assert_eq!(rig.seen().await, want, "23:54:59 is open");
    rig.step(second).await;
    want.push(blackout(&["gfs 00z"], "2024-01-10T00:02:00Z"));
    assert_eq!(rig.seen().await, want, "23:55:00 starts the 00z blackout");
    rig.walk_to("2024-01-10T00:01:59Z", second * 10).await;
    assert_eq!(rig.seen().await, want, "00:01:59 is still blackout");
    rig.step(second).await;
    want.push(open("2024-01-10T05:55:00Z"));
    assert_eq!(rig.seen().await, want, "00:02:00 is open");

    // A day more, a minute at a time: every later window, once, in order.
    rig.walk_to("2024-01-11T00:10:00Z", TimeDelta::minutes(1))
        .await;
    for (label, end, next) in [
        ("gfs 06z", "10T06:02", "10T11:55"),
        ("gfs 12z", "10T12:02", "10T17:55"),
        ("gfs 18z", "10T18:02", "10T23:55"),
        ("gfs 00z", "11T00:02", "11T05:55"),
    ] {
        want.push(blackout(&[label], &format!("2024-01-{end}:00Z")));
        want.push(open(&format!("2024-01-{next}:00Z")));
    }
    assert_eq!(rig.seen().await, want);
    assert_eq!(rig.metrics().await.counters.changes, want.len() as u64);
}

#[actix::test]
async fn a_late_subscriber_is_told_the_current_state_at_once() {
    let rig = Rig::start("2024-01-09T23:56:00Z", gfs_only(), vec![]).await;
    let late = Collector::default().start();
    rig.blackout
        .send(SubscribeBlackout {
            recipient: late.clone().recipient(),
        })
        .await
        .unwrap();
    let now = blackout(&["gfs 00z"], "2024-01-10T00:02:00Z");
    assert_eq!(late.send(Seen).await.unwrap(), std::slice::from_ref(&now));

    rig.walk_to("2024-01-10T00:02:00Z", TimeDelta::minutes(1))
        .await;
    let then = open("2024-01-10T05:55:00Z");
    assert_eq!(late.send(Seen).await.unwrap(), [now.clone(), then.clone()]);
    assert_eq!(rig.seen().await, [now, then]);
    assert_eq!(rig.metrics().await.subscribers, 2);
}

#[actix::test]
async fn exchange_windows_join_the_schedule_and_survive_a_failed_refresh() {
    let window = ("2024-01-10T02:00:00Z", "2024-01-10T03:00:00Z");
    let answers = vec![Ok(vec![window]), Err(GatewayError::RateLimited)];
    let rig = Rig::start("2024-01-10T01:00:00Z", gfs_only(), answers).await;
    // Told at once (before the exchange answered), then again when its window arrived.
    let mut want = vec![open("2024-01-10T05:55:00Z"), open("2024-01-10T02:00:00Z")];
    assert_eq!(rig.seen().await, want);
    assert_eq!(rig.gateway.send(Reads).await.unwrap(), 1);

    rig.walk_to("2024-01-10T03:30:00Z", TimeDelta::minutes(1))
        .await;
    want.push(blackout(&["exchange maintenance"], "2024-01-10T03:00:00Z"));
    want.push(open("2024-01-10T05:55:00Z"));
    assert_eq!(rig.seen().await, want);

    // Re-read hourly, at 02:00 and 03:00, both rate limited: the window stayed known.
    assert_eq!(rig.gateway.send(Reads).await.unwrap(), 3);
    let m = rig.metrics().await;
    assert_eq!(
        (
            m.counters.schedule_reads,
            m.counters.schedule_errors,
            m.exchange_windows
        ),
        (1, 2, 1)
    );
    assert_eq!(m.last_schedule_read, Some(t("2024-01-10T01:00:00Z")));
}

/// The default GFS windows, gated by a file probe under a fresh directory.
fn gated(dir: &str) -> (BlackoutConfig, PathBuf) {
    let dir = std::env::temp_dir().join(format!("tradewind-blackout-{dir}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut cfg = gfs_only();
    cfg.recurring = vec![RecurringConfig {
        probe: Some(ProbeConfig {
            file: Some(format!("{}/gfs.{{date}}.t{{hour}}z.done", dir.display())),
            fresh: true,
            url: None,
            max_minutes: 30,
        }),
        ..cfg.recurring[0].clone()
    }];
    (cfg, dir)
}

#[actix::test]
async fn a_gated_window_ends_when_its_probe_finds_the_data() {
    let (cfg, dir) = gated("late");
    let rig = Rig::start("2024-01-09T23:50:00Z", cfg, vec![]).await;
    rig.walk_to("2024-01-10T00:03:00Z", TimeDelta::seconds(30))
        .await;
    let mut want = vec![
        open("2024-01-09T23:55:00Z"),
        blackout(&["gfs 00z"], "2024-01-10T00:25:00Z"),
    ];
    assert_eq!(rig.seen().await, want, "held past the nominal 00:02");
    assert_eq!(
        rig.metrics().await.counters.probes,
        3,
        "probed at 00:02:00, 00:02:30, 00:03:00"
    );

    std::fs::write(dir.join("gfs.20240110.t00z.done"), b"").unwrap();
    rig.step(TimeDelta::seconds(30)).await;
    want.push(open("2024-01-10T05:55:00Z"));
    assert_eq!(rig.seen().await, want, "ends at the probe at 00:03:30");

    rig.walk_to("2024-01-10T01:00:00Z", TimeDelta::seconds(30))
        .await;
    let m = rig.metrics().await;
    assert_eq!(
        (m.counters.probes, m.counters.probes_ready),
        (4, 1),
        "no probing once ready"
    );
    assert_eq!(rig.seen().await, want);
    std::fs::remove_dir_all(dir).unwrap();
}

#[actix::test]
async fn a_gated_window_whose_data_never_comes_ends_at_its_hard_maximum() {
    let (cfg, dir) = gated("never");
    let rig = Rig::start("2024-01-09T23:50:00Z", cfg, vec![]).await;
    rig.walk_to("2024-01-10T00:24:59Z", TimeDelta::seconds(30))
        .await;
    let mut want = vec![
        open("2024-01-09T23:55:00Z"),
        blackout(&["gfs 00z"], "2024-01-10T00:25:00Z"),
    ];
    assert_eq!(rig.seen().await, want);
    rig.step(TimeDelta::seconds(1)).await;
    want.push(open("2024-01-10T05:55:00Z"));
    assert_eq!(rig.seen().await, want, "ends at 23:55 + 30 min");

    let probes = rig.metrics().await.counters.probes;
    rig.walk_to("2024-01-10T01:00:00Z", TimeDelta::seconds(30))
        .await;
    assert_eq!(
        rig.metrics().await.counters.probes,
        probes,
        "probing stops with the window"
    );
    assert_eq!(rig.seen().await, want);
    std::fs::remove_dir_all(dir).unwrap();
}
