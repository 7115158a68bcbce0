//! One market's lists, each downloaded page by page from where the checkpoint left it: a
//! page (or candle window) is written as its own part file, then counted in the checkpoint
//! with the next cursor. Trades come newest first, `limit` per page, within the window;
//! candles at the period the span allows ([`plan::candle_period`]), window by window.

use kalshi::{
    SeriesTicker, Ticker,
    rest::{GetMarketCandlesticksHistoricalParams, GetMarketCandlesticksParams, GetTradesParams},
};
use tradewind_actors::gateway::{
    GetHistoricalTrades, GetMarketCandlesticks, GetMarketCandlesticksHistorical, GetTrades,
};

use super::{
    checkpoint::Stream,
    parts,
    plan::{self, MarketJob, Source},
    session::{Halt, Session},
    tables::{self, Candle},
};

/// One list of one market.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// Its trades from one source.
    Trades(MarketJob, Source),
    /// Its candles.
    Candles(MarketJob),
}

fn bad(what: &str, e: impl std::fmt::Display) -> Halt {
    Halt::Failed(format!("{what}: {e}"))
}

fn stream(s: &Session, job: &MarketJob, trades: Option<Source>) -> Stream {
    let mut c = s.checkpoint.borrow_mut();
    c.stream_mut(job, trades)
        .map(|st| st.clone())
        .unwrap_or_default()
}

/// Counts a written part: the stream's new state, the tally, the checkpoint on disk.
fn record(
    s: &Session,
    job: &MarketJob,
    trades: Option<Source>,
    next: Stream,
    rows: u64,
) -> Result<(), Halt> {
    if let Some(st) = s.checkpoint.borrow_mut().stream_mut(job, trades) {
        *st = next;
    }
    let mut t = s.tally.borrow_mut();
    match trades {
        Some(_) => t.trades += rows,
        None => t.candles += rows,
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
        Unit::Trades(job, src) => trades(s, job, *src).await,
        Unit::Candles(job) => candles(s, job).await,
    }
}

async fn trades(s: &Session, job: &MarketJob, src: Source) -> Result<(), Halt> {
    let ticker = Ticker::new(job.ticker.as_str()).map_err(|e| bad(&job.ticker, e))?;
    let mut st = stream(s, job, Some(src));
    while !st.done {
        let params = GetTradesParams {
            limit: Some(s.page_size),
            cursor: st.cursor.clone(),
            ticker: Some(ticker.clone()),
            min_ts: Some(job.start_ts),
            max_ts: Some(job.end_ts),
            ..GetTradesParams::default()
        };
        let what = format!("trades of {} ({})", job.ticker, src.as_str());
        let page = match src {
            Source::Live => s.ask(&what, GetTrades { params }).await?,
            Source::Historical => s.ask(&what, GetHistoricalTrades { params }).await?,
        };
        let rows = page.trades.len() as u64;
        if rows > 0 {
            let batch = tables::trades(&page.trades, src).map_err(|e| bad(&what, e))?;
            let rel = parts::part_path("trades", &job.ticker, src, st.parts);
            parts::write_parquet(&s.out, &rel, &batch).map_err(Halt::Failed)?;
        }
        st.parts += u32::from(rows > 0);
        st.rows += rows;
        st.done = page.cursor.is_empty() || rows == 0;
        st.cursor = (!st.done).then_some(page.cursor);
        record(s, job, Some(src), st.clone(), rows)?;
    }
    Ok(())
}

async fn candle_page(
    s: &Session,
    job: &MarketJob,
    (start, end): (i64, i64),
    period: u32,
) -> Result<Vec<Candle>, Halt> {
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
        return Ok(page.candlesticks.iter().map(Candle::from).collect());
    }
    let series_ticker = SeriesTicker::new(job.series.as_str()).map_err(|e| bad(&what, e))?;
    let params = GetMarketCandlesticksParams {
        start_ts,
        end_ts,
        period_interval,
        include_latest_before_start: None,
    };
    let page = s
        .ask(
            &what,
            GetMarketCandlesticks {
                series_ticker,
                ticker,
                params,
            },
        )
        .await?;
    Ok(page.candlesticks.iter().map(Candle::from).collect())
}

async fn candles(s: &Session, job: &MarketJob) -> Result<(), Halt> {
    let period = plan::candle_period(job.start_ts, job.end_ts);
    let windows = plan::candle_windows(job.start_ts, job.end_ts, period);
    let src = job.candle_source();
    let mut st = stream(s, job, None);
    while !st.done {
        let Some(&window) = windows.get(st.cursor.as_deref().map_or(0, |c| c.parse().unwrap_or(0)))
        else {
            break;
        };
        let rows = candle_page(s, job, window, period).await?;
        let n = rows.len() as u64;
        if n > 0 {
            let what = format!("candlesticks of {}", job.ticker);
            let batch =
                tables::candles(&job.ticker, period, &rows, src).map_err(|e| bad(&what, e))?;
            let rel = parts::part_path("candlesticks", &job.ticker, src, st.parts);
            parts::write_parquet(&s.out, &rel, &batch).map_err(Halt::Failed)?;
        }
        let next_window = st.cursor.as_deref().map_or(0, |c| c.parse().unwrap_or(0)) + 1;
        st.parts += u32::from(n > 0);
        st.rows += n;
        st.done = next_window >= windows.len();
        st.cursor = (!st.done).then(|| next_window.to_string());
        record(s, job, None, st.clone(), n)?;
    }
    Ok(())
}
