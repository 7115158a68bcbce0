//! The process soak's summary: the process faults injected and confirmed, how long the
//! engine took to be healthy again, what it traded, and the invariant violations, printed
//! from a [`Report`], which also says whether the soak passed.

use std::{collections::BTreeMap, time::Duration};

use super::checks::Violations;

/// How long `/healthz` took to answer 200 again after faults of one kind.
#[derive(Debug, Default, Clone)]
pub struct Recovery {
    /// Recoveries measured.
    pub count: u32,
    /// Their sum.
    pub total: Duration,
    /// The longest.
    pub max: Duration,
}

impl Recovery {
    /// Adds one recovery.
    pub fn add(&mut self, took: Duration) {
        self.count += 1;
        self.total += took;
        self.max = self.max.max(took);
    }

    fn show(&self) -> String {
        if self.count == 0 {
            return "-".to_owned();
        }
        let mean = self.total.as_secs_f64() / f64::from(self.count);
        format!("mean {mean:.1} s, max {:.1} s", self.max.as_secs_f64())
    }
}

/// What a process soak did and found.
#[derive(Debug, Default)]
pub struct Report {
    /// The seed it ran with.
    pub seed: u64,
    /// How long faults were injected for.
    pub elapsed: Duration,
    /// SIGKILLs of the engine (each followed by a restart).
    pub kills: u64,
    /// Panics injected, by actor.
    pub panics: BTreeMap<&'static str, u64>,
    /// Injected panics `/metrics` showed as restarts.
    pub restarts_seen: u64,
    /// Times the engine process was started.
    pub starts: u64,
    /// `/healthz` back after a kill (restart included).
    pub after_kill: Recovery,
    /// `/healthz` back after a panic.
    pub after_panic: Recovery,
    /// Orders the simulator holds for the engine's account.
    pub orders: usize,
    /// Fills the simulator holds for the engine's account.
    pub fills: usize,
    /// Blackout windows scheduled.
    pub windows: usize,
    /// Invariant violations found.
    pub violations: Violations,
}

impl Report {
    /// Panics injected in all.
    pub fn panics_total(&self) -> u64 {
        self.panics.values().sum()
    }

    /// Whether the soak passed: both kinds of fault were injected and nothing was violated.
    pub fn passed(&self) -> bool {
        self.violations.total() == 0 && self.kills > 0 && self.panics_total() > 0
    }

    /// Prints the report to stdout.
    pub fn print(&self) {
        let minutes = self.elapsed.as_secs_f64() / 60.0;
        println!("\n== process soak: {minutes:.1} min, seed {} ==", self.seed);
        println!("process faults:");
        println!("  {:<30} {}", "engine killed (SIGKILL)", self.kills);
        println!("  {:<30} {}", "actor panics injected", self.panics_total());
        let by_actor: Vec<String> = self
            .panics
            .iter()
            .map(|(a, n)| format!("{a} {n}"))
            .collect();
        println!("  {:<30} {}", "  by actor", by_actor.join(", "));
        println!(
            "  {:<30} {}",
            "restarts seen on /metrics", self.restarts_seen
        );
        println!("  {:<30} {}", "engine processes started", self.starts);
        println!(
            "  {:<30} {}",
            "/healthz back after a kill",
            self.after_kill.show()
        );
        println!(
            "  {:<30} {}",
            "/healthz back after a panic",
            self.after_panic.show()
        );
        println!("exchange (simulator's records):");
        println!("  {:<30} {}", "orders", self.orders);
        println!("  {:<30} {}", "fills", self.fills);
        println!("  {:<30} {}", "blackout windows", self.windows);
        println!("invariant violations:");
        for (name, n) in self.violations.rows() {
            println!("  {name:<30} {n}");
        }
        println!("  {:<30} {}", "total", self.violations.total());
        for d in self.violations.details(5) {
            println!("    {d}");
        }
    }
}
