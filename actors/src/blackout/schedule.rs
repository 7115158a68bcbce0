//! The pure blackout schedule: which windows are active at an instant, when the blackout ends
//! (or the next one starts), and the next instant the set of active windows changes.
//!
//! Windows come from four sources: recurring windows around UTC hours (GFS cycles by
//! default), the exchange's weekly Thursday 03:00–05:00 America/New_York maintenance
//! (DST-aware), the maintenance windows `GET /exchange/schedule` announces, and fixed windows
//! from config. Every window is half-open, `[start, end)`.
//!
//! A recurring window may be *gated* by a readiness probe: it then lasts until the probe says
//! its data is there ([`Schedule::mark_ready`]) but never past its hard maximum length. The
//! probe itself runs in the actor; the schedule only takes its results as input, so
//! [`Schedule::state_at`] stays a pure function of the schedule and the instant.

use std::{collections::BTreeMap, fmt};

use chrono::{
    DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::America::New_York;
use serde::Serialize;

/// How far ahead recurring and weekly windows are generated. Bounds the search for the next
/// window and the chaining of back-to-back windows into one blackout.
pub const HORIZON: TimeDelta = TimeDelta::days(8);
/// Day of the exchange's weekly maintenance (America/New_York).
pub const WEEKLY_MAINTENANCE_DAY: Weekday = Weekday::Thu;
/// Start and end hour of the weekly maintenance, America/New_York local time.
pub const WEEKLY_MAINTENANCE_HOURS: (u32, u32) = (3, 5);
/// Reason given for the weekly maintenance window.
pub const WEEKLY_MAINTENANCE: &str = "weekly maintenance";
/// Reason given for a maintenance window announced by `GET /exchange/schedule`.
pub const EXCHANGE_MAINTENANCE: &str = "exchange maintenance";

/// The answer of [`Schedule::state_at`], and what `BlackoutChanged` carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlackoutState {
    /// Whether new orders are paused now.
    pub active: bool,
    /// The name of every window active now, in start order (`"gfs 00z"`, `"weekly
    /// maintenance"`, a fixed window's name, …); empty when open.
    pub reason: Vec<String>,
    /// Active: when the merged blackout ends (a probe-gated window still waiting for its data
    /// counts with its hard maximum, the latest it can end). Open: when the next blackout
    /// starts. `None` when no window lies ahead.
    pub until: Option<DateTime<Utc>>,
}

impl fmt::Display for BlackoutState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.active { "blackout" } else { "open" })?;
        if let Some(until) = self.until {
            write!(f, " until {}", until.to_rfc3339())?;
        }
        if !self.reason.is_empty() {
            write!(f, " ({})", self.reason.join(", "))?;
        }
        Ok(())
    }
}

/// A window repeated every day around some UTC hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurring {
    /// Name; each occurrence is called `"{name} {HH}z"`.
    pub name: String,
    /// Hours (UTC, 0–23) the windows centre on.
    pub hours_utc: Vec<u32>,
    /// Start this long before the hour.
    pub before: TimeDelta,
    /// End this long after the hour (the nominal end).
    pub after: TimeDelta,
    /// Set when a readiness probe gates the window: its hard maximum length, from its start.
    pub gated_max: Option<TimeDelta>,
}

/// A window with fixed start and end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Name given as the reason.
    pub name: String,
    /// First instant inside.
    pub start: DateTime<Utc>,
    /// First instant after.
    pub end: DateTime<Utc>,
}

/// One occurrence of a recurring window: its index in the schedule and the hour it centres on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Occurrence {
    /// Index of the recurring window (config order).
    pub window: usize,
    /// The UTC hour the occurrence centres on (the forecast cycle).
    pub cycle: DateTime<Utc>,
}

/// A gated occurrence past its nominal end whose probe has not answered "ready" yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwaitingProbe {
    /// Which occurrence.
    pub occurrence: Occurrence,
    /// When it started (a file probe may require a newer file).
    pub start: DateTime<Utc>,
    /// Its hard maximum end.
    pub deadline: DateTime<Utc>,
}

/// One concrete window instance.
#[derive(Debug, Clone)]
struct Instance {
    label: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// For a gated occurrence: which, and its nominal end.
    gate: Option<(Occurrence, DateTime<Utc>)>,
}

