//! The guardian actor: the top of the supervision tree. Accepts [`ChildEvent`]s (from the
//! guards and the order manager), [`Watch`] (an actor to ask for heartbeats),
//! [`TellNotReady`], [`ShuttingDown`] and [`GetMetrics`]; emits [`Heartbeat`]s to every
//! watched actor, [`NotReady`] to its listeners whenever the set of actors not ready changes,
//! and, when the policy gives up, one [`Escalation`] on the engine's escalation channel.
//!
//! Policy: a panicking actor is restarted in place by its guard; the guardian counts the
//! failures of each actor and escalates when there are more than `max_restarts` within
//! `window_s`, or at once when the journal fails. An actor that has not answered a heartbeat
//! for `heartbeat_timeout_ms` is down; one that answers but is not ready is restarting.

use std::{
    collections::{BTreeMap, BTreeSet},
    time::Duration,
};

use actix::{
    Actor, ActorFutureExt, AsyncContext, Context, Handler, Message, MessageResult, Recipient,
    WrapFuture,
};
use serde::Serialize;
use tokio::sync::watch;
use tracing::{error, info, warn};

use super::{
    config::SupervisionConfig,
    event::{ChildEvent, ChildEventKind},
    heartbeat::{Heartbeat, Liveness},
    policy::{FailureLog, Intensity, Verdict},
};
use crate::clock::SharedClock;

/// Why the engine gave up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escalation {
    /// One actor failed more often than the policy tolerates.
    ActorFailures {
        /// Which.
        actor: &'static str,
        /// Failures within the window.
        failures: u32,
        /// Its last panic.
        last: String,
    },
    /// The order journal refused a write.
    JournalUnusable {
        /// The error.
        reason: String,
    },
}

impl std::fmt::Display for Escalation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Escalation::ActorFailures {
                actor,
                failures,
                last,
            } => write!(f, "the {actor} failed {failures} times (last: {last})"),
            Escalation::JournalUnusable { reason } => write!(f, "the journal failed: {reason}"),
        }
    }
}

/// Watch an actor: ask it for heartbeats from now on.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct Watch {
    /// Its name.
    pub actor: &'static str,
    /// Where its heartbeats go.
    pub heartbeat: Recipient<Heartbeat>,
}

/// Tell `recipient` the actors that are not ready, now and whenever that set changes.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct TellNotReady {
    /// Where [`NotReady`] goes (the order manager: it takes no new risk while the blackout
    /// clock is down).
    pub recipient: Recipient<NotReady>,
}

/// The actors that are not ready now (down, restarting, or waiting for what they need).
#[derive(Debug, Clone, Default, PartialEq, Eq, Message)]
#[rtype(result = "()")]
pub struct NotReady {
    /// Their names.
    pub actors: BTreeSet<&'static str>,
}

/// The engine is shutting down: actors that end now end on purpose.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub struct ShuttingDown;

/// Asks for the supervision metrics.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "SupervisionMetrics")]
pub struct GetMetrics;

/// What the supervision tree knows, per actor (map keys are actor names).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SupervisionMetrics {
    /// Restarts after a panic.
    pub restarts: BTreeMap<String, u64>,
    /// Answered a heartbeat within the timeout.
    pub up: BTreeMap<String, bool>,
    /// Up and ready.
    pub ready: BTreeMap<String, bool>,
    /// Time since its last answer, ms.
    pub silent_ms: BTreeMap<String, u64>,
    /// What it waits for, when up but not ready.
    pub waiting_for: BTreeMap<String, String>,
    /// Its last failure.
    pub last_failure: BTreeMap<String, String>,
    /// Why the engine gave up, once it has.
    pub escalated: Option<String>,
}

struct Child {
    name: &'static str,
    heartbeat: Recipient<Heartbeat>,
    /// Monotonic ns of its last answer (its watch started the count).
    last_answer_ns: u128,
    liveness: Liveness,
    /// Ready answers still needed after a restart before it counts as ready again (two: a
    /// restarted actor is trusted once it has answered ready twice, a heartbeat apart).
    settling: u8,
    ended: bool,
}

