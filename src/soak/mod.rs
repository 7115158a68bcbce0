//! `tradewind soak --minutes N`: the whole engine against the embedded simulator with a fault
//! switched on at random (seeded) every couple of seconds and a blackout window every few
//! minutes, checking invariants from the simulator's ground truth and the engine's state while
//! it runs and at the end. Prints faults injected by kind, invariant violations (must all be
//! 0) and the throughput held; exits 0 only when there were faults and no violations.
//!
//! With `--process-faults` ([`process`]) the engine runs as a child process instead, killed
//! and restarted, and its actors made to panic, at random (seeded) intervals.
//!
//! # Layout
//! - [`faults`]: the fault kinds and the simulator switches that start and end each one.
//! - [`published`]: a book consumer recording the epochs the feed published fresh.
//! - [`checks`]: the invariants, while running and at the end.
//! - [`report`]: the final report and whether the soak passed.
//! - [`windows`]: the blackout windows.
//! - [`process`]: the `--process-faults` mode.

mod checks;
mod faults;
mod process;
mod published;
mod report;
mod windows;

use std::{
    collections::BTreeMap,
    path::Path,
    process::ExitCode,
    sync::Arc,
    time::{Duration, Instant},
};

use actix::Actor;
use chrono::{DateTime, Utc};
use clap::Args;
use kalshi::sign::Signer;
use kalshi_sim::{
    SimConfig, SimHandle, SimServer,
    readings::{DuplicateRule, Readings},
    server::faults::FaultPatch,
};
use tradewind_actors::{
    blackout::{BlackoutConfig, config::FixedWindowConfig},
    clock::LiveClock,
    feed::{BookConsumer, FeedConfig},
    gateway::GatewayConfig,
    metadata::MetadataConfig,
    orders::OrdersConfig,
    root::{Engine, EngineSpec, Observers},
    strategy::StrategyConfig,
};

use self::{
    checks::{Inputs, Violations},
    faults::Kind,
    published::{Published, Recorder},
    report::Report,
    windows::windows,
};

/// Options of `tradewind soak`.
#[derive(Debug, Args)]
pub struct SoakArgs {
    /// How long to run, minutes.
    #[arg(long, default_value_t = 10.0)]
    minutes: f64,
    /// Seed of the fault schedule and the simulator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// A new fault this often, milliseconds.
    #[arg(long, default_value_t = 2_000)]
    fault_every_ms: u64,
    /// When the simulated exchange lets a client order id be used again: `ever` (never: 409,
    /// Kalshi's REST docs) or `open-only` (once its order has ended, Kalshi's FIX rules).
    #[arg(long, value_enum, default_value = "ever")]
    duplicate_client_id: DuplicateRuleArg,
    /// Process faults instead of exchange faults: the engine runs as a child process that
    /// is SIGKILLed and restarted on its journal, or has one actor panic, at random (seeded)
    /// intervals. Needs a binary built with `--features fault-injection`.
    #[arg(long)]
    process_faults: bool,
    /// With `--process-faults`: mean time between process faults, milliseconds.
    #[arg(long, default_value_t = 15_000)]
    process_fault_every_ms: u64,
}

/// `--duplicate-client-id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DuplicateRuleArg {
    /// A used id gets 409 forever.
    Ever,
    /// An id is free again once its order has ended.
    OpenOnly,
}

impl From<DuplicateRuleArg> for DuplicateRule {
    fn from(a: DuplicateRuleArg) -> DuplicateRule {
        match a {
            DuplicateRuleArg::Ever => DuplicateRule::Ever,
            DuplicateRuleArg::OpenOnly => DuplicateRule::OpenOnly,
        }
    }
}

/// Runs the soak.
pub fn run(args: SoakArgs) -> ExitCode {
    let positive = args.fault_every_ms > 0 && args.process_fault_every_ms > 0;
    if !args.minutes.is_finite() || args.minutes <= 0.0 || !positive {
        eprintln!(
            "error: --minutes, --fault-every-ms and --process-fault-every-ms must be positive"
        );
        return ExitCode::from(2);
    }
    if args.process_faults {
        return run_process(&args);
    }
    match soak(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: soak failed: {e}");
            ExitCode::from(1)
        }
    }
}

