//! What to download, decided without I/O: the dates of `--from`/`--to`, which markets fall in
//! the window, which endpoint (live or historical) holds a market's trades and candles given
//! `GET /historical/cutoff`, and the candle period and request windows for a market's span.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kalshi::rest::{Market, history_params::MAX_CANDLES};
use serde::{Deserialize, Serialize};

/// Where a list of trades or candles is read: the live endpoint or `/historical/*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// `GET /markets/trades`, `GET /series/{s}/markets/{t}/candlesticks`.
    Live,
    /// `GET /historical/trades`, `GET /historical/markets/{t}/candlesticks`.
    Historical,
}

impl Source {
    /// `live` or `historical`, as written in the tables and part-file names.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Live => "live",
            Source::Historical => "historical",
        }
    }
}

/// Parses `YYYY-MM-DD` (midnight UTC; with `end`, the next midnight, so the day is included)
/// or RFC 3339.
///
/// # Errors
/// Neither form; the message names the value.
pub fn parse_when(s: &str, end: bool) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is neither YYYY-MM-DD nor RFC 3339"))?;
    let day = if end {
        day.succ_opt().unwrap_or(day)
    } else {
        day
    };
    Ok(Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default()))
}

/// The download window: markets that closed in `[from, to)`, their trades and candles in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// Start, inclusive.
    pub from: DateTime<Utc>,
    /// End, exclusive.
    pub to: DateTime<Utc>,
}

impl Window {
    /// Whether `m` closed within the window.
    pub fn holds(&self, m: &Market) -> bool {
        self.from <= m.close_time && m.close_time < self.to
    }
}

/// One market to download, as planned from its listing (kept in the checkpoint, so a rerun
/// needs no listing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketJob {
    /// The market.
    pub ticker: String,
    /// Its series (the live candle path needs it).
    pub series: String,
    /// Listed by `/historical/markets` (settled before the cutoff).
    pub archived: bool,
    /// Trades and candles from (Unix s): the later of its open time and the window's start.
    pub start_ts: i64,
    /// To (Unix s, inclusive): the earlier of its close time and the window's end.
    pub end_ts: i64,
    /// When it settled (Unix s), if it had when listed (absent in older checkpoints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_ts: Option<i64>,
}

impl MarketJob {
    /// The job of `m` in `series` within `w`.
    pub fn new(m: &Market, series: &str, archived: bool, w: &Window) -> MarketJob {
        MarketJob {
            ticker: m.ticker.to_string(),
            series: series.to_owned(),
            archived,
            start_ts: m.open_time.max(w.from).timestamp(),
            end_ts: (m.close_time.min(w.to).timestamp()).max(m.open_time.timestamp()),
            settled_ts: m.settlement_ts.map(|t| t.timestamp()),
        }
    }

    /// Where its trades are: `/historical/trades` for those made before the trades cutoff,
    /// the live list for the rest; both when its span straddles the cutoff. Compared as
    /// instants: a cutoff within the span's first second still leaves historical trades
    /// before it, and the span's last second (inclusive) may hold live ones.
    pub fn trade_sources(&self, trades_cutoff: DateTime<Utc>) -> Vec<Source> {
        let at = |s: i64| DateTime::from_timestamp(s, 0).unwrap_or(DateTime::<Utc>::MIN_UTC);
        let mut out = Vec::new();
        if at(self.start_ts) < trades_cutoff {
            out.push(Source::Historical);
        }
        if at(self.end_ts.saturating_add(1)) > trades_cutoff && !self.archived {
            out.push(Source::Live);
        }
        out
    }

    /// Where its candles are: archived with the market, or live.
    pub fn candle_source(&self) -> Source {
        if self.archived {
            Source::Historical
        } else {
            Source::Live
        }
    }
}

/// The candle period (minutes) for a span: a minute while the span fits one request
/// (under [`MAX_CANDLES`] minutes, about 3.5 days), otherwise an hour, in as many requests
/// as it takes ([`candle_windows`]).
pub fn candle_period(start_ts: i64, end_ts: i64) -> u32 {
    if (end_ts - start_ts).max(0) / 60 < MAX_CANDLES {
        1
    } else {
        60
    }
}

/// The request windows `[start, end]` (Unix s, inclusive) covering a span at `period`
/// minutes, each under [`MAX_CANDLES`] periods.
pub fn candle_windows(start_ts: i64, end_ts: i64, period: u32) -> Vec<(i64, i64)> {
    let step = i64::from(period) * 60 * (MAX_CANDLES - 1);
    let mut out = Vec::new();
    let mut at = start_ts;
    loop {
        let end = (at + step).min(end_ts);
        out.push((at, end));
        if end >= end_ts {
            return out;
        }
        at = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_instants_parse_and_a_day_end_includes_the_day() {
        let d = parse_when("2026-12-02", false).unwrap();
        assert_eq!(d.to_rfc3339(), "2026-12-02T00:00:00+00:00");
        let e = parse_when("2026-12-02", true).unwrap();
        assert_eq!(e.to_rfc3339(), "2026-12-03T00:00:00+00:00");
        let t = parse_when("2026-12-02T10:00:00-05:00", true).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-02T15:00:00+00:00");
        let err = parse_when("yesterday", false).unwrap_err();
        assert!(err.contains("yesterday"), "{err}");
    }

    fn job(start_ts: i64, end_ts: i64, archived: bool) -> MarketJob {
        let (ticker, series) = ("KXHIGHNY-26DEC02-B46.5".into(), "KXHIGHNY".into());
        MarketJob {
            ticker,
            series,
            archived,
            start_ts,
            end_ts,
            settled_ts: None,
        }
    }

    #[test]
    fn trades_come_from_each_side_of_the_cutoff_they_cover() {
        let cut = DateTime::from_timestamp(1000, 0).unwrap();
        assert_eq!(job(0, 500, true).trade_sources(cut), [Source::Historical]);
        assert_eq!(
            job(500, 1500, false).trade_sources(cut),
            [Source::Historical, Source::Live]
        );
        assert_eq!(job(1000, 1500, false).trade_sources(cut), [Source::Live]);
        // A cutoff within a second of the span: the instants decide, not whole seconds.
        let within = DateTime::from_timestamp(1000, 500_000_000).unwrap();
        assert_eq!(
            job(1000, 1500, false).trade_sources(within),
            [Source::Historical, Source::Live]
        );
        assert_eq!(
            job(500, 1000, false).trade_sources(within),
            [Source::Historical, Source::Live]
        );
        assert_eq!(
            job(500, 999, false).trade_sources(cut),
            [Source::Historical]
        );
    }

    #[test]
    fn candle_periods_fit_one_request_and_windows_cover_the_span() {
        assert_eq!(candle_period(0, 3 * 86_400), 1);
        assert_eq!(candle_period(0, 30 * 86_400), 60);
        assert_eq!(candle_period(0, 400 * 86_400), 60);
        let w = candle_windows(0, 400 * 86_400, 60);
        assert_eq!(w.len(), 2);
        assert_eq!((w[0].0, w[1].1), (0, 400 * 86_400));
        assert!(w.iter().all(|(s, e)| (e - s) / 3600 < MAX_CANDLES));
        assert_eq!(candle_windows(5, 5, 1), [(5, 5)]);
    }
}
