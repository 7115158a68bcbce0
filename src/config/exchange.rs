//! `[exchange]`: which exchange the engine trades on — the in-process simulator (`embedded`)
//! or a Kalshi environment (`remote`) — with its URLs, API key id and private key file.
//!
//! `api_key_id` and `private_key_path` may be written as `${ENV_VAR}` (or contain such
//! references); they are expanded at load, and an unset variable is an error naming the field
//! and the variable. The key file is read and parsed at load so a bad key fails before anything
//! connects; errors name the file, never its contents. The key id is masked wherever the config
//! is shown ([`super::mask`], `Debug`).

use std::fmt;

use kalshi::sign::SigningKey;
use serde::{Deserialize, Serialize};
use tradewind_actors::base_url::BaseUrl;

use super::mask::mask_key_id;

/// Kalshi demo REST base (mock funds).
pub const DEMO_REST_URL: &str = "https://external-api.demo.kalshi.co/trade-api/v2";
/// Kalshi demo WebSocket.
pub const DEMO_WS_URL: &str = "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2";
/// Kalshi production REST base (real money).
pub const PRODUCTION_REST_URL: &str = "https://external-api.kalshi.com/trade-api/v2";
/// Kalshi production WebSocket (real money).
pub const PRODUCTION_WS_URL: &str = "wss://external-api-ws.kalshi.com/trade-api/ws/v2";

/// Where the exchange runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Start the simulator in-process on loopback, with a fresh key pair.
    #[default]
    Embedded,
    /// Connect to `rest_url` / `ws_url` with `api_key_id` and `private_key_path`.
    Remote,
}

/// Which exchange environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    /// A simulator: the embedded one, or a `tradewind sim` reached remotely.
    #[default]
    Sim,
    /// Kalshi's demo exchange (mock funds).
    Demo,
    /// Kalshi's real exchange: real money.
    Production,
}

impl Environment {
    /// The environment's standard REST and WebSocket URLs (none for a simulator).
    pub fn default_urls(self) -> Option<(&'static str, &'static str)> {
        match self {
            Environment::Sim => None,
            Environment::Demo => Some((DEMO_REST_URL, DEMO_WS_URL)),
            Environment::Production => Some((PRODUCTION_REST_URL, PRODUCTION_WS_URL)),
        }
    }

    /// The name written in the config (`sim`, `demo`, `production`).
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Sim => "sim",
            Environment::Demo => "demo",
            Environment::Production => "production",
        }
    }
}

/// `[exchange]`.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExchangeConfig {
    /// `embedded` or `remote`.
    pub mode: Mode,
    /// `sim`, `demo` or `production`.
    pub environment: Environment,
    /// REST base URL (`remote`; empty = the environment's standard URL).
    pub rest_url: String,
    /// WebSocket URL (`remote`; empty = the environment's standard URL).
    pub ws_url: String,
    /// API key id (`remote`), e.g. `"${KALSHI_API_KEY_ID}"`.
    pub api_key_id: String,
    /// Private key PEM file (`remote`), e.g. `"${KALSHI_PRIVATE_KEY_PATH}"`.
    pub private_key_path: String,
}

impl fmt::Debug for ExchangeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExchangeConfig")
            .field("mode", &self.mode)
            .field("environment", &self.environment)
            .field("rest_url", &self.rest_url)
            .field("ws_url", &self.ws_url)
            .field("api_key_id", &mask_key_id(&self.api_key_id))
            .field("private_key_path", &self.private_key_path)
            .finish()
    }
}

