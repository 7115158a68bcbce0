//! The checkpoint of a download (`DIR/checkpoint.json`): the arguments it was started with,
//! the historical cutoff it planned by, and per series whether its markets are listed and,
//! per market, how far each list (trades live and archived, catch-up lists of trades that
//! moved to `/historical/trades` while a live list was unfinished ([`split`]), candles) has
//! been written — the part files written and the cursor of the next trade page. A part file
//! is written before the checkpoint counts it, so a rerun never reads a page the checkpoint
//! calls written; a list resumed first removes its part files the checkpoint does not count
//! (a page written but not yet counted, whatever the page read again keeps: no duplicate).
//!
//! [`split`]: super::split

use std::{collections::BTreeMap, path::Path};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    parts,
    plan::{MarketJob, Source, Window},
};

/// Version of the file's format: 2 keeps the live lists' oldest trade, which re-planning a
/// moved cutoff needs (a version 1 file lacks it, so it cannot be continued).
const VERSION: u32 = 2;

/// Just the version of a checkpoint file, read before the rest.
#[derive(Deserialize)]
struct Versioned {
    version: u32,
}

/// What a download was asked for; a rerun must ask for the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// Series, in the order given.
    pub series: Vec<String>,
    /// The window.
    pub window: Window,
    /// Page size of the trade and market lists.
    pub page_size: u32,
}

/// How far one list has been written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stream {
    /// Part files written (pages of trades, windows of candles).
    pub parts: u32,
    /// Cursor of the next page (trades).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Rows written.
    pub rows: u64,
    /// Complete.
    pub done: bool,
    /// The oldest trade written so far (live lists, which come newest first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oldest: Option<Oldest>,
}

/// The oldest trade time a live list has written, and the ids written at exactly that time
/// (a page may end between trades of the same instant).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Oldest {
    /// Trade time.
    pub at: DateTime<Utc>,
    /// Trade ids written with that time.
    pub ids: Vec<String>,
}

/// Trades that left the live list for `/historical/trades` because the cutoff moved while
/// the live list was unfinished: those made in `[from, to)` that the live list had not
/// written (older than `written`, or at its instant with another id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatchUp {
    /// Made at or after.
    pub from: DateTime<Utc>,
    /// Made before.
    pub to: DateTime<Utc>,
    /// What the live list had written when the cutoff was found moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<Oldest>,
    /// How far it is written.
    pub stream: Stream,
}

/// One list of a market, as the checkpoint keys it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// Its trades from one source.
    Trades(Source),
    /// Its `n`th catch-up list of trades.
    CatchUp(usize),
    /// Its candles.
    Candles,
}

/// One market: its plan and its lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketState {
    /// What to download.
    pub job: MarketJob,
    /// Its trades, by where they are read.
    pub trades: BTreeMap<Source, Stream>,
    /// Its candles.
    pub candles: Stream,
    /// Where its live trade list starts (the planned trades cutoff until it moved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_from: Option<DateTime<Utc>>,
    /// Trades that moved from the live list to `/historical/trades` meanwhile.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub catch_up: Vec<CatchUp>,
}

impl MarketState {
    /// A market's lists, none started.
    pub fn new(job: MarketJob, sources: Vec<Source>) -> MarketState {
        MarketState {
            job,
            trades: sources
                .into_iter()
                .map(|s| (s, Stream::default()))
                .collect(),
            candles: Stream::default(),
            live_from: None,
            catch_up: Vec::new(),
        }
    }

    /// Whether every list is complete.
    pub fn done(&self) -> bool {
        self.candles.done
            && self.trades.values().all(|t| t.done)
            && self.catch_up.iter().all(|c| c.stream.done)
    }

    /// Trade rows written.
    pub fn trade_rows(&self) -> u64 {
        let rows = self.trades.values().map(|t| t.rows).sum::<u64>();
        rows + self.catch_up.iter().map(|c| c.stream.rows).sum::<u64>()
    }
}

/// One series.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesState {
    /// Its markets are listed and `markets/<SERIES>.parquet` is written.
    pub listed: bool,
    /// Its markets in the window, by ticker.
    pub markets: BTreeMap<String, MarketState>,
}

