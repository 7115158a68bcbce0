//! `tradewind`: the command-line entry point. Thin by design: parse arguments, load config,
//! start the engine (through the library's `tradewind::EngineBuilder`), the simulator or the
//! doctor, and map failures to exit codes — 0 ok, 1 runtime failure, 2 bad arguments or
//! config. The config file and the running engine live in the `tradewind` library
//! (`src/lib.rs`); the actors in `tradewind-actors`.
//!
//! # Layout
//! - [`cli`]: `run` and `check-config` — loading the config, the production guard.
//! - [`doctor`]: `doctor` — a read-only self-check of the exchange a config points at.
//! - [`journal_cmd`]: `orders` and `positions` — tables read from the order journal.
//! - [`record_cmd`]: `record` — the engine watch-only, recording what it receives.
//! - [`backtest_cmd`]: `backtest` — a recording replayed on a virtual clock, and its report.
//! - [`history`]: `history fetch` — markets, trades and candlesticks into Parquet files.
//! - [`sim_cmd`]: `sim` — the simulated exchange alone.
//! - [`bench`]: `bench` — measurement scenarios.
//! - [`soak`]: `soak` — the engine under random faults, checking invariants.

mod backtest_cmd;
mod bench;
mod cli;
mod doctor;
mod history;
mod journal_cmd;
mod record_cmd;
mod sim_cmd;
mod soak;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// An actor-based trading engine for the Kalshi prediction-market exchange.
///
/// With no command, runs the built-in config: the simulated exchange in-process and the
/// engine against it.
#[derive(Debug, Parser)]
#[command(name = "tradewind", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the engine (default: the built-in config with the embedded simulator).
    Run(cli::RunArgs),
    /// Validate a config file and print the effective config (key id masked).
    CheckConfig(cli::CheckArgs),
    /// Check the exchange a config points at before trading (read-only): DNS and TLS,
    /// status, clock, authentication, limits, WebSocket, order book, heartbeat, decoding.
    Doctor(doctor::DoctorArgs),
    /// Print the orders recorded in the journal.
    Orders(journal_cmd::OrdersArgs),
    /// Print the positions recorded in the journal.
    Positions(journal_cmd::JournalArgs),
    /// Record every WebSocket frame and market the engine receives (strategy off) into
    /// zstd JSON-lines files.
    Record(record_cmd::RecordArgs),
    /// Replay a recording through the strategy, the order manager's checks and the
    /// simulator's matching engine on a virtual clock; write report.json and report.html.
    Backtest(backtest_cmd::BacktestArgs),
    /// Download market history (markets with results, trades, candlesticks) into Parquet.
    History(history::HistoryArgs),
    /// Run the simulated Kalshi exchange alone, for any Kalshi client to point at.
    Sim(sim_cmd::SimArgs),
    /// Run measurement scenarios against the in-process simulator.
    Bench(bench::BenchArgs),
    /// Run the engine against the simulator with random faults, checking invariants.
    Soak(soak::SoakArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => cli::run(cli::RunArgs::default()),
        Some(Command::Run(args)) => cli::run(args),
        Some(Command::CheckConfig(args)) => cli::check(args),
        Some(Command::Doctor(args)) => doctor::run(args),
        Some(Command::Orders(args)) => journal_cmd::orders(args),
        Some(Command::Positions(args)) => journal_cmd::positions(args),
        Some(Command::Record(args)) => record_cmd::run(args),
        Some(Command::Backtest(args)) => backtest_cmd::run(args),
        Some(Command::History(args)) => history::run(args),
        Some(Command::Sim(args)) => sim_cmd::run(args),
        Some(Command::Bench(args)) => bench::run(args),
        Some(Command::Soak(args)) => soak::run(args),
    }
}
