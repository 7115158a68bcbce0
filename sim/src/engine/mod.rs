//! The exchange core: accounts, markets, orders and matching, as plain synchronous code with
//! no I/O and no clock of its own (every operation takes `now`). The HTTP and WebSocket layers
//! lock it, call one operation, and publish the [`Notice`]s it queued.
//!
//! # Layout
//! - [`ids`]: the internal handles [`AccountIdx`] and [`OrderKey`].
//! - [`order`]: requests, order records, refusals.
//! - [`book`]: resting orders per side and level, in time priority.
//! - [`matching`]: order entry and price-time matching (`impl Exchange`); `trade`: how one
//!   trade is booked on its two orders, two accounts, the trade log and the notice queue.
//! - [`modify`]: cancel, decrease, amend, cancel-all (`impl Exchange`).
//! - [`forecast`]: the outcome distribution an event's prices imply.
//! - [`groups`]: order groups, a contracts limit shared by their orders (`impl Exchange`).
//! - [`lifecycle`]: open, pause, close, determine, settle, expiry (`impl Exchange`).
//! - [`account`]: cash, collateral, positions, fills, settlements.
//! - [`market`]: market metadata, state and hidden truth; [`candles`]: its price history.
//! - [`notice`]: what operations report.

pub mod account;
pub mod book;
pub mod candles;
pub mod forecast;
pub mod groups;
pub mod ids;
pub mod lifecycle;
pub mod market;
pub mod matching;
pub mod modify;
pub mod notice;
pub mod order;
mod trade;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use kalshi::{Count, Money, OrderId, Ticker};
use rand::{Rng, SeedableRng, rngs::StdRng};

use crate::readings::DuplicateRule;

pub use account::{Account, FillRecord, Position, SettlementRecord};
pub use ids::{AccountIdx, OrderKey};
pub use market::{MarketInfo, SimMarket, Strike};
pub use notice::{LifecycleNotice, Notice, TickerSnapshot};
pub use order::{OrderRequest, Reject, SimOrder};
pub use trade::TradeRecord;

