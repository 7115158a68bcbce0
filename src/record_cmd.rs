//! `tradewind record`: the engine of `tradewind run` — same config, same wiring — with its
//! strategy off, recording every WebSocket frame and every market it receives into a
//! directory (format: `tradewind::record`). Exit codes as `tradewind run`'s.
//!
//! Watch only: `[strategy] enabled = false` and `[orders] cancel_on_shutdown = false`, so a
//! recording places and cancels nothing (it may run beside a trading engine on the same
//! account, and a production config needs no `--allow-production`); its order journal is
//! `<out>/engine-journal.sqlite`, apart from any trading engine's.

use std::{path::PathBuf, process::ExitCode, time::Duration};

use clap::Args;
use tradewind::{EngineBuilder, config::EngineFile, duration::parse_duration};

use crate::cli::{self, BAD_CONFIG, LogFormat};

/// Options of `tradewind record`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Config file (TOML). Default: the built-in config/default.toml (embedded simulator).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory of the recording (created if missing); each start begins a new file in it.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Stop after this long: `90` (seconds), `500ms`, `60s`, `5m`, `1h`. Default: until
    /// Ctrl-C or SIGTERM.
    #[arg(long, value_name = "D", value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// Log format.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// `tradewind record`: load, make watch-only, run with a recorder.
pub fn run(args: RecordArgs) -> ExitCode {
    let mut cfg = match cli::load_config(args.config.as_deref()) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(BAD_CONFIG);
        }
    };
    watch_only(&mut cfg, &args);
    let mut engine = EngineBuilder::from_config(cfg)
        .allow_production(true)
        .json_logs(args.log_format == LogFormat::Json)
        .record(&args.out);
    if let Some(d) = args.duration {
        engine = engine.duration(d);
    }
    cli::execute(engine)
}

/// The strategy off, nothing cancelled at exit, a journal of its own; public trades too.
fn watch_only(cfg: &mut EngineFile, args: &RecordArgs) {
    cfg.feed.public_trades = true;
    cfg.strategy.enabled = false;
    cfg.orders.cancel_on_shutdown = false;
    cfg.orders.journal_path = args
        .out
        .join("engine-journal.sqlite")
        .to_string_lossy()
        .into_owned();
}