/// All blackout windows, and the readiness results of gated ones.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    recurring: Vec<Recurring>,
    weekly_maintenance: bool,
    fixed: Vec<Window>,
    exchange: Vec<Window>,
    ready: BTreeMap<Occurrence, DateTime<Utc>>,
}

impl Schedule {
    /// A schedule of recurring windows, the weekly maintenance when `weekly_maintenance`, and
    /// fixed windows. Windows whose end is not after their start are dropped.
    pub fn new(
        recurring: Vec<Recurring>,
        weekly_maintenance: bool,
        fixed: Vec<Window>,
    ) -> Schedule {
        Schedule {
            recurring,
            weekly_maintenance,
            fixed: fixed.into_iter().filter(|w| w.end > w.start).collect(),
            exchange: Vec::new(),
            ready: BTreeMap::new(),
        }
    }

    /// Replaces the exchange's maintenance windows; drops any whose end is not after its
    /// start. Returns how many were kept.
    pub fn set_exchange_windows(
        &mut self,
        windows: impl IntoIterator<Item = (DateTime<Utc>, DateTime<Utc>)>,
    ) -> usize {
        self.exchange = windows
            .into_iter()
            .filter(|(start, end)| end > start)
            .map(|(start, end)| Window {
                name: EXCHANGE_MAINTENANCE.to_owned(),
                start,
                end,
            })
            .collect();
        self.exchange.len()
    }

    /// Records that the probe of `occurrence` reported its data ready at `at`. The occurrence
    /// then ends at `at`, but never before its nominal end nor after its hard maximum.
    pub fn mark_ready(&mut self, occurrence: Occurrence, at: DateTime<Utc>) {
        self.ready.entry(occurrence).or_insert(at);
    }

    /// Forgets readiness results of occurrences that ended before `now`.
    pub fn prune(&mut self, now: DateTime<Utc>) {
        let recurring = &self.recurring;
        self.ready.retain(|occ, _| {
            recurring.get(occ.window).is_some_and(|r| {
                let max = r.gated_max.unwrap_or(r.before + r.after);
                occ.cycle - r.before + max >= now
            })
        });
    }

    /// The blackout state at `now`. Overlapping or touching windows merge into one blackout:
    /// `until` is the end of the merged run, `reason` names the windows active at `now`.
    pub fn state_at(&self, now: DateTime<Utc>) -> BlackoutState {
        let list = self.instances(now, now + HORIZON);
        let mut reason: Vec<String> = Vec::new();
        let mut end: Option<DateTime<Utc>> = None;
        for w in list.iter().take_while(|w| w.start <= now) {
            if !reason.contains(&w.label) {
                reason.push(w.label.clone());
            }
            end = end.max(Some(w.end));
        }
        let Some(mut end) = end else {
            return BlackoutState {
                active: false,
                reason,
                until: list.first().map(|w| w.start),
            };
        };
        for w in list.iter().skip_while(|w| w.start <= now) {
            if w.start > end {
                break;
            }
            end = end.max(w.end);
        }
        BlackoutState {
            active: true,
            reason,
            until: Some(end),
        }
    }

    /// Whether new orders are paused at `now`.
    pub fn is_blackout(&self, now: DateTime<Utc>) -> bool {
        self.state_at(now).active
    }

    /// The first instant after `now` at which a window starts or ends: the set of active
    /// windows, and so [`Schedule::state_at`], is constant from `now` until then.
    pub fn next_transition(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.instances(now, now + HORIZON)
            .iter()
            .flat_map(|w| [w.start, w.end])
            .filter(|t| *t > now)
            .min()
    }

    /// Gated occurrences active at `now`, past their nominal end, still waiting for their
    /// probe: what the actor should probe now.
    pub fn awaiting_probe(&self, now: DateTime<Utc>) -> Vec<AwaitingProbe> {
        self.instances(now, now + TimeDelta::seconds(1))
            .into_iter()
            .filter(|w| w.start <= now)
            .filter_map(|w| {
                let (occurrence, nominal_end) = w.gate?;
                (now >= nominal_end && !self.ready.contains_key(&occurrence)).then_some(
                    AwaitingProbe {
                        occurrence,
                        start: w.start,
                        deadline: w.end,
                    },
                )
            })
            .collect()
    }

