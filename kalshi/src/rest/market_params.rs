//! Typed query parameters of the market-data endpoints (`/markets`, `/markets/orderbooks`,
//! `/markets/{ticker}/orderbook`, `/events`, `/events/{event_ticker}`, `/series`,
//! `/series/{series_ticker}`), each with `to_query()` (the gateway),
//! `from_query()`, `validate()` and `parse_valid()` (the simulator answers 400 with the
//! error's text).
//!
//! Bounds and combination rules are Kalshi's as kalshi-api.md §3.2 states them (OAS 3.31
//! `MarketLimitQuery`, `MarketStatusQuery`). Timestamps in queries are Unix **seconds**
//! (`*_ts` fields, `i64`).

use std::fmt;

use super::query::{QueryError, check_limit, query_params, query_value_via_closed_wire_enum};
use crate::{
    EventTicker, SeriesTicker, Ticker,
    types::{MarketStatusFilter, wire_enum},
};

wire_enum!(
    /// The `mve_filter` of `GET /markets`: multivariate (combo) markets only, or none.
    closed MveFilter {
        /// Only multivariate markets.
        Only => "only",
        /// No multivariate markets.
        Exclude => "exclude",
    }
);
query_value_via_closed_wire_enum!(MveFilter);

query_params! {
    /// `GET /markets` filters. `tickers` is a comma list; `event_ticker` is a single event
    /// (3.31); the `*_ts` filters are Unix seconds.
    GetMarketsParams {
        /// Page size, 1–1000 (Kalshi's default 100).
        limit: Option<u32> => one,
        /// The `cursor` of the previous page.
        cursor: Option<String> => one,
        /// Markets of one event.
        event_ticker: Option<EventTicker> => one,
        /// Markets of one series.
        series_ticker: Option<SeriesTicker> => one,
        /// Created at or after (s); only with status `unopened`/`open`.
        min_created_ts: Option<i64> => one,
        /// Created at or before (s).
        max_created_ts: Option<i64> => one,
        /// Updated at or after (s); combines with no status.
        min_updated_ts: Option<i64> => one,
        /// Updated at or before (s).
        max_updated_ts: Option<i64> => one,
        /// Closing at or after (s); only with status `closed`.
        min_close_ts: Option<i64> => one,
        /// Closing at or before (s).
        max_close_ts: Option<i64> => one,
        /// Settled at or after (s); only with status `settled`.
        min_settled_ts: Option<i64> => one,
        /// Settled at or before (s).
        max_settled_ts: Option<i64> => one,
        /// One status filter.
        status: Option<MarketStatusFilter> => one,
        /// Specific markets, rendered as a comma list.
        tickers: Vec<Ticker> => comma,
        /// Multivariate (combo) markets: `only` or `exclude`.
        mve_filter: Option<MveFilter> => one,
    }
}

impl GetMarketsParams {
    /// Largest `limit`.
    pub const MAX_LIMIT: u32 = 1000;

