//! `[blackout]` configuration: recurring windows around UTC hours (with optional readiness
//! probes), fixed windows, the exchange's maintenance windows, probe and refresh timing.
//! Unknown keys are errors; [`BlackoutConfig::validate`] reports every bad value at once, each
//! naming its field (`blackout.<field>`) and, for a window, the window.
//!
//! ```toml
//! [blackout]
//! weekly_maintenance = true   # Thursday 03:00–05:00 America/New_York
//! exchange_schedule = true    # maintenance windows from GET /exchange/schedule
//!
//! [[blackout.recurring]]
//! name = "gfs"
//! hours_utc = [0, 6, 12, 18]
//! minutes_before = 5
//! minutes_after = 2
//! # probe = { url = "https://example.org/gfs.{date}/{hour}/ready", max_minutes = 60 }
//!
//! [[blackout.fixed]]
//! name = "fomc"
//! start = "2026-03-18T17:45:00Z"
//! end = "2026-03-18T18:30:00Z"
//! ```

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::{
    probe::{ProbeTarget, expand},
    schedule::{Recurring, Schedule, Window},
};
use crate::base_url::BaseUrl;

/// Settings of the blackout clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BlackoutConfig {
    /// Windows repeated daily around UTC hours. Default: GFS cycles 00, 06, 12, 18 UTC, from 5
    /// minutes before to 2 minutes after.
    pub recurring: Vec<RecurringConfig>,
    /// Windows with a fixed start and end.
    pub fixed: Vec<FixedWindowConfig>,
    /// Include the exchange's weekly maintenance, Thursday 03:00–05:00 America/New_York.
    pub weekly_maintenance: bool,
    /// Read the exchange's maintenance windows from `GET /exchange/schedule`.
    pub exchange_schedule: bool,
    /// Re-read them this often, s (0 = only at start).
    pub schedule_refresh_s: u64,
    /// How often a probe-gated window past its nominal end asks its probe, s.
    pub probe_interval_s: u64,
    /// Timeout of one HTTP probe, ms.
    pub probe_timeout_ms: u64,
}

/// A window repeated every day around some UTC hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecurringConfig {
    /// Name; an occurrence is reported as `"{name} {HH}z"`.
    pub name: String,
    /// Hours, UTC, 0–23.
    pub hours_utc: Vec<i64>,
    /// The window starts this many minutes before the hour.
    pub minutes_before: i64,
    /// The window ends this many minutes after the hour (unless a probe holds it open).
    pub minutes_after: i64,
    /// Holds the window open until the new data is there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<ProbeConfig>,
}

/// A readiness probe: exactly one of `file` and `url`. `{date}` (`YYYYMMDD`) and `{hour}`
/// (`HH`) in either are replaced by the occurrence's UTC cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeConfig {
    /// Ready when this file exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// With `file`: ready only when the file was modified after the window started.
    #[serde(default)]
    pub fresh: bool,
    /// Ready when a GET of this URL answers 2xx (`https://`, or `http://` on loopback).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Hard maximum length of the window from its start, minutes: it ends then, ready or not.
    pub max_minutes: i64,
}

/// A window with a fixed start and end (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedWindowConfig {
    /// Name given as the reason.
    pub name: String,
    /// Start, RFC 3339 (`"2026-03-18T17:45:00Z"`).
    pub start: String,
    /// End, RFC 3339; must be after `start`.
    pub end: String,
}

impl Default for BlackoutConfig {
    fn default() -> Self {
        BlackoutConfig {
            recurring: vec![RecurringConfig {
                name: "gfs".to_owned(),
                hours_utc: vec![0, 6, 12, 18],
                minutes_before: 5,
                minutes_after: 2,
                probe: None,
            }],
            fixed: Vec::new(),
            weekly_maintenance: true,
            exchange_schedule: true,
            schedule_refresh_s: 3_600,
            probe_interval_s: 30,
            probe_timeout_ms: 5_000,
        }
    }
}

fn rfc3339(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("{s:?} is not an RFC 3339 date-time: {e}"))
}

impl BlackoutConfig {
    /// Every invalid value, each naming its field (`blackout.<field>: ...`).
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errs = Vec::new();
        for (i, r) in self.recurring.iter().enumerate() {
            r.check(&mut |field: &str, msg: String| {
                errs.push(format!(
                    "blackout.recurring[{i}].{field} ({:?}): {msg}",
                    r.name
                ));
            });
        }
        for (i, w) in self.fixed.iter().enumerate() {
            w.check(&mut |field: &str, msg: String| {
                errs.push(format!("blackout.fixed[{i}].{field} ({:?}): {msg}", w.name));
            });
        }
        if self.probe_interval_s == 0 {
            errs.push("blackout.probe_interval_s: must be positive".to_string());
        }
        if self.probe_timeout_ms == 0 {
            errs.push("blackout.probe_timeout_ms: must be positive".to_string());
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }

