//! `kind = "external"` end to end: `tradewind run` on `config/external-python.toml` (embedded
//! simulator, scheduled blackouts off, journal in a temp dir) with a Python strategy process.
//! The shipped example trades (orders and fills, no duplicate client id, no 429); a process
//! that crashes with a quote resting has that quote cancelled at the exchange before it is
//! restarted (restarts counted); malformed lines are refused, counted and logged with their
//! reason while the process keeps trading; no strategy process outlives the engine, stopped or
//! SIGKILLed. Every condition is polled with a deadline.

mod common;

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use common::run::{Run, WAIT, get, row, sample, start};

/// The repository's root (the scripts' paths are made absolute with it).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `config/external-python.toml` in a temp dir, running `script`, with `[strategy.external]`'s
/// `key` set to `value` where given.
fn config(name: &str, script: &Path, set: Option<(&str, &str)>) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("tw-external-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let shipped = include_str!("../config/external-python.toml");
    let args = "args = [\"python/examples/take_edge.py\"]";
    assert!(shipped.contains(args));
    let mut cfg = shipped
        .replace(
            args,
            &format!("args = [{:?}]", script.display().to_string()),
        )
        .replace(
            "journal_path = \"target/tradewind/external-journal.sqlite\"",
            &format!(
                "journal_path = {:?}",
                dir.join("journal.sqlite").display().to_string()
            ),
        )
        .replace("status_interval_s = 5", "status_interval_s = 1");
    if let Some((key, value)) = set {
        let line = cfg
            .lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .expect("the key is in the shipped file")
            .to_owned();
        cfg = cfg.replace(&line, &format!("{key} = {value}"));
    }
    let cfg = common::without_scheduled_blackouts(&cfg);
    let file = dir.join("run.toml");
    std::fs::write(&file, cfg).unwrap();
    (dir, file)
}

/// The strategy's external metric `name` now.
fn external(run: &Run, name: &str) -> u64 {
    sample(
        &get(&run.metrics).1,
        &format!("tradewind_strategy_external_{name}"),
    )
}

/// The account's orders resting at the simulator.
fn resting_at_exchange(run: &Run) -> usize {
    let (status, body) = get(&format!("{}/orders?account_id={}", run.admin, run.account));
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["orders"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["status"] == "resting")
        .count()
}

/// The pid of the strategy process the engine logs as started (the next one).
fn strategy_pid(run: &Run) -> u32 {
    let line = run.log_until("the strategy process's start", |v| {
        v["fields"]["message"] == "strategy process started"
    });
    line["fields"]["pid"].as_u64().expect("a pid") as u32
}

/// Waits (with a deadline) until process `pid` has exited (gone, or a zombie nobody reaped).
fn wait_gone(pid: u32) {
    let deadline = Instant::now() + WAIT;
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // `pid (comm) S …`: the state follows the command's closing parenthesis.
        let state = stat.rsplit_once(") ").map(|(_, rest)| &rest[..1]);
        if matches!(state, None | Some("Z") | Some("X")) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "strategy process {pid} still runs: {stat}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_python_example_trades_the_embedded_simulator() {
    let script = root().join("python/examples/take_edge.py");
    let (dir, cfg) = config("example", &script, None);
    let run = start(&cfg);
    let pid = strategy_pid(&run);
    run.metrics_until("a fill of the Python strategy", |t| {
        sample(t, "tradewind_orders_fills{key=\"ws\"}")
            + sample(t, "tradewind_orders_fills{key=\"rest\"}")
            > 0
            && sample(t, "tradewind_strategy_external_intents") > 0
    });
    let summary = run.stop();
    println!("{summary}");
    assert!(row(&summary, "orders placed") > 0, "{summary}");
    assert!(row(&summary, "fills") > 0, "{summary}");
    assert!(row(&summary, "simulator: fills") > 0, "{summary}");
    assert_eq!(row(&summary, "simulator: duplicate client ids"), 0);
    assert_eq!(row(&summary, "429s (engine saw)"), 0);
    assert_eq!(row(&summary, "simulator: 429s sent"), 0);
    wait_gone(pid);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_strategy_process_ends_with_a_killed_engine() {
    let script = root().join("python/examples/take_edge.py");
    let (dir, cfg) = config("sigkill", &script, None);
    let run = start(&cfg);
    let pid = strategy_pid(&run);
    run.metrics_until("the process answering", |t| {
        sample(t, "tradewind_strategy_external_lines_in") > 0
    });
    // No shutdown path runs: the process learns it from its stdin closing.
    run.kill_hard();
    wait_gone(pid);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_crashed_process_has_its_quotes_pulled_and_is_restarted() {
    let script = root().join("tests/external_support/crash_once.py");
    // A restart delay long enough to see the exchange with the process down.
    let (dir, cfg) = config("crash", &script, Some(("restart_backoff_min_ms", "3000")));
    let run = start(&cfg);
    assert!(!run.account.is_empty(), "the engine logs its account");
    // The quote rested (the process crashes on seeing that) and the exit was seen.
    run.metrics_until("the process's exit", |t| {
        sample(t, "tradewind_strategy_external_exits") >= 1
    });
    let deadline = Instant::now() + WAIT;
    while resting_at_exchange(&run) > 0 {
        assert!(
            Instant::now() < deadline,
            "the crashed process's quote still rests"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        external(&run, "restarts"),
        0,
        "the quote was pulled before the restart"
    );
    assert!(external(&run, "pulls") >= 1);
    run.metrics_until("a restarted process", |t| {
        sample(t, "tradewind_strategy_external_restarts") >= 1
            && sample(t, "tradewind_strategy_external_up") == 1
    });
    assert_eq!(resting_at_exchange(&run), 0, "the new run places nothing");
    let summary = run.stop();
    println!("{summary}");
    assert!(
        row(&summary, "simulator: orders") >= 1,
        "the quote reached the exchange"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_malformed_line_is_refused_and_logged_and_the_process_keeps_trading() {
    let script = root().join("tests/external_support/malformed_then_trade.py");
    let (dir, cfg) = config("malformed", &script, None);
    let run = start(&cfg);
    let warn = run.log_until("a WARN naming the malformed line", |v| {
        v["level"] == "WARN"
            && v["fields"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("malformed"))
    });
    let reason = warn["fields"]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("not a JSON object"), "{warn}");
    run.log_until("the float price's reason", |v| {
        v["fields"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("invalid type: floating point"))
    });
    let text = run.metrics_until("intents after the malformed lines", |t| {
        sample(t, "tradewind_strategy_external_malformed_lines") >= 2
            && sample(t, "tradewind_strategy_accepted") > 0
    });
    assert_eq!(
        sample(&text, "tradewind_strategy_external_malformed_lines"),
        2
    );
    assert_eq!(
        sample(&text, "tradewind_strategy_external_exits"),
        0,
        "still running"
    );
    assert_eq!(sample(&text, "tradewind_strategy_external_up"), 1);
    let summary = run.stop();
    println!("{summary}");
    assert!(row(&summary, "orders placed") > 0, "{summary}");
    let _ = std::fs::remove_dir_all(&dir);
}
