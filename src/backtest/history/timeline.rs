//! A download as one time-ordered list of records, as a recording would hold them — pure:
//! - each market listed at its open time (once per ticker);
//! - each candle's closing quotes as a book snapshot at its period's end, only when they
//!   changed (Kalshi's candle ending at `E` covers `(E − p, E]`, so its close is known at `E`,
//!   never earlier, and a trade at `E` comes before it);
//! - each trade at its time (once per trade id; block trades, negotiated off the book, and
//!   trades with no taker side left out); a trade printing through the quote shown moves that
//!   side to its price until the next candle (the level it went through was gone);
//! - each market's determination `settlement_timer_seconds` before its settlement (never
//!   before its close), and its settlement; a market with no settlement time is never
//!   determined (its position is marked at the last mid).
//!
//! At one instant: markets, then trades, then quotes, then results. The order is kept as
//! small items pointing into the download's rows; each record is made only when it is
//! replayed ([`Timeline::records`]).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use kalshi::{Count, ws::Incoming};

pub use super::items::Counts;
use super::{
    frames::{as_listed, outcome_frames, settlement_value, snapshot_frame, trade_frame},
    items::{Item, ns_of_us},
    read::History,
    walk::{taker, walk},
};

/// One record of a download: a market as listed (JSON, as a recording holds it), or a frame.
// Records are made one at a time as they are replayed, never stored: boxing the frame would
// cost an allocation a record for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A market as the metadata cache would have loaded it.
    Market(String),
    /// A frame as the feed would have received it, decoded.
    Frame(Incoming<'static>),
    /// A row that makes no frame (a ticker that is not one): counted as a bad frame.
    Bad,
}

/// The records' order, with what was left out.
#[derive(Debug, Default)]
pub struct Timeline {
    pub(super) items: Vec<(u64, Item)>,
    /// What was left out or changed.
    pub counts: Counts,
}

/// Order of records at one instant.
fn rank(item: &Item) -> u8 {
    match item {
        Item::Market(_) => 0,
        Item::Trade { .. } => 1,
        Item::Quote { .. } => 2,
        Item::Outcome(..) => 3,
    }
}

fn ns_of(t: DateTime<Utc>) -> u64 {
    t.timestamp_nanos_opt()
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or(0)
}

/// The order of `h`'s records.
///
/// # Errors
/// More rows than the timeline can point at (4,294,967,295 of a table).
pub fn timeline(h: &History) -> Result<Timeline, String> {
    let most = [h.markets.len(), h.trades.len(), h.candles.len()];
    if most.iter().any(|n| u32::try_from(*n).is_err()) {
        return Err(format!("too many rows to replay at once: {most:?}"));
    }
    let mut t = Timeline::default();
    let markets = market_items(h, &mut t);
    let (candles, trades) = rows_by_market(h, &markets, &mut t.counts);
    for (m, (cs, ts)) in candles.into_iter().zip(trades).enumerate() {
        let open = ns_of(h.markets[markets.first[m] as usize].open_time);
        walk(
            h,
            (markets.first[m], open),
            (&cs, &ts),
            (&mut t.items, &mut t.counts),
        );
    }
    t.items.sort_by_key(|(ns, item)| (*ns, rank(item)));
    Ok(t)
}

/// The markets kept (first per ticker), by ticker: their index in the markets table.
struct Markets<'a> {
    by_ticker: HashMap<&'a str, usize>,
    first: Vec<u32>,
}

fn market_items<'a>(h: &'a History, t: &mut Timeline) -> Markets<'a> {
    let mut kept = Markets {
        by_ticker: HashMap::new(),
        first: Vec::new(),
    };
    for (i, m) in h.markets.iter().enumerate() {
        if kept.by_ticker.contains_key(m.ticker.as_str()) {
            t.counts.duplicate_markets += 1;
            continue;
        }
        kept.by_ticker.insert(m.ticker.as_str(), kept.first.len());
        kept.first.push(i as u32);
        t.items.push((ns_of(m.open_time), Item::Market(i as u32)));
        match (settlement_value(m), outcome_times(m)) {
            (Some(_), Some((determined, settled))) => {
                t.items
                    .push((ns_of(determined), Item::Outcome(i as u32, false)));
                t.items
                    .push((ns_of(settled), Item::Outcome(i as u32, true)));
            }
            (Some(_), None) => t.counts.results_without_time += 1,
            (None, _) => {}
        }
    }
    kept
}

