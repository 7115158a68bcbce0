//! What one tick-to-order pass reports: the engine's latencies (simulator's clock), its order
//! path stage by stage (the gateway's stage histograms, engine's clock), the floor's latencies
//! measured the same way in the same process on the same simulator, and the ratio of the two
//! p99s. Pure: built from the simulator's order log and the gateway's metrics.

use kalshi_sim::SimHandle;
use serde::{Serialize, Serializer};
use tradewind_actors::stamps::OrderPath;

use super::tick_makers::Load;

/// One pass's result, as printed and written to `ticktoorder.json`.
#[derive(Debug, Serialize)]
pub struct Outcome {
    pub events: usize,
    pub missed: usize,
    pub p50_us: f64,
    pub p90_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
    pub elapsed_s: f64,
    pub journal_synchronous: String,
    /// `ed25519` or `rsa-2048`, for the engine and the floor alike.
    pub key: String,
    /// Least time between two edges' asks, ms (the same for the engine and the floor).
    pub edge_interval_ms: f64,
    /// Orders the engine sent in its pass (one per edge, warm-up included, when it sends
    /// nothing extra).
    pub engine_orders: usize,
    /// The engine's order path, stage by stage (warm-up edge included).
    pub stages: OrderPath,
    /// The floor's edges timed, missed, p50 and p99, µs.
    pub floor_events: usize,
    pub floor_missed: usize,
    pub floor_p50_us: f64,
    pub floor_p99_us: f64,
    /// The engine's p99 over the floor's.
    pub p99_ratio_to_floor: f64,
    /// The other markets' makers: `quiet` or `busy`.
    pub makers: String,
    /// What the engine's feed received during the timed edges.
    pub load: Load,
}

/// One `synchronous` setting's passes: the quiet one's fields at the top level (as before
/// there was a busy pass), and both under `runs`.
#[derive(Debug)]
pub struct Report {
    pub quiet: Outcome,
    pub busy: Option<Outcome>,
}

impl Report {
    pub fn new(quiet: Outcome, busy: Option<Outcome>) -> Report {
        Report { quiet, busy }
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Runs<'a> {
            quiet: &'a Outcome,
            busy: Option<&'a Outcome>,
        }
        #[derive(Serialize)]
        struct Flat<'a> {
            #[serde(flatten)]
            top: &'a Outcome,
            runs: Runs<'a>,
        }
        Flat {
            top: &self.quiet,
            runs: Runs {
                quiet: &self.quiet,
                busy: self.busy.as_ref(),
            },
        }
        .serialize(s)
    }
}

/// Prints the quiet and busy passes of each `synchronous` setting side by side.
pub fn print_side_by_side(reports: &[Report]) {
    println!("tick-to-order, quiet vs busy makers (p50 / p99 µs; floor p99 µs; ratio):");
    for r in reports {
        let line = |o: &Outcome| {
            format!(
                "{:>5.0} / {:>5.0}  floor {:>5.0}  {:.2}×",
                o.p50_us, o.p99_us, o.floor_p99_us, o.p99_ratio_to_floor
            )
        };
        let busy = r.busy.as_ref().map_or("no busy run".to_owned(), |b| {
            format!(
                "{}  ({:.0} deltas/s on other markets, {} books)",
                line(b),
                b.load.other_deltas_per_s,
                b.load.books
            )
        });
        println!(
            "  {:<7} {:<9} quiet {}  |  busy {busy}",
            r.quiet.journal_synchronous,
            r.quiet.key,
            line(&r.quiet)
        );
    }
}

/// Latencies of one client, µs percentiles.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    pub events: usize,
    pub p50_us: f64,
    pub p90_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
}

impl Summary {
    /// Of sorted latencies, ns.
    pub fn of(sorted: &[u128]) -> Summary {
        Summary {
            events: sorted.len(),
            p50_us: pct(sorted, 0.50),
            p90_us: pct(sorted, 0.90),
            p99_us: pct(sorted, 0.99),
            max_us: sorted.last().map_or(0.0, |m| *m as f64 / 1_000.0),
        }
    }
}