    /// Checks `limit`, that at most one family of timestamp filters is used,
    /// and that it combines with the status as documented (created ↔ unopened/open,
    /// close ↔ closed, settled ↔ settled, updated ↔ no status and at most
    /// `mve_filter=exclude`).
    pub fn validate(&self) -> Result<(), QueryError> {
        use MarketStatusFilter as S;
        check_limit(self.limit, Self::MAX_LIMIT)?;
        // (filter family, in use, statuses it combines with)
        let families: [(&'static str, Option<i64>, &[S]); 4] = [
            (
                "*_created_ts",
                self.min_created_ts.or(self.max_created_ts),
                &[S::Unopened, S::Open],
            ),
            (
                "*_close_ts",
                self.min_close_ts.or(self.max_close_ts),
                &[S::Closed],
            ),
            (
                "*_settled_ts",
                self.min_settled_ts.or(self.max_settled_ts),
                &[S::Settled],
            ),
            (
                "*_updated_ts",
                self.min_updated_ts.or(self.max_updated_ts),
                &[],
            ),
        ];
        let mut used = families.iter().filter(|(_, ts, _)| ts.is_some());
        let Some(&(key, _, allowed)) = used.next() else {
            return Ok(());
        };
        if let Some((other, ..)) = used.next() {
            return Err(QueryError::constraint(
                other,
                format!("cannot be combined with {key}"),
            ));
        }
        if let Some(status) = self.status
            && !allowed.contains(&status)
        {
            let reason = format!("cannot be combined with status={status}");
            return Err(QueryError::constraint(key, reason));
        }
        if key == "*_updated_ts" && self.mve_filter == Some(MveFilter::Only) {
            return Err(QueryError::constraint(
                key,
                "combines only with mve_filter=exclude",
            ));
        }
        Ok(())
    }
}

query_params! {
    /// `GET /markets/{ticker}/orderbook` parameters.
    GetOrderbookParams {
        /// Levels per side, 0–100; 0 (or absent) = all.
        depth: Option<u32> => one,
    }
}

impl GetOrderbookParams {
    /// Checks `depth` ≤ 100.
    pub fn validate(&self) -> Result<(), QueryError> {
        match self.depth {
            Some(d) if d > 100 => Err(QueryError::constraint(
                "depth",
                format!("must be between 0 and 100, got {d}"),
            )),
            _ => Ok(()),
        }
    }
}

query_params! {
    /// `GET /markets/orderbooks` parameters: `tickers=A&tickers=B` (a repeated key, unlike
    /// `/markets`).
    GetOrderbooksParams {
        /// 1–100 markets.
        tickers: Vec<Ticker> => repeated,
    }
}

impl GetOrderbooksParams {
    /// Checks 1–100 tickers.
    pub fn validate(&self) -> Result<(), QueryError> {
        match self.tickers.len() {
            1..=100 => Ok(()),
            n => Err(QueryError::constraint(
                "tickers",
                format!("must name 1 to 100 markets, got {n}"),
            )),
        }
    }
}

query_params! {
    /// `GET /events` filters. Multivariate (combo) events are never listed.
    GetEventsParams {
        /// Page size, 1–200 (Kalshi's default 200).
        limit: Option<u32> => one,
        /// The `cursor` of the previous page.
        cursor: Option<String> => one,
        /// Include each event's markets in `markets`.
        with_nested_markets: Option<bool> => one,
        /// Include milestones.
        with_milestones: Option<bool> => one,
        /// Events with ANY market in this status; `paused` is not accepted here.
        status: Option<MarketStatusFilter> => one,
        /// Events of one series.
        series_ticker: Option<SeriesTicker> => one,
        /// Specific events, as a comma list.
        tickers: Vec<EventTicker> => comma,
        /// Closing at or after (s).
        min_close_ts: Option<i64> => one,
        /// Updated at or after (s).
        min_updated_ts: Option<i64> => one,
    }
}

impl GetEventsParams {
    /// Largest `limit`.
    pub const MAX_LIMIT: u32 = 200;

    /// Checks `limit` and that `status` is not `paused`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_limit(self.limit, Self::MAX_LIMIT)?;
        if self.status == Some(MarketStatusFilter::Paused) {
            return Err(QueryError::constraint(
                "status",
                "must be unopened, open, closed or settled",
            ));
        }
        Ok(())
    }
}

query_params! {
    /// `GET /events/{event_ticker}` parameters.
    GetEventParams {
        /// Put the markets inside `event.markets` (else only in the deprecated top-level
        /// `markets`).
        with_nested_markets: Option<bool> => one,
    }
}

impl GetEventParams {
    /// Nothing to check; present so every parameter struct has `parse_valid`.
    pub fn validate(&self) -> Result<(), QueryError> {
        Ok(())
    }
}

query_params! {
    /// `GET /series/{series_ticker}` parameters.
    GetSeriesParams {
        /// Include the series' `volume_fp`.
        include_volume: Option<bool> => one,
    }
}

impl GetSeriesParams {
    /// Nothing to check; present so every parameter struct has `parse_valid`.
    pub fn validate(&self) -> Result<(), QueryError> {
        Ok(())
    }
}

query_params! {
    /// `GET /series` filters.
    GetSeriesListParams {
        /// Series of one category.
        category: Option<String> => one,
        /// Tags, as Kalshi's comma-separated text.
        tags: Option<String> => one,
        /// Include `product_metadata`.
        include_product_metadata: Option<bool> => one,
        /// Include volume.
        include_volume: Option<bool> => one,
        /// Updated at or after (s).
        min_updated_ts: Option<i64> => one,
    }
}

impl GetSeriesListParams {
    /// Nothing to check; present so every parameter struct has `parse_valid`.
    pub fn validate(&self) -> Result<(), QueryError> {
        Ok(())
    }
}
