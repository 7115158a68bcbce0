//! [`Replay`]: one backtest run on a virtual clock. Recorded records are taken in receive
//! order; between them, what the agenda holds comes due (orders reaching the venue, answers
//! coming back, the strategy's timer, blackout edges). Everything is single-threaded and
//! keyed by virtual nanoseconds, so the same recording, config and seed give the same run.
//!
//! The engine's parts, used as the live engine uses them: the feed's books
//! ([`tradewind_actors::feed::books::Books`]) fed by Kalshi's decoder; the strategy
//! ([`Strategy`]) called with the same [`MarketView`](tradewind_actors::strategy::MarketView)s and callbacks; the order manager's
//! admission checks, ledger and positions ([`Desk`]); the blackout schedule and gate. What
//! differs is the glue: no actors, no network, and the venue is the simulator's core.
//!
//! # Layout
//! - `feed`: a recorded frame — decoded, books kept, the strategy asked about fresh books.
//! - `market_events`: markets, lifecycle, public trades, the recording run's own fills.
//! - `ask`: the strategy asked (books, timer, forecasts, blackouts).
//! - `intents`: the strategy's intents through the desk onto the agenda.
//! - `venue_ops`: orders reaching the venue and the answers coming back.

mod ask;
mod feed;
mod intents;
mod market_events;
mod venue_ops;

use std::{collections::HashMap, hash::BuildHasherDefault, sync::Arc};

use chrono::{DateTime, Utc};
use kalshi::{Count, Price, Ticker, num::PriceRanges, rest::Market};
use tradewind_actors::{
    blackout::Schedule,
    feed::books::{Books, TickerHasher},
    orders::positions::FillRecord,
    strategy::{Strategy, StrategyConfig, forecast::Forecast},
};

use super::{
    agenda::Agenda,
    desk::Desk,
    report::{Fill, LedgerEvent},
    venue::{Reports, Venue},
};
use crate::config::{EngineFile, backtest::BacktestConfig};

/// A fill as the report takes it, at `ns`.
fn ledger_fill(ns: u64, f: &FillRecord) -> LedgerEvent {
    LedgerEvent::Fill(Fill {
        ns,
        ticker: f.ticker.clone(),
        side: f.side,
        price: f.yes_price,
        count: f.count,
        fee: f.fee,
        maker: !f.is_taker,
    })
}

/// What a replay produced.
#[derive(Debug)]
pub struct Finished {
    /// The strategy's fills, settlements and marks.
    pub outcomes: Vec<LedgerEvent>,
    /// The recording run's own.
    pub recorded: Vec<LedgerEvent>,
    /// The counts.
    pub tally: Tally,
}

/// Counts of a replay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Recorded records read.
    pub records: u64,
    /// Frames decoded.
    pub frames: u64,
    /// Frames that did not decode (counted, skipped).
    pub bad_frames: u64,
    /// Book updates the strategy was asked about.
    pub books_evaluated: u64,
    /// Public trades replayed against the strategy's resting orders.
    pub trades_replayed: u64,
    /// Intents the strategy returned.
    pub intents: u64,
    /// Intents the desk refused.
    pub refused: u64,
    /// Orders the venue rejected.
    pub rejected: u64,
    /// Fills of the strategy's orders.
    pub fills: u64,
    /// Forecasts taken.
    pub forecasts: u64,
    /// Sequence gaps found in the recording (their books waited for the next snapshot).
    pub gaps: u64,
    /// Whether the daily loss limit halted the strategy's orders.
    pub halted: bool,
    /// The recorded run's own fills (`fill` frames of the account that recorded).
    pub recorded_fills: u64,
    /// Their contracts.
    pub recorded_contracts: Count,
}

/// Something due on the agenda.
#[derive(Debug)]
enum Due {
    /// An order operation reaches the venue.
    Arrive(Op),
    /// The venue's answer reaches the engine.
    Answer(Answer),
    /// The strategy's timer.
    Timer,
    /// A forecast from the forecasts file becomes known (at this instant, ns).
    Forecast(Box<Forecast>, u64),
    /// A blackout starts or ends (look again at the schedule).
    Blackout,
    /// The strategy sees a book (`[backtest] feed_latency_ms` after it was recorded).
    Evaluate {
        ticker: Ticker,
        epoch: u64,
        book: Arc<kalshi::book::OrderBook>,
    },
}

