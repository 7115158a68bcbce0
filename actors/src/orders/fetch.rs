//! The REST reads of a reconciliation, paginated to the end (more than [`MAX_PAGES`] pages is
//! an error, never a silent cut), as plain async
//! functions over the gateway's recipients: they gather, the actor decides. At start-up after
//! a crash, [`orders_since`] lists every order (any market, any status) created since the
//! reservation of the ids that may have been sent without being journaled — the live list,
//! and the archive when the historical cutoff says orders that recent may have moved there.

use std::{
    collections::{BTreeMap, BTreeSet},
    future::Future,
};

use actix::{MailboxError, Recipient};
use kalshi::{
    Ticker,
    rest::{
        Fill, GetHistoricalOrdersParams, MarketPosition, Order,
        portfolio_params::{CountFilter, GetFillsParams, GetOrdersParams, GetPositionsParams},
    },
    types::OrderStatus,
};

use crate::gateway::{
    GatewayError, GetFills, GetHistoricalCutoff, GetHistoricalOrders, GetOrders, GetPositions,
    archive_may_hold,
};

/// Most pages read from one listing.
pub const MAX_PAGES: usize = 200;

/// Page size asked for.
const PAGE: u32 = 1000;

fn flat<T>(r: Result<Result<T, GatewayError>, MailboxError>) -> Result<T, GatewayError> {
    r.map_err(|_| GatewayError::Stopped)?
}

/// Reads every page of a listing: `page(cursor)` answers one page's items and the next
/// cursor (empty at the end). A listing longer than [`MAX_PAGES`] is an error, never a silent
/// cut: a reconciliation that saw part of the exchange's orders must not act as if it saw all.
async fn all_pages<T, F, Fut>(what: &str, mut page: F) -> Result<Vec<T>, GatewayError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, String), GatewayError>>,
{
    let mut out = Vec::new();
    let mut cursor = None;
    for _ in 0..MAX_PAGES {
        let (items, next) = page(cursor.take()).await?;
        out.extend(items);
        if next.is_empty() {
            return Ok(out);
        }
        cursor = Some(next);
    }
    Err(GatewayError::Ambiguous {
        reason: format!("{what}: more than {MAX_PAGES} pages; the listing is incomplete"),
    })
}

/// Every order matching `params`.
pub async fn orders(
    peer: &Recipient<GetOrders>,
    params: GetOrdersParams,
) -> Result<Vec<Order>, GatewayError> {
    all_pages("orders", |cursor| {
        let params = GetOrdersParams {
            cursor,
            limit: Some(PAGE),
            ..params.clone()
        };
        let ask = peer.send(GetOrders { params });
        async move { flat(ask.await).map(|p| (p.orders, p.cursor)) }
    })
    .await
}

/// Every archived order matching `params`.
async fn archived(
    peer: &Recipient<GetHistoricalOrders>,
    params: GetHistoricalOrdersParams,
) -> Result<Vec<Order>, GatewayError> {
    all_pages("historical orders", |cursor| {
        let params = GetHistoricalOrdersParams {
            cursor,
            limit: Some(PAGE),
            ..params.clone()
        };
        let ask = peer.send(GetHistoricalOrders { params });
        async move { flat(ask.await).map(|p| (p.orders, p.cursor)) }
    })
    .await
}

/// Every order created at or after `min_ts` (Unix s), any market and status: the live list,
/// then the archive if the cutoff lies after `min_ts` (an order last updated before the
/// cutoff is only there).
pub async fn orders_since(src: &Sources, min_ts: i64) -> Result<Vec<Order>, GatewayError> {
    let live = GetOrdersParams {
        min_ts: Some(min_ts),
        ..Default::default()
    };
    let mut out = orders(&src.orders, live).await?;
    let cutoff = flat(src.cutoff.send(GetHistoricalCutoff {}).await)?;
    if archive_may_hold(&cutoff, Some(min_ts)) {
        let params = GetHistoricalOrdersParams {
            min_ts: Some(min_ts),
            ..Default::default()
        };
        out.extend(archived(&src.archived, params).await?);
    }
    Ok(out)
}

