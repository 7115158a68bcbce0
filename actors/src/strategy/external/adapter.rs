//! [`ExternalStrategy`]: the [`Strategy`] whose decisions come from a child process. Each
//! callback becomes a protocol message queued for the process (books conflated per market);
//! what the process answers arrives on a reader thread, which wakes the actor, and leaves as
//! intents from [`Strategy::on_wake`] (or from whichever callback comes first). It also
//! watches the process: a `place`/`amend` answering a message older than the answer timeout
//! is dropped, a `tick` unanswered too long or a backlog too long stops the run, and whenever
//! a run ends the markets it had orders in are cancelled at once; orders that turn up resting
//! while no process runs are cancelled by key.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    time::Instant,
};

use chrono::{DateTime, Utc};
use kalshi::{Count, Price, Ticker, types::BookSide, types::OutcomeSide};
use tracing::{debug, error, info, warn};

use super::{
    config::ExternalConfig,
    life::Life,
    metrics::{Counters, LifeCounts},
    process::Inbound,
    protocol::{BookMessage, FromProcess, LogLevel, PROTOCOL_VERSION, ToProcess, intent_json},
    watch::{Age, Sent, TickWatch},
};
use crate::{
    orders::{OrderRecord, OrderState},
    strategy::interface::{Intent, MarketView, Strategy, Waker},
};

/// Lines taken from the process per callback: a process writing without pause cannot hold
/// the strategy actor (stale books, the timer and other mail are handled between batches).
const MAX_LINES_PER_CALL: usize = 256;

/// The strategy run by a child process speaking the line protocol.
#[derive(Debug)]
pub struct ExternalStrategy {
    cfg: ExternalConfig,
    life: Life,
    seq: u64,
    sent: Sent,
    ticks: TickWatch,
    /// Markets whose grid the current run was sent.
    grids: HashSet<Ticker>,
    /// Positions the current run was told.
    positions: HashMap<Ticker, Count>,
    /// This engine's orders not yet over, by key.
    live: HashMap<String, Ticker>,
    /// Markets placed in since the last pull.
    placed: HashSet<Ticker>,
    /// Orders cancelled by key while no process runs.
    pulled: HashSet<String>,
    /// The epoch of the last book of each market sent to the current run (a market whose
    /// book went stale is absent): a `place` must name it.
    epochs: HashMap<Ticker, u64>,
    /// Whether a blackout is active (told to every new run in its `hello`).
    blackout: bool,
    counters: Counters,
    /// Intents waiting to be returned from the current callback.
    out: Vec<Intent>,
}

impl ExternalStrategy {
    /// A strategy that will run `cfg.command` once the actor starts it.
    pub fn new(cfg: ExternalConfig) -> ExternalStrategy {
        ExternalStrategy {
            life: Life::new(cfg.clone()),
            sent: Sent::new(cfg.answer_timeout()),
            cfg,
            seq: 0,
            ticks: TickWatch::default(),
            grids: HashSet::new(),
            positions: HashMap::new(),
            live: HashMap::new(),
            placed: HashSet::new(),
            pulled: HashSet::new(),
            epochs: HashMap::new(),
            blackout: false,
            counters: Counters::default(),
            out: Vec::new(),
        }
    }

    /// Queues `msg` for the process (nothing when none runs); a backlog too long stops it.
    fn queue(&mut self, msg: &ToProcess) {
        let Some(run) = self.life.running() else {
            return;
        };
        self.seq += 1;
        let now = Instant::now();
        let line = msg.line(self.seq);
        self.sent.queued(self.seq, now);
        self.counters.messages_out += 1;
        match msg {
            ToProcess::Book(b) => run.send_book(b.ticker.clone(), line),
            _ => {
                if matches!(msg, ToProcess::Tick { .. }) {
                    self.ticks.ticked(self.seq, now);
                }
                if run.send(line).is_err() {
                    self.counters.stuck += 1;
                    let why = format!("stuck: {} messages unread", self.cfg.max_pending_messages);
                    self.lost(&why);
                }
            }
        }
    }

    /// A new run started: it knows nothing yet.
    fn hello(&mut self) {
        self.sent = Sent::new(self.cfg.answer_timeout());
        self.ticks = TickWatch::default();
        self.grids.clear();
        self.positions.clear();
        self.pulled.clear();
        self.epochs.clear();
        self.queue(&ToProcess::Hello {
            protocol: PROTOCOL_VERSION,
            restarts: self.life.restarts,
            config: self.cfg.params.clone(),
            answer_timeout_ms: self.cfg.answer_timeout_ms,
            unresponsive_ms: self.cfg.unresponsive_ms,
            blackout: self.blackout,
        });
    }

