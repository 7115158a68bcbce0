//! What an order is: the fields the strategy's intent, the order manager's `Submit`, its ledger
//! record and the exchange's create request share, declared once, and the create request made
//! from them.

use kalshi::{
    ClientOrderId, Count, Price, Ticker,
    rest::CreateOrderV2Request,
    types::{BookSide, SelfTradePrevention, TimeInForce},
};
use serde::Serialize;

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

/// How every order is placed (from `[orders]`): the same for all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Self-trade prevention.
    pub self_trade_prevention: SelfTradePrevention,
    /// Ask the exchange to cancel the order if trading pauses.
    pub cancel_order_on_pause: bool,
    /// An order group created beforehand.
    pub order_group_id: Option<String>,
}

impl OrderSpec {
    /// The V2 create request for these terms under `client_order_id`, placed as `cfg` says.
    pub fn create_request(
        &self,
        client_order_id: Option<ClientOrderId>,
        cfg: &Placement,
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
