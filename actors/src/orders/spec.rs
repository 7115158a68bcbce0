//! What an order is: the fields the strategy's intent, the order manager's `Submit`, its ledger
//! record and the exchange's create request share, declared once, and the create request made
//! from them.

use kalshi::{
    ClientOrderId, Count, Price, Ticker,
    rest::CreateOrderV2Request,
    types::{BookSide, TimeInForce},
};
use serde::Serialize;

use super::config::OrdersConfig;

/// An order's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderSpec {
    /// Market.
    pub ticker: Ticker,
    /// `Bid` buys YES, `Ask` sells YES (buys NO).
    pub side: BookSide,
    /// YES price, on the market's grid.
    pub price: Price,
    /// Contracts (> 0); an order's total, filled included, changes on amend and decrease.
    pub count: Count,
    /// Time in force.
    pub time_in_force: TimeInForce,
    /// Rest only if it would not trade.
    pub post_only: bool,
    /// Only shrink the position (needs `immediate_or_cancel`; passes the blackout gate).
    pub reduce_only: bool,
}

impl OrderSpec {
    /// The V2 create request for these terms under `client_order_id`, with the account-wide
    /// placement settings of `[orders]` (self-trade prevention, cancel on pause, order group).
    pub fn create_request(
        &self,
        client_order_id: Option<ClientOrderId>,
        cfg: &OrdersConfig,
    ) -> CreateOrderV2Request {
        CreateOrderV2Request {
            ticker: self.ticker.clone(),
            client_order_id,
            side: self.side,
            count: self.count,
            price: self.price,
            time_in_force: self.time_in_force,
            self_trade_prevention_type: cfg.self_trade_prevention.clone(),
            expiration_time: None,
            post_only: self.post_only.then_some(true),
            cancel_order_on_pause: cfg.cancel_order_on_pause.then_some(true),
            reduce_only: self.reduce_only.then_some(true),
            subaccount: None,
            order_group_id: cfg.order_group_id.clone(),
            exchange_index: None,
        }
    }
}
