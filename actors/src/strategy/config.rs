//! `[strategy]`: the strategy actor's settings — which built-in strategy runs (`kind`), the
//! fair-value strategy's parameters and the forecast source it prices from.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    external::{ExternalConfig, ExternalStrategy},
    fair_value::{FairValue, FairValueConfig},
    interface::StrategyFactory,
    quoter::{Quoter, QuoterConfig},
};

/// The strategy actor's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StrategyConfig {
    /// Which built-in strategy runs (a program using the engine as a library may pass its own
    /// instead).
    pub kind: StrategyKind,
    /// Whether the strategy trades at all (`false`: the engine only watches).
    pub enabled: bool,
    /// Cadence of the strategy's timer, ms.
    pub timer_ms: u64,
    /// Added to every forecast temperature, °F (a station's known bias).
    pub bias_f: f64,
    /// The fair-value strategy.
    pub fair_value: FairValueConfig,
    /// The quoter.
    pub quoter: QuoterConfig,
    /// The external strategy (a child process).
    pub external: ExternalConfig,
    /// Where fair probabilities come from.
    pub forecast: ForecastConfig,
}

impl Default for StrategyConfig {
    fn default() -> StrategyConfig {
        StrategyConfig {
            kind: StrategyKind::FairValue,
            enabled: true,
            timer_ms: 1_000,
            bias_f: 0.0,
            fair_value: FairValueConfig::default(),
            quoter: QuoterConfig::default(),
            external: ExternalConfig::default(),
            forecast: ForecastConfig::default(),
        }
    }
}

/// `[strategy] kind`: the built-in strategy to run: `fair_value`, `quoter` or `external`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
#[non_exhaustive]
pub enum StrategyKind {
    /// [`FairValue`]: takes (and optionally quotes) when the forecast's probability beats the
    /// book; `[strategy.fair_value]`.
    FairValue,
    /// [`Quoter`]: rests post-only bids and asks around the forecast's fair value, amended in
    /// place; `[strategy.quoter]`.
    Quoter,
    /// [`ExternalStrategy`]: a child process speaking the line protocol;
    /// `[strategy.external]`.
    External,
}

/// The kinds accepted, as the config spells them.
pub const STRATEGY_KINDS: &[&str] = &["fair_value", "quoter", "external"];

impl TryFrom<String> for StrategyKind {
    type Error = String;

    fn try_from(kind: String) -> Result<StrategyKind, String> {
        let accepted = STRATEGY_KINDS
            .iter()
            .map(|k| format!("{k:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        match kind.as_str() {
            "fair_value" => Ok(StrategyKind::FairValue),
            "quoter" => Ok(StrategyKind::Quoter),
            "external" => Ok(StrategyKind::External),
            k => Err(format!("unknown strategy kind {k:?}; accepted: {accepted}")),
        }
    }
}

/// Which forecast source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastSource {
    /// No forecast: the strategy never finds an edge.
    None,
    /// A JSON file (probabilities per ticker, or ensemble members per series and date),
    /// reloaded when it changes.
    File,
    /// Open-Meteo's ensemble API (or the simulator's copy of it).
    OpenMeteo,
}

/// `[strategy.forecast]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ForecastConfig {
    /// `none`, `file` or `open_meteo`.
    pub source: ForecastSource,
    /// The JSON file, for `source = "file"`.
    pub file: String,
    /// How often the file's modification time is checked, s.
    pub reload_check_s: u64,
    /// Open-Meteo's base URL; `/v1/ensemble` is appended. Empty with the embedded simulator:
    /// the simulator's synthetic ensemble (`…/_sim/forecast`).
    pub base_url: String,
    /// Open-Meteo ensemble model.
    pub model: String,
    /// Days ahead to ask for.
    pub forecast_days: u32,
    /// Refetch at least this often, s.
    pub refresh_s: u64,
    /// Also refetch this many minutes after each GFS cycle (00, 06, 12, 18 UTC), when the
    /// cycle's ensemble has been published.
    pub after_cycle_min: u32,
    /// Per-request timeout, ms.
    pub timeout_ms: u64,
    /// Series → settlement station (coordinates and time zone).
    pub cities: BTreeMap<String, City>,
}

/// A settlement station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct City {
    /// Latitude, degrees.
    pub latitude: f64,
    /// Longitude, degrees.
    pub longitude: f64,
    /// IANA time zone of the station's climate day.
    pub timezone: String,
}

impl Default for ForecastConfig {
    fn default() -> ForecastConfig {
        let city = |lat, lon, tz: &str| City {
            latitude: lat,
            longitude: lon,
            timezone: tz.to_owned(),
        };
        let cities = [
            ("KXHIGHNY", city(40.7789, -73.9692, "America/New_York")),
            ("KXHIGHCHI", city(41.7868, -87.7522, "America/Chicago")),
            ("KXHIGHMIA", city(25.7881, -80.3169, "America/New_York")),
            ("KXHIGHLAX", city(33.9382, -118.3866, "America/Los_Angeles")),
            ("KXHIGHAUS", city(30.1831, -97.6799, "America/Chicago")),
            ("KXHIGHDEN", city(39.8466, -104.6562, "America/Denver")),
        ]
        .into_iter()
        .map(|(s, c)| (s.to_owned(), c))
        .collect();
        ForecastConfig {
            source: ForecastSource::OpenMeteo,
            file: String::new(),
            reload_check_s: 5,
            base_url: String::new(),
            model: "gfs_seamless".into(),
            forecast_days: 7,
            refresh_s: 3_600,
            after_cycle_min: 300,
            timeout_ms: 10_000,
            cities,
        }
    }
}

