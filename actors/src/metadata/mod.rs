//! Metadata cache actor: markets, events and series of a configured selection, held for a TTL.
//!
//! Accepts [`LookupMarket`] (from memory; a miss outside the selection is fetched once and
//! kept), [`ListMarkets`], [`RefreshSelection`], [`LifecycleReceived`] (from the feed) and
//! [`GetMetrics`]. Emits [`SetWatchlist`] to its watchers (the feed) whenever the set of open
//! selected markets changes, and offers every market it fetches to a recorder's tap
//! ([`MetadataPeers::record`]) when one listens. All REST goes through the gateway's metadata lane.
//!
//! The selection is fetched at start and every `ttl_s` (cursor pagination, `page_size` per
//! page). A `market_lifecycle_v2` event for a cached market refreshes that market alone (once
//! per event, concurrent refreshes coalesced); a `created` event in a watched series or event
//! fetches the new market. Markets open and close on schedule without an event, so a timer at
//! the next scheduled open or close updates the watch list and refreshes the markets concerned.
//!
//! # Layout
//! - [`store`] holds the pure state (selection, watch set, schedule).
//! - [`config`] holds the `[metadata]` section; [`metrics`] its metrics.

pub mod config;
mod lifecycle;
pub mod metrics;
pub mod store;

use std::{
    collections::{BTreeSet, HashSet},
    time::Duration,
};

use actix::{
    ActorFutureExt, Addr, AsyncContext, Context, Handler, Message, Recipient, ResponseActFuture,
    SpawnHandle, WrapFuture,
};
use chrono::{DateTime, Utc};
use kalshi::{
    EventTicker, SeriesTicker, Ticker,
    rest::{
        EventData, Market, Series,
        market_params::{GetEventsParams, GetMarketsParams},
    },
    types::{LifecycleEventType, MarketStatus},
};
use tracing::{info, warn};

pub use self::{config::MetadataConfig, metrics::MetadataMetrics};
use self::{metrics::Counters, store::Store};
use crate::{
    clock::SharedClock,
    gateway::{self, Gateway, GatewayError, GetEvents, GetMarkets, GetSeries},
    market_data::{LifecycleReceived, SetWatchlist},
    recording::Tap,
};

/// A market's metadata, from memory when held (and fresh), else fetched once and kept.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<Market, MetadataError>")]
pub struct LookupMarket {
    /// The market.
    pub ticker: Ticker,
}

/// Held markets matching the filters.
#[derive(Debug, Clone, Default, Message)]
#[rtype(result = "Vec<Market>")]
pub struct ListMarkets {
    /// Only this series.
    pub series: Option<SeriesTicker>,
    /// Only this event.
    pub event: Option<EventTicker>,
    /// Only this status.
    pub status: Option<MarketStatus>,
}

/// Re-fetches the whole selection now.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub struct RefreshSelection;

/// Asks for the cache's metrics.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "MetadataMetrics")]
pub struct GetMetrics;

/// Why a lookup failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    /// The exchange does not know the market.
    #[error("market not found: {0}")]
    NotFound(Ticker),
    /// The gateway failed.
    #[error("fetching metadata: {0}")]
    Gateway(GatewayError),
}

/// Where the cache sends its requests and watch lists.
#[derive(Debug, Clone)]
pub struct MetadataPeers {
    /// `GET /markets`.
    pub markets: Recipient<GetMarkets>,
    /// `GET /markets/{ticker}`.
    pub market: Recipient<gateway::GetMarket>,
    /// `GET /events`.
    pub events: Recipient<GetEvents>,
    /// `GET /series/{series_ticker}`.
    pub series: Recipient<GetSeries>,
    /// Told the open selected markets whenever they change.
    pub watchers: Vec<Recipient<SetWatchlist>>,
    /// A recorder, offered every market as fetched (never waited for).
    pub record: Option<Tap>,
}

impl MetadataPeers {
    /// All requests to one gateway.
    pub fn from_gateway(
        gateway: &Addr<Gateway>,
        watchers: Vec<Recipient<SetWatchlist>>,
    ) -> MetadataPeers {
        MetadataPeers {
            markets: gateway.clone().recipient(),
            market: gateway.clone().recipient(),
            events: gateway.clone().recipient(),
            series: gateway.clone().recipient(),
            watchers,
            record: None,
        }
    }
}

/// What one selection fetch returned.
#[derive(Debug, Default)]
struct Fetched {
    markets: Vec<Market>,
    events: Vec<EventData>,
    series: Vec<Series>,
    calls: u64,
    pages: u64,
}

fn gateway_error<T>(
    r: Result<Result<T, GatewayError>, actix::MailboxError>,
) -> Result<T, GatewayError> {
    r.map_err(|_| GatewayError::Stopped)?
}

