//! `GET /series/{series_ticker}/events/{ticker}/forecast_percentile_history` (signed): how
//! the forecast of an event's outcome moved, as values at chosen percentiles (0–9999, in
//! hundredths of a percent: 5000 is the median), one point per period.
//!
//! Source: `kalshi/tests/fixtures/kalshi-openapi.json`
//! (`GetEventForecastPercentilesHistoryResponse`, `ForecastPercentilesPoint`,
//! `PercentilePoint`; the SDK's `get_event_forecast_percentiles_history`).

use serde::{Deserialize, Serialize};

use super::{de::null_default, number::JsonDecimal};
use crate::EventTicker;

/// The forecast at one percentile. The numbers are JSON numbers (not money).
///
/// ```json
/// {"percentile":5000,"raw_numerical_forecast":51.37,"numerical_forecast":51,
///  "formatted_forecast":"51°"}
/// ```
///
/// Source: OAS `PercentilePoint`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PercentilePoint {
    /// The percentile, 0–9999.
    pub percentile: u32,
    /// The forecast value as computed.
    pub raw_numerical_forecast: JsonDecimal,
    /// The value as published (processed).
    pub numerical_forecast: JsonDecimal,
    /// The value for people.
    #[serde(default)]
    pub formatted_forecast: String,
}

/// The forecast at the end of one period.
///
/// ```json
/// {"event_ticker":"KXHIGHNY-26DEC01","end_period_ts":1796083200,"period_interval":60,
///  "percentile_points":[{"percentile":5000,...}]}
/// ```
///
/// Source: OAS `ForecastPercentilesPoint`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastPercentilesPoint {
    /// The event.
    pub event_ticker: EventTicker,
    /// Inclusive end of the period, Unix seconds.
    pub end_period_ts: i64,
    /// Period length in minutes (0: five seconds).
    pub period_interval: u32,
    /// One value per requested percentile.
    #[serde(default, deserialize_with = "null_default")]
    pub percentile_points: Vec<PercentilePoint>,
}

/// `GET /series/{series_ticker}/events/{ticker}/forecast_percentile_history`.
///
/// ```json
/// {"forecast_history":[{"event_ticker":"KXHIGHNY-26DEC01",...}]}
/// ```
///
/// Source: OAS `GetEventForecastPercentilesHistoryResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetEventForecastPercentilesHistoryResponse {
    /// The points, oldest first.
    #[serde(default, deserialize_with = "null_default")]
    pub forecast_history: Vec<ForecastPercentilesPoint>,
}
