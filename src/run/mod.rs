//! Running the engine: against the embedded simulator or a real Kalshi environment, with a
//! status line, per-actor metrics log lines, `/metrics` and `/healthz`, until a signal or a
//! duration; answers a [`RunSummary`] (or a [`RunError`]). `tradewind run` and
//! [`crate::EngineBuilder`] both come through [`run_engine`].
//!
//! SIGINT/SIGTERM: the strategy stops, resting orders are cancelled when
//! `orders.cancel_on_shutdown`, and the run ends with its summary. A second signal exits the
//! process at once (130).

mod escalation;
pub mod exchange;
mod http;
pub mod logging;
mod outcome;
mod prometheus;
pub mod recording;
mod status;

use std::time::Duration;

use actix_web::dev::ServerHandle;
use tokio::signal::unix::{SignalKind, signal};
use tracing::{info, warn};
use tradewind_actors::{
    clock::LiveClock,
    orders::GetTrackedOrders,
    root::{Engine, EngineSpec},
    strategy::StrategyFactory,
};

pub use self::{
    outcome::{RunError, RunSummary},
    recording::RecordingSummary,
    status::Truth,
};
use crate::config::{EngineFile, exchange::Mode as ExchangeMode};

/// Options of a run besides the config file.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Stop after this long (`None`: until a signal).
    pub duration: Option<Duration>,
    /// The strategy to run (`None`: the built-in one `[strategy] kind` names).
    pub strategy: Option<StrategyFactory>,
    /// Record every frame and market received into this directory (`tradewind record`).
    pub record: Option<std::path::PathBuf>,
}

/// Runs the engine with a loaded, validated config until a signal or `opts.duration` ends it,
/// inside the running actix `System`. Logging is the caller's ([`logging::init`]).
///
/// # Errors
/// The engine could not start, a signal came during start-up, or the supervision tree gave
/// up (resting orders then cancelled); each says which exit code the CLI gives it.
pub async fn run_engine(cfg: &EngineFile, opts: RunOptions) -> Result<RunSummary, RunError> {
    let target = resolve_target(cfg)?;
    let recorder = match recording::start(opts.record.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            stop_sim(target);
            return Err(RunError::Start(vec![e]));
        }
    };
    let mut spec = engine_spec(cfg, &target, opts.strategy);
    spec.observers.record = recorder.as_ref().map(crate::record::Recorder::tap);
    // Signals are handled from here on, start-up included.
    let mut signals = Signals::new();
    let engine = match start_engine(spec.clone(), &mut signals).await {
        Ok(e) => e,
        Err(e) => {
            stop_sim(target);
            return Err(e);
        }
    };
    let server = match serve_metrics(cfg, &engine) {
        Ok(s) => s,
        Err(e) => {
            engine.shutdown().await;
            stop_sim(target);
            return Err(e);
        }
    };
    info!(
        duration = ?opts.duration,
        "engine running; Ctrl-C (SIGINT) or SIGTERM stops it, cancelling resting orders when \
         orders.cancel_on_shutdown"
    );
    match watch(&engine, cfg, opts.duration, &mut signals).await {
        Watched::Ended { blackout_s } => {
            // Sealed first, so its counts and the feed's describe the same frames.
            let recording = recording::seal(&engine, recorder).await;
            let mut summary = stop(&engine, target, server, blackout_s).await;
            summary.recording = recording;
            Ok(summary)
        }
        Watched::Escalated(why) => {
            let code = escalation::give_up(&engine, &spec, &why).await;
            stop_sim(target);
            Err(RunError::GaveUp {
                reason: why.to_string(),
                exit_code: code,
            })
        }
    }
}

/// How the watch ended.
enum Watched {
    /// A signal or the duration: shut down cleanly.
    Ended {
        /// Seconds spent in blackout.
        blackout_s: f64,
    },
    /// The supervision tree gave up.
    Escalated(tradewind_actors::supervision::Escalation),
}

fn stop_sim(target: exchange::Target) {
    if let Some((sim, _)) = target.sim {
        sim.stop();
    }
}

