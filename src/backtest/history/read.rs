//! The three tables of a `tradewind history fetch` download read back as rows: markets (from
//! their `market_json`), trades and candles (the close of each period's best bid and ask).
//! A part file that does not read is skipped and kept as [`Damage`], as a damaged recording
//! file is; a markets table with no readable market is an error (nothing to list).

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use kalshi::{Count, Price, rest::Market};

use super::parquet_rows::{Batch, batches, parquet_files};
use crate::record::Damage;

/// Decimal places of a price (`Price`'s micro-dollars).
const PRICE_SCALE: i8 = 6;
/// Decimal places of a contract count (`Count`'s centi-contracts).
const COUNT_SCALE: i8 = 2;

/// A trade as downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradeRow {
    /// The trade's id.
    pub trade_id: String,
    /// Market (shared by the rows of one part file).
    pub ticker: Arc<str>,
    /// When it happened, Unix µs.
    pub at_us: i64,
    /// YES price.
    pub yes_price: Price,
    /// Contracts.
    pub count: Count,
    /// The outcome the taker bought (`yes`/`no`), when known.
    pub taker_outcome_side: Option<String>,
    /// The taker's side of the YES book (`bid`/`ask`), when known.
    pub taker_book_side: Option<String>,
    /// A block trade (negotiated off the book).
    pub is_block_trade: bool,
}

/// A candle's closing quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandleRow {
    /// Market (shared by the rows of one part file).
    pub ticker: Arc<str>,
    /// End of the period, Unix µs.
    pub end_us: i64,
    /// Best YES bid at the period's end.
    pub bid: Price,
    /// Best YES ask at the period's end.
    pub ask: Price,
}

/// A download read back.
#[derive(Debug, Default)]
pub struct History {
    /// Markets, as the exchange answered them.
    pub markets: Vec<Market>,
    /// Trades, in file order.
    pub trades: Vec<TradeRow>,
    /// Candles, in file order.
    pub candles: Vec<CandleRow>,
    /// Part files read whole.
    pub files: usize,
    /// Market rows skipped (their `market_json` did not read).
    pub bad_markets: usize,
    /// Part files skipped (they did not read).
    pub damage: Vec<Damage>,
}

/// Reads the download in `dir`.
///
/// # Errors
/// A table's directory cannot be listed, or no market reads.
pub fn read(dir: &Path) -> Result<History, String> {
    let mut h = History::default();
    each_batch(&dir.join("markets"), &mut h, market_rows)?;
    if h.markets.is_empty() {
        let why = h
            .damage
            .first()
            .map_or_else(String::new, |d| format!(": {}", d.reason));
        return Err(format!("{}: no market in markets/{why}", dir.display()));
    }
    each_batch(&dir.join("trades"), &mut h, |b, h| {
        trade_rows(b, &mut h.trades)
    })?;
    each_batch(&dir.join("candlesticks"), &mut h, |b, h| {
        candle_rows(b, &mut h.candles)
    })?;
    Ok(h)
}

