//! Request bodies and refusals shared by the order handlers: [`decode`] (malformed JSON,
//! wrong types and unknown fields are `400 invalid_parameters` naming the problem),
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

/// 400 `invalid_order` for a body that breaks an order rule (`validate()`).
pub(super) fn invalid_order(e: BodyError) -> SimError {
    SimError::new(400, codes::INVALID_ORDER, e.to_string())
}

/// Decodes a JSON body; any failure is a 400 `invalid_parameters` naming the problem.
pub(super) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, SimError> {
    serde_json::from_slice(body).map_err(|e| {
        SimError::new(
            400,
            codes::INVALID_PARAMETERS,
            format!("invalid JSON body: {e}"),
        )
    })
}

/// The error fields of a refusal, for a batch item's `error`.
pub(super) fn detail(e: &SimError) -> ErrorDetail {
    match &e.body {
        ErrorBody::Wrapped { error } | ErrorBody::Flat(error) => error.clone(),
        ErrorBody::Text { error } => ErrorDetail {
            message: Some(error.clone()),
            ..ErrorDetail::default()
        },
    }
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
