//! Which exchange the engine trades (and `tradewind doctor` checks): the embedded simulator
//! (started here, with a fresh key pair and account) or a real Kalshi environment (URLs and
//! key from the config).

use std::sync::Arc;

use kalshi::sign::Signer;
use kalshi_sim::{SimConfig, SimHandle, SimServer};

use crate::config::{EngineFile, exchange::Mode as ExchangeMode};

/// Open-Meteo's public ensemble API.
const OPEN_METEO: &str = "https://ensemble-api.open-meteo.com";

/// The exchange to trade and how to sign for it.
pub struct Target {
    /// REST base URL.
    pub rest_url: String,
    /// WebSocket URL.
    pub ws_url: String,
    /// The account's signer.
    pub signer: Arc<Signer>,
    /// Base URL of the strategy's Open-Meteo source.
    pub forecast_base: String,
    /// The embedded simulator and the account id on it.
    pub sim: Option<(SimHandle, String)>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("rest_url", &self.rest_url)
            .field("ws_url", &self.ws_url)
            .field("forecast_base", &self.forecast_base)
            .field("sim", &self.sim)
            .finish_non_exhaustive()
    }
}

/// Starts the embedded simulator or reads the remote settings.
pub fn resolve(cfg: &EngineFile) -> Result<Target, String> {
    resolve_with(cfg, |_| {})
}

/// As [`resolve`], with `tune` applied to the embedded simulator's settings before it starts
/// (`tradewind doctor` shortens its ping interval and busies its market makers).
pub fn resolve_with(cfg: &EngineFile, tune: impl FnOnce(&mut SimConfig)) -> Result<Target, String> {
    match cfg.exchange.mode {
        ExchangeMode::Embedded => embedded(cfg, tune),
        ExchangeMode::Remote => {
            let signer = Signer::from_pem_file(
                cfg.exchange.api_key_id.clone(),
                &cfg.exchange.private_key_path,
            )
            .map_err(|e| {
                format!(
                    "exchange.private_key_path: cannot load {}: {e}",
                    cfg.exchange.private_key_path
                )
            })?;
            let forecast_base = if cfg.strategy.forecast.base_url.is_empty() {
                OPEN_METEO.to_owned()
            } else {
                cfg.strategy.forecast.base_url.clone()
            };
            Ok(Target {
                rest_url: cfg.exchange.rest_url.clone(),
                ws_url: cfg.exchange.ws_url.clone(),
                signer: Arc::new(signer),
                forecast_base,
                sim: None,
            })
        }
    }
}

fn embedded(cfg: &EngineFile, tune: impl FnOnce(&mut SimConfig)) -> Result<Target, String> {
    let mut sim_cfg = cfg
        .sim
        .sim_config()
        .map_err(|e| format!("sim.config: {e}"))?;
    sim_cfg.port = 0;
    tune(&mut sim_cfg);
    let sim = SimServer::start(sim_cfg).map_err(|e| format!("cannot start the simulator: {e}"))?;
    let (signer, account_id) =
        kalshi_sim::fresh_account(&sim, &cfg.sim.tier, &cfg.sim.balance_dollars)?;
    let forecast_base = if cfg.strategy.forecast.base_url.is_empty() {
        format!("{}/_sim/forecast", sim.base_url())
    } else {
        cfg.strategy.forecast.base_url.clone()
    };
    Ok(Target {
        rest_url: sim.rest_url(),
        ws_url: sim.ws_url(),
        signer,
        forecast_base,
        sim: Some((sim, account_id)),
    })
}

/// With the embedded simulator every run starts a new exchange, so a journal left by an
/// earlier run describes orders that no longer exist: it is moved aside (`*.previous`).
pub fn fresh_journal(path: &str) -> Result<(), String> {
    let p = std::path::Path::new(path);
    if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("orders.journal_path: cannot create {}: {e}", dir.display()))?;
    }
    if p.exists() {
        let aside = format!("{path}.previous");
        std::fs::rename(p, &aside)
            .map_err(|e| format!("orders.journal_path: cannot move {path} aside: {e}"))?;
        // SQLite's side files move with it, so the old journal stays whole.
        for suffix in ["-wal", "-shm"] {
            let side = format!("{path}{suffix}");
            if std::path::Path::new(&side).exists() {
                std::fs::rename(&side, format!("{aside}{suffix}"))
                    .map_err(|e| format!("orders.journal_path: cannot move {side} aside: {e}"))?;
            }
        }
    }
    Ok(())
}
