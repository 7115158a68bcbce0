//! The engine says why nothing trades. `tradewind run` on the shipped default config (embedded
//! simulator, scheduled blackouts off, journal in a temp dir) whose forecast source is a
//! closed loopback port streams fresh books, places nothing, and says `idle: no forecast` in
//! its status line, `/metrics` (`tradewind_strategy_idle{key="no_forecast"} 1`) and `/healthz`
//! (still 200: idle is not a failure). The same config with the simulator's forecast says
//! `trading`. Each condition is polled with a deadline.

mod common;

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

const WAIT: Duration = Duration::from_secs(60);

/// A minimal HTTP/1.1 GET over loopback: answers (status, body).
fn get(url: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut s = TcpStream::connect(host).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = out.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_owned();
    (status, body)
}

/// The value of one sample line of Prometheus text (`name{labels}` exactly), whole (these
/// are counts and flags), or 0.
fn sample(text: &str, series: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map_or(0, |v| v as u64)
}

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

/// A running `tradewind run`: the child, its JSON log lines, its `/metrics` and `/healthz`.
struct Run {
    child: Child,
    logs: mpsc::Receiver<serde_json::Value>,
    metrics: String,
    healthz: String,
}

fn start(cfg: &std::path::Path) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tradewind"))
        .args(["run", "--config"])
        .arg(cfg)
        .args(["--duration", "600s", "--log-format", "json"])
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tradewind starts");
    let (tx, logs) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                let _ = tx.send(v);
            }
        }
    });
    let field = |v: &serde_json::Value, k: &str| v["fields"][k].as_str().map(str::to_owned);
    let (mut metrics, mut healthz) = (None, None);
    while metrics.is_none() || healthz.is_none() {
        let v = logs
            .recv_timeout(WAIT)
            .expect("the engine logs its endpoints");
        metrics = metrics.or_else(|| field(&v, "metrics"));
        healthz = healthz.or_else(|| field(&v, "healthz"));
    }
    Run {
        child,
        logs,
        metrics: metrics.unwrap(),
        healthz: healthz.unwrap(),
    }
}

impl Run {
    /// Polls `/metrics` until `done` holds for its text; answers that text.
    fn metrics_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let (status, text) = get(&self.metrics);
            if status == 200 && done(&text) {
                return text;
            }
            assert!(started.elapsed() < WAIT, "no {what} within {WAIT:?}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Polls `/healthz` until it answers 200 (books fresh, gateway calm); answers the body.
    fn healthy(&self) -> String {
        let started = Instant::now();
        loop {
            let (status, body) = get(&self.healthz);
            if status == 200 {
                return body;
            }
            assert!(started.elapsed() < WAIT, "/healthz stayed {status}: {body}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Waits for a status line containing `want` once books are fresh (not `books 0/…`).
    fn status_line_with(&self, want: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = self
                .logs
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no status line with {want:?} within {WAIT:?}"));
            let msg = v["fields"]["message"].as_str().unwrap_or_default();
            if v["target"] == "status" && msg.contains(want) && !msg.contains("books 0/") {
                return msg.to_owned();
            }
        }
    }

    /// SIGTERM; answers the summary printed at exit.
    fn stop(mut self) -> String {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = self.child.wait().expect("tradewind exits");
        let mut out = String::new();
        let mut stdout = self.child.stdout.take().unwrap();
        stdout.read_to_string(&mut out).unwrap();
        assert!(status.success(), "exit {status:?}\n{out}");
        out
    }
}

/// A summary row's number.
fn row(summary: &str, name: &str) -> u64 {
    summary
        .lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} row in the summary:\n{summary}"))
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
