//! The `external` strategy: decisions made by a child process (any language) speaking a line
//! protocol — JSON lines on its stdin and stdout, its stderr copied into the engine's log.
//! `[strategy] kind = "external"` with `[strategy.external]` ([`ExternalConfig`]). The
//! protocol, message by message, is `docs/external-strategy.md`; a Python module speaking it is
//! `python/tradewind_strategy.py`.
//!
//! The engine supervises the process: it starts it with the strategy, restarts it with a
//! doubling backoff when it exits, pulls its quotes (cancels every market it had orders in)
//! the moment a run ends, drops answers later than `answer_timeout_ms`, stops a run that
//! leaves a `tick` unanswered for `unresponsive_ms` or lets `max_pending_messages` pile up,
//! and never blocks the strategy actor on a pipe (writer and reader threads, a bounded inbox,
//! books conflated per market).
//!
//! # Layout
//! - [`config`] holds `[strategy.external]`.
//! - [`protocol`] holds the messages both ways and the validation of a line (pure).
//! - `outbox` (the conflating write queue), `restarts` (restart delays), `watch` (answer ages,
//!   unanswered ticks): pure.
//! - `process`: one run of the process and its threads; `life`: its restarts.
//! - `adapter`: [`ExternalStrategy`], the [`super::Strategy`] over it; `metrics` its counters.

mod adapter;
pub mod config;
mod life;
mod metrics;
mod outbox;
mod process;
pub mod protocol;
mod restarts;
mod watch;

pub use self::{adapter::ExternalStrategy, config::ExternalConfig};

#[cfg(test)]
mod adapter_tests;
#[cfg(test)]
mod protocol_tests;
