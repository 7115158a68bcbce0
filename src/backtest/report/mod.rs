//! The backtest report: P&L (realised, settled, fees, unrealised), fills, hit rate, maximum
//! drawdown, exposure and a per-market table, built from the replay's events and written as
//! `report.json` (for machines) and `report.html` (one self-contained page with equity and
//! drawdown charts, for people).
//!
//! Pure: no clock, no I/O but [`Report::write`], no hash-map order, no floating point — the
//! same events and [`RunMeta`] give byte-identical files.
//!
//! ```
//! use kalshi::{Count, Money, Price, Ticker, types::BookSide};
//! use tradewind::backtest::report::{Fill, LedgerEvent, ReportBuilder, RunMeta, Settlement};
//!
//! let t = Ticker::new("KXHIGHNY-26FEB11-B94.5").unwrap();
//! let mut b = ReportBuilder::new(RunMeta { strategy: "fair-value".into(), ..RunMeta::default() });
//! b.push(LedgerEvent::Fill(Fill {
//!     ns: 1,
//!     ticker: t.clone(),
//!     side: BookSide::Bid,
//!     price: Price::from_cents(40).unwrap(),
//!     count: Count::from_whole(10),
//!     fee: Money::parse("0.17").unwrap(),
//!     maker: false,
//! }));
//! b.push(LedgerEvent::Settle(Settlement { ns: 2, ticker: t, value: Price::ONE }));
//! let report = b.finish();
//! assert_eq!(report.summary.total.to_string(), "5.8300"); // 10 × (1 − 0.40) − 0.17
//! assert!(report.to_json().contains("\"settled\": \"6.0000\""));
//! assert!(report.to_html().starts_with("<!DOCTYPE html>"));
//! ```
//!
//! # Layout
//! - [`event`]: the inputs — [`Fill`], [`Settlement`], [`Mark`], [`LedgerEvent`], [`RunMeta`].
//! - [`exact`]: amounts exact to 10⁻⁸ dollar; shares as decimal strings.
//! - [`market`]: one market's ledger (position, average cost, cash, round trips) — the
//!   accounting method is documented there.
//! - [`tally`]: round trips (hit rate) and settlement edge, counted.
//! - [`drawdown`], [`exposure`], [`curve`]: the run's drawdown, exposure and equity curve.
//! - [`builder`]: [`ReportBuilder`], events in, [`Report`] out.
//! - [`model`]: [`Report`] and its parts, as serialised.
//! - `output`: JSON and files; `html`: the page; [`svg`]: its charts; `text`: escaping
//!   and formatting.

pub mod builder;
pub mod curve;
pub mod drawdown;
pub mod event;
pub mod exact;
pub mod exposure;
mod html;
pub mod market;
pub mod model;
mod output;
pub mod svg;
pub mod tally;
mod text;

pub use self::{
    builder::ReportBuilder,
    event::{Fill, LedgerEvent, Mark, RunMeta, Settlement},
    model::Report,
};

#[cfg(test)]
mod tests;
