//! Text for the HTML page: escaping, times and short amounts — the same on every machine
//! (no locale, no floating point).

use chrono::{DateTime, SecondsFormat};

/// `s` safe inside HTML text and double- or single-quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Unix nanoseconds as RFC 3339 UTC with as many fractional digits as needed
/// (`2026-02-11T14:00:00.250Z`); the raw number when beyond chrono's range.
pub fn time(ns: u64) -> String {
    match i64::try_from(ns) {
        Ok(ns) => DateTime::from_timestamp_nanos(ns).to_rfc3339_opts(SecondsFormat::AutoSi, true),
        Err(_) => format!("{ns} ns"),
    }
}

/// Unix nanoseconds as a short UTC label for a chart axis (`02-11 14:00:05`).
pub fn short_time(ns: u64) -> String {
    match i64::try_from(ns) {
        Ok(ns) => DateTime::from_timestamp_nanos(ns)
            .format("%m-%d %H:%M:%S")
            .to_string(),
        Err(_) => format!("{ns}"),
    }
}

/// Millionths of a dollar as dollars and cents (`-12.35`), rounded half away from zero.
pub fn cents(micros: i128) -> String {
    let c = if micros < 0 {
        (micros - 5_000) / 10_000
    } else {
        (micros + 5_000) / 10_000
    };
    let sign = if c < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        c.unsigned_abs() / 100,
        c.unsigned_abs() % 100
    )
}
