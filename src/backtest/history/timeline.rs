//! A download as one time-ordered list of records, as a recording would hold them — pure:
//! each market listed at its open time; each candle's closing quotes as a book snapshot at
//! its period's end (only when they changed; Kalshi's candle ending at `E` covers `[E − p,
//! E)`, so its close is known at `E` and never earlier); each trade at its time (once per
//! trade id); each determined market's result at its settlement time. At one instant:
//! markets, then quotes, then trades, then results.
//!
//! The order is kept as small items pointing into the download's rows; each record's text
//! is made only when it is replayed ([`Timeline::records`]), so a month of minute candles
//! costs a few bytes a candle beyond its row.

use std::collections::{HashMap, HashSet};

use kalshi::{Count, Price, ws::Incoming};

use super::{
    frames::{as_listed, outcome_frames, quotes, settlement_value, snapshot_frame, trade_frame},
    read::History,
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

/// One record to make, pointing into the download's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    /// Market `i` listed.
    Market(u32),
    /// Candle `i`'s quotes, as snapshot `seq` of subscription `sid`.
    Quote { candle: u32, sid: u32, seq: u32 },
    /// Trade `i`.
    Trade { trade: u32, sid: u32 },
    /// Market `i` determined (`0`) or settled (`1`).
    Outcome(u32, u8),
}

/// The records' order, with what was left out.
#[derive(Debug, Default)]
pub struct Timeline {
    items: Vec<(u64, Item)>,
    /// Candles whose quotes were crossed (no book).
    pub crossed_candles: u64,
    /// Trades and candles of markets the markets table does not hold, or before 1970.
    pub orphans: u64,
    /// Trades read twice (the same trade id).
    pub duplicate_trades: u64,
}

/// Order of records at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Market,
    Quote,
    Trade,
    Outcome,
}

fn rank(item: &Item) -> Rank {
    match item {
        Item::Market(_) => Rank::Market,
        Item::Quote { .. } => Rank::Quote,
        Item::Trade { .. } => Rank::Trade,
        Item::Outcome(..) => Rank::Outcome,
    }
}

fn ns_of_us(us: i64) -> Option<u64> {
    u64::try_from(us).ok()?.checked_mul(1_000)
}

fn ns_of(t: chrono::DateTime<chrono::Utc>) -> u64 {
    t.timestamp_nanos_opt()
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or(0)
}

fn idx(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The order of `h`'s records.
pub fn timeline(h: &History) -> Timeline {
    let mut t = Timeline::default();
    // A subscription id per market, in the markets table's order.
    let mut sids: HashMap<&str, u32> = HashMap::new();
    for (i, m) in h.markets.iter().enumerate() {
        let next = idx(sids.len() + 1);
        sids.entry(m.ticker.as_str()).or_insert(next);
        t.items.push((ns_of(m.open_time), Item::Market(idx(i))));
        if settlement_value(m).is_some() {
            let end = ns_of(m.settlement_ts.unwrap_or(m.close_time));
            t.items.push((end, Item::Outcome(idx(i), 0)));
            t.items.push((end, Item::Outcome(idx(i), 1)));
        }
    }
    quote_items(h, &sids, &mut t);
    trade_items(h, &sids, &mut t);
    t.items.sort_by_key(|(ns, item)| (*ns, rank(item)));
    t
}

fn quote_items(h: &History, sids: &HashMap<&str, u32>, t: &mut Timeline) {
    let mut order: Vec<usize> = (0..h.candles.len()).collect();
    order.sort_by_key(|&i| (&h.candles[i].ticker, h.candles[i].end_us));
    let mut shown: HashMap<&str, (Option<Price>, Option<Price>)> = HashMap::new();
    let mut seqs: HashMap<u32, u32> = HashMap::new();
    for i in order {
        let c = &h.candles[i];
        let (Some(&sid), Some(ns)) = (sids.get(c.ticker.as_str()), ns_of_us(c.end_us)) else {
            t.orphans += 1;
            continue;
        };
        let Some(q) = quotes(c.bid, c.ask) else {
            t.crossed_candles += 1;
            continue;
        };
        if shown.insert(c.ticker.as_str(), q) == Some(q) {
            continue;
        }
        let seq = seqs.entry(sid).or_insert(0);
        *seq += 1;
        let item = Item::Quote {
            candle: idx(i),
            sid,
            seq: *seq,
        };
        t.items.push((ns, item));
    }
}

fn trade_items(h: &History, sids: &HashMap<&str, u32>, t: &mut Timeline) {
    let mut order: Vec<usize> = (0..h.trades.len()).collect();
    order.sort_by_key(|&i| (h.trades[i].at_us, &h.trades[i].trade_id));
    let mut seen = HashSet::new();
    for i in order {
        let tr = &h.trades[i];
        let (Some(&sid), Some(ns)) = (sids.get(tr.ticker.as_str()), ns_of_us(tr.at_us)) else {
            t.orphans += 1;
            continue;
        };
        if !seen.insert(tr.trade_id.as_str()) {
            t.duplicate_trades += 1;
            continue;
        }
        t.items.push((ns, Item::Trade { trade: idx(i), sid }));
    }
}

impl Timeline {
    /// Records in time order: receive time (Unix ns) and record, each candle's quotes
    /// `depth` contracts deep.
    pub fn records<'a>(
        &'a self,
        h: &'a History,
        depth: Count,
    ) -> impl Iterator<Item = (u64, Record)> + 'a {
        self.items
            .iter()
            .map(move |(ns, item)| (*ns, record(h, *item, depth)))
    }

    /// How many records there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

fn record(h: &History, item: Item, depth: Count) -> Record {
    let at = |i: u32| i as usize;
    let frame = |f: Option<Incoming<'static>>| f.map_or(Record::Bad, Record::Frame);
    match item {
        Item::Market(i) => match serde_json::to_string(&as_listed(&h.markets[at(i)])) {
            Ok(json) => Record::Market(json),
            Err(_) => Record::Bad,
        },
        Item::Quote { candle, sid, seq } => {
            let c = &h.candles[at(candle)];
            let q = quotes(c.bid, c.ask).unwrap_or_default();
            Record::Frame(snapshot_frame(
                &c.ticker,
                (sid.into(), seq.into()),
                q,
                depth,
            ))
        }
        Item::Trade { trade, sid } => frame(trade_frame(&h.trades[at(trade)], sid.into())),
        Item::Outcome(i, which) => {
            let m = &h.markets[at(i)];
            let end = m.settlement_ts.unwrap_or(m.close_time).timestamp();
            let [determined, settled] = match settlement_value(m) {
                Some(outcome) => outcome_frames(m, end, outcome),
                None => [None, None],
            };
            frame(if which == 0 { determined } else { settled })
        }
    }
}
