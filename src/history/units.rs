//! One market's lists, each downloaded page by page from where the checkpoint left it: a
//! page (or candle window) is written as its own part file, then counted in the checkpoint
//! with the next cursor. Trades come newest first, `limit` per page, within the window, each
//! list keeping its side of the planned cutoff ([`split::filter`]); candles at the period
//! the span allows ([`plan::candle_period`]), window by window, from the historical endpoint
//! once the live one answers 404. A list resumed first removes its part files the
//! checkpoint does not count.

use kalshi::{
    SeriesTicker, Ticker,
    rest::{GetMarketCandlesticksHistoricalParams, GetMarketCandlesticksParams, GetTradesParams},
};
use tradewind_actors::gateway::{
    GetHistoricalTrades, GetMarketCandlesticks, GetMarketCandlesticksHistorical, GetTrades,
};

use super::{
    checkpoint::{List, Stream},
    parts,
    plan::{self, MarketJob, Source},
    session::{Halt, Session},
    split::{self, Filter},
    tables::{self, Candle},
};

/// One list of one market.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// Its trades from one source.
    Trades(MarketJob, Source),
    /// Its `n`th catch-up list of trades (`/historical/trades`).
    CatchUp(MarketJob, usize),
    /// Its candles.
    Candles(MarketJob),
}

fn bad(what: &str, e: impl std::fmt::Display) -> Halt {
    Halt::Failed(format!("{what}: {e}"))
}

fn stream(s: &Session, job: &MarketJob, list: List) -> Stream {
    let mut c = s.checkpoint.borrow_mut();
    c.stream_mut(job, list)
        .map(|st| st.clone())
        .unwrap_or_default()
}

/// The filter of a trade list, from the checkpoint (its planned cutoff and the market).
fn trade_filter(s: &Session, job: &MarketJob, list: List) -> Filter {
    let c = s.checkpoint.borrow();
    match (c.cutoff, c.market(job)) {
        (Some((_, planned)), Some(m)) => split::filter(planned, m, list),
        _ => Filter::default(),
    }
}

/// Counts a written part: the stream's new state, the tally, the checkpoint on disk.
fn record(s: &Session, job: &MarketJob, list: List, next: Stream, rows: u64) -> Result<(), Halt> {
    if let Some(st) = s.checkpoint.borrow_mut().stream_mut(job, list) {
        *st = next;
    }
    let mut t = s.tally.borrow_mut();
    match list {
        List::Candles => t.candles += rows,
        _ => t.trades += rows,
    }
    t.parts += u64::from(rows > 0);
    drop(t);
    s.save()
}

/// Downloads one unit to its end.
///
/// # Errors
/// A request or a write fails, or the download is interrupted.
pub async fn run(s: &Session, unit: &Unit) -> Result<(), Halt> {
    match unit {
        Unit::Trades(job, src) => trades(s, job, List::Trades(*src)).await,
        Unit::CatchUp(job, n) => trades(s, job, List::CatchUp(*n)).await,
        Unit::Candles(job) => candles(s, job).await,
    }
}

/// The request span of a trade list (Unix s): the market's, narrowed to a catch-up list's
/// range padded by a second on each side (whether Kalshi's `min_ts`/`max_ts` include their
/// second, or cut within it, is not documented), the exact cut left to the list's
/// [`Filter`].
fn trade_span(job: &MarketJob, f: &Filter, list: List) -> (i64, i64) {
    match (list, f.from, f.below) {
        (List::CatchUp(_), Some(from), Some(below)) => (
            job.start_ts.max(from.timestamp() - 1),
            job.end_ts.min(below.timestamp() + 1),
        ),
        _ => (job.start_ts, job.end_ts),
    }
}

/// What a trade list asks and keeps.
struct TradeList {
    ticker: Ticker,
    filter: Filter,
    span: (i64, i64),
    src: Source,
    /// Its part files' name (`live`, `historical`, `historical-catchup<k>`).
    part: String,
}

