//! The strategy actor: thin glue over a pure [`Strategy`]. It gathers what a decision needs —
//! fresh books (by epoch), market metadata, positions, the blackout state, a forecast — calls
//! the strategy, and forwards its intents to the order manager stamped with the book's epoch.
//!
//! It acts only on books the feed vouches for: a `BookStale` for a market silences it until
//! an update of a newer epoch arrives, and the strategy is told so it can pull its quotes.
//! Forecasts are fetched here, outside the gateway (Open-Meteo is another host), or read from
//! a file that is reloaded when it changes.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    sync::Arc,
    time::{Duration, SystemTime},
};

use actix::{
    Actor, ActorFutureExt, AsyncContext, Context, Handler, Message, MessageResult, Recipient,
    WrapFuture,
};
use chrono::{DateTime, Utc};
use kalshi::{Count, Ticker, num::PriceRanges, rest::Market};
use serde::Serialize;
use tracing::{debug, info, warn};

use super::{
    config::{ForecastSource, StrategyConfig},
    core::{Intent, MarketView, Strategy},
    forecast::Forecast,
    source,
};
use crate::{
    blackout::BlackoutChanged,
    clock::SharedClock,
    market_data::{BookResynced, BookStale, BookUpdated},
    metadata::LookupMarket,
    orders::{CancelAll, OrderEvent, Submit},
};

/// Where the strategy's intents and lookups go.
#[derive(Debug, Clone)]
pub struct StrategyPeers {
    /// The order manager's `Submit`.
    pub submit: Recipient<Submit>,
    /// The order manager's `CancelAll` (per market).
    pub cancel_all: Recipient<CancelAll>,
    /// The metadata cache.
    pub markets: Recipient<LookupMarket>,
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

/// What the strategy actor has done.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StrategyMetrics {
    /// Book updates received.
    pub books_seen: u64,
    /// Book updates the strategy was asked about.
    pub books_evaluated: u64,
    /// Updates ignored because their book was stale.
    pub skipped_stale: u64,
    /// Updates ignored because the market's metadata was not yet known.
    pub skipped_no_metadata: u64,
    /// Orders the strategy asked for.
    pub intents: u64,
    /// Orders dropped because their book went stale before they left the actor.
    pub dropped_stale: u64,
    /// Of which the order manager accepted.
    pub accepted: u64,
    /// Refused, by reason.
    pub refused: BTreeMap<String, u64>,
    /// Per-market cancels asked for.
    pub cancels: u64,
    /// Fills booked on our orders.
    pub fills: u64,
    /// Forecast loads that worked and that failed.
    pub forecast_loads: u64,
    /// Forecast loads that failed.
    pub forecast_errors: u64,
    /// Markets or series-days the forecast covers.
    pub forecast_entries: usize,
    /// Seconds since the forecast was last loaded.
    pub forecast_age_s: Option<i64>,
    /// Markets the strategy has a fair value for.
    pub markets_priced: usize,
    /// Whether a blackout is active.
    pub blackout: bool,
}

/// What the actor holds per market: its metadata, its price grid and its fair probability under
/// the current forecast — computed when the market or the forecast arrives, not per update.
struct Priced {
    market: Market,
    grid: Arc<PriceRanges>,
    fair: Option<f64>,
}

/// The strategy actor.
pub struct StrategyActor {
    cfg: StrategyConfig,
    strategy: Box<dyn Strategy>,
    peers: StrategyPeers,
    clock: SharedClock,
    /// Open-Meteo base URL, resolved (the simulator's when embedded).
    forecast_base: String,
    client: Option<awc::Client>,
    forecast: Forecast,
    forecast_at: Option<DateTime<Utc>>,
    file_mtime: Option<SystemTime>,
    markets: HashMap<Ticker, Priced>,
    looking_up: HashSet<Ticker>,
    positions: HashMap<Ticker, Count>,
    /// Markets whose book went stale, with the epoch that went stale.
    stale: HashMap<Ticker, u64>,
    m: StrategyMetrics,
}

impl std::fmt::Debug for StrategyActor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StrategyActor")
            .field("markets", &self.markets.len())
            .field("metrics", &self.m)
            .finish_non_exhaustive()
    }
}

impl StrategyActor {
    /// A strategy actor around `strategy`; `forecast_base` is Open-Meteo's base URL (ignored
    /// unless the source is `open_meteo`).
    pub fn new(
        cfg: StrategyConfig,
        strategy: Box<dyn Strategy>,
        forecast_base: String,
        peers: StrategyPeers,
        clock: SharedClock,
    ) -> StrategyActor {
        StrategyActor {
            cfg,
            strategy,
            peers,
            clock,
            forecast_base,
            client: None,
            forecast: Forecast::default(),
            forecast_at: None,
            file_mtime: None,
            markets: HashMap::new(),
            looking_up: HashSet::new(),
            positions: HashMap::new(),
            stale: HashMap::new(),
            m: StrategyMetrics::default(),
        }
    }

