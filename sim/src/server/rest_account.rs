//! Account endpoints: the caller's rate-limit tier and the endpoint costs — the truth the
//! simulator's buckets enforce.

use actix_web::{HttpRequest, HttpResponse, web};
use kalshi::{limits, rest::Endpoint as E};

use super::{error::SimError, gate::admit, respond::json, state::Shared};

/// `GET /account/limits`.
pub async fn limits(shared: web::Data<Shared>, req: HttpRequest) -> Result<HttpResponse, SimError> {
    let caller = admit(&shared, &req, E::GetAccountLimits, 1).await?;
    let account = caller.require()?;
    let tier = shared
        .read_core(|c| c.exchange.account(account).map(|a| a.tier.clone()))
        .0
        .unwrap_or_default();
    let resp = limits::limits_for(&limits::Tier::from_wire(&tier))
        .or_else(|| limits::limits_for(&limits::Tier::Basic))
        .ok_or_else(|| SimError::new(500, "internal", "no limits for tier"))?;
    Ok(json(200, &resp))
}

/// `GET /account/endpoint_costs`.
pub async fn endpoint_costs(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetEndpointCosts, 1).await?;
    Ok(json(200, &limits::endpoint_costs_response()))
}
