//! `tradewind backtest`: a recording replayed through the engine's own feed book-keeping,
//! strategy and order-manager checks on a virtual clock, with the simulator's matching engine
//! as the venue; [`report`] is what a run produces.
//!
//! # Layout
//! - [`run`]: a whole backtest over a recording directory or a history download
//!   ([`history`]); [`replay`]: the replay itself.
//! - [`venue`]: the simulator's exchange core holding the recorded book, the recorded takers
//!   and the strategy's orders; [`desk`]: the order manager's checks, ledger and positions.
//! - [`agenda`]: the virtual clock's agenda; [`forecasts`]: forecasts known from an instant on.
//! - [`report`]: P&L, fills, drawdown, exposure; JSON and one offline HTML page.

pub mod agenda;
pub mod desk;
pub mod forecasts;
pub mod history;
pub mod replay;
pub mod report;
pub mod run;
pub mod venue;

#[cfg(test)]
mod test_support;

use crate::config::{EngineFile, render_masked};

/// A digest of the effective config (key id masked): the report names the config it ran
/// under (FNV-1a, 64 bits: a label, not a security measure).
pub fn config_digest(cfg: &EngineFile) -> String {
    let text = render_masked(cfg);
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// The report of `events` (in time order) under `meta`.
pub fn report_of(
    events: impl IntoIterator<Item = report::LedgerEvent>,
    meta: report::RunMeta,
) -> report::Report {
    let mut b = report::ReportBuilder::new(meta);
    for e in events {
        b.push(e);
    }
    b.finish()
}
