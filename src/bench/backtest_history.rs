//! The backtest scenario's second part: a generated `history fetch` download
//! (`backtest_history_data`, about 1,000,000 candles and trades) backtested with the
//! fair-value strategy, one core — against a bare read of the same Parquet tables into rows
//! in the same run (the floor: no records made, no books, no strategy).

use std::{path::Path, time::Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tradewind::{
    backtest::{
        history::read,
        run::{Window, replay},
    },
    config,
};

use super::backtest_history_data;

/// Candle and trade rows in the generated download.
const ROWS: u64 = 1_000_000;

/// What the history part measured.
#[derive(Debug, Serialize)]
pub struct HistoryOutcome {
    rows: u64,
    records_replayed: u64,
    replay_records_per_s: f64,
    bare_read_rows_per_s: f64,
    replay_to_bare_read: f64,
    fills: u64,
    books_evaluated: u64,
}

/// A forecast of 0.5 for every market from `start` on.
fn forecasts(dir: &Path, tickers: &[String], start: DateTime<Utc>) -> Result<(), String> {
    let p: serde_json::Map<String, serde_json::Value> = tickers
        .iter()
        .map(|t| (t.clone(), serde_json::json!(0.5)))
        .collect();
    let line = serde_json::json!({"at": start, "forecast": {"probabilities": p}});
    std::fs::write(dir.join("forecasts.jsonl"), format!("{line}\n")).map_err(|e| e.to_string())
}

/// Runs the part in `dir` (created and removed here): best of 3 of each, alternated.
pub fn run(dir: &Path, start: DateTime<Utc>) -> Result<HistoryOutcome, String> {
    let _ = std::fs::remove_dir_all(dir);
    let (tickers, rows) = backtest_history_data::write(dir, ROWS, start)?;
    forecasts(dir, &tickers, start)?;
    let cfg = config::load_default().map_err(|e| e.to_string())?;
    let (mut best_bare, mut best_full, mut last) = (f64::MAX, f64::MAX, None);
    for _ in 0..3 {
        let t0 = Instant::now();
        let h = read::read(dir)?;
        best_bare = best_bare.min(t0.elapsed().as_secs_f64());
        if (h.candles.len() + h.trades.len()) as u64 != rows {
            return Err(format!(
                "read back {} rows of {rows}",
                h.candles.len() + h.trades.len()
            ));
        }
        let strategy = cfg.strategy.builtin().build();
        let t0 = Instant::now();
        let forecasts = dir.join("forecasts.jsonl");
        let r = replay(&cfg, dir, Window::default(), Some(&forecasts), strategy)?;
        best_full = best_full.min(t0.elapsed().as_secs_f64());
        last = Some(r.tally);
    }
    let _ = std::fs::remove_dir_all(dir);
    let t = last.ok_or("no pass")?;
    Ok(HistoryOutcome {
        rows,
        records_replayed: t.records,
        replay_records_per_s: t.records as f64 / best_full,
        bare_read_rows_per_s: rows as f64 / best_bare,
        replay_to_bare_read: best_bare / best_full,
        fills: t.fills,
        books_evaluated: t.books_evaluated,
    })
}

/// Prints what the part measured.
pub fn print(o: &HistoryOutcome) {
    println!(
        "  history download: {} candle and trade rows, {} records replayed (fair_value)",
        o.rows, o.records_replayed
    );
    println!(
        "  history replay (read + records + replay): {:.0} records/s ({} books evaluated, {} fills)",
        o.replay_records_per_s, o.books_evaluated, o.fills
    );
    println!(
        "  bare read of the same tables: {:.0} rows/s; replay/bare {:.2}",
        o.bare_read_rows_per_s, o.replay_to_bare_read
    );
}
