//! Counting outcomes: [`TripTally`], closed round trips by result (the hit rate), and
//! [`EdgeTally`], fills against their market's settlement value.

use kalshi::{Count, Price, types::BookSide};

use super::exact::Exact;

/// Closed round trips of one market or of the run. A round trip starts when a market's
/// position leaves zero and closes when it returns to zero, by a trade or by settlement; its
/// P&L is its realised and settled P&L less the fees of its fills (a fill that flips the
/// position gives each trip its share of the fee, by contracts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TripTally {
    /// Round trips closed.
    pub closed: u64,
    /// Closed with P&L after fees above zero.
    pub wins: u64,
    /// Closed with P&L after fees below zero.
    pub losses: u64,
}

impl TripTally {
    /// Counts one closed trip.
    pub fn close(&mut self, pnl: Exact) {
        self.closed += 1;
        if pnl > Exact::ZERO {
            self.wins += 1;
        } else if pnl < Exact::ZERO {
            self.losses += 1;
        }
    }

    /// Both tallies together.
    pub fn merge(&mut self, other: &TripTally) {
        self.closed += other.closed;
        self.wins += other.wins;
        self.losses += other.losses;
    }
}

/// Fills of settled markets measured against the settlement value: a YES buy at `p` of a
/// market settling at `v` has edge `(v − p) × count`, a YES sell `(p − v) × count` — what the
/// fill earned held to settlement, before fees.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EdgeTally {
    /// Fills measured.
    pub fills: u64,
    /// Of them, fills with edge above zero.
    pub positive: u64,
    /// Their summed edge.
    pub amount: Exact,
}

impl EdgeTally {
    /// Measures one fill against the settlement `value`.
    pub fn add(&mut self, side: BookSide, price: Price, count: Count, value: Price) {
        let edge = match side {
            BookSide::Bid => Exact::of(value, count) - Exact::of(price, count),
            BookSide::Ask => Exact::of(price, count) - Exact::of(value, count),
        };
        self.fills += 1;
        if edge > Exact::ZERO {
            self.positive += 1;
        }
        self.amount += edge;
    }

    /// Both tallies together.
    pub fn merge(&mut self, other: &EdgeTally) {
        self.fills += other.fills;
        self.positive += other.positive;
        self.amount += other.amount;
    }
}
