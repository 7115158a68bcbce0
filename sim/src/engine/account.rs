//! Accounts of the simulated exchange: cash, collateral held by resting orders, positions with
//! cost basis and realised P&L, fills and settlements.
//!
//! Accounting follows Kalshi's netted positions (kalshi-api.md §7): `position` is signed
//! (+ YES, − NO); buying one leg while holding the other closes contracts, and each closed
//! YES+NO pair redeems for $1 at once.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use kalshi::{ClientOrderId, Count, Money, Price, Ticker, types::BookSide};

use super::{ids::OrderKey, order::leg_price};

/// One market position of one account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Position {
    /// Contracts held: positive = YES, negative = NO.
    pub position: Count,
    /// Dollars traded in this market (sum of fill costs).
    pub total_traded: Money,
    /// Cost basis of the open position.
    pub exposure: Money,
    /// Profit and loss realised by closing contracts and by settlement (fees excluded).
    pub realized_pnl: Money,
    /// Fees paid in this market.
    pub fees_paid: Money,
    /// Last change.
    pub updated: Option<DateTime<Utc>>,
}

/// A fill as recorded for its account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FillRecord {
    /// Fill id (equal to the trade id, as on Kalshi).
    pub fill_id: String,
    /// The order that filled.
    pub order_key: OrderKey,
    /// Its exchange id.
    pub order_id: kalshi::OrderId,
    /// Market.
    pub ticker: Ticker,
    /// Side of the filled order.
    pub side: BookSide,
    /// YES price of the trade.
    pub yes_price: Price,
    /// Contracts.
    pub count: Count,
    /// Whether this side took liquidity.
    pub is_taker: bool,
    /// Fee charged.
    pub fee: Money,
    /// Position after the fill.
    pub post_position: Count,
    /// When.
    pub ts: DateTime<Utc>,
}

/// A settlement as recorded for its account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementRecord {
    /// Market.
    pub ticker: Ticker,
    /// Its event.
    pub event_ticker: kalshi::EventTicker,
    /// The result it settled on.
    pub result: kalshi::types::MarketResult,
    /// YES contracts held at settlement.
    pub yes_count: Count,
    /// Cost basis of those YES contracts.
    pub yes_total_cost: Money,
    /// NO contracts held at settlement.
    pub no_count: Count,
    /// Cost basis of those NO contracts.
    pub no_total_cost: Money,
    /// Paid out.
    pub revenue: Money,
    /// Value of one YES contract.
    pub yes_value: Price,
    /// When.
    pub ts: DateTime<Utc>,
}

/// What a fill did to a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FillEffect {
    /// Position after the fill.
    pub post_position: Count,
    /// Contracts of the opposite leg closed (redeemed in pairs).
    pub closed: Count,
}

/// An account: identity, cash, positions and history.
#[derive(Debug, Clone)]
pub struct Account {
    /// Public id.
    pub account_id: String,
    /// Rate-limit tier name (`basic`, `advanced`, ...).
    pub tier: String,
    /// Cash.
    pub balance: Money,
    /// Cash held as collateral by resting orders.
    pub reserved: Money,
    /// Positions by market.
    pub positions: BTreeMap<Ticker, Position>,
    /// Fills, oldest first.
    pub fills: Vec<FillRecord>,
    /// Settlements, oldest first.
    pub settlements: Vec<SettlementRecord>,
    /// Every client order id this account has used, with its order.
    pub client_ids: HashMap<ClientOrderId, OrderKey>,
    /// Every order of this account, oldest first.
    pub orders: Vec<OrderKey>,
    /// The simulator's own liquidity providers: left out of user-facing ground truth.
    pub internal: bool,
}

impl Account {
    /// A fresh account with `balance` cash.
    pub fn new(account_id: String, tier: String, balance: Money, internal: bool) -> Account {
        Account {
            account_id,
            tier,
            balance,
            reserved: Money::ZERO,
            positions: BTreeMap::new(),
            fills: Vec::new(),
            settlements: Vec::new(),
            client_ids: HashMap::new(),
            orders: Vec::new(),
            internal,
        }
    }

    /// Cash not held by resting orders.
    pub fn available(&self) -> Money {
        self.balance - self.reserved
    }

    /// The signed position in a market.
    pub fn position(&self, ticker: &str) -> Count {
        self.positions
            .get(ticker)
            .map_or(Count::ZERO, |p| p.position)
    }

