//! `tradewind backtest`: a recording (or a history download) replayed through the config's strategy (`[strategy]
//! kind`), the order manager's checks and the simulator's matching engine on a virtual clock
//! (`tradewind::backtest`); the report written as `report.json` and `report.html`.
//!
//! Exit codes: 0 done, 1 the recording cannot be read or holds nothing in the window, 2 bad
//! config/arguments (an `external` strategy among them: it decides on another thread, which a
//! virtual clock cannot wait for).

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use chrono::{DateTime, Utc};
use clap::Args;
use tradewind::{
    backtest::{
        report::{Report, RunMeta},
        report_of,
        run::{Input, Replayed, Window, replay},
    },
    config::EngineFile,
};
use tradewind_actors::strategy::StrategyKind;

use crate::cli::{self, BAD_CONFIG};

/// Options of `tradewind backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// Config file (TOML): `[strategy]`, `[orders]`, `[blackout]` and `[backtest]` are used.
    /// Default: the built-in config/default.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The data: a recording directory (`tradewind record` or `tradewind run --record`) or a
    /// `tradewind history fetch` download (trades with candlestick quotes).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Replay from this instant (RFC 3339); earlier records only warm the books up.
    #[arg(long, value_name = "TIME")]
    pub from: Option<DateTime<Utc>>,
    /// Replay up to this instant (RFC 3339).
    #[arg(long, value_name = "TIME")]
    pub to: Option<DateTime<Utc>>,
    /// Forecasts file (JSON lines `{"at": TIME, "forecast": {…}}`), replacing the
    /// recording's own (a history download has none: without it, `fair_value` prices
    /// nothing).
    #[arg(long, value_name = "FILE")]
    pub forecasts: Option<PathBuf>,
    /// Where `report.json` and `report.html` go. Default: `DIR/backtest`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `tradewind backtest`.
pub fn run(args: BacktestArgs) -> ExitCode {
    let cfg = match cli::load_config(args.config.as_deref()) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(BAD_CONFIG);
        }
    };
    if cfg.strategy.kind == StrategyKind::External {
        eprintln!(
            "error: strategy.kind = \"external\" cannot be backtested: its process decides on \
             its own clock, which a replay on a virtual clock cannot wait for"
        );
        return ExitCode::from(BAD_CONFIG);
    }
    let (from_ns, to_ns) = match (instant(args.from, "--from"), instant(args.to, "--to")) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(BAD_CONFIG);
        }
    };
    let window = Window { from_ns, to_ns };
    let strategy = cfg.strategy.builtin().build();
    let replayed = match replay(
        &cfg,
        &args.data,
        window,
        args.forecasts.as_deref(),
        strategy,
    ) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let meta = meta(&cfg, &args, &replayed);
    let report = report_of(replayed.outcomes.iter().cloned(), meta.clone());
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.data.join("backtest"));
    let recorded = (replayed.tally.recorded_fills > 0).then(|| {
        let meta = RunMeta {
            strategy: "the recording run".into(),
            ..meta
        };
        report_of(replayed.recorded.iter().cloned(), meta)
    });
    let written = report.write(&out).and_then(|()| match &recorded {
        Some(r) => r.write(&out.join("recorded-run")),
        None => match std::fs::remove_dir_all(out.join("recorded-run")) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        },
    });
    if let Err(e) = written {
        eprintln!("error: cannot write the report into {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    print_summary(&replayed, &report, recorded.as_ref(), &out);
    ExitCode::SUCCESS
}

/// An instant given as `flag`, in Unix ns; an error names an instant out of range.
fn instant(t: Option<DateTime<Utc>>, flag: &str) -> Result<Option<u64>, String> {
    t.map(|t| {
        t.timestamp_nanos_opt()
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| format!("{flag} {t}: out of range (1970 to 2262)"))
    })
    .transpose()
}

fn meta(cfg: &EngineFile, args: &BacktestArgs, r: &Replayed) -> RunMeta {
    RunMeta {
        strategy: format!("{:?}", cfg.strategy.kind),
        data: args
            .data
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        from_ns: r.first_ns,
        to_ns: r.last_ns,
        seed: cfg.backtest.seed,
        config_digest: tradewind::backtest::config_digest(cfg),
        events_replayed: r.tally.records,
    }
}

fn print_summary(r: &Replayed, report: &Report, recorded: Option<&Report>, out: &Path) {
    let t = &r.tally;
    println!("== backtest ==");
    print_input(&r.input);
    println!("records replayed             {}", t.records);
    println!(
        "frames (bad, skipped)        {} ({})",
        t.frames, t.bad_frames
    );
    println!("books evaluated              {}", t.books_evaluated);
    println!("forecasts taken              {}", t.forecasts);
    println!("intents (refused)            {} ({})", t.intents, t.refused);
    println!("orders rejected by the venue {}", t.rejected);
    println!("fills                        {}", t.fills);
    println!("recorded trades replayed     {}", t.trades_replayed);
    println!("sequence gaps in recording   {}", t.gaps);
    println!(
        "kill switch (daily loss)     {}",
        if t.halted { "halted" } else { "not reached" }
    );
    println!(
        "the recorded run's own fills {} ({} contracts)",
        t.recorded_fills, t.recorded_contracts
    );
    for d in &r.damage {
        match r.input {
            Input::Recording => println!(
                "damaged recording            {} at offset {}: {} (rest of file skipped)",
                d.file.display(),
                d.offset,
                d.reason
            ),
            Input::History { .. } => println!(
                "damaged history file         {}: {} (file skipped)",
                d.file.display(),
                d.reason
            ),
        }
    }
    print_pnl("backtest", report);
    if let Some(rec) = recorded {
        print_pnl("the recording run (same marks)", rec);
    }
    println!("report                       {}", out.display());
}

fn print_input(input: &Input) {
    let Input::History(h) = input else {
        println!("data                         recording");
        return;
    };
    println!(
        "data                         history download: {} markets, {} trades, {} candles \
         ({} files)",
        h.markets, h.trades, h.candles, h.files
    );
    if let Some(n) = h.unfinished.filter(|n| *n > 0) {
        println!("download incomplete          {n} lists unfinished (rerun history fetch)");
    }
    let c = &h.counts;
    println!(
        "left out                     {} crossed candles, {} rows of unlisted markets, {} \
         duplicate trades, {} block trades, {} trades without a taker side, {} duplicate \
         markets, {} unreadable markets, {} results without a settlement time",
        c.crossed_candles,
        c.orphans,
        c.duplicate_trades,
        c.block_trades,
        c.sideless_trades,
        c.duplicate_markets,
        h.bad_markets,
        c.results_without_time
    );
    println!("quotes moved by trades       {}", c.quotes_moved);
}

fn print_pnl(who: &str, r: &Report) {
    let s = &r.summary;
    println!("-- {who} --");
    println!("fills (contracts)            {} ({})", s.fills, s.contracts);
    println!(
        "P&L total                    {} (realised {}, settled {}, unrealised {}, fees {})",
        s.total, s.realised, s.settled, s.unrealised, s.fees
    );
    println!("max drawdown                 {}", r.drawdown.amount);
}
