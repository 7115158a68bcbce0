//! The mapping between the `kalshi` crate's REST types and the models of Kalshi's published
//! schema, as tables the `openapi_conformance` test walks: responses the crate decodes
//! ([`RESPONSES`]), requests it sends with a fully populated value ([`REQUESTS`]), each
//! endpoint's request and response model ([`ENDPOINTS`]), and the enum fields the crate
//! keeps closed on purpose ([`CLOSED_ON_PURPOSE`]).

use kalshi::{
    ClientOrderId, Count, OrderId, Price, Ticker, num,
    rest::*,
    types::{BookSide, SelfTradePrevention, TimeInForce},
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

/// A type the crate decodes (and the simulator encodes): decode, then encode again.
pub struct Response {
    /// The crate's type.
    pub crate_type: &'static str,
    /// The model it mirrors.
    pub model: &'static str,
    /// JSON → the type → JSON.
    pub decode: fn(&Value) -> Result<Value, String>,
}

/// A body the crate sends (and the simulator decodes).
pub struct Request {
    /// The crate's type.
    pub crate_type: &'static str,
    /// The model it mirrors.
    pub model: &'static str,
    /// A value with every `Option` set, as JSON.
    pub full: fn() -> Value,
    /// JSON → the type → JSON.
    pub decode: fn(&Value) -> Result<Value, String>,
}

/// One endpoint's models as the crate uses them.
pub struct EndpointRow {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// Its body's model.
    pub request: Option<&'static str>,
    /// Its answer's model (`None`: no body).
    pub response: Option<&'static str>,
}

fn decode<T: DeserializeOwned + Serialize>(v: &Value) -> Result<Value, String> {
    let t: T = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&t).map_err(|e| e.to_string())
}

macro_rules! responses {
    ($($ty:ty => $model:literal),+ $(,)?) => {
        &[$(Response { crate_type: stringify!($ty), model: $model, decode: decode::<$ty> }),+]
    };
}

/// Crate response type ⇒ model. Top-level answers first, then the models nested in them.
pub const RESPONSES: &[Response] = responses![
    CreateOrderV2Response => "CreateOrderV2Response",
    GetOrderResponse => "GetOrderResponse",
    GetOrdersResponse => "GetOrdersResponse",
    CancelOrderV2Response => "CancelOrderV2Response",
    AmendOrderV2Response => "AmendOrderV2Response",
    DecreaseOrderV2Response => "DecreaseOrderV2Response",
    BatchCreateOrdersV2Response => "BatchCreateOrdersV2Response",
    BatchCancelOrdersV2Response => "BatchCancelOrdersV2Response",
    GetMarketsResponse => "GetMarketsResponse",
    GetMarketResponse => "GetMarketResponse",
    GetEventsResponse => "GetEventsResponse",
    GetEventResponse => "GetEventResponse",
    GetSeriesResponse => "GetSeriesResponse",
    GetSeriesListResponse => "GetSeriesListResponse",
    GetMarketOrderbookResponse => "GetMarketOrderbookResponse",
    GetMarketOrderbooksResponse => "GetMarketOrderbooksResponse",
    GetBalanceResponse => "GetBalanceResponse",
    GetPositionsResponse => "GetPositionsResponse",
    GetFillsResponse => "GetFillsResponse",
    GetSettlementsResponse => "GetSettlementsResponse",
    ExchangeStatus => "ExchangeStatus",
    GetExchangeScheduleResponse => "GetExchangeScheduleResponse",
    GetUserDataTimestampResponse => "GetUserDataTimestampResponse",
    GetTradesResponse => "GetTradesResponse",
    GetMarketCandlesticksResponse => "GetMarketCandlesticksResponse",
    BatchGetMarketCandlesticksResponse => "BatchGetMarketCandlesticksResponse",
    GetHistoricalCutoffResponse => "GetHistoricalCutoffResponse",
    GetAccountLimitsResponse => "GetAccountApiLimitsResponse",
    GetEndpointCostsResponse => "GetAccountEndpointCostsResponse",
    GetSeriesFeeChangesResponse => "GetSeriesFeeChangesResponse",
    GetEventFeeChangesResponse => "GetEventFeeChangesResponse",
    GetEventMetadataResponse => "GetEventMetadataResponse",
    GetEventCandlesticksResponse => "GetEventCandlesticksResponse",
    GetEventForecastPercentilesHistoryResponse => "GetEventForecastPercentilesHistoryResponse",
    GetOrderQueuePositionResponse => "GetOrderQueuePositionResponse",
    GetOrderQueuePositionsResponse => "GetOrderQueuePositionsResponse",
    GetPortfolioRestingOrderTotalValueResponse => "GetPortfolioRestingOrderTotalValueResponse",
    CreateOrderGroupResponse => "CreateOrderGroupResponse",
    GetOrderGroupResponse => "GetOrderGroupResponse",
    GetOrderGroupsResponse => "GetOrderGroupsResponse",
    GetMarketCandlesticksHistoricalResponse => "GetMarketCandlesticksHistoricalResponse",
    // Nested models.
    Order => "Order",
    BatchCreateOrderResult => "BatchCreateOrdersV2ResponseOrdersInner",
    BatchCancelOrderResult => "BatchCancelOrdersV2ResponseOrdersInner",
    kalshi::error::ErrorDetail => "ErrorResponse",
    Market => "Market",
    num::ticks::PriceRange => "PriceRange",
    EventData => "EventData",
    Series => "Series",
    SettlementSource => "SettlementSource",
    OrderbookFp => "OrderbookCountFp",
    MarketOrderbook => "MarketOrderbookFp",
    BalanceBreakdown => "IndexedBalance",
    MarketPosition => "MarketPosition",
    EventPosition => "EventPosition",
    Fill => "Fill",
    Settlement => "Settlement",
    ExchangeIndexStatus => "ExchangeIndexStatus",
    Schedule => "Schedule",
    StandardHours => "WeeklySchedule",
    DailySession => "DailySchedule",
    MaintenanceWindow => "MaintenanceWindow",
    Trade => "Trade",
    MarketCandlestick => "MarketCandlestick",
    PriceDistribution => "PriceDistribution",
    BidAskDistribution => "BidAskDistribution",
    MarketCandlesticks => "MarketCandlesticksResponse",
    BucketLimit => "BucketLimit",
    Grant => "ApiUsageLevelGrant",
    EndpointCost => "EndpointTokenCost",
    SeriesFeeChange => "SeriesFeeChange",
    EventFeeChange => "EventFeeChange",
    MarketMetadata => "MarketMetadata",
    ForecastPercentilesPoint => "ForecastPercentilesPoint",
    PercentilePoint => "PercentilePoint",
    OrderQueuePosition => "OrderQueuePosition",
    OrderGroup => "OrderGroup",
    MarketCandlestickHistorical => "MarketCandlestickHistorical",
    PriceDistributionHistorical => "PriceDistributionHistorical",
    BidAskDistributionHistorical => "BidAskDistributionHistorical",
];

