//! Market-data endpoints: exchange status and schedule, markets (filters and cursor
//! pagination), one market, order books, events and series.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveTime, TimeZone, Utc};
use kalshi::{
    rest::{
        DailySession, Endpoint as E, EventData, ExchangeStatus, GetEventResponse,
        GetEventsResponse, GetExchangeScheduleResponse, GetMarketOrderbookResponse,
        GetMarketOrderbooksResponse, GetMarketResponse, GetMarketsResponse, GetSeriesListResponse,
        GetSeriesResponse, GetUserDataTimestampResponse, JsonDecimal, MarketOrderbook, Schedule,
        Series, SettlementSource, StandardHours,
        events::FeeType as WireFeeType,
        market_params::{
            GetEventsParams, GetMarketsParams, GetOrderbookParams, GetOrderbooksParams,
            GetSeriesListParams,
        },
    },
    types::MarketStatusFilter,
};

use super::{
    convert,
    error::SimError,
    gate::admit,
    respond::{invalid_query, json, page},
    state::{Core, Shared},
};
use kalshi::fees::FeeType;

use crate::engine::SimMarket;

/// `GET /exchange/status`.
pub async fn exchange_status(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetExchangeStatus, 1).await?;
    let trading = shared.read_core(|c| c.exchange.trading_active()).0;
    Ok(json(
        200,
        &ExchangeStatus {
            exchange_active: true,
            trading_active: trading,
            intra_exchange_transfers_active: Some(true),
            exchange_estimated_resume_time: None,
            exchange_index_statuses: Vec::new(),
        },
    ))
}

/// `GET /exchange/schedule`: open around the clock; no maintenance windows unless configured.
pub async fn exchange_schedule(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetExchangeSchedule, 1).await?;
    let day = || {
        vec![DailySession {
            open_time: NaiveTime::from_hms_opt(0, 0, 0).unwrap_or_default(),
            close_time: NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default(),
        }]
    };
    let start = Utc
        .with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let end = Utc
        .with_ymd_and_hms(2099, 12, 31, 0, 0, 0)
        .single()
        .unwrap_or_default();
    Ok(json(
        200,
        &GetExchangeScheduleResponse {
            schedule: Schedule {
                standard_hours: vec![StandardHours {
                    start_time: start,
                    end_time: end,
                    monday: day(),
                    tuesday: day(),
                    wednesday: day(),
                    thursday: day(),
                    friday: day(),
                    saturday: day(),
                    sunday: day(),
                }],
                maintenance_windows: shared.config.maintenance_windows.clone(),
            },
        },
    ))
}

/// `GET /exchange/user_data_timestamp`: the simulator's portfolio data never lags.
pub async fn user_data_timestamp(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetUserDataTimestamp, 1).await?;
    Ok(json(
        200,
        &GetUserDataTimestampResponse {
            as_of_time: shared.clock.now(),
        },
    ))
}

fn matches_market(m: &SimMarket, p: &GetMarketsParams) -> bool {
    let ts = |t: chrono::DateTime<Utc>| t.timestamp();
    let within = |v: i64, lo: Option<i64>, hi: Option<i64>| {
        lo.is_none_or(|l| v >= l) && hi.is_none_or(|h| v <= h)
    };
    p.event_ticker
        .as_ref()
        .is_none_or(|e| *e == m.info.event_ticker)
        && p.series_ticker
            .as_ref()
            .is_none_or(|s| *s == m.info.series_ticker)
        && p.status.is_none_or(|s| s.matches(&m.status))
        && (p.tickers.is_empty() || p.tickers.contains(&m.info.ticker))
        && within(ts(m.info.created_time), p.min_created_ts, p.max_created_ts)
        && within(ts(m.updated_time), p.min_updated_ts, p.max_updated_ts)
        && within(ts(m.info.close_time), p.min_close_ts, p.max_close_ts)
        && m.settled_at.map_or(
            p.min_settled_ts.is_none() && p.max_settled_ts.is_none(),
            |s| within(ts(s), p.min_settled_ts, p.max_settled_ts),
        )
}

