//! [`EngineFile`]: the whole config file, one section per actor plus `[exchange]`, `[sim]` and
//! `[metrics]`. [`EngineFile::validate`] expands `${ENV}` references and checks every section
//! and the checks that span sections; [`render_masked`] shows the effective config as TOML with
//! the key id masked.

use serde::{Deserialize, Serialize};
use tradewind_actors::{
    blackout::BlackoutConfig,
    feed::FeedConfig,
    gateway::GatewayConfig,
    metadata::MetadataConfig,
    orders::OrdersConfig,
    strategy::{ForecastSource, StrategyConfig},
    supervision::SupervisionConfig,
};

use super::{
    backtest::BacktestConfig,
    exchange::{ExchangeConfig, Mode},
    mask::mask_key_id,
    metrics::MetricsConfig,
    sim::SimSection,
};

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
    /// Restarts, escalation and heartbeats.
    pub supervision: SupervisionConfig,
    /// Metrics endpoint and log cadences.
    pub metrics: MetricsConfig,
    /// `tradewind backtest`'s venue model (a live run ignores it).
    pub backtest: BacktestConfig,
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
        errs.extend(prefixed("supervision", self.supervision.validate()));
        errs.extend(self.metrics.validate());
        errs.extend(self.backtest.validate());
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

/// The effective config as TOML, `exchange.api_key_id` masked.
pub fn render_masked(cfg: &EngineFile) -> String {
    let mut shown = cfg.clone();
    shown.exchange.api_key_id = mask_key_id(&cfg.exchange.api_key_id);
    toml::to_string_pretty(&shown).unwrap_or_else(|e| format!("# cannot render the config: {e}\n"))
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn the_rendered_config_hides_the_key_id_and_reads_back() {
        let mut cfg = EngineFile::default();
        cfg.exchange.api_key_id = "a952bcbe-ec3b-4b5b-b8f9-11dae589608c".into();
        let text = render_masked(&cfg);
        assert!(!text.contains("a952bcbe-ec3b"), "{text}");
        assert!(text.contains("api_key_id = \"a952…\""), "{text}");
        let back = crate::config::parse_unvalidated(&text, "rendered").unwrap();
        assert_eq!(back.gateway, cfg.gateway);
        assert_eq!(back.strategy, cfg.strategy);
        assert_eq!(back.orders, cfg.orders);
    }
}
