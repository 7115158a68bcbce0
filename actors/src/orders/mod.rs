//! Orders actor (the order manager): the single owner of orders and positions.
//!
//! Accepts intents — [`Submit`], [`Cancel`], [`CancelAll`], [`Amend`] — each answered with
//! its result or a [`Refusal`] naming the reason; the kill switch [`Halt`] / [`Resume`];
//! views [`GetTrackedOrders`], [`GetTrackedPositions`], [`GetMetrics`]; [`WaitReady`], [`Reconcile`] and
//! [`Shutdown`]; [`FlushJournal`], the journal writer's [`writer::JournalFault`]s, and the
//! test fault switch [`HoldJournal`].
//! From the feed it takes `FillReceived`, `UserOrderReceived`, `FeedEvent` and `BookUpdated`
//! (marks only); from the blackout clock `BlackoutChanged`. It emits [`OrderEvent`]s to its
//! listeners and the gateway's order and portfolio requests.
//!
//! An intent passes, in order: readiness (nothing before start-up reconciliation), the kill
//! switch, its own fields, the market (known, open, price on its grid), the blackout gate (only
//! reduce-only orders while a blackout is active), the market's block (an order with an
//! unknown outcome there), and the risk limits. It then gets its client order id from
//! (strategy id, ticker, intent sequence number) — the number from a block reserved in the
//! journal **before** any of its ids is sent — and is sent at once, its rows queued to the
//! journal writer thread ([`writer::JournalWriter`]); retries and re-sends reuse the id.
//! Each order runs through the state machine in [`state`]; every change is queued to the
//! journal as it is reported. Why this loses nothing sent and sends nothing twice across a
//! crash is argued in [`durability`]. Fills are booked once per
//! (trade id, order id), whether they come from the WebSocket or REST; after every feed
//! reconnect the gap's fills are read from `GET /portfolio/fills` and positions are
//! cross-checked with `GET /portfolio/positions` (also periodically).
//!
//! # Layout
//! - [`state`]: the order state machine and ledger; [`positions`]: positions and P&L;
//!   [`risk`]: limits; [`reconcile`]: journal vs exchange; [`ids`]: client order ids;
//!   [`id_blocks`]: their sequence numbers, from reserved blocks (all pure).
//! - [`spec`]: an order's terms ([`OrderSpec`]) and its create request; [`event`]: what
//!   listeners are told ([`OrderEvent`]); [`journal`]: the SQLite journal; [`writer`]: the
//!   thread that writes it; [`journal_queue`]: the order path's use of its queue (bound,
//!   deferred wake); [`durability`]: the crash-safety argument (documentation only).
//! - `submit`, `cancel`: the intent handlers; `account_events`: fills, order updates,
//!   connection events and books from the feed; `sync`: reconciliations and `fetch` their
//!   REST reads; `bookkeeping`: journaling, adoption, exposure, the kill switch and the
//!   metrics snapshot, shared by them.
//! - [`config`], [`metrics`], [`peers`], [`refusal`].

mod account_events;
pub mod admission;
mod bookkeeping;
mod cancel;
pub mod config;
pub mod durability;
pub mod event;
mod fetch;
pub mod gate;
pub mod id_blocks;
pub mod ids;
pub mod journal;
pub mod journal_queue;
mod lifecycle;
pub mod metrics;
pub mod peers;
pub mod positions;
pub mod reconcile;
mod recovery;
pub mod refusal;
mod restore;
pub mod risk;
pub mod spec;
pub mod state;
mod submit;
mod sync;
pub mod writer;

use std::collections::{BTreeSet, HashMap, HashSet};

use actix::{Context, Handler, Message, MessageResult, ResponseFuture};
use kalshi::{ClientOrderId, Count, OrderId, Price, Ticker};
use tracing::{info, warn};

pub use self::{
    config::OrdersConfig,
    event::OrderEvent,
    metrics::{OrdersMetrics, PositionMetric},
    peers::OrdersPeers,
    refusal::Refusal,
    spec::OrderSpec,
    state::{OrderRecord, OrderState},
};
use self::{
    id_blocks::{IdSeq, Recovery},
    journal::{Journal, JournalError},
    metrics::Counters,
    positions::Positions,
    risk::{RateWindow, RiskLimits},
    state::Ledger,
    writer::JournalWriter,
};
use crate::{
    blackout::{BlackoutChanged, BlackoutState},
    clock::SharedClock,
    stamps::PathStamps,
    supervision::NotReady,
};

/// Place an order.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<Placed, Refusal>")]
pub struct Submit {
    /// What to place.
    pub spec: OrderSpec,
    /// The book epoch the intent was priced on.
    pub book_epoch: Option<u64>,
    /// The path so far (feed and strategy stamps; default when not from a book).
    pub stamps: PathStamps,
}

/// What became of a placement (or an amend).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Ledger key: the client order id.
    pub key: String,
    /// The client order id.
    pub client_order_id: Option<ClientOrderId>,
    /// The exchange's id, once known.
    pub order_id: Option<OrderId>,
    /// State now (`Unknown` when the outcome is not known yet: reconciliation settles it).
    pub state: OrderState,
    /// Filled so far.
    pub filled: Count,
}