impl ExchangeConfig {
    /// Expands `${ENV}` references, fills the environment's standard URLs, and checks every
    /// value (the key file included). Answers one line per problem.
    pub fn expand_and_validate(&mut self) -> Vec<String> {
        let mut errs = Vec::new();
        if self.mode == Mode::Embedded {
            // URLs and key are ignored: the simulator starts on loopback with a fresh key.
            if self.environment != Environment::Sim {
                errs.push(format!(
                    "exchange.environment: must be \"sim\" with mode = \"embedded\", got {:?} \
                     (use mode = \"remote\" for Kalshi)",
                    self.environment.as_str()
                ));
            }
            return errs;
        }
        for (field, value) in [
            ("api_key_id", &mut self.api_key_id),
            ("private_key_path", &mut self.private_key_path),
        ] {
            match expand_env(value, |name| std::env::var(name).ok()) {
                Ok(v) => *value = v,
                Err(e) => errs.push(format!("exchange.{field}: {e}")),
            }
        }
        if let Some((rest, ws)) = self.environment.default_urls() {
            for (url, standard) in [(&mut self.rest_url, rest), (&mut self.ws_url, ws)] {
                if url.is_empty() {
                    *url = standard.to_owned();
                }
            }
        }
        errs.extend(self.check_urls());
        if !self.api_key_id.contains("${") {
            errs.extend(check_key_id(&self.api_key_id));
        }
        if !self.private_key_path.contains("${") {
            errs.extend(check_key_file(&self.private_key_path));
        }
        errs
    }

    fn check_urls(&self) -> Vec<String> {
        let mut errs = Vec::new();
        for (field, url, schemes) in [
            ("rest_url", &self.rest_url, ["http", "https"]),
            ("ws_url", &self.ws_url, ["ws", "wss"]),
        ] {
            if url.is_empty() {
                errs.push(format!(
                    "exchange.{field}: required with environment = \"sim\" and mode = \
                     \"remote\" (the URL `tradewind sim` prints)"
                ));
                continue;
            }
            let scheme = url.split_once("://").map_or("", |(s, _)| s);
            if !schemes.contains(&scheme) {
                errs.push(format!(
                    "exchange.{field}: {url:?} must start with {}:// or {}://",
                    schemes[0], schemes[1]
                ));
            } else if let Err(e) = BaseUrl::parse(url) {
                errs.push(format!("exchange.{field}: {e}"));
            } else if self.environment != Environment::Production && is_production_host(url) {
                errs.push(format!(
                    "exchange.{field}: {url:?} is Kalshi's production exchange (real money) but \
                     environment = {:?}; set environment = \"production\"",
                    self.environment.as_str()
                ));
            }
        }
        errs
    }

    /// Whether this trades real money: the production environment, or a production host.
    pub fn is_production(&self) -> bool {
        self.mode == Mode::Remote
            && (self.environment == Environment::Production
                || is_production_host(&self.rest_url)
                || is_production_host(&self.ws_url))
    }
}

fn check_key_id(id: &str) -> Option<String> {
    if id.is_empty() {
        Some(
            "exchange.api_key_id: required with mode = \"remote\" (e.g. \
             \"${KALSHI_API_KEY_ID}\")"
                .to_owned(),
        )
    } else if id.len() > 128 || !id.chars().all(|c| c.is_ascii_graphic()) {
        // Never echo it: it may be something else pasted by mistake.
        Some("exchange.api_key_id: must be 1–128 visible ASCII characters".to_owned())
    } else {
        None
    }
}

fn check_key_file(path: &str) -> Option<String> {
    if path.is_empty() {
        return Some(
            "exchange.private_key_path: required with mode = \"remote\" (e.g. \
             \"${KALSHI_PRIVATE_KEY_PATH}\")"
                .to_owned(),
        );
    }
    // The error names the file and the problem, never key bytes (kalshi::sign guarantees it).
    SigningKey::from_pem_file(path)
        .err()
        .map(|e| format!("exchange.private_key_path: {e}"))
}

