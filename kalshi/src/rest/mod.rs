//! REST wire types of Kalshi's Trade API v2: request bodies, responses, query parameters and
//! the endpoint table. They mirror the JSON one-to-one (domain types live elsewhere); the
//! gateway serializes requests and decodes responses with them, the simulator does the
//! reverse. Built against the current API in kalshi-api.md §3: V2 order endpoints under
//! `/portfolio/events/orders`, fixed-point dollar and count strings.
//!
//! Decoding rules: responses tolerate unknown extra fields (Kalshi adds fields without
//! notice), `null` lists and `""` client ids; request bodies refuse unknown fields so the
//! simulator catches a client sending a field Kalshi does not take.
//!
//! # Layout
//!
//! - [`endpoint`]: [`Endpoint`] (method, path template, auth), [`Method`] and [`API_PREFIX`].
//! - [`query`]: query-string rendering and parsing; [`market_params`], [`history_params`] and
//!   [`portfolio_params`]: one `*Params` struct per endpoint with query parameters.
//! - [`exchange`]: status, schedule, user-data timestamp.
//! - [`markets`], [`orderbook`], [`events`]: [`Market`] with strikes, books, events, series;
//!   [`event_metadata`], [`fee_changes`], [`forecast`]: an event's metadata, scheduled fee
//!   changes, an event's forecast history ([`event_params`] holds their query parameters).
//! - [`trades`], [`candlesticks`], [`historical`]: public trades, candles (per market and per
//!   event), the historical cutoff and archived candles ([`historical_params`]: the
//!   historical lists' query parameters).
//! - [`account`]: [`Tier`], tier limits and endpoint costs (see also [`crate::limits`]).
//! - [`portfolio`]: balance, positions, fills, settlements; [`queue`]: queue positions and the
//!   value of resting orders.
//! - [`orders`], [`amend`], [`batch`]: [`Order`] and the V2 create/cancel/amend/decrease/batch
//!   bodies; [`order_groups`]: order groups (a shared contracts limit).
//! - [`JsonDecimal`]: exact strikes and fee multipliers from JSON numbers.

pub mod account;
pub mod amend;
pub mod batch;
pub mod candlesticks;
mod de;
pub mod endpoint;
pub mod event_metadata;
pub mod event_params;
pub mod events;
pub mod exchange;
pub mod fee_changes;
pub mod forecast;
pub mod historical;
pub mod historical_params;
pub mod history_params;
pub mod market_params;
pub mod markets;
mod number;
pub mod order_groups;
pub mod orderbook;
pub mod orders;
pub mod portfolio;
pub mod portfolio_params;
pub mod query;
pub mod queue;
pub mod trades;

