//! Portfolio endpoints (kalshi-api.md §3.3–3.4): balance, positions, fills, settlements and
//! orders (list and one). An account only ever sees its own data: another account's order id
//! is a 404 like an unknown one.
//!
//! Choices where Kalshi is silent:
//! - `balance` is the cash not held by resting orders (floored to cents; `balance_dollars`
//!   exact); `portfolio_value` is the value of the open positions alone, as the wire type
//!   documents it, each marked at the best bid of the leg held (what selling it would fetch);
//!   `updated_ts` is the time of the request (Unix seconds);
//! - positions are listed by ticker, the cursor being the last ticker of the page; without
//!   `count_filter` every market the account ever traded is listed; with it, a position is
//!   kept when any of the named fields is non-zero; `event_positions` aggregates, for each
//!   event on the page, every listed position of that event;
//! - `settlement_status` is `all`, `settled` (the market is finalized) or `unsettled`;
//!   absent, every position is listed. UNCERTAIN: Kalshi's earlier reference made
//!   `unsettled` the default; the simulator keeps settled positions visible unless asked;
//! - fills, settlements and orders are listed newest first; the cursor is the position of the
//!   page's last item in the account's history, so pages stay stable while new items arrive;
//! - `min_ts`/`max_ts` (Unix seconds, inclusive) apply to the fill time, the settlement time
//!   and the order's creation time; the default page size is 100;
//! - fills made and orders ended before the historical cutoff (`historical_after_s`) are only
//!   under `/historical/fills` and `/historical/orders`; positions stay listed here (as
//!   under `/historical/positions` once their market settled before the cutoff).

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use kalshi::{
    Count, EventTicker, Money, Price,
    error::codes,
    rest::{
        BalanceBreakdown, Endpoint as E, EventPosition, GetBalanceParams, GetBalanceResponse,
        GetFillsParams, GetFillsResponse, GetOrderResponse, GetOrdersParams, GetOrdersResponse,
        GetPositionsParams, GetPositionsResponse, GetSettlementsParams, GetSettlementsResponse,
        MarketPosition, SettlementStatus, portfolio_params::CountFilter,
    },
    types::MarketStatus,
};

use super::{
    convert,
    error::SimError,
    gate::admit,
    respond::{DEFAULT_LIMIT, invalid_query, json, older, page, page_newest, primary_only, within},
    state::Shared,
};
use crate::engine::{Account, AccountIdx, Exchange, FillRecord, Position, SimOrder};

/// Whether an order ended (canceled or executed) before the historical cutoff.
pub(super) fn ended_before(o: &SimOrder, cutoff: Option<DateTime<Utc>>) -> bool {
    !o.is_resting() && older(o.updated, cutoff)
}

pub(super) fn unknown_account() -> SimError {
    SimError::unauthorized("unknown account")
}

fn event_of(x: &Exchange, ticker: &str) -> Option<EventTicker> {
    x.market(ticker).map(|m| m.info.event_ticker.clone())
}

/// What selling a position at the best bid of its leg would fetch.
fn mark_value(x: &Exchange, ticker: &str, position: Count) -> Money {
    let Some(m) = x.market(ticker) else {
        return Money::ZERO;
    };
    let (bid, ask) = m.book.top();
    let per_contract = if position.is_positive() {
        bid.map_or(Price::ZERO, |b| b.price)
    } else {
        ask.map_or(Price::ZERO, |a| a.price.complement())
    };
    per_contract.notional(position.abs())
}

fn balance_of(x: &Exchange, a: &Account, now: DateTime<Utc>) -> GetBalanceResponse {
    let cash = a.available();
    let positions = a
        .positions
        .iter()
        .map(|(t, p)| mark_value(x, t, p.position))
        .sum();
    GetBalanceResponse {
        balance: cash,
        balance_dollars: Some(cash),
        portfolio_value: positions,
        updated_ts: now.timestamp(),
        balance_breakdown: vec![BalanceBreakdown {
            exchange_index: 0,
            balance: cash,
        }],
    }
}

/// `GET /portfolio/balance`.
pub async fn balance(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::GetBalance, 1).await?.require()?;
    let p = GetBalanceParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    let now = shared.clock.now();
    let resp = shared
        .read_core(|c| {
            let x = &c.exchange;
            x.account(account).map(|a| balance_of(x, a, now))
        })
        .0
        .ok_or_else(unknown_account)?;
    Ok(json(200, &resp))
}

