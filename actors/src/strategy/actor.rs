//! The strategy actor: thin glue over a pure [`Strategy`]. It gathers what a decision needs —
//! fresh books (by epoch), market metadata, positions, the blackout state, a forecast — calls
//! the strategy, and forwards its intents to the order manager stamped with the book's epoch.
//!
//! It acts only on books the feed vouches for: a `BookStale` for a market silences it until
//! an update of a newer epoch arrives, and the strategy is told so it can pull its quotes.
//! Forecasts come through [`super::source`]: fetched from Open-Meteo outside the gateway (it is
//! another host) on the model cycle's schedule, or read from a file reloaded when it changes
//! (`refresh`); after a GFS window only a newer one is traded on ([`super::cycle`]). Market
//! lifecycle events (`LifecycleReceived`: paused, reactivated, determined, close moved) keep
//! the metadata it holds current, so each view says whether its market is tradable and when
//! it closes.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use actix::{
    ActorContext, ActorFutureExt, AsyncContext, Context, Handler, Message, Recipient, SpawnHandle,
    WrapFuture,
};
use chrono::{DateTime, Utc};
use kalshi::{Count, Ticker, num::PriceRanges, rest::Market};
use tracing::warn;

use super::{
    config::StrategyConfig,
    cycle::ForecastCycle,
    forecast::Forecast,
    interface::{Strategy, StrategyFactory},
    market_status,
    metrics::{Counters, StrategyMetrics},
    source::ForecastFile,
};
use crate::{
    blackout::BlackoutChanged,
    clock::SharedClock,
    market_data::{BookResynced, BookStale, BookUpdated, LifecycleReceived},
    metadata::LookupMarket,
    orders::{Amend, Cancel, CancelAll, GetTrackedPositions, OrderEvent, Submit},
};

/// Where the strategy's intents and lookups go.
#[derive(Debug, Clone)]
pub struct StrategyPeers {
    /// The order manager's `Submit`.
    pub submit: Recipient<Submit>,
    /// The order manager's `CancelAll` (per market).
    pub cancel_all: Recipient<CancelAll>,
    /// The order manager's `Cancel` (one order).
    pub cancel: Recipient<Cancel>,
    /// The order manager's `Amend`.
    pub amend: Recipient<Amend>,
    /// The metadata cache.
    pub markets: Recipient<LookupMarket>,
    /// The order manager's positions, read at every start (restarts included); `None` waits
    /// for [`SeedPositions`] instead.
    pub positions: Option<Recipient<GetTrackedPositions>>,
    /// A recorder, offered every forecast the strategy takes (never waited for).
    pub record: Option<crate::recording::Tap>,
}

/// The positions held when the strategy starts (from the order manager, after start-up
/// reconciliation); later changes come with `OrderEvent::Filled`.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct SeedPositions(pub Vec<(Ticker, Count)>);

/// Asks the strategy actor for its metrics.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "StrategyMetrics")]
pub struct GetMetrics;

/// Stops the strategy actor (the engine's shutdown: nothing more is asked of the order
/// manager).
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub struct StopStrategy;

/// What the actor holds per market: its metadata, its price grid and its fair probability under
/// the current forecast — computed when the market or the forecast arrives, not per update.
pub(super) struct Priced {
    pub(super) market: Market,
    pub(super) grid: Arc<PriceRanges>,
    pub(super) fair: Option<f64>,
}

