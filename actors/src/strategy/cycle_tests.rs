//! Tests of the data cycle: versions by model run or content, GFS windows ending, and the
//! newer-only rule after one.

use chrono::TimeZone;
use kalshi::Ticker;

use super::*;

fn forecast(p: f64, run_hour: Option<u32>) -> Forecast {
    Forecast {
        probabilities: [(Ticker::new("KXHIGHNY-26DEC02-B50.5").unwrap(), p)].into(),
        model_run: run_hour.map(|h| Utc.with_ymd_and_hms(2026, 12, 2, h, 0, 0).unwrap()),
        ..Forecast::default()
    }
}

#[test]
fn newer_means_a_later_run_where_given_else_other_content() {
    let v = |p, run| ForecastVersion::of(&forecast(p, run));
    assert!(v(0.4, None).is_newer_than(&v(0.3, None)));
    assert!(!v(0.3, None).is_newer_than(&v(0.3, None)));
    assert!(v(0.3, Some(6)).is_newer_than(&v(0.3, Some(0))));
    assert!(!v(0.4, Some(0)).is_newer_than(&v(0.3, Some(6))));
    assert!(!v(0.4, Some(6)).is_newer_than(&v(0.3, Some(6))));
    // One side without a run: the content decides.
    assert!(v(0.4, Some(6)).is_newer_than(&v(0.3, None)));
}

#[test]
fn the_order_of_ensemble_members_does_not_make_a_forecast_newer() {
    let series = kalshi::SeriesTicker::new("KXHIGHNY").unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let with = |members: Vec<f64>| Forecast {
        ensembles: [((series.clone(), day), members)].into(),
        ..Forecast::default()
    };
    let a = ForecastVersion::of(&with(vec![50.1, 49.0, 51.2]));
    let b = ForecastVersion::of(&with(vec![51.2, 50.1, 49.0]));
    assert!(!b.is_newer_than(&a));
    assert!(ForecastVersion::of(&with(vec![51.3, 50.1, 49.0])).is_newer_than(&a));
}

#[test]
fn a_gfs_window_ends_when_no_gfs_reason_is_left() {
    let r = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(gfs_window_ended(&r(&["gfs 06z"]), &r(&[])));
    assert!(gfs_window_ended(
        &r(&["gfs 06z", "maintenance"]),
        &r(&["maintenance"])
    ));
    assert!(!gfs_window_ended(&r(&["maintenance"]), &r(&[])));
    assert!(!gfs_window_ended(&r(&[]), &r(&["gfs 12z"])));
    assert!(!gfs_window_ended(&r(&["gfs 06z"]), &r(&["GFS 06z"])));
}

#[test]
fn after_a_gfs_window_only_a_newer_forecast_is_taken() {
    let mut c = ForecastCycle::default();
    assert!(c.offer(&forecast(0.3, None)), "the first is always taken");
    assert!(c.offer(&forecast(0.3, None)), "outside the cycle: taken");
    assert!(!c.blackout_changed(&["gfs 06z".to_string()]));
    assert!(!c.awaiting, "not until the window ends");
    assert!(c.blackout_changed(&[]));
    assert!(c.awaiting);
    assert!(!c.offer(&forecast(0.3, None)), "the same forecast again");
    assert!(c.awaiting);
    assert!(c.offer(&forecast(0.35, None)), "the new run's forecast");
    assert!(!c.awaiting);
}

#[test]
fn a_window_ending_before_any_forecast_awaits_nothing() {
    let mut c = ForecastCycle::default();
    c.blackout_changed(&["gfs 00z".to_string()]);
    assert!(c.blackout_changed(&[]));
    assert!(!c.awaiting);
    assert!(c.offer(&forecast(0.3, None)));
}

#[test]
fn while_awaiting_the_wait_doubles_from_a_minute_up_to_the_cap() {
    use std::time::Duration;
    let hour = Duration::from_secs(3_600);
    let mut c = ForecastCycle::default();
    c.offer(&forecast(0.3, None));
    c.blackout_changed(&["gfs 06z".to_string()]);
    c.blackout_changed(&[]);
    let mut waits = Vec::new();
    for _ in 0..8 {
        assert!(!c.offer(&forecast(0.3, None)));
        waits.push(c.awaiting_retry(hour).as_secs() / 60);
    }
    assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60]);
    assert_eq!(
        c.awaiting_retry(Duration::from_secs(5)),
        Duration::from_secs(5)
    );
    c.blackout_changed(&["gfs 12z".to_string()]);
    c.blackout_changed(&[]);
    assert!(!c.offer(&forecast(0.3, None)));
    assert_eq!(
        c.awaiting_retry(hour),
        Duration::from_secs(60),
        "a new window starts over"
    );
}
