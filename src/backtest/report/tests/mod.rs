//! Hand-computed cases for the report, and the helpers they share.
//!
//! - `ledger`: P&L (realised, settled, fees), average cost, round trips and the hit rate.
//! - `risk`: drawdown, exposure, the sampled curve.
//! - `output`: JSON, HTML, escaping, determinism, files, the empty run.

use kalshi::{Count, Money, Price, Ticker, types::BookSide};

use super::{
    Fill, LedgerEvent, Mark, Report, ReportBuilder, RunMeta, Settlement, curve::MAX_POINTS,
    exact::ratio, text::escape,
};

fn t(s: &str) -> Ticker {
    Ticker::new(s).unwrap()
}

fn p(s: &str) -> Price {
    Price::parse(s).unwrap()
}

fn fill(ns: u64, ticker: &str, side: BookSide, price: &str, count: i64, fee: &str) -> LedgerEvent {
    LedgerEvent::Fill(Fill {
        ns,
        ticker: t(ticker),
        side,
        price: p(price),
        count: Count::from_whole(count),
        fee: Money::parse(fee).unwrap(),
        maker: false,
    })
}

fn buy(ns: u64, ticker: &str, price: &str, count: i64, fee: &str) -> LedgerEvent {
    fill(ns, ticker, BookSide::Bid, price, count, fee)
}

fn sell(ns: u64, ticker: &str, price: &str, count: i64, fee: &str) -> LedgerEvent {
    fill(ns, ticker, BookSide::Ask, price, count, fee)
}

fn settle(ns: u64, ticker: &str, value: &str) -> LedgerEvent {
    LedgerEvent::Settle(Settlement {
        ns,
        ticker: t(ticker),
        value: p(value),
    })
}

fn mark(ns: u64, ticker: &str, price: &str) -> LedgerEvent {
    LedgerEvent::Mark(Mark {
        ns,
        ticker: t(ticker),
        price: p(price),
    })
}

fn meta(from_ns: u64, to_ns: u64) -> RunMeta {
    RunMeta {
        strategy: "test".into(),
        data: "fixture".into(),
        from_ns,
        to_ns,
        seed: 7,
        config_digest: "abc123".into(),
        events_replayed: 0,
    }
}

fn run(from_ns: u64, to_ns: u64, events: impl IntoIterator<Item = LedgerEvent>) -> Report {
    let mut b = ReportBuilder::new(meta(from_ns, to_ns));
    events.into_iter().for_each(|e| b.push(e));
    b.finish()
}

fn money(s: &str) -> Money {
    Money::parse(s).unwrap()
}

/// Many marks swinging one open position, then a settlement.
fn busy_events() -> Vec<LedgerEvent> {
    let mut events = vec![
        buy(0, "A", "0.50", 100, "0.35"),
        sell(0, "B", "0.20", 3, "0.01"),
    ];
    for i in 1..200_000u64 {
        let cents = 30 + (i * 7919 % 41);
        events.push(mark(i * 1_000_000, "A", &format!("0.{cents:02}")));
    }
    events.push(settle(200_000_000_000, "A", "1"));
    events
}

mod ledger;
mod output;
mod risk;