/// The strategy actor.
pub struct StrategyActor {
    pub(super) cfg: StrategyConfig,
    /// Builds the strategy at the start and after every restart.
    pub(super) factory: StrategyFactory,
    pub(super) strategy: Box<dyn Strategy>,
    pub(super) peers: StrategyPeers,
    pub(super) clock: SharedClock,
    /// Open-Meteo base URL, resolved (the simulator's when embedded).
    pub(super) forecast_base: String,
    pub(super) client: Option<awc::Client>,
    pub(super) forecast: Forecast,
    pub(super) forecast_at: Option<DateTime<Utc>>,
    pub(super) file: ForecastFile,
    pub(super) markets: HashMap<Ticker, Priced>,
    pub(super) looking_up: HashSet<Ticker>,
    pub(super) positions: HashMap<Ticker, Count>,
    /// Markets whose book went stale, with the epoch that went stale.
    pub(super) stale: HashMap<Ticker, u64>,
    pub(super) counters: Counters,
    /// The positions held were read since the last (re)start.
    pub(super) seeded: bool,
    pub(super) markets_priced: usize,
    pub(super) blackout: bool,
    /// Where the forecast stands in the data cycle (a newer one awaited after a GFS window).
    pub(super) cycle: ForecastCycle,
    /// The next scheduled Open-Meteo fetch (cancelled when a GFS window's end fetches early).
    pub(super) next_fetch: Option<SpawnHandle>,
    /// A [`Wake`] is in the mailbox: the strategy's waker sends no other until it is handled
    /// (so a strategy woken per line of input cannot flood the mailbox).
    pub(super) wake_pending: Arc<AtomicBool>,
    /// The last fresh book of each market, to ask the strategy again when something else
    /// about the market changes (its fair value, its status).
    pub(super) books: HashMap<Ticker, BookUpdated>,
    /// Whether the forecast was tradable at the timer's last look.
    pub(super) tradable_seen: bool,
    /// Fair values were recomputed since the timer's last look.
    pub(super) repriced: bool,
}

impl std::fmt::Debug for StrategyActor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StrategyActor")
            .field("markets", &self.markets.len())
            .field("counters", &self.counters)
            .finish_non_exhaustive()
    }
}

impl StrategyActor {
    /// A strategy actor around the strategies `factory` builds (one now, a fresh one after
    /// every restart); `forecast_base` is Open-Meteo's base URL (ignored unless the source is
    /// `open_meteo`).
    pub fn new(
        cfg: StrategyConfig,
        factory: StrategyFactory,
        forecast_base: String,
        peers: StrategyPeers,
        clock: SharedClock,
    ) -> StrategyActor {
        StrategyActor {
            file: ForecastFile::new(&cfg.forecast.file),
            cfg,
            strategy: factory.build(),
            factory,
            peers,
            clock,
            forecast_base,
            client: None,
            forecast: Forecast::default(),
            forecast_at: None,
            markets: HashMap::new(),
            looking_up: HashSet::new(),
            positions: HashMap::new(),
            stale: HashMap::new(),
            counters: Counters::default(),
            seeded: false,
            markets_priced: 0,
            blackout: false,
            cycle: ForecastCycle::default(),
            next_fetch: None,
            wake_pending: Arc::new(AtomicBool::new(false)),
            books: HashMap::new(),
            tradable_seen: false,
            repriced: false,
        }
    }

    fn look_up(&mut self, ticker: Ticker, ctx: &mut Context<Self>) {
        if !self.looking_up.insert(ticker.clone()) {
            return;
        }
        let ask = self.peers.markets.send(LookupMarket {
            ticker: ticker.clone(),
        });
        ctx.spawn(ask.into_actor(self).map(move |res, act, _| {
            act.looking_up.remove(&ticker);
            match res {
                Ok(Ok(market)) => {
                    let fair = act.forecast.fair_probability(&market, act.cfg.bias_f);
                    let grid = Arc::new(market.price_grid());
                    act.markets.insert(ticker, Priced { market, grid, fair });
                    act.count_priced();
                }
                Ok(Err(e)) => warn!(%ticker, error = %e, "market metadata unavailable"),
                Err(e) => warn!(%ticker, error = %e, "metadata cache unreachable"),
            }
        }));
    }

    /// Prices every known market under the current forecast (the timer then asks the
    /// strategy again about every market).
    pub(super) fn reprice(&mut self) {
        self.repriced = true;
        for p in self.markets.values_mut() {
            p.fair = self.forecast.fair_probability(&p.market, self.cfg.bias_f);
        }
        self.count_priced();
    }

    fn count_priced(&mut self) {
        self.markets_priced = self.markets.values().filter(|p| p.fair.is_some()).count();
    }

    /// The positions held now (at a start or restart); later changes come with fills.
    pub(super) fn seed(&mut self, held: Vec<(Ticker, Count)>) {
        self.positions = held.into_iter().collect();
        self.seeded = true;
    }

    pub(super) fn forecast_entries(&self) -> usize {
        self.forecast.probabilities.len() + self.forecast.ensembles.len()
    }
}

