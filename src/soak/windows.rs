//! The soak's blackout windows: 30 s every 3 minutes from the first minute on, absolute
//! times the engine is configured with and the checks hold orders against.

use chrono::{DateTime, Utc};

/// The windows of a soak started at `t0` that lasts `minutes`.
pub fn windows(t0: DateTime<Utc>, minutes: f64) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let end = t0 + chrono::Duration::milliseconds((minutes * 60_000.0) as i64);
    (0..)
        .map(|k| t0 + chrono::Duration::seconds(60 + 180 * k))
        .take_while(|s| *s < end)
        .map(|s| (s, s + chrono::Duration::seconds(30)))
        .collect()
}
