//! The external strategy's counters, reported with the strategy actor's metrics as
//! `external_*` (Prometheus: `tradewind_strategy_external_*`).

use std::collections::BTreeMap;

/// What happened between the engine and the strategy process.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    /// Messages queued for the process.
    pub messages_out: u64,
    /// Valid lines read from it.
    pub lines_in: u64,
    /// Lines refused (not JSON, unknown type or field, a bad value, an unknown `reply_to`).
    pub malformed_lines: u64,
    /// `place`/`amend` lines dropped because their `reply_to` was older than the answer
    /// timeout.
    pub late_answers: u64,
    /// Intents handed to the order manager.
    pub intents: u64,
    /// Runs stopped because a `tick` went unanswered too long.
    pub hung: u64,
    /// Runs stopped because too many messages waited unread.
    pub stuck: u64,
    /// Books replaced before the process read them (runs ended).
    pub conflated_ended_runs: u64,
    /// Market cancels sent because the process went down.
    pub pulls: u64,
}

impl Counters {
    /// As `external_<name>` counters, with the supervision's and the running process's.
    pub fn report(&self, life: &LifeCounts) -> BTreeMap<String, u64> {
        [
            ("messages_out", self.messages_out),
            ("lines_in", self.lines_in),
            ("malformed_lines", self.malformed_lines),
            ("late_answers", self.late_answers),
            ("intents", self.intents),
            ("hung", self.hung),
            ("stuck", self.stuck),
            (
                "books_conflated",
                self.conflated_ended_runs + life.conflated_now,
            ),
            ("pulls", self.pulls),
            ("restarts", life.restarts),
            ("exits", life.exits),
            ("spawn_failures", life.spawn_failures),
            ("up", u64::from(life.up)),
        ]
        .into_iter()
        .map(|(k, v)| (format!("external_{k}"), v))
        .collect()
    }
}

/// The supervision's counts, read when reporting.
#[derive(Debug, Clone, Copy, Default)]
pub struct LifeCounts {
    /// Runs started after the first.
    pub restarts: u64,
    /// Runs ended.
    pub exits: u64,
    /// Spawns that failed.
    pub spawn_failures: u64,
    /// Whether a process is up.
    pub up: bool,
    /// Books conflated in the current run.
    pub conflated_now: u64,
}