    /// The pure schedule these settings describe (exchange windows come later, from the
    /// exchange). Fails as [`BlackoutConfig::validate`] does.
    pub fn schedule(&self) -> Result<Schedule, Vec<String>> {
        self.validate()?;
        let recurring = self
            .recurring
            .iter()
            .map(|r| Recurring {
                name: r.name.clone(),
                hours_utc: r.hours_utc.iter().map(|h| *h as u32).collect(),
                before: TimeDelta::minutes(r.minutes_before),
                after: TimeDelta::minutes(r.minutes_after),
                gated_max: r.probe.as_ref().map(|p| TimeDelta::minutes(p.max_minutes)),
            })
            .collect();
        let fixed = self
            .fixed
            .iter()
            .filter_map(|w| {
                Some(Window {
                    name: w.name.clone(),
                    start: rfc3339(&w.start).ok()?,
                    end: rfc3339(&w.end).ok()?,
                })
            })
            .collect();
        Ok(Schedule::new(recurring, self.weekly_maintenance, fixed))
    }

    /// The probe of each recurring window, by index (`None` = not gated).
    pub fn probes(&self) -> Vec<Option<ProbeTarget>> {
        self.recurring
            .iter()
            .map(|r| {
                let p = r.probe.as_ref()?;
                match (&p.file, &p.url) {
                    (Some(path), _) => Some(ProbeTarget::File {
                        path: path.clone(),
                        fresh: p.fresh,
                    }),
                    (None, Some(url)) => Some(ProbeTarget::Http { url: url.clone() }),
                    (None, None) => None,
                }
            })
            .collect()
    }
}

/// A problem found in a field: its name (relative to the entry) and what is wrong.
type Problem<'a> = &'a mut dyn FnMut(&str, String);

impl RecurringConfig {
    /// Tells `err` every problem of this window.
    fn check(&self, err: Problem<'_>) {
        if self.name.trim().is_empty() {
            err("name", "must not be empty".into());
        }
        if self.hours_utc.is_empty() {
            err("hours_utc", "must list at least one hour".into());
        }
        for h in self.hours_utc.iter().filter(|h| !(0..=23).contains(*h)) {
            err("hours_utc", format!("{h} is not an hour (0–23)"));
        }
        for (field, v) in [
            ("minutes_before", self.minutes_before),
            ("minutes_after", self.minutes_after),
        ] {
            if v < 0 {
                err(field, format!("must not be negative, got {v}"));
            }
        }
        let length = self.minutes_before.max(0) + self.minutes_after.max(0);
        if length == 0 && self.minutes_before >= 0 && self.minutes_after >= 0 {
            err(
                "minutes_after",
                "the window is empty (0 minutes long)".into(),
            );
        }
        if let Some(p) = &self.probe {
            p.check(length, err);
        }
    }
}

impl ProbeConfig {
    /// Tells `err` every problem of this probe of a window `length` minutes long.
    fn check(&self, length: i64, err: Problem<'_>) {
        match (&self.file, &self.url) {
            (Some(_), Some(_)) => err("probe", "set `file` or `url`, not both".into()),
            (None, None) => err("probe", "set `file` or `url`".into()),
            (None, Some(url)) => {
                let sample = expand(url, DateTime::UNIX_EPOCH);
                if let Err(e) = BaseUrl::parse(&sample) {
                    err("probe.url", e);
                }
                if self.fresh {
                    err("probe.fresh", "applies to a `file` probe only".into());
                }
            }
            (Some(file), None) if file.trim().is_empty() => {
                err("probe.file", "must not be empty".into());
            }
            (Some(_), None) => {}
        }
        if self.max_minutes <= 0 {
            err(
                "probe.max_minutes",
                format!("must be positive, got {}", self.max_minutes),
            );
        } else if self.max_minutes < length {
            err(
                "probe.max_minutes",
                format!(
                    "must be at least the window's length, minutes_before + \
                     minutes_after = {length}, got {}",
                    self.max_minutes
                ),
            );
        }
    }
}