/// A random UUID-shaped id drawn from `rng` (one draw of 16 bytes).
fn random_uuid(rng: &mut StdRng) -> String {
    let bytes: [u8; 16] = rng.random();
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// The whole simulated exchange state.
#[derive(Debug)]
pub struct Exchange {
    accounts: Vec<Account>,
    account_ids: HashMap<String, AccountIdx>,
    markets: BTreeMap<Ticker, SimMarket>,
    orders: HashMap<OrderKey, SimOrder>,
    order_ids: HashMap<OrderId, OrderKey>,
    next_key: OrderKey,
    trading_active: bool,
    duplicate_rule: DuplicateRule,
    rng: StdRng,
    notices: Vec<Notice>,
    trades: Vec<TradeRecord>,
    groups: order::Groups,
    order_group: HashMap<OrderKey, String>,
}

impl Exchange {
    /// An empty exchange whose generated ids follow `seed`.
    pub fn new(seed: u64) -> Exchange {
        Exchange {
            accounts: Vec::new(),
            account_ids: HashMap::new(),
            markets: BTreeMap::new(),
            orders: HashMap::new(),
            order_ids: HashMap::new(),
            next_key: 1,
            trading_active: true,
            duplicate_rule: DuplicateRule::Ever,
            rng: StdRng::seed_from_u64(seed),
            notices: Vec::new(),
            trades: Vec::new(),
            groups: order::Groups::new(),
            order_group: HashMap::new(),
        }
    }

    /// A random UUID-shaped id from the exchange's seeded generator.
    pub fn new_uuid(&mut self) -> String {
        random_uuid(&mut self.rng)
    }

    /// Takes the notices queued by the operations since the last call.
    pub fn drain_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// Opens an account with `balance`; `internal` marks the simulator's own market makers.
    pub fn add_account(&mut self, tier: &str, balance: Money, internal: bool) -> AccountIdx {
        let idx = AccountIdx(self.accounts.len() as u32);
        let id = self.new_uuid();
        self.account_ids.insert(id.clone(), idx);
        self.accounts
            .push(Account::new(id, tier.to_owned(), balance, internal));
        idx
    }

    /// An account by index.
    pub fn account(&self, idx: AccountIdx) -> Option<&Account> {
        self.accounts.get(idx.0 as usize)
    }

    /// Mutable access to an account (balance top-ups from the admin interface).
    pub fn account_mut(&mut self, idx: AccountIdx) -> Option<&mut Account> {
        self.accounts.get_mut(idx.0 as usize)
    }

    /// An account's index by its public id.
    pub fn account_by_id(&self, id: &str) -> Option<AccountIdx> {
        self.account_ids.get(id).copied()
    }

    /// Every account with its index.
    pub fn accounts(&self) -> impl Iterator<Item = (AccountIdx, &Account)> {
        self.accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (AccountIdx(i as u32), a))
    }

    /// Lists a market (in `initialized` state until its open time passes).
    pub fn add_market(&mut self, info: MarketInfo) {
        let mut created = LifecycleNotice::new(
            kalshi::types::LifecycleEventType::Created,
            info.ticker.clone(),
        );
        created.open_ts = Some(info.open_time.timestamp());
        created.close_ts = Some(info.close_time.timestamp());
        self.notices.push(Notice::Lifecycle(created));
        self.markets
            .insert(info.ticker.clone(), SimMarket::new(info));
    }

    /// A market by ticker.
    pub fn market(&self, ticker: &str) -> Option<&SimMarket> {
        self.markets.get(ticker)
    }

    /// Every market, by ticker.
    pub fn markets(&self) -> impl Iterator<Item = &SimMarket> {
        self.markets.values()
    }

    /// An order by key.
    pub fn order(&self, key: OrderKey) -> Option<&SimOrder> {
        self.orders.get(&key)
    }

    /// An order by its exchange id.
    pub fn order_by_id(&self, id: &str) -> Option<&SimOrder> {
        self.order_ids.get(id).and_then(|k| self.orders.get(k))
    }

    /// Contracts resting ahead of order `key` at its price (0 for the first in line);
    /// `None` when it does not rest.
    pub fn queue_position(&self, key: OrderKey) -> Option<Count> {
        let o = self.orders.get(&key).filter(|o| o.is_resting())?;
        let queue = self.markets.get(&o.ticker)?.book.queue(o.side, o.price)?;
        let pos = queue.iter().position(|k| *k == key)?;
        Some(
            queue
                .iter()
                .take(pos)
                .filter_map(|k| self.orders.get(k))
                .map(|a| a.remaining_count)
                .sum(),
        )
    }

    /// Every trade so far, oldest first (append-only, like the accounts' fills).
    pub fn trades(&self) -> &[TradeRecord] {
        &self.trades
    }

    /// Whether trading is on exchange-wide.
    pub fn trading_active(&self) -> bool {
        self.trading_active
    }

    /// Switches trading on or off exchange-wide (orders are refused while off).
    pub fn set_trading_active(&mut self, active: bool) {
        self.trading_active = active;
    }

    /// When a client order id may be used again.
    pub fn set_duplicate_rule(&mut self, rule: DuplicateRule) {
        self.duplicate_rule = rule;
    }

    /// Whether `account` may not use `cid` now: under [`DuplicateRule::Ever`] once it was
    /// used, under [`DuplicateRule::OpenOnly`] while its order rests.
    pub(crate) fn client_id_taken(&self, account: &Account, cid: &kalshi::ClientOrderId) -> bool {
        let Some(key) = account.client_ids.get(cid) else {
            return false;
        };
        match self.duplicate_rule {
            DuplicateRule::Ever => true,
            DuplicateRule::OpenOnly => self
                .orders
                .get(key)
                .is_some_and(|o| o.remaining_count.is_positive()),
        }
    }

    /// Queues a ticker update for a market after its top of book or trades changed, and
    /// records the new quote in its candles.
    fn notice_ticker(&mut self, ticker: &str, now: DateTime<Utc>) {
        if let Some(m) = self.markets.get_mut(ticker) {
            let snapshot = m.ticker_snapshot(now);
            m.candles.quote(
                now,
                snapshot.yes_bid,
                snapshot.yes_ask,
                snapshot.open_interest,
            );
            self.notices.push(Notice::TickerUpdate(snapshot));
        }
    }

    fn notice_order(&mut self, key: OrderKey) {
        if let Some(o) = self.orders.get(&key) {
            self.notices.push(Notice::OrderUpdate {
                account: o.account,
                order: Box::new(o.clone()),
            });
        }
    }
}

#[cfg(test)]
mod tests;
