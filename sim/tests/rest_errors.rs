//! Every refusal has its documented status and Kalshi's error body — wrapped
//! (`{"error":{"code","message","details"}}`), or flat (`{"code":"bad_request",…}`) for a
//! body that does not parse — read back with `kalshi::ApiError::parse`.

mod common;

use common::{Trader, api_error, order_json};
use kalshi::error::codes;
use serde_json::json;

const CREATE: &str = "/portfolio/events/orders";

#[actix_rt::test]
async fn malformed_bodies_are_400s_that_name_the_problem() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "prime", "100.00");
    let m = common::open_market(&sim, 0).await;

    let (status, body) = t.send_raw("POST", CREATE, "{\"ticker\": ").await;
    let flat: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(flat["code"], "bad_request", "the flat shape: {flat}");
    let e = api_error(400, (status, body));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (codes::BAD_REQUEST, "bad request")
    );
    assert!(e.details.unwrap().starts_with("invalid JSON body"));

    let mut wrong_type = order_json(&m, "bid", "0.50", "1.00");
    wrong_type["count"] = json!(5);
    let e = api_error(400, t.send("POST", CREATE, Some(wrong_type)).await);
    assert!(e.to_string().contains("invalid type: integer `5`"), "{e}");

    let mut unknown = order_json(&m, "bid", "0.50", "1.00");
    unknown["yes_price"] = json!(50);
    let e = api_error(400, t.send("POST", CREATE, Some(unknown)).await);
    assert!(e.to_string().contains("unknown field `yes_price`"), "{e}");

    for (field, code) in [
        ("ticker", codes::MISSING_PARAMETERS),
        ("time_in_force", codes::MISSING_PARAMETERS),
        ("side", codes::INVALID_ORDER),
        ("count", codes::INVALID_ORDER),
        ("price", codes::INVALID_ORDER),
    ] {
        let mut missing = order_json(&m, "bid", "0.50", "1.00");
        missing.as_object_mut().unwrap().remove(field);
        let e = api_error(400, t.send("POST", CREATE, Some(missing)).await);
        assert_eq!(e.code, code, "{field}");
        assert!(
            e.to_string().contains(&format!("missing field `{field}`")),
            "{e}"
        );
    }

    let both = json!({"reduce_by": "1.00", "reduce_to": "1.00"});
    let path = "/portfolio/events/orders/00000000-0000-4000-8000-000000000000/decrease";
    let e = api_error(400, t.send("POST", path, Some(both)).await);
    assert!(
        e.to_string()
            .contains("exactly one of reduce_by and reduce_to"),
        "{e}"
    );

    let too_many: Vec<_> = (0..21)
        .map(|_| order_json(&m, "bid", "0.10", "1.00"))
        .collect();
    let batch = json!({ "orders": too_many });
    let e = api_error(
        400,
        t.send("POST", "/portfolio/events/orders/batched", Some(batch))
            .await,
    );
    assert!(e.to_string().contains("1 to 20 orders, got 21"), "{e}");
}

#[actix_rt::test]
async fn order_rule_violations_are_refused_with_their_codes() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "prime", "100.00");
    let m = common::open_market(&sim, 0).await;

    let e = api_error(
        404,
        t.send(
            "POST",
            CREATE,
            Some(order_json("NOPE-1", "bid", "0.5", "1")),
        )
        .await,
    );
    assert_eq!(e.code, codes::MARKET_NOT_FOUND);

    let off_tick = order_json(&m, "bid", "0.555", "1.00");
    let e = api_error(400, t.send("POST", CREATE, Some(off_tick)).await);
    assert_eq!(e.code, codes::INVALID_ORDER);

    let zero = order_json(&m, "bid", "0.50", "0.00");
    let e = api_error(400, t.send("POST", CREATE, Some(zero)).await);
    assert_eq!(e.code, codes::INVALID_ORDER);
    assert!(e.to_string().contains("count"), "{e}");

    let mut reduce_gtc = order_json(&m, "ask", "0.50", "1.00");
    reduce_gtc["reduce_only"] = json!(true);
    let e = api_error(400, t.send("POST", CREATE, Some(reduce_gtc)).await);
    assert!(e.to_string().contains("reduce_only"), "{e}");

    let mut dup = order_json(&m, "bid", "0.10", "1.00");
    dup["client_order_id"] = json!("dup-1");
    t.place(dup.clone()).await;
    let e = api_error(409, t.send("POST", CREATE, Some(dup)).await);
    assert_eq!(e.code, codes::ORDER_ALREADY_EXISTS);
    assert!(e.is_duplicate_client_order_id());

    let mut post_only = order_json(&m, "ask", "0.10", "1.00");
    post_only["post_only"] = json!(true);
    let (status, body) = t.send("POST", CREATE, Some(post_only)).await;
    let wrapped: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        wrapped,
        json!({"error": {"code": "invalid_order", "message": "invalid order",
                         "details": "post only cross"}}),
        "the order-errors page's example, exactly"
    );
    assert!(api_error(400, (status, body)).is_post_only_cross());

    let rich = order_json(&m, "bid", "0.90", "1000.00");
    let e = api_error(400, t.send("POST", CREATE, Some(rich)).await);
    assert_eq!(e.code, codes::INSUFFICIENT_BALANCE);
}

