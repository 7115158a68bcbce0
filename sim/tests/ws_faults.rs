//! Every WebSocket fault switch as a client sees it: a drop with and without a Close frame,
//! a stall (silence on an open socket, then the missed frames in order), a skipped, a
//! duplicated and a swapped `seq` (a held delta still goes out before its subscription's `ok`),
//! and periodic drops.

mod common;

use std::time::Duration;

use awc::ws::{CloseCode, Frame};
use common::{
    Trader,
    ws::{WAIT, WsClient, WsEnd, tickers},
};
use kalshi::ws::{Channel, Command, Incoming, UpdateAction};
use kalshi_sim::SimHandle;
use serde_json::json;

fn config() -> kalshi_sim::SimConfig {
    let mut cfg = common::quiet_config();
    cfg.rate_limits = false;
    cfg.ws_ping_interval_ms = 100;
    cfg.ws_pong_timeout_ms = 2_000;
    cfg
}

async fn faults(sim: &SimHandle, patch: serde_json::Value) {
    let (status, body) = common::admin(sim, "POST", "/faults", Some(patch)).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
}

/// A trader connected and subscribed to one market's book (subscribed + snapshot read).
async fn watching(sim: &SimHandle, market: &str) -> (Trader, WsClient) {
    let trader = Trader::new(sim, "basic", "1000.00");
    let mut ws = trader.ws(sim).await;
    ws.subscribe(&[Channel::OrderbookDelta], tickers(&[market]))
        .await;
    assert!(matches!(ws.next().await, Incoming::Subscribed(_)));
    assert!(matches!(ws.next().await, Incoming::OrderbookSnapshot(f) if f.seq == 1));
    (trader, ws)
}

