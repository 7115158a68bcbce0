//! The simulator against Kalshi's published schema (`kalshi/tests/fixtures/kalshi-openapi.json`
//! or the file in `KALSHI_OPENAPI`): a simulator on loopback is driven until every REST
//! endpoint has something to return (orders placed, filled, amended, decreased, batched and
//! canceled; a market settled through the admin interface), then every endpoint it serves is
//! called and each answer is validated — strictly, no field the model lacks — against the
//! response model the schema gives that endpoint: required fields, JSON types, enum values,
//! nested models. Every documented query parameter of every read endpoint is accepted, and
//! refusals have the shapes of Kalshi's order-errors page.

mod common;
#[path = "../../kalshi/tests/support/openapi/mod.rs"]
mod openapi;
mod openapi_world;

use std::collections::BTreeSet;

use kalshi::rest::Endpoint;
use openapi::OpenApi;
use openapi_world::{Answer, HISTORICAL_AFTER_S, World, calls, later_calls};
use serde_json::{Value, json};

/// The response model the schema gives an endpoint.
fn model_of(doc: &OpenApi, e: Endpoint) -> Option<String> {
    doc.endpoint(e.method().as_str(), e.template())
        .unwrap_or_else(|| panic!("{e:?} is not in the schema"))
        .response
        .clone()
}

/// Every problem of one answer, each prefixed with the call.
fn problems(doc: &OpenApi, what: &str, a: &Answer) -> Vec<String> {
    match model_of(doc, a.endpoint) {
        None if a.body.is_empty() => Vec::new(),
        None => vec![format!("{what}: a body where the schema has none")],
        // A free object (the order-group writes): any JSON object.
        Some(model) if model == "object" => match serde_json::from_slice::<Value>(&a.body) {
            Ok(Value::Object(_)) => Vec::new(),
            _ => vec![format!("{what}: not a JSON object")],
        },
        Some(model) => match serde_json::from_slice::<Value>(&a.body) {
            Err(e) => vec![format!("{what}: not JSON: {e}")],
            Ok(v) => doc
                .validate_strict(&model, &v)
                .into_iter()
                .map(|p| format!("{what}: {p}"))
                .collect(),
        },
    }
}

/// Fails unless the JSON at `pointer` is a non-empty array (so its items were validated).
fn non_empty(what: &str, body: &[u8], pointer: &str) {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let n = v
        .pointer(pointer)
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    assert!(
        n > 0,
        "{what}: {pointer} is empty, so nothing in it was checked: {v}"
    );
}

/// Moves the clock past the historical cutoff of everything the world did.
fn pass_the_cutoff(w: &World) {
    let by = chrono::Duration::seconds(HISTORICAL_AFTER_S as i64 + 1);
    common::advance(&w.sim, &[&w.maker, &w.taker], by);
}

/// The answers of [`calls`], then, past the historical cutoff, of [`later_calls`].
async fn reads(w: &World) -> Vec<(String, Answer)> {
    let mut out = read_all(w, calls(w)).await;
    pass_the_cutoff(w);
    out.extend(read_all(w, later_calls(w)).await);
    out
}

async fn read_all(w: &World, calls: Vec<openapi_world::Call>) -> Vec<(String, Answer)> {
    let mut out = Vec::new();
    for c in calls {
        let method = c.endpoint.method().as_str();
        let (status, body) = w.maker.send(method, &c.path, c.body).await;
        let what = format!("{method} {}", c.path);
        assert_eq!(status, 200, "{what}: {}", String::from_utf8_lossy(&body));
        out.push((
            what,
            Answer {
                endpoint: c.endpoint,
                status,
                body,
            },
        ));
    }
    out
}

#[actix_rt::test]
async fn every_endpoint_answers_its_published_model() {
    let doc = OpenApi::load();
    let w = openapi_world::build().await;
    let mut answers: Vec<(String, Answer)> = w
        .writes
        .iter()
        .map(|a| (format!("{:?} ({})", a.endpoint, a.status), a.clone()))
        .collect();
    answers.extend(reads(&w).await);
    let found: Vec<String> = answers
        .iter()
        .flat_map(|(what, a)| problems(&doc, what, a))
        .collect();
    assert!(
        found.is_empty(),
        "{} problem(s):\n{}",
        found.len(),
        found.join("\n")
    );

    let called: BTreeSet<Endpoint> = answers.iter().map(|(_, a)| a.endpoint).collect();
    let missed: Vec<_> = Endpoint::ALL
        .iter()
        .filter(|e| !called.contains(e))
        .collect();
    assert!(missed.is_empty(), "never called: {missed:?}");
    check_non_empty(&answers);
}