/// Cancel one order; passes the blackout gate and the kill switch.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<OrderState, Refusal>")]
pub struct Cancel {
    /// The order's key: its client order id (`order:<id>` for an adopted order without one).
    pub key: String,
}

/// Cancel every open order (of one market); answers the number of orders concerned.
#[derive(Debug, Clone, Message)]
#[rtype(result = "usize")]
pub struct CancelAll {
    /// Only this market.
    pub ticker: Option<Ticker>,
}

/// Change a resting order's price or size. Same price and a smaller size is a decrease,
/// which passes the blackout gate; anything else is gated and risk-checked like a new order.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<Placed, Refusal>")]
pub struct Amend {
    /// The order's key.
    pub key: String,
    /// New YES price.
    pub price: Price,
    /// New resting size (> 0; cancel to go to zero).
    pub remaining: Count,
}

/// The kill switch: no new orders until [`Resume`]; cancels resting orders when
/// `cancel_on_halt` is set.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct Halt {
    /// Why (journaled).
    pub reason: String,
}

/// Lifts the kill switch.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub struct Resume;

/// The orders this order manager tracks (open ones, and finished ones of the last
/// `history_days`) — its own ledger, not a REST call (that is `gateway::GetOrders`).
#[derive(Debug, Clone, Message)]
#[rtype(result = "Vec<OrderRecord>")]
pub struct GetTrackedOrders {
    /// Only this market.
    pub ticker: Option<Ticker>,
    /// Only orders not finished.
    pub open_only: bool,
}

/// The positions this order manager tracks, every market ever traded — its own book, not a
/// REST call (that is `gateway::GetPositions`).
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "Vec<PositionMetric>")]
pub struct GetTrackedPositions;

/// Asks for the order manager's metrics.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "OrdersMetrics")]
pub struct GetMetrics;

/// Reconciles open orders and positions with the exchange now; answers the differences found.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "Result<usize, String>")]
pub struct Reconcile;

/// Answers once start-up reconciliation has finished (at once if it has): the root waits for
/// it before starting the strategy.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub struct WaitReady;

/// Shutting down: cancels resting orders when `cancel_on_shutdown` is set (answers how many
/// cancels were sent) and refuses new intents from then on.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "usize")]
pub struct Shutdown;

/// Fault switch for tests: holds (`held`) or releases the journal writer's commits, as if
/// the disk stalled — orders are still sent, their rows wait. See [`writer::JournalWriter`].
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub struct HoldJournal {
    /// Hold (`true`) or release.
    pub held: bool,
}

/// Waits until the journal holds everything queued so far (for tools and tests that read the
/// file while the engine runs); answers false when the writer has stopped. Blocks the
/// arbiter for one commit: never on the order path.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "bool")]
pub struct FlushJournal;

/// The order manager actor.
#[derive(Debug)]
pub struct Orders {
    cfg: OrdersConfig,
    limits: RiskLimits,
    peers: OrdersPeers,
    clock: SharedClock,
    journal: JournalWriter,
    ledger: Ledger,
    positions: Positions,
    rate: RateWindow,
    ids: IdSeq,
    /// Until start-up reconciliation is done: the ids that may have been sent and not
    /// journaled before a crash.
    recovery: Option<Recovery>,
    ready: bool,
    reconciling: bool,
    checking_positions: bool,
    pending_resends: Vec<String>,
    ready_waiters: Vec<tokio::sync::oneshot::Sender<()>>,
    halted: Option<String>,
    blackout: Option<BlackoutState>,
    /// Actors the guardian says are not ready (no new risk while the blackout clock is one).
    not_ready: BTreeSet<&'static str>,
    /// Keys of re-sends a blackout (or its unknown state) holds back.
    deferred: BTreeSet<String>,
    /// Books gone stale, with the epoch that went stale (cleared by a newer epoch).
    stale_books: HashMap<Ticker, u64>,
    /// Markets paused or ended since (cleared when one is activated again).
    paused: HashSet<Ticker>,
    counters: Counters,
    /// A timer will wake the journal writer for rows queued without a wake.
    wake_armed: bool,
    /// The last placement was refused for the journal's backlog.
    backlogged: bool,
}

