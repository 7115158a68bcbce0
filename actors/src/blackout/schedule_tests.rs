//! Table tests of the pure schedule: `state_at` across every kind of boundary, and
//! `next_transition` walking them in order.

use chrono::{DateTime, TimeDelta, Utc};

use super::schedule::{
    BlackoutState, EXCHANGE_MAINTENANCE, Occurrence, Recurring, Schedule, WEEKLY_MAINTENANCE,
    Window,
};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn gfs(gated_max_min: Option<i64>) -> Recurring {
    Recurring {
        name: "gfs".into(),
        hours_utc: vec![0, 6, 12, 18],
        before: TimeDelta::minutes(5),
        after: TimeDelta::minutes(2),
        gated_max: gated_max_min.map(TimeDelta::minutes),
    }
}

fn fixed(name: &str, start: &str, end: &str) -> Window {
    Window {
        name: name.into(),
        start: t(start),
        end: t(end),
    }
}

fn blackout(reason: &[&str], until: &str) -> BlackoutState {
    BlackoutState {
        active: true,
        reason: reason.iter().map(|r| r.to_string()).collect(),
        until: Some(t(until)),
    }
}

fn open(until: &str) -> BlackoutState {
    BlackoutState {
        active: false,
        reason: vec![],
        until: Some(t(until)),
    }
}

/// Checks each `(instant, expected state)` row, naming the row that fails.
fn check(schedule: &Schedule, rows: &[(&str, BlackoutState)]) {
    for (at, want) in rows {
        assert_eq!(&schedule.state_at(t(at)), want, "state_at({at})");
    }
}

#[test]
fn gfs_windows_open_and_close_on_the_minute_across_midnight() {
    let s = Schedule::new(vec![gfs(None)], false, vec![]);
    check(
        &s,
        &[
            ("2026-01-13T23:54:59Z", open("2026-01-13T23:55:00Z")),
            (
                "2026-01-13T23:55:00Z",
                blackout(&["gfs 00z"], "2026-01-14T00:02:00Z"),
            ),
            (
                "2026-01-14T00:00:00Z",
                blackout(&["gfs 00z"], "2026-01-14T00:02:00Z"),
            ),
            (
                "2026-01-14T00:01:59Z",
                blackout(&["gfs 00z"], "2026-01-14T00:02:00Z"),
            ),
            ("2026-01-14T00:02:00Z", open("2026-01-14T05:55:00Z")),
            (
                "2026-01-14T05:55:00Z",
                blackout(&["gfs 06z"], "2026-01-14T06:02:00Z"),
            ),
            (
                "2026-01-14T12:01:59Z",
                blackout(&["gfs 12z"], "2026-01-14T12:02:00Z"),
            ),
            ("2026-01-14T18:02:00Z", open("2026-01-14T23:55:00Z")),
        ],
    );
}

#[test]
fn overlapping_windows_merge_and_name_every_active_window() {
    let s = Schedule::new(
        vec![gfs(None)],
        false,
        vec![
            fixed("fomc", "2026-01-14T00:00:00Z", "2026-01-14T00:30:00Z"),
            // Starts exactly when fomc ends: the blackout runs on without a gap.
            fixed("cpi", "2026-01-14T00:30:00Z", "2026-01-14T00:45:00Z"),
        ],
    );
    check(
        &s,
        &[
            ("2026-01-13T23:54:59Z", open("2026-01-13T23:55:00Z")),
            (
                "2026-01-13T23:55:00Z",
                blackout(&["gfs 00z"], "2026-01-14T00:45:00Z"),
            ),
            (
                "2026-01-14T00:00:00Z",
                blackout(&["gfs 00z", "fomc"], "2026-01-14T00:45:00Z"),
            ),
            (
                "2026-01-14T00:02:00Z",
                blackout(&["fomc"], "2026-01-14T00:45:00Z"),
            ),
            (
                "2026-01-14T00:30:00Z",
                blackout(&["cpi"], "2026-01-14T00:45:00Z"),
            ),
            ("2026-01-14T00:45:00Z", open("2026-01-14T05:55:00Z")),
        ],
    );
}

