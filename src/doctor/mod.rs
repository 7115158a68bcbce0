//! `tradewind doctor`: a read-only self-check of the exchange a config points at, run before
//! trading. The config is loaded exactly as `run` loads it (same loader, `${ENV}` expansion,
//! key file); with the embedded simulator one is started with a fresh account (pinging every
//! second and with busier market makers, so the WebSocket checks take a second or two). Then the checks of [`report::Check::ALL`] run
//! in order, each printing one line — `PASS`/`FAIL` with its figure, or `SKIP` with the
//! check it needed — and the exit code is 0 only when all passed (1 otherwise, 2 for a bad
//! config). Nothing that could place or cancel an order is ever sent.
//!
//! The public facts (exchange status, the `Date` headers) are read unsigned, so a wrong key
//! shows up once, as `auth`. After the clock check the signer is corrected to the exchange's
//! clock the way the gateway corrects it after its first answers, so a wrong clock shows up
//! once, as `clock`. Everything private goes through the engine's own parts: the gateway
//! actor for REST, the account's signer, the `kalshi` decoder and the feed's `seq` tracker.
//!
//! # Layout
//! - [`report`]: the checks, their order and prerequisites, verdicts, lines, exit code.
//! - [`net`]: DNS and TLS probes, unsigned GETs. [`checks`]: the REST checks.
//! - [`ws`]: the WebSocket handshake and session. [`tally`]: what the session showed.

mod checks;
mod net;
mod report;
mod tally;
mod ws;

use std::{
    future::Future,
    path::PathBuf,
    process::ExitCode,
    time::{Duration, Instant},
};

use actix::{Actor, Addr};
use clap::Args;
use kalshi::Ticker;
use tradewind_actors::{clock::LiveClock, gateway::Gateway, http_client};

use self::{
    checks::KeySource,
    net::Host,
    report::{Check, Report, Verdict},
    tally::Tally,
};
use tradewind::{
    config::{self, EngineFile, exchange::Mode, mask::mask_key_id},
    run::{
        exchange::{self, Target},
        logging,
    },
};

use crate::cli;

/// The embedded simulator's ping interval under the doctor, ms: short, so the heartbeat
/// check takes about a second rather than Kalshi's ten.
const EMBEDDED_PING_MS: u64 = 1_000;

/// The least market-maker activity of the embedded simulator under the doctor, actions per
/// second across all its markets: at the default 20, one market may see no delta for many
/// seconds; at 200 it sees a few a second.
const EMBEDDED_ACTIONS_PER_S: f64 = 200.0;

/// How long the WebSocket session waits for its snapshot, deltas and a ping: Kalshi pings
/// every 10 s.
const SESSION_WAIT: Duration = Duration::from_secs(12);

/// Options of `tradewind doctor`.
#[derive(Debug, Args)]
#[command(after_long_help = report::help())]
pub struct DoctorArgs {
    /// Config file (TOML). Default: the built-in config/default.toml (embedded simulator).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `tradewind doctor`: load the config, run every check, answer the exit code.
pub fn run(args: DoctorArgs) -> ExitCode {
    let cfg = match cli::load_config(args.config.as_deref()) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(cli::BAD_CONFIG);
        }
    };
    // The lines are the output; logs only when asked for.
    if std::env::var_os("RUST_LOG").is_some() {
        logging::init(false);
    }
    let origin = args.config.as_deref().map_or_else(
        || config::DEFAULT_ORIGIN.to_owned(),
        |p| p.display().to_string(),
    );
    actix_rt::System::new().block_on(examine(cfg, origin))
}

async fn examine(cfg: EngineFile, origin: String) -> ExitCode {
    let began = Instant::now();
    let target = match exchange::resolve_with(&cfg, |sim| {
        sim.ws_ping_interval_ms = EMBEDDED_PING_MS;
        let liquidity = &mut sim.liquidity.actions_per_second;
        *liquidity = liquidity.max(EMBEDDED_ACTIONS_PER_S);
    }) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    println!("{}", header(&cfg, &origin, &target));
    let mut report = Report::default();
    public_checks(&mut report, &cfg, &target).await;
    let gateway = private_checks(&mut report, &cfg, &target).await;
    ws_checks(&mut report, &cfg, &target, gateway.as_ref()).await;
    println!("{}", report.summary(began.elapsed()));
    if let Some((sim, _)) = target.sim {
        sim.stop();
    }
    ExitCode::from(report.exit_code())
}

/// `tradewind doctor — FILE: what is checked, at which URL`.
fn header(cfg: &EngineFile, origin: &str, target: &Target) -> String {
    let what = match (cfg.exchange.mode, cfg.is_production()) {
        (Mode::Embedded, _) => "the embedded simulator (fresh account)".to_owned(),
        (Mode::Remote, true) => "Kalshi production (real money)".to_owned(),
        (Mode::Remote, false) => format!("environment {}", cfg.exchange.environment.as_str()),
    };
    format!(
        "tradewind doctor — {origin}: {what} at {}; read-only, nothing is ordered",
        target.rest_url
    )
}

/// Runs `check` unless a check it needs did not pass, times it, prints its line.
async fn step(report: &mut Report, check: Check, run: impl Future<Output = Verdict>) {
    let line = match report.blocked(check) {
        Some(why) => report.record(check, Verdict::Skip(why), None),
        None => {
            let began = Instant::now();
            let verdict = run.await;
            report.record(check, verdict, Some(began.elapsed()))
        }
    };
    println!("{}", line.render());
}

