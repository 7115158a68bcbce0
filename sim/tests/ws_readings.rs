//! The two WebSocket readings, frame by frame (exact text for replies, the envelope and market
//! for snapshots and deltas):
//!
//! - as documented (neither): `ok` and `unsubscribed` report the last `seq` without taking
//!   one, and a second `orderbook_delta` subscribe opens its own sid;
//! - `ws_acks_in_seq`: `ok` (to `add_markets`, `get_snapshot`, `delete_markets`) and
//!   `unsubscribed` take the next number of their subscription's `seq`; replies of channels
//!   whose messages carry no `seq`, and the `list_subscriptions` reply, carry none;
//! - `ws_merge_subscribes`: a second `orderbook_delta` subscribe is answered `ok` with the
//!   first sid and its full market list, and only its new markets are snapshotted, on that
//!   sid, continuing its `seq`; other channels of the command are `subscribed` as usual;
//! - both: the merge's `ok` takes a number too.
//!
//! A reading set while running (`POST /_sim/faults`) applies from the next command on.

mod common;

use common::{
    Trader,
    ws::{WAIT, WsClient, tickers},
};
use kalshi::{
    Ticker,
    ws::{Channel, Command, Incoming, MarketFilter, OkBody, SubscriptionInfo, UpdateAction},
};
use kalshi_sim::{SimHandle, readings::Readings, server::faults::FaultPatch};

/// A quiet simulator under `readings`, an account, and three open markets in ticker order.
async fn setup(readings: Readings) -> (SimHandle, Trader, Trader, Vec<String>) {
    let mut cfg = common::quiet_config();
    cfg.rate_limits = false;
    cfg.readings = readings;
    let sim = common::start(cfg);
    let watcher = Trader::new(&sim, "basic", "100.00");
    let other = Trader::new(&sim, "basic", "1000.00");
    let mut m = Vec::new();
    for n in 0..4 {
        m.push(common::open_market(&sim, n).await);
    }
    m.sort();
    (sim, watcher, other, m)
}

/// The next text frame, which must be `want` exactly.
async fn expect(ws: &mut WsClient, want: &str) {
    let got = ws.text_within(WAIT).await.expect("a frame within the wait");
    assert_eq!(got, want);
}