#[actix_rt::test]
async fn unknown_and_foreign_orders_are_404() {
    let sim = common::start(common::quiet_config());
    let owner = Trader::new(&sim, "prime", "100.00");
    let other = Trader::new(&sim, "prime", "100.00");
    let m = common::open_market(&sim, 0).await;
    let id = owner
        .place(order_json(&m, "bid", "0.10", "1.00"))
        .await
        .order_id;
    let unknown = "00000000-0000-4000-8000-000000000000";

    for order_id in [unknown, id.as_str()] {
        let amend = json!({"ticker": m, "side": "bid", "price": "0.11", "count": "1.00"});
        let calls = [
            ("GET", format!("/portfolio/orders/{order_id}"), None),
            ("DELETE", format!("{CREATE}/{order_id}"), None),
            ("POST", format!("{CREATE}/{order_id}/amend"), Some(amend)),
            (
                "POST",
                format!("{CREATE}/{order_id}/decrease"),
                Some(json!({"reduce_by": "1.00"})),
            ),
        ];
        for (method, path, body) in calls {
            let e = api_error(404, other.send(method, &path, body).await);
            assert_eq!(e.code, codes::NOT_FOUND, "{method} {path}");
        }
    }
    let batch = json!({"orders": [{"order_id": id}]});
    let r: kalshi::rest::BatchCancelOrdersV2Response = other
        .json(
            "DELETE",
            "/portfolio/events/orders/batched",
            Some(batch),
            200,
        )
        .await;
    let err = r.orders[0].error.as_ref().expect("foreign order refused");
    assert_eq!(err.code.as_deref(), Some(codes::NOT_FOUND));
    // The owner still sees it resting.
    let _: kalshi::rest::GetOrderResponse = owner
        .json("GET", &format!("/portfolio/orders/{id}"), None, 200)
        .await;
}

#[actix_rt::test]
async fn closed_paused_and_halted_markets_refuse_orders() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "prime", "100.00");
    let (closed, paused) = (
        common::open_market(&sim, 0).await,
        common::open_market(&sim, 1).await,
    );
    let open = common::open_market(&sim, 2).await;

    sim.control().close_market(&closed);
    let e = api_error(
        400,
        t.send("POST", CREATE, Some(order_json(&closed, "bid", "0.5", "1")))
            .await,
    );
    assert_eq!(e.code, codes::MARKET_INACTIVE);

    let (s, _) = common::admin(
        &sim,
        "POST",
        "/faults",
        Some(json!({"pause_market": paused})),
    )
    .await;
    assert_eq!(s, 200);
    let e = api_error(
        400,
        t.send("POST", CREATE, Some(order_json(&paused, "bid", "0.5", "1")))
            .await,
    );
    assert_eq!(e.code, codes::TRADING_PAUSED);

    let (s, _) = common::admin(
        &sim,
        "POST",
        "/faults",
        Some(json!({"trading_active": false})),
    )
    .await;
    assert_eq!(s, 200);
    let e = api_error(
        400,
        t.send("POST", CREATE, Some(order_json(&open, "bid", "0.5", "1")))
            .await,
    );
    assert_eq!(e.code, codes::EXCHANGE_PAUSED);
}

#[actix_rt::test]
async fn v1_order_writes_answer_the_deprecation_error() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "prime", "100.00");
    let v1 = [
        ("POST", "/portfolio/orders"),
        ("DELETE", "/portfolio/orders/abc"),
        ("POST", "/portfolio/orders/abc/amend"),
        ("POST", "/portfolio/orders/abc/decrease"),
        ("POST", "/portfolio/orders/batched"),
        ("DELETE", "/portfolio/orders/batched"),
    ];
    for (method, path) in v1 {
        let e = api_error(400, t.send(method, path, Some(json!({}))).await);
        assert!(e.is_deprecated_v1(), "{method} {path}: {e}");
    }
}

