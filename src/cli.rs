//! `tradewind run` and `tradewind check-config`: argument types, loading the config (a file or
//! the built-in default), the production guard, and running it through the library's
//! [`EngineBuilder`] — the path every program using the engine takes. Exit codes: 0 ok,
//! 1 runtime failure, 2 bad arguments or config.

use std::{path::Path, path::PathBuf, process::ExitCode, time::Duration};

use clap::{Args, ValueEnum};
use tradewind::{
    EngineBuilder,
    config::{self, ConfigError, EngineFile},
    duration::parse_duration,
};

/// Exit code of a bad config or bad arguments.
pub const BAD_CONFIG: u8 = 2;

/// Options of `tradewind run`.
#[derive(Debug, Default, Args)]
pub struct RunArgs {
    /// Config file (TOML). Default: the built-in config/default.toml (embedded simulator).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Stop after this long: `90` (seconds), `500ms`, `60s`, `5m`, `1h`. Default: until
    /// Ctrl-C or SIGTERM.
    #[arg(long, value_name = "D", value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// Log format.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Allow a config whose environment is `production` (real money).
    #[arg(long)]
    pub allow_production: bool,
    /// Also record what the engine receives (frames, public trades, markets, forecasts) into
    /// DIR, as `tradewind record` does: a recording that `tradewind backtest` can compare with
    /// this run (its own fills are in it).
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Options of `tradewind check-config`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Config file to check. Default: the built-in config/default.toml.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// The config at `path`, or the built-in default; expanded and validated.
///
/// # Errors
/// Every problem in the file.
pub fn load_config(path: Option<&Path>) -> Result<EngineFile, ConfigError> {
    match path {
        Some(p) => config::load(p),
        None => config::load_default(),
    }
}

fn origin(path: Option<&Path>) -> String {
    path.map_or_else(
        || config::DEFAULT_ORIGIN.to_owned(),
        |p| p.display().to_string(),
    )
}

/// `tradewind run` (and `tradewind` alone): load, guard, run.
pub fn run(args: RunArgs) -> ExitCode {
    let mut cfg = match load_config(args.config.as_deref()) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(BAD_CONFIG);
        }
    };
    if args.record.is_some() {
        cfg.feed.public_trades = true;
    }
    if cfg.is_production() && !args.allow_production {
        eprintln!(
            "error: {}: exchange.environment = \"production\" trades real money; \
             pass --allow-production to start it",
            origin(args.config.as_deref())
        );
        return ExitCode::from(BAD_CONFIG);
    }
    let mut engine = EngineBuilder::from_config(cfg)
        .allow_production(args.allow_production)
        .json_logs(args.log_format == LogFormat::Json);
    if let Some(d) = args.duration {
        engine = engine.duration(d);
    }
    if let Some(dir) = &args.record {
        engine = engine.record(dir);
    }
    execute(engine)
}

/// Runs a built engine: the summary on stdout and 0, or the error's message and exit code.
pub fn execute(engine: EngineBuilder) -> ExitCode {
    match engine.run() {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            // Giving up was logged as it happened; a signal during start-up is no failure.
            if e.exit_code() != 0 && !matches!(e, tradewind::RunError::GaveUp { .. }) {
                eprintln!("error: {e}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// `tradewind check-config`: the effective config (key id masked) and `ok`, or every problem.
pub fn check(args: CheckArgs) -> ExitCode {
    let path = args.file.as_deref();
    match load_config(path) {
        Ok(cfg) => {
            println!(
                "# effective config of {}; api_key_id masked\n",
                origin(path)
            );
            print!("{}", config::render_masked(&cfg));
            if cfg.is_production() {
                println!("\n# environment = production: `tradewind run` needs --allow-production");
            }
            println!("ok");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(BAD_CONFIG)
        }
    }
}