/// Fetches the selection: every page of each series' and event's markets, then (optionally)
/// their events and series.
async fn fetch_selection(
    peers: MetadataPeers,
    cfg: MetadataConfig,
) -> (Fetched, Result<(), GatewayError>) {
    let mut out = Fetched::default();
    let result = async {
        let base = GetMarketsParams {
            limit: Some(cfg.page_size),
            status: Some(cfg.status),
            ..Default::default()
        };
        let scopes = cfg
            .series_tickers()
            .into_iter()
            .map(|s| GetMarketsParams {
                series_ticker: Some(s),
                ..base.clone()
            })
            .chain(cfg.event_tickers().into_iter().map(|e| GetMarketsParams {
                event_ticker: Some(e),
                ..base.clone()
            }));
        for mut params in scopes {
            loop {
                out.calls += 1;
                out.pages += 1;
                let page = gateway_error(
                    peers
                        .markets
                        .send(GetMarkets {
                            params: params.clone(),
                        })
                        .await,
                )?;
                out.markets.extend(page.markets);
                if page.cursor.is_empty() {
                    break;
                }
                params.cursor = Some(page.cursor);
            }
        }
        if cfg.fetch_details {
            for s in cfg.series_tickers() {
                let mut params = GetEventsParams {
                    series_ticker: Some(s.clone()),
                    limit: Some(200),
                    ..Default::default()
                };
                loop {
                    out.calls += 1;
                    let page = gateway_error(
                        peers
                            .events
                            .send(GetEvents {
                                params: params.clone(),
                            })
                            .await,
                    )?;
                    out.events.extend(page.events);
                    if page.cursor.is_empty() {
                        break;
                    }
                    params.cursor = Some(page.cursor);
                }
                out.calls += 1;
                out.series.push(
                    gateway_error(peers.series.send(GetSeries { series_ticker: s }).await)?.series,
                );
            }
        }
        Ok(())
    }
    .await;
    (out, result)
}

/// The metadata cache actor.
#[derive(Debug)]
pub struct Metadata {
    cfg: MetadataConfig,
    clock: SharedClock,
    peers: MetadataPeers,
    store: Store,
    watched: BTreeSet<Ticker>,
    in_flight: HashSet<Ticker>,
    refreshing: bool,
    last_refresh: Option<DateTime<Utc>>,
    schedule_timer: Option<SpawnHandle>,
    counters: Counters,
}

impl Metadata {
    /// A cache for `cfg`'s selection. Fails on an invalid config.
    pub fn new(
        cfg: MetadataConfig,
        clock: SharedClock,
        peers: MetadataPeers,
    ) -> Result<Metadata, Vec<String>> {
        cfg.validate()?;
        let store = Store::new(cfg.series_tickers(), cfg.event_tickers());
        Ok(Metadata {
            cfg,
            clock,
            peers,
            store,
            watched: BTreeSet::new(),
            in_flight: HashSet::new(),
            refreshing: false,
            last_refresh: None,
            schedule_timer: None,
            counters: Counters::default(),
        })
    }

    fn ttl(&self) -> chrono::Duration {
        chrono::Duration::seconds(i64::try_from(self.cfg.ttl_s).unwrap_or(i64::MAX / 1000))
    }

    fn refresh_selection(&mut self, ctx: &mut Context<Self>) {
        if self.refreshing {
            return;
        }
        self.refreshing = true;
        let fut = fetch_selection(self.peers.clone(), self.cfg.clone());
        ctx.spawn(fut.into_actor(self).map(|(fetched, result), act, ctx| {
            act.refreshing = false;
            act.counters.rest_calls += fetched.calls;
            act.counters.pages += fetched.pages;
            let now = act.clock.now();
            match result {
                Ok(()) => {
                    info!(
                        markets = fetched.markets.len(),
                        calls = fetched.calls,
                        "metadata selection refreshed"
                    );
                    act.record(&fetched.markets);
                    act.store.replace_selection(fetched.markets, now);
                    act.store.put_details(fetched.events, fetched.series);
                    act.counters.selection_refreshes += 1;
                    act.last_refresh = Some(now);
                }
                Err(e) => {
                    act.counters.failures += 1;
                    warn!(error = %e, retry_s = act.cfg.retry_s, "metadata refresh failed");
                    ctx.run_later(Duration::from_secs(act.cfg.retry_s), |act, ctx| {
                        act.refresh_selection(ctx)
                    });
                }
            }
            act.publish_watchlist(ctx);
        }));
    }

    /// Fetches one market (once at a time per ticker) and stores it.
    fn refresh_market(&mut self, ticker: Ticker, ctx: &mut Context<Self>) {
        if !self.in_flight.insert(ticker.clone()) {
            return;
        }
        self.counters.market_refreshes += 1;
        self.counters.rest_calls += 1;
        let fut = self.peers.market.send(gateway::GetMarket {
            ticker: ticker.clone(),
        });
        ctx.spawn(fut.into_actor(self).map(move |res, act, ctx| {
            act.in_flight.remove(&ticker);
            match gateway_error(res) {
                Ok(resp) => act.store_market(resp.market),
                Err(e) => warn!(%ticker, error = %e, "market refresh failed"),
            }
            act.publish_watchlist(ctx);
        }));
    }

