//! What the engine child needs before it starts: an account on the soak's simulator whose
//! private key is written to a file only the user can read (the key never appears in logs or
//! in the config), and a config file — the built-in default turned `remote` at the
//! simulator, with the soak's blackout windows, loose risk limits and one journal file that
//! every restart of the child reopens. The config is validated by the same loader the child
//! uses before it is handed over.

use std::{
    io::Write,
    os::unix::fs::OpenOptionsExt,
    path::{Path, PathBuf},
};

use chrono::{DateTime, Utc};
use kalshi::sign::{SigningKey, generate_ed25519_pem};
use kalshi_sim::SimHandle;
use tradewind_actors::blackout::config::FixedWindowConfig;

use tradewind::config::{
    self, EngineFile,
    exchange::{Environment, Mode},
};

/// Files of the soak's engine child.
#[derive(Debug, Clone)]
pub struct Files {
    /// The config it runs.
    pub config: PathBuf,
    /// The same with the strategy off: the last start, which only reconciles.
    pub final_config: PathBuf,
    /// Its order journal (kept across restarts).
    pub journal: PathBuf,
    /// Its log (appended across restarts).
    pub log: PathBuf,
    /// Its account on the simulator.
    pub account: String,
}

/// Registers the child's account on `sim` and writes its key and config into `dir`.
///
/// # Errors
/// Key generation, registration, a file write, or a config the loader refuses.
pub fn prepare(
    sim: &SimHandle,
    dir: &Path,
    windows: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Result<Files, String> {
    let pem = generate_ed25519_pem().map_err(|e| format!("generating a key: {e}"))?;
    let key = SigningKey::from_pem(&pem).map_err(|e| format!("reading the new key: {e}"))?;
    let public = key
        .public_key_pem()
        .map_err(|e| format!("public key: {e}"))?;
    let ids = sim
        .control()
        .register_account(&public, "prime", "1000000.00")?;
    let key_path = dir.join("engine-key.pem");
    write_private(&key_path, pem.as_bytes())?;
    let files = Files {
        config: dir.join("engine.toml"),
        final_config: dir.join("engine-final.toml"),
        journal: dir.join("journal.sqlite"),
        log: dir.join("engine.log"),
        account: ids.account_id,
    };
    let mut cfg = config::load_default().map_err(|e| e.to_string())?;
    cfg.exchange.mode = Mode::Remote;
    cfg.exchange.environment = Environment::Sim;
    cfg.exchange.rest_url = sim.rest_url();
    cfg.exchange.ws_url = sim.ws_url();
    cfg.exchange.api_key_id = ids.api_key_id;
    cfg.exchange.private_key_path = key_path.display().to_string();
    tune(&mut cfg, sim, &files.journal, windows);
    write_config(&cfg, &files.config)?;
    cfg.strategy.enabled = false;
    write_config(&cfg, &files.final_config)?;
    Ok(files)
}

/// Writes `cfg` to `path` and loads it back as the child will.
fn write_config(cfg: &EngineFile, path: &Path) -> Result<(), String> {
    let text = toml::to_string(cfg).map_err(|e| format!("rendering the config: {e}"))?;
    std::fs::write(path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    config::load(path).map_err(|e| format!("the generated config {}: {e}", path.display()))?;
    Ok(())
}

/// The soak's settings on top of the default: as the in-process soak runs the engine.
fn tune(
    cfg: &mut EngineFile,
    sim: &SimHandle,
    journal: &Path,
    windows: &[(DateTime<Utc>, DateTime<Utc>)],
) {
    cfg.metadata.series = crate::bench::setup::temperature_series();
    cfg.feed.idle_timeout_ms = 3_000;
    cfg.feed.stable_after_ms = 5_000;
    cfg.blackout = tradewind_actors::blackout::BlackoutConfig {
        fixed: windows
            .iter()
            .enumerate()
            .map(|(i, (s, e))| FixedWindowConfig {
                name: format!("soak window {i}"),
                start: s.to_rfc3339(),
                end: e.to_rfc3339(),
            })
            .collect(),
        ..crate::bench::setup::no_scheduled_blackouts()
    };
    let o = &mut cfg.orders;
    o.journal_path = journal.display().to_string();
    o.max_orders_per_minute = 600;
    o.max_open_orders = 200;
    o.max_position_per_market = 2_000;
    o.max_total_exposure_dollars = kalshi::Money::from_cents(10_000_000);
    o.max_daily_loss_dollars = kalshi::Money::from_cents(10_000_000);
    cfg.strategy.fair_value.min_edge = 0.02;
    cfg.strategy.fair_value.cooldown_ms = 250;
    cfg.strategy.forecast.base_url = format!("{}/_sim/forecast", sim.base_url());
    cfg.metrics.listen = "127.0.0.1:0".to_owned();
    cfg.metrics.interval_s = 60;
    cfg.metrics.status_interval_s = 10;
}

/// Writes `bytes` to a new file at `path` that only the user can read.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    f.write_all(bytes)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