    /// The run ended (`why`): stop it, pull every market it may have orders in.
    fn lost(&mut self, why: &str) {
        if let Some(run) = self.life.running() {
            self.counters.conflated_ended_runs += run.conflated();
        }
        self.life.down(why, Instant::now());
        self.ticks = TickWatch::default();
        let markets: HashSet<Ticker> = self
            .live
            .values()
            .cloned()
            .chain(self.placed.drain())
            .collect();
        for ticker in markets {
            self.counters.pulls += 1;
            self.out.push(Intent::CancelMarket(ticker));
        }
    }

    /// Restarts a run that is due, takes what the process said, answers the intents.
    fn finish(&mut self) -> Vec<Intent> {
        if self.life.poll(Instant::now()) {
            self.hello();
        }
        for taken in 0.. {
            if taken == MAX_LINES_PER_CALL {
                // More waiting: let the actor see its other messages first, then come back.
                self.life.wake();
                break;
            }
            let Some(inbound) = self.life.running().and_then(|r| r.try_recv()) else {
                break;
            };
            self.take(inbound);
        }
        std::mem::take(&mut self.out)
    }

    fn take(&mut self, inbound: Inbound) {
        match inbound {
            Inbound::Message(msg) => {
                self.counters.lines_in += 1;
                self.answer(msg);
            }
            Inbound::Malformed { reason, line } => self.malformed(reason, line),
            Inbound::Closed => self.lost("exited"),
        }
    }

    fn malformed(&mut self, reason: String, line: String) {
        self.counters.malformed_lines += 1;
        warn!(%reason, %line, count = self.counters.malformed_lines,
            "strategy process line refused (malformed)");
        self.queue(&ToProcess::Malformed { reason, line });
    }

    /// One valid line: a log, a pong, or an intent (checked for lateness).
    fn answer(&mut self, msg: FromProcess) {
        let pid = self.life.running().map_or(0, |r| r.pid);
        match msg {
            FromProcess::Log { level, message } => log_line(pid, level, &message),
            FromProcess::Pong { seq } => self.ticks.pong(seq),
            msg => {
                if let Some(seq) = msg.reply_to() {
                    match self.sent.age(seq, Instant::now()) {
                        Age::Fresh(_) => {}
                        Age::Unknown => {
                            let reason = format!("reply_to {seq} names no message sent yet");
                            return self.malformed(reason, format!("{msg:?}"));
                        }
                        Age::Late => return self.late(msg),
                    }
                }
                if let Some(intent) = msg.into_intent() {
                    if let Intent::Place(p) = &intent {
                        if self.epochs.get(&p.spec.ticker) != Some(&p.book_epoch) {
                            return self.wrong_epoch(&intent, p.book_epoch);
                        }
                        self.placed.insert(p.spec.ticker.clone());
                    }
                    self.counters.intents += 1;
                    self.out.push(intent);
                }
            }
        }
    }

    /// A `place` naming an epoch other than its market's last book sent to this run (or a
    /// market whose book is stale, or was never sent): priced on no book the engine vouches
    /// for, so refused — counted with the malformed lines and told back as `refused`.
    fn wrong_epoch(&mut self, intent: &Intent, epoch: u64) {
        self.counters.malformed_lines += 1;
        let ticker = intent.ticker();
        let reason = match ticker.and_then(|t| self.epochs.get(t)) {
            Some(last) => format!(
                "epoch {epoch} is not the book epoch of {} ({last})",
                ticker.map(|t| t.as_str()).unwrap_or_default()
            ),
            None => format!(
                "{} has no fresh book in this run (stale or never sent)",
                ticker.map(|t| t.as_str()).unwrap_or_default()
            ),
        };
        warn!(%reason, "strategy process place refused");
        self.queue(&ToProcess::Refused {
            intent: intent_json(intent),
            reason,
        });
    }

    fn late(&mut self, msg: FromProcess) {
        self.counters.late_answers += 1;
        let n = self.counters.late_answers;
        if n.is_power_of_two() || n.is_multiple_of(1_000) {
            warn!(
                count = n,
                timeout_ms = self.cfg.answer_timeout_ms,
                "strategy process answer dropped: later than the answer timeout"
            );
        }
        if let Some(intent) = msg.into_intent() {
            let reason = format!(
                "late: its reply_to message is older than answer_timeout_ms ({})",
                self.cfg.answer_timeout_ms
            );
            self.queue(&ToProcess::Refused {
                intent: intent_json(&intent),
                reason,
            });
        }
    }
}