#[test]
fn new_york_maintenance_follows_daylight_saving() {
    let s = Schedule::new(vec![], true, vec![]);
    let w = &[WEEKLY_MAINTENANCE];
    check(
        &s,
        &[
            // Winter (EST, UTC-5): 08:00–10:00 UTC.
            ("2026-01-15T07:59:59Z", open("2026-01-15T08:00:00Z")),
            ("2026-01-15T08:00:00Z", blackout(w, "2026-01-15T10:00:00Z")),
            ("2026-01-15T09:59:59Z", blackout(w, "2026-01-15T10:00:00Z")),
            ("2026-01-15T10:00:00Z", open("2026-01-22T08:00:00Z")),
            // Wednesday at the same hour: open.
            ("2026-01-14T08:30:00Z", open("2026-01-15T08:00:00Z")),
            // The Thursdays either side of the March change (Sunday 2026-03-08).
            ("2026-03-05T07:30:00Z", open("2026-03-05T08:00:00Z")),
            ("2026-03-05T09:30:00Z", blackout(w, "2026-03-05T10:00:00Z")),
            ("2026-03-12T07:00:00Z", blackout(w, "2026-03-12T09:00:00Z")),
            // Summer (EDT, UTC-4): 07:00–09:00 UTC.
            ("2026-07-16T06:59:59Z", open("2026-07-16T07:00:00Z")),
            ("2026-07-16T07:00:00Z", blackout(w, "2026-07-16T09:00:00Z")),
            ("2026-07-16T09:00:00Z", open("2026-07-23T07:00:00Z")),
            // Across the November change (Sunday 2026-11-01) the next one moves back to 08:00.
            ("2026-10-29T09:00:00Z", open("2026-11-05T08:00:00Z")),
        ],
    );
}

#[test]
fn fixed_window_spanning_midnight_holds_through_it() {
    let s = Schedule::new(
        vec![],
        false,
        vec![fixed("nye", "2026-12-31T23:00:00Z", "2027-01-01T01:30:00Z")],
    );
    let until = "2027-01-01T01:30:00Z";
    check(
        &s,
        &[
            ("2026-12-31T22:59:59Z", open("2026-12-31T23:00:00Z")),
            ("2026-12-31T23:00:00Z", blackout(&["nye"], until)),
            ("2026-12-31T23:59:59Z", blackout(&["nye"], until)),
            ("2027-01-01T00:00:00Z", blackout(&["nye"], until)),
            ("2027-01-01T01:29:59Z", blackout(&["nye"], until)),
        ],
    );
    let after = s.state_at(t("2027-01-01T01:30:00Z"));
    assert_eq!(
        after,
        BlackoutState {
            active: false,
            reason: vec![],
            until: None
        }
    );
}

#[test]
fn a_late_probe_holds_the_window_open_until_the_data_is_there() {
    let mut s = Schedule::new(vec![gfs(Some(30))], false, vec![]);
    let occ = Occurrence {
        window: 0,
        cycle: t("2026-01-14T00:00:00Z"),
    };
    // Not ready yet: the window runs to its hard maximum, 23:55 + 30 min.
    check(
        &s,
        &[
            (
                "2026-01-13T23:55:00Z",
                blackout(&["gfs 00z"], "2026-01-14T00:25:00Z"),
            ),
            (
                "2026-01-14T00:02:00Z",
                blackout(&["gfs 00z"], "2026-01-14T00:25:00Z"),
            ),
        ],
    );
    assert!(
        s.awaiting_probe(t("2026-01-14T00:01:59Z")).is_empty(),
        "not before the nominal end"
    );
    let due = s.awaiting_probe(t("2026-01-14T00:02:00Z"));
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].occurrence, due[0].start),
        (occ, t("2026-01-13T23:55:00Z"))
    );
    assert_eq!(due[0].deadline, t("2026-01-14T00:25:00Z"));

    s.mark_ready(occ, t("2026-01-14T00:10:00Z"));
    check(
        &s,
        &[
            (
                "2026-01-14T00:09:59Z",
                blackout(&["gfs 00z"], "2026-01-14T00:10:00Z"),
            ),
            ("2026-01-14T00:10:00Z", open("2026-01-14T05:55:00Z")),
        ],
    );
    assert!(s.awaiting_probe(t("2026-01-14T00:05:00Z")).is_empty());
}

