//! The tables read back: at their own scale, damaged files skipped, bad rows counted.

use super::{super::read::read, *};

/// A candle whose prices are written at `scale` decimal places.
fn candle_batch(ticker: &str, (bid, ask): (i128, i128), scale: i8) -> RecordBatch {
    let price = |v: i128| decimals(vec![v], 38, scale);
    batch(vec![
        ("ticker", texts(vec![Some(ticker)])),
        ("end_period_ts", times(vec![us(T0) + 60 * S])),
        ("yes_bid_close_dollars", price(bid)),
        ("yes_ask_close_dollars", price(ask)),
    ])
}

fn markets(dir: &Path, json: Vec<Option<&str>>) {
    write(
        &dir.join("markets/S.parquet"),
        &batch(vec![("market_json", texts(json))]),
    );
}

#[test]
fn tables_read_back_at_their_own_scale_and_damaged_files_are_skipped() {
    let dir = Scratch::new("read");
    let m = ended();
    let json = serde_json::to_string(&m).unwrap();
    markets(&dir.0, vec![Some(&json), Some("{not a market"), None]);
    let t = m.ticker.to_string();
    // At 4 decimal places, not 6 as `history fetch` writes them.
    let four = candle_batch(&t, (4_000, 4_500), 4);
    write(
        &dir.0.join(format!("candlesticks/{t}/live-00000.parquet")),
        &four,
    );
    // A number too large for micro-dollars: the file is damage, not a panic.
    let odd = dir.0.join(format!("candlesticks/{t}/live-00001.parquet"));
    write(&odd, &candle_batch(&t, (10_i128.pow(37), 1), 0));
    let torn = dir.0.join(format!("trades/{t}/live-00000.parquet"));
    std::fs::create_dir_all(torn.parent().unwrap()).unwrap();
    std::fs::write(&torn, b"PAR1 not really").unwrap();
    let h = read(&dir.0).unwrap();
    assert_eq!(h.markets, [m]);
    assert_eq!(
        h.bad_markets, 2,
        "the two bad market rows, the rest of the file kept"
    );
    assert_eq!(h.candles, [candle(&t, 1, 40, 45)]);
    assert_eq!(h.trades, []);
    let damaged: Vec<_> = h.damage.iter().map(|d| d.file.clone()).collect();
    assert_eq!(damaged, [torn, odd], "trades are read before candles");
    assert_eq!(h.files, 2, "the markets and the good candles");
}

#[test]
fn a_file_with_a_bad_row_gives_none_of_its_rows() {
    let dir = Scratch::new("bad-row");
    let m = ended();
    let t = m.ticker.to_string();
    let mut h = History {
        markets: vec![m],
        trades: vec![
            trade(&t, "a", 1, 45, Some("bid")),
            trade(&t, "b", 2, 45, Some("bid")),
        ],
        ..History::default()
    };
    h.trades[1].count = Count::ZERO;
    write_download(&dir.0, &h);
    let back = read(&dir.0).unwrap();
    assert_eq!(
        (back.trades.len(), back.damage.len()),
        (0, 1),
        "{:?}",
        back.damage
    );
    assert!(
        back.damage[0].reason.contains("trade row 1: bad count_fp"),
        "{:?}",
        back.damage
    );
}

#[test]
fn a_download_without_a_readable_market_is_an_error_naming_it() {
    let dir = Scratch::new("none");
    std::fs::create_dir_all(dir.0.join("markets")).unwrap();
    let e = read(&dir.0).unwrap_err();
    assert!(e.contains("no market in markets/"), "{e}");
}
