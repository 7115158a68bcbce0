//! The engine's config file: one TOML section per actor plus `[exchange]`, `[sim]` and
//! `[metrics]`, loaded, expanded and validated as a whole.
//!
//! [`load`] and [`parse`] report *every* problem at once as a [`ConfigError`]: TOML syntax
//! errors (all of them), then type errors (the first one of each section, with its line), then
//! — once every section reads — each section's `validate()` and the cross-section checks
//! (`remote` needs a key id, a readable key file and http(s)/ws(s) URLs; a demo or sim
//! environment must not point at a production host). Each problem names its field
//! (`feed.idle_timeout_ms: must be positive`); none ever echoes key material.
//!
//! # Layout
//! - [`exchange`]: `[exchange]` — embedded simulator or a Kalshi environment, URLs, key id,
//!   key file, `${ENV}` expansion.
//! - [`sim`]: `[sim]` — the embedded simulator's seed, account tier and balance, optional
//!   simulator file.
//! - [`metrics`]: `[metrics]` — the `/metrics` listener and log cadences.
//! - [`sections`]: reading each section on its own, so one bad section hides nothing.
//! - [`mask`]: the effective config as TOML, with the key id masked.

pub mod exchange;
pub mod mask;
pub mod metrics;
mod sections;
pub mod sim;

use std::{fmt, path::Path};

use serde::{Deserialize, Serialize};
use tradewind_actors::{
    blackout::BlackoutConfig,
    feed::FeedConfig,
    gateway::GatewayConfig,
    metadata::MetadataConfig,
    orders::OrdersConfig,
    strategy::{ForecastSource, StrategyConfig},
};

pub use self::{
    exchange::{ExchangeConfig, Mode},
    mask::render_masked,
    metrics::MetricsConfig,
    sim::SimSection,
};

/// `config/default.toml`, compiled in: `tradewind` with no arguments runs it from any directory.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

/// How errors name the built-in default config.
pub const DEFAULT_ORIGIN: &str = "config/default.toml (built in)";

/// The whole config file: one section per actor.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EngineFile {
    /// Which exchange: the embedded simulator or a Kalshi environment.
    pub exchange: ExchangeConfig,
    /// The embedded simulator (`exchange.mode = "embedded"` only).
    pub sim: SimSection,
    /// The REST gateway.
    pub gateway: GatewayConfig,
    /// The market-data feed.
    pub feed: FeedConfig,
    /// The metadata cache.
    pub metadata: MetadataConfig,
    /// The blackout clock.
    pub blackout: BlackoutConfig,
    /// The order manager.
    pub orders: OrdersConfig,
    /// The strategy.
    pub strategy: StrategyConfig,
    /// Metrics endpoint and log cadences.
    pub metrics: MetricsConfig,
}

/// Every problem found in a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file (or [`DEFAULT_ORIGIN`]).
    pub file: String,
    /// One line per problem, each naming its field.
    pub errors: Vec<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(
            f,
            "{}: {n} problem{}:",
            self.file,
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.errors {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    fn new(file: &str, errors: Vec<String>) -> ConfigError {
        ConfigError {
            file: file.to_owned(),
            errors,
        }
    }
}

/// Reads, expands and validates the config file at `path`.
///
/// # Errors
/// Every problem, each naming its field; an unreadable file is one problem.
pub fn load(path: &Path) -> Result<EngineFile, ConfigError> {
    parse(&read(path)?, &path.display().to_string())
}

/// The built-in default config, expanded and validated.
///
/// # Errors
/// As [`parse`] (the built-in file is tested to be valid).
pub fn load_default() -> Result<EngineFile, ConfigError> {
    parse(DEFAULT_TOML, DEFAULT_ORIGIN)
}

/// Parses, expands and validates config text; `origin` names it in errors.
///
/// # Errors
/// Every problem, each naming its field.
pub fn parse(text: &str, origin: &str) -> Result<EngineFile, ConfigError> {
    let sections::Read {
        mut cfg,
        mut errors,
        failed,
    } = sections::read(text);
    if failed.len() < sections::SECTIONS.len()
        && let Err(invalid) = cfg.validate()
    {
        // A section that failed to read holds defaults: what they say about it is noise.
        errors.extend(invalid.into_iter().filter(|e| {
            !failed
                .iter()
                .any(|s| e.starts_with(&format!("{s}.")) || e.starts_with(&format!("{s}:")))
        }));
    }
    if errors.is_empty() {
        Ok(cfg)
    } else {
        Err(ConfigError::new(origin, errors))
    }
}

/// Reads a config file's syntax and types only: no `${ENV}` expansion, no validation, no key
/// file. For tools that need one value (the journal path) from a config that may not be
/// runnable here.
///
/// # Errors
/// An unreadable file, TOML syntax errors, unknown fields and wrong types.
pub fn load_unvalidated(path: &Path) -> Result<EngineFile, ConfigError> {
    parse_unvalidated(&read(path)?, &path.display().to_string())
}

/// As [`load_unvalidated`], from text.
///
/// # Errors
/// TOML syntax errors, unknown fields and wrong types.
pub fn parse_unvalidated(text: &str, origin: &str) -> Result<EngineFile, ConfigError> {
    let read = sections::read(text);
    if read.errors.is_empty() {
        Ok(read.cfg)
    } else {
        Err(ConfigError::new(origin, read.errors))
    }
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|e| {
        let problem = match e.kind() {
            std::io::ErrorKind::NotFound => "not found".to_owned(),
            _ => format!("cannot read: {e}"),
        };
        ConfigError::new(&path.display().to_string(), vec![problem])
    })
}

