//! The memory scenario: resident memory of the engine watching 2,040 books with 10,000 resting
//! orders, and its CPU use when the market is idle. The simulator runs in a child process
//! (`tradewind sim`) so this process's memory is the engine's; the baseline is this process's
//! RSS just before the engine starts, in the same run.

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use futures_util::future::join_all;
use kalshi::{
    Count, Price,
    sign::Signer,
    types::{BookSide, TimeInForce},
};
use serde::Serialize;
use tradewind_actors::{
    clock::LiveClock,
    feed::FeedConfig,
    gateway::GatewayConfig,
    metadata::MetadataConfig,
    orders::{GetTrackedOrders, OrderSpec, OrdersConfig, Submit, journal::Synchronous},
    root::{Engine, EngineSpec, Observers},
    strategy::{ForecastSource, StrategyConfig},
};

const ORDERS: usize = 10_000;

#[derive(Debug, Serialize)]
struct Outcome {
    books: usize,
    resting_orders: usize,
    rss_baseline_mib: f64,
    rss_with_books_mib: f64,
    rss_with_orders_mib: f64,
    engine_rss_mib: f64,
    idle_cpu_pct: f64,
}

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU seconds this process has used (user + system).
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 14th field.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    let ticks = 100.0; // USER_HZ on Linux
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / ticks
}

/// Runs the scenario; answers the JSON of the outcome.
pub fn run() -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("tradewind-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let ChildSim {
        mut child,
        rest,
        ws,
        signer,
    } = start_simulator(&dir)?;

    let result = actix::System::new().block_on(async {
        let baseline = rss_mib();
        let spec = engine_spec(rest, ws, signer, &dir);
        let engine = Engine::start(spec).await.map_err(|e| e.join("; "))?;
        let books = books_synced(&engine).await?;
        let with_books = rss_mib();
        // 10,000 resting bids at 1–5 ¢, spread over the markets.
        let markets = list_markets(&engine).await?;
        let prices: Vec<Price> = (1..=5).filter_map(Price::from_cents).collect();
        let resting = rest_orders(&engine, &markets, &prices).await?;
        let with_orders = rss_mib();
        // Idle: no market activity for 10 s.
        let (c0, t0) = (cpu_s(), Instant::now());
        actix_rt::time::sleep(Duration::from_secs(10)).await;
        let idle = 100.0 * (cpu_s() - c0) / t0.elapsed().as_secs_f64();
        Ok::<_, String>(Outcome {
            books,
            resting_orders: resting,
            rss_baseline_mib: baseline,
            rss_with_books_mib: with_books,
            rss_with_orders_mib: with_orders,
            engine_rss_mib: with_orders - baseline,
            idle_cpu_pct: idle,
        })
    });
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let o = result?;
    o.print();
    serde_json::to_string_pretty(&o).map_err(|e| e.to_string())
}

/// The simulator in a child process, and what the engine needs to reach it.
struct ChildSim {
    child: Child,
    rest: String,
    ws: String,
    signer: Arc<Signer>,
}

