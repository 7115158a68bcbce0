//! Forecasts follow the data cycle, end to end. `tradewind run` on the shipped default config
//! against the embedded simulator, whose hidden truths do not drift (so its synthetic
//! ensemble, `/_sim/forecast`, answers the same until told otherwise), with a short blackout
//! window named `gfs test` a few seconds after start instead of the scheduled ones. When the
//! window ends the strategy refetches, finds the same forecast, and places nothing however
//! often it asks again (`idle: waiting for a newer forecast`); once the simulator publishes
//! the next model run (`POST /_sim/forecast/run`) it takes that forecast and trades on it.

mod common;

use chrono::Utc;
use common::run::{Run, post, sample, start};

/// When the window starts and ends, seconds after the config is written: long enough for
/// the engine to start and load a first forecast, short enough for a test.
const WINDOW: (i64, i64) = (12, 14);

/// The simulator's config: its defaults (the catalogue the engine's config selects), with the
/// hidden truths' drift off.
fn sim_config_in(dir: &std::path::Path) -> std::path::PathBuf {
    let file = dir.join("sim.toml");
    std::fs::write(&file, "[liquidity]\ndrift_f_per_sqrt_hour = 0.0\n").unwrap();
    file
}

/// The shipped default config in `dir`: that simulator, no scheduled blackouts but one short
/// GFS window, the forecast refetched every 2 s.
fn config_in(dir: &std::path::Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let now = Utc::now();
    let at = |s| (now + chrono::Duration::seconds(s)).to_rfc3339();
    let default = include_str!("../config/default.toml");
    let journal = dir.join("journal.sqlite");
    let sim = sim_config_in(dir);
    let cfg = default
        .replace(
            "journal_path = \"target/tradewind/sim-journal.sqlite\"",
            &format!("journal_path = {:?}", journal.display().to_string()),
        )
        .replace(
            "# config = \"config/sim.toml\"",
            &format!("config = {:?}", sim.display().to_string()),
        )
        .replace(
            "fixed = []",
            &format!(
                "fixed = [{{ name = \"gfs test\", start = {:?}, end = {:?} }}]",
                at(WINDOW.0),
                at(WINDOW.1)
            ),
        )
        .replace("refresh_s = 3600", "refresh_s = 2");
    for want in ["config = ", "gfs test", "refresh_s = 2"] {
        assert!(cfg.contains(want), "{want} set");
    }
    let cfg = common::without_scheduled_blackouts(&cfg);
    let file = dir.join("run.toml");
    std::fs::write(&file, cfg).unwrap();
    file
}

fn intents(text: &str) -> u64 {
    sample(text, "tradewind_strategy_intents")
}

/// After the window: refetched, the same forecast seen `n` times, nothing newer taken.
fn waiting(run: &Run, n: u64) -> String {
    run.metrics_until("the same forecast refetched after the window", |t| {
        sample(t, "tradewind_strategy_forecast_refetches") >= 1
            && sample(t, "tradewind_strategy_forecast_not_newer") >= n
    })
}

#[test]
fn after_a_gfs_window_the_strategy_trades_only_on_a_newer_forecast() {
    let dir = std::env::temp_dir().join(format!("tw-cycle-{}", std::process::id()));
    let run = start(&config_in(&dir));
    let before = run.metrics_until("a forecast before the window", |t| {
        sample(t, "tradewind_strategy_forecast_loads") >= 1
    });
    println!("before the window: {} intents", intents(&before));

    let first = waiting(&run, 1);
    let held = intents(&first);
    assert_eq!(
        sample(&first, "tradewind_strategy_forecast_awaiting_newer"),
        1
    );
    // Asked again and again (every 2 s), the same forecast: books keep coming, nothing placed.
    let later = waiting(&run, 3);
    assert_eq!(intents(&later), held, "placed orders on the old forecast");
    assert_eq!(
        sample(
            &later,
            "tradewind_strategy_idle{key=\"awaiting_newer_forecast\"}"
        ),
        1
    );
    assert!(
        sample(&later, "tradewind_strategy_books_evaluated")
            > sample(&first, "tradewind_strategy_books_evaluated"),
        "books kept coming"
    );

    // The next model run is published: taken, and traded on.
    let (status, body) = post(&format!("{}/forecast/run", run.admin));
    assert_eq!(status, 200, "{body}");
    let after = run.metrics_until("trading on the new forecast", |t| {
        sample(t, "tradewind_strategy_forecast_awaiting_newer") == 0 && intents(t) > held
    });
    assert_eq!(sample(&after, "tradewind_strategy_trading"), 1);
    println!(
        "held at {held} intents through {} refetches of the same forecast; {} after the new run",
        sample(&later, "tradewind_strategy_forecast_not_newer"),
        intents(&after)
    );
    let summary = run.stop();
    println!("{summary}");
    let _ = std::fs::remove_dir_all(&dir);
}
