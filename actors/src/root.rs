//! The engine's root: starts every actor in order, wires their messages, and shuts them down
//! cleanly.
//!
//! Start order: gateway → metadata cache → order manager (its journal loaded, reconciled with
//! the exchange before anything trades) → feed (under its `Supervisor`, which restarts it on
//! every disconnect) → blackout clock → strategy. Actors that must know each other before both
//! run (the metadata cache tells the feed what to watch, the feed tells the cache about
//! lifecycle events) get their addresses up front from an unstarted `Context`.
//!
//! A feed restart is told to the others by the feed itself: every book goes stale (the
//! strategy stops acting on them and pulls its quotes) and `FeedEvent::Connected` makes the
//! order manager reconcile and fetch the fills of the gap.

use std::sync::Arc;

use actix::{Actor, Addr, AsyncContext, Context, Recipient};
use kalshi::sign::Signer;
use serde::Serialize;
use tracing::info;

use crate::{
    blackout::{self, BlackoutClock, BlackoutConfig, BlackoutPeers},
    clock::SharedClock,
    feed::{self, BookConsumer, Feed, FeedConfig, FeedPeers},
    gateway::{self, Gateway, GatewayConfig},
    market_data::FeedEvent,
    metadata::{self, Metadata, MetadataConfig, MetadataPeers},
    orders::{self, OrderEvent, Orders, OrdersConfig, OrdersPeers},
    strategy::{self, FairValue, StrategyActor, StrategyConfig, StrategyPeers},
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
}

impl EngineMetrics {
    /// Each actor's metrics as JSON, by actor name (for logs and Prometheus).
    pub fn by_actor(&self) -> Vec<(&'static str, serde_json::Value)> {
        let v = |m: serde_json::Result<serde_json::Value>| m.unwrap_or(serde_json::Value::Null);
        vec![
            ("gateway", v(serde_json::to_value(&self.gateway))),
            ("feed", v(serde_json::to_value(&self.feed))),
            ("metadata", v(serde_json::to_value(&self.metadata))),
            ("blackout", v(serde_json::to_value(&self.blackout))),
            ("orders", v(serde_json::to_value(&self.orders))),
            ("strategy", v(serde_json::to_value(&self.strategy))),
        ]
    }
}

impl Engine {
    /// Starts every actor in order; answers once the order manager has reconciled and the
    /// strategy runs. Errors name the config field or the actor that could not start.
    pub async fn start(spec: EngineSpec) -> Result<Engine, Vec<String>> {
        let EngineSpec {
            rest_url,
            ws_url,
            signer,
            forecast_base,
            clock,
            ..
        } = spec.clone();
        let mut errors = Vec::new();
        let mut keep = |r: Result<(), Vec<String>>| {
            if let Err(e) = r {
                errors.extend(e);
            }
        };
        keep(spec.strategy.validate());
        keep(spec.feed.validate());
        keep(spec.metadata.validate());
        if !errors.is_empty() {
            return Err(errors);
        }

        let gateway = Gateway::new(spec.gateway, &rest_url, signer.clone(), clock.clone())?.start();
        info!("gateway started");

        let metadata_ctx: Context<Metadata> = Context::new();
        let orders_ctx: Context<Orders> = Context::new();
        let strategy_ctx: Context<StrategyActor> = Context::new();
        let (metadata_addr, orders_addr, strategy_addr) = (
            metadata_ctx.address(),
            orders_ctx.address(),
            strategy_ctx.address(),
        );

        // The strategy decides on the books; the order manager marks positions to them (and
        // checks the daily loss limit against open losses).
        let mut books = vec![
            BookConsumer::of(&strategy_addr),
            BookConsumer::of(&orders_addr),
        ];
        books.extend(spec.observers.books.iter().cloned());
        let mut events = vec![orders_addr.clone().recipient()];
        events.extend(spec.observers.feed.iter().cloned());
        let feed_peers = FeedPeers {
            books,
            events,
            fills: vec![orders_addr.clone().recipient()],
            user_orders: vec![orders_addr.clone().recipient()],
            lifecycle: vec![metadata_addr.clone().recipient()],
        };
        let feed = Feed::new(
            spec.feed,
            &ws_url,
            signer.clone(),
            clock.clone(),
            feed_peers,
        )?;
        // The feed connects first with nothing to watch but the account's channels; the
        // metadata cache then tells it which books to stream.
        let feed_addr = actix::Supervisor::start(move |_| feed);
        let metadata = Metadata::new(
            spec.metadata,
            clock.clone(),
            MetadataPeers::from_gateway(&gateway, vec![feed_addr.clone().recipient()]),
        )?;
        let metadata_addr = metadata_ctx.run(metadata);
        info!("metadata cache and feed started");

        let mut orders_peers =
            OrdersPeers::from_gateway(&gateway, metadata_addr.clone().recipient());
        orders_peers
            .listeners
            .push(strategy_addr.clone().recipient());
        orders_peers
            .listeners
            .extend(spec.observers.orders.iter().cloned());
        let orders = Orders::open(spec.orders, orders_peers, clock.clone())?;
        let orders_addr = orders_ctx.run(orders);
        orders_addr
            .send(orders::WaitReady)
            .await
            .map_err(|e| vec![format!("order manager: {e}")])?;
        info!("order manager reconciled");
        // The strategy starts knowing the positions the journal and the exchange hold.
        let held = orders_addr
            .send(orders::GetTrackedPositions)
            .await
            .map_err(|e| vec![format!("order manager: {e}")])?;
        strategy_addr.do_send(strategy::SeedPositions(
            held.into_iter()
                .filter_map(|p| kalshi::Ticker::new(p.ticker).ok().map(|t| (t, p.position)))
                .collect(),
        ));

        let blackout = BlackoutClock::new(
            spec.blackout,
            BlackoutPeers {
                gateway: gateway.clone().recipient(),
                subscribers: vec![
                    orders_addr.clone().recipient(),
                    strategy_addr.clone().recipient(),
                ],
            },
            clock.clone(),
        )?
        .start();

        let strategy = StrategyActor::new(
            spec.strategy.clone(),
            Box::new(FairValue::new(spec.strategy.fair_value.clone())),
            forecast_base,
            StrategyPeers {
                submit: orders_addr.clone().recipient(),
                cancel_all: orders_addr.clone().recipient(),
                markets: metadata_addr.clone().recipient(),
            },
            clock,
        );
        let strategy_addr = strategy_ctx.run(strategy);
        info!("strategy started");
        Ok(Engine {
            gateway,
            metadata: metadata_addr,
            orders: orders_addr,
            feed: feed_addr,
            blackout,
            strategy: strategy_addr,
        })
    }

    /// Every actor's metrics (an actor that does not answer gives `None`).
    pub async fn metrics(&self) -> EngineMetrics {
        EngineMetrics {
            gateway: self.gateway.send(gateway::GetMetrics).await.ok(),
            feed: self.feed.send(feed::GetMetrics).await.ok(),
            metadata: self.metadata.send(metadata::GetMetrics).await.ok(),
            blackout: self.blackout.send(blackout::GetMetrics).await.ok(),
            orders: self.orders.send(orders::GetMetrics).await.ok(),
            strategy: self.strategy.send(strategy::GetMetrics).await.ok(),
        }
    }

    /// Shuts down in order: the strategy stops asking, the order manager cancels resting
    /// orders when `cancel_on_shutdown` (answers how many cancels were sent) and its journal
    /// is flushed on every write already.
    pub async fn shutdown(&self) -> usize {
        self.strategy.do_send(strategy::StopStrategy);
        self.orders.send(orders::Shutdown).await.unwrap_or(0)
    }
}
