//! The supervision tree giving up, as a user sees it: `tradewind run` (shipped default config,
//! embedded simulator, scheduled blackouts off, `[supervision] max_restarts = 1`) whose metadata
//! cache panics twice within the window (`POST /_fault/panic/metadata`, served by the test
//! build, which has the `fault-injection` feature) exits by itself with code 3, as the README's
//! exit-code table says. Each step is polled with a deadline.

mod common;

use common::run::{post, start};

/// The shipped default config in `dir` with one restart per actor tolerated.
fn config_in(dir: &std::path::Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let default = include_str!("../config/default.toml");
    let journal = dir.join("journal.sqlite");
    let cfg = default
        .replace(
            "journal_path = \"target/tradewind/sim-journal.sqlite\"",
            &format!("journal_path = {:?}", journal.display().to_string()),
        )
        .replace("max_restarts = 5 ", "max_restarts = 1 ");
    assert!(cfg.contains("max_restarts = 1 "), "one restart tolerated");
    let file = dir.join("run.toml");
    std::fs::write(&file, common::without_scheduled_blackouts(&cfg)).unwrap();
    file
}

#[test]
fn an_actor_failing_past_its_restart_intensity_makes_tradewind_exit_3() {
    let dir = std::env::temp_dir().join(format!("tw-escalate-{}", std::process::id()));
    let run = start(&config_in(&dir));
    run.healthy();
    let panic_url = run.metrics.replace("/metrics", "/_fault/panic/metadata");
    assert_eq!(post(&panic_url).0, 202, "the test build injects panics");
    run.metrics_until("the first restart", |m| {
        m.contains("tradewind_supervision_restarts{key=\"metadata\"} 1")
    });
    assert_eq!(post(&panic_url).0, 202);
    let (code, out) = run.exit_by_itself();
    assert_eq!(code, Some(3), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