/// Starts `tradewind sim` (one worker, 10 days × 32 brackets, no market makers) with a new
/// Prime account whose key goes in `dir`, and reads its URLs and key id from its output.
fn start_simulator(dir: &Path) -> Result<ChildSim, String> {
    let sim_cfg = dir.join("sim.toml");
    std::fs::write(
        &sim_cfg,
        "workers = 1\nws_buffer = 4194304\n[catalogue]\ndays = 10\nbrackets = 32\n\
         [liquidity]\nactions_per_second = 0.0\n",
    )
    .map_err(|e| e.to_string())?;
    let key = dir.join("key.pem");
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .args(["sim", "--config"])
        .arg(&sim_cfg)
        .arg("--new-key")
        .arg(&key)
        .args(["--tier", "prime", "--balance", "100000.00"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the simulator: {e}"))?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
    let (mut rest, mut ws, mut key_id) = (None, None, None);
    while rest.is_none() || ws.is_none() || key_id.is_none() {
        let line = lines
            .next()
            .ok_or("the simulator ended")?
            .map_err(|e| e.to_string())?;
        let line = line.trim();
        if let Some(u) = line.strip_prefix("REST ") {
            rest = Some(u.trim().to_owned());
        }
        if let Some(u) = line.strip_prefix("WebSocket ") {
            ws = Some(u.trim().to_owned());
        }
        if let Some(id) = line.split("KALSHI_API_KEY_ID=").nth(1) {
            key_id = Some(id.trim().to_owned());
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let signer =
        Signer::from_pem_file(key_id.unwrap_or_default(), &key).map_err(|e| e.to_string())?;
    Ok(ChildSim {
        child,
        rest: rest.unwrap_or_default(),
        ws: ws.unwrap_or_default(),
        signer: Arc::new(signer),
    })
}

/// The engine watching every temperature series with its strategy off, its journal in `dir`
/// and room for the resting orders.
fn engine_spec(rest: String, ws: String, signer: Arc<Signer>, dir: &Path) -> EngineSpec {
    let strategy = StrategyConfig {
        enabled: false,
        forecast: tradewind_actors::strategy::ForecastConfig {
            source: ForecastSource::None,
            ..Default::default()
        },
        ..StrategyConfig::default()
    };
    EngineSpec {
        rest_url: rest,
        ws_url: ws,
        signer,
        forecast_base: String::new(),
        clock: LiveClock::shared(),
        gateway: GatewayConfig::default(),
        feed: FeedConfig {
            ..FeedConfig::default()
        },
        metadata: MetadataConfig {
            series: super::setup::temperature_series(),
            ..MetadataConfig::default()
        },
        blackout: super::setup::no_scheduled_blackouts(),
        orders: OrdersConfig {
            journal_path: dir.join("journal.sqlite").display().to_string(),
            journal_synchronous: Synchronous::Normal,
            max_open_orders: 100_000,
            max_orders_per_minute: 1_000_000,
            max_total_exposure_dollars: kalshi::Money::from_cents(10_000_000),
            cancel_on_shutdown: false,
            ..OrdersConfig::default()
        },
        strategy,
        strategy_factory: None,
        supervision: Default::default(),
        observers: Observers::default(),
    }
}

/// Waits (at most 60 s) until every book is synced; answers how many there are.
async fn books_synced(engine: &Engine) -> Result<usize, String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let m = engine
            .feed
            .send(tradewind_actors::feed::GetMetrics)
            .await
            .map_err(|e| e.to_string())?;
        if m.books >= 2_000 && m.books_stale == 0 {
            return Ok(m.books);
        }
        if Instant::now() > deadline {
            return Err(format!("only {} of the books synced", m.books));
        }
        actix_rt::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The markets the metadata cache selected.
async fn list_markets(engine: &Engine) -> Result<Vec<kalshi::Ticker>, String> {
    Ok(engine
        .metadata
        .send(tradewind_actors::metadata::ListMarkets::default())
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|m| m.ticker)
        .collect())
}

/// Rests [`ORDERS`] bids at `prices`, spread over `markets`, 200 at a time; answers how many
/// orders the order manager then holds open.
async fn rest_orders(
    engine: &Engine,
    markets: &[kalshi::Ticker],
    prices: &[Price],
) -> Result<usize, String> {
    if markets.is_empty() || prices.is_empty() {
        return Err("no markets to rest orders on".into());
    }
    for chunk in (0..ORDERS).collect::<Vec<_>>().chunks(200) {
        let sends = chunk.iter().map(|i| {
            engine.orders.send(Submit {
                spec: OrderSpec {
                    ticker: markets[i % markets.len()].clone(),
                    side: BookSide::Bid,
                    price: prices[(*i / markets.len()) % prices.len()],
                    count: Count::ONE,
                    time_in_force: TimeInForce::GoodTillCanceled,
                    post_only: true,
                    reduce_only: false,
                },
                book_epoch: None,
                stamps: Default::default(),
            })
        });
        for r in join_all(sends).await {
            r.map_err(|e| e.to_string())?
                .map_err(|e| format!("a resting order was refused: {e}"))?;
        }
    }
    let resting = engine
        .orders
        .send(GetTrackedOrders {
            ticker: None,
            open_only: true,
        })
        .await
        .map_err(|e| e.to_string())?
        .len();
    Ok(resting)
}

impl Outcome {
    /// Prints the outcome's two lines.
    fn print(&self) {
        println!("memory: the engine (simulator in another process)");
        println!(
            "  books {}  resting orders {}  RSS baseline {:.1} MiB → with books {:.1} MiB → with orders {:.1} MiB (engine +{:.1} MiB)  idle CPU {:.2}%",
            self.books,
            self.resting_orders,
            self.rss_baseline_mib,
            self.rss_with_books_mib,
            self.rss_with_orders_mib,
            self.engine_rss_mib,
            self.idle_cpu_pct
        );
    }
}