/// `key`, `dns+tls`, `exchange` and `clock`; then the signer follows the exchange's clock as
/// the gateway's does after its first answers.
async fn public_checks(report: &mut Report, cfg: &EngineFile, target: &Target) {
    let signer = &target.signer;
    let source = match cfg.exchange.mode {
        Mode::Embedded => KeySource::Embedded,
        Mode::Remote => KeySource::File(cfg.exchange.private_key_path.clone()),
    };
    let masked = mask_key_id(signer.key_id());
    step(report, Check::Key, async {
        checks::key(signer.key_kind(), &source, &masked)
    })
    .await;
    let limit = Duration::from_millis(cfg.gateway.request_timeout_ms);
    step(report, Check::DnsTls, dns_tls(target, limit)).await;
    let rest_tls = Host::of(&target.rest_url).is_ok_and(|h| h.tls);
    let client = http_client::build(limit, rest_tls);
    let rest = target.rest_url.trim_end_matches('/');
    step(report, Check::Exchange, async {
        match &client {
            Ok(c) => checks::exchange(c, rest).await,
            Err(e) => Verdict::Fail(e.clone()),
        }
    })
    .await;
    let mut estimate = None;
    step(report, Check::Clock, async {
        let Ok(c) = &client else {
            return Verdict::Fail("no HTTP client".into());
        };
        let (verdict, e) = checks::clock(c, rest, cfg.gateway.clock_offset_warn_ms).await;
        estimate = Some(e);
        verdict
    })
    .await;
    if let Some(e) = estimate {
        signer.set_offset_ms(e.correction(cfg.gateway.clock_offset_apply_ms));
    }
}

/// `auth` and `limits` through a gateway actor, started only when `auth` can run (an actor
/// never polled must not outlive the system); answers the gateway.
async fn private_checks(
    report: &mut Report,
    cfg: &EngineFile,
    target: &Target,
) -> Option<Addr<Gateway>> {
    let masked = mask_key_id(target.signer.key_id());
    let gateway = match report.blocked(Check::Auth) {
        Some(_) => Err("not started".to_owned()),
        None => Gateway::new(
            cfg.gateway.clone(),
            &target.rest_url,
            target.signer.clone(),
            LiveClock::shared(),
        )
        .map(Actor::start)
        .map_err(|e| e.join("; ")),
    };
    step(report, Check::Auth, async {
        match &gateway {
            Ok(g) => checks::auth(g, &masked).await,
            Err(e) => Verdict::Fail(e.clone()),
        }
    })
    .await;
    let gateway = gateway.ok();
    step(report, Check::Limits, async {
        match &gateway {
            Some(g) => checks::limits(g, &masked).await,
            None => Verdict::Fail("no gateway".into()),
        }
    })
    .await;
    gateway
}

/// The REST host and, when it differs, the WebSocket host.
async fn dns_tls(target: &Target, limit: Duration) -> Verdict {
    let mut hosts: Vec<Host> = Vec::new();
    for url in [&target.rest_url, &target.ws_url] {
        match Host::of(url) {
            Ok(h) if !hosts.contains(&h) => hosts.push(h),
            Ok(_) => {}
            Err(e) => return Verdict::Fail(e),
        }
    }
    let mut figures = Vec::new();
    for h in &hosts {
        match net::probe(h, limit).await {
            Ok(f) => figures.push(f),
            Err(e) => return Verdict::Fail(e),
        }
    }
    Verdict::Pass(figures.join("; "))
}

/// `websocket`, then one session for `orderbook`, `heartbeat` and `decode`.
async fn ws_checks(
    report: &mut Report,
    cfg: &EngineFile,
    target: &Target,
    gateway: Option<&Addr<Gateway>>,
) {
    let market: Result<Ticker, String> = match gateway {
        Some(g) if report.blocked(Check::WebSocket).is_none() => {
            checks::open_market(g, &cfg.metadata.series).await
        }
        _ => Err("no market looked up".into()),
    };
    let mut conn = None;
    let limit = Duration::from_millis(cfg.feed.connect_timeout_ms);
    step(report, Check::WebSocket, async {
        match ws::handshake(
            &target.ws_url,
            &target.signer,
            limit,
            cfg.feed.max_frame_bytes,
        )
        .await
        {
            Ok(c) => {
                conn = Some(c);
                Verdict::Pass(format!("signed upgrade to {} accepted", target.ws_url))
            }
            Err(e) => Verdict::Fail(e),
        }
    })
    .await;
    let began = Instant::now();
    let tally = match conn {
        Some(c) => Some(ws::observe(c, market, SESSION_WAIT).await),
        None => None,
    };
    let waited = began.elapsed();
    let verdicts: [(Check, SessionVerdict); 3] = [
        (Check::Orderbook, Tally::orderbook),
        (Check::Heartbeat, Tally::heartbeat),
        (Check::Decode, |t, _| t.decode()),
    ];
    for (check, verdict) in verdicts {
        settle(report, check, waited, || match &tally {
            Some(t) => verdict(t, waited),
            None => Verdict::Fail("no session".into()),
        });
    }
}

/// A verdict drawn from a session that lasted the duration.
type SessionVerdict = fn(&Tally, Duration) -> Verdict;

/// As [`step`] for a verdict drawn from what already ran for `took`.
fn settle(report: &mut Report, check: Check, took: Duration, verdict: impl FnOnce() -> Verdict) {
    let line = match report.blocked(check) {
        Some(why) => report.record(check, Verdict::Skip(why), None),
        None => report.record(check, verdict(), Some(took)),
    };
    println!("{}", line.render());
}
