//! One trade as the matching engine books it: a [`Print`] (id, YES price, size, both fees,
//! time), what it does to each of the two orders ([`Print::fill`]), the public
//! [`TradeRecord`] it leaves in the exchange's trade log (`GET /markets/trades`), and the
//! [`Ledger`] — the accounts and the notice queue — that records everything else a trade (or
//! a self-trade cancel) changes. Split from `matching.rs` so the matching loop reads as its
//! steps.

use chrono::{DateTime, Utc};
use kalshi::{
    Count, Money, Price, Ticker,
    types::{BookSide, OrderStatus},
};

use super::{
    account::{Account, FillRecord},
    book::Level,
    notice::Notice,
    order::SimOrder,
};

/// One trade as the public sees it: the exchange's trade log keeps one per print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradeRecord {
    /// Trade id, also the fill id on both sides.
    pub trade_id: String,
    /// The market.
    pub ticker: Ticker,
    /// YES price.
    pub yes_price: Price,
    /// Contracts traded.
    pub count: Count,
    /// The taker's side of the YES book.
    pub taker_side: BookSide,
    /// When.
    pub ts: DateTime<Utc>,
}

/// One trade between the incoming order (the taker) and a resting one (the maker).
#[derive(Debug, Clone)]
pub(super) struct Print {
    /// Trade id, also the fill id on both sides.
    pub trade_id: String,
    /// The resting order's YES price.
    pub yes_price: Price,
    /// Contracts traded.
    pub count: Count,
    /// Fee the taker pays.
    pub taker_fee: Money,
    /// Fee the maker pays.
    pub maker_fee: Money,
    /// When.
    pub ts: DateTime<Utc>,
}

impl Print {
    /// Moves `count` contracts of `order` from remaining to filled and adds the fee and the
    /// cost on its own leg, as taker or maker. Status is left to the caller.
    pub fn fill(&self, order: &mut SimOrder, as_taker: bool) {
        let cost = order.leg_price().notional(self.count);
        order.remaining_count -= self.count;
        order.fill_count += self.count;
        if as_taker {
            order.taker_fees += self.taker_fee;
            order.taker_fill_cost += cost;
        } else {
            order.maker_fees += self.maker_fee;
            order.maker_fill_cost += cost;
        }
        order.updated = self.ts;
    }

    /// Fills the resting `maker` at the front of `level`: the level shrinks, and an order
    /// filled completely is executed and leaves the queue.
    pub fn fill_maker(&self, maker: &mut SimOrder, level: &mut Level) {
        level.total -= self.count;
        self.fill(maker, false);
        if maker.remaining_count.is_zero() {
            maker.status = OrderStatus::Executed;
            level.queue.pop_front();
        }
    }

    /// The public record of this trade, with the taker's side.
    pub fn record(&self, taker: &SimOrder) -> TradeRecord {
        TradeRecord {
            trade_id: self.trade_id.clone(),
            ticker: taker.ticker.clone(),
            yes_price: self.yes_price,
            count: self.count,
            taker_side: taker.side,
            ts: self.ts,
        }
    }

    /// The public `trade` notice, reported with the taker's side.
    pub fn notice(&self, taker: &SimOrder) -> Notice {
        Notice::Trade {
            trade_id: self.trade_id.clone(),
            ticker: taker.ticker.clone(),
            yes_price: self.yes_price,
            count: self.count,
            taker_side: taker.side,
            ts: self.ts,
        }
    }
}

/// What a trade writes besides the book and the two orders: the accounts on both sides and
/// the notice queue, at one time.
#[derive(Debug)]
pub(super) struct Ledger<'x> {
    /// The exchange's accounts, by [`AccountIdx`](super::AccountIdx).
    pub accounts: &'x mut [Account],
    /// The exchange's notice queue.
    pub notices: &'x mut Vec<Notice>,
    /// The time of the changes.
    pub now: DateTime<Utc>,
}

/// One side of a trade, as its account books it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Side<'o> {
    /// The order that traded (the maker as it stands after the trade).
    pub order: &'o SimOrder,
    /// The fee it pays.
    pub fee: Money,
    /// Whether it took liquidity.
    pub is_taker: bool,
}

impl<'o> Side<'o> {
    /// The resting side of `print`.
    pub fn maker(order: &'o SimOrder, print: &Print) -> Side<'o> {
        Side {
            order,
            fee: print.maker_fee,
            is_taker: false,
        }
    }

    /// The incoming side of `print`.
    pub fn taker(order: &'o SimOrder, print: &Print) -> Side<'o> {
        Side {
            order,
            fee: print.taker_fee,
            is_taker: true,
        }
    }
}

impl<'x> Ledger<'x> {
    /// The ledger of the exchange's `accounts` and `notices`, for changes at `now`.
    pub fn new(
        accounts: &'x mut [Account],
        notices: &'x mut Vec<Notice>,
        now: DateTime<Utc>,
    ) -> Ledger<'x> {
        Ledger {
            accounts,
            notices,
            now,
        }
    }

    /// Cancels the resting `maker` at the front of `level` because it belongs to the taker's
    /// own account (self-trade prevention `maker`): takes it out of the level, reports the
    /// book change, releases its collateral, marks it canceled and reports it.
    pub fn cancel_own_maker(&mut self, maker: &mut SimOrder, level: &mut Level) {
        level.queue.pop_front();
        level.total -= maker.remaining_count;
        self.notices
            .push(Notice::book_delta(maker, -maker.remaining_count, self.now));
        if let Some(acct) = self.accounts.get_mut(maker.account.0 as usize) {
            acct.reserved -= maker.leg_price().notional(maker.remaining_count);
        }
        maker.remaining_count = Count::ZERO;
        maker.status = OrderStatus::Canceled;
        maker.updated = self.now;
        self.notices.push(Notice::OrderUpdate {
            account: maker.account,
            order: Box::new(maker.clone()),
        });
    }

    /// Books one side of `print` on its account — the maker's collateral released, cash and
    /// position moved, the fill recorded — and reports the fill and the new position. Returns
    /// the change in open interest (contracts held long) it caused.
    pub fn book(&mut self, print: &Print, side: Side<'_>) -> Count {
        let order = side.order;
        let Some(acct) = self.accounts.get_mut(order.account.0 as usize) else {
            return Count::ZERO;
        };
        if !side.is_taker {
            acct.reserved -= order.leg_price().notional(print.count);
        }
        let before = acct.position(&order.ticker);
        let effect = acct.apply_fill(
            &order.ticker,
            order.side,
            print.yes_price,
            print.count,
            side.fee,
            self.now,
        );
        let fill = FillRecord {
            fill_id: print.trade_id.clone(),
            order_key: order.key,
            order_id: order.order_id.clone(),
            ticker: order.ticker.clone(),
            side: order.side,
            yes_price: print.yes_price,
            count: print.count,
            is_taker: side.is_taker,
            fee: side.fee,
            post_position: effect.post_position,
            ts: self.now,
        };
        acct.fills.push(fill.clone());
        let position = acct
            .positions
            .get(&order.ticker)
            .cloned()
            .unwrap_or_default();
        self.notices.push(Notice::Fill {
            account: order.account,
            fill,
            order_id: order.order_id.clone(),
            client_order_id: order.client_order_id.clone(),
        });
        self.notices.push(Notice::PositionUpdate {
            account: order.account,
            ticker: order.ticker.clone(),
            position,
        });
        effect.post_position.max(Count::ZERO) - before.max(Count::ZERO)
    }
}
