//! A history download made into records and replayed: what the records are and in what
//! order ([`timeline`]), how the replay takes them ([`replay`]), and the Parquet tables read
//! back ([`read`]).

mod read;
mod replay;
mod timeline;

use std::{path::Path, sync::Arc};

use arrow_array::{
    Array, BooleanArray, Decimal128Array, RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{Field, Schema};
use chrono::{DateTime, Duration, Utc};
use kalshi::{
    Count, Price, Ticker,
    rest::Market,
    types::{MarketResult, MarketStatus},
};

use super::read::{CandleRow, History, TradeRow};
use crate::backtest::test_support::{T0, market};

fn cents(c: u32) -> Price {
    Price::from_cents(c).unwrap()
}

/// A second, µs.
const S: i64 = 1_000_000;

fn us(ns: u64) -> i64 {
    (ns / 1_000) as i64
}

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(T0 as i64)
}

/// The catalogue's first market, ended: open at T0, closed at T0 + 8 min, settled YES at
/// T0 + 10 min (its settlement timer 60 s), with volume.
fn ended() -> Market {
    let mut m = market();
    m.status = MarketStatus::Finalized;
    m.result = MarketResult::Yes;
    m.volume_fp = Count::from_whole(50);
    m.last_price_dollars = cents(97);
    m.open_time = t0();
    m.close_time = t0() + Duration::minutes(8);
    m.settlement_timer_seconds = 60;
    m.settlement_ts = Some(t0() + Duration::minutes(10));
    m
}

/// [`ended`] under another ticker.
fn other(ticker: &str) -> Market {
    let mut m = ended();
    m.ticker = Ticker::new(ticker).unwrap();
    m
}

fn candle(ticker: &str, minute: i64, bid: u32, ask: u32) -> CandleRow {
    CandleRow {
        ticker: ticker.into(),
        end_us: us(T0) + minute * 60 * S,
        bid: cents(bid),
        ask: cents(ask),
    }
}

/// A trade of 3 whose taker took the `side` of the YES book (`bid`: bought YES).
fn trade(ticker: &str, id: &str, second: i64, price: u32, side: Option<&str>) -> TradeRow {
    TradeRow {
        trade_id: id.into(),
        ticker: ticker.into(),
        at_us: us(T0) + second * S,
        yes_price: cents(price),
        count: Count::from_whole(3),
        taker_outcome_side: None,
        taker_book_side: side.map(Into::into),
        is_block_trade: false,
    }
}

fn write(path: &Path, batch: &RecordBatch) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    w.write(batch).unwrap();
    w.close().unwrap();
}

fn batch(columns: Vec<(&str, Arc<dyn Array>)>) -> RecordBatch {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    let arrays = columns.into_iter().map(|(_, a)| a).collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap()
}

/// A decimal column at `scale`.
fn decimals(v: Vec<i128>, precision: u8, scale: i8) -> Arc<dyn Array> {
    Arc::new(
        Decimal128Array::from(v)
            .with_precision_and_scale(precision, scale)
            .unwrap(),
    )
}

fn times(v: Vec<i64>) -> Arc<dyn Array> {
    Arc::new(TimestampMicrosecondArray::from(v).with_timezone("UTC"))
}

fn texts(v: Vec<Option<&str>>) -> Arc<dyn Array> {
    Arc::new(StringArray::from(v))
}

/// Writes `h` as a `history fetch` download would hold it (prices at scale 6, counts at 2).
fn write_download(dir: &Path, h: &History) {
    let json: Vec<String> = h
        .markets
        .iter()
        .map(|m| serde_json::to_string(m).unwrap())
        .collect();
    let json = json.iter().map(|j| Some(j.as_str())).collect();
    write(
        &dir.join("markets/S.parquet"),
        &batch(vec![("market_json", texts(json))]),
    );
    let c = &h.candles;
    write(
        &dir.join("candlesticks/all/live-00000.parquet"),
        &batch(vec![
            (
                "ticker",
                texts(c.iter().map(|r| Some(&*r.ticker)).collect()),
            ),
            ("end_period_ts", times(c.iter().map(|r| r.end_us).collect())),
            (
                "yes_bid_close_dollars",
                decimals(c.iter().map(|r| r.bid.micros().into()).collect(), 10, 6),
            ),
            (
                "yes_ask_close_dollars",
                decimals(c.iter().map(|r| r.ask.micros().into()).collect(), 10, 6),
            ),
        ]),
    );
    let t = &h.trades;
    let side =
        |f: fn(&TradeRow) -> &Option<String>| texts(t.iter().map(|r| f(r).as_deref()).collect());
    write(
        &dir.join("trades/all/live-00000.parquet"),
        &batch(vec![
            (
                "trade_id",
                texts(t.iter().map(|r| Some(r.trade_id.as_str())).collect()),
            ),
            (
                "ticker",
                texts(t.iter().map(|r| Some(&*r.ticker)).collect()),
            ),
            ("created_time", times(t.iter().map(|r| r.at_us).collect())),
            (
                "yes_price_dollars",
                decimals(
                    t.iter().map(|r| r.yes_price.micros().into()).collect(),
                    10,
                    6,
                ),
            ),
            (
                "count_fp",
                decimals(t.iter().map(|r| r.count.centis().into()).collect(), 18, 2),
            ),
            ("taker_outcome_side", side(|r| &r.taker_outcome_side)),
            ("taker_book_side", side(|r| &r.taker_book_side)),
            (
                "is_block_trade",
                Arc::new(BooleanArray::from(
                    t.iter().map(|r| r.is_block_trade).collect::<Vec<_>>(),
                )),
            ),
        ]),
    );
}

/// A scratch directory, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let p = std::env::temp_dir().join(format!("tw-bt-history-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Scratch(p)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
