//! The world the simulator's schema-conformance test inspects: a simulator on a manual clock
//! driven through the public API until every REST endpoint has something to return — orders
//! placed, filled, amended, decreased, batch-placed, batch-canceled and canceled; a market
//! closed, determined and settled through the admin interface; order groups used (`later`) —
//! and the lists of calls that cover every endpoint ([`calls`], then [`later_calls`] once the
//! clock has passed the historical cutoff).

use chrono::Duration;
use kalshi::rest::{Endpoint as E, GetMarketResponse, GetMarketsResponse};
use kalshi_sim::SimHandle;
use serde_json::{Value, json};

use crate::common::{self, Trader, order_json};

mod later;
pub use later::{HISTORICAL_AFTER_S, later_calls};

const CREATE: &str = "/portfolio/events/orders";

/// The simulator, its two traders and the names the calls use.
pub struct World {
    /// The simulator.
    pub sim: SimHandle,
    /// Rests orders and is left with open ones.
    pub maker: Trader,
    /// Takes liquidity.
    pub taker: Trader,
    /// The market that traded and settled.
    pub settled: String,
    /// A market that stays open with a two-sided book.
    pub open: String,
    /// `settled`'s event.
    pub event: String,
    /// `settled`'s series.
    pub series: String,
    /// `open`'s series.
    pub open_series: String,
    /// The maker's first order (filled in part, amended, decreased, canceled).
    pub order_id: String,
    /// An order of the maker's that stays resting.
    pub resting_id: String,
    /// The maker's order group.
    pub group_id: String,
    /// What every order write answered.
    pub writes: Vec<Answer>,
    /// When the trading happened (Unix seconds, simulator clock).
    pub traded_at: i64,
}

async fn market(t: &Trader, ticker: &str) -> kalshi::rest::Market {
    let r: GetMarketResponse = t
        .json("GET", &format!("/markets/{ticker}"), None, 200)
        .await;
    r.market
}

/// The open markets with the earliest and the latest close.
async fn earliest_and_latest(t: &Trader) -> (kalshi::rest::Market, kalshi::rest::Market) {
    let page: GetMarketsResponse = t
        .json("GET", "/markets?status=open&limit=1000", None, 200)
        .await;
    let mut markets = page.markets;
    markets.sort_by_key(|m| (m.close_time, m.ticker.to_string()));
    let first = markets.first().cloned().expect("open markets");
    let last = markets.last().cloned().expect("open markets");
    assert!(
        first.close_time < last.close_time,
        "markets close on different days"
    );
    (first, last)
}

/// Starts the simulator and drives it; returns the world.
pub async fn build() -> World {
    let mut cfg = common::quiet_config();
    cfg.historical_after_s = Some(HISTORICAL_AFTER_S);
    let sim = common::start_manual(cfg);
    let maker = Trader::new(&sim, "prime", "10000.00");
    let taker = Trader::new(&sim, "prime", "10000.00");
    let (first, last) = earliest_and_latest(&maker).await;
    let mut w = World {
        settled: first.ticker.to_string(),
        open: last.ticker.to_string(),
        event: first.event_ticker.to_string(),
        series: String::new(),
        open_series: String::new(),
        order_id: String::new(),
        resting_id: String::new(),
        group_id: String::new(),
        writes: Vec::new(),
        traded_at: common::sim_now(&sim).await.timestamp(),
        sim,
        maker,
        taker,
    };
    w.series = series_of(&w.maker, &w.event).await;
    w.open_series = series_of(&w.maker, last.event_ticker.as_str()).await;
    let (order_id, resting_id, writes) = place_and_modify(&w).await;
    w.order_id = order_id;
    w.resting_id = resting_id;
    w.writes = writes;
    let (group_id, writes) = later::order_groups(&w.maker, &w.open).await;
    w.group_id = group_id;
    w.writes.extend(writes);
    settle(&w).await;
    w
}

