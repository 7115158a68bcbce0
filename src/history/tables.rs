//! The three tables as Arrow record batches: `markets` (one row per market with its result),
//! `trades` (one row per trade) and `candlesticks` (one row per market and period, live and
//! archived candles in one shape). Pure: rows in, a batch out.

use arrow_array::RecordBatch;
use arrow_schema::ArrowError;
use chrono::DateTime;
use kalshi::{
    Count, Price,
    rest::{Market, MarketCandlestick, MarketCandlestickHistorical, Trade},
};

use super::{columns::Columns, plan::Source};

/// A market as listed, with where it was listed.
#[derive(Debug, Clone)]
pub struct MarketRow {
    /// The market.
    pub market: Market,
    /// Its series.
    pub series: String,
    /// Listed by `/historical/markets`.
    pub archived: bool,
}

/// `markets`: identity, lifecycle times, result and settlement, last prices and volume, and
/// the market whole as tradewind read it from the exchange's answer (`market_json`: strike,
/// price grid, rules — what a backtest of this history lists its markets from).
///
/// # Errors
/// Arrow's error (a number beyond its decimal's precision).
pub fn markets(rows: &[MarketRow]) -> Result<RecordBatch, ArrowError> {
    let m = || rows.iter().map(|r| &r.market);
    let mut c = Columns::default();
    c.text("ticker", m().map(|m| Some(m.ticker.to_string())));
    c.text(
        "event_ticker",
        m().map(|m| Some(m.event_ticker.to_string())),
    );
    c.text("series_ticker", rows.iter().map(|r| Some(&r.series)));
    c.text("source", rows.iter().map(|r| Some(source(r.archived))));
    c.text("yes_sub_title", m().map(|m| Some(&m.yes_sub_title)));
    c.text("status", m().map(|m| Some(m.status.as_str())));
    c.text("result", m().map(|m| Some(m.result.as_str())));
    c.time("open_time", m().map(|m| Some(m.open_time)));
    c.time("close_time", m().map(|m| Some(m.close_time)));
    c.time("settlement_ts", m().map(|m| m.settlement_ts));
    c.price(
        "settlement_value_dollars",
        m().map(|m| m.settlement_value_dollars),
    )?;
    c.price(
        "last_price_dollars",
        m().map(|m| Some(m.last_price_dollars)),
    )?;
    c.count("volume_fp", m().map(|m| Some(m.volume_fp)))?;
    c.count("open_interest_fp", m().map(|m| Some(m.open_interest_fp)))?;
    c.money(
        "notional_value_dollars",
        m().map(|m| Some(m.notional_value_dollars)),
    )?;
    let json: Result<Vec<String>, _> = m().map(serde_json::to_string).collect();
    let json = json.map_err(|e| ArrowError::InvalidArgumentError(format!("market_json: {e}")))?;
    c.text("market_json", json.into_iter().map(Some));
    c.finish()
}

fn source(archived: bool) -> &'static str {
    if archived { "historical" } else { "live" }
}

/// `trades`: one row per trade, with where it was read.
///
/// # Errors
/// Arrow's error (a number beyond its decimal's precision).
pub fn trades(rows: &[Trade], from: Source) -> Result<RecordBatch, ArrowError> {
    let mut c = Columns::default();
    c.text("trade_id", rows.iter().map(|t| Some(&t.trade_id)));
    c.text("ticker", rows.iter().map(|t| Some(t.ticker.to_string())));
    c.time("created_time", rows.iter().map(|t| Some(t.created_time)));
    c.price(
        "yes_price_dollars",
        rows.iter().map(|t| Some(t.yes_price_dollars)),
    )?;
    c.price(
        "no_price_dollars",
        rows.iter().map(|t| Some(t.no_price_dollars)),
    )?;
    c.count("count_fp", rows.iter().map(|t| Some(t.count_fp)))?;
    c.text(
        "taker_outcome_side",
        rows.iter()
            .map(|t| t.taker_outcome_side.map(|s| s.as_str())),
    );
    c.text(
        "taker_book_side",
        rows.iter().map(|t| t.taker_book_side.map(|s| s.as_str())),
    );
    c.flag("is_block_trade", rows.iter().map(|t| t.is_block_trade));
    c.text("source", rows.iter().map(|_| Some(from.as_str())));
    c.finish()
}

