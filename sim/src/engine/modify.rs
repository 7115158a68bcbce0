//! Changing resting orders: cancel, decrease, amend and cancel-all.
//!
//! Queue priority follows Kalshi's amend rule: a size decrease (or an expiry-only change)
//! keeps the order's place; a price change or a size increase sends it to the back of the
//! queue — and if the new price crosses, it trades first like a new order.

use chrono::{DateTime, Utc};
use kalshi::{
    ClientOrderId, Count, Price, Ticker,
    types::{BookSide, MarketStatus, OrderStatus},
};

use super::{AccountIdx, Exchange, Notice, OrderKey, Reject, SimOrder, matching::MatchTotals};

/// `POST .../decrease` body: exactly one of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decrease {
    /// Reduce the remaining count by this much.
    By(Count),
    /// Reduce the remaining count to this.
    To(Count),
}

/// `POST .../amend` body, decoded.
#[derive(Debug, Clone)]
pub struct AmendRequest {
    /// Must match the order's market.
    pub ticker: Ticker,
    /// Must match the order's side.
    pub side: BookSide,
    /// New YES price.
    pub price: Price,
    /// Filled plus desired resting count.
    pub count: Count,
    /// New client id, if changing it.
    pub updated_client_order_id: Option<ClientOrderId>,
}

/// The new terms of an order that loses its queue place in an amend.
#[derive(Debug, Clone, Copy)]
struct Requeue {
    /// New YES price.
    price: Price,
    /// New remaining count.
    remaining: Count,
    /// New initial count (filled plus remaining).
    initial: Count,
}

/// What a successful amend reports.
#[derive(Debug, Clone)]
pub struct AmendOutcome {
    /// The order after the amend (and any matching it caused).
    pub order: SimOrder,
    /// Average YES price of fills caused by the amend, if any.
    pub average_fill_price: Option<Price>,
}

impl Exchange {
    /// Looks up an order of `account` that may still be changed.
    fn changeable(&self, account: AccountIdx, order_id: &str) -> Result<OrderKey, Reject> {
        let order = self
            .order_by_id(order_id)
            .filter(|o| o.account == account)
            .ok_or_else(|| Reject::not_found(format!("order {order_id} not found")))?;
        let market = self.markets.get(&order.ticker);
        if market.is_none_or(|m| !matches!(m.status, MarketStatus::Active | MarketStatus::Inactive))
        {
            return Err(Reject::new(400, "market_inactive", "market is closed"));
        }
        if !order.is_resting() {
            return Err(Reject::new(
                400,
                "order_not_resting",
                format!("order {order_id} is {}", order.status),
            ));
        }
        Ok(order.key)
    }

