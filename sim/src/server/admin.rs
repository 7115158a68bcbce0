//! The admin interface under `/_sim` — a public, stable interface documented in the README:
//! account registration, fault switches, the clock, lifecycle controls, and ground truth.
//! Unauthenticated by design (the simulator binds to loopback by default).

use actix_web::{HttpResponse, web};
use chrono::Duration;
use kalshi::types::MarketResult;
use serde::Deserialize;

use super::{
    control::SimControl, error::SimError, faults::FaultPatch, respond::json, state::Shared,
};

/// The `/_sim` scope.
pub fn scope() -> actix_web::Scope {
    web::scope("/_sim")
        .route("/accounts", web::post().to(register))
        .route("/faults", web::get().to(get_faults))
        .route("/faults", web::post().to(set_faults))
        .route("/book/{ticker}", web::get().to(book))
        .route("/truth/{ticker}", web::get().to(truth))
        .route("/order_log", web::get().to(order_log))
        .route("/orders", web::get().to(orders))
        .route("/fills", web::get().to(fills))
        .route("/positions", web::get().to(positions))
        .route("/stats", web::get().to(stats))
        .route("/requests", web::get().to(requests))
        .route("/clock/advance", web::post().to(advance))
        .route("/markets/{ticker}/close", web::post().to(close))
        .route("/markets/{ticker}/determine", web::post().to(determine))
        .route("/world/act", web::post().to(act))
        .route("/events", web::post().to(list_event))
        .route(
            "/forecast/v1/ensemble",
            web::get().to(super::forecast::ensemble),
        )
        .route("/forecast/run", web::post().to(super::forecast::next_run))
        .default_service(web::to(|| async {
            SimError::not_found("no such admin endpoint")
        }))
}

fn control(shared: &web::Data<Shared>) -> SimControl {
    SimControl::new(shared.clone().into_inner())
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, SimError> {
    serde_json::from_slice(body)
        .map_err(|e| SimError::bad_request(format!("invalid JSON body: {e}")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegisterBody {
    public_key_pem: String,
    #[serde(default = "basic")]
    tier: String,
    #[serde(default = "thousand")]
    balance_dollars: String,
}

fn basic() -> String {
    "basic".into()
}

fn thousand() -> String {
    "1000.00".into()
}

async fn register(shared: web::Data<Shared>, body: web::Bytes) -> Result<HttpResponse, SimError> {
    let b: RegisterBody = parse(&body)?;
    let out = control(&shared)
        .register_account(&b.public_key_pem, &b.tier, &b.balance_dollars)
        .map_err(SimError::bad_request)?;
    Ok(json(201, &out))
}

async fn get_faults(shared: web::Data<Shared>) -> HttpResponse {
    json(200, &control(&shared).faults())
}

async fn set_faults(shared: web::Data<Shared>, body: web::Bytes) -> Result<HttpResponse, SimError> {
    let patch: FaultPatch = parse(&body)?;
    let faults = control(&shared)
        .set_faults(&patch)
        .map_err(SimError::bad_request)?;
    Ok(json(200, &faults))
}

async fn book(
    shared: web::Data<Shared>,
    ticker: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    let book = control(&shared)
        .true_book(&ticker)
        .ok_or_else(|| SimError::not_found(format!("market {ticker} not found")))?;
    Ok(json(
        200,
        &serde_json::json!({ "ticker": ticker.as_str(), "orderbook_fp": book }),
    ))
}

async fn truth(
    shared: web::Data<Shared>,
    ticker: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    let p = control(&shared)
        .true_probability(&ticker)
        .ok_or_else(|| SimError::not_found(format!("market {ticker} not found")))?;
    Ok(json(
        200,
        &serde_json::json!({ "ticker": ticker.as_str(), "probability": p }),
    ))
}

#[derive(Deserialize)]
struct AccountQuery {
    account_id: Option<String>,
}

async fn order_log(shared: web::Data<Shared>, q: web::Query<AccountQuery>) -> HttpResponse {
    json(
        200,
        &serde_json::json!({ "attempts": control(&shared).order_log(q.account_id.as_deref()) }),
    )
}

fn required(q: &AccountQuery) -> Result<&str, SimError> {
    q.account_id
        .as_deref()
        .ok_or_else(|| SimError::bad_request("account_id is required"))
}

async fn orders(
    shared: web::Data<Shared>,
    q: web::Query<AccountQuery>,
) -> Result<HttpResponse, SimError> {
    Ok(json(
        200,
        &serde_json::json!({ "orders": control(&shared).orders(required(&q)?) }),
    ))
}

async fn fills(
    shared: web::Data<Shared>,
    q: web::Query<AccountQuery>,
) -> Result<HttpResponse, SimError> {
    Ok(json(
        200,
        &serde_json::json!({ "fills": control(&shared).fills(required(&q)?) }),
    ))
}

async fn positions(
    shared: web::Data<Shared>,
    q: web::Query<AccountQuery>,
) -> Result<HttpResponse, SimError> {
    let id = required(&q)?;
    let c = control(&shared);
    Ok(json(
        200,
        &serde_json::json!({ "market_positions": c.positions(id), "balance_dollars": c.balance(id) }),
    ))
}

async fn stats(shared: web::Data<Shared>) -> HttpResponse {
    json(200, &control(&shared).stats())
}

#[derive(Deserialize)]
struct SinceQuery {
    since_ns: Option<u128>,
}

async fn requests(shared: web::Data<Shared>, q: web::Query<SinceQuery>) -> HttpResponse {
    let since = q.since_ns.unwrap_or(0);
    let log: Vec<_> = control(&shared)
        .request_log()
        .into_iter()
        .filter(|r| r.arrival_ns >= since)
        .collect();
    json(200, &serde_json::json!({ "requests": log }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceBody {
    ms: i64,
}

async fn advance(shared: web::Data<Shared>, body: web::Bytes) -> Result<HttpResponse, SimError> {
    let b: AdvanceBody = parse(&body)?;
    if b.ms < 0 {
        return Err(SimError::bad_request("ms: must not be negative"));
    }
    control(&shared).advance_clock(Duration::milliseconds(b.ms));
    Ok(json(200, &serde_json::json!({ "now": shared.clock.now() })))
}

async fn close(
    shared: web::Data<Shared>,
    ticker: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    if control(&shared).true_book(&ticker).is_none() {
        return Err(SimError::not_found(format!("market {ticker} not found")));
    }
    control(&shared).close_market(&ticker);
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DetermineBody {
    result: MarketResult,
}

async fn determine(
    shared: web::Data<Shared>,
    ticker: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, SimError> {
    let b: DetermineBody = parse(&body)?;
    control(&shared)
        .determine_market(&ticker, b.result)
        .map_err(SimError::bad_request)?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActBody {
    actions: u64,
}

async fn act(shared: web::Data<Shared>, body: web::Bytes) -> Result<HttpResponse, SimError> {
    let b: ActBody = parse(&body)?;
    control(&shared).act(b.actions);
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListEventBody {
    series: String,
    date: chrono::NaiveDate,
}

async fn list_event(shared: web::Data<Shared>, body: web::Bytes) -> Result<HttpResponse, SimError> {
    let b: ListEventBody = parse(&body)?;
    let markets = control(&shared)
        .list_event(&b.series, b.date)
        .map_err(SimError::bad_request)?;
    Ok(json(201, &serde_json::json!({ "markets": markets })))
}
