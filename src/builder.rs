//! [`EngineBuilder`]: the engine as a library. Load a config (the TOML file `tradewind run`
//! reads, or the built-in default with its embedded simulator), pass any [`Strategy`], run
//! until a signal or a duration, get the [`RunSummary`]. `tradewind run` itself is a thin
//! caller of this builder, so a program and the binary run the same engine the same way.

use std::{path::Path, time::Duration};

use tradewind_actors::strategy::{Strategy, StrategyFactory};

use crate::{
    config::{self, ConfigError, EngineFile},
    run::{self, RunError, RunOptions, RunSummary, logging},
};

/// Builds and runs an engine.
///
/// ```no_run
/// use tradewind::{EngineBuilder, strategy::{Intent, MarketView, Strategy}};
///
/// struct Watcher;
/// impl Strategy for Watcher {
///     fn on_book(&mut self, _view: &MarketView) -> Vec<Intent> {
///         Vec::new()
///     }
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let summary = EngineBuilder::default_config()? // the embedded simulator
///     .strategy(|| Watcher) // called again to rebuild it after a panic
///     .duration(std::time::Duration::from_secs(20))
///     .run()?;
/// println!("{summary}");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct EngineBuilder {
    config: EngineFile,
    options: RunOptions,
    allow_production: bool,
    json_logs: bool,
    install_logging: bool,
}

impl EngineBuilder {
    /// An engine for a config that is already loaded and validated.
    pub fn from_config(config: EngineFile) -> EngineBuilder {
        EngineBuilder {
            config,
            options: RunOptions::default(),
            allow_production: false,
            json_logs: false,
            install_logging: true,
        }
    }

    /// An engine for the config file at `path` (read, `${ENV}`-expanded and validated as
    /// `tradewind run --config` does).
    ///
    /// # Errors
    /// Every problem in the file, each naming its field.
    pub fn from_config_file(path: impl AsRef<Path>) -> Result<EngineBuilder, ConfigError> {
        config::load(path.as_ref()).map(EngineBuilder::from_config)
    }

    /// An engine for the built-in `config/default.toml`: the simulated exchange started
    /// in-process on loopback, with a fresh key and a play-money account.
    ///
    /// # Errors
    /// None in practice (the built-in file is tested to be valid).
    pub fn default_config() -> Result<EngineBuilder, ConfigError> {
        config::load_default().map(EngineBuilder::from_config)
    }

    /// The config the engine will run; change it before [`EngineBuilder::run`] (it is not
    /// validated again).
    pub fn config_mut(&mut self) -> &mut EngineFile {
        &mut self.config
    }

    /// Runs the strategies `make` builds instead of the built-in one `[strategy] kind` names.
    /// `make` is called once at start and again whenever the strategy actor is restarted after
    /// a panic, so each restart begins from a fresh strategy. `[strategy] enabled`,
    /// `timer_ms` and `[strategy.forecast]` (which fills [`MarketView::fair`]) still apply.
    ///
    /// [`MarketView::fair`]: crate::strategy::MarketView::fair
    pub fn strategy<S, F>(mut self, make: F) -> EngineBuilder
    where
        S: Strategy + 'static,
        F: Fn() -> S + Send + Sync + 'static,
    {
        self.options.strategy = Some(StrategyFactory::new(make));
        self
    }

    /// Stops by itself after `duration` (default: only on SIGINT or SIGTERM).
    pub fn duration(mut self, duration: Duration) -> EngineBuilder {
        self.options.duration = Some(duration);
        self
    }

    /// Records every WebSocket frame and every market the engine receives into `dir` (see
    /// [`crate::record`]); the summary then has a recording section.
    pub fn record(mut self, dir: impl Into<std::path::PathBuf>) -> EngineBuilder {
        self.options.record = Some(dir.into());
        self
    }

    /// Allows a config whose `exchange.environment` is `production` (real money); refused
    /// otherwise.
    pub fn allow_production(mut self, allow: bool) -> EngineBuilder {
        self.allow_production = allow;
        self
    }

    /// Logs as JSON lines instead of human-readable text.
    pub fn json_logs(mut self, json: bool) -> EngineBuilder {
        self.json_logs = json;
        self
    }

    /// Whether [`EngineBuilder::run`] installs Tradewind's log subscriber on stderr (default:
    /// yes; it does nothing if the program installed one first). `RUST_LOG` sets the level.
    pub fn install_logging(mut self, install: bool) -> EngineBuilder {
        self.install_logging = install;
        self
    }

    /// Runs the engine on an actix `System` of its own, blocking until a signal or the
    /// duration ends it; answers the summary. Call it outside any async runtime.
    ///
    /// From start-up on, SIGINT and SIGTERM belong to the engine: the first stops it cleanly
    /// (resting orders cancelled when `orders.cancel_on_shutdown`), a second exits the process
    /// at once with code 130. Once installed, tokio's handlers for them stay for the life of
    /// the process, so after `run` returns a Ctrl-C no longer ends the program by default.
    ///
    /// # Errors
    /// A production config not allowed, a failed start, a signal during start-up, or the
    /// supervision tree giving up ([`RunError::exit_code`] says what `tradewind run` exits
    /// with).
    pub fn run(self) -> Result<RunSummary, RunError> {
        if self.install_logging {
            logging::init(self.json_logs);
        }
        actix_rt::System::new().block_on(self.run_in_system())
    }

    /// As [`EngineBuilder::run`], inside a running actix `System` (an `#[actix_rt::main]`
    /// program or an `#[actix_rt::test]`). Installs no logging.
    ///
    /// # Errors
    /// As [`EngineBuilder::run`].
    pub async fn run_in_system(self) -> Result<RunSummary, RunError> {
        if self.config.is_production() && !self.allow_production {
            return Err(RunError::ProductionNotAllowed);
        }
        run::run_engine(&self.config, self.options).await
    }
}