async fn series_of(t: &Trader, event: &str) -> String {
    let e: Value = t.json("GET", &format!("/events/{event}"), None, 200).await;
    e["event"]["series_ticker"]
        .as_str()
        .expect("series")
        .to_owned()
}

/// An answer of the simulator.
#[derive(Clone)]
pub struct Answer {
    /// The endpoint called.
    pub endpoint: E,
    /// The status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

/// Sends a write and keeps its answer, checking the status.
async fn write(
    t: &Trader,
    (endpoint, path, body): (E, String, Option<Value>),
    status: u16,
    out: &mut Vec<Answer>,
) -> Value {
    let method = endpoint.method().as_str();
    let (got, bytes) = t.send(method, &path, body).await;
    assert_eq!(
        got,
        status,
        "{method} {path}: {}",
        String::from_utf8_lossy(&bytes)
    );
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    out.push(Answer {
        endpoint,
        status: got,
        body: bytes,
    });
    value
}

/// The maker rests, the taker hits it, the maker amends, decreases, batch-places on the open
/// market (one item refused), batch-cancels one of those and cancels its first order; the
/// taker cancels all it has. Returns that first order's id, the id of an order left resting
/// and every answer.
async fn place_and_modify(w: &World) -> (String, String, Vec<Answer>) {
    let (maker, taker, m, open) = (&w.maker, &w.taker, &w.settled, &w.open);
    let mut out = Vec::new();
    let mut body = order_json(m, "bid", "0.4000", "10.00");
    body["client_order_id"] = json!("world-1");
    let placed = write(
        maker,
        (E::CreateOrder, CREATE.into(), Some(body)),
        201,
        &mut out,
    )
    .await;
    let id = placed["order_id"].as_str().expect("order id").to_owned();
    let hit = order_json(m, "ask", "0.4000", "4.00");
    let took = write(
        taker,
        (E::CreateOrder, CREATE.into(), Some(hit)),
        201,
        &mut out,
    )
    .await;
    assert_eq!(
        took["fill_count"], "4.00",
        "the taker traded with the maker"
    );
    let amend = json!({"ticker": m, "side": "bid", "price": "0.4100", "count": "12.00",
                       "client_order_id": "world-1", "updated_client_order_id": "world-1b"});
    let path = format!("{CREATE}/{id}/amend");
    write(maker, (E::AmendOrder, path, Some(amend)), 200, &mut out).await;
    let path = format!("{CREATE}/{id}/decrease");
    let by = json!({"reduce_by": "1.00"});
    write(maker, (E::DecreaseOrder, path, Some(by)), 200, &mut out).await;
    let batch = json!({"orders": [order_json(open, "bid", "0.2000", "5.00"),
                                  order_json(open, "ask", "0.8000", "5.00"),
                                  order_json(open, "ask", "0.9000", "5.00"),
                                  order_json(open, "ask", "0.9050", "5.00")]});
    let path = format!("{CREATE}/batched");
    let placed = write(
        maker,
        (E::BatchCreateOrders, path, Some(batch)),
        201,
        &mut out,
    )
    .await;
    assert!(
        placed["orders"][3]["error"].is_object(),
        "the off-tick item is refused"
    );
    let resting = placed["orders"][0]["order_id"]
        .as_str()
        .expect("placed")
        .to_owned();
    let third = placed["orders"][2]["order_id"]
        .as_str()
        .expect("placed")
        .to_owned();
    let cancel = json!({"orders": [{"order_id": third, "market_ticker": open}]});
    let path = format!("{CREATE}/batched");
    write(
        maker,
        (E::BatchCancelOrders, path, Some(cancel)),
        200,
        &mut out,
    )
    .await;
    let path = format!("{CREATE}/{id}?market_ticker={m}");
    write(maker, (E::CancelOrder, path, None), 200, &mut out).await;
    write(
        taker,
        (E::CancelAllOrders, CREATE.into(), None),
        204,
        &mut out,
    )
    .await;
    (id, resting, out)
}

/// Closes, determines (YES) and settles the traded market through the admin interface.
async fn settle(w: &World) {
    let m = &w.settled;
    let (status, _) = common::admin(&w.sim, "POST", &format!("/markets/{m}/close"), None).await;
    assert_eq!(status, 204);
    let result = Some(json!({"result": "yes"}));
    let (status, body) =
        common::admin(&w.sim, "POST", &format!("/markets/{m}/determine"), result).await;
    assert_eq!(status, 204, "{}", String::from_utf8_lossy(&body));
    let timer = market(&w.maker, m).await.settlement_timer_seconds;
    common::advance(&w.sim, &[&w.maker, &w.taker], Duration::seconds(timer + 1));
    let settled = market(&w.maker, m).await;
    assert_eq!(settled.status, kalshi::types::MarketStatus::Finalized);
}

/// One call of the conformance test: the endpoint, the concrete path (with query) and body.
pub struct Call {
    /// The endpoint.
    pub endpoint: E,
    /// Path relative to `/trade-api/v2`, with its query.
    pub path: String,
    /// JSON body.
    pub body: Option<Value>,
}

fn call(endpoint: E, path: impl Into<String>) -> Call {
    Call {
        endpoint,
        path: path.into(),
        body: None,
    }
}

/// Every read endpoint, with the queries that make it answer something.
pub fn calls(w: &World) -> Vec<Call> {
    let (m, open, event, series) = (&w.settled, &w.open, &w.event, &w.series);
    let window = format!(
        "start_ts={}&end_ts={}&period_interval=1",
        w.traded_at - 3600,
        w.traded_at + 7200
    );
    vec![
        call(E::GetExchangeStatus, "/exchange/status"),
        call(E::GetExchangeSchedule, "/exchange/schedule"),
        call(E::GetUserDataTimestamp, "/exchange/user_data_timestamp"),
        call(E::GetMarkets, "/markets?limit=1000"),
        call(E::GetMarkets, "/markets?status=settled"),
        call(E::GetMarket, format!("/markets/{m}")),
        call(E::GetMarket, format!("/markets/{open}")),
        call(E::GetMarketOrderbook, format!("/markets/{open}/orderbook")),
        call(
            E::GetMarketOrderbooks,
            format!("/markets/orderbooks?tickers={open}&tickers={m}"),
        ),
        call(E::GetEvents, "/events?limit=200&with_nested_markets=true"),
        call(E::GetEvents, "/events?limit=200"),
        call(
            E::GetEvent,
            format!("/events/{event}?with_nested_markets=true"),
        ),
        call(E::GetEvent, format!("/events/{event}")),
        call(E::GetSeriesList, "/series?include_volume=true"),
        call(
            E::GetSeries,
            format!("/series/{series}?include_volume=true"),
        ),
        call(E::GetAccountLimits, "/account/limits"),
        call(E::GetEndpointCosts, "/account/endpoint_costs"),
        call(E::GetBalance, "/portfolio/balance"),
        call(E::GetPositions, "/portfolio/positions"),
        call(E::GetFills, "/portfolio/fills"),
        call(E::GetSettlements, "/portfolio/settlements"),
        call(E::GetOrders, "/portfolio/orders"),
        call(E::GetOrder, format!("/portfolio/orders/{}", w.order_id)),
        call(E::GetTrades, "/markets/trades"),
        call(E::GetTrades, format!("/markets/trades?ticker={m}&limit=1")),
        call(
            E::GetMarketCandlesticks,
            format!("/series/{series}/markets/{m}/candlesticks?{window}"),
        ),
        call(
            E::BatchGetMarketCandlesticks,
            format!("/markets/candlesticks?market_tickers={m},{open}&{window}"),
        ),
        call(E::GetHistoricalCutoff, "/historical/cutoff"),
        call(E::GetSeriesFeeChanges, "/series/fee_changes"),
        call(E::GetEventFeeChanges, "/events/fee_changes"),
        call(E::GetEventMetadata, format!("/events/{event}/metadata")),
        call(
            E::GetEventCandlesticks,
            format!("/series/{series}/events/{event}/candlesticks?{window}"),
        ),
    ]
}
