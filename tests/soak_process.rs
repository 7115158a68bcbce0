//! `tradewind soak --process-faults`, short: the engine as a child process of the soak,
//! SIGKILLed and restarted on its journal and made to panic actor by actor (the test build
//! has `fault-injection`: the dev-dependency turns it on), must come through with at least
//! one kill, one panic confirmed as a restart, and no invariant violated. Seed 4 draws a
//! kill first and a panic second, so a few faults are enough. About 40 s.

use std::process::Command;

/// The number after `label` on a line of the summary.
fn figure(out: &str, label: &str) -> u64 {
    out.lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no {label:?} in the summary:\n{out}"))
}

#[test]
fn the_engine_survives_kills_and_panics_with_no_violation() {
    let out = Command::new(env!("CARGO_BIN_EXE_tradewind"))
        .args([
            "soak",
            "--process-faults",
            "--minutes",
            "0.4",
            "--seed",
            "4",
        ])
        .args(["--process-fault-every-ms", "4000"])
        .output()
        .expect("tradewind runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "soak failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    assert!(figure(&stdout, "engine killed (SIGKILL)") >= 1, "{stdout}");
    let panics = figure(&stdout, "actor panics injected");
    assert!(panics >= 1, "{stdout}");
    assert_eq!(
        figure(&stdout, "restarts seen on /metrics"),
        panics,
        "{stdout}"
    );
    assert_eq!(figure(&stdout, "total"), 0, "{stdout}");
    assert!(figure(&stdout, "orders") > 0, "{stdout}");
}