/// When `m` was determined and settled: `settlement_timer_seconds` before its settlement,
/// never before its close; `None` without a settlement time.
fn outcome_times(m: &kalshi::rest::Market) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let settled = m.settlement_ts?;
    let timer = chrono::Duration::seconds(m.settlement_timer_seconds.max(0));
    Some(((settled - timer).max(m.close_time).min(settled), settled))
}

/// Candle and trade rows per kept market (in the markets' order), in time order; trades
/// left out are counted.
fn rows_by_market(
    h: &History,
    markets: &Markets<'_>,
    c: &mut Counts,
) -> (Vec<Vec<u32>>, Vec<Vec<u32>>) {
    let n = markets.first.len();
    let (mut candles, mut trades) = (vec![Vec::new(); n], vec![Vec::new(); n]);
    for (i, row) in h.candles.iter().enumerate() {
        match markets.by_ticker.get(&*row.ticker) {
            Some(&m) if ns_of_us(row.end_us).is_some() => candles[m].push(i as u32),
            _ => c.orphans += 1,
        }
    }
    let mut seen = HashSet::new();
    for (i, row) in h.trades.iter().enumerate() {
        let market = markets.by_ticker.get(&*row.ticker);
        match market {
            Some(_) if ns_of_us(row.at_us).is_none() => c.orphans += 1,
            None => c.orphans += 1,
            Some(_) if !seen.insert(row.trade_id.as_str()) => c.duplicate_trades += 1,
            Some(_) if row.is_block_trade => c.block_trades += 1,
            Some(_) if taker(row).is_none() => c.sideless_trades += 1,
            Some(&m) => trades[m].push(i as u32),
        }
    }
    for v in &mut candles {
        v.sort_by_key(|&i| h.candles[i as usize].end_us);
    }
    for v in &mut trades {
        v.sort_by(|&a, &b| {
            let (a, b) = (&h.trades[a as usize], &h.trades[b as usize]);
            (a.at_us, &a.trade_id).cmp(&(b.at_us, &b.trade_id))
        });
    }
    (candles, trades)
}

impl Timeline {
    /// Records in time order: receive time (Unix ns) and record, each quote `depth`
    /// contracts deep.
    pub fn records<'a>(
        &'a self,
        h: &'a History,
        depth: Count,
    ) -> impl Iterator<Item = (u64, Record)> + 'a {
        self.items
            .iter()
            .map(move |(ns, item)| (*ns, record(h, *item, depth)))
    }
}

fn record(h: &History, item: Item, depth: Count) -> Record {
    let frame = |f: Option<Incoming<'static>>| f.map_or(Record::Bad, Record::Frame);
    let market = |i: u32| &h.markets[i as usize];
    match item {
        Item::Market(i) => match serde_json::to_string(&as_listed(market(i))) {
            Ok(json) => Record::Market(json),
            Err(_) => Record::Bad,
        },
        Item::Quote {
            market: i,
            seq,
            quote,
        } => {
            let ticker = market(i).ticker.as_str();
            let sid = u64::from(i) + 1;
            Record::Frame(snapshot_frame(ticker, (sid, seq.into()), quote, depth))
        }
        Item::Trade { trade, market: i } => {
            frame(trade_frame(&h.trades[trade as usize], u64::from(i) + 1))
        }
        Item::Outcome(i, settled) => {
            let m = market(i);
            let [determined, settled_frame] = match (settlement_value(m), outcome_times(m)) {
                (Some(outcome), Some(times)) => outcome_frames(m, times, outcome),
                _ => [None, None],
            };
            frame(if settled { settled_frame } else { determined })
        }
    }
}
