//! The backtest scenario: a generated recording of 1,000,000 deltas over the simulator's
//! catalogue (`backtest_data`) replayed by `tradewind backtest`'s engine with the fair-value
//! strategy, one core — against a bare read and decode of the same file in the same run
//! (the floor: reading the recording and decoding every frame, no book, no strategy); then
//! the same for a generated history download (`backtest_history`).

use std::{path::Path, time::Instant};

use chrono::{TimeZone, Utc};
use kalshi::ws::decode;
use serde::Serialize;
use tradewind::{
    backtest::run::{Window, replay},
    config,
    record::{EventRef, Reader},
};

use super::{
    backtest_data,
    backtest_history::{self, HistoryOutcome},
};

/// Deltas in the generated recording.
const DELTAS: u64 = 1_000_000;

#[derive(Debug, Serialize)]
struct Outcome {
    records: u64,
    replay_events_per_s: f64,
    bare_decode_events_per_s: f64,
    replay_to_bare_decode: f64,
    fills: u64,
    books_evaluated: u64,
    intents_refused: u64,
    halted: bool,
    history: HistoryOutcome,
}

/// Reads and decodes every record of `dir`: the floor. Answers records and seconds.
fn bare(dir: &Path) -> Result<(u64, f64), String> {
    let t0 = Instant::now();
    let mut reader = Reader::open(dir).map_err(|e| e.to_string())?;
    let mut n = 0u64;
    while let Some(r) = reader.next_ref() {
        n += 1;
        if let EventRef::Frame(text) = r.event
            && decode(text).is_err()
        {
            return Err("a frame did not decode".into());
        }
    }
    Ok((n, t0.elapsed().as_secs_f64()))
}

/// Replays `dir` with the default config's fair-value strategy. Answers the replay's counts
/// and seconds.
fn full(dir: &Path) -> Result<(tradewind::backtest::replay::Tally, f64), String> {
    let cfg = config::load_default().map_err(|e| e.to_string())?;
    let strategy = cfg.strategy.builtin().build();
    let t0 = Instant::now();
    let r = replay(&cfg, dir, Window::default(), None, strategy)?;
    Ok((r.tally, t0.elapsed().as_secs_f64()))
}

/// Runs the scenario: best of 3 of each, alternated.
pub fn run() -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("tradewind-bench-backtest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let start = Utc
        .with_ymd_and_hms(2026, 12, 2, 15, 0, 0)
        .single()
        .ok_or("start")?;
    let written = backtest_data::write(&dir, DELTAS, start)?;
    let (mut best_bare, mut best_full) = (f64::MAX, f64::MAX);
    let mut tally = None;
    for _ in 0..3 {
        let (n, s) = bare(&dir)?;
        if n != written {
            return Err(format!("read {n} records of {written}"));
        }
        best_bare = best_bare.min(s);
        let (t, s) = full(&dir)?;
        best_full = best_full.min(s);
        tally = Some(t);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let tally = tally.ok_or("no pass")?;
    let history = backtest_history::run(&dir, start)?;
    let o = Outcome {
        records: written,
        replay_events_per_s: written as f64 / best_full,
        bare_decode_events_per_s: written as f64 / best_bare,
        replay_to_bare_decode: best_bare / best_full,
        fills: tally.fills,
        books_evaluated: tally.books_evaluated,
        intents_refused: tally.refused,
        halted: tally.halted,
        history,
    };
    println!("backtest: {written} recorded events (one core, best of 3, fair_value)");
    println!(
        "  replay: {:.0} events/s ({} books evaluated, {} fills, {} intents refused, kill switch {})",
        o.replay_events_per_s,
        o.books_evaluated,
        o.fills,
        o.intents_refused,
        if o.halted { "on" } else { "off" }
    );
    println!(
        "  bare read + decode of the same file: {:.0} events/s; replay/bare {:.2}",
        o.bare_decode_events_per_s, o.replay_to_bare_decode
    );
    backtest_history::print(&o.history);
    serde_json::to_string_pretty(&o).map_err(|e| e.to_string())
}