/// The exchange to trade: the embedded simulator started (on a fresh journal) or the remote
/// settings read, and logged.
fn resolve_target(cfg: &EngineFile) -> Result<exchange::Target, RunError> {
    if cfg.exchange.mode == ExchangeMode::Embedded {
        exchange::fresh_journal(&cfg.orders.journal_path).map_err(|e| RunError::Start(vec![e]))?;
    }
    let target = exchange::resolve(cfg).map_err(|e| RunError::Start(vec![e]))?;
    match &target.sim {
        Some((sim, account)) => info!(
            rest = %sim.rest_url(),
            admin = %format!("{}/_sim", sim.base_url()),
            %account,
            "embedded simulator started"
        ),
        None => info!(rest = %target.rest_url, "trading a remote exchange"),
    }
    Ok(target)
}

/// The engine's spec: the config's sections against `target`, on the live clock, running
/// `strategy` (or the built-in one the config names).
fn engine_spec(
    cfg: &EngineFile,
    target: &exchange::Target,
    strategy: Option<StrategyFactory>,
) -> EngineSpec {
    EngineSpec {
        rest_url: target.rest_url.clone(),
        ws_url: target.ws_url.clone(),
        signer: target.signer.clone(),
        forecast_base: target.forecast_base.clone(),
        clock: LiveClock::shared(),
        gateway: cfg.gateway.clone(),
        feed: cfg.feed.clone(),
        metadata: cfg.metadata.clone(),
        blackout: cfg.blackout.clone(),
        orders: cfg.orders.clone(),
        strategy: cfg.strategy.clone(),
        strategy_factory: strategy,
        supervision: cfg.supervision.clone(),
        observers: Default::default(),
    }
}

/// Starts the engine, unless a signal or [`STARTUP_TIMEOUT`] comes first.
async fn start_engine(spec: EngineSpec, signals: &mut Signals) -> Result<Engine, RunError> {
    tokio::select! {
        started = Engine::start(spec) => started.map_err(RunError::Start),
        _ = signals.next() => {
            info!("signal during start-up: stopping");
            Err(RunError::StoppedDuringStartup)
        }
        _ = actix_rt::time::sleep(STARTUP_TIMEOUT) => Err(RunError::Start(vec![format!(
            "the engine did not start within {} s (the exchange unreachable, or the key \
             refused? see the warnings above)",
            STARTUP_TIMEOUT.as_secs()
        )])),
    }
}

/// Starts `/metrics` and `/healthz` on `metrics.listen` (none when it is empty).
fn serve_metrics(cfg: &EngineFile, engine: &Engine) -> Result<Option<ServerHandle>, RunError> {
    if cfg.metrics.listen.is_empty() {
        return Ok(None);
    }
    let health = http::Health {
        max_stale_pct: f64::from(cfg.metrics.healthz_max_stale_pct),
    };
    match http::start(&cfg.metrics.listen, engine.clone(), health) {
        Ok((addr, handle)) => {
            info!(
                metrics = %format!("http://{addr}/metrics"),
                healthz = %format!("http://{addr}/healthz"),
                "metrics endpoints listening"
            );
            Ok(Some(handle))
        }
        Err(e) => Err(RunError::Start(vec![format!(
            "metrics.listen: cannot listen on {}: {e}",
            cfg.metrics.listen
        )])),
    }
}

/// Shuts down: the strategy stops, resting orders are cancelled when configured; then the
/// summary (with the embedded simulator's own counts), and the endpoints and simulator stop.
async fn stop(
    engine: &Engine,
    target: exchange::Target,
    server: Option<ServerHandle>,
    blackout_s: f64,
) -> RunSummary {
    // The strategy stops first: its counts (amends, cancels, its own) are read before.
    let strategy = engine.metrics().await.strategy;
    let cancels = engine.shutdown().await;
    if cancels > 0 {
        settle_cancels(engine).await;
    }
    let mut m = engine.metrics().await;
    m.strategy = m.strategy.or(strategy);
    let truth = target.sim.as_ref().map(|(sim, account)| {
        let stats = sim.control().stats();
        status::Truth {
            orders: sim.control().orders(account).len(),
            fills: sim.control().fills(account).len(),
            sent_429: stats.sent_429,
            duplicate_client_order_ids: stats.duplicate_client_order_ids,
        }
    });
    if let Some(handle) = server {
        handle.stop(true).await;
    }
    stop_sim(target);
    RunSummary {
        metrics: m,
        blackout_minutes: blackout_s / 60.0,
        exchange: truth,
        shutdown_cancels: cancels,
        recording: None,
    }
}

