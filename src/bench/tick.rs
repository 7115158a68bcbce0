//! The tick-to-order scenario: how long from the simulator writing the delta that creates an
//! edge to the simulator receiving the engine's order for it.
//!
//! A quiet simulator (no market makers), the whole engine (gateway, metadata, order manager
//! with its journal, feed, blackout clock, strategy) and a forecast file that prices one market
//! at 0.80. A maker account then posts a one-contract YES ask at 0.50, one at a time; each
//! creates an edge the strategy takes with an IOC order. Both orders' arrival times come from
//! the simulator's own monotonic clock (its order log), so the figure covers: the simulator
//! matching and publishing the delta, WebSocket delivery, the feed's decode and book update,
//! the strategy's decision, the order manager's checks and journal commit (fsync), the gateway,
//! signing and HTTP. The account is Prime (4,000 write tokens/s) so no order waits for a token.

use std::{
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use actix::{Actor, Addr, Context, Handler};
use kalshi::{
    ClientOrderId, Count, Price, Ticker, rest::CreateOrderV2Request, sign::Signer, types::BookSide,
};
use kalshi_sim::{SimClock, SimConfig, SimHandle, SimServer};
use serde::Serialize;
use tokio::sync::mpsc;
use tradewind_actors::{
    clock::LiveClock,
    feed::FeedConfig,
    gateway::{Gateway, GatewayConfig, PlaceOrder},
    metadata::MetadataConfig,
    orders::{OrderEvent, OrdersConfig, journal::Synchronous},
    root::{Engine, EngineSpec, Observers},
    strategy::{ForecastSource, StrategyConfig},
};

/// Forwards order events to the bench loop.
struct Forward(mpsc::UnboundedSender<OrderEvent>);

impl Actor for Forward {
    type Context = Context<Self>;
}

impl Handler<OrderEvent> for Forward {
    type Result = ();

    fn handle(&mut self, msg: OrderEvent, _: &mut Context<Self>) {
        let _ = self.0.send(msg);
    }
}

#[derive(Debug, Serialize)]
struct Outcome {
    events: usize,
    missed: usize,
    p50_us: f64,
    p90_us: f64,
    p99_us: f64,
    max_us: f64,
    elapsed_s: f64,
    journal_synchronous: String,
}

fn pct(sorted: &[u128], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i] as f64 / 1_000.0
}

/// Runs `events` edges through the engine, once with the journal fsyncing every commit
/// (`synchronous = "full"`, the default) and once with `normal` (safe against a process
/// kill, not a power loss); answers the JSON of both outcomes.
pub fn run(events: usize) -> Result<String, String> {
    let mut outcomes = Vec::new();
    for sync in [Synchronous::Full, Synchronous::Normal] {
        outcomes.push(run_once(events, sync)?);
    }
    serde_json::to_string_pretty(&outcomes).map_err(|e| e.to_string())
}

