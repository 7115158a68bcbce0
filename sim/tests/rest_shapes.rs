//! Every REST endpoint the simulator serves answers the documented status with a body that
//! decodes into the `kalshi::rest` type of that endpoint.

mod common;

use common::{Trader, order_json};
use kalshi::rest::{
    AmendOrderV2Response, BatchCancelOrdersV2Response, BatchCreateOrdersV2Response,
    CancelOrderV2Response, CreateOrderV2Response, DecreaseOrderV2Response, ExchangeStatus,
    GetAccountLimitsResponse, GetBalanceResponse, GetEndpointCostsResponse, GetEventResponse,
    GetEventsResponse, GetExchangeScheduleResponse, GetFillsResponse, GetMarketOrderbookResponse,
    GetMarketOrderbooksResponse, GetMarketResponse, GetMarketsResponse, GetOrderResponse,
    GetOrdersResponse, GetPositionsResponse, GetSeriesListResponse, GetSeriesResponse,
    GetSettlementsResponse, GetUserDataTimestampResponse,
};
use kalshi::{
    Count, Money, Price,
    types::{BookSide, OrderStatus},
};
use serde_json::json;

fn count(s: &str) -> Count {
    Count::parse(s).unwrap()
}

#[actix_rt::test]
async fn market_data_endpoints_answer_their_documented_shapes() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "premier", "100.00");

    let s: ExchangeStatus = t.json("GET", "/exchange/status", None, 200).await;
    assert!(s.exchange_active && s.trading_active);
    let sched: GetExchangeScheduleResponse = t.json("GET", "/exchange/schedule", None, 200).await;
    assert_eq!(sched.schedule.standard_hours.len(), 1);
    let _: GetUserDataTimestampResponse = t
        .json("GET", "/exchange/user_data_timestamp", None, 200)
        .await;

    let page: GetMarketsResponse = t.json("GET", "/markets?limit=3", None, 200).await;
    assert_eq!(page.markets.len(), 3);
    let (a, b) = (&page.markets[0].ticker, &page.markets[1].ticker);
    let one: GetMarketResponse = t.json("GET", &format!("/markets/{a}"), None, 200).await;
    assert_eq!(one.market.ticker, *a);
    let book: GetMarketOrderbookResponse = t
        .json("GET", &format!("/markets/{a}/orderbook?depth=2"), None, 200)
        .await;
    assert!(
        book.orderbook_fp.yes_dollars.is_empty(),
        "quiet books are empty"
    );
    let books: GetMarketOrderbooksResponse = t
        .json(
            "GET",
            &format!("/markets/orderbooks?tickers={a}&tickers={b}"),
            None,
            200,
        )
        .await;
    assert_eq!(books.orderbooks.len(), 2);

    let events: GetEventsResponse = t.json("GET", "/events?limit=2", None, 200).await;
    assert_eq!(events.events.len(), 2);
    let e = &events.events[0];
    let event: GetEventResponse = t
        .json("GET", &format!("/events/{}", e.event_ticker), None, 200)
        .await;
    assert_eq!(event.event.event_ticker, e.event_ticker);
    assert_eq!(event.markets.len(), 6, "two tails and four brackets");
    assert_eq!(event.event.markets, None, "nested only when asked");
    let nested: GetEventResponse = t
        .json(
            "GET",
            &format!("/events/{}?with_nested_markets=true", e.event_ticker),
            None,
            200,
        )
        .await;
    assert_eq!(nested.event.markets.as_ref(), Some(&nested.markets));
    let series: GetSeriesListResponse = t.json("GET", "/series", None, 200).await;
    assert_eq!(series.series.len(), 6, "one series per city");
    let one: GetSeriesResponse = t
        .json("GET", &format!("/series/{}", e.series_ticker), None, 200)
        .await;
    assert_eq!(one.series.ticker, e.series_ticker);
    assert_eq!(one.series.categories, ["Climate and Weather"]);
    assert_eq!(one.series.volume_fp, None, "volume only when asked");
    let with_volume: GetSeriesResponse = t
        .json(
            "GET",
            &format!("/series/{}?include_volume=true", e.series_ticker),
            None,
            200,
        )
        .await;
    assert_eq!(
        with_volume.series.volume_fp,
        Some(Count::ZERO),
        "quiet: nothing traded"
    );

    let limits: GetAccountLimitsResponse = t.json("GET", "/account/limits", None, 200).await;
    assert_eq!(limits.usage_tier.as_str(), "premier");
    let costs: GetEndpointCostsResponse = t.json("GET", "/account/endpoint_costs", None, 200).await;
    assert_eq!(costs.default_cost, 10);
}

