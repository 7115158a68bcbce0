//! `tradewind soak --minutes N`: the whole engine against the embedded simulator with a fault
//! switched on at random (seeded) every couple of seconds and a blackout window every few
//! minutes, checking invariants from the simulator's ground truth and the engine's state while
//! it runs and at the end. Prints faults injected by kind, invariant violations (must all be
//! 0) and the throughput held; exits 0 only when there were faults and no violations.

mod checks;
mod faults;

use std::{
    collections::{BTreeMap, HashSet},
    process::ExitCode,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use actix::{Actor, Context, Handler};
use chrono::{DateTime, Utc};
use clap::Args;
use kalshi_sim::{SimConfig, SimServer, server::faults::FaultPatch};
use tradewind_actors::{
    blackout::{BlackoutConfig, config::FixedWindowConfig},
    clock::LiveClock,
    feed::{BookConsumer, FeedConfig},
    gateway::GatewayConfig,
    market_data::{BookResynced, BookStale, BookUpdated},
    metadata::MetadataConfig,
    orders::OrdersConfig,
    root::{Engine, EngineSpec, Observers},
    strategy::StrategyConfig,
};

use self::{checks::Violations, faults::Kind};

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
}

/// Book epochs the feed published fresh, as the strategy saw them.
#[derive(Default)]
pub(crate) struct Published(pub(crate) Mutex<HashSet<(String, u64)>>);

struct Recorder(Arc<Published>);

impl Actor for Recorder {
    type Context = Context<Self>;
}

impl Handler<BookUpdated> for Recorder {
    type Result = ();
    fn handle(&mut self, m: BookUpdated, _: &mut Context<Self>) {
        if let Ok(mut s) = self.0.0.lock() {
            s.insert((m.ticker.to_string(), m.epoch));
        }
    }
}

impl Handler<BookStale> for Recorder {
    type Result = ();
    fn handle(&mut self, _: BookStale, _: &mut Context<Self>) {}
}

impl Handler<BookResynced> for Recorder {
    type Result = ();
    fn handle(&mut self, _: BookResynced, _: &mut Context<Self>) {}
}

/// Blackout windows: 30 s every 3 minutes from the first minute on.
fn windows(t0: DateTime<Utc>, minutes: f64) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let end = t0 + chrono::Duration::milliseconds((minutes * 60_000.0) as i64);
    (0..)
        .map(|k| t0 + chrono::Duration::seconds(60 + 180 * k))
        .take_while(|s| *s < end)
        .map(|s| (s, s + chrono::Duration::seconds(30)))
        .collect()
}

