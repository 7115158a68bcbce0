//! Public market data messages: `ticker`, `trade`, `market_lifecycle_v2` and
//! `event_lifecycle` (kalshi-api.md §6.6; <https://docs.kalshi.com/websockets/market-ticker>,
//! `/public-trades`, `/market-and-event-lifecycle`).
//!
//! Owned types; the market (or event) is required, the rest is optional because Kalshi sends
//! only what changed (size-only ticker updates, lifecycle keys that "ONLY exist when ...").
//! Unknown extra fields are ignored. Times are Unix seconds unless named `_ms`.

use serde::{Deserialize, Serialize};

use crate::{
    ids::{EventTicker, SeriesTicker, Ticker},
    num::{Count, Price, PriceLevelStructure, PriceRanges},
    types::{BookSide, LifecycleEventType, MarketResult, OutcomeSide},
};

/// `ticker`: top of book, last price and volume of one market.
/// `{"type":"ticker","sid":11,"msg":{"market_ticker":"FED-23DEC-T3.00","price_dollars":"0.4800",
/// "yes_bid_dollars":"0.4500","yes_ask_dollars":"0.5300",...,"ts":1669149841}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickerUpdate {
    /// The market.
    pub market_ticker: Ticker,
    /// The market's UUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_id: Option<String>,
    /// Last traded YES price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_dollars: Option<Price>,
    /// Best YES bid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes_bid_dollars: Option<Price>,
    /// Best YES ask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes_ask_dollars: Option<Price>,
    /// Size at the best YES bid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes_bid_size_fp: Option<Count>,
    /// Size at the best YES ask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes_ask_size_fp: Option<Count>,
    /// Size of the last trade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_trade_size_fp: Option<Count>,
    /// Contracts traded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_fp: Option<Count>,
    /// Open interest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_interest_fp: Option<Count>,
    /// Dollar volume, integer whole dollars (legacy unit; **UNCERTAIN** whether it moved to a
    /// string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dollar_volume: Option<i64>,
    /// Dollar open interest, integer whole dollars (as `dollar_volume`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dollar_open_interest: Option<i64>,
    /// Time, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts: Option<i64>,
    /// Time, Unix milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts_ms: Option<i64>,
    /// Time, RFC 3339, kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

/// `trade`: a public trade.
/// `{"type":"trade","sid":11,"msg":{"trade_id":"d91bc706-...","market_ticker":"HIGHNY-22DEC23-B53.5",
/// "yes_price_dollars":"0.3600","no_price_dollars":"0.6400","count_fp":"136.00","taker_side":"no","ts":1669149841}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trade {
    /// The trade (a UUID).
    pub trade_id: String,
    /// The market.
    pub market_ticker: Ticker,
    /// YES price.
    pub yes_price_dollars: Price,
    /// NO price (`1 − yes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_price_dollars: Option<Price>,
    /// Contracts traded.
    pub count_fp: Count,
    /// Legacy taker side (`yes`/`no`), kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taker_side: Option<String>,
    /// The outcome the taker bought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taker_outcome_side: Option<OutcomeSide>,
    /// The YES-book side of the taker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taker_book_side: Option<BookSide>,
    /// Time, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts: Option<i64>,
    /// Time, Unix milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts_ms: Option<i64>,
}

/// `market_lifecycle_v2`: a market was created, paused, reopened, determined, settled or
/// changed. Most keys exist only for some event types.
/// `{"type":"market_lifecycle_v2","sid":13,"seq":3,"msg":{"market_ticker":"INXD-23SEP14-B4487",
/// "event_type":"determined","result":"yes","determination_ts":1694721700,"settlement_value":"1.0000"}}`
///
/// Strikes are JSON numbers (temperatures, index levels — not money) and metadata is free
/// form, so this type holds [`serde_json`] values and is `PartialEq` only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarketLifecycle {
    /// What happened.
    pub event_type: LifecycleEventType,
    /// The market.
    pub market_ticker: Ticker,
    /// The exchange shard (on `created`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<u32>,
    /// Opening time (on `created`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_ts: Option<i64>,
    /// Scheduled close (on `created` and `close_date_updated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_ts: Option<i64>,
    /// The result (on `determined`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<MarketResult>,
    /// Determination time (on `determined`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub determination_ts: Option<i64>,
    /// YES settlement value in dollars, `"0.5000"` (on `determined`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement_value: Option<Price>,
    /// Settlement time (on `settled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_ts: Option<i64>,
    /// Trading paused on an open market (on `activated`/`deactivated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_deactivated: Option<bool>,
    /// Fractional trading switched (on `fractional_trading_updated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fractional_trading_enabled: Option<bool>,
    /// The price grid (on `created` and `price_level_structure_updated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_level_structure: Option<PriceLevelStructure>,
    /// The valid price bands, sent alongside `price_level_structure`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_ranges: Option<PriceRanges>,
    /// Titles, rules, strikes (on `created`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_metadata: Option<serde_json::Value>,
    /// How strikes are read: `between`, `greater`, `less`, ... (on `metadata_updated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strike_type: Option<String>,
    /// Lower strike (on `metadata_updated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor_strike: Option<serde_json::Number>,
    /// Upper strike (on `metadata_updated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_strike: Option<serde_json::Number>,
    /// Structured strike (on `metadata_updated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_strike: Option<serde_json::Value>,
    /// New YES subtitle (on `metadata_updated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes_sub_title: Option<String>,
}

/// `event_lifecycle`: an event was created (on the `market_lifecycle_v2` channel).
/// `{"type":"event_lifecycle","sid":5,"msg":{"event_ticker":"KXHIGHNY-26FEB11","title":"...",
/// "subtitle":"...","collateral_return_type":"MECNET","series_ticker":"KXHIGHNY"}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventLifecycle {
    /// The event.
    pub event_ticker: EventTicker,
    /// Its title.
    pub title: String,
    /// Its subtitle.
    pub subtitle: String,
    /// `MECNET`, `DIRECNET` or `""`.
    pub collateral_return_type: String,
    /// The series.
    pub series_ticker: SeriesTicker,
    /// The exchange shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<u32>,
    /// Strike date, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strike_date: Option<i64>,
    /// Strike period, when the event has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strike_period: Option<String>,
}