/// `GET /markets`.
pub async fn markets(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetMarkets, 1).await?;
    let p = GetMarketsParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let limit = p.limit.unwrap_or(100) as usize;
    let (markets, cursor) = shared
        .read_core(|c| {
            let items = c
                .exchange
                .markets()
                .filter(|m| matches_market(m, &p))
                .map(|m| (m.info.ticker.to_string(), convert::market(m)))
                .collect();
            page(items, p.cursor.as_deref(), limit)
        })
        .0;
    Ok(json(200, &GetMarketsResponse { markets, cursor }))
}

/// `GET /markets/{ticker}`.
pub async fn market(
    shared: web::Data<Shared>,
    req: HttpRequest,
    ticker: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetMarket, 1).await?;
    let market = shared
        .read_core(|c| c.exchange.market(&ticker).map(convert::market))
        .0;
    let market = market.ok_or_else(|| {
        SimError::new(
            404,
            "market_not_found",
            format!("market {ticker} not found"),
        )
    })?;
    Ok(json(200, &GetMarketResponse { market }))
}

/// `GET /markets/{ticker}/orderbook?depth=`.
pub async fn orderbook(
    shared: web::Data<Shared>,
    req: HttpRequest,
    ticker: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetMarketOrderbook, 1).await?;
    let p = GetOrderbookParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let depth = p.depth.unwrap_or(0) as usize;
    let book = shared
        .read_core(|c| {
            c.exchange
                .market(&ticker)
                .map(|m| convert::orderbook(&m.book, depth))
        })
        .0;
    let orderbook_fp = book.ok_or_else(|| {
        SimError::new(
            404,
            "market_not_found",
            format!("market {ticker} not found"),
        )
    })?;
    Ok(json(200, &GetMarketOrderbookResponse { orderbook_fp }))
}

/// `GET /markets/orderbooks?tickers=A&tickers=B`.
pub async fn orderbooks(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetMarketOrderbooks, 1).await?;
    let p = GetOrderbooksParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let orderbooks = shared
        .read_core(|c| {
            p.tickers
                .iter()
                .filter_map(|t| {
                    c.exchange.market(t).map(|m| MarketOrderbook {
                        ticker: t.clone(),
                        orderbook_fp: convert::orderbook(&m.book, 0),
                    })
                })
                .collect()
        })
        .0;
    Ok(json(200, &GetMarketOrderbooksResponse { orderbooks }))
}

fn event_data(core: &Core, index: usize, nested: bool) -> Option<EventData> {
    let spec = core.world.events().get(index)?;
    let markets: Vec<_> = spec
        .markets
        .iter()
        .filter_map(|t| core.exchange.market(t))
        .collect();
    Some(EventData {
        event_ticker: spec.event_ticker.clone(),
        series_ticker: spec.series_ticker.clone(),
        title: spec.title.clone(),
        sub_title: spec.date.format("On %b %-d, %Y").to_string(),
        collateral_return_type: "MECNET".into(),
        mutually_exclusive: true,
        category: Some("Climate and Weather".into()),
        strike_date: markets.first().map(|m| m.info.close_time),
        strike_period: None,
        markets: nested.then(|| markets.iter().map(|m| convert::market(m)).collect()),
        settlement_sources: vec![SettlementSource {
            name: "National Weather Service".into(),
            url: "https://www.weather.gov/".into(),
        }],
        fee_type_override: None,
        fee_multiplier_override: None,
        exchange_index: Some(0),
    })
}

fn event_matches(core: &Core, index: usize, p: &GetEventsParams) -> bool {
    let Some(spec) = core.world.events().get(index) else {
        return false;
    };
    let markets: Vec<_> = spec
        .markets
        .iter()
        .filter_map(|t| core.exchange.market(t))
        .collect();
    p.series_ticker
        .as_ref()
        .is_none_or(|s| *s == spec.series_ticker)
        && (p.tickers.is_empty() || p.tickers.contains(&spec.event_ticker))
        && p.status
            .is_none_or(|s: MarketStatusFilter| markets.iter().any(|m| s.matches(&m.status)))
        && p.min_close_ts
            .is_none_or(|t| markets.iter().any(|m| m.info.close_time.timestamp() >= t))
}

