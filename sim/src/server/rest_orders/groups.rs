//! Order-group endpoints under `/portfolio/order_groups` (signed): create, list, get, update
//! the limit, trigger, reset and delete, over the engine's groups (`engine::groups`). The
//! four writes answer `{}`; trigger and reset ignore any body (the SDK may send one); a
//! limit outside 1–1,000,000 contracts is `400 invalid_parameters`; another account's group
//! is `404 order_group_not_found` like an unknown one; only subaccount 0 and exchange index 0
//! exist.

use actix_web::{HttpRequest, HttpResponse, web};
use kalshi::{
    OrderId,
    error::codes,
    rest::{
        BodyError, CreateOrderGroupRequest, CreateOrderGroupResponse, EmptyResponse, Endpoint as E,
        GetOrderGroupResponse, GetOrderGroupsResponse, OrderGroup, OrderGroupParams,
        SubaccountParams, UpdateOrderGroupLimitRequest,
    },
};

use super::body::decode;
use crate::{
    engine::{Exchange, order::OrderGroup as SimGroup},
    server::{
        error::SimError,
        gate::admit,
        respond::{invalid_query, json, primary_only},
        state::Shared,
    },
};

fn bad_limit(e: BodyError) -> SimError {
    SimError::new(400, codes::INVALID_PARAMETERS, e.to_string())
}

fn listed(g: &SimGroup) -> OrderGroup {
    OrderGroup {
        id: g.id.clone(),
        contracts_limit_fp: Some(g.limit),
        is_auto_cancel_enabled: true,
        exchange_index: Some(0),
    }
}

fn one(x: &Exchange, g: &SimGroup) -> GetOrderGroupResponse {
    let orders: Vec<OrderId> = g
        .orders
        .iter()
        .filter_map(|k| x.order(*k).map(|o| o.order_id.clone()))
        .collect();
    GetOrderGroupResponse {
        is_auto_cancel_enabled: true,
        contracts_limit_fp: Some(g.limit),
        orders,
        exchange_index: Some(0),
    }
}

/// The `?subaccount=&exchange_index=` of the writes: only 0 and 0.
fn write_params(req: &HttpRequest) -> Result<(), SimError> {
    let p = OrderGroupParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    match p.exchange_index {
        Some(i) if i != 0 => Err(SimError::new(
            400,
            codes::INVALID_PARAMETERS,
            format!("exchange_index {i} does not exist (the simulator has only 0)"),
        )),
        _ => Ok(()),
    }
}

/// `POST /portfolio/order_groups/create` → 201.
pub async fn create_group(
    shared: web::Data<Shared>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::CreateOrderGroup, 1)
        .await?
        .require()?;
    let b: CreateOrderGroupRequest = decode(&body)?;
    primary_only(b.subaccount)?;
    let limit = b.limit().map_err(bad_limit)?;
    let order_group_id = shared.with_core(|c, _| c.exchange.create_group(account, limit));
    let resp = CreateOrderGroupResponse {
        order_group_id,
        subaccount: 0,
        exchange_index: Some(0),
    };
    Ok(json(201, &resp))
}

/// `GET /portfolio/order_groups`: the caller's groups.
pub async fn list_groups(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::GetOrderGroups, 1)
        .await?
        .require()?;
    let p = SubaccountParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    let order_groups = shared
        .read_core(|c| c.exchange.groups_of(account).map(listed).collect())
        .0;
    Ok(json(200, &GetOrderGroupsResponse { order_groups }))
}

/// `GET /portfolio/order_groups/{order_group_id}`.
pub async fn get_group(
    shared: web::Data<Shared>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::GetOrderGroup, 1).await?.require()?;
    let p = SubaccountParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    primary_only(p.subaccount)?;
    let resp = shared
        .read_core(|c| {
            let x = &c.exchange;
            x.group(account, &id).map(|g| one(x, g))
        })
        .0?;
    Ok(json(200, &resp))
}

/// `PUT /portfolio/order_groups/{order_group_id}/limit`.
pub async fn update_limit(
    shared: web::Data<Shared>,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, SimError> {
    let account = admit(&shared, &req, E::UpdateOrderGroupLimit, 1)
        .await?
        .require()?;
    write_params(&req)?;
    let b: UpdateOrderGroupLimitRequest = decode(&body)?;
    let limit = b.limit().map_err(bad_limit)?;
    shared.with_core(|c, now| c.exchange.set_group_limit(account, &id, limit, now))?;
    Ok(json(200, &EmptyResponse {}))
}

/// What a bodiless group write does.
#[derive(Clone, Copy)]
enum Write {
    Trigger,
    Reset,
    Delete,
}

async fn write(
    shared: web::Data<Shared>,
    req: HttpRequest,
    id: web::Path<String>,
    what: Write,
) -> Result<HttpResponse, SimError> {
    let e = match what {
        Write::Trigger => E::TriggerOrderGroup,
        Write::Reset => E::ResetOrderGroup,
        Write::Delete => E::DeleteOrderGroup,
    };
    let account = admit(&shared, &req, e, 1).await?.require()?;
    write_params(&req)?;
    shared.with_core(|c, now| match what {
        Write::Trigger => c.exchange.trigger_group(account, &id, now),
        Write::Reset => c.exchange.reset_group(account, &id),
        Write::Delete => c.exchange.delete_group(account, &id, now),
    })?;
    Ok(json(200, &EmptyResponse {}))
}

/// `PUT /portfolio/order_groups/{order_group_id}/trigger`: cancels the group's resting
/// orders and refuses new ones until a reset.
pub async fn trigger_group(
    shared: web::Data<Shared>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    write(shared, req, id, Write::Trigger).await
}

/// `PUT /portfolio/order_groups/{order_group_id}/reset`.
pub async fn reset_group(
    shared: web::Data<Shared>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    write(shared, req, id, Write::Reset).await
}

/// `DELETE /portfolio/order_groups/{order_group_id}`: cancels its resting orders first.
pub async fn delete_group(
    shared: web::Data<Shared>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    write(shared, req, id, Write::Delete).await
}
