//! How the simulated exchange behaves where Kalshi's documents leave it open: one reading per
//! question, chosen in the config (`[readings]`) or while running (`POST /_sim/faults`), so the
//! engine can be tested against every reading. They are settings, not faults: `clear` keeps
//! them.

use serde::{Deserialize, Serialize};

/// When a client order id may be used again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateRule {
    /// Never: a reused id is answered 409 whatever became of its order (the REST docs:
    /// "409 if an order with this client_order_id already exists").
    #[default]
    Ever,
    /// Only while its order rests: once the order has ended (filled, cancelled, expired) the
    /// id is free again (the FIX docs: an id "must not match any open order").
    OpenOnly,
}

/// The readings in force.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Readings {
    /// When a client order id may be used again.
    pub duplicate_client_id: DuplicateRule,
    /// `ok` and `unsubscribed` replies take a place in their subscription's `seq` (as a
    /// third-party recorder of Kalshi's stream reports).
    pub ws_acks_in_seq: bool,
    /// A second `subscribe` to `orderbook_delta` on one connection is merged into the existing
    /// subscription and answered `ok`, not `subscribed` (as the same recorder reports).
    pub ws_merge_subscribes: bool,
}
