//! The Parquet tables of a download read back with the `parquet` crate, as sorted rows
//! that compare across downloads.

use std::path::Path;

use arrow_array::{Array, Decimal128Array, RecordBatch, StringArray, TimestampMicrosecondArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// Every batch of every Parquet file under `dir/table`.
fn read_table(dir: &Path, table: &str) -> Vec<RecordBatch> {
    let mut files = Vec::new();
    let mut todo = vec![dir.join(table)];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().map(Result::unwrap) {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                files.push(p);
            }
        }
    }
    files
        .iter()
        .flat_map(|f| {
            let file = std::fs::File::open(f).unwrap();
            let reader = ParquetRecordBatchReaderBuilder::try_new(file)
                .unwrap()
                .build()
                .unwrap();
            reader.map(Result::unwrap).collect::<Vec<_>>()
        })
        .collect()
}

fn text<'a>(b: &'a RecordBatch, col: &str) -> &'a StringArray {
    b.column_by_name(col)
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap()
}

fn dec<'a>(b: &'a RecordBatch, col: &str) -> &'a Decimal128Array {
    b.column_by_name(col)
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap()
}

fn micros<'a>(b: &'a RecordBatch, col: &str) -> &'a TimestampMicrosecondArray {
    b.column_by_name(col)
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap()
}

/// The tables as comparable rows: markets (ticker, result, volume), trades (id, ticker,
/// time, price, count), candles (ticker, end, volume).
pub type Rows = (
    Vec<(String, String, i128)>,
    Vec<(String, String, i64, i128, i128)>,
    Vec<(String, i64, i128)>,
);

pub fn rows(dir: &Path) -> Rows {
    let mut m = Vec::new();
    for b in read_table(dir, "markets") {
        for i in 0..b.num_rows() {
            let (t, r, v) = (text(&b, "ticker"), text(&b, "result"), dec(&b, "volume_fp"));
            m.push((t.value(i).to_owned(), r.value(i).to_owned(), v.value(i)));
        }
    }
    let mut t = Vec::new();
    for b in read_table(dir, "trades") {
        let (price, count) = (dec(&b, "yes_price_dollars"), dec(&b, "count_fp"));
        assert_eq!(
            (price.precision(), price.scale(), count.scale()),
            (10, 6, 2)
        );
        for i in 0..b.num_rows() {
            let id = text(&b, "trade_id").value(i).to_owned();
            let ticker = text(&b, "ticker").value(i).to_owned();
            let at = micros(&b, "created_time").value(i);
            t.push((id, ticker, at, price.value(i), count.value(i)));
        }
    }
    let mut c = Vec::new();
    for b in read_table(dir, "candlesticks") {
        for i in 0..b.num_rows() {
            let end = micros(&b, "end_period_ts").value(i);
            c.push((
                text(&b, "ticker").value(i).to_owned(),
                end,
                dec(&b, "volume_fp").value(i),
            ));
        }
    }
    m.sort();
    t.sort();
    c.sort();
    (m, t, c)
}
