//! A download replayed: takers fill against a candle's quotes, resting orders only by
//! trades, results settle, the window holds.

use std::sync::{Arc, Mutex};

use kalshi::{
    Count,
    types::{BookSide, TimeInForce},
};
use tradewind_actors::{
    orders::OrderSpec,
    strategy::{Intent, MarketView, PlaceIntent, Strategy},
};

use super::*;
use crate::{
    backtest::{
        history::timeline::{Record, timeline},
        replay::Replay,
        report::LedgerEvent,
        run::{Window, replay},
        test_support::{Buyer, config},
    },
    record::EventRef,
};

/// Rests a bid of 10 at 0.44 on its first book.
struct Bidder(bool);

impl Strategy for Bidder {
    fn on_book(&mut self, v: &MarketView) -> Vec<Intent> {
        if std::mem::replace(&mut self.0, true) {
            return Vec::new();
        }
        vec![Intent::Place(PlaceIntent {
            spec: OrderSpec {
                ticker: v.ticker.clone(),
                side: BookSide::Bid,
                price: cents(44),
                count: Count::from_whole(10),
                time_in_force: TimeInForce::GoodTillCanceled,
                post_only: false,
                reduce_only: false,
            },
            book_epoch: v.epoch,
        })]
    }

    fn uses_forecast(&self) -> bool {
        false
    }
}

/// Fills (price, count, maker) and settlement values of `h` replayed with `strategy`, as
/// `tradewind backtest` replays a download.
fn replayed(h: &History, strategy: Box<dyn Strategy>) -> (Vec<(Price, Count, bool)>, Vec<Price>) {
    let mut r = Replay::new(&config(), strategy, None).unwrap();
    r.fill_by_trades_only();
    for (ns, e) in timeline(h).unwrap().records(h, Count::from_whole(100)) {
        match e {
            Record::Market(json) => r.record(ns, EventRef::Market(&json), false),
            Record::Frame(f) => r.decoded(ns, &f, false),
            Record::Bad => panic!("a bad record at {ns}"),
        }
    }
    outcomes(&r.finish(T0 + 3_600_000_000_000).outcomes)
}

fn outcomes(events: &[LedgerEvent]) -> (Vec<(Price, Count, bool)>, Vec<Price>) {
    let mut fills = Vec::new();
    let mut settled = Vec::new();
    for e in events {
        match e {
            LedgerEvent::Fill(f) => fills.push((f.price, f.count, f.maker)),
            LedgerEvent::Settle(s) => settled.push(s.value),
            LedgerEvent::Mark(_) => {}
        }
    }
    (fills, settled)
}

fn buyer() -> Box<dyn Strategy> {
    Box::new(Buyer(Arc::new(Mutex::new(Vec::new())), false))
}

#[test]
fn a_taker_fills_at_the_candles_ask_and_settles_at_the_result() {
    let m = ended();
    let h = History {
        candles: vec![candle(m.ticker.as_str(), 1, 40, 45)],
        markets: vec![m],
        ..History::default()
    };
    let (fills, settled) = replayed(&h, buyer());
    assert_eq!(fills, [(cents(45), Count::from_whole(5), false)]);
    assert_eq!(settled, [Price::ONE]);
}

#[test]
fn a_resting_order_fills_by_trades_not_by_the_book_moving_through_it() {
    let m = ended();
    let t = m.ticker.to_string();
    let mut h = History {
        candles: vec![candle(&t, 1, 40, 45), candle(&t, 2, 38, 43)],
        markets: vec![m],
        ..History::default()
    };
    let (fills, _) = replayed(&h, Box::new(Bidder(false)));
    assert_eq!(
        fills,
        [],
        "the ask moved to 0.43 through the bid at 0.44: no trade"
    );
    h.trades.push(trade(&t, "x", 150, 44, Some("ask")));
    let (fills, _) = replayed(&h, Box::new(Bidder(false)));
    assert_eq!(
        fills,
        [(cents(44), Count::from_whole(3), true)],
        "a sell of 3 at 0.44"
    );
}

#[test]
fn a_download_replays_within_the_window() {
    let dir = Scratch::new("window");
    let m = ended();
    let h = History {
        candles: vec![candle(m.ticker.as_str(), 1, 40, 45)],
        markets: vec![m],
        ..History::default()
    };
    write_download(&dir.0, &h);
    let run = |to_ns| {
        let window = Window {
            from_ns: None,
            to_ns,
        };
        let r = replay(&config(), &dir.0, window, None, buyer()).unwrap();
        outcomes(&r.outcomes)
    };
    let (fills, settled) = run(None);
    assert_eq!((fills.len(), settled), (1, vec![Price::ONE]));
    let (fills, settled) = run(Some(T0 + 300 * 1_000_000_000));
    assert_eq!(
        (fills.len(), settled),
        (1, vec![]),
        "settled after the window's end"
    );
}