/// Prefixes `section.` to errors that do not already name a field of their section.
fn prefixed(section: &str, result: Result<(), Vec<String>>) -> Vec<String> {
    result
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| {
            if e.starts_with(&format!("{section}.")) || e.starts_with(&format!("{section}:")) {
                e
            } else {
                format!("{section}.{e}")
            }
        })
        .collect()
}

impl EngineFile {
    /// Expands `${ENV}` references and checks every section; answers every problem.
    ///
    /// # Errors
    /// One line per problem, each naming its field.
    pub fn validate(&mut self) -> Result<(), Vec<String>> {
        let mut errs = self.exchange.expand_and_validate();
        if self.exchange.mode == Mode::Embedded {
            errs.extend(self.sim.validate());
        }
        errs.extend(prefixed("gateway", self.gateway.validate()));
        errs.extend(prefixed("feed", self.feed.validate()));
        errs.extend(prefixed("metadata", self.metadata.validate()));
        errs.extend(prefixed("blackout", self.blackout.validate()));
        errs.extend(prefixed("orders", self.orders.validate()));
        errs.extend(prefixed("strategy", self.strategy.validate()));
        errs.extend(self.metrics.validate());
        errs.extend(self.cross_checks());
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }

    /// Checks that span sections.
    fn cross_checks(&self) -> Vec<String> {
        let mut errs = Vec::new();
        let forecast = &self.strategy.forecast;
        let open_meteo = self.strategy.enabled && forecast.source == ForecastSource::OpenMeteo;
        if open_meteo && self.exchange.mode == Mode::Remote && forecast.base_url.is_empty() {
            errs.push(
                "strategy.forecast.base_url: required with exchange.mode = \"remote\" (empty \
                 means the embedded simulator's ensemble), e.g. \
                 \"https://ensemble-api.open-meteo.com\""
                    .to_owned(),
            );
        }
        if open_meteo {
            for series in &self.metadata.series {
                if !forecast.cities.contains_key(series) {
                    errs.push(format!(
                        "strategy.forecast.cities: no station for series {series:?} \
                         (listed in metadata.series); add [strategy.forecast.cities.{series}]"
                    ));
                }
            }
        }
        errs
    }

    /// Whether this config trades real money: `run` refuses it without `--allow-production`.
    pub fn is_production(&self) -> bool {
        self.exchange.is_production()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_default_is_valid_and_embedded() {
        let cfg = load_default().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cfg.exchange.mode, Mode::Embedded);
        assert!(!cfg.is_production());
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        let cfg = parse_unvalidated("", "empty").unwrap();
        assert_eq!(cfg, EngineFile::default());
    }

    #[test]
    fn every_bad_value_is_reported_with_its_field() {
        let text = "[gateway]\nmax_in_flight = 0\n[feed]\nidle_timeout_ms = 0\n\
                    [metrics]\nlisten = \"0.0.0.0:9100\"\n";
        let err = parse(text, "t.toml").unwrap_err();
        assert_eq!(err.errors.len(), 3, "{err}");
        assert!(err.errors[0].starts_with("gateway.max_in_flight:"), "{err}");
        assert!(err.errors[1].starts_with("feed.idle_timeout_ms:"), "{err}");
        assert!(err.errors[2].starts_with("metrics.listen:"), "{err}");
        assert!(
            err.to_string()
                .starts_with("t.toml: 3 problems:\n  gateway.")
        );
    }

    #[test]
    fn type_errors_and_invalid_values_are_reported_together() {
        let text = "[bogus]\n[gateway]\nmax_in_flight = 0\n[feed]\nidle_timeout_ms = \"x\"\n\
                    [exchange]\nmode = \"remote\"\napi_key_id = \"${TW_TEST_UNSET_VAR}\"\n";
        let err = parse(text, "t.toml").unwrap_err();
        let fields: Vec<&str> = err
            .errors
            .iter()
            .filter_map(|e| e.split(':').next())
            .collect();
        assert_eq!(
            fields,
            [
                "bogus",
                "feed.idle_timeout_ms",
                "exchange.api_key_id",
                "exchange.rest_url",
                "exchange.ws_url",
                "exchange.private_key_path",
                "gateway.max_in_flight",
                "strategy.forecast.base_url",
            ],
            "{err}"
        );
    }

    #[test]
    fn remote_without_a_forecast_url_is_refused() {
        let mut cfg = EngineFile::default();
        cfg.exchange.mode = Mode::Remote;
        let errs = cfg.cross_checks();
        assert!(
            errs.iter()
                .any(|e| e.starts_with("strategy.forecast.base_url:")),
            "{errs:?}"
        );
    }

    #[test]
    fn a_series_without_a_station_is_named() {
        let mut cfg = EngineFile::default();
        cfg.metadata.series = vec!["KXHIGHNY".into(), "KXHIGHXYZ".into()];
        let errs = cfg.cross_checks();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains("KXHIGHXYZ"), "{errs:?}");
    }
}

#[cfg(test)]
mod hostile_tests;
