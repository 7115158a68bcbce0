//! Market REST responses: [`Market`] (`GET /markets`, `GET /markets/{ticker}`, nested in
//! events) with its strike fields, which the weather strategy reads to know which temperature
//! range a market pays on.
//!
//! Source: kalshi-api.md §3.2 (OAS `Market`, `GetMarketsResponse`; TS `Market.md`).
//! Fields the spec marks required are required here where the engine depends on them
//! (identity, status, times, quotes); descriptive text and statistics default when absent so
//! one trimmed field cannot make a whole page of markets undecodable.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{de::null_default, number::JsonDecimal};
use crate::{
    Count, EventTicker, Money, Price, Ticker,
    num::ticks::{PriceLevelStructure, PriceRanges},
    types::{MarketResult, MarketStatus, MarketType, wire_enum},
};

wire_enum!(
    /// How a market's strike fields define the YES outcome (OAS `Market.strike_type`).
    open StrikeType {
        /// YES if the value is above `floor_strike`.
        Greater => "greater",
        /// YES if the value is at or above `floor_strike`.
        GreaterOrEqual => "greater_or_equal",
        /// YES if the value is below `cap_strike`.
        Less => "less",
        /// YES if the value is at or below `cap_strike`.
        LessOrEqual => "less_or_equal",
        /// YES if the value lies between `floor_strike` and `cap_strike` (both inclusive on
        /// Kalshi's temperature brackets, e.g. "94° to 95°").
        Between => "between",
        /// Defined by `functional_strike`.
        Functional => "functional",
        /// Defined by `custom_strike`.
        Custom => "custom",
        /// Structured target.
        Structured => "structured",
    }
);

wire_enum!(
    /// `settlement_bounds_type`: whether settlement has a floor (`settlement_floor_dollars`).
    open SettlementBoundsType {
        /// Plain settlement.
        Default => "default",
        /// Settlement floored at `settlement_floor_dollars`.
        Floor => "floor",
    }
);

impl Default for SettlementBoundsType {
    /// `default`, what a market without the field means.
    fn default() -> Self {
        SettlementBoundsType::Default
    }
}