/// Enum fields the crate decodes into a closed enum on purpose: an order's or a fill's side
/// decides the sign of a position, so an unseen value is an error the engine must see, not
/// a value to guess.
pub const CLOSED_ON_PURPOSE: &[&str] = &[
    "Order.outcome_side",
    "Order.book_side",
    "Fill.outcome_side",
    "Fill.book_side",
];

fn ticker() -> Ticker {
    Ticker::new("KXHIGHNY-26FEB11-B94.5").unwrap()
}

fn cid(s: &str) -> ClientOrderId {
    ClientOrderId::new(s).unwrap()
}

fn create() -> CreateOrderV2Request {
    CreateOrderV2Request {
        ticker: ticker(),
        client_order_id: Some(cid("tw-1")),
        side: BookSide::Bid,
        count: Count::parse("10").unwrap(),
        price: Price::parse("0.56").unwrap(),
        time_in_force: TimeInForce::GoodTillCanceled,
        self_trade_prevention_type: SelfTradePrevention::Maker,
        expiration_time: Some(1_770_900_000),
        post_only: Some(true),
        cancel_order_on_pause: Some(true),
        reduce_only: Some(false),
        subaccount: Some(0),
        order_group_id: Some("group-1".into()),
        exchange_index: Some(0),
    }
}

fn json<T: Serialize>(t: T) -> Value {
    serde_json::to_value(t).unwrap()
}

fn amend() -> Value {
    json(AmendOrderV2Request {
        ticker: ticker(),
        side: BookSide::Ask,
        price: Price::parse("0.57").unwrap(),
        count: Count::parse("12").unwrap(),
        client_order_id: Some(cid("tw-1")),
        updated_client_order_id: Some(cid("tw-2")),
        expiration_time: Some(0),
        exchange_index: Some(0),
    })
}

fn decrease() -> Value {
    json(DecreaseOrderV2Request {
        reduce_by: Some(Count::parse("1").unwrap()),
        reduce_to: Some(Count::parse("2").unwrap()),
        exchange_index: Some(0),
        market_ticker: Some(ticker()),
    })
}

fn cancel_item() -> BatchCancelOrderItem {
    BatchCancelOrderItem {
        order_id: OrderId::new("ee587a1c-8b87-4dcf-b721-9f6f790619fa").unwrap(),
        subaccount: Some(0),
        exchange_index: Some(0),
        market_ticker: Some(ticker()),
    }
}

macro_rules! requests {
    ($($ty:ty => $model:literal, $full:expr;)+) => {
        &[$(Request { crate_type: stringify!($ty), model: $model, full: $full, decode: decode::<$ty> }),+]
    };
}

