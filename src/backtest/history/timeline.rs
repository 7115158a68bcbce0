//! A download as one time-ordered list of records, as a recording would hold them — pure:
//! each market listed at its open time; each candle's closing quotes as a book snapshot at
//! its period's end (only when they changed; Kalshi's candle ending at `E` covers `[E − p,
//! E)`, so its close is known at `E` and never earlier); each trade at its time (once per
//! trade id); each determined market's result at its settlement time. At one instant:
//! markets, then quotes, then trades, then results.

use std::collections::{HashMap, HashSet};

use kalshi::Count;

use super::{
    frames::{as_listed, outcome_frames, quotes, settlement_value, snapshot_frame, trade_frame},
    read::History,
};
use crate::record::Event;

/// The records, with what was left out.
#[derive(Debug, Default)]
pub struct Timeline {
    /// Receive time (Unix ns) and record, in time order.
    pub records: Vec<(u64, Event)>,
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

fn ns_of_us(us: i64) -> Option<u64> {
    u64::try_from(us).ok()?.checked_mul(1_000)
}

/// `h` as records, each candle's quotes `depth` contracts deep.
pub fn timeline(h: &History, depth: Count) -> Timeline {
    let mut t = Timeline::default();
    let mut out: Vec<(u64, Rank, Event)> = Vec::new();
    // A subscription id per market, in the markets table's order.
    let mut sids: HashMap<&str, u64> = HashMap::new();
    for m in &h.markets {
        let next = sids.len() as u64 + 1;
        sids.entry(m.ticker.as_str()).or_insert(next);
        let listed = serde_json::to_string(&as_listed(m)).unwrap_or_default();
        let open = m
            .open_time
            .timestamp_nanos_opt()
            .and_then(|n| u64::try_from(n).ok());
        out.push((open.unwrap_or(0), Rank::Market, Event::Market(listed)));
        let end = m.settlement_ts.unwrap_or(m.close_time);
        if let (Some(outcome), Some(ns)) = (settlement_value(m), end.timestamp_nanos_opt()) {
            for frame in outcome_frames(m, end.timestamp(), outcome) {
                out.push((
                    u64::try_from(ns).unwrap_or(0),
                    Rank::Outcome,
                    Event::Frame(frame),
                ));
            }
        }
    }
    quote_records(h, &sids, depth, &mut t, &mut out);
    trade_records(h, &sids, &mut t, &mut out);
    out.sort_by_key(|(ns, rank, _)| (*ns, *rank));
    t.records = out.into_iter().map(|(ns, _, e)| (ns, e)).collect();
    t
}

fn quote_records(
    h: &History,
    sids: &HashMap<&str, u64>,
    depth: Count,
    t: &mut Timeline,
    out: &mut Vec<(u64, Rank, Event)>,
) {
    let mut candles: Vec<_> = h.candles.iter().collect();
    candles.sort_by(|a, b| (&a.ticker, a.end_us).cmp(&(&b.ticker, b.end_us)));
    let mut shown: HashMap<&str, (Option<kalshi::Price>, Option<kalshi::Price>)> = HashMap::new();
    let mut seq: HashMap<u64, u64> = HashMap::new();
    for c in candles {
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
        let n = seq.entry(sid).or_insert(0);
        *n += 1;
        let frame = snapshot_frame(&c.ticker, (sid, *n), q, depth);
        out.push((ns, Rank::Quote, Event::Frame(frame)));
    }
}

fn trade_records(
    h: &History,
    sids: &HashMap<&str, u64>,
    t: &mut Timeline,
    out: &mut Vec<(u64, Rank, Event)>,
) {
    let mut trades: Vec<_> = h.trades.iter().collect();
    trades.sort_by(|a, b| (a.at_us, &a.trade_id).cmp(&(b.at_us, &b.trade_id)));
    let mut seen = HashSet::new();
    for tr in trades {
        let (Some(&sid), Some(ns)) = (sids.get(tr.ticker.as_str()), ns_of_us(tr.at_us)) else {
            t.orphans += 1;
            continue;
        };
        if !seen.insert(tr.trade_id.as_str()) {
            t.duplicate_trades += 1;
            continue;
        }
        out.push((ns, Rank::Trade, Event::Frame(trade_frame(tr, sid))));
    }
}
