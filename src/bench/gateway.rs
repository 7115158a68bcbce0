//! The gateway scenario: the same work — market reads saturating a Basic account's read
//! bucket, and orders each created then canceled, every tenth create losing its response —
//! done by the gateway actor and by a naive client in the style of common Kalshi tutorials
//! (one call every 100 ms, exponential backoff on 429, a fresh client order id per attempt).
//! Each runs against a fresh simulator; the simulator's ground truth counts 429s, tokens and
//! duplicate orders.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use actix::Actor;
use futures_util::future::join_all;
use kalshi::{
    ClientOrderId, Count, Price, Ticker, limits,
    rest::{CreateOrderV2Request, CreateOrderV2Response, Endpoint},
    sign::Signer,
    types::BookSide,
};
use kalshi_sim::{SimConfig, SimHandle, SimServer, server::faults::FaultPatch};
use serde::Serialize;
use tradewind_actors::{
    clock::LiveClock,
    gateway::{CancelOrder, Gateway, GatewayConfig, GetMarket, PlaceOrder},
};

/// What one client achieved.
#[derive(Debug, Serialize)]
struct Outcome {
    client: &'static str,
    elapsed_s: f64,
    read_tokens: u64,
    write_tokens: u64,
    read_budget_use: f64,
    write_budget_use: f64,
    responses_429: u64,
    orders_placed: usize,
    duplicate_orders: usize,
    cancel_wait_p50_ms: f64,
    cancel_wait_p99_ms: f64,
}

/// Basic tier budgets, tokens per second.
const READ_RATE: f64 = 200.0;
const WRITE_RATE: f64 = 100.0;

fn sim() -> Result<(SimHandle, Arc<Signer>, String), String> {
    let mut cfg = SimConfig::default();
    cfg.liquidity.actions_per_second = 0.0;
    cfg.workers = 1;
    let sim = SimServer::start(cfg).map_err(|e| e.to_string())?;
    let (signer, account_id) = kalshi_sim::fresh_account(&sim, "basic", "100000.00")?;
    Ok((sim, signer, account_id))
}

fn markets(sim: &SimHandle) -> Vec<Ticker> {
    let date = kalshi_sim::catalogue::date_code(chrono::Utc::now().date_naive());
    ["KXHIGHNY", "KXHIGHCHI", "KXHIGHMIA"]
        .iter()
        .filter_map(|s| Ticker::new(format!("{s}-{date}-B50.5")).ok())
        .filter(|t| sim.control().true_book(t).is_some())
        .chain(std::iter::once(Ticker::new(format!("KXHIGHNY-{date}-T46")).ok()).flatten())
        .collect()
}

