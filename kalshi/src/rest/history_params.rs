//! Typed query parameters of the market-history endpoints — public trades
//! (`GET /markets/trades`, also `GET /historical/trades`) and candlesticks
//! (`GET /series/{series_ticker}/markets/{ticker}/candlesticks`, `GET /markets/candlesticks`,
//! an event's `GET /series/{series_ticker}/events/{ticker}/candlesticks`, an archived
//! market's `GET /historical/markets/{ticker}/candlesticks`) — each with `to_query()`,
//! `from_query()`, `validate()` and `parse_valid()` like the other parameter structs.
//!
//! Names are the SDK's (`kalshi/tests/fixtures/kalshi-openapi.json`); bounds and value sets
//! the document does not state are marked UNCERTAIN where they are checked. Timestamps are
//! Unix **seconds**.

use super::query::{QueryError, check_limit, query_params};
use crate::Ticker;

query_params! {
    /// `GET /markets/trades` filters, newest trade first.
    GetTradesParams {
        /// Page size, 1–1000 (Kalshi's default 100).
        limit: Option<u32> => one,
        /// The `cursor` of the previous page.
        cursor: Option<String> => one,
        /// Trades of one market.
        ticker: Option<Ticker> => one,
        /// Traded at or after (s).
        min_ts: Option<i64> => one,
        /// Traded at or before (s).
        max_ts: Option<i64> => one,
        /// Only block trades (`true`) or only book trades (`false`).
        is_block_trade: Option<bool> => one,
    }
}

impl GetTradesParams {
    /// Largest `limit` (kalshi-api.md §3.2).
    pub const MAX_LIMIT: u32 = 1000;

    /// Checks `limit`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_limit(self.limit, Self::MAX_LIMIT)
    }
}

/// The candle periods, in minutes: a minute, an hour, a day (TS SDK
/// `GetMarketCandlesticksPeriodIntervalEnum`).
pub const PERIOD_INTERVALS: [u32; 3] = [1, 60, 1440];

/// Most candles one request may ask for per market. UNCERTAIN: Kalshi's bound is not in the
/// document; 5000 is what a relay of Kalshi's API (DFlow) enforces.
pub const MAX_CANDLES: i64 = 5000;

/// Checks a candle window: both ends present, `start_ts ≤ end_ts`, a documented period, at
/// most [`MAX_CANDLES`] periods.
fn check_window(
    start_ts: Option<i64>,
    end_ts: Option<i64>,
    period_interval: Option<u32>,
) -> Result<(), QueryError> {
    let (Some(start), Some(end)) = (start_ts, end_ts) else {
        return Err(QueryError::constraint(
            "start_ts",
            "start_ts and end_ts are required",
        ));
    };
    let Some(period) = period_interval.filter(|p| PERIOD_INTERVALS.contains(p)) else {
        return Err(QueryError::constraint(
            "period_interval",
            "must be 1, 60 or 1440 (minutes)",
        ));
    };
    check_span(start, end, i64::from(period) * 60)
}

/// Checks `start ≤ end` and at most [`MAX_CANDLES`] periods of `period_s` seconds between
/// them (the candle and forecast windows share this bound).
pub(crate) fn check_span(start: i64, end: i64, period_s: i64) -> Result<(), QueryError> {
    if start > end {
        return Err(QueryError::constraint(
            "end_ts",
            "must not be before start_ts",
        ));
    }
    if (end - start) / period_s.max(1) >= MAX_CANDLES {
        let reason = format!("more than {MAX_CANDLES} periods between start_ts and end_ts");
        return Err(QueryError::constraint("start_ts", reason));
    }
    Ok(())
}

query_params! {
    /// `GET /series/{series_ticker}/markets/{ticker}/candlesticks` parameters (the first
    /// three are required).
    GetMarketCandlesticksParams {
        /// Periods ending at or after (s).
        start_ts: Option<i64> => one,
        /// Periods ending at or before (s).
        end_ts: Option<i64> => one,
        /// Period length in minutes: 1, 60 or 1440.
        period_interval: Option<u32> => one,
        /// Also the latest candle before `start_ts`.
        include_latest_before_start: Option<bool> => one,
    }
}

