//! The engine says why nothing trades. `tradewind run` on the shipped default config (embedded
//! simulator, scheduled blackouts off, journal in a temp dir) whose forecast source is a
//! closed loopback port streams fresh books, places nothing, and says `idle: no forecast` in
//! its status line, `/metrics` (`tradewind_strategy_idle{key="no_forecast"} 1`) and `/healthz`
//! (still 200: idle is not a failure). The same config with the simulator's forecast says
//! `trading`. Each condition is polled with a deadline.

mod common;

use std::net::TcpListener;

use common::run::{row, sample, start};

/// A loopback address nothing listens on (bound, then released).
fn closed_port_url() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}")
}

/// The shipped default config in `dir`: a status line every second, no scheduled blackouts,
/// the forecast from `forecast_base` (empty: the simulator's).
fn config_in(dir: &std::path::Path, forecast_base: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let default = include_str!("../config/default.toml");
    let journal = dir.join("journal.sqlite");
    let cfg = default
        .replace(
            "journal_path = \"target/tradewind/sim-journal.sqlite\"",
            &format!("journal_path = {:?}", journal.display().to_string()),
        )
        .replace("status_interval_s = 5", "status_interval_s = 1")
        .replace(
            "base_url = \"\"           #",
            &format!("base_url = {forecast_base:?} #"),
        );
    assert!(cfg.contains("status_interval_s = 1"), "status every second");
    assert!(
        cfg.contains(&format!("base_url = {forecast_base:?}")),
        "forecast base set"
    );
    let cfg = common::without_scheduled_blackouts(&cfg);
    let file = dir.join("run.toml");
    std::fs::write(&file, cfg).unwrap();
    file
}

#[test]
fn without_a_forecast_the_engine_says_idle_no_forecast_and_places_nothing() {
    let dir = std::env::temp_dir().join(format!("tw-state-offline-{}", std::process::id()));
    let run = start(&config_in(&dir, &closed_port_url()));
    // Books arrive and are evaluated, and the strategy says why it does nothing with them.
    let text = run.metrics_until("idle: no forecast with books evaluated", |t| {
        sample(t, "tradewind_strategy_idle{key=\"no_forecast\"}") == 1
            && sample(t, "tradewind_strategy_books_evaluated") >= 50
    });
    assert_eq!(sample(&text, "tradewind_strategy_trading"), 0);
    assert_eq!(sample(&text, "tradewind_strategy_intents"), 0);
    assert!(sample(&text, "tradewind_strategy_forecast_errors") >= 1);
    let line = run.status_line_with("strategy idle: no forecast");
    println!("status: {line}");
    // Idle is not a failure: healthy, with the reason in the body.
    let body = run.healthy();
    assert!(body.contains("strategy idle: no forecast"), "{body}");
    let summary = run.stop();
    println!("{summary}");
    assert_eq!(row(&summary, "orders placed"), 0);
    assert_eq!(row(&summary, "simulator: orders"), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn with_the_simulators_forecast_the_engine_says_trading() {
    let dir = std::env::temp_dir().join(format!("tw-state-online-{}", std::process::id()));
    let run = start(&config_in(&dir, ""));
    let text = run.metrics_until("trading", |t| sample(t, "tradewind_strategy_trading") == 1);
    assert!(sample(&text, "tradewind_strategy_forecast_loads") >= 1);
    let line = run.status_line_with("strategy trading");
    println!("status: {line}");
    let body = run.healthy();
    assert!(body.contains("strategy trading"), "{body}");
    let summary = run.stop();
    println!("{summary}");
    let _ = std::fs::remove_dir_all(&dir);
}
