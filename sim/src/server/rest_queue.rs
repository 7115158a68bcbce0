//! Resting orders seen from the book (signed): an order's queue position
//! (`GET /portfolio/orders/{order_id}/queue_position`), those of every resting order of the
//! caller (`GET /portfolio/orders/queue_positions`, optionally of some markets or of one
//! event), and the value held by all of them
//! (`GET /portfolio/summary/total_resting_order_value`).
//!
//! Choices where Kalshi is silent: a queue position counts the contracts of the orders ahead
//! at the same price and side, in time priority (0 for the first in line); an order that no
//! longer rests is `400 order_not_resting`, another account's order a 404 like an unknown
//! one; the positions are listed by market, then side, price and time; the resting value is
//! the collateral the resting orders hold (each order's own-leg price × remaining count), the
//! same amount `GET /portfolio/balance` leaves out of the balance.

use actix_web::{HttpRequest, HttpResponse, web};
use kalshi::{
    error::codes,
    rest::{
        BalanceBreakdown, Endpoint as E, GetOrderQueuePositionResponse,
        GetOrderQueuePositionsParams, GetOrderQueuePositionsResponse,
        GetPortfolioRestingOrderTotalValueResponse, OrderQueuePosition,
    },
    types::BookSide,
};

use super::{
    error::SimError,
    gate::admit,
    respond::{invalid_query, json, primary_only},
    state::Shared,
};
use crate::engine::{AccountIdx, Exchange, SimOrder};

fn not_found(order_id: &str) -> SimError {
    SimError::new(404, codes::NOT_FOUND, format!("order {order_id} not found"))
}

/// `GET /portfolio/orders/{order_id}/queue_position`.
pub async fn queue_position(
    shared: web::Data<Shared>,
    req: HttpRequest,
    order_id: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::GetOrderQueuePosition, 1)
        .await?
        .require()?;
    let found = shared
        .read_core(|c| {
            let x = &c.exchange;
            let o = x.order_by_id(&order_id).filter(|o| o.account == account)?;
            Some(x.queue_position(o.key).ok_or(o.status.clone()))
        })
        .0;
    let position = found
        .ok_or_else(|| not_found(&order_id))?
        .map_err(|status| {
            SimError::new(
                400,
                "order_not_resting",
                format!("order {order_id} is {status}"),
            )
        })?;
    Ok(json(
        200,
        &GetOrderQueuePositionResponse {
            queue_position_fp: position,
        },
    ))
}

fn positions_of(
    x: &Exchange,
    account: AccountIdx,
    p: &GetOrderQueuePositionsParams,
) -> Vec<OrderQueuePosition> {
    let Some(a) = x.account(account) else {
        return Vec::new();
    };
    let mut resting: Vec<&SimOrder> = a
        .orders
        .iter()
        .filter_map(|k| x.order(*k))
        .filter(|o| o.is_resting())
        .filter(|o| p.market_tickers.is_empty() || p.market_tickers.contains(&o.ticker))
        .filter(|o| {
            p.event_ticker.as_ref().is_none_or(|e| {
                x.market(&o.ticker)
                    .is_some_and(|m| m.info.event_ticker == *e)
            })
        })
        .collect();
    resting.sort_by_key(|o| (o.ticker.clone(), o.side == BookSide::Ask, o.price, o.key));
    resting
        .into_iter()
        .filter_map(|o| {
            Some(OrderQueuePosition {
                order_id: o.order_id.clone(),
                market_ticker: o.ticker.clone(),
                queue_position_fp: x.queue_position(o.key)?,
            })
        })
        .collect()
}

/// `GET /portfolio/orders/queue_positions`.
pub async fn queue_positions(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::GetOrderQueuePositions, 1)
        .await?
        .require()?;
    let p = GetOrderQueuePositionsParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    let queue_positions = shared
        .read_core(|c| positions_of(&c.exchange, account, &p))
        .0;
    Ok(json(
        200,
        &GetOrderQueuePositionsResponse { queue_positions },
    ))
}

/// `GET /portfolio/summary/total_resting_order_value`.
pub async fn resting_order_value(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::GetPortfolioRestingOrderTotalValue, 1)
        .await?
        .require()?;
    let held = shared
        .read_core(|c| c.exchange.account(account).map(|a| a.reserved))
        .0
        .ok_or_else(|| SimError::unauthorized("unknown account"))?;
    Ok(json(
        200,
        &GetPortfolioRestingOrderTotalValueResponse {
            total_resting_order_value: held,
            resting_order_value_breakdown: vec![BalanceBreakdown {
                exchange_index: 0,
                balance: held,
            }],
        },
    ))
}
