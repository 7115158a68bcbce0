//! The simulated world around the exchange: the hidden truths drift, background market makers
//! quote around (imperfect) beliefs and trade with each other so books move, and closed
//! markets are determined from a draw of their event's truth.
//!
//! Everything is driven by [`World::step`] with an explicit `now` and a seeded generator, so a
//! run is repeatable. The truth is in `f64` — it is hidden state, not on any order path; quotes
//! are converted to valid ticks before they reach the exchange.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use kalshi::{
    Count, Money, Price, Ticker,
    types::{BookSide, MarketResult, MarketStatus, TimeInForce},
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Serialize};

use crate::{
    catalogue::{SimEventSpec, strike_probability},
    engine::{AccountIdx, Exchange, OrderKey, OrderRequest},
};

/// Background liquidity settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LiquidityConfig {
    /// Market-maker actions per second across all markets (each re-quote moves ~4 levels).
    pub actions_per_second: f64,
    /// Market makers per market.
    pub makers_per_market: u32,
    /// Standard deviation of a maker's belief error (probability points).
    pub belief_error: f64,
    /// Half-spread a maker quotes around its belief (probability points).
    pub half_spread: f64,
    /// Largest quote size in contracts.
    pub max_size: i64,
    /// Share of actions that take liquidity (IOC across the spread) instead of re-quoting.
    pub take_share: f64,
    /// Drift of each event's mean temperature, °F per √hour.
    pub drift_f_per_sqrt_hour: f64,
    /// Seconds after close before a market is determined.
    pub determine_after_s: i64,
    /// Markets the makers leave alone (a benchmark that posts its own quotes there).
    pub skip: Vec<String>,
}

impl Default for LiquidityConfig {
    fn default() -> Self {
        LiquidityConfig {
            actions_per_second: 20.0,
            makers_per_market: 2,
            belief_error: 0.04,
            half_spread: 0.03,
            max_size: 50,
            take_share: 0.15,
            drift_f_per_sqrt_hour: 1.0,
            determine_after_s: 60,
            skip: Vec::new(),
        }
    }
}

/// A market maker: an internal account with a persistent belief error per market.
#[derive(Debug)]
struct Maker {
    account: AccountIdx,
    bias: HashMap<Ticker, f64>,
    quotes: HashMap<Ticker, Vec<OrderKey>>,
}

/// Hidden truths, market makers and the clock they run on.
#[derive(Debug)]
pub struct World {
    cfg: LiquidityConfig,
    events: Vec<SimEventSpec>,
    market_event: HashMap<Ticker, usize>,
    makers: Vec<Maker>,
    rng: StdRng,
    last_step: Option<DateTime<Utc>>,
    carry: f64,
}

impl World {
    /// A world over `events`, with its makers' accounts opened on `exchange`.
    pub fn new(
        cfg: LiquidityConfig,
        events: Vec<SimEventSpec>,
        exchange: &mut Exchange,
        seed: u64,
    ) -> World {
        let mut market_event = HashMap::new();
        for (i, e) in events.iter().enumerate() {
            for t in &e.markets {
                market_event.insert(t.clone(), i);
            }
        }
        let makers = (0..cfg.makers_per_market)
            .map(|_| Maker {
                account: exchange.add_account("prime", Money::from_cents(10_000_000_000), true),
                bias: HashMap::new(),
                quotes: HashMap::new(),
            })
            .collect();
        World {
            cfg,
            events,
            market_event,
            makers,
            rng: StdRng::seed_from_u64(seed ^ 0x5eed_face),
            last_step: None,
            carry: 0.0,
        }
    }

    /// Adds an event listed while running (its markets are already on the exchange).
    pub fn add_event(&mut self, event: SimEventSpec) {
        let index = self.events.len();
        for t in &event.markets {
            self.market_event.insert(t.clone(), index);
        }
        self.events.push(event);
    }

    /// The events and their current hidden truths.
    pub fn events(&self) -> &[SimEventSpec] {
        &self.events
    }

    /// The hidden probability that `ticker` settles YES.
    pub fn true_probability(&self, exchange: &Exchange, ticker: &str) -> Option<f64> {
        let event = &self.events[*self.market_event.get(ticker)?];
        let market = exchange.market(ticker)?;
        Some(strike_probability(
            market.info.strike,
            event.mu_f,
            event.sigma_f,
        ))
    }

