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
//!   in time order; `walk`: one market's candles and trades merged, its quotes followed.

pub mod frames;
pub mod items;
pub mod parquet_rows;
pub mod read;
pub mod timeline;
mod walk;

use std::path::Path;

use kalshi::Count;

use self::{
    read::History,
    timeline::{Counts, Record, Timeline},
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
    /// Lists `history fetch` had not finished (from its `checkpoint.json`; `None`: none
    /// there).
    pub unfinished: Option<usize>,
}

impl Loaded {
    /// Its records in time order, each candle's quotes `depth` contracts deep.
    pub fn records(&self, depth: Count) -> impl Iterator<Item = (u64, Record)> + '_ {
        self.timeline.records(&self.history, depth)
    }

    /// What was read and left out.
    pub fn summary(&self) -> Summary {
        let h = &self.history;
        Summary {
            markets: h.markets.len(),
            trades: h.trades.len(),
            candles: h.candles.len(),
            files: h.files,
            bad_markets: h.bad_markets,
            unfinished: self.unfinished,
            counts: self.timeline.counts.clone(),
        }
    }
}

/// What a download held, and what its replay left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Markets read.
    pub markets: usize,
    /// Trades read.
    pub trades: usize,
    /// Candles read.
    pub candles: usize,
    /// Part files read whole.
    pub files: usize,
    /// Market rows that did not read.
    pub bad_markets: usize,
    /// Lists `history fetch` had not finished (`None`: no checkpoint).
    pub unfinished: Option<usize>,
    /// What the timeline left out or changed.
    pub counts: Counts,
}

/// Reads the download in `dir`.
///
/// # Errors
/// A table cannot be listed, no market reads, or there are too many rows.
pub fn load(dir: &Path) -> Result<Loaded, String> {
    let history = read::read(dir)?;
    let timeline = timeline::timeline(&history)?;
    let unfinished = unfinished(&dir.join("checkpoint.json"));
    if let Some(n) = unfinished.filter(|n| *n > 0) {
        tracing::warn!(
            "{}: the download is incomplete ({n} lists unfinished): rerun history fetch to \
             complete it",
            dir.display()
        );
    }
    Ok(Loaded {
        history,
        timeline,
        unfinished,
    })
}

/// Lists a download's checkpoint counts as unfinished — series not listed and market lists
/// not done (read as plain JSON: whatever its version, an unread checkpoint is `None`).
fn unfinished(checkpoint: &Path) -> Option<usize> {
    let text = std::fs::read_to_string(checkpoint).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    fn walk(v: &serde_json::Value) -> usize {
        match v {
            serde_json::Value::Object(o) => {
                let here = ["done", "listed"]
                    .iter()
                    .filter(|k| o.get(**k) == Some(&serde_json::Value::Bool(false)))
                    .count();
                here + o.values().map(walk).sum::<usize>()
            }
            serde_json::Value::Array(a) => a.iter().map(walk).sum(),
            _ => 0,
        }
    }
    Some(walk(v.get("series")?))
}

#[cfg(test)]
mod tests;
