//! [`ExternalStrategy`] over real `python3` processes (inline scripts on the repository's
//! Python module): answers come back as intents through the waker, late answers are dropped
//! and refused, a process that stops answering ticks is stopped and its markets pulled, and
//! the Python module ends when its stdin closes. Waits are polls with deadlines.

use std::{
    sync::{Arc, mpsc},
    time::{Duration, Instant},
};

use chrono::Utc;
use kalshi::{Count, Price, Ticker, book::OrderBook, level::PriceLevel, num::PriceRanges};

use super::{ExternalConfig, ExternalStrategy};
use crate::strategy::interface::{Intent, MarketView, Strategy, Waker};

const WAIT: Duration = Duration::from_secs(20);

/// `python3 -c` running `body` after importing the repository's module.
fn python(body: &str) -> ExternalConfig {
    let module = concat!(env!("CARGO_MANIFEST_DIR"), "/../python");
    ExternalConfig {
        command: "python3".into(),
        args: vec![
            "-c".into(),
            format!(
                "import sys\nsys.path.insert(0, {module:?})\nfrom tradewind_strategy import *\n{body}"
            ),
        ],
        ..ExternalConfig::default()
    }
}

/// A placing echo: one bid at the best bid per book, after `delay_s`.
const ECHO: &str = "import time
class E(Strategy):
    def on_book(self, book):
        time.sleep(DELAY)
        return [self.place(book['ticker'], 'bid', book['best_yes_bid'], '1')]
run(E())";

fn view(epoch: u64) -> MarketView {
    let level = |c, n| PriceLevel::new(Price::from_cents(c).unwrap(), Count::from_whole(n));
    MarketView {
        ticker: Ticker::new("T-1").unwrap(),
        epoch,
        book: Arc::new(OrderBook::from_snapshot(&[level(40, 5)], &[level(55, 5)]).unwrap()),
        grid: Arc::new(PriceRanges::linear_cent()),
        fair: None,
        position: Count::ZERO,
        now: Utc::now(),
        close_time: Utc::now() + chrono::TimeDelta::hours(6),
        tradable: true,
    }
}

fn started(cfg: ExternalConfig) -> (ExternalStrategy, mpsc::Receiver<()>) {
    let mut s = ExternalStrategy::new(cfg);
    let (tx, rx) = mpsc::channel();
    let first = s.on_start(Waker::new(move || {
        let _ = tx.send(());
    }));
    assert!(first.is_empty());
    (s, rx)
}

/// Calls `on_wake` after every wake until `done` holds for a counter snapshot.
fn until(
    s: &mut ExternalStrategy,
    rx: &mpsc::Receiver<()>,
    what: &str,
    done: impl Fn(&std::collections::BTreeMap<String, u64>) -> bool,
) -> Vec<Intent> {
    let deadline = Instant::now() + WAIT;
    let mut intents = Vec::new();
    while !done(&s.counters()) {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            rx.recv_timeout(left).is_ok(),
            "no {what} within {WAIT:?}: {:?}",
            s.counters()
        );
        intents.extend(s.on_wake());
    }
    intents
}

#[test]
fn a_book_comes_back_as_a_place_priced_on_its_epoch() {
    let (mut s, rx) = started(python(&ECHO.replace("DELAY", "0")));
    let mut intents = s.on_book(&view(7));
    intents.extend(until(&mut s, &rx, "intent", |m| m["external_intents"] >= 1));
    let [Intent::Place(p)] = intents.as_slice() else {
        panic!("{intents:?}")
    };
    assert_eq!(
        (p.book_epoch, p.spec.price),
        (7, Price::from_cents(40).unwrap())
    );
    assert_eq!(s.counters()["external_malformed_lines"], 0);
}

#[test]
fn an_answer_later_than_the_timeout_is_dropped_and_refused() {
    let cfg = ExternalConfig {
        answer_timeout_ms: 20,
        ..python(&ECHO.replace("DELAY", "0.2"))
    };
    let (mut s, rx) = started(cfg);
    let mut intents = s.on_book(&view(1));
    intents.extend(until(&mut s, &rx, "late answer", |m| {
        m["external_late_answers"] >= 1
    }));
    assert!(intents.is_empty(), "a late place was sent: {intents:?}");
    assert_eq!(s.counters()["external_intents"], 0);
}

#[test]
fn a_process_leaving_ticks_unanswered_is_stopped_and_restarted() {
    // Reads everything, answers nothing (not even ticks).
    let cfg = ExternalConfig {
        unresponsive_ms: 50,
        restart_backoff_min_ms: 10,
        ..python("import sys\nfor line in sys.stdin:\n    pass")
    };
    let (mut s, rx) = started(cfg);
    let deadline = Instant::now() + WAIT;
    while s.counters()["external_hung"] == 0 {
        assert!(
            Instant::now() < deadline,
            "never found hung: {:?}",
            s.counters()
        );
        s.on_timer(Utc::now());
        let _ = rx.recv_timeout(Duration::from_millis(20));
    }
    assert_eq!(s.counters()["external_exits"], 1);
    // Down, it is not found hung again.
    s.on_timer(Utc::now());
    assert_eq!(s.counters()["external_hung"], 1);
    until(&mut s, &rx, "restart", |m| {
        m["external_restarts"] >= 1 && m["external_up"] == 1
    });
}

#[test]
fn the_python_module_exits_when_stdin_closes() {
    let cfg = python("run(Strategy())");
    let status = std::process::Command::new(&cfg.command)
        .args(&cfg.args)
        .stdin(std::process::Stdio::null())
        .status()
        .expect("python3 runs");
    assert!(status.success(), "{status}");
}
