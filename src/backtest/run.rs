//! A whole backtest: a recording directory read in order (damage skipped with a warning, as
//! [`crate::record::Reader`] does) or a history download made into records
//! ([`super::history`]), the records before the window warming the books up, the window
//! replayed ([`Replay`]), and the answers still in flight at its end let in.

use std::path::Path;

use tradewind_actors::strategy::Strategy;

use kalshi::Count;

use super::{
    forecasts,
    history::{self, timeline::Record},
    replay::{Replay, Tally},
    report::LedgerEvent,
};
use crate::{
    config::EngineFile,
    record::{Damage, EventRef, Reader},
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
    /// Where the recording was damaged (the rest of those files was skipped), or the history
    /// part files that did not read.
    pub damage: Vec<Damage>,
    /// What was replayed.
    pub input: Input,
}

/// What was replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A recording (`tradewind record`, `run --record`).
    Recording,
    /// A `tradewind history fetch` download.
    History(history::Summary),
}

/// Replays `data` (a recording, or a `tradewind history fetch` download: see
/// [`super::history`]) through `strategy` under `cfg`, with forecasts from `forecasts_file`
/// when given (else the recording's).
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
    let mut feeder = Feeder {
        replay: Replay::new(cfg, strategy, file_forecasts)?,
        window,
        first: None,
        last: 0,
    };
    let (input, damage) = if history::is_history(data) {
        replay_history(&mut feeder, data, cfg.backtest.history_depth)?
    } else {
        let mut reader =
            Reader::open(data).map_err(|e| format!("recording {}: {e}", data.display()))?;
        while let Some(r) = reader.next_ref() {
            let Some(warming) = feeder.admit(r.recv_ns) else {
                break;
            };
            feeder.replay.record(r.recv_ns, r.event, warming);
        }
        (Input::Recording, reader.damage().to_vec())
    };
    let Some(first_ns) = feeder.first else {
        return Err(format!(
            "{}: no record in the window replayed",
            data.display()
        ));
    };
    let last = feeder.last;
    let bt = &cfg.backtest;
    let in_flight = (2 * bt.order_latency_ms + bt.feed_latency_ms) * 1_000_000 + 1;
    let done = feeder.replay.finish(last + in_flight);
    Ok(Replayed {
        outcomes: done.outcomes,
        recorded: done.recorded,
        tally: done.tally,
        first_ns,
        last_ns: last,
        damage,
        input,
    })
}

/// Feeds the download in `data` into the replay, its quotes `depth` contracts deep; resting
/// orders fill only by its trades.
fn replay_history(
    feeder: &mut Feeder,
    data: &Path,
    depth: u32,
) -> Result<(Input, Vec<Damage>), String> {
    let loaded = history::load(data)?;
    feeder.replay.fill_by_trades_only();
    for (ns, record) in loaded.records(Count::from_whole(i64::from(depth))) {
        let Some(warming) = feeder.admit(ns) else {
            break;
        };
        let r = &mut feeder.replay;
        match record {
            Record::Market(json) => r.record(ns, EventRef::Market(&json), warming),
            Record::Frame(frame) => r.decoded(ns, &frame, warming),
            Record::Bad => r.record(ns, EventRef::Frame(""), warming),
        }
    }
    Ok((
        Input::History(loaded.summary()),
        loaded.history.damage.clone(),
    ))
}

/// Records into the replay, the window applied.
struct Feeder {
    replay: Replay,
    window: Window,
    first: Option<u64>,
    last: u64,
}

impl Feeder {
    /// A record at `ns`: `Some(warming)` to replay it (`true` before the window's start),
    /// `None` once past the window's end (nothing more is read).
    fn admit(&mut self, ns: u64) -> Option<bool> {
        if self.window.to_ns.is_some_and(|to| ns > to) {
            return None;
        }
        let warming = self.window.from_ns.is_some_and(|from| ns < from);
        if !warming {
            self.first.get_or_insert(ns);
            self.last = self.last.max(ns);
        }
        Some(warming)
    }
}
