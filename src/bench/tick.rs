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
//!
//! The engine's gateway also reports the order path stage by stage
//! ([`tradewind_actors::stamps`]), and after each engine pass the [`super::floor`] — a bare
//! WebSocket reader that signs and writes the create itself — takes the same number of edges
//! on the same simulator, timed the same way: its p99 is this machine's floor, and the engine's
//! p99 is reported as a multiple of it. Engine and floor sign with the same key type
//! (`--key ed25519|rsa`).

use std::{path::Path, sync::Arc, time::Duration};

use actix::Actor;
use kalshi::{
    Ticker,
    sign::{Signer, SigningKey},
};
use kalshi_sim::{SimClock, SimHandle, SimServer};
use tokio::sync::mpsc;
use tradewind_actors::{
    clock::LiveClock,
    feed::{self, FeedConfig},
    gateway::{Gateway, GatewayConfig, GetMetrics},
    metadata::MetadataConfig,
    orders::{OrdersConfig, journal::Synchronous},
    root::{Engine, EngineSpec, Observers},
    stamps::OrderPath,
    strategy::{ForecastSource, StrategyConfig},
};

pub use super::tick_edges::Edges;
use super::{
    floor::Floor,
    tick_edges::{Forward, take_edges},
    tick_makers::{Load, Makers},
    tick_outcome::{Outcome, Report, Summary, latencies, orders_of, print_side_by_side, ratio},
};

/// The key type the engine and the floor sign with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KeyType {
    /// Ed25519 (about 10 µs a signature here).
    Ed25519,
    /// RSA-2048 PSS (about 0.36 ms a signature here).
    Rsa,
}

impl KeyType {
    fn name(self) -> &'static str {
        match self {
            KeyType::Ed25519 => "ed25519",
            KeyType::Rsa => "rsa-2048",
        }
    }

    /// A fresh Prime account on `sim` signing with this key type.
    fn account(self, sim: &SimHandle) -> Result<(Arc<Signer>, String), String> {
        let key = match self {
            KeyType::Ed25519 => SigningKey::generate_ed25519(),
            KeyType::Rsa => SigningKey::generate_rsa(2048),
        }
        .map_err(|e| format!("generating a key: {e}"))?;
        let public = key.public_key_pem().map_err(|e| e.to_string())?;
        let ids = sim
            .control()
            .register_account(&public, "prime", "10000000.00")?;
        let signer = Signer::new(ids.api_key_id, key).map_err(|e| e.to_string())?;
        Ok((Arc::new(signer), ids.account_id))
    }
}

/// Runs `edges` through the engine, once with the journal fsyncing every commit
/// (`synchronous = "full"`, the default) and once with `normal` (safe against a process
/// kill, not a power loss), each with the other markets' makers quiet and then busy
/// (`busy_actions_per_s` maker actions a second; 0 = no busy run), each pass followed by the
/// floor on the same simulator. Answers the JSON: one entry per `synchronous` setting, the
/// quiet pass's fields at its top level and both passes under `runs`.
pub fn run(edges: Edges, key: KeyType, busy_actions_per_s: f64) -> Result<String, String> {
    let mut reports = Vec::new();
    for sync in [Synchronous::Full, Synchronous::Normal] {
        let quiet = run_once(edges, sync, key, Makers::Quiet)?;
        let busy = if busy_actions_per_s > 0.0 {
            Some(run_once(
                edges,
                sync,
                key,
                Makers::Busy(busy_actions_per_s),
            )?)
        } else {
            None
        };
        reports.push(Report::new(quiet, busy));
    }
    print_side_by_side(&reports);
    serde_json::to_string_pretty(&reports).map_err(|e| e.to_string())
}

