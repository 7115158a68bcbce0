//! Replay equals truth: a client subscribed to the order books of a few markets rebuilds
//! them from the snapshot and 10,000 random orders' deltas (plus cancels) sent by two accounts
//! over REST, with `seq` consecutive throughout, and ends with exactly the exchange's books.

mod common;

use std::{cell::Cell, time::Duration};

use awc::ws::{Frame, Message};
use common::{
    Trader,
    replay::BookReplay,
    ws::{WsClient, WsEvent, tickers},
};
use futures_util::future::{join, join_all};
use kalshi::ws::{Channel, Incoming};
use kalshi_sim::SimHandle;
use rand::{Rng, SeedableRng, rngs::StdRng};

const ORDERS: usize = 10_000;
const WORKERS: usize = 4;
const MARKETS: usize = 3;

/// Sends `n` random orders (random side, price, size, time in force) to `markets`, and
/// cancels one of its resting orders after about one order in five.
async fn trade(trader: &Trader, markets: &[String], n: usize, seed: u64) -> usize {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut resting: Vec<String> = Vec::new();
    let mut cancels = 0;
    for _ in 0..n {
        let market = &markets[rng.random_range(0..markets.len())];
        let side = if rng.random_bool(0.5) { "bid" } else { "ask" };
        let price = format!("0.{}", rng.random_range(35..=65));
        let count = rng.random_range(1..=20).to_string();
        let tif = match rng.random_range(0..20) {
            0..=11 => "good_till_canceled",
            12..=16 => "immediate_or_cancel",
            _ => "fill_or_kill",
        };
        let mut body = common::order_json(market, side, &price, &count);
        body["time_in_force"] = tif.into();
        let (status, bytes) = trader
            .send("POST", "/portfolio/events/orders", Some(body))
            .await;
        assert_eq!(status, 201, "{}", String::from_utf8_lossy(&bytes));
        let placed: kalshi::rest::CreateOrderV2Response =
            serde_json::from_slice(&bytes).expect("create response");
        if placed.remaining_count.is_positive() {
            resting.push(placed.order_id.to_string());
        }
        if !resting.is_empty() && rng.random_bool(0.2) {
            let id = resting.swap_remove(rng.random_range(0..resting.len()));
            // 404 when it filled meanwhile; either way the book stays consistent.
            trader
                .send("DELETE", &format!("/portfolio/events/orders/{id}"), None)
                .await;
            cancels += 1;
        }
    }
    cancels
}

/// Reads book frames into `replay` until the writers are `done` and every rebuilt book
/// equals the exchange's (checked whenever the stream pauses), or the deadline passes.
async fn follow(
    sim: &SimHandle,
    ws: &mut WsClient,
    replay: &mut BookReplay,
    markets: &[String],
    done: &Cell<bool>,
) {
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        assert!(
            std::time::Instant::now() < deadline,
            "replay never caught up"
        );
        match ws.event(Duration::from_millis(200)).await {
            Some(WsEvent::Frame(Frame::Text(bytes))) => {
                let text = std::str::from_utf8(&bytes).expect("utf-8");
                let m = kalshi::ws::decode(text).unwrap_or_else(|e| panic!("{e}"));
                assert!(!matches!(m, Incoming::Error(_)), "{text}");
                replay.apply(&m).unwrap_or_else(|e| panic!("{e}"));
            }
            Some(WsEvent::Frame(Frame::Ping(p))) => ws.send(Message::Pong(p)).await,
            Some(WsEvent::Frame(_)) => {}
            Some(WsEvent::End(end)) => panic!("connection ended: {end:?}"),
            None if done.get() => {
                let all = markets.iter().all(|t| {
                    let truth = sim.control().true_book(t).expect("market");
                    replay.matches(t, &truth)
                });
                if all {
                    return;
                }
            }
            None => {}
        }
    }
}

#[actix_rt::test]
async fn books_rebuilt_from_snapshot_and_deltas_equal_the_exchange_books() {
    let mut cfg = common::quiet_config();
    cfg.rate_limits = false;
    let sim = common::start(cfg);
    let a = Trader::new(&sim, "prime", "10000000.00");
    let b = Trader::new(&sim, "prime", "10000000.00");
    let mut markets = Vec::new();
    for n in 0..MARKETS {
        markets.push(common::open_market(&sim, n).await);
    }
    let watcher = Trader::new(&sim, "basic", "1.00");
    let mut ws = watcher.ws(&sim).await;
    let names: Vec<&str> = markets.iter().map(String::as_str).collect();
    ws.subscribe(&[Channel::OrderbookDelta], tickers(&names))
        .await;
    assert!(matches!(ws.next().await, Incoming::Subscribed(_)));

    let done = Cell::new(false);
    let mut replay = BookReplay::default();
    let writers = async {
        let traders = [&a, &b];
        let jobs = (0..WORKERS).map(|w| {
            trade(
                traders[w % 2],
                &markets,
                ORDERS / WORKERS,
                0x5eed + w as u64,
            )
        });
        let cancels: usize = join_all(jobs).await.into_iter().sum();
        done.set(true);
        cancels
    };
    let reader = follow(&sim, &mut ws, &mut replay, &markets, &done);
    let (cancels, ()) = join(writers, reader).await;

    assert!(cancels > 1_000, "only {cancels} cancels");
    assert!(replay.deltas > 5_000, "only {} deltas", replay.deltas);
    assert_eq!(replay.books.len(), MARKETS);
    for t in &markets {
        assert!(!replay.books[t].is_empty(), "{t} ended empty: a weak test");
    }
}