#[actix_rt::test]
async fn order_operations_answer_their_documented_shapes() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "premier", "100.00");
    let m = common::open_market(&sim, 0).await;

    let mut body = order_json(&m, "bid", "0.4000", "10.00");
    body["client_order_id"] = json!("shape-1");
    let created: CreateOrderV2Response = t.place(body).await;
    assert_eq!(created.client_order_id.as_deref(), Some("shape-1"));
    assert_eq!(
        (created.fill_count, created.remaining_count),
        (Count::ZERO, count("10"))
    );
    assert!(created.average_fill_price.is_none() && created.ts_ms > 0);
    let id = created.order_id.to_string();

    let got: GetOrderResponse = t
        .json("GET", &format!("/portfolio/orders/{id}"), None, 200)
        .await;
    assert_eq!(got.order.status, OrderStatus::Resting);
    assert_eq!(got.order.book_side, BookSide::Bid);
    assert_eq!(got.order.yes_price_dollars, Price::parse("0.40").unwrap());

    let amend = json!({"ticker": m, "side": "bid", "price": "0.4100", "count": "12.00",
                       "updated_client_order_id": "shape-1b"});
    let amended: AmendOrderV2Response = t
        .json(
            "POST",
            &format!("/portfolio/events/orders/{id}/amend"),
            Some(amend),
            200,
        )
        .await;
    assert_eq!(amended.remaining_count, Some(count("12")));
    assert_eq!(amended.client_order_id.as_deref(), Some("shape-1b"));
    assert_eq!(amended.fill_count, None, "nothing crossed");

    let decreased: DecreaseOrderV2Response = t
        .json(
            "POST",
            &format!("/portfolio/events/orders/{id}/decrease"),
            Some(json!({"reduce_to": "5.00", "market_ticker": m})),
            200,
        )
        .await;
    assert_eq!(decreased.remaining_count, count("5"));

    let canceled: CancelOrderV2Response = t
        .json(
            "DELETE",
            &format!("/portfolio/events/orders/{id}?market_ticker={m}"),
            None,
            200,
        )
        .await;
    assert_eq!(
        (canceled.order_id.as_str(), canceled.reduced_by),
        (id.as_str(), count("5"))
    );

    let batch = json!({"orders": [order_json(&m, "bid", "0.3000", "1.00"),
                                  order_json(&m, "bid", "0.3000", "0.00")]});
    let created: BatchCreateOrdersV2Response = t
        .json("POST", "/portfolio/events/orders/batched", Some(batch), 201)
        .await;
    assert!(created.orders[0].order_id.is_some() && created.orders[0].error.is_none());
    let err = created.orders[1]
        .error
        .as_ref()
        .expect("zero count refused");
    assert_eq!(err.code.as_deref(), Some("invalid_order"));
    let first = created.orders[0].order_id.clone().unwrap();

    let cancel = json!({"orders": [{"order_id": first}, {"order_id": id}]});
    let canceled: BatchCancelOrdersV2Response = t
        .json(
            "DELETE",
            "/portfolio/events/orders/batched",
            Some(cancel),
            200,
        )
        .await;
    assert_eq!(canceled.orders[0].reduced_by, count("1"));
    assert_eq!(
        canceled.orders[1].reduced_by,
        Count::ZERO,
        "already canceled"
    );
    assert!(canceled.orders[1].error.is_some());

    t.place(order_json(&m, "bid", "0.2000", "1.00")).await;
    let (status, body) = t.send("DELETE", "/portfolio/events/orders", None).await;
    assert_eq!((status, body.len()), (204, 0));
    let resting: GetOrdersResponse = t
        .json("GET", "/portfolio/orders?status=resting", None, 200)
        .await;
    assert!(resting.orders.is_empty() && resting.cursor.is_empty());
}

#[actix_rt::test]
async fn portfolio_endpoints_answer_their_documented_shapes() {
    let sim = common::start(common::quiet_config());
    let maker = Trader::new(&sim, "premier", "1000.00");
    let taker = Trader::new(&sim, "premier", "1000.00");
    let m = common::open_market(&sim, 0).await;

    let bal: GetBalanceResponse = maker.json("GET", "/portfolio/balance", None, 200).await;
    assert_eq!(bal.balance_dollars, Some(Money::parse("1000").unwrap()));
    assert_eq!(bal.portfolio_value, Money::ZERO);

    maker.place(order_json(&m, "bid", "0.40", "10.00")).await;
    let took = taker.place(order_json(&m, "ask", "0.40", "4.00")).await;
    assert_eq!(took.fill_count, count("4"));
    assert_eq!(took.average_fill_price, Some(Price::parse("0.40").unwrap()));

    // Cash 1000 − 4 × 0.40 paid = 998.40, of which 6 × 0.40 = 2.40 holds the resting rest.
    let bal: GetBalanceResponse = maker.json("GET", "/portfolio/balance", None, 200).await;
    assert_eq!(bal.balance_dollars, Some(Money::parse("996").unwrap()));
    assert_eq!(bal.balance.to_cents_floor(), 99_600);
    // 4 YES marked at the best YES bid (0.40): 1.60.
    assert_eq!(bal.portfolio_value.to_cents_floor(), 160);

    let pos: GetPositionsResponse = maker.json("GET", "/portfolio/positions", None, 200).await;
    assert_eq!(pos.market_positions.len(), 1);
    assert_eq!(pos.market_positions[0].position_fp, count("4"));
    assert_eq!(pos.event_positions.len(), 1);
    assert_eq!(pos.event_positions[0].total_cost_shares_fp, count("4"));
    let pos: GetPositionsResponse = taker.json("GET", "/portfolio/positions", None, 200).await;
    assert_eq!(pos.market_positions[0].position_fp, count("-4"));

    let fills: GetFillsResponse = taker.json("GET", "/portfolio/fills", None, 200).await;
    assert_eq!(fills.fills.len(), 1);
    assert!(fills.fills[0].is_taker && fills.fills[0].fee_cost > Money::ZERO);
    assert_eq!(fills.fills[0].order_id, took.order_id);

    let settled: GetSettlementsResponse =
        maker.json("GET", "/portfolio/settlements", None, 200).await;
    assert!(settled.settlements.is_empty() && settled.cursor.is_empty());

    let orders: GetOrdersResponse = maker.json("GET", "/portfolio/orders", None, 200).await;
    assert_eq!(orders.orders.len(), 1);
    assert_eq!(orders.orders[0].fill_count_fp, count("4"));
    assert_eq!(orders.orders[0].remaining_count_fp, count("6"));
}