impl GetMarketCandlesticksParams {
    /// Checks the window and the period.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_window(self.start_ts, self.end_ts, self.period_interval)
    }
}

query_params! {
    /// `GET /series/{series_ticker}/events/{ticker}/candlesticks` parameters (all required):
    /// the window of every market of the event.
    GetEventCandlesticksParams {
        /// Periods ending at or after (s).
        start_ts: Option<i64> => one,
        /// Periods ending at or before (s).
        end_ts: Option<i64> => one,
        /// Period length in minutes: 1, 60 or 1440.
        period_interval: Option<u32> => one,
    }
}

impl GetEventCandlesticksParams {
    /// Checks the window and the period.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_window(self.start_ts, self.end_ts, self.period_interval)
    }
}

query_params! {
    /// `GET /historical/markets/{ticker}/candlesticks` parameters (all required).
    GetMarketCandlesticksHistoricalParams {
        /// Periods ending at or after (s).
        start_ts: Option<i64> => one,
        /// Periods ending at or before (s).
        end_ts: Option<i64> => one,
        /// Period length in minutes: 1, 60 or 1440.
        period_interval: Option<u32> => one,
    }
}

impl GetMarketCandlesticksHistoricalParams {
    /// Checks the window and the period.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_window(self.start_ts, self.end_ts, self.period_interval)
    }
}

query_params! {
    /// `GET /markets/candlesticks` parameters: the markets as a comma list, then the same
    /// window as one market's.
    BatchGetMarketCandlesticksParams {
        /// 1 to [`BatchGetMarketCandlesticksParams::MAX_TICKERS`] markets.
        market_tickers: Vec<Ticker> => comma,
        /// Periods ending at or after (s).
        start_ts: Option<i64> => one,
        /// Periods ending at or before (s).
        end_ts: Option<i64> => one,
        /// Period length in minutes: 1, 60 or 1440.
        period_interval: Option<u32> => one,
        /// Also the latest candle before `start_ts`.
        include_latest_before_start: Option<bool> => one,
    }
}

impl BatchGetMarketCandlesticksParams {
    /// Most markets per request. UNCERTAIN: the document states no bound; 100 as for
    /// `GET /markets/orderbooks`.
    pub const MAX_TICKERS: usize = 100;

    /// Checks 1 to [`Self::MAX_TICKERS`] markets, the window and the period.
    pub fn validate(&self) -> Result<(), QueryError> {
        if !(1..=Self::MAX_TICKERS).contains(&self.market_tickers.len()) {
            let n = self.market_tickers.len();
            let reason = format!("must name 1 to {} markets, got {n}", Self::MAX_TICKERS);
            return Err(QueryError::constraint("market_tickers", reason));
        }
        check_window(self.start_ts, self.end_ts, self.period_interval)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candle_windows_need_both_ends_and_a_documented_period() {
        let ok = "start_ts=1770800000&end_ts=1770803600&period_interval=60";
        assert!(GetMarketCandlesticksParams::parse_valid(ok).is_ok());
        for bad in [
            "end_ts=1770803600&period_interval=60",
            "start_ts=1770800000&end_ts=1770803600&period_interval=5",
            "start_ts=1770803600&end_ts=1770800000&period_interval=1",
            "start_ts=0&end_ts=1770800000&period_interval=1",
        ] {
            assert!(
                matches!(
                    GetMarketCandlesticksParams::parse_valid(bad),
                    Err(QueryError::Constraint { .. })
                ),
                "{bad}"
            );
        }
        let batch = BatchGetMarketCandlesticksParams::parse_valid(&format!("{ok}&market_tickers="));
        assert!(batch.is_err(), "no market is refused");
    }

    #[test]
    fn trade_filters_round_trip() {
        let q = "limit=10&cursor=abc&ticker=KXHIGHNY-26FEB11-B94.5&min_ts=1&max_ts=2&is_block_trade=false";
        let p = GetTradesParams::parse_valid(q).unwrap();
        assert_eq!(p.to_query(), q);
        assert!(GetTradesParams::parse_valid("limit=1001").is_err());
    }
}
