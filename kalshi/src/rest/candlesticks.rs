//! Candlesticks: one market's price and quote history in fixed periods,
//! `GET /series/{series_ticker}/markets/{ticker}/candlesticks`, and several markets' at once,
//! `GET /markets/candlesticks?market_tickers=A,B` (both public). A candle covers the period
//! ending at `end_period_ts` (Unix seconds): the YES bid and ask as open/high/low/close, the
//! traded YES price with its mean and the last price before the period, the contracts traded
//! and the open interest at the end. Periods are 1, 60 or 1440 minutes.
//!
//! Source: `kalshi/tests/fixtures/kalshi-openapi.json` (`MarketCandlestick`,
//! `PriceDistribution`, `BidAskDistribution`, `GetMarketCandlesticksResponse`,
//! `BatchGetMarketCandlesticksResponse`, `MarketCandlesticksResponse`).

use serde::{Deserialize, Serialize};

use super::de::null_default;
use crate::{Count, Price, Ticker};

/// Open, high, low and close of the YES bid or ask in one period.
///
/// ```json
/// {"open_dollars":"0.5500","high_dollars":"0.5700","low_dollars":"0.5400","close_dollars":"0.5600"}
/// ```
///
/// Source: OAS `BidAskDistribution`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BidAskDistribution {
    /// At the start of the period.
    pub open_dollars: Price,
    /// Highest in the period.
    pub high_dollars: Price,
    /// Lowest in the period.
    pub low_dollars: Price,
    /// At the end of the period.
    pub close_dollars: Price,
}

/// The traded YES price in one period; every field is absent (or `null`) when nothing
/// traded, except `previous_dollars`, the last price before the period.
///
/// ```json
/// {"open_dollars":"0.5500","high_dollars":"0.5700","low_dollars":"0.5400","close_dollars":"0.5600",
///  "mean_dollars":"0.5583","previous_dollars":"0.5400"}
/// ```
///
/// Source: OAS `PriceDistribution` (also `min_dollars`/`max_dollars`, read when sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PriceDistribution {
    /// First trade price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_dollars: Option<Price>,
    /// Highest trade price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_dollars: Option<Price>,
    /// Lowest trade price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_dollars: Option<Price>,
    /// Last trade price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_dollars: Option<Price>,
    /// Volume-weighted mean trade price (rounded to the price grid of 4 decimals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_dollars: Option<Price>,
    /// The last trade price before the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_dollars: Option<Price>,
    /// Lowest price (undocumented beside `low_dollars`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_dollars: Option<Price>,
    /// Highest price (undocumented beside `high_dollars`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_dollars: Option<Price>,
}

/// One period of one market.
///
/// ```json
/// {"end_period_ts":1770822060,"yes_bid":{...},"yes_ask":{...},"price":{...},
///  "volume_fp":"25.00","open_interest_fp":"1200.00"}
/// ```
///
/// Source: OAS `MarketCandlestick`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketCandlestick {
    /// End of the period, Unix seconds.
    pub end_period_ts: i64,
    /// The best YES bid.
    pub yes_bid: BidAskDistribution,
    /// The best YES ask.
    pub yes_ask: BidAskDistribution,
    /// The traded YES price.
    #[serde(default)]
    pub price: PriceDistribution,
    /// Contracts traded in the period.
    pub volume_fp: Count,
    /// Contracts open at the end of the period.
    pub open_interest_fp: Count,
}

/// `GET /series/{series_ticker}/markets/{ticker}/candlesticks`.
///
/// ```json
/// {"ticker":"KXHIGHNY-26FEB11-B94.5","candlesticks":[{"end_period_ts":1770822060,...}]}
/// ```
///
/// Source: OAS `GetMarketCandlesticksResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetMarketCandlesticksResponse {
    /// The market.
    pub ticker: Ticker,
    /// Its candles, oldest first.
    #[serde(default, deserialize_with = "null_default")]
    pub candlesticks: Vec<MarketCandlestick>,
}

/// One market's candles in [`BatchGetMarketCandlesticksResponse`].
///
/// Source: OAS `MarketCandlesticksResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketCandlesticks {
    /// The market.
    pub market_ticker: Ticker,
    /// Its candles, oldest first.
    #[serde(default, deserialize_with = "null_default")]
    pub candlesticks: Vec<MarketCandlestick>,
}

/// `GET /markets/candlesticks?market_tickers=A,B&…`.
///
/// ```json
/// {"markets":[{"market_ticker":"KXHIGHNY-26FEB11-B94.5","candlesticks":[...]}]}
/// ```
///
/// Source: OAS `BatchGetMarketCandlesticksResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchGetMarketCandlesticksResponse {
    /// One entry per requested market.
    #[serde(default, deserialize_with = "null_default")]
    pub markets: Vec<MarketCandlesticks>,
}

/// `GET /series/{series_ticker}/events/{ticker}/candlesticks`: the candles of every market of
/// an event, in the order of `market_tickers`. `adjusted_end_ts` is where the answer stops:
/// the requested end, or earlier when the window would hold more candles than Kalshi sends
/// at once.
///
/// ```json
/// {"market_tickers":["KXHIGHNY-26FEB11-T46","KXHIGHNY-26FEB11-B46.5"],
///  "market_candlesticks":[[{"end_period_ts":1770822060,...}],[]],"adjusted_end_ts":1770825600}
/// ```
///
/// Source: OAS `GetEventCandlesticksResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetEventCandlesticksResponse {
    /// The event's markets.
    #[serde(default, deserialize_with = "null_default")]
    pub market_tickers: Vec<Ticker>,
    /// One list of candles per market, oldest first.
    #[serde(default, deserialize_with = "null_default")]
    pub market_candlesticks: Vec<Vec<MarketCandlestick>>,
    /// The end the candles were cut at, Unix seconds.
    pub adjusted_end_ts: i64,
}