    /// Contracts an order on `side` could close rather than open: the opposite leg held.
    pub fn closable(&self, ticker: &str, side: BookSide) -> Count {
        let pos = self.position(ticker);
        match side {
            BookSide::Bid if pos.is_negative() => pos.abs(),
            BookSide::Ask if pos.is_positive() => pos,
            _ => Count::ZERO,
        }
    }

    /// Books a fill: pays the leg price and the fee, moves the position, redeems closed pairs
    /// for $1 each and realises their P&L against the cost basis.
    pub fn apply_fill(
        &mut self,
        ticker: &Ticker,
        side: BookSide,
        yes_price: Price,
        count: Count,
        fee: Money,
        now: DateTime<Utc>,
    ) -> FillEffect {
        let leg = leg_price(side, yes_price);
        let cost = leg.notional(count);
        let pos = self.positions.entry(ticker.clone()).or_default();
        let old = pos.position;
        let signed = match side {
            BookSide::Bid => count,
            BookSide::Ask => -count,
        };
        let closing = old.is_positive() != signed.is_positive() && !old.is_zero();
        let closed = if closing {
            old.abs().min(count)
        } else {
            Count::ZERO
        };
        let opened = count - closed;
        let redeemed = Price::ONE.notional(closed);
        let exposure_closed = if closed.is_zero() {
            Money::ZERO
        } else {
            scale(pos.exposure, closed, old.abs())
        };
        pos.realized_pnl += redeemed - leg.notional(closed) - exposure_closed;
        pos.exposure = pos.exposure - exposure_closed + leg.notional(opened);
        pos.position = old + signed;
        pos.total_traded += cost;
        pos.fees_paid += fee;
        pos.updated = Some(now);
        self.balance = self.balance - cost - fee + redeemed;
        FillEffect {
            post_position: pos.position,
            closed,
        }
    }
}

/// `amount × part / whole`, exact to the micro-dollar (rounded toward zero).
fn scale(amount: Money, part: Count, whole: Count) -> Money {
    if whole.is_zero() {
        return Money::ZERO;
    }
    let v = i128::from(amount.micros()) * i128::from(part.centis()) / i128::from(whole.centis());
    Money::from_micros(i64::try_from(v).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Price {
        Price::parse(s).unwrap()
    }
    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    #[test]
    fn buying_the_other_leg_closes_and_realises() {
        let t = Ticker::new("T-1").unwrap();
        let now = Utc::now();
        let mut a = Account::new("a".into(), "basic".into(), m("100"), false);
        // Buy 10 YES at 0.40: pay 4.00.
        let e = a.apply_fill(
            &t,
            BookSide::Bid,
            p("0.40"),
            Count::from_whole(10),
            Money::ZERO,
            now,
        );
        assert_eq!(e.post_position, Count::from_whole(10));
        assert_eq!(a.balance, m("96"));
        // Sell 4 YES at 0.70 (= buy 4 NO at 0.30): pay 1.20, redeem 4.00 → +2.80.
        let e = a.apply_fill(
            &t,
            BookSide::Ask,
            p("0.70"),
            Count::from_whole(4),
            Money::ZERO,
            now,
        );
        assert_eq!(e.closed, Count::from_whole(4));
        assert_eq!(a.balance, m("98.80"));
        let pos = &a.positions["T-1"];
        assert_eq!(pos.position, Count::from_whole(6));
        assert_eq!(pos.exposure, m("2.40"));
        assert_eq!(pos.realized_pnl, m("1.20"));
    }

    #[test]
    fn crossing_through_zero_opens_the_other_side() {
        let t = Ticker::new("T-1").unwrap();
        let now = Utc::now();
        let mut a = Account::new("a".into(), "basic".into(), m("100"), false);
        a.apply_fill(
            &t,
            BookSide::Bid,
            p("0.50"),
            Count::from_whole(2),
            m("0.01"),
            now,
        );
        // Sell 5 YES at 0.60: closes 2 (+1.20 vs 1.00 basis), opens 3 NO at 0.40.
        let e = a.apply_fill(
            &t,
            BookSide::Ask,
            p("0.60"),
            Count::from_whole(5),
            Money::ZERO,
            now,
        );
        assert_eq!(e.post_position, Count::from_whole(-3));
        let pos = &a.positions["T-1"];
        assert_eq!(pos.realized_pnl, m("0.20"));
        assert_eq!(pos.exposure, m("1.20"));
        assert_eq!(pos.fees_paid, m("0.01"));
        // 100 − 1.00 − 0.01 − 2.00 + 2.00 = 98.99
        assert_eq!(a.balance, m("98.99"));
    }
}
