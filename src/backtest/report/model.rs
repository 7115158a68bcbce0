//! [`Report`]: what a backtest produced, as plain data — serialised as-is to JSON
//! ([`Report::to_json`]) and drawn as HTML ([`Report::to_html`]).
//!
//! Amounts are [`Money`] (exact decimal strings in JSON, `"12.3400"`), counts [`Count`]
//! (`"10.00"`), times integer Unix nanoseconds (`*_ns`), shares decimal strings with 4 places
//! (`"0.6667"`, `null` when there is nothing to share). Lists are in ticker or time order.

use kalshi::{Count, Money, Price, Ticker};
use serde::Serialize;

use super::event::RunMeta;

/// The report's format, first in the JSON.
pub const FORMAT: &str = "tradewind-backtest-report/1";

/// A backtest's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// [`FORMAT`].
    pub format: &'static str,
    /// What was run.
    pub meta: RunMeta,
    /// P&L and counts for the whole run.
    pub summary: Summary,
    /// The largest fall of equity.
    pub drawdown: Drawdown,
    /// What was held at risk.
    pub exposure: Exposure,
    /// Round trips and the hit rate.
    pub round_trips: RoundTrips,
    /// Fills measured against their market's settlement.
    pub settlement_edge: SettlementEdge,
    /// One row per market traded, by ticker.
    pub markets: Vec<MarketRow>,
    /// Positions still open at the end, by ticker.
    pub open: Vec<OpenPosition>,
    /// Equity over time (sampled, at most 2,000 points).
    pub equity_curve: Vec<CurvePoint>,
}

/// P&L: `total = realised + settled − fees + unrealised` = final equity (starting at zero).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Everything together.
    pub total: Money,
    /// From trades that closed positions (average cost), before fees.
    pub realised: Money,
    /// From positions held at settlement, before fees.
    pub settled: Money,
    /// Fees paid.
    pub fees: Money,
    /// Open positions at their last mark, less their cost.
    pub unrealised: Money,
    /// Fills.
    pub fills: u64,
    /// Of them, maker fills.
    pub maker_fills: u64,
    /// Contracts filled, bought and sold.
    pub contracts: Count,
    /// Share of contracts filled as maker.
    pub maker_share: Option<String>,
    /// Markets traded.
    pub markets: u64,
}

/// The largest peak-to-trough fall of equity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drawdown {
    /// Peak less trough.
    pub amount: Money,
    /// Equity at the peak.
    pub peak: Money,
    /// When.
    pub peak_ns: u64,
    /// Equity at the trough.
    pub trough: Money,
    /// When.
    pub trough_ns: u64,
}

/// What was held at risk: YES `pos × mark`, NO `|pos| × (1 − mark)`, summed over markets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exposure {
    /// The most.
    pub max: Money,
    /// When first.
    pub max_ns: u64,
    /// Time-weighted mean over the window.
    pub mean: Money,
    /// The most contracts held at once.
    pub max_contracts: Count,
    /// When first.
    pub max_contracts_ns: u64,
}

/// Round trips: a market's position leaving zero and coming back, by trade or settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundTrips {
    /// Closed.
    pub closed: u64,
    /// Closed with P&L after fees above zero.
    pub wins: u64,
    /// Below zero.
    pub losses: u64,
    /// Exactly zero.
    pub flat: u64,
    /// Still open at the end.
    pub open: u64,
    /// `wins / closed`.
    pub hit_rate: Option<String>,
}

/// Fills of settled markets against the settlement value `v`: a buy at `p` earns `v − p`
/// per contract, a sell `p − v` (before fees).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettlementEdge {
    /// Fills measured.
    pub fills: u64,
    /// Of them, with edge above zero.
    pub positive: u64,
    /// `positive / fills`.
    pub hit_rate: Option<String>,
    /// Summed edge.
    pub amount: Money,
}

/// One market's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarketRow {
    /// The market.
    pub ticker: Ticker,
    /// Fills.
    pub fills: u64,
    /// YES contracts bought.
    pub bought: Count,
    /// YES contracts sold (NO bought).
    pub sold: Count,
    /// Share of contracts filled as maker.
    pub maker_share: Option<String>,
    /// Fees paid.
    pub fees: Money,
    /// Realised by trades.
    pub realised: Money,
    /// Realised by settlement.
    pub settled: Money,
    /// Unrealised on the open position.
    pub open: Money,
    /// `realised + settled − fees + open`.
    pub total: Money,
    /// The settlement value, when settled.
    pub settlement: Option<Price>,
    /// Round trips closed.
    pub round_trips: u64,
    /// Round trips won.
    pub wins: u64,
}

/// A position still open at the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenPosition {
    /// The market.
    pub ticker: Ticker,
    /// Contracts: `+` YES, `−` NO.
    pub position: Count,
    /// The YES price it is marked at: the last mark, or the last fill before any mark.
    pub mark: Option<Price>,
    /// When that mark was seen (`null` when it is a fill price).
    pub mark_ns: Option<u64>,
    /// Unrealised P&L at the mark.
    pub unrealised: Money,
}

/// A point of the equity curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CurvePoint {
    /// When.
    pub ns: u64,
    /// Equity (cash plus positions at their marks).
    pub equity: Money,
    /// Below the running peak.
    pub drawdown: Money,
}
