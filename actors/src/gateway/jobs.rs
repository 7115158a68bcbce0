//! The gateway's requests in flight ([`Job`]) and where their answers go: back to the caller,
//! or into the order lookup that resolves a 409 on a create to the existing order.

use actix::Context;
use kalshi::{
    ApiError, ClientOrderId,
    rest::{Endpoint, GetOrdersResponse, portfolio_params::GetOrdersParams},
};
use tokio::sync::oneshot;
use tracing::info;

use super::{
    Gateway, GatewayError, Lane,
    dispatch::Ticket,
    http::Wire,
    relative,
    request::{self, Answer, Retry},
};

/// Largest number of order pages searched to adopt an order after a 409.
const MAX_ADOPTION_PAGES: u32 = 20;

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

impl Gateway {
    /// A create was refused with 409: its client order id exists. Look the order up and
    /// answer with it — "already placed" is a success.
    pub(super) fn adopt(&mut self, job: Job, conflict: ApiError, ctx: &mut Context<Self>) {
        let Reply::Caller(caller) = job.reply else {
            return;
        };
        let Some((ticker, client_order_id)) = job.adoption else {
            return;
        };
        let params = GetOrdersParams {
            ticker: Some(ticker),
            ..GetOrdersParams::default()
        };
        self.lookup(
            params,
            Reply::Adopt {
                client_order_id,
                conflict,
                pages: 0,
                caller,
            },
            ctx,
        );
    }

    fn lookup(&mut self, params: GetOrdersParams, reply: Reply, _ctx: &mut Context<Self>) {
        let endpoint = Endpoint::GetOrders;
        let now = self.clock.monotonic_ns();
        let job = Job {
            endpoint,
            wire: Wire {
                method: endpoint.method(),
                path: relative(endpoint.path()),
                query: params.to_query(),
                body: None,
            },
            retry: Retry::Read,
            attempts: 0,
            rate_limited: 0,
            maybe_applied: false,
            adoption: None,
            reply,
        };
        let ticket = Ticket {
            lane: Lane::Account,
            bucket: endpoint.bucket(),
            cost: self.costs.cost(endpoint, 1),
            deadline_ns: None,
            enqueued_ns: now,
            generation: 0,
            payload: job,
        };
        self.dispatcher.push_front(ticket);
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
            Reply::Adopt {
                client_order_id,
                conflict,
                pages,
                caller,
            } => {
                let page = result.and_then(request::decode_json::<GetOrdersResponse>);
                match page {
                    Err(e) => {
                        let _ = caller.send(Err(e));
                    }
                    Ok(page) => {
                        if let Some(order) = page
                            .orders
                            .into_iter()
                            .find(|o| o.client_order_id.as_ref() == Some(&client_order_id))
                        {
                            self.counters.adoptions += 1;
                            info!(%client_order_id, order_id = %order.order_id, "409 on create: adopted the existing order");
                            let _ = caller.send(Ok(Answer::Adopted(Box::new(order))));
                        } else if !page.cursor.is_empty() && pages + 1 < MAX_ADOPTION_PAGES {
                            let mut params =
                                GetOrdersParams::from_query(&job.wire.query).unwrap_or_default();
                            params.cursor = Some(page.cursor);
                            self.lookup(
                                params,
                                Reply::Adopt {
                                    client_order_id,
                                    conflict,
                                    pages: pages + 1,
                                    caller,
                                },
                                ctx,
                            );
                        } else {
                            let _ = caller.send(Err(GatewayError::Rejected(conflict)));
                        }
                    }
                }
            }
        }
    }
}