/// Whether a position's market passes `settlement_status` (absent: every market).
fn settlement_matches(x: &Exchange, ticker: &str, status: Option<SettlementStatus>) -> bool {
    let settled = x
        .market(ticker)
        .is_some_and(|m| m.status == MarketStatus::Finalized);
    match status {
        None | Some(SettlementStatus::All) => true,
        Some(SettlementStatus::Settled) => settled,
        Some(SettlementStatus::Unsettled) => !settled,
    }
}

fn keep_position(x: &Exchange, ticker: &str, pos: &Position, p: &GetPositionsParams) -> bool {
    let counted = p.count_filter.is_empty()
        || p.count_filter.iter().any(|f| match f {
            CountFilter::Position => !pos.position.is_zero(),
            CountFilter::TotalTraded => pos.total_traded != Money::ZERO,
        });
    counted
        && settlement_matches(x, ticker, p.settlement_status)
        && p.ticker.as_ref().is_none_or(|t| t.as_str() == ticker)
        && p.event_ticker
            .as_ref()
            .is_none_or(|e| event_of(x, ticker).as_ref() == Some(e))
}

/// Per-event totals of `positions`, with contracts traded counted from the account's fills.
fn event_positions(x: &Exchange, a: &Account, positions: &[&MarketPosition]) -> Vec<EventPosition> {
    let mut events: BTreeMap<EventTicker, EventPosition> = BTreeMap::new();
    for mp in positions {
        let Some(e) = event_of(x, &mp.ticker) else {
            continue;
        };
        let ep = events.entry(e.clone()).or_insert_with(|| EventPosition {
            event_ticker: e,
            total_cost_dollars: Money::ZERO,
            total_cost_shares_fp: Count::ZERO,
            event_exposure_dollars: Money::ZERO,
            realized_pnl_dollars: Money::ZERO,
            fees_paid_dollars: Money::ZERO,
        });
        ep.total_cost_dollars += mp.total_traded_dollars;
        ep.event_exposure_dollars += mp.market_exposure_dollars;
        ep.realized_pnl_dollars += mp.realized_pnl_dollars;
        ep.fees_paid_dollars += mp.fees_paid_dollars;
        for f in a.fills.iter().filter(|f| f.ticker == mp.ticker) {
            ep.total_cost_shares_fp += f.count;
        }
    }
    events.into_values().collect()
}

/// A page of `a`'s positions in the markets `only` keeps.
pub(super) fn positions_page(
    x: &Exchange,
    a: &Account,
    p: &GetPositionsParams,
    now: DateTime<Utc>,
    only: impl Fn(&str) -> bool,
) -> GetPositionsResponse {
    let all: Vec<MarketPosition> = a
        .positions
        .iter()
        .filter(|(t, pos)| only(t) && keep_position(x, t, pos, p))
        .map(|(t, pos)| convert::position(t, pos, now))
        .collect();
    let keyed = all.iter().map(|mp| (mp.ticker.to_string(), mp)).collect();
    let limit = p.limit.unwrap_or(DEFAULT_LIMIT) as usize;
    let (market_positions, cursor) = page(keyed, p.cursor.as_deref(), limit);
    let on_page: Vec<Option<EventTicker>> = market_positions
        .iter()
        .map(|mp| event_of(x, &mp.ticker))
        .collect();
    let of_events: Vec<&MarketPosition> = all
        .iter()
        .filter(|mp| on_page.contains(&event_of(x, &mp.ticker)))
        .collect();
    GetPositionsResponse {
        event_positions: event_positions(x, a, &of_events),
        market_positions: market_positions.into_iter().cloned().collect(),
        cursor,
    }
}

/// `GET /portfolio/positions`.
pub async fn positions(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::GetPositions, 1).await?.require()?;
    let p = GetPositionsParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    let now = shared.clock.now();
    let resp = shared
        .read_core(|c| {
            let x = &c.exchange;
            x.account(account)
                .map(|a| positions_page(x, a, &p, now, |_| true))
        })
        .0
        .ok_or_else(unknown_account)?;
    Ok(json(200, &resp))
}

