//! The historical split: `GET /historical/cutoff` says up to when each kind of data has moved
//! from the live endpoints to `/historical/*` — markets settled before `market_settled_ts`
//! (with their candlesticks), fills before `trades_created_ts`, orders canceled or executed
//! before `orders_updated_ts` are only there (kalshi-api.md §3.2, §8.12) — and the one
//! historical answer with a shape of its own, the archived candlesticks of
//! `GET /historical/markets/{ticker}/candlesticks` (the other historical endpoints answer
//! the live endpoints' types: [`GetMarketsResponse`](super::GetMarketsResponse),
//! [`GetMarketResponse`](super::GetMarketResponse), [`GetTradesResponse`](super::GetTradesResponse),
//! [`GetFillsResponse`](super::GetFillsResponse), [`GetOrdersResponse`](super::GetOrdersResponse),
//! [`GetPositionsResponse`](super::GetPositionsResponse)).
//!
//! Source: `kalshi/tests/fixtures/kalshi-openapi.json` (`GetHistoricalCutoffResponse`,
//! `GetMarketCandlesticksHistoricalResponse`, `MarketCandlestickHistorical`,
//! `PriceDistributionHistorical`, `BidAskDistributionHistorical`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de::null_default;
use crate::{Count, Price, Ticker};

/// `GET /historical/cutoff`.
///
/// ```json
/// {"market_settled_ts":"2025-11-01T00:00:00Z","trades_created_ts":"2025-11-01T00:00:00Z",
///  "orders_updated_ts":"2025-11-01T00:00:00Z","market_positions_last_updated_ts":null}
/// ```
///
/// Source: OAS `GetHistoricalCutoffResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetHistoricalCutoffResponse {
    /// Markets settled before this are only under `/historical/markets`.
    pub market_settled_ts: DateTime<Utc>,
    /// Trades (and fills) before this are only under `/historical/trades` and `…/fills`.
    pub trades_created_ts: DateTime<Utc>,
    /// Orders last updated before this are only under `/historical/orders`.
    pub orders_updated_ts: DateTime<Utc>,
    /// Positions last updated before this are only under `/historical/positions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_positions_last_updated_ts: Option<DateTime<Utc>>,
}

/// Open, high, low and close of the archived YES bid or ask (dollar strings without the
/// `_dollars` suffix of the live candles).
///
/// ```json
/// {"open":"0.5500","high":"0.5700","low":"0.5400","close":"0.5600"}
/// ```
///
/// Source: OAS `BidAskDistributionHistorical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BidAskDistributionHistorical {
    /// At the start of the period.
    pub open: Price,
    /// Highest in the period.
    pub high: Price,
    /// Lowest in the period.
    pub low: Price,
    /// At the end of the period.
    pub close: Price,
}

/// The archived traded YES price; every field is `null` when nothing traded, `previous`
/// too when no earlier trade exists. Every field is always sent.
///
/// ```json
/// {"open":null,"low":null,"high":null,"close":null,"mean":null,"previous":"0.5400"}
/// ```
///
/// Source: OAS `PriceDistributionHistorical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PriceDistributionHistorical {
    /// First trade price.
    #[serde(default)]
    pub open: Option<Price>,
    /// Lowest trade price.
    #[serde(default)]
    pub low: Option<Price>,
    /// Highest trade price.
    #[serde(default)]
    pub high: Option<Price>,
    /// Last trade price.
    #[serde(default)]
    pub close: Option<Price>,
    /// Volume-weighted mean trade price.
    #[serde(default)]
    pub mean: Option<Price>,
    /// The last trade price before the period.
    #[serde(default)]
    pub previous: Option<Price>,
}

/// One archived period of one market.
///
/// ```json
/// {"end_period_ts":1770822060,"yes_bid":{...},"yes_ask":{...},"price":{...},
///  "volume":"25.00","open_interest":"1200.00"}
/// ```
///
/// Source: OAS `MarketCandlestickHistorical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketCandlestickHistorical {
    /// Inclusive end of the period, Unix seconds.
    pub end_period_ts: i64,
    /// The best YES bid.
    pub yes_bid: BidAskDistributionHistorical,
    /// The best YES ask.
    pub yes_ask: BidAskDistributionHistorical,
    /// The traded YES price.
    #[serde(default)]
    pub price: PriceDistributionHistorical,
    /// Contracts traded in the period.
    pub volume: Count,
    /// Contracts open at the end of the period.
    pub open_interest: Count,
}

/// `GET /historical/markets/{ticker}/candlesticks`.
///
/// ```json
/// {"ticker":"KXHIGHNY-26FEB11-B94.5","candlesticks":[{"end_period_ts":1770822060,...}]}
/// ```
///
/// Source: OAS `GetMarketCandlesticksHistoricalResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetMarketCandlesticksHistoricalResponse {
    /// The market.
    pub ticker: Ticker,
    /// Its candles, oldest first.
    #[serde(default, deserialize_with = "null_default")]
    pub candlesticks: Vec<MarketCandlestickHistorical>,
}