fn pct(sorted: &[u128], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i] as f64 / 1_000.0
}

/// Each order of `account_id`'s latency (ns) from the maker order just before it, on the
/// simulator's clock, its first (warm-up) edge left out; sorted. The log is put in arrival
/// order first: the simulator appends an order once it is placed, after its fill went out, so
/// the maker's next order (posted on that fill) can be appended before the order that took
/// the previous one.
pub fn latencies(sim: &SimHandle, maker_id: &str, account_id: &str) -> Vec<u128> {
    let mut log = sim.control().order_log(None);
    log.sort_by_key(|a| a.arrival_ns);
    let mut latencies: Vec<u128> = Vec::new();
    let mut last_maker: Option<u128> = None;
    let mut first = true;
    for a in &log {
        if a.account_id == maker_id {
            last_maker = Some(a.arrival_ns);
        } else if a.account_id == account_id
            && let Some(m) = last_maker.take()
        {
            if first {
                first = false; // the warm-up edge
                continue;
            }
            latencies.push(a.arrival_ns.saturating_sub(m));
        }
    }
    latencies.sort_unstable();
    latencies
}

/// Orders of `account_id` in the simulator's log.
pub fn orders_of(sim: &SimHandle, account_id: &str) -> usize {
    sim.control().order_log(Some(account_id)).len()
}

/// The engine's p99 as a multiple of the floor's (0 when the floor has none).
pub fn ratio(engine_p99_us: f64, floor_p99_us: f64) -> f64 {
    if floor_p99_us > 0.0 {
        engine_p99_us / floor_p99_us
    } else {
        0.0
    }
}

impl Outcome {
    /// Prints the outcome: the engine's line, its stages, the floor and the ratio.
    pub fn print(&self) {
        println!(
            "tick-to-order (journal synchronous = {}, key {}, an edge every ≥ {} ms, makers {}): simulator writes the edge's delta → simulator receives the order",
            self.journal_synchronous, self.key, self.edge_interval_ms, self.makers
        );
        println!(
            "  engine's feed: {} books, {:.0} deltas/s ({:.0}/s on other markets; maker actions asked {:.0}/s)",
            self.load.books,
            self.load.deltas_per_s,
            self.load.other_deltas_per_s,
            self.load.maker_actions_per_s
        );
        println!(
            "  events {}  missed {}  p50 {:.0} µs  p90 {:.0} µs  p99 {:.0} µs  max {:.0} µs  ({:.1} s)",
            self.events,
            self.missed,
            self.p50_us,
            self.p90_us,
            self.p99_us,
            self.max_us,
            self.elapsed_s
        );
        println!("  orders sent by the engine {}", self.engine_orders);
        println!("  stages (engine clock; ends with the answer read, after the order arrived):");
        for (name, p) in self.stages.rows() {
            println!(
                "    {name:<22} n {:>5}  p50 {:>8.0} µs  p99 {:>8.0} µs  p99.9 {:>8.0} µs",
                p.count,
                p.p50_ms * 1000.0,
                p.p99_ms * 1000.0,
                p.p999_ms * 1000.0
            );
        }
        println!(
            "  floor (bare awc reader → sign → POST): events {}  missed {}  p50 {:.0} µs  p99 {:.0} µs",
            self.floor_events, self.floor_missed, self.floor_p50_us, self.floor_p99_us
        );
        println!(
            "  Tradewind p99 / floor p99 = {:.2}×",
            self.p99_ratio_to_floor
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_and_ratio_of_known_latencies() {
        let ns: Vec<u128> = (1..=100).map(|i| i * 1_000).collect();
        let s = Summary::of(&ns);
        assert_eq!(s.events, 100);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(s.p50_us, 50.0), "{s:?}");
        assert!(close(s.p99_us, 99.0), "{s:?}");
        assert!(close(s.max_us, 100.0), "{s:?}");
        assert!(close(ratio(300.0, 100.0), 3.0));
        assert!(close(ratio(300.0, 0.0), 0.0));
    }
}
