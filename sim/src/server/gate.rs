//! The door every API request passes before its handler runs: count it, authenticate it,
//! apply the latency and error fault switches, and charge its tokens — in that order, like an
//! exchange that authenticates before it rate-limits.

use std::{sync::atomic::Ordering, time::Duration};

use actix_web::{HttpMessage, HttpRequest};
use kalshi::{limits, rest::Endpoint};

use super::{
    auth::{authenticate, has_auth_headers},
    error::SimError,
    state::{Shared, lock},
};
use crate::engine::AccountIdx;

/// Who is calling, as the gate established it.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The authenticated account, if any.
    pub account: Option<AccountIdx>,
    /// Its public id.
    pub account_id: Option<String>,
}

impl Caller {
    /// The account, or a 401 for endpoints that need one.
    pub fn require(&self) -> Result<AccountIdx, SimError> {
        self.account
            .ok_or_else(|| SimError::unauthorized("authentication required"))
    }
}

/// The caller's account id, left in the request extensions for the request log.
#[derive(Debug, Clone)]
pub struct CallerId(pub String);

/// Admits a request to `endpoint` whose cost covers `items` items (batch size, else 1).
pub async fn admit(
    shared: &Shared,
    req: &HttpRequest,
    endpoint: Endpoint,
    items: u32,
) -> Result<Caller, SimError> {
    let key = format!("{} {}", endpoint.method().as_str(), endpoint.template());
    *lock(&shared.stats.per_endpoint).entry(key).or_default() += 1;

    let authed = if endpoint.requires_auth() || has_auth_headers(req) {
        Some(authenticate(shared, req)?)
    } else {
        None
    };
    let (account, tier, account_id) = match &authed {
        Some(a) => {
            let (tier, id) = shared
                .read_core(|c| {
                    c.exchange
                        .account(a.account)
                        .map(|acct| (acct.tier.clone(), acct.account_id.clone()))
                })
                .0
                .unwrap_or_default();
            req.extensions_mut().insert(CallerId(id.clone()));
            (Some(a.account), tier, Some(id))
        }
        None => (None, "basic".to_owned(), None),
    };

    let latency = lock(&shared.faults).latency_ms;
    if latency > 0 {
        actix_web::rt::time::sleep(Duration::from_millis(latency)).await;
    }
    injected_fault(shared)?;

    if let Some(acct) = account {
        let cost = limits::cost(endpoint, items);
        if !shared.charge(acct, &tier, endpoint.bucket(), cost) {
            let retry_after = lock(&shared.faults).retry_after_s;
            return Err(SimError::too_many_requests(retry_after));
        }
    }
    Ok(Caller {
        account,
        account_id,
    })
}

/// The 429 or 5xx a fault switch asks for, if any.
fn injected_fault(shared: &Shared) -> Result<(), SimError> {
    let mut f = lock(&shared.faults);
    let (f429, f5xx) = (f.rest_429_fraction, f.rest_5xx_fraction);
    if f.rest_429_next > 0 || shared.roll(f429) {
        f.rest_429_next = f.rest_429_next.saturating_sub(1);
        return Err(SimError::too_many_requests(f.retry_after_s));
    }
    if f.rest_5xx_next > 0 || shared.roll(f5xx) {
        f.rest_5xx_next = f.rest_5xx_next.saturating_sub(1);
        shared.stats.sent_5xx.fetch_add(1, Ordering::Relaxed);
        let status = f.rest_5xx_status.unwrap_or(503);
        return Err(SimError::new(
            status,
            "service_unavailable",
            "injected failure",
        ));
    }
    Ok(())
}
