//! Request bodies and refusals shared by the order handlers: [`decode`] (the shapes of
//! Kalshi's order-errors page: malformed JSON, wrong types and unknown fields are the flat
//! `400 bad_request`, a missing field `missing_parameters` or `invalid_order`),
//! [`invalid_order`] (a broken order rule), [`detail`] (a refusal as a batch item's `error`),
//! and the batch bounds ([`MAX_BATCH_ITEMS`], [`charged_items`], [`check_batch_len`]).

use kalshi::{
    error::{ErrorBody, ErrorDetail, codes},
    rest::BodyError,
};
use serde::de::DeserializeOwned;

use crate::server::error::SimError;

/// Most orders in one batch create or batch cancel (legacy docs: 20 per batch).
pub const MAX_BATCH_ITEMS: usize = 20;

/// 400 `invalid_order` for a body that breaks an order rule (`validate()`), the rule in
/// `details`.
pub(super) fn invalid_order(e: BodyError) -> SimError {
    SimError::with_details(400, codes::INVALID_ORDER, "invalid order", e.to_string())
}

/// Fields whose absence Kalshi answers with `invalid_order` (on Create Order); any other
/// missing field is `missing_parameters`, as a missing `ticker` is.
const MISSING_IS_INVALID_ORDER: [&str; 3] = ["side", "count", "price"];

/// The refusal of a body that parses as JSON but lacks the required `field`.
fn missing(field: &str, serde_message: &str) -> SimError {
    let (code, message) = if MISSING_IS_INVALID_ORDER.contains(&field) {
        (codes::INVALID_ORDER, "invalid order")
    } else {
        (codes::MISSING_PARAMETERS, "missing parameters")
    };
    SimError::with_details(400, code, message, serde_message)
}

/// Decodes a JSON body. Malformed JSON, a field of the wrong type and an unknown field are
/// Kalshi's flat `400 bad_request`; a missing required field is `missing_parameters` or
/// `invalid_order` ([`MISSING_IS_INVALID_ORDER`]); `details` names the problem either way.
pub(super) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, SimError> {
    serde_json::from_slice(body).map_err(|e| {
        let text = e.to_string();
        let field = text
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next());
        match field {
            Some(field) => missing(field, &text),
            None => SimError::unparsable(format!("invalid JSON body: {text}")),
        }
    })
}

/// The error fields of a refusal, for a batch item's `error`; `details` is always there,
/// `""` when there is nothing to add, as Kalshi writes batch errors.
pub(super) fn detail(e: &SimError) -> ErrorDetail {
    let mut d = match &e.body {
        ErrorBody::Wrapped { error } | ErrorBody::Flat(error) => error.clone(),
        ErrorBody::Text { error } => ErrorDetail {
            message: Some(error.clone()),
            ..ErrorDetail::default()
        },
    };
    d.details.get_or_insert_with(String::new);
    d
}

/// The `items` a batch is charged for: its length, or 1 when it is unreadable or out of
/// bounds (it will be refused).
pub(super) fn charged_items(len: Option<usize>) -> u32 {
    match len {
        Some(n @ 1..=MAX_BATCH_ITEMS) => n as u32,
        _ => 1,
    }
}

/// 400 `invalid_parameters` unless a batch holds 1 to [`MAX_BATCH_ITEMS`] orders.
pub(super) fn check_batch_len(len: usize) -> Result<(), SimError> {
    if (1..=MAX_BATCH_ITEMS).contains(&len) {
        return Ok(());
    }
    Err(SimError::new(
        400,
        codes::INVALID_PARAMETERS,
        format!("orders: a batch holds 1 to {MAX_BATCH_ITEMS} orders, got {len}"),
    ))
}
