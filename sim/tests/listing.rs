//! Listing an event while running: its markets appear in REST as open and are announced with
//! `created` lifecycle events, as Kalshi announces new markets.

mod common;

use kalshi::{
    rest::GetMarketsResponse,
    types::LifecycleEventType,
    ws::{Channel, Incoming, MarketFilter},
};

#[actix_rt::test]
async fn a_listed_event_opens_and_is_announced_on_the_lifecycle_channel() {
    let sim = common::start(common::quiet_config());
    let trader = common::Trader::new(&sim, "basic", "100.00");
    let mut ws = trader.ws(&sim).await;
    ws.subscribe(&[Channel::MarketLifecycleV2], MarketFilter::All)
        .await;
    ws.next().await; // subscribed

    let date = chrono::Utc::now().date_naive() + chrono::Duration::days(10);
    let (status, body) = common::admin(
        &sim,
        "POST",
        "/events",
        Some(serde_json::json!({ "series": "KXHIGHNY", "date": date.to_string() })),
    )
    .await;
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    let listed: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let tickers: Vec<String> = listed["markets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(tickers.len(), 6);

    let mut announced = Vec::new();
    while announced.len() < tickers.len() {
        if let Incoming::MarketLifecycle(frame) = ws.next().await
            && frame.msg.event_type == LifecycleEventType::Created
        {
            announced.push(frame.msg.market_ticker.to_string());
        }
    }
    assert_eq!(announced, tickers);

    let event = tickers[0].rsplit_once('-').unwrap().0;
    let (status, body) =
        common::get_public(&sim, &format!("/markets?event_ticker={event}&status=open")).await;
    assert_eq!(status, 200);
    let page: GetMarketsResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(page.markets.len(), 6);

    let (status, _) = common::admin(
        &sim,
        "POST",
        "/events",
        Some(serde_json::json!({ "series": "KXHIGHNY", "date": date.to_string() })),
    )
    .await;
    assert_eq!(status, 400, "listing the same event twice is refused");
}
