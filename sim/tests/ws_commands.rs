//! Every WebSocket command and its responses (`subscribed`, `ok`, `unsubscribed`), and every
//! error code the simulator answers a bad command with; the connection stays up after each.

mod common;

use awc::ws::Message;
use common::{
    Trader,
    ws::{WsClient, tickers},
};
use kalshi::{
    Ticker,
    ws::{Channel, Command, Incoming, MarketFilter, OkBody, SubscriptionInfo, UpdateAction},
};

async fn setup() -> (kalshi_sim::SimHandle, Trader, Vec<String>) {
    let sim = common::start(common::quiet_config());
    let trader = Trader::new(&sim, "basic", "100.00");
    let mut markets = Vec::new();
    for n in 0..3 {
        markets.push(common::open_market(&sim, n).await);
    }
    (sim, trader, markets)
}

fn t(s: &str) -> Ticker {
    Ticker::new(s).unwrap()
}

/// Sends a raw text frame and returns the error's id and code.
async fn error_for(ws: &mut WsClient, text: &str) -> (Option<u64>, u16) {
    ws.send_text(text).await;
    match ws.next().await {
        Incoming::Error(e) => (e.id, e.code.0),
        other => panic!("{text}: expected an error, got {other:?}"),
    }
}

#[actix_rt::test]
async fn subscribe_answers_one_subscribed_per_channel_and_list_shows_them() {
    let (sim, trader, _) = setup().await;
    let mut ws = trader.ws(&sim).await;
    let id = ws
        .subscribe(&[Channel::Ticker, Channel::Trade], MarketFilter::All)
        .await;
    for (sid, channel) in [(1, Channel::Ticker), (2, Channel::Trade)] {
        match ws.next().await {
            Incoming::Subscribed(s) => {
                assert_eq!(s.id, Some(id));
                assert_eq!(s.subscription, SubscriptionInfo { channel, sid });
            }
            other => panic!("expected subscribed, got {other:?}"),
        }
    }
    let list = ws.command(Command::list_subscriptions(0)).await;
    match ws.next().await {
        Incoming::Ok(ok) => {
            assert_eq!(ok.id, Some(list));
            let OkBody::Subscriptions(subs) = ok.body else {
                panic!("{ok:?}")
            };
            let sids: Vec<u64> = subs.iter().map(|s| s.sid).collect();
            assert_eq!(sids, vec![1, 2]);
        }
        other => panic!("expected ok, got {other:?}"),
    }
}

#[actix_rt::test]
async fn orderbook_subscribe_sends_one_snapshot_per_ticker_in_seq_order() {
    let (sim, trader, m) = setup().await;
    let mut ws = trader.ws(&sim).await;
    ws.subscribe(&[Channel::OrderbookDelta], tickers(&[&m[0], &m[1]]))
        .await;
    assert!(matches!(ws.next().await, Incoming::Subscribed(s) if s.subscription.sid == 1));
    for (seq, ticker) in [(1, &m[0]), (2, &m[1])] {
        match ws.next().await {
            Incoming::OrderbookSnapshot(f) => {
                assert_eq!((f.sid, f.seq), (1, seq));
                assert_eq!(f.msg.market_ticker, ticker.as_str());
                assert_eq!(f.msg.market_id.len(), 36, "a UUID");
            }
            other => panic!("expected a snapshot, got {other:?}"),
        }
    }
}

#[actix_rt::test]
async fn unsubscribe_answers_with_sid_and_last_seq_and_7_for_an_unknown_sid() {
    let (sim, trader, m) = setup().await;
    let mut ws = trader.ws(&sim).await;
    ws.subscribe(&[Channel::OrderbookDelta], tickers(&[&m[0]]))
        .await;
    ws.next().await;
    ws.next().await;
    let id = ws.command(Command::unsubscribe(0, vec![1, 9])).await;
    match ws.next().await {
        Incoming::Unsubscribed(u) => assert_eq!((u.id, u.sid, u.seq), (Some(id), 1, Some(1))),
        other => panic!("expected unsubscribed, got {other:?}"),
    }
    match ws.next().await {
        Incoming::Error(e) => assert_eq!((e.id, e.code.0), (Some(id), 7)),
        other => panic!("expected error 7, got {other:?}"),
    }
    ws.command(Command::list_subscriptions(0)).await;
    assert!(
        matches!(ws.next().await, Incoming::Ok(ok) if ok.body == OkBody::Subscriptions(vec![]))
    );
}

