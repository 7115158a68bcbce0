//! V2 order endpoints (kalshi-api.md §3.4): create, cancel, amend, decrease, batch create,
//! batch cancel and cancel all, under `/portfolio/events/orders`.
//!
//! Every handler admits the request at the gate first (auth, faults, tokens) — the batch
//! endpoints decode their body just before, because they are charged per item — then decodes
//! its body from raw bytes, so malformed JSON, wrong types and unknown fields are 400s that
//! name the problem, and changes the exchange only inside [`Shared::with_core`]. Refusals
//! come from the engine as [`Reject`]s with Kalshi's status and code.
//!
//! Choices where Kalshi is silent:
//! - body decoding errors are `400 invalid_parameters`; broken order rules (`validate()`)
//!   are `400 invalid_order`; query errors are `400 invalid_parameters`;
//! - a batch holds 1 to [`MAX_BATCH_ITEMS`] orders (the legacy documented 20), else the whole
//!   batch is a 400 charged as one item; a batch whose items cost more tokens than the bucket
//!   holds is refused whole (429);
//! - batch items are decoded together (one malformed item fails the batch) but checked and
//!   placed one by one, each with its own result or `error`;
//! - only subaccount 0 exists; another subaccount is `400 invalid_parameters`;
//! - `market_ticker` that names another market than the order's is `404 not_found`;
//! - `order_group_id` is `404 order_group_not_found` (the simulator has no order groups);
//! - amend's `expiration_time` is refused (`400 invalid_parameters`): not simulated.

use std::sync::atomic::Ordering;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use kalshi::{
    ClientOrderId, Count, Money,
    error::{ErrorBody, ErrorDetail, codes},
    rest::{
        AmendOrderV2Request, AmendOrderV2Response, BatchCancelOrderItem, BatchCancelOrderResult,
        BatchCancelOrdersV2Request, BatchCancelOrdersV2Response, BatchCreateOrderResult,
        BatchCreateOrdersV2Request, BatchCreateOrdersV2Response, BodyError, CancelOrderParams,
        CancelOrderV2Response, CreateOrderV2Request, CreateOrderV2Response, DecreaseOrderV2Request,
        DecreaseOrderV2Response, Endpoint as E, QueryError, SubaccountParams,
    },
};
use serde::de::DeserializeOwned;

use super::{
    conn,
    error::SimError,
    gate::{Caller, admit},
    routes::json,
    state::{OrderAttempt, Shared, lock},
};
use crate::engine::{
    AccountIdx, Exchange, OrderRequest, Reject, SimOrder,
    matching::CreateOutcome,
    modify::{AmendRequest, Decrease},
};

/// Most orders in one batch create or batch cancel (legacy docs: 20 per batch).
pub const MAX_BATCH_ITEMS: usize = 20;

/// 400 for a query string the endpoint refuses.
pub(super) fn invalid_query(e: QueryError) -> SimError {
    SimError::new(400, codes::INVALID_PARAMETERS, e.to_string())
}

/// 400 for a subaccount other than the primary one.
pub(super) fn primary_only(subaccount: Option<u32>) -> Result<(), SimError> {
    match subaccount {
        Some(s) if s != 0 => Err(SimError::new(
            400,
            codes::INVALID_PARAMETERS,
            format!("subaccount {s} does not exist (the simulator has only subaccount 0)"),
        )),
        _ => Ok(()),
    }
}

fn invalid_order(e: BodyError) -> SimError {
    SimError::new(400, codes::INVALID_ORDER, e.to_string())
}

fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, SimError> {
    serde_json::from_slice(body).map_err(|e| {
        SimError::new(
            400,
            codes::INVALID_PARAMETERS,
            format!("invalid JSON body: {e}"),
        )
    })
}

/// The error fields of a refusal, for a batch item's `error`.
fn detail(e: &SimError) -> ErrorDetail {
    match &e.body {
        ErrorBody::Wrapped { error } | ErrorBody::Flat(error) => error.clone(),
        ErrorBody::Text { error } => ErrorDetail {
            message: Some(error.clone()),
            ..ErrorDetail::default()
        },
    }
}