/// A page of `a`'s fills that `keep` keeps, newest first.
pub(super) fn fills_page(
    a: &Account,
    p: &GetFillsParams,
    keep: impl Fn(&FillRecord) -> bool,
) -> Result<GetFillsResponse, SimError> {
    let items = a.fills.iter().enumerate().rev().filter(|(_, f)| {
        keep(f)
            && p.ticker.as_ref().is_none_or(|t| *t == f.ticker)
            && p.order_id.as_ref().is_none_or(|o| *o == f.order_id)
            && within(f.ts, p.min_ts, p.max_ts)
    });
    let (fills, cursor) = page_newest(items, p.cursor.as_deref(), p.limit)?;
    Ok(GetFillsResponse {
        fills: fills.into_iter().map(convert::fill).collect(),
        cursor,
    })
}

/// `GET /portfolio/fills`, newest first.
pub async fn fills(shared: web::Data<Shared>, req: HttpRequest) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::GetFills, 1).await?.require()?;
    let p = GetFillsParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    let cutoff = shared.historical_cutoff();
    let resp = shared
        .read_core(|c| {
            let a = c.exchange.account(account);
            a.map(|a| fills_page(a, &p, |f| !older(f.ts, cutoff)))
        })
        .0
        .ok_or_else(unknown_account)??;
    Ok(json(200, &resp))
}

fn settlements_page(
    a: &Account,
    p: &GetSettlementsParams,
) -> Result<GetSettlementsResponse, SimError> {
    let items = a.settlements.iter().enumerate().rev().filter(|(_, s)| {
        p.ticker.as_ref().is_none_or(|t| *t == s.ticker)
            && p.event_ticker.as_ref().is_none_or(|e| *e == s.event_ticker)
            && within(s.ts, p.min_ts, p.max_ts)
    });
    let (settlements, cursor) = page_newest(items, p.cursor.as_deref(), p.limit)?;
    Ok(GetSettlementsResponse {
        settlements: settlements.into_iter().map(convert::settlement).collect(),
        cursor,
    })
}

/// `GET /portfolio/settlements`, newest first.
pub async fn settlements(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::GetSettlements, 1)
        .await?
        .require()?;
    let p = GetSettlementsParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    let resp = shared
        .read_core(|c| c.exchange.account(account).map(|a| settlements_page(a, &p)))
        .0
        .ok_or_else(unknown_account)??;
    Ok(json(200, &resp))
}

/// A page of `a`'s orders that `keep` keeps, newest first.
pub(super) fn orders_page(
    x: &Exchange,
    a: &Account,
    p: &GetOrdersParams,
    keep: impl Fn(&SimOrder) -> bool,
) -> Result<GetOrdersResponse, SimError> {
    let items = a
        .orders
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(i, k)| x.order(*k).map(|o| (i, o)))
        .filter(|(_, o)| {
            keep(o)
                && p.ticker.as_ref().is_none_or(|t| *t == o.ticker)
                && (p.event_ticker.is_empty()
                    || event_of(x, &o.ticker).is_some_and(|e| p.event_ticker.contains(&e)))
                && p.status.as_ref().is_none_or(|s| *s == o.status)
                && within(o.created, p.min_ts, p.max_ts)
        });
    let (orders, cursor) = page_newest(items, p.cursor.as_deref(), p.limit)?;
    Ok(GetOrdersResponse {
        orders: orders.into_iter().map(|o| convert::order(x, o)).collect(),
        cursor,
    })
}

/// `GET /portfolio/orders`, newest first.
pub async fn orders(shared: web::Data<Shared>, req: HttpRequest) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::GetOrders, 1).await?.require()?;
    let p = GetOrdersParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    let cutoff = shared.historical_cutoff();
    let resp = shared
        .read_core(|c| {
            let x = &c.exchange;
            let live = |o: &SimOrder| !ended_before(o, cutoff);
            x.account(account).map(|a| orders_page(x, a, &p, live))
        })
        .0
        .ok_or_else(unknown_account)??;
    Ok(json(200, &resp))
}

/// `GET /portfolio/orders/{order_id}`: the caller's order, else 404.
pub async fn order(
    shared: web::Data<Shared>,
    req: HttpRequest,
    order_id: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    let account: AccountIdx = admit(&shared, &req, E::GetOrder, 1).await?.require()?;
    let found = shared
        .read_core(|c| {
            let x = &c.exchange;
            x.order_by_id(&order_id)
                .filter(|o| o.account == account)
                .map(|o| convert::order(x, o))
        })
        .0;
    let order = found.ok_or_else(|| {
        SimError::new(404, codes::NOT_FOUND, format!("order {order_id} not found"))
    })?;
    Ok(json(200, &GetOrderResponse { order }))
}
