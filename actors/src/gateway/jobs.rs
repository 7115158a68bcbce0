//! The gateway's requests in flight ([`Job`]), where their answers go ([`Reply`]: back to the
//! caller, or into the order lookup that resolves a 409 on a create to the existing order),
//! and the dispatcher ticket a new one is queued with ([`NewJob`]).

use kalshi::{ApiError, ClientOrderId, rest::Endpoint};
use tokio::sync::oneshot;

use super::{
    dispatch::{Lane, Ticket},
    error::GatewayError,
    http::Wire,
    request::{Answer, Retry},
};

/// Where an answer goes.
#[derive(Debug)]
pub(super) enum Reply {
    /// Back to the caller.
    Caller(oneshot::Sender<Result<Answer, GatewayError>>),
    /// An internal order lookup resolving a 409 for `client_order_id`.
    Adopt {
        client_order_id: ClientOrderId,
        conflict: ApiError,
        pages: u32,
        caller: oneshot::Sender<Result<Answer, GatewayError>>,
    },
}

/// A request in the gateway.
#[derive(Debug)]
pub(super) struct Job {
    pub(super) endpoint: Endpoint,
    pub(super) wire: Wire,
    pub(super) retry: Retry,
    pub(super) attempts: u32,
    pub(super) rate_limited: u32,
    /// A write attempt went out and its outcome is unknown.
    pub(super) maybe_applied: bool,
    pub(super) adoption: Option<(kalshi::Ticker, ClientOrderId)>,
    pub(super) reply: Reply,
}

/// A request to queue: what to send, how to retry it, where its answer goes, and its place in
/// the dispatcher.
#[derive(Debug)]
pub(super) struct NewJob {
    pub(super) endpoint: Endpoint,
    pub(super) wire: Wire,
    pub(super) retry: Retry,
    pub(super) adoption: Option<(kalshi::Ticker, ClientOrderId)>,
    pub(super) reply: Reply,
    pub(super) lane: Lane,
    /// Tokens it costs.
    pub(super) cost: u32,
    /// Monotonic time it must be sent by.
    pub(super) deadline_ns: Option<u128>,
}

impl NewJob {
    /// Its ticket, queued at `now` and never attempted.
    pub(super) fn ticket(self, now: u128) -> Ticket<Job> {
        Ticket {
            lane: self.lane,
            bucket: self.endpoint.bucket(),
            cost: self.cost,
            deadline_ns: self.deadline_ns,
            enqueued_ns: now,
            generation: 0,
            payload: Job {
                endpoint: self.endpoint,
                wire: self.wire,
                retry: self.retry,
                attempts: 0,
                rate_limited: 0,
                maybe_applied: false,
                adoption: self.adoption,
                reply: self.reply,
            },
        }
    }
}
