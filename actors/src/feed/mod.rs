//! Feed actor: one supervised WebSocket carrying every watched order book, with books that
//! are never silently wrong.
//!
//! Owns the connection, the local books and the subscriptions. Accepts [`SetWatchlist`]
//! (the markets to stream; remembered across reconnects), [`GetMetrics`], [`GetBook`] and
//! [`StopRecording`].
//! Emits, to the recipients in [`FeedPeers`]: `BookUpdated` (conflated per consumer — the
//! latest state, never a backlog), `BookStale` / `BookResynced` with the book's epoch,
//! `FeedEvent::{Connected, Disconnected, Reconnecting}`, and the account's fills, order
//! updates and market lifecycle events; a recorder's tap ([`FeedPeers::record`]) is offered
//! every text frame as received.
//!
//! A connection ends on a Close frame, TCP loss, a protocol error or the idle watchdog (no
//! frame for `idle_timeout_ms`); the actor then marks every book stale and stops itself, and
//! the actix `Supervisor` restarts it: `restarting()` resets the connection state and
//! `started()` connects again after the [`reconnect`] delay (exponential, full jitter, capped,
//! floored, reset after a stable connection), signing a fresh handshake. Books, epochs, the
//! watched set and the metrics live on across restarts.
//!
//! # Layout
//! - `conn`: the awc WebSocket glue — connect, frames in, commands and pongs out, watchdog;
//!   `link`: one connection's state.
//! - `route`: what each decoded frame does to books, subscriptions and consumers.
//! - [`books`]: books and epochs; [`seq`]: `seq` per sid; [`subs`]: subscriptions (pure).
//! - [`conflate`]: latest-state delivery (pure). [`reconnect`]: the delay schedule (pure).
//! - [`config`], [`metrics`], [`peers`].

pub mod books;
pub mod config;
pub mod conflate;
mod conn;
#[cfg(test)]
mod conn_tests;
mod heartbeat;
mod link;
pub mod metrics;
pub mod peers;
pub mod reconnect;
mod route;
pub mod seq;
pub mod subs;

use std::{sync::Arc, time::Duration};

use actix::{
    Actor, Addr, AsyncContext, Context, Handler, Message, MessageResult, Supervised, Supervisor,
};
use chrono::{DateTime, Utc};
use kalshi::{Ticker, book::OrderBook, sign::Signer};
use rand::{Rng, SeedableRng, rngs::StdRng};
use tracing::info;

use self::{
    books::Books,
    config::ms,
    conflate::Conflator,
    link::Link,
    metrics::{Counters, Timings},
    reconnect::ReconnectPolicy,
    subs::Subs,
};
pub use self::{
    config::FeedConfig,
    metrics::FeedMetrics,
    peers::{BookConsumer, FeedPeers},
};
use crate::{
    backoff::Backoff,
    base_url::BaseUrl,
    clock::SharedClock,
    market_data::{BookStale, FeedEvent, SetWatchlist, StaleReason},
};

/// Asks the feed for its metrics.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "FeedMetrics")]
pub struct GetMetrics;

/// Asks for the current state of one watched book (`None` when not watched).
#[derive(Debug, Clone, Message)]
#[rtype(result = "Option<BookView>")]
pub struct GetBook {
    /// Market.
    pub ticker: Ticker,
}

/// Detaches the recorder ([`FeedPeers::record`]): no frame is offered to it after this one.
/// Answers the feed's metrics at that instant, so their `text_frames` are exactly the frames
/// offered while recording.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "FeedMetrics")]
pub struct StopRecording;

/// A watched book as the feed holds it, fresh or not.
#[derive(Debug, Clone)]
pub struct BookView {
    /// Market.
    pub ticker: Ticker,
    /// Epoch of its last snapshot (0: never synced).
    pub epoch: u64,
    /// `seq` of the last message applied.
    pub seq: u64,
    /// Whether the feed vouches for it.
    pub fresh: bool,
    /// Why not, when not.
    pub stale_reason: Option<StaleReason>,
    /// The book.
    pub book: Arc<OrderBook>,
    /// Exchange time of the last update, ms.
    pub exchange_ts_ms: Option<i64>,
    /// When the last update was received.
    pub received_at: DateTime<Utc>,
}