pub use account::{
    BucketLimit, EndpointCost, GetAccountLimitsResponse, GetEndpointCostsResponse, Grant,
    GrantSource, Tier,
};
pub use amend::{
    AmendOrderV2Request, AmendOrderV2Response, DecreaseOrderV2Request, DecreaseOrderV2Response,
};
pub use batch::{
    BatchCancelOrderItem, BatchCancelOrderResult, BatchCancelOrdersV2Request,
    BatchCancelOrdersV2Response, BatchCreateOrderResult, BatchCreateOrdersV2Request,
    BatchCreateOrdersV2Response,
};
pub use candlesticks::{
    BatchGetMarketCandlesticksResponse, BidAskDistribution, GetEventCandlesticksResponse,
    GetMarketCandlesticksResponse, MarketCandlestick, MarketCandlesticks, PriceDistribution,
};
pub use endpoint::{API_PREFIX, Endpoint, Method};
pub use event_metadata::{GetEventMetadataResponse, MarketMetadata};
pub use event_params::{
    GetEventFeeChangesParams, GetEventForecastPercentilesHistoryParams, GetSeriesFeeChangesParams,
};
pub use events::{
    EventData, FeeType, GetEventResponse, GetEventsResponse, GetSeriesListResponse,
    GetSeriesResponse, Series, SettlementSource,
};
pub use exchange::{
    DailySession, ExchangeIndexStatus, ExchangeStatus, GetExchangeScheduleResponse,
    GetUserDataTimestampResponse, MaintenanceWindow, Schedule, StandardHours,
};
pub use fee_changes::{
    EventFeeChange, GetEventFeeChangesResponse, GetSeriesFeeChangesResponse, SeriesFeeChange,
};
pub use forecast::{
    ForecastPercentilesPoint, GetEventForecastPercentilesHistoryResponse, PercentilePoint,
};
pub use historical::{
    BidAskDistributionHistorical, GetHistoricalCutoffResponse,
    GetMarketCandlesticksHistoricalResponse, MarketCandlestickHistorical,
    PriceDistributionHistorical,
};
pub use historical_params::{
    GetHistoricalFillsParams, GetHistoricalMarketsParams, GetHistoricalOrdersParams,
    GetHistoricalPositionsParams,
};
pub use history_params::{
    BatchGetMarketCandlesticksParams, GetEventCandlesticksParams,
    GetMarketCandlesticksHistoricalParams, GetMarketCandlesticksParams, GetTradesParams,
};
pub use market_params::{
    GetEventParams, GetEventsParams, GetMarketsParams, GetOrderbookParams, GetOrderbooksParams,
    GetSeriesListParams, GetSeriesParams, MveFilter,
};
pub use markets::{
    GetMarketResponse, GetMarketsResponse, Market, SettlementBoundsType, StrikeType,
};
pub use number::JsonDecimal;
pub use order_groups::{
    CreateOrderGroupRequest, CreateOrderGroupResponse, EmptyResponse, GetOrderGroupResponse,
    GetOrderGroupsResponse, OrderGroup, UpdateOrderGroupLimitRequest,
};
pub use orderbook::{
    GetMarketOrderbookResponse, GetMarketOrderbooksResponse, MarketOrderbook, OrderbookFp,
};
pub use orders::{
    BodyError, CancelOrderV2Response, CreateOrderV2Request, CreateOrderV2Response,
    GetOrderResponse, GetOrdersResponse, Order,
};
pub use portfolio::{
    BalanceBreakdown, EventPosition, Fill, GetBalanceResponse, GetFillsResponse,
    GetPositionsResponse, GetSettlementsResponse, MarketPosition, Settlement,
};
pub use portfolio_params::{
    CancelOrderParams, CountFilter, GetBalanceParams, GetFillsParams, GetOrderQueuePositionsParams,
    GetOrdersParams, GetPositionsParams, GetSettlementsParams, OrderGroupParams, SettlementStatus,
    SubaccountParams,
};
pub use query::{QueryError, QueryValue};
pub use queue::{
    GetOrderQueuePositionResponse, GetOrderQueuePositionsResponse,
    GetPortfolioRestingOrderTotalValueResponse, OrderQueuePosition,
};
pub use trades::{GetTradesResponse, Trade};

/// Path of the WebSocket endpoint; the handshake signs `timestamp + "GET" + WS_PATH`.
pub const WS_PATH: &str = "/trade-api/ws/v2";

/// `path` with `query` appended after a `?`, or `path` alone when `query` is empty.
/// Sign the path only (kalshi-api.md §2).
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// A page of a cursor-paginated list. Pass [`Paginated::next_cursor`] back as `?cursor=`;
/// `None` (an empty cursor) means this was the last page.
pub trait Paginated {
    /// The cursor of the next page, if there is one.
    fn next_cursor(&self) -> Option<&str>;
}

macro_rules! paginated {
    ($($ty:ty),+) => {$(
        impl Paginated for $ty {
            fn next_cursor(&self) -> Option<&str> {
                Some(self.cursor.as_str()).filter(|c| !c.is_empty())
            }
        }
    )+};
}
paginated!(
    GetMarketsResponse,
    GetEventsResponse,
    GetPositionsResponse,
    GetFillsResponse,
    GetSettlementsResponse,
    GetOrdersResponse,
    GetTradesResponse,
    GetEventFeeChangesResponse
);
