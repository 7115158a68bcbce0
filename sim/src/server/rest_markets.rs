//! Market-data endpoints: markets (filters and cursor pagination), one market, order books,
//! events and series.
//!
//! Markets settled before the historical cutoff (`historical_after_s`) leave `GET /markets`
//! for `/historical/markets`; `GET /markets/{ticker}` and the events' nested markets still
//! show them (UNCERTAIN: Kalshi documents only that the lists move).
//!
//! Choices where Kalshi is silent: the series' `volume_fp` (`include_volume=true`) is the
//! contracts traded in all its markets; the other documented flags that shape Kalshi's answer
//! (`with_milestones`, `include_product_metadata`, `min_updated_ts` of `/series`) are
//! accepted and change nothing (the simulator has no milestones or product metadata).

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use kalshi::{
    Count,
    rest::{
        Endpoint as E, EventData, GetEventResponse, GetEventsResponse, GetMarketOrderbookResponse,
        GetMarketOrderbooksResponse, GetMarketResponse, GetMarketsResponse, GetSeriesListResponse,
        GetSeriesResponse, JsonDecimal, MarketOrderbook, Series, SettlementSource,
        events::FeeType as WireFeeType,
        market_params::{
            GetEventParams, GetEventsParams, GetMarketsParams, GetOrderbookParams,
            GetOrderbooksParams, GetSeriesListParams, GetSeriesParams,
        },
    },
    types::MarketStatusFilter,
};

use super::{
    convert,
    error::SimError,
    gate::admit,
    respond::{invalid_query, json, older, page},
    state::{Core, Shared},
};
use kalshi::fees::FeeType;

use crate::{catalogue::SimEventSpec, engine::SimMarket};

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
    let cutoff = shared.historical_cutoff();
    let (markets, cursor) = shared
        .read_core(|c| {
            let items = c
                .exchange
                .markets()
                .filter(|m| {
                    matches_market(m, &p) && !m.settled_at.is_some_and(|s| older(s, cutoff))
                })
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

/// Where every event's result comes from.
pub(super) fn event_settlement_sources() -> Vec<SettlementSource> {
    vec![SettlementSource {
        name: "National Weather Service".into(),
        url: "https://www.weather.gov/".into(),
    }]
}

/// The event with this ticker, if the simulator lists it.
pub(super) fn find_event<'c>(core: &'c Core, ticker: &str) -> Option<&'c SimEventSpec> {
    core.world
        .events()
        .iter()
        .find(|e| e.event_ticker.as_str() == ticker)
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
        settlement_sources: event_settlement_sources(),
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

/// `GET /events/{event_ticker}`: the markets in the (deprecated, still required) top-level
/// `markets`, and in `event.markets` too with `with_nested_markets=true`.
pub async fn event(
    shared: web::Data<Shared>,
    req: HttpRequest,
    ticker: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetEvent, 1).await?;
    let p = GetEventParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let found = shared
        .read_core(|c| {
            let i = c
                .world
                .events()
                .iter()
                .position(|e| e.event_ticker.as_str() == ticker.as_str())?;
            let mut event = event_data(c, i, true)?;
            let markets = event.markets.clone().unwrap_or_default();
            if p.with_nested_markets != Some(true) {
                event.markets = None;
            }
            Some(GetEventResponse { event, markets })
        })
        .0;
    let resp = found.ok_or_else(|| SimError::not_found(format!("event {ticker} not found")))?;
    Ok(json(200, &resp))
}

/// Contracts traded in every market of a series.
fn series_volume(core: &Core, ticker: &str) -> Count {
    core.exchange
        .markets()
        .filter(|m| m.info.series_ticker.as_str() == ticker)
        .map(|m| m.volume)
        .sum()
}

fn series_of(core: &Core, shared: &Shared, ticker: &str, volume: bool) -> Option<Series> {
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
        volume_fp: volume.then(|| series_volume(core, ticker)),
    })
}

/// `GET /series`.
pub async fn series_list(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetSeriesList, 1).await?;
    let p = GetSeriesListParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let volume = p.include_volume == Some(true);
    let series = shared
        .read_core(|c| {
            let mut seen = std::collections::BTreeSet::new();
            c.world
                .events()
                .iter()
                .filter(|e| seen.insert(e.series_ticker.clone()))
                .filter_map(|e| series_of(c, &shared, e.series_ticker.as_str(), volume))
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
    let p = GetSeriesParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let volume = p.include_volume == Some(true);
    let found = shared
        .read_core(|c| series_of(c, &shared, &ticker, volume))
        .0;
    let series = found.ok_or_else(|| SimError::not_found(format!("series {ticker} not found")))?;
    Ok(json(200, &GetSeriesResponse { series }))
}
