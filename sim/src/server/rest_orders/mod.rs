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

//!
//! # Layout
//! - this file: body decoding and refusal helpers shared by the handlers.
//! - `create`: create and batch create.
//! - `modify`: cancel, batch cancel, cancel all, amend, decrease.

mod create;
mod modify;

pub use create::{batch_create, create};
pub use modify::{amend, batch_cancel, cancel, cancel_all, decrease};

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

pub(super) fn invalid_order(e: BodyError) -> SimError {
    SimError::new(400, codes::INVALID_ORDER, e.to_string())
}

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