    fn dispatch(&mut self, intents: Vec<Intent>, ctx: &mut Context<Self>) {
        if !self.cfg.enabled {
            return;
        }
        for intent in intents {
            match intent {
                Intent::Place(p)
                    if self
                        .stale
                        .get(&p.ticker)
                        .is_some_and(|e| p.book_epoch <= *e) =>
                {
                    // Priced on a book the feed has since called stale (a strategy may place
                    // from a fill or a timer): never sent.
                    self.m.dropped_stale += 1;
                }
                Intent::Place(p) => {
                    self.m.intents += 1;
                    let ticker = p.ticker.clone();
                    let submit = Submit {
                        ticker: p.ticker,
                        side: p.side,
                        price: p.price,
                        count: p.count,
                        time_in_force: p.time_in_force,
                        post_only: p.post_only,
                        reduce_only: p.reduce_only,
                        book_epoch: Some(p.book_epoch),
                    };
                    let send = self.peers.submit.send(submit);
                    ctx.spawn(send.into_actor(self).map(move |res, act, ctx| match res {
                        Ok(Ok(placed)) => {
                            act.m.accepted += 1;
                            debug!(key = %placed.key, state = ?placed.state, "order accepted");
                        }
                        Ok(Err(refusal)) => {
                            *act.m.refused.entry(refusal.reason()).or_default() += 1;
                            debug!(%refusal, "intent refused");
                            // The strategy may count on the order: tell it there is none.
                            let intents = act.strategy.on_order_done(&ticker);
                            act.dispatch(intents, ctx);
                        }
                        Err(e) => {
                            *act.m.refused.entry("mailbox".into()).or_default() += 1;
                            warn!(error = %e, "order manager unreachable");
                        }
                    }));
                }
                Intent::CancelMarket(ticker) => {
                    self.m.cancels += 1;
                    self.peers.cancel_all.do_send(CancelAll {
                        ticker: Some(ticker),
                    });
                }
            }
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

    fn count_priced(&mut self) {
        self.m.markets_priced = self.markets.values().filter(|p| p.fair.is_some()).count();
    }

    fn forecast_loaded(&mut self, forecast: Forecast) {
        self.m.forecast_loads += 1;
        self.forecast = forecast;
        for p in self.markets.values_mut() {
            p.fair = self.forecast.fair_probability(&p.market, self.cfg.bias_f);
        }
        self.count_priced();
        self.forecast_at = Some(self.clock.now());
        self.m.forecast_entries = self.forecast.probabilities.len() + self.forecast.ensembles.len();
        info!(entries = self.m.forecast_entries, "forecast loaded");
    }

    fn check_file(&mut self) {
        let path = std::path::Path::new(&self.cfg.forecast.file);
        let mtime = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        if mtime.is_none() || mtime == self.file_mtime {
            if mtime.is_none() && self.file_mtime.is_none() && self.m.forecast_errors == 0 {
                self.m.forecast_errors += 1;
                warn!(file = %path.display(), "forecast file missing");
            }
            return;
        }
        self.file_mtime = mtime;
        match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| Forecast::from_file_json(&text))
        {
            Ok(f) => self.forecast_loaded(f),
            Err(e) => {
                self.m.forecast_errors += 1;
                warn!(file = %path.display(), error = %e, "forecast file not loaded; keeping the last one");
            }
        }
    }

    fn fetch_open_meteo(&mut self, ctx: &mut Context<Self>) {
        let timeout = Duration::from_millis(self.cfg.forecast.timeout_ms);
        if self.client.is_none() {
            match crate::tls::http_client(timeout, self.forecast_base.starts_with("https://")) {
                Ok(c) => self.client = Some(c),
                Err(e) => {
                    warn!(error = %e, "no HTTP client for the forecast");
                    return;
                }
            }
        }
        let Some(client) = self.client.clone() else {
            return;
        };
        let requests: Vec<(kalshi::SeriesTicker, String)> = self
            .cfg
            .forecast
            .cities
            .iter()
            .filter_map(|(series, city)| {
                let url = source::ensemble_url(&self.forecast_base, &self.cfg.forecast, city);
                kalshi::SeriesTicker::new(series).ok().map(|s| (s, url))
            })
            .collect();
        let fetch = async move {
            let mut forecast = Forecast::default();
            let mut errors = Vec::new();
            for (series, url) in requests {
                let body = match client.get(&url).send().await {
                    Ok(mut resp) if resp.status().is_success() => {
                        resp.body().limit(8 << 20).await.map_err(|e| e.to_string())
                    }
                    Ok(resp) => Err(format!("HTTP {}", resp.status())),
                    Err(e) => Err(e.to_string()),
                };
                let text =
                    body.and_then(|b| String::from_utf8(b.to_vec()).map_err(|e| e.to_string()));
                match text.and_then(|t| forecast.add_open_meteo(&series, &t)) {
                    Ok(_) => {}
                    Err(e) => errors.push(format!("{series}: {e}")),
                }
            }
            (forecast, errors)
        };
        ctx.spawn(fetch.into_actor(self).map(|(forecast, errors), act, ctx| {
            let now = act.clock.now();
            let got = !forecast.ensembles.is_empty();
            if !errors.is_empty() {
                act.m.forecast_errors += 1;
                warn!(errors = ?errors, "forecast fetch incomplete");
            }
            if got {
                let mut merged = act.forecast.clone();
                merged.merge(forecast);
                act.forecast_loaded(merged);
            }
            let next = if got {
                source::next_fetch(&act.cfg.forecast, now)
            } else {
                now + chrono::Duration::seconds(
                    i64::try_from(act.cfg.forecast.refresh_s.min(60)).unwrap_or(60),
                )
            };
            let wait = (next - now).to_std().unwrap_or(Duration::from_secs(1));
            ctx.run_later(wait, |act, ctx| act.fetch_open_meteo(ctx));
        }));
    }
}

impl Actor for StrategyActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        match self.cfg.forecast.source {
            ForecastSource::None => {}
            ForecastSource::File => {
                self.check_file();
                let every = Duration::from_secs(self.cfg.forecast.reload_check_s.max(1));
                ctx.run_interval(every, |act, _| act.check_file());
            }
            ForecastSource::OpenMeteo => self.fetch_open_meteo(ctx),
        }
        ctx.run_interval(Duration::from_millis(self.cfg.timer_ms), |act, ctx| {
            let intents = act.strategy.on_timer(act.clock.now());
            act.dispatch(intents, ctx);
        });
        info!(enabled = self.cfg.enabled, source = ?self.cfg.forecast.source, "strategy started");
    }
}