/// Crate request type ⇒ model, with a fully populated value.
pub const REQUESTS: &[Request] = requests![
    CreateOrderV2Request => "CreateOrderV2Request", || json(create());
    AmendOrderV2Request => "AmendOrderV2Request", amend;
    DecreaseOrderV2Request => "DecreaseOrderV2Request", decrease;
    BatchCreateOrdersV2Request => "BatchCreateOrdersV2Request",
        || json(BatchCreateOrdersV2Request { orders: vec![create()] });
    BatchCancelOrderItem => "BatchCancelOrdersV2RequestOrdersInner", || json(cancel_item());
    BatchCancelOrdersV2Request => "BatchCancelOrdersV2Request",
        || json(BatchCancelOrdersV2Request { orders: vec![cancel_item()] });
    CreateOrderGroupRequest => "CreateOrderGroupRequest", || json(CreateOrderGroupRequest {
        subaccount: Some(0),
        contracts_limit: Some(10),
        contracts_limit_fp: Some(Count::from_whole(10)),
        exchange_index: Some(0),
    });
    UpdateOrderGroupLimitRequest => "UpdateOrderGroupLimitRequest",
        || json(UpdateOrderGroupLimitRequest {
            contracts_limit: Some(20),
            contracts_limit_fp: Some(Count::from_whole(20)),
        });
];

macro_rules! endpoints {
    ($($e:ident: $req:expr => $resp:expr;)+) => {
        &[$(EndpointRow { endpoint: Endpoint::$e, request: $req, response: $resp }),+]
    };
}

/// Every endpoint the crate knows ⇒ its request and response model.
pub const ENDPOINTS: &[EndpointRow] = endpoints![
    GetExchangeStatus: None => Some("ExchangeStatus");
    GetExchangeSchedule: None => Some("GetExchangeScheduleResponse");
    GetUserDataTimestamp: None => Some("GetUserDataTimestampResponse");
    GetMarkets: None => Some("GetMarketsResponse");
    GetMarketOrderbooks: None => Some("GetMarketOrderbooksResponse");
    GetMarket: None => Some("GetMarketResponse");
    GetMarketOrderbook: None => Some("GetMarketOrderbookResponse");
    GetEvents: None => Some("GetEventsResponse");
    GetEvent: None => Some("GetEventResponse");
    GetSeriesList: None => Some("GetSeriesListResponse");
    GetSeries: None => Some("GetSeriesResponse");
    GetAccountLimits: None => Some("GetAccountApiLimitsResponse");
    GetEndpointCosts: None => Some("GetAccountEndpointCostsResponse");
    GetBalance: None => Some("GetBalanceResponse");
    GetPositions: None => Some("GetPositionsResponse");
    GetFills: None => Some("GetFillsResponse");
    GetSettlements: None => Some("GetSettlementsResponse");
    GetOrders: None => Some("GetOrdersResponse");
    GetOrder: None => Some("GetOrderResponse");
    CreateOrder: Some("CreateOrderV2Request") => Some("CreateOrderV2Response");
    BatchCreateOrders: Some("BatchCreateOrdersV2Request") => Some("BatchCreateOrdersV2Response");
    BatchCancelOrders: Some("BatchCancelOrdersV2Request") => Some("BatchCancelOrdersV2Response");
    CancelAllOrders: None => None;
    CancelOrder: None => Some("CancelOrderV2Response");
    AmendOrder: Some("AmendOrderV2Request") => Some("AmendOrderV2Response");
    DecreaseOrder: Some("DecreaseOrderV2Request") => Some("DecreaseOrderV2Response");
    GetTrades: None => Some("GetTradesResponse");
    GetMarketCandlesticks: None => Some("GetMarketCandlesticksResponse");
    BatchGetMarketCandlesticks: None => Some("BatchGetMarketCandlesticksResponse");
    GetHistoricalCutoff: None => Some("GetHistoricalCutoffResponse");
    GetSeriesFeeChanges: None => Some("GetSeriesFeeChangesResponse");
    GetEventFeeChanges: None => Some("GetEventFeeChangesResponse");
    GetEventMetadata: None => Some("GetEventMetadataResponse");
    GetEventCandlesticks: None => Some("GetEventCandlesticksResponse");
    GetEventForecastPercentilesHistory: None => Some("GetEventForecastPercentilesHistoryResponse");
    GetOrderQueuePositions: None => Some("GetOrderQueuePositionsResponse");
    GetOrderQueuePosition: None => Some("GetOrderQueuePositionResponse");
    GetPortfolioRestingOrderTotalValue: None => Some("GetPortfolioRestingOrderTotalValueResponse");
    CreateOrderGroup: Some("CreateOrderGroupRequest") => Some("CreateOrderGroupResponse");
    GetOrderGroups: None => Some("GetOrderGroupsResponse");
    GetOrderGroup: None => Some("GetOrderGroupResponse");
    DeleteOrderGroup: None => Some("object");
    UpdateOrderGroupLimit: Some("UpdateOrderGroupLimitRequest") => Some("object");
    TriggerOrderGroup: None => Some("object");
    ResetOrderGroup: None => Some("object");
    GetHistoricalMarkets: None => Some("GetMarketsResponse");
    GetHistoricalMarket: None => Some("GetMarketResponse");
    GetMarketCandlesticksHistorical: None => Some("GetMarketCandlesticksHistoricalResponse");
    GetHistoricalTrades: None => Some("GetTradesResponse");
    GetHistoricalFills: None => Some("GetFillsResponse");
    GetHistoricalOrders: None => Some("GetOrdersResponse");
    GetHistoricalPositions: None => Some("GetPositionsResponse");
];