/// The next text frame, an order-book frame of `kind` for `ticker` on `sid` with `seq`.
async fn expect_book(ws: &mut WsClient, kind: &str, sid: u64, seq: u64, ticker: &str) {
    let got = ws.text_within(WAIT).await.expect("a frame within the wait");
    let envelope =
        format!(r#"{{"type":"{kind}","sid":{sid},"seq":{seq},"msg":{{"market_ticker":"{ticker}","#);
    assert!(got.starts_with(&envelope), "want {envelope}…, got {got}");
}

async fn snapshot(ws: &mut WsClient, sid: u64, seq: u64, ticker: &str) {
    expect_book(ws, "orderbook_snapshot", sid, seq, ticker).await;
}

/// Rests a bid of `other` on `ticker`: one delta to every subscription of the market.
async fn delta_on(other: &Trader, ticker: &str) {
    other
        .place(common::order_json(ticker, "bid", "0.01", "1.00"))
        .await;
}

fn t(s: &str) -> Ticker {
    Ticker::new(s).unwrap()
}

/// `"a","b"` for `msg.market_tickers`.
fn list(ms: &[&str]) -> String {
    ms.iter()
        .map(|m| format!(r#""{m}""#))
        .collect::<Vec<_>>()
        .join(",")
}

async fn update(ws: &mut WsClient, sid: u64, action: UpdateAction, ms: &[&str]) -> u64 {
    let ts = ms.iter().map(|m| t(m)).collect();
    ws.command(Command::update(0, sid, action, ts)).await
}

/// An `ok` with a sid, a seq and the market list `list`.
fn ok(id: u64, sid: u64, seq: u64, list: &str) -> String {
    format!(
        r#"{{"type":"ok","id":{id},"sid":{sid},"seq":{seq},"msg":{{"market_tickers":[{list}]}}}}"#
    )
}

fn unsubscribed(id: u64, sid: u64, seq: u64) -> String {
    format!(r#"{{"type":"unsubscribed","id":{id},"sid":{sid},"seq":{seq}}}"#)
}

fn subscribed(id: u64, channel: &str, sid: u64) -> String {
    format!(r#"{{"type":"subscribed","id":{id},"msg":{{"channel":"{channel}","sid":{sid}}}}}"#)
}

#[actix_rt::test]
async fn as_documented_acks_report_the_last_seq_and_a_second_subscribe_opens_a_sid() {
    let (sim, watcher, other, m) = setup(Readings::default()).await;
    let mut ws = watcher.ws(&sim).await;
    let ob = [Channel::OrderbookDelta];
    let id = ws.subscribe(&ob, tickers(&[&m[0]])).await;
    expect(&mut ws, &subscribed(id, "orderbook_delta", 1)).await;
    snapshot(&mut ws, 1, 1, &m[0]).await;
    let id = update(&mut ws, 1, UpdateAction::AddMarkets, &[&m[1]]).await;
    let both = list(&[&m[0], &m[1]]);
    expect(&mut ws, &ok(id, 1, 1, &both)).await;
    snapshot(&mut ws, 1, 2, &m[1]).await;
    delta_on(&other, &m[0]).await;
    expect_book(&mut ws, "orderbook_delta", 1, 3, &m[0]).await;

    let id = ws.subscribe(&ob, tickers(&[&m[2]])).await;
    expect(&mut ws, &subscribed(id, "orderbook_delta", 2)).await;
    snapshot(&mut ws, 2, 1, &m[2]).await;
    let id = ws.command(Command::unsubscribe(0, vec![1])).await;
    expect(&mut ws, &unsubscribed(id, 1, 3)).await;
}

#[actix_rt::test]
async fn with_acks_in_seq_ok_and_unsubscribed_take_the_next_number() {
    let (sim, watcher, other, m) = setup(Readings::default()).await;
    let mut ws = watcher.ws(&sim).await;
    let id = ws
        .subscribe(&[Channel::OrderbookDelta], tickers(&[&m[0]]))
        .await;
    expect(&mut ws, &subscribed(id, "orderbook_delta", 1)).await;
    snapshot(&mut ws, 1, 1, &m[0]).await;
    // Switched on while running: the next command follows it.
    let on = FaultPatch {
        ws_acks_in_seq: Some(true),
        ..FaultPatch::default()
    };
    sim.control().set_faults(&on).expect("faults set");

    let id = update(&mut ws, 1, UpdateAction::AddMarkets, &[&m[1]]).await;
    let both = list(&[&m[0], &m[1]]);
    expect(&mut ws, &ok(id, 1, 2, &both)).await;
    snapshot(&mut ws, 1, 3, &m[1]).await;
    let id = update(&mut ws, 1, UpdateAction::GetSnapshot, &[&m[0]]).await;
    expect(&mut ws, &ok(id, 1, 4, &both)).await;
    snapshot(&mut ws, 1, 5, &m[0]).await;
    let id = update(&mut ws, 1, UpdateAction::DeleteMarkets, &[&m[1]]).await;
    let one = list(&[&m[0]]);
    expect(&mut ws, &ok(id, 1, 6, &one)).await;
    delta_on(&other, &m[0]).await;
    expect_book(&mut ws, "orderbook_delta", 1, 7, &m[0]).await;

    let id = ws.subscribe(&[Channel::Fill], MarketFilter::All).await;
    expect(&mut ws, &subscribed(id, "fill", 2)).await;
    let id = ws.command(Command::unsubscribe(0, vec![2, 1])).await;
    expect(
        &mut ws,
        &format!(r#"{{"type":"unsubscribed","id":{id},"sid":2}}"#),
    )
    .await;
    expect(&mut ws, &unsubscribed(id, 1, 8)).await;
    let id = ws.command(Command::list_subscriptions(0)).await;
    expect(&mut ws, &format!(r#"{{"type":"ok","id":{id},"msg":[]}}"#)).await;
}

#[actix_rt::test]
async fn with_merged_subscribes_a_second_subscribe_joins_the_first_sid() {
    let merge = Readings {
        ws_merge_subscribes: true,
        ..Readings::default()
    };
    let (sim, watcher, other, m) = setup(merge).await;
    let mut ws = watcher.ws(&sim).await;
    let id = ws
        .subscribe(&[Channel::OrderbookDelta], tickers(&[&m[0]]))
        .await;
    expect(&mut ws, &subscribed(id, "orderbook_delta", 1)).await;
    snapshot(&mut ws, 1, 1, &m[0]).await;

    // m[0] is already there: only m[1] is snapshotted.
    let id = ws
        .subscribe(&[Channel::OrderbookDelta], tickers(&[&m[1], &m[0]]))
        .await;
    let two = list(&[&m[0], &m[1]]);
    expect(&mut ws, &ok(id, 1, 1, &two)).await;
    snapshot(&mut ws, 1, 2, &m[1]).await;
    // The other channel of the same command gets its own sid.
    let id = ws
        .subscribe(
            &[Channel::OrderbookDelta, Channel::Ticker],
            tickers(&[&m[2]]),
        )
        .await;
    let three = list(&[&m[0], &m[1], &m[2]]);
    expect(&mut ws, &ok(id, 1, 2, &three)).await;
    snapshot(&mut ws, 1, 3, &m[2]).await;
    expect(&mut ws, &subscribed(id, "ticker", 2)).await;
    delta_on(&other, &m[1]).await;
    let (_, skipped) = ws
        .until(|f| matches!(f, Incoming::OrderbookDelta(d) if d.seq == 4 && d.sid == 1))
        .await;
    assert!(
        skipped.iter().all(|f| matches!(f, Incoming::Ticker(_))),
        "{skipped:?}"
    );

    ws.send_text(&format!(
        r#"{{"id":9,"cmd":"subscribe","params":{{"channels":["orderbook_delta"],"market_tickers":["{}"],"skip_ticker_ack":true}}}}"#,
        m[3]
    ))
    .await;
    expect(&mut ws, r#"{"type":"ok","id":9,"sid":1,"seq":4}"#).await;
    snapshot(&mut ws, 1, 5, &m[3]).await;
    let id = ws.command(Command::list_subscriptions(0)).await;
    let (ok, _) = ws.until(|f| matches!(f, Incoming::Ok(_))).await;
    let Incoming::Ok(ok) = ok else { unreachable!() };
    assert_eq!(ok.id, Some(id));
    assert_eq!(
        ok.body,
        OkBody::Subscriptions(vec![
            SubscriptionInfo {
                channel: Channel::OrderbookDelta,
                sid: 1
            },
            SubscriptionInfo {
                channel: Channel::Ticker,
                sid: 2
            },
        ])
    );
}

#[actix_rt::test]
async fn with_both_the_merge_ok_takes_a_number_and_a_subscribe_after_unsubscribe_opens_a_sid() {
    let both = Readings {
        ws_acks_in_seq: true,
        ws_merge_subscribes: true,
        ..Readings::default()
    };
    let (sim, watcher, other, m) = setup(both).await;
    let mut ws = watcher.ws(&sim).await;
    let ob = [Channel::OrderbookDelta];
    let id = ws.subscribe(&ob, tickers(&[&m[0]])).await;
    expect(&mut ws, &subscribed(id, "orderbook_delta", 1)).await;
    snapshot(&mut ws, 1, 1, &m[0]).await;
    let id = ws.subscribe(&ob, tickers(&[&m[1]])).await;
    let two = list(&[&m[0], &m[1]]);
    expect(&mut ws, &ok(id, 1, 2, &two)).await;
    snapshot(&mut ws, 1, 3, &m[1]).await;
    delta_on(&other, &m[1]).await;
    expect_book(&mut ws, "orderbook_delta", 1, 4, &m[1]).await;
    let id = ws.command(Command::unsubscribe(0, vec![1])).await;
    expect(&mut ws, &unsubscribed(id, 1, 5)).await;
    // Nothing left to merge into.
    let id = ws.subscribe(&ob, tickers(&[&m[2]])).await;
    expect(&mut ws, &subscribed(id, "orderbook_delta", 2)).await;
    snapshot(&mut ws, 2, 1, &m[2]).await;
}