impl Handler<BookUpdated> for StrategyActor {
    type Result = ();

    fn handle(&mut self, msg: BookUpdated, ctx: &mut Context<Self>) {
        self.m.books_seen += 1;
        if let Some(stale_epoch) = self.stale.get(&msg.ticker) {
            if msg.epoch <= *stale_epoch {
                self.m.skipped_stale += 1;
                return;
            }
            self.stale.remove(&msg.ticker);
        }
        let Some(priced) = self.markets.get(&msg.ticker) else {
            self.m.skipped_no_metadata += 1;
            self.look_up(msg.ticker, ctx);
            return;
        };
        let view = MarketView {
            grid: priced.grid.clone(),
            fair: priced.fair,
            position: self
                .positions
                .get(&msg.ticker)
                .copied()
                .unwrap_or(Count::ZERO),
            now: self.clock.now(),
            ticker: msg.ticker,
            epoch: msg.epoch,
            book: msg.book,
        };
        self.m.books_evaluated += 1;
        let intents = self.strategy.on_book(&view);
        self.dispatch(intents, ctx);
    }
}

impl Handler<BookStale> for StrategyActor {
    type Result = ();

    fn handle(&mut self, msg: BookStale, ctx: &mut Context<Self>) {
        self.stale.insert(msg.ticker.clone(), msg.epoch);
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

impl Handler<OrderEvent> for StrategyActor {
    type Result = ();

    fn handle(&mut self, msg: OrderEvent, ctx: &mut Context<Self>) {
        let intents = match msg {
            OrderEvent::Updated(order) if order.state.is_terminal() => {
                self.strategy.on_order_done(&order.ticker)
            }
            OrderEvent::Updated(_) => Vec::new(),
            OrderEvent::Filled { fill, position } => {
                self.m.fills += 1;
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
        self.m.blackout = msg.state.active;
        let intents = self.strategy.on_blackout(msg.state.active);
        self.dispatch(intents, ctx);
    }
}

impl Handler<SeedPositions> for StrategyActor {
    type Result = ();

    fn handle(&mut self, msg: SeedPositions, _ctx: &mut Context<Self>) {
        for (ticker, position) in msg.0 {
            self.positions.insert(ticker, position);
        }
    }
}

impl Handler<GetMetrics> for StrategyActor {
    type Result = MessageResult<GetMetrics>;

    fn handle(&mut self, _msg: GetMetrics, _ctx: &mut Context<Self>) -> Self::Result {
        let mut m = self.m.clone();
        m.forecast_age_s = self
            .forecast_at
            .map(|t| (self.clock.now() - t).num_seconds());
        MessageResult(m)
    }
}