#[test]
fn a_probe_that_never_answers_ends_the_window_at_its_hard_maximum() {
    let s = Schedule::new(vec![gfs(Some(30))], false, vec![]);
    check(
        &s,
        &[
            (
                "2026-01-14T00:24:59Z",
                blackout(&["gfs 00z"], "2026-01-14T00:25:00Z"),
            ),
            ("2026-01-14T00:25:00Z", open("2026-01-14T05:55:00Z")),
        ],
    );
    assert!(s.awaiting_probe(t("2026-01-14T00:25:00Z")).is_empty());
    assert_eq!(
        s.next_probe_start(t("2026-01-14T00:00:00Z")),
        Some(t("2026-01-14T00:02:00Z"))
    );
}

#[test]
fn data_ready_early_does_not_cut_the_nominal_window() {
    let mut s = Schedule::new(vec![gfs(Some(30))], false, vec![]);
    let occ = Occurrence {
        window: 0,
        cycle: t("2026-01-14T00:00:00Z"),
    };
    s.mark_ready(occ, t("2026-01-13T23:58:00Z"));
    check(
        &s,
        &[
            (
                "2026-01-14T00:01:59Z",
                blackout(&["gfs 00z"], "2026-01-14T00:02:00Z"),
            ),
            ("2026-01-14T00:02:00Z", open("2026-01-14T05:55:00Z")),
        ],
    );
}

#[test]
fn exchange_windows_replace_the_previous_ones_and_inverted_ones_are_dropped() {
    let mut s = Schedule::new(vec![], false, vec![]);
    let (a, b) = (t("2026-02-12T08:00:00Z"), t("2026-02-12T10:00:00Z"));
    assert_eq!(s.set_exchange_windows([(a, b), (b, a), (a, a)]), 1);
    check(
        &s,
        &[(
            "2026-02-12T09:00:00Z",
            blackout(&[EXCHANGE_MAINTENANCE], "2026-02-12T10:00:00Z"),
        )],
    );
    assert_eq!(s.set_exchange_windows([]), 0);
    assert!(!s.is_blackout(t("2026-02-12T09:00:00Z")));
}

#[test]
fn an_empty_schedule_is_open_with_nothing_ahead() {
    let s = Schedule::new(vec![], false, vec![]);
    let now = t("2026-01-14T00:00:00Z");
    assert_eq!(
        s.state_at(now),
        BlackoutState {
            active: false,
            reason: vec![],
            until: None
        }
    );
    assert_eq!(s.next_transition(now), None);
}

#[test]
fn next_transition_visits_every_boundary_in_order() {
    let s = Schedule::new(
        vec![gfs(None)],
        true,
        vec![fixed(
            "fomc",
            "2026-01-15T00:00:00Z",
            "2026-01-15T00:30:00Z",
        )],
    );
    let mut now = t("2026-01-14T20:00:00Z");
    let mut seen = vec![];
    while let Some(next) = s
        .next_transition(now)
        .filter(|n| *n < t("2026-01-15T12:00:00Z"))
    {
        seen.push(next.format("%dT%H:%M").to_string());
        now = next;
    }
    assert_eq!(
        seen,
        [
            "14T23:55", "15T00:00", "15T00:02", "15T00:30", "15T05:55", "15T06:02", "15T08:00",
            "15T10:00", "15T11:55"
        ]
    );
}

#[test]
fn state_changes_only_at_next_transition() {
    let s = Schedule::new(
        vec![gfs(None)],
        true,
        vec![fixed(
            "fomc",
            "2026-01-14T23:59:30Z",
            "2026-01-15T00:00:30Z",
        )],
    );
    let mut now = t("2026-01-14T00:00:00Z");
    let end = t("2026-01-16T00:00:00Z");
    let mut boundary = s.next_transition(now).unwrap();
    let mut state = s.state_at(now);
    while now < end {
        now += TimeDelta::seconds(15);
        let next = s.state_at(now);
        if now < boundary {
            assert_eq!(
                next, state,
                "no boundary before {boundary}, yet the state changed at {now}"
            );
        } else {
            assert_eq!(now, boundary, "a 15 s step overshot a boundary");
            boundary = s.next_transition(now).unwrap();
        }
        state = next;
    }
}