    /// Offers fetched markets to the recorder, if one listens.
    fn record(&self, markets: &[Market]) {
        if let Some(tap) = &self.peers.record {
            for m in markets {
                tap.market(m);
            }
        }
    }

    fn store_market(&mut self, market: Market) {
        self.record(std::slice::from_ref(&market));
        let selected = self
            .store
            .in_selection(market.ticker.as_str(), Some(&market.event_ticker));
        self.store.upsert(market, self.clock.now(), selected);
    }

    /// Tells the watchers the open selected markets when they changed, and sets the timer for
    /// the next scheduled open or close.
    fn publish_watchlist(&mut self, ctx: &mut Context<Self>) {
        let now = self.clock.now();
        let set = self.store.watch_set(now);
        if set != self.watched {
            self.watched = set.clone();
            for w in &self.peers.watchers {
                w.do_send(SetWatchlist {
                    tickers: set.clone(),
                });
            }
        }
        if let Some(handle) = self.schedule_timer.take() {
            ctx.cancel_future(handle);
        }
        if let Some(at) = self.store.next_schedule_change(now) {
            let delay = (at - now).to_std().unwrap_or_default() + Duration::from_millis(1);
            self.schedule_timer = Some(ctx.run_later(delay, |act, ctx| {
                act.schedule_timer = None;
                let due = act.store.due_for_status(act.clock.now());
                for t in due {
                    act.refresh_market(t, ctx);
                }
                act.publish_watchlist(ctx);
            }));
        }
    }

    fn snapshot(&self) -> MetadataMetrics {
        let (events, series) = self.store.details_len();
        MetadataMetrics {
            markets: self.store.len(),
            events,
            series,
            watched: self.watched.len(),
            last_refresh_age_s: self
                .last_refresh
                .map(|t| (self.clock.now() - t).num_milliseconds() as f64 / 1000.0),
            counters: self.counters.clone(),
        }
    }
}

impl Handler<LookupMarket> for Metadata {
    type Result = ResponseActFuture<Self, Result<Market, MetadataError>>;

    fn handle(&mut self, msg: LookupMarket, _ctx: &mut Context<Self>) -> Self::Result {
        let now = self.clock.now();
        if self.store.is_fresh(msg.ticker.as_str(), now, self.ttl()) {
            self.counters.hits += 1;
            let market = self
                .store
                .get(msg.ticker.as_str())
                .map(|e| e.market.clone());
            return Box::pin(actix::fut::ready(
                market.ok_or(MetadataError::NotFound(msg.ticker)),
            ));
        }
        self.counters.misses += 1;
        self.counters.rest_calls += 1;
        let ticker = msg.ticker.clone();
        let fut = self
            .peers
            .market
            .send(gateway::GetMarket { ticker: msg.ticker });
        Box::pin(
            fut.into_actor(self)
                .map(move |res, act, _ctx| match gateway_error(res) {
                    Ok(resp) => {
                        act.store_market(resp.market.clone());
                        Ok(resp.market)
                    }
                    Err(GatewayError::Rejected(e)) if e.is_not_found() => {
                        Err(MetadataError::NotFound(ticker))
                    }
                    Err(e) => Err(MetadataError::Gateway(e)),
                }),
        )
    }
}

impl Handler<ListMarkets> for Metadata {
    type Result = actix::MessageResult<ListMarkets>;

    fn handle(&mut self, msg: ListMarkets, _ctx: &mut Context<Self>) -> Self::Result {
        actix::MessageResult(self.store.list(
            msg.series.as_ref(),
            msg.event.as_ref(),
            msg.status.as_ref(),
        ))
    }
}

impl Handler<RefreshSelection> for Metadata {
    type Result = ();

    fn handle(&mut self, _msg: RefreshSelection, ctx: &mut Context<Self>) {
        self.refresh_selection(ctx);
    }
}

impl Handler<LifecycleReceived> for Metadata {
    type Result = ();

    fn handle(&mut self, msg: LifecycleReceived, ctx: &mut Context<Self>) {
        let ticker = msg.event.market_ticker;
        let relevant = match msg.event.event_type {
            // A new market in a watched series or event: fetch it.
            LifecycleEventType::Created => self.store.in_selection(ticker.as_str(), None),
            // Anything else about a market we hold: refresh it.
            _ => self.store.get(ticker.as_str()).is_some(),
        };
        if relevant {
            self.refresh_market(ticker, ctx);
        }
    }
}

impl Handler<GetMetrics> for Metadata {
    type Result = actix::MessageResult<GetMetrics>;

    fn handle(&mut self, _msg: GetMetrics, _ctx: &mut Context<Self>) -> Self::Result {
        actix::MessageResult(self.snapshot())
    }
}