#[actix_rt::test]
async fn update_subscription_adds_deletes_and_resnapshots_markets() {
    let (sim, trader, m) = setup().await;
    let mut ws = trader.ws(&sim).await;
    ws.subscribe(&[Channel::OrderbookDelta], tickers(&[&m[0]]))
        .await;
    ws.next().await;
    ws.next().await; // snapshot, seq 1

    let id = ws
        .command(Command::update(
            0,
            1,
            UpdateAction::AddMarkets,
            vec![t(&m[1])],
        ))
        .await;
    let both = vec![t(&m[0]), t(&m[1])];
    expect_ok(
        &mut ws,
        id,
        Some(1),
        OkBody::MarketTickers(sorted(both.clone())),
    )
    .await;
    expect_snapshot(&mut ws, &m[1], 2).await;

    let id = ws
        .command(Command::update(
            0,
            1,
            UpdateAction::GetSnapshot,
            vec![t(&m[0])],
        ))
        .await;
    expect_ok(&mut ws, id, Some(2), OkBody::MarketTickers(sorted(both))).await;
    expect_snapshot(&mut ws, &m[0], 3).await;

    let id = ws
        .command(Command::update(
            0,
            1,
            UpdateAction::DeleteMarkets,
            vec![t(&m[0])],
        ))
        .await;
    expect_ok(&mut ws, id, Some(3), OkBody::MarketTickers(vec![t(&m[1])])).await;
}

#[actix_rt::test]
async fn skip_ticker_ack_leaves_the_list_out_of_ok() {
    let (sim, trader, m) = setup().await;
    let mut ws = trader.ws(&sim).await;
    ws.send_text(&format!(
        r#"{{"id":1,"cmd":"subscribe","params":{{"channels":["fill"],"market_tickers":["{}"],"skip_ticker_ack":true}}}}"#,
        m[0]
    ))
    .await;
    ws.next().await;
    let id = ws
        .command(Command::update(
            0,
            1,
            UpdateAction::AddMarkets,
            vec![t(&m[1])],
        ))
        .await;
    expect_ok(&mut ws, id, None, OkBody::Empty).await;
}

#[actix_rt::test]
async fn ticker_channel_takes_market_ids_and_sends_an_initial_snapshot() {
    let (sim, trader, m) = setup().await;
    let mut ws = trader.ws(&sim).await;
    ws.subscribe(&[Channel::OrderbookDelta], tickers(&[&m[0]]))
        .await;
    ws.next().await;
    let Incoming::OrderbookSnapshot(snap) = ws.next().await else {
        panic!("expected a snapshot")
    };
    let market_id = snap.msg.market_id.to_string();
    ws.send_text(&format!(
        r#"{{"id":5,"cmd":"subscribe","params":{{"channels":["ticker"],"market_id":"{market_id}","send_initial_snapshot":true}}}}"#
    ))
    .await;
    assert!(matches!(ws.next().await, Incoming::Subscribed(s) if s.subscription.sid == 2));
    match ws.next().await {
        Incoming::Ticker(f) => {
            assert_eq!(f.sid, Some(2));
            assert_eq!(f.msg.market_ticker, t(&m[0]));
            assert_eq!(f.msg.market_id.as_deref(), Some(market_id.as_str()));
        }
        other => panic!("expected a ticker frame, got {other:?}"),
    }
}

