//! The URL map: Kalshi's REST API under `/trade-api/v2` (paths from `kalshi::rest::Endpoint`
//! templates), the WebSocket at `/trade-api/ws/v2`, the admin interface under `/_sim`, and the
//! middleware that logs and counts every API response. Two fault switches act here: the
//! `ws_refuse_upgrades` door in front of the WebSocket, and the `Date` header the middleware
//! moves by `clock_skew_ms`.

use actix_web::{
    Error, HttpMessage, HttpRequest, HttpResponse, Scope,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{DATE, HeaderValue},
    middleware::{Next, from_fn},
    web,
};
use kalshi::rest::{API_PREFIX, Endpoint as E, WS_PATH};

use super::{
    admin,
    error::SimError,
    gate::CallerId,
    rest_account, rest_events, rest_exchange, rest_forecast, rest_historical, rest_history,
    rest_markets, rest_orders, rest_portfolio, rest_queue,
    state::{RequestRecord, Shared, lock},
    ws,
};

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource(WS_PATH).route(web::get().to(upgrade)));
    cfg.service(admin::scope());
    let api = portfolio(market_data(web::scope(API_PREFIX)));
    cfg.service(
        api.wrap(from_fn(record))
            .default_service(web::to(not_found)),
    );
}

/// The exchange, market-data and history endpoints.
fn market_data(scope: Scope) -> Scope {
    scope
        .service(
            resource(E::GetExchangeStatus).route(web::get().to(rest_exchange::exchange_status)),
        )
        .service(
            resource(E::GetExchangeSchedule)
                .route(web::get().to(rest_exchange::exchange_schedule)),
        )
        .service(
            resource(E::GetUserDataTimestamp)
                .route(web::get().to(rest_exchange::user_data_timestamp)),
        )
        .service(resource(E::GetMarkets).route(web::get().to(rest_markets::markets)))
        .service(
            resource(E::GetMarketOrderbooks).route(web::get().to(rest_markets::orderbooks)),
        )
        // Literal `/markets/…` paths before `/markets/{ticker}`, which would take them.
        .service(resource(E::GetTrades).route(web::get().to(rest_history::trades)))
        .service(
            resource(E::BatchGetMarketCandlesticks)
                .route(web::get().to(rest_history::batch_candlesticks)),
        )
        .service(resource(E::GetMarket).route(web::get().to(rest_markets::market)))
        .service(resource(E::GetMarketOrderbook).route(web::get().to(rest_markets::orderbook)))
        .service(resource(E::GetEvents).route(web::get().to(rest_markets::events)))
        // Literal `/events/…` and `/series/…` paths before the `{…}` ones, which would take
        // them.
        .service(
            resource(E::GetEventFeeChanges).route(web::get().to(rest_events::event_fee_changes)),
        )
        .service(resource(E::GetEvent).route(web::get().to(rest_markets::event)))
        .service(
            resource(E::GetEventMetadata).route(web::get().to(rest_events::event_metadata)),
        )
        .service(resource(E::GetSeriesList).route(web::get().to(rest_markets::series_list)))
        .service(
            resource(E::GetSeriesFeeChanges)
                .route(web::get().to(rest_events::series_fee_changes)),
        )
        .service(resource(E::GetSeries).route(web::get().to(rest_markets::series)))
        .service(
            resource(E::GetMarketCandlesticks)
                .route(web::get().to(rest_history::market_candlesticks)),
        )
        .service(
            resource(E::GetEventForecastPercentilesHistory)
                .route(web::get().to(rest_forecast::forecast_history)),
        )
        .service(
            resource(E::GetEventCandlesticks)
                .route(web::get().to(rest_history::event_candlesticks)),
        )
        .service(resource(E::GetHistoricalCutoff).route(web::get().to(rest_historical::cutoff)))
        .service(
            resource(E::GetHistoricalMarkets).route(web::get().to(rest_historical::markets)),
        )
        .service(resource(E::GetHistoricalMarket).route(web::get().to(rest_historical::market)))
        .service(
            resource(E::GetMarketCandlesticksHistorical)
                .route(web::get().to(rest_historical::candlesticks)),
        )
        .service(resource(E::GetHistoricalTrades).route(web::get().to(rest_historical::trades)))
        .service(resource(E::GetHistoricalFills).route(web::get().to(rest_historical::fills)))
        .service(resource(E::GetHistoricalOrders).route(web::get().to(rest_historical::orders)))
        .service(
            resource(E::GetHistoricalPositions).route(web::get().to(rest_historical::positions)),
        )
}

