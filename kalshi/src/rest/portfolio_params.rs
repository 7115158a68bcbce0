//! Typed query parameters of the portfolio and order endpoints (balance, positions, fills,
//! settlements, orders, and the `?subaccount=` style parameters of the V2 order writes),
//! each with `to_query()` (the gateway), `from_query()`, `validate()` and `parse_valid()`
//! (the simulator answers 400 with the error's text).
//!
//! Bounds are Kalshi's as kalshi-api.md §3.3–3.4 states them (OAS 3.31). Timestamps in
//! queries are Unix **seconds** (`*_ts` fields, `i64`); subaccounts are 0–63.

use std::fmt;

use super::query::{
    QueryError, check_limit, check_subaccount, query_params, query_value_via_closed_wire_enum,
};
use crate::{
    EventTicker, OrderId, Ticker,
    types::{OrderStatus, wire_enum},
};

wire_enum!(
    /// A `count_filter` of `GET /portfolio/positions`: keep positions where this is non-zero.
    closed CountFilter {
        /// Non-zero `position_fp`.
        Position => "position",
        /// Non-zero `total_traded_dollars`.
        TotalTraded => "total_traded",
    }
);
query_value_via_closed_wire_enum!(CountFilter);

wire_enum!(
    /// The `settlement_status` of `GET /portfolio/positions`: positions in markets that have
    /// settled, that have not, or both. UNCERTAIN: the document names only the parameter;
    /// the values are those of Kalshi's earlier API reference, which also gave `unsettled`
    /// as the default when absent.
    closed SettlementStatus {
        /// Every position.
        All => "all",
        /// Positions in settled markets.
        Settled => "settled",
        /// Positions in markets not settled yet.
        Unsettled => "unsettled",
    }
);
query_value_via_closed_wire_enum!(SettlementStatus);

query_params! {
    /// `GET /portfolio/balance` parameters.
    GetBalanceParams {
        /// Subaccount 0–63 (0 = primary).
        subaccount: Option<u32> => one,
        /// Exchange shard.
        exchange_index: Option<i32> => one,
    }
}

impl GetBalanceParams {
    /// Checks `subaccount`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_subaccount(self.subaccount)
    }
}

query_params! {
    /// `GET /portfolio/positions` filters.
    GetPositionsParams {
        /// The `cursor` of the previous page.
        cursor: Option<String> => one,
        /// Page size, 1–1000.
        limit: Option<u32> => one,
        /// Non-zero fields required: `position`, `total_traded` (comma list).
        count_filter: Vec<CountFilter> => comma,
        /// Settled markets, unsettled ones, or all.
        settlement_status: Option<SettlementStatus> => one,
        /// One market.
        ticker: Option<Ticker> => one,
        /// One event.
        event_ticker: Option<EventTicker> => one,
        /// Subaccount 0–63 (default 0).
        subaccount: Option<u32> => one,
        /// Exchange shard.
        exchange_index: Option<i32> => one,
    }
}

impl GetPositionsParams {
    /// Largest `limit`.
    pub const MAX_LIMIT: u32 = 1000;

    /// Checks `limit` and `subaccount`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_limit(self.limit, Self::MAX_LIMIT)?;
        check_subaccount(self.subaccount)
    }
}

query_params! {
    /// `GET /portfolio/fills` filters.
    GetFillsParams {
        /// One market.
        ticker: Option<Ticker> => one,
        /// One order.
        order_id: Option<OrderId> => one,
        /// At or after (s).
        min_ts: Option<i64> => one,
        /// At or before (s).
        max_ts: Option<i64> => one,
        /// Page size, 1–1000 (3.31; older SDKs said 200).
        limit: Option<u32> => one,
        /// The `cursor` of the previous page.
        cursor: Option<String> => one,
        /// Subaccount 0–63 (absent = all).
        subaccount: Option<u32> => one,
        /// Exchange shard.
        exchange_index: Option<i32> => one,
    }
}

impl GetFillsParams {
    /// Largest `limit`.
    pub const MAX_LIMIT: u32 = 1000;

    /// Checks `limit` and `subaccount`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_limit(self.limit, Self::MAX_LIMIT)?;
        check_subaccount(self.subaccount)
    }
}

