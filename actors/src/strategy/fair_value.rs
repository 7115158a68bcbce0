//! The built-in fair-value strategy for Kalshi's temperature markets: compare a fair
//! probability from the forecast with the book; take when the edge after the taker fee beats
//! a threshold; optionally quote inside the spread; size by fractional Kelly under caps.
//!
//! Buying YES at ask `a` with fair `p` earns `p − a − fee(a)` per contract; the Kelly share of
//! the bankroll for that bet is `(p − a) / (1 − a)`. Selling YES at bid `b` is buying NO at
//! `1 − b` with fair `1 − p`: edge `b − p − fee(b)`, Kelly `(b − p) / b`. Prices come from the
//! book and the grid, never from the `f64` probability directly.

use std::{
    collections::{HashMap, hash_map::DefaultHasher},
    hash::BuildHasherDefault,
};

use chrono::{DateTime, Utc};
use kalshi::{
    Count, Money, Price, Ticker,
    fees::FeeType,
    types::{BookSide, TimeInForce},
};
use serde::{Deserialize, Serialize};

use super::interface::{Intent, MarketView, PlaceIntent, Strategy};
use crate::orders::OrderSpec;

/// Settings of the fair-value strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FairValueConfig {
    /// Smallest edge after fees worth taking, in probability points (0.03 = 3¢ a contract).
    pub min_edge: f64,
    /// Share of the Kelly bet to stake.
    pub kelly_fraction: f64,
    /// Dollars the Kelly sizing stakes from.
    pub bankroll_dollars: String,
    /// Largest order, contracts.
    pub max_contracts_per_order: i64,
    /// Largest position per market, contracts (either side).
    pub max_position: i64,
    /// Wait after acting on a market before acting on it again, ms.
    pub cooldown_ms: u64,
    /// Also rest post-only quotes around the fair value.
    pub quote: bool,
    /// Distance of the quotes from the fair value, probability points.
    pub quote_edge: f64,
    /// Quote size, contracts.
    pub quote_size: i64,
    /// Re-quote when the fair value moved this much since quoting.
    pub requote_move: f64,
    /// Fee model used for the edge.
    pub fee_type: FeeType,
}

impl Default for FairValueConfig {
    fn default() -> Self {
        FairValueConfig {
            min_edge: 0.03,
            kelly_fraction: 0.25,
            bankroll_dollars: "500.00".into(),
            max_contracts_per_order: 10,
            max_position: 50,
            cooldown_ms: 2_000,
            quote: false,
            quote_edge: 0.04,
            quote_size: 5,
            requote_move: 0.02,
            fee_type: FeeType::Quadratic,
        }
    }
}

impl FairValueConfig {
    /// Every invalid value, each naming its field.
    pub fn validate(&self) -> Vec<String> {
        let mut errs = Vec::new();
        let unit = |name: &str, v: f64, errs: &mut Vec<String>| {
            if !(0.0..=1.0).contains(&v) {
                errs.push(format!("strategy.{name}: must be within 0..=1, got {v}"));
            }
        };
        unit("min_edge", self.min_edge, &mut errs);
        unit("kelly_fraction", self.kelly_fraction, &mut errs);
        unit("quote_edge", self.quote_edge, &mut errs);
        unit("requote_move", self.requote_move, &mut errs);
        if Money::parse(&self.bankroll_dollars).map_or(true, |m| m.is_negative()) {
            errs.push(format!(
                "strategy.bankroll_dollars: {:?} is not a positive amount",
                self.bankroll_dollars
            ));
        }
        for (name, v) in [
            ("max_contracts_per_order", self.max_contracts_per_order),
            ("max_position", self.max_position),
            ("quote_size", self.quote_size),
        ] {
            if v <= 0 {
                errs.push(format!("strategy.{name}: must be positive, got {v}"));
            }
        }
        errs
    }
}

/// Per-market memory.
#[derive(Debug, Default, Clone)]
struct MarketState {
    last_action: Option<DateTime<Utc>>,
    quoted_at_fair: Option<f64>,
}

/// The fair-value strategy.
#[derive(Debug)]
pub struct FairValue {
    cfg: FairValueConfig,
    bankroll: f64,
    /// Fixed-key hashing: the order of `on_blackout`'s cancels is the same in every process
    /// (a backtest's report must not depend on it).
    markets: HashMap<Ticker, MarketState, BuildHasherDefault<DefaultHasher>>,
    blackout: bool,
}

impl FairValue {
    /// A strategy with these settings (validate them first).
    pub fn new(cfg: FairValueConfig) -> FairValue {
        let bankroll = Money::parse(&cfg.bankroll_dollars).map_or(0.0, Money::as_dollars_f64);
        FairValue {
            cfg,
            bankroll,
            markets: HashMap::default(),
            blackout: false,
        }
    }

    fn cooling(&self, ticker: &Ticker, now: DateTime<Utc>) -> bool {
        let cooldown =
            chrono::Duration::milliseconds(i64::try_from(self.cfg.cooldown_ms).unwrap_or(i64::MAX));
        self.markets
            .get(ticker)
            .and_then(|m| m.last_action)
            .is_some_and(|t| now - t < cooldown)
    }

    /// Contracts to take at `price` for a bet whose Kelly share is `kelly`, capped by the
    /// order cap, the size shown and the room left under the position cap.
    fn size(&self, price: Price, kelly: f64, shown: Count, room: i64) -> Count {
        let stake = kelly.max(0.0) * self.cfg.kelly_fraction * self.bankroll;
        let per_contract = price.as_probability().max(0.01);
        let wanted = (stake / per_contract).floor() as i64;
        let n = wanted
            .min(self.cfg.max_contracts_per_order)
            .min(room)
            .max(0);
        Count::from_whole(n).min(shown)
    }