/// Checks a create body and maps it to the engine's request.
fn order_request(b: CreateOrderV2Request, now: DateTime<Utc>) -> Result<OrderRequest, SimError> {
    b.validate().map_err(invalid_order)?;
    primary_only(b.subaccount)?;
    if let Some(t) = b.expiration_time.filter(|t| *t <= now.timestamp()) {
        return Err(invalid_order(BodyError {
            field: "expiration_time",
            reason: format!("{t} is not in the future"),
        }));
    }
    if let Some(g) = &b.order_group_id {
        return Err(SimError::new(
            404,
            codes::ORDER_GROUP_NOT_FOUND,
            format!("order group {g} not found"),
        ));
    }
    Ok(OrderRequest {
        ticker: b.ticker,
        side: b.side,
        price: b.price,
        count: b.count,
        time_in_force: b.time_in_force,
        post_only: b.post_only.unwrap_or(false),
        reduce_only: b.reduce_only.unwrap_or(false),
        self_trade_prevention: b.self_trade_prevention_type,
        cancel_order_on_pause: b.cancel_order_on_pause.unwrap_or(false),
        expiration_ts: b.expiration_time,
        client_order_id: b.client_order_id,
    })
}

/// One create as the exchange saw it: what was asked, when, and how it ended.
struct Placed {
    ticker: String,
    client_order_id: Option<ClientOrderId>,
    result: Result<CreateOutcome, SimError>,
    now: DateTime<Utc>,
}

fn place(
    x: &mut Exchange,
    account: AccountIdx,
    b: CreateOrderV2Request,
    now: DateTime<Utc>,
) -> Placed {
    let (ticker, client_order_id) = (b.ticker.to_string(), b.client_order_id.clone());
    let result =
        order_request(b, now).and_then(|o| x.create_order(account, o, now).map_err(SimError::from));
    Placed {
        ticker,
        client_order_id,
        result,
        now,
    }
}

/// When and by whom a create arrived, for the order log.
struct Arrival {
    account_id: String,
    time: DateTime<Utc>,
    ns: u128,
}

impl Arrival {
    fn now(shared: &Shared) -> Arrival {
        Arrival {
            account_id: String::new(),
            time: shared.clock.now(),
            ns: shared.clock.monotonic_ns(),
        }
    }

    fn of(mut self, caller: &Caller) -> Arrival {
        self.account_id = caller.account_id.clone().unwrap_or_default();
        self
    }

    /// Records one attempt; `dropped` marks an accepted order whose response was cut.
    fn record(&self, shared: &Shared, p: &Placed, dropped: bool) {
        let (outcome, status, code, order_id) = match (&p.result, dropped) {
            (Ok(out), true) => ("accepted_response_dropped", 0, None, Some(&out.order)),
            (Ok(out), false) => ("accepted", 201, None, Some(&out.order)),
            (Err(e), _) => ("rejected", e.status, detail(e).code, None),
        };
        lock(&shared.order_log).push(OrderAttempt {
            account_id: self.account_id.clone(),
            client_order_id: p.client_order_id.clone(),
            ticker: p.ticker.clone(),
            arrival_time: self.time,
            arrival_ns: self.ns,
            outcome: outcome.to_owned(),
            status,
            code,
            order_id: order_id.map(|o: &SimOrder| o.order_id.to_string()),
        });
    }
}

/// The ticker and client id of a body that did not decode, as far as they can be read.
fn salvage(body: &[u8], result: SimError) -> Placed {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let text = |k: &str| v.get(k).and_then(|s| s.as_str()).map(str::to_owned);
    Placed {
        ticker: text("ticker").unwrap_or_default(),
        client_order_id: text("client_order_id").and_then(|c| ClientOrderId::new(c).ok()),
        result: Err(result),
        now: DateTime::<Utc>::default(),
    }
}

fn create_response(out: &CreateOutcome, now: DateTime<Utc>) -> CreateOrderV2Response {
    CreateOrderV2Response {
        order_id: out.order.order_id.clone(),
        client_order_id: out.order.client_order_id.clone(),
        fill_count: out.fill_count,
        remaining_count: out.order.remaining_count,
        average_fill_price: out.average_fill_price,
        average_fee_paid: out.average_fee_paid,
        ts_ms: now.timestamp_millis(),
    }
}

