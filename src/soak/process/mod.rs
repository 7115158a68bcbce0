//! `tradewind soak --process-faults`: the simulator runs in the soak's process and outlives
//! the engine, which runs as a child process (`tradewind run` of the same executable, one
//! journal file across restarts). At random (seeded) intervals the soak either SIGKILLs the
//! child and starts it again — the engine must recover from its journal and reconciliation
//! with no duplicate order and nothing unknown — or asks the live engine to make one actor
//! panic (`POST /_fault/panic/{actor}`, served only by a `fault-injection` build) and waits
//! for `/metrics` to show the restart. After every fault `/healthz` must answer 200 again.
//! At the end the trading child is stopped (SIGTERM, exit 0 expected), a last one with the
//! strategy off is started so its reconciliation settles what the kills left open, then
//! stopped, and the journal is held against the simulator's records.
//!
//! # Layout
//! - [`setup`]: the child's account, key file and config.
//! - [`child`]: starting, killing and stopping the child; its log.
//! - [`probe`]: `/healthz`, `/metrics` restarts and `/_fault/panic` over loopback HTTP.
//! - [`checks`]: the invariants, from the simulator and the journal.
//! - [`report`]: the summary and whether the soak passed.

mod checks;
mod child;
mod probe;
mod report;
mod setup;

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use chrono::Utc;
use kalshi_sim::{SimConfig, SimHandle, SimServer};
use tradewind_actors::fault_injection;

use self::{checks::Truth, child::EngineChild, report::Report, setup::Files};
use super::{faults::Rng, windows::windows};

/// What `--process-faults` needs that a normal build lacks.
pub const NEEDS_FEATURE: &str = "--process-faults needs a binary built with the \
    `fault-injection` feature (it makes actors panic on purpose): \
    cargo build --release --features fault-injection";

/// How long `/healthz` may take to answer 200 again after a fault.
const HEALTHY_WAIT: Duration = Duration::from_secs(90);
/// How long a panic may take to show as a restart on `/metrics`.
const RESTART_WAIT: Duration = Duration::from_secs(30);
/// How often the running invariants are checked.
const CHECK_EVERY: Duration = Duration::from_secs(10);
/// How often a progress line is printed.
const PROGRESS_EVERY: Duration = Duration::from_secs(30);

/// Options of a process soak.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long to inject faults, minutes.
    pub minutes: f64,
    /// Seed of the fault schedule and the simulator.
    pub seed: u64,
    /// Mean time between process faults, ms (each gap is drawn from half to one and a half
    /// of it).
    pub fault_every_ms: u64,
}