query_params! {
    /// `GET /portfolio/settlements` filters. The doc lists none; these mirror the fills
    /// filters (UNCERTAIN).
    GetSettlementsParams {
        /// Page size, 1–200 (UNCERTAIN: the safe, smaller bound of older docs).
        limit: Option<u32> => one,
        /// The `cursor` of the previous page.
        cursor: Option<String> => one,
        /// One market.
        ticker: Option<Ticker> => one,
        /// One event.
        event_ticker: Option<EventTicker> => one,
        /// Settled at or after (s).
        min_ts: Option<i64> => one,
        /// Settled at or before (s).
        max_ts: Option<i64> => one,
        /// Subaccount 0–63.
        subaccount: Option<u32> => one,
    }
}

impl GetSettlementsParams {
    /// Largest `limit`.
    pub const MAX_LIMIT: u32 = 200;

    /// Checks `limit` and `subaccount`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_limit(self.limit, Self::MAX_LIMIT)?;
        check_subaccount(self.subaccount)
    }
}

query_params! {
    /// `GET /portfolio/orders` filters. There is no `client_order_id` filter.
    GetOrdersParams {
        /// One market.
        ticker: Option<Ticker> => one,
        /// Up to 10 events, as a comma list.
        event_ticker: Vec<EventTicker> => comma,
        /// At or after (s).
        min_ts: Option<i64> => one,
        /// At or before (s).
        max_ts: Option<i64> => one,
        /// `resting`, `canceled` or `executed`.
        status: Option<OrderStatus> => one,
        /// Page size, 1–1000 (3.31; older SDKs said 200).
        limit: Option<u32> => one,
        /// The `cursor` of the previous page.
        cursor: Option<String> => one,
        /// Subaccount 0–63.
        subaccount: Option<u32> => one,
        /// Exchange shard.
        exchange_index: Option<i32> => one,
    }
}

impl GetOrdersParams {
    /// Largest `limit`.
    pub const MAX_LIMIT: u32 = 1000;
    /// Most events in `event_ticker`.
    pub const MAX_EVENTS: usize = 10;

    /// Checks `limit`, `subaccount`, at most 10 events and a known `status`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_limit(self.limit, Self::MAX_LIMIT)?;
        check_subaccount(self.subaccount)?;
        if self.event_ticker.len() > Self::MAX_EVENTS {
            return Err(QueryError::constraint("event_ticker", "at most 10 events"));
        }
        if let Some(OrderStatus::Other(s)) = &self.status {
            return Err(QueryError::constraint(
                "status",
                format!("unknown status {s:?}"),
            ));
        }
        Ok(())
    }
}

query_params! {
    /// `DELETE /portfolio/events/orders/{order_id}` parameters. Pass `market_ticker` (or
    /// `exchange_index`): the order id alone does not say which shard holds the order.
    CancelOrderParams {
        /// Subaccount 0–63.
        subaccount: Option<u32> => one,
        /// Exchange shard.
        exchange_index: Option<i32> => one,
        /// The order's market, for routing.
        market_ticker: Option<Ticker> => one,
    }
}

impl CancelOrderParams {
    /// Checks `subaccount`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_subaccount(self.subaccount)
    }
}

query_params! {
    /// The `?subaccount=` of amend, decrease and cancel-all.
    SubaccountParams {
        /// Subaccount 0–63.
        subaccount: Option<u32> => one,
    }
}

impl SubaccountParams {
    /// Checks `subaccount`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_subaccount(self.subaccount)
    }
}

query_params! {
    /// `GET /portfolio/orders/queue_positions` filters: every resting order of the account,
    /// or those of some markets or of one event.
    GetOrderQueuePositionsParams {
        /// Markets, as a comma list.
        market_tickers: Vec<Ticker> => comma,
        /// One event.
        event_ticker: Option<EventTicker> => one,
        /// Subaccount 0–63 (default 0).
        subaccount: Option<u32> => one,
    }
}

impl GetOrderQueuePositionsParams {
    /// Checks `subaccount`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_subaccount(self.subaccount)
    }
}

query_params! {
    /// The `?subaccount=&exchange_index=` of the order-group writes (limit, trigger, reset,
    /// delete).
    OrderGroupParams {
        /// Subaccount 0–63 (default 0).
        subaccount: Option<u32> => one,
        /// Exchange shard (default 0).
        exchange_index: Option<i32> => one,
    }
}

impl OrderGroupParams {
    /// Checks `subaccount`.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_subaccount(self.subaccount)
    }
}