/// Ready answers a restarted actor owes before it counts as ready.
const SETTLE_BEATS: u8 = 2;

/// The guardian.
pub struct Guardian {
    cfg: SupervisionConfig,
    clock: SharedClock,
    children: Vec<Child>,
    log: FailureLog,
    restarts: BTreeMap<&'static str, u64>,
    last_failure: BTreeMap<&'static str, String>,
    escalation: watch::Sender<Option<Escalation>>,
    shutting_down: bool,
    /// Told [`NotReady`] on every change.
    listeners: Vec<Recipient<NotReady>>,
    /// The set last told.
    told: Option<NotReady>,
}

impl std::fmt::Debug for Guardian {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guardian")
            .field("restarts", &self.restarts)
            .finish_non_exhaustive()
    }
}

impl Guardian {
    /// A guardian that reports its escalation on `escalation`.
    pub fn new(
        cfg: SupervisionConfig,
        clock: SharedClock,
        escalation: watch::Sender<Option<Escalation>>,
    ) -> Guardian {
        Guardian {
            cfg,
            clock,
            children: Vec::new(),
            log: FailureLog::default(),
            restarts: BTreeMap::new(),
            last_failure: BTreeMap::new(),
            escalation,
            shutting_down: false,
            listeners: Vec::new(),
            told: None,
        }
    }

    /// The actors not ready now: silent past the timeout, ended, restarting or waiting.
    fn not_ready(&self) -> NotReady {
        let now = self.clock.monotonic_ns();
        let timeout_ns = u128::from(self.cfg.heartbeat_timeout_ms) * 1_000_000;
        NotReady {
            actors: self
                .children
                .iter()
                .filter(|c| {
                    c.ended
                        || now.saturating_sub(c.last_answer_ns) > timeout_ns
                        || !c.liveness.ready
                })
                .map(|c| c.name)
                .collect(),
        }
    }

    /// Tells the listeners when the set of actors not ready changed.
    fn tell_not_ready(&mut self) {
        let now = self.not_ready();
        if self.told.as_ref() == Some(&now) {
            return;
        }
        for l in &self.listeners {
            l.do_send(now.clone());
        }
        self.told = Some(now);
    }

    fn intensity(&self) -> Intensity {
        Intensity {
            max_restarts: self.cfg.max_restarts,
            window_ns: u128::from(self.cfg.window_s) * 1_000_000_000,
        }
    }

    fn escalate(&mut self, why: Escalation) {
        if self.escalation.borrow().is_some() {
            return;
        }
        error!(reason = %why, "giving up: escalating");
        self.escalation.send_replace(Some(why));
    }

    fn on_panic(&mut self, actor: &'static str, reason: String) {
        if let Some(c) = self.children.iter_mut().find(|c| c.name == actor) {
            c.settling = SETTLE_BEATS;
            c.liveness = Liveness::waiting("its restart after a panic");
        }
        self.tell_not_ready();
        *self.restarts.entry(actor).or_default() += 1;
        self.last_failure.insert(actor, reason.clone());
        let now = self.clock.monotonic_ns();
        if let Verdict::Escalate { failures } = self.log.record(actor, now, self.intensity()) {
            self.escalate(Escalation::ActorFailures {
                actor,
                failures,
                last: reason,
            });
        }
    }

    fn on_end(&mut self, actor: &'static str) {
        if let Some(c) = self.children.iter_mut().find(|c| c.name == actor) {
            c.ended = true;
        }
        if !self.shutting_down {
            warn!(actor, "an actor ended while the engine runs");
            self.last_failure.insert(actor, "ended".into());
        }
        self.tell_not_ready();
    }