/// The feed actor.
pub struct Feed {
    cfg: FeedConfig,
    base: BaseUrl,
    signer: Arc<Signer>,
    clock: SharedClock,
    peers: FeedPeers,
    books: Books,
    subs: Subs,
    conflator: Conflator,
    counters: Counters,
    timings: Timings,
    policy: ReconnectPolicy,
    rng: StdRng,
    started_once: bool,
    /// When the connection was lost and books have not all been fresh since (monotonic ns).
    recovering_since: Option<u128>,
    client: Option<awc::Client>,
    link: Link,
    /// When the frame being handled was received (monotonic ns): the order path's first stamp.
    frame_ns: u128,
}

impl std::fmt::Debug for Feed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Feed")
            .field("base", &self.base)
            .field("books", &self.books.len())
            .field("link", &self.link)
            .finish_non_exhaustive()
    }
}

impl Feed {
    /// A feed for the WebSocket URL (`…/trade-api/ws/v2`). Fails on an invalid config or URL.
    pub fn new(
        cfg: FeedConfig,
        ws_url: &str,
        signer: Arc<Signer>,
        clock: SharedClock,
        peers: FeedPeers,
    ) -> Result<Feed, Vec<String>> {
        cfg.validate()?;
        let base = BaseUrl::parse(ws_url).map_err(|e| vec![format!("exchange.ws_url: {e}")])?;
        let mut books = Books::default();
        let now = clock.now();
        for t in &cfg.watch {
            books.watch(t, now);
        }
        let policy = ReconnectPolicy::new(
            Backoff {
                base: ms(cfg.reconnect_base_ms),
                cap: ms(cfg.reconnect_cap_ms),
            },
            ms(cfg.reconnect_min_ms),
            ms(cfg.stable_after_ms),
        );
        let subs = Subs::new(
            cfg.max_markets_per_subscription,
            cfg.watch.iter().cloned().collect(),
        );
        Ok(Feed {
            subs: if cfg.public_trades {
                subs.with_public_trades()
            } else {
                subs
            },
            conflator: Conflator::new(peers.books.len()),
            cfg,
            base,
            signer,
            clock,
            peers,
            books,
            counters: Counters::default(),
            timings: Timings::default(),
            policy,
            rng: StdRng::from_os_rng(),
            started_once: false,
            recovering_since: None,
            client: None,
            link: Link::default(),
            frame_ns: 0,
        })
    }

    /// Starts a feed under an actix `Supervisor` on the current arbiter.
    pub fn start_supervised(
        cfg: FeedConfig,
        ws_url: &str,
        signer: Arc<Signer>,
        clock: SharedClock,
        peers: FeedPeers,
    ) -> Result<Addr<Feed>, Vec<String>> {
        let feed = Feed::new(cfg, ws_url, signer, clock, peers)?;
        Ok(Supervisor::start(move |_| feed))
    }

    fn now_ns(&self) -> u128 {
        self.clock.monotonic_ns()
    }

    /// Recovery ends when every watched book is fresh again.
    fn check_recovered(&mut self) {
        if self.books.not_fresh() > 0 {
            return;
        }
        if let Some(since) = self.recovering_since.take() {
            let us = u64::try_from(self.now_ns().saturating_sub(since) / 1000).unwrap_or(u64::MAX);
            self.timings.recovery.record_us(us);
            self.counters.last_recovery_ms = Some(us as f64 / 1000.0);
            info!(
                ms = us / 1000,
                books = self.books.len(),
                "every book fresh again"
            );
        }
    }

    /// Snapshots not arrived in time: re-create their subscriptions.
    fn check_overdue(&mut self) {
        if !self.link.is_open() {
            return;
        }
        let timeout = ms(self.cfg.resync_timeout_ms).as_nanos();
        let overdue = self.books.overdue(self.now_ns(), timeout);
        if overdue.is_empty() {
            return;
        }
        tracing::warn!(
            books = overdue.len(),
            "snapshots overdue; re-creating their subscriptions"
        );
        self.counters.resubscribes += 1;
        let plan = self.subs.resubscribe(&overdue);
        self.execute(plan);
    }