    /// The first nominal end after `now` of a gated occurrence not yet ready: when probing
    /// must start.
    pub fn next_probe_start(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.instances(now, now + HORIZON)
            .iter()
            .filter_map(|w| w.gate)
            .filter(|(occ, nominal_end)| *nominal_end > now && !self.ready.contains_key(occ))
            .map(|(_, nominal_end)| nominal_end)
            .min()
    }

    /// Every window instance that intersects `[from, to)`, plus every fixed and exchange
    /// window ending after `from`, sorted by start.
    fn instances(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Instance> {
        let mut out = Vec::new();
        for (i, r) in self.recurring.iter().enumerate() {
            self.push_recurring(i, r, from, to, &mut out);
        }
        if self.weekly_maintenance {
            push_weekly(from, to, &mut out);
        }
        for w in self.fixed.iter().chain(&self.exchange) {
            if w.end > from {
                out.push(Instance {
                    label: w.name.clone(),
                    start: w.start,
                    end: w.end,
                    gate: None,
                });
            }
        }
        out.sort_by(|a, b| (a.start, &a.label).cmp(&(b.start, &b.label)));
        out
    }

    fn push_recurring(
        &self,
        index: usize,
        r: &Recurring,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        out: &mut Vec<Instance>,
    ) {
        // The longest an occurrence can reach past its hour.
        let reach = r
            .gated_max
            .map_or(r.after, |max| r.after.max(max - r.before));
        // An occurrence centred on `cycle` intersects [from, to) iff
        // cycle - before < to and cycle + reach > from.
        let (lo, hi) = (from - reach, to + r.before);
        let mut day = lo.date_naive();
        while day <= hi.date_naive() {
            for &hour in &r.hours_utc {
                let Some(t) = NaiveTime::from_hms_opt(hour, 0, 0) else {
                    continue;
                };
                let cycle = day.and_time(t).and_utc();
                if cycle <= lo || cycle >= hi {
                    continue;
                }
                let start = cycle - r.before;
                let nominal_end = cycle + r.after;
                let occurrence = Occurrence {
                    window: index,
                    cycle,
                };
                let (end, gate) = match r.gated_max {
                    None => (nominal_end, None),
                    Some(max) => {
                        let hard_end = (start + max).max(nominal_end);
                        let end = self
                            .ready
                            .get(&occurrence)
                            .map_or(hard_end, |at| (*at).max(nominal_end).min(hard_end));
                        (end, Some((occurrence, nominal_end)))
                    }
                };
                // A ready occurrence may end before `reach`: check the real extent.
                if end > start && end > from && start < to {
                    out.push(Instance {
                        label: format!("{} {:02}z", r.name, cycle.hour()),
                        start,
                        end,
                        gate,
                    });
                }
            }
            let Some(next) = day.succ_opt() else { break };
            day = next;
        }
    }
}

/// Adds the weekly Thursday maintenance windows intersecting `[from, to)`.
fn push_weekly(from: DateTime<Utc>, to: DateTime<Utc>, out: &mut Vec<Instance>) {
    let (start_h, end_h) = WEEKLY_MAINTENANCE_HOURS;
    let ny = |day: NaiveDate, hour: u32| {
        let local = day.and_time(NaiveTime::from_hms_opt(hour, 0, 0)?);
        // `earliest` also settles a time that a DST change repeats; 03:00 and 05:00 on a
        // Thursday never fall in one, as US changes happen on Sundays at 02:00.
        Some(
            New_York
                .from_local_datetime(&local)
                .earliest()?
                .with_timezone(&Utc),
        )
    };
    let mut day = from.with_timezone(&New_York).date_naive() - TimeDelta::days(1);
    let last = to.with_timezone(&New_York).date_naive();
    while day <= last {
        if day.weekday() == WEEKLY_MAINTENANCE_DAY
            && let (Some(start), Some(end)) = (ny(day, start_h), ny(day, end_h))
            && start < to
            && end > from
        {
            out.push(Instance {
                label: WEEKLY_MAINTENANCE.to_owned(),
                start,
                end,
                gate: None,
            });
        }
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
}