fn order(ticker: &Ticker, i: usize) -> CreateOrderV2Request {
    let mut o = CreateOrderV2Request::limit(
        ticker.clone(),
        BookSide::Bid,
        Price::from_cents(2).unwrap_or(Price::ZERO),
        Count::ONE,
    );
    o.client_order_id = ClientOrderId::new(format!("bench-{i}")).ok();
    o
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn outcome(
    client: &'static str,
    sim: &SimHandle,
    account: &str,
    elapsed: Duration,
    mut waits: Vec<f64>,
    intents: usize,
) -> Outcome {
    let stats = sim.control().stats();
    let (mut read, mut write) = (0u64, 0u64);
    for (key, n) in &stats.requests {
        let Some(endpoint) = kalshi::rest::Endpoint::ALL
            .iter()
            .find(|e| format!("{} {}", e.method().as_str(), e.template()) == *key)
        else {
            continue;
        };
        let cost = u64::from(limits::cost(*endpoint, 1)) * n;
        match endpoint.bucket() {
            limits::Bucket::Read => read += cost,
            limits::Bucket::Write => write += cost,
        }
    }
    waits.sort_by(f64::total_cmp);
    let placed = sim
        .control()
        .order_log(Some(account))
        .iter()
        .filter(|a| a.outcome != "rejected")
        .count();
    let secs = elapsed.as_secs_f64();
    Outcome {
        client,
        elapsed_s: secs,
        read_tokens: read,
        write_tokens: write,
        read_budget_use: read as f64 / (READ_RATE * secs),
        write_budget_use: write as f64 / (WRITE_RATE * secs),
        responses_429: stats.sent_429,
        orders_placed: placed,
        duplicate_orders: placed.saturating_sub(intents),
        cancel_wait_p50_ms: percentile(&waits, 0.5),
        cancel_wait_p99_ms: percentile(&waits, 0.99),
    }
}

async fn with_gateway(reads: usize, orders: usize) -> Result<Outcome, String> {
    let (sim, signer, account) = sim()?;
    let tickers = markets(&sim);
    let gw = Gateway::new(
        GatewayConfig::default(),
        &sim.rest_url(),
        signer,
        LiveClock::shared(),
    )
    .map_err(|e| e.join("; "))?
    .start();
    let start = Instant::now();
    let read_all = join_all((0..reads).map(|i| {
        gw.send(GetMarket {
            ticker: tickers[i % tickers.len()].clone(),
        })
    }));
    let control = sim.control().clone();
    let trade = async {
        let mut waits = Vec::new();
        for i in 0..orders {
            if i % 10 == 0 {
                control.set_faults(&FaultPatch {
                    reset_after_accept_next: Some(1),
                    ..Default::default()
                })?;
            }
            let ticker = &tickers[i % tickers.len()];
            let ack = gw
                .send(PlaceOrder {
                    request: order(ticker, i),
                    deadline: Some(Duration::from_secs(30)),
                    stamps: Default::default(),
                })
                .await;
            let ack = ack.map_err(|e| e.to_string())?.map_err(|e| e.to_string())?;
            let due = Instant::now();
            gw.send(CancelOrder {
                order_id: ack.response.order_id,
                ticker: Some(ticker.clone()),
            })
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
            waits.push(due.elapsed().as_secs_f64() * 1000.0);
        }
        Ok::<_, String>(waits)
    };
    let (read_results, waits) = futures_util::join!(read_all, trade);
    let waits = waits?;
    for r in read_results {
        r.map_err(|e| e.to_string())?.map_err(|e| e.to_string())?;
    }
    Ok(outcome(
        "gateway",
        &sim,
        &account,
        start.elapsed(),
        waits,
        orders,
    ))
}

/// The naive client: one call at a time, 100 ms apart, backoff on 429, a new id per attempt.
struct Naive {
    client: awc::Client,
    base: String,
    signer: Arc<Signer>,
}

impl Naive {
    async fn call(
        &self,
        endpoint: Endpoint,
        path: String,
        query: &str,
        body: Option<Vec<u8>>,
    ) -> Result<(u16, Vec<u8>), String> {
        let mut backoff = Duration::from_millis(500);
        loop {
            actix_rt::time::sleep(Duration::from_millis(100)).await;
            let headers = self
                .signer
                .sign(endpoint.method().as_str(), &path)
                .map_err(|e| e.to_string())?;
            let url = if query.is_empty() {
                format!("{}{path}", self.base)
            } else {
                format!("{}{path}?{query}", self.base)
            };
            let method = awc::http::Method::from_bytes(endpoint.method().as_str().as_bytes())
                .map_err(|e| e.to_string())?;
            let mut req = self.client.request(method, url);
            for (k, v) in headers.pairs() {
                req = req.insert_header((k, v));
            }
            let sent = match body.clone() {
                Some(b) => {
                    req.insert_header(("content-type", "application/json"))
                        .send_body(b)
                        .await
                }
                None => req.send().await,
            };
            let mut resp = sent.map_err(|e| e.to_string())?;
            let status = resp.status().as_u16();
            let bytes = resp.body().await.map_err(|e| e.to_string())?;
            if status == 429 {
                actix_rt::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(8));
                continue;
            }
            return Ok((status, bytes.to_vec()));
        }
    }

    async fn create(&self, ticker: &Ticker, i: usize) -> Result<CreateOrderV2Response, String> {
        for attempt in 0..5 {
            let mut o = order(ticker, i);
            // Tutorial style: a fresh id per attempt, so a lost response becomes a duplicate.
            o.client_order_id = ClientOrderId::new(format!("naive-{i}-{attempt}")).ok();
            let body = serde_json::to_vec(&o).map_err(|e| e.to_string())?;
            match self
                .call(
                    Endpoint::CreateOrder,
                    Endpoint::CreateOrder.path(),
                    "",
                    Some(body),
                )
                .await
            {
                Ok((201, bytes)) => {
                    return serde_json::from_slice(&bytes).map_err(|e| e.to_string());
                }
                Ok((status, bytes)) => {
                    return Err(format!(
                        "create answered {status}: {}",
                        String::from_utf8_lossy(&bytes)
                    ));
                }
                Err(_) => continue,
            }
        }
        Err("create failed five times".into())
    }
}

