//! The `tradewind` binary's config handling, end to end: the shipped configs parse, every bad
//! value is reported at once with its field, a missing key file is named without its contents,
//! production is refused without `--allow-production`, and `orders`/`positions` read a journal.
//! Each test runs the real binary in its own temp directory; nothing listens or connects.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
    sync::atomic::{AtomicU32, Ordering},
};

use chrono::Utc;
use kalshi::{
    ClientOrderId, Count, Money, Price, Ticker,
    types::{BookSide, TimeInForce},
};
use tradewind_actors::orders::{
    OrderSpec,
    journal::{Journal, Synchronous, Write},
    positions::Position,
    state::{OrderRecord, OrderState, Origin},
};

const KEY_ID: &str = "a952bcbe-ec3b-4b5b-b8f9-11dae589608c";

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tw-cli-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write temp file");
        path
    }

    /// A fresh Ed25519 private key (PEM) in the directory.
    fn key(&self) -> PathBuf {
        let pem = kalshi::sign::generate_ed25519_pem().expect("generate a key");
        self.write("key.pem", &pem)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("config")
        .join(name)
}

/// The binary, run in `dir`, without any Kalshi variables from the caller's environment.
fn tradewind(dir: &TempDir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tradewind"));
    cmd.current_dir(&dir.0)
        .env_remove("KALSHI_API_KEY_ID")
        .env_remove("KALSHI_PRIVATE_KEY_PATH");
    cmd
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("run tradewind");
    (
        status.code().expect("exit code"),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

#[test]
fn every_shipped_config_is_valid() {
    let dir = TempDir::new("shipped");
    let key = dir.key();
    let (code, out, err) = run(tradewind(&dir).arg("check-config"));
    assert_eq!(code, 0, "built-in default: {err}");
    assert!(out.trim_end().ends_with("ok"), "{out}");
    for name in [
        "default.toml",
        "demo.toml",
        "production.toml",
        "external-python.toml",
    ] {
        let (code, out, err) = run(tradewind(&dir)
            .arg("check-config")
            .arg(shipped(name))
            .env("KALSHI_API_KEY_ID", KEY_ID)
            .env("KALSHI_PRIVATE_KEY_PATH", &key));
        assert_eq!(code, 0, "{name}: {err}");
        assert!(out.trim_end().ends_with("ok"), "{name}: {out}");
        assert!(out.contains("[strategy.forecast]"), "{name}: {out}");
        assert!(!out.contains(KEY_ID), "{name} shows the key id: {out}");
        assert!(!out.contains("PRIVATE KEY"), "{name} shows key material");
    }
    let (_, out, _) = run(tradewind(&dir)
        .arg("check-config")
        .arg(shipped("demo.toml"))
        .env("KALSHI_API_KEY_ID", KEY_ID)
        .env("KALSHI_PRIVATE_KEY_PATH", &key));
    assert!(out.contains("api_key_id = \"a952…\""), "{out}");
    assert!(out.contains(&format!(
        "private_key_path = {:?}",
        key.display().to_string()
    )));
}

#[test]
fn three_bad_values_are_all_reported() {
    let dir = TempDir::new("three");
    let file = dir.write(
        "bad.toml",
        "[gateway]\nmax_in_flight = 0\n\n[feed]\nidle_timeout_ms = 0\n\n\
         [metrics]\nlisten = \"0.0.0.0:9184\"\n",
    );
    let (code, out, err) = run(tradewind(&dir).arg("check-config").arg(&file));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains(&format!("{}: 3 problems:", file.display())),
        "{err}"
    );
    for field in [
        "gateway.max_in_flight:",
        "feed.idle_timeout_ms:",
        "metrics.listen:",
    ] {
        assert!(err.contains(field), "{field} missing: {err}");
    }
    assert!(!out.contains("ok"), "{out}");
}

#[test]
fn type_errors_in_several_sections_are_all_reported_with_lines() {
    let dir = TempDir::new("types");
    let file = dir.write(
        "bad.toml",
        "[feed]\nidle_timeout_ms = \"soon\"\n[orders]\nmax_open_orders = -1\n",
    );
    let (code, _, err) = run(tradewind(&dir).arg("check-config").arg(&file));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("2 problems"), "{err}");
    assert!(
        err.contains("feed.idle_timeout_ms: ") && err.contains("line 2"),
        "{err}"
    );
    assert!(
        err.contains("orders.max_open_orders: ") && err.contains("line 4"),
        "{err}"
    );
}

