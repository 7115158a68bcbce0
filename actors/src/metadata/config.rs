//! `[metadata]` configuration: which markets to hold (series and events), for how long, and
//! how big a page to ask for.

use kalshi::{EventTicker, SeriesTicker, types::MarketStatusFilter};
use serde::{Deserialize, Serialize};

/// Settings of the metadata cache.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetadataConfig {
    /// Series whose markets are held and watched, e.g. `["KXHIGHNY", "KXHIGHMIA"]`.
    pub series: Vec<String>,
    /// Single events to hold as well, e.g. `["KXHIGHCHI-26NOV28"]`.
    pub events: Vec<String>,
    /// Market status to select (`open` by default; `unopened` markets are watched once open).
    pub status: MarketStatusFilter,
    /// How long a fetched selection stays fresh, s.
    pub ttl_s: u64,
    /// Markets per page, 1–1000.
    pub page_size: u32,
    /// Also hold the selection's events and series (titles, fee types).
    pub fetch_details: bool,
    /// Wait after a failed refresh before trying again, s.
    pub retry_s: u64,
}

impl Default for MetadataConfig {
    fn default() -> Self {
        MetadataConfig {
            series: Vec::new(),
            events: Vec::new(),
            status: MarketStatusFilter::Open,
            ttl_s: 3600,
            page_size: 1000,
            fetch_details: true,
            retry_s: 30,
        }
    }
}

impl MetadataConfig {
    /// Every invalid value, each naming its field.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errs = Vec::new();
        for (i, s) in self.series.iter().enumerate() {
            if let Err(e) = SeriesTicker::new(s.as_str()) {
                errs.push(format!("metadata.series[{i}]: {e}"));
            }
        }
        for (i, e) in self.events.iter().enumerate() {
            if let Err(err) = EventTicker::new(e.as_str()) {
                errs.push(format!("metadata.events[{i}]: {err}"));
            }
        }
        if self.ttl_s == 0 {
            errs.push("metadata.ttl_s: must be positive".into());
        }
        if !(1..=1000).contains(&self.page_size) {
            errs.push(format!(
                "metadata.page_size: must be 1 to 1000, got {}",
                self.page_size
            ));
        }
        if self.retry_s == 0 {
            errs.push("metadata.retry_s: must be positive".into());
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }

    /// The selection's series as tickers (invalid ones are dropped; `validate` names them).
    pub fn series_tickers(&self) -> Vec<SeriesTicker> {
        self.series
            .iter()
            .filter_map(|s| SeriesTicker::new(s.as_str()).ok())
            .collect()
    }

    /// The selection's events as tickers.
    pub fn event_tickers(&self) -> Vec<EventTicker> {
        self.events
            .iter()
            .filter_map(|s| EventTicker::new(s.as_str()).ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_are_all_named() {
        let cfg = MetadataConfig {
            series: vec!["KXHIGHNY".into(), "bad series".into()],
            ttl_s: 0,
            page_size: 5000,
            ..MetadataConfig::default()
        };
        let errs = cfg.validate().unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs[0].starts_with("metadata.series[1]"));
        assert!(errs[1].starts_with("metadata.ttl_s"));
        assert!(errs[2].starts_with("metadata.page_size"));
    }
}
