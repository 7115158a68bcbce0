//! Cancel, batch cancel, cancel all, amend and decrease.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use kalshi::{
    Count, Money,
    error::codes,
    rest::{
        AmendOrderV2Request, AmendOrderV2Response, BatchCancelOrderItem, BatchCancelOrderResult,
        BatchCancelOrdersV2Request, BatchCancelOrdersV2Response, CancelOrderParams,
        CancelOrderV2Response, DecreaseOrderV2Request, DecreaseOrderV2Response, Endpoint as E,
        SubaccountParams,
    },
};

use super::body::{charged_items, check_batch_len, decode, detail, invalid_order};
use crate::{
    engine::{
        AccountIdx, Exchange, Reject, SimOrder,
        modify::{AmendRequest, Decrease},
    },
    server::{
        error::SimError,
        gate::admit,
        respond::{invalid_query, json, primary_only},
        state::Shared,
    },
};

/// 404 when `market_ticker` names another market than the order's.
pub(super) fn check_market(
    x: &Exchange,
    account: AccountIdx,
    order_id: &str,
    market_ticker: Option<&kalshi::Ticker>,
) -> Result<(), SimError> {
    let order = x.order_by_id(order_id).filter(|o| o.account == account);
    match (order, market_ticker) {
        (Some(o), Some(t)) if o.ticker != *t => Err(SimError::new(
            404,
            codes::NOT_FOUND,
            format!("order {order_id} not found in market {t}"),
        )),
        _ => Ok(()),
    }
}

/// Cancels one order; the order and the count it lost.
pub(super) fn cancel_one(
    x: &mut Exchange,
    account: AccountIdx,
    item: &BatchCancelOrderItem,
    now: DateTime<Utc>,
) -> Result<(SimOrder, Count), SimError> {
    primary_only(item.subaccount)?;
    let id = item.order_id.as_str();
    check_market(x, account, id, item.market_ticker.as_ref())?;
    Ok(x.cancel_order(account, id, now)?)
}

/// `DELETE /portfolio/events/orders/{order_id}` → 200 [`CancelOrderV2Response`].
pub async fn cancel(
    shared: web::Data<Shared>,
    req: HttpRequest,
    order_id: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    let caller = admit(&shared, &req, E::CancelOrder, 1).await?;
    let account = caller.require()?;
    let p = CancelOrderParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    let item = BatchCancelOrderItem {
        order_id: kalshi::OrderId::new(order_id.as_str())
            .map_err(|_| Reject::not_found(format!("order {order_id} not found")))?,
        subaccount: p.subaccount,
        exchange_index: p.exchange_index,
        market_ticker: p.market_ticker,
    };
    let (order, reduced_by, now) = shared.with_core(|c, now| {
        cancel_one(&mut c.exchange, account, &item, now).map(|(o, r)| (o, r, now))
    })?;
    Ok(json(
        200,
        &CancelOrderV2Response {
            order_id: order.order_id,
            client_order_id: order.client_order_id,
            reduced_by,
            ts_ms: now.timestamp_millis(),
        },
    ))
}

pub(super) fn batch_cancel_result(
    item: BatchCancelOrderItem,
    r: Result<(SimOrder, Count), SimError>,
    now: DateTime<Utc>,
) -> BatchCancelOrderResult {
    match r {
        Ok((order, reduced_by)) => BatchCancelOrderResult {
            order_id: order.order_id,
            client_order_id: order.client_order_id,
            reduced_by,
            ts_ms: Some(now.timestamp_millis()),
            error: None,
        },
        Err(e) => BatchCancelOrderResult {
            order_id: item.order_id,
            client_order_id: None,
            reduced_by: Count::ZERO,
            ts_ms: None,
            error: Some(detail(&e)),
        },
    }
}

