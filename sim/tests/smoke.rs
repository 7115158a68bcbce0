//! The simulator starts on a free loopback port and answers public market data.

mod common;

use kalshi::rest::{ExchangeStatus, GetMarketsResponse};

#[actix_rt::test]
async fn starts_and_serves_public_market_data() {
    let sim = common::start(common::quiet_config());
    assert!(sim.rest_url().starts_with("http://127.0.0.1:"));
    assert!(sim.rest_url().ends_with("/trade-api/v2"));
    assert!(sim.ws_url().ends_with("/trade-api/ws/v2"));

    let (status, body) = common::get_public(&sim, "/exchange/status").await;
    assert_eq!(status, 200);
    let s: ExchangeStatus = serde_json::from_slice(&body).unwrap();
    assert!(s.trading_active);

    let (status, body) = common::get_public(&sim, "/markets?limit=5&series_ticker=KXHIGHNY").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let page: GetMarketsResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(page.markets.len(), 5);
    assert!(!page.cursor.is_empty());

    let trader = common::Trader::new(&sim, "basic", "100.00");
    let limits: kalshi::rest::GetAccountLimitsResponse =
        trader.json("GET", "/account/limits", None, 200).await;
    assert_eq!(limits.read.refill_rate, 200);
}
