//! Where the strategy's forecast comes from: when to fetch Open-Meteo next and the request
//! URL for a city (pure), the fetch of every city's ensemble, and the forecast file watched for
//! changes. The actor decides when to call them and what to do with the result.

use std::{
    path::PathBuf,
    time::{Duration as StdDuration, SystemTime},
};

use chrono::{DateTime, Duration, Timelike, Utc};
use kalshi::SeriesTicker;

use super::{
    config::{City, ForecastConfig},
    forecast::Forecast,
};

/// Largest Open-Meteo answer read, bytes.
const MAX_ANSWER_BYTES: usize = 8 << 20;

/// GFS cycle hours, UTC.
const GFS_CYCLES: [u32; 4] = [0, 6, 12, 18];

/// When to fetch next after a fetch at `last`: `refresh_s` later, or `after_cycle_min`
/// after the next GFS cycle, whichever is sooner (never before `last`).
pub fn next_fetch(cfg: &ForecastConfig, last: DateTime<Utc>) -> DateTime<Utc> {
    // refresh_s is validated to at most a week; clamp anyway so no value can overflow.
    let periodic =
        last + Duration::seconds(i64::try_from(cfg.refresh_s.min(7 * 86_400)).unwrap_or(0));
    let after = Duration::minutes(i64::from(cfg.after_cycle_min));
    let day = last
        .with_minute(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(last)
        - Duration::hours(i64::from(last.hour()));
    let next_cycle = (0..3)
        .flat_map(|d| {
            GFS_CYCLES
                .iter()
                .map(move |h| day + Duration::days(d) + Duration::hours(i64::from(*h)) + after)
        })
        .find(|t| *t > last);
    next_cycle.map_or(periodic, |c| c.min(periodic))
}

/// The `/v1/ensemble` request for one city: daily maximum temperature of every member, °F,
/// in the station's time zone.
pub fn ensemble_url(base: &str, cfg: &ForecastConfig, city: &City) -> String {
    format!(
        "{}/v1/ensemble?latitude={}&longitude={}&daily=temperature_2m_max&models={}\
         &temperature_unit=fahrenheit&timezone={}&forecast_days={}",
        base.trim_end_matches('/'),
        city.latitude,
        city.longitude,
        cfg.model,
        city.timezone.replace('/', "%2F"),
        cfg.forecast_days
    )
}

/// When to fetch again after a fetch at `now`: on schedule ([`next_fetch`]) when it brought
/// data, else after `refresh_s` capped at a minute.
pub fn next_attempt(cfg: &ForecastConfig, now: DateTime<Utc>, got: bool) -> DateTime<Utc> {
    if got {
        next_fetch(cfg, now)
    } else {
        now + Duration::seconds(i64::try_from(cfg.refresh_s.min(60)).unwrap_or(60))
    }
}

/// One `/v1/ensemble` request per configured city: (series, URL).
pub fn ensemble_requests(base: &str, cfg: &ForecastConfig) -> Vec<(SeriesTicker, String)> {
    cfg.cities
        .iter()
        .filter_map(|(series, city)| {
            let url = ensemble_url(base, cfg, city);
            SeriesTicker::new(series).ok().map(|s| (s, url))
        })
        .collect()
}

/// Fetches every request in turn; answers the ensembles that arrived and one error per city
/// that did not.
pub async fn fetch_ensembles(
    client: awc::Client,
    requests: Vec<(SeriesTicker, String)>,
) -> (Forecast, Vec<String>) {
    let mut forecast = Forecast::default();
    let mut errors = Vec::new();
    for (series, url) in requests {
        let text = fetch_text(&client, &url).await;
        if let Err(e) = text.and_then(|t| forecast.add_open_meteo(&series, &t)) {
            errors.push(format!("{series}: {e}"));
        }
    }
    (forecast, errors)
}

/// The body of a successful GET, as text.
async fn fetch_text(client: &awc::Client, url: &str) -> Result<String, String> {
    let body = match client.get(url).send().await {
        Ok(mut resp) if resp.status().is_success() => resp
            .body()
            .limit(MAX_ANSWER_BYTES)
            .await
            .map_err(|e| e.to_string()),
        Ok(resp) => Err(format!("HTTP {}", resp.status())),
        Err(e) => Err(e.to_string()),
    };
    body.and_then(|b| String::from_utf8(b.to_vec()).map_err(|e| e.to_string()))
}

/// What a look at the forecast file found.
#[derive(Debug)]
pub enum FileCheck {
    /// Not changed since the last look.
    Unchanged,
    /// Not there, and never loaded (told once).
    Missing,
    /// Changed and read.
    Loaded(Forecast),
    /// Changed but unreadable (the last forecast stays).
    Failed(String),
}

/// The forecast file, reloaded when its modification time changes.
#[derive(Debug)]
pub struct ForecastFile {
    path: PathBuf,
    mtime: Option<SystemTime>,
    told_missing: bool,
}

impl ForecastFile {
    /// Watches `path`.
    pub fn new(path: impl Into<PathBuf>) -> ForecastFile {
        ForecastFile {
            path: path.into(),
            mtime: None,
            told_missing: false,
        }
    }

    /// The file watched.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Looks at the file: reads it when it changed since the last look.
    pub fn check(&mut self) -> FileCheck {
        let mtime = std::fs::metadata(&self.path)
            .and_then(|m| m.modified())
            .ok();
        if mtime.is_none() || mtime == self.mtime {
            if mtime.is_none() && self.mtime.is_none() && !self.told_missing {
                self.told_missing = true;
                return FileCheck::Missing;
            }
            return FileCheck::Unchanged;
        }
        self.mtime = mtime;
        match std::fs::read_to_string(&self.path)
            .map_err(|e| e.to_string())
            .and_then(|text| Forecast::from_file_json(&text))
        {
            Ok(f) => FileCheck::Loaded(f),
            Err(e) => FileCheck::Failed(e),
        }
    }

    /// How often to look, from the config.
    pub fn every(cfg: &ForecastConfig) -> StdDuration {
        StdDuration::from_secs(cfg.reload_check_s.max(1))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, h, m, 0).unwrap()
    }

    #[test]
    fn the_next_fetch_follows_the_gfs_cycles_or_the_refresh_whichever_is_sooner() {
        let cfg = ForecastConfig {
            refresh_s: 3 * 3600,
            after_cycle_min: 300,
            ..ForecastConfig::default()
        };
        // 00z + 5 h = 05:00; at 04:00 that is sooner than 07:00.
        assert_eq!(next_fetch(&cfg, at(4, 0)), at(5, 0));
        // At 05:00 exactly the next is 06z + 5 h = 11:00, but the refresh (08:00) is sooner.
        assert_eq!(next_fetch(&cfg, at(5, 0)), at(8, 0));
        // 18z + 5 h = 23:00.
        assert_eq!(next_fetch(&cfg, at(22, 30)), at(23, 0));
        // After 23:00 the next cycle is tomorrow's 00z + 5 h, the refresh is sooner.
        assert_eq!(
            next_fetch(&cfg, at(23, 30)),
            at(23, 30) + Duration::hours(3)
        );
    }

    #[test]
    fn the_url_asks_for_every_member_in_fahrenheit_in_local_time() {
        let cfg = ForecastConfig::default();
        let url = ensemble_url("http://x/_sim/forecast/", &cfg, &cfg.cities["KXHIGHNY"]);
        assert!(url.starts_with("http://x/_sim/forecast/v1/ensemble?latitude=40.7789"));
        assert!(url.contains("temperature_unit=fahrenheit"));
        assert!(url.contains("timezone=America%2FNew_York"));
    }
}
