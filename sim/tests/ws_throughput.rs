//! Harness (ignored by default): how many WebSocket messages a second the simulator sends to
//! one client. The market makers run a burst of actions from another thread while one client,
//! subscribed to the order book, ticker and trade channels of every open market, counts what
//! arrives. The broadcast buffer is sized for the whole burst, so the figure is the session's
//! own delivery rate, not the producer's.
//!
//! `cargo test --release -p kalshi-sim --test ws_throughput -- --ignored --nocapture`

mod common;

use std::time::{Duration, Instant};

use awc::ws::{Frame, Message};
use common::ws::{WsEvent, tickers};
use kalshi::ws::{Channel, Incoming};

/// Maker actions in the burst (each moves about four levels and prints some trades).
const ACTIONS: u64 = 40_000;

/// Actions per call into the world.
const CHUNK: u64 = 200;

#[actix_rt::test]
#[ignore = "throughput harness; run with --release -- --ignored --nocapture"]
async fn websocket_messages_per_second_to_one_client() {
    let mut cfg = common::quiet_config();
    cfg.ws_buffer = 1 << 20;
    let sim = common::start(cfg);
    let (status, body) = common::get_public(&sim, "/markets?status=open&limit=1000").await;
    assert_eq!(status, 200);
    let page: kalshi::rest::GetMarketsResponse = serde_json::from_slice(&body).unwrap();
    let all: Vec<String> = page.markets.iter().map(|m| m.ticker.to_string()).collect();
    let names: Vec<&str> = all.iter().map(String::as_str).collect();

    let trader = common::Trader::new(&sim, "basic", "1.00");
    let mut ws = trader.ws(&sim).await;
    let channels = [Channel::OrderbookDelta, Channel::Ticker, Channel::Trade];
    ws.subscribe(&channels, tickers(&names)).await;
    for _ in 0..channels.len() + all.len() {
        let m = ws.next().await;
        assert!(
            matches!(m, Incoming::Subscribed(_) | Incoming::OrderbookSnapshot(_)),
            "{m:?}"
        );
    }

    let control = sim.control().clone();
    let producer = std::thread::spawn(move || {
        let started = Instant::now();
        let mut done = 0;
        while done < ACTIONS {
            control.act(CHUNK);
            done += CHUNK;
        }
        started.elapsed()
    });

    let (mut count, mut deltas, mut bytes) = (0u64, 0u64, 0u64);
    let mut first: Option<Instant> = None;
    let mut last = Instant::now();
    loop {
        match ws.event(Duration::from_secs(2)).await {
            Some(WsEvent::Frame(Frame::Text(text))) => {
                let now = Instant::now();
                first.get_or_insert(now);
                last = now;
                count += 1;
                bytes += text.len() as u64;
                assert!(!text.starts_with(br#"{"type":"error""#), "{text:?}");
                if text.starts_with(br#"{"type":"orderbook_delta""#) {
                    deltas += 1;
                }
            }
            Some(WsEvent::Frame(Frame::Ping(p))) => ws.send(Message::Pong(p)).await,
            Some(WsEvent::Frame(_)) => {}
            Some(WsEvent::End(end)) => panic!("connection ended: {end:?}"),
            None => break,
        }
    }
    let produced_in = producer.join().unwrap();
    let first = first.expect("frames arrived");
    let secs = last.duration_since(first).as_secs_f64();
    let rate = count as f64 / secs;
    println!(
        "{count} messages ({deltas} deltas, {:.1} MB) in {secs:.3} s = {rate:.0} msgs/s; \
         the makers produced them in {:.3} s",
        bytes as f64 / 1e6,
        produced_in.as_secs_f64()
    );
    let stats = sim.control().stats();
    assert_eq!(
        stats.ws_messages,
        count + channels.len() as u64 + all.len() as u64
    );
}
