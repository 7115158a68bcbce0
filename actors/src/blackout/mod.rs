//! Blackout clock actor: says when new orders must pause — around forecast-model cycles
//! (GFS 00/06/12/18z by default), the exchange's maintenance, and configured windows.
//!
//! Owns the pure [`Schedule`] and the readiness probes of gated windows. Accepts
//! [`SubscribeBlackout`] (the new subscriber is told the current state at once),
//! [`GetBlackoutState`] and [`GetMetrics`]. Emits [`BlackoutChanged`] to its subscribers — once
//! per change of state, in order — and `GetExchangeSchedule` to the gateway.
//!
//! It sets one timer for the next transition (no polling) and re-arms it after every
//! transition and every schedule change; timers longer than [`MAX_SLEEP`] are split so that
//! a wall-clock step is noticed. If the clock jumps past several transitions at once
//! (suspend, a test clock), only the state at the new instant is broadcast: states already
//! over are not replayed. The exchange's maintenance windows are read at start and every
//! `schedule_refresh_s`; a failed read keeps the windows known. A probe-gated window past its
//! nominal end is probed every `probe_interval_s` until its data is there or it reaches its
//! hard maximum; nothing is probed otherwise.
//!
//! # Layout
//! - [`schedule`]: the pure schedule (`state_at`, `next_transition`).
//! - [`config`]: `[blackout]`; [`probe`]: file and HTTP readiness checks; [`metrics`].

pub mod config;
mod lifecycle;
pub mod metrics;
pub mod probe;
pub mod schedule;

#[cfg(test)]
mod actor_tests;
#[cfg(test)]
mod schedule_tests;

use std::{path::Path, time::Duration};

use actix::{
    ActorFutureExt, AsyncContext, Context, Handler, Message, Recipient, SpawnHandle, WrapFuture,
};
use chrono::{DateTime, Utc};
use tracing::{info, warn};

use self::metrics::Counters;
pub use self::{
    config::BlackoutConfig,
    metrics::BlackoutMetrics,
    probe::ProbeTarget,
    schedule::{BlackoutState, Schedule},
};
use crate::{clock::SharedClock, gateway::GetExchangeSchedule};

/// Longest single timer: a longer wait is split so a wall-clock step is noticed within it.
pub const MAX_SLEEP: Duration = Duration::from_secs(3_600);

/// The blackout state changed; sent to every subscriber, once per change, in order.
#[derive(Debug, Clone, PartialEq, Eq, Message)]
#[rtype(result = "()")]
pub struct BlackoutChanged {
    /// The state from now on.
    pub state: BlackoutState,
}

/// Adds a subscriber; it is sent the current state at once, then every change.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct SubscribeBlackout {
    /// Where to send [`BlackoutChanged`].
    pub recipient: Recipient<BlackoutChanged>,
}

/// Asks for the state at this instant.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "BlackoutState")]
pub struct GetBlackoutState;

/// Asks the blackout clock for its metrics.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "BlackoutMetrics")]
pub struct GetMetrics;

/// Who the blackout clock talks to, given at start.
#[derive(Debug, Clone)]
pub struct BlackoutPeers {
    /// Reads `GET /exchange/schedule` (the gateway, or a probe in tests).
    pub gateway: Recipient<GetExchangeSchedule>,
    /// Told every change (order manager, strategy).
    pub subscribers: Vec<Recipient<BlackoutChanged>>,
}

/// The blackout clock actor.
pub struct BlackoutClock {
    cfg: BlackoutConfig,
    schedule: Schedule,
    probes: Vec<Option<ProbeTarget>>,
    peers: BlackoutPeers,
    clock: SharedClock,
    http: Option<awc::Client>,
    last: Option<BlackoutState>,
    wake: Option<SpawnHandle>,
    probing: bool,
    counters: Counters,
    /// Maintenance windows known from the exchange, and when they were read.
    exchange_windows: (usize, Option<DateTime<Utc>>),
}

impl std::fmt::Debug for BlackoutClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlackoutClock")
            .field("schedule", &self.schedule)
            .field("last", &self.last)
            .finish_non_exhaustive()
    }
}

impl BlackoutClock {
    /// A blackout clock for these settings and peers. Fails on an invalid config.
    pub fn new(
        cfg: BlackoutConfig,
        peers: BlackoutPeers,
        clock: SharedClock,
    ) -> Result<BlackoutClock, Vec<String>> {
        let schedule = cfg.schedule()?;
        Ok(BlackoutClock {
            probes: cfg.probes(),
            schedule,
            cfg,
            peers,
            clock,
            http: None,
            last: None,
            wake: None,
            probing: false,
            counters: Counters::default(),
            exchange_windows: (0, None),
        })
    }

    /// Broadcasts the state at `now` if it differs from the last one broadcast.
    fn publish(&mut self, now: DateTime<Utc>) {
        let state = self.schedule.state_at(now);
        if self.last.as_ref() == Some(&state) {
            return;
        }
        info!(active = state.active, %state, "blackout state changed");
        self.peers.subscribers.retain(|s| s.connected());
        for s in &self.peers.subscribers {
            s.do_send(BlackoutChanged {
                state: state.clone(),
            });
        }
        self.counters.changes += 1;
        self.last = Some(state);
    }

    /// Re-reads the time, broadcasts a change, starts probing when a gated window waits for
    /// its data, and re-arms the timer.
    fn reevaluate(&mut self, ctx: &mut Context<Self>) {
        let now = self.clock.now();
        self.schedule.prune(now);
        self.publish(now);
        if !self.probing && !self.schedule.awaiting_probe(now).is_empty() {
            self.probe_round(ctx);
        }
        self.arm(ctx);
    }

