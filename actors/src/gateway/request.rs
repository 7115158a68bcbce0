//! The gateway's typed requests: one message per REST operation the engine uses, each
//! answered with its typed result or a [`GatewayError`]. [`ApiRequest`] says how to turn a
//! message into an HTTP request (endpoint, path, query, body, batch size), which lane it
//! rides, and how to read the answer.

use std::time::Duration;

use actix::Message;
use kalshi::{
    ClientOrderId, EventTicker, OrderId, SeriesTicker, Ticker,
    rest::{
        AmendOrderV2Request, AmendOrderV2Response, BatchCancelOrdersV2Request,
        BatchCancelOrdersV2Response, BatchCreateOrdersV2Request, BatchCreateOrdersV2Response,
        CancelOrderV2Response, CreateOrderV2Request, CreateOrderV2Response, DecreaseOrderV2Request,
        DecreaseOrderV2Response, Endpoint, ExchangeStatus, GetAccountLimitsResponse,
        GetBalanceResponse, GetEndpointCostsResponse, GetEventResponse, GetEventsResponse,
        GetExchangeScheduleResponse, GetFillsResponse, GetHistoricalCutoffResponse,
        GetHistoricalOrdersParams, GetMarketOrderbookResponse, GetMarketOrderbooksResponse,
        GetMarketResponse, GetMarketsResponse, GetOrderResponse, GetOrdersResponse,
        GetPositionsResponse, GetSeriesResponse, GetSettlementsResponse, Order,
        market_params::{
            GetEventsParams, GetMarketsParams, GetOrderbookParams, GetOrderbooksParams,
        },
        portfolio_params::{
            GetBalanceParams, GetFillsParams, GetOrdersParams, GetPositionsParams,
            GetSettlementsParams,
        },
    },
};
use serde::de::DeserializeOwned;

use super::{dispatch::Lane, error::GatewayError};
use crate::stamps::PathStamps;

/// What came back for a request, before decoding.
#[derive(Debug, Clone)]
pub enum Answer {
    /// A 2xx answer.
    Http {
        /// Status.
        status: u16,
        /// Body.
        body: Vec<u8>,
    },
    /// A create answered 409 (client order id exists) was resolved to the existing order.
    Adopted(Box<Order>),
}

/// How a request may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Idempotent read: retried after 429, 5xx and transport errors.
    Read,
    /// Create with a client order id: retried with the same id after an unknown outcome (a
    /// repeat is refused with 409 and adopted), within the placement deadline.
    Create,
    /// Cancel: retried after 429, 5xx and transport errors, a bounded number of times.
    Cancel,
    /// Other writes: retried only after 429 (not applied); anything else is returned.
    Write,
}

/// A typed REST request the gateway can carry.
pub trait ApiRequest:
    Message<Result = Result<<Self as ApiRequest>::Output, GatewayError>> + Send + 'static
{
    /// The decoded answer.
    type Output: Send + 'static;

    /// The endpoint.
    fn endpoint(&self) -> Endpoint;

    /// The concrete path relative to `/trade-api/v2`.
    fn path(&self) -> String {
        self.endpoint().path()
    }

    /// The query string (without `?`), empty for none.
    fn query(&self) -> String {
        String::new()
    }

    /// The JSON body, if the request has one.
    fn body(&self) -> Result<Option<Vec<u8>>, GatewayError> {
        Ok(None)
    }

    /// Items of a batch (for per-item costs); 1 otherwise.
    fn items(&self) -> u32 {
        1
    }

    /// Its lane.
    fn lane(&self) -> Lane {
        lane_of(self.endpoint())
    }

    /// Its retry policy.
    fn retry(&self) -> Retry {
        match self.lane() {
            Lane::Cancel => Retry::Cancel,
            Lane::Place => Retry::Write,
            Lane::Account | Lane::Metadata => Retry::Read,
        }
    }

    /// Its deadline, given the configured default for placements.
    fn deadline(&self, placement_default: Duration) -> Option<Duration> {
        (self.lane() == Lane::Place).then_some(placement_default)
    }

    /// The market and client order id to adopt an existing order by after a 409.
    fn adoption(&self) -> Option<(Ticker, ClientOrderId)> {
        None
    }

    /// The order path's stamps so far, for a request on that path (a placement).
    fn stamps(&self) -> Option<PathStamps> {
        None
    }

    /// Reads a success answer.
    fn decode(answer: Answer) -> Result<Self::Output, GatewayError>;
}

