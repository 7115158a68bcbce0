//! Event and series REST responses: `GET /events`, `GET /events/{event_ticker}`,
//! `GET /series`, `GET /series/{series_ticker}`. An event groups mutually exclusive markets
//! (one city's high temperature on one day); a series groups events and carries the fee model.
//!
//! Source: kalshi-api.md §3.2 (TS `EventData.md`, `GetEventResponse.md`, `Series.md`,
//! `FeeType.md`; OAS).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{de::null_default, markets::Market, number::JsonDecimal};
use crate::{Count, EventTicker, SeriesTicker, types::wire_enum};

wire_enum!(
    /// A series' fee model (TS `FeeType.md`); formulas in Kalshi's fee schedule.
    open FeeType {
        /// Taker fee ∝ `P × (1 − P)`, no maker fee.
        Quadratic => "quadratic",
        /// Quadratic taker and maker fees.
        QuadraticWithMakerFees => "quadratic_with_maker_fees",
        /// Quadratic with maker fees on combos.
        QuadraticWithComboMakerFees => "quadratic_with_combo_maker_fees",
        /// A flat fee.
        Flat => "flat",
    }
);

/// A settlement source named by an event or series: `{"name":"NWS","url":"https://..."}`.
/// Both fields may be `null` (read as empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementSource {
    /// Source name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Source URL.
    #[serde(default, deserialize_with = "null_default")]
    pub url: String,
}

/// One event (TS `EventData`).
///
/// ```json
/// {"event_ticker":"KXHIGHNY-26FEB11","series_ticker":"KXHIGHNY",
///  "title":"Highest temperature in NYC on Feb 11, 2026?",
///  "sub_title":"On Feb 11, 2026","collateral_return_type":"MECNET","mutually_exclusive":true,
///  "strike_date":"2026-02-12T04:59:00Z","markets":[...]}
/// ```
///
/// Source: TS `docs/EventData.md`; OAS `EventData`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventData {
    /// Event ticker.
    pub event_ticker: EventTicker,
    /// Parent series.
    pub series_ticker: SeriesTicker,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Subtitle.
    #[serde(default)]
    pub sub_title: String,
    /// How collateral is returned across the event's markets (`MECNET`, ...).
    #[serde(default)]
    pub collateral_return_type: String,
    /// At most one market of the event resolves YES.
    #[serde(default)]
    pub mutually_exclusive: bool,
    /// Deprecated category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The date the event resolves on, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strike_date: Option<DateTime<Utc>>,
    /// The period the event resolves on, if not a date (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strike_period: Option<String>,
    /// The event's markets (with `with_nested_markets=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markets: Option<Vec<Market>>,
    /// Settlement sources.
    #[serde(default, deserialize_with = "null_default")]
    pub settlement_sources: Vec<SettlementSource>,
    /// Overrides the series fee model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_type_override: Option<FeeType>,
    /// Overrides the series fee multiplier (a JSON number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_multiplier_override: Option<JsonDecimal>,
    /// The shard holding the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<i32>,
}

/// `GET /events` → one page of events (multivariate events never appear).
///
/// ```json
/// {"events":[{"event_ticker":"KXHIGHNY-26FEB11",...}],"cursor":""}
/// ```
///
/// Source: OAS `GetEventsResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetEventsResponse {
    /// The page.
    #[serde(default, deserialize_with = "null_default")]
    pub events: Vec<EventData>,
    /// Milestones (with `with_milestones=true`), kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestones: Option<Vec<serde_json::Value>>,
    /// Next page's cursor; empty on the last page.
    #[serde(default, deserialize_with = "null_default")]
    pub cursor: String,
}

/// `GET /events/{event_ticker}`. The top-level `markets` is deprecated in favour of
/// `event.markets`; [`GetEventResponse::all_markets`] reads whichever is present.
///
/// ```json
/// {"event":{"event_ticker":"KXHIGHNY-26FEB11",...},"markets":[...]}
/// ```
///
/// Source: TS `docs/GetEventResponse.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetEventResponse {
    /// The event.
    pub event: EventData,
    /// Deprecated: the event's markets.
    #[serde(default, deserialize_with = "null_default")]
    pub markets: Vec<Market>,
}

impl GetEventResponse {
    /// The event's markets: nested ones if present, else the deprecated top-level list.
    pub fn all_markets(&self) -> &[Market] {
        match &self.event.markets {
            Some(m) if !m.is_empty() => m,
            _ => &self.markets,
        }
    }
}

/// One series (TS `Series`).
///
/// ```json
/// {"ticker":"KXHIGHNY","frequency":"daily","title":"Highest temperature in NYC",
///  "category":"Climate and Weather","categories":["Climate and Weather"],
///  "tags":["Weather"],"settlement_sources":[{"name":"National Weather Service",
///  "url":"https://www.weather.gov/"}],
///  "fee_type":"quadratic","fee_multiplier":1}
/// ```
///
/// Source: TS `docs/Series.md`; OAS `Series`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    /// Series ticker.
    pub ticker: SeriesTicker,
    /// How often events recur (`daily`, ...).
    #[serde(default)]
    pub frequency: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Category.
    #[serde(default)]
    pub category: String,
    /// Every category the series is listed under (required since 3.34; absent reads as
    /// none).
    #[serde(default, deserialize_with = "null_default")]
    pub categories: Vec<String>,
    /// Tags.
    #[serde(default, deserialize_with = "null_default")]
    pub tags: Vec<String>,
    /// Settlement sources.
    #[serde(default, deserialize_with = "null_default")]
    pub settlement_sources: Vec<SettlementSource>,
    /// Contract document URL.
    #[serde(default)]
    pub contract_url: String,
    /// Contract terms URL.
    #[serde(default)]
    pub contract_terms_url: String,
    /// Fee model.
    pub fee_type: FeeType,
    /// Fee multiplier (a JSON number such as `1` or `0.5`).
    pub fee_multiplier: JsonDecimal,
    /// Who may not trade it.
    #[serde(default, deserialize_with = "null_default")]
    pub additional_prohibitions: Vec<String>,
    /// Product metadata (with `include_product_metadata=true`), kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_metadata: Option<serde_json::Value>,
    /// Contracts traded in the series (with `include_volume=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_fp: Option<Count>,
}

/// `GET /series/{series_ticker}`.
///
/// ```json
/// {"series":{"ticker":"KXHIGHNY","fee_type":"quadratic","fee_multiplier":1,...}}
/// ```
///
/// Source: OAS `GetSeriesResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetSeriesResponse {
    /// The series.
    pub series: Series,
}

/// `GET /series` (not paginated in the doc).
///
/// ```json
/// {"series":[{"ticker":"KXHIGHNY",...},{"ticker":"KXHIGHMIA",...}]}
/// ```
///
/// Source: OAS `GetSeriesListResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetSeriesListResponse {
    /// The series.
    #[serde(default, deserialize_with = "null_default")]
    pub series: Vec<Series>,
}