/// The answers whose lists must hold something for the check to mean anything.
fn check_non_empty(answers: &[(String, Answer)]) {
    use Endpoint as E;
    let want: &[(E, &[&str])] = &[
        (E::GetMarkets, &["/markets"]),
        (
            E::GetMarketOrderbook,
            &["/orderbook_fp/yes_dollars", "/orderbook_fp/no_dollars"],
        ),
        (E::GetEvents, &["/events", "/events/0/markets"]),
        (E::GetEvent, &["/markets", "/event/settlement_sources"]),
        (E::GetSeriesList, &["/series", "/series/0/categories"]),
        (E::GetBalance, &["/balance_breakdown"]),
        (E::GetPositions, &["/market_positions", "/event_positions"]),
        (E::GetFills, &["/fills"]),
        (E::GetSettlements, &["/settlements"]),
        (E::GetOrders, &["/orders"]),
        (E::GetTrades, &["/trades"]),
        (E::GetMarketCandlesticks, &["/candlesticks"]),
        (
            E::BatchGetMarketCandlesticks,
            &["/markets", "/markets/0/candlesticks"],
        ),
        (
            E::GetEventMetadata,
            &["/market_details", "/settlement_sources"],
        ),
        (E::BatchCreateOrders, &["/orders"]),
        (E::BatchCancelOrders, &["/orders"]),
        (E::GetHistoricalMarkets, &["/markets"]),
        (E::GetMarketCandlesticksHistorical, &["/candlesticks"]),
        (E::GetHistoricalTrades, &["/trades"]),
        (E::GetHistoricalFills, &["/fills"]),
        (E::GetHistoricalOrders, &["/orders"]),
        (
            E::GetHistoricalPositions,
            &["/market_positions", "/event_positions"],
        ),
        (E::GetOrderGroups, &["/order_groups"]),
        (E::GetOrderGroup, &["/orders"]),
        (E::GetOrderQueuePositions, &["/queue_positions"]),
        (
            E::GetEventForecastPercentilesHistory,
            &["/forecast_history", "/forecast_history/0/percentile_points"],
        ),
    ];
    for (e, pointers) in want {
        let (what, a) = answers
            .iter()
            .find(|(_, a)| a.endpoint == *e)
            .unwrap_or_else(|| panic!("no answer of {e:?}"));
        for p in *pointers {
            non_empty(what, &a.body, p);
        }
    }
    let (what, a) = answers
        .iter()
        .find(|(_, a)| a.endpoint == E::GetEventCandlesticks)
        .expect("an answer of GetEventCandlesticks");
    let v: Value = serde_json::from_slice(&a.body).unwrap_or(Value::Null);
    let candles = v["market_candlesticks"].as_array().map_or(0, |m| {
        m.iter().filter_map(Value::as_array).map(Vec::len).sum()
    });
    assert!(
        candles > 0,
        "{what}: no market has a candle, so none was checked: {v}"
    );
}

/// A value for a documented query parameter of `e`, in the world `w`.
fn param_value(w: &World, e: Endpoint, name: &str) -> String {
    use Endpoint as E;
    let v = match (e, name) {
        (E::GetOrders, "status") => "resting",
        (E::GetEvents, "tickers") | (_, "event_ticker") => &w.event,
        (_, "tickers" | "ticker" | "market_ticker") => &w.open,
        (_, "market_tickers") => &w.settled,
        (_, "series_ticker") => &w.series,
        (_, "order_id") => &w.order_id,
        (_, "status") => "open",
        (_, "limit") => "10",
        (_, "depth") => "5",
        (_, "percentiles") => "5000",
        (_, "period_interval") => "60",
        (_, "mve_filter") => "exclude",
        (_, "count_filter") => "position",
        (_, "settlement_status") => "settled",
        (_, "category" | "tags") => "Weather",
        (_, "subaccount" | "exchange_index") => "0",
        (_, "cursor") => "",
        (_, "start_ts" | "min_ts" | "min_created_ts" | "min_close_ts" | "min_settled_ts") => {
            return (w.traded_at - 3600).to_string();
        }
        (_, n) if n.ends_with("_ts") => return (w.traded_at + 3600).to_string(),
        (_, "is_block_trade") => "false",
        _ => "true",
    };
    v.to_owned()
}