    /// Sets the one timer for the next transition or probe start.
    fn arm(&mut self, ctx: &mut Context<Self>) {
        if let Some(handle) = self.wake.take() {
            ctx.cancel_future(handle);
        }
        let now = self.clock.now();
        let next = [
            self.schedule.next_transition(now),
            self.schedule.next_probe_start(now),
        ]
        .into_iter()
        .flatten()
        .min();
        let delay = next
            .and_then(|t| (t - now).to_std().ok())
            .map_or(MAX_SLEEP, |d| d.min(MAX_SLEEP));
        self.wake = Some(ctx.run_later(delay, |act, ctx| {
            act.wake = None;
            act.reevaluate(ctx);
        }));
    }

    /// Asks the probes of every gated window waiting for its data; repeats every
    /// `probe_interval_s` while any still waits.
    fn probe_round(&mut self, ctx: &mut Context<Self>) {
        let now = self.clock.now();
        let due = self.schedule.awaiting_probe(now);
        if due.is_empty() {
            self.probing = false;
            return;
        }
        self.probing = true;
        let checks: Vec<_> = due
            .iter()
            .filter_map(|a| {
                let target = self.probes.get(a.occurrence.window)?.clone()?;
                let client = self.http.clone();
                let (occurrence, start) = (a.occurrence, a.start);
                Some(async move {
                    let ready = match target {
                        ProbeTarget::File { path, fresh } => {
                            let path = probe::expand(&path, occurrence.cycle);
                            Ok(probe::file_ready(Path::new(&path), fresh.then_some(start)))
                        }
                        ProbeTarget::Http { url } => match client {
                            Some(c) => {
                                probe::http_ready(&c, &probe::expand(&url, occurrence.cycle)).await
                            }
                            None => Err("no HTTP client".to_owned()),
                        },
                    };
                    (occurrence, ready)
                })
            })
            .collect();
        let fut = futures_util::future::join_all(checks).into_actor(self);
        ctx.spawn(fut.map(|results, act, ctx| {
            let now = act.clock.now();
            for (occurrence, ready) in results {
                act.counters.probes += 1;
                match ready {
                    Ok(true) => {
                        act.counters.probes_ready += 1;
                        info!(cycle = %occurrence.cycle, "readiness probe: data is there");
                        act.schedule.mark_ready(occurrence, now);
                    }
                    Ok(false) => {}
                    Err(error) => {
                        act.counters.probe_errors += 1;
                        warn!(%error, "readiness probe failed");
                    }
                }
            }
            act.publish(now);
            act.arm(ctx);
            let every = Duration::from_secs(act.cfg.probe_interval_s);
            ctx.run_later(every, |act, ctx| act.probe_round(ctx));
        }));
    }

    /// Reads the exchange's maintenance windows through the gateway.
    fn refresh_schedule(&mut self, ctx: &mut Context<Self>) {
        let gateway = self.peers.gateway.clone();
        let fut = async move { gateway.send(GetExchangeSchedule {}).await };
        ctx.spawn(fut.into_actor(self).map(|answer, act, ctx| match answer {
            Ok(Ok(resp)) => {
                let windows = resp.schedule.maintenance_windows;
                let kept = act.schedule.set_exchange_windows(
                    windows.iter().map(|w| (w.start_datetime, w.end_datetime)),
                );
                act.exchange_windows = (kept, Some(act.clock.now()));
                act.counters.schedule_reads += 1;
                info!(windows = kept, "read the exchange's maintenance windows");
                act.reevaluate(ctx);
            }
            Ok(Err(error)) => {
                act.counters.schedule_errors += 1;
                warn!(%error, "cannot read the exchange's schedule; keeping the windows known");
            }
            Err(error) => {
                act.counters.schedule_errors += 1;
                warn!(%error, "the gateway did not answer; keeping the windows known");
            }
        }));
    }
}

impl Handler<SubscribeBlackout> for BlackoutClock {
    type Result = ();

    fn handle(&mut self, msg: SubscribeBlackout, _ctx: &mut Context<Self>) {
        // Bring the others up to date first, so the newcomer starts where they are.
        let now = self.clock.now();
        self.publish(now);
        let state = self
            .last
            .clone()
            .unwrap_or_else(|| self.schedule.state_at(now));
        msg.recipient.do_send(BlackoutChanged { state });
        // A subscriber that restarted subscribes again under the same address: once is enough.
        if !self.peers.subscribers.contains(&msg.recipient) {
            self.peers.subscribers.push(msg.recipient);
        }
    }
}

impl Handler<GetBlackoutState> for BlackoutClock {
    type Result = actix::MessageResult<GetBlackoutState>;

    fn handle(&mut self, _msg: GetBlackoutState, _ctx: &mut Context<Self>) -> Self::Result {
        actix::MessageResult(self.schedule.state_at(self.clock.now()))
    }
}

impl Handler<GetMetrics> for BlackoutClock {
    type Result = actix::MessageResult<GetMetrics>;

    fn handle(&mut self, _msg: GetMetrics, _ctx: &mut Context<Self>) -> Self::Result {
        self.peers.subscribers.retain(|s| s.connected());
        actix::MessageResult(BlackoutMetrics {
            counters: self.counters.clone(),
            state: self.last.clone(),
            subscribers: self.peers.subscribers.len(),
            exchange_windows: self.exchange_windows.0,
            last_schedule_read: self.exchange_windows.1,
        })
    }
}