/// Runs the soak.
pub fn run(args: SoakArgs) -> ExitCode {
    if !args.minutes.is_finite() || args.minutes <= 0.0 || args.fault_every_ms == 0 {
        eprintln!("error: --minutes and --fault-every-ms must be positive");
        return ExitCode::from(2);
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

fn soak(args: &SoakArgs) -> Result<bool, String> {
    let sim = SimServer::start(SimConfig {
        seed: args.seed,
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
        let mut strategy = StrategyConfig::default();
        strategy.fair_value.min_edge = 0.02;
        strategy.fair_value.cooldown_ms = 250;
        let spec = EngineSpec {
            rest_url: sim.rest_url(),
            ws_url: sim.ws_url(),
            signer,
            forecast_base: format!("{}/_sim/forecast", sim.base_url()),
            clock: LiveClock::shared(),
            gateway: GatewayConfig::default(),
            feed: FeedConfig {
                idle_timeout_ms: 3_000,
                stable_after_ms: 5_000,
                metrics_interval_s: 0,
                ..FeedConfig::default()
            },
            metadata: MetadataConfig {
                series: crate::bench::temperature_series(),
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
                ..crate::bench::no_scheduled_blackouts()
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
            observers: Observers {
                books: vec![BookConsumer::of(&recorder)],
                ..Observers::default()
            },
        };
        let engine = Engine::start(spec).await.map_err(|e| e.join("; "))?;
        // The markets the cache selected (its first refresh runs in the background).
        let listed = Instant::now();
        let tickers: Vec<String> = loop {
            let markets = engine
                .metadata
                .send(tradewind_actors::metadata::ListMarkets::default())
                .await
                .map_err(|e| e.to_string())?;
            if !markets.is_empty() {
                break markets.into_iter().map(|m| m.ticker.to_string()).collect();
            }
            if listed.elapsed() > Duration::from_secs(60) {
                return Err("the metadata cache selected no markets".to_owned());
            }
            actix_rt::time::sleep(Duration::from_millis(100)).await;
        };
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
            let gap =
                Duration::from_millis(args.fault_every_ms / 2 + rng.below(args.fault_every_ms));
            actix_rt::time::sleep(gap).await;
            if let Some(off) = off
                && let Err(e) = sim.control().set_faults(&off)
            {
                eprintln!("fault {} not ended: {e:?}", kind.name());
            }
            if last_check.elapsed() > Duration::from_secs(10) {
                last_check = Instant::now();
                checks::running(
                    &sim,
                    &account,
                    &engine,
                    &published,
                    &windows,
                    &mut violations,
                )
                .await;
                let m = engine.metrics().await;
                println!(
                    "{:>5.0} s: faults {}, orders {}, fills {}, reconnects {}, violations {}",
                    started.elapsed().as_secs_f64(),
                    injected.values().sum::<u64>(),
                    sim.control().orders(&account).len(),
                    sim.control().fills(&account).len(),
                    m.feed.as_ref().map_or(0, |f| f.reconnects),
                    violations.total()
                );
            }
        }
        let elapsed = started.elapsed();
        sim.control().set_faults(&FaultPatch {
            clear: true,
            ..FaultPatch::default()
        })?;
        for t in &tickers {
            let _ = sim.control().set_faults(&FaultPatch {
                unpause_market: Some(t.clone()),
                ..FaultPatch::default()
            });
        }
        let metrics = engine.metrics().await;
        checks::finally(
            &sim,
            &account,
            &engine,
            &published,
            &windows,
            &tickers,
            &mut violations,
        )
        .await;
        engine.shutdown().await;
        Ok::<_, String>((injected, violations, elapsed, metrics))
    });
    let (injected, violations, elapsed, metrics) = outcome?;
    let orders = sim.control().orders(&account).len();
    let fills = sim.control().fills(&account).len();
    sim.stop();
    let _ = std::fs::remove_dir_all(&dir);
    let minutes = elapsed.as_secs_f64() / 60.0;
    println!("\n== soak: {minutes:.1} min, seed {} ==", args.seed);
    println!("faults injected by kind:");
    for k in Kind::ALL {
        println!(
            "  {:<28} {}",
            k.name(),
            injected.get(&k).copied().unwrap_or(0)
        );
    }
    let total: u64 = injected.values().sum();
    println!("  {:<28} {total}", "total");
    println!("invariant violations:");
    for (name, n) in violations.rows() {
        println!("  {name:<28} {n}");
    }
    let feed = metrics.feed.as_ref();
    println!("throughput held:");
    println!("  {:<28} {:.1}", "orders/minute", orders as f64 / minutes);
    println!("  {:<28} {:.1}", "fills/minute", fills as f64 / minutes);
    println!(
        "  {:<28} {:.1}",
        "feed messages/s",
        feed.map_or(0, |f| f.messages.values().sum::<u64>()) as f64 / elapsed.as_secs_f64()
    );
    println!(
        "  {:<28} {}",
        "feed reconnects",
        feed.map_or(0, |f| f.reconnects)
    );
    println!(
        "  {:<28} {}",
        "books resynced",
        feed.map_or(0, |f| f.resyncs)
    );
    println!("  {:<28} {}", "blackout windows", windows.len());
    Ok(violations.total() == 0 && total > 0)
}