impl Orders {
    /// An order manager over an opened journal, whose orders, positions, fills and reserved
    /// ids it loads before handing the journal to its writer thread. Fails on an invalid
    /// config or an unreadable journal.
    pub fn new(
        cfg: OrdersConfig,
        journal: Journal,
        peers: OrdersPeers,
        clock: SharedClock,
    ) -> Result<Orders, Vec<String>> {
        cfg.validate()?;
        let unreadable = |e: JournalError| vec![format!("orders.journal_path: {e}")];
        let book = restore::Book::load(&journal, &cfg, clock.now()).map_err(unreadable)?;
        let blocks = journal.id_blocks().map_err(unreadable)?;
        let max_seq = book.next_seq - 1;
        let ids = IdSeq::new(id_blocks::high_water(&blocks, max_seq), cfg.id_block);
        let recovery = id_blocks::recovery(&blocks, max_seq);
        let journal = JournalWriter::start(journal).map_err(|e| {
            vec![format!(
                "orders.journal_path: cannot start the journal writer: {e}"
            )]
        })?;
        Ok(Orders {
            limits: RiskLimits::from_config(&cfg),
            cfg,
            peers,
            clock,
            journal,
            ledger: book.ledger,
            positions: book.positions,
            rate: RateWindow::default(),
            ids,
            recovery,
            ready: false,
            reconciling: false,
            checking_positions: false,
            pending_resends: Vec::new(),
            ready_waiters: Vec::new(),
            halted: None,
            blackout: None,
            not_ready: BTreeSet::new(),
            deferred: BTreeSet::new(),
            stale_books: HashMap::new(),
            paused: HashSet::new(),
            counters: Counters::default(),
            wake_armed: false,
            backlogged: false,
        })
    }

    /// Opens the journal at `cfg.journal_path`, then [`Orders::new`].
    pub fn open(
        cfg: OrdersConfig,
        peers: OrdersPeers,
        clock: SharedClock,
    ) -> Result<Orders, Vec<String>> {
        let journal = Journal::open(
            std::path::Path::new(&cfg.journal_path),
            cfg.journal_synchronous,
        )
        .map_err(|e: JournalError| vec![format!("orders.journal_path: {e}")])?;
        Orders::new(cfg, journal, peers, clock)
    }
}

impl Handler<Halt> for Orders {
    type Result = ();

    fn handle(&mut self, msg: Halt, ctx: &mut Context<Self>) {
        self.halt(msg.reason, ctx);
    }
}

impl Handler<Resume> for Orders {
    type Result = ();

    fn handle(&mut self, _msg: Resume, _ctx: &mut Context<Self>) {
        if self.halted.take().is_some() {
            info!("kill switch lifted");
            self.commit(&[journal::Write::KillSwitch {
                halted: false,
                reason: "resume",
            }]);
        }
    }
}

impl Handler<BlackoutChanged> for Orders {
    type Result = ();

    fn handle(&mut self, msg: BlackoutChanged, ctx: &mut Context<Self>) {
        let starts = msg.state.active && !self.blackout.as_ref().is_some_and(|b| b.active);
        info!(state = %msg.state, "blackout state");
        self.blackout = Some(msg.state);
        if starts && self.cfg.cancel_on_blackout {
            let n = self.cancel_open(None, ctx);
            info!(cancels = n, "blackout started: cancelling resting orders");
        }
        self.resume_deferred(ctx);
    }
}

impl Handler<NotReady> for Orders {
    type Result = ();

    fn handle(&mut self, msg: NotReady, ctx: &mut Context<Self>) {
        self.not_ready = msg.actors;
        self.resume_deferred(ctx);
    }
}

impl Handler<GetTrackedOrders> for Orders {
    type Result = MessageResult<GetTrackedOrders>;

    fn handle(&mut self, msg: GetTrackedOrders, _ctx: &mut Context<Self>) -> Self::Result {
        MessageResult(
            self.ledger
                .iter()
                .filter(|o| !msg.open_only || o.state.is_open())
                .filter(|o| msg.ticker.as_ref().is_none_or(|t| *t == o.spec.ticker))
                .cloned()
                .collect(),
        )
    }
}

impl Handler<GetTrackedPositions> for Orders {
    type Result = MessageResult<GetTrackedPositions>;

    fn handle(&mut self, _msg: GetTrackedPositions, _ctx: &mut Context<Self>) -> Self::Result {
        MessageResult(self.position_metrics())
    }
}

impl Handler<GetMetrics> for Orders {
    type Result = MessageResult<GetMetrics>;

    fn handle(&mut self, _msg: GetMetrics, _ctx: &mut Context<Self>) -> Self::Result {
        MessageResult(self.snapshot())
    }
}

impl Handler<Shutdown> for Orders {
    type Result = usize;

    fn handle(&mut self, _msg: Shutdown, ctx: &mut Context<Self>) -> usize {
        self.ready = false;
        if self.journal.flush().is_err() {
            self.journal_failed("the writer stopped before shutdown".into());
        }
        if !self.cfg.cancel_on_shutdown {
            return 0;
        }
        let n = self.cancel_open(None, ctx);
        if n > 0 {
            warn!(cancels = n, "shutting down: cancelling resting orders");
        }
        n
    }
}

impl Handler<WaitReady> for Orders {
    type Result = ResponseFuture<()>;

    fn handle(&mut self, _msg: WaitReady, _ctx: &mut Context<Self>) -> Self::Result {
        if self.ready {
            return Box::pin(async {});
        }
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.ready_waiters.push(tx);
        Box::pin(async move {
            let _ = rx.await;
        })
    }
}