#[actix_rt::test]
async fn unknown_paths_methods_and_query_parameters_are_refused() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "prime", "100.00");
    let e = api_error(404, t.send("GET", "/no/such/endpoint", None).await);
    assert_eq!(e.code, codes::NOT_FOUND);
    for (method, path) in [("PUT", "/markets"), ("POST", "/portfolio/balance")] {
        let e = api_error(405, t.send(method, path, None).await);
        assert_eq!(e.code, "method_not_allowed", "{method} {path}");
    }
    for query in [
        "/portfolio/orders?limt=5",
        "/portfolio/orders?limit=0",
        "/portfolio/fills?limit=1001",
        "/portfolio/orders?status=open",
        "/portfolio/fills?cursor=not-a-cursor",
        "/portfolio/balance?subaccount=3",
    ] {
        let e = api_error(400, t.send("GET", query, None).await);
        assert_eq!(e.code, codes::INVALID_PARAMETERS, "{query}");
    }
}

#[actix_rt::test]
async fn routing_fields_must_match_the_order() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "prime", "100.00");
    let (m, other) = (
        common::open_market(&sim, 0).await,
        common::open_market(&sim, 1).await,
    );
    let id = t
        .place(order_json(&m, "bid", "0.10", "2.00"))
        .await
        .order_id;
    let wrong_market = format!("{CREATE}/{id}?market_ticker={other}");
    let e = api_error(404, t.send("DELETE", &wrong_market, None).await);
    assert_eq!(e.code, codes::NOT_FOUND);
    let decrease = json!({"reduce_by": "1.00", "market_ticker": other});
    let path = format!("{CREATE}/{id}/decrease");
    api_error(404, t.send("POST", &path, Some(decrease)).await);
    let e = api_error(
        400,
        t.send("DELETE", &format!("{CREATE}/{id}?subaccount=2"), None)
            .await,
    );
    assert!(e.to_string().contains("subaccount 2"), "{e}");

    let amend = |extra: serde_json::Value| {
        let mut b = json!({"ticker": m, "side": "bid", "price": "0.11", "count": "2.00"});
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        b
    };
    let path = format!("{CREATE}/{id}/amend");
    let e = api_error(
        400,
        t.send("POST", &path, Some(amend(json!({"side": "ask"}))))
            .await,
    );
    assert_eq!(e.code, codes::INVALID_ORDER, "amend keeps the side");
    let e = api_error(
        400,
        t.send(
            "POST",
            &path,
            Some(amend(json!({"client_order_id": "not-its-id"}))),
        )
        .await,
    );
    assert!(e.to_string().contains("not-its-id"), "{e}");
    let e = api_error(
        400,
        t.send("POST", &path, Some(amend(json!({"expiration_time": 0}))))
            .await,
    );
    assert!(e.to_string().contains("expiration_time"), "{e}");
    // Still resting, untouched.
    let o: kalshi::rest::GetOrderResponse = t
        .json("GET", &format!("/portfolio/orders/{id}"), None, 200)
        .await;
    assert_eq!(o.order.remaining_count_fp.to_whole_exact(), Some(2));
}

#[actix_rt::test]
async fn garbage_bodies_and_ids_get_4xx_never_5xx_or_a_dropped_connection() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "prime", "100.00");
    let m = common::open_market(&sim, 0).await;
    let bodies = [
        "",
        "null",
        "[]",
        "42",
        "\"x\"",
        "{}",
        "{\"orders\": null}",
        "{\"orders\": [null]}",
        "{\"orders\": [{}]}",
        "\u{0}\u{1}",
        "{\"reduce_by\": \"-1.00\"}",
        "{\"reduce_to\": \"99999999999999999999.00\"}",
    ];
    let paths = [
        ("POST", CREATE.to_owned()),
        ("POST", format!("{CREATE}/batched")),
        ("DELETE", format!("{CREATE}/batched")),
        ("POST", format!("{CREATE}/x/amend")),
        ("POST", format!("{CREATE}/%20/decrease")),
    ];
    for (method, path) in &paths {
        for body in bodies {
            let (status, text) = t.send_raw(method, path, body).await;
            assert!(
                (400..500).contains(&status),
                "{method} {path} {body:?}: {status}"
            );
            kalshi::ApiError::parse(status, &text);
        }
    }
    let mut odd = order_json(&m, "bid", "0.50", "1.00");
    for (field, value) in [
        ("price", json!("1.0000")),
        ("price", json!("0.00001")),
        ("count", json!("-1.00")),
        ("count", json!("1e9")),
        ("expiration_time", json!(-5)),
        ("subaccount", json!(64)),
        ("exchange_index", json!(-2)),
        ("self_trade_prevention_type", json!("none")),
        ("client_order_id", json!("")),
    ] {
        odd[field] = value;
        let (status, _) = t.send("POST", CREATE, Some(odd.clone())).await;
        assert!((400..500).contains(&status), "{field}: {status}");
        odd = order_json(&m, "bid", "0.50", "1.00");
    }
}