/// `GET /events`.
pub async fn events(shared: web::Data<Shared>, req: HttpRequest) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetEvents, 1).await?;
    let p = GetEventsParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let limit = p.limit.unwrap_or(200) as usize;
    let nested = p.with_nested_markets.unwrap_or(false);
    let (events, cursor) = shared
        .read_core(|c| {
            let mut items: Vec<(String, EventData)> = (0..c.world.events().len())
                .filter(|i| event_matches(c, *i, &p))
                .filter_map(|i| event_data(c, i, nested))
                .map(|e| (e.event_ticker.to_string(), e))
                .collect();
            items.sort_by(|a, b| a.0.cmp(&b.0));
            page(items, p.cursor.as_deref(), limit)
        })
        .0;
    Ok(json(
        200,
        &GetEventsResponse {
            events,
            milestones: None,
            cursor,
        },
    ))
}

/// `GET /events/{event_ticker}`.
pub async fn event(
    shared: web::Data<Shared>,
    req: HttpRequest,
    ticker: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetEvent, 1).await?;
    let found = shared
        .read_core(|c| {
            let i = c
                .world
                .events()
                .iter()
                .position(|e| e.event_ticker.as_str() == ticker.as_str())?;
            let event = event_data(c, i, true)?;
            let markets = event.markets.clone().unwrap_or_default();
            Some(GetEventResponse { event, markets })
        })
        .0;
    let resp = found.ok_or_else(|| SimError::not_found(format!("event {ticker} not found")))?;
    Ok(json(200, &resp))
}

fn series_of(core: &Core, shared: &Shared, ticker: &str) -> Option<Series> {
    let spec = core
        .world
        .events()
        .iter()
        .find(|e| e.series_ticker.as_str() == ticker)?;
    let city = shared.config.catalogue.cities.get(spec.city)?;
    let (fee_type, multiplier) = match shared.config.catalogue.fee_type {
        FeeType::Quadratic => (WireFeeType::Quadratic, 1),
        FeeType::QuadraticWithMakerFees => (WireFeeType::QuadraticWithMakerFees, 1),
        FeeType::Free => (WireFeeType::Quadratic, 0),
    };
    Some(Series {
        ticker: spec.series_ticker.clone(),
        frequency: "daily".into(),
        title: format!("Highest temperature in {}", city.name),
        category: "Climate and Weather".into(),
        categories: vec!["Climate and Weather".into()],
        tags: vec!["Weather".into()],
        settlement_sources: vec![SettlementSource {
            name: format!("NWS Climatological Report (Daily), {}", city.station),
            url: "https://www.weather.gov/".into(),
        }],
        contract_url: String::new(),
        contract_terms_url: String::new(),
        fee_type,
        fee_multiplier: JsonDecimal::from_int(multiplier).unwrap_or_default(),
        additional_prohibitions: Vec::new(),
        product_metadata: None,
        volume_fp: None,
    })
}

/// `GET /series`.
pub async fn series_list(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetSeriesList, 1).await?;
    GetSeriesListParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let series = shared
        .read_core(|c| {
            let mut seen = std::collections::BTreeSet::new();
            c.world
                .events()
                .iter()
                .filter(|e| seen.insert(e.series_ticker.clone()))
                .filter_map(|e| series_of(c, &shared, e.series_ticker.as_str()))
                .collect()
        })
        .0;
    Ok(json(200, &GetSeriesListResponse { series }))
}

/// `GET /series/{series_ticker}`.
pub async fn series(
    shared: web::Data<Shared>,
    req: HttpRequest,
    ticker: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetSeries, 1).await?;
    let found = shared.read_core(|c| series_of(c, &shared, &ticker)).0;
    let series = found.ok_or_else(|| SimError::not_found(format!("series {ticker} not found")))?;
    Ok(json(200, &GetSeriesResponse { series }))
}
