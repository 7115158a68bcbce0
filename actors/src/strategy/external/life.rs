//! The strategy process's supervision: started when the strategy starts, and after it exits
//! (or is stopped as hung or stuck) started again after a [`Restarts`] delay — a helper thread
//! sleeps the delay and wakes the actor, which restarts it on its next call. A spawn that fails
//! counts as an exit. The caller pulls the quotes and says hello; this file only runs processes.

use std::{
    thread,
    time::{Duration, Instant},
};

use tracing::{info, warn};

use super::{config::ExternalConfig, process::Running, restarts::Restarts};
use crate::strategy::interface::Waker;

/// Where the process stands.
#[derive(Debug)]
enum State {
    /// Not started yet (no waker).
    Unstarted,
    /// Running since then.
    Up { run: Running, since: Instant },
    /// Down; to be started again at `until`.
    Down { until: Instant },
}

/// The strategy process's life, across restarts.
#[derive(Debug)]
pub struct Life {
    cfg: ExternalConfig,
    waker: Option<Waker>,
    state: State,
    backoff: Restarts,
    /// Runs started after the first.
    pub restarts: u64,
    /// Runs ended: exits, crashes, kills for hanging or falling behind.
    pub exits: u64,
    /// Spawns that failed (the command could not be run).
    pub spawn_failures: u64,
    started_once: bool,
}

impl Life {
    /// Nothing running yet.
    pub fn new(cfg: ExternalConfig) -> Life {
        let backoff = Restarts::new(
            Duration::from_millis(cfg.restart_backoff_min_ms),
            Duration::from_millis(cfg.restart_backoff_max_ms),
        );
        Life {
            cfg,
            waker: None,
            state: State::Unstarted,
            backoff,
            restarts: 0,
            exits: 0,
            spawn_failures: 0,
            started_once: false,
        }
    }

    /// The running process, if one is up.
    pub fn running(&self) -> Option<&Running> {
        match &self.state {
            State::Up { run, .. } => Some(run),
            _ => None,
        }
    }

    /// Whether a process is up.
    pub fn is_up(&self) -> bool {
        self.running().is_some()
    }

    /// Asks the actor for another call (lines are still waiting).
    pub fn wake(&self) {
        if let Some(w) = &self.waker {
            w.wake();
        }
    }

    /// Starts the first run (the strategy started): whether a process is now up.
    pub fn start(&mut self, waker: Waker, now: Instant) -> bool {
        self.waker = Some(waker);
        self.spawn(now)
    }

    /// Starts a new run when one is due: whether one just started.
    pub fn poll(&mut self, now: Instant) -> bool {
        match self.state {
            State::Down { until } if now >= until => self.spawn(now),
            _ => false,
        }
    }

    fn spawn(&mut self, now: Instant) -> bool {
        let Some(waker) = self.waker.clone() else {
            return false;
        };
        match Running::spawn(&self.cfg, waker) {
            Ok(run) => {
                if self.started_once {
                    self.restarts += 1;
                }
                self.started_once = true;
                info!(pid = run.pid, command = %self.cfg.command, restarts = self.restarts,
                    "strategy process started");
                self.state = State::Up { run, since: now };
                true
            }
            Err(e) => {
                self.spawn_failures += 1;
                warn!(command = %self.cfg.command, args = ?self.cfg.args, error = %e,
                    "cannot start the strategy process");
                self.schedule(Duration::ZERO, now);
                false
            }
        }
    }

    /// The run ended (`why`): the process is killed if it still runs, reaped, and a restart is
    /// scheduled.
    pub fn down(&mut self, why: &str, now: Instant) {
        let State::Up { run, since } = std::mem::replace(&mut self.state, State::Unstarted) else {
            return;
        };
        let pid = run.pid;
        let status = run.stop();
        self.exits += 1;
        let ran = now.saturating_duration_since(since);
        let delay = self.schedule(ran, now);
        warn!(pid, why, status = ?status, ran_ms = ran.as_millis() as u64,
            restart_in_ms = delay.as_millis() as u64, "strategy process down; quotes pulled");
    }

    /// Schedules the next start after a run of `ran`; answers the delay.
    fn schedule(&mut self, ran: Duration, now: Instant) -> Duration {
        let delay = self.backoff.after_exit(ran);
        self.state = State::Down { until: now + delay };
        if let Some(waker) = self.waker.clone() {
            let spawned = thread::Builder::new()
                .name("external-restart".into())
                .spawn(move || {
                    thread::sleep(delay);
                    waker.wake();
                });
            if let Err(e) = spawned {
                // The timer tick still polls: the restart comes with it.
                warn!(error = %e, "cannot start the restart timer");
            }
        }
        delay
    }
}
