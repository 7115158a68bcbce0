//! Risk limits, pure: [`check`] takes the limits, a snapshot of what is open ([`Exposure`])
//! and the proposed order, and refuses it naming the limit it would break ([`LimitBreach`]).
//!
//! Worst cases count resting orders as if they filled: the position limit adds every resting
//! order on the proposed order's side, and the exposure limit adds the cost of every resting
//! order to the cost basis of every open position. A reduce-only order cannot add to either,
//! so only the loss, rate, size and open-order limits apply to it. [`RateWindow`] counts
//! orders sent in the last 60 s on an injected monotonic clock.

use std::{collections::VecDeque, fmt};

use kalshi::{Count, Money, Price, types::BookSide};
use serde::Serialize;

use super::{config::OrdersConfig, positions::leg_price};

/// One of the limits of `[orders]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// `max_contracts_per_order`.
    MaxContractsPerOrder,
    /// `max_position_per_market`.
    MaxPositionPerMarket,
    /// `max_total_exposure_dollars`.
    MaxTotalExposureDollars,
    /// `max_open_orders`.
    MaxOpenOrders,
    /// `max_orders_per_minute`.
    MaxOrdersPerMinute,
    /// `max_daily_loss_dollars`.
    MaxDailyLossDollars,
}

impl Limit {
    /// The config field's name.
    pub fn name(self) -> &'static str {
        match self {
            Limit::MaxContractsPerOrder => "max_contracts_per_order",
            Limit::MaxPositionPerMarket => "max_position_per_market",
            Limit::MaxTotalExposureDollars => "max_total_exposure_dollars",
            Limit::MaxOpenOrders => "max_open_orders",
            Limit::MaxOrdersPerMinute => "max_orders_per_minute",
            Limit::MaxDailyLossDollars => "max_daily_loss_dollars",
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An order refused by a limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("risk limit {limit}: {detail}")]
pub struct LimitBreach {
    /// The limit.
    pub limit: Limit,
    /// The numbers.
    pub detail: String,
}

/// The limits, in exact units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskLimits {
    /// Largest order.
    pub max_contracts_per_order: Count,
    /// Largest worst-case position in one market.
    pub max_position_per_market: Count,
    /// Largest cost of positions plus resting orders.
    pub max_total_exposure: Money,
    /// Most open orders.
    pub max_open_orders: usize,
    /// Most orders in 60 s.
    pub max_orders_per_minute: usize,
    /// Largest daily loss before halting.
    pub max_daily_loss: Money,
}

impl RiskLimits {
    /// From `[orders]`.
    pub fn from_config(cfg: &OrdersConfig) -> RiskLimits {
        let whole = |n: u64| Count::from_whole(i64::try_from(n).unwrap_or(i64::MAX));
        RiskLimits {
            max_contracts_per_order: whole(cfg.max_contracts_per_order),
            max_position_per_market: whole(cfg.max_position_per_market),
            max_total_exposure: cfg.max_total_exposure_dollars,
            max_open_orders: cfg.max_open_orders as usize,
            max_orders_per_minute: cfg.max_orders_per_minute as usize,
            max_daily_loss: cfg.max_daily_loss_dollars,
        }
    }
}

/// What is open now, as far as the limits care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Exposure {
    /// Position in the order's market (+ YES, − NO).
    pub position: Count,
    /// Remaining contracts of our open bids in that market.
    pub resting_bids: Count,
    /// Remaining contracts of our open asks in that market.
    pub resting_asks: Count,
    /// Cost basis of every position plus the cost of every open order, all markets.
    pub total: Money,
    /// Open orders, all markets.
    pub open_orders: usize,
    /// Orders sent in the last 60 s.
    pub orders_last_minute: usize,
    /// Today's P&L (realised − fees + unrealised).
    pub daily_pnl: Money,
}

/// A proposed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proposal {
    /// Side on the YES book.
    pub side: BookSide,
    /// YES price.
    pub price: Price,
    /// Contracts.
    pub count: Count,
    /// Reduce-only.
    pub reduce_only: bool,
}

/// The cost of an order if it filled: the leg price times the count.
pub fn order_cost(side: BookSide, price: Price, count: Count) -> Money {
    leg_price(side, price).notional(count)
}

/// True when an order of `count` on `side` can only shrink `position`.
pub fn reduces(position: Count, side: BookSide, count: Count) -> bool {
    match side {
        BookSide::Bid => position.is_negative() && count <= position.abs(),
        BookSide::Ask => position.is_positive() && count <= position,
    }
}

/// Refuses `p` if it would break a limit, naming it.
pub fn check(limits: &RiskLimits, x: &Exposure, p: &Proposal) -> Result<(), LimitBreach> {
    let breach = |limit, detail: String| Err(LimitBreach { limit, detail });
    if x.daily_pnl <= -limits.max_daily_loss {
        return breach(
            Limit::MaxDailyLossDollars,
            format!(
                "today's P&L {} is at or below −{}",
                x.daily_pnl, limits.max_daily_loss
            ),
        );
    }
    if x.orders_last_minute >= limits.max_orders_per_minute {
        return breach(
            Limit::MaxOrdersPerMinute,
            format!(
                "{} orders in the last 60 s, at most {}",
                x.orders_last_minute, limits.max_orders_per_minute
            ),
        );
    }
    if p.count > limits.max_contracts_per_order {
        return breach(
            Limit::MaxContractsPerOrder,
            format!(
                "{} contracts, at most {}",
                p.count, limits.max_contracts_per_order
            ),
        );
    }
    if x.open_orders >= limits.max_open_orders {
        return breach(
            Limit::MaxOpenOrders,
            format!(
                "{} orders open, at most {}",
                x.open_orders, limits.max_open_orders
            ),
        );
    }
    if p.reduce_only {
        return Ok(());
    }
    let worst = match p.side {
        BookSide::Bid => x.position + x.resting_bids + p.count,
        BookSide::Ask => -(x.position - x.resting_asks - p.count),
    };
    if worst > limits.max_position_per_market {
        return breach(
            Limit::MaxPositionPerMarket,
            format!(
                "{worst} contracts on the {} side if every order filled, at most {}",
                p.side.outcome(),
                limits.max_position_per_market
            ),
        );
    }
    let total = x.total + order_cost(p.side, p.price, p.count);
    if total > limits.max_total_exposure {
        return breach(
            Limit::MaxTotalExposureDollars,
            format!(
                "exposure would be {total}, at most {}",
                limits.max_total_exposure
            ),
        );
    }
    Ok(())
}

/// Sends in the last 60 s, on a monotonic clock (ns).
#[derive(Debug, Clone, Default)]
pub struct RateWindow {
    sent: VecDeque<u128>,
}

/// The window's length.
pub const MINUTE_NS: u128 = 60_000_000_000;

impl RateWindow {
    /// Orders sent in the 60 s before `now_ns`.
    pub fn count(&mut self, now_ns: u128) -> usize {
        while self
            .sent
            .front()
            .is_some_and(|t| now_ns.saturating_sub(*t) >= MINUTE_NS)
        {
            self.sent.pop_front();
        }
        self.sent.len()
    }

    /// Records a send.
    pub fn record(&mut self, now_ns: u128) {
        self.sent.push_back(now_ns);
    }
}

#[cfg(test)]
#[path = "risk_tests.rs"]
mod tests;
