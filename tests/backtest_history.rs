//! `tradewind backtest` on a `tradewind history fetch` download (trades with candlestick
//! quotes) of a simulator whose world has a history: archived and recently settled markets
//! with results. The download is replayed through `fair_value` with a forecasts file: the
//! strategy sees books made of the candles, its resting quotes are filled by the downloaded
//! trades (only trades fill resting orders in a history replay), and its markets settle at
//! the results the markets table holds; the same backtest twice writes identical reports; a
//! damaged part file is skipped with a warning.

mod common;
#[path = "history_support/mod.rs"]
mod history_support;

use std::{
    collections::BTreeMap,
    path::Path,
    process::{Command, Output},
};

use common::run::row;
use history_support::{Pump, SERIES, TempDir, remote_config, tables::rows, world};
use kalshi::{Price, types::MarketResult};

fn tradewind(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_tradewind"))
        .args(args)
        .output()
        .expect("tradewind runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    (
        out.status.code(),
        format!("{stdout}\n-- stderr --\n{stderr}"),
    )
}

fn fetch(cfg: &Path, out: &Path, day0: chrono::NaiveDate) {
    let (from, to) = (day0.pred_opt().unwrap(), day0.succ_opt().unwrap());
    let mut args: Vec<std::ffi::OsString> =
        vec!["history".into(), "fetch".into(), "--series".into()];
    args.extend(SERIES.iter().map(Into::into));
    for (k, v) in [
        ("--from", from.to_string()),
        ("--to", to.to_string()),
        ("--out", out.display().to_string()),
        ("--config", cfg.display().to_string()),
    ] {
        args.push(k.into());
        args.push(v.into());
    }
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let (code, summary) = tradewind(&args);
    assert_eq!(code, Some(0), "{summary}");
}

/// A fair value for every market — its mean traded price (0.5 untraded) — known from `at_us`
/// (Unix µs) on.
fn forecasts(
    file: &Path,
    trades: &[(String, String, i64, i128, i128)],
    tickers: &[String],
    at_us: i64,
) {
    let mean = |t: &String| {
        let mine: Vec<i128> = trades.iter().filter(|r| &r.1 == t).map(|r| r.3).collect();
        let sum: i128 = mine.iter().sum();
        (!mine.is_empty()).then(|| sum as f64 / mine.len() as f64 / 1e6)
    };
    let probabilities: BTreeMap<&String, f64> = tickers
        .iter()
        .map(|t| (t, mean(t).unwrap_or(0.5)))
        .collect();
    let at = chrono::DateTime::from_timestamp_micros(at_us)
        .unwrap()
        .to_rfc3339();
    let line = serde_json::json!({"at": at, "forecast": {"probabilities": probabilities}});
    std::fs::write(file, format!("{line}\n")).unwrap();
}

/// The shipped config without scheduled blackouts, `fair_value` also resting quotes a cent
/// from its fair value (which the downloaded trades, around that value, reach).
fn backtest_config(file: &Path) {
    let default = include_str!("../config/default.toml");
    let mut cfg = default.to_owned();
    for (from, to) in [
        ("quote = false ", "quote = true  "),
        ("quote_edge = 0.04", "quote_edge = 0.01"),
    ] {
        assert!(cfg.contains(from), "the shipped config's {from:?} moved");
        cfg = cfg.replace(from, to);
    }
    std::fs::write(file, common::without_scheduled_blackouts(&cfg)).unwrap();
}

fn backtest(dir: &TempDir, out: &str) -> (String, serde_json::Value, Vec<u8>) {
    let out = dir.0.join(out);
    let (code, summary) = tradewind(&[
        "backtest".as_ref(),
        "--data".as_ref(),
        dir.0.join("data").as_os_str(),
        "--config".as_ref(),
        dir.0.join("bt.toml").as_os_str(),
        "--forecasts".as_ref(),
        dir.0.join("forecasts.jsonl").as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{summary}");
    let json = std::fs::read(out.join("report.json")).unwrap();
    let report = serde_json::from_slice(&json).unwrap();
    (summary, report, json)
}

#[test]
fn a_history_download_backtests_with_its_quotes_trades_and_results() {
    let (sim, day0) = world();
    let pump = Pump::start(&sim);
    let dir = TempDir::new("backtest");
    let (cfg, _) = remote_config(&sim, &dir.sub("account"));
    fetch(&cfg, &dir.0.join("data"), day0);
    drop(pump);
    let (markets, trades, candles) = rows(&dir.0.join("data"));
    assert_eq!(markets.len(), 24, "{markets:?}");
    let tickers: Vec<String> = markets.iter().map(|m| m.0.clone()).collect();
    // Known from ten minutes before the first trade (a forecast ages: one taken long before
    // the data would be stale by then).
    let first_trade = trades.iter().map(|t| t.2).min().unwrap();
    forecasts(
        &dir.0.join("forecasts.jsonl"),
        &trades,
        &tickers,
        first_trade - 600_000_000,
    );
    backtest_config(&dir.0.join("bt.toml"));

    let (summary, report, json) = backtest(&dir, "report-1");
    eprintln!("{summary}\nsummary: {}", report["summary"]);
    assert!(
        summary.contains(&format!(
            "history download: 24 markets, {} trades, {} candles",
            trades.len(),
            candles.len()
        )),
        "{summary}"
    );
    assert!(row(&summary, "books evaluated") > 0, "{summary}");
    assert!(row(&summary, "fills") > 0, "{summary}");
    assert!(row(&summary, "recorded trades replayed") > 0, "{summary}");
    assert!(
        report["summary"]["maker_fills"].as_u64().unwrap() > 0,
        "no resting quote was filled by the downloaded trades: {}",
        report["summary"]
    );
    // Every market the strategy traded that settled settled at its result; one determined
    // but not yet settled when downloaded has no settlement time and is never determined.
    let listed = tradewind::backtest::history::read::read(&dir.0.join("data")).unwrap();
    let ended: BTreeMap<String, Option<Price>> = listed
        .markets
        .iter()
        .map(|m| {
            let value = match (&m.result, m.settlement_ts) {
                (MarketResult::Yes, Some(_)) => Some(Price::ONE),
                (MarketResult::No, Some(_)) => Some(Price::ZERO),
                _ => None,
            };
            (m.ticker.to_string(), value)
        })
        .collect();
    let mut settled = 0;
    for m in report["markets"].as_array().unwrap() {
        let ticker = m["ticker"].as_str().unwrap();
        let got = m["settlement"].as_str().map(|v| Price::parse(v).unwrap());
        assert_eq!(got, ended[ticker], "{ticker}: {m}");
        settled += usize::from(got.is_some());
    }
    assert!(settled > 0, "no traded market settled: {report}");

    let (_, _, again) = backtest(&dir, "report-2");
    assert!(json == again, "two runs of the same backtest differ");

    // A part file that does not read is skipped with a warning; the rest is replayed.
    let part = std::fs::read_dir(dir.0.join("data/trades"))
        .unwrap()
        .map(|d| d.unwrap().path().join("live-00000.parquet"))
        .find(|p| p.exists())
        .expect("a page of live trades");
    std::fs::write(&part, b"PAR1 torn").unwrap();
    let (summary, _, _) = backtest(&dir, "report-3");
    assert!(
        summary.contains(&format!("damaged history file         {}", part.display())),
        "{summary}"
    );
    assert!(row(&summary, "books evaluated") > 0, "{summary}");
}
