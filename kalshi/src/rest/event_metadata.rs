//! `GET /events/{event_ticker}/metadata` (public): an event's images, the colour each of its
//! markets is drawn in, its settlement sources and, for sports, its competition.
//!
//! Source: `kalshi/tests/fixtures/kalshi-openapi.json` (`GetEventMetadataResponse`,
//! `MarketMetadata`; the SDK's `get_event_metadata`).

use serde::{Deserialize, Serialize};

use super::{de::null_default, events::SettlementSource};
use crate::Ticker;

/// How one market of the event is shown.
///
/// ```json
/// {"market_ticker":"KXHIGHNY-26DEC01-B50.5","image_url":"","color_code":"#1F77B4"}
/// ```
///
/// Source: OAS `MarketMetadata`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketMetadata {
    /// The market.
    pub market_ticker: Ticker,
    /// A path to its image.
    #[serde(default)]
    pub image_url: String,
    /// Its colour.
    #[serde(default)]
    pub color_code: String,
}

/// `GET /events/{event_ticker}/metadata`.
///
/// ```json
/// {"image_url":"","market_details":[{"market_ticker":"KXHIGHNY-26DEC01-B50.5",
///  "image_url":"","color_code":"#1F77B4"}],
///  "settlement_sources":[{"name":"National Weather Service","url":"https://www.weather.gov/"}]}
/// ```
///
/// Source: OAS `GetEventMetadataResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetEventMetadataResponse {
    /// A path to the event's image.
    #[serde(default)]
    pub image_url: String,
    /// A path to the featured market's image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub featured_image_url: Option<String>,
    /// One entry per market of the event.
    #[serde(default, deserialize_with = "null_default")]
    pub market_details: Vec<MarketMetadata>,
    /// Where the result comes from.
    #[serde(default, deserialize_with = "null_default")]
    pub settlement_sources: Vec<SettlementSource>,
    /// The competition (sports events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competition: Option<String>,
    /// The competition's scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competition_scope: Option<String>,
}
