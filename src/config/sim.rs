//! `[sim]`: the simulator `mode = "embedded"` starts in-process — its seed, the tier and
//! starting balance of the engine's account, and optionally a simulator file (the format of
//! `config/sim.toml`, read by the same code as `tradewind sim --config`).

use std::path::Path;

use kalshi::{Money, limits::Tier};
use kalshi_sim::SimConfig;
use serde::{Deserialize, Serialize};

/// `[sim]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimSection {
    /// Seed of every random choice in the simulator (overrides the simulator file's).
    pub seed: u64,
    /// Rate-limit tier of the engine's account: `basic`, `advanced`, `premier`, `paragon`,
    /// `prime`.
    pub tier: String,
    /// Starting cash of the engine's account, dollars.
    pub balance_dollars: String,
    /// A simulator file (catalogue, liquidity, timing; see `config/sim.toml`). `None`: the
    /// simulator's defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
}

impl Default for SimSection {
    fn default() -> Self {
        SimSection {
            seed: 7,
            tier: "advanced".into(),
            balance_dollars: "10000.00".into(),
            config: None,
        }
    }
}

impl SimSection {
    /// Every invalid value, each naming its field (`sim.<field>: ...`).
    pub fn validate(&self) -> Vec<String> {
        let mut errs = Vec::new();
        if Tier::from_wire(&self.tier).budget().is_none() {
            errs.push(format!(
                "sim.tier: unknown tier {:?}, expected basic, advanced, premier, paragon or prime",
                self.tier
            ));
        }
        if Money::parse(&self.balance_dollars).map_or(true, |m| m.is_negative()) {
            errs.push(format!(
                "sim.balance_dollars: {:?} is not an amount of dollars (e.g. \"10000.00\")",
                self.balance_dollars
            ));
        }
        if let Err(e) = self.sim_config() {
            errs.push(format!("sim.config: {}", e.replace("\n  ", "; ")));
        }
        errs
    }

    /// The simulator's settings: the file's (or the defaults), with this section's seed.
    ///
    /// # Errors
    /// The file cannot be read or is invalid (the message names it).
    pub fn sim_config(&self) -> Result<SimConfig, String> {
        let mut cfg = match self.config.as_deref() {
            Some("") => return Err("must not be empty when set".into()),
            Some(path) => SimConfig::from_toml_file(Path::new(path))?,
            None => SimConfig::default(),
        };
        cfg.seed = self.seed;
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(SimSection::default().validate(), Vec::<String>::new());
    }

    #[test]
    fn every_bad_value_is_named() {
        let s = SimSection {
            seed: 1,
            tier: "gold".into(),
            balance_dollars: "lots".into(),
            config: Some("/nonexistent/sim.toml".into()),
        };
        let errs = s.validate();
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs[0].starts_with("sim.tier:"));
        assert!(errs[1].starts_with("sim.balance_dollars:"));
        assert!(errs[2].starts_with("sim.config:") && errs[2].contains("/nonexistent/sim.toml"));
    }

    #[test]
    fn the_seed_overrides_the_file() {
        let s = SimSection {
            seed: 42,
            ..SimSection::default()
        };
        assert_eq!(s.sim_config().unwrap().seed, 42);
    }
}