    /// Advances the world to `now`: drifts truths, runs the makers' share of actions for the
    /// elapsed time, and determines markets whose close is long enough past.
    pub fn step(&mut self, exchange: &mut Exchange, now: DateTime<Utc>) {
        let elapsed = self.last_step.map_or(0.0, |t| {
            (now - t).num_microseconds().unwrap_or(0).max(0) as f64 / 1e6
        });
        self.last_step = Some(now);
        self.drift(elapsed);
        exchange.tick(now);
        self.determine_due(exchange, now);
        self.carry += elapsed * self.cfg.actions_per_second;
        let actions = self.carry.floor();
        self.carry -= actions;
        self.act(exchange, actions as u64, now);
    }

    /// Runs `n` maker actions now (tests and benchmarks call this directly).
    pub fn act(&mut self, exchange: &mut Exchange, n: u64, now: DateTime<Utc>) {
        if self.makers.is_empty() {
            return;
        }
        let active: Vec<Ticker> = exchange
            .markets()
            .filter(|m| m.status == MarketStatus::Active)
            .filter(|m| !self.cfg.skip.iter().any(|s| s == m.info.ticker.as_str()))
            .map(|m| m.info.ticker.clone())
            .collect();
        if active.is_empty() {
            return;
        }
        for _ in 0..n {
            let ticker = &active[self.rng.random_range(0..active.len())];
            let maker = self.rng.random_range(0..self.makers.len());
            if self.rng.random_bool(self.cfg.take_share.clamp(0.0, 1.0)) {
                self.take(exchange, maker, ticker, now);
            } else {
                self.requote(exchange, maker, ticker, now);
            }
        }
    }

    fn drift(&mut self, elapsed_s: f64) {
        if elapsed_s <= 0.0 {
            return;
        }
        let sd = self.cfg.drift_f_per_sqrt_hour * (elapsed_s / 3600.0).sqrt();
        if let Ok(step) = Normal::new(0.0, sd) {
            for e in &mut self.events {
                e.mu_f += step.sample(&mut self.rng);
            }
        }
    }

    /// A maker's belief for a market: the truth plus its persistent error.
    fn belief(&mut self, exchange: &Exchange, maker: usize, ticker: &Ticker) -> Option<f64> {
        let truth = self.true_probability(exchange, ticker)?;
        let error = self.cfg.belief_error;
        let rng = &mut self.rng;
        let bias = *self.makers[maker]
            .bias
            .entry(ticker.clone())
            .or_insert_with(|| Normal::new(0.0, error.max(1e-9)).map_or(0.0, |n| n.sample(rng)));
        Some((truth + bias).clamp(0.02, 0.98))
    }

    fn requote(
        &mut self,
        exchange: &mut Exchange,
        maker: usize,
        ticker: &Ticker,
        now: DateTime<Utc>,
    ) {
        let Some(belief) = self.belief(exchange, maker, ticker) else {
            return;
        };
        let account = self.makers[maker].account;
        for key in self.makers[maker].quotes.remove(ticker).unwrap_or_default() {
            if let Some(id) = exchange
                .order(key)
                .filter(|o| o.is_resting())
                .map(|o| o.order_id.clone())
            {
                let _ = exchange.cancel_order(account, id.as_str(), now);
            }
        }
        let Some(grid) = exchange.market(ticker).map(|m| m.info.price_ranges.clone()) else {
            return;
        };
        let half = self.cfg.half_spread * self.rng.random_range(0.5..1.5);
        let bid = grid.tick_at_or_below(to_price(belief - half));
        let ask = grid.tick_at_or_above(to_price(belief + half));
        let mut keys = Vec::new();
        for (side, price) in [(BookSide::Bid, bid), (BookSide::Ask, ask)] {
            let Some(price) = price else { continue };
            let size = Count::from_whole(self.rng.random_range(1..=self.cfg.max_size.max(1)));
            let mut req = OrderRequest::limit(ticker.clone(), side, price, size);
            req.post_only = true;
            if let Ok(out) = exchange.create_order(account, req, now) {
                keys.push(out.order.key);
            }
        }
        self.makers[maker].quotes.insert(ticker.clone(), keys);
    }

