//! Resolving a 409 on a create: the client order id exists, so the gateway lists the ticker's
//! orders (page by page, ahead of other account reads) and answers with the order that
//! carries it — "already placed" is a success. Also where every job's answer is delivered.

use actix::Context;
use kalshi::{
    ApiError,
    rest::{Endpoint, GetOrdersResponse, portfolio_params::GetOrdersParams},
};
use tracing::info;

use super::{
    Gateway, GatewayError,
    dispatch::Lane,
    http::Wire,
    jobs::{Job, NewJob, Reply},
    request::{self, Answer, Retry},
};

/// Largest number of order pages searched to adopt an order after a 409.
const MAX_ADOPTION_PAGES: u32 = 20;

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
        let ticket = NewJob {
            endpoint,
            wire: Wire::of(endpoint, endpoint.path(), params.to_query(), None),
            retry: Retry::Read,
            adoption: None,
            reply,
            lane: Lane::Account,
            cost: self.costs.cost(endpoint, 1),
            deadline_ns: None,
        }
        .ticket(self.clock.monotonic_ns());
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
