//! V2 order endpoints (kalshi-api.md §3.4): create, cancel, amend, decrease, batch create,
//! batch cancel and cancel all, under `/portfolio/events/orders`, and the order groups under
//! `/portfolio/order_groups`.
//!
//! Every handler admits the request at the gate first (auth, faults, tokens) — the batch
//! endpoints decode their body just before, because they are charged per item — then decodes
//! its body from raw bytes, so malformed JSON, wrong types and unknown fields are 400s that
//! name the problem, and changes the exchange only inside [`Shared::with_core`](crate::server::state::Shared::with_core). Refusals
//! come from the engine as [`Reject`](crate::engine::Reject)s with Kalshi's status and code.
//!
//! Choices where Kalshi is silent:
//! - a body that does not parse (malformed JSON, a wrong type, an unknown field — Kalshi
//!   probably ignores unknown fields; the simulator refuses them to catch misspelt ones) is
//!   the flat `400 bad_request`; a missing `side`, `count` or `price` is `invalid_order` and
//!   any other missing field `missing_parameters` (Kalshi's page names `ticker`; the others
//!   are UNCERTAIN); broken order rules (`validate()`) are `400 invalid_order` with the rule
//!   in `details`, as is a post-only order that would cross (`details: "post only cross"`);
//!   query errors are `400 invalid_parameters`;
//! - a batch holds 1 to `MAX_BATCH_ITEMS` orders (the legacy documented 20), else the whole
//!   batch is a 400 charged as one item; a batch whose items cost more tokens than the bucket
//!   holds is refused whole (429);
//! - batch items are decoded together (one malformed item fails the batch) but checked and
//!   placed one by one, each with its own result or `error`;
//! - only subaccount 0 exists; another subaccount is `400 invalid_parameters`;
//! - `market_ticker` that names another market than the order's is `404 not_found`;
//! - `order_group_id` must name one of the caller's order groups (else `404
//!   order_group_not_found`) that has not triggered (else `400
//!   exceeded_order_group_risk_limit`; see `engine::groups`);
//! - amend's `expiration_time` is refused (`400 invalid_parameters`): not simulated.
//!
//! # Layout
//! - this file: the handlers' re-exports only.
//! - `body`: body decoding, refusal helpers and batch bounds shared by the handlers.
//! - `create`: create and batch create.
//! - `modify`: cancel, batch cancel, cancel all, amend, decrease.
//! - `groups`: the order-group endpoints.

mod body;
mod create;
mod groups;
mod modify;

pub use create::{batch_create, create};
pub use groups::{
    create_group, delete_group, get_group, list_groups, reset_group, trigger_group, update_limit,
};
pub use modify::{amend, batch_cancel, cancel, cancel_all, decrease};