/// Calls `rows` with every batch of every part file under `table`; a file that does not read
/// (or whose rows do not) is kept as damage, the rows it gave dropped.
fn each_batch(
    table: &Path,
    h: &mut History,
    rows: impl Fn(Batch<'_>, &mut History) -> Result<(), String>,
) -> Result<(), String> {
    for file in parquet_files(table)? {
        let marks = (h.markets.len(), h.trades.len(), h.candles.len());
        let result = batches(&file).and_then(|bs| {
            bs.iter()
                .try_for_each(|batch| rows(Batch { file: &file, batch }, h))
        });
        if let Err(reason) = result {
            h.markets.truncate(marks.0);
            h.trades.truncate(marks.1);
            h.candles.truncate(marks.2);
            tracing::warn!(
                "damaged history file {}: {reason} (file skipped)",
                file.display()
            );
            h.damage.push(damage(file, reason));
        } else {
            h.files += 1;
        }
    }
    Ok(())
}

fn damage(file: PathBuf, reason: String) -> Damage {
    Damage {
        file,
        offset: 0,
        reason,
    }
}

/// The markets of a batch; a row whose `market_json` does not read is skipped with a
/// warning (the rest of its series is kept).
fn market_rows(b: Batch<'_>, h: &mut History) -> Result<(), String> {
    for (i, json) in b.text("market_json")?.into_iter().enumerate() {
        let read = json
            .ok_or("no market_json".to_owned())
            .and_then(|j| serde_json::from_str::<Market>(j).map_err(|e| e.to_string()));
        match read {
            Ok(m) => h.markets.push(m),
            Err(e) => {
                tracing::warn!("{}: market row {i} skipped: {e}", b.file.display());
                h.bad_markets += 1;
            }
        }
    }
    Ok(())
}

fn trade_rows(b: Batch<'_>, out: &mut Vec<TradeRow>) -> Result<(), String> {
    let ids = b.text("trade_id")?;
    let tickers = b.text("ticker")?;
    let mut shared = Shared::default();
    let times = b.micros("created_time")?;
    let prices = b.decimal("yes_price_dollars", PRICE_SCALE)?;
    let counts = b.decimal("count_fp", COUNT_SCALE)?;
    let outcome = b.text("taker_outcome_side")?;
    let book = b.text("taker_book_side")?;
    let block = b.flag("is_block_trade")?;
    for i in 0..b.rows() {
        let bad = |what: &str| format!("{}: trade row {i}: {what}", b.file.display());
        out.push(TradeRow {
            trade_id: ids[i].ok_or_else(|| bad("no trade_id"))?.to_owned(),
            ticker: shared.get(tickers[i].ok_or_else(|| bad("no ticker"))?),
            at_us: times[i].ok_or_else(|| bad("no created_time"))?,
            yes_price: price(prices[i]).ok_or_else(|| bad("bad yes_price_dollars"))?,
            count: count(counts[i]).ok_or_else(|| bad("bad count_fp"))?,
            taker_outcome_side: outcome[i].map(str::to_owned),
            taker_book_side: book[i].map(str::to_owned),
            is_block_trade: block[i].unwrap_or(false),
        });
    }
    Ok(())
}

fn candle_rows(b: Batch<'_>, out: &mut Vec<CandleRow>) -> Result<(), String> {
    let tickers = b.text("ticker")?;
    let mut shared = Shared::default();
    let ends = b.micros("end_period_ts")?;
    let bids = b.decimal("yes_bid_close_dollars", PRICE_SCALE)?;
    let asks = b.decimal("yes_ask_close_dollars", PRICE_SCALE)?;
    for i in 0..b.rows() {
        let bad = |what: &str| format!("{}: candle row {i}: {what}", b.file.display());
        out.push(CandleRow {
            ticker: shared.get(tickers[i].ok_or_else(|| bad("no ticker"))?),
            end_us: ends[i].ok_or_else(|| bad("no end_period_ts"))?,
            bid: price(bids[i]).ok_or_else(|| bad("bad yes_bid_close_dollars"))?,
            ask: price(asks[i]).ok_or_else(|| bad("bad yes_ask_close_dollars"))?,
        });
    }
    Ok(())
}

/// The ticker of the row before, shared when it repeats (a part file is one market's).
#[derive(Default)]
struct Shared(Option<Arc<str>>);

impl Shared {
    fn get(&mut self, t: &str) -> Arc<str> {
        match &self.0 {
            Some(last) if &**last == t => last.clone(),
            _ => self.0.insert(Arc::from(t)).clone(),
        }
    }
}

fn price(v: Option<i128>) -> Option<Price> {
    Price::from_micros(u32::try_from(v?).ok()?)
}

/// A trade's contracts: more than none.
fn count(v: Option<i128>) -> Option<Count> {
    Some(Count::from_centis(i64::try_from(v?).ok()?)).filter(|c| *c > Count::ZERO)
}
