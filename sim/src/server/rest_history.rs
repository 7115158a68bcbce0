//! Market-history endpoints: public trades (`GET /markets/trades`), one market's, several
//! markets' and an event's candlesticks — all public.
//!
//! Choices where Kalshi is silent:
//! - trades come from the exchange's trade log (every print the matching engine made, the
//!   background market makers' included), newest first; the cursor is the position of the
//!   page's last trade in the log, so pages stay stable while trades arrive; `min_ts`/`max_ts`
//!   (Unix seconds, inclusive) apply to the trade time; the default page size is 100; there
//!   are no block trades, so `is_block_trade=true` lists none;
//! - candlesticks: see `engine::candles`; a market the simulator does not list is a 404, in
//!   the batch too; a `series_ticker` that is not the market's is a 404;
//! - an event's candlesticks: its markets in strike order, each with the candles its own
//!   endpoint would give (no `include_latest_before_start` here); an unknown event, or a
//!   series that is not the event's, is a 404; `adjusted_end_ts` is `end_ts` unless the
//!   markets together would hold more than `MAX_CANDLES` candles (`engine::candles::
//!   aggregate_end`);
//! - trades older than the historical cutoff (`historical_after_s`) are only under
//!   `/historical/trades` (`rest_historical`).

use actix_web::{HttpRequest, HttpResponse, web};
use kalshi::{
    error::codes,
    rest::{
        BatchGetMarketCandlesticksParams, BatchGetMarketCandlesticksResponse, Endpoint as E,
        GetEventCandlesticksParams, GetEventCandlesticksResponse, GetMarketCandlesticksParams,
        GetMarketCandlesticksResponse, GetTradesParams, GetTradesResponse, MarketCandlestick,
        MarketCandlesticks, history_params::MAX_CANDLES,
    },
};

use super::{
    convert,
    error::SimError,
    gate::admit,
    respond::{invalid_query, json, older, page_newest, within},
    rest_markets::find_event,
    state::{Core, Shared},
};
use crate::engine::{Exchange, SimMarket, candles::aggregate_end};

/// `GET /markets/trades`, newest first.
pub async fn trades(shared: web::Data<Shared>, req: HttpRequest) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetTrades, 1).await?;
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
                    !older(t.ts, cutoff)
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

fn not_listed(ticker: &str) -> SimError {
    SimError::new(
        404,
        codes::MARKET_NOT_FOUND,
        format!("market {ticker} not found"),
    )
}

/// The candles of one market for a checked window.
pub(super) fn candles_of(
    m: &SimMarket,
    window: &GetMarketCandlesticksParams,
) -> Vec<MarketCandlestick> {
    let (Some(start), Some(end), Some(period)) =
        (window.start_ts, window.end_ts, window.period_interval)
    else {
        return Vec::new();
    };
    let before = window.include_latest_before_start.unwrap_or(false);
    m.candles
        .candles(start, end, period, before)
        .iter()
        .map(convert::candle)
        .collect()
}

/// `GET /series/{series_ticker}/markets/{ticker}/candlesticks`.
pub async fn market_candlesticks(
    shared: web::Data<Shared>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetMarketCandlesticks, 1).await?;
    let p = GetMarketCandlesticksParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let (series, ticker) = path.into_inner();
    let found = shared
        .read_core(|c| {
            let m = c.exchange.market(&ticker)?;
            (m.info.series_ticker.as_str() == series)
                .then(|| (m.info.ticker.clone(), candles_of(m, &p)))
        })
        .0;
    let (ticker, candlesticks) = found.ok_or_else(|| not_listed(&ticker))?;
    Ok(json(
        200,
        &GetMarketCandlesticksResponse {
            ticker,
            candlesticks,
        },
    ))
}

fn batch(
    x: &Exchange,
    p: &BatchGetMarketCandlesticksParams,
) -> Result<Vec<MarketCandlesticks>, SimError> {
    let window = GetMarketCandlesticksParams {
        start_ts: p.start_ts,
        end_ts: p.end_ts,
        period_interval: p.period_interval,
        include_latest_before_start: p.include_latest_before_start,
    };
    p.market_tickers
        .iter()
        .map(|t| {
            let m = x.market(t).ok_or_else(|| not_listed(t))?;
            Ok(MarketCandlesticks {
                market_ticker: t.clone(),
                candlesticks: candles_of(m, &window),
            })
        })
        .collect()
}

/// `GET /markets/candlesticks?market_tickers=A,B&…`.
pub async fn batch_candlesticks(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::BatchGetMarketCandlesticks, 1).await?;
    let p =
        BatchGetMarketCandlesticksParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let markets = shared.read_core(|c| batch(&c.exchange, &p)).0?;
    Ok(json(200, &BatchGetMarketCandlesticksResponse { markets }))
}

/// The candles of every market of `event` (of `series`), cut at the aggregate bound; `None`
/// when the simulator lists no such event of that series.
fn event_candles(
    core: &Core,
    series: &str,
    event: &str,
    p: &GetEventCandlesticksParams,
) -> Option<GetEventCandlesticksResponse> {
    let spec = find_event(core, event).filter(|e| e.series_ticker.as_str() == series)?;
    let (start, end, period) = (p.start_ts?, p.end_ts?, p.period_interval?);
    let period_s = i64::from(period) * 60;
    let adjusted_end_ts = aggregate_end(start, end, period_s, spec.markets.len(), MAX_CANDLES);
    let window = GetMarketCandlesticksParams {
        start_ts: Some(start),
        end_ts: Some(adjusted_end_ts),
        period_interval: Some(period),
        include_latest_before_start: None,
    };
    let markets: Vec<&SimMarket> = spec
        .markets
        .iter()
        .filter_map(|t| core.exchange.market(t))
        .collect();
    Some(GetEventCandlesticksResponse {
        market_tickers: markets.iter().map(|m| m.info.ticker.clone()).collect(),
        market_candlesticks: markets.iter().map(|m| candles_of(m, &window)).collect(),
        adjusted_end_ts,
    })
}

/// `GET /series/{series_ticker}/events/{ticker}/candlesticks`.
pub async fn event_candlesticks(
    shared: web::Data<Shared>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetEventCandlesticks, 1).await?;
    let p = GetEventCandlesticksParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let (series, event) = path.into_inner();
    let found = shared
        .read_core(|c| event_candles(c, &series, &event, &p))
        .0;
    let resp = found.ok_or_else(|| SimError::not_found(format!("event {event} not found")))?;
    Ok(json(200, &resp))
}