/// The lane of an endpoint: cancels, then placements, then account reads, then metadata.
pub fn lane_of(endpoint: Endpoint) -> Lane {
    use Endpoint as E;
    match endpoint {
        E::CancelOrder | E::BatchCancelOrders | E::CancelAllOrders => Lane::Cancel,
        E::CreateOrder | E::AmendOrder | E::DecreaseOrder | E::BatchCreateOrders => Lane::Place,
        E::GetBalance
        | E::GetPositions
        | E::GetFills
        | E::GetSettlements
        | E::GetOrders
        | E::GetOrder
        | E::GetHistoricalCutoff
        | E::GetHistoricalOrders
        | E::GetAccountLimits
        | E::GetUserDataTimestamp => Lane::Account,
        _ => Lane::Metadata,
    }
}

/// Decodes a JSON success answer.
pub fn decode_json<T: DeserializeOwned>(answer: Answer) -> Result<T, GatewayError> {
    match answer {
        Answer::Http { body, .. } => serde_json::from_slice(&body).map_err(|e| {
            let text = String::from_utf8_lossy(&body);
            let cut: String = text.chars().take(200).collect();
            GatewayError::Decode {
                reason: format!("{e}; body: {cut}"),
            }
        }),
        Answer::Adopted(_) => Err(GatewayError::Invalid("unexpected adoption".into())),
    }
}

fn json_body<T: serde::Serialize>(body: &T) -> Result<Option<Vec<u8>>, GatewayError> {
    serde_json::to_vec(body)
        .map(Some)
        .map_err(|e| GatewayError::Invalid(e.to_string()))
}