/// Consumes one `reset_after_accept_next` if any is left.
fn take_reset(shared: &Shared) -> bool {
    let mut f = lock(&shared.faults);
    let take = f.reset_after_accept_next > 0;
    f.reset_after_accept_next = f.reset_after_accept_next.saturating_sub(1);
    take
}

/// `POST /portfolio/events/orders` → 201 [`CreateOrderV2Response`].
pub async fn create(
    shared: web::Data<Shared>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, SimError> {
    let arrival = Arrival::now(&shared);
    let caller = admit(&shared, &req, E::CreateOrder, 1).await?;
    let account = caller.require()?;
    let arrival = arrival.of(&caller);
    let placed = match decode::<CreateOrderV2Request>(&body) {
        Ok(b) => shared.with_core(|c, now| place(&mut c.exchange, account, b, now)),
        Err(e) => salvage(&body, e),
    };
    let dropped = placed.result.is_ok() && take_reset(&shared);
    arrival.record(&shared, &placed, dropped);
    let out = placed.result?;
    if dropped {
        shared
            .stats
            .resets_after_accept
            .fetch_add(1, Ordering::Relaxed);
        if let Some(fd) = conn::conn_fd(&req) {
            conn::cut(&fd);
        }
    }
    Ok(json(201, &create_response(&out, placed.now)))
}

/// The `items` a batch is charged for: its length, or 1 when it is unreadable or out of
/// bounds (it will be refused).
fn charged_items(len: Option<usize>) -> u32 {
    match len {
        Some(n @ 1..=MAX_BATCH_ITEMS) => n as u32,
        _ => 1,
    }
}

fn check_batch_len(len: usize) -> Result<(), SimError> {
    if (1..=MAX_BATCH_ITEMS).contains(&len) {
        return Ok(());
    }
    Err(SimError::new(
        400,
        codes::INVALID_PARAMETERS,
        format!("orders: a batch holds 1 to {MAX_BATCH_ITEMS} orders, got {len}"),
    ))
}

fn batch_create_result(p: &Placed) -> BatchCreateOrderResult {
    match &p.result {
        Ok(out) => {
            let r = create_response(out, p.now);
            BatchCreateOrderResult {
                order_id: Some(r.order_id),
                client_order_id: r.client_order_id,
                fill_count: Some(r.fill_count),
                remaining_count: Some(r.remaining_count),
                average_fill_price: r.average_fill_price,
                average_fee_paid: r.average_fee_paid,
                ts_ms: Some(r.ts_ms),
                error: None,
            }
        }
        Err(e) => BatchCreateOrderResult {
            order_id: None,
            client_order_id: p.client_order_id.clone(),
            fill_count: None,
            remaining_count: None,
            average_fill_price: None,
            average_fee_paid: None,
            ts_ms: None,
            error: Some(detail(e)),
        },
    }
}

/// `POST /portfolio/events/orders/batched` → 201 with one result per order.
pub async fn batch_create(
    shared: web::Data<Shared>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, SimError> {
    let arrival = Arrival::now(&shared);
    let batch = decode::<BatchCreateOrdersV2Request>(&body);
    let items = charged_items(batch.as_ref().ok().map(|b| b.orders.len()));
    let caller = admit(&shared, &req, E::BatchCreateOrders, items).await?;
    let account = caller.require()?;
    let arrival = arrival.of(&caller);
    let batch = batch?;
    check_batch_len(batch.orders.len())?;
    let placed: Vec<Placed> = shared.with_core(|c, now| {
        let x = &mut c.exchange;
        batch
            .orders
            .into_iter()
            .map(|o| place(x, account, o, now))
            .collect()
    });
    for p in &placed {
        arrival.record(&shared, p, false);
    }
    let orders = placed.iter().map(batch_create_result).collect();
    Ok(json(201, &BatchCreateOrdersV2Response { orders }))
}

/// 404 when `market_ticker` names another market than the order's.
fn check_market(
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
fn cancel_one(
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

fn batch_cancel_result(
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
fn per_contract(fees: Money, filled: Count) -> Option<Money> {
    if !filled.is_positive() {
        return None;
    }
    let per = i128::from(fees.micros()) * 100 / i128::from(filled.centis());
    Some(Money::from_micros(i64::try_from(per).unwrap_or(0)))
}

/// Amends inside the core: checks the client id, amends, reports what the amend filled.
fn amend_in(
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
