//! The faults the soak injects, one picked at random (seeded) at a time, as simulator fault
//! switches. Pure: what to switch on, and what to switch off again after a while.

use kalshi_sim::server::faults::{DropMode, FaultPatch};

/// A fault kind, named in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Close frame on every WebSocket.
    WsClose,
    /// TCP reset on every WebSocket.
    WsCut,
    /// Sockets silent (no data, no pings) for a few seconds.
    WsStall,
    /// A skipped `seq`.
    SeqGap,
    /// A delta sent twice.
    SeqDuplicate,
    /// Two deltas swapped.
    SeqReorder,
    /// A burst of 429s.
    Rest429,
    /// A burst of 503s.
    Rest5xx,
    /// Order creates accepted, then the connection reset before the response.
    ResetAfterAccept,
    /// Slow REST for a few seconds.
    Latency,
    /// A market paused for a few seconds.
    PauseMarket,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 11] = [
        Kind::WsClose,
        Kind::WsCut,
        Kind::WsStall,
        Kind::SeqGap,
        Kind::SeqDuplicate,
        Kind::SeqReorder,
        Kind::Rest429,
        Kind::Rest5xx,
        Kind::ResetAfterAccept,
        Kind::Latency,
        Kind::PauseMarket,
    ];

    /// The report's name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::WsClose => "ws close frame",
            Kind::WsCut => "ws tcp cut",
            Kind::WsStall => "ws stall",
            Kind::SeqGap => "seq gap",
            Kind::SeqDuplicate => "duplicate delta",
            Kind::SeqReorder => "reordered deltas",
            Kind::Rest429 => "429 burst",
            Kind::Rest5xx => "5xx burst",
            Kind::ResetAfterAccept => "response lost after accept",
            Kind::Latency => "slow REST",
            Kind::PauseMarket => "market paused",
        }
    }

    /// The switch that starts it (`market` for a pause) and, for faults that last, the
    /// switch that ends it.
    pub fn patches(self, market: &str) -> (FaultPatch, Option<FaultPatch>) {
        (self.start(market), self.end(market))
    }

    /// The switch that starts it.
    fn start(self, market: &str) -> FaultPatch {
        match self {
            Kind::WsClose => FaultPatch {
                ws_drop_now: Some(DropMode::Close),
                ..FaultPatch::default()
            },
            Kind::WsCut => FaultPatch {
                ws_drop_now: Some(DropMode::Cut),
                ..FaultPatch::default()
            },
            Kind::WsStall => FaultPatch {
                ws_stall: Some(true),
                ..FaultPatch::default()
            },
            Kind::SeqGap => FaultPatch {
                ws_skip_seq_next: Some(1),
                ..FaultPatch::default()
            },
            Kind::SeqDuplicate => FaultPatch {
                ws_duplicate_next: Some(1),
                ..FaultPatch::default()
            },
            Kind::SeqReorder => FaultPatch {
                ws_reorder_next: Some(1),
                ..FaultPatch::default()
            },
            Kind::Rest429 => FaultPatch {
                rest_429_next: Some(3),
                ..FaultPatch::default()
            },
            Kind::Rest5xx => FaultPatch {
                rest_5xx_next: Some(3),
                ..FaultPatch::default()
            },
            Kind::ResetAfterAccept => FaultPatch {
                reset_after_accept_next: Some(1),
                ..FaultPatch::default()
            },
            Kind::Latency => FaultPatch {
                latency_ms: Some(300),
                ..FaultPatch::default()
            },
            Kind::PauseMarket => FaultPatch {
                pause_market: Some(market.to_owned()),
                ..FaultPatch::default()
            },
        }
    }

    /// The switch that ends it, for faults that last; the others end by themselves.
    fn end(self, market: &str) -> Option<FaultPatch> {
        match self {
            Kind::WsStall => Some(FaultPatch {
                ws_stall: Some(false),
                ..FaultPatch::default()
            }),
            Kind::Latency => Some(FaultPatch {
                latency_ms: Some(0),
                ..FaultPatch::default()
            }),
            Kind::PauseMarket => Some(FaultPatch {
                unpause_market: Some(market.to_owned()),
                ..FaultPatch::default()
            }),
            Kind::WsClose
            | Kind::WsCut
            | Kind::SeqGap
            | Kind::SeqDuplicate
            | Kind::SeqReorder
            | Kind::Rest429
            | Kind::Rest5xx
            | Kind::ResetAfterAccept => None,
        }
    }
}

/// A tiny deterministic generator (xorshift64*), so a soak replays by seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeded (0 is replaced: xorshift needs a non-zero state).
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform below `n` (> 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lasting_fault_has_an_end_and_the_seed_replays() {
        for k in Kind::ALL {
            let (on, off) = k.patches("M");
            assert!(!on.clear);
            let lasting = matches!(k, Kind::WsStall | Kind::Latency | Kind::PauseMarket);
            assert_eq!(off.is_some(), lasting, "{k:?}");
        }
        let (mut a, mut b) = (Rng::new(42), Rng::new(42));
        assert!((0..100).all(|_| a.below(11) == b.below(11)));
    }
}