/// An order operation on its way to the venue.
#[derive(Debug)]
enum Op {
    Place(String),
    Cancel(String),
    Amend {
        key: String,
        price: Price,
        total: Count,
    },
}

/// The venue's answer on its way back: to `op` (`None`: news of its own — fills from
/// recorded trades, orders ended by a settlement), made at `at_ns`.
#[derive(Debug)]
struct Answer {
    op: Option<Op>,
    at_ns: u64,
    result: Result<Reports, String>,
}

/// A market as the strategy knows it, with the positions held in it (the backtest's, and the
/// recording run's own).
#[derive(Debug)]
struct Priced {
    market: Market,
    grid: Arc<PriceRanges>,
    fair: Option<f64>,
    position: Count,
    recorded_position: Count,
    /// The mid last reported as a mark (marks are reported when it moves).
    marked: Option<Price>,
}

/// A map keyed by the feed's own fast hash (every recorded delta looks its market up).
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<TickerHasher>>;

/// One backtest run.
pub struct Replay {
    bt: BacktestConfig,
    strategy_cfg: StrategyConfig,
    strategy: Box<dyn Strategy>,
    books: Books,
    last_seq: FastMap<u64, u64>,
    stale_epoch: HashMap<Ticker, u64>,
    markets: FastMap<Ticker, Priced>,
    forecast: Forecast,
    forecast_at: Option<u64>,
    recorded_forecasts: bool,
    repriced: bool,
    tradable_seen: bool,
    schedule: Schedule,
    blackout: Option<String>,
    desk: Desk,
    venue: Venue,
    agenda: Agenda<Due>,
    now_ns: u64,
    started: bool,
    out: Vec<LedgerEvent>,
    /// The recording run's own fills, settlements and marks (its markets held).
    recorded: Vec<LedgerEvent>,
    /// Before the window's start: books, markets and forecasts are taken, the strategy is
    /// not asked.
    warming: bool,
    /// The kill switch: the daily loss limit was reached (new orders refused from then on).
    halted: Option<String>,
    orders_cfg: tradewind_actors::orders::OrdersConfig,
    /// The counts.
    pub tally: Tally,
}

impl std::fmt::Debug for Replay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replay")
            .field("now_ns", &self.now_ns)
            .field("tally", &self.tally)
            .finish_non_exhaustive()
    }
}

impl Replay {
    /// A replay of `cfg`'s strategy (or `strategy`, a program's own), with forecasts from a
    /// file (`file_forecasts`, which then replace the recording's).
    ///
    /// # Errors
    /// The blackout schedule is invalid.
    pub fn new(
        cfg: &EngineFile,
        strategy: Box<dyn Strategy>,
        file_forecasts: Option<Vec<(u64, Forecast)>>,
    ) -> Result<Replay, String> {
        let schedule = cfg.blackout.schedule().map_err(|e| e.join("; "))?;
        let mut agenda = Agenda::default();
        let recorded_forecasts = file_forecasts.is_none();
        for (ns, f) in file_forecasts.unwrap_or_default() {
            agenda.at(ns, Due::Forecast(Box::new(f), ns));
        }
        Ok(Replay {
            bt: cfg.backtest.clone(),
            strategy_cfg: cfg.strategy.clone(),
            strategy,
            books: Books::default(),
            last_seq: FastMap::default(),
            stale_epoch: HashMap::new(),
            markets: FastMap::default(),
            forecast: Forecast::default(),
            forecast_at: None,
            recorded_forecasts,
            repriced: false,
            tradable_seen: false,
            schedule,
            blackout: None,
            desk: Desk::new(&cfg.orders),
            venue: Venue::new(&cfg.backtest, cfg.orders.self_trade_prevention.clone()),
            agenda,
            now_ns: 0,
            started: false,
            out: Vec::new(),
            recorded: Vec::new(),
            warming: false,
            halted: None,
            orders_cfg: cfg.orders.clone(),
            tally: Tally::default(),
        })
    }