impl TradeList {
    fn new(s: &Session, job: &MarketJob, list: List) -> Result<TradeList, Halt> {
        let ticker = Ticker::new(job.ticker.as_str()).map_err(|e| bad(&job.ticker, e))?;
        let filter = trade_filter(s, job, list);
        let span = trade_span(job, &filter, list);
        let (src, part) = match list {
            List::Trades(Source::Live) => (Source::Live, "live".to_owned()),
            List::CatchUp(n) => (Source::Historical, format!("historical-catchup{n}")),
            _ => (Source::Historical, "historical".to_owned()),
        };
        Ok(TradeList {
            ticker,
            filter,
            span,
            src,
            part,
        })
    }
}

async fn trades(s: &Session, job: &MarketJob, list: List) -> Result<(), Halt> {
    let tl = TradeList::new(s, job, list)?;
    let mut st = stream(s, job, list);
    if !st.done {
        parts::remove_uncounted(&s.out, "trades", &job.ticker, &tl.part, st.parts)
            .map_err(Halt::Failed)?;
    }
    while !st.done {
        let rows = trade_page(s, job, &tl, &mut st).await?;
        record(s, job, list, st.clone(), rows)?;
    }
    Ok(())
}

/// Reads the list's next page, writes what it keeps as its part file (removing any file at
/// that name when it keeps nothing) and moves `st` past it; answers the rows written.
async fn trade_page(
    s: &Session,
    job: &MarketJob,
    tl: &TradeList,
    st: &mut Stream,
) -> Result<u64, Halt> {
    let params = GetTradesParams {
        limit: Some(s.page_size),
        cursor: st.cursor.clone(),
        ticker: Some(tl.ticker.clone()),
        min_ts: Some(tl.span.0),
        max_ts: Some(tl.span.1),
        ..GetTradesParams::default()
    };
    let what = format!("trades of {} ({})", job.ticker, tl.part);
    let page = match tl.src {
        Source::Live => s.ask(&what, GetTrades { params }).await?,
        Source::Historical => s.ask(&what, GetHistoricalTrades { params }).await?,
    };
    if tl.src == Source::Live && !split::newest_first(st.oldest.as_ref(), &page.trades) {
        out_of_order(s, &job.ticker, st.parts);
    }
    let kept = tl.filter.apply(&page.trades);
    let rows = kept.len() as u64;
    let rel = parts::trade_part(&job.ticker, &tl.part, st.parts);
    if rows > 0 {
        let batch = tables::trades(&kept, tl.src).map_err(|e| bad(&what, e))?;
        parts::write_parquet(&s.out, &rel, &batch).map_err(Halt::Failed)?;
    } else {
        parts::remove_part(&s.out, &rel).map_err(Halt::Failed)?;
    }
    if tl.src == Source::Live {
        st.oldest = split::oldest(st.oldest.take(), &kept);
    }
    st.parts += u32::from(rows > 0);
    st.rows += rows;
    st.done = page.cursor.is_empty() || page.trades.is_empty();
    st.cursor = (!st.done).then_some(page.cursor);
    Ok(rows)
}

/// Warns of a live page not newest first, and counts it.
fn out_of_order(s: &Session, ticker: &str, part: u32) {
    s.tally.borrow_mut().out_of_order += 1;
    eprintln!(
        "\nwarning: the live trades of {ticker}, page {part}, are not listed newest first; \
         if the cutoff moves before this list ends, a catch-up may leave out some of its \
         trades"
    );
}

