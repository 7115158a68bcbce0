//! Typed query parameters of the historical endpoints — `GET /historical/markets`,
//! `/historical/fills`, `/historical/orders` and `/historical/positions` — each with
//! `to_query()`, `from_query()`, `validate()` and `parse_valid()` like the other parameter
//! structs. `GET /historical/trades` takes the live
//! [`GetTradesParams`](super::GetTradesParams); the archived candlesticks take
//! [`GetMarketCandlesticksHistoricalParams`](super::GetMarketCandlesticksHistoricalParams).
//!
//! Names are the SDK's (`kalshi/tests/fixtures/kalshi-openapi.json`); timestamps are Unix
//! **seconds**; subaccounts 0–63.

use super::{
    market_params::MveFilter,
    query::{QueryError, check_limit, check_subaccount, query_params},
};
use crate::{EventTicker, SeriesTicker, Ticker};

/// Largest `limit` of every historical list (the document: "Maximum value is 1000" for
/// markets and trades; UNCERTAIN for the others, which state only the default 100).
pub const MAX_HISTORICAL_LIMIT: u32 = 1000;

query_params! {
    /// `GET /historical/markets` filters ("mutually exclusive", the document says; the
    /// simulator applies every filter given).
    GetHistoricalMarketsParams {
        /// Page size, 1–1000 (default 100).
        limit: Option<u32> => one,
        /// The `cursor` of the previous page.
        cursor: Option<String> => one,
        /// Specific markets, as a comma list.
        tickers: Vec<Ticker> => comma,
        /// Markets of one event.
        event_ticker: Option<EventTicker> => one,
        /// Markets of one series.
        series_ticker: Option<SeriesTicker> => one,
        /// Multivariate (combo) markets: `only` or `exclude`.
        mve_filter: Option<MveFilter> => one,
    }
}

impl GetHistoricalMarketsParams {
    /// Checks `limit`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_limit(self.limit, MAX_HISTORICAL_LIMIT)
    }
}

query_params! {
    /// `GET /historical/fills` and `GET /historical/orders` filters.
    GetHistoricalFillsParams {
        /// One market.
        ticker: Option<Ticker> => one,
        /// At or after (s).
        min_ts: Option<i64> => one,
        /// At or before (s).
        max_ts: Option<i64> => one,
        /// Page size, 1–1000 (default 100).
        limit: Option<u32> => one,
        /// The `cursor` of the previous page.
        cursor: Option<String> => one,
        /// Subaccount 0–63 (absent = all).
        subaccount: Option<u32> => one,
    }
}

impl GetHistoricalFillsParams {
    /// Checks `limit` and `subaccount`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_limit(self.limit, MAX_HISTORICAL_LIMIT)?;
        check_subaccount(self.subaccount)
    }
}

/// `GET /historical/orders` takes the same filters as the archived fills.
pub type GetHistoricalOrdersParams = GetHistoricalFillsParams;

query_params! {
    /// `GET /historical/positions` filters.
    GetHistoricalPositionsParams {
        /// One market.
        ticker: Option<Ticker> => one,
        /// One event.
        event_ticker: Option<EventTicker> => one,
        /// Subaccount 0–63 (default 0).
        subaccount: Option<u32> => one,
        /// Page size, 1–1000 (default 100).
        limit: Option<u32> => one,
        /// The `cursor` of the previous page.
        cursor: Option<String> => one,
    }
}

impl GetHistoricalPositionsParams {
    /// Checks `limit` and `subaccount`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_limit(self.limit, MAX_HISTORICAL_LIMIT)?;
        check_subaccount(self.subaccount)
    }
}
