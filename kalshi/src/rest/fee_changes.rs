//! Scheduled fee changes: `GET /series/fee_changes` (a series' new fee model and multiplier)
//! and `GET /events/fee_changes` (an event's override of its series' model; `null` overrides
//! clear it), both public. A change takes effect at `scheduled_ts`.
//!
//! Source: `kalshi/tests/fixtures/kalshi-openapi.json` (`SeriesFeeChange`,
//! `GetSeriesFeeChangesResponse`, `EventFeeChange`, `GetEventFeeChangesResponse`; the SDK's
//! `get_series_fee_changes` and `get_event_fee_changes`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{de::null_default, events::FeeType, number::JsonDecimal};
use crate::{EventTicker, SeriesTicker};

/// One scheduled change of a series' fees.
///
/// ```json
/// {"id":"fc-1","series_ticker":"KXHIGHNY","fee_type":"quadratic","fee_multiplier":0.5,
///  "scheduled_ts":"2026-12-01T00:00:00Z"}
/// ```
///
/// Source: OAS `SeriesFeeChange`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesFeeChange {
    /// The change's id.
    pub id: String,
    /// The series it applies to.
    pub series_ticker: SeriesTicker,
    /// The new fee model.
    pub fee_type: FeeType,
    /// The new multiplier (a JSON number).
    pub fee_multiplier: JsonDecimal,
    /// When it takes effect.
    pub scheduled_ts: DateTime<Utc>,
}

/// `GET /series/fee_changes` (not paginated).
///
/// ```json
/// {"series_fee_change_arr":[]}
/// ```
///
/// Source: OAS `GetSeriesFeeChangesResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetSeriesFeeChangesResponse {
    /// The changes.
    #[serde(default, deserialize_with = "null_default")]
    pub series_fee_change_arr: Vec<SeriesFeeChange>,
}

/// One scheduled change of an event's fee override; both overrides `null` clears it (the
/// event falls back to its series' fees).
///
/// ```json
/// {"id":"efc-1","event_ticker":"KXHIGHNY-26DEC01","series_ticker":"KXHIGHNY",
///  "fee_type_override":null,"fee_multiplier_override":null,
///  "scheduled_ts":"2026-12-01T00:00:00Z"}
/// ```
///
/// Source: OAS `EventFeeChange`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFeeChange {
    /// The change's id.
    pub id: String,
    /// The event it applies to.
    pub event_ticker: EventTicker,
    /// The event's series.
    pub series_ticker: SeriesTicker,
    /// The new fee model override; `null` clears it.
    #[serde(default)]
    pub fee_type_override: Option<FeeType>,
    /// The new multiplier override; `null` clears it.
    #[serde(default)]
    pub fee_multiplier_override: Option<JsonDecimal>,
    /// When it takes effect.
    pub scheduled_ts: DateTime<Utc>,
}

/// `GET /events/fee_changes` → one page.
///
/// ```json
/// {"event_fee_changes":[],"cursor":""}
/// ```
///
/// Source: OAS `GetEventFeeChangesResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetEventFeeChangesResponse {
    /// The page.
    #[serde(default, deserialize_with = "null_default")]
    pub event_fee_changes: Vec<EventFeeChange>,
    /// Next page's cursor; empty on the last page.
    #[serde(default, deserialize_with = "null_default")]
    pub cursor: String,
}
