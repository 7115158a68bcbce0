//! Response helpers every HTTP handler shares (REST and `/_sim` alike): a JSON body with a
//! status ([`json`]), cursor pagination over keyed items ([`page`]) and over append-only
//! histories newest first ([`page_newest`], with [`DEFAULT_LIMIT`]), the `min_ts`/`max_ts`
//! filter ([`within`]), and the two common 400s — a refused query string ([`invalid_query`])
//! and a subaccount other than the primary one ([`primary_only`]). Nothing here knows a
//! route, so every handler file can use it.

use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use kalshi::{error::codes, rest::QueryError};

use super::error::SimError;

/// A JSON response with a status.
pub(super) fn json<T: serde::Serialize>(status: u16, body: &T) -> HttpResponse {
    let status =
        actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::OK);
    HttpResponse::build(status)
        .content_type("application/json")
        .body(serde_json::to_vec(body).unwrap_or_default())
}

/// Cursor pagination over items sorted by key: the cursor is the last key of the page.
pub(super) fn page<T>(
    items: Vec<(String, T)>,
    cursor: Option<&str>,
    limit: usize,
) -> (Vec<T>, String) {
    let start = cursor.filter(|c| !c.is_empty());
    let mut rest: Vec<(String, T)> = items
        .into_iter()
        .filter(|(k, _)| start.is_none_or(|c| k.as_str() > c))
        .collect();
    let more = rest.len() > limit;
    rest.truncate(limit);
    let next = if more {
        rest.last().map(|(k, _)| k.clone()).unwrap_or_default()
    } else {
        String::new()
    };
    (rest.into_iter().map(|(_, v)| v).collect(), next)
}

/// Page size of a history when `limit` is absent.
pub(super) const DEFAULT_LIMIT: u32 = 100;

/// Newest-first pagination over items keyed by their position in an append-only history:
/// `items` come newest first; the cursor is the key of the page's last item, so pages stay
/// stable while new items arrive.
pub(super) fn page_newest<T>(
    items: impl Iterator<Item = (usize, T)>,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> Result<(Vec<T>, String), SimError> {
    let before = match cursor.filter(|c| !c.is_empty()) {
        None => usize::MAX,
        Some(c) => c.parse().map_err(|_| {
            SimError::new(
                400,
                codes::INVALID_PARAMETERS,
                format!("cursor {c:?} was not issued by this endpoint"),
            )
        })?,
    };
    let limit = limit.unwrap_or(DEFAULT_LIMIT) as usize;
    let mut page: Vec<(usize, T)> = items.filter(|(k, _)| *k < before).take(limit + 1).collect();
    let more = page.len() > limit;
    page.truncate(limit);
    let next = match page.last() {
        Some((k, _)) if more => k.to_string(),
        _ => String::new(),
    };
    Ok((page.into_iter().map(|(_, v)| v).collect(), next))
}

/// Whether `t` lies within `min_ts..=max_ts` (Unix seconds, both optional).
pub(super) fn within(t: DateTime<Utc>, min_ts: Option<i64>, max_ts: Option<i64>) -> bool {
    let s = t.timestamp();
    min_ts.is_none_or(|m| s >= m) && max_ts.is_none_or(|m| s <= m)
}

/// Whether `t` is before the historical cutoff (`None`: nothing is historical).
pub(super) fn older(t: DateTime<Utc>, cutoff: Option<DateTime<Utc>>) -> bool {
    cutoff.is_some_and(|c| t < c)
}

/// 400 `invalid_parameters` for a query string the endpoint refuses.
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
