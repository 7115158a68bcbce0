//! Create and batch create.

use std::sync::atomic::Ordering;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use kalshi::{
    ClientOrderId,
    rest::{
        BatchCreateOrderResult, BatchCreateOrdersV2Request, BatchCreateOrdersV2Response, BodyError,
        CreateOrderV2Request, CreateOrderV2Response, Endpoint as E,
    },
};

use super::body::{charged_items, check_batch_len, decode, detail, invalid_order};
use crate::{
    engine::{AccountIdx, Exchange, OrderRequest, SimOrder, matching::CreateOutcome},
    server::{
        conn,
        error::SimError,
        gate::{Caller, admit},
        respond::{json, primary_only},
        state::{OrderAttempt, Shared, lock},
    },
};

/// Checks a create body and maps it to the engine's request.
pub(super) fn order_request(
    b: CreateOrderV2Request,
    now: DateTime<Utc>,
) -> Result<OrderRequest, SimError> {
    b.validate().map_err(invalid_order)?;
    primary_only(b.subaccount)?;
    if let Some(t) = b.expiration_time.filter(|t| *t <= now.timestamp()) {
        return Err(invalid_order(BodyError {
            field: "expiration_time",
            reason: format!("{t} is not in the future"),
        }));
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
        order_group_id: b.order_group_id,
    })
}

/// One create as the exchange saw it: what was asked, when, and how it ended.
pub(super) struct Placed {
    ticker: String,
    client_order_id: Option<ClientOrderId>,
    result: Result<CreateOutcome, SimError>,
    now: DateTime<Utc>,
}

pub(super) fn place(
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
pub(super) struct Arrival {
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
pub(super) fn salvage(body: &[u8], result: SimError) -> Placed {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let text = |k: &str| v.get(k).and_then(|s| s.as_str()).map(str::to_owned);
    Placed {
        ticker: text("ticker").unwrap_or_default(),
        client_order_id: text("client_order_id").and_then(|c| ClientOrderId::new(c).ok()),
        result: Err(result),
        now: DateTime::<Utc>::default(),
    }
}

pub(super) fn create_response(out: &CreateOutcome, now: DateTime<Utc>) -> CreateOrderV2Response {
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
pub(super) fn take_reset(shared: &Shared) -> bool {
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

pub(super) fn batch_create_result(p: &Placed) -> BatchCreateOrderResult {
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
