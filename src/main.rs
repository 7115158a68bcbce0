//! `tradewind`: the command-line entry point. Thin by design: parse arguments, load config,
//! wire the actors (from `tradewind-actors`) or the simulator (from `kalshi-sim`), and map
//! failures to exit codes. Everything else lives in the library crates.

use clap::Parser;

/// An actor-based trading engine for the Kalshi prediction-market exchange.
#[derive(Debug, Parser)]
#[command(name = "tradewind", version, about, long_about = None)]
struct Cli {}

fn main() {
    let _cli = Cli::parse();
    println!(
        "tradewind {}: nothing to run yet; see --help",
        env!("CARGO_PKG_VERSION")
    );
}
