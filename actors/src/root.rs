//! The engine's root: starts every actor in order, wires their messages, and shuts them down
//! cleanly.
//!
//! Start order: gateway → feed (under its `Supervisor`, which restarts it on every
//! disconnect; it connects with nothing to watch yet) → metadata cache (which tells the feed
//! what to watch) → order manager (its journal loaded and reconciled with the exchange before
//! anything trades; the strategy is then told the positions held) → blackout clock →
//! strategy. Actors that must know each other before both run (the feed tells the cache about
//! lifecycle events and the order manager about fills; the order manager and the strategy talk
//! both ways) get their addresses up front from unstarted `Context`s.
//!
//! Only the feed is restarted (by its supervisor); a feed restart is told to the others by the
//! feed itself: every book goes stale (the strategy stops acting on them and pulls its
//! quotes) and `FeedEvent::Connected` makes the order manager reconcile and fetch the fills of
//! the gap.

use std::sync::Arc;

use actix::{Actor, Addr, AsyncContext, Context, Recipient};
use kalshi::sign::Signer;
use serde::Serialize;
use tokio::sync::watch;
use tracing::info;

use crate::{
    blackout::{self, BlackoutClock, BlackoutConfig, BlackoutPeers},
    clock::SharedClock,
    feed::{self, BookConsumer, Feed, FeedConfig, FeedPeers},
    gateway::{self, Gateway, GatewayConfig},
    market_data::FeedEvent,
    metadata::{self, Metadata, MetadataConfig, MetadataPeers},
    orders::{self, OrderEvent, Orders, OrdersConfig, OrdersPeers},
    recording::{RecorderCounters, RecorderMetrics, Tap},
    strategy::{self, StrategyActor, StrategyConfig, StrategyFactory, StrategyPeers},
    supervision::{
        self, ChildEvent, Escalation, Guardian, OnStop, ShuttingDown, SupervisionConfig,
        SupervisionMetrics, TellNotReady, Watch, supervise,
    },
};

/// Everything the engine needs to start.
#[derive(Clone)]
pub struct EngineSpec {
    /// REST base URL (`…/trade-api/v2`).
    pub rest_url: String,
    /// WebSocket URL (`…/trade-api/ws/v2`).
    pub ws_url: String,
    /// Signs REST calls and the WebSocket handshake.
    pub signer: Arc<Signer>,
    /// Open-Meteo's base URL for the strategy's forecast.
    pub forecast_base: String,
    /// Time.
    pub clock: SharedClock,
    /// `[gateway]`.
    pub gateway: GatewayConfig,
    /// `[feed]`.
    pub feed: FeedConfig,
    /// `[metadata]`.
    pub metadata: MetadataConfig,
    /// `[blackout]`.
    pub blackout: BlackoutConfig,
    /// `[orders]`.
    pub orders: OrdersConfig,
    /// `[strategy]`.
    pub strategy: StrategyConfig,
    /// The strategy to run; `None`: the built-in one `strategy.kind` names.
    pub strategy_factory: Option<StrategyFactory>,
    /// `[supervision]`.
    pub supervision: SupervisionConfig,
    /// Extra listeners (tests, tools) told what the actors tell each other.
    pub observers: Observers,
}

/// Extra listeners for an engine's traffic: they get what the strategy gets.
#[derive(Debug, Clone, Default)]
pub struct Observers {
    /// Told every book update, staleness and resync (a consumer of its own: conflated
    /// separately, so it may see fewer updates than the strategy).
    pub books: Vec<BookConsumer>,
    /// Told every order event (after the strategy).
    pub orders: Vec<Recipient<OrderEvent>>,
    /// Told every feed connection event.
    pub feed: Vec<Recipient<FeedEvent>>,
    /// A recorder: offered every WebSocket text frame (by the feed) and every market fetched
    /// (by the metadata cache), never waited for.
    pub record: Option<Tap>,
}

impl std::fmt::Debug for EngineSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineSpec")
            .field("rest_url", &self.rest_url)
            .field("ws_url", &self.ws_url)
            .finish_non_exhaustive()
    }
}

