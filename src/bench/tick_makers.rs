//! The simulator's makers during a tick-to-order pass: quiet (none), or busy — re-quoting
//! and taking on every other market of the catalogue at a fixed rate of actions, leaving
//! the bench's market alone — and how many deltas the engine's feed received meanwhile.

use kalshi::Ticker;
use kalshi_sim::SimConfig;
use serde::Serialize;

/// The world's tick while the makers are busy, ms: their actions come in smaller bursts
/// than the default 50 ms tick gives.
const BUSY_TICK_MS: u64 = 10;

/// What the other markets' makers do during a pass.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Makers {
    /// No maker acts: the only deltas are the bench's own.
    Quiet,
    /// The makers act this many times a second on every market but the bench's (each
    /// re-quote moves ~4 levels, so a few deltas per action).
    Busy(f64),
}

impl Makers {
    /// `quiet` or `busy`.
    pub fn name(self) -> &'static str {
        match self {
            Makers::Quiet => "quiet",
            Makers::Busy(_) => "busy",
        }
    }

    /// The simulator's config for a pass on `ticker`.
    pub fn sim_config(self, ticker: &Ticker) -> SimConfig {
        let mut cfg = SimConfig::default();
        match self {
            Makers::Quiet => cfg.liquidity.actions_per_second = 0.0,
            Makers::Busy(rate) => {
                cfg.liquidity.actions_per_second = rate;
                cfg.liquidity.skip = vec![ticker.to_string()];
                cfg.world_tick_ms = BUSY_TICK_MS;
            }
        }
        cfg
    }

    /// The series the engine watches: the bench's own when quiet, every city's when busy
    /// (so the engine's feed carries the other markets' deltas).
    pub fn series(self) -> Vec<String> {
        match self {
            Makers::Quiet => vec!["KXHIGHNY".into()],
            Makers::Busy(_) => kalshi_sim::catalogue::CatalogueConfig::default()
                .cities
                .into_iter()
                .map(|c| c.series)
                .collect(),
        }
    }
}

/// What the engine's feed received during the timed edges.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Load {
    /// Maker actions a second asked of the simulator (0 when quiet).
    pub maker_actions_per_s: f64,
    /// Books the engine watched.
    pub books: usize,
    /// `orderbook_delta` frames a second the engine's feed received, all markets.
    pub deltas_per_s: f64,
    /// The same less the bench market's own (two deltas per edge: the ask posted, then
    /// taken): the other markets' rate.
    pub other_deltas_per_s: f64,
}

impl Load {
    /// From the feed's delta count over `secs` while `edges` edges were taken.
    pub fn of(makers: Makers, books: usize, deltas: u64, edges: usize, secs: f64) -> Load {
        let per_s = |n: f64| if secs > 0.0 { n / secs } else { 0.0 };
        let own = 2.0 * edges as f64;
        Load {
            maker_actions_per_s: match makers {
                Makers::Quiet => 0.0,
                Makers::Busy(rate) => rate,
            },
            books,
            deltas_per_s: per_s(deltas as f64),
            other_deltas_per_s: per_s((deltas as f64 - own).max(0.0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_other_markets_rate_leaves_out_two_deltas_per_edge() {
        let l = Load::of(Makers::Busy(1_000.0), 108, 50_000, 2_000, 10.0);
        assert!((l.deltas_per_s - 5_000.0).abs() < 1e-9, "{l:?}");
        assert!((l.other_deltas_per_s - 4_600.0).abs() < 1e-9, "{l:?}");
        assert!(
            Load::of(Makers::Quiet, 1, 10, 100, 1.0)
                .other_deltas_per_s
                .abs()
                < 1e-9
        );
    }
}
