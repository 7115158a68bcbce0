//! Forecasts follow the data cycle (pure). When a GFS blackout window ends (a window whose name
//! starts with `gfs`, as the shipped config's does: reasons `"gfs 06z"`), a new model run is
//! being published: the strategy refetches its forecast and trades on it only once it is newer
//! than the one it had — a later model run where the source gives it, otherwise different
//! content (a hash). Until then it trades on nothing ([`ForecastCycle::awaiting`]) and asks
//! again with a doubling wait ([`ForecastCycle::awaiting_retry`]).

use std::{
    hash::{DefaultHasher, Hash, Hasher},
    time::Duration,
};

use chrono::{DateTime, Utc};

use super::forecast::Forecast;

/// What tells two forecasts apart: the model run, and a hash of the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForecastVersion {
    /// The model run, when the source gives it.
    pub model_run: Option<DateTime<Utc>>,
    /// A hash of every probability and ensemble member (in a fixed order).
    pub hash: u64,
}

impl ForecastVersion {
    /// The version of `f`.
    pub fn of(f: &Forecast) -> ForecastVersion {
        let mut probabilities: Vec<_> = f
            .probabilities
            .iter()
            .map(|(t, p)| (t.as_str(), p.to_bits()))
            .collect();
        probabilities.sort_unstable();
        let mut ensembles: Vec<_> = f
            .ensembles
            .iter()
            .map(|((s, d), m)| {
                // Members as a set: a parse may list them in any order.
                let mut bits: Vec<u64> = m.iter().map(|v| v.to_bits()).collect();
                bits.sort_unstable();
                (s.as_str(), *d, bits)
            })
            .collect::<Vec<(&str, _, Vec<u64>)>>();
        ensembles.sort_unstable();
        let mut h = DefaultHasher::new();
        probabilities.hash(&mut h);
        ensembles.hash(&mut h);
        ForecastVersion {
            model_run: f.model_run,
            hash: h.finish(),
        }
    }

    /// Whether this is newer than `old`: a later model run when both give one, else other
    /// content.
    pub fn is_newer_than(&self, old: &ForecastVersion) -> bool {
        match (self.model_run, old.model_run) {
            (Some(new), Some(old)) => new > old,
            _ => self.hash != old.hash,
        }
    }
}

/// Whether a GFS window ended between two blackout states' reasons: one was active before and
/// none is now.
pub fn gfs_window_ended(before: &[String], now: &[String]) -> bool {
    let gfs = |r: &String| r.to_ascii_lowercase().starts_with("gfs");
    before.iter().any(gfs) && !now.iter().any(gfs)
}

/// The strategy's place in the data cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForecastCycle {
    /// The version of the forecast traded on (of the source's last accepted answer).
    pub version: Option<ForecastVersion>,
    /// A GFS window ended and no newer forecast has arrived since.
    pub awaiting: bool,
    /// Answers that were not newer since the window ended.
    pub not_newer: u32,
    /// The blackout's reasons last seen.
    reasons: Vec<String>,
}

impl ForecastCycle {
    /// Takes the blackout's new reasons; answers whether a GFS window just ended (the
    /// strategy then awaits a newer forecast and refetches).
    pub fn blackout_changed(&mut self, reasons: &[String]) -> bool {
        let ended = gfs_window_ended(&self.reasons, reasons);
        self.reasons = reasons.to_vec();
        if ended && self.version.is_some() {
            self.awaiting = true;
            self.not_newer = 0;
        }
        ended
    }

    /// A forecast arrived: answers whether to trade on it — always when none is awaited, and
    /// when one is, only if it is newer than the last.
    pub fn offer(&mut self, f: &Forecast) -> bool {
        let v = ForecastVersion::of(f);
        let take = !self.awaiting || self.version.is_none_or(|old| v.is_newer_than(&old));
        if take {
            self.version = Some(v);
            self.awaiting = false;
        } else {
            self.not_newer = self.not_newer.saturating_add(1);
        }
        take
    }

    /// How long to wait before asking again while a newer forecast is awaited: a minute, then
    /// doubling with every answer that was not newer, at most `cap` (a new model run reaches
    /// a source such as Open-Meteo hours after its cycle; asking every minute meanwhile would
    /// spend thousands of requests a day on answers already seen).
    pub fn awaiting_retry(&self, cap: Duration) -> Duration {
        let minutes = 1u64 << self.not_newer.saturating_sub(1).min(10);
        Duration::from_secs(60 * minutes)
            .min(cap)
            .max(Duration::from_secs(1))
    }
}

#[cfg(test)]
#[path = "cycle_tests.rs"]
mod tests;
