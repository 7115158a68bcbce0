//! The quoter, end to end: `tradewind run --config config/quoter.toml` on the embedded
//! simulator (scheduled blackouts off, journal in a temp dir). Its post-only quotes rest on
//! both sides of the book, are amended in place (amends > 0), are filled by the simulator's
//! own takers (fills > 0, by the exchange's count), and never draw a 429. When the feed is
//! dropped (the simulator cuts every WebSocket and refuses new ones), every quote is pulled:
//! the simulator holds no resting order of the account within one second (polled with a
//! deadline, the time printed). With the feed back, the quoter quotes again. Every condition
//! is polled with a deadline; nothing sleeps to synchronise.

mod common;

use std::time::{Duration, Instant};

use common::run::{Run, WAIT, get, request, row, sample, start};
use serde_json::Value;

/// How soon after the feed drops every quote must be off the exchange.
const PULL_WITHIN: Duration = Duration::from_secs(1);

/// The shipped quoter config in `dir`: no scheduled blackouts, the journal in `dir`, a
/// status line every second.
fn config_in(dir: &std::path::Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let shipped = include_str!("../config/quoter.toml");
    let journal = dir.join("journal.sqlite");
    let cfg = shipped
        .replace(
            "journal_path = \"target/tradewind/quoter-journal.sqlite\"",
            &format!("journal_path = {:?}", journal.display().to_string()),
        )
        .replace("status_interval_s = 5", "status_interval_s = 1");
    assert!(cfg.contains("journal.sqlite\""), "journal moved");
    let cfg = common::without_scheduled_blackouts(&cfg);
    let file = dir.join("quoter.toml");
    std::fs::write(&file, cfg).unwrap();
    file
}

/// The account's resting orders on the simulator, as (book side, ticker).
fn resting(run: &Run) -> Vec<(String, String)> {
    let (status, body) = get(&format!("{}/orders?account_id={}", run.admin, run.account));
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    v["orders"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["status"] == "resting")
        .map(|o| {
            let s = |k: &str| o[k].as_str().unwrap_or_default().to_owned();
            (s("book_side"), s("ticker"))
        })
        .collect()
}

/// The account's fills on the simulator (`/_sim/fills`).
fn sim_fills(run: &Run) -> usize {
    let (status, body) = get(&format!("{}/fills?account_id={}", run.admin, run.account));
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    v["fills"].as_array().map_or(0, Vec::len)
}

/// A number from the simulator's `/_sim/stats`.
fn sim_stat(run: &Run, field: &str) -> u64 {
    let (status, body) = get(&format!("{}/stats", run.admin));
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    v[field]
        .as_u64()
        .unwrap_or_else(|| panic!("no {field} in {body}"))
}

/// Polls until quotes rest on both sides (bids and asks) at once; answers how many.
fn both_sides_resting(run: &Run) -> (usize, usize) {
    let started = Instant::now();
    loop {
        let orders = resting(run);
        let bids = orders.iter().filter(|(s, _)| s == "bid").count();
        let asks = orders.iter().filter(|(s, _)| s == "ask").count();
        if bids > 0 && asks > 0 {
            return (bids, asks);
        }
        assert!(
            started.elapsed() < WAIT,
            "quotes never rested on both sides: {orders:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Drops the feed (every WebSocket cut, new ones refused) and answers how long until the
/// simulator held no resting order of the account (panics past `PULL_WITHIN`).
fn drop_feed_and_time_the_pull(run: &Run) -> Duration {
    let body = r#"{"ws_refuse_upgrades": true, "ws_drop_now": "cut"}"#;
    let dropped = Instant::now();
    let (status, answer) = request("POST", &format!("{}/faults", run.admin), body);
    assert_eq!(status, 200, "{answer}");
    loop {
        let left = resting(run);
        let elapsed = dropped.elapsed();
        if left.is_empty() {
            return elapsed;
        }
        assert!(
            elapsed < PULL_WITHIN,
            "{} quotes still resting {elapsed:?} after the feed dropped: {left:?}",
            left.len()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn the_quoter_rests_amends_fills_and_pulls_within_a_second_of_a_feed_drop() {
    let dir = std::env::temp_dir().join(format!("tw-quoter-{}", std::process::id()));
    let run = start(&config_in(&dir));
    let (bids, asks) = both_sides_resting(&run);
    println!("resting: {bids} bids, {asks} asks");
    // Amended in place, filled by the simulator's takers.
    let text = run.metrics_until("amends and fills", |t| {
        sample(t, "tradewind_strategy_quote_amends") > 0
            && sample(t, "tradewind_strategy_fills") > 0
    });
    assert!(sample(&text, "tradewind_strategy_amends") > 0);
    assert!(sample(&text, "tradewind_strategy_requotes") > 0);
    assert_eq!(sample(&text, "tradewind_gateway_rate_limited"), 0);
    let fills = sim_fills(&run);
    assert!(fills > 0, "the exchange booked no fill for the account");
    println!("{fills} fills booked by the simulator");
    // Quotes rest on both sides again before the drop, so the pull has work to do.
    let (bids, asks) = both_sides_resting(&run);
    let took = drop_feed_and_time_the_pull(&run);
    println!("{bids} bids and {asks} asks pulled {took:?} after the feed dropped");
    let text = run.metrics_until("the pull counted", |t| {
        sample(t, "tradewind_strategy_pulls") > 0
    });
    assert!(sample(&text, "tradewind_strategy_cancels") > 0);
    // The feed comes back: the quoter quotes again.
    let (status, answer) = request(
        "POST",
        &format!("{}/faults", run.admin),
        r#"{"clear": true}"#,
    );
    assert_eq!(status, 200, "{answer}");
    let (bids, asks) = both_sides_resting(&run);
    println!("after the feed came back: {bids} bids, {asks} asks");
    assert_eq!(sim_stat(&run, "sent_429"), 0);
    let summary = run.stop();
    println!("{summary}");
    assert!(row(&summary, "amends") > 0, "{summary}");
    assert!(row(&summary, "strategy: requotes") > 0, "{summary}");
    assert!(row(&summary, "simulator: fills") > 0, "{summary}");
    assert_eq!(row(&summary, "429s (engine saw)"), 0, "{summary}");
    assert_eq!(row(&summary, "simulator: 429s sent"), 0, "{summary}");
    assert_eq!(
        row(&summary, "simulator: duplicate client ids"),
        0,
        "{summary}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
