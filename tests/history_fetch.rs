//! `tradewind history fetch` against a simulator on loopback whose world has a history:
//! markets settled long enough ago to be archived (`/historical/*`), markets settled and
//! closed recently (live lists), and trades on both sides of the cutoff. The simulator runs
//! on a manual clock, moved hours ahead to build the history and then in step with real time
//! (its rate buckets refill on that clock). Checks: zero 429s, the read budget used ≥ 95 %
//! (measured on the simulator's request log: no gaps in the gateway's pacing; printed also
//! counting the bucket's initial burst, which the gateway does not spend), the Parquet
//! tables read back and agree with the markets' volumes, an interrupted download resumes
//! without asking again for what it had and ends equal to a download never interrupted, and
//! so does one whose historical cutoff moved past unread live trades while it was stopped and
//! that left part files it had not counted; each run reads the cutoff again at its end and
//! catches up what it moved past meanwhile.

mod common;
#[path = "history_support/mod.rs"]
mod history_support;

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
    process::{Command, Stdio},
};

use common::run::row;
use history_support::{
    Pump, SERIES, TempDir, remote_config, tables::rows, trades_cutoff, wait_for, world,
};
use kalshi_sim::server::state::RequestRecord;

/// Trade page size: small, so trade lists take several pages.
const PAGE: &str = "25";

fn fetch_cmd(cfg: &Path, out: &Path, day0: chrono::NaiveDate) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tradewind"));
    let (from, to) = (day0.pred_opt().unwrap(), day0.succ_opt().unwrap());
    c.args(["history", "fetch", "--series"])
        .args(SERIES)
        .args([
            "--from",
            &from.to_string(),
            "--to",
            &to.to_string(),
            "--page-size",
            PAGE,
        ])
        .arg("--out")
        .arg(out)
        .arg("--config")
        .arg(cfg)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Basic tier's read bucket: 200 tokens/s, 200 tokens.
const RATE: f64 = 200.0;
const BURST: f64 = 200.0;

/// The read budget `account`'s requests in `log` used, as `tradewind bench gateway`
/// measures it: tokens ÷ (rate × span), the span from the first request's arrival to the
/// last one's answer; and counting the bucket's initial burst, tokens ÷ (burst + rate ×
/// span).
fn budget_use(log: &[RequestRecord], account: &str) -> (f64, f64, usize, f64) {
    let mine: Vec<&RequestRecord> = log
        .iter()
        .filter(|r| r.account_id.as_deref() == Some(account))
        .collect();
    let first = mine.iter().map(|r| r.arrival_ns).min().unwrap();
    let last = mine.iter().map(|r| r.done_ns).max().unwrap();
    let span = (last - first) as f64 / 1e9;
    let tokens = 10.0 * mine.len() as f64; // every read costs 10 (the documented default)
    let with_burst = tokens / (BURST + RATE * span);
    (tokens / (RATE * span), with_burst, mine.len(), span)
}

/// Runs a download and stops it with SIGINT once five markets are complete.
fn interrupted(cfg: &Path, out: &Path, day0: chrono::NaiveDate) -> String {
    let child = fetch_cmd(cfg, out, day0).spawn().unwrap();
    wait_for("five complete markets", || complete_markets(out).len() >= 5);
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let stopped = child.wait_with_output().unwrap();
    let summary = String::from_utf8_lossy(&stopped.stdout).into_owned();
    assert_eq!(stopped.status.code(), Some(130), "{summary}");
    assert!(
        complete_markets(out).len() < 24,
        "stopped before the end: {summary}"
    );
    summary
}

/// The catch-up lists in a checkpoint: (lists, rows).
fn catch_ups(out: &Path) -> (usize, u64) {
    let text = std::fs::read_to_string(out.join("checkpoint.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut found = (0, 0);
    for s in v["series"].as_object().unwrap().values() {
        for m in s["markets"].as_object().unwrap().values() {
            for c in m["catch_up"].as_array().into_iter().flatten() {
                found.0 += 1;
                found.1 += c["stream"]["rows"].as_u64().unwrap();
            }
        }
    }
    found
}

/// Markets whose lists are all complete in a checkpoint.
fn complete_markets(out: &Path) -> BTreeSet<String> {
    let Ok(text) = std::fs::read_to_string(out.join("checkpoint.json")) else {
        return BTreeSet::new();
    };
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut done = BTreeSet::new();
    for s in v["series"].as_object().unwrap().values() {
        for (t, m) in s["markets"].as_object().unwrap() {
            let trades = m["trades"]
                .as_object()
                .unwrap()
                .values()
                .all(|x| x["done"] == true);
            if trades && m["candles"]["done"] == true {
                done.insert(t.clone());
            }
        }
    }
    done
}

/// Any part file of `table` in `out`.
fn some_part(out: &Path, table: &str) -> Option<std::path::PathBuf> {
    let dirs = std::fs::read_dir(out.join(table)).ok()?;
    let files = dirs.flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap());
    files
        .map(|f| f.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "parquet"))
}