impl Handler<BookUpdated> for StrategyActor {
    type Result = ();

    fn handle(&mut self, msg: BookUpdated, ctx: &mut Context<Self>) {
        self.counters.books_seen += 1;
        if let Some(stale_epoch) = self.stale.get(&msg.ticker) {
            if msg.epoch <= *stale_epoch {
                self.counters.skipped_stale += 1;
                return;
            }
            self.stale.remove(&msg.ticker);
        }
        if !self.markets.contains_key(&msg.ticker) {
            self.counters.skipped_no_metadata += 1;
            self.look_up(msg.ticker, ctx);
            return;
        }
        self.books.insert(msg.ticker.clone(), msg.clone());
        self.evaluate(msg, ctx);
    }
}

/// Asks the strategy actor to call [`Strategy::on_wake`] (sent by the strategy's
/// [`super::interface::Waker`]).
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub struct Wake;

impl Handler<Wake> for StrategyActor {
    type Result = ();

    fn handle(&mut self, _: Wake, ctx: &mut Context<Self>) {
        self.wake_pending.store(false, Ordering::SeqCst);
        let intents = self.strategy.on_wake();
        self.dispatch(intents, ctx);
    }
}

impl Handler<BookStale> for StrategyActor {
    type Result = ();

    fn handle(&mut self, msg: BookStale, ctx: &mut Context<Self>) {
        self.stale.insert(msg.ticker.clone(), msg.epoch);
        self.books.remove(&msg.ticker);
        let intents = self.strategy.on_book_stale(&msg.ticker);
        self.dispatch(intents, ctx);
    }
}

impl Handler<BookResynced> for StrategyActor {
    type Result = ();

    fn handle(&mut self, msg: BookResynced, _ctx: &mut Context<Self>) {
        if self.stale.get(&msg.ticker).is_some_and(|e| msg.epoch > *e) {
            self.stale.remove(&msg.ticker);
        }
    }
}

/// A market paused, reactivated, determined or settled, or its close moved: the metadata held
/// follows, so the next [`MarketView`](super::MarketView) says so (`tradable`, `close_time`).
impl Handler<LifecycleReceived> for StrategyActor {
    type Result = ();

    fn handle(&mut self, msg: LifecycleReceived, ctx: &mut Context<Self>) {
        let e = msg.event;
        let ticker = e.market_ticker.clone();
        let Some(priced) = self.markets.get_mut(&e.market_ticker) else {
            return;
        };
        market_status::apply_lifecycle(&mut priced.market, &e);
        // The strategy hears of it now, not at the market's next book (a paused market's
        // quotes come off at once).
        self.reevaluate(&ticker, ctx);
    }
}

impl Handler<OrderEvent> for StrategyActor {
    type Result = ();

    fn handle(&mut self, msg: OrderEvent, ctx: &mut Context<Self>) {
        let intents = match msg {
            OrderEvent::Updated(order) => {
                let mut intents = self.strategy.on_order(&order);
                if order.state.is_terminal() {
                    intents.extend(self.strategy.on_order_done(&order.spec.ticker));
                }
                intents
            }
            OrderEvent::Filled { fill, position } => {
                self.counters.fills += 1;
                self.positions.insert(fill.ticker.clone(), position);
                self.strategy
                    .on_fill(&fill.ticker, fill.side, fill.yes_price, fill.count)
            }
        };
        self.dispatch(intents, ctx);
    }
}

impl Handler<BlackoutChanged> for StrategyActor {
    type Result = ();

    fn handle(&mut self, msg: BlackoutChanged, ctx: &mut Context<Self>) {
        self.blackout = msg.state.active;
        let intents = self.strategy.on_blackout(msg.state.active);
        self.dispatch(intents, ctx);
        if self.cycle.blackout_changed(&msg.state.reason) {
            self.refetch(ctx);
        }
    }
}

impl Handler<SeedPositions> for StrategyActor {
    type Result = ();

    fn handle(&mut self, msg: SeedPositions, _ctx: &mut Context<Self>) {
        self.seed(msg.0);
    }
}

impl Handler<StopStrategy> for StrategyActor {
    type Result = ();

    fn handle(&mut self, _: StopStrategy, ctx: &mut Context<Self>) {
        ctx.stop();
    }
}