    fn take(&mut self, exchange: &mut Exchange, maker: usize, ticker: &Ticker, now: DateTime<Utc>) {
        let Some(belief) = self.belief(exchange, maker, ticker) else {
            return;
        };
        let Some(market) = exchange.market(ticker) else {
            return;
        };
        let (bid, ask) = market.book.top();
        let account = self.makers[maker].account;
        let size = Count::from_whole(self.rng.random_range(1..=self.cfg.max_size.max(1)));
        let order = match (bid, ask) {
            (_, Some(ask)) if ask.price.as_probability() < belief => {
                Some((BookSide::Bid, ask.price))
            }
            (Some(bid), _) if bid.price.as_probability() > belief => {
                Some((BookSide::Ask, bid.price))
            }
            _ => None,
        };
        if let Some((side, price)) = order {
            let mut req = OrderRequest::limit(ticker.clone(), side, price, size);
            req.time_in_force = TimeInForce::ImmediateOrCancel;
            let _ = exchange.create_order(account, req, now);
        }
    }

    fn determine_due(&mut self, exchange: &mut Exchange, now: DateTime<Utc>) {
        let due: Vec<Ticker> = exchange
            .markets()
            .filter(|m| {
                m.status == MarketStatus::Closed
                    && m.info.close_time + Duration::seconds(self.cfg.determine_after_s) <= now
            })
            .map(|m| m.info.ticker.clone())
            .collect();
        let mut observed: HashMap<usize, f64> = HashMap::new();
        for ticker in due {
            let Some(&ei) = self.market_event.get(&ticker) else {
                continue;
            };
            let event = &self.events[ei];
            let temp = *observed.entry(ei).or_insert_with(|| {
                Normal::new(event.mu_f, event.sigma_f.max(1e-9))
                    .map_or(event.mu_f, |n| n.sample(&mut self.rng))
                    .round()
            });
            let Some(strike) = exchange.market(&ticker).map(|m| m.info.strike) else {
                continue;
            };
            let (result, value) = if strike.pays_yes(temp) {
                (MarketResult::Yes, Price::ONE)
            } else {
                (MarketResult::No, Price::ZERO)
            };
            let _ = exchange.determine(&ticker, result, value, now);
        }
    }
}

/// A probability as a price, clamped to (0, 1); the caller snaps it to the market's grid.
fn to_price(p: f64) -> Price {
    let micros = (p.clamp(0.0, 1.0) * f64::from(Price::UNIT)).round() as u32;
    Price::from_micros(micros).unwrap_or(Price::ZERO)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::catalogue::{CatalogueConfig, build};

    #[test]
    fn makers_build_books_that_are_never_crossed() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let (events, markets) = build(&CatalogueConfig::default(), now).unwrap();
        let mut x = Exchange::new(1);
        for m in markets {
            x.add_market(m);
        }
        x.tick(now);
        let mut w = World::new(LiquidityConfig::default(), events, &mut x, 1);
        w.act(&mut x, 5_000, now);
        let mut quoted = 0;
        let mut traded = Count::ZERO;
        for m in x.markets() {
            if let (Some(bid), Some(ask)) = m.book.top() {
                assert!(bid.price < ask.price, "{} crossed", m.info.ticker);
                quoted += 1;
            }
            traded += m.volume;
        }
        assert!(quoted > 90, "only {quoted} markets quoted on both sides");
        assert!(traded.is_positive(), "makers never traded with each other");
    }

    #[test]
    fn closed_markets_of_an_event_settle_consistently() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let cfg = CatalogueConfig {
            days: 1,
            ..CatalogueConfig::default()
        };
        let (events, markets) = build(&cfg, now).unwrap();
        let mut x = Exchange::new(1);
        for m in markets {
            x.add_market(m);
        }
        let mut w = World::new(
            LiquidityConfig {
                actions_per_second: 0.0,
                ..Default::default()
            },
            events,
            &mut x,
            3,
        );
        w.step(&mut x, now);
        let after = now + Duration::days(1);
        w.step(&mut x, after); // closes
        w.step(&mut x, after + Duration::seconds(61)); // determines
        for e in w.events() {
            let yes = e
                .markets
                .iter()
                .filter(|t| x.market(t).unwrap().result == MarketResult::Yes)
                .count();
            assert_eq!(
                yes, 1,
                "event {} must have exactly one YES market",
                e.event_ticker
            );
        }
    }
}