impl StrategyConfig {
    /// The built-in strategy `kind` names, with its section's settings.
    pub fn builtin(&self) -> StrategyFactory {
        match self.kind {
            StrategyKind::FairValue => {
                let cfg = self.fair_value.clone();
                StrategyFactory::new(move || FairValue::new(cfg.clone()))
            }
            StrategyKind::Quoter => {
                let cfg = self.quoter.clone();
                StrategyFactory::new(move || Quoter::new(cfg.clone()))
            }
            StrategyKind::External => {
                let cfg = self.external.clone();
                StrategyFactory::new(move || ExternalStrategy::new(cfg.clone()))
            }
        }
    }

    /// Every problem, each naming its field.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errors: Vec<String> = self
            .fair_value
            .validate()
            .into_iter()
            .map(|e| e.replacen("strategy.", "strategy.fair_value.", 1))
            .collect();
        errors.extend(self.quoter.validate());
        if self.kind == StrategyKind::External {
            errors.extend(self.external.validate());
        }
        if self.timer_ms == 0 {
            errors.push("strategy.timer_ms: must be at least 1".into());
        }
        if !self.bias_f.is_finite() || self.bias_f.abs() > 30.0 {
            errors.push(format!(
                "strategy.bias_f: {} is not a plausible bias (within ±30 °F)",
                self.bias_f
            ));
        }
        let f = &self.forecast;
        if f.source == ForecastSource::File && f.file.trim().is_empty() {
            errors.push("strategy.forecast.file: required when source = \"file\"".into());
        }
        if f.source == ForecastSource::OpenMeteo {
            if !(1..=7 * 86_400).contains(&f.refresh_s) {
                errors.push(format!(
                    "strategy.forecast.refresh_s: {} is outside 1..=604800 (a week)",
                    f.refresh_s
                ));
            }
            if !(1..=35).contains(&f.forecast_days) {
                errors.push(format!(
                    "strategy.forecast.forecast_days: {} is outside 1..=35",
                    f.forecast_days
                ));
            }
            if f.timeout_ms == 0 {
                errors.push("strategy.forecast.timeout_ms: must be at least 1".into());
            }
            let http = f.base_url.starts_with("http://") || f.base_url.starts_with("https://");
            if !f.base_url.is_empty() && !http {
                errors.push(format!(
                    "strategy.forecast.base_url: {:?} is not an http(s) URL",
                    f.base_url
                ));
            }
            if f.after_cycle_min >= 360 {
                errors.push("strategy.forecast.after_cycle_min: must be under 360".into());
            }
        }
        for (series, c) in &f.cities {
            if let Err(e) = kalshi::SeriesTicker::new(series.as_str()) {
                errors.push(format!("strategy.forecast.cities.{series}: {e}"));
            }
            if !(-90.0..=90.0).contains(&c.latitude) || !(-180.0..=180.0).contains(&c.longitude) {
                errors.push(format!(
                    "strategy.forecast.cities.{series}: coordinates out of range"
                ));
            }
            if c.timezone.parse::<chrono_tz::Tz>().is_err() {
                errors.push(format!(
                    "strategy.forecast.cities.{series}.timezone: {:?} is not an IANA time zone",
                    c.timezone
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_valid_and_three_bad_values_are_all_named() {
        assert_eq!(StrategyConfig::default().validate(), Ok(()));
        let mut cfg = StrategyConfig {
            timer_ms: 0,
            ..StrategyConfig::default()
        };
        cfg.forecast.forecast_days = 99;
        cfg.forecast.cities.get_mut("KXHIGHNY").unwrap().timezone = "Mars/Olympus".into();
        let errors = cfg.validate().unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("strategy.timer_ms"));
        assert!(errors[1].starts_with("strategy.forecast.forecast_days"));
        assert!(errors[2].starts_with("strategy.forecast.cities.KXHIGHNY.timezone"));
    }

    #[test]
    fn kind_accepts_the_three_built_ins_and_refuses_the_rest_by_name() {
        let read = |text: &str| toml::from_str::<StrategyConfig>(text).map_err(|e| e.to_string());
        assert_eq!(read("").unwrap().kind, StrategyKind::FairValue);
        assert_eq!(
            read("kind = \"fair_value\"").unwrap().kind,
            StrategyKind::FairValue
        );
        assert_eq!(
            read("kind = \"quoter\"").unwrap().kind,
            StrategyKind::Quoter
        );
        assert_eq!(
            read("kind = \"external\"").unwrap().kind,
            StrategyKind::External
        );
        let err = read("kind = \"martingale\"").unwrap_err();
        assert!(
            err.contains("unknown strategy kind \"martingale\""),
            "{err}"
        );
        assert!(
            err.contains("accepted: \"fair_value\", \"quoter\", \"external\""),
            "{err}"
        );
    }
}
