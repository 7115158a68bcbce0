//! Backtesting a strategy on recorded market data (`tradewind backtest`); [`report`] is what a
//! run produces.

pub mod report;