#[test]
fn strategy_kind_selects_fair_value_and_refuses_the_rest_naming_the_field() {
    let dir = TempDir::new("kind");
    let file = dir.write("ok.toml", "[strategy]\nkind = \"fair_value\"\n");
    let (code, out, err) = run(tradewind(&dir).arg("check-config").arg(&file));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("kind = \"fair_value\""), "{out}");
    let cases = [("martingale", "unknown strategy kind \"martingale\"")];
    for (kind, says) in cases {
        let file = dir.write("bad.toml", &format!("[strategy]\nkind = {kind:?}\n"));
        let (code, out, err) = run(tradewind(&dir).arg("check-config").arg(&file));
        assert_eq!(code, 2, "{kind}: {out}{err}");
        assert!(err.contains("strategy.kind: "), "{kind}: {err}");
        assert!(err.contains(says), "{kind}: {err}");
        assert!(err.contains("accepted: \"fair_value\""), "{kind}: {err}");
        assert!(err.contains("(line 2, column 8)"), "{kind}: {err}");
    }
}

#[test]
fn the_quoter_kind_is_accepted_and_its_section_checked_naming_each_field() {
    let dir = TempDir::new("quoter");
    let file = dir.write("ok.toml", "[strategy]\nkind = \"quoter\"\n");
    let (code, out, err) = run(tradewind(&dir).arg("check-config").arg(&file));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("kind = \"quoter\""), "{out}");
    assert!(out.contains("[strategy.quoter]"), "{out}");
    let text = "[strategy]\nkind = \"quoter\"\n\n[strategy.quoter]\nedge = 0.0\nwrite_burst = 0\n";
    let file = dir.write("bad.toml", text);
    let (code, _, err) = run(tradewind(&dir).arg("check-config").arg(&file));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("2 problems"), "{err}");
    assert!(
        err.contains("strategy.quoter.edge: must be within (0, 0.5]"),
        "{err}"
    );
    assert!(
        err.contains("strategy.quoter.write_burst: must be at least 1"),
        "{err}"
    );
    let file = dir.write("unknown.toml", "[strategy.quoter]\nspread = 2\n");
    let (code, _, err) = run(tradewind(&dir).arg("check-config").arg(&file));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("strategy.quoter.spread: unknown field"),
        "{err}"
    );
}

#[test]
fn strategy_kind_external_needs_its_section_and_names_its_fields() {
    let dir = TempDir::new("external");
    let file = dir.write("bad.toml", "[strategy]\nkind = \"external\"\n");
    let (code, out, err) = run(tradewind(&dir).arg("check-config").arg(&file));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("strategy.external.command: required when kind = \"external\""),
        "{err}"
    );
    let file = dir.write(
        "bad.toml",
        "[strategy]\nkind = \"external\"\n[strategy.external]\ncommand = \"python3\"\n\
         answer_timeout_ms = 0\nrestart_backoff_max_ms = 10\n",
    );
    let (code, _, err) = run(tradewind(&dir).arg("check-config").arg(&file));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("strategy.external.answer_timeout_ms: must be at least 1"),
        "{err}"
    );
    assert!(
        err.contains("strategy.external.restart_backoff_max_ms: 10 is below"),
        "{err}"
    );
    let file = dir.write(
        "ok.toml",
        "[strategy]\nkind = \"external\"\n[strategy.external]\ncommand = \"python3\"\n\
         args = [\"s.py\"]\n[strategy.external.params]\nmin_edge = 0.02\n",
    );
    let (code, out, err) = run(tradewind(&dir).arg("check-config").arg(&file));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("[strategy.external.params]"), "{out}");
}

#[test]
fn an_unknown_field_is_named() {
    let dir = TempDir::new("unknown");
    let file = dir.write("bad.toml", "[gateway]\nmax_inflight = 3\n");
    let (code, _, err) = run(tradewind(&dir).arg("check-config").arg(&file));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("gateway.max_inflight: unknown field"), "{err}");
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn a_missing_key_file_is_named() {
    let dir = TempDir::new("nokey");
    let missing = dir.0.join("no-such-key.pem");
    let (code, out, err) = run(tradewind(&dir)
        .arg("check-config")
        .arg(shipped("demo.toml"))
        .env("KALSHI_API_KEY_ID", KEY_ID)
        .env("KALSHI_PRIVATE_KEY_PATH", &missing));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("exchange.private_key_path:"), "{err}");
    assert!(err.contains(&missing.display().to_string()), "{err}");
    assert!(err.contains("not found"), "{err}");
    assert!(!err.contains(KEY_ID), "the key id leaked: {err}");
}

#[test]
fn a_bad_key_file_is_named_without_its_contents() {
    let dir = TempDir::new("badkey");
    let secret = "c2VjcmV0IHNlY3JldCBzZWNyZXQgc2VjcmV0IHNlY3JldCBzZWNyZXQ=";
    let key = dir.write(
        "key.pem",
        &format!("-----BEGIN PRIVATE KEY-----\n{secret}\n-----END PRIVATE KEY-----\n"),
    );
    let (code, out, err) = run(tradewind(&dir)
        .arg("check-config")
        .arg(shipped("demo.toml"))
        .env("KALSHI_API_KEY_ID", KEY_ID)
        .env("KALSHI_PRIVATE_KEY_PATH", &key));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains(&key.display().to_string()), "{err}");
    assert!(
        !err.contains(secret) && !out.contains(secret),
        "key bytes leaked: {err}"
    );
}