fn run_once(events: usize, sync: Synchronous) -> Result<Outcome, String> {
    let mut cfg = SimConfig::default();
    cfg.liquidity.actions_per_second = 0.0;
    let sim = SimServer::start_with_clock(cfg, SimClock::Real).map_err(|e| e.to_string())?;
    let date = kalshi_sim::catalogue::date_code(chrono::Utc::now().date_naive());
    let ticker = Ticker::new(format!("KXHIGHNY-{date}-B50.5")).map_err(|e| e.to_string())?;
    let dir = std::env::temp_dir().join(format!("tradewind-tick-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let forecast = dir.join("forecast.json");
    std::fs::write(
        &forecast,
        format!(r#"{{"probabilities": {{"{ticker}": 0.80}}}}"#),
    )
    .map_err(|e| e.to_string())?;
    let (signer, account_id) = kalshi_sim::fresh_account(&sim, "prime", "10000000.00")?;
    let (maker_signer, maker_id) = kalshi_sim::fresh_account(&sim, "prime", "10000000.00")?;

    let result = actix::System::new().block_on(drive(Pass {
        sim: &sim,
        ticker: &ticker,
        signer,
        maker_signer,
        dir: &dir,
        forecast: &forecast,
        sync,
        events,
    }));
    let (missed, elapsed, synchronous) = result?;
    let latencies = latencies(&sim, &maker_id, &account_id);
    sim.stop();
    let _ = std::fs::remove_dir_all(&dir);
    let outcome = Outcome {
        events: latencies.len(),
        missed,
        p50_us: pct(&latencies, 0.50),
        p90_us: pct(&latencies, 0.90),
        p99_us: pct(&latencies, 0.99),
        max_us: latencies.last().map_or(0.0, |m| *m as f64 / 1_000.0),
        elapsed_s: elapsed,
        journal_synchronous: synchronous,
    };
    outcome.print();
    Ok(outcome)
}

/// One pass's inputs.
struct Pass<'a> {
    /// The quiet simulator.
    sim: &'a SimHandle,
    /// The market the forecast prices at 0.80.
    ticker: &'a Ticker,
    /// The engine's account.
    signer: Arc<Signer>,
    /// The maker's account, which posts the asks.
    maker_signer: Arc<Signer>,
    /// Where the journal goes.
    dir: &'a Path,
    /// The forecast file.
    forecast: &'a Path,
    /// The journal's `synchronous` setting.
    sync: Synchronous,
    /// Edges to time (after the warm-up one).
    events: usize,
}

/// Starts the engine and a maker, takes the edges and shuts the engine down. Answers the edges
/// missed, the seconds the edges took and the journal's `synchronous` setting as shown.
async fn drive(pass: Pass<'_>) -> Result<(usize, f64, String), String> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let forward = Forward(tx).start();
    let orders = OrdersConfig {
        journal_path: pass.dir.join("journal.sqlite").display().to_string(),
        max_position_per_market: 1_000_000,
        max_total_exposure_dollars: kalshi::Money::from_cents(100_000_000),
        max_open_orders: 100_000,
        max_orders_per_minute: 1_000_000,
        journal_synchronous: pass.sync,
        ..OrdersConfig::default()
    };
    let synchronous = format!("{:?}", orders.journal_synchronous);
    let spec = EngineSpec {
        rest_url: pass.sim.rest_url(),
        ws_url: pass.sim.ws_url(),
        signer: pass.signer,
        forecast_base: String::new(),
        clock: LiveClock::shared(),
        gateway: GatewayConfig::default(),
        feed: FeedConfig::default(),
        metadata: MetadataConfig {
            series: vec!["KXHIGHNY".into()],
            ..MetadataConfig::default()
        },
        blackout: super::setup::no_scheduled_blackouts(),
        orders,
        strategy: strategy(pass.forecast),
        strategy_factory: None,
        supervision: Default::default(),
        observers: Observers {
            orders: vec![forward.recipient()],
            ..Observers::default()
        },
    };
    let engine = Engine::start(spec).await.map_err(|e| e.join("; "))?;
    let maker = Gateway::new(
        GatewayConfig::default(),
        &pass.sim.rest_url(),
        pass.maker_signer,
        LiveClock::shared(),
    )
    .map_err(|e| e.join("; "))?
    .start();
    let (missed, elapsed) = take_edges(&maker, &mut rx, pass.ticker, pass.events).await?;
    engine.shutdown().await;
    Ok((missed, elapsed, synchronous))
}

/// The strategy on the forecast file, with no cooldown and limits no edge reaches.
fn strategy(forecast: &Path) -> StrategyConfig {
    let mut strategy = StrategyConfig::default();
    strategy.forecast.source = ForecastSource::File;
    strategy.forecast.file = forecast.display().to_string();
    strategy.fair_value.cooldown_ms = 0;
    strategy.fair_value.max_position = 1_000_000;
    strategy.fair_value.bankroll_dollars = "1000000".into();
    strategy
}

/// Posts `events + 1` asks from the maker, one at a time, each waiting for the engine's fill;
/// the first (a warm-up) is given 30 s, the others 5 s. Answers the edges missed and the
/// seconds the loop took.
async fn take_edges(
    maker: &Addr<Gateway>,
    rx: &mut mpsc::UnboundedReceiver<OrderEvent>,
    ticker: &Ticker,
    events: usize,
) -> Result<(usize, f64), String> {
    // Wait until the feed has the book and the strategy its forecast: a first edge.
    let started = Instant::now();
    let mut missed = 0;
    for i in 0..events + 1 {
        post_ask(maker, ticker, i).await?;
        let wait = if i == 0 { 30 } else { 5 };
        let filled = tokio::time::timeout(Duration::from_secs(wait), async {
            while let Some(ev) = rx.recv().await {
                if matches!(ev, OrderEvent::Filled { .. }) {
                    return true;
                }
            }
            false
        })
        .await
        .unwrap_or(false);
        if !filled {
            if i == 0 {
                return Err("the engine never took the first edge".to_owned());
            }
            missed += 1;
        }
    }
    Ok((missed, started.elapsed().as_secs_f64()))
}

/// The maker's `i`th one-contract YES ask at 0.50: an edge against the forecast's 0.80.
async fn post_ask(maker: &Addr<Gateway>, ticker: &Ticker, i: usize) -> Result<(), String> {
    let mut req = CreateOrderV2Request::limit(
        ticker.clone(),
        BookSide::Ask,
        Price::from_cents(50).ok_or("price")?,
        Count::ONE,
    );
    req.client_order_id =
        Some(ClientOrderId::new(format!("maker-{i}")).map_err(|e| e.to_string())?);
    maker
        .send(PlaceOrder {
            request: req,
            deadline: None,
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("maker order: {e}"))?;
    Ok(())
}

/// Each engine order's latency (ns) from the maker order just before it, on the simulator's
/// clock, the warm-up edge left out; sorted.
fn latencies(sim: &SimHandle, maker_id: &str, account_id: &str) -> Vec<u128> {
    let log = sim.control().order_log(None);
    let mut latencies: Vec<u128> = Vec::new();
    let mut last_maker: Option<u128> = None;
    let mut first = true;
    for a in &log {
        if a.account_id == maker_id {
            last_maker = Some(a.arrival_ns);
        } else if a.account_id == account_id
            && let Some(m) = last_maker.take()
        {
            if first {
                first = false; // the warm-up edge
                continue;
            }
            latencies.push(a.arrival_ns.saturating_sub(m));
        }
    }
    latencies.sort_unstable();
    latencies
}

impl Outcome {
    /// Prints the outcome's two lines.
    fn print(&self) {
        println!(
            "tick-to-order (journal synchronous = {}): simulator writes the edge's delta → simulator receives the order",
            self.journal_synchronous
        );
        println!(
            "  events {}  missed {}  p50 {:.0} µs  p90 {:.0} µs  p99 {:.0} µs  max {:.0} µs  ({:.1} s)",
            self.events,
            self.missed,
            self.p50_us,
            self.p90_us,
            self.p99_us,
            self.max_us,
            self.elapsed_s
        );
    }
}
