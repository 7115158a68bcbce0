//! `tradewind doctor` as a user runs it: the real binary, once against the embedded simulator
//! (every check passes, exit 0), and against a simulator started here on `127.0.0.1:0` with an
//! account whose key is in a file, through a config written to a temp dir — healthy, then
//! with a wrong key id, a skewed exchange clock and refused WebSocket upgrades, each of which
//! fails its own check by name with exit 1. The key id never appears in the output, the key
//! never. Nothing here needs the internet.

use std::{
    os::unix::fs::PermissionsExt,
    path::PathBuf,
    process::{Command, Output},
    sync::atomic::{AtomicU32, Ordering},
};

use kalshi::sign::{SigningKey, generate_ed25519_pem};
use kalshi_sim::{SimConfig, SimHandle, SimServer, server::faults::FaultPatch};

/// The check names in the order the doctor runs them.
const CHECKS: [&str; 10] = [
    "key",
    "dns+tls",
    "exchange",
    "clock",
    "auth",
    "limits",
    "websocket",
    "orderbook",
    "heartbeat",
    "decode",
];

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tw-doctor-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a doctor run printed and answered.
struct Run {
    code: i32,
    out: String,
    err: String,
}

impl Run {
    /// `(result, check)` of every check line, in order.
    fn lines(&self) -> Vec<(&str, &str)> {
        self.out
            .lines()
            .filter_map(|l| {
                let mut words = l.split_whitespace();
                let word = words.next()?;
                ["PASS", "FAIL", "SKIP"]
                    .contains(&word)
                    .then(|| (word, words.next().unwrap_or("")))
            })
            .collect()
    }

    /// The line of `check`.
    fn line(&self, check: &str) -> &str {
        self.out
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(check))
            .unwrap_or_else(|| panic!("no {check} line in\n{}", self.out))
    }

    /// Asserts every check ran, in order, with `expected` results; `check: result` pairs
    /// not listed must be PASS.
    fn expect(&self, expected: &[(&str, &str)]) {
        let got = self.lines();
        let names: Vec<&str> = got.iter().map(|(_, c)| *c).collect();
        assert_eq!(names, CHECKS, "{}{}", self.out, self.err);
        for (word, check) in got {
            let want = expected
                .iter()
                .find(|(c, _)| *c == check)
                .map_or("PASS", |(_, w)| *w);
            assert_eq!(word, want, "{check}:\n{}{}", self.out, self.err);
        }
    }
}

fn doctor(args: &[&str], dir: &TempDir) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_tradewind"))
        .arg("doctor")
        .args(args)
        .current_dir(&dir.0)
        .env_remove("RUST_LOG")
        .env_remove("KALSHI_API_KEY_ID")
        .env_remove("KALSHI_PRIVATE_KEY_PATH")
        .output()
        .expect("tradewind runs");
    let run = Run {
        code: status.code().expect("an exit code"),
        out: String::from_utf8_lossy(&stdout).into_owned(),
        err: String::from_utf8_lossy(&stderr).into_owned(),
    };
    println!("{}{}", run.out, run.err);
    run
}

/// A simulator with busy market makers and a ping every 200 ms, so a run takes about a second.
fn sim() -> SimHandle {
    let mut cfg = SimConfig {
        ws_ping_interval_ms: 200,
        ..SimConfig::default()
    };
    cfg.liquidity.actions_per_second = 300.0;
    SimServer::start(cfg).expect("simulator starts")
}

/// An account on `sim` whose Ed25519 key is in `dir/key.pem` (mode 0600), and a config
/// pointing at `sim` with `key_id`; answers the config's path and the registered key id.
fn remote_config(sim: &SimHandle, dir: &TempDir, key_id: Option<&str>) -> (PathBuf, String) {
    let pem = generate_ed25519_pem().expect("a key");
    let key_file = dir.0.join("key.pem");
    std::fs::write(&key_file, pem.as_bytes()).expect("key file");
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).expect("0600");
    let public = SigningKey::from_pem(&pem)
        .and_then(|k| k.public_key_pem())
        .expect("public key");
    let ids = sim
        .control()
        .register_account(&public, "basic", "250.00")
        .expect("account");
    let text = format!(
        "[exchange]\nmode = \"remote\"\nenvironment = \"sim\"\nrest_url = {:?}\nws_url = {:?}\n\
         api_key_id = {:?}\nprivate_key_path = {:?}\n\n[strategy.forecast]\nbase_url = {:?}\n",
        sim.rest_url(),
        sim.ws_url(),
        key_id.unwrap_or(&ids.api_key_id),
        key_file.display().to_string(),
        format!("{}/_sim/forecast", sim.base_url()),
    );
    let cfg = dir.0.join("doctor.toml");
    std::fs::write(&cfg, text).expect("config");
    (cfg, ids.api_key_id)
}

fn set(sim: &SimHandle, patch: FaultPatch) {
    sim.control().set_faults(&patch).expect("fault switch");
}

