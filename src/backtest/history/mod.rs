//! A `tradewind history fetch` download as a backtest's input: its Parquet tables read back
//! ([`read`]) and turned into the records a recording would hold ([`timeline`]) — markets as
//! listed, each candle's closing quotes as a book snapshot `[backtest] history_depth`
//! contracts deep, public trades, results — which the replay then takes exactly as it takes a
//! recording's once decoded: the feed's books, the strategy, the desk, the venue.
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

use self::{
    read::History,
    timeline::{Record, Timeline},
};

/// Whether `dir` holds a history download (a `markets/` table) rather than a recording.
pub fn is_history(dir: &Path) -> bool {
    dir.join("markets").is_dir()
}

/// A download, ready to replay.
#[derive(Debug)]
pub struct Loaded {
    /// Its rows.
    pub history: History,
    /// The order of its records.
    pub timeline: Timeline,
}

impl Loaded {
    /// Its records in time order, each candle's quotes `depth` contracts deep.
    pub fn records(&self, depth: Count) -> impl Iterator<Item = (u64, Record)> + '_ {
        self.timeline.records(&self.history, depth)
    }
}

/// Reads the download in `dir`.
///
/// # Errors
/// A table cannot be listed, or no market reads.
pub fn load(dir: &Path) -> Result<Loaded, String> {
    let history = read::read(dir)?;
    let timeline = timeline::timeline(&history);
    Ok(Loaded { history, timeline })
}

#[cfg(test)]
mod tests;
