//! A history download made into records and replayed: candles as books, trades, results,
//! what is left out; Parquet files read back at another scale, and a damaged one skipped.

use std::{
    path::Path,
    sync::{Arc, Mutex},
};

use arrow_array::{Decimal128Array, RecordBatch, StringArray, TimestampMicrosecondArray};
use arrow_schema::{Field, Schema};
use chrono::{DateTime, Utc};
use kalshi::{
    Count, Price,
    rest::Market,
    types::{MarketResult, MarketStatus},
    ws::Incoming,
};

use super::{
    frames::{as_listed, quotes},
    read::{CandleRow, History, TradeRow},
    timeline::{Record, timeline},
};
use crate::{
    backtest::{
        replay::Replay,
        report::LedgerEvent,
        test_support::{Buyer, T0, config, market},
    },
    record::EventRef,
};

fn cents(c: u32) -> Price {
    Price::from_cents(c).unwrap()
}

const S: i64 = 1_000_000;

fn us(ns: u64) -> i64 {
    (ns / 1_000) as i64
}

/// The catalogue's first market, ended: settled YES with volume.
fn ended() -> Market {
    let mut m = market();
    m.status = MarketStatus::Finalized;
    m.result = MarketResult::Yes;
    m.volume_fp = Count::from_whole(50);
    m.last_price_dollars = cents(97);
    m.open_time = DateTime::<Utc>::from_timestamp_nanos(T0 as i64);
    m.settlement_ts = Some(m.open_time + chrono::Duration::minutes(10));
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

fn trade(ticker: &str, id: &str, second: i64, price: u32) -> TradeRow {
    TradeRow {
        trade_id: id.into(),
        ticker: ticker.into(),
        at_us: us(T0) + second * S,
        yes_price: cents(price),
        count: Count::from_whole(3),
        taker_outcome_side: Some("yes".into()),
        taker_book_side: Some("bid".into()),
    }
}

fn history() -> History {
    let m = ended();
    let t = m.ticker.to_string();
    History {
        candles: vec![
            candle(&t, 2, 40, 45),
            candle(&t, 1, 40, 45),
            candle(&t, 3, 50, 50),
            candle(&t, 4, 0, 100),
            candle("KXOTHER-26DEC02-B1", 1, 40, 45),
        ],
        trades: vec![
            trade(&t, "b", 90, 45),
            trade(&t, "a", 90, 45),
            trade(&t, "a", 90, 45),
        ],
        markets: vec![m],
        ..History::default()
    }
}

#[test]
fn quotes_of_a_candle() {
    assert_eq!(
        quotes(cents(40), cents(45)),
        Some((Some(cents(40)), Some(cents(45))))
    );
    assert_eq!(
        quotes(Price::ZERO, Price::ONE),
        Some((None, None)),
        "a quiet market"
    );
    assert_eq!(quotes(cents(45), cents(45)), None, "locked");
    assert_eq!(quotes(cents(46), cents(45)), None, "crossed");
}

#[test]
fn a_listed_market_knows_nothing_of_how_it_ended() {
    let m = as_listed(&ended());
    assert_eq!(m.status, MarketStatus::Active);
    assert_eq!(m.result, MarketResult::None);
    assert_eq!((m.settlement_ts, m.settlement_value_dollars), (None, None));
    assert_eq!(
        (m.volume_fp, m.last_price_dollars),
        (Count::ZERO, Price::ZERO)
    );
}

fn kinds(records: &[(u64, Record)]) -> Vec<String> {
    records
        .iter()
        .map(|(ns, e)| {
            let at = (*ns - T0) / 1_000_000_000;
            match e {
                Record::Market(_) => format!("{at} market"),
                Record::Frame(Incoming::OrderbookSnapshot(s)) => format!(
                    "{at} book {:?}/{:?}",
                    s.msg.yes_dollars_fp.first().map(|l| l.price.to_string()),
                    s.msg.no_dollars_fp.first().map(|l| l.price.to_string())
                ),
                Record::Frame(Incoming::Trade(t)) => format!("{at} trade {}", t.msg.trade_id),
                Record::Frame(Incoming::MarketLifecycle(l)) => {
                    format!("{at} {}", l.msg.event_type)
                }
                other => format!("{at} {other:?}"),
            }
        })
        .collect()
}

#[test]
fn a_download_becomes_records_in_time_order() {
    let h = history();
    let t = timeline(&h);
    let records: Vec<_> = t.records(&h, Count::from_whole(100)).collect();
    assert_eq!(
        kinds(&records),
        [
            "0 market",
            "60 book Some(\"0.4000\")/Some(\"0.5500\")",
            "90 trade a",
            "90 trade b",
            "240 book None/None",
            "600 determined",
            "600 settled",
        ]
    );
    assert_eq!(
        (t.crossed_candles, t.orphans, t.duplicate_trades),
        (1, 1, 1),
        "the locked candle, the unlisted market's, the trade read twice"
    );
}

#[test]
fn a_replayed_download_fills_at_the_candle_and_settles_at_the_result() {
    let mut r = Replay::new(
        &config(),
        Box::new(Buyer(Arc::new(Mutex::new(Vec::new())), false)),
        None,
    )
    .unwrap();
    let h = history();
    for (ns, e) in timeline(&h).records(&h, Count::from_whole(100)) {
        match e {
            Record::Market(json) => r.record(ns, EventRef::Market(&json), false),
            Record::Frame(f) => r.decoded(ns, &f, false),
            Record::Bad => panic!("a bad record at {ns}"),
        }
    }
    let done = r.finish(T0 + 3_600_000_000_000);
    let fills: Vec<_> = done
        .outcomes
        .iter()
        .filter_map(|e| match e {
            LedgerEvent::Fill(f) => Some((f.price, f.count)),
            _ => None,
        })
        .collect();
    assert_eq!(fills, [(cents(45), Count::from_whole(5))]);
    let settled: Vec<_> = done
        .outcomes
        .iter()
        .filter_map(|e| match e {
            LedgerEvent::Settle(s) => Some(s.value),
            _ => None,
        })
        .collect();
    assert_eq!(settled, [Price::ONE]);
}

fn write(path: &Path, batch: &RecordBatch) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    w.write(batch).unwrap();
    w.close().unwrap();
}

