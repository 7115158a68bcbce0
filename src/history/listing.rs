//! The plan of a download: `GET /historical/cutoff` (kept in the checkpoint, read again by a
//! rerun to see whether it moved), then per series its markets that closed in the window —
//! the live lists (`status=settled`, `status=closed`) and, when the window reaches before
//! the cutoff, `/historical/markets`, the three at once — written as
//! `markets/<SERIES>.parquet`, and each market's lists entered in the checkpoint (planned by
//! the download's cutoff, re-planned for the exchange's current one).

use std::{collections::BTreeMap, future::Future};

use chrono::{DateTime, Utc};
use kalshi::{
    SeriesTicker,
    rest::{GetHistoricalMarketsParams, GetMarketsParams, GetMarketsResponse, Market},
    types::MarketStatusFilter,
};
use tradewind_actors::gateway::{GetHistoricalCutoff, GetHistoricalMarkets, GetMarkets};

use super::{
    checkpoint::{MarketState, SeriesState},
    parts,
    plan::{MarketJob, Window},
    session::{Halt, Session},
    split,
    tables::{self, MarketRow},
};

/// Most pages of one market list.
const MAX_PAGES: usize = 10_000;

/// A cutoff: `market_settled_ts`, `trades_created_ts`.
pub type Cutoff = (DateTime<Utc>, DateTime<Utc>);

/// The cutoff planned by (the checkpoint's, or asked now and kept) and the exchange's now:
/// a rerun asks again, so that lists the cutoff moved past meanwhile are re-planned
/// ([`super::split`]).
///
/// # Errors
/// The request fails or is interrupted.
pub async fn cutoffs(s: &Session) -> Result<(Cutoff, Cutoff), Halt> {
    let planned = s.checkpoint.borrow().cutoff;
    let c = s
        .ask("GET /historical/cutoff", GetHistoricalCutoff {})
        .await?;
    let now = (c.market_settled_ts, c.trades_created_ts);
    let planned = *s
        .checkpoint
        .borrow_mut()
        .cutoff
        .get_or_insert(planned.unwrap_or(now));
    Ok((planned, now))
}

/// Every page of a market list: `page(cursor)` answers one page.
async fn all_pages<F, Fut>(what: String, mut page: F) -> Result<Vec<Market>, Halt>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<GetMarketsResponse, Halt>>,
{
    let mut out = Vec::new();
    let mut cursor = None;
    for _ in 0..MAX_PAGES {
        let p = page(cursor.take()).await?;
        out.extend(p.markets);
        if p.cursor.is_empty() {
            return Ok(out);
        }
        cursor = Some(p.cursor);
    }
    Err(Halt::Failed(format!("{what}: more than {MAX_PAGES} pages")))
}

async fn live(
    s: &Session,
    series: &SeriesTicker,
    status: MarketStatusFilter,
) -> Result<Vec<Market>, Halt> {
    all_pages(format!("GET /markets of {series}"), |cursor| {
        let params = GetMarketsParams {
            series_ticker: Some(series.clone()),
            status: Some(status),
            limit: Some(s.page_size),
            cursor,
            ..GetMarketsParams::default()
        };
        s.ask("GET /markets", GetMarkets { params })
    })
    .await
}

async fn archived(s: &Session, series: &SeriesTicker) -> Result<Vec<Market>, Halt> {
    all_pages(format!("GET /historical/markets of {series}"), |cursor| {
        let params = GetHistoricalMarketsParams {
            series_ticker: Some(series.clone()),
            limit: Some(s.page_size),
            cursor,
            ..GetHistoricalMarketsParams::default()
        };
        s.ask("GET /historical/markets", GetHistoricalMarkets { params })
    })
    .await
}

/// The markets of `series` in the window, by ticker (archived ones flagged).
async fn markets_of(
    s: &Session,
    series: &SeriesTicker,
    w: &Window,
    settled_cut: DateTime<Utc>,
) -> Result<BTreeMap<String, MarketRow>, Halt> {
    let mut rows = BTreeMap::new();
    let mut add = |list: Vec<Market>, archived: bool| {
        for m in list.into_iter().filter(|m| w.holds(m)) {
            let row = MarketRow {
                market: m,
                series: series.to_string(),
                archived,
            };
            rows.entry(row.market.ticker.to_string()).or_insert(row);
        }
    };
    let old = async {
        if w.from < settled_cut {
            archived(s, series).await
        } else {
            Ok(Vec::new())
        }
    };
    let (old, settled, closed) = futures_util::try_join!(
        old,
        live(s, series, MarketStatusFilter::Settled),
        live(s, series, MarketStatusFilter::Closed)
    )?;
    add(old, true);
    add(settled, false);
    add(closed, false);
    Ok(rows)
}

/// Lists `series` unless the checkpoint has it: writes its markets table and enters its
/// markets' lists, planned by the download's cutoff `planned` and re-planned for the
/// exchange's `now` ([`split::replan`]: a series first listed by a rerun after the cutoff
/// moved reads the trades it moved past from `/historical/trades`). `/historical/markets`
/// is asked when the window reaches before `now`'s `market_settled_ts`.
///
/// # Errors
/// A request or the write fails, or the download is interrupted.
pub async fn list_series(
    s: &Session,
    series: &str,
    (planned, now): (Cutoff, Cutoff),
) -> Result<(), Halt> {
    if s.checkpoint
        .borrow()
        .series
        .get(series)
        .is_some_and(|st| st.listed)
    {
        return Ok(());
    }
    let ticker =
        SeriesTicker::new(series).map_err(|e| Halt::Failed(format!("--series {series:?}: {e}")))?;
    let w = s.checkpoint.borrow().request.window;
    let rows = markets_of(s, &ticker, &w, now.0.max(planned.0)).await?;
    let rows: Vec<MarketRow> = rows.into_values().collect();
    let batch =
        tables::markets(&rows).map_err(|e| Halt::Failed(format!("markets of {series}: {e}")))?;
    let rel = std::path::Path::new("markets").join(format!("{series}.parquet"));
    parts::write_parquet(&s.out, &rel, &batch).map_err(Halt::Failed)?;
    let mut state = SeriesState {
        listed: true,
        markets: BTreeMap::new(),
    };
    for r in &rows {
        let job = MarketJob::new(&r.market, series, r.archived, &w);
        let sources = job.trade_sources(planned.1);
        let mut market = MarketState::new(job, sources);
        split::replan(&mut market, planned.1, now, false);
        state.markets.insert(market.job.ticker.clone(), market);
    }
    s.tally.borrow_mut().markets += rows.len() as u64;
    s.checkpoint
        .borrow_mut()
        .series
        .insert(series.to_owned(), state);
    s.save()
}