/// Declares a request message: its struct, `Message` impl and `ApiRequest` impl body.
macro_rules! request {
    (
        $(#[$doc:meta])*
        $name:ident { $($(#[$fdoc:meta])* pub $field:ident : $fty:ty),* $(,)? } => $out:ty,
        $endpoint:expr;
        $($body:tt)*
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $($(#[$fdoc])* pub $field: $fty,)*
        }

        impl Message for $name {
            type Result = Result<$out, GatewayError>;
        }

        impl ApiRequest for $name {
            type Output = $out;
            fn endpoint(&self) -> Endpoint {
                $endpoint
            }
            $($body)*
        }
    };
}

/// The answer to [`PlaceOrder`]: the create response, or the existing order adopted after a
/// 409 on its client order id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceOrderAck {
    /// What the exchange reported.
    pub response: CreateOrderV2Response,
    /// True when the order already existed (an earlier attempt had landed) and was adopted.
    pub adopted: bool,
}

request! {
    /// `POST /portfolio/events/orders`. Carries a client order id fixed before the first send;
    /// retries reuse it, and a 409 resolves to the existing order.
    PlaceOrder {
        /// The order.
        pub request: CreateOrderV2Request,
        /// Overrides the configured placement deadline.
        pub deadline: Option<Duration>,
        /// The order path so far (default when it did not start from a book).
        pub stamps: PathStamps,
    } => PlaceOrderAck, Endpoint::CreateOrder;
    fn body(&self) -> Result<Option<Vec<u8>>, GatewayError> {
        json_body(&self.request)
    }
    fn retry(&self) -> Retry {
        if self.request.client_order_id.is_some() { Retry::Create } else { Retry::Write }
    }
    fn deadline(&self, placement_default: Duration) -> Option<Duration> {
        Some(self.deadline.unwrap_or(placement_default))
    }
    fn adoption(&self) -> Option<(Ticker, ClientOrderId)> {
        self.request.client_order_id.clone().map(|c| (self.request.ticker.clone(), c))
    }
    fn stamps(&self) -> Option<PathStamps> {
        Some(self.stamps)
    }
    fn decode(answer: Answer) -> Result<PlaceOrderAck, GatewayError> {
        match answer {
            Answer::Adopted(order) => Ok(PlaceOrderAck {
                response: CreateOrderV2Response {
                    order_id: order.order_id.clone(),
                    client_order_id: order.client_order_id.clone(),
                    fill_count: order.fill_count_fp,
                    remaining_count: order.remaining_count_fp,
                    average_fill_price: None,
                    average_fee_paid: None,
                    ts_ms: order.last_update_time.map_or(0, |t| t.timestamp_millis()),
                },
                adopted: true,
            }),
            http => Ok(PlaceOrderAck { response: decode_json(http)?, adopted: false }),
        }
    }
}

request! {
    /// `DELETE /portfolio/events/orders/{order_id}`; the ticker routes it to its shard.
    CancelOrder {
        /// The order.
        pub order_id: OrderId,
        /// Its market, sent as `market_ticker`.
        pub ticker: Option<Ticker>,
    } => CancelOrderV2Response, Endpoint::CancelOrder;
    fn path(&self) -> String {
        Endpoint::CancelOrder.path_for(&self.order_id)
    }
    fn query(&self) -> String {
        self.ticker.as_ref().map(|t| format!("market_ticker={t}")).unwrap_or_default()
    }
    fn decode(answer: Answer) -> Result<CancelOrderV2Response, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `POST /portfolio/events/orders/{order_id}/amend`.
    AmendOrder {
        /// The order.
        pub order_id: OrderId,
        /// New price and total count.
        pub request: AmendOrderV2Request,
    } => AmendOrderV2Response, Endpoint::AmendOrder;
    fn path(&self) -> String {
        Endpoint::AmendOrder.path_for(&self.order_id)
    }
    fn body(&self) -> Result<Option<Vec<u8>>, GatewayError> {
        json_body(&self.request)
    }
    fn decode(answer: Answer) -> Result<AmendOrderV2Response, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `POST /portfolio/events/orders/{order_id}/decrease`.
    DecreaseOrder {
        /// The order.
        pub order_id: OrderId,
        /// `reduce_by` or `reduce_to`.
        pub request: DecreaseOrderV2Request,
    } => DecreaseOrderV2Response, Endpoint::DecreaseOrder;
    fn path(&self) -> String {
        Endpoint::DecreaseOrder.path_for(&self.order_id)
    }
    fn body(&self) -> Result<Option<Vec<u8>>, GatewayError> {
        json_body(&self.request)
    }
    fn decode(answer: Answer) -> Result<DecreaseOrderV2Response, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `POST /portfolio/events/orders/batched`: per-item results and errors; charged per order.
    BatchCreateOrders {
        /// The orders.
        pub request: BatchCreateOrdersV2Request,
    } => BatchCreateOrdersV2Response, Endpoint::BatchCreateOrders;
    fn body(&self) -> Result<Option<Vec<u8>>, GatewayError> {
        json_body(&self.request)
    }
    fn items(&self) -> u32 {
        self.request.orders.len() as u32
    }
    fn decode(answer: Answer) -> Result<BatchCreateOrdersV2Response, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `DELETE /portfolio/events/orders/batched`: per-item results; charged per order.
    BatchCancelOrders {
        /// The orders.
        pub request: BatchCancelOrdersV2Request,
    } => BatchCancelOrdersV2Response, Endpoint::BatchCancelOrders;
    fn body(&self) -> Result<Option<Vec<u8>>, GatewayError> {
        json_body(&self.request)
    }
    fn items(&self) -> u32 {
        self.request.orders.len() as u32
    }
    fn decode(answer: Answer) -> Result<BatchCancelOrdersV2Response, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `DELETE /portfolio/events/orders`: cancels every resting order (204).
    CancelAllOrders {} => (), Endpoint::CancelAllOrders;
    fn decode(_answer: Answer) -> Result<(), GatewayError> {
        Ok(())
    }
}

request! {
    /// `GET /portfolio/orders/{order_id}`.
    GetOrder {
        /// The order.
        pub order_id: OrderId,
    } => GetOrderResponse, Endpoint::GetOrder;
    fn path(&self) -> String {
        Endpoint::GetOrder.path_for(&self.order_id)
    }
    fn decode(answer: Answer) -> Result<GetOrderResponse, GatewayError> {
        decode_json(answer)
    }
}

/// Declares a read with a `params` struct rendered as the query.
macro_rules! read {
    ($(#[$doc:meta])* $name:ident($params:ty) => $out:ty, $endpoint:expr) => {
        request! {
            $(#[$doc])*
            $name {
                /// Query parameters.
                pub params: $params,
            } => $out, $endpoint;
            fn query(&self) -> String {
                self.params.to_query()
            }
            fn decode(answer: Answer) -> Result<$out, GatewayError> {
                decode_json(answer)
            }
        }
    };
}

// The market-history reads (`history_requests`) are declared with the same macros.
pub(super) use {read, request};

read!(
    /// `GET /portfolio/orders`.
    GetOrders(GetOrdersParams) => GetOrdersResponse, Endpoint::GetOrders
);
read!(
    /// `GET /historical/orders`: orders last updated before the cutoff, which
    /// `GET /portfolio/orders` no longer lists.
    GetHistoricalOrders(GetHistoricalOrdersParams) => GetOrdersResponse, Endpoint::GetHistoricalOrders
);
read!(
    /// `GET /portfolio/balance`.
    GetBalance(GetBalanceParams) => GetBalanceResponse, Endpoint::GetBalance
);
read!(
    /// `GET /portfolio/positions`.
    GetPositions(GetPositionsParams) => GetPositionsResponse, Endpoint::GetPositions
);
read!(
    /// `GET /portfolio/fills`.
    GetFills(GetFillsParams) => GetFillsResponse, Endpoint::GetFills
);
read!(
    /// `GET /portfolio/settlements`.
    GetSettlements(GetSettlementsParams) => GetSettlementsResponse, Endpoint::GetSettlements
);
read!(
    /// `GET /markets`.
    GetMarkets(GetMarketsParams) => GetMarketsResponse, Endpoint::GetMarkets
);
read!(
    /// `GET /events`.
    GetEvents(GetEventsParams) => GetEventsResponse, Endpoint::GetEvents
);
read!(
    /// `GET /markets/orderbooks`.
    GetOrderbooks(GetOrderbooksParams) => GetMarketOrderbooksResponse, Endpoint::GetMarketOrderbooks
);

request! {
    /// `GET /markets/{ticker}`.
    GetMarket {
        /// The market.
        pub ticker: Ticker,
    } => GetMarketResponse, Endpoint::GetMarket;
    fn path(&self) -> String {
        Endpoint::GetMarket.path_for(&self.ticker)
    }
    fn decode(answer: Answer) -> Result<GetMarketResponse, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `GET /markets/{ticker}/orderbook`.
    GetOrderbook {
        /// The market.
        pub ticker: Ticker,
        /// Depth.
        pub params: GetOrderbookParams,
    } => GetMarketOrderbookResponse, Endpoint::GetMarketOrderbook;
    fn path(&self) -> String {
        Endpoint::GetMarketOrderbook.path_for(&self.ticker)
    }
    fn query(&self) -> String {
        self.params.to_query()
    }
    fn decode(answer: Answer) -> Result<GetMarketOrderbookResponse, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `GET /events/{event_ticker}`.
    GetEvent {
        /// The event.
        pub event_ticker: EventTicker,
    } => GetEventResponse, Endpoint::GetEvent;
    fn path(&self) -> String {
        Endpoint::GetEvent.path_for(&self.event_ticker)
    }
    fn decode(answer: Answer) -> Result<GetEventResponse, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `GET /series/{series_ticker}`.
    GetSeries {
        /// The series.
        pub series_ticker: SeriesTicker,
    } => GetSeriesResponse, Endpoint::GetSeries;
    fn path(&self) -> String {
        Endpoint::GetSeries.path_for(&self.series_ticker)
    }
    fn decode(answer: Answer) -> Result<GetSeriesResponse, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `GET /historical/cutoff`: up to when each kind of data has moved to `/historical/*`.
    GetHistoricalCutoff {} => GetHistoricalCutoffResponse, Endpoint::GetHistoricalCutoff;
    fn decode(answer: Answer) -> Result<GetHistoricalCutoffResponse, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `GET /exchange/status`.
    GetExchangeStatus {} => ExchangeStatus, Endpoint::GetExchangeStatus;
    fn decode(answer: Answer) -> Result<ExchangeStatus, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `GET /exchange/schedule`.
    GetExchangeSchedule {} => GetExchangeScheduleResponse, Endpoint::GetExchangeSchedule;
    fn decode(answer: Answer) -> Result<GetExchangeScheduleResponse, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `GET /account/limits`.
    GetAccountLimits {} => GetAccountLimitsResponse, Endpoint::GetAccountLimits;
    fn decode(answer: Answer) -> Result<GetAccountLimitsResponse, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `GET /account/endpoint_costs`.
    GetEndpointCosts {} => GetEndpointCostsResponse, Endpoint::GetEndpointCosts;
    fn decode(answer: Answer) -> Result<GetEndpointCostsResponse, GatewayError> {
        decode_json(answer)
    }
}
