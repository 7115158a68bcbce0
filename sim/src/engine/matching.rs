//! Order entry and price-time matching.
//!
//! An incoming order is checked (market open, price on the market's grid, count positive,
//! flags consistent, client id unused, collateral available), then trades against the
//! opposite side best price first, oldest order first within a price, at the resting order's
//! price. What is left rests (GTC) or is canceled (IOC, FOK). Self-trade prevention:
//! `taker_at_cross` cancels the rest of the incoming order when it reaches an own order;
//! `maker` cancels the own resting order and keeps matching.

use chrono::{DateTime, Utc};
use kalshi::{
    Count, Money, OrderId, Price, Ticker,
    types::{MarketStatus, OrderStatus, SelfTradePrevention, TimeInForce},
};

use super::{
    Account, AccountIdx, Exchange, Notice, OrderRequest, Reject, SimMarket, SimOrder,
    order::leg_price,
    random_uuid,
    trade::{Ledger, Print, Side},
};

/// What a successful create reports back (`CreateOrderV2Response`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOutcome {
    /// The order as it stands after matching.
    pub order: SimOrder,
    /// Contracts filled on arrival.
    pub fill_count: Count,
    /// Average YES price of the fills, if any.
    pub average_fill_price: Option<Price>,
    /// Average fee per contract, if any fills.
    pub average_fee_paid: Option<Money>,
}

/// Totals of one matching pass.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct MatchTotals {
    pub filled: Count,
    pub yes_notional: Money,
    pub fees: Money,
}

impl MatchTotals {
    /// Counts one trade of the taker's.
    fn add(&mut self, print: &Print) {
        self.filled += print.count;
        self.yes_notional += print.yes_price.notional(print.count);
        self.fees += print.taker_fee;
    }

    pub(super) fn averages(&self) -> (Option<Price>, Option<Money>) {
        if self.filled.is_zero() {
            return (None, None);
        }
        let per = |m: Money| i128::from(m.micros()) * 100 / i128::from(self.filled.centis());
        let price = u32::try_from(per(self.yes_notional))
            .ok()
            .and_then(Price::from_micros);
        let fee = Money::from_micros(i64::try_from(per(self.fees)).unwrap_or(0));
        (price, Some(fee))
    }
}

impl Exchange {
    /// Places an order for `account`. Refusals leave no trace (the client id stays unused).
    pub fn create_order(
        &mut self,
        account: AccountIdx,
        req: OrderRequest,
        now: DateTime<Utc>,
    ) -> Result<CreateOutcome, Reject> {
        self.check_order(account, &req)?;
        let order_id = OrderId::new(self.new_uuid()).map_err(|e| Reject::invalid(e.to_string()))?;
        let key = self.next_key;
        self.next_key += 1;
        let mut order = SimOrder {
            key,
            order_id,
            account,
            client_order_id: req.client_order_id.clone(),
            ticker: req.ticker.clone(),
            side: req.side,
            price: req.price,
            initial_count: req.count,
            fill_count: Count::ZERO,
            remaining_count: req.count,
            status: OrderStatus::Resting,
            time_in_force: req.time_in_force,
            self_trade_prevention: req.self_trade_prevention.clone(),
            cancel_order_on_pause: req.cancel_order_on_pause,
            expiration_ts: req.expiration_ts,
            taker_fees: Money::ZERO,
            maker_fees: Money::ZERO,
            taker_fill_cost: Money::ZERO,
            maker_fill_cost: Money::ZERO,
            created: now,
            updated: now,
        };
        if let Some(acct) = self.accounts.get_mut(account.0 as usize) {
            if let Some(cid) = &req.client_order_id {
                acct.client_ids.insert(cid.clone(), key);
            }
            acct.orders.push(key);
        }
        self.order_ids.insert(order.order_id.clone(), key);
        if let Some(g) = &req.order_group_id {
            self.join_group(key, g);
        }

        let fok_short = req.time_in_force == TimeInForce::FillOrKill
            && self.fillable(&order) < order.remaining_count;
        let totals = if fok_short {
            MatchTotals::default()
        } else {
            self.execute(&mut order, now)
        };
        self.finish_entry(order, now);
        self.enforce_groups(now);
        let order = self
            .orders
            .get(&key)
            .cloned()
            .ok_or_else(|| Reject::invalid("lost order"))?;
        let (average_fill_price, average_fee_paid) = totals.averages();
        Ok(CreateOutcome {
            order,
            fill_count: totals.filled,
            average_fill_price,
            average_fee_paid,
        })
    }