/// The running engine: every actor's address.
#[derive(Debug, Clone)]
pub struct Engine {
    /// The REST gateway.
    pub gateway: Addr<Gateway>,
    /// The metadata cache.
    pub metadata: Addr<Metadata>,
    /// The order manager.
    pub orders: Addr<Orders>,
    /// The feed (supervised).
    pub feed: Addr<Feed>,
    /// The blackout clock.
    pub blackout: Addr<BlackoutClock>,
    /// The strategy.
    pub strategy: Addr<StrategyActor>,
    /// The top of the supervision tree.
    pub guardian: Addr<Guardian>,
    /// Set once the guardian gives up on the process (the runner then cancels, flushes and
    /// exits with the escalation's code).
    pub escalation: watch::Receiver<Option<Escalation>>,
    /// The recorder's counters, when one listens.
    pub recorder: Option<Arc<RecorderCounters>>,
}

/// Every actor's metrics at one instant.
#[derive(Debug, Clone, Serialize)]
pub struct EngineMetrics {
    /// The gateway's.
    pub gateway: Option<gateway::GatewayMetrics>,
    /// The feed's.
    pub feed: Option<feed::FeedMetrics>,
    /// The metadata cache's.
    pub metadata: Option<metadata::MetadataMetrics>,
    /// The blackout clock's.
    pub blackout: Option<blackout::BlackoutMetrics>,
    /// The order manager's.
    pub orders: Option<orders::OrdersMetrics>,
    /// The strategy's.
    pub strategy: Option<strategy::StrategyMetrics>,
    /// The supervision tree's: restarts, liveness and readiness per actor.
    pub supervision: Option<SupervisionMetrics>,
    /// The recorder's, when one listens (`tradewind record`).
    pub recorder: Option<RecorderMetrics>,
}

impl EngineMetrics {
    /// Each actor's metrics as JSON, by actor name (for logs and Prometheus).
    pub fn by_actor(&self) -> Vec<(&'static str, serde_json::Value)> {
        let v = |m: serde_json::Result<serde_json::Value>| m.unwrap_or(serde_json::Value::Null);
        let mut all = vec![
            ("gateway", v(serde_json::to_value(&self.gateway))),
            ("feed", v(serde_json::to_value(&self.feed))),
            ("metadata", v(serde_json::to_value(&self.metadata))),
            ("blackout", v(serde_json::to_value(&self.blackout))),
            ("orders", v(serde_json::to_value(&self.orders))),
            ("strategy", v(serde_json::to_value(&self.strategy))),
            ("supervision", v(serde_json::to_value(&self.supervision))),
        ];
        if let Some(r) = &self.recorder {
            all.push(("recorder", v(serde_json::to_value(r))));
        }
        all
    }
}

impl Engine {
    /// Starts every actor in order; answers once the order manager has reconciled and the
    /// strategy runs. Errors name the config field or the actor that could not start.
    pub async fn start(spec: EngineSpec) -> Result<Engine, Vec<String>> {
        spec.validate()?;
        let (escalate, escalation) = watch::channel(None);
        let guardian =
            Guardian::new(spec.supervision.clone(), spec.clock.clone(), escalate).start();
        let events: Recipient<ChildEvent> = guardian.clone().recipient();
        let gateway = Gateway::new(
            spec.gateway.clone(),
            &spec.rest_url,
            spec.signer.clone(),
            spec.clock.clone(),
        )?;
        let gateway = supervise(
            "gateway",
            Context::new(),
            gateway,
            OnStop::End,
            events.clone(),
        );
        info!("gateway started");
        let (wiring, contexts) = Wiring::new();
        let feed = start_feed(&spec, &wiring, events.clone())?;
        let metadata = Metadata::new(
            spec.metadata.clone(),
            spec.clock.clone(),
            MetadataPeers {
                record: spec.observers.record.clone(),
                ..MetadataPeers::from_gateway(&gateway, vec![feed.clone().recipient()])
            },
        )?;
        let metadata = supervise(
            "metadata",
            contexts.metadata,
            metadata,
            OnStop::End,
            events.clone(),
        );
        info!("metadata cache and feed started");
        // The clock speaks before the order manager needs it: until it has, nothing that adds
        // risk passes (start-up re-sends included).
        let blackout = BlackoutClock::new(
            spec.blackout.clone(),
            BlackoutPeers {
                gateway: gateway.clone().recipient(),
                subscribers: vec![wiring.strategy.clone().recipient()],
            },
            spec.clock.clone(),
        )?;
        let blackout = supervise(
            "blackout",
            contexts.blackout,
            blackout,
            OnStop::End,
            events.clone(),
        );
        let orders = start_orders(&spec, &gateway, &wiring, contexts.orders, &guardian).await?;
        info!("order manager reconciled");
        let recorder = spec.observers.record.as_ref().map(|t| t.counters().clone());
        let strategy = start_strategy(spec, &wiring, contexts.strategy, events);
        info!("strategy started");
        let engine = Engine {
            gateway,
            metadata,
            orders,
            feed,
            blackout,
            strategy,
            guardian,
            escalation,
            recorder,
        };
        engine.watch_all();
        engine.guardian.do_send(TellNotReady {
            recipient: engine.orders.clone().recipient(),
        });
        Ok(engine)
    }