/// The account, portfolio and order endpoints, and the dead V1 order writes.
fn portfolio(scope: Scope) -> Scope {
    scope
        .service(resource(E::GetAccountLimits).route(web::get().to(rest_account::limits)))
        .service(resource(E::GetEndpointCosts).route(web::get().to(rest_account::endpoint_costs)))
        .service(resource(E::GetBalance).route(web::get().to(rest_portfolio::balance)))
        .service(resource(E::GetPositions).route(web::get().to(rest_portfolio::positions)))
        .service(resource(E::GetFills).route(web::get().to(rest_portfolio::fills)))
        .service(resource(E::GetSettlements).route(web::get().to(rest_portfolio::settlements)))
        .service(
            resource(E::GetPortfolioRestingOrderTotalValue)
                .route(web::get().to(rest_queue::resting_order_value)),
        )
        // Literal `/portfolio/orders/…` paths before `/portfolio/orders/{order_id}`.
        .service(
            resource(E::GetOrderQueuePositions).route(web::get().to(rest_queue::queue_positions)),
        )
        .service(
            resource(E::GetOrderQueuePosition).route(web::get().to(rest_queue::queue_position)),
        )
        .service(
            resource(E::GetOrders)
                .route(web::get().to(rest_portfolio::orders))
                .route(web::post().to(deprecated_v1)),
        )
        .service(
            web::resource("/portfolio/orders/batched")
                .route(web::post().to(deprecated_v1))
                .route(web::delete().to(deprecated_v1)),
        )
        .service(
            resource(E::GetOrder)
                .route(web::get().to(rest_portfolio::order))
                .route(web::delete().to(deprecated_v1)),
        )
        .service(
            web::resource([
                "/portfolio/orders/{order_id}/amend",
                "/portfolio/orders/{order_id}/decrease",
            ])
            .route(web::post().to(deprecated_v1)),
        )
        .service(
            resource(E::CreateOrder)
                .route(web::post().to(rest_orders::create))
                .route(web::delete().to(rest_orders::cancel_all)),
        )
        .service(
            resource(E::BatchCreateOrders)
                .route(web::post().to(rest_orders::batch_create))
                .route(web::delete().to(rest_orders::batch_cancel)),
        )
        .service(resource(E::CancelOrder).route(web::delete().to(rest_orders::cancel)))
        .service(resource(E::AmendOrder).route(web::post().to(rest_orders::amend)))
        .service(resource(E::DecreaseOrder).route(web::post().to(rest_orders::decrease)))
        .service(resource(E::GetOrderGroups).route(web::get().to(rest_orders::list_groups)))
        // `/create` before `/{order_group_id}`, which would take it.
        .service(
            resource(E::CreateOrderGroup).route(web::post().to(rest_orders::create_group)),
        )
        .service(
            resource(E::GetOrderGroup)
                .route(web::get().to(rest_orders::get_group))
                .route(web::delete().to(rest_orders::delete_group)),
        )
        .service(
            resource(E::UpdateOrderGroupLimit).route(web::put().to(rest_orders::update_limit)),
        )
        .service(
            resource(E::TriggerOrderGroup).route(web::put().to(rest_orders::trigger_group)),
        )
        .service(resource(E::ResetOrderGroup).route(web::put().to(rest_orders::reset_group)))
}

fn resource(e: E) -> actix_web::Resource {
    web::resource(e.template()).default_service(web::to(method_not_allowed))
}

async fn not_found(req: HttpRequest) -> SimError {
    SimError::not_found(format!("no endpoint {} {}", req.method(), req.path()))
}

async fn method_not_allowed(req: HttpRequest) -> SimError {
    SimError::new(
        405,
        "method_not_allowed",
        format!("{} is not allowed on {}", req.method(), req.path()),
    )
}

/// V1 order writes are dead on Kalshi: they answer this error (kalshi-api.md §3.5). The
/// simulator answers 400; Kalshi has been seen sending it with a 2xx status (UNCERTAIN).
async fn deprecated_v1() -> SimError {
    SimError::new(
        400,
        "deprecated_v1_order_endpoint",
        "Please switch to the V2 endpoints",
    )
}

/// The WebSocket door: refused with 503 while `ws_refuse_upgrades` is on (before any auth,
/// as a closed endpoint would), else the authenticated upgrade.
async fn upgrade(
    shared: web::Data<Shared>,
    req: HttpRequest,
    body: web::Payload,
) -> actix_web::Result<HttpResponse> {
    if lock(&shared.faults).ws_refuse_upgrades {
        shared.count_status(503);
        return Err(SimError::new(
            503,
            "service_unavailable",
            "WebSocket upgrades are refused (fault switch ws_refuse_upgrades)",
        )
        .into());
    }
    ws::connect(shared, req, body).await
}

/// The `Date` header of an exchange whose clock is `skew_ms` off the simulator's.
fn skewed_date(shared: &Shared, skew_ms: i64) -> Option<HeaderValue> {
    let at = shared.clock.now() + chrono::Duration::milliseconds(skew_ms);
    HeaderValue::from_str(&at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()).ok()
}

/// Logs and counts every API response.
async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let shared = req.app_data::<web::Data<Shared>>().cloned();
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let query = req.query_string().to_owned();
    let arrival_ns = shared.as_ref().map_or(0, |s| s.clock.monotonic_ns());
    let mut res = next.call(req).await?;
    if let Some(shared) = shared {
        let skew_ms = lock(&shared.faults).clock_skew_ms;
        if skew_ms != 0
            && let Some(date) = skewed_date(&shared, skew_ms)
        {
            // A `Date` set here replaces the one the server would add.
            res.headers_mut().insert(DATE, date);
        }
        let status = res.status().as_u16();
        shared.count_status(status);
        let account_id = res
            .request()
            .extensions()
            .get::<CallerId>()
            .map(|c| c.0.clone());
        let done_ns = shared.clock.monotonic_ns();
        shared.log_request(RequestRecord {
            arrival_ns,
            done_ns,
            method,
            path,
            query,
            account_id,
            status,
        });
    }
    Ok(res)
}