/// One candle in the shape shared by the live and the archived endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candle {
    /// End of the period, Unix s.
    pub end_period_ts: i64,
    /// YES bid open, high, low, close.
    pub yes_bid: [Price; 4],
    /// YES ask open, high, low, close.
    pub yes_ask: [Price; 4],
    /// Traded price open, high, low, close, mean, previous (none when nothing traded).
    pub price: [Option<Price>; 6],
    /// Contracts traded.
    pub volume: Count,
    /// Open interest at the end.
    pub open_interest: Count,
}

impl From<&MarketCandlestick> for Candle {
    fn from(c: &MarketCandlestick) -> Candle {
        let (b, a, p) = (&c.yes_bid, &c.yes_ask, &c.price);
        Candle {
            end_period_ts: c.end_period_ts,
            yes_bid: [
                b.open_dollars,
                b.high_dollars,
                b.low_dollars,
                b.close_dollars,
            ],
            yes_ask: [
                a.open_dollars,
                a.high_dollars,
                a.low_dollars,
                a.close_dollars,
            ],
            price: [
                p.open_dollars,
                p.high_dollars,
                p.low_dollars,
                p.close_dollars,
                p.mean_dollars,
                p.previous_dollars,
            ],
            volume: c.volume_fp,
            open_interest: c.open_interest_fp,
        }
    }
}

impl From<&MarketCandlestickHistorical> for Candle {
    fn from(c: &MarketCandlestickHistorical) -> Candle {
        let (b, a, p) = (&c.yes_bid, &c.yes_ask, &c.price);
        Candle {
            end_period_ts: c.end_period_ts,
            yes_bid: [b.open, b.high, b.low, b.close],
            yes_ask: [a.open, a.high, a.low, a.close],
            price: [p.open, p.high, p.low, p.close, p.mean, p.previous],
            volume: c.volume,
            open_interest: c.open_interest,
        }
    }
}

const OHLC: [&str; 4] = ["open", "high", "low", "close"];
const PRICE: [&str; 6] = ["open", "high", "low", "close", "mean", "previous"];

/// `candlesticks`: one row per market and period.
///
/// # Errors
/// Arrow's error (a number beyond its decimal's precision).
pub fn candles(
    ticker: &str,
    period_min: u32,
    rows: &[Candle],
    from: Source,
) -> Result<RecordBatch, ArrowError> {
    let mut c = Columns::default();
    c.text("ticker", rows.iter().map(|_| Some(ticker)));
    c.int("period_minutes", rows.iter().map(|_| period_min as i32));
    let end = |r: &Candle| DateTime::from_timestamp(r.end_period_ts, 0);
    c.time("end_period_ts", rows.iter().map(end));
    for (i, part) in OHLC.iter().enumerate() {
        c.price(
            &format!("yes_bid_{part}_dollars"),
            rows.iter().map(|r| Some(r.yes_bid[i])),
        )?;
    }
    for (i, part) in OHLC.iter().enumerate() {
        c.price(
            &format!("yes_ask_{part}_dollars"),
            rows.iter().map(|r| Some(r.yes_ask[i])),
        )?;
    }
    for (i, part) in PRICE.iter().enumerate() {
        c.price(
            &format!("price_{part}_dollars"),
            rows.iter().map(|r| r.price[i]),
        )?;
    }
    c.count("volume_fp", rows.iter().map(|r| Some(r.volume)))?;
    c.count(
        "open_interest_fp",
        rows.iter().map(|r| Some(r.open_interest)),
    )?;
    c.text("source", rows.iter().map(|_| Some(from.as_str())));
    c.finish()
}
