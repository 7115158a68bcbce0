//! `tradewind history fetch`: downloads settled and closed markets of some series with their
//! results, their trades and their candlesticks into Parquet files, through the engine's
//! rate-limited gateway, resumably.
//!
//! The exchange is the config's (`--config F`; without it the built-in config: the embedded
//! simulator with a fresh account, as `tradewind run`). `GET /historical/cutoff` decides
//! which endpoint holds what ([`plan`]; a rerun reads it again and re-plans what it moved
//! past, [`split`]); the markets are listed per series ([`listing`]: every series' first
//! page at once, later pages queued behind the lists already running), and each series'
//! markets' lists are downloaded once it is listed, [`CONCURRENCY`] at a time so the
//! gateway's read bucket always has work queued ([`units`]). Each page is its own part file
//! ([`parts`]) and is counted in the checkpoint ([`checkpoint`]) only once written, so a
//! rerun with the same arguments continues where the last one stopped and never writes a
//! row twice.
//!
//! A download that finds no market of its series closed in the window completes with no
//! rows (its markets files with none, `trades/` and `candlesticks/` empty directories) and a
//! warning on stderr saying so (exit 0: nothing failed).
//!
//! Exit codes: 0 complete, 1 failed (a request failed after the gateway's retries, or a
//! file could not be written; the checkpoint is kept, a rerun continues), 2 bad arguments
//! or config (or `--out` holds a download of other arguments, or a checkpoint of another
//! format version), 130 interrupted by SIGINT
//! (requests in flight written, checkpoint saved; a rerun continues).

mod checkpoint;
mod columns;
mod listing;
pub(crate) mod parts;
pub(crate) mod plan;
mod progress;
mod session;
mod split;
pub(crate) mod tables;
mod tally;
mod units;

use std::{
    cell::{Cell, RefCell},
    path::PathBuf,
    process::ExitCode,
    rc::Rc,
    time::Instant,
};

use actix::Actor;
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use futures_util::{StreamExt, stream};
use tradewind::run::exchange::{self, Target};
use tradewind_actors::{
    clock::LiveClock,
    gateway::{Gateway, GatewayConfig},
};

use self::{
    checkpoint::{Checkpoint, Request},
    plan::Window,
    session::{Halt, Session},
    tally::Tally,
    units::Unit,
};
use crate::cli::{self, BAD_CONFIG};

/// Market lists downloaded at once (each waits in the gateway's queue for its tokens).
pub const CONCURRENCY: usize = 16;

/// Exit code of a download stopped by SIGINT.
pub const INTERRUPTED: u8 = 130;

/// `tradewind history …`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[command(subcommand)]
    command: HistoryCommand,
}

#[derive(Debug, Subcommand)]
enum HistoryCommand {
    /// Download markets (with results), trades and candlesticks of some series into Parquet
    /// files; resumable. Exit codes: 0 complete, 1 failed, 2 bad arguments/config,
    /// 130 interrupted (rerun to continue).
    Fetch(FetchArgs),
}

/// Options of `tradewind history fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Series tickers, e.g. `KXHIGHNY KXHIGHCHI`.
    #[arg(long, required = true, num_args = 1..)]
    series: Vec<String>,
    /// Markets that closed at or after this: `YYYY-MM-DD` (midnight UTC) or RFC 3339.
    #[arg(long, value_name = "D", value_parser = parse_from)]
    from: DateTime<Utc>,
    /// … and before this: `YYYY-MM-DD` (the whole day included) or RFC 3339.
    #[arg(long, value_name = "D", value_parser = parse_to)]
    to: DateTime<Utc>,
    /// Output directory (created if missing; a rerun with the same arguments continues).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Config file (TOML). Default: the built-in config/default.toml (embedded simulator).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Page size of the market and trade lists, 1–1000.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1000))]
    page_size: u32,
}

fn parse_from(s: &str) -> Result<DateTime<Utc>, String> {
    plan::parse_when(s, false)
}

fn parse_to(s: &str) -> Result<DateTime<Utc>, String> {
    plan::parse_when(s, true)
}

/// `tradewind history`.
pub fn run(args: HistoryArgs) -> ExitCode {
    match args.command {
        HistoryCommand::Fetch(a) => fetch(a),
    }
}

