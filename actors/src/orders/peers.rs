//! Who the order manager talks to, handed over at start ([`OrdersPeers`]): the gateway's
//! order and portfolio requests, the metadata cache's market lookups, the blackout clock, and
//! the listeners told of every order change and fill. Each is a `Recipient`, so a test can put
//! a probe in any place.

use actix::{Addr, Recipient};

use super::event::OrderEvent;
use crate::{
    blackout::SubscribeBlackout,
    gateway::{
        AmendOrder, CancelOrder, DecreaseOrder, Gateway, GetFills, GetHistoricalCutoff,
        GetHistoricalOrders, GetOrder, GetOrders, GetPositions, PlaceOrder, WithdrawPlacements,
    },
    metadata::LookupMarket,
    supervision::ChildEvent,
};

/// The order manager's peers.
#[derive(Debug, Clone)]
pub struct OrdersPeers {
    /// `POST /portfolio/events/orders`.
    pub place: Recipient<PlaceOrder>,
    /// `DELETE /portfolio/events/orders/{id}`.
    pub cancel: Recipient<CancelOrder>,
    /// `POST …/{id}/amend`.
    pub amend: Recipient<AmendOrder>,
    /// `POST …/{id}/decrease`.
    pub decrease: Recipient<DecreaseOrder>,
    /// `GET /portfolio/orders`.
    pub orders: Recipient<GetOrders>,
    /// `GET /portfolio/orders/{id}`.
    pub order: Recipient<GetOrder>,
    /// `GET /historical/cutoff` (start-up recovery of orders sent and not journaled).
    pub cutoff: Recipient<GetHistoricalCutoff>,
    /// `GET /historical/orders` (the same, for orders archived since).
    pub archived: Recipient<GetHistoricalOrders>,
    /// `GET /portfolio/positions`.
    pub positions: Recipient<GetPositions>,
    /// `GET /portfolio/fills`.
    pub fills: Recipient<GetFills>,
    /// Market metadata (price grid, status).
    pub markets: Recipient<LookupMarket>,
    /// The blackout clock, subscribed to at start (or `None` when `BlackoutChanged` is sent
    /// by whoever wires the actors).
    pub blackout: Option<Recipient<SubscribeBlackout>>,
    /// Told every order change and every fill booked (the strategy).
    pub listeners: Vec<Recipient<OrderEvent>>,
    /// Takes back placements still queued in the gateway (a book gone stale, a market paused).
    pub withdraw: Recipient<WithdrawPlacements>,
    /// The guardian, told when the journal fails (`None`: nobody).
    pub supervisor: Option<Recipient<ChildEvent>>,
}

impl OrdersPeers {
    /// Every REST request to one gateway, lookups to `markets`, no blackout subscription and
    /// no listeners.
    pub fn from_gateway(gateway: &Addr<Gateway>, markets: Recipient<LookupMarket>) -> OrdersPeers {
        OrdersPeers {
            place: gateway.clone().recipient(),
            cancel: gateway.clone().recipient(),
            amend: gateway.clone().recipient(),
            decrease: gateway.clone().recipient(),
            orders: gateway.clone().recipient(),
            order: gateway.clone().recipient(),
            cutoff: gateway.clone().recipient(),
            archived: gateway.clone().recipient(),
            positions: gateway.clone().recipient(),
            fills: gateway.clone().recipient(),
            markets,
            blackout: None,
            listeners: Vec::new(),
            withdraw: gateway.clone().recipient(),
            supervisor: None,
        }
    }
}