    /// Every check of a create request, in the order Kalshi would answer them.
    fn check_order(&self, account: AccountIdx, req: &OrderRequest) -> Result<(), Reject> {
        let acct = self
            .accounts
            .get(account.0 as usize)
            .ok_or_else(|| Reject::new(401, "unauthorized", "unknown account"))?;
        let market = self.tradable_market(&req.ticker)?;
        check_terms(market, req)?;
        if let Some(cid) = req
            .client_order_id
            .as_ref()
            .filter(|c| self.client_id_taken(acct, c))
        {
            return Err(Reject::new(
                409,
                "order_already_exists",
                format!("order with client_order_id {cid} already exists"),
            ));
        }
        if let Some(g) = &req.order_group_id {
            self.check_group(account, g)?;
        }
        check_account(acct, market, req)
    }

    /// The market of a request, if it exists and trades now (exchange-wide and itself).
    fn tradable_market(&self, ticker: &Ticker) -> Result<&SimMarket, Reject> {
        let market = self.markets.get(ticker).ok_or_else(|| {
            Reject::new(
                404,
                "market_not_found",
                format!("market {ticker} not found"),
            )
        })?;
        if !self.trading_active {
            return Err(Reject::new(
                400,
                "exchange_paused",
                "trading is paused exchange-wide",
            ));
        }
        match market.status {
            MarketStatus::Active => Ok(market),
            MarketStatus::Inactive => Err(Reject::new(400, "trading_paused", "market is paused")),
            _ => Err(Reject::new(400, "market_inactive", "market is not open")),
        }
    }

    /// Contracts an order could fill right now, honouring self-trade prevention.
    fn fillable(&self, order: &SimOrder) -> Count {
        let Some(market) = self.markets.get(&order.ticker) else {
            return Count::ZERO;
        };
        let mut total = Count::ZERO;
        for (_, level) in market.book.crossing_levels(order.side, order.price) {
            for key in &level.queue {
                let Some(maker) = self.orders.get(key) else {
                    continue;
                };
                if maker.account == order.account {
                    match order.self_trade_prevention {
                        SelfTradePrevention::Maker => continue,
                        _ => return total,
                    }
                }
                total += maker.remaining_count;
            }
        }
        total
    }

    /// Trades `taker` against the book until it is filled, stops crossing, or meets an own
    /// order under `taker_at_cross`. The taker is not in the order table while this runs.
    pub(super) fn execute(&mut self, taker: &mut SimOrder, now: DateTime<Utc>) -> MatchTotals {
        let mut totals = MatchTotals::default();
        let Some(market) = self.markets.get_mut(&taker.ticker) else {
            return totals;
        };
        let fee_type = market.info.fee_type;
        let mut ledger = Ledger::new(&mut self.accounts, &mut self.notices, now);
        let mut touched = false;
        while taker.remaining_count.is_positive() {
            let Some((level_price, level)) = market.book.best_crossing(taker.side, taker.price)
            else {
                break;
            };
            let Some(&maker_key) = level.queue.front() else {
                market
                    .book
                    .drop_if_empty(taker.side.opposite(), level_price);
                continue;
            };
            let Some(maker) = self.orders.get_mut(&maker_key) else {
                level.queue.pop_front();
                continue;
            };
            if maker.account == taker.account {
                if taker.self_trade_prevention != SelfTradePrevention::Maker {
                    // taker_at_cross: the rest of the incoming order is canceled below.
                    taker.remaining_count = Count::ZERO;
                    taker.status = OrderStatus::Canceled;
                    break;
                }
                // Cancel the own resting order and keep matching.
                ledger.cancel_own_maker(maker, level);
                market
                    .book
                    .drop_if_empty(taker.side.opposite(), level_price);
                continue;
            }

            let count = taker.remaining_count.min(maker.remaining_count);
            let print = Print {
                trade_id: random_uuid(&mut self.rng),
                yes_price: level_price,
                count,
                taker_fee: fee_type.taker_fee(count, level_price),
                maker_fee: fee_type.maker_fee(count, level_price),
                ts: now,
            };
            print.fill_maker(maker, level);
            ledger.notices.push(Notice::book_delta(maker, -count, now));
            if level.queue.is_empty() {
                market
                    .book
                    .drop_if_empty(taker.side.opposite(), level_price);
            }

            print.fill(taker, true);
            totals.add(&print);
            market.record_trade(print.yes_price, count, now);
            self.trades.push(print.record(taker));
            touched = true;

            ledger.notices.push(print.notice(taker));
            let maker = maker.clone();
            let open_interest = ledger.book(&print, Side::maker(&maker, &print))
                + ledger.book(&print, Side::taker(taker, &print));
            market.open_interest += open_interest;
            ledger.notices.push(Notice::OrderUpdate {
                account: maker.account,
                order: Box::new(maker),
            });
        }
        if touched {
            self.notice_ticker(&taker.ticker.clone(), now);
        }
        totals
    }

