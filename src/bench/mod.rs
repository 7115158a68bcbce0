//! `tradewind bench`: named measurement scenarios against the in-process simulator, each
//! printing a table and writing JSON to `target/bench/<scenario>.json`. Figures are reported
//! beside a baseline measured in the same run.
//!
//! # Layout
//! - [`feed`], [`gateway`], [`metadata`], [`tick`], [`reconnect`], [`memory`], [`external`],
//!   [`backtest`]: one scenario each, with its own `run`; [`backtest_data`]: the recording the
//!   backtest scenario generates.
//! - [`floor`]: the bare reactor tick-to-order measures the engine against; [`tick_edges`]:
//!   the edges it posts; [`tick_makers`]: the other markets' makers, quiet or busy;
//!   [`tick_outcome`]: what tick-to-order reports.
//! - [`setup`]: set-up the scenarios (and the soak) share.

mod backtest;
mod backtest_data;
mod backtest_history;
mod backtest_history_data;
mod external;
mod feed;
mod floor;
mod gateway;
mod memory;
mod metadata;
mod reconnect;
pub(crate) mod setup;
mod tick;
mod tick_edges;
mod tick_makers;
mod tick_outcome;

use std::{path::PathBuf, process::ExitCode};

use clap::{Args, ValueEnum};

/// Options of `tradewind bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Scenarios to run (all when none are given).
    #[arg(value_enum)]
    scenarios: Vec<Scenario>,
    /// Market reads in the gateway scenario.
    #[arg(long, default_value_t = 400)]
    reads: usize,
    /// Orders (each created then canceled) in the gateway scenario.
    #[arg(long, default_value_t = 60)]
    orders: usize,
    /// Edges in the tick-to-order scenario.
    #[arg(long, default_value_t = 2_000)]
    events: usize,
    /// Least time between two edges in the tick-to-order scenario, ms: 5 ms keeps a Prime
    /// account's write budget half spent, so no latency includes a wait for rate-limit tokens
    /// (0 = as fast as the takers answer, which makes the engine's gateway pace itself).
    #[arg(long, default_value_t = 5)]
    edge_interval_ms: u64,
    /// The key type the tick-to-order engine and its floor sign with.
    #[arg(long, value_enum, default_value_t = tick::KeyType::Ed25519)]
    key: tick::KeyType,
    /// Maker actions a second on every other market during tick-to-order's busy passes
    /// (each re-quote moves a few levels: some thousands of deltas a second); 0 = quiet
    /// passes only.
    #[arg(long, default_value_t = 1_500.0)]
    busy_actions_per_s: f64,
    /// Round trips in the external-strategy scenario.
    #[arg(long, default_value_t = 5_000)]
    round_trips: usize,
    /// Where JSON results go.
    #[arg(long, default_value = "target/bench")]
    out: PathBuf,
}

/// A bench scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Scenario {
    /// Feed decode + apply on one core, and simulator → feed → consumer end to end.
    Feed,
    /// The REST gateway against a naive client (fixed spacing plus backoff) on the same work.
    Gateway,
    /// REST calls per hour of the metadata cache against a 10-second re-fetch loop.
    Metadata,
    /// Latency from the delta that creates an edge to the engine's order at the exchange.
    TickToOrder,
    /// Time from a forced disconnect to every watched book fresh, for 100 and 2,040 books.
    Reconnect,
    /// Engine RSS with 2,040 books and 10,000 resting orders, and idle CPU.
    Memory,
    /// Round trip of the external strategy's line protocol (book → Python → intent) against
    /// the same decision in process.
    External,
    /// Replay speed of `tradewind backtest` (fair value, 1,000,000 recorded events) against a
    /// bare read and decode of the same recording.
    Backtest,
}

/// Runs `tradewind bench memory` in a child process (it prints and writes its own JSON).
fn fresh_process_memory(out: &std::path::Path) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let status = std::process::Command::new(exe)
        .args(["bench", "memory", "--out"])
        .arg(out)
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the child exited with {status}"))
    }
}

/// Runs the chosen scenarios.
pub fn run(args: BenchArgs) -> ExitCode {
    let scenarios = if args.scenarios.is_empty() {
        vec![
            Scenario::Feed,
            Scenario::Gateway,
            Scenario::Metadata,
            Scenario::TickToOrder,
            Scenario::Reconnect,
            Scenario::Memory,
            Scenario::External,
            Scenario::Backtest,
        ]
    } else {
        args.scenarios.clone()
    };
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("error: cannot create {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    let alone = scenarios.len() == 1;
    for scenario in scenarios {
        // Memory is measured in a fresh process: the heap of earlier scenarios stays mapped.
        if scenario == Scenario::Memory && !alone {
            match fresh_process_memory(&args.out) {
                Ok(()) => continue,
                Err(e) => {
                    eprintln!("error: Memory bench failed: {e}");
                    return ExitCode::from(1);
                }
            }
        }
        let result = match scenario {
            Scenario::Feed => feed::run(),
            Scenario::Gateway => gateway::run(args.reads, args.orders),
            Scenario::Metadata => metadata::run(),
            Scenario::TickToOrder => tick::run(
                tick::Edges {
                    count: args.events,
                    interval: std::time::Duration::from_millis(args.edge_interval_ms),
                },
                args.key,
                args.busy_actions_per_s,
            ),
            Scenario::Reconnect => reconnect::run(),
            Scenario::Memory => memory::run(),
            Scenario::External => external::run(args.round_trips),
            Scenario::Backtest => backtest::run(),
        };
        match result {
            Ok(json) => {
                let path = args.out.join(format!("{scenario:?}.json").to_lowercase());
                if let Err(e) = std::fs::write(&path, json) {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    return ExitCode::from(1);
                }
                println!("wrote {}", path.display());
            }
            Err(e) => {
                eprintln!("error: {scenario:?} bench failed: {e}");
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}