#[actix_rt::test]
async fn every_bad_command_gets_its_error_code_and_the_connection_stays_up() {
    let (sim, trader, m) = setup().await;
    let mut ws = trader.ws(&sim).await;
    let cases: Vec<(String, u16)> = vec![
        ("not json".into(), 1),
        (r#"{"id":2}"#.into(), 1),
        (r#"{"id":3,"cmd":"frobnicate"}"#.into(), 5),
        (r#"{"id":4,"cmd":"subscribe"}"#.into(), 2),
        (r#"{"id":5,"cmd":"subscribe","params":{}}"#.into(), 3),
        (
            r#"{"id":6,"cmd":"subscribe","params":{"channels":["nope"]}}"#.into(),
            8,
        ),
        (
            r#"{"id":7,"cmd":"subscribe","params":{"channels":["orderbook_delta"]}}"#.into(),
            14,
        ),
        (sub(8, "ticker", r#""market_ticker":"NOPE-1""#), 16),
        (sub(9, "trade", r#""market_id":"x""#), 11),
        (
            sub(
                10,
                "ticker",
                r#""market_id":"00000000-0000-4000-8000-000000000000""#,
            ),
            16,
        ),
        (
            sub(
                11,
                "ticker",
                r#""market_ticker":"A","market_tickers":["B"]"#,
            ),
            11,
        ),
        (sub(12, "communications", r#""shard_factor":0"#), 19),
        (sub(13, "communications", r#""shard_key":1"#), 20),
        (
            sub(14, "communications", r#""shard_factor":2,"shard_key":2"#),
            21,
        ),
        (sub(15, "communications", r#""shard_factor":101"#), 22),
        (r#"{"id":16,"cmd":"unsubscribe","params":{}}"#.into(), 4),
        (
            r#"{"id":17,"cmd":"unsubscribe","params":{"sids":[42]}}"#.into(),
            7,
        ),
        (
            upd(
                18,
                r#""sids":[1,2],"market_tickers":["X"],"action":"add_markets""#,
            ),
            12,
        ),
        (upd(19, r#""sid":1,"market_tickers":["X"]"#), 15),
        (
            upd(20, r#""sid":1,"market_tickers":["X"],"action":"explode""#),
            13,
        ),
        (upd(21, r#""sid":1,"action":"add_markets""#), 14),
        (
            upd(
                22,
                r#""sid":42,"market_tickers":["X"],"action":"add_markets""#,
            ),
            7,
        ),
    ];
    for (text, code) in &cases {
        let (_, got) = error_for(&mut ws, text).await;
        assert_eq!(got, *code, "{text}");
    }
    let (id, code) = error_for(&mut ws, &sub(30, "ticker", r#""market_ticker":"NOPE-1""#)).await;
    assert_eq!(
        (id, code),
        (Some(30), 16),
        "the error echoes the command id"
    );

    ws.send(Message::Binary("\x01\x02".into())).await;
    assert!(matches!(ws.next().await, Incoming::Error(e) if e.code.0 == 1));

    // Errors that need live subscriptions: sid 1 every-market ticker, sid 2 an order book.
    ws.subscribe(&[Channel::Ticker], MarketFilter::All).await;
    ws.next().await;
    ws.subscribe(&[Channel::OrderbookDelta], tickers(&[&m[0]]))
        .await;
    ws.next().await;
    ws.next().await;
    let later = [
        (
            upd(
                40,
                r#""sid":1,"market_tickers":["X"],"action":"get_snapshot""#,
            ),
            13,
        ),
        (
            upd(
                41,
                &format!(
                    r#""sid":1,"market_tickers":["{}"],"action":"add_markets""#,
                    m[1]
                ),
            ),
            13,
        ),
        (
            upd(
                42,
                &format!(
                    r#""sid":2,"market_tickers":["{}"],"action":"get_snapshot""#,
                    m[1]
                ),
            ),
            11,
        ),
        (
            upd(
                43,
                r#""sid":2,"market_tickers":["NOPE-1"],"action":"add_markets""#,
            ),
            16,
        ),
    ];
    for (text, code) in &later {
        let (_, got) = error_for(&mut ws, text).await;
        assert_eq!(got, *code, "{text}");
    }
    ws.command(Command::list_subscriptions(0)).await;
    assert!(matches!(ws.next().await, Incoming::Ok(_)));
}

fn sub(id: u64, channel: &str, rest: &str) -> String {
    format!(r#"{{"id":{id},"cmd":"subscribe","params":{{"channels":["{channel}"],{rest}}}}}"#)
}

fn upd(id: u64, params: &str) -> String {
    format!(r#"{{"id":{id},"cmd":"update_subscription","params":{{{params}}}}}"#)
}

fn sorted(mut v: Vec<Ticker>) -> Vec<Ticker> {
    v.sort();
    v
}

async fn expect_ok(ws: &mut WsClient, id: u64, seq: Option<u64>, body: OkBody) {
    match ws.next().await {
        Incoming::Ok(ok) => {
            assert_eq!(ok.id, Some(id));
            assert_eq!(ok.seq, seq);
            assert_eq!(ok.body, body);
        }
        other => panic!("expected ok, got {other:?}"),
    }
}

async fn expect_snapshot(ws: &mut WsClient, ticker: &str, seq: u64) {
    match ws.next().await {
        Incoming::OrderbookSnapshot(f) => {
            assert_eq!(f.seq, seq);
            assert_eq!(f.msg.market_ticker, ticker);
        }
        other => panic!("expected a snapshot of {ticker}, got {other:?}"),
    }
}