    /// Asks every watched actor for a heartbeat.
    fn beat(&mut self, ctx: &mut Context<Self>) {
        for (i, c) in self.children.iter().enumerate() {
            if c.ended {
                continue;
            }
            let ask = c.heartbeat.send(Heartbeat);
            ctx.spawn(ask.into_actor(self).map(move |answer, act, _| {
                if let (Ok(liveness), Some(c)) = (answer, act.children.get_mut(i)) {
                    c.last_answer_ns = act.clock.monotonic_ns();
                    if c.settling > 0 && liveness.ready {
                        c.settling -= 1;
                        if c.settling > 0 {
                            return;
                        }
                    }
                    c.liveness = liveness;
                }
                act.tell_not_ready();
            }));
        }
    }

    fn snapshot(&self) -> SupervisionMetrics {
        let now = self.clock.monotonic_ns();
        let timeout_ns = u128::from(self.cfg.heartbeat_timeout_ms) * 1_000_000;
        let mut m = SupervisionMetrics {
            escalated: self.escalation.borrow().as_ref().map(ToString::to_string),
            ..SupervisionMetrics::default()
        };
        for c in &self.children {
            let silent = now.saturating_sub(c.last_answer_ns);
            let up = !c.ended && silent <= timeout_ns;
            let name = c.name.to_owned();
            m.up.insert(name.clone(), up);
            m.ready.insert(name.clone(), up && c.liveness.ready);
            m.silent_ms.insert(
                name.clone(),
                u64::try_from(silent / 1_000_000).unwrap_or(u64::MAX),
            );
            if let Some(w) = c.liveness.waiting_for.as_ref().filter(|_| up) {
                m.waiting_for.insert(name.clone(), w.clone());
            }
            m.restarts.insert(
                name.clone(),
                self.restarts.get(c.name).copied().unwrap_or(0),
            );
            if let Some(f) = self.last_failure.get(c.name) {
                m.last_failure.insert(name, f.clone());
            }
        }
        m
    }
}

impl Actor for Guardian {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        let every = Duration::from_millis(self.cfg.heartbeat_ms);
        ctx.run_interval(every, |act, ctx| act.beat(ctx));
    }
}

impl Handler<Watch> for Guardian {
    type Result = ();

    fn handle(&mut self, msg: Watch, ctx: &mut Context<Self>) {
        self.children.push(Child {
            name: msg.actor,
            heartbeat: msg.heartbeat,
            last_answer_ns: self.clock.monotonic_ns(),
            liveness: Liveness::waiting("its first heartbeat"),
            settling: 0,
            ended: false,
        });
        self.beat(ctx);
    }
}

impl Handler<ChildEvent> for Guardian {
    type Result = ();

    fn handle(&mut self, msg: ChildEvent, _ctx: &mut Context<Self>) {
        match msg.kind {
            ChildEventKind::Panicked { reason } => self.on_panic(msg.actor, reason),
            ChildEventKind::Stopped => info!(actor = msg.actor, "actor stopped and restarted"),
            ChildEventKind::Ended => self.on_end(msg.actor),
            ChildEventKind::JournalFailed { reason } => {
                self.last_failure.insert(msg.actor, reason.clone());
                self.escalate(Escalation::JournalUnusable { reason });
            }
        }
    }
}

impl Handler<TellNotReady> for Guardian {
    type Result = ();

    fn handle(&mut self, msg: TellNotReady, _ctx: &mut Context<Self>) {
        msg.recipient.do_send(self.not_ready());
        self.listeners.push(msg.recipient);
    }
}

impl Handler<ShuttingDown> for Guardian {
    type Result = ();

    fn handle(&mut self, _msg: ShuttingDown, _ctx: &mut Context<Self>) {
        self.shutting_down = true;
    }
}

impl Handler<GetMetrics> for Guardian {
    type Result = MessageResult<GetMetrics>;

    fn handle(&mut self, _msg: GetMetrics, _ctx: &mut Context<Self>) -> Self::Result {
        MessageResult(self.snapshot())
    }
}
