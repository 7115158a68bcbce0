//! [`SimControl`]: the simulator's control handle — register accounts, flip fault switches,
//! move the manual clock, and read the ground truth (true books, every order attempt, fills,
//! positions, counters). The `/_sim` HTTP interface calls exactly these methods.

use std::sync::{Arc, atomic::Ordering};

use chrono::Duration;
use kalshi::{
    Money,
    rest::{Fill, MarketPosition, Order, OrderbookFp},
    sign::VerifyingKey,
    types::MarketResult,
};
use serde::Serialize;

use super::{
    conn::cut,
    convert,
    faults::{DropMode, FaultPatch, Faults},
    sessions::{SessionCommand, SessionControl},
    state::{OrderAttempt, RequestRecord, Shared, lock},
};
use crate::{config::AccountSpec, engine::AccountIdx};

/// A new account's identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Registered {
    /// Key id for `KALSHI-ACCESS-KEY`.
    pub api_key_id: String,
    /// Account id.
    pub account_id: String,
}

/// Counters, as `GET /_sim/stats` reports them.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct StatsSnapshot {
    /// Requests per `METHOD /template`.
    pub requests: std::collections::BTreeMap<String, u64>,
    /// Responses per status.
    pub statuses: std::collections::BTreeMap<u16, u64>,
    /// 429s sent.
    pub sent_429: u64,
    /// 409s sent.
    pub sent_409: u64,
    /// 401s sent.
    pub sent_401: u64,
    /// Injected 5xx sent.
    pub sent_5xx: u64,
    /// Connections reset after an accepted order.
    pub resets_after_accept: u64,
    /// WebSocket connections opened.
    pub ws_connections: u64,
    /// WebSocket connections open now.
    pub ws_open: u64,
    /// WebSocket messages sent.
    pub ws_messages: u64,
    /// WebSocket connections dropped by faults.
    pub ws_drops: u64,
    /// WebSocket connections closed for missing pongs.
    pub ws_pong_timeouts: u64,
    /// Client order ids accepted more than once for one account (must stay 0).
    pub duplicate_client_order_ids: u64,
    /// Fills across user accounts.
    pub user_fills: u64,
}

/// Control handle of a running simulator. Cheap to clone.
#[derive(Debug, Clone)]
pub struct SimControl {
    shared: Arc<Shared>,
}

impl SimControl {
    pub(super) fn new(shared: Arc<Shared>) -> SimControl {
        SimControl { shared }
    }

    /// Opens an account with a public key (PEM), a tier and a starting balance.
    pub fn register_account(
        &self,
        public_key_pem: &str,
        tier: &str,
        balance_dollars: &str,
    ) -> Result<Registered, String> {
        self.register(None, public_key_pem, tier, balance_dollars)
    }

    pub(super) fn register_spec(&self, spec: &AccountSpec) -> Result<Registered, String> {
        let pem = match (&spec.public_key_pem, &spec.public_key_path) {
            (Some(p), _) => p.clone(),
            (None, Some(path)) => std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read public key {}: {e}", path.display()))?,
            (None, None) => return Err("account needs public_key_pem or public_key_path".into()),
        };
        self.register(
            spec.api_key_id.clone(),
            &pem,
            &spec.tier,
            &spec.balance_dollars,
        )
    }

    fn register(
        &self,
        api_key_id: Option<String>,
        pem: &str,
        tier: &str,
        balance_dollars: &str,
    ) -> Result<Registered, String> {
        let key = VerifyingKey::from_pem(pem).map_err(|e| format!("public_key_pem: {e}"))?;
        let balance = Money::parse(balance_dollars).map_err(|e| format!("balance_dollars: {e}"))?;
        if balance.is_negative() {
            return Err("balance_dollars: must not be negative".into());
        }
        let tier = tier.to_ascii_lowercase();
        if kalshi::limits::Tier::from_wire(&tier).budget().is_none() {
            return Err(format!(
                "tier: unknown tier {tier:?} (basic, advanced, premier, paragon, prime)"
            ));
        }
        let (idx, account_id, generated) = self.shared.with_core(|c, _| {
            let idx = c.exchange.add_account(&tier, balance, false);
            let id = c
                .exchange
                .account(idx)
                .map(|a| a.account_id.clone())
                .unwrap_or_default();
            (idx, id, c.exchange.new_uuid())
        });
        let api_key_id = api_key_id.unwrap_or(generated);
        if self.shared.key(&api_key_id).is_some() {
            return Err(format!("api_key_id {api_key_id} is already registered"));
        }
        self.shared.add_key(api_key_id.clone(), idx, key);
        Ok(Registered {
            api_key_id,
            account_id,
        })
    }

