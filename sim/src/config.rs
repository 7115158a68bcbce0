//! [`SimConfig`]: everything the simulator can be told at start — where to listen, the seed,
//! the auth skew, rate limits on or off, heartbeat timing, the catalogue, background liquidity
//! and pre-registered accounts. Loaded from TOML for `tradewind sim --config FILE`; unknown keys
//! are errors.

use std::net::{IpAddr, Ipv4Addr};

use serde::{Deserialize, Serialize};

use crate::{catalogue::CatalogueConfig, readings::Readings, world::LiquidityConfig};

/// An account created at start-up (standalone server).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    /// API key id to register; generated when absent.
    #[serde(default)]
    pub api_key_id: Option<String>,
    /// Public key PEM text (RSA SPKI/PKCS#1 or Ed25519 SPKI).
    #[serde(default)]
    pub public_key_pem: Option<String>,
    /// Path of a public key PEM file, instead of the text.
    #[serde(default)]
    pub public_key_path: Option<std::path::PathBuf>,
    /// Rate-limit tier: `basic`, `advanced`, `premier`, `paragon`, `prime`.
    #[serde(default = "default_tier")]
    pub tier: String,
    /// Starting cash, a dollar string.
    #[serde(default = "default_balance")]
    pub balance_dollars: String,
}

fn default_tier() -> String {
    "basic".into()
}

fn default_balance() -> String {
    "1000.00".into()
}

/// Simulator settings. Every field has a default; see `config/sim.toml` for a commented file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimConfig {
    /// Address to bind (loopback by default).
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// HTTP worker threads.
    pub workers: usize,
    /// Seed of every random choice (ids, truths, market makers, fault fractions).
    pub seed: u64,
    /// Largest accepted difference between a request's signed timestamp and the clock, s.
    pub auth_skew_s: i64,
    /// Enforce per-account token buckets.
    pub rate_limits: bool,
    /// Interval of server pings with payload `heartbeat`, ms (Kalshi: 10 s).
    pub ws_ping_interval_ms: u64,
    /// A connection that answers no ping for this long is closed, ms.
    pub ws_pong_timeout_ms: u64,
    /// Messages a WebSocket connection may fall behind before its subscriptions overflow
    /// (error code 25).
    pub ws_buffer: usize,
    /// How often the world (truth drift, makers, lifecycle) steps, ms.
    pub world_tick_ms: u64,
    /// Markets.
    pub catalogue: CatalogueConfig,
    /// Background market makers and truth drift.
    pub liquidity: LiquidityConfig,
    /// Accounts to create at start.
    pub accounts: Vec<AccountSpec>,
    /// Maintenance windows `GET /exchange/schedule` announces.
    pub maintenance_windows: Vec<kalshi::rest::MaintenanceWindow>,
    /// How it behaves where Kalshi's documents leave it open.
    pub readings: Readings,
    /// Age after which data moves from the live endpoints to `/historical/*`, s: markets
    /// settled, trades and fills made, orders ended (canceled or executed) longer ago than
    /// this. Absent: nothing is historical (the cutoff is the simulator's start).
    pub historical_after_s: Option<u64>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            workers: 2,
            seed: 1,
            auth_skew_s: 30,
            rate_limits: true,
            ws_ping_interval_ms: 10_000,
            ws_pong_timeout_ms: 30_000,
            ws_buffer: 65_536,
            world_tick_ms: 50,
            catalogue: CatalogueConfig::default(),
            liquidity: LiquidityConfig::default(),
            accounts: Vec::new(),
            maintenance_windows: Vec::new(),
            readings: Readings::default(),
            historical_after_s: None,
        }
    }
}

impl SimConfig {
    /// Reads a TOML file; errors name the file and the field.
    pub fn from_toml_file(path: &std::path::Path) -> Result<SimConfig, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read sim config {}: {e}", path.display()))?;
        let cfg: SimConfig = toml::from_str(&text)
            .map_err(|e| format!("invalid sim config {}: {e}", path.display()))?;
        cfg.validate().map_err(|errs| {
            format!(
                "invalid sim config {}:\n  {}",
                path.display(),
                errs.join("\n  ")
            )
        })?;
        Ok(cfg)
    }

    /// Every invalid value, each naming its field.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errs = Vec::new();
        if self.workers == 0 {
            errs.push("workers: must be at least 1".to_string());
        }
        if self.auth_skew_s < 0 {
            errs.push(format!(
                "auth_skew_s: must not be negative, got {}",
                self.auth_skew_s
            ));
        }
        if self.ws_ping_interval_ms == 0 {
            errs.push("ws_ping_interval_ms: must be positive".to_string());
        }
        if self.ws_pong_timeout_ms <= self.ws_ping_interval_ms {
            errs.push(format!(
                "ws_pong_timeout_ms: must exceed ws_ping_interval_ms ({} ≤ {})",
                self.ws_pong_timeout_ms, self.ws_ping_interval_ms
            ));
        }
        if self.ws_buffer < 16 {
            errs.push(format!(
                "ws_buffer: must be at least 16, got {}",
                self.ws_buffer
            ));
        }
        if self.world_tick_ms == 0 {
            errs.push("world_tick_ms: must be positive".to_string());
        }
        if self.liquidity.actions_per_second.is_nan() || self.liquidity.actions_per_second < 0.0 {
            errs.push("liquidity.actions_per_second: must be ≥ 0".to_string());
        }
        if !(0.0..=1.0).contains(&self.liquidity.take_share) {
            errs.push("liquidity.take_share: must be within 0..=1".to_string());
        }
        for (i, a) in self.accounts.iter().enumerate() {
            if a.public_key_pem.is_none() == a.public_key_path.is_none() {
                errs.push(format!(
                    "accounts[{i}]: give exactly one of public_key_pem and public_key_path"
                ));
            }
            if kalshi::Money::parse(&a.balance_dollars).is_err() {
                errs.push(format!(
                    "accounts[{i}].balance_dollars: {:?} is not an amount",
                    a.balance_dollars
                ));
            }
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }
}