    /// Takes one recorded record received at `ns` (records must come in receive order);
    /// `warming`: before the replayed window (the strategy is not asked yet).
    pub fn record(&mut self, ns: u64, event: crate::record::EventRef<'_>, warming: bool) {
        self.take_at(ns, warming);
        match event {
            crate::record::EventRef::Frame(text) => self.frame(text),
            crate::record::EventRef::Market(json) => self.market(json),
            crate::record::EventRef::Forecast(json) if self.recorded_forecasts => {
                if let Ok(f) = Forecast::from_file_json(json) {
                    self.take_forecast(f, ns);
                }
            }
            crate::record::EventRef::Forecast(_) => {}
        }
    }

    /// The strategy's resting orders fill only by recorded trades, never by the book moving
    /// through them (a history download's books: one level a side, sampled once a period).
    pub fn fill_by_trades_only(&mut self) {
        self.venue.fill_by_trades_only();
    }

    /// Takes one frame already decoded, at `ns` (as [`Replay::record`] takes one recorded as
    /// text): a history download's records are made as frames, never written as text.
    pub fn decoded(&mut self, ns: u64, frame: &kalshi::ws::Incoming<'_>, warming: bool) {
        self.take_at(ns, warming);
        self.tally.frames += 1;
        self.incoming(frame);
    }

    /// A record is taken at `ns`: the clock moves there (running the agenda, unless warming).
    fn take_at(&mut self, ns: u64, warming: bool) {
        self.warming = warming;
        if !warming {
            self.advance(ns);
        } else {
            self.now_ns = self.now_ns.max(ns);
        }
        self.tally.records += 1;
    }

    /// Runs what is left on the agenda up to `end_ns` and answers what happened, in time
    /// order: the strategy's, and the recording run's own.
    pub fn finish(mut self, end_ns: u64) -> Finished {
        self.advance(end_ns);
        // Fills are told at the venue's instant, after marks seen while they were on their
        // way back: a stable sort puts them in place.
        self.out.sort_by_key(LedgerEvent::ns);
        self.recorded.sort_by_key(LedgerEvent::ns);
        Finished {
            outcomes: self.out,
            recorded: self.recorded,
            tally: self.tally,
        }
    }

    /// Runs the agenda up to `ns`, then sets the clock there.
    fn advance(&mut self, ns: u64) {
        if !self.started {
            self.start(ns);
        }
        while let Some((at, due)) = self.agenda.pop_due(ns) {
            self.now_ns = self.now_ns.max(at);
            self.run_due(due);
        }
        self.now_ns = self.now_ns.max(ns);
    }

    fn start(&mut self, ns: u64) {
        self.started = true;
        self.now_ns = ns;
        // The gate's first verdict before anything the strategy does.
        self.blackout_edge();
        self.agenda.at(ns + self.timer_ns(), Due::Timer);
        let intents = self
            .strategy
            .on_start(tradewind_actors::strategy::Waker::new(|| {}));
        self.dispatch(intents);
    }

    fn run_due(&mut self, due: Due) {
        match due {
            Due::Arrive(op) => self.arrive(op),
            Due::Answer(a) => self.answer(a),
            Due::Timer => self.timer(),
            Due::Forecast(f, at) => self.take_forecast(*f, at),
            Due::Blackout => self.blackout_edge(),
            Due::Evaluate {
                ticker,
                epoch,
                book,
            } => self.evaluate(&ticker, epoch, book),
        }
    }

    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_nanos(i64::try_from(self.now_ns).unwrap_or(i64::MAX))
    }

    fn timer_ns(&self) -> u64 {
        self.strategy_cfg.timer_ms.max(1) * 1_000_000
    }

    fn order_latency_ns(&self) -> u64 {
        self.bt.order_latency_ms * 1_000_000
    }
}

#[cfg(test)]
mod tests;
