//! The download `bench backtest` replays as history, generated and written by `history
//! fetch`'s own table and file code: the simulator's catalogue of markets (settled YES at the
//! end), one-minute candles whose best bid moves by a cent every minute, and a trade at the
//! ask every other minute.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use kalshi::{
    Count, Price,
    rest::{Market, Trade},
    types::{BookSide, MarketResult, MarketStatus, OutcomeSide},
};
use kalshi_sim::{
    catalogue::{self, CatalogueConfig},
    engine::SimMarket,
    server::convert,
};

use crate::history::{
    parts::{part_path, write_parquet},
    plan::Source,
    tables::{self, Candle, MarketRow},
};

/// Writes the download into `dir`: about `target` rows, as candles (one a minute per market)
/// and trades (one every other minute). Answers the markets' tickers and the rows written.
pub fn write(dir: &Path, target: u64, start: DateTime<Utc>) -> Result<(Vec<String>, u64), String> {
    let (_, infos) = catalogue::build(&CatalogueConfig::default(), start)?;
    let per_market = target / infos.len().max(1) as u64;
    let minutes = u32::try_from(per_market * 2 / 3).map_err(|e| e.to_string())?;
    let end = start + Duration::minutes(i64::from(minutes) + 1);
    let mut rows = Vec::new();
    for info in infos {
        let mut m = convert::market(&SimMarket::new(info));
        (m.status, m.result) = (MarketStatus::Finalized, MarketResult::Yes);
        (m.open_time, m.close_time, m.settlement_ts) = (start, end, Some(end));
        rows.push(MarketRow {
            market: m,
            series: "BENCH".into(),
            archived: false,
        });
    }
    let batch = tables::markets(&rows).map_err(|e| e.to_string())?;
    write_parquet(dir, Path::new("markets/BENCH.parquet"), &batch)?;
    let mut written = 0;
    for r in &rows {
        written += market_rows(dir, &r.market, minutes, start)?;
    }
    Ok((
        rows.iter().map(|r| r.market.ticker.to_string()).collect(),
        written,
    ))
}

fn market_rows(dir: &Path, m: &Market, minutes: u32, start: DateTime<Utc>) -> Result<u64, String> {
    let cents = |c: u32| Price::from_cents(c).unwrap_or(Price::ONE);
    let t0 = start.timestamp();
    let candles: Vec<Candle> = (1..=minutes)
        .map(|i| {
            let bid = cents(40 + i % 2);
            Candle {
                end_period_ts: t0 + 60 * i64::from(i),
                yes_bid: [bid; 4],
                yes_ask: [cents(45); 4],
                price: [None; 6],
                volume: Count::ZERO,
                open_interest: Count::ZERO,
            }
        })
        .collect();
    let trades: Vec<Trade> = (1..=minutes)
        .step_by(2)
        .map(|i| Trade {
            trade_id: format!("{}-{i}", m.ticker),
            ticker: m.ticker.clone(),
            count_fp: Count::from_whole(2),
            yes_price_dollars: cents(45),
            no_price_dollars: cents(55),
            taker_outcome_side: Some(OutcomeSide::Yes),
            taker_book_side: Some(BookSide::Bid),
            taker_side: None,
            created_time: start + Duration::seconds(60 * i64::from(i) + 30),
            is_block_trade: false,
        })
        .collect();
    let t = m.ticker.as_str();
    let batch = tables::candles(t, 1, &candles, Source::Live).map_err(|e| e.to_string())?;
    write_parquet(dir, &part_path("candlesticks", t, Source::Live, 0), &batch)?;
    let batch = tables::trades(&trades, Source::Live).map_err(|e| e.to_string())?;
    write_parquet(dir, &part_path("trades", t, Source::Live, 0), &batch)?;
    Ok((candles.len() + trades.len()) as u64)
}