    fn fee_per_contract(&self, price: Price) -> f64 {
        self.cfg
            .fee_type
            .taker_fee(Count::ONE, price)
            .as_dollars_f64()
    }

    fn take(&self, view: &MarketView, fair: f64) -> Option<PlaceIntent> {
        let max = self.cfg.max_position;
        let held = view.position.centis() / 100;
        let place = |side, level: kalshi::level::PriceLevel, kelly: f64, room: i64| {
            let count = self.size(level.price, kelly, level.count, room);
            (count >= Count::ONE && view.grid.is_valid(level.price)).then(|| PlaceIntent {
                spec: OrderSpec {
                    ticker: view.ticker.clone(),
                    side,
                    price: level.price,
                    count,
                    time_in_force: TimeInForce::ImmediateOrCancel,
                    post_only: false,
                    reduce_only: false,
                },
                book_epoch: view.epoch,
            })
        };
        if let Some(ask) = view.book.best_yes_ask() {
            let a = ask.price.as_probability();
            if fair - a - self.fee_per_contract(ask.price) >= self.cfg.min_edge && a < 1.0 {
                return place(BookSide::Bid, ask, (fair - a) / (1.0 - a), max - held);
            }
        }
        if let Some(bid) = view.book.best_yes_bid() {
            let b = bid.price.as_probability();
            if b - fair - self.fee_per_contract(bid.price) >= self.cfg.min_edge && b > 0.0 {
                return place(BookSide::Ask, bid, (b - fair) / b, max + held);
            }
        }
        None
    }

    fn quotes(&self, view: &MarketView, fair: f64) -> Vec<Intent> {
        let to_price = |p: f64| Price::from_micros((p.clamp(0.0, 1.0) * 1e6).round() as u32);
        let mut out = vec![Intent::CancelMarket(view.ticker.clone())];
        let size = Count::from_whole(self.cfg.quote_size);
        let held = view.position.centis() / 100;
        let quote = |side, price: Option<Price>| {
            price.map(|price| {
                Intent::Place(PlaceIntent {
                    spec: OrderSpec {
                        ticker: view.ticker.clone(),
                        side,
                        price,
                        count: size,
                        time_in_force: TimeInForce::GoodTillCanceled,
                        post_only: true,
                        reduce_only: false,
                    },
                    book_epoch: view.epoch,
                })
            })
        };
        let best_ask = view.book.best_yes_ask().map(|l| l.price);
        let best_bid = view.book.best_yes_bid().map(|l| l.price);
        let bid = to_price(fair - self.cfg.quote_edge)
            .and_then(|p| view.grid.tick_at_or_below(p))
            .filter(|p| best_ask.is_none_or(|a| *p < a));
        let ask = to_price(fair + self.cfg.quote_edge)
            .and_then(|p| view.grid.tick_at_or_above(p))
            .filter(|p| best_bid.is_none_or(|b| *p > b));
        if held < self.cfg.max_position {
            out.extend(quote(BookSide::Bid, bid));
        }
        if -held < self.cfg.max_position {
            out.extend(quote(BookSide::Ask, ask));
        }
        out
    }
}

impl Strategy for FairValue {
    fn on_book(&mut self, view: &MarketView) -> Vec<Intent> {
        let Some(fair) = view.fair else {
            return Vec::new();
        };
        if self.blackout || self.cooling(&view.ticker, view.now) {
            return Vec::new();
        }
        if let Some(intent) = self.take(view, fair) {
            self.markets
                .entry(view.ticker.clone())
                .or_default()
                .last_action = Some(view.now);
            return vec![Intent::Place(intent)];
        }
        let state = self.markets.entry(view.ticker.clone()).or_default();
        let requote = state
            .quoted_at_fair
            .is_none_or(|q| (q - fair).abs() >= self.cfg.requote_move);
        if self.cfg.quote && requote {
            state.quoted_at_fair = Some(fair);
            state.last_action = Some(view.now);
            return self.quotes(view, fair);
        }
        Vec::new()
    }

    fn on_book_stale(&mut self, ticker: &Ticker) -> Vec<Intent> {
        match self.markets.get_mut(ticker) {
            Some(state) if state.quoted_at_fair.is_some() => {
                state.quoted_at_fair = None;
                vec![Intent::CancelMarket(ticker.clone())]
            }
            _ => Vec::new(),
        }
    }

    fn on_fill(
        &mut self,
        ticker: &Ticker,
        _side: BookSide,
        _price: Price,
        _count: Count,
    ) -> Vec<Intent> {
        // A quote filled: quote afresh on the next book.
        if let Some(state) = self.markets.get_mut(ticker) {
            state.quoted_at_fair = None;
        }
        Vec::new()
    }

    fn on_order_done(&mut self, _ticker: &Ticker) -> Vec<Intent> {
        Vec::new()
    }

    fn on_timer(&mut self, _now: DateTime<Utc>) -> Vec<Intent> {
        Vec::new()
    }

    fn on_blackout(&mut self, active: bool) -> Vec<Intent> {
        self.blackout = active;
        if !active {
            return Vec::new();
        }
        // Quotes rest through a blackout only if the order manager is told to keep them; pull
        // ours so nothing trades on the half-published forecast.
        self.markets
            .iter_mut()
            .filter_map(|(t, s)| {
                s.quoted_at_fair
                    .take()
                    .map(|_| Intent::CancelMarket(t.clone()))
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "fair_value_tests.rs"]
mod tests;
