//! The historical endpoints: `GET /historical/cutoff` and the data older than it — markets
//! settled before the cutoff (list, one, archived candlesticks), trades made before it
//! (public), and the caller's fills made before it, orders ended (canceled or executed)
//! before it and positions in markets settled before it (signed).
//!
//! The cutoff is `historical_after_s` (SimConfig) before now, never earlier than the
//! simulator's start; without the setting it is the start and nothing is historical, so
//! the lists are empty and a market is a 404 — the simulator holds nothing older. The live
//! lists leave out what is historical (`rest_markets`, `rest_history`, `rest_portfolio`).
//! Paging and filters are those of the live twin; a market that is not historical is
//! `404 market_not_found` here, also for its candlesticks.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use kalshi::{
    error::codes,
    rest::{
        Endpoint as E, GetFillsParams, GetFillsResponse, GetHistoricalCutoffResponse,
        GetHistoricalFillsParams, GetHistoricalMarketsParams, GetHistoricalOrdersParams,
        GetHistoricalPositionsParams, GetMarketCandlesticksHistoricalParams,
        GetMarketCandlesticksHistoricalResponse, GetMarketResponse, GetMarketsResponse,
        GetOrdersParams, GetOrdersResponse, GetPositionsParams, GetTradesParams, GetTradesResponse,
    },
};

use super::{
    convert,
    error::SimError,
    gate::admit,
    respond::{invalid_query, json, older, page, page_newest, primary_only, within},
    rest_portfolio::{ended_before, fills_page, orders_page, positions_page, unknown_account},
    state::Shared,
};
use crate::engine::{Exchange, SimMarket, SimOrder};

/// Whether `m` settled before `cutoff`.
fn settled_before(m: &SimMarket, cutoff: Option<DateTime<Utc>>) -> bool {
    m.settled_at.is_some_and(|s| older(s, cutoff))
}

fn not_historical(ticker: &str) -> SimError {
    SimError::new(
        404,
        codes::MARKET_NOT_FOUND,
        format!("market {ticker} is not historical"),
    )
}

/// `GET /historical/cutoff`.
pub async fn cutoff(shared: web::Data<Shared>, req: HttpRequest) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetHistoricalCutoff, 1).await?;
    let at = shared.historical_cutoff().unwrap_or(shared.started);
    Ok(json(
        200,
        &GetHistoricalCutoffResponse {
            market_settled_ts: at,
            trades_created_ts: at,
            orders_updated_ts: at,
            market_positions_last_updated_ts: Some(at),
        },
    ))
}

fn keep_market(m: &SimMarket, p: &GetHistoricalMarketsParams) -> bool {
    p.event_ticker
        .as_ref()
        .is_none_or(|e| *e == m.info.event_ticker)
        && p.series_ticker
            .as_ref()
            .is_none_or(|s| *s == m.info.series_ticker)
        && (p.tickers.is_empty() || p.tickers.contains(&m.info.ticker))
        && p.mve_filter != Some(kalshi::rest::market_params::MveFilter::Only)
}

/// `GET /historical/markets`, by ticker. The simulator lists no multivariate markets, so
/// `mve_filter=only` lists none.
pub async fn markets(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetHistoricalMarkets, 1).await?;
    let p = GetHistoricalMarketsParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let cutoff = shared.historical_cutoff();
    let limit = p.limit.unwrap_or(100) as usize;
    let (markets, cursor) = shared
        .read_core(|c| {
            let items = c
                .exchange
                .markets()
                .filter(|m| settled_before(m, cutoff) && keep_market(m, &p))
                .map(|m| (m.info.ticker.to_string(), convert::market(m)))
                .collect();
            page(items, p.cursor.as_deref(), limit)
        })
        .0;
    Ok(json(200, &GetMarketsResponse { markets, cursor }))
}

/// `GET /historical/markets/{ticker}`.
pub async fn market(
    shared: web::Data<Shared>,
    req: HttpRequest,
    ticker: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetHistoricalMarket, 1).await?;
    let cutoff = shared.historical_cutoff();
    let market = shared
        .read_core(|c| {
            let m = c.exchange.market(&ticker)?;
            settled_before(m, cutoff).then(|| convert::market(m))
        })
        .0
        .ok_or_else(|| not_historical(&ticker))?;
    Ok(json(200, &GetMarketResponse { market }))
}