/// Waits until `cond` holds (ground truth updated by another thread), for at most [`WAIT`].
async fn eventually(cond: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + WAIT;
    while !cond() {
        assert!(std::time::Instant::now() < deadline, "condition never held");
        actix_rt::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Places a resting bid (one delta).
async fn bid(t: &Trader, market: &str, price: &str) {
    t.place(common::order_json(market, "bid", price, "1")).await;
}

/// The seqs of the next `n` messages, which must be deltas.
async fn seqs(ws: &mut WsClient, n: usize) -> Vec<u64> {
    let mut out = Vec::new();
    for _ in 0..n {
        match ws.next().await {
            Incoming::OrderbookDelta(f) => out.push(f.seq),
            other => panic!("expected a delta, got {other:?}"),
        }
    }
    out
}

#[actix_rt::test]
async fn drop_with_close_sends_a_close_frame() {
    let sim = common::start(config());
    let m = common::open_market(&sim, 0).await;
    let (_t, mut ws) = watching(&sim, &m).await;
    faults(&sim, json!({"ws_drop_now": "close"})).await;
    match ws.end(WAIT).await {
        WsEnd::Close(Some(reason)) => assert_eq!(reason.code, CloseCode::Away),
        other => panic!("expected a Close frame, got {other:?}"),
    }
    // The counter is bumped after the Close is queued: poll it.
    eventually(|| sim.control().stats().ws_drops == 1).await;
}

#[actix_rt::test]
async fn drop_with_cut_ends_the_stream_without_a_close_frame() {
    let sim = common::start(config());
    let m = common::open_market(&sim, 0).await;
    let (_t, mut ws) = watching(&sim, &m).await;
    faults(&sim, json!({"ws_drop_now": "cut"})).await;
    match ws.end(WAIT).await {
        WsEnd::Eof | WsEnd::Error(_) => {}
        WsEnd::Close(reason) => panic!("a cut sent a Close frame: {reason:?}"),
    }
}

#[actix_rt::test]
async fn a_stalled_connection_is_silent_but_open_then_resumes_in_order() {
    let sim = common::start(config());
    let m = common::open_market(&sim, 0).await;
    let (t, mut ws) = watching(&sim, &m).await;
    faults(&sim, json!({"ws_stall": true})).await;
    bid(&t, &m, "0.30").await;
    bid(&t, &m, "0.31").await;
    let heard = ws.frames_during(Duration::from_millis(600)).await;
    let texts = heard.iter().filter(|f| matches!(f, Frame::Text(_))).count();
    let pings = heard.iter().filter(|f| matches!(f, Frame::Ping(_))).count();
    assert_eq!(texts, 0, "data sent while stalled: {heard:?}");
    // One ping may have left before the switch was set; unstalled there would be about six.
    assert!(pings <= 1, "pings sent while stalled: {heard:?}");

    faults(&sim, json!({"ws_stall": false})).await;
    assert_eq!(seqs(&mut ws, 2).await, vec![2, 3]);
    loop {
        match ws.event(WAIT).await {
            Some(common::ws::WsEvent::Frame(Frame::Ping(_))) => break,
            Some(common::ws::WsEvent::Frame(_)) => {}
            other => panic!("expected pings to resume, got {other:?}"),
        }
    }
}

#[actix_rt::test]
async fn skip_seq_leaves_a_gap_of_exactly_one() {
    let sim = common::start(config());
    let m = common::open_market(&sim, 0).await;
    let (t, mut ws) = watching(&sim, &m).await;
    faults(&sim, json!({"ws_skip_seq_next": 1})).await;
    bid(&t, &m, "0.30").await;
    bid(&t, &m, "0.31").await;
    assert_eq!(seqs(&mut ws, 2).await, vec![3, 4]);
    assert_eq!(sim.control().faults().ws_skip_seq_next, 0);
}

#[actix_rt::test]
async fn duplicate_sends_the_next_delta_twice_with_the_same_seq() {
    let sim = common::start(config());
    let m = common::open_market(&sim, 0).await;
    let (t, mut ws) = watching(&sim, &m).await;
    faults(&sim, json!({"ws_duplicate_next": 1})).await;
    bid(&t, &m, "0.30").await;
    let first = ws.next().await;
    let again = ws.next().await;
    assert!(
        matches!(&first, Incoming::OrderbookDelta(f) if f.seq == 2),
        "{first:?}"
    );
    assert_eq!(first, again);
    bid(&t, &m, "0.31").await;
    assert_eq!(seqs(&mut ws, 1).await, vec![3]);
}

#[actix_rt::test]
async fn reorder_swaps_two_consecutive_deltas() {
    let sim = common::start(config());
    let m = common::open_market(&sim, 0).await;
    let seller = Trader::new(&sim, "basic", "1000.00");
    seller
        .place(common::order_json(&m, "ask", "0.50", "1"))
        .await;
    seller
        .place(common::order_json(&m, "ask", "0.51", "1"))
        .await;
    let (t, mut ws) = watching(&sim, &m).await;
    faults(&sim, json!({"ws_reorder_next": 1})).await;
    // One order that sweeps both asks: two deltas from one operation.
    let mut sweep = common::order_json(&m, "bid", "0.51", "2");
    sweep["time_in_force"] = "immediate_or_cancel".into();
    t.place(sweep).await;
    assert_eq!(seqs(&mut ws, 2).await, vec![3, 2]);
    bid(&t, &m, "0.30").await;
    assert_eq!(seqs(&mut ws, 1).await, vec![4]);
}

#[actix_rt::test]
async fn a_held_delta_goes_out_before_the_ok_of_its_subscription() {
    let sim = common::start(config());
    let m = common::open_market(&sim, 0).await;
    let (t, mut ws) = watching(&sim, &m).await;
    faults(&sim, json!({"ws_reorder_next": 1})).await;
    bid(&t, &m, "0.20").await;
    // The session claimed the switch: the delta (seq 2) is held, or already released by its
    // deadline — in order either way.
    eventually(|| sim.control().faults().ws_reorder_next == 0).await;
    let ticker = kalshi::Ticker::new(&m).unwrap();
    let update = Command::update(0, 1, UpdateAction::GetSnapshot, vec![ticker]);
    let id = ws.command(update).await;
    assert!(matches!(ws.next().await, Incoming::OrderbookDelta(f) if f.seq == 2));
    assert!(matches!(ws.next().await, Incoming::Ok(ok) if ok.id == Some(id) && ok.seq == Some(2)));
    assert!(matches!(ws.next().await, Incoming::OrderbookSnapshot(f) if f.seq == 3));
}

#[actix_rt::test]
async fn periodic_drops_keep_dropping_reconnected_clients() {
    let sim = common::start(config());
    let trader = Trader::new(&sim, "basic", "1000.00");
    faults(&sim, json!({"ws_drop_every_s": 0.3})).await;
    let started = std::time::Instant::now();
    let mut drops = 0;
    while drops < 2 {
        let mut ws = trader.ws(&sim).await;
        assert!(matches!(ws.end(WAIT).await, WsEnd::Close(_)));
        drops += 1;
    }
    assert!(started.elapsed() >= Duration::from_millis(300));
    eventually(|| sim.control().stats().ws_drops >= 2).await;
    faults(&sim, json!({"ws_drop_every_s": 0})).await;
}

#[actix_rt::test]
async fn a_reader_that_falls_too_far_behind_gets_error_25_and_loses_its_subscriptions() {
    let mut cfg = config();
    cfg.ws_buffer = 16;
    let sim = common::start(cfg);
    let m = common::open_market(&sim, 0).await;
    let (t, mut ws) = watching(&sim, &m).await;
    ws.subscribe(&[Channel::Ticker], tickers(&[&m])).await;
    assert!(matches!(ws.next().await, Incoming::Subscribed(_)));
    // A stall longer than the broadcast buffer: the session misses notices.
    faults(&sim, json!({"ws_stall": true})).await;
    for i in 0..10 {
        bid(&t, &m, &format!("0.{}", 20 + i)).await;
    }
    faults(&sim, json!({"ws_stall": false})).await;
    // What the session had taken off the queue when it parked comes first, then the overflow.
    let (first, _) = ws.until(|m| matches!(m, Incoming::Error(_))).await;
    for m in [first, ws.next().await] {
        match m {
            Incoming::Error(e) => assert_eq!((e.id, e.code.0), (None, 25)),
            other => panic!("expected error 25, got {other:?}"),
        }
    }
    ws.command(kalshi::ws::Command::list_subscriptions(0)).await;
    assert!(
        matches!(ws.next().await, Incoming::Ok(ok) if ok.body == kalshi::ws::OkBody::Subscriptions(vec![]))
    );
    // Resubscribing brings a fresh snapshot with everything.
    ws.subscribe(&[Channel::OrderbookDelta], tickers(&[&m]))
        .await;
    assert!(matches!(ws.next().await, Incoming::Subscribed(s) if s.subscription.sid == 3));
    match ws.next().await {
        Incoming::OrderbookSnapshot(f) => assert_eq!((f.seq, f.msg.yes_dollars_fp.len()), (1, 10)),
        other => panic!("expected a snapshot, got {other:?}"),
    }
}
