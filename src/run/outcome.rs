//! What a run answers: a [`RunSummary`] when it ended on a signal or its duration (every
//! actor's final metrics, blackout minutes, and the embedded simulator's own counts), or a
//! [`RunError`] saying why it did not run or gave up, with the exit code `tradewind run`
//! gives it.

use std::fmt;

use tradewind_actors::root::EngineMetrics;

use super::{
    escalation::{EXIT_ACTOR_FAILURES, EXIT_JOURNAL},
    recording::RecordingSummary,
    status::{self, Truth},
};

/// A finished run: what the engine did, by its own metrics and (with the embedded simulator)
/// by the exchange's. `Display` prints the summary table `tradewind run` prints at exit.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// Every actor's metrics after the shutdown.
    pub metrics: EngineMetrics,
    /// Minutes spent in blackout.
    pub blackout_minutes: f64,
    /// The embedded simulator's own counts for the account (`None` on a remote exchange).
    pub exchange: Option<Truth>,
    /// Cancels of resting orders sent at shutdown (`orders.cancel_on_shutdown`).
    pub shutdown_cancels: usize,
    /// What was recorded (`tradewind record`, [`crate::EngineBuilder::record`]).
    pub recording: Option<RecordingSummary>,
}

impl RunSummary {
    /// Orders the order manager placed, in any state.
    pub fn orders_placed(&self) -> usize {
        self.metrics
            .orders
            .as_ref()
            .map_or(0, |o| o.orders_by_state.values().sum())
    }

    /// Fills the order manager booked.
    pub fn fills(&self) -> u64 {
        self.metrics
            .orders
            .as_ref()
            .map_or(0, |o| o.counters.fills.values().sum())
    }

    /// 429s the gateway saw.
    pub fn rate_limited(&self) -> u64 {
        self.metrics
            .gateway
            .as_ref()
            .map_or(0, |g| g.counters.rate_limited)
    }
}

impl fmt::Display for RunSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&status::summary(
            &self.metrics,
            self.blackout_minutes,
            self.exchange.as_ref(),
        ))?;
        match &self.recording {
            Some(r) => write!(f, "{r}"),
            None => Ok(()),
        }
    }
}

/// Why a run did not end with a summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// The config is for real money and the run was not allowed to trade it.
    ProductionNotAllowed,
    /// The engine could not start: each problem names the field, file or actor.
    Start(Vec<String>),
    /// A signal came before the engine had started; nothing traded.
    StoppedDuringStartup,
    /// The supervision tree gave up (an actor failing past its restart intensity, or the
    /// journal failing); resting orders were cancelled.
    GaveUp {
        /// What failed.
        reason: String,
        /// The exit code `tradewind run` gives it (3 actor failures, 4 the journal).
        exit_code: u8,
    },
}

impl RunError {
    /// The exit code `tradewind run` gives this outcome: 2 a config refused, 1 a failed
    /// start, 0 a signal during start-up, 3 or 4 after giving up.
    pub fn exit_code(&self) -> u8 {
        match self {
            RunError::ProductionNotAllowed => 2,
            RunError::Start(_) => 1,
            RunError::StoppedDuringStartup => 0,
            RunError::GaveUp { exit_code, .. } => *exit_code,
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::ProductionNotAllowed => f.write_str(
                "exchange.environment = \"production\" trades real money; allow it explicitly \
                 (--allow-production, EngineBuilder::allow_production)",
            ),
            RunError::Start(errors) => write!(f, "{}", errors.join("\nerror: ")),
            RunError::StoppedDuringStartup => f.write_str("stopped by a signal during start-up"),
            RunError::GaveUp { reason, exit_code } => {
                let why = match *exit_code {
                    EXIT_ACTOR_FAILURES => "repeated actor failures",
                    EXIT_JOURNAL => "the journal failed",
                    _ => "gave up",
                };
                write!(f, "the engine gave up ({why}): {reason}")
            }
        }
    }
}

impl std::error::Error for RunError {}