    /// Has the guardian ask every actor for heartbeats.
    fn watch_all(&self) {
        let watch = |actor, heartbeat| self.guardian.do_send(Watch { actor, heartbeat });
        watch("gateway", self.gateway.clone().recipient());
        watch("feed", self.feed.clone().recipient());
        watch("metadata", self.metadata.clone().recipient());
        watch("blackout", self.blackout.clone().recipient());
        watch("orders", self.orders.clone().recipient());
        watch("strategy", self.strategy.clone().recipient());
    }

    /// Every actor's metrics (an actor that does not answer gives `None`).
    /// The strategy's state includes the order manager's say (halted, reconciling).
    pub async fn metrics(&self) -> EngineMetrics {
        let orders = self.orders.send(orders::GetMetrics).await.ok();
        let mut strategy = self.strategy.send(strategy::GetMetrics).await.ok();
        if let (Some(s), Some(o)) = (strategy.as_mut(), orders.as_ref()) {
            s.with_orders(o);
        }
        EngineMetrics {
            gateway: self.gateway.send(gateway::GetMetrics).await.ok(),
            feed: self.feed.send(feed::GetMetrics).await.ok(),
            metadata: self.metadata.send(metadata::GetMetrics).await.ok(),
            blackout: self.blackout.send(blackout::GetMetrics).await.ok(),
            orders,
            strategy,
            supervision: self
                .guardian
                .send(supervision::guardian::GetMetrics)
                .await
                .ok(),
            recorder: self.recorder.as_ref().map(|c| c.snapshot()),
        }
    }

    /// Shuts down in order: the strategy stops asking, the order manager cancels resting
    /// orders when `cancel_on_shutdown` (answers how many cancels were sent) and its journal
    /// is flushed on every write already.
    pub async fn shutdown(&self) -> usize {
        self.guardian.do_send(ShuttingDown);
        self.strategy.do_send(strategy::StopStrategy);
        self.orders.send(orders::Shutdown).await.unwrap_or(0)
    }
}

