//! `[supervision]`: how many failures of one actor are restarted before the engine gives up,
//! and how often every actor is asked whether it is alive.
//!
//! ```toml
//! [supervision]
//! max_restarts = 5           # more panics than this of one actor …
//! window_s = 60              # … within this many seconds: cancel, flush, exit 3
//! heartbeat_ms = 250         # every actor is asked this often
//! heartbeat_timeout_ms = 1000 # an actor silent this long is down (/healthz 503)
//! ```

use serde::{Deserialize, Serialize};

/// Settings of the supervision tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SupervisionConfig {
    /// Restarts of one actor tolerated within `window_s`; one more escalates.
    pub max_restarts: u32,
    /// The window the restarts are counted in, s.
    pub window_s: u64,
    /// How often every actor is sent a heartbeat, ms.
    pub heartbeat_ms: u64,
    /// An actor that has not answered for this long is down, ms.
    pub heartbeat_timeout_ms: u64,
}

impl Default for SupervisionConfig {
    fn default() -> Self {
        SupervisionConfig {
            max_restarts: 5,
            window_s: 60,
            heartbeat_ms: 250,
            heartbeat_timeout_ms: 1_000,
        }
    }
}

impl SupervisionConfig {
    /// Every invalid value, each naming its field.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errs = Vec::new();
        if self.window_s == 0 {
            errs.push("supervision.window_s: must be positive".to_owned());
        }
        if self.heartbeat_ms == 0 {
            errs.push("supervision.heartbeat_ms: must be positive".to_owned());
        }
        if self.heartbeat_timeout_ms <= self.heartbeat_ms {
            errs.push(format!(
                "supervision.heartbeat_timeout_ms: must exceed heartbeat_ms ({}), got {}",
                self.heartbeat_ms, self.heartbeat_timeout_ms
            ));
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }
}
