//! Which trades each list keeps, by the historical cutoff, and the re-plan of a resumed
//! download whose cutoff moved meanwhile — pure.
//!
//! Kalshi moves `GET /historical/cutoff` forward: a trade made before `trades_created_ts`
//! is served by `/historical/trades` only, a market settled before `market_settled_ts` by
//! `/historical/markets` (and its candles by the historical endpoint) only. A download plans
//! by the cutoff it read first (kept in the checkpoint). So that the lists never overlap
//! whatever the exchange's cutoff does, each keeps its side of the *planned* trades cutoff
//! `T` by the trade's exact time: the historical list what was made before `T` (when the
//! market has a live list too), the live list what was made at or after it ([`filter`]). A
//! cutoff that advances can then only make the live list miss trades (those that moved to
//! the historical side before it read them), never write one twice.
//!
//! A rerun reads the cutoff again; if it moved to `T'` past where an unfinished live list
//! starts, the trades of `[T, T')` the live list has not written yet are only historical
//! now: a catch-up list reads them from `/historical/trades`, leaving out what the live list
//! wrote (it comes newest first, so that is everything at or after its oldest trade: the
//! checkpoint keeps that instant and the ids written at it), and the live list continues
//! from `T'` ([`replan`]). A market that settled before the new `market_settled_ts` has its
//! unfinished candles read from the historical endpoint. Lists complete before the
//! interrupt are not touched. A cutoff that moves *during* a run is caught the same way: once
//! every list is complete the run reads the cutoff again and re-plans the complete live
//! lists too (each wrote every trade at or after its oldest, so its catch-up keeps exactly
//! the rest); one round is enough, since a live list finished before that read had every
//! trade made after that cutoff on its side when it read it.

use chrono::{DateTime, Utc};
use kalshi::rest::Trade;

use super::{
    checkpoint::{CatchUp, Checkpoint, List, MarketState, Oldest, Stream},
    plan::Source,
};

/// Which trades of a page a list keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Made at or after.
    pub from: Option<DateTime<Utc>>,
    /// Made before.
    pub below: Option<DateTime<Utc>>,
    /// Already written by the live list (catch-up lists).
    pub written: Option<Oldest>,
}

impl Filter {
    /// Whether a trade made at `at` with id `id` is kept.
    pub fn keeps(&self, at: DateTime<Utc>, id: &str) -> bool {
        self.from.is_none_or(|f| at >= f)
            && self.below.is_none_or(|b| at < b)
            && self
                .written
                .as_ref()
                .is_none_or(|w| at < w.at || (at == w.at && !w.ids.iter().any(|x| x == id)))
    }

    /// The trades of `page` kept.
    pub fn apply(&self, page: &[Trade]) -> Vec<Trade> {
        page.iter()
            .filter(|t| self.keeps(t.created_time, &t.trade_id))
            .cloned()
            .collect()
    }
}

/// The filter of a market's trade list, given the planned trades cutoff.
pub fn filter(planned: DateTime<Utc>, m: &MarketState, list: List) -> Filter {
    match list {
        // Cut only where a live list covers the rest: nothing else can overlap it.
        List::Trades(Source::Historical) => Filter {
            below: m.trades.contains_key(&Source::Live).then_some(planned),
            ..Filter::default()
        },
        List::Trades(Source::Live) => Filter {
            from: Some(m.live_from.unwrap_or(planned)),
            ..Filter::default()
        },
        List::CatchUp(n) => m.catch_up.get(n).map_or_else(Filter::default, |c| Filter {
            from: Some(c.from),
            below: Some(c.to),
            written: c.written.clone(),
        }),
        List::Candles => Filter::default(),
    }
}

/// The oldest trade written after a newest-first page `kept` was written.
pub fn oldest(prev: Option<Oldest>, kept: &[Trade]) -> Option<Oldest> {
    let Some(min) = kept.iter().map(|t| t.created_time).min() else {
        return prev;
    };
    let at_min = kept.iter().filter(|t| t.created_time == min);
    let ids = at_min.map(|t| t.trade_id.clone());
    match prev {
        Some(mut p) if p.at == min => {
            p.ids.extend(ids);
            Some(p)
        }
        Some(p) if p.at < min => Some(p),
        _ => Some(Oldest {
            at: min,
            ids: ids.collect(),
        }),
    }
}

/// Whether a live page keeps the order the catch-up bookkeeping assumes (undocumented by
/// Kalshi): its trades newest first, none newer than the oldest the list wrote before.
pub fn newest_first(written: Option<&Oldest>, page: &[Trade]) -> bool {
    let sorted = page
        .windows(2)
        .all(|w| w[0].created_time >= w[1].created_time);
    let newest = page.iter().map(|t| t.created_time).max();
    let after = matches!((written, newest), (Some(o), Some(n)) if n > o.at);
    sorted && !after
}

/// Re-plans one market for the cutoff `now` (trades, settled) read by a rerun; `planned` is
/// the trades cutoff the download planned by. With `finished_too` a complete live list is
/// re-planned as well (the cutoff read again once every list is complete: the live list
/// wrote every trade at or after its oldest, so a catch-up of the rest is exact). Answers
/// whether anything changed.
pub fn replan(
    m: &mut MarketState,
    planned: DateTime<Utc>,
    now: (DateTime<Utc>, DateTime<Utc>),
    finished_too: bool,
) -> bool {
    let (settled_now, trades_now) = now;
    let mut changed = false;
    let archived = m
        .job
        .settled_ts
        .is_some_and(|t| t < settled_now.timestamp());
    if !m.job.archived && archived && !m.candles.done {
        m.job.archived = true;
        changed = true;
    }
    let Some(live) = m.trades.get(&Source::Live) else {
        return changed;
    };
    let from = m.live_from.unwrap_or(planned);
    if (live.done && !finished_too) || trades_now <= from {
        return changed;
    }
    let spans = from.timestamp() <= m.job.end_ts && trades_now.timestamp() >= m.job.start_ts;
    if spans {
        m.catch_up.push(CatchUp {
            from,
            to: trades_now,
            written: live.oldest.clone(),
            stream: Stream::default(),
        });
    }
    m.live_from = Some(trades_now);
    true
}

/// Re-plans every market of `c` for the cutoff `now` (complete live lists too with
/// `finished_too`); answers whether anything changed.
pub fn replan_all(
    c: &mut Checkpoint,
    now: (DateTime<Utc>, DateTime<Utc>),
    finished_too: bool,
) -> bool {
    let Some((_, planned)) = c.cutoff else {
        return false;
    };
    let markets = c.series.values_mut().flat_map(|s| s.markets.values_mut());
    markets.fold(false, |changed, m| {
        replan(m, planned, now, finished_too) | changed
    })
}

#[cfg(test)]
#[path = "split_tests.rs"]
mod tests;