/// Every order of `tickers` (any status), plus every resting order when `resting` is set,
/// plus every order created since `since` (Unix s) if given; each once.
pub async fn orders_of(
    src: &Sources,
    tickers: BTreeSet<Ticker>,
    resting: bool,
    since: Option<i64>,
) -> Result<Vec<Order>, GatewayError> {
    let peer = src.orders.clone();
    let mut all: BTreeMap<String, Order> = BTreeMap::new();
    if let Some(min_ts) = since {
        for o in orders_since(src, min_ts).await? {
            all.insert(o.order_id.to_string(), o);
        }
    }
    if resting {
        let params = GetOrdersParams {
            status: Some(OrderStatus::Resting),
            ..Default::default()
        };
        for o in orders(&peer, params).await? {
            all.insert(o.order_id.to_string(), o);
        }
    }
    for t in tickers {
        let params = GetOrdersParams {
            ticker: Some(t),
            ..Default::default()
        };
        for o in orders(&peer, params).await? {
            all.insert(o.order_id.to_string(), o);
        }
    }
    Ok(all.into_values().collect())
}

/// Every fill at or after `min_ts` (Unix seconds), oldest first.
pub async fn fills(peer: &Recipient<GetFills>, min_ts: i64) -> Result<Vec<Fill>, GatewayError> {
    let mut out = all_pages("fills", |cursor| {
        let params = GetFillsParams {
            min_ts: Some(min_ts),
            limit: Some(PAGE),
            cursor,
            ..Default::default()
        };
        let ask = peer.send(GetFills { params });
        async move { flat(ask.await).map(|p| (p.fills, p.cursor)) }
    })
    .await?;
    out.reverse();
    Ok(out)
}

/// Every non-zero position.
pub async fn positions(
    peer: &Recipient<GetPositions>,
) -> Result<Vec<MarketPosition>, GatewayError> {
    all_pages("positions", |cursor| {
        let params = GetPositionsParams {
            limit: Some(PAGE),
            count_filter: vec![CountFilter::Position],
            cursor,
            ..Default::default()
        };
        let ask = peer.send(GetPositions { params });
        async move { flat(ask.await).map(|p| (p.market_positions, p.cursor)) }
    })
    .await
}

/// Positions, then the fills since `min_ts`: read in this order, a fill landing in between
/// is in our books but not in the exchange's positions — a difference the second pass of a
/// check does not confirm.
#[derive(Debug, Clone, Default)]
pub struct Pass {
    /// Positions.
    pub positions: Vec<MarketPosition>,
    /// Fills, oldest first.
    pub fills: Vec<Fill>,
}

/// What one reconciliation read.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Orders of the markets asked for (and every resting one, if asked).
    pub orders: Vec<Order>,
    /// First read of positions and fills.
    pub first: Pass,
    /// Second read, to confirm a position difference.
    pub second: Pass,
}

/// Where a snapshot is read from.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Orders.
    pub orders: Recipient<GetOrders>,
    /// Fills.
    pub fills: Recipient<GetFills>,
    /// Positions.
    pub positions: Recipient<GetPositions>,
    /// The historical cutoff.
    pub cutoff: Recipient<GetHistoricalCutoff>,
    /// Archived orders.
    pub archived: Recipient<GetHistoricalOrders>,
}

async fn pass(src: &Sources, min_ts: i64) -> Result<Pass, GatewayError> {
    let positions = positions(&src.positions).await?;
    let fills = fills(&src.fills, min_ts).await?;
    Ok(Pass { positions, fills })
}

/// What orders a snapshot lists.
#[derive(Debug, Clone, Default)]
pub struct OrderQuery {
    /// Every order of these markets.
    pub tickers: BTreeSet<Ticker>,
    /// Every resting order.
    pub resting: bool,
    /// Every order created since (Unix s).
    pub since: Option<i64>,
}

/// Reads orders (per `query`; none when it asks for none), then two passes of positions and
/// fills since `min_ts`.
pub async fn snapshot(
    src: Sources,
    query: OrderQuery,
    min_ts: i64,
) -> Result<Snapshot, GatewayError> {
    let orders = if query.tickers.is_empty() && !query.resting && query.since.is_none() {
        Vec::new()
    } else {
        orders_of(&src, query.tickers, query.resting, query.since).await?
    };
    let first = pass(&src, min_ts).await?;
    let second = pass(&src, min_ts).await?;
    Ok(Snapshot {
        orders,
        first,
        second,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_rt::test]
    async fn pages_are_read_to_the_end_and_a_listing_without_end_is_an_error() {
        let pages = all_pages("t", |cursor: Option<String>| async move {
            let n: u32 = cursor.map_or(0, |c| c.parse().unwrap());
            let next = if n < 2 {
                (n + 1).to_string()
            } else {
                String::new()
            };
            Ok((vec![n], next))
        })
        .await;
        assert_eq!(pages.unwrap(), [0, 1, 2]);
        let endless = all_pages("endless", |_| async { Ok((vec![1], "more".to_owned())) }).await;
        let err = endless.unwrap_err().to_string();
        assert!(err.contains("endless: more than 200 pages"), "{err}");
    }
}