/// One window of candles; `None` when the live endpoint answers 404 (Kalshi's answer for
/// a market archived since it was listed).
async fn candle_page(
    s: &Session,
    job: &MarketJob,
    (start, end): (i64, i64),
    period: u32,
) -> Result<Option<Vec<Candle>>, Halt> {
    let what = format!("candlesticks of {}", job.ticker);
    let ticker = Ticker::new(job.ticker.as_str()).map_err(|e| bad(&what, e))?;
    let (start_ts, end_ts, period_interval) = (Some(start), Some(end), Some(period));
    if job.archived {
        let params = GetMarketCandlesticksHistoricalParams {
            start_ts,
            end_ts,
            period_interval,
        };
        let page = s
            .ask(&what, GetMarketCandlesticksHistorical { ticker, params })
            .await?;
        return Ok(Some(page.candlesticks.iter().map(Candle::from).collect()));
    }
    let series_ticker = SeriesTicker::new(job.series.as_str()).map_err(|e| bad(&what, e))?;
    let params = GetMarketCandlesticksParams {
        start_ts,
        end_ts,
        period_interval,
        include_latest_before_start: None,
    };
    let req = GetMarketCandlesticks {
        series_ticker,
        ticker,
        params,
    };
    let page = s.ask_found(&what, req).await?;
    Ok(page.map(|p| p.candlesticks.iter().map(Candle::from).collect()))
}

/// Reads a market's candles from the historical endpoint from now on (in the checkpoint
/// too): the live one no longer has it.
fn archive(s: &Session, job: &mut MarketJob) {
    job.archived = true;
    let mut c = s.checkpoint.borrow_mut();
    let market = c
        .series
        .get_mut(&job.series)
        .and_then(|st| st.markets.get_mut(&job.ticker));
    if let Some(m) = market {
        m.job.archived = true;
    }
}

async fn candles(s: &Session, job: &MarketJob) -> Result<(), Halt> {
    let mut job = job.clone();
    let period = plan::candle_period(job.start_ts, job.end_ts);
    let windows = plan::candle_windows(job.start_ts, job.end_ts, period);
    let mut st = stream(s, &job, List::Candles);
    if !st.done {
        for src in [Source::Live, Source::Historical] {
            parts::remove_uncounted(&s.out, "candlesticks", &job.ticker, src.as_str(), st.parts)
                .map_err(Halt::Failed)?;
        }
    }
    while !st.done {
        let at = st.cursor.as_deref().map_or(0, |c| c.parse().unwrap_or(0));
        let Some(&window) = windows.get(at) else {
            break;
        };
        let Some(rows) = candle_page(s, &job, window, period).await? else {
            archive(s, &mut job);
            continue;
        };
        let (n, src) = (rows.len() as u64, job.candle_source());
        let rel = parts::part_path("candlesticks", &job.ticker, src, st.parts);
        if n > 0 {
            let what = format!("candlesticks of {}", job.ticker);
            let batch =
                tables::candles(&job.ticker, period, &rows, src).map_err(|e| bad(&what, e))?;
            parts::write_parquet(&s.out, &rel, &batch).map_err(Halt::Failed)?;
        } else {
            parts::remove_part(&s.out, &rel).map_err(Halt::Failed)?;
        }
        st.parts += u32::from(n > 0);
        st.rows += n;
        st.done = at + 1 >= windows.len();
        st.cursor = (!st.done).then(|| (at + 1).to_string());
        record(s, &job, List::Candles, st.clone(), n)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;

    #[test]
    fn a_catch_up_asks_a_second_more_on_each_side_within_the_market_s_span() {
        let job = MarketJob {
            ticker: "KXHIGHNY-26DEC02-B46.5".into(),
            series: "KXHIGHNY".into(),
            archived: false,
            start_ts: 100,
            end_ts: 200,
            settled_ts: None,
        };
        let f = |from: i64, below: i64| Filter {
            from: DateTime::from_timestamp(from, 0),
            below: DateTime::from_timestamp(below, 500_000_000),
            written: None,
        };
        let catch_up = List::CatchUp(0);
        assert_eq!(trade_span(&job, &f(120, 150), catch_up), (119, 151));
        assert_eq!(trade_span(&job, &f(100, 200), catch_up), (100, 200));
        let live = List::Trades(Source::Live);
        assert_eq!(trade_span(&job, &f(120, 150), live), (100, 200));
    }
}