/// The parameters an endpoint needs with any other (the markets and the candle window).
fn base_params(e: Endpoint) -> &'static [&'static str] {
    match e {
        Endpoint::GetMarketCandlesticks => &["start_ts", "end_ts", "period_interval"],
        Endpoint::BatchGetMarketCandlesticks => {
            &["market_tickers", "start_ts", "end_ts", "period_interval"]
        }
        Endpoint::GetEventCandlesticks | Endpoint::GetMarketCandlesticksHistorical => {
            &["start_ts", "end_ts", "period_interval"]
        }
        Endpoint::GetEventForecastPercentilesHistory => {
            &["percentiles", "start_ts", "end_ts", "period_interval"]
        }
        Endpoint::GetMarketOrderbooks => &["tickers"],
        _ => &[],
    }
}

/// The path of a read endpoint in the world (path parameters filled in).
fn read_path(w: &World, e: Endpoint) -> String {
    let prefix = kalshi::rest::API_PREFIX;
    let full = match e.path_params().as_slice() {
        _ if e.template().contains("/events/{ticker}/") => e.path_with(&[&w.series, &w.event]),
        _ if e.template().starts_with("/historical/markets/") => e.path_for(&w.settled),
        _ if e == Endpoint::GetOrderQueuePosition => e.path_for(&w.resting_id),
        ["order_group_id"] => e.path_for(&w.group_id),
        [] => e.path(),
        ["series_ticker", "ticker"] => e.path_with(&[&w.series, &w.settled]),
        ["ticker"] => e.path_for(&w.open),
        ["event_ticker"] => e.path_for(&w.event),
        ["series_ticker"] => e.path_for(&w.open_series),
        ["order_id"] => e.path_for(&w.order_id),
        other => panic!("{e:?}: no world value for {other:?}"),
    };
    full.strip_prefix(prefix).unwrap_or(&full).to_owned()
}

#[actix_rt::test]
async fn every_documented_query_parameter_of_a_read_endpoint_is_accepted() {
    let doc = OpenApi::load();
    let w = openapi_world::build().await;
    pass_the_cutoff(&w);
    let mut refused = Vec::new();
    for &e in Endpoint::ALL
        .iter()
        .filter(|e| e.method() == kalshi::rest::Method::Get)
    {
        let published = doc.endpoint("GET", e.template()).expect("published");
        for name in &published.query_params {
            let mut keys = base_params(e).to_vec();
            if !keys.contains(&name.as_str()) {
                keys.push(name);
            }
            let query: Vec<String> = keys
                .iter()
                .map(|k| format!("{k}={}", param_value(&w, e, k)))
                .collect();
            let path = format!("{}?{}", read_path(&w, e), query.join("&"));
            let (status, body) = w.maker.send("GET", &path, None).await;
            if status != 200 {
                refused.push(format!(
                    "{path}: {status} {}",
                    String::from_utf8_lossy(&body)
                ));
            }
        }
    }
    assert!(refused.is_empty(), "refused:\n{}", refused.join("\n"));
}

#[actix_rt::test]
async fn refusals_have_the_order_error_page_shapes() {
    let doc = OpenApi::load();
    let w = openapi_world::build().await;
    let create = "/portfolio/events/orders";
    let mut post_only = common::order_json(&w.open, "ask", "0.2000", "1.00");
    post_only["post_only"] = json!(true);
    let (status, body) = w.taker.send("POST", create, Some(post_only)).await;
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, 400);
    assert_eq!(v["error"]["code"], "invalid_order");
    assert_eq!(v["error"]["details"], "post only cross");
    assert!(doc.validate_strict("ErrorResponse", &v["error"]).is_empty());

    let (status, body) = w.taker.send_raw("POST", create, "{\"ticker\":").await;
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!((status, &v["code"]), (400, &json!("bad_request")), "{v}");
    assert!(doc.validate_strict("ErrorResponse", &v).is_empty(), "{v}");

    let mut no_ticker = common::order_json(&w.open, "bid", "0.1000", "1.00");
    no_ticker.as_object_mut().unwrap().remove("ticker");
    let (status, body) = w.taker.send("POST", create, Some(no_ticker)).await;
    let e = common::api_error(400, (status, body));
    assert_eq!(e.code, kalshi::error::codes::MISSING_PARAMETERS, "{e}");
}