fn run_once(
    edges: Edges,
    sync: Synchronous,
    key: KeyType,
    makers: Makers,
) -> Result<Outcome, String> {
    let date = kalshi_sim::catalogue::date_code(chrono::Utc::now().date_naive());
    let ticker = Ticker::new(format!("KXHIGHNY-{date}-B50.5")).map_err(|e| e.to_string())?;
    let sim = SimServer::start_with_clock(makers.sim_config(&ticker), SimClock::Real)
        .map_err(|e| e.to_string())?;
    let dir = std::env::temp_dir().join(format!("tradewind-tick-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let forecast = dir.join("forecast.json");
    std::fs::write(
        &forecast,
        format!(r#"{{"probabilities": {{"{ticker}": 0.80}}}}"#),
    )
    .map_err(|e| e.to_string())?;
    let (signer, account_id) = key.account(&sim)?;
    let (floor_signer, floor_id) = key.account(&sim)?;
    let (maker_signer, maker_id) = kalshi_sim::fresh_account(&sim, "prime", "10000000.00")?;

    let result = actix::System::new().block_on(drive(Pass {
        sim: &sim,
        ticker: &ticker,
        signer,
        maker_signer: maker_signer.clone(),
        dir: &dir,
        forecast: &forecast,
        sync,
        edges,
        makers,
    }));
    let (missed, elapsed, synchronous, stages, load) = result?;
    let engine = Summary::of(&latencies(&sim, &maker_id, &account_id));
    let floor = Floor {
        ws_url: sim.ws_url(),
        rest_url: sim.rest_url(),
        ticker: ticker.clone(),
        signer: floor_signer,
    };
    let floor_missed =
        actix::System::new().block_on(drive_floor(&sim, floor, maker_signer, &ticker, edges))?;
    let floor_lat = Summary::of(&latencies(&sim, &maker_id, &floor_id));
    let engine_orders = orders_of(&sim, &account_id);
    sim.stop();
    let _ = std::fs::remove_dir_all(&dir);
    let outcome = Outcome {
        events: engine.events,
        missed,
        p50_us: engine.p50_us,
        p90_us: engine.p90_us,
        p99_us: engine.p99_us,
        max_us: engine.max_us,
        elapsed_s: elapsed,
        journal_synchronous: synchronous,
        key: key.name().to_owned(),
        edge_interval_ms: edges.interval.as_secs_f64() * 1e3,
        engine_orders,
        stages,
        floor_events: floor_lat.events,
        floor_missed,
        floor_p50_us: floor_lat.p50_us,
        floor_p99_us: floor_lat.p99_us,
        p99_ratio_to_floor: ratio(engine.p99_us, floor_lat.p99_us),
        makers: makers.name().to_owned(),
        load,
    };
    outcome.print();
    Ok(outcome)
}

/// Runs the floor against `sim` while a maker posts `events + 1` asks; answers the edges it
/// missed.
async fn drive_floor(
    sim: &SimHandle,
    floor: Floor,
    maker_signer: Arc<Signer>,
    ticker: &Ticker,
    edges: Edges,
) -> Result<usize, String> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let reactor = actix_rt::spawn(async move {
        if let Err(e) = floor.run(tx).await {
            eprintln!("floor: {e}");
        }
    });
    let maker = Gateway::new(
        GatewayConfig::default(),
        &sim.rest_url(),
        maker_signer,
        LiveClock::shared(),
    )
    .map_err(|e| e.join("; "))?
    .start();
    // Let the floor subscribe before the first ask.
    actix_rt::time::sleep(Duration::from_millis(200)).await;
    let taken = take_edges(&maker, &mut rx, ticker, edges, "floor").await;
    reactor.abort();
    taken.map(|(missed, _)| missed)
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
    /// Edges to time and their pace.
    edges: Edges,
    /// The other markets' makers.
    makers: Makers,
}

/// The `orderbook_delta` frames the engine's feed has received, and its books.
async fn feed_deltas(feed: &actix::Addr<feed::Feed>) -> Result<(u64, usize), String> {
    let m = feed
        .send(feed::GetMetrics)
        .await
        .map_err(|e| e.to_string())?;
    Ok((m.counters.messages.get("orderbook_delta"), m.books))
}

/// Starts the engine and a maker, takes the edges and shuts the engine down. Answers the edges
/// missed, the seconds the edges took, the journal's `synchronous` setting as shown, the
/// order path's stages and the feed's load meanwhile.
async fn drive(pass: Pass<'_>) -> Result<(usize, f64, String, OrderPath, Load), String> {
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
            series: pass.makers.series(),
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
    let (before, _) = feed_deltas(&engine.feed).await?;
    let (missed, elapsed) = take_edges(&maker, &mut rx, pass.ticker, pass.edges, "maker").await?;
    let (after, books) = feed_deltas(&engine.feed).await?;
    let load = Load::of(
        pass.makers,
        books,
        after.saturating_sub(before),
        pass.edges.count + 1,
        elapsed,
    );
    let stages = engine
        .gateway
        .send(GetMetrics)
        .await
        .map_err(|e| e.to_string())?
        .order_path;
    engine.shutdown().await;
    Ok((missed, elapsed, synchronous, stages, load))
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