/// `GET /historical/markets/{ticker}/candlesticks`: the market's candles, archived shape.
pub async fn candlesticks(
    shared: web::Data<Shared>,
    req: HttpRequest,
    ticker: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetMarketCandlesticksHistorical, 1).await?;
    let p = GetMarketCandlesticksHistoricalParams::parse_valid(req.query_string())
        .map_err(invalid_query)?;
    let (Some(start), Some(end), Some(period)) = (p.start_ts, p.end_ts, p.period_interval) else {
        return Err(invalid_query(kalshi::rest::QueryError::constraint(
            "start_ts",
            "start_ts, end_ts and period_interval are required",
        )));
    };
    let cutoff = shared.historical_cutoff();
    let found = shared
        .read_core(|c| {
            let m = c.exchange.market(&ticker)?;
            let candles = m.candles.candles(start, end, period, false);
            settled_before(m, cutoff).then(|| GetMarketCandlesticksHistoricalResponse {
                ticker: m.info.ticker.clone(),
                candlesticks: candles.iter().map(convert::historical_candle).collect(),
            })
        })
        .0;
    Ok(json(200, &found.ok_or_else(|| not_historical(&ticker))?))
}

/// `GET /historical/trades`, newest first.
pub async fn trades(shared: web::Data<Shared>, req: HttpRequest) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetHistoricalTrades, 1).await?;
    let p = GetTradesParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let cutoff = shared.historical_cutoff();
    let (trades, cursor) = shared
        .read_core(|c| {
            let items = c
                .exchange
                .trades()
                .iter()
                .enumerate()
                .rev()
                .filter(|(_, t)| {
                    older(t.ts, cutoff)
                        && p.ticker.as_ref().is_none_or(|k| *k == t.ticker)
                        && within(t.ts, p.min_ts, p.max_ts)
                        && p.is_block_trade != Some(true)
                });
            page_newest(items, p.cursor.as_deref(), p.limit)
                .map(|(page, cursor)| (page.into_iter().map(convert::trade).collect(), cursor))
        })
        .0?;
    Ok(json(200, &GetTradesResponse { trades, cursor }))
}

/// The live fills filters of the historical ones.
fn fills_params(p: GetHistoricalFillsParams) -> GetFillsParams {
    GetFillsParams {
        ticker: p.ticker,
        order_id: None,
        min_ts: p.min_ts,
        max_ts: p.max_ts,
        limit: p.limit,
        cursor: p.cursor,
        subaccount: p.subaccount,
        exchange_index: None,
    }
}

/// `GET /historical/fills`, newest first.
pub async fn fills(shared: web::Data<Shared>, req: HttpRequest) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::GetHistoricalFills, 1)
        .await?
        .require()?;
    let p = GetHistoricalFillsParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    let (p, cutoff) = (fills_params(p), shared.historical_cutoff());
    let resp: GetFillsResponse = shared
        .read_core(|c| {
            let a = c.exchange.account(account);
            a.map(|a| fills_page(a, &p, |f| older(f.ts, cutoff)))
        })
        .0
        .ok_or_else(unknown_account)??;
    Ok(json(200, &resp))
}

/// `GET /historical/orders`, newest first: orders that ended before the cutoff.
pub async fn orders(shared: web::Data<Shared>, req: HttpRequest) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::GetHistoricalOrders, 1)
        .await?
        .require()?;
    let p = GetHistoricalOrdersParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    let p = GetOrdersParams {
        ticker: p.ticker,
        min_ts: p.min_ts,
        max_ts: p.max_ts,
        limit: p.limit,
        cursor: p.cursor,
        ..GetOrdersParams::default()
    };
    let cutoff = shared.historical_cutoff();
    let resp: GetOrdersResponse = shared
        .read_core(|c| {
            let x: &Exchange = &c.exchange;
            let ended = |o: &SimOrder| ended_before(o, cutoff);
            x.account(account).map(|a| orders_page(x, a, &p, ended))
        })
        .0
        .ok_or_else(unknown_account)??;
    Ok(json(200, &resp))
}

/// `GET /historical/positions`: positions in markets settled before the cutoff, by ticker.
pub async fn positions(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::GetHistoricalPositions, 1)
        .await?
        .require()?;
    let p = GetHistoricalPositionsParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    let p = GetPositionsParams {
        ticker: p.ticker,
        event_ticker: p.event_ticker,
        limit: p.limit,
        cursor: p.cursor,
        ..GetPositionsParams::default()
    };
    let (cutoff, now) = (shared.historical_cutoff(), shared.clock.now());
    let resp = shared
        .read_core(|c| {
            let x = &c.exchange;
            let settled = |t: &str| x.market(t).is_some_and(|m| settled_before(m, cutoff));
            x.account(account)
                .map(|a| positions_page(x, a, &p, now, settled))
        })
        .0
        .ok_or_else(unknown_account)?;
    Ok(json(200, &resp))
}