/// Prints the status line and the metrics log lines until a signal, the duration or an
/// escalation.
async fn watch(
    engine: &Engine,
    cfg: &EngineFile,
    duration: Option<Duration>,
    signals: &mut Signals,
) -> Watched {
    let mut escalation = engine.escalation.clone();
    let deadline = async {
        match duration {
            Some(d) => actix_rt::time::sleep(d).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(deadline);
    // An interval of 0 means never.
    let every = |s: u64| Duration::from_secs(if s == 0 { 365 * 86_400 } else { s });
    let status_every = every(cfg.metrics.status_interval_s);
    let mut status_tick = actix_rt::time::interval(status_every);
    let mut metrics_tick = actix_rt::time::interval(every(cfg.metrics.interval_s));
    let mut second = actix_rt::time::interval(Duration::from_secs(1));
    let (mut last_msgs, mut blackout_s) = (0u64, 0.0);
    loop {
        tokio::select! {
            _ = &mut deadline => {
                info!("run duration reached; shutting down");
                break;
            }
            name = signals.next() => {
                info!("{name}: shutting down (again to exit at once)");
                break;
            }
            Ok(()) = escalation.changed() => {
                if let Some(why) = escalation.borrow_and_update().clone() {
                    return Watched::Escalated(why);
                }
            }
            _ = second.tick() => {
                let active = engine
                    .blackout
                    .send(tradewind_actors::blackout::GetBlackoutState)
                    .await
                    .is_ok_and(|s| s.active);
                if active {
                    blackout_s += 1.0;
                }
            }
            _ = status_tick.tick() => {
                let m = engine.metrics().await;
                let msgs: u64 = m.feed.as_ref().map_or(0, |f| f.counters.messages.total());
                let rate = msgs.saturating_sub(last_msgs) as f64 / status_every.as_secs_f64();
                last_msgs = msgs;
                info!(target: "status", "{}", status::status_line(&m, rate));
            }
            _ = metrics_tick.tick() => {
                let m = engine.metrics().await;
                for (actor, value) in m.by_actor() {
                    info!(target: "metrics", actor, metrics = %value);
                }
            }
        }
    }
    // A second signal exits at once.
    let mut rest = std::mem::take(signals);
    actix_rt::spawn(async move {
        rest.next().await;
        warn!("second signal: exiting now");
        std::process::exit(130);
    });
    Watched::Ended { blackout_s }
}

/// How long start-up (limits, metadata, reconciliation) may take.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(120);

/// SIGINT and SIGTERM.
#[derive(Default)]
struct Signals {
    int: Option<tokio::signal::unix::Signal>,
    term: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Signals {
        Signals {
            int: signal(SignalKind::interrupt()).ok(),
            term: signal(SignalKind::terminate()).ok(),
        }
    }

    /// The next signal's name.
    async fn next(&mut self) -> &'static str {
        async fn one(s: &mut Option<tokio::signal::unix::Signal>) {
            match s {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending().await,
            }
        }
        tokio::select! {
            _ = one(&mut self.int) => "SIGINT",
            _ = one(&mut self.term) => "SIGTERM",
        }
    }
}

/// Waits (at most 10 s) for the shutdown cancels to be answered.
async fn settle_cancels(engine: &Engine) {
    let deadline = actix_rt::time::Instant::now() + Duration::from_secs(10);
    let mut tick = actix_rt::time::interval(Duration::from_millis(100));
    while actix_rt::time::Instant::now() < deadline {
        tick.tick().await;
        let open = engine
            .orders
            .send(GetTrackedOrders {
                ticker: None,
                open_only: true,
            })
            .await
            .unwrap_or_default();
        if open.is_empty() {
            return;
        }
    }
    warn!("some resting orders were not confirmed cancelled before exit");
}