    /// The current fault switches.
    pub fn faults(&self) -> Faults {
        lock(&self.shared.faults).clone()
    }

    /// Changes fault switches and runs one-shot actions.
    pub fn set_faults(&self, patch: &FaultPatch) -> Result<Faults, String> {
        patch.validate()?;
        let rule = {
            let mut faults = lock(&self.shared.faults);
            patch.apply(&mut faults);
            faults.readings.duplicate_client_id
        };
        self.shared
            .with_core(|c, _| c.exchange.set_duplicate_rule(rule));
        if let Some(mode) = patch.ws_drop_now {
            self.drop_ws(mode);
        }
        if let Some(t) = &patch.pause_market {
            self.shared
                .with_core(|c, now| c.exchange.pause_market(t, now))
                .map_err(|r| format!("pause_market: {}", r.describe()))?;
        }
        if let Some(t) = &patch.unpause_market {
            self.shared
                .with_core(|c, now| c.exchange.unpause_market(t, now))
                .map_err(|r| format!("unpause_market: {}", r.describe()))?;
        }
        if let Some(active) = patch.trading_active {
            self.shared
                .with_core(|c, _| c.exchange.set_trading_active(active));
        }
        Ok(self.faults())
    }

    /// Drops every WebSocket connection now; returns how many.
    pub fn drop_ws(&self, mode: DropMode) -> usize {
        let sessions: Vec<SessionControl> = lock(&self.shared.sessions).values().cloned().collect();
        // Count first, so a client that sees its Close also sees the counter moved.
        self.shared
            .stats
            .ws_drops
            .fetch_add(sessions.len() as u64, Ordering::Relaxed);
        for s in &sessions {
            if mode == DropMode::Cut
                && let Some(fd) = &s.fd
            {
                cut(fd);
            }
            let _ = s.tx.send(SessionCommand::Drop(mode));
        }
        sessions.len()
    }

    /// Open WebSocket sessions.
    pub fn ws_sessions(&self) -> usize {
        lock(&self.shared.sessions).len()
    }

