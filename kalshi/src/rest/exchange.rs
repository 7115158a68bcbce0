//! Exchange-wide REST responses: trading status (`GET /exchange/status`), weekly trading
//! hours and maintenance windows (`GET /exchange/schedule`, read by the blackout clock), and
//! the portfolio-data watermark (`GET /exchange/user_data_timestamp`).
//!
//! Source: kalshi-api.md §3.1 (OAS `ExchangeStatus`, `GetExchangeScheduleResponse`).

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::de::null_default;

/// `GET /exchange/status` (no auth). The same body comes back with 500/503/504 while the
/// exchange is down.
///
/// ```json
/// {"exchange_active":true,"trading_active":false,
///  "exchange_estimated_resume_time":"2026-02-12T10:00:00Z"}
/// ```
///
/// Source: OAS `ExchangeStatus`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeStatus {
    /// False while the whole exchange is down (maintenance).
    pub exchange_active: bool,
    /// False while trading is paused; orders are refused.
    pub trading_active: bool,
    /// Whether transfers between shards are possible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intra_exchange_transfers_active: Option<bool>,
    /// When Kalshi expects to resume, if it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_estimated_resume_time: Option<DateTime<Utc>>,
    /// Per-shard statuses.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub exchange_index_statuses: Vec<ExchangeIndexStatus>,
}

/// The status of one exchange shard, inside [`ExchangeStatus`].
///
/// ```json
/// {"exchange_index":1,"description":"combos","exchange_active":true,"trading_active":true,
///  "intra_exchange_transfers_active":true}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeIndexStatus {
    /// The shard number.
    pub exchange_index: i32,
    /// What the shard holds.
    #[serde(default)]
    pub description: String,
    /// The shard is up.
    pub exchange_active: bool,
    /// The shard is trading.
    pub trading_active: bool,
    /// Transfers in and out are possible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intra_exchange_transfers_active: Option<bool>,
}

/// `GET /exchange/schedule` (no auth).
///
/// ```json
/// {"schedule":{"standard_hours":[{"start_time":"2026-01-01T00:00:00Z",
///  "end_time":"2027-01-01T00:00:00Z",
///   "monday":[{"open_time":"00:00","close_time":"23:59"}],"tuesday":[],...}],
///  "maintenance_windows":[{"start_datetime":"2026-02-12T08:00:00Z",
///  "end_datetime":"2026-02-12T10:00:00Z"}]}}
/// ```
///
/// Source: OAS `GetExchangeScheduleResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetExchangeScheduleResponse {
    /// The schedule.
    pub schedule: Schedule,
}

/// Trading hours and maintenance windows, inside [`GetExchangeScheduleResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// Weekly hours, each set valid between its `start_time` and `end_time`.
    #[serde(default, deserialize_with = "null_default")]
    pub standard_hours: Vec<StandardHours>,
    /// Announced maintenance windows (the weekly Thursday 03:00–05:00 ET one among them).
    #[serde(default, deserialize_with = "null_default")]
    pub maintenance_windows: Vec<MaintenanceWindow>,
}

/// A week of trading hours valid from `start_time` to `end_time`. Each day lists its open
/// sessions as `"HH:MM"` Eastern Time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandardHours {
    /// First instant these hours apply.
    pub start_time: DateTime<Utc>,
    /// Last instant these hours apply.
    pub end_time: DateTime<Utc>,
    /// Monday sessions.
    #[serde(default, deserialize_with = "null_default")]
    pub monday: Vec<DailySession>,
    /// Tuesday sessions.
    #[serde(default, deserialize_with = "null_default")]
    pub tuesday: Vec<DailySession>,
    /// Wednesday sessions.
    #[serde(default, deserialize_with = "null_default")]
    pub wednesday: Vec<DailySession>,
    /// Thursday sessions.
    #[serde(default, deserialize_with = "null_default")]
    pub thursday: Vec<DailySession>,
    /// Friday sessions.
    #[serde(default, deserialize_with = "null_default")]
    pub friday: Vec<DailySession>,
    /// Saturday sessions.
    #[serde(default, deserialize_with = "null_default")]
    pub saturday: Vec<DailySession>,
    /// Sunday sessions.
    #[serde(default, deserialize_with = "null_default")]
    pub sunday: Vec<DailySession>,
}

/// One open session of a day, `{"open_time":"08:00","close_time":"17:00"}`, in Eastern Time
/// (America/New_York, so the UTC offset changes with daylight saving).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailySession {
    /// Opening time of day (ET).
    #[serde(with = "hh_mm")]
    pub open_time: NaiveTime,
    /// Closing time of day (ET).
    #[serde(with = "hh_mm")]
    pub close_time: NaiveTime,
}

/// A maintenance window: the exchange is down from `start_datetime` to `end_datetime`.
///
/// ```json
/// {"start_datetime":"2026-02-12T08:00:00Z","end_datetime":"2026-02-12T10:00:00Z"}
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceWindow {
    /// Start of the window.
    pub start_datetime: DateTime<Utc>,
    /// End of the window.
    pub end_datetime: DateTime<Utc>,
}

/// `GET /exchange/user_data_timestamp`: REST portfolio data reflects the engine up to this
/// instant; later changes are only on the WebSocket.
///
/// ```json
/// {"as_of_time":"2026-02-11T15:00:01.250Z"}
/// ```
///
/// Source: OAS `GetUserDataTimestampResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetUserDataTimestampResponse {
    /// The watermark.
    pub as_of_time: DateTime<Utc>,
}

/// Serde for `"HH:MM"` times of day (seconds accepted on input, never written).
mod hh_mm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&t.format("%H:%M"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        NaiveTime::parse_from_str(&s, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(&s, "%H:%M:%S"))
            .map_err(|e| serde::de::Error::custom(format!("invalid time of day {s:?}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_read_and_write_hh_mm() {
        let s: DailySession =
            serde_json::from_str(r#"{"open_time":"08:00","close_time":"23:59:00"}"#).unwrap();
        assert_eq!(s.close_time, NaiveTime::from_hms_opt(23, 59, 0).unwrap());
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"open_time":"08:00","close_time":"23:59"}"#
        );
        assert!(
            serde_json::from_str::<DailySession>(r#"{"open_time":"8am","close_time":"17:00"}"#)
                .is_err()
        );
    }
}
