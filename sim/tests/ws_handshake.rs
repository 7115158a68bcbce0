//! The WebSocket handshake is authenticated like REST, and the heartbeat works as Kalshi's:
//! the server pings with payload `heartbeat`, closes a connection that stops answering, and
//! answers the client's pings.

mod common;

use std::time::Duration;

use awc::{
    error::WsClientError,
    ws::{CloseCode, Frame, Message},
};
use common::{
    Trader,
    ws::{WsEnd, WsEvent},
};
use kalshi::sign::{KEY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};

fn heartbeat_config() -> kalshi_sim::SimConfig {
    let mut cfg = common::quiet_config();
    cfg.ws_ping_interval_ms = 100;
    cfg.ws_pong_timeout_ms = 300;
    cfg
}

/// The status the server answered an upgrade request with.
async fn upgrade_status(req: awc::ws::WebsocketsRequest) -> u16 {
    match req.connect().await {
        Ok((resp, _)) => resp.status().as_u16(),
        Err(WsClientError::InvalidResponseStatus(s)) => s.as_u16(),
        Err(e) => panic!("upgrade failed: {e}"),
    }
}

#[actix_rt::test]
async fn upgrade_without_auth_headers_is_401_with_a_json_body() {
    let sim = common::start(common::quiet_config());
    let (status, body) = common::read(
        awc::Client::default()
            .get(sim.ws_url().replacen("ws://", "http://", 1))
            .insert_header(("Upgrade", "websocket"))
            .send()
            .await
            .expect("response"),
    )
    .await;
    assert_eq!(status, 401);
    let err = kalshi::ApiError::parse(status, &body);
    assert_eq!(err.code, "unauthorized", "{err:?}");

    assert_eq!(
        upgrade_status(awc::Client::default().ws(sim.ws_url())).await,
        401
    );
    assert_eq!(sim.control().stats().ws_connections, 0);
}

#[actix_rt::test]
async fn upgrade_with_a_bad_signature_or_unknown_key_is_401() {
    let sim = common::start(common::quiet_config());
    let trader = Trader::new(&sim, "basic", "100.00");
    // Signed over the REST prefix instead of the WebSocket path.
    let wrong = trader.signer.sign("GET", "/trade-api/v2/ws").expect("sign");
    let mut req = awc::Client::default().ws(sim.ws_url());
    for (name, value) in wrong.pairs() {
        req = req.header(name, value);
    }
    assert_eq!(upgrade_status(req).await, 401);

    let good = trader
        .signer
        .sign("GET", kalshi::rest::WS_PATH)
        .expect("sign");
    let unknown = awc::Client::default()
        .ws(sim.ws_url())
        .header(KEY_HEADER, "no-such-key")
        .header(TIMESTAMP_HEADER, good.timestamp())
        .header(SIGNATURE_HEADER, good.signature());
    assert_eq!(upgrade_status(unknown).await, 401);
    assert_eq!(sim.control().stats().sent_401, 2);
}

#[actix_rt::test]
async fn a_signed_upgrade_is_101_and_registers_a_session() {
    let sim = common::start(common::quiet_config());
    let trader = Trader::new(&sim, "basic", "100.00");
    let mut ws = trader.ws(&sim).await;
    assert_eq!(sim.control().stats().ws_connections, 1);
    assert_eq!(sim.control().ws_sessions(), 1);
    ws.send(Message::Close(None)).await;
    assert!(matches!(ws.end(common::ws::WAIT).await, WsEnd::Close(_)));
}

#[actix_rt::test]
async fn the_server_pings_with_payload_heartbeat() {
    let sim = common::start(heartbeat_config());
    let trader = Trader::new(&sim, "basic", "100.00");
    let mut ws = trader.ws(&sim).await;
    match ws.event(common::ws::WAIT).await {
        Some(WsEvent::Frame(Frame::Ping(payload))) => assert_eq!(&payload[..], b"heartbeat"),
        other => panic!("expected a ping, got {other:?}"),
    }
}

#[actix_rt::test]
async fn a_client_that_never_answers_is_closed_after_the_pong_timeout() {
    let sim = common::start(heartbeat_config());
    let trader = Trader::new(&sim, "basic", "100.00");
    let started = std::time::Instant::now();
    let mut ws = trader.ws(&sim).await;
    ws.answer_pings = false;
    match ws.end(common::ws::WAIT).await {
        WsEnd::Close(Some(reason)) => assert_eq!(reason.code, CloseCode::Policy),
        other => panic!("expected a Close frame, got {other:?}"),
    }
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(sim.control().stats().ws_pong_timeouts, 1);
}

#[actix_rt::test]
async fn a_client_that_answers_stays_open_past_several_timeouts() {
    let sim = common::start(heartbeat_config());
    let trader = Trader::new(&sim, "basic", "100.00");
    let mut ws = trader.ws(&sim).await;
    let mut pings = 0;
    for frame in ws_answering(&mut ws, Duration::from_millis(1_200)).await {
        if matches!(frame, Frame::Ping(_)) {
            pings += 1;
        }
    }
    assert!(pings >= 4, "only {pings} pings in 1.2 s at 100 ms");
    ws.command(kalshi::ws::Command::list_subscriptions(0)).await;
    assert!(matches!(ws.next().await, kalshi::ws::Incoming::Ok(_)));
    assert_eq!(sim.control().stats().ws_pong_timeouts, 0);
}

/// Reads for `period`, answering pings; returns what came.
async fn ws_answering(ws: &mut common::ws::WsClient, period: Duration) -> Vec<Frame> {
    let deadline = std::time::Instant::now() + period;
    let mut got = Vec::new();
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match ws.event(left).await {
            None => break,
            Some(WsEvent::End(end)) => panic!("closed: {end:?}"),
            Some(WsEvent::Frame(f)) => {
                if let Frame::Ping(p) = &f {
                    ws.send(Message::Pong(p.clone())).await;
                }
                got.push(f);
            }
        }
    }
    got
}

#[actix_rt::test]
async fn client_pings_get_pongs_with_the_same_payload() {
    let sim = common::start(common::quiet_config());
    let trader = Trader::new(&sim, "basic", "100.00");
    let mut ws = trader.ws(&sim).await;
    ws.send(Message::Ping("are-you-there".into())).await;
    match ws.event(common::ws::WAIT).await {
        Some(WsEvent::Frame(Frame::Pong(payload))) => assert_eq!(&payload[..], b"are-you-there"),
        other => panic!("expected a pong, got {other:?}"),
    }
}