async fn naive(reads: usize, orders: usize) -> Result<Outcome, String> {
    let (sim, signer, account) = sim()?;
    let tickers = markets(&sim);
    let naive = Naive {
        client: awc::Client::default(),
        base: sim.base_url(),
        signer,
    };
    let control = sim.control().clone();
    let start = Instant::now();
    let mut waits = Vec::new();
    let every = (reads / orders.max(1)).max(1);
    let mut placed = 0;
    for i in 0..reads.max(orders * every) {
        if i < reads {
            let t = &tickers[i % tickers.len()];
            naive
                .call(
                    Endpoint::GetMarket,
                    Endpoint::GetMarket.path_for(t),
                    "",
                    None,
                )
                .await?;
        }
        if i % every == every - 1 && placed < orders {
            if placed % 10 == 0 {
                control.set_faults(&FaultPatch {
                    reset_after_accept_next: Some(1),
                    ..Default::default()
                })?;
            }
            let t = &tickers[placed % tickers.len()];
            let ack = naive.create(t, placed).await?;
            let due = Instant::now();
            let path = Endpoint::CancelOrder.path_for(&ack.order_id);
            naive
                .call(
                    Endpoint::CancelOrder,
                    path,
                    &format!("market_ticker={t}"),
                    None,
                )
                .await?;
            waits.push(due.elapsed().as_secs_f64() * 1000.0);
            placed += 1;
        }
    }
    Ok(outcome(
        "naive (100 ms + backoff)",
        &sim,
        &account,
        start.elapsed(),
        waits,
        orders,
    ))
}

/// Runs both clients and prints the table; returns the JSON.
pub fn run(reads: usize, orders: usize) -> Result<String, String> {
    println!(
        "gateway: {reads} market reads + {orders} orders (create, then cancel) on a Basic account"
    );
    println!(
        "         (read 200 tokens/s, write 100 tokens/s; every tenth create loses its response)"
    );
    let system = actix_rt::System::new();
    let gw = system.block_on(with_gateway(reads, orders))?;
    let nv = system.block_on(naive(reads, orders))?;
    println!();
    println!(
        "{:<26} {:>9} {:>9} {:>10} {:>6} {:>11} {:>22}",
        "client", "elapsed", "read use", "write use", "429s", "duplicates", "cancel wait p50/p99"
    );
    for o in [&gw, &nv] {
        println!(
            "{:<26} {:>7.1} s {:>8.1}% {:>9.1}% {:>6} {:>11} {:>12.1} / {:>5.1} ms",
            o.client,
            o.elapsed_s,
            o.read_budget_use * 100.0,
            o.write_budget_use * 100.0,
            o.responses_429,
            o.duplicate_orders,
            o.cancel_wait_p50_ms,
            o.cancel_wait_p99_ms
        );
    }
    println!("speed-up: {:.2}x", nv.elapsed_s / gw.elapsed_s);
    serde_json::to_string_pretty(&serde_json::json!({ "scenario": "gateway", "reads": reads, "orders": orders, "results": [gw, nv] }))
        .map_err(|e| e.to_string())
}
