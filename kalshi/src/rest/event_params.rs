//! Typed query parameters of the fee-change and forecast endpoints —
//! `GET /series/fee_changes`, `GET /events/fee_changes` and
//! `GET /series/{series_ticker}/events/{ticker}/forecast_percentile_history` — each with
//! `to_query()`, `from_query()`, `validate()` and `parse_valid()` like the other parameter
//! structs.
//!
//! Names are the SDK's (`kalshi/tests/fixtures/kalshi-openapi.json`); bounds it does not state
//! are marked UNCERTAIN where they are checked. Timestamps are Unix **seconds**.

use super::{
    history_params::check_span,
    query::{QueryError, check_limit, query_params},
};
use crate::{EventTicker, SeriesTicker};

query_params! {
    /// `GET /series/fee_changes` filters.
    GetSeriesFeeChangesParams {
        /// Changes of one series.
        series_ticker: Option<SeriesTicker> => one,
        /// Also changes already in effect.
        show_historical: Option<bool> => one,
    }
}

impl GetSeriesFeeChangesParams {
    /// Nothing to check beyond the types.
    pub fn validate(&self) -> Result<(), QueryError> {
        Ok(())
    }
}

query_params! {
    /// `GET /events/fee_changes` filters.
    GetEventFeeChangesParams {
        /// Changes of one event.
        event_ticker: Option<EventTicker> => one,
        /// Page size (Kalshi's default 100).
        limit: Option<u32> => one,
        /// The `cursor` of the previous page.
        cursor: Option<String> => one,
    }
}

impl GetEventFeeChangesParams {
    /// Largest `limit`. UNCERTAIN: the document states only the default; 1000 as for the
    /// other lists.
    pub const MAX_LIMIT: u32 = 1000;

    /// Checks `limit`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_limit(self.limit, Self::MAX_LIMIT)
    }
}

/// The forecast periods, in minutes: 0 (five seconds), a minute, an hour, a day.
pub const FORECAST_PERIOD_INTERVALS: [u32; 4] = [0, 1, 60, 1440];

/// Length in seconds of a forecast period of `period_interval` minutes (0: five seconds).
pub fn forecast_period_seconds(period_interval: u32) -> i64 {
    match period_interval {
        0 => 5,
        minutes => i64::from(minutes) * 60,
    }
}

query_params! {
    /// `GET /series/{series_ticker}/events/{ticker}/forecast_percentile_history` parameters
    /// (all required). `percentiles` is a repeated key (`percentiles=2500&percentiles=5000`),
    /// as the SDK sends it.
    GetEventForecastPercentilesHistoryParams {
        /// 1 to 10 percentiles, each 0–9999 (hundredths of a percent).
        percentiles: Vec<u32> => repeated,
        /// Periods ending at or after (s).
        start_ts: Option<i64> => one,
        /// Periods ending at or before (s).
        end_ts: Option<i64> => one,
        /// Period length in minutes: 0 (five seconds), 1, 60 or 1440.
        period_interval: Option<u32> => one,
    }
}

impl GetEventForecastPercentilesHistoryParams {
    /// Most percentiles per request.
    pub const MAX_PERCENTILES: usize = 10;
    /// Largest percentile.
    pub const MAX_PERCENTILE: u32 = 9999;

    /// Checks the percentiles, both ends of the window, the period and the number of periods
    /// (at most [`MAX_CANDLES`](super::history_params::MAX_CANDLES), UNCERTAIN as for
    /// candles).
    pub fn validate(&self) -> Result<(), QueryError> {
        if !(1..=Self::MAX_PERCENTILES).contains(&self.percentiles.len()) {
            let reason = format!("give 1 to {} percentiles", Self::MAX_PERCENTILES);
            return Err(QueryError::constraint("percentiles", reason));
        }
        if let Some(p) = self.percentiles.iter().find(|p| **p > Self::MAX_PERCENTILE) {
            let reason = format!("{p} is not within 0 to {}", Self::MAX_PERCENTILE);
            return Err(QueryError::constraint("percentiles", reason));
        }
        let (Some(start), Some(end)) = (self.start_ts, self.end_ts) else {
            return Err(QueryError::constraint(
                "start_ts",
                "start_ts and end_ts are required",
            ));
        };
        let Some(period) = self
            .period_interval
            .filter(|p| FORECAST_PERIOD_INTERVALS.contains(p))
        else {
            return Err(QueryError::constraint(
                "period_interval",
                "must be 0, 1, 60 or 1440 (minutes; 0 is five seconds)",
            ));
        };
        check_span(start, end, forecast_period_seconds(period))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecast_queries_need_percentiles_a_window_and_a_period() {
        let ok = "percentiles=2500&percentiles=5000&start_ts=1&end_ts=3600&period_interval=0";
        let p = GetEventForecastPercentilesHistoryParams::parse_valid(ok).unwrap();
        assert_eq!(p.percentiles, [2500, 5000]);
        assert_eq!(p.to_query(), ok);
        for bad in [
            "start_ts=1&end_ts=2&period_interval=60",
            "percentiles=10000&start_ts=1&end_ts=2&period_interval=60",
            "percentiles=1&start_ts=1&end_ts=2&period_interval=5",
            "percentiles=1&end_ts=2&period_interval=60",
            "percentiles=1&start_ts=0&end_ts=86400&period_interval=0",
        ] {
            assert!(
                GetEventForecastPercentilesHistoryParams::parse_valid(bad).is_err(),
                "{bad}"
            );
        }
    }
}