/// The checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Format version.
    pub version: u32,
    /// The arguments.
    pub request: Request,
    /// `GET /historical/cutoff` as first read: `market_settled_ts` and `trades_created_ts`.
    pub cutoff: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Per series.
    pub series: BTreeMap<String, SeriesState>,
}

impl Checkpoint {
    /// A fresh checkpoint for `request`.
    pub fn new(request: Request) -> Checkpoint {
        Checkpoint {
            version: VERSION,
            request,
            cutoff: None,
            series: BTreeMap::new(),
        }
    }

    /// The checkpoint in `dir` if there is one for `request`, else a fresh one.
    ///
    /// # Errors
    /// The file is unreadable, not a checkpoint, of another format version, or of other
    /// arguments (the message says which and how to proceed).
    pub fn load_or_new(path: &Path, request: Request) -> Result<Checkpoint, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Checkpoint::new(request));
            }
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let v: Versioned = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a checkpoint: {e}", path.display()))?;
        if v.version != VERSION {
            return Err(format!(
                "{} is a checkpoint of version {}; this tradewind continues version {VERSION} \
                 only, so it cannot continue that download: download into a new --out DIR",
                path.display(),
                v.version
            ));
        }
        let c: Checkpoint = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a checkpoint: {e}", path.display()))?;
        if c.request != request {
            return Err(format!(
                "{} belongs to a download of other arguments ({:?}); use another --out \
                 or the same arguments",
                path.display(),
                c.request
            ));
        }
        Ok(c)
    }

    /// Writes it to `path` atomically.
    ///
    /// # Errors
    /// An I/O failure, naming the file.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        parts::write_text(path, &text)
    }

    /// A market's state.
    pub fn market(&self, job: &MarketJob) -> Option<&MarketState> {
        self.series.get(&job.series)?.markets.get(&job.ticker)
    }

    /// The state of a market's list.
    pub fn stream_mut(&mut self, job: &MarketJob, list: List) -> Option<&mut Stream> {
        let m = self
            .series
            .get_mut(&job.series)?
            .markets
            .get_mut(&job.ticker)?;
        match list {
            List::Trades(s) => m.trades.get_mut(&s),
            List::CatchUp(n) => m.catch_up.get_mut(n).map(|c| &mut c.stream),
            List::Candles => Some(&mut m.candles),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        let w = Window {
            from: DateTime::from_timestamp(0, 0).unwrap(),
            to: DateTime::from_timestamp(86_400, 0).unwrap(),
        };
        Request {
            series: vec!["KXHIGHNY".into()],
            window: w,
            page_size: 1000,
        }
    }

    #[test]
    fn a_checkpoint_round_trips_and_refuses_other_arguments_and_versions() {
        let dir = std::env::temp_dir().join(format!("tw-ckpt-{}", std::process::id()));
        let path = dir.join("checkpoint.json");
        let mut c = Checkpoint::new(request());
        let job = MarketJob {
            ticker: "KXHIGHNY-70JAN01-T40".into(),
            series: "KXHIGHNY".into(),
            archived: false,
            start_ts: 0,
            end_ts: 60,
            settled_ts: None,
        };
        let state = MarketState::new(job.clone(), vec![Source::Live]);
        let series = c.series.entry("KXHIGHNY".into()).or_default();
        series.markets.insert(job.ticker.clone(), state);
        c.stream_mut(&job, List::Trades(Source::Live))
            .unwrap()
            .cursor = Some("abc".into());
        c.save(&path).unwrap();
        assert_eq!(Checkpoint::load_or_new(&path, request()).unwrap(), c);
        let other = Request {
            page_size: 10,
            ..request()
        };
        let err = Checkpoint::load_or_new(&path, other).unwrap_err();
        assert!(err.contains("other arguments"), "{err}");
        let v1 = std::fs::read_to_string(&path)
            .unwrap()
            .replace("\"version\": 2", "\"version\": 1");
        std::fs::write(&path, v1).unwrap();
        let err = Checkpoint::load_or_new(&path, request()).unwrap_err();
        let said = ["version 1", "version 2", "new --out DIR", "checkpoint.json"];
        assert!(said.iter().all(|s| err.contains(s)), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