/// Whether `url`'s host is Kalshi's production exchange (`*.kalshi.com`; demo is `kalshi.co`).
pub fn is_production_host(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if host_port.starts_with('[') {
        host_port
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "kalshi.com" || host.ends_with(".kalshi.com")
}

/// Replaces each `${NAME}` in `value` by the variable's value (`lookup`); an unset or empty
/// variable, or a malformed reference, is an error naming it.
pub fn expand_env(value: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return Err("unterminated \"${\" (write ${NAME})".to_owned());
        };
        let name = &after[..end];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "{name:?} is not an environment variable name (letters, digits, _)"
            ));
        }
        match lookup(name) {
            Some(v) if !v.is_empty() => out.push_str(&v),
            Some(_) => return Err(format!("environment variable {name} is empty")),
            None => return Err(format!("environment variable {name} is not set")),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "KEY_ID" => Some("abc-123".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn env_references_are_expanded_or_named() {
        assert_eq!(expand_env("${KEY_ID}", env).unwrap(), "abc-123");
        assert_eq!(expand_env("a/${KEY_ID}/b", env).unwrap(), "a/abc-123/b");
        assert_eq!(expand_env("plain", env).unwrap(), "plain");
        let err = expand_env("${NOPE}", env).unwrap_err();
        assert!(err.contains("NOPE") && err.contains("not set"), "{err}");
        assert!(expand_env("${EMPTY}", env).unwrap_err().contains("empty"));
        assert!(
            expand_env("${OPEN", env)
                .unwrap_err()
                .contains("unterminated")
        );
        assert!(expand_env("${A B}", env).is_err());
    }

    #[test]
    fn production_hosts_are_recognised() {
        for url in [
            PRODUCTION_REST_URL,
            PRODUCTION_WS_URL,
            "https://api.elections.kalshi.com/trade-api/v2",
            "wss://API.Elections.Kalshi.com:443/trade-api/ws/v2",
        ] {
            assert!(is_production_host(url), "{url}");
        }
        for url in [
            DEMO_REST_URL,
            "https://demo-api.kalshi.co/trade-api/v2",
            "http://127.0.0.1:8080/trade-api/v2",
            "https://notkalshi.com/x",
        ] {
            assert!(!is_production_host(url), "{url}");
        }
    }

    #[test]
    fn a_demo_environment_pointing_at_production_is_refused() {
        let cfg = ExchangeConfig {
            mode: Mode::Remote,
            environment: Environment::Demo,
            rest_url: PRODUCTION_REST_URL.into(),
            ws_url: DEMO_WS_URL.into(),
            ..ExchangeConfig::default()
        };
        let errs = cfg.check_urls();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].starts_with("exchange.rest_url:"), "{errs:?}");
        assert!(cfg.is_production());
    }

    #[test]
    fn remote_needs_urls_key_id_and_key_file() {
        let mut cfg = ExchangeConfig {
            mode: Mode::Remote,
            rest_url: "ftp://x".into(),
            ws_url: "ws://example.org/ws".into(),
            ..ExchangeConfig::default()
        };
        let errs = cfg.expand_and_validate();
        let fields: Vec<&str> = errs.iter().filter_map(|e| e.split(':').next()).collect();
        assert_eq!(
            fields,
            [
                "exchange.rest_url",
                "exchange.ws_url",
                "exchange.api_key_id",
                "exchange.private_key_path"
            ],
            "{errs:?}"
        );
    }

    #[test]
    fn embedded_must_be_the_sim_environment() {
        let mut cfg = ExchangeConfig {
            environment: Environment::Production,
            ..ExchangeConfig::default()
        };
        let errs = cfg.expand_and_validate();
        assert!(errs[0].starts_with("exchange.environment:"), "{errs:?}");
        assert!(!cfg.is_production());
    }

    #[test]
    fn debug_masks_the_key_id() {
        let cfg = ExchangeConfig {
            api_key_id: "0123456789abcdef".into(),
            ..ExchangeConfig::default()
        };
        let shown = format!("{cfg:?}");
        assert!(!shown.contains("0123456789abcdef"), "{shown}");
        assert!(shown.contains("0123…"), "{shown}");
    }
}