fn fetch(a: FetchArgs) -> ExitCode {
    let prepared = prepare(&a);
    let (gateway, target, checkpoint) = match prepared {
        Ok(p) => p,
        Err((code, e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(code);
        }
    };
    let system = actix_rt::System::new();
    let s = (a.out, a.page_size);
    let (outcome, summary, markets) = system.block_on(download(s, gateway, &target, checkpoint));
    println!("{summary}");
    match outcome {
        Ok(()) if markets == 0 => {
            let window = Window {
                from: a.from,
                to: a.to,
            };
            let embedded = a.config.is_none() && target.sim.is_some();
            eprintln!(
                "{}",
                progress::nothing_matched(&a.series, &window, embedded)
            );
            ExitCode::SUCCESS
        }
        Ok(()) => ExitCode::SUCCESS,
        Err(Halt::Interrupted) => ExitCode::from(INTERRUPTED),
        Err(Halt::Failed(e)) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The gateway's settings, the exchange and the checkpoint, or the exit code and why not.
fn prepare(a: &FetchArgs) -> Result<(GatewayConfig, Target, Checkpoint), (u8, String)> {
    let cfg = cli::load_config(a.config.as_deref()).map_err(|e| (BAD_CONFIG, e.to_string()))?;
    if a.from >= a.to {
        return Err((
            BAD_CONFIG,
            format!("--from {} is not before --to {}", a.from, a.to),
        ));
    }
    for table in ["", "trades", "candlesticks"] {
        let dir = a.out.join(table);
        std::fs::create_dir_all(&dir)
            .map_err(|e| (1, format!("--out: cannot create {}: {e}", dir.display())))?;
    }
    let request = Request {
        series: a.series.clone(),
        window: Window {
            from: a.from,
            to: a.to,
        },
        page_size: a.page_size,
    };
    let checkpoint = Checkpoint::load_or_new(&a.out.join("checkpoint.json"), request)
        .map_err(|e| (BAD_CONFIG, e))?;
    let target = exchange::resolve(&cfg).map_err(|e| (1, e))?;
    if let Some((sim, _)) = &target.sim {
        eprintln!(
            "history fetch: the embedded simulator at {}",
            sim.rest_url()
        );
    }
    Ok((cfg.gateway, target, checkpoint))
}

/// Starts the gateway and downloads; answers the outcome, the summary and the markets
/// listed.
async fn download(
    (out, page_size): (PathBuf, u32),
    gateway: GatewayConfig,
    target: &Target,
    checkpoint: Checkpoint,
) -> (Result<(), Halt>, String, u64) {
    let started = Instant::now();
    let signer = target.signer.clone();
    let gateway = match Gateway::new(gateway, &target.rest_url, signer, LiveClock::shared()) {
        Ok(g) => g.start(),
        Err(e) => return (Err(Halt::Failed(e.join("; "))), String::new(), 0),
    };
    let s = Session {
        gateway,
        out,
        page_size,
        checkpoint: Rc::new(RefCell::new(checkpoint)),
        tally: Rc::new(RefCell::new(Tally::default())),
        stop: Rc::new(Cell::new(false)),
    };
    count_done(&s, true);
    actix_rt::spawn(on_sigint(s.stop.clone()));
    let drawn = Rc::new(Cell::new(false));
    actix_rt::spawn(progress::draw(s.clone(), started, drawn.clone()));
    let outcome = work(&s).await;
    drawn.set(true);
    let saved = s.save();
    let outcome = outcome.and(saved);
    let label = match &outcome {
        Ok(()) => "complete",
        Err(Halt::Interrupted) => "interrupted; rerun with the same arguments to continue",
        Err(Halt::Failed(_)) => "failed; rerun with the same arguments to continue",
    };
    let snapshot = progress::snapshot(&s, started).await;
    (outcome, snapshot.summary(label), snapshot.tally.0)
}

/// Raises the stop flag at SIGINT.
async fn on_sigint(stop: Rc<Cell<bool>>) {
    if tokio::signal::ctrl_c().await.is_ok() {
        eprintln!("\ninterrupted: writing the pages in flight and the checkpoint");
        stop.set(true);
    }
}

/// The tally's markets done (and, at start, the rows already written) from the checkpoint.
fn count_done(s: &Session, rows_too: bool) {
    let c = s.checkpoint.borrow();
    let mut t = s.tally.borrow_mut();
    let markets = c.series.values().flat_map(|st| st.markets.values());
    let (mut done, mut planned) = (0, 0);
    for m in markets {
        planned += 1;
        done += u64::from(m.done());
        if rows_too {
            t.markets += 1;
            t.trades += m.trade_rows();
            t.candles += m.candles.rows;
        }
    }
    t.markets_done = (done, planned);
}

/// The lists of `series` not yet complete, a market's together.
fn pending(s: &Session, series: &str) -> Vec<Unit> {
    let c = s.checkpoint.borrow();
    let mut out = Vec::new();
    for m in c
        .series
        .get(series)
        .into_iter()
        .flat_map(|st| st.markets.values())
    {
        for (src, st) in &m.trades {
            if !st.done {
                out.push(Unit::Trades(m.job.clone(), *src));
            }
        }
        for (n, c) in m.catch_up.iter().enumerate() {
            if !c.stream.done {
                out.push(Unit::CatchUp(m.job.clone(), n));
            }
        }
        if !m.candles.done {
            out.push(Unit::Candles(m.job.clone()));
        }
    }
    out
}

/// Lists `series` (unless listed) and answers its pending lists.
async fn list_then_pending(
    s: &Session,
    series: String,
    cuts: (listing::Cutoff, listing::Cutoff),
) -> Vec<Result<Unit, Halt>> {
    match listing::list_series(s, &series, cuts).await {
        Ok(()) => pending(s, &series).into_iter().map(Ok).collect(),
        Err(e) => vec![Err(e)],
    }
}

/// Reads the cutoff (re-planning what it moved past, on a rerun), lists the series and
/// downloads each listed series' pending lists, [`CONCURRENCY`] at a time; a series listed
/// while others' lists run has its later market pages queued behind them. Once every list
/// is complete, reads the cutoff again and catches up what it moved past meanwhile.
async fn work(s: &Session) -> Result<(), Halt> {
    let (cut, now) = listing::cutoffs(s).await?;
    let replanned = split::replan_all(&mut s.checkpoint.borrow_mut(), now, false);
    if replanned {
        s.save()?;
    }
    let series = s.checkpoint.borrow().request.series.clone();
    let lists = series.len().max(1);
    let units = stream::iter(series)
        .map(|name| list_then_pending(s, name, (cut, now)))
        .buffer_unordered(lists)
        .flat_map(stream::iter);
    drive(s, units).await?;
    complete(s)?;
    let (_, now) = listing::cutoffs(s).await?;
    if !split::replan_all(&mut s.checkpoint.borrow_mut(), now, true) {
        return Ok(());
    }
    s.save()?;
    let series = s.checkpoint.borrow().request.series.clone();
    let units: Vec<Result<Unit, Halt>> =
        series.iter().flat_map(|n| pending(s, n)).map(Ok).collect();
    drive(s, stream::iter(units)).await?;
    complete(s)
}

/// Runs `units`, [`CONCURRENCY`] at a time, until they end or one fails (then the others
/// stop sending requests).
async fn drive(
    s: &Session,
    units: impl futures_util::Stream<Item = Result<Unit, Halt>>,
) -> Result<(), Halt> {
    let running = units
        .map(|u| async move { units::run(s, &u?).await })
        .buffer_unordered(CONCURRENCY);
    let mut running = std::pin::pin!(running);
    let mut failure = None;
    while let Some(r) = running.next().await {
        count_done(s, false);
        if let Err(Halt::Failed(e)) = r {
            s.stop.set(true);
            failure.get_or_insert(e);
        }
    }
    failure.map_or(Ok(()), |e| Err(Halt::Failed(e)))
}

/// Whether every series is listed and every list complete; else interrupted.
fn complete(s: &Session) -> Result<(), Halt> {
    let (done, planned) = s.tally.borrow().markets_done;
    let c = s.checkpoint.borrow();
    let listed = c
        .request
        .series
        .iter()
        .all(|n| c.series.get(n).is_some_and(|st| st.listed));
    if done < planned || !listed {
        return Err(Halt::Interrupted);
    }
    Ok(())
}