    /// Moves a manual clock forward and lets the world catch up (markets close, orders
    /// expire, buckets refill). The real clock ignores it.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
        self.step_world();
    }

    /// Runs one world step now.
    pub fn step_world(&self) {
        self.shared
            .with_core(|c, now| c.world.step(&mut c.exchange, now));
    }

    /// Runs `n` market-maker actions now.
    pub fn act(&self, n: u64) {
        self.shared
            .with_core(|c, now| c.world.act(&mut c.exchange, n, now));
    }

    /// The true public book of a market (all levels).
    pub fn true_book(&self, ticker: &str) -> Option<OrderbookFp> {
        self.shared
            .read_core(|c| {
                c.exchange
                    .market(ticker)
                    .map(|m| convert::orderbook(&m.book, 0))
            })
            .0
    }

    /// Every create attempt, oldest first (optionally of one account).
    pub fn order_log(&self, account_id: Option<&str>) -> Vec<OrderAttempt> {
        lock(&self.shared.order_log)
            .iter()
            .filter(|a| account_id.is_none_or(|id| a.account_id == id))
            .cloned()
            .collect()
    }

    /// Recent API requests, oldest first.
    pub fn request_log(&self) -> Vec<RequestRecord> {
        lock(&self.shared.request_log).iter().cloned().collect()
    }

    fn account(&self, account_id: &str) -> Option<AccountIdx> {
        self.shared
            .read_core(|c| c.exchange.account_by_id(account_id))
            .0
    }

    /// The orders of an account as the exchange holds them now.
    pub fn orders(&self, account_id: &str) -> Vec<Order> {
        let Some(idx) = self.account(account_id) else {
            return Vec::new();
        };
        self.shared
            .read_core(|c| {
                let x = &c.exchange;
                x.account(idx)
                    .map(|a| {
                        a.orders
                            .iter()
                            .filter_map(|k| x.order(*k))
                            .map(|o| convert::order(x, o))
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .0
    }

    /// The fills of an account.
    pub fn fills(&self, account_id: &str) -> Vec<Fill> {
        let Some(idx) = self.account(account_id) else {
            return Vec::new();
        };
        self.shared
            .read_core(|c| {
                c.exchange
                    .account(idx)
                    .map(|a| a.fills.iter().map(convert::fill).collect())
                    .unwrap_or_default()
            })
            .0
    }

    /// The positions of an account (non-zero or traded).
    pub fn positions(&self, account_id: &str) -> Vec<MarketPosition> {
        let Some(idx) = self.account(account_id) else {
            return Vec::new();
        };
        let now = self.shared.clock.now();
        self.shared
            .read_core(|c| {
                c.exchange
                    .account(idx)
                    .map(|a| {
                        a.positions
                            .iter()
                            .map(|(t, p)| convert::position(t, p, now))
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .0
    }

    /// An account's cash.
    pub fn balance(&self, account_id: &str) -> Option<Money> {
        let idx = self.account(account_id)?;
        self.shared
            .read_core(|c| c.exchange.account(idx).map(|a| a.balance))
            .0
    }

    /// Lists a new event of a catalogue series for `date` while running, as Kalshi does: its
    /// markets appear with `created` lifecycle events and open at once. Returns the tickers.
    pub fn list_event(
        &self,
        series: &str,
        date: chrono::NaiveDate,
    ) -> Result<Vec<kalshi::Ticker>, String> {
        let cfg = &self.shared.config.catalogue;
        let city = cfg
            .cities
            .iter()
            .position(|c| c.series == series)
            .ok_or_else(|| format!("series {series} is not in the catalogue"))?;
        self.shared.with_core(|c, now| {
            let (event, markets) = crate::catalogue::build_event(cfg, city, date, now)?;
            if c.world
                .events()
                .iter()
                .any(|e| e.event_ticker == event.event_ticker)
            {
                return Err(format!("event {} is already listed", event.event_ticker));
            }
            let tickers = event.markets.clone();
            for m in markets {
                c.exchange.add_market(m);
            }
            c.world.add_event(event);
            c.exchange.tick(now);
            Ok(tickers)
        })
    }

    /// Closes a market now (early if before its close time).
    pub fn close_market(&self, ticker: &str) {
        self.shared
            .with_core(|c, now| c.exchange.close_market(ticker, now));
    }

    /// Determines a closed market.
    pub fn determine_market(&self, ticker: &str, result: MarketResult) -> Result<(), String> {
        let value = if result == MarketResult::Yes {
            kalshi::Price::ONE
        } else {
            kalshi::Price::ZERO
        };
        self.shared
            .with_core(|c, now| c.exchange.determine(ticker, result, value, now))
            .map_err(|r| r.describe())
    }

    /// The hidden probability that a market settles YES.
    pub fn true_probability(&self, ticker: &str) -> Option<f64> {
        self.shared
            .read_core(|c| c.world.true_probability(&c.exchange, ticker))
            .0
    }

    /// The counters.
    pub fn stats(&self) -> StatsSnapshot {
        let s = &self.shared.stats;
        let log = lock(&self.shared.order_log);
        let mut seen = std::collections::HashSet::new();
        let duplicates = log
            .iter()
            .filter(|a| a.outcome != "rejected")
            .filter_map(|a| {
                a.client_order_id
                    .as_ref()
                    .map(|c| (a.account_id.clone(), c.clone()))
            })
            .filter(|k| !seen.insert(k.clone()))
            .count() as u64;
        let user_fills = self
            .shared
            .read_core(|c| {
                c.exchange
                    .accounts()
                    .filter(|(_, a)| !a.internal)
                    .map(|(_, a)| a.fills.len() as u64)
                    .sum()
            })
            .0;
        StatsSnapshot {
            requests: lock(&s.per_endpoint).clone(),
            statuses: lock(&s.per_status).clone(),
            sent_429: s.sent_429.load(Ordering::Relaxed),
            sent_409: s.sent_409.load(Ordering::Relaxed),
            sent_401: s.sent_401.load(Ordering::Relaxed),
            sent_5xx: s.sent_5xx.load(Ordering::Relaxed),
            resets_after_accept: s.resets_after_accept.load(Ordering::Relaxed),
            ws_connections: s.ws_connections.load(Ordering::Relaxed),
            ws_open: self.ws_sessions() as u64,
            ws_messages: s.ws_messages.load(Ordering::Relaxed),
            ws_drops: s.ws_drops.load(Ordering::Relaxed),
            ws_pong_timeouts: s.ws_pong_timeouts.load(Ordering::Relaxed),
            duplicate_client_order_ids: duplicates,
            user_fills,
        }
    }
}
