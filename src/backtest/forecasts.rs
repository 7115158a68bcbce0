//! Forecasts for a backtest, each usable only from the instant it was taken — nothing from
//! the future leaks in. They come from the recording itself (a trading run recorded with
//! `tradewind run --record` holds every forecast its strategy took) or from a file given with
//! `--forecasts`, JSON lines:
//!
//! ```text
//! {"at": "2026-12-02T06:05:00Z", "forecast": {"ensembles": {"KXHIGHNY": {"2026-12-03": [41.2, 43.0]}}}}
//! {"at": "2026-12-02T12:05:00Z", "forecast": {"probabilities": {"KXHIGHNY-26DEC03-B42.5": 0.31}}}
//! ```
//!
//! `forecast` is the forecast file's format (`[strategy.forecast] source = "file"`); `at`
//! is when it became known (RFC 3339). Each replaces the one before (as a live file reload
//! does). A file's forecasts replace the recording's.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use tradewind_actors::strategy::forecast::Forecast;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    at: DateTime<Utc>,
    forecast: serde_json::Value,
}

/// Reads a forecasts file: `(ns, forecast)` in time order.
///
/// # Errors
/// The file cannot be read, or a line is not a forecast (the error names the file and line).
pub fn read(path: &Path) -> Result<Vec<(u64, Forecast)>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("forecasts file {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |e: String| format!("forecasts file {} line {}: {e}", path.display(), i + 1);
        let l: Line = serde_json::from_str(line).map_err(|e| at(e.to_string()))?;
        let forecast = Forecast::from_file_json(&l.forecast.to_string()).map_err(at)?;
        let ns =
            l.at.timestamp_nanos_opt()
                .and_then(|n| u64::try_from(n).ok())
                .ok_or_else(|| at(format!("time {} out of range", l.at)))?;
        out.push((ns, forecast));
    }
    out.sort_by_key(|(ns, _)| *ns);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_in_time_order_and_errors_name_the_line() {
        let dir = std::env::temp_dir().join(format!("tw-forecasts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.jsonl");
        std::fs::write(
            &good,
            "{\"at\":\"2026-12-02T12:00:00Z\",\"forecast\":{\"probabilities\":{\"X\":0.5}}}\n\n\
             {\"at\":\"2026-12-02T06:00:00Z\",\"forecast\":{}}\n",
        )
        .unwrap();
        let f = read(&good).unwrap();
        assert_eq!(f.len(), 2);
        assert!(f[0].0 < f[1].0);
        assert_eq!(f[1].1.probabilities.len(), 1);
        let bad = dir.join("bad.jsonl");
        std::fs::write(
            &bad,
            "{\"at\":\"2026-12-02T12:00:00Z\",\"forecast\":{\"probabilities\":{\"X\":2}}}\n",
        )
        .unwrap();
        let e = read(&bad).unwrap_err();
        assert!(
            e.contains("bad.jsonl line 1") && e.contains("not within 0..=1"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