/// One market. Prices are YES-leg dollar strings, sizes and volumes fixed-point counts,
/// times RFC 3339.
///
/// ```json
/// {"ticker":"KXHIGHNY-26FEB11-B94.5","event_ticker":"KXHIGHNY-26FEB11","market_type":"binary",
///  "status":"active","yes_bid_dollars":"0.5600","yes_ask_dollars":"0.5800","volume_fp":"1234.00",
///  "close_time":"2026-02-12T04:59:00Z","strike_type":"between","floor_strike":94,
///  "cap_strike":95,...}
/// ```
///
/// Strikes (`floor_strike`, `cap_strike`) are JSON numbers (temperatures, index levels), kept
/// exactly as [`JsonDecimal`], never as money. Source: OAS `Market`,
/// <https://docs.kalshi.com/openapi.yaml>; TS `docs/Market.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Market {
    /// Market ticker.
    pub ticker: Ticker,
    /// Parent event.
    pub event_ticker: EventTicker,
    /// `binary` or `scalar`.
    pub market_type: MarketType,
    /// Short YES label ("94° to 95°").
    #[serde(default)]
    pub yes_sub_title: String,
    /// Short NO label.
    #[serde(default)]
    pub no_sub_title: String,
    /// Creation time.
    pub created_time: DateTime<Utc>,
    /// Last metadata update.
    pub updated_time: DateTime<Utc>,
    /// Trading opens (`initialized` → `active`, no WS event).
    pub open_time: DateTime<Utc>,
    /// Trading closes; may move earlier when `can_close_early`.
    pub close_time: DateTime<Utc>,
    /// Latest possible expiration.
    pub latest_expiration_time: DateTime<Utc>,
    /// Seconds between determination and settlement.
    pub settlement_timer_seconds: i64,
    /// Lifecycle status.
    pub status: MarketStatus,
    /// Payout of one contract (`"1.0000"` for binaries).
    pub notional_value_dollars: Money,
    /// Best YES bid (`"0.0000"` when none).
    pub yes_bid_dollars: Price,
    /// Best YES ask (`"1.0000"` when none).
    pub yes_ask_dollars: Price,
    /// Best NO bid.
    pub no_bid_dollars: Price,
    /// Best NO ask.
    pub no_ask_dollars: Price,
    /// Size at the best YES bid.
    pub yes_bid_size_fp: Count,
    /// Size at the best YES ask.
    pub yes_ask_size_fp: Count,
    /// Last traded YES price.
    pub last_price_dollars: Price,
    /// Best YES bid a day ago.
    #[serde(default)]
    pub previous_yes_bid_dollars: Price,
    /// Best YES ask a day ago.
    #[serde(default)]
    pub previous_yes_ask_dollars: Price,
    /// Last price a day ago.
    #[serde(default)]
    pub previous_price_dollars: Price,
    /// Contracts traded, all time.
    pub volume_fp: Count,
    /// Contracts traded in 24 h.
    #[serde(default)]
    pub volume_24h_fp: Count,
    /// Open contracts.
    pub open_interest_fp: Count,
    /// `yes`, `no`, `scalar`, or `""` before determination.
    pub result: MarketResult,
    /// Whether `close_time` may move earlier.
    #[serde(default)]
    pub can_close_early: bool,
    /// The observed value once known (text).
    #[serde(default)]
    pub expiration_value: String,
    /// Settlement rules.
    #[serde(default)]
    pub rules_primary: String,
    /// More settlement rules.
    #[serde(default)]
    pub rules_secondary: String,
    /// Named price grid.
    pub price_level_structure: PriceLevelStructure,
    /// The price grid itself; authoritative over the name.
    #[serde(default, deserialize_with = "null_default")]
    pub price_ranges: PriceRanges,
    /// `default` or `floor`. Required (3.31 on); absent is read as `default`.
    #[serde(default)]
    pub settlement_bounds_type: SettlementBoundsType,
    /// YES settlement value (scalar markets; `"1.0000"`/`"0.0000"` for binaries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement_value_dollars: Option<Price>,
    /// When the market settled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement_ts: Option<DateTime<Utc>>,
    /// Settlement floor, with `settlement_bounds_type: floor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement_floor_dollars: Option<Price>,
    /// Expected expiration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_expiration_time: Option<DateTime<Utc>>,
    /// When the underlying event occurs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrence_datetime: Option<DateTime<Utc>>,
    /// Fees are waived until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_waiver_expiration_time: Option<DateTime<Utc>>,
    /// When an early close happens (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub early_close_condition: Option<String>,
    /// How the strikes define YES.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strike_type: Option<StrikeType>,
    /// Lower strike (e.g. °F), a JSON number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor_strike: Option<JsonDecimal>,
    /// Upper strike, a JSON number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_strike: Option<JsonDecimal>,
    /// Strike formula (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub functional_strike: Option<String>,
    /// Custom strike object, kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_strike: Option<serde_json::Value>,
    /// Multivariate collection (combos only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mve_collection_ticker: Option<String>,
    /// Multivariate legs, kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mve_selected_legs: Option<Vec<serde_json::Value>>,
    /// The result is provisional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_provisional: Option<bool>,
    /// The shard holding the market.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<i32>,
    /// Deprecated title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Deprecated subtitle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Deprecated expiration time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<DateTime<Utc>>,
}

impl Market {
    /// The grid order prices must lie on: `price_ranges`, or the structure's documented grid
    /// when the ranges are missing.
    pub fn price_grid(&self) -> PriceRanges {
        if self.price_ranges.0.is_empty() {
            self.price_level_structure
                .default_ranges()
                .unwrap_or_default()
        } else {
            self.price_ranges.clone()
        }
    }

    /// True when the market accepts orders (`active`).
    pub fn is_tradable(&self) -> bool {
        self.status == MarketStatus::Active
    }
}

/// `GET /markets` → one page of markets.
///
/// ```json
/// {"markets":[{"ticker":"KXHIGHNY-26FEB11-B94.5",...}],"cursor":"CgwI..."}
/// ```
///
/// Source: OAS `GetMarketsResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetMarketsResponse {
    /// The page.
    #[serde(default, deserialize_with = "null_default")]
    pub markets: Vec<Market>,
    /// Next page's cursor; empty on the last page.
    #[serde(default, deserialize_with = "null_default")]
    pub cursor: String,
}

/// `GET /markets/{ticker}` (404 for an unknown ticker, briefly also right after `created`).
///
/// ```json
/// {"market":{"ticker":"KXHIGHNY-26FEB11-B94.5",...}}
/// ```
///
/// Source: OAS `GetMarketResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetMarketResponse {
    /// The market.
    pub market: Market,
}