#[test]
fn against_the_embedded_simulator_every_check_passes() {
    let dir = TempDir::new("embedded");
    let run = doctor(&[], &dir);
    run.expect(&[]);
    assert_eq!(run.code, 0);
    assert!(run.out.contains("all 10 checks passed"), "{}", run.out);
    assert!(run.line("key").contains("Ed25519"));
    assert!(run.line("dns+tls").contains("TLS not used on loopback"));
    assert!(run.line("orderbook").contains("deltas in seq"));
    assert!(run.line("decode").contains("0 decode errors"));
}

#[test]
fn a_remote_simulator_passes_and_the_key_id_stays_masked() {
    let (sim, dir) = (sim(), TempDir::new("remote"));
    let (cfg, key_id) = remote_config(&sim, &dir, None);
    let run = doctor(&["--config", cfg.to_str().unwrap()], &dir);
    run.expect(&[]);
    assert_eq!(run.code, 0);
    let key_line = run.line("key");
    assert!(
        key_line.contains("from ") && key_line.contains("key.pem"),
        "{key_line}"
    );
    assert!(run.line("limits").contains("tier basic"));
    for text in [&run.out, &run.err] {
        assert!(!text.contains(&key_id), "the key id is shown");
        assert!(!text.contains("PRIVATE KEY"), "key material is shown");
    }
    assert!(
        key_line.contains(&format!("{}…", &key_id[..4])),
        "{key_line}"
    );
}

#[test]
fn a_wrong_key_id_fails_auth_and_skips_what_needs_it() {
    let (sim, dir) = (sim(), TempDir::new("key-id"));
    let wrong = "0badc0de-0000-4000-8000-000000000000";
    let (cfg, _) = remote_config(&sim, &dir, Some(wrong));
    let run = doctor(&["--config", cfg.to_str().unwrap()], &dir);
    let skipped = ["limits", "websocket", "orderbook", "heartbeat", "decode"];
    let mut expected = vec![("auth", "FAIL")];
    expected.extend(skipped.iter().map(|c| (*c, "SKIP")));
    run.expect(&expected);
    assert_eq!(run.code, 1);
    assert!(run.line("auth").contains("API key is not registered"));
    assert!(run.line("websocket").contains("needs auth, which failed"));
    assert!(run.out.contains("1 failed (auth)"), "{}", run.out);
    assert!(!run.out.contains(wrong) && !run.err.contains(wrong));
}

#[test]
fn a_skewed_exchange_clock_fails_the_clock_check() {
    let (sim, dir) = (sim(), TempDir::new("clock"));
    let (cfg, _) = remote_config(&sim, &dir, None);
    // Beyond the doctor's 5 s limit and the simulator's ±30 s signing window.
    set(
        &sim,
        FaultPatch {
            clock_skew_ms: Some(45_000),
            ..FaultPatch::default()
        },
    );
    let run = doctor(&["--config", cfg.to_str().unwrap()], &dir);
    run.expect(&[("clock", "FAIL")]);
    assert_eq!(run.code, 1);
    let clock = run.line("clock");
    assert!(clock.contains("ahead of this machine's"), "{clock}");
    assert!(run.out.contains("1 failed (clock)"), "{}", run.out);
}

#[test]
fn refused_websocket_upgrades_fail_the_websocket_check() {
    let (sim, dir) = (sim(), TempDir::new("ws"));
    let (cfg, _) = remote_config(&sim, &dir, None);
    set(
        &sim,
        FaultPatch {
            ws_refuse_upgrades: Some(true),
            ..FaultPatch::default()
        },
    );
    let run = doctor(&["--config", cfg.to_str().unwrap()], &dir);
    run.expect(&[
        ("websocket", "FAIL"),
        ("orderbook", "SKIP"),
        ("heartbeat", "SKIP"),
        ("decode", "SKIP"),
    ]);
    assert_eq!(run.code, 1);
    assert!(run.line("websocket").contains("HTTP 503"));
}

#[test]
fn a_bad_config_exits_2_and_help_lists_the_checks_as_the_readme_does() {
    let dir = TempDir::new("bad");
    let bad = dir.0.join("bad.toml");
    std::fs::write(&bad, "[gateway]\nmax_in_flight = 0\n").unwrap();
    let run = doctor(&["--config", bad.to_str().unwrap()], &dir);
    assert_eq!(run.code, 2, "{}", run.err);
    assert!(run.err.contains("gateway.max_in_flight"), "{}", run.err);

    let help = doctor(&["--help"], &dir);
    assert_eq!(help.code, 0);
    // `  1. key        the private key loads; …`
    let listed: Vec<&str> = help
        .out
        .lines()
        .filter_map(|l| {
            let (number, rest) = l.trim_start().split_once(". ")?;
            number.parse::<u32>().ok()?;
            rest.split_whitespace().next()
        })
        .collect();
    assert_eq!(listed, CHECKS, "--help:\n{}", help.out);
    // `| 1 | `key` | … |`
    let readme = include_str!("../README.md");
    let section = &readme[readme
        .find("### Before trading: `tradewind doctor`")
        .expect("section")..];
    let rows: Vec<&str> = section
        .lines()
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| {
            let mut cells = l.split('|').map(str::trim).skip(1);
            cells.next()?.parse::<u32>().ok()?;
            cells.next()?.strip_prefix('`')?.strip_suffix('`')
        })
        .collect();
    assert_eq!(rows, CHECKS, "the README's doctor table");
}
