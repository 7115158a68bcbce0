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
fn a_place_on_a_stale_book_or_another_epoch_is_refused() {
    // Echoes every book with epoch + 1 (as if it kept one epoch for all markets).
    let body = "class E(Strategy):
    def on_book(self, book):
        return [dict(self.place(book['ticker'], 'bid', book['best_yes_bid'], '1'), epoch=book['epoch'] + 1)]
run(E())";
    let (mut s, rx) = started(python(body));
    let mut intents = s.on_book(&view(7));
    intents.extend(until(&mut s, &rx, "refusal", |m| {
        m["external_malformed_lines"] >= 1
    }));
    assert!(
        intents.is_empty(),
        "a place on epoch 8 was sent: {intents:?}"
    );
    // The right epoch, but the book went stale before the answer: refused too.
    let (mut s, rx) = started(python(&ECHO.replace("DELAY", "0.2")));
    let mut intents = s.on_book(&view(3));
    intents.extend(s.on_book_stale(&view(3).ticker));
    intents.extend(until(&mut s, &rx, "refusal", |m| {
        m["external_malformed_lines"] >= 1
    }));
    assert!(
        intents.iter().all(|i| matches!(i, Intent::CancelMarket(_))),
        "a place on a stale book was sent: {intents:?}"
    );
    assert_eq!(s.counters()["external_intents"], 0);
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
    let mut child = std::process::Command::new(&cfg.command)
        .args(&cfg.args)
        .stdin(std::process::Stdio::null())
        .spawn()
        .expect("python3 runs");
    // A module that ignored EOF would run on: fail at a deadline rather than hang.
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the module did not exit on stdin EOF within 20 s");
        }
        std::thread::sleep(Duration::from_millis(10)); // polling a child process, not a sync
    };
    assert!(status.success(), "{status}");
}