fn log_line(pid: u32, level: LogLevel, message: &str) {
    match level {
        LogLevel::Debug => debug!(target: "tradewind::external", pid, "{message}"),
        LogLevel::Info => info!(target: "tradewind::external", pid, "{message}"),
        LogLevel::Warn => warn!(target: "tradewind::external", pid, "{message}"),
        LogLevel::Error => error!(target: "tradewind::external", pid, "{message}"),
    }
}

/// The book message for `view`.
fn book_message(view: &MarketView) -> BookMessage {
    BookMessage {
        ticker: view.ticker.clone(),
        epoch: view.epoch,
        yes_bids: view.book.levels(OutcomeSide::Yes).to_vec(),
        no_bids: view.book.levels(OutcomeSide::No).to_vec(),
        best_yes_bid: view.book.best_yes_bid().map(|l| l.price),
        best_yes_ask: view.book.best_yes_ask().map(|l| l.price),
        fair: view.fair.filter(|f| f.is_finite()),
        position: view.position,
        now: view.now,
        close_time: view.close_time,
        tradable: view.tradable,
    }
}

impl Strategy for ExternalStrategy {
    fn on_book(&mut self, view: &MarketView) -> Vec<Intent> {
        if self.life.poll(Instant::now()) {
            self.hello();
        }
        if self.life.is_up() {
            if self.grids.insert(view.ticker.clone()) {
                self.queue(&ToProcess::Market {
                    ticker: view.ticker.clone(),
                    price_ranges: (*view.grid).clone(),
                });
            }
            if self.positions.insert(view.ticker.clone(), view.position) != Some(view.position) {
                self.queue(&ToProcess::Position {
                    ticker: view.ticker.clone(),
                    position: view.position,
                });
            }
            self.epochs.insert(view.ticker.clone(), view.epoch);
            self.queue(&ToProcess::Book(book_message(view)));
        }
        self.finish()
    }

    fn on_book_stale(&mut self, ticker: &Ticker) -> Vec<Intent> {
        self.epochs.remove(ticker);
        self.queue(&ToProcess::BookStale {
            ticker: ticker.clone(),
        });
        self.out.push(Intent::CancelMarket(ticker.clone()));
        self.finish()
    }

    fn on_fill(
        &mut self,
        ticker: &Ticker,
        side: BookSide,
        price: Price,
        count: Count,
    ) -> Vec<Intent> {
        self.queue(&ToProcess::Fill {
            ticker: ticker.clone(),
            side,
            price,
            count,
        });
        self.finish()
    }

    fn on_order(&mut self, order: &OrderRecord) -> Vec<Intent> {
        if order.state.is_terminal() {
            self.live.remove(&order.key);
            self.pulled.remove(&order.key);
        } else {
            self.live
                .insert(order.key.clone(), order.spec.ticker.clone());
        }
        if self.life.is_up() {
            self.queue(&ToProcess::Order {
                order: Box::new(order.clone()),
            });
        } else if order.state == OrderState::Resting && self.pulled.insert(order.key.clone()) {
            // No process owns it: it must not rest.
            self.counters.pulls += 1;
            self.out.push(Intent::Cancel(order.key.clone()));
        }
        self.finish()
    }

    fn on_refused(&mut self, intent: &Intent, reason: &str) -> Vec<Intent> {
        self.queue(&ToProcess::Refused {
            intent: intent_json(intent),
            reason: reason.to_owned(),
        });
        self.finish()
    }

    fn on_timer(&mut self, now: DateTime<Utc>) -> Vec<Intent> {
        let overdue = self.ticks.overdue(Instant::now(), self.cfg.unresponsive());
        if let Some(waited) = overdue.filter(|_| self.life.is_up()) {
            self.counters.hung += 1;
            self.lost(&format!(
                "unresponsive: a tick unanswered for {} ms",
                waited.as_millis()
            ));
        }
        self.queue(&ToProcess::Tick { now });
        self.finish()
    }

    fn uses_forecast(&self) -> bool {
        self.cfg.uses_forecast
    }

    fn on_blackout(&mut self, active: bool) -> Vec<Intent> {
        self.blackout = active;
        self.queue(&ToProcess::Blackout { active });
        self.finish()
    }

    fn on_start(&mut self, waker: Waker) -> Vec<Intent> {
        if self.life.start(waker, Instant::now()) {
            self.hello();
        }
        self.finish()
    }

    fn on_wake(&mut self) -> Vec<Intent> {
        self.finish()
    }

    fn counters(&self) -> BTreeMap<String, u64> {
        self.counters.report(&LifeCounts {
            restarts: self.life.restarts,
            exits: self.life.exits,
            spawn_failures: self.life.spawn_failures,
            up: self.life.is_up(),
            conflated_now: self.life.running().map_or(0, |r| r.conflated()),
        })
    }
}
