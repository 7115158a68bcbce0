//! Response helpers every HTTP handler shares (REST and `/_sim` alike): a JSON body with a
//! status ([`json`]), cursor pagination over keyed items ([`page`]), and the two common 400s —
//! a refused query string ([`invalid_query`]) and a subaccount other than the primary one
//! ([`primary_only`]). Nothing here knows a route, so every handler file can use it.

use actix_web::HttpResponse;
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
