//! `[strategy.external]`: the external strategy's settings — the command that runs the
//! strategy process, its working directory, how long an answer may take, how it is restarted,
//! how far behind it may fall, and free-form `params` handed to it in the `hello` message.

use std::{collections::BTreeMap, time::Duration};

use serde::{Deserialize, Serialize};

/// `[strategy.external]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExternalConfig {
    /// The program to run (`python3`); looked up on `PATH` unless it is a path.
    pub command: String,
    /// Its arguments (`["python/examples/take_edge.py"]`).
    pub args: Vec<String>,
    /// Its working directory; empty = the engine's.
    pub working_dir: String,
    /// A `place` or `amend` answering a message queued more than this long ago (its
    /// `reply_to`) is dropped, not sent: it was decided on data that old, ms.
    pub answer_timeout_ms: u64,
    /// A `tick` left unanswered (no `pong`) this long marks the process hung: its quotes are
    /// pulled, it is killed and restarted, ms.
    pub unresponsive_ms: u64,
    /// First restart delay after an exit, ms; doubles on each exit in a row.
    pub restart_backoff_min_ms: u64,
    /// Longest restart delay, ms. A process that ran this long starts the doubling afresh.
    pub restart_backoff_max_ms: u64,
    /// Messages other than books (fills, orders, ticks, …) that may wait for the process to
    /// read them. Books never wait in a backlog: at most the latest per market does. A process
    /// further behind is deemed stuck: its quotes are pulled, it is killed and restarted.
    pub max_pending_messages: usize,
    /// The longest line accepted from the process, bytes; a longer one is refused as malformed.
    pub max_line_bytes: usize,
    /// Whether the strategy trades only with the forecast's fair value (`fair` in books): the
    /// engine then says `idle: no forecast` while there is none.
    pub uses_forecast: bool,
    /// Free-form settings handed to the process in `hello` (`config`).
    pub params: BTreeMap<String, serde_json::Value>,
}

impl Default for ExternalConfig {
    fn default() -> ExternalConfig {
        ExternalConfig {
            command: String::new(),
            args: Vec::new(),
            working_dir: String::new(),
            answer_timeout_ms: 1_000,
            unresponsive_ms: 5_000,
            restart_backoff_min_ms: 1_000,
            restart_backoff_max_ms: 30_000,
            max_pending_messages: 10_000,
            max_line_bytes: 64 * 1024,
            uses_forecast: false,
            params: BTreeMap::new(),
        }
    }
}

impl ExternalConfig {
    /// `answer_timeout_ms` as a duration.
    pub fn answer_timeout(&self) -> Duration {
        Duration::from_millis(self.answer_timeout_ms)
    }

    /// `unresponsive_ms` as a duration.
    pub fn unresponsive(&self) -> Duration {
        Duration::from_millis(self.unresponsive_ms)
    }

    /// Every problem, each naming its field (`strategy.external.command: …`).
    pub fn validate(&self) -> Vec<String> {
        let mut errors = Vec::new();
        let field = |name: &str, why: &str| format!("strategy.external.{name}: {why}");
        if self.command.trim().is_empty() {
            errors.push(field(
                "command",
                "required when kind = \"external\" (the program to run, e.g. \"python3\")",
            ));
        }
        if !self.working_dir.is_empty() && !std::path::Path::new(&self.working_dir).is_dir() {
            errors.push(field(
                "working_dir",
                &format!("{:?} is not a directory", self.working_dir),
            ));
        }
        for (name, v) in [
            ("answer_timeout_ms", self.answer_timeout_ms),
            ("unresponsive_ms", self.unresponsive_ms),
            ("restart_backoff_min_ms", self.restart_backoff_min_ms),
        ] {
            if v == 0 {
                errors.push(field(name, "must be at least 1"));
            }
        }
        for (name, v) in [
            ("answer_timeout_ms", self.answer_timeout_ms),
            ("unresponsive_ms", self.unresponsive_ms),
            ("restart_backoff_min_ms", self.restart_backoff_min_ms),
            ("restart_backoff_max_ms", self.restart_backoff_max_ms),
        ] {
            if v > 86_400_000 {
                errors.push(field(
                    name,
                    &format!("must be at most 86400000 (a day), got {v}"),
                ));
            }
        }
        if self.restart_backoff_max_ms < self.restart_backoff_min_ms {
            errors.push(field(
                "restart_backoff_max_ms",
                &format!(
                    "{} is below restart_backoff_min_ms ({})",
                    self.restart_backoff_max_ms, self.restart_backoff_min_ms
                ),
            ));
        }
        if self.max_pending_messages == 0 {
            errors.push(field("max_pending_messages", "must be at least 1"));
        }
        if self.max_line_bytes < 256 {
            errors.push(field("max_line_bytes", "must be at least 256"));
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_is_all_the_default_lacks() {
        let errors = ExternalConfig::default().validate();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("strategy.external.command: required"));
        let ok = ExternalConfig {
            command: "python3".into(),
            ..ExternalConfig::default()
        };
        assert!(ok.validate().is_empty());
    }

    #[test]
    fn every_bad_value_is_named() {
        let cfg = ExternalConfig {
            command: "python3".into(),
            working_dir: "/no/such/dir".into(),
            answer_timeout_ms: 0,
            restart_backoff_min_ms: 5_000,
            restart_backoff_max_ms: 1_000,
            max_pending_messages: 0,
            max_line_bytes: 10,
            ..ExternalConfig::default()
        };
        let errors = cfg.validate();
        let fields: Vec<&str> = errors
            .iter()
            .map(|e| e.split(':').next().unwrap_or_default())
            .collect();
        assert_eq!(
            fields,
            [
                "strategy.external.working_dir",
                "strategy.external.answer_timeout_ms",
                "strategy.external.restart_backoff_max_ms",
                "strategy.external.max_pending_messages",
                "strategy.external.max_line_bytes",
            ]
        );
    }

    #[test]
    fn params_are_free_form_toml() {
        let cfg: ExternalConfig = toml::from_str(
            "command = \"python3\"\nargs = [\"x.py\"]\n[params]\nmin_edge = 0.02\nname = \"a\"",
        )
        .unwrap();
        assert_eq!(cfg.params["min_edge"], serde_json::json!(0.02));
        assert_eq!(cfg.params["name"], serde_json::json!("a"));
        assert!(toml::from_str::<ExternalConfig>("comand = \"x\"").is_err());
    }
}