/// `DELETE /portfolio/events/orders/batched` (JSON body) → 200 with one result per order.
pub async fn batch_cancel(
    shared: web::Data<Shared>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, SimError> {
    let batch = decode::<BatchCancelOrdersV2Request>(&body);
    let items = charged_items(batch.as_ref().ok().map(|b| b.orders.len()));
    let caller = admit(&shared, &req, E::BatchCancelOrders, items).await?;
    let account = caller.require()?;
    let batch = batch?;
    check_batch_len(batch.orders.len())?;
    let orders = shared.with_core(|c, now| {
        let x = &mut c.exchange;
        let results: Vec<BatchCancelOrderResult> = batch
            .orders
            .into_iter()
            .map(|item| {
                let r = cancel_one(x, account, &item, now);
                batch_cancel_result(item, r, now)
            })
            .collect();
        results
    });
    Ok(json(200, &BatchCancelOrdersV2Response { orders }))
}

/// `DELETE /portfolio/events/orders` → 204, no body.
pub async fn cancel_all(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    let caller = admit(&shared, &req, E::CancelAllOrders, 1).await?;
    let account = caller.require()?;
    let p = SubaccountParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    shared.with_core(|c, now| c.exchange.cancel_all(account, None, now));
    Ok(HttpResponse::NoContent().finish())
}

/// Average fee per contract of `filled` contracts that paid `fees`.
pub(super) fn per_contract(fees: Money, filled: Count) -> Option<Money> {
    if !filled.is_positive() {
        return None;
    }
    let per = i128::from(fees.micros()) * 100 / i128::from(filled.centis());
    Some(Money::from_micros(i64::try_from(per).unwrap_or(0)))
}

/// Amends inside the core: checks the client id, amends, reports what the amend filled.
pub(super) fn amend_in(
    x: &mut Exchange,
    account: AccountIdx,
    order_id: &str,
    b: AmendOrderV2Request,
    now: DateTime<Utc>,
) -> Result<AmendOrderV2Response, SimError> {
    let before = x.order_by_id(order_id).filter(|o| o.account == account);
    let (filled, fees) =
        before.map_or((Count::ZERO, Money::ZERO), |o| (o.fill_count, o.taker_fees));
    if let (Some(o), Some(cid)) = (before, &b.client_order_id)
        && o.client_order_id.as_ref() != Some(cid)
    {
        return Err(Reject::invalid(format!(
            "client_order_id {cid} is not the client id of order {order_id}"
        ))
        .into());
    }
    let req = AmendRequest {
        ticker: b.ticker,
        side: b.side,
        price: b.price,
        count: b.count,
        updated_client_order_id: b.updated_client_order_id,
    };
    let out = x.amend_order(account, order_id, req, now)?;
    let new_fill = out.order.fill_count - filled;
    let crossed = new_fill.is_positive();
    Ok(AmendOrderV2Response {
        order_id: out.order.order_id,
        client_order_id: out.order.client_order_id,
        remaining_count: Some(out.order.remaining_count),
        fill_count: crossed.then_some(new_fill),
        average_fill_price: out.average_fill_price,
        average_fee_paid: per_contract(out.order.taker_fees - fees, new_fill),
        ts_ms: now.timestamp_millis(),
    })
}

/// `POST /portfolio/events/orders/{order_id}/amend` → 200 [`AmendOrderV2Response`].
pub async fn amend(
    shared: web::Data<Shared>,
    req: HttpRequest,
    order_id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, SimError> {
    let caller = admit(&shared, &req, E::AmendOrder, 1).await?;
    let account = caller.require()?;
    let p = SubaccountParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    let b: AmendOrderV2Request = decode(&body)?;
    b.validate().map_err(invalid_order)?;
    if b.expiration_time.is_some() {
        return Err(SimError::new(
            400,
            codes::INVALID_PARAMETERS,
            "expiration_time: changing an order's expiry is not simulated",
        ));
    }
    let resp = shared.with_core(|c, now| amend_in(&mut c.exchange, account, &order_id, b, now))?;
    Ok(json(200, &resp))
}

/// `POST /portfolio/events/orders/{order_id}/decrease` → 200 [`DecreaseOrderV2Response`].
pub async fn decrease(
    shared: web::Data<Shared>,
    req: HttpRequest,
    order_id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, SimError> {
    let caller = admit(&shared, &req, E::DecreaseOrder, 1).await?;
    let account = caller.require()?;
    let p = SubaccountParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    let b: DecreaseOrderV2Request = decode(&body)?;
    b.validate().map_err(invalid_order)?;
    let by = match (b.reduce_by, b.reduce_to) {
        (Some(by), _) => Decrease::By(by),
        (None, to) => Decrease::To(to.unwrap_or(Count::ZERO)),
    };
    let (order, now) = shared.with_core(|c, now| {
        let x = &mut c.exchange;
        check_market(x, account, &order_id, b.market_ticker.as_ref())?;
        Ok::<_, SimError>((x.decrease_order(account, &order_id, by, now)?, now))
    })?;
    Ok(json(
        200,
        &DecreaseOrderV2Response {
            order_id: order.order_id,
            client_order_id: order.client_order_id,
            remaining_count: order.remaining_count,
            ts_ms: now.timestamp_millis(),
        },
    ))
}