impl FixedWindowConfig {
    /// Tells `err` every problem of this window.
    fn check(&self, err: Problem<'_>) {
        if self.name.trim().is_empty() {
            err("name", "must not be empty".into());
        }
        let start = rfc3339(&self.start).map_err(|e| err("start", e));
        let end = rfc3339(&self.end).map_err(|e| err("end", e));
        if let (Ok(start), Ok(end)) = (start, end)
            && end <= start
        {
            err(
                "end",
                format!("{} must be after start {}", self.end, self.start),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_cover_the_gfs_cycles() {
        let cfg = BlackoutConfig::default();
        assert_eq!(cfg.validate(), Ok(()));
        assert_eq!(cfg.recurring[0].hours_utc, [0, 6, 12, 18]);
        assert_eq!(
            (
                cfg.recurring[0].minutes_before,
                cfg.recurring[0].minutes_after
            ),
            (5, 2)
        );
    }

    #[test]
    fn every_bad_value_is_reported_with_its_field_and_window() {
        let cfg = BlackoutConfig {
            recurring: vec![
                RecurringConfig {
                    name: "gfs".into(),
                    hours_utc: vec![6, 24, -1],
                    minutes_before: -5,
                    minutes_after: 2,
                    probe: Some(ProbeConfig {
                        file: None,
                        fresh: false,
                        url: None,
                        max_minutes: 0,
                    }),
                },
                RecurringConfig {
                    name: "ecmwf".into(),
                    hours_utc: vec![0],
                    minutes_before: 10,
                    minutes_after: 10,
                    probe: Some(ProbeConfig {
                        file: None,
                        fresh: false,
                        url: Some("http://data.example.org/{date}/{hour}".into()),
                        max_minutes: 15,
                    }),
                },
            ],
            fixed: vec![
                FixedWindowConfig {
                    name: "fomc".into(),
                    start: "2026-03-18T18:00:00Z".into(),
                    end: "2026-03-18T17:00:00Z".into(),
                },
                FixedWindowConfig {
                    name: "cpi".into(),
                    start: "yesterday".into(),
                    end: "2026-03-18T17:00:00Z".into(),
                },
            ],
            probe_interval_s: 0,
            ..BlackoutConfig::default()
        };
        let errs = cfg.validate().unwrap_err();
        let expected = [
            "blackout.recurring[0].hours_utc (\"gfs\"): 24 is not an hour",
            "blackout.recurring[0].hours_utc (\"gfs\"): -1 is not an hour",
            "blackout.recurring[0].minutes_before (\"gfs\"): must not be negative",
            "blackout.recurring[0].probe (\"gfs\"): set `file` or `url`",
            "blackout.recurring[0].probe.max_minutes (\"gfs\"): must be positive",
            "blackout.recurring[1].probe.url (\"ecmwf\"): URL",
            "blackout.recurring[1].probe.max_minutes (\"ecmwf\"): must be at least",
            "blackout.fixed[0].end (\"fomc\"): 2026-03-18T17:00:00Z must be after start",
            "blackout.fixed[1].start (\"cpi\"): \"yesterday\" is not an RFC 3339",
            "blackout.probe_interval_s: must be positive",
        ];
        assert_eq!(errs.len(), expected.len(), "{errs:#?}");
        for (e, want) in errs.iter().zip(expected) {
            assert!(e.starts_with(want), "{e:?} should start with {want:?}");
        }
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = toml::from_str::<BlackoutConfig>("weekly_maintnance = false")
            .unwrap_err()
            .to_string();
        assert!(err.contains("weekly_maintnance"), "{err}");
    }

    #[test]
    fn a_full_section_parses_into_a_schedule_and_probes() {
        let cfg: BlackoutConfig = toml::from_str(
            r#"
            weekly_maintenance = false
            [[recurring]]
            name = "gfs"
            hours_utc = [0, 12]
            minutes_before = 5
            minutes_after = 2
            probe = { file = "/data/gfs.{date}/{hour}/done", fresh = true, max_minutes = 30 }
            [[fixed]]
            name = "fomc"
            start = "2026-03-18T17:45:00-04:00"
            end = "2026-03-18T18:30:00-04:00"
            "#,
        )
        .unwrap();
        let schedule = cfg.schedule().unwrap();
        let at = rfc3339("2026-03-18T22:00:00Z").unwrap();
        assert_eq!(schedule.state_at(at).reason, ["fomc"]);
        assert_eq!(
            cfg.probes(),
            [Some(ProbeTarget::File {
                path: "/data/gfs.{date}/{hour}/done".into(),
                fresh: true
            })]
        );
    }
}
