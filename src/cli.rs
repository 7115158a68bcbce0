//! `tradewind run` and `tradewind check-config`: argument types, loading the config (a file or
//! the built-in default), the production guard, and `--duration` parsing. Exit codes: 0 ok,
//! 1 runtime failure, 2 bad arguments or config.

use std::{path::Path, path::PathBuf, process::ExitCode, time::Duration};

use clap::{Args, ValueEnum};

use crate::{
    config::{self, ConfigError, EngineFile},
    run,
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
    let cfg = match load_config(args.config.as_deref()) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(BAD_CONFIG);
        }
    };
    if cfg.is_production() && !args.allow_production {
        eprintln!(
            "error: {}: exchange.environment = \"production\" trades real money; \
             pass --allow-production to start it",
            origin(args.config.as_deref())
        );
        return ExitCode::from(BAD_CONFIG);
    }
    run::run(
        cfg,
        run::RunOptions {
            duration: args.duration,
            json_logs: args.log_format == LogFormat::Json,
        },
    )
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

/// Parses `--duration`: whole seconds (`90`), or a whole number with `ms`, `s`, `m` or `h`.
///
/// # Errors
/// A message saying what is accepted.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    const ACCEPTED: &str = "expected a whole number with an optional unit: 90, 500ms, 60s, 5m, 1h";
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    if number.is_empty() {
        return Err(format!("{s:?}: {ACCEPTED}"));
    }
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{s:?}: {number} is too large"))?;
    let secs = |factor: u64| {
        n.checked_mul(factor)
            .map(Duration::from_secs)
            .ok_or_else(|| format!("{s:?}: too long"))
    };
    let d = match unit {
        "ms" => Duration::from_millis(n),
        "" | "s" => Duration::from_secs(n),
        "m" => secs(60)?,
        "h" => secs(3_600)?,
        _ => return Err(format!("{s:?}: unknown unit {unit:?}; {ACCEPTED}")),
    };
    if d.is_zero() {
        return Err(format!("{s:?}: must be longer than zero"));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_and_without_units() {
        let cases = [
            ("90", 90_000),
            ("60s", 60_000),
            ("5m", 300_000),
            ("1h", 3_600_000),
            ("250ms", 250),
            (" 7s ", 7_000),
        ];
        for (text, ms) in cases {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_millis(ms)),
                "{text}"
            );
        }
    }

    #[test]
    fn bad_durations_say_why() {
        for text in [
            "",
            "s",
            "5x",
            "1.5h",
            "-3",
            "0",
            "0s",
            "99999999999999999999h",
        ] {
            let err = parse_duration(text).unwrap_err();
            assert!(err.contains(&format!("{:?}", text.trim())), "{text}: {err}");
        }
        assert!(parse_duration("5x").unwrap_err().contains("unknown unit"));
        assert!(
            parse_duration("0")
                .unwrap_err()
                .contains("longer than zero")
        );
    }
}