    /// Cancels one resting order of `account`; returns the order and the count it lost.
    pub fn cancel_order(
        &mut self,
        account: AccountIdx,
        order_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(SimOrder, Count), Reject> {
        let key = self.changeable(account, order_id)?;
        let reduced = self.cancel_key(key, now);
        let order = self
            .orders
            .get(&key)
            .cloned()
            .ok_or_else(|| Reject::not_found(order_id))?;
        Ok((order, reduced))
    }

    /// Cancels every resting order of `account` (optionally of one market); returns how many.
    pub fn cancel_all(
        &mut self,
        account: AccountIdx,
        ticker: Option<&str>,
        now: DateTime<Utc>,
    ) -> usize {
        let keys: Vec<OrderKey> = self
            .accounts
            .get(account.0 as usize)
            .map(|a| a.orders.clone())
            .unwrap_or_default()
            .into_iter()
            .filter(|k| {
                self.orders.get(k).is_some_and(|o| {
                    o.is_resting() && ticker.is_none_or(|t| o.ticker.as_str() == t)
                })
            })
            .collect();
        for key in &keys {
            self.cancel_key(*key, now);
        }
        keys.len()
    }

    /// Takes a resting order off the book, releases its collateral and marks it canceled.
    /// Returns the count it lost (zero if it was not resting).
    pub(super) fn cancel_key(&mut self, key: OrderKey, now: DateTime<Utc>) -> Count {
        let reduced = self.unrest(key, now);
        if let Some(order) = self.orders.get_mut(&key).filter(|o| o.is_resting()) {
            order.status = OrderStatus::Canceled;
            order.updated = now;
            self.notice_order(key);
        }
        reduced
    }

    /// Takes a resting order's remaining count off the book and releases its collateral,
    /// leaving its status to the caller. Returns the count taken off.
    fn unrest(&mut self, key: OrderKey, now: DateTime<Utc>) -> Count {
        let Some(order) = self.orders.get_mut(&key) else {
            return Count::ZERO;
        };
        if !order.is_resting() || order.remaining_count.is_zero() {
            return Count::ZERO;
        }
        let reduced = order.remaining_count;
        if let Some(market) = self.markets.get_mut(&order.ticker) {
            market.book.remove(order.side, order.price, key, reduced);
        }
        if let Some(acct) = self.accounts.get_mut(order.account.0 as usize) {
            acct.reserved -= order.leg_price().notional(reduced);
        }
        order.remaining_count = Count::ZERO;
        let ticker = order.ticker.clone();
        self.notices.push(Notice::book_delta(order, -reduced, now));
        self.notice_ticker(&ticker, now);
        reduced
    }

    /// Shrinks a resting order in place (it keeps its queue position); a decrease to zero
    /// cancels it.
    pub fn decrease_order(
        &mut self,
        account: AccountIdx,
        order_id: &str,
        decrease: Decrease,
        now: DateTime<Utc>,
    ) -> Result<SimOrder, Reject> {
        let key = self.changeable(account, order_id)?;
        let remaining = self
            .orders
            .get(&key)
            .map_or(Count::ZERO, |o| o.remaining_count);
        let by = match decrease {
            Decrease::By(by) => by,
            Decrease::To(to) if to.is_negative() => to,
            Decrease::To(to) => remaining - to,
        };
        if !by.is_positive() {
            return Err(Reject::new(
                400,
                "invalid_amend_qty_for_order",
                format!("cannot decrease remaining {remaining} by {by}"),
            ));
        }
        if by >= remaining {
            self.cancel_key(key, now);
        } else {
            self.shrink(key, by, now);
        }
        self.orders
            .get(&key)
            .cloned()
            .ok_or_else(|| Reject::not_found(order_id))
    }

    fn shrink(&mut self, key: OrderKey, by: Count, now: DateTime<Utc>) {
        let Some(order) = self.orders.get_mut(&key) else {
            return;
        };
        if let Some(market) = self.markets.get_mut(&order.ticker) {
            market.book.shrink(order.side, order.price, by);
        }
        if let Some(acct) = self.accounts.get_mut(order.account.0 as usize) {
            acct.reserved -= order.leg_price().notional(by);
        }
        order.remaining_count -= by;
        order.initial_count -= by;
        order.updated = now;
        let ticker = order.ticker.clone();
        self.notices.push(Notice::book_delta(order, -by, now));
        self.notice_order(key);
        self.notice_ticker(&ticker, now);
    }

    /// Amends price and/or size. `count` is filled + desired resting.
    pub fn amend_order(
        &mut self,
        account: AccountIdx,
        order_id: &str,
        req: AmendRequest,
        now: DateTime<Utc>,
    ) -> Result<AmendOutcome, Reject> {
        let key = self.changeable(account, order_id)?;
        let order = self
            .orders
            .get(&key)
            .cloned()
            .ok_or_else(|| Reject::not_found(order_id))?;
        let new_remaining = self.check_amend(&order, &req)?;
        if let Some(cid) = req.updated_client_order_id.clone() {
            if let Some(acct) = self.accounts.get_mut(account.0 as usize) {
                acct.client_ids.insert(cid.clone(), key);
            }
            if let Some(o) = self.orders.get_mut(&key) {
                o.client_order_id = Some(cid);
            }
        }
        let average_fill_price =
            if req.price == order.price && new_remaining <= order.remaining_count {
                self.amend_in_place(key, order.remaining_count - new_remaining, now);
                None
            } else {
                let requeue = Requeue {
                    price: req.price,
                    remaining: new_remaining,
                    initial: req.count,
                };
                self.requeue(key, requeue, now)
                    .ok_or_else(|| Reject::not_found(order_id))?
                    .averages()
                    .0
            };
        self.enforce_groups(now);
        let order = self
            .orders
            .get(&key)
            .cloned()
            .ok_or_else(|| Reject::not_found(order_id))?;
        Ok(AmendOutcome {
            order,
            average_fill_price,
        })
    }

    /// Every check of an amend of `order`, in the order Kalshi would answer them; the new
    /// remaining count when they pass.
    fn check_amend(&self, order: &SimOrder, req: &AmendRequest) -> Result<Count, Reject> {
        if order.ticker != req.ticker || order.side != req.side {
            return Err(Reject::invalid(
                "amend must keep the order's ticker and side",
            ));
        }
        let market = self
            .markets
            .get(&order.ticker)
            .ok_or_else(|| Reject::not_found("market"))?;
        market
            .info
            .price_ranges
            .validate(req.price)
            .map_err(|e| Reject::invalid(e.to_string()))?;
        let new_remaining = req.count - order.fill_count;
        if !new_remaining.is_positive() {
            return Err(Reject::new(
                400,
                "invalid_amend_qty_for_order",
                format!(
                    "count {} does not exceed the filled {}",
                    req.count, order.fill_count
                ),
            ));
        }
        if let Some(cid) = &req.updated_client_order_id {
            let acct = self.accounts.get(order.account.0 as usize);
            if acct.is_some_and(|a| self.client_id_taken(a, cid)) {
                return Err(Reject::new(
                    409,
                    "order_already_exists",
                    "client_order_id in use",
                ));
            }
        }
        Ok(new_remaining)
    }

    /// An amend that keeps the price and does not grow the order keeps its queue place: it
    /// shrinks by `by`, or (by zero) is only reported again.
    fn amend_in_place(&mut self, key: OrderKey, by: Count, now: DateTime<Utc>) {
        if by.is_positive() {
            self.shrink(key, by, now);
        } else {
            self.notice_order(key);
        }
    }

    /// An amend that changes the price or grows the order loses its place: it leaves the book
    /// and re-enters at the back with its new terms, trading first if it crosses. `None` if
    /// the order is gone.
    fn requeue(&mut self, key: OrderKey, to: Requeue, now: DateTime<Utc>) -> Option<MatchTotals> {
        self.unrest(key, now);
        let mut order = self.orders.remove(&key)?;
        order.status = OrderStatus::Resting;
        order.price = to.price;
        order.remaining_count = to.remaining;
        order.initial_count = to.initial;
        let totals = self.execute(&mut order, now);
        self.finish_entry(order, now);
        Some(totals)
    }
}
