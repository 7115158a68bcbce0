//! `tradewind run` as a child process for the end-to-end tests: start it on a config, read
//! its endpoints from its JSON log, poll `/metrics` and `/healthz` with a deadline, wait for a
//! status line, stop it with SIGTERM and read its summary.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

/// Longest wait for any one condition.
pub const WAIT: Duration = Duration::from_secs(60);

/// A minimal HTTP/1.1 GET over loopback: answers (status, body).
pub fn get(url: &str) -> (u16, String) {
    request("GET", url, "")
}

/// A minimal HTTP/1.1 POST with an empty body over loopback: answers (status, body).
pub fn post(url: &str) -> (u16, String) {
    request("POST", url, "")
}

/// A minimal HTTP/1.1 request with a JSON body over loopback: answers (status, body).
pub fn request(method: &str, url: &str, body: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut s = TcpStream::connect(host).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
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
pub fn sample(text: &str, series: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map_or(0, |v| v as u64)
}

/// A running `tradewind run`: the child, its JSON log lines, its `/metrics` and `/healthz`.
pub struct Run {
    child: Child,
    logs: mpsc::Receiver<serde_json::Value>,
    /// `/metrics`.
    pub metrics: String,
    /// `/healthz`.
    pub healthz: String,
    /// The embedded simulator's admin interface (`…/_sim`).
    pub admin: String,
    /// The engine's account on the embedded simulator (for `/_sim/orders?account_id=`).
    pub account: String,
}

/// Starts `tradewind run --config cfg` (JSON logs) and reads its endpoints from its log.
pub fn start(cfg: &std::path::Path) -> Run {
    let cfg = cfg.as_os_str();
    start_with(&[
        "run".as_ref(),
        "--config".as_ref(),
        cfg,
        "--duration".as_ref(),
        "600s".as_ref(),
        "--log-format".as_ref(),
        "json".as_ref(),
    ])
}

/// Starts `tradewind <args>` (which must log JSON with the embedded simulator: `run`,
/// `record`) and reads its endpoints from its log.
pub fn start_with(args: &[&std::ffi::OsStr]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tradewind"))
        .args(args)
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
    let (mut metrics, mut healthz, mut admin, mut account) = (None, None, None, None);
    while metrics.is_none() || healthz.is_none() || admin.is_none() || account.is_none() {
        let v = logs
            .recv_timeout(WAIT)
            .expect("the engine logs its endpoints");
        metrics = metrics.or_else(|| field(&v, "metrics"));
        healthz = healthz.or_else(|| field(&v, "healthz"));
        admin = admin.or_else(|| field(&v, "admin"));
        account = account.or_else(|| field(&v, "account"));
    }
    Run {
        child,
        logs,
        metrics: metrics.unwrap(),
        healthz: healthz.unwrap(),
        admin: admin.unwrap(),
        account: account.unwrap(),
    }
}

impl Run {
    /// Polls `/metrics` until `done` holds for its text; answers that text.
    pub fn metrics_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let (status, text) = get(&self.metrics);
            if status == 200 && done(&text) {
                return text;
            }
            if started.elapsed() > WAIT {
                let strategy: Vec<&str> = text
                    .lines()
                    .filter(|l| l.starts_with("tradewind_strategy_"))
                    .collect();
                panic!(
                    "no {what} within {WAIT:?}; the strategy's metrics:\n{}",
                    strategy.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Polls `/healthz` until it answers 200 (books fresh, gateway calm); answers the body.
    pub fn healthy(&self) -> String {
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

    /// Waits (with a deadline) for a log line for which `want` holds; answers it.
    pub fn log_until(
        &self,
        what: &str,
        want: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = self
                .logs
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no log line with {what} within {WAIT:?}"));
            if want(&v) {
                return v;
            }
        }
    }

    /// Waits for a status line containing `want` once books are fresh (not `books 0/…`).
    pub fn status_line_with(&self, want: &str) -> String {
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

    /// Waits (with a deadline) for the engine to exit on its own; answers its exit code and
    /// what it printed to stdout.
    pub fn exit_by_itself(mut self) -> (Option<i32>, String) {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("the child can be waited for") {
                break status;
            }
            assert!(started.elapsed() < WAIT, "tradewind did not exit by itself");
            std::thread::sleep(Duration::from_millis(100));
        };
        let mut out = String::new();
        let mut stdout = self.child.stdout.take().unwrap();
        stdout.read_to_string(&mut out).unwrap();
        (status.code(), out)
    }

    /// SIGKILL, as a crash or the OOM killer would: no shutdown, nothing flushed.
    pub fn kill_hard(mut self) {
        self.child.kill().expect("SIGKILL sent");
        let status = self.child.wait().expect("tradewind is reaped");
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(9),
            "{status:?}"
        );
    }

    /// SIGTERM; answers the summary printed at exit.
    pub fn stop(mut self) -> String {
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
pub fn row(summary: &str, name: &str) -> u64 {
    summary
        .lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} row in the summary:\n{summary}"))
}
