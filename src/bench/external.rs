//! The external-strategy scenario: the round trip the line protocol adds to a decision. An
//! [`ExternalStrategy`] runs `python/examples/echo.py` (one `place` for every `book`); each
//! round trip is `on_book` (the book encoded and queued) → writer thread → pipe → Python
//! decodes, decides, encodes → pipe → reader thread parses and validates → the waker → the
//! intent returned by `on_wake`. The baseline is the same decision by an in-process Rust
//! strategy (`on_book` returning the place), timed in the same run.

use std::{
    sync::{Arc, mpsc},
    time::{Duration, Instant},
};

use chrono::Utc;
use kalshi::{
    Count, Price, Ticker,
    book::OrderBook,
    level::PriceLevel,
    num::PriceRanges,
    types::{BookSide, TimeInForce},
};
use serde::Serialize;
use tradewind_actors::{
    orders::OrderSpec,
    strategy::{
        ExternalConfig, ExternalStrategy, Intent, MarketView, PlaceIntent, Strategy, Waker,
    },
};

/// The echo script, from the source tree this binary was built from.
const ECHO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/python/examples/echo.py");

/// Longest wait for one answer.
const ANSWER_WAIT: Duration = Duration::from_secs(5);

/// The same decision in process: a post-only bid at the best YES bid.
struct RustEcho;

impl Strategy for RustEcho {
    fn on_book(&mut self, view: &MarketView) -> Vec<Intent> {
        let price = view.book.best_yes_bid().map_or(Price::ZERO, |l| l.price);
        vec![Intent::Place(PlaceIntent {
            spec: OrderSpec {
                ticker: view.ticker.clone(),
                side: BookSide::Bid,
                price,
                count: Count::ONE,
                time_in_force: TimeInForce::GoodTillCanceled,
                post_only: true,
                reduce_only: false,
            },
            book_epoch: view.epoch,
        })]
    }
}

/// A book whose best bid moves with `i` (so no two updates are equal).
fn view(ticker: &Ticker, grid: &Arc<PriceRanges>, i: usize) -> MarketView {
    let cents = 30 + (i % 20) as u32;
    let level = |c: u32, n: i64| {
        PriceLevel::new(
            Price::from_cents(c).unwrap_or(Price::ZERO),
            Count::from_whole(n),
        )
    };
    let yes = [level(cents - 1, 50), level(cents, 10)];
    let no = [level(40, 20), level(45, 5)];
    MarketView {
        ticker: ticker.clone(),
        epoch: 1,
        book: Arc::new(OrderBook::from_snapshot(&yes, &no).unwrap_or_default()),
        grid: grid.clone(),
        fair: Some(0.5),
        position: Count::ZERO,
        now: Utc::now(),
        close_time: Utc::now() + chrono::TimeDelta::hours(6),
        tradable: true,
    }
}

/// Percentile `q` (0..=1) of sorted durations, µs.
fn pct(sorted: &[Duration], q: f64) -> f64 {
    let i = ((sorted.len().saturating_sub(1)) as f64 * q).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e6)
}

#[derive(Debug, Serialize)]
struct Figures {
    round_trips: usize,
    p50_us: f64,
    p90_us: f64,
    p99_us: f64,
    max_us: f64,
}

fn figures(mut times: Vec<Duration>) -> Figures {
    times.sort();
    Figures {
        round_trips: times.len(),
        p50_us: pct(&times, 0.50),
        p90_us: pct(&times, 0.90),
        p99_us: pct(&times, 0.99),
        max_us: pct(&times, 1.0),
    }
}

/// One book to the process and back: the intents and the time taken.
fn round_trip(
    s: &mut ExternalStrategy,
    woke: &mpsc::Receiver<()>,
    view: &MarketView,
) -> Result<Duration, String> {
    while woke.try_recv().is_ok() {}
    let started = Instant::now();
    let mut intents = s.on_book(view);
    while !intents.iter().any(|i| matches!(i, Intent::Place(_))) {
        woke.recv_timeout(ANSWER_WAIT)
            .map_err(|_| format!("no answer within {ANSWER_WAIT:?}"))?;
        intents = s.on_wake();
    }
    Ok(started.elapsed())
}

/// Runs `n` round trips through Python (after 200 to warm up) and `n` in-process calls.
pub(crate) fn run(n: usize) -> Result<String, String> {
    let cfg = ExternalConfig {
        command: "python3".into(),
        args: vec![ECHO.into()],
        ..ExternalConfig::default()
    };
    let mut s = ExternalStrategy::new(cfg);
    let (tx, woke) = mpsc::channel();
    s.on_start(Waker::new(move || {
        let _ = tx.send(());
    }));
    let ticker = Ticker::new("KXHIGHNY-BENCH-B50.5").map_err(|e| e.to_string())?;
    let grid = Arc::new(PriceRanges::linear_cent());
    let views: Vec<MarketView> = (0..n + 200).map(|i| view(&ticker, &grid, i)).collect();
    let mut external = Vec::with_capacity(n);
    for (i, v) in views.iter().enumerate() {
        let took = round_trip(&mut s, &woke, v)?;
        if i >= 200 {
            external.push(took);
        }
    }
    let metrics = s.counters();
    drop(s);
    let mut rust = RustEcho;
    let mut baseline = Vec::with_capacity(n);
    for v in &views[200..] {
        let started = Instant::now();
        let intents = std::hint::black_box(rust.on_book(std::hint::black_box(v)));
        baseline.push(started.elapsed());
        drop(intents);
    }
    let (ext, base) = (figures(external), figures(baseline));
    print_table(&ext, &base);
    let json = serde_json::json!({
        "external_python": ext,
        "in_process_rust": base,
        "malformed_lines": metrics.get("external_malformed_lines"),
        "late_answers": metrics.get("external_late_answers"),
    });
    serde_json::to_string_pretty(&json).map_err(|e| e.to_string())
}

fn print_table(ext: &Figures, base: &Figures) {
    println!(
        "== external: book → Python echo → intent, {} round trips ==",
        ext.round_trips
    );
    println!(
        "{:<28} {:>10} {:>10} {:>10} {:>10}",
        "", "p50 µs", "p90 µs", "p99 µs", "max µs"
    );
    for (name, f) in [
        ("external (python3 echo.py)", ext),
        ("in-process Rust (baseline)", base),
    ] {
        println!(
            "{name:<28} {:>10.2} {:>10.2} {:>10.2} {:>10.2}",
            f.p50_us, f.p90_us, f.p99_us, f.max_us
        );
    }
    if base.p50_us > 0.0 {
        println!(
            "added by the protocol at p50: {:.1} µs ({:.0}× the in-process call)",
            ext.p50_us - base.p50_us,
            ext.p50_us / base.p50_us
        );
    }
}
