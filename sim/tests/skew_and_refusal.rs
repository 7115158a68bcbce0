//! Two fault switches `tradewind doctor` is tested with: `clock_skew_ms` moves the exchange's
//! clock — the `Date` header of API answers and the time signed timestamps are held against —
//! and `ws_refuse_upgrades` answers every new WebSocket upgrade 503 before authenticating it.
//! `clear` turns both off.

mod common;

use awc::error::WsClientError;
use chrono::Utc;
use common::Trader;
use serde_json::json;

/// The `Date` header of an unsigned `GET /exchange/status`, as Unix seconds.
async fn date_header_s(sim: &kalshi_sim::SimHandle) -> i64 {
    let resp = awc::Client::default()
        .get(format!("{}/exchange/status", sim.rest_url()))
        .send()
        .await
        .expect("response");
    let date = resp
        .headers()
        .get("date")
        .and_then(|v| v.to_str().ok())
        .expect("a Date header");
    chrono::DateTime::parse_from_rfc2822(date)
        .expect("an RFC 2822 date")
        .timestamp()
}

#[actix_rt::test]
async fn a_skewed_clock_moves_the_date_header_and_the_auth_window() {
    let sim = common::start(common::quiet_config());
    let trader = Trader::new(&sim, "basic", "100.00");
    let (status, _) = common::admin(
        &sim,
        "POST",
        "/faults",
        Some(json!({"clock_skew_ms": 60_000})),
    )
    .await;
    assert_eq!(status, 200);

    let ahead = date_header_s(&sim).await - Utc::now().timestamp();
    assert!((58..=62).contains(&ahead), "Date is {ahead} s ahead");
    // A timestamp from this machine's clock is a minute behind the exchange's: refused.
    let err = common::api_error(401, trader.send("GET", "/portfolio/balance", None).await);
    assert!(err.message.contains("away from server time"), "{err:?}");
    // Signed on the exchange's clock, it passes.
    trader.signer.set_offset_ms(60_000);
    let (status, _) = trader.send("GET", "/portfolio/balance", None).await;
    assert_eq!(status, 200);

    sim.control()
        .set_faults(&kalshi_sim::server::faults::FaultPatch {
            clear: true,
            ..Default::default()
        })
        .expect("clear");
    assert!((date_header_s(&sim).await - Utc::now().timestamp()).abs() <= 2);
    assert_eq!(sim.control().faults().clock_skew_ms, 0);
}

#[actix_rt::test]
async fn refused_upgrades_are_503_before_auth_and_open_sockets_stay() {
    let sim = common::start(common::quiet_config());
    let trader = Trader::new(&sim, "basic", "100.00");
    let mut open = trader.ws(&sim).await;
    let (status, body) = common::admin(
        &sim,
        "POST",
        "/faults",
        Some(json!({"ws_refuse_upgrades": true})),
    )
    .await;
    assert_eq!(status, 200);
    let shown: serde_json::Value = serde_json::from_slice(&body).expect("faults");
    assert_eq!(shown["ws_refuse_upgrades"], json!(true));

    let headers = trader
        .signer
        .sign("GET", kalshi::rest::WS_PATH)
        .expect("sign");
    let mut req = awc::Client::default().ws(sim.ws_url());
    for (name, value) in headers.pairs() {
        req = req.header(name, value);
    }
    match req.connect().await {
        Err(WsClientError::InvalidResponseStatus(s)) => assert_eq!(s.as_u16(), 503),
        Err(e) => panic!("expected a 503, got {e}"),
        Ok((resp, _)) => panic!("expected a 503, got {}", resp.status()),
    }
    assert_eq!(sim.control().ws_sessions(), 1, "the open socket stays");
    open.send(awc::ws::Message::Close(None)).await;

    common::admin(&sim, "POST", "/faults", Some(json!({"clear": true}))).await;
    let _again = trader.ws(&sim).await;
}

#[test]
fn a_skew_beyond_a_day_is_refused() {
    let patch = kalshi_sim::server::faults::FaultPatch {
        clock_skew_ms: Some(-86_400_001),
        ..Default::default()
    };
    let err = patch.validate().unwrap_err();
    assert!(err.starts_with("clock_skew_ms:"), "{err}");
}
