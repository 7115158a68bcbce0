//! REST wire types against recorded-shape fixtures (`tests/fixtures/rest/*.json`, one per
//! JSON example or field list in kalshi-api.md): every fixture decodes, re-encodes without
//! losing a field and decodes to an equal value; key values decode exactly; unknown values
//! and fields are tolerated; query strings round-trip and bounds are enforced; error bodies
//! of all three shapes parse and garbage never panics.

use std::fmt::Debug;

use kalshi::{
    ApiError, Count, Money, OrderId, Price, Ticker,
    error::{ErrorBody, MAX_BODY_EXCERPT, codes},
    limits::{self, EndpointCosts, Tier},
    rest::*,
    types::{BookSide, MarketResult as R, MarketStatus as S, MarketStatusFilter, OrderStatus},
    types::{OutcomeSide, TimeInForce},
};
use proptest::prelude::*;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};

fn fixture(name: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rest");
    let path = format!("{dir}/{name}.json");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Drops what decoding deliberately forgets: `null` members and empty `client_order_id`s.
fn normalize(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, v)| !(v.is_null() || k == "client_order_id" && v == ""))
                .map(|(k, v)| (k, normalize(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
        other => other,
    }
}

/// Decodes fixture `name`, checks that encoding says the same as the fixture (no field lost)
/// and that decoding the encoding gives an equal value.
fn round_trip<T: DeserializeOwned + Serialize + PartialEq + Debug>(name: &str) -> T {
    let text = fixture(name);
    let first: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let encoded = serde_json::to_value(&first).unwrap();
    let original = normalize(serde_json::from_str(&text).unwrap());
    assert_eq!(
        normalize(encoded.clone()),
        original,
        "{name}: re-encoding differs"
    );
    let second: T = serde_json::from_value(encoded).unwrap();
    assert_eq!(first, second, "{name}: decode(encode(x)) != x");
    first
}

fn p(s: &str) -> Price {
    Price::parse(s).unwrap()
}

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn c(s: &str) -> Count {
    Count::parse(s).unwrap()
}

macro_rules! round_trips {
    ($($ty:ty => $name:literal),+ $(,)?) => {$( round_trip::<$ty>($name); )+};
}

#[test]
fn every_fixture_round_trips() {
    round_trips!(
        ExchangeStatus => "exchange_status", GetExchangeScheduleResponse => "exchange_schedule",
        GetUserDataTimestampResponse => "user_data_timestamp",
        GetMarketResponse => "market", GetMarketsResponse => "markets",
        GetMarketOrderbookResponse => "orderbook", GetMarketOrderbooksResponse => "orderbooks",
        GetEventsResponse => "events", GetEventResponse => "event",
        GetSeriesResponse => "series", GetSeriesListResponse => "series_list",
        GetAccountLimitsResponse => "account_limits", GetEndpointCostsResponse => "endpoint_costs",
        GetBalanceResponse => "balance", GetPositionsResponse => "positions",
        GetFillsResponse => "fills", GetSettlementsResponse => "settlements",
        GetOrderResponse => "order", GetOrdersResponse => "orders",
        CreateOrderV2Request => "create_order_request",
        CreateOrderV2Response => "create_order_response",
        CancelOrderV2Response => "cancel_order_response",
        AmendOrderV2Request => "amend_order_request", AmendOrderV2Response => "amend_order_response",
        DecreaseOrderV2Request => "decrease_order_request",
        DecreaseOrderV2Response => "decrease_order_response",
        BatchCreateOrdersV2Request => "batch_create_request",
        BatchCreateOrdersV2Response => "batch_create_response",
        BatchCancelOrdersV2Request => "batch_cancel_request",
        BatchCancelOrdersV2Response => "batch_cancel_response",
        ErrorBody => "error_flat", ErrorBody => "error_wrapped",
        ErrorBody => "error_too_many_requests", ErrorBody => "error_deprecated_v1",
    );
}

#[test]
fn exchange_status_and_schedule_decode() {
    let s: ExchangeStatus = round_trip("exchange_status");
    assert!(s.exchange_active && !s.trading_active);
    let resume = s.exchange_estimated_resume_time.unwrap().to_rfc3339();
    assert_eq!(resume, "2026-02-12T10:00:00+00:00");
    assert_eq!(s.exchange_index_statuses[1].description, "combos");
    let sched = round_trip::<GetExchangeScheduleResponse>("exchange_schedule").schedule;
    assert_eq!(
        sched.standard_hours[0].thursday[1].open_time.to_string(),
        "05:00:00"
    );
    assert_eq!(sched.maintenance_windows.len(), 1);
}

#[test]
fn market_decodes_strikes_quotes_and_grid_exactly() {
    let mk = round_trip::<GetMarketResponse>("market").market;
    assert_eq!(mk.ticker, "KXHIGHNY-26FEB11-B94.5");
    assert!(mk.status == S::Active && mk.is_tradable() && mk.result == R::None);
    assert_eq!(mk.strike_type, Some(StrikeType::Between));
    assert_eq!(mk.floor_strike, JsonDecimal::from_int(94));
    assert_eq!(mk.cap_strike, JsonDecimal::from_int(95));
    assert_eq!(
        [mk.yes_bid_dollars, mk.yes_ask_dollars],
        [p("0.56"), p("0.58")]
    );
    assert_eq!([mk.volume_fp, mk.volume_24h_fp], [c("1234"), c("456.5")]);
    assert!(mk.price_grid().is_valid(p("0.57")));
    let page: GetMarketsResponse = round_trip("markets");
    assert_eq!(page.next_cursor(), Some("CgwIARIIS1hISUdITlk+Lz0="));
    let tail = &page.markets[1];
    assert_eq!(tail.strike_type, Some(StrikeType::Greater));
    assert_eq!(tail.cap_strike, None);
    assert_eq!(tail.floor_strike.unwrap().to_string(), "95.5");
    assert!(tail.price_grid().is_valid(p("0.085")));
    let settled = &page.markets[2];
    assert!(settled.status == S::Finalized && settled.result == R::Yes);
    assert_eq!(settled.settlement_value_dollars, Some(Price::ONE));
}

#[test]
fn orderbook_best_bid_is_the_last_level() {
    let book = round_trip::<GetMarketOrderbookResponse>("orderbook").orderbook_fp;
    let best = book.best_yes_bid().unwrap();
    assert_eq!((best.price, best.count), (p("0.56"), c("146")));
    assert_eq!(book.yes_dollars[0].price, p("0.08"));
    assert_eq!(book.best_yes_ask().unwrap().price, p("0.58"));
    assert!(book.is_well_formed());
    let text = fixture("orderbook_one_side");
    let one_side = serde_json::from_str::<GetMarketOrderbookResponse>(&text).unwrap();
    assert!(one_side.orderbook_fp.no_dollars.is_empty());
    assert_eq!(
        one_side.orderbook_fp.best_yes_bid().unwrap().count,
        c("12.34")
    );
    let books: GetMarketOrderbooksResponse = round_trip("orderbooks");
    assert_eq!(books.orderbooks[1].orderbook_fp.best_yes_bid(), None);
}

#[test]
fn events_and_series_decode() {
    let events: GetEventsResponse = round_trip("events");
    assert_eq!(events.next_cursor(), None);
    assert!(events.events[0].mutually_exclusive);
    assert_eq!(events.events[0].markets.as_ref().unwrap().len(), 2);
    let one: GetEventResponse = round_trip("event");
    assert_eq!(one.event.event_ticker, "KXHIGHNY-26FEB11");
    assert_eq!(one.all_markets().len(), 2);
    let list: GetSeriesListResponse = round_trip("series_list");
    assert_eq!(list.series[0].fee_type, FeeType::Quadratic);
    assert_eq!(list.series[1].fee_type, FeeType::QuadraticWithMakerFees);
    assert_eq!(list.series[1].fee_multiplier.to_string(), "0.5");
}

#[test]
fn limits_and_costs_agree_with_the_limits_module() {
    let lim: GetAccountLimitsResponse = round_trip("account_limits");
    assert_eq!(lim.usage_tier, Tier::Advanced);
    assert_eq!(Tier::Advanced.budget().unwrap().read, lim.read);
    assert_eq!(lim.write.bucket_capacity, 600);
    assert_eq!(lim.grants[1].expires_ts, Some(1_780_000_000));
    let basic = limits::limits_for(&Tier::Basic).unwrap().write;
    assert_eq!([basic.refill_rate, basic.bucket_capacity], [100, 100]);
    let costs = EndpointCosts::from_response(&round_trip("endpoint_costs"));
    assert_eq!(costs, EndpointCosts::documented());
    assert_eq!(costs.cost(Endpoint::BatchCancelOrders, 20), 40);
    assert_eq!(
        costs.cost_of(Method::Get, "/portfolio/orders/{order_id}"),
        2
    );
}

#[test]
fn portfolio_amounts_decode_in_their_units() {
    let b: GetBalanceResponse = round_trip("balance");
    assert_eq!(
        [b.balance, b.exact_balance(), b.portfolio_value],
        [m("1000"), m("1000"), m("250")]
    );
    assert_eq!(b.balance_breakdown[1].balance, m("100"));
    let pos: GetPositionsResponse = round_trip("positions");
    assert_eq!(pos.market_positions[1].position_fp, c("-10"));
    assert_eq!(pos.market_positions[1].realized_pnl_dollars, m("-0.25"));
    assert_eq!(pos.event_positions[0].total_cost_shares_fp, c("110"));
    let fills = round_trip::<GetFillsResponse>("fills").fills;
    assert_eq!(
        (fills[0].outcome_side, fills[0].book_side),
        (OutcomeSide::Yes, BookSide::Bid)
    );
    assert_eq!(
        [fills[0].fee_cost, fills[1].fee_cost],
        [m("0.1733"), Money::ZERO]
    );
    assert_eq!(fills[1].count_fp, c("2.5"));
    let s = round_trip::<GetSettlementsResponse>("settlements").settlements;
    assert_eq!((s[0].revenue, s[0].value), (m("100"), Some(m("1"))));
    assert_eq!((&s[1].market_result, s[1].value), (&R::No, None));
}

#[test]
fn orders_decode_and_empty_client_ids_mean_none() {
    let orders: GetOrdersResponse = round_trip("orders");
    let [mine, ui] = &orders.orders[..] else {
        panic!("two orders")
    };
    let id = mine.client_order_id.as_ref().unwrap();
    assert_eq!(id.as_str(), "tw-fv1-KXHIGHNY-26FEB11-B94.5-17");
    assert_eq!(
        (&mine.status, mine.remaining_count_fp),
        (&OrderStatus::Resting, c("8"))
    );
    assert_eq!(ui.client_order_id, None);
    assert_eq!(
        (&ui.status, ui.fill_count_fp),
        (&OrderStatus::Canceled, c("2.5"))
    );
    assert_eq!(orders.next_cursor(), Some("b3JkZXJzOjI="));
}

#[test]
fn order_bodies_match_the_doc_and_validate() {
    let req: CreateOrderV2Request = round_trip("create_order_request");
    assert_eq!(
        (req.side, req.price, req.count),
        (BookSide::Bid, p("0.56"), c("10"))
    );
    assert_eq!(req.validate(), Ok(()));
    let ticker = Ticker::new("HIGHNY-24JAN01-T60").unwrap();
    let built = CreateOrderV2Request {
        client_order_id: req.client_order_id.clone(),
        post_only: Some(false),
        cancel_order_on_pause: Some(false),
        reduce_only: Some(false),
        subaccount: Some(0),
        exchange_index: Some(0),
        ..CreateOrderV2Request::limit(ticker, BookSide::Bid, p("0.56"), c("10"))
    };
    assert_eq!(built, req);
    let bad = |f: fn(&mut CreateOrderV2Request)| {
        let mut r = req.clone();
        f(&mut r);
        r.validate().unwrap_err().field
    };
    assert_eq!(bad(|r| r.reduce_only = Some(true)), "reduce_only");
    assert_eq!(bad(|r| r.price = Price::ONE), "price");
    assert_eq!(bad(|r| r.price = p("0.56001")), "price");
    assert_eq!(bad(|r| r.count = Count::ZERO), "count");
    assert_eq!(bad(|r| r.subaccount = Some(64)), "subaccount");
    let ioc_with_expiry = |r: &mut CreateOrderV2Request| {
        r.time_in_force = TimeInForce::ImmediateOrCancel;
        r.expiration_time = Some(1);
    };
    assert_eq!(bad(ioc_with_expiry), "expiration_time");
    let v1 = fixture("create_order_request").replace("\"price\"", "\"yes_price\"");
    assert!(serde_json::from_str::<CreateOrderV2Request>(&v1).is_err());
    let dec: DecreaseOrderV2Request = round_trip("decrease_order_request");
    assert_eq!(dec.validate(), Ok(()));
    let both = DecreaseOrderV2Request {
        reduce_to: Some(c("1")),
        ..dec
    };
    assert!(both.validate().is_err());
    assert!(DecreaseOrderV2Request::default().validate().is_err());
    let amend: AmendOrderV2Request = round_trip("amend_order_request");
    assert_eq!((amend.validate(), amend.expiration_time), (Ok(()), Some(0)));
    let created: CreateOrderV2Response = round_trip("create_order_response");
    assert_eq!(
        (created.fill_count, created.average_fill_price),
        (c("4"), Some(p("0.555")))
    );
}

#[test]
fn batches_carry_per_item_results_and_errors() {
    let req: BatchCreateOrdersV2Request = round_trip("batch_create_request");
    assert_eq!(req.validate(20), Ok(()));
    assert!(req.validate(1).is_err());
    let res = round_trip::<BatchCreateOrdersV2Response>("batch_create_response").orders;
    let err = ApiError::from_detail(201, res[1].error.as_ref().unwrap());
    assert!(err.has_code(codes::INSUFFICIENT_BALANCE));
    assert_eq!(res[1].order_id, None);
    let cancel: BatchCancelOrdersV2Request = round_trip("batch_cancel_request");
    assert_eq!(cancel.validate(20), Ok(()));
    let out = round_trip::<BatchCancelOrdersV2Response>("batch_cancel_response").orders;
    assert_eq!(
        [out[0].reduced_by, out[1].reduced_by],
        [c("8"), Count::ZERO]
    );
    assert_eq!(
        out[1].order_id,
        OrderId::new("9b0f6b43-0000-4000-8000-000000000003").unwrap()
    );
}

#[test]
fn each_error_shape_parses() {
    let flat = ApiError::parse(404, fixture("error_flat").as_bytes());
    assert!(flat.is_not_found() && flat.has_code(codes::MARKET_NOT_FOUND));
    assert_eq!(flat.service.as_deref(), Some("exchange"));
    let wrapped = ApiError::parse(400, fixture("error_wrapped").as_bytes());
    assert_eq!(
        [wrapped.code.as_str(), wrapped.message.as_str()],
        ["invalid_order", "invalid order"]
    );
    assert!(wrapped.details.unwrap().starts_with("exactly one of"));
    let limited = ApiError::parse(429, fixture("error_too_many_requests").as_bytes());
    assert!(limited.is_rate_limited() && limited.is_retryable());
    assert_eq!(limited.message, "too many requests");
    let v1 = ApiError::from_success_body(200, fixture("error_deprecated_v1").as_bytes());
    assert!(v1.unwrap().is_deprecated_v1());
    assert_eq!(
        ApiError::from_success_body(200, fixture("balance").as_bytes()),
        None
    );
    assert!(ApiError::parse(409, b"{}").is_duplicate_client_order_id());
    assert!(ApiError::parse(401, b"").is_unauthorized());
    assert!(ApiError::parse(503, b"<html>bad gateway</html>").is_retryable());
    assert!(!ApiError::parse(400, b"").is_retryable());
    let body = ErrorBody::wrapped(codes::MARKET_INACTIVE, "closed", Some("d")).to_json();
    assert_eq!(ApiError::parse(400, &body).code, codes::MARKET_INACTIVE);
}

proptest! {
    #[test]
    fn garbage_error_bodies_never_panic(
        status in 0u16..1000,
        body in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let e = ApiError::parse(status, &body);
        prop_assert_eq!(e.status, status);
        if !matches!(serde_json::from_slice::<Value>(&body), Ok(Value::Object(_))) {
            prop_assert!(e.message.chars().count() <= MAX_BODY_EXCERPT + 1);
        }
        let _ = e.to_string();
    }

    #[test]
    fn cursors_of_any_text_round_trip(cursor in ".{1,40}") {
        let params = GetFillsParams { cursor: Some(cursor), ..Default::default() };
        prop_assert_eq!(GetFillsParams::from_query(&params.to_query()).unwrap(), params);
    }
}

/// Decodes `T` from fixture `name` after `edit`.
fn edited<T: DeserializeOwned>(name: &str, edit: impl FnOnce(&mut Value)) -> T {
    let mut v: Value = serde_json::from_str(&fixture(name)).unwrap();
    edit(&mut v);
    serde_json::from_value(v).unwrap()
}

#[test]
fn unknown_values_decode_to_other_and_unknown_fields_are_ignored() {
    let mk = edited::<GetMarketResponse>("market", |v| {
        v["market"]["status"] = "frozen".into();
        v["market"]["strike_type"] = "wavy".into();
        v["market"]["price_level_structure"] = "quarter_cent".into();
        v["market"]["brand_new_field"] = json!({"nested": [1, 2]});
    })
    .market;
    assert_eq!(mk.status, S::Other("frozen".into()));
    assert_eq!(mk.strike_type, Some(StrikeType::Other("wavy".into())));
    let order = edited::<GetOrderResponse>("order", |v| {
        v["order"]["status"] = "pending".into();
        v["order"]["queue_position_fp"] = "0.00".into();
    });
    assert_eq!(order.order.status, OrderStatus::Other("pending".into()));
    let lim = edited::<GetAccountLimitsResponse>("account_limits", |v| {
        v["usage_tier"] = "expert".into();
    });
    assert_eq!(lim.usage_tier, Tier::Other("expert".into()));
    let series =
        edited::<GetSeriesResponse>("series", |v| v["series"]["fee_type"] = "cubic".into());
    assert_eq!(series.series.fee_type, FeeType::Other("cubic".into()));
    let balance = edited::<GetBalanceResponse>("balance", |v| {
        v.as_object_mut().unwrap().remove("balance_dollars");
        v["balance_breakdown"] = Value::Null;
        v["extra"] = true.into();
    });
    assert_eq!(
        (balance.balance_dollars, balance.exact_balance()),
        (None, m("1000"))
    );
}

/// Parses `query`, checks that it renders back to exactly `query`, returns the parameters.
fn canonical<P>(parse: fn(&str) -> Result<P, QueryError>, render: fn(&P) -> String, q: &str) -> P {
    let params = parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    assert_eq!(render(&params), q);
    params
}

#[test]
fn query_strings_render_and_parse_back() {
    let q = "limit=1000&cursor=a%2Bb%2Fc%3Dd%26e+f%25&series_ticker=KXHIGHNY&min_close_ts=1770800000\
             &status=closed&tickers=KXHIGHNY-26FEB11-B94.5,KXHIGHNY-26FEB11-T96&mve_filter=exclude";
    let markets = canonical(GetMarketsParams::from_query, GetMarketsParams::to_query, q);
    assert_eq!(markets.cursor.as_deref(), Some("a+b/c=d&e f%"));
    assert_eq!(markets.tickers[1], "KXHIGHNY-26FEB11-T96");
    assert_eq!(markets.status, Some(MarketStatusFilter::Closed));
    assert_eq!(markets.mve_filter, Some(MveFilter::Exclude));
    assert_eq!(GetMarketsParams::parse_valid(&format!("?{q}")), Ok(markets));
    let q = "tickers=KXHIGHNY-26FEB11-B94.5&tickers=KXHIGHNY-26FEB11-T96";
    let books = canonical(
        GetOrderbooksParams::from_query,
        GetOrderbooksParams::to_query,
        q,
    );
    assert_eq!(books.tickers.len(), 2);
    let q = "event_ticker=KXHIGHNY-26FEB11,KXHIGHMIA-26FEB11&status=resting&subaccount=3";
    let orders = canonical(GetOrdersParams::from_query, GetOrdersParams::to_query, q);
    assert_eq!(
        (orders.event_ticker.len(), orders.status),
        (2, Some(OrderStatus::Resting))
    );
    let q = "cursor=abc&count_filter=position,total_traded&ticker=KXHIGHNY-26FEB11-T96";
    let pos = canonical(
        GetPositionsParams::from_query,
        GetPositionsParams::to_query,
        q,
    );
    assert_eq!(
        pos.count_filter,
        [CountFilter::Position, CountFilter::TotalTraded]
    );
    let q = "with_nested_markets=true&status=open&series_ticker=KXHIGHNY";
    let events = canonical(GetEventsParams::from_query, GetEventsParams::to_query, q);
    assert_eq!(events.with_nested_markets, Some(true));
    let q = "subaccount=0&exchange_index=-1&market_ticker=KXHIGHNY-26FEB11-T96";
    canonical(
        CancelOrderParams::from_query,
        CancelOrderParams::to_query,
        q,
    );
    assert_eq!(
        GetFillsParams::from_query("cursor=&limit="),
        Ok(GetFillsParams::default())
    );
    assert_eq!(GetEventsParams::default().to_query(), "");
    let path = with_query(&Endpoint::GetMarkets.path(), "limit=5");
    assert_eq!(path, "/trade-api/v2/markets?limit=5");
}

#[test]
fn query_parsing_refuses_unknown_and_malformed_parameters() {
    let err = |q: &str| GetMarketsParams::from_query(q).unwrap_err();
    assert_eq!(err("limt=5"), QueryError::Unknown { key: "limt".into() });
    assert_eq!(
        err("limit=5&limit=6"),
        QueryError::Duplicate {
            key: "limit".into()
        }
    );
    for q in [
        "limit=-1",
        "status=active",
        "tickers=A,,B",
        "tickers=A%2FB",
        "mve_filter=all",
    ] {
        assert!(matches!(err(q), QueryError::Invalid { .. }), "{q}");
    }
}

/// Asserts whether `parse_valid` (parse, then Kalshi's bounds) accepts each query.
macro_rules! accepts {
    ($ty:ty: $($q:literal => $ok:literal),+ $(,)?) => {$(
        let got = <$ty>::parse_valid($q);
        assert_eq!(got.is_ok(), $ok, "{} {:?}: {:?}", stringify!($ty), $q, got);
    )+};
}

#[test]
fn validation_refuses_out_of_bound_limits_and_bad_combinations() {
    accepts!(GetMarketsParams:
        "limit=0" => false, "limit=1" => true, "limit=1000" => true, "limit=1001" => false,
        "min_close_ts=1&min_created_ts=1" => false,
        "min_close_ts=1&status=closed" => true, "min_close_ts=1&status=open" => false,
        "min_created_ts=1&status=unopened" => true, "max_settled_ts=9&status=open" => false,
        "min_updated_ts=1&status=open" => false, "min_updated_ts=1&mve_filter=exclude" => true,
        "min_updated_ts=1&mve_filter=only" => false);
    accepts!(GetEventsParams:
        "limit=200" => true, "limit=201" => false, "status=paused" => false, "status=settled" => true);
    accepts!(GetOrderbookParams: "depth=0" => true, "depth=100" => true, "depth=101" => false);
    accepts!(GetOrderbooksParams: "" => false, "tickers=A" => true);
    accepts!(GetFillsParams: "limit=1000" => true, "limit=1001" => false, "subaccount=64" => false);
    accepts!(GetOrdersParams:
        "limit=1001" => false, "status=pending" => false,
        "event_ticker=A,B,C,D,E,F,G,H,I,J" => true, "event_ticker=A,B,C,D,E,F,G,H,I,J,K" => false);
    accepts!(GetPositionsParams: "limit=0" => false, "count_filter=position" => true);
    accepts!(GetSettlementsParams: "limit=200" => true, "limit=201" => false);
    accepts!(GetBalanceParams: "subaccount=63" => true, "subaccount=64" => false);
    accepts!(SubaccountParams: "subaccount=1" => true, "subaccount=99" => false);
    accepts!(GetSeriesListParams: "category=Climate+and+Weather&include_volume=true" => true);
}
