//! A whole backtest: a recording directory read in order (damage skipped with a warning, as
//! [`crate::record::Reader`] does), the records before the window warming the books up, the
//! window replayed ([`Replay`]), and the answers still in flight at its end let in.

use std::path::Path;

use tradewind_actors::strategy::Strategy;

use super::{
    forecasts,
    replay::{Replay, Tally},
    report::LedgerEvent,
};
use crate::{
    config::EngineFile,
    record::{Damage, Reader},
};

/// The part of the recording replayed: receive times, Unix ns (inclusive; `None`: open).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    /// Start: records before it only warm the books up.
    pub from_ns: Option<u64>,
    /// End: records after it are not read.
    pub to_ns: Option<u64>,
}

/// What a replay produced.
#[derive(Debug)]
pub struct Replayed {
    /// Fills, settlements and marks, in time order.
    pub outcomes: Vec<LedgerEvent>,
    /// The recording run's own fills (a trading run recorded with `--record`), settlements
    /// and marks.
    pub recorded: Vec<LedgerEvent>,
    /// The counts.
    pub tally: Tally,
    /// Receive time of the first record replayed, Unix ns.
    pub first_ns: u64,
    /// Receive time of the last record replayed, Unix ns.
    pub last_ns: u64,
    /// Where the recording was damaged (the rest of those files was skipped).
    pub damage: Vec<Damage>,
}

/// Replays `data` through `strategy` under `cfg`, with forecasts from `forecasts_file` when
/// given (else the recording's).
///
/// # Errors
/// The directory cannot be listed, holds no record in the window, the forecasts file does not
/// read, or the blackout schedule is invalid.
pub fn replay(
    cfg: &EngineFile,
    data: &Path,
    window: Window,
    forecasts_file: Option<&Path>,
    strategy: Box<dyn Strategy>,
) -> Result<Replayed, String> {
    let file_forecasts = forecasts_file.map(forecasts::read).transpose()?;
    let mut replay = Replay::new(cfg, strategy, file_forecasts)?;
    let mut reader =
        Reader::open(data).map_err(|e| format!("recording {}: {e}", data.display()))?;
    let (mut first, mut last) = (None, 0);
    while let Some(r) = reader.next_ref() {
        if window.to_ns.is_some_and(|to| r.recv_ns > to) {
            break;
        }
        let warming = window.from_ns.is_some_and(|from| r.recv_ns < from);
        if !warming {
            first.get_or_insert(r.recv_ns);
            last = last.max(r.recv_ns);
        }
        replay.record(r.recv_ns, r.event, warming);
    }
    let Some(first_ns) = first else {
        return Err(format!(
            "recording {}: no record in the window replayed",
            data.display()
        ));
    };
    let bt = &cfg.backtest;
    let in_flight = (2 * bt.order_latency_ms + bt.feed_latency_ms) * 1_000_000 + 1;
    let done = replay.finish(last + in_flight);
    Ok(Replayed {
        outcomes: done.outcomes,
        recorded: done.recorded,
        tally: done.tally,
        first_ns,
        last_ns: last,
        damage: reader.damage().to_vec(),
    })
}
