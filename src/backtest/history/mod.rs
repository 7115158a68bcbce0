//! A `tradewind history fetch` download as a backtest's input: its Parquet tables read back
//! ([`read`]) and turned into the records a recording would hold ([`timeline`]) — markets as
//! listed, each candle's closing quotes as a book snapshot `[backtest] history_depth`
//! contracts deep, public trades, results — which the replay then takes exactly as it takes a
//! recording's, through Kalshi's decoder and the feed's books.
//!
//! # Layout
//! - [`parquet_rows`]: part files, batches and typed columns; [`read`]: the three tables as
//!   rows.
//! - [`frames`]: one market, quote, trade or result as a record; [`timeline`]: all of them
//!   in time order.

pub mod frames;
pub mod parquet_rows;
pub mod read;
pub mod timeline;

use std::path::Path;

use kalshi::Count;

use self::{read::History, timeline::Timeline};
use crate::record::Damage;

/// Whether `dir` holds a history download (a `markets/` table) rather than a recording.
pub fn is_history(dir: &Path) -> bool {
    dir.join("markets").is_dir()
}

/// A download, ready to replay.
#[derive(Debug)]
pub struct Loaded {
    /// Its records.
    pub timeline: Timeline,
    /// Markets, trades and candles read.
    pub rows: (usize, usize, usize),
    /// Part files read.
    pub files: usize,
    /// Part files skipped (they did not read).
    pub damage: Vec<Damage>,
}

/// Reads the download in `dir`, its quotes `depth` contracts deep.
///
/// # Errors
/// A table cannot be listed, or no market reads.
pub fn load(dir: &Path, depth: Count) -> Result<Loaded, String> {
    let h: History = read::read(dir)?;
    Ok(Loaded {
        timeline: timeline::timeline(&h, depth),
        rows: (h.markets.len(), h.trades.len(), h.candles.len()),
        files: h.files,
        damage: h.damage,
    })
}

#[cfg(test)]
mod tests;
