//! The files in `deploy/` agree with the engine. Every series the Grafana dashboard
//! (`deploy/grafana/tradewind.json`) queries is one that `/metrics` serves: the real binary runs
//! the shipped default config against the embedded simulator until it has traded and every
//! queried series (and every `key="..."` it names) has appeared, and each PromQL `expr` is taken
//! apart into its metric names. The systemd units and the Dockerfile agree with each other and
//! with the README: the exit code restarts cannot help, the hardening of both units, the metrics
//! port of the container.

mod common;

use std::{
    collections::BTreeSet,
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

const WAIT: Duration = Duration::from_secs(120);

/// Series Prometheus makes for every target itself, not served by `/metrics`.
const MADE_BY_PROMETHEUS: [&str; 1] = ["up"];

fn repo_file(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// A metric selector of a PromQL expression: its name and its `label="value"` matchers.
#[derive(Debug, PartialEq)]
struct Selector {
    name: String,
    equal: Vec<(String, String)>,
}

/// Keywords that are not metric names; those before `(` take a list of labels.
const KEYWORDS: [&str; 11] = [
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "and",
    "or",
    "unless",
    "offset",
];

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':'
}

/// The index after the string literal or bracketed group that opens at `i`.
fn skip_group(s: &[char], i: usize) -> usize {
    let close = match s[i] {
        '[' => ']',
        '(' => ')',
        q => q,
    };
    let mut j = i + 1;
    while j < s.len() && s[j] != close {
        j += if s[j] == '\\' { 2 } else { 1 };
    }
    j + 1
}

/// The `label="value"` matchers of the `{...}` that opens at `i`, and the index after it.
fn matchers(s: &[char], i: usize) -> (Vec<(String, String)>, usize) {
    let (mut out, mut j) = (Vec::new(), i + 1);
    while j < s.len() && s[j] != '}' {
        if !is_name_char(s[j]) {
            j += 1;
            continue;
        }
        let start = j;
        while j < s.len() && is_name_char(s[j]) {
            j += 1;
        }
        let label: String = s[start..j].iter().collect();
        let op_start = j;
        while j < s.len() && s[j] != '"' && s[j] != '\'' {
            j += 1;
        }
        let op: String = s[op_start..j]
            .iter()
            .filter(|c| !c.is_whitespace())
            .collect();
        let end = skip_group(s, j);
        let value: String = s[j + 1..end - 1].iter().collect();
        if op == "=" {
            out.push((label, value.replace("\\\"", "\"")));
        }
        j = end;
    }
    (out, j + 1)
}

/// Every metric selector in `expr`: functions, keywords, label lists, strings, ranges,
/// numbers and Grafana variables are left out.
fn selectors(expr: &str) -> Vec<Selector> {
    let s: Vec<char> = expr.chars().collect();
    let (mut out, mut i, mut after_name) = (Vec::<Selector>::new(), 0, false);
    while i < s.len() {
        let c = s[i];
        if c == '{' {
            let (equal, next) = matchers(&s, i);
            match out.last_mut() {
                Some(sel) if after_name => sel.equal.extend(equal),
                _ => out.push(Selector {
                    name: equal
                        .iter()
                        .find(|(l, _)| l == "__name__")
                        .map_or_else(String::new, |(_, v)| v.clone()),
                    equal,
                }),
            }
            (i, after_name) = (next, false);
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        after_name = false;
        if matches!(c, '"' | '\'' | '`' | '[') {
            i = skip_group(&s, i);
        } else if c == '$' || c.is_ascii_digit() || c == '.' {
            // A Grafana variable, a number or a duration.
            i += 1;
            while i < s.len() && (is_name_char(s[i]) || s[i] == '.' || s[i] == '{' || s[i] == '}') {
                i += 1;
            }
        } else if is_name_char(c) {
            let start = i;
            while i < s.len() && is_name_char(s[i]) {
                i += 1;
            }
            let word: String = s[start..i].iter().collect();
            let next = s[i..]
                .iter()
                .position(|c| !c.is_whitespace())
                .map(|p| i + p);
            // `f(...)`, and an aggregation written `sum by (...) (...)`.
            let rest: String = next.map_or_else(String::new, |n| s[n..].iter().collect());
            let call = rest.starts_with('(')
                || ["by", "without"].iter().any(|k| {
                    rest.strip_prefix(k)
                        .is_some_and(|r| r.trim_start().starts_with('('))
                });
            if KEYWORDS.contains(&word.as_str()) {
                if let (true, Some(n)) = (rest.starts_with('('), next) {
                    i = skip_group(&s, n);
                }
            } else if !call {
                out.push(Selector {
                    name: word,
                    equal: Vec::new(),
                });
                after_name = true;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The PromQL of the dashboard: each panel target's `expr` into `targets`, the selector of
/// each template variable's `label_values(selector, label)` into `variables`.
fn dashboard_exprs(v: &serde_json::Value, targets: &mut Vec<String>, variables: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v.as_str()) {
                    ("expr", Some(e)) => targets.push(e.to_owned()),
                    ("query", Some(q)) if q.starts_with("label_values(") => {
                        let inner = &q["label_values(".len()..q.len() - 1];
                        let selector = inner.rsplit_once(',').map_or(inner, |(s, _)| s);
                        variables.push(selector.to_owned());
                    }
                    _ => dashboard_exprs(v, targets, variables),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                dashboard_exprs(v, targets, variables);
            }
        }
        _ => {}
    }
}

/// `/metrics` as (name, key label) pairs; a series without a key gives `(name, None)`.
fn served(text: &str) -> BTreeSet<(String, Option<String>)> {
    let mut out = BTreeSet::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let series = line.rsplit_once(' ').map_or(line, |(s, _)| s);
        let (name, labels) = series.split_once('{').unwrap_or((series, ""));
        let key = labels
            .strip_prefix("key=\"")
            .and_then(|k| k.strip_suffix("\"}"))
            .map(|k| k.replace("\\\"", "\"").replace("\\\\", "\\"));
        out.insert((name.to_owned(), None));
        if key.is_some() {
            out.insert((name.to_owned(), key));
        }
    }
    out
}

/// What of `wanted` `/metrics` does not serve, one line each.
fn missing(wanted: &[Selector], served: &BTreeSet<(String, Option<String>)>) -> Vec<String> {
    let mut out = Vec::new();
    for sel in wanted {
        if MADE_BY_PROMETHEUS.contains(&sel.name.as_str()) {
            continue;
        }
        if !served.contains(&(sel.name.clone(), None)) {
            out.push(sel.name.clone());
        }
        for (label, value) in &sel.equal {
            let keyed = (sel.name.clone(), Some(value.clone()));
            if label == "key" && !served.contains(&keyed) {
                out.push(format!("{}{{key={value:?}}}", sel.name));
            }
        }
    }
    out
}

/// GET over loopback: answers the body of a 200, or `None`.
fn get(url: &str) -> Option<String> {
    let rest = url.strip_prefix("http://")?;
    let (host, path) = rest.split_once('/')?;
    let mut s = TcpStream::connect(host).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let (head, body) = out.split_once("\r\n\r\n")?;
    head.starts_with("HTTP/1.1 200").then(|| body.to_owned())
}

/// The engine process; killed if the test fails before stopping it.
struct Engine(Child);

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `tradewind run` on the shipped default config (journal in `dir`, at most 3 orders a
/// minute so refusals appear too) and answers the process and its `/metrics` URL.
fn start_engine(dir: &std::path::Path) -> (Engine, String) {
    std::fs::create_dir_all(dir).unwrap();
    let default = include_str!("../config/default.toml");
    let journal = dir.join("journal.sqlite").display().to_string();
    let cfg = default
        .replace(
            "journal_path = \"target/tradewind/sim-journal.sqlite\"",
            &format!("journal_path = {journal:?}"),
        )
        .replace("max_orders_per_minute = 120", "max_orders_per_minute = 3");
    let cfg = common::without_scheduled_blackouts(&cfg);
    assert_eq!(cfg.matches(&journal).count(), 1, "the journal path moved");
    assert!(cfg.contains("max_orders_per_minute = 3"));
    let cfg_file = dir.join("run.toml");
    std::fs::write(&cfg_file, cfg).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tradewind"))
        .args(["run", "--config"])
        .arg(&cfg_file)
        .args(["--duration", "600s", "--log-format", "json"])
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tradewind starts");
    let stderr = child.stderr.take().unwrap();
    let engine = Engine(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
            if let Some(url) = v["fields"]["metrics"]
                .as_str()
                .filter(|u| u.starts_with("http"))
            {
                let _ = tx.send(url.to_owned());
            }
        }
    });
    let url = rx
        .recv_timeout(WAIT)
        .expect("the engine logs its /metrics URL");
    (engine, url)
}

#[test]
fn every_series_the_dashboard_queries_is_served() {
    let dashboard: serde_json::Value =
        serde_json::from_str(&repo_file("deploy/grafana/tradewind.json")).expect("dashboard JSON");
    let (mut exprs, mut variables) = (Vec::new(), Vec::new());
    dashboard_exprs(&dashboard, &mut exprs, &mut variables);
    assert!(
        exprs.len() > 20 && variables.len() == 2,
        "{exprs:?} {variables:?}"
    );
    for expr in &exprs {
        // Many accounts share the dashboard: every panel picks job and instance.
        assert!(
            expr.contains("job=~\"$job\", instance=~\"$instance\""),
            "{expr}"
        );
    }
    exprs.extend(variables);
    let wanted: Vec<Selector> = exprs.iter().flat_map(|e| selectors(e)).collect();
    for sel in &wanted {
        let name = sel.name.as_str();
        assert!(
            name.starts_with("tradewind_") || MADE_BY_PROMETHEUS.contains(&name),
            "{name}"
        );
    }

    let dir = std::env::temp_dir().join(format!("tradewind-deploy-{}", std::process::id()));
    let (mut engine, metrics) = start_engine(&dir);
    let started = Instant::now();
    let gone = loop {
        let series = served(&get(&metrics).unwrap_or_default());
        let traded = series.contains(&("tradewind_orders_fills".to_owned(), None));
        let gone = missing(&wanted, &series);
        if (traded && gone.is_empty()) || started.elapsed() > WAIT {
            break gone;
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    assert!(
        gone.is_empty(),
        "the dashboard queries series /metrics does not serve: {gone:?}"
    );
    println!(
        "{} expressions, {} selectors, all served",
        exprs.len(),
        wanted.len()
    );

    // A clean stop, as systemd and Docker stop it.
    let pid = engine.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = engine.0.wait().expect("tradewind exits");
    assert!(status.success(), "exit {status:?} after SIGTERM");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn promql_is_taken_apart_into_metric_names() {
    let names = |e: &str| selectors(e).into_iter().map(|s| s.name).collect::<Vec<_>>();
    let cases: [(&str, &[&str]); 6] = [
        ("tradewind_feed_books", &["tradewind_feed_books"]),
        (
            "sum by (instance, key) (rate(a{job=~\"$job\", key=\"x,y}\"}[$__rate_interval]))",
            &["a"],
        ),
        (
            "a{i=~\"$i\"} / clamp_min(b{i=~\"$i\"}, 1) * 60",
            &["a", "b"],
        ),
        (
            "a + on(instance) group_left(key) b offset 5m > bool 0.5",
            &["a", "b"],
        ),
        ("max without (key) (up) or {__name__=\"c\"}", &["up", "c"]),
        (
            "label_replace(a, \"dst\", \"$1\", \"src\", \"(.*)\")",
            &["a"],
        ),
    ];
    for (expr, want) in cases {
        assert_eq!(names(expr), want, "{expr}");
    }
    let sel = &selectors("a{key=\"resting\", job=~\"$job\", x!=\"y\"}")[0];
    assert_eq!(sel.equal, [("key".to_owned(), "resting".to_owned())]);
}

/// The values of `Key=` lines of a unit file.
fn unit_values<'a>(unit: &'a str, key: &str) -> Vec<&'a str> {
    let prefix = format!("{key}=");
    unit.lines()
        .filter_map(|l| l.strip_prefix(prefix.as_str()))
        .collect()
}

#[test]
fn units_and_dockerfile_agree_with_each_other_and_the_readme() {
    let unit = repo_file("deploy/systemd/tradewind.service");
    let template = repo_file("deploy/systemd/tradewind@.service");
    let readme = repo_file("README.md");
    let docker = repo_file("deploy/Dockerfile");

    // The template is the single unit with the instance's files: same settings otherwise.
    let settings = |u: &str| -> Vec<String> {
        u.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| {
                l.replace(" account %i", "")
                    .replace("/%i.pem", "/kalshi.pem")
                    .replace("/%i.", "/tradewind.")
                    .replace("tradewind/%i", "tradewind")
            })
            .collect()
    };
    assert_eq!(settings(&template), settings(&unit));

    // Restarting cannot help a bad config: the code the units spare is the README's.
    let run_row = readme
        .lines()
        .find(|l| l.starts_with("| `tradewind run"))
        .expect("the README's commands table has `tradewind run`");
    let spared = unit_values(&unit, "RestartPreventExitStatus");
    assert_eq!(spared, ["2"]);
    for code in spared[0].split_whitespace() {
        assert!(run_row.contains(&format!("{code} bad config")), "{run_row}");
    }
    assert!(
        readme.contains("/etc/tradewind/%i.toml") && template.contains("/etc/tradewind/%i.toml")
    );

    // Docker: one metrics port for the health check, EXPOSE and the README's container config,
    // the journal's volume is the working directory, and the stop timeout is the unit's.
    let port = docker
        .lines()
        .find_map(|l| l.strip_prefix("EXPOSE "))
        .expect("EXPOSE");
    assert!(docker.contains(&format!("http://127.0.0.1:{port}/healthz")));
    assert!(readme.contains(&format!("listen = \"127.0.0.1:{port}\"")));
    assert!(docker.contains("VOLUME [\"/var/lib/tradewind\"]"));
    assert!(docker.contains("WORKDIR /var/lib/tradewind"));
    assert!(docker.lines().any(|l| l == "STOPSIGNAL SIGTERM"));
    let stop = unit_values(&unit, "TimeoutStopSec")[0].trim_end_matches('s');
    assert!(
        docker.contains(&format!("--stop-timeout {stop}")),
        "TimeoutStopSec={stop}s"
    );
}
