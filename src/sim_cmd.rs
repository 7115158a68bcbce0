//! `tradewind sim`: the simulated Kalshi exchange as a standalone server. Prints its URLs,
//! optionally creates an account with a fresh key (written to a file), and runs until Ctrl-C.

use std::{path::PathBuf, process::ExitCode};

use clap::Args;
use kalshi::sign::SigningKey;
use kalshi_sim::{SimConfig, SimServer};

/// Options of `tradewind sim`.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long)]
    port: Option<u16>,
    /// Simulator config file (TOML; see config/sim.toml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Seed for every random choice (overrides the config).
    #[arg(long)]
    seed: Option<u64>,
    /// Create an account with a fresh Ed25519 key, write the private key (PEM) to this file
    /// and print the key id.
    #[arg(long, value_name = "FILE")]
    new_key: Option<PathBuf>,
    /// Tier of the `--new-key` account.
    #[arg(long, default_value = "basic")]
    tier: String,
    /// Starting balance of the `--new-key` account, dollars.
    #[arg(long, default_value = "1000.00")]
    balance: String,
}

/// Runs the simulator until Ctrl-C.
pub fn run(args: SimArgs) -> ExitCode {
    let mut cfg = match &args.config {
        Some(path) => match SimConfig::from_toml_file(path) {
            Ok(cfg) => cfg,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => SimConfig::default(),
    };
    if let Some(port) = args.port {
        cfg.port = port;
    }
    if let Some(seed) = args.seed {
        cfg.seed = seed;
    }
    let sim = match SimServer::start(cfg) {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("error: cannot start the simulator: {e}");
            return ExitCode::from(if e.kind() == std::io::ErrorKind::InvalidInput {
                2
            } else {
                1
            });
        }
    };
    println!("kalshi-sim listening");
    println!("  REST      {}", sim.rest_url());
    println!("  WebSocket {}", sim.ws_url());
    println!(
        "  admin     {}/_sim  (POST /_sim/accounts to register a public key)",
        sim.base_url()
    );
    if let Some(path) = &args.new_key {
        match new_account(&sim, path, &args.tier, &args.balance) {
            Ok(key_id) => {
                println!("  account   KALSHI_API_KEY_ID={key_id}");
                println!("            KALSHI_PRIVATE_KEY_PATH={}", path.display());
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    println!("Ctrl-C to stop.");
    let stopped = actix_rt::System::new().block_on(actix_rt::signal::ctrl_c());
    sim.stop();
    match stopped {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: waiting for Ctrl-C: {e}");
            ExitCode::from(1)
        }
    }
}

fn new_account(
    sim: &kalshi_sim::SimHandle,
    path: &std::path::Path,
    tier: &str,
    balance: &str,
) -> Result<String, String> {
    let pem = kalshi::sign::generate_ed25519_pem().map_err(|e| format!("generating a key: {e}"))?;
    let key = SigningKey::from_pem(&pem).map_err(|e| format!("loading the new key: {e}"))?;
    let public = key
        .public_key_pem()
        .map_err(|e| format!("public key: {e}"))?;
    let ids = sim.control().register_account(&public, tier, balance)?;
    write_private(path, pem.as_bytes())
        .map_err(|e| format!("cannot write the key to {}: {e}", path.display()))?;
    Ok(ids.api_key_id)
}

/// Writes a private key readable by its owner only.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}
