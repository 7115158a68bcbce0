//! Finding a create's order by its client order id, so that an order is placed once whatever
//! rule the exchange applies to reused ids:
//! - after a 409 (the id exists): the order found is adopted — "already placed" is a success;
//! - after an ambiguous attempt (no answer, 5xx), **before** the create is sent again: the
//!   ticker's orders since the first attempt are listed, and an order carrying the id is
//!   adopted; only when none does is the create sent again. Kalshi's REST docs answer a reused
//!   id with 409, but its FIX rules only forbid ids of *open* orders; if REST frees an id once
//!   its order ended, a retried IOC or FOK that had filled would otherwise be placed twice.
//!
//! The lookup itself is [`super::lookup`]'s (live orders, then archived ones when the cutoff
//! says so). Also where every job's answer is delivered.

use actix::Context;
use kalshi::{ApiError, rest::Order};
use tracing::{info, warn};

use super::{
    Gateway, GatewayError,
    dispatch::Ticket,
    jobs::{IfMissing, Job, Lookup, Reply, Stage},
    request::Answer,
};

/// How far before the first attempt the verification lists orders, s: room for the
/// difference between our clock estimate and the exchange's.
const LOOKUP_MARGIN_S: i64 = 300;

impl Gateway {
    /// A create was refused with 409: its client order id exists. Look the order up and
    /// answer with it.
    pub(super) fn adopt(&mut self, job: Job, conflict: ApiError, _ctx: &mut Context<Self>) {
        let Reply::Caller(caller) = job.reply else {
            return;
        };
        let Some((ticker, client_order_id)) = job.adoption else {
            return;
        };
        self.queue_lookup(Lookup {
            client_order_id,
            ticker,
            min_ts: None,
            stage: Stage::Live,
            cursor: None,
            pages: 0,
            if_missing: IfMissing::Refuse { conflict, caller },
        });
    }

    /// A create attempt's outcome is unknown: find out whether its order exists before
    /// sending it again.
    pub(super) fn verify_then_resend(&mut self, ticket: Ticket<Job>, _ctx: &mut Context<Self>) {
        let Some((ticker, client_order_id)) = ticket.payload.adoption.clone() else {
            self.dispatcher.push_front(ticket);
            return;
        };
        self.counters.verifications += 1;
        self.queue_lookup(Lookup {
            client_order_id,
            ticker,
            min_ts: ticket.payload.first_sent_s.map(|s| s - LOOKUP_MARGIN_S),
            stage: Stage::Live,
            cursor: None,
            pages: 0,
            if_missing: IfMissing::Resend(Box::new(ticket)),
        });
    }

    pub(super) fn deliver(
        &mut self,
        job: Job,
        result: Result<Answer, GatewayError>,
        ctx: &mut Context<Self>,
    ) {
        match job.reply {
            Reply::Caller(tx) => {
                let _ = tx.send(result);
            }
            Reply::Lookup(lookup) => self.on_lookup_answer(*lookup, result, ctx),
        }
    }

    /// No list holds an order carrying the id: after a 409 the conflict stands; after an
    /// ambiguous attempt the create is sent again.
    pub(super) fn on_missing(&mut self, lookup: Lookup) {
        match lookup.if_missing {
            IfMissing::Refuse { conflict, caller } => {
                let _ = caller.send(Err(GatewayError::Rejected(conflict)));
            }
            IfMissing::Resend(ticket) => {
                info!(client_order_id = %lookup.client_order_id, "no order carries the id: the create is sent again");
                self.dispatcher.push_front(*ticket);
            }
        }
    }

    /// The order carrying the id was found: it is the create's answer.
    pub(super) fn adopted(&mut self, lookup: Lookup, order: Order) {
        let after = match &lookup.if_missing {
            IfMissing::Refuse { .. } => "409 on create",
            IfMissing::Resend(_) => "an ambiguous create",
        };
        self.counters.adoptions += 1;
        info!(client_order_id = %lookup.client_order_id, order_id = %order.order_id, after, "adopted the existing order");
        if let Some(caller) = lookup.if_missing.into_caller() {
            let _ = caller.send(Ok(Answer::Adopted(Box::new(order))));
        }
    }

    /// The lookup itself failed: after a 409 the caller gets the error; after an ambiguous
    /// attempt the create is not sent again blind — its outcome stays unknown.
    pub(super) fn lookup_failed(
        &mut self,
        lookup: Lookup,
        e: GatewayError,
        ctx: &mut Context<Self>,
    ) {
        match lookup.if_missing {
            IfMissing::Refuse { caller, .. } => {
                let _ = caller.send(Err(e));
            }
            IfMissing::Resend(ticket) => {
                warn!(client_order_id = %lookup.client_order_id, error = %e, "cannot tell whether the create landed; not sending it again");
                let err = GatewayError::Ambiguous {
                    reason: format!("the create's outcome is unknown and the check failed: {e}"),
                };
                self.deliver(ticket.payload, Err(err), ctx);
            }
        }
    }
}