    /// Rests or cancels what is left of an order after matching, stores it and reports it.
    pub(super) fn finish_entry(&mut self, mut order: SimOrder, now: DateTime<Utc>) {
        let key = order.key;
        if order.remaining_count.is_positive() && order.status == OrderStatus::Resting {
            if order.time_in_force == TimeInForce::GoodTillCanceled {
                self.rest(&order, now);
            } else {
                order.remaining_count = Count::ZERO;
                order.status = OrderStatus::Canceled;
            }
        } else if order.remaining_count.is_zero() && order.status == OrderStatus::Resting {
            order.status = OrderStatus::Executed;
        } else {
            order.remaining_count = Count::ZERO;
        }
        order.updated = now;
        self.orders.insert(key, order);
        self.notice_order(key);
    }

    /// Puts an order's remaining count on the book and holds its collateral.
    fn rest(&mut self, order: &SimOrder, now: DateTime<Utc>) {
        let Some(market) = self.markets.get_mut(&order.ticker) else {
            return;
        };
        market
            .book
            .push(order.side, order.price, order.key, order.remaining_count);
        if let Some(acct) = self.accounts.get_mut(order.account.0 as usize) {
            acct.reserved += order.leg_price().notional(order.remaining_count);
        }
        self.notices
            .push(Notice::book_delta(order, order.remaining_count, now));
        self.notice_ticker(&order.ticker.clone(), now);
    }
}

/// The request's own terms against its market: a positive count, a price on the market's
/// grid, flags that go together.
fn check_terms(market: &SimMarket, req: &OrderRequest) -> Result<(), Reject> {
    if !req.count.is_positive() {
        return Err(Reject::invalid(format!(
            "count must be at least 0.01, got {}",
            req.count
        )));
    }
    market
        .info
        .price_ranges
        .validate(req.price)
        .map_err(|e| Reject::invalid(e.to_string()))?;
    if req.reduce_only && req.time_in_force != TimeInForce::ImmediateOrCancel {
        return Err(Reject::invalid(
            "reduce_only requires time_in_force immediate_or_cancel",
        ));
    }
    if req.expiration_ts.is_some() && req.time_in_force != TimeInForce::GoodTillCanceled {
        return Err(Reject::invalid(
            "expiration_time is only allowed with good_till_canceled",
        ));
    }
    Ok(())
}

/// What the account allows: a reduce-only order that reduces, a post-only order that does not
/// cross, and cash for the contracts it opens plus the fee. (Whether its client id is free
/// depends on the exchange's duplicate rule: [`Exchange::client_id_taken`].)
fn check_account(acct: &Account, market: &SimMarket, req: &OrderRequest) -> Result<(), Reject> {
    if req.reduce_only && acct.closable(&req.ticker, req.side) < req.count {
        return Err(Reject::invalid(
            "reduce_only order would increase the position",
        ));
    }
    if req.post_only && market.book.crosses(req.side, req.price) {
        return Err(Reject::invalid(kalshi::error::details::POST_ONLY_CROSS));
    }
    let opening = req.count - acct.closable(&req.ticker, req.side).min(req.count);
    let leg = leg_price(req.side, req.price);
    let need = leg.notional(opening) + market.info.fee_type.taker_fee(req.count, req.price);
    if acct.available() < need {
        return Err(Reject::new(
            400,
            "insufficient_balance",
            format!("order needs {need} but {} is available", acct.available()),
        ));
    }
    Ok(())
}
