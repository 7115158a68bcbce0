//! `tradewind run`: the engine against the embedded simulator or a real Kalshi environment,
//! with a status line, per-actor metrics log lines, `/metrics` and `/healthz`, and a summary
//! at exit.
//!
//! SIGINT/SIGTERM: the strategy stops, resting orders are cancelled when
//! `orders.cancel_on_shutdown`, the summary is printed and the process exits 0. A second
//! signal exits at once (130).

mod escalation;
pub mod exchange;
mod http;
pub mod logging;
mod prometheus;
mod status;

use std::{process::ExitCode, time::Duration};

use actix_web::dev::ServerHandle;
use tokio::signal::unix::{SignalKind, signal};
use tracing::{info, warn};
use tradewind_actors::{
    clock::LiveClock,
    orders::GetTrackedOrders,
    root::{Engine, EngineSpec},
};

use crate::config::{EngineFile, exchange::Mode as ExchangeMode};

/// Options of `tradewind run` besides the config file.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Stop after this long (`None`: until a signal).
    pub duration: Option<Duration>,
    /// Logs as JSON lines instead of human-readable text.
    pub json_logs: bool,
}

/// Runs the engine with a loaded, validated config until a signal or `duration` ends it.
/// Answers the process exit code: 0 ok, 1 runtime failure.
pub fn run(cfg: EngineFile, opts: RunOptions) -> ExitCode {
    logging::init(opts.json_logs);
    actix_rt::System::new().block_on(run_async(cfg, opts))
}

async fn run_async(cfg: EngineFile, opts: RunOptions) -> ExitCode {
    let target = match resolve_target(&cfg) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let spec = engine_spec(&cfg, &target);
    // Signals are handled from here on, start-up included.
    let mut signals = Signals::new();
    let engine = match start_engine(spec.clone(), &mut signals).await {
        Ok(e) => e,
        Err(code) => return code,
    };
    let server = match serve_metrics(&cfg, &engine) {
        Ok(s) => s,
        Err(code) => return code,
    };

    info!(
        duration = ?opts.duration,
        "engine running; Ctrl-C (SIGINT) or SIGTERM stops it, cancelling resting orders when \
         orders.cancel_on_shutdown"
    );
    match watch(&engine, &cfg, opts.duration, &mut signals).await {
        Watched::Ended { blackout_s } => {
            stop(&engine, target, server, blackout_s).await;
            ExitCode::SUCCESS
        }
        Watched::Escalated(why) => {
            let code = escalation::give_up(&engine, &spec, &why).await;
            if let Some((sim, _)) = target.sim {
                sim.stop();
            }
            code
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

/// The exchange to trade: the embedded simulator started (on a fresh journal) or the remote
/// settings read, and logged. Answers the exit code on failure.
fn resolve_target(cfg: &EngineFile) -> Result<exchange::Target, ExitCode> {
    if cfg.exchange.mode == ExchangeMode::Embedded
        && let Err(e) = exchange::fresh_journal(&cfg.orders.journal_path)
    {
        eprintln!("error: {e}");
        return Err(ExitCode::from(1));
    }
    let target = match exchange::resolve(cfg) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return Err(ExitCode::from(1));
        }
    };
    match &target.sim {
        Some((sim, _)) => info!(
            rest = %sim.rest_url(),
            admin = %format!("{}/_sim", sim.base_url()),
            "embedded simulator started"
        ),
        None => info!(rest = %target.rest_url, "trading a remote exchange"),
    }
    Ok(target)
}

/// The engine's spec: the config's sections against `target`, on the live clock.
fn engine_spec(cfg: &EngineFile, target: &exchange::Target) -> EngineSpec {
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
        supervision: cfg.supervision.clone(),
        observers: Default::default(),
    }
}

/// Starts the engine, unless a signal or [`STARTUP_TIMEOUT`] comes first. Answers the exit
/// code to return at once otherwise: 0 after a signal, 1 on failure.
async fn start_engine(spec: EngineSpec, signals: &mut Signals) -> Result<Engine, ExitCode> {
    tokio::select! {
        started = Engine::start(spec) => match started {
            Ok(e) => Ok(e),
            Err(errors) => {
                for e in errors {
                    eprintln!("error: {e}");
                }
                Err(ExitCode::from(1))
            }
        },
        _ = signals.next() => {
            info!("signal during start-up: stopping");
            Err(ExitCode::SUCCESS)
        }
        _ = actix_rt::time::sleep(STARTUP_TIMEOUT) => {
            eprintln!(
                "error: the engine did not start within {} s (the exchange unreachable, or the \
                 key refused? see the warnings above)",
                STARTUP_TIMEOUT.as_secs()
            );
            Err(ExitCode::from(1))
        }
    }
}

/// Starts `/metrics` and `/healthz` on `metrics.listen` (none when it is empty). Answers the
/// exit code 1 when it cannot listen.
fn serve_metrics(cfg: &EngineFile, engine: &Engine) -> Result<Option<ServerHandle>, ExitCode> {
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
        Err(e) => {
            eprintln!(
                "error: metrics.listen: cannot listen on {}: {e}",
                cfg.metrics.listen
            );
            Err(ExitCode::from(1))
        }
    }
}

/// Shuts down: the strategy stops, resting orders are cancelled when configured; then the
/// summary (with the embedded simulator's own counts), and the endpoints and simulator stop.
async fn stop(
    engine: &Engine,
    target: exchange::Target,
    server: Option<ServerHandle>,
    blackout_s: f64,
) {
    let cancels = engine.shutdown().await;
    if cancels > 0 {
        settle_cancels(engine).await;
    }
    let m = engine.metrics().await;
    let truth = target.sim.as_ref().map(|(sim, account)| {
        let stats = sim.control().stats();
        status::Truth {
            orders: sim.control().orders(account).len(),
            fills: sim.control().fills(account).len(),
            sent_429: stats.sent_429,
            duplicate_client_order_ids: stats.duplicate_client_order_ids,
        }
    });
    println!("{}", status::summary(&m, blackout_s / 60.0, truth.as_ref()));
    if let Some(handle) = server {
        handle.stop(true).await;
    }
    if let Some((sim, _)) = target.sim {
        sim.stop();
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
