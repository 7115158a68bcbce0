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
//! - `engine_file`: [`EngineFile`], the whole file — its sections, the checks that span them,
//!   and the effective config rendered with the key id masked.
//! - [`exchange`]: `[exchange]` — embedded simulator or a Kalshi environment, URLs, key id,
//!   key file, `${ENV}` expansion.
//! - [`sim`]: `[sim]` — the embedded simulator's seed, account tier and balance, optional
//!   simulator file.
//! - [`metrics`]: `[metrics]` — the `/metrics` listener and log cadences.
//! - `sections`: reading each section on its own, so one bad section hides nothing.
//! - [`mask`]: the key id as shown — cut to its first characters.

pub mod backtest;
mod engine_file;
pub mod exchange;
pub mod mask;
pub mod metrics;
mod sections;
pub mod sim;

use std::{fmt, path::Path};

pub use self::engine_file::{EngineFile, render_masked};

/// `config/default.toml`, compiled in: `tradewind` with no arguments runs it from any directory.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

/// How errors name the built-in default config.
pub const DEFAULT_ORIGIN: &str = "config/default.toml (built in)";

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

#[cfg(test)]
mod tests {
    use super::{exchange::Mode, *};

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
}

#[cfg(test)]
mod hostile_tests;
