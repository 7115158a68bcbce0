//! `GET /series/{series_ticker}/events/{ticker}/forecast_percentile_history` (signed): the
//! forecast of an event's outcome its markets implied at the end of each period, at the
//! requested percentiles (`engine::forecast`: YES mid prices as bucket probabilities).
//!
//! Choices where Kalshi is silent: periods (`period_interval` minutes, 0 meaning five
//! seconds) end at multiples of their length within `start_ts..=end_ts` and not after now;
//! a period is listed only when some market of the event had a quote by its end; the value
//! at a percentile is the interpolated outcome (°F for the simulator's temperature events),
//! `numerical_forecast` rounds it to a whole degree and `formatted_forecast` is that with
//! `°`. An unknown event, or a series that is not the event's, is a 404.

use actix_web::{HttpRequest, HttpResponse, web};
use kalshi::{
    EventTicker, Price,
    rest::{
        Endpoint as E, ForecastPercentilesPoint, GetEventForecastPercentilesHistoryParams,
        GetEventForecastPercentilesHistoryResponse, JsonDecimal, PercentilePoint,
    },
};

use super::{
    error::SimError,
    gate::admit,
    respond::{invalid_query, json},
    rest_markets::find_event,
    state::{Core, Shared},
};
use crate::engine::{SimMarket, forecast::implied_quantile, market::Strike};

fn decimal(v: f64) -> JsonDecimal {
    JsonDecimal::from_micros((v * 1e6).round() as i64)
}

fn mid(bid: Price, ask: Price) -> f64 {
    (f64::from(bid.micros()) + f64::from(ask.micros())) / 2e6
}

/// The point at the end `end` of a period, if any market was quoted by then.
fn point(
    event: &EventTicker,
    markets: &[&SimMarket],
    end: i64,
    p: &GetEventForecastPercentilesHistoryParams,
) -> Option<ForecastPercentilesPoint> {
    let implied: Vec<(Strike, f64)> = markets
        .iter()
        .filter_map(|m| {
            let (bid, ask) = m.candles.quote_at(end)?;
            Some((m.info.strike, mid(bid, ask)))
        })
        .collect();
    let mut percentile_points = Vec::with_capacity(p.percentiles.len());
    for &pct in &p.percentiles {
        let raw = implied_quantile(&implied, f64::from(pct) / 10_000.0)?;
        percentile_points.push(PercentilePoint {
            percentile: pct,
            raw_numerical_forecast: decimal(raw),
            numerical_forecast: decimal(raw.round()),
            formatted_forecast: format!("{}°", raw.round()),
        });
    }
    Some(ForecastPercentilesPoint {
        event_ticker: event.clone(),
        end_period_ts: end,
        period_interval: p.period_interval.unwrap_or(0),
        percentile_points,
    })
}

/// The history of `event` of `series` up to `now`; `None` when no such event is listed.
fn history(
    core: &Core,
    series: &str,
    event: &str,
    p: &GetEventForecastPercentilesHistoryParams,
    now: i64,
) -> Option<GetEventForecastPercentilesHistoryResponse> {
    let spec = find_event(core, event).filter(|e| e.series_ticker.as_str() == series)?;
    let markets: Vec<&SimMarket> = spec
        .markets
        .iter()
        .filter_map(|t| core.exchange.market(t))
        .collect();
    let len = match p.period_interval.unwrap_or(0) {
        0 => 5,
        m => i64::from(m) * 60,
    };
    let (start, end) = (p.start_ts.unwrap_or(0), p.end_ts.unwrap_or(0).min(now));
    let first = start.div_euclid(len) * len + if start.rem_euclid(len) == 0 { 0 } else { len };
    let forecast_history = (0..)
        .map(|i| first + i * len)
        .take_while(|e| *e <= end)
        .filter_map(|e| point(&spec.event_ticker, &markets, e, p))
        .collect();
    Some(GetEventForecastPercentilesHistoryResponse { forecast_history })
}

/// The handler.
pub async fn forecast_history(
    shared: web::Data<Shared>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetEventForecastPercentilesHistory, 1)
        .await?
        .require()?;
    let p = GetEventForecastPercentilesHistoryParams::parse_valid(req.query_string())
        .map_err(invalid_query)?;
    let (series, event) = path.into_inner();
    let now = shared.clock.now().timestamp();
    let found = shared.read_core(|c| history(c, &series, &event, &p, now)).0;
    let resp = found.ok_or_else(|| SimError::not_found(format!("event {event} not found")))?;
    Ok(json(200, &resp))
}