/// Runs the process soak; answers whether it passed.
///
/// # Errors
/// The build lacks `fault-injection`, or the simulator, the files or a child could not be
/// started.
pub fn run(opts: &Options) -> Result<bool, String> {
    if !fault_injection::ENABLED {
        return Err(NEEDS_FEATURE.to_owned());
    }
    let sim = SimServer::start(SimConfig {
        seed: opts.seed,
        ..SimConfig::default()
    })
    .map_err(|e| format!("cannot start the simulator: {e}"))?;
    let dir = std::env::temp_dir().join(format!("tradewind-process-soak-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let windows = windows(Utc::now(), opts.minutes);
    let files = setup::prepare(&sim, &dir, &windows)?;
    let exe = std::env::current_exe().map_err(|e| format!("own executable: {e}"))?;
    let mut soak = Soak {
        sim: &sim,
        files: &files,
        windows: &windows,
        exe,
        rng: Rng::new(opts.seed),
        child: None,
        report: Report {
            seed: opts.seed,
            windows: windows.len(),
            ..Report::default()
        },
    };
    let driven = soak.drive(opts);
    let mut report = soak.report;
    report.orders = sim.control().orders(&files.account).len();
    report.fills = sim.control().fills(&files.account).len();
    sim.stop();
    driven.map_err(|e| format!("{e} (engine log: {})", files.log.display()))?;
    report.print();
    let passed = report.passed();
    if passed {
        if let Err(e) = std::fs::remove_dir_all(&dir) {
            eprintln!("soak: cannot remove {}: {e}", dir.display());
        }
    } else {
        println!("kept for inspection: {}", dir.display());
    }
    Ok(passed)
}

/// A process soak under way.
struct Soak<'a> {
    sim: &'a SimHandle,
    files: &'a Files,
    windows: &'a [(chrono::DateTime<Utc>, chrono::DateTime<Utc>)],
    exe: PathBuf,
    rng: Rng,
    child: Option<EngineChild>,
    report: Report,
}

impl Soak<'_> {
    /// Starts the engine, injects faults for the soak's length, then ends it.
    fn drive(&mut self, opts: &Options) -> Result<(), String> {
        self.start_child(&self.files.config.clone())?;
        if self.healthy_within(HEALTHY_WAIT).is_none() {
            self.report
                .violations
                .healthz_not_recovered
                .push("at start".into());
        }
        let started = Instant::now();
        let run_for = Duration::from_secs_f64(opts.minutes * 60.0);
        let mut ticks = Ticks::new();
        while started.elapsed() < run_for {
            let gap = opts.fault_every_ms / 2 + self.rng.below(opts.fault_every_ms.max(1));
            self.idle(Duration::from_millis(gap), &mut ticks, started)?;
            if started.elapsed() >= run_for {
                break;
            }
            if self.rng.below(2) == 0 {
                self.kill_fault()?;
            } else {
                self.panic_fault();
            }
        }
        self.report.elapsed = started.elapsed();
        self.end()
    }

    /// Starts a child on `config`.
    fn start_child(&mut self, config: &Path) -> Result<(), String> {
        self.child = Some(child::start(&self.exe, config, &self.files.log)?);
        self.report.starts += 1;
        Ok(())
    }

    /// How long `/healthz` took to answer 200, polled until `wait`; `None` when it did not
    /// or the child exited meanwhile.
    fn healthy_within(&mut self, wait: Duration) -> Option<Duration> {
        let since = Instant::now();
        loop {
            let child = self.child.as_mut()?;
            if probe::healthy(child.addr) {
                return Some(since.elapsed());
            }
            if !matches!(child.exited(), Ok(None)) || since.elapsed() > wait {
                return None;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits `d`, watching the child and checking the invariants on the way.
    fn idle(&mut self, d: Duration, ticks: &mut Ticks, started: Instant) -> Result<(), String> {
        let until = Instant::now() + d;
        while Instant::now() < until {
            std::thread::sleep(Duration::from_millis(200).min(until - Instant::now()));
            self.watch()?;
            if ticks.check.elapsed() > CHECK_EVERY {
                ticks.check = Instant::now();
                checks::running(
                    &truth(self.sim, self.files, self.windows),
                    &mut self.report.violations,
                );
            }
            if ticks.progress.elapsed() > PROGRESS_EVERY {
                ticks.progress = Instant::now();
                self.progress(started);
            }
        }
        Ok(())
    }

    /// A child that exited on its own is a violation; it is started again.
    fn watch(&mut self) -> Result<(), String> {
        let Some(child) = self.child.as_mut() else {
            return Ok(());
        };
        if let Some(status) = child.exited()? {
            eprintln!("soak: the engine exited on its own: {status}");
            self.report.violations.own_exits.push(status.to_string());
            self.child = None;
            self.start_child(&self.files.config.clone())?;
            if self.healthy_within(HEALTHY_WAIT).is_none() {
                let what = "after an exit of its own".to_owned();
                self.report.violations.healthz_not_recovered.push(what);
            }
        }
        Ok(())
    }

    /// SIGKILL, a new child on the same journal, and `/healthz` back.
    fn kill_fault(&mut self) -> Result<(), String> {
        let Some(child) = self.child.take() else {
            return Ok(());
        };
        let since = Instant::now();
        child.kill()?;
        self.report.kills += 1;
        self.start_child(&self.files.config.clone())?;
        match self.healthy_within(HEALTHY_WAIT) {
            Some(_) => self.report.after_kill.add(since.elapsed()),
            None => {
                let what = format!("after kill {}", self.report.kills);
                self.report.violations.healthz_not_recovered.push(what);
            }
        }
        Ok(())
    }

    /// A panic in a random actor, its restart seen on `/metrics`, and `/healthz` back.
    fn panic_fault(&mut self) {
        let actor = fault_injection::ACTORS[self.rng.below(6) as usize];
        let Some(addr) = self.child.as_ref().map(|c| c.addr) else {
            return;
        };
        let before = match probe::restarts(addr) {
            Ok(r) => r.get(actor).copied().unwrap_or(0),
            Err(e) => {
                eprintln!("soak: /metrics before a panic: {e}");
                return;
            }
        };
        let since = Instant::now();
        if let Err(e) = probe::inject_panic(addr, actor) {
            eprintln!("soak: panic in the {actor} not injected: {e}");
            self.report
                .violations
                .panics_not_restarted
                .push(format!("{actor}: {e}"));
            return;
        }
        *self.report.panics.entry(actor).or_default() += 1;
        if restarted(addr, actor, before) {
            self.report.restarts_seen += 1;
        } else {
            let n = self.report.panics_total();
            self.report
                .violations
                .panics_not_restarted
                .push(format!("panic {n} ({actor})"));
        }
        match self.healthy_within(HEALTHY_WAIT) {
            Some(_) => self.report.after_panic.add(since.elapsed()),
            None => {
                let what = format!("after a panic in the {actor}");
                self.report.violations.healthz_not_recovered.push(what);
            }
        }
    }

    /// Stops the trading child, then lets a child with the strategy off reconcile and stops
    /// it too; the final checks read the journal it leaves.
    fn end(&mut self) -> Result<(), String> {
        self.stop_child("the trading engine")?;
        self.start_child(&self.files.final_config.clone())?;
        if self.healthy_within(HEALTHY_WAIT).is_none() {
            let what = "the final reconciling engine".to_owned();
            self.report.violations.healthz_not_recovered.push(what);
        }
        self.stop_child("the final reconciling engine")?;
        checks::finally(
            &truth(self.sim, self.files, self.windows),
            &mut self.report.violations,
        );
        Ok(())
    }

    /// SIGTERM; anything but exit 0 is a violation.
    fn stop_child(&mut self, what: &str) -> Result<(), String> {
        let Some(child) = self.child.take() else {
            return Ok(());
        };
        let status = child.terminate()?;
        if !status.success() {
            eprintln!("soak: {what} stopped with {status}");
            let v = &mut self.report.violations;
            v.own_exits.push(format!("{what} on SIGTERM: {status}"));
        }
        Ok(())
    }

    fn progress(&self, started: Instant) {
        let truth = self.sim.control();
        println!(
            "{:>5.0} s: kills {}, panics {} (restarts seen {}), orders {}, fills {}, violations {}",
            started.elapsed().as_secs_f64(),
            self.report.kills,
            self.report.panics_total(),
            self.report.restarts_seen,
            truth.orders(&self.files.account).len(),
            truth.fills(&self.files.account).len(),
            self.report.violations.total()
        );
    }
}

/// What the checks read.
fn truth<'b>(
    sim: &'b SimHandle,
    files: &'b Files,
    windows: &'b [(chrono::DateTime<Utc>, chrono::DateTime<Utc>)],
) -> Truth<'b> {
    Truth {
        sim,
        account: &files.account,
        journal: &files.journal,
        windows,
    }
}

/// When the running checks and the progress line last ran.
struct Ticks {
    check: Instant,
    progress: Instant,
}

impl Ticks {
    fn new() -> Ticks {
        Ticks {
            check: Instant::now(),
            progress: Instant::now(),
        }
    }
}

/// Whether `/metrics` shows more than `before` restarts of `actor` within [`RESTART_WAIT`].
fn restarted(addr: std::net::SocketAddr, actor: &str, before: u64) -> bool {
    let since = Instant::now();
    let mut failures = 0u32;
    while since.elapsed() < RESTART_WAIT {
        match probe::restarts(addr) {
            Ok(r) if r.get(actor).copied().unwrap_or(0) > before => return true,
            Ok(_) => {}
            Err(e) => {
                failures += 1;
                // The first failure and every 50th: the endpoint may be down a while.
                if failures % 50 == 1 {
                    eprintln!("soak: /metrics while waiting for a restart ({failures}): {e}");
                }
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}
