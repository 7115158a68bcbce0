//! Where the strategy's forecast comes from, as pure functions: when to fetch Open-Meteo next
//! and the request URL for a city. The actor does the I/O.

use chrono::{DateTime, Duration, Timelike, Utc};

use super::config::{City, ForecastConfig};

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
