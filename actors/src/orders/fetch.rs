//! The REST reads of a reconciliation, paginated to the end (with a page cap), as plain async
//! functions over the gateway's recipients: they gather, the actor decides. At start-up after
//! a crash, [`orders_since`] lists every order (any market, any status) created since the
//! reservation of the ids that may have been sent without being journaled — the live list,
//! and the archive when the historical cutoff says orders that recent may have moved there.

use std::collections::{BTreeMap, BTreeSet};

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
};

/// Most pages read from one listing.
pub const MAX_PAGES: usize = 200;

/// Page size asked for.
const PAGE: u32 = 1000;

fn flat<T>(r: Result<Result<T, GatewayError>, MailboxError>) -> Result<T, GatewayError> {
    r.map_err(|_| GatewayError::Stopped)?
}

/// Every order matching `params`.
pub async fn orders(
    peer: &Recipient<GetOrders>,
    mut params: GetOrdersParams,
) -> Result<Vec<Order>, GatewayError> {
    params.limit = Some(PAGE);
    let mut out = Vec::new();
    for _ in 0..MAX_PAGES {
        let page = flat(
            peer.send(GetOrders {
                params: params.clone(),
            })
            .await,
        )?;
        out.extend(page.orders);
        if page.cursor.is_empty() {
            break;
        }
        params.cursor = Some(page.cursor);
    }
    Ok(out)
}

/// Every archived order matching `params`.
async fn archived(
    peer: &Recipient<GetHistoricalOrders>,
    mut params: GetHistoricalOrdersParams,
) -> Result<Vec<Order>, GatewayError> {
    params.limit = Some(PAGE);
    let mut out = Vec::new();
    for _ in 0..MAX_PAGES {
        let page = flat(
            peer.send(GetHistoricalOrders {
                params: params.clone(),
            })
            .await,
        )?;
        out.extend(page.orders);
        if page.cursor.is_empty() {
            break;
        }
        params.cursor = Some(page.cursor);
    }
    Ok(out)
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
    if cutoff.orders_updated_ts.timestamp() > min_ts {
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
    let mut params = GetFillsParams {
        min_ts: Some(min_ts),
        limit: Some(PAGE),
        ..Default::default()
    };
    let mut out = Vec::new();
    for _ in 0..MAX_PAGES {
        let page = flat(
            peer.send(GetFills {
                params: params.clone(),
            })
            .await,
        )?;
        out.extend(page.fills);
        if page.cursor.is_empty() {
            break;
        }
        params.cursor = Some(page.cursor);
    }
    out.reverse();
    Ok(out)
}

/// Every non-zero position.
pub async fn positions(
    peer: &Recipient<GetPositions>,
) -> Result<Vec<MarketPosition>, GatewayError> {
    let mut params = GetPositionsParams {
        limit: Some(PAGE),
        count_filter: vec![CountFilter::Position],
        ..Default::default()
    };
    let mut out = Vec::new();
    for _ in 0..MAX_PAGES {
        let page = flat(
            peer.send(GetPositions {
                params: params.clone(),
            })
            .await,
        )?;
        out.extend(page.market_positions);
        if page.cursor.is_empty() {
            break;
        }
        params.cursor = Some(page.cursor);
    }
    Ok(out)
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