fn batch(columns: Vec<(&str, Arc<dyn arrow_array::Array>)>) -> RecordBatch {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    let arrays = columns.into_iter().map(|(_, a)| a).collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap()
}

/// Candle prices at 4 decimal places (not 6 as `history fetch` writes them).
fn candle_batch(ticker: &str) -> RecordBatch {
    let price = |v: i128| {
        Arc::new(
            Decimal128Array::from(vec![v])
                .with_precision_and_scale(8, 4)
                .unwrap(),
        ) as Arc<dyn arrow_array::Array>
    };
    let end = TimestampMicrosecondArray::from(vec![us(T0) + 60 * S]).with_timezone("UTC");
    batch(vec![
        ("ticker", Arc::new(StringArray::from(vec![ticker]))),
        ("end_period_ts", Arc::new(end)),
        ("yes_bid_close_dollars", price(4_000)),
        ("yes_ask_close_dollars", price(4_500)),
    ])
}

#[test]
fn tables_read_back_at_their_own_scale_and_a_damaged_file_is_skipped() {
    let dir = std::env::temp_dir().join(format!("tw-bt-history-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let m = ended();
    let json = serde_json::to_string(&m).unwrap();
    write(
        &dir.join("markets/KXHIGHNY.parquet"),
        &batch(vec![(
            "market_json",
            Arc::new(StringArray::from(vec![json])),
        )]),
    );
    let t = m.ticker.to_string();
    write(
        &dir.join(format!("candlesticks/{t}/live-00000.parquet")),
        &candle_batch(&t),
    );
    let bad = dir.join(format!("trades/{t}/live-00000.parquet"));
    std::fs::create_dir_all(bad.parent().unwrap()).unwrap();
    std::fs::write(&bad, b"PAR1 not really").unwrap();
    let h = super::read::read(&dir).unwrap();
    assert_eq!(h.markets, [m]);
    assert_eq!(h.candles, [candle(&t, 1, 40, 45)]);
    assert_eq!((h.trades.len(), h.files, h.damage.len()), (0, 3, 1));
    assert_eq!(h.damage[0].file, bad);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_download_without_markets_is_an_error_naming_it() {
    let dir = std::env::temp_dir().join(format!("tw-bt-history-none-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("markets")).unwrap();
    let e = super::read::read(&dir).unwrap_err();
    assert!(e.contains("no market in markets/"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
