//! The soak's final report: faults injected by kind, invariant violations and the throughput
//! held, printed from a [`Report`], which also says whether the soak passed.

use std::{collections::BTreeMap, time::Duration};

use kalshi_sim::readings::DuplicateRule;
use tradewind_actors::root::EngineMetrics;

use super::{checks::Violations, faults::Kind};

/// What a soak did and found.
pub struct Report {
    /// The seed it ran with.
    pub seed: u64,
    /// The exchange's rule for reused client order ids.
    pub duplicate_rule: DuplicateRule,
    /// How long faults were injected for.
    pub elapsed: Duration,
    /// Faults injected, by kind.
    pub injected: BTreeMap<Kind, u64>,
    /// Invariant violations found.
    pub violations: Violations,
    /// The engine's metrics once the faults were cleared.
    pub metrics: EngineMetrics,
    /// Orders the simulator holds for the engine's account.
    pub orders: usize,
    /// Fills the simulator holds for the engine's account.
    pub fills: usize,
    /// Blackout windows scheduled.
    pub windows: usize,
}

impl Report {
    /// Whether the soak passed: faults were injected and no invariant was violated.
    pub fn passed(&self) -> bool {
        self.violations.total() == 0 && self.injected.values().sum::<u64>() > 0
    }

    /// Prints the report to stdout.
    pub fn print(&self) {
        let minutes = self.elapsed.as_secs_f64() / 60.0;
        println!(
            "\n== soak: {minutes:.1} min, seed {}, client ids reusable {} ==",
            self.seed,
            match self.duplicate_rule {
                DuplicateRule::Ever => "never (ever)",
                DuplicateRule::OpenOnly => "once ended (open_only)",
            }
        );
        println!("faults injected by kind:");
        for k in Kind::ALL {
            println!(
                "  {:<28} {}",
                k.name(),
                self.injected.get(&k).copied().unwrap_or(0)
            );
        }
        let total: u64 = self.injected.values().sum();
        println!("  {:<28} {total}", "total");
        println!("invariant violations:");
        for (name, n) in self.violations.rows() {
            println!("  {name:<28} {n}");
        }
        self.print_throughput(minutes);
    }

    fn print_throughput(&self, minutes: f64) {
        let feed = self.metrics.feed.as_ref();
        println!("throughput held:");
        println!(
            "  {:<28} {:.1}",
            "orders/minute",
            self.orders as f64 / minutes
        );
        println!(
            "  {:<28} {:.1}",
            "fills/minute",
            self.fills as f64 / minutes
        );
        println!(
            "  {:<28} {:.1}",
            "feed messages/s",
            feed.map_or(0, |f| f.counters.messages.total()) as f64 / self.elapsed.as_secs_f64()
        );
        println!(
            "  {:<28} {}",
            "feed reconnects",
            feed.map_or(0, |f| f.counters.reconnects)
        );
        println!(
            "  {:<28} {}",
            "books resynced",
            feed.map_or(0, |f| f.counters.resyncs)
        );
        println!("  {:<28} {}", "blackout windows", self.windows);
    }
}