impl EngineSpec {
    /// Checks the sections the actors do not check when they are built.
    fn validate(&self) -> Result<(), Vec<String>> {
        let errors: Vec<String> = [
            self.strategy.validate(),
            self.feed.validate(),
            self.metadata.validate(),
            self.supervision.validate(),
        ]
        .into_iter()
        .filter_map(Result::err)
        .flatten()
        .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The addresses of the actors others need before they run.
struct Wiring {
    metadata: Addr<Metadata>,
    orders: Addr<Orders>,
    blackout: Addr<BlackoutClock>,
    strategy: Addr<StrategyActor>,
}

/// The contexts those addresses belong to, run when their actors start.
struct Contexts {
    metadata: Context<Metadata>,
    orders: Context<Orders>,
    blackout: Context<BlackoutClock>,
    strategy: Context<StrategyActor>,
}

impl Wiring {
    fn new() -> (Wiring, Contexts) {
        let c = Contexts {
            metadata: Context::new(),
            orders: Context::new(),
            blackout: Context::new(),
            strategy: Context::new(),
        };
        let w = Wiring {
            metadata: c.metadata.address(),
            orders: c.orders.address(),
            blackout: c.blackout.address(),
            strategy: c.strategy.address(),
        };
        (w, c)
    }
}

/// Starts the feed under its guard, restarted on every disconnect; it connects with nothing to
/// watch but the account's channels until the metadata cache tells it which books to stream.
fn start_feed(
    spec: &EngineSpec,
    wiring: &Wiring,
    events: Recipient<ChildEvent>,
) -> Result<Addr<Feed>, Vec<String>> {
    // The strategy decides on the books; the order manager marks positions to them (and
    // checks the daily loss limit against open losses).
    let mut books = vec![
        BookConsumer::of(&wiring.strategy),
        BookConsumer::of(&wiring.orders),
    ];
    books.extend(spec.observers.books.iter().cloned());
    let mut feed_events = vec![wiring.orders.clone().recipient()];
    feed_events.extend(spec.observers.feed.iter().cloned());
    let peers = FeedPeers {
        books,
        events: feed_events,
        fills: vec![wiring.orders.clone().recipient()],
        user_orders: vec![wiring.orders.clone().recipient()],
        lifecycle: vec![
            wiring.metadata.clone().recipient(),
            wiring.orders.clone().recipient(),
            wiring.strategy.clone().recipient(),
        ],
        record: spec.observers.record.clone(),
    };
    let feed = Feed::new(
        spec.feed.clone(),
        &spec.ws_url,
        spec.signer.clone(),
        spec.clock.clone(),
        peers,
    )?;
    Ok(supervise(
        "feed",
        Context::new(),
        feed,
        OnStop::Restart,
        events,
    ))
}

/// Starts the order manager and waits until it has loaded its journal and reconciled with the
/// exchange.
async fn start_orders(
    spec: &EngineSpec,
    gateway: &Addr<Gateway>,
    wiring: &Wiring,
    ctx: Context<Orders>,
    guardian: &Addr<Guardian>,
) -> Result<Addr<Orders>, Vec<String>> {
    let mut peers = OrdersPeers::from_gateway(gateway, wiring.metadata.clone().recipient());
    peers.blackout = Some(wiring.blackout.clone().recipient());
    peers.supervisor = Some(guardian.clone().recipient());
    peers.listeners.push(wiring.strategy.clone().recipient());
    peers
        .listeners
        .extend(spec.observers.orders.iter().cloned());
    let orders = Orders::open(spec.orders.clone(), peers, spec.clock.clone())?;
    let events = guardian.clone().recipient();
    let orders = supervise("orders", ctx, orders, OnStop::End, events);
    let unreachable = |e: actix::MailboxError| vec![format!("order manager: {e}")];
    orders.send(orders::WaitReady).await.map_err(unreachable)?;
    Ok(orders)
}

/// Starts the strategy actor around the spec's strategy (or the built-in `strategy.kind`
/// names); it reads the positions held from the order manager at every start.
fn start_strategy(
    spec: EngineSpec,
    wiring: &Wiring,
    ctx: Context<StrategyActor>,
    events: Recipient<ChildEvent>,
) -> Addr<StrategyActor> {
    let factory = spec
        .strategy_factory
        .unwrap_or_else(|| spec.strategy.builtin());
    let strategy = StrategyActor::new(
        spec.strategy,
        factory,
        spec.forecast_base,
        StrategyPeers {
            submit: wiring.orders.clone().recipient(),
            cancel_all: wiring.orders.clone().recipient(),
            cancel: wiring.orders.clone().recipient(),
            amend: wiring.orders.clone().recipient(),
            markets: wiring.metadata.clone().recipient(),
            positions: Some(wiring.orders.clone().recipient()),
            record: spec.observers.record.clone(),
        },
        spec.clock,
    );
    supervise("strategy", ctx, strategy, OnStop::End, events)
}
