//! `tradewind backtest` against a recording of the embedded simulator made by a trading run
//! (`tradewind run --record`): the backtest's fills and P&L match what that run did within the
//! model's tolerance; the same backtest twice writes identical reports; a damaged recording
//! is read up to the damage, with a warning, never a panic.

mod common;

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

/// The model's tolerance (README, "Backtest"): fills and total P&L within 20 % of the
/// recorded run's (at least 5 fills and $3: small runs have small numbers).
const TOLERANCE: f64 = 0.20;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tw-backtest-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The shipped config, its journal in `dir`, without scheduled blackouts.
fn config(dir: &Path) -> PathBuf {
    let default = include_str!("../config/default.toml");
    let journal = dir.join("journal.sqlite");
    let cfg = default.replace(
        "journal_path = \"target/tradewind/sim-journal.sqlite\"",
        &format!("journal_path = {:?}", journal.display().to_string()),
    );
    assert_ne!(cfg, default, "the journal path was moved");
    let file = dir.join("run.toml");
    std::fs::write(&file, common::without_scheduled_blackouts(&cfg)).unwrap();
    file
}

/// Runs `tradewind args…` to its end (with a deadline); answers its exit code and stdout.
fn tradewind(args: &[&std::ffi::OsStr], deadline: Duration) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tradewind"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tradewind starts");
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            panic!("tradewind {args:?} did not finish within {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    (status.code(), out)
}

/// A trading run of `secs` seconds recorded into `dir/rec`.
fn record(dir: &Path, secs: u64) -> PathBuf {
    let rec = dir.join("rec");
    let cfg = config(dir);
    let duration = format!("{secs}s");
    let args = [
        "run".as_ref(),
        "--config".as_ref(),
        cfg.as_os_str(),
        "--record".as_ref(),
        rec.as_os_str(),
        "--duration".as_ref(),
        duration.as_ref(),
    ];
    let (code, out) = tradewind(&args, Duration::from_secs(secs + 120));
    assert_eq!(code, Some(0), "the recorded run: {out}");
    rec
}

/// `tradewind backtest` of `data` into `out`: exit code and stdout.
fn backtest(data: &Path, out: &Path) -> (Option<i32>, String) {
    let args = [
        "backtest".as_ref(),
        "--data".as_ref(),
        data.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    tradewind(&args, Duration::from_secs(120))
}

/// A report's summary: (fills, total P&L in dollars).
fn summary(report: &Path) -> (u64, f64) {
    let text = std::fs::read_to_string(report).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let s = &v["summary"];
    let total: f64 = s["total"].as_str().unwrap().parse().unwrap();
    (s["fills"].as_u64().unwrap(), total)
}

fn within(backtest: f64, live: f64, floor: f64) -> bool {
    (backtest - live).abs() <= (live.abs() * TOLERANCE).max(floor)
}

#[test]
fn a_backtest_of_a_recorded_run_matches_what_it_did() {
    let dir = scratch("match");
    let rec = record(&dir, 60);
    let out = dir.join("report");
    let (code, text) = backtest(&rec, &out);
    assert_eq!(code, Some(0), "{text}");
    let (fills, pnl) = summary(&out.join("report.json"));
    let (live_fills, live_pnl) = summary(&out.join("recorded-run/report.json"));
    println!(
        "backtest: {fills} fills, P&L {pnl}; the recorded run: {live_fills} fills, P&L {live_pnl}"
    );
    assert!(live_fills > 0, "the recorded run traded: {text}");
    assert!(
        within(fills as f64, live_fills as f64, 5.0),
        "fills {fills} vs {live_fills}: {text}"
    );
    assert!(
        within(pnl, live_pnl, 3.0),
        "P&L {pnl} vs {live_pnl}: {text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_same_backtest_twice_writes_identical_reports_and_damage_is_skipped() {
    let dir = scratch("twice");
    let rec = record(&dir, 8);
    let (a, b) = (dir.join("a"), dir.join("b"));
    let (code_a, text_a) = backtest(&rec, &a);
    let (code_b, _) = backtest(&rec, &b);
    assert_eq!((code_a, code_b), (Some(0), Some(0)), "{text_a}");
    for f in ["report.json", "report.html"] {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(x == y, "{f} differs between two runs of the same backtest");
    }
    let file = std::fs::read_dir(&rec)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "zst"))
        .expect("a recording file");
    let mut bytes = std::fs::read(&file).unwrap();
    let keep = bytes.len() * 2 / 3;
    bytes.truncate(keep);
    let flip = keep / 2;
    bytes[flip] ^= 0xff;
    std::fs::write(&file, bytes).unwrap();
    let (code, text) = backtest(&rec, &dir.join("damaged"));
    assert_eq!(
        code,
        Some(0),
        "a damaged recording is read up to the damage: {text}"
    );
    assert!(
        text.contains("damaged recording"),
        "the damage is reported: {text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
