//! The gateway's requests in flight ([`Job`]), where their answers go ([`Reply`]: back to the
//! caller, or into an order lookup by client order id — after a 409 on a create, and after an
//! ambiguous create attempt before it is sent again), and the dispatcher ticket a new one is
//! queued with ([`NewJob`]).

use kalshi::{ApiError, ClientOrderId, rest::Endpoint};
use tokio::sync::oneshot;

use super::{
    dispatch::{Lane, Ticket},
    error::GatewayError,
    http::Wire,
    request::{Answer, Retry},
};
use crate::stamps::PathStamps;

/// The caller's end of a request.
pub(super) type Caller = oneshot::Sender<Result<Answer, GatewayError>>;

/// Where an answer goes.
#[derive(Debug)]
pub(super) enum Reply {
    /// Back to the caller.
    Caller(Caller),
    /// A page of an internal order lookup.
    Lookup(Box<Lookup>),
}

/// An order lookup by client order id, page by page: the live orders first, then — when the
/// exchange's historical cutoff says an order of that age may have been archived — the
/// historical orders. Found, the order is adopted and answered to the create's caller.
#[derive(Debug)]
pub(super) struct Lookup {
    /// The id looked for.
    pub(super) client_order_id: ClientOrderId,
    /// The create's market.
    pub(super) ticker: kalshi::Ticker,
    /// Orders created before this (Unix s) cannot be the create's (`None`: any age).
    pub(super) min_ts: Option<i64>,
    /// Which list is being read.
    pub(super) stage: Stage,
    /// The next page's cursor (`None`: the first page).
    pub(super) cursor: Option<String>,
    /// Pages of this stage read so far.
    pub(super) pages: u32,
    /// What happens when no order carries the id.
    pub(super) if_missing: IfMissing,
}

/// Where an order lookup stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stage {
    /// Paging `GET /portfolio/orders`.
    Live,
    /// Reading `GET /historical/cutoff`.
    Cutoff,
    /// Paging `GET /historical/orders`.
    Archive,
}

/// What an order lookup does when the id is on no order.
#[derive(Debug)]
pub(super) enum IfMissing {
    /// After a 409: the conflict stands.
    Refuse {
        /// The 409's error.
        conflict: ApiError,
        /// The create's caller.
        caller: Caller,
    },
    /// After an ambiguous attempt: the create did not land; it is sent again.
    /// (Boxed: a job is large, and this path is rare.)
    Resend(Box<Ticket<Job>>),
}

impl IfMissing {
    /// The create's caller.
    pub(super) fn into_caller(self) -> Option<Caller> {
        match self {
            IfMissing::Refuse { caller, .. } => Some(caller),
            IfMissing::Resend(ticket) => match ticket.payload.reply {
                Reply::Caller(c) => Some(c),
                Reply::Lookup(_) => None,
            },
        }
    }
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
    /// When the first attempt went out, exchange time (Unix s; `None` before it).
    pub(super) first_sent_s: Option<i64>,
    pub(super) adoption: Option<(kalshi::Ticker, ClientOrderId)>,
    pub(super) reply: Reply,
    /// The order path's stamps (placements only).
    pub(super) stamps: Option<PathStamps>,
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
    /// The order path's stamps (placements only).
    pub(super) stamps: Option<PathStamps>,
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
                first_sent_s: None,
                adoption: self.adoption,
                reply: self.reply,
                stamps: self.stamps,
            },
        }
    }
}
