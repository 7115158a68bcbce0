//! The order lookup by client order id that [`super::adopt`] starts, as a small state machine
//! over three lists: the live orders (`GET /portfolio/orders?ticker&min_ts`, page by page),
//! then the exchange's historical cutoff (`GET /historical/cutoff`), then — only when the
//! cutoff says an order as old as the lookup's may have been archived — the historical orders
//! (`GET /historical/orders?ticker&min_ts`). Kalshi moves orders last updated before
//! `orders_updated_ts` out of the live list; today that lies months back, so a verification
//! seconds after a create reads the cutoff and stops, but a 409 on an old id (no age bound)
//! or a cutoff that moves closer does not lose the order.
//!
//! Each list is read for at most [`MAX_LOOKUP_PAGES`] pages (more is an unknown outcome, not
//! an absence); every request goes ahead of other account reads.

use actix::Context;
use kalshi::rest::{
    Endpoint, GetHistoricalCutoffResponse, GetHistoricalOrdersParams, GetOrdersResponse,
    portfolio_params::GetOrdersParams,
};

use super::{
    Gateway, GatewayError,
    archive::archive_may_hold,
    dispatch::Lane,
    http::Wire,
    jobs::{Lookup, NewJob, Reply, Stage},
    request::{self, Answer, Retry},
};

/// Largest number of order pages searched for a client order id, per list.
pub(super) const MAX_LOOKUP_PAGES: u32 = 20;

/// The path and query of a lookup's next request.
fn request_of(lookup: &Lookup) -> (Endpoint, String) {
    let query = match lookup.stage {
        Stage::Live => GetOrdersParams {
            ticker: Some(lookup.ticker.clone()),
            min_ts: lookup.min_ts,
            cursor: lookup.cursor.clone(),
            ..GetOrdersParams::default()
        }
        .to_query(),
        Stage::Archive => GetHistoricalOrdersParams {
            ticker: Some(lookup.ticker.clone()),
            min_ts: lookup.min_ts,
            cursor: lookup.cursor.clone(),
            ..GetHistoricalOrdersParams::default()
        }
        .to_query(),
        Stage::Cutoff => String::new(),
    };
    let endpoint = match lookup.stage {
        Stage::Live => Endpoint::GetOrders,
        Stage::Cutoff => Endpoint::GetHistoricalCutoff,
        Stage::Archive => Endpoint::GetHistoricalOrders,
    };
    (endpoint, query)
}

impl Gateway {
    /// Queues the lookup's next request ahead of other account reads.
    pub(super) fn queue_lookup(&mut self, lookup: Lookup) {
        let (endpoint, query) = request_of(&lookup);
        let ticket = NewJob {
            endpoint,
            wire: Wire::of(endpoint, endpoint.path(), query, None),
            retry: Retry::Read,
            adoption: None,
            reply: Reply::Lookup(Box::new(lookup)),
            stamps: None,
            lane: Lane::Account,
            cost: self.costs.cost(endpoint, 1),
            deadline_ns: None,
        }
        .ticket(self.clock.monotonic_ns());
        self.dispatcher.push_front(ticket);
    }

    /// One answer of a lookup: adopt the order, read on, or act on its absence.
    pub(super) fn on_lookup_answer(
        &mut self,
        lookup: Lookup,
        answer: Result<Answer, GatewayError>,
        ctx: &mut Context<Self>,
    ) {
        if lookup.stage == Stage::Cutoff {
            return match answer.and_then(request::decode_json::<GetHistoricalCutoffResponse>) {
                Ok(cutoff) if archive_may_hold(&cutoff, lookup.min_ts) => {
                    self.queue_lookup(Lookup {
                        stage: Stage::Archive,
                        cursor: None,
                        pages: 0,
                        ..lookup
                    })
                }
                Ok(_) => self.on_missing(lookup),
                Err(e) => self.lookup_failed(lookup, e, ctx),
            };
        }
        let page = match answer.and_then(request::decode_json::<GetOrdersResponse>) {
            Ok(page) => page,
            Err(e) => return self.lookup_failed(lookup, e, ctx),
        };
        let cid = &lookup.client_order_id;
        if let Some(order) = page
            .orders
            .into_iter()
            .find(|o| o.client_order_id.as_ref() == Some(cid))
        {
            return self.adopted(lookup, order);
        }
        if !page.cursor.is_empty() {
            if lookup.pages + 1 >= MAX_LOOKUP_PAGES {
                let reason = format!("the id is on none of the first {MAX_LOOKUP_PAGES} pages");
                return self.lookup_failed(lookup, GatewayError::Ambiguous { reason }, ctx);
            }
            return self.queue_lookup(Lookup {
                cursor: Some(page.cursor),
                pages: lookup.pages + 1,
                ..lookup
            });
        }
        match lookup.stage {
            Stage::Live => self.queue_lookup(Lookup {
                stage: Stage::Cutoff,
                cursor: None,
                pages: 0,
                ..lookup
            }),
            _ => self.on_missing(lookup),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn cutoff_at(s: i64) -> GetHistoricalCutoffResponse {
        let at = Utc.timestamp_opt(s, 0).unwrap();
        GetHistoricalCutoffResponse {
            market_settled_ts: at,
            trades_created_ts: at,
            orders_updated_ts: at,
            market_positions_last_updated_ts: None,
        }
    }

    #[test]
    fn the_archive_is_searched_only_when_the_cutoff_passed_the_lookups_start() {
        let cutoff = cutoff_at(1_000);
        assert!(archive_may_hold(&cutoff, None), "no age bound");
        assert!(archive_may_hold(&cutoff, Some(999)));
        assert!(!archive_may_hold(&cutoff, Some(1_000)));
        assert!(!archive_may_hold(&cutoff, Some(5_000)));
    }
}
