//! [`Market`]: one market's ledger — position, average cost, cash, P&L, round trips.
//!
//! # Method
//! The position is signed in contracts: `+` holds YES, `−` holds NO (sold YES). Cash: a buy
//! pays `price × count + fee`, a sell receives `price × count − fee`; settlement pays
//! `position × value`. A NO holder (position `−q`, sold YES at `p`) thus nets `(p − v) × q`
//! over the trade and settlement — the same as Kalshi's model, where the NO buyer pays
//! `(1 − p) × q` and receives `(1 − v) × q`; only the level of cash while holding differs
//! (by `q`), never the equity.
//!
//! Realised P&L uses the **average cost** of the open position: the position carries its
//! total cost `basis` (signed, in YES terms); a trade that reduces it takes
//! `basis × closed / |position|` (rounded toward zero; all of it when the position closes) and
//! realises `closed × price − that`. A trade that crosses zero closes the old position and
//! opens the rest at its price. Settlement realises `position × value − basis` as *settled*
//! P&L. Fees are kept apart from both.

use kalshi::{Count, Price, types::BookSide};

use super::{
    event::Fill,
    exact::Exact,
    tally::{EdgeTally, TripTally},
};

/// A market's latest [`Mark`](super::event::Mark).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkAt {
    /// The YES price.
    pub price: Price,
    /// When it was seen.
    pub ns: u64,
}

/// One market's ledger.
#[derive(Debug, Clone, Default)]
pub struct Market {
    /// Contracts held: `+` YES, `−` NO.
    pub pos: Count,
    /// The open position's total cost in YES terms (negative for a NO position).
    basis: Exact,
    /// Cash paid and received, fees included.
    pub cash: Exact,
    /// P&L realised by trades, before fees.
    pub realised: Exact,
    /// P&L realised by settlement, before fees.
    pub settled: Exact,
    /// Fees paid.
    pub fees: Exact,
    /// Fills booked.
    pub fills: u64,
    /// Fills that were maker.
    pub maker_fills: u64,
    /// Contracts bought (YES) and sold.
    pub bought: Count,
    /// Contracts sold (YES), i.e. NO bought.
    pub sold: Count,
    /// Contracts filled as maker.
    pub maker_contracts: Count,
    /// The latest mark.
    pub mark: Option<MarkAt>,
    /// The latest fill price, the mark until the first [`MarkAt`].
    last_fill: Option<Price>,
    /// The settlement value, once settled.
    pub settlement: Option<Price>,
    /// P&L of the open round trip, fees deducted.
    trip: Option<Exact>,
    /// Closed round trips.
    pub trips: TripTally,
    /// Fills waiting for a settlement to be measured against: side, price, count.
    pending: Vec<(BookSide, Price, Count)>,
    /// Fills measured against the settlement.
    pub edge: EdgeTally,
}

/// What a market adds to the run's totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Contribution {
    /// Cash plus the position at its mark.
    pub equity: Exact,
    /// At risk at the mark: YES `pos × mark`, NO `|pos| × (1 − mark)`.
    pub exposure: Exact,
    /// Contracts held, either side.
    pub contracts: Count,
}

impl Market {
    /// The price the position is valued at: the latest mark, or before any the latest fill.
    pub fn mark_price(&self) -> Option<Price> {
        self.mark.map(|m| m.price).or(self.last_fill)
    }

    /// The open position at its mark, less its cost: unrealised P&L.
    pub fn unrealised(&self) -> Exact {
        self.value() - self.basis
    }

    fn value(&self) -> Exact {
        self.mark_price()
            .map_or(Exact::ZERO, |p| Exact::of(p, self.pos))
    }

    /// The market's part of the run's equity, exposure and contracts.
    pub fn contribution(&self) -> Contribution {
        let mark = self.mark_price().unwrap_or(Price::ZERO);
        let exposure = if self.pos.is_negative() {
            Exact::of(mark.complement(), self.pos.abs())
        } else {
            Exact::of(mark, self.pos)
        };
        Contribution {
            equity: self.cash + self.value(),
            exposure,
            contracts: self.pos.abs(),
        }
    }

    /// Books a fill.
    pub fn fill(&mut self, f: &Fill) {
        let count = f.count.abs();
        let fee = Exact::money(f.fee);
        let notional = Exact::of(f.price, count);
        self.fills += 1;
        self.fees += fee;
        self.cash -= fee;
        let qty = match f.side {
            BookSide::Bid => {
                self.bought += count;
                self.cash -= notional;
                count
            }
            BookSide::Ask => {
                self.sold += count;
                self.cash += notional;
                -count
            }
        };
        if f.maker {
            self.maker_fills += 1;
            self.maker_contracts += count;
        }
        self.last_fill = Some(f.price);
        if self.settlement.is_none() {
            self.pending.push((f.side, f.price, count));
        }
        self.trade(qty, f.price, fee);
    }

    /// Moves the position by `qty` (signed) at `price`, realising what it closes.
    fn trade(&mut self, qty: Count, price: Price, fee: Exact) {
        let reduces = !self.pos.is_zero() && self.pos.is_positive() != qty.is_positive();
        if qty.is_zero() || !reduces {
            return self.open(qty, price, fee);
        }
        let held = self.pos.abs();
        let closed = qty.abs().min(held);
        let close_fee = fee.scale(closed.centis(), qty.abs().centis());
        let removed = if closed == held {
            self.basis
        } else {
            self.basis.scale(closed.centis(), held.centis())
        };
        let closed_signed = if self.pos.is_positive() {
            closed
        } else {
            -closed
        };
        let pnl = Exact::of(price, closed_signed) - removed;
        self.realised += pnl;
        self.basis -= removed;
        self.pos -= closed_signed;
        self.add_to_trip(pnl - close_fee);
        let rest = qty.abs() - closed;
        if !rest.is_zero() {
            let rest = if qty.is_positive() { rest } else { -rest };
            self.open(rest, price, fee - close_fee);
        }
    }

    /// Adds `qty` (zero, or the position's own direction) at `price`.
    fn open(&mut self, qty: Count, price: Price, fee: Exact) {
        if !qty.is_zero() && self.trip.is_none() {
            self.trip = Some(Exact::ZERO);
        }
        self.pos += qty;
        self.basis += Exact::of(price, qty);
        self.add_to_trip(-fee);
    }

    /// Adds to the open round trip's P&L, and closes the trip when the position is flat.
    fn add_to_trip(&mut self, pnl: Exact) {
        if let Some(trip) = self.trip.as_mut() {
            *trip += pnl;
        }
        if self.pos.is_zero()
            && let Some(trip) = self.trip.take()
        {
            self.trips.close(trip);
        }
    }

    /// Settles the market at `value` (the first settlement only): pays out the position and
    /// measures the market's fills against `value`.
    pub fn settle(&mut self, value: Price) {
        if self.settlement.is_some() {
            return;
        }
        self.settlement = Some(value);
        for (side, price, count) in self.pending.drain(..) {
            self.edge.add(side, price, count, value);
        }
        let payout = Exact::of(value, self.pos);
        let pnl = payout - self.basis;
        self.cash += payout;
        self.settled += pnl;
        self.pos = Count::ZERO;
        self.basis = Exact::ZERO;
        self.add_to_trip(pnl);
    }

    /// Records the market's latest price.
    pub fn mark(&mut self, price: Price, ns: u64) {
        self.mark = Some(MarkAt { price, ns });
    }
}