#[test]
fn an_unset_variable_is_named_with_its_field() {
    let dir = TempDir::new("noenv");
    let (code, _, err) = run(tradewind(&dir)
        .arg("check-config")
        .arg(shipped("demo.toml")));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("exchange.api_key_id: environment variable KALSHI_API_KEY_ID"));
    assert!(
        err.contains("exchange.private_key_path: environment variable KALSHI_PRIVATE_KEY_PATH")
    );
}

#[test]
fn production_is_refused_without_the_flag() {
    let dir = TempDir::new("prod");
    let key = dir.key();
    let (code, out, err) = run(tradewind(&dir)
        .args(["run", "--duration", "1s", "--config"])
        .arg(shipped("production.toml"))
        .env("KALSHI_API_KEY_ID", KEY_ID)
        .env("KALSHI_PRIVATE_KEY_PATH", &key));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("--allow-production"), "{err}");
    assert!(!dir.0.join("tradewind-production-journal.sqlite").exists());
}

#[test]
fn bad_arguments_exit_2() {
    let dir = TempDir::new("args");
    let (code, _, err) = run(tradewind(&dir).args(["run", "--duration", "5x"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--duration") && err.contains("unknown unit"),
        "{err}"
    );
    let (code, _, err) = run(tradewind(&dir).args(["run", "--config", "nope.toml"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("nope.toml: 1 problem:") && err.contains("not found"),
        "{err}"
    );
}

fn order(seq: u64) -> OrderRecord {
    let key = format!("tw-test:KXHIGHNY-26NOV28-B50.5:{seq}");
    let now = Utc::now();
    OrderRecord {
        key: key.clone(),
        client_order_id: Some(ClientOrderId::new(key).expect("client order id")),
        order_id: None,
        intent_seq: Some(seq),
        origin: Origin::Intent,
        spec: OrderSpec {
            ticker: Ticker::new("KXHIGHNY-26NOV28-B50.5").expect("ticker"),
            side: BookSide::Bid,
            price: Price::from_cents(41).expect("price"),
            count: Count::from_whole(3),
            time_in_force: TimeInForce::GoodTillCanceled,
            post_only: true,
            reduce_only: false,
        },
        fill_sum: Count::ZERO,
        reported_filled: Count::ZERO,
        book_epoch: Some(1),
        state: OrderState::Resting,
        reason: None,
        created_at: now,
        updated_at: now,
        cancel_requested: false,
    }
}

#[test]
fn orders_and_positions_read_a_journal() {
    let dir = TempDir::new("journal");
    let path = dir.0.join("journal.sqlite");
    {
        let mut journal = Journal::open(&path, Synchronous::Full).expect("open journal");
        let o = order(1);
        let ticker = Ticker::new("KXHIGHCHI-26NOV28-T40").expect("ticker");
        let position = Position {
            position: Count::from_whole(4),
            exposure: Money::from_cents(180),
            realized: Money::from_cents(25),
            fees: Money::from_cents(7),
            last_price: Price::from_cents(45),
        };
        journal
            .commit(
                Utc::now(),
                &[
                    Write::Intent {
                        order: &o,
                        label: "t",
                    },
                    Write::Order(&o),
                    Write::Position(&ticker, &position),
                ],
            )
            .expect("commit");
    }
    let (code, out, err) = run(tradewind(&dir).arg("orders").arg("--journal").arg(&path));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("KXHIGHNY-26NOV28-B50.5") && out.contains("resting"),
        "{out}"
    );
    assert!(out.contains("1 orders (1 open)"), "{out}");
    let (code, out, err) = run(tradewind(&dir).arg("positions").arg("--journal").arg(&path));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("KXHIGHCHI-26NOV28-T40"), "{out}");
    assert!(out.contains("1 markets"), "{out}");

    // The journal named by a config, relative to the working directory.
    let cfg = dir.write("cfg.toml", "[orders]\njournal_path = \"journal.sqlite\"\n");
    let (code, out, err) = run(tradewind(&dir)
        .args(["orders", "--open", "--config"])
        .arg(&cfg));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("KXHIGHNY-26NOV28-B50.5"), "{out}");
}

#[test]
fn a_missing_journal_is_named() {
    let dir = TempDir::new("nojournal");
    let missing = dir.0.join("nothing.sqlite");
    let (code, _, err) = run(tradewind(&dir)
        .arg("positions")
        .arg("--journal")
        .arg(&missing));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&missing.display().to_string()), "{err}");
    // The default config's journal, not created yet in this directory: a runtime failure.
    let (code, _, err) = run(tradewind(&dir).arg("orders"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no journal at"), "{err}");
}