/// `--process-faults`: exit 0 when it passed, 2 in a build without fault injection.
fn run_process(args: &SoakArgs) -> ExitCode {
    if !tradewind_actors::fault_injection::ENABLED {
        eprintln!("error: {}", process::NEEDS_FEATURE);
        return ExitCode::from(2);
    }
    let opts = process::Options {
        minutes: args.minutes,
        seed: args.seed,
        fault_every_ms: args.process_fault_every_ms,
    };
    match process::run(&opts) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: process soak failed: {e}");
            ExitCode::from(1)
        }
    }
}

fn soak(args: &SoakArgs) -> Result<bool, String> {
    let sim = SimServer::start(SimConfig {
        seed: args.seed,
        readings: Readings {
            duplicate_client_id: args.duplicate_client_id.into(),
            ..Readings::default()
        },
        ..SimConfig::default()
    })
    .map_err(|e| e.to_string())?;
    let (signer, account) = kalshi_sim::fresh_account(&sim, "prime", "1000000.00")?;
    let dir = std::env::temp_dir().join(format!("tradewind-soak-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let t0 = Utc::now();
    let windows = windows(t0, args.minutes);
    let published = Arc::new(Published::default());

    let outcome = actix::System::new().block_on(async {
        let recorder = Recorder(published.clone()).start();
        let mut spec = engine_spec(&sim, signer, &dir, &windows);
        spec.observers.books = vec![BookConsumer::of(&recorder)];
        let engine = Engine::start(spec).await.map_err(|e| e.join("; "))?;
        let tickers = selected_markets(&engine).await?;
        let inputs = Inputs {
            sim: &sim,
            account: &account,
            engine: &engine,
            published: &published,
            windows: &windows,
        };
        let (injected, mut violations, elapsed) = under_faults(&inputs, &tickers, args).await;
        clear_faults(&sim, &tickers)?;
        let metrics = engine.metrics().await;
        checks::finally(&inputs, &tickers, &mut violations).await;
        engine.shutdown().await;
        Ok::<_, String>((injected, violations, elapsed, metrics))
    });
    let (injected, violations, elapsed, metrics) = outcome?;
    let orders = sim.control().orders(&account).len();
    let fills = sim.control().fills(&account).len();
    sim.stop();
    let _ = std::fs::remove_dir_all(&dir);
    let report = Report {
        seed: args.seed,
        duplicate_rule: args.duplicate_client_id.into(),
        elapsed,
        injected,
        violations,
        metrics,
        orders,
        fills,
        windows: windows.len(),
    };
    report.print();
    Ok(report.passed())
}

/// The engine as the soak runs it: the simulator's forecast, a quick feed watchdog, the
/// blackout `windows` and no scheduled ones, risk limits loose enough to keep trading, and
/// the journal in `dir`. Its observers are left for the caller.
fn engine_spec(
    sim: &SimHandle,
    signer: Arc<Signer>,
    dir: &Path,
    windows: &[(DateTime<Utc>, DateTime<Utc>)],
) -> EngineSpec {
    let mut strategy = StrategyConfig::default();
    strategy.fair_value.min_edge = 0.02;
    strategy.fair_value.cooldown_ms = 250;
    EngineSpec {
        rest_url: sim.rest_url(),
        ws_url: sim.ws_url(),
        signer,
        forecast_base: format!("{}/_sim/forecast", sim.base_url()),
        clock: LiveClock::shared(),
        gateway: GatewayConfig::default(),
        feed: FeedConfig {
            idle_timeout_ms: 3_000,
            stable_after_ms: 5_000,
            ..FeedConfig::default()
        },
        metadata: MetadataConfig {
            series: crate::bench::setup::temperature_series(),
            ..MetadataConfig::default()
        },
        blackout: BlackoutConfig {
            fixed: windows
                .iter()
                .enumerate()
                .map(|(i, (s, e))| FixedWindowConfig {
                    name: format!("soak window {i}"),
                    start: s.to_rfc3339(),
                    end: e.to_rfc3339(),
                })
                .collect(),
            ..crate::bench::setup::no_scheduled_blackouts()
        },
        orders: OrdersConfig {
            journal_path: dir.join("journal.sqlite").display().to_string(),
            max_orders_per_minute: 600,
            max_open_orders: 200,
            max_position_per_market: 2_000,
            max_total_exposure_dollars: kalshi::Money::from_cents(10_000_000),
            max_daily_loss_dollars: kalshi::Money::from_cents(10_000_000),
            ..OrdersConfig::default()
        },
        strategy,
        strategy_factory: None,
        supervision: Default::default(),
        observers: Observers::default(),
    }
}

/// The markets the cache selected (its first refresh runs in the background), waiting up to
/// 60 s for them.
async fn selected_markets(engine: &Engine) -> Result<Vec<String>, String> {
    let listed = Instant::now();
    loop {
        let markets = engine
            .metadata
            .send(tradewind_actors::metadata::ListMarkets::default())
            .await
            .map_err(|e| e.to_string())?;
        if !markets.is_empty() {
            return Ok(markets.into_iter().map(|m| m.ticker.to_string()).collect());
        }
        if listed.elapsed() > Duration::from_secs(60) {
            return Err("the metadata cache selected no markets".to_owned());
        }
        actix_rt::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Injects a random fault (on a random market of `tickers`) every `fault_every_ms` or so for
/// `minutes`, checking the running invariants every 10 s. Answers the faults injected by
/// kind, the violations found and how long it ran.
async fn under_faults(
    inputs: &Inputs<'_>,
    tickers: &[String],
    args: &SoakArgs,
) -> (BTreeMap<Kind, u64>, Violations, Duration) {
    let sim = inputs.sim;
    let mut rng = faults::Rng::new(args.seed);
    let mut injected: BTreeMap<Kind, u64> = BTreeMap::new();
    let mut violations = Violations::default();
    let started = Instant::now();
    let run_for = Duration::from_secs_f64(args.minutes * 60.0);
    let mut last_check = Instant::now();
    while started.elapsed() < run_for {
        let kind = Kind::ALL[rng.below(Kind::ALL.len() as u64) as usize];
        let market = tickers
            .get(rng.below(tickers.len() as u64) as usize)
            .cloned()
            .unwrap_or_default();
        let (on, off) = kind.patches(&market);
        // A switch the simulator refuses (pausing a market that just closed, say) is
        // not counted as injected.
        if let Err(e) = sim.control().set_faults(&on) {
            eprintln!("fault {} not injected: {e:?}", kind.name());
            continue;
        }
        *injected.entry(kind).or_default() += 1;
        let gap = Duration::from_millis(args.fault_every_ms / 2 + rng.below(args.fault_every_ms));
        actix_rt::time::sleep(gap).await;
        if let Some(off) = off
            && let Err(e) = sim.control().set_faults(&off)
        {
            eprintln!("fault {} not ended: {e:?}", kind.name());
        }
        if last_check.elapsed() > Duration::from_secs(10) {
            last_check = Instant::now();
            check_and_show(inputs, &injected, started, &mut violations).await;
        }
    }
    (injected, violations, started.elapsed())
}

/// The running checks, then a progress line.
async fn check_and_show(
    inputs: &Inputs<'_>,
    injected: &BTreeMap<Kind, u64>,
    started: Instant,
    violations: &mut Violations,
) {
    checks::running(inputs, violations).await;
    let m = inputs.engine.metrics().await;
    let truth = inputs.sim.control();
    println!(
        "{:>5.0} s: faults {}, orders {}, fills {}, reconnects {}, violations {}",
        started.elapsed().as_secs_f64(),
        injected.values().sum::<u64>(),
        truth.orders(inputs.account).len(),
        truth.fills(inputs.account).len(),
        m.feed.as_ref().map_or(0, |f| f.counters.reconnects),
        violations.total()
    );
}

/// Clears every fault and unpauses every market, so the end checks see a healthy exchange.
fn clear_faults(sim: &SimHandle, tickers: &[String]) -> Result<(), String> {
    sim.control().set_faults(&FaultPatch {
        clear: true,
        ..FaultPatch::default()
    })?;
    for t in tickers {
        let _ = sim.control().set_faults(&FaultPatch {
            unpause_market: Some(t.clone()),
            ..FaultPatch::default()
        });
    }
    Ok(())
}
