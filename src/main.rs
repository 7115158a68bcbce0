//! `tradewind`: the command-line entry point. Thin by design: parse arguments, load config,
//! start the simulator or (later) the engine, and map failures to exit codes — 0 ok, 1 runtime
//! failure, 2 bad arguments or config. Everything else lives in the library crates.

mod bench;
mod sim_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// An actor-based trading engine for the Kalshi prediction-market exchange.
#[derive(Debug, Parser)]
#[command(name = "tradewind", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the simulated Kalshi exchange alone, for any Kalshi client to point at.
    Sim(sim_cmd::SimArgs),
    /// Run measurement scenarios against the in-process simulator.
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Sim(args)) => sim_cmd::run(args),
        Some(Command::Bench(args)) => bench::run(args),
        None => {
            println!(
                "tradewind {}: the engine is under construction; `tradewind sim` runs the \
                 simulated exchange. See --help.",
                env!("CARGO_PKG_VERSION")
            );
            ExitCode::SUCCESS
        }
    }
}
