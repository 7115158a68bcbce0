//! `tradewind run` as a user runs it: the real binary with the shipped default config (its
//! journal moved to a temp dir), the embedded simulator, JSON logs. While it runs, `/metrics`
//! must parse as Prometheus text carrying every actor's figures, and `/healthz` must turn
//! unhealthy while the feed is starved and healthy again after. Stopped with SIGTERM, it exits
//! 0 with a summary showing orders placed and filled, zero 429s and no duplicate client ids.

mod common;

use std::{
    io::{BufRead, BufReader, Read},
    process::{Command, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

use common::run::request;

const WAIT: Duration = Duration::from_secs(60);

/// Polls `/healthz` until it answers `want` (the engine's state changes on its own time;
/// there is nothing to subscribe to from outside the process).
fn healthz_until(url: &str, want: u16) -> (Duration, String) {
    let started = Instant::now();
    loop {
        let (status, body) = request("GET", url, "");
        if status == want {
            return (started.elapsed(), body.trim().to_owned());
        }
        assert!(
            started.elapsed() < WAIT,
            "/healthz stayed {status} ({body}) instead of {want}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Checks every sample line is `name{labels} value` and answers the metric names.
fn parse_prometheus(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (series, value) = line.rsplit_once(' ').expect("a sample has a value");
        value
            .parse::<f64>()
            .unwrap_or_else(|_| panic!("value of {line:?}"));
        let name = series.split('{').next().unwrap();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
                && !name.starts_with(|c: char| c.is_ascii_digit()),
            "bad metric name in {line:?}"
        );
        if let Some(labels) = series.strip_prefix(name) {
            assert!(
                labels.is_empty() || (labels.starts_with('{') && labels.ends_with('}')),
                "bad labels in {line:?}"
            );
        }
        names.push(name.to_owned());
    }
    names
}

/// The shipped default config with its journal in `dir`, a 2 s idle watchdog and no scheduled
/// blackouts.
fn config_in(dir: &std::path::Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let default = include_str!("../config/default.toml");
    let journal = dir.join("journal.sqlite");
    let cfg = default
        .replace(
            "journal_path = \"target/tradewind/sim-journal.sqlite\"",
            &format!("journal_path = {:?}", journal.display().to_string()),
        )
        .replace("idle_timeout_ms = 30000", "idle_timeout_ms = 2000");
    assert_ne!(cfg, default, "the journal path was moved");
    let cfg = common::without_scheduled_blackouts(&cfg);
    let cfg_file = dir.join("run.toml");
    std::fs::write(&cfg_file, cfg).unwrap();
    cfg_file
}

/// Reads the child's JSON log lines on a thread.
fn json_logs(child: &mut std::process::Child) -> mpsc::Receiver<serde_json::Value> {
    let (tx, logs) = mpsc::channel::<serde_json::Value>();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str(&line) {
                let _ = tx.send(v);
            }
        }
    });
    logs
}

#[test]
fn run_trades_the_embedded_simulator_and_serves_metrics_and_health() {
    let dir = std::env::temp_dir().join(format!("tradewind-run-{}", std::process::id()));
    let cfg_file = config_in(&dir);

    let mut child = Command::new(env!("CARGO_BIN_EXE_tradewind"))
        .args(["run", "--config"])
        .arg(&cfg_file)
        .args(["--duration", "600s", "--log-format", "json"])
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tradewind starts");
    let logs = json_logs(&mut child);
    let field = |v: &serde_json::Value, k: &str| v["fields"][k].as_str().map(str::to_owned);
    let (mut admin, mut metrics, mut healthz) = (None, None, None);
    while admin.is_none() || metrics.is_none() {
        let v = logs
            .recv_timeout(WAIT)
            .expect("the engine logs its endpoints");
        admin = admin.or_else(|| field(&v, "admin"));
        metrics = metrics.or_else(|| field(&v, "metrics"));
        healthz = healthz.or_else(|| field(&v, "healthz"));
    }
    let (admin, metrics, healthz) = (admin.unwrap(), metrics.unwrap(), healthz.unwrap());

    // Healthy once every book is fresh.
    healthz_until(&healthz, 200);
    let (status, text) = request("GET", &metrics, "");
    assert_eq!(status, 200);
    let names = parse_prometheus(&text);
    for actor in [
        "gateway", "feed", "metadata", "blackout", "orders", "strategy",
    ] {
        let prefix = format!("tradewind_{actor}_");
        assert!(
            names.iter().any(|n| n.starts_with(&prefix)),
            "no {prefix}* metric in /metrics"
        );
    }

    // Starve the feed: the socket goes silent, the watchdog drops it, and every book is
    // stale until the stall ends.
    let (status, _) = request("POST", &format!("{admin}/faults"), r#"{"ws_stall": true}"#);
    assert_eq!(status, 200);
    let down = healthz_until(&healthz, 503);
    let (status, _) = request("POST", &format!("{admin}/faults"), r#"{"clear": true}"#);
    assert_eq!(status, 200);
    let up = healthz_until(&healthz, 200);
    println!("healthz: unhealthy {down:?} after the stall, healthy {up:?} after it ended");
    assert!(
        down.1.contains("feed") || down.1.contains("stale"),
        "unhealthy for the feed: {down:?}"
    );

    // Let it trade: wait until the strategy has seen fills.
    let started = Instant::now();
    loop {
        let (_, text) = request("GET", &metrics, "");
        let fills = text
            .lines()
            .find_map(|l| l.strip_prefix("tradewind_strategy_fills "))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(0.0);
        if fills >= 1.0 {
            break;
        }
        assert!(started.elapsed() < WAIT, "no fill within {WAIT:?}");
        std::thread::sleep(Duration::from_millis(200));
    }

    // Every client order id the exchange saw is one any venue accepts, bracket markets (whose
    // tickers carry a dot) included.
    let (status, log) = request("GET", &format!("{admin}/order_log"), "");
    assert_eq!(status, 200);
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    let attempts = log["attempts"].as_array().expect("an order log");
    assert!(!attempts.is_empty());
    let portable = |id: &str| {
        (1..=64).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    for a in attempts {
        let id = a["client_order_id"]
            .as_str()
            .expect("every order has a client id");
        assert!(portable(id), "client order id {id:?} for {}", a["ticker"]);
    }
    let brackets = attempts
        .iter()
        .filter(|a| a["ticker"].as_str().is_some_and(|t| t.contains('.')))
        .count();
    println!("{} orders, {brackets} on bracket markets", attempts.len());

    // Stop it as a service manager would: SIGTERM, then a clean exit with the summary.
    let killed = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", child.id())])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().expect("tradewind exits");
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    println!("{out}");
    assert!(status.success(), "exit {status:?}");
    let row = |name: &str| -> u64 {
        out.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().last())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} row in the summary:\n{out}"))
    };
    assert!(row("orders placed") > 0, "orders were placed");
    assert!(row("simulator: fills") > 0, "orders were filled");
    assert_eq!(row("simulator: 429s sent"), 0);
    assert_eq!(row("429s (engine saw)"), 0);
    assert_eq!(row("simulator: duplicate client ids"), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