    fn metrics(&self) -> FeedMetrics {
        let now = self.now_ns();
        let mut m = FeedMetrics::of(&self.counters, &self.timings);
        m.connected = self.link.is_open();
        m.connection_age_s = self.policy.uptime(now).map(|d| d.as_secs_f64());
        m.books = self.books.len();
        m.books_stale = self.books.not_fresh();
        m.rejected = self.subs.rejected().len();
        m.book_subscriptions = self.subs.counts().0;
        m.conflated = self.conflator.conflated();
        m
    }
}

impl Actor for Feed {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        let idle = ms(self.cfg.idle_timeout_ms);
        ctx.run_interval((idle / 4).max(Duration::from_millis(5)), |act, ctx| {
            act.watchdog(ctx)
        });
        let resync = ms(self.cfg.resync_timeout_ms);
        ctx.run_interval((resync / 2).max(Duration::from_millis(5)), |act, _| {
            act.check_overdue()
        });
        let delay = if self.started_once {
            let (attempt, delay) = self.policy.next(self.rng.random::<f64>());
            info!(attempt, delay_ms = delay.as_millis() as u64, "reconnecting");
            self.peers
                .event(&FeedEvent::Reconnecting { attempt, delay });
            delay
        } else {
            self.started_once = true;
            Duration::ZERO
        };
        self.connect(delay, ctx);
    }
}

impl Supervised for Feed {
    fn restarting(&mut self, _ctx: &mut Context<Self>) {
        // After a stop the connection is marked lost already; after a panic it is done here.
        self.mark_lost("the feed restarted after a panic".into());
        self.link = Link::default();
        self.subs.disconnect();
        self.books.seqs.clear();
        for lane in 0..self.conflator.lanes() {
            self.conflator.done(lane);
        }
    }
}

impl Handler<SetWatchlist> for Feed {
    type Result = ();

    fn handle(&mut self, msg: SetWatchlist, _ctx: &mut Context<Self>) {
        let now = self.clock.now();
        let gone: Vec<Ticker> = self
            .subs
            .watched()
            .difference(&msg.tickers)
            .cloned()
            .collect();
        for t in gone {
            if let Some(e) = self.books.unwatch(&t)
                && e.fresh
            {
                self.peers.stale(&BookStale {
                    ticker: t,
                    epoch: e.epoch,
                    reason: StaleReason::Unwatched,
                });
            }
        }
        for t in &msg.tickers {
            self.books.watch(t, now);
        }
        info!(markets = msg.tickers.len(), "watch list set");
        let plan = self.subs.set_watched(msg.tickers);
        self.execute(plan);
        self.check_recovered();
    }
}

impl Handler<GetMetrics> for Feed {
    type Result = MessageResult<GetMetrics>;

    fn handle(&mut self, _msg: GetMetrics, _ctx: &mut Context<Self>) -> Self::Result {
        MessageResult(self.metrics())
    }
}

impl Handler<GetBook> for Feed {
    type Result = Option<BookView>;

    fn handle(&mut self, msg: GetBook, _ctx: &mut Context<Self>) -> Option<BookView> {
        self.books.by_ticker(&msg.ticker).map(|e| BookView {
            ticker: e.ticker.clone(),
            epoch: e.epoch,
            seq: e.seq,
            fresh: e.fresh,
            stale_reason: e.stale_reason,
            book: e.book.clone(),
            exchange_ts_ms: e.exchange_ts_ms,
            received_at: e.received_at,
        })
    }
}

impl Handler<StopRecording> for Feed {
    type Result = MessageResult<StopRecording>;

    fn handle(&mut self, _msg: StopRecording, _ctx: &mut Context<Self>) -> Self::Result {
        if self.peers.record.take().is_some() {
            info!(
                frames = self.counters.text_frames,
                "recording detached from the feed"
            );
        }
        MessageResult(self.metrics())
    }
}