/// Plants, for every unfinished live trade list and candle list in a checkpoint, a part file
/// the checkpoint does not count (a copy of another part: rows that would be read twice) —
/// what a process killed between writing a part and counting it leaves. Answers how many.
fn plant_strays(out: &Path) -> usize {
    let text = std::fs::read_to_string(out.join("checkpoint.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let (trade, candle) = (some_part(out, "trades"), some_part(out, "candlesticks"));
    let mut planted = 0;
    let mut plant = |from: &Option<std::path::PathBuf>, to: std::path::PathBuf| {
        if let Some(from) = from {
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(from, to).unwrap();
            planted += 1;
        }
    };
    for s in v["series"].as_object().unwrap().values() {
        for (t, m) in s["markets"].as_object().unwrap() {
            let live = &m["trades"]["live"];
            if live.is_object() && live["done"] == false {
                let n = live["parts"].as_u64().unwrap();
                plant(&trade, out.join(format!("trades/{t}/live-{n:05}.parquet")));
            }
            let c = &m["candles"];
            if c["done"] == false {
                let n = c["parts"].as_u64().unwrap();
                for src in ["live", "historical"] {
                    plant(
                        &candle,
                        out.join(format!("candlesticks/{t}/{src}-{n:05}.parquet")),
                    );
                }
            }
        }
    }
    planted
}

fn mentions(r: &RequestRecord, ticker: &str) -> bool {
    r.path.contains(ticker)
        || r.query
            .split('&')
            .any(|kv| kv == format!("ticker={ticker}"))
}

#[test]
fn downloads_at_the_full_budget_and_resumes_after_sigint() {
    let (sim, day0) = world();
    let _pump = Pump::start(&sim);
    let dir = TempDir::new("fetch");

    // A: a download never interrupted.
    let (cfg_a, account_a) = remote_config(&sim, &dir.sub("a"));
    let out_a = dir.0.join("out-a");
    let done = fetch_cmd(&cfg_a, &out_a, day0).output().unwrap();
    let summary = String::from_utf8_lossy(&done.stdout).into_owned();
    assert_eq!(
        done.status.code(),
        Some(0),
        "{summary}\n{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(row(&summary, "429s"), 0, "{summary}");
    assert_eq!(sim.control().stats().sent_429, 0);
    let (used, with_burst, requests, span) = budget_use(&sim.control().request_log(), &account_a);
    eprintln!(
        "download A: {requests} requests in {span:.2} s, read budget used {:.1}% \
         ({:.1}% counting the initial burst)\n{summary}",
        used * 100.0,
        with_burst * 100.0
    );
    assert!(
        used >= 0.95,
        "read budget used {used:.3} over {span:.2} s, {requests} requests"
    );
    let full = rows(&out_a);
    let (markets, trades, candles) = &full;
    assert_eq!(
        markets.len(),
        24,
        "12 archived, 6 settled, 6 closed: {markets:?}"
    );
    assert!(
        trades.len() > 100 && !candles.is_empty(),
        "{} trades, {} candles",
        trades.len(),
        candles.len()
    );
    assert_eq!(row(&summary, "trades rows") as usize, trades.len());
    let mut volume: BTreeMap<&str, i128> = BTreeMap::new();
    for (_, ticker, _, _, count) in trades {
        *volume.entry(ticker).or_default() += count;
    }
    for (ticker, _, v) in markets {
        assert_eq!(
            volume.get(ticker.as_str()).copied().unwrap_or(0),
            *v,
            "{ticker}: trades add up to its volume"
        );
    }

    // B: interrupted once some markets are complete; C: the rerun.
    let (cfg_b, _) = remote_config(&sim, &dir.sub("b"));
    let out_b = dir.0.join("out-b");
    let summary_b = interrupted(&cfg_b, &out_b, day0);
    let had = complete_markets(&out_b);
    let before = sim.control().request_log().len();
    let rerun = fetch_cmd(&cfg_b, &out_b, day0).output().unwrap();
    let summary_c = String::from_utf8_lossy(&rerun.stdout).into_owned();
    assert_eq!(rerun.status.code(), Some(0), "{summary_c}");
    let log = sim.control().request_log();
    eprintln!(
        "interrupted with {} markets complete:\n{summary_b}\nrerun:\n{summary_c}",
        had.len()
    );
    // A complete market is asked nothing again but, once every list is complete, the
    // catch-up of what the cutoff moved past meanwhile: one page of /historical/trades.
    let (again, caught_up): (Vec<&RequestRecord>, Vec<&RequestRecord>) = log[before..]
        .iter()
        .filter(|r| had.iter().any(|t| mentions(r, t)))
        .partition(|r| !r.path.ends_with("/historical/trades"));
    assert!(
        again.is_empty(),
        "asked again for complete markets: {again:?}"
    );
    assert!(caught_up.len() <= had.len(), "{caught_up:?}");
    assert!(
        !log[before..].iter().any(|r| r.path.ends_with("/markets")),
        "listed again"
    );
    let cutoffs = log[before..].iter();
    let cutoffs = cutoffs.filter(|r| r.path.ends_with("/historical/cutoff"));
    assert_eq!(
        cutoffs.count(),
        2,
        "the rerun reads the cutoff at its start and once every list is complete"
    );
    // The simulator's cutoff moves with its clock, so the rerun found it a few seconds on
    // (at its start, and again at its end) and read each live list's trades of those
    // seconds from /historical/trades: one empty page each (the world has no trade there).
    // So did download A at its end.
    let (lists, caught) = catch_ups(&out_b);
    let (lists_a, caught_a) = catch_ups(&out_a);
    assert_eq!((caught, caught_a), (0, 0), "no trade between the cutoffs");
    assert!(
        lists_a > 0,
        "A read the cutoff again at its end and it had moved"
    );
    // Both runs together asked what the uninterrupted one did, plus the second process's
    // gateway start-up reads (`/account/limits`, `/account/endpoint_costs`) and its first
    // cutoff, with their own catch-up pages instead of A's.
    let asked = row(&summary_b, "requests") + row(&summary_c, "requests");
    assert_eq!(
        asked + lists_a as u64,
        row(&summary, "requests") + 3 + lists as u64,
        "nothing asked twice"
    );
    assert_eq!(
        rows(&out_b),
        full,
        "the resumed download equals the uninterrupted one"
    );
    let ids: BTreeSet<&String> = full.1.iter().map(|t| &t.0).collect();
    assert_eq!(ids.len(), full.1.len(), "no duplicate trade");

    // D: interrupted; the cutoff then moves past half of the live trades (the simulator's
    // clock jumps), and part files written but never counted are left behind (a process killed
    // between the two); E: the rerun reads them from /historical/trades, removes the stray
    // parts and ends equal to A — no row twice.
    let (cfg_d, _) = remote_config(&sim, &dir.sub("d"));
    let out_d = dir.0.join("out-d");
    interrupted(&cfg_d, &out_d, day0);
    let strays = plant_strays(&out_d);
    assert!(
        strays > 0,
        "an unfinished list to leave a stray part file in"
    );
    let now = trades_cutoff(&sim).timestamp_micros();
    let live: Vec<i64> = full.1.iter().map(|t| t.2).filter(|at| *at >= now).collect();
    let (first, last) = (live.iter().min().unwrap(), live.iter().max().unwrap());
    let jump = (first + last) / 2 - now;
    sim.control()
        .advance_clock(chrono::Duration::microseconds(jump));
    let rerun = fetch_cmd(&cfg_d, &out_d, day0).output().unwrap();
    let summary_e = String::from_utf8_lossy(&rerun.stdout).into_owned();
    assert_eq!(rerun.status.code(), Some(0), "{summary_e}");
    let (lists, caught) = catch_ups(&out_d);
    eprintln!(
        "cutoff moved {:.0} s: {lists} catch-up lists, {caught} trades\n{summary_e}",
        jump as f64 / 1e6
    );
    assert!(caught > 0, "the moved cutoff left live trades to catch up");
    let (had, now) = (row(&summary, "trades rows"), row(&summary_e, "trades rows"));
    assert_eq!(now, had, "trades after the moved cutoff");
    assert_eq!(
        rows(&out_d),
        full,
        "the moved cutoff lost or doubled nothing"
    );
}
